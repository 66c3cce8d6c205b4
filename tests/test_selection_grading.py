"""Question selection, the grading helpers around `grade`, and safe Markdown."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from pathlib import Path

import pytest

from sourcebook import load_bank, model, read_bank, types
from sourcebook.grading import correct_response, grade, normalise, parse_number, summarise
from sourcebook.markdown import render, render_inline
from sourcebook.selection import SelectionError, arrange, display_order, select

BANK = load_bank(Path(__file__).parent / "conformance" / "bank.yml")
EVERY_TYPE = load_bank(Path(__file__).parent / "examples" / "valid" / "every-type.yml")


def ids(questions: list[model.Question]) -> list[str]:
    return [q.id for q in questions]


def test_select_by_ids_keeps_the_order_asked_for() -> None:
    assert ids(select(BANK.questions, ids=["open", "single"])) == ["open", "single"]


def test_select_by_unknown_id_says_what_exists() -> None:
    with pytest.raises(SelectionError, match="did you mean `single`"):
        select(BANK.questions, ids=["singel"])


def test_select_by_skill_is_forgiving_about_spelling_of_separators() -> None:
    chosen = select(EVERY_TYPE.questions, skills=["Close-Reading"])
    assert ids(chosen) == ["soviet-tactics", "isolation", "not-isolation"]
    with pytest.raises(SelectionError, match="skills in the bank"):
        select(EVERY_TYPE.questions, skills=["geography"])


def test_count_and_shuffle_are_reproducible_with_a_seed() -> None:
    first = ids(select(BANK.questions, count=5, shuffle=True, seed=7))
    assert first == ids(select(BANK.questions, count=5, shuffle=True, seed=7))
    assert len(first) == 5 and len(set(first)) == 5
    draws = {tuple(ids(select(BANK.questions, count=5, seed=s))) for s in range(20)}
    assert len(draws) > 1  # different seeds draw differently
    unshuffled = ids(select(BANK.questions, count=5, seed=7))
    order = [q.id for q in BANK.questions]
    assert unshuffled == sorted(unshuffled, key=order.index)  # a draw alone keeps the bank's order


def test_count_larger_than_the_bank_is_refused_with_the_banks_size() -> None:
    """A draw of more questions than there are would quietly be a quiz of all of them: not what was asked."""
    assert len(select(BANK.questions, count=len(BANK.questions))) == len(BANK.questions)
    with pytest.raises(SelectionError, match=f"`count` is 999, but the bank has only {len(BANK.questions)} "
                                             f"questions: ask for {len(BANK.questions)} or fewer"):
        select(BANK.questions, count=999)
    with pytest.raises(SelectionError):
        select(BANK.questions, count=0)


def test_ordering_items_are_always_mixed_other_choices_only_when_asked() -> None:
    ordering = BANK.question("ordering")
    single = BANK.question("single")
    for seed in range(10):
        assert display_order(ordering, 4, shuffle=False, rng=random.Random(seed)) != [0, 1, 2, 3]
    assert display_order(single, 3, shuffle=False, rng=random.Random(1)) == [0, 1, 2]
    orders = {tuple(display_order(single, 3, shuffle=True, rng=random.Random(s))) for s in range(10)}
    assert len(orders) > 1


COURSE = sorted((Path(__file__).parent.parent / "questions").glob("*.yml"))


def right_places(questions: Sequence[model.Question], key: str | None, seed: int | str | None = None) -> list[int]:
    """Where the right choices of the choice questions stand, as a quiz arranges them."""
    arrangement = arrange(questions, shuffle=False, seed=seed, key=key)
    return [place for q in questions if isinstance(q, types.SingleChoice | types.MultipleAnswer)
            for place, index in enumerate(arrangement.order(q)) if q.choices[index].correct]


def test_choices_are_mixed_by_default_so_the_right_answer_is_not_always_first() -> None:
    questions = [q for path in COURSE for q in load_bank(path).questions]
    in_bank = [n for q in questions if isinstance(q, types.SingleChoice | types.MultipleAnswer)
               for n, c in enumerate(q.choices) if c.correct]
    places = right_places(questions, key="page:bank:1")
    assert len(places) == len(in_bank) > 10
    # The course's banks list right answers first; arranged, no place holds most of them.
    assert max(places.count(p) for p in set(places)) < len(places) / 2
    # Printed (and seeded) orders are the same every time; a notebook without either mixes afresh.
    assert places == right_places(questions, key="page:bank:1")
    assert right_places(questions, None, seed=3) == right_places(questions, None, seed=3)
    assert len({tuple(right_places(questions, None)) for _ in range(5)}) > 1


def test_shuffle_false_keeps_the_bank_order_and_says_whether_a_browser_mixes() -> None:
    single = BANK.question("single")
    kept = dataclasses.replace(single, id="kept", shuffle=False)
    for key, seed in (("k", None), (None, 5), ("k", "x")):
        arrangement = arrange([kept, single], shuffle=False, seed=seed, key=key)
        assert arrangement.order(kept) == [0, 1, 2]
        assert arrangement.choices_per_student is (seed is None)
        assert [q.id for q in arrangement.questions] == ["kept", "single"]
    assert {tuple(arrange([single], shuffle=False, seed=None, key=str(k)).order(single)) for k in range(10)} \
        != {(0, 1, 2)}


def test_kept_order_warns_only_when_the_right_answers_share_a_place(tmp_path: Path) -> None:
    example = Path(__file__).parent / "examples" / "invalid" / "answer-position.yml"
    text = example.read_text(encoding="utf-8")
    varied = text.replace("      - {text: Mao Zedong, correct: true, feedback: Named in the salutation.}\n"
                          "      - {text: Liu Shaoqi, feedback: Not named.}\n",
                          "      - {text: Liu Shaoqi, feedback: Not named.}\n"
                          "      - {text: Mao Zedong, correct: true, feedback: Named in the salutation.}\n")
    varied = varied.replace("      - {text: \"1960\", correct: true, feedback: The date line.}\n"
                            "      - {text: \"1958\", feedback: Two years early.}\n"
                            "      - {text: \"1964\", feedback: The year of the bomb.}\n",
                            "      - {text: \"1958\", feedback: Two years early.}\n"
                            "      - {text: \"1964\", feedback: The year of the bomb.}\n"
                            "      - {text: \"1960\", correct: true, feedback: The date line.}\n")
    assert varied.count("correct: true") == 3 and varied != text
    (tmp_path / "varied.yml").write_text(varied, encoding="utf-8")
    assert [p.code for p in read_bank(tmp_path / "varied.yml").problems] == []
    assert [p.code for p in read_bank(example).problems] == ["answer-position"]


def test_correct_response_earns_full_marks_for_every_graded_type() -> None:
    for question in BANK.questions + EVERY_TYPE.questions:
        response = correct_response(question)
        result = grade(question, response)
        if question.GRADED:
            assert result.correct and result.points == question.points, question.id
        else:
            assert response is None and result.score is None


def test_summary_adds_partial_credit_per_skill_and_leaves_out_open_questions() -> None:
    results = {
        "addressee": grade(EVERY_TYPE.question("addressee"), 0),
        "soviet-tactics": grade(EVERY_TYPE.question("soviet-tactics"), [0]),
        "isolation": grade(EVERY_TYPE.question("isolation"), True),
        "was-he-right": grade(EVERY_TYPE.question("was-he-right"), "Yes, in 1970."),
    }
    summary = summarise(EVERY_TYPE.questions, results)
    graded = [q for q in EVERY_TYPE.questions if q.GRADED]
    assert summary.max_points == sum(q.points for q in graded) == 10
    assert summary.points == 1 + 1 + 0
    close = summary.by_skill["close reading"]
    assert (close.points, close.max_points, close.questions) == (1, 4, 3)
    assert "corroboration" in summary.by_skill and summary.by_skill["corroboration"].questions == 1


def test_feedback_follows_the_response() -> None:
    single = EVERY_TYPE.question("addressee")
    assert grade(single, 1).feedback == ("Nie writes about the Soviet side, not to it.",)
    tf = EVERY_TYPE.question("isolation")
    assert "opposite" in grade(tf, True).feedback[0]


@pytest.mark.parametrize("text,expected", [
    ("  ＡＢＣ  ", "abc"), ("‘quoted’", "quoted"), ("a\u00a0\u2003b", "a b"), ("...Mao!", "mao"), ("", "")])
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("1,390", 1390.0), ("1 390", 1390.0), ("-2.5", -2.5), ("10 years", 10.0), ("1,39", None), ("ten", None),
    ("", None)])
def test_parse_number(text: str, expected: float | None) -> None:
    assert parse_number(text, "years") == expected


def test_markdown_from_banks_cannot_carry_script() -> None:
    hostile = '<script>alert(1)</script> <img src=x onerror="alert(2)"> [link](javascript:alert(3))'
    html = render(hostile)
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html
    assert render_inline("*a* [b](https://example.org)") == '<em>a</em> <a href="https://example.org">b</a>'
