"""A source file from elsewhere on the site: its texts are inert, its links only go to the web.

A source's ``summary`` and ``rights`` were parsed as MyST, so raw HTML ran in
the student's browser and directives worked (``{raw}`` injected script,
``{literalinclude}`` published any file the build could read). They are now
rendered like bank text. The hostile file is ``examples/hostile/sources/markup.yml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

pytestmark = [pytest.mark.book]

HOSTILE = Path(__file__).parent.parent / "examples" / "hostile" / "sources"
PAGE = "---\norphan: true\n---\n# Hostile source\n\n```{source-card} /sources/hostile.yml\n```\n"


def test_a_source_cards_texts_stay_text_and_read_no_file(build: Any) -> None:
    app = build("basic", files={"hostile.md": PAGE,
                                "sources/hostile.yml": (HOSTILE / "markup.yml").read_text(encoding="utf-8")})
    html = (Path(app.outdir) / "hostile.html").read_text(encoding="utf-8")
    card = BeautifulSoup(html, "html.parser").select_one(".sb-source-card")
    assert card is not None
    assert not card.find_all(["script", "img", "iframe", "object"])
    assert "window.__pwned" in card.get_text()  # shown, as text
    assert not [a for a in card.find_all("a") if not str(a["href"]).startswith("https://")]
    # The directive is a code fence like any other: empty, naming no file's content.
    assert [c.get_text() for c in card.select('code[class="language-{literalinclude}"]')] == ["", ""]
    assert "__version__" not in html and "import" not in card.get_text()


def test_a_source_with_a_script_link_fails_the_build_at_its_line(build: Any) -> None:
    app = build("basic", strict=False,
                files={"hostile.md": PAGE,
                       "sources/hostile.yml": (HOSTILE / "javascript-url.yml").read_text(encoding="utf-8")})
    assert "hostile.yml:7:14" in app.warnings and "bad-url" in app.warnings
    html = (Path(app.outdir) / "hostile.html").read_text(encoding="utf-8")
    assert "javascript:" not in html
