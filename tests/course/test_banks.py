"""The course's question banks meet what the course promises its students and teachers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sourcebook import load_bank, model
from sourcebook.pages import read_page

REPO = Path(__file__).resolve().parents[2]
BANKS = {path.stem: load_bank(path) for path in sorted((REPO / "questions").glob("*.yml"))}
QUESTIONS = [q for bank in BANKS.values() for q in bank.questions]


def test_at_least_sixty_questions_of_every_type() -> None:
    assert len(QUESTIONS) >= 60
    assert {type(q) for q in QUESTIONS} == set(model.QUESTION_TYPES.values())


def test_every_question_has_a_standard_skill_and_feedback_or_an_explanation() -> None:
    for q in QUESTIONS:
        assert q.skill in model.STANDARD_SKILLS, q.id
        if isinstance(q, model.SingleChoice | model.MultipleAnswer):
            assert all(c.feedback.strip() for c in q.choices), q.id
        elif q.GRADED:
            both_ways = isinstance(q, model.TrueFalse) and bool(q.feedback_true and q.feedback_false)
            assert q.explanation.strip() or both_ways, q.id


def test_question_ids_are_unique_across_the_course() -> None:
    ids = [q.id for q in QUESTIONS]
    assert len(ids) == len(set(ids))


def test_evidence_points_at_real_paragraphs_of_the_report() -> None:
    cited = 0
    for bank in BANKS.values():
        assert bank.source_document is not None and bank.source_document.id == "nie-rongzhen-1960"
        for q in bank.questions:
            assert set(q.evidence) <= bank.source_document.anchors, q.id
            cited += bool(q.evidence)
    assert cited >= len(QUESTIONS) // 2


@pytest.mark.parametrize("page", sorted((REPO / "modules").glob("*/index.md")), ids=lambda p: p.parent.name)
def test_each_module_teaches_all_four_skills_and_quizzes_from_the_banks(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    guiding = text[text.index("## Guiding questions"):text.index("## Quiz")]
    headings = re.findall(r"^### (.+)$", guiding, flags=re.MULTILINE)
    assert headings == ["Sourcing", "Contextualization", "Corroboration", "Close reading"]
    quizzes = read_page(page, REPO).quizzes
    assert quizzes and all(call.bank.exists() for call in quizzes)
    skills = {q.skill for call in quizzes for q in load_bank(call.bank).questions}
    assert skills == set(model.STANDARD_SKILLS)
