"""The sidebar of sphinx-book-theme lists every document of the table of contents, at every depth, although
sourcebook stops Sphinx from copying the pages' headings (which the sidebar drops) below the depth of the
documents; a depth set in the book's theme options is kept, and a second build finds nothing changed. Each
page's sidebar is kept between builds, and taken again only while the table of contents it was made from
is the same."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sphinx_book_theme
from bs4 import BeautifulSoup
from sphinx.builders.html import StandaloneHTMLBuilder

from sourcebook.sphinx import sidebars

pytestmark = [pytest.mark.book]

#: The small course with a chapter (book/part) that has a section of its own (book/section), which has one too.
NESTED = {
    "index.md": "# A small course\n\n```{toctree}\n:glob:\n\nbook/source\nbook/part\nmodules/*/index\n```\n",
    "book/part.md": "# A part\n\nText.\n\n## A heading of the part\n\n```{toctree}\nsection\n```\n",
    "book/section.md": "# A section\n\n## A heading of the section\n\n```{toctree}\nsubsection\n```\n",
    "book/subsection.md": "# A subsection\n\n## A heading of the subsection\n\nText.\n",
    "book/themes.md": None,
    "book/glossary.md": None,
}


def _sidebar(app: Any, page: str) -> tuple[list[str], list[str]]:
    """The titles of the sidebar's links on ``page``, and those marked current."""
    html = (Path(app.outdir) / page).read_text(encoding="utf-8")
    nav = BeautifulSoup(html, "html.parser").select_one("nav.bd-docs-nav")
    assert nav is not None, f"{page} has no sidebar"
    links = [a.get_text(" ", strip=True) for a in nav.select("a")]
    current = [a.get_text(" ", strip=True) for a in nav.select("li.current > a")]
    return links, current


def test_the_sidebar_lists_every_document_at_every_depth_and_no_heading(
        build_mini: Callable[..., Any]) -> None:
    app = build_mini(files=NESTED, html_theme="sphinx_book_theme", suppress_warnings=["toc.not_included"],
                     strict=False)
    assert app.builder.theme_options["max_navbar_depth"] == 3  # chapter, section, subsection
    assert "max_navbar_depth" not in app.config.html_theme_options  # the configuration is left as written
    links, current = _sidebar(app, "book/subsection.html")
    for title in ("A part", "A section", "A subsection", "The full report", "The first module", "The second module"):
        assert any(title in link for link in links), (title, links)
    assert not [link for link in links if link.startswith("A heading")]
    assert current == ["A part", "A section", "A subsection"]
    _, current = _sidebar(app, "book/part.html")
    assert current == ["A part"]

    again = build_mini(html_theme="sphinx_book_theme", suppress_warnings=["toc.not_included"], strict=False)
    assert not re.search(r"\[config changed", again.log), again.log
    assert "0 changed" in again.log or "no targets are out of date" in again.log, again.log


def test_a_depth_set_in_the_theme_options_is_kept(build_mini: Callable[..., Any]) -> None:
    app = build_mini(files=NESTED, html_theme="sphinx_book_theme", suppress_warnings=["toc.not_included"],
                     strict=False, html_theme_options={"max_navbar_depth": 1})
    assert app.builder.theme_options["max_navbar_depth"] == 1
    links, _ = _sidebar(app, "book/part.html")
    assert any("A part" in link for link in links) and not any("A section" in link for link in links), links


def _kept_sidebars(app: Any) -> dict[str, list[str]]:
    """The folders of kept sidebars, each with its files' names."""
    folder = Path(app.doctreedir) / sidebars.FOLDER
    return {each.name: sorted(kept.name for kept in each.iterdir()) for each in folder.iterdir()}


def _navs(app: Any) -> dict[str, str]:
    """Each page's sidebar, as written."""
    navs = {}
    for page in Path(app.outdir).rglob("*.html"):
        nav = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("nav.bd-docs-nav")
        if nav is not None:
            navs[page.relative_to(app.outdir).as_posix()] = str(nav)
    return navs


