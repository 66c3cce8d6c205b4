"""What the theme's pages load: other extensions' scripts only on the pages that show what they act on (copy
buttons on code, toggles, tabs), and the stylesheets every page links as one file. Built with sphinx.testing,
warnings are errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.book

EXTENSIONS = ["myst_parser", "sourcebook.sphinx", "sphinx_copybutton", "sphinx_togglebutton", "sphinx_design"]
ORPHAN = "---\norphan: true\n---\n"
PAGES = {
    "code.md": ORPHAN + "# Code\n\n```python\nprint(1)\n```\n",
    "toggle.md": ORPHAN + "# Toggle\n\n```{admonition} More\n:class: dropdown\n\nHidden at first.\n```\n",
    "tabs.md": ORPHAN + "# Tabs\n\n````{tab-set}\n```{tab-item} One\nFirst.\n```\n"
                        "```{tab-item} Two\nSecond.\n```\n````\n",
    "plain.md": ORPHAN + "# Plain\n\nText only.\n",
}
SCRIPTS = ("clipboard.min.js", "copybutton.js", "togglebutton.js", "design-tabs.js")


def scripts(app: Any, page: str) -> set[str]:
    soup = BeautifulSoup((Path(app.outdir) / page).read_text(encoding="utf-8"), "html.parser")
    return {Path(str(s["src"]).split("?")[0]).name for s in soup.select("script[src]")} & set(SCRIPTS)


def test_each_page_loads_the_scripts_of_what_it_shows(build: Any) -> None:
    app = build("basic", files=PAGES, extensions=EXTENSIONS)
    assert scripts(app, "code.html") == {"clipboard.min.js", "copybutton.js"}
    assert scripts(app, "toggle.html") == {"togglebutton.js"}
    assert scripts(app, "tabs.html") == {"design-tabs.js"}
    assert scripts(app, "plain.html") == set()
    assert scripts(app, "types.html") == set()  # a quiz page
    # The search page's results may show any of them.
    assert scripts(app, "search.html") == set(SCRIPTS)


def test_a_book_that_changes_what_a_script_acts_on_keeps_it_everywhere(build: Any) -> None:
    app = build("basic", files=PAGES, extensions=EXTENSIONS, togglebutton_selector=".note")
    assert scripts(app, "plain.html") == {"togglebutton.js"}
    assert scripts(app, "toggle.html") == {"togglebutton.js"}
    assert "copybutton.js" not in scripts(app, "plain.html")


def stylesheets(app: Any, page: str) -> list[str]:
    soup = BeautifulSoup((Path(app.outdir) / page).read_text(encoding="utf-8"), "html.parser")
    return [str(link["href"]).split("?")[0].removeprefix("_static/") for link in soup.select('link[rel="stylesheet"]')]


def test_the_themes_stylesheets_come_as_one_file_that_a_rebuild_keeps(build: Any) -> None:
    from sourcebook.sphinx.stylesheets import JOINED_NAME

    app = build("basic", files=PAGES, extensions=EXTENSIONS, html_theme="sphinx_book_theme")
    (first, *rest) = stylesheets(app, "plain.html")
    assert JOINED_NAME.fullmatch(first) and rest == []
    assert stylesheets(app, "types.html") == [first, "quiz.css"]
    assert stylesheets(app, "code.html")[1] == "pygments.css"
    served = (Path(app.outdir) / "_static" / first).read_text(encoding="utf-8")
    assert served.startswith((Path(app.outdir) / "_static" / "basic.css").read_text(encoding="utf-8"))
    # A page written again by a later build names the same file as the pages left as they were.
    app = build("basic", files={"plain.md": PAGES["plain.md"] + "\nMore text.\n"}, extensions=EXTENSIONS,
                html_theme="sphinx_book_theme")
    assert "More text." in (Path(app.outdir) / "plain.html").read_text(encoding="utf-8")
    assert stylesheets(app, "plain.html") == [first]
    assert (Path(app.outdir) / "_static" / first).read_text(encoding="utf-8") == served
