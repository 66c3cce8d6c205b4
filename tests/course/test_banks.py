"""The course's question banks meet what the course promises its students and teachers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sourcebook import load_bank, model, types
from sourcebook.pages import read_page

REPO = Path(__file__).resolve().parents[2]
BANKS = {path.stem: load_bank(path) for path in sorted((REPO / "questions").glob("*.yml"))}
QUESTIONS = [q for bank in BANKS.values() for q in bank.questions]
MODULES = sorted((REPO / "modules").glob("*/index.md"))
#: The document set: every card the banks may cite.
CARDS = {"zhou-1960", "recall-note-1960", "khrushchev-1960", "nie-13-2-60", "snie-13-4-64"}


def test_at_least_sixty_questions_of_every_type() -> None:
    assert len(QUESTIONS) >= 60
    assert {type(q) for q in QUESTIONS} == {kind.model for kind in types.registry().values()}


def test_every_question_has_a_standard_skill_and_feedback_or_an_explanation() -> None:
    for q in QUESTIONS:
        # Each of the four historical-thinking skills, the essay's tasks too (the fact sheet asks for one of them).
        assert q.skill in model.STANDARD_SKILLS, q.id
        if isinstance(q, types.SingleChoice | types.MultipleAnswer):
            assert all(c.feedback.strip() for c in q.choices), q.id
        elif q.GRADED:
            both_ways = isinstance(q, types.TrueFalse) and bool(q.feedback_true and q.feedback_false)
            assert q.explanation.strip() or both_ways, q.id


def test_question_ids_are_unique_across_the_course() -> None:
    ids = [q.id for q in QUESTIONS]
    assert len(ids) == len(set(ids))


def test_every_evidence_reference_resolves_to_the_report_or_a_card_of_the_document_set() -> None:
    cited = 0
    cards_cited: set[str] = set()
    for bank in BANKS.values():
        assert bank.source_document is not None and bank.source_document.id == "nie-rongzhen-1960"
        assert {d.id for d in bank.document_sources} <= CARDS and all(d.card for d in bank.document_sources)
        for q in bank.questions:
            for reference in q.evidence:
                found = bank.cite(reference)
                assert found is not None, f"{q.id}: {reference}"
                if found.source.card:
                    cards_cited.add(found.source.id)
            cited += bool(q.evidence)
    assert cited >= len(QUESTIONS) // 2
    assert cards_cited == CARDS  # every document of the set is used as evidence somewhere


def test_corroboration_questions_check_the_report_against_another_voice() -> None:
    # The synthesis bank's corroboration questions cite a document of the set, not only the report.
    bank = BANKS["06-was-nie-right"]
    corroborating = [q for q in bank.questions if q.skill == "corroboration" and q.GRADED]
    assert corroborating
    for q in corroborating:
        assert any("#" in reference for reference in q.evidence), q.id


@pytest.mark.parametrize("page", sorted((REPO / "modules").glob("*/index.md")), ids=lambda p: p.parent.name)
def test_each_module_teaches_all_four_skills_and_quizzes_from_the_banks(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    guiding = text[text.index("## Guiding questions"):text.index("## Quiz")]
    headings = re.findall(r"^### (.+)$", guiding, flags=re.MULTILINE)
    assert headings == ["Sourcing", "Contextualization", "Corroboration", "Close reading"]
    quizzes = read_page(page, REPO).quizzes
    assert quizzes and all(call.bank.exists() for call in quizzes)
    skills = {q.skill for call in quizzes for q in load_bank(call.bank).questions}
    assert set(model.STANDARD_SKILLS) == skills


def _bold_question(text: str) -> str:
    match = re.search(r"\*\*(.+?\?)\*\*", text, flags=re.DOTALL)
    assert match, text[:200]
    return " ".join(match[1].split())


@pytest.mark.parametrize("page", MODULES, ids=lambda p: p.parent.name)
def test_each_module_names_its_central_question_at_the_top_and_answers_it_last(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    sections = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert sections[0] == "Central question", sections
    top = text[text.index("## Central question"):text.index("\n## ", text.index("## Central question") + 5)]
    question = _bold_question(top)
    # The last task comes after the quizzes and asks the same question.
    assert sections.index("Answering the central question") > sections.index("Quiz")
    start = text.index("## Answering the central question")
    last = text[start:text.index("\n## ", start + 5)]
    if question != "Was Nie right?":
        assert _bold_question(last) == question
        assert "{model-answer}" in last
    else:  # module 6: the essay, with its rubric, is the answer
        assert "essay" in last and "rubric" in last


def test_module_timings_allow_for_the_quiz() -> None:
    # About a minute and a half per question: a quiz of n questions gets at least 1.25 n minutes.
    for page in MODULES:
        text = page.read_text(encoding="utf-8")
        note = text[text.index("{instructor-note}"):]
        minutes = re.search(r"(\d+) minutes[:,]\s+(?:the\s+)?(?:first\s+)?quiz", note)
        count = re.search(r"(\d+)\s+questions", note)
        assert minutes and count, page.parent.name
        assert int(minutes[1]) >= 1.25 * int(count[1]), page.parent.name
        bank = load_bank(read_page(page, REPO).quizzes[0].bank)
        assert int(count[1]) == len(bank.questions), page.parent.name
