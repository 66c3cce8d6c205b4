"""Worksheets as printed: Chromium prints the students' sheet and the key to PDF, and the PDF's text is read back.

This is what a teacher's printer gets: the questions on both, the answers
only on the key, and nothing that the print styles hide (the screen note).
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from sourcebook.loader import load_bank
from sourcebook.types import MultipleAnswer, SingleChoice
from sourcebook.worksheet import worksheet_html, worksheet_quiz

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("worksheet-pdf")]

BANK = Path(__file__).parent / "teacher" / "every-type.yml"

QUESTIONS = ["Which capital did the experts answer to", "Which tactics does Nie list", "Put these events in the",
             "Match each person with the office", "The first Soviet satellite was called", "Was Nie right to trust"]
ANSWERS = ["Answer: False", "accepted from 1380 to 1400", "Dang de wenxian",
           "Right order", "Right pairs", "Sputnik", "Model-answer-text", "Rubric-criterion", "Explanation-single"]


def shared_serve(request: pytest.FixtureRequest) -> Any:
    """The ``serve`` helper of the shared tests/conftest.py (imported by pytest, not by name)."""
    tests = Path(__file__).parent
    conftest = next(p for p in request.config.pluginmanager.get_plugins()
                    if getattr(p, "__file__", None) == str(tests / "conftest.py"))
    return conftest.serve


def pdf_text(page: Any, base: str, name: str) -> str:
    page.goto(f"{base}/{name}")
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    # Lines may break anywhere in a PDF: compare with white space collapsed. Chromium may set
    # "ff" or "fi" as one ligature glyph, which reads back as "ﬀ": compatibility normalisation
    # turns it into the letters again.
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in reader.pages))
    return " ".join(text.split())


def test_printed_sheet_and_key(page: Any, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    bank = load_bank(BANK)
    quiz = worksheet_quiz(bank, bank.questions, shuffle=False, seed=None, key="pdf")
    (tmp_path / "sheet.html").write_text(worksheet_html("Every type", [quiz], back="index.html"), encoding="utf-8")
    (tmp_path / "key.html").write_text(worksheet_html("Every type", [quiz], key=True), encoding="utf-8")
    base, server = shared_serve(request)(tmp_path)
    try:
        sheet = pdf_text(page, base, "sheet.html")
        key = pdf_text(page, base, "key.html")
    finally:
        server.shutdown()
    for text in (sheet, key):
        for question in QUESTIONS:
            assert question in text
        assert "this note does not print" not in text
        assert "Back to the module page" not in text
    assert "WORKSHEET" in sheet.upper().split("EVERY TYPE")[0] and "Name:" in sheet
    assert "ANSWER KEY" in key.upper()
    # Choices are mixed: the right ones' letters come from the printed order.
    letters = {}
    for qid in ("single", "multiple"):
        q = bank.question(qid)
        assert isinstance(q, SingleChoice | MultipleAnswer)
        order = quiz.arrangement.order(q)
        letters[qid] = ", ".join(sorted("ABCDEFGH"[order.index(i)] for i, c in enumerate(q.choices) if c.correct))
    for answer in [*ANSWERS, f"Answer: {letters['single']}", f"Answers: {letters['multiple']}"]:
        assert answer in key
        assert answer not in sheet
    assert "✓" in key and "✓" not in sheet


def test_a_sheet_fits_a_narrow_phone_and_links_back_to_its_module(page: Any, tmp_path: Path) -> None:
    bank = load_bank(BANK)
    quiz = worksheet_quiz(bank, bank.questions, shuffle=False, seed=None, key="narrow")
    (tmp_path / "sheet.html").write_text(worksheet_html("Every type", [quiz], back="index.html"), encoding="utf-8")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto((tmp_path / "sheet.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.get_by_role("link", name="Back to the module page").get_attribute("href") == "index.html"
    # The matching question's two lists stand side by side where there is room, one above the other here.
    columns = page.locator('section[data-id="matching"] .ws-match-columns > *')
    boxes = [columns.nth(i).bounding_box() for i in range(2)]
    assert boxes[1]["y"] >= boxes[0]["y"] + boxes[0]["height"] - 1
    page.set_viewport_size({"width": 900, "height": 640})
    boxes = [columns.nth(i).bounding_box() for i in range(2)]
    assert boxes[0]["y"] == boxes[1]["y"] and boxes[1]["x"] > boxes[0]["x"]
    assert page.locator(".ws-matching").count() == 1  # the question's section only
