"""What the site's search finds of a quiz: its title and its questions, not its choices, feedback or
explanations (the answers' words would be listed beside the pages, and indexing them cost a quarter of a
large course's build)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.book]


def _terms(app: Any) -> dict[str, Any]:
    text = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    match = re.fullmatch(r"Search\.setIndex\((.*)\)\s*", text, flags=re.DOTALL)
    assert match, text[:200]
    terms: dict[str, Any] = json.loads(match[1])["terms"]
    return terms


def test_the_search_finds_a_quiz_by_its_questions_not_by_its_answers(build_mini: Callable[..., Any]) -> None:
    app = build_mini()
    docnames = app.builder.indexer._titles  # docname -> title, in the index's order
    module = sorted(docnames).index("modules/01-first/index")
    terms = _terms(app)

    def pages(word: str) -> list[int]:
        found = terms.get(app.builder.indexer.lang.stem(word), [])
        return [found] if isinstance(found, int) else list(found)

    # Words only the quiz's questions hold: "addressed" (To whom is the report addressed?), "isolate".
    assert module in pages("addressed") and module in pages("isolate")
    # Words only its choices and feedback hold: "annotated" (Zhou annotated the report later), "opposite",
    # "Khrushchev" (a wrong choice).
    assert pages("annotated") == pages("opposite") == pages("Khrushchev") == []
    # The quiz is still on the page, feedback and all.
    page = (Path(app.outdir) / "modules" / "01-first" / "index.html").read_text(encoding="utf-8")
    assert "Zhou annotated the report later" in page and "To whom is the report addressed?" in page