def _count_tables_of_contents(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the pages for which Sphinx resolves the book's table of contents for the sidebar."""
    resolved: list[str] = []
    resolve = StandaloneHTMLBuilder._get_local_toctree

    def counted(self: Any, docname: str, *args: Any, **kwargs: Any) -> Any:
        resolved.append(docname)
        return resolve(self, docname, *args, **kwargs)

    monkeypatch.setattr(StandaloneHTMLBuilder, "_get_local_toctree", counted)
    return resolved


BOOK_THEME = {"html_theme": "sphinx_book_theme"}


def test_a_rebuild_takes_each_pages_kept_sidebar_and_writes_the_same_pages(
        build_mini: Callable[..., Any], make_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    resolved = _count_tables_of_contents(monkeypatch)
    first = build_mini(**BOOK_THEME)
    kept = _kept_sidebars(first)
    assert len(kept) == 1 and len(next(iter(kept.values()))) == len(set(resolved)) >= 6, (kept, resolved)
    first_navs = _navs(first)
    assert "The second module" in first_navs["modules/01-first/index.html"]

    resolved.clear()
    bank = Path(first.srcdir) / "questions" / "first.yml"
    again = build_mini(files={"questions/first.yml": bank.read_text(encoding="utf-8").replace(
        "To whom is the report addressed?", "To whom did Nie address the report?")}, **BOOK_THEME)
    assert "modules/01-first/index" in again.log  # the page that shows the bank was written again
    assert resolved == [], "every sidebar of the pages written again was taken as kept"
    assert _kept_sidebars(again) == kept
    assert _navs(again) == first_navs
    # The same pages as a build that keeps nothing from before.
    fresh = tmp_path / "fresh"
    shutil.copytree(first.srcdir, fresh, ignore=shutil.ignore_patterns("_build"))
    app = make_app("html", srcdir=fresh, confoverrides=BOOK_THEME)
    app.build()
    app.cleanup()
    assert resolved, "the fresh build made its sidebars"
    for page in ("modules/01-first/index.html", "index.html", "search.html"):
        # Sphinx adds a checksum to the address of each stylesheet that is already in the output folder.
        fresh_page, kept_page = ((Path(build.outdir) / page).read_text(encoding="utf-8") for build in (app, again))
        assert re.sub(r"\?v=[0-9a-f]+", "", fresh_page) == re.sub(r"\?v=[0-9a-f]+", "", kept_page), page


def test_a_changed_title_makes_the_sidebars_afresh_and_removes_the_old(
        build_mini: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    first = build_mini(**BOOK_THEME)
    old = _kept_sidebars(first)
    page = Path(first.srcdir) / "modules" / "02-second" / "index.md"
    resolved = _count_tables_of_contents(monkeypatch)
    again = build_mini(files={"modules/02-second/index.md": page.read_text(encoding="utf-8").replace(
        "# The second module", "# The second module, renamed")}, **BOOK_THEME)
    assert "modules/02-second/index" in resolved
    navs = _navs(again)
    assert "The second module, renamed" in navs["modules/02-second/index.html"]
    new = _kept_sidebars(again)
    assert len(new) == 1 and new.keys() != old.keys(), (old, new)
    # Another option of the theme: every page is written again, with the sidebar the option asks for.
    optioned = build_mini(html_theme_options={"home_page_in_toc": True}, **BOOK_THEME)
    navs = _navs(optioned)
    assert len(navs) >= 6 and all("bd-sidenav__home-link" in nav and "The second module, renamed" in nav
                                  for nav in navs.values()), navs.keys()


def test_a_sidebar_made_with_a_warning_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sidebars, "_fingerprint_of_build", lambda app: "fingerprint")
    monkeypatch.setattr(logging.getLogger("sphinx"), "handlers", [])  # none left by the builds of other tests
    app: Any = SimpleNamespace(doctreedir=str(tmp_path))
    made: list[str] = []

    def warning() -> str:
        made.append("warned")
        logging.getLogger("sphinx.sourcebook.test").warning("toctree contains a reference to a missing page")
        return "<nav>with a warning</nav>"

    def quiet() -> str:
        made.append("quiet")
        return "<nav>quiet</nav>"

    assert sidebars.kept_sidebar(app, "page", "options", "sbt-sidebar-nav.html", warning) == "<nav>with a warning</nav>"
    assert sidebars.kept_sidebar(app, "page", "options", "sbt-sidebar-nav.html", quiet) == "<nav>quiet</nav>"
    assert sidebars.kept_sidebar(app, "page", "options", "sbt-sidebar-nav.html", quiet) == "<nav>quiet</nav>"
    assert sidebars.kept_sidebar(app, "page", "other options", "sbt-sidebar-nav.html", quiet) == "<nav>quiet</nav>"
    assert made == ["warned", "quiet", "quiet"]
    # A kept sidebar that cannot be read, and a folder that cannot be written: made again, the same.
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as refusing:
        refusing.setattr(Path, "read_text", refused)
        refusing.setattr(sidebars, "_write_whole", lambda path, text: refused())
        assert sidebars.kept_sidebar(app, "page", "options", "sbt-sidebar-nav.html", quiet) == "<nav>quiet</nav>"
    assert made == ["warned", "quiet", "quiet", "quiet"]
    (old := tmp_path / sidebars.FOLDER / "another fingerprint").mkdir()
    monkeypatch.setattr(sidebars, "_fingerprint_of_build", lambda app: "a new fingerprint")
    sidebars.kept_sidebar(app, "page", "options", "sbt-sidebar-nav.html", quiet)
    assert not old.exists() and not (tmp_path / sidebars.FOLDER / "fingerprint").exists()


@pytest.mark.parametrize(("folder", "own"), [(Path(sphinx_book_theme.__file__).parent / "theme", True),
                                             (Path("/books/a-book/_templates"), False)])
def test_only_the_themes_own_sidebar_is_kept(folder: Path, own: bool) -> None:
    templates = SimpleNamespace(environment=None, get_source=lambda environment, name: (
        "", str(folder / name), lambda: True))
    builder = type("Builder", (), {"format": "html", "templates": templates})()
    app: Any = SimpleNamespace(builder=builder, doctreedir="")
    context: dict[str, Any] = {"sidebars": ["sb-course-title.html", "sbt-sidebar-nav.html"]}
    sidebars.keep_the_sidebar(app, "page", "page.html", context, None)
    replaced = ["sb-course-title.html", "sourcebook-sidebar-nav.html"]
    assert (context["sidebars"] == replaced) is own and ("sourcebook_kept_sidebar" in context) is own
