"""The sidebar of sphinx-book-theme lists every document of the table of contents, at every depth, although
sourcebook stops Sphinx from copying the pages' headings (which the sidebar drops) below the depth of the
documents; a depth set in the book's theme options is kept, and a second build finds nothing changed."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

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
