"""A quiz's fingerprint: students' saved progress applies only while it is unchanged, so its value must not
move when the code that computes it does, and it must follow every change of the questions."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest

from sourcebook import html, load_bank, model
from sourcebook.results import question_fingerprint

ROOT = Path(__file__).parent.parent
CONFORMANCE_BANK = Path(__file__).parent / "conformance" / "bank.yml"


def written_out(questions: list[model.Question] | tuple[model.Question, ...]) -> str:
    """The fingerprint as the hand-in format describes it: the questions' data as JSON with sorted keys, hashed."""
    data = json.dumps(model.to_data(list(questions)), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def test_the_fingerprints_students_have_saved_stay_the_same() -> None:
    bank = load_bank(CONFORMANCE_BANK)
    # Values the site wrote before the fingerprint was computed from each question's own text.
    assert html.fingerprint(bank.questions) == "fd83a0c0161349e9"
    assert question_fingerprint(bank.questions[0]) == "d463f77b547801c7"


@pytest.mark.parametrize("bank_path", sorted((ROOT / "questions").glob("*.yml")), ids=lambda p: p.stem)
def test_every_selection_of_a_course_bank_is_fingerprinted_as_written_out(bank_path: Path) -> None:
    questions = load_bank(bank_path).questions
    for chosen in (questions, questions[::-1], questions[1:3], questions[:1], ()):
        assert html.fingerprint(chosen) == written_out(chosen)
        assert html.fingerprint(chosen) == written_out(chosen)  # again, from the texts kept


def test_a_changed_question_changes_the_fingerprint_and_forgotten_texts_are_written_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    questions = load_bank(CONFORMANCE_BANK).questions
    before = html.fingerprint(questions)
    edited = [dataclasses.replace(questions[0], prompt=questions[0].prompt + " (edited)"), *questions[1:]]
    assert html.fingerprint(edited) == written_out(edited) != before
    monkeypatch.setattr(html, "_JSON_KEPT", 2)
    monkeypatch.setattr(html, "_question_texts", {})
    assert html.fingerprint(questions) == before
    assert len(html._question_texts) <= 2
