"""Headless tests of the notebook quiz: build it, set widget values, press buttons, read the results.

No browser and no kernel: ipywidgets run in plain Python, and ``Button.click()``
calls the same handlers a student's click would.
"""

from __future__ import annotations

import importlib
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

from sourcebook import BankError, load_bank, markdown, quiz
from sourcebook.formatting import format_number
from sourcebook.grading import grade
from sourcebook.selection import QuizOptionError, SelectionError
from sourcebook.types.controls import is_shown
from sourcebook.widgets import QuestionRecord, QuestionView, Quiz

HERE = Path(__file__).parent
CONFORMANCE = HERE / "conformance" / "bank.yml"
HINTS = HERE / "widgets" / "hints.yml"


def controls(view: QuestionView) -> Any:
    """The question's control, whose widgets (radio, text, boxes...) depend on its type."""
    return view.control


def text_of(widget: Any) -> str:
    """What an HTML widget says, tags dropped."""
    return re.sub(r"<[^>]+>", "", widget.value)


def descendants(widget: Any) -> Iterator[Any]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def visible_descendants(widget: Any) -> Iterator[Any]:
    if not is_shown(widget):
        return
    yield widget
    for child in getattr(widget, "children", ()):
        yield from visible_descendants(child)


@pytest.fixture
def conformance() -> Quiz:
    made: Quiz = quiz(CONFORMANCE, seed=7)
    return made


@pytest.fixture
def hinted() -> Quiz:
    made: Quiz = quiz(HINTS)
    return made


def answer_right(q: Quiz, question_id: str) -> None:
    """Enter the right answer through the widgets, as a student would."""
    view = q.view(question_id)
    c: Any = view.control
    question: Any = view.question
    kind = question.TYPE
    if kind == "single":
        c.radio.value = next(i for i, ch in enumerate(question.choices) if ch.correct)
    elif kind == "multiple":
        for i, box in c.boxes.items():
            box.value = question.choices[i].correct
    elif kind == "evidence":
        for i, box in c.boxes.items():
            box.value = question.paragraphs[i].correct
    elif kind == "true-false":
        c.radio.value = question.answer
    elif kind == "numeric":
        c.text.value = format_number(question.low)
    elif kind == "short":
        c.text.value = question.answers[0]
    elif kind == "ordering":
        # Bubble each item up with the Move up buttons until the order is right.
        for _ in range(len(c.order) ** 2):
            for position in range(1, len(c.order)):
                if c.order[position] < c.order[position - 1]:
                    c.up[position].click()
    elif kind == "matching":
        for dropdown, pair in zip(c.dropdowns, question.pairs, strict=True):
            dropdown.value = pair.right
    elif kind == "blanks":
        for name, gap in c.gaps.items():
            gap.value = question.blanks[name].answers[0]
    elif kind == "open":
        c.text.value = "Nie was right, because ..."


# --- every question type --------------------------------------------------------


@pytest.mark.parametrize("question_id", [q.id for q in load_bank(CONFORMANCE).questions])
def test_every_type_right_answer_through_the_widgets(conformance: Quiz, question_id: str) -> None:
    view = conformance.view(question_id)
    answer_right(conformance, question_id)
    view.check_button.click()
    record = conformance.results[[r.id for r in conformance.results].index(question_id)]
    assert record.attempts == 1
    if view.question.GRADED:
        assert "✓ Right." in text_of(view.message)
        assert record.correct is True
        assert record.points == view.question.points
        assert conformance.score == view.question.points
        assert grade(view.question, record.response).correct
    else:
        assert record.correct is None and record.points == 0
        assert conformance.score == 0
        # Written and saved: the student may still revise it and save again, as on the site.
        assert view.check_button.description == "Save" and not view.check_button.disabled
        assert not any(w.disabled for w in view.control.inputs())
        controls(view).text.value = "Nie was right, and here is why: ..."
        view.check_button.click()
        assert conformance.results[[r.id for r in conformance.results].index(question_id)].response \
            == "Nie was right, and here is why: ..."
        return
    # Answered right: the question is over.
    assert view.check_button.disabled
    assert not is_shown(view.try_button) and not is_shown(view.reveal_button)
    assert all(w.disabled for w in view.control.inputs())


@pytest.mark.parametrize("bank", sorted((HERE.parent / "questions").glob("*.yml")), ids=lambda p: p.stem)
def test_every_course_bank_can_be_answered_in_full(bank: Path) -> None:
    q = quiz(bank, shuffle=True, seed=3)
    for view in q.views:
        answer_right(q, view.question.id)
        view.check_button.click()
    assert q.max_score > 0 and q.score == q.max_score
    assert all(r.attempts == 1 for r in q.results)


def test_every_input_is_named_for_screen_readers(conformance: Quiz, hinted: Quiz) -> None:
    for q in (conformance, hinted):
        for view in q.views:
            for w in view.control.inputs():
                assert w.description.strip(), f"{view.question.id}: unnamed {type(w).__name__}"
            for w in descendants(view.widget):
                if isinstance(w, widgets.Button):
                    assert w.description.strip() or w.tooltip


def test_focus_order_follows_reading_order(hinted: Quiz) -> None:
    view = hinted.view("addressee")
    view.hint_button.click()
    view.check_button.click()  # nothing chosen: a message appears
    controls(view).radio.value = 1
    view.check_button.click()
    order = [w for w in visible_descendants(view.widget) if not isinstance(w, widgets.Box)]
    heading, radio = order.index(view.heading), order.index(controls(view).radio)
    check, hint = order.index(view.check_button), order.index(view.hint_boxes[0])
    message, feedback = order.index(view.message), order.index(view.feedback)
    assert heading < radio < check < hint < message < feedback
    # The quiz reads: title, questions in order, score, reset (then any error of a callback).
    top = list(hinted.widget.children)
    assert [top.index(v.widget) for v in hinted.views] == list(range(1, len(hinted.views) + 1))
    assert top[-3:] == [hinted.score_line, hinted.reset_button, hinted.callback_errors]


def test_keyboard_focus_moves_to_what_comes_next(hinted: Quiz, monkeypatch: pytest.MonkeyPatch) -> None:
    focused: list[Any] = []
    monkeypatch.setattr(widgets.DOMWidget, "focus", lambda self: focused.append(self))
    view = hinted.view("addressee")
    controls(view).radio.value = 1
    view.check_button.click()  # the Check button is disabled now
    assert focused == [view.try_button]
    view.try_button.click()
    assert focused[-1] is controls(view).radio
    once = hinted.view("once")
    controls(once).radio.value = False
    once.check_button.click()
    assert focused[-1] is once.reveal_button


# --- check, attempts, try again, reveal ---------------------------------------------


def test_nothing_chosen_uses_no_attempt(hinted: Quiz) -> None:
    view = hinted.view("addressee")
    view.check_button.click()
    assert "Give an answer first." in text_of(view.message)
    assert view.attempts == 0 and not view.check_button.disabled
    assert hinted.results[0].attempts == 0 and hinted.results[0].response is None


def test_not_a_number_uses_no_attempt_and_numbers_may_group_thousands(hinted: Quiz) -> None:
    view = hinted.view("experts")
    controls(view).text.value = "many"
    view.check_button.click()
    assert "Type a number" in text_of(view.message)
    assert view.attempts == 0
    controls(view).text.value = "1,390 experts"
    view.check_button.click()
    assert "✓ Right." in text_of(view.message)
    assert view.record().response == "1,390 experts"


def test_a_decimal_comma_is_asked_with_a_point_and_uses_no_attempt(conformance: Quiz) -> None:
    view = conformance.view("numeric-range")  # 9.5 to 10 years
    controls(view).text.value = "9,7 years"
    view.check_button.click()
    assert text_of(view.message) == "⚠ Type decimals with a point, for example 9.7 years."
    assert view.attempts == 0
    controls(view).text.value = "nine"  # not a number at all: the grader's own message
    view.check_button.click()
    assert text_of(view.message) == "⚠ Type a number, for example 1957."


def test_wrong_then_try_again_then_right(hinted: Quiz) -> None:
    view = hinted.view("addressee")
    controls(view).radio.value = 1
    view.check_button.click()
    assert text_of(view.message) == "✗ Not right. Attempts left: 1."
    # Only the chosen choice is marked while attempts remain: no give-away.
    feedback = text_of(view.feedback)
    assert "✗ Nikita Khrushchev: wrong (your choice)." in feedback
    assert "not about the Soviet Union" not in feedback and "Mao Zedong" not in feedback
    assert "The report is about the Soviet Union, not to it." in feedback
    assert controls(view).radio.disabled and view.check_button.disabled
    assert is_shown(view.try_button) and not is_shown(view.reveal_button)
    assert not is_shown(view.explanation)

    view.try_button.click()
    assert not controls(view).radio.disabled and not view.check_button.disabled
    assert not is_shown(view.try_button) and view.feedback.value == ""
    controls(view).radio.value = 0
    view.check_button.click()
    record = view.record()
    assert record.attempts == 2 and record.correct is True and record.response == 0
    # Finished: every choice is marked, with its feedback.
    feedback = text_of(view.feedback)
    assert "✓ Mao Zedong and the Central Committee: right (your choice)." in feedback
    assert "✗ Nikita Khrushchev: wrong (not chosen)." in feedback
    assert "Zhou annotated it later." in feedback


def test_the_same_wrong_answer_again_or_a_second_click_uses_no_attempt(hinted: Quiz) -> None:
    view = hinted.view("addressee")
    controls(view).radio.value = 1
    view.check_button.click()
    view.check_button.click()  # a double click: its second click comes once the question is checked
    assert view.attempts == 1
    view.try_button.click()
    view.check_button.click()  # the answer checked already, unchanged: as on the site, it costs nothing
    assert view.attempts == 1 and not view.check_button.disabled
    assert text_of(view.message) == "⚠ This is the answer you checked already. Change it, then check again."
    controls(view).radio.value = 0
    view.check_button.click()
    assert view.attempts == 2 and view.record().correct is True


def test_every_message_comes_into_the_page_as_an_alert_shown_and_new(hinted: Quiz) -> None:
    """Screen readers say a live region put into the page with its text only if it is an alert, and only if it
    is shown by then: each message must reach the page as a new ``role="alert"``, in a widget already shown,
    even when it says the same as the one before."""
    view = hinted.view("addressee")
    came: list[tuple[str, bool]] = []  # each value the page receives, and whether the widget was shown then
    view.message.observe(lambda change: came.append((change["new"], is_shown(view.message))), "value")

    view.check_button.click()  # nothing chosen
    view.check_button.click()  # again: the same message
    controls(view).radio.value = 1
    view.check_button.click()
    view.try_button.click()
    said = [value for value, _ in came if value]
    assert [re.sub(r"<[^>]+>", "", value) for value in said] == [
        "⚠ Give an answer first.", "⚠ Give an answer first.", "✗ Not right. Attempts left: 1.", "Attempts left: 1."]
    assert all(shown for value, shown in came if value)
    assert all(value.count('role="alert"') == 1 and "role=\"status\"" not in value for value in said)
    assert came[1] == ("", True)  # the repeated message taken away first, so that it comes in again

    view.reset()
    assert view.message.value == "" and not is_shown(view.message)


def test_show_answer_after_the_attempts_keeps_the_students_score(hinted: Quiz) -> None:
    view = hinted.view("once")  # one attempt, 2 points
    controls(view).radio.value = False
    view.check_button.click()
    assert text_of(view.message) == "✗ Not right. No attempts left."
    assert "Look at the date line." in text_of(view.feedback)
    assert not is_shown(view.try_button) and is_shown(view.reveal_button)
    assert is_shown(view.explanation)
    view.try_button.click()  # hidden, and does nothing if pressed anyway
    assert controls(view).radio.disabled

    view.reveal_button.click()
    assert controls(view).radio.value is True
    assert "The right answer is shown." in text_of(view.message)
    # The controls show the right answer; the feedback is still about the student's own choice.
    assert "✓ True: right (not chosen)." in text_of(view.feedback)
    assert "✗ False: wrong (your choice)." in text_of(view.feedback)
    assert not is_shown(view.reveal_button)
    record = view.record()
    assert record.revealed and record.response is False and record.correct is False and record.points == 0
    assert hinted.score == 0


def test_partial_credit_in_score_and_message(conformance: Quiz) -> None:
    view = conformance.view("multiple")  # 2 points, right choices 0 and 2
    controls(view).boxes[0].value = True
    view.check_button.click()
    assert text_of(view.message) == "◐ Partly right: 50%. Attempts left: 1."
    assert conformance.score == 1.0
    assert view.record().response == [0]
    assert "Score: 1 of 16 points" in text_of(conformance.score_line)


def test_hints_one_at_a_time(hinted: Quiz) -> None:
    view = hinted.view("addressee")
    assert view.hint_button.description == "Show hint (1 of 2)"
    assert not any(is_shown(h) for h in view.hint_boxes)
    view.hint_button.click()
    assert [is_shown(h) for h in view.hint_boxes] == [True, False]
    assert "Read the first line." in text_of(view.hint_boxes[0])
    assert view.hint_button.description == "Show hint (2 of 2)"
    view.hint_button.click()
    assert all(is_shown(h) for h in view.hint_boxes)
    assert view.hint_button.disabled and view.hint_button.description == "No more hints"
    assert view.record().hints == 2
    assert not is_shown(hinted.view("once").hint_button)  # no hints, no button


def test_a_hint_comes_into_the_page_as_an_alert_when_it_is_shown(hinted: Quiz) -> None:
    """As the site says a hint in its live region, the notebook's comes in as an alert, in a box shown by then;
    a hint not shown yet is not in the page (nor in the widgets' state a notebook may save)."""
    view = hinted.view("addressee")
    assert [h.value for h in view.hint_boxes] == ["", ""]
    came: list[tuple[int, str, bool]] = []
    for n, box in enumerate(view.hint_boxes):
        box.observe(lambda change, n=n, box=box: came.append((n, change["new"], is_shown(box))), "value")
    view.hint_button.click()
    view.check_button.click()  # nothing chosen: the hint shown stays as it is, not said again
    view.hint_button.click()
    assert [(n, text_of_markup(value), shown) for n, value, shown in came] == [
        (0, "Hint 1 of 2: Read the first line.", True),
        (1, "Hint 2 of 2: The name in brackets was added by the translator.", True)]
    assert all('<div class="sb-hint" role="alert">' in value for _, value, _ in came)
    view.reset()
    assert [h.value for h in view.hint_boxes] == ["", ""] and not any(is_shown(h) for h in view.hint_boxes)
    view.hint_button.click()  # shown again after a reset: it comes in, and is said, again
    assert came[-1] == (0, came[0][1], True)


def text_of_markup(value: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", value)).replace(" :", ":").strip()


def test_explanation_quotes_the_cited_paragraphs(hinted: Quiz) -> None:
    view = hinted.view("addressee")
    source = hinted.bank.source_document
    assert source is not None
    assert not is_shown(view.explanation)
    controls(view).radio.value = 0
    view.check_button.click()
    assert is_shown(view.explanation)
    text = text_of(view.explanation)
    assert "The salutation says so." in text
    assert "Evidence in the source:" in text
    assert f"salutation: {source.paragraph('salutation').text}" in text
    p1 = source.paragraph("p1").text
    assert "¶1: " + p1[:40] in text.replace("&#x27;", "'").replace("&quot;", '"')


def test_bank_text_is_never_html(hinted: Quiz) -> None:
    view = hinted.view("addressee")
    labels = [label for label, _ in controls(view).radio.options]
    # Markdown becomes plain labels; the would-be tag stays visible text.
    assert "Mao Zedong and the Central Committee" in labels  # choices are mixed: look them up by text
    assert "Zhou Enlai <script>alert(1)</script>" in labels
    assert "<em>report</em>" in view.heading.value
    controls(view).radio.value = 2
    view.check_button.click()
    for w in descendants(hinted.widget):
        if isinstance(w, widgets.HTML):
            assert "<script" not in w.value


def test_ordering_moves_with_buttons(conformance: Quiz) -> None:
    view = conformance.view("ordering")
    c: Any = view.control
    start = list(c.order)
    assert start != [0, 1, 2, 3]
    assert c.up[0].disabled and c.down[-1].disabled and not c.up[1].disabled
    c.down[0].click()
    assert c.order == [start[1], start[0], *start[2:]]
    assert "now at position 2 of 4" in c.status.value
    assert c.labels[1].value.startswith("2. ")
    assert c.up[1].tooltip.startswith("Move up: ")
    view.check_button.click()
    result = grade(view.question, c.order)
    assert view.record().score == result.score
    lines = text_of(view.feedback)
    assert lines.count("position ") == 4
    assert lines.count("✓") == sum(result.parts)
    assert all(b.disabled for b in c.up + c.down)  # locked after checking
    c.up[1].click()
    assert view.record().response == c.order  # a locked list does not move


def test_matching_partial_credit(conformance: Quiz) -> None:
    view = conformance.view("matching")
    c: Any = view.control
    assert [d.value for d in c.dropdowns] == [None, None, None]
    assert c.dropdowns[0].options[0] == ("(choose)", None)
    assert [d.description for d in c.dropdowns] == ["Nie Rongzhen", "Zhou Enlai", "He Yingqin"]
    c.dropdowns[0].value = "Vice Premier for science"
    c.dropdowns[1].value = "Head of state"
    view.check_button.click()
    assert text_of(view.message).startswith("◐ Partly right: 33%.")
    feedback = text_of(view.feedback)
    assert "✓ Nie Rongzhen → Vice Premier for science (right)." in feedback
    assert "✗ Zhou Enlai → Head of state (wrong)." in feedback
    assert "✗ He Yingqin → nothing chosen (wrong)." in feedback


def test_blanks_sit_in_the_text(conformance: Quiz) -> None:
    view = conformance.view("blanks")
    c: Any = view.control
    line = c.widget.children[0]
    kinds = [type(w).__name__ for w in line.children]
    assert kinds == ["HTML", "Text", "HTML", "Dropdown", "HTML"]
    assert text_of(line.children[0]) == "Sputnik flew in"
    assert c.gaps["year"].description == "Gap 1" and c.gaps["whom"].description == "Gap 2"
    assert [v for _, v in c.gaps["whom"].options] == [None, "Mao Zedong", "Khrushchev"]
    c.gaps["year"].value = " 1957 "
    view.check_button.click()
    assert view.record().response == {"year": " 1957 ", "whom": ""}
    assert view.record().score == 0.5
    feedback = text_of(view.feedback)
    assert "✓ Gap 1: “ 1957 ” (right)." in feedback and "✗ Gap 2: left empty (wrong)." in feedback


def test_markdown_around_a_gap_is_read_whole_as_on_the_site(tmp_path: Path) -> None:
    """Emphasis or a link that spans a gap is one in the bank's Markdown: each piece of text on either side
    shows it (no stray asterisks), and the gaps are in their places."""
    (tmp_path / "bank.yml").write_text(
        "title: Gaps\nquestions:\n  - id: b\n    type: blanks\n    skill: close reading\n"
        "    prompt: Fill the gaps.\n"
        "    text: \"*The report of [[year]]* went to **Mao and the [[body]] Committee**; see "
        "[the source](../source.html).\\n\\nIt asks for [[what]].\"\n"
        "    blanks:\n      year: {answers: ['1960']}\n      body: {answers: [Central]}\n"
        "      what: {answers: [self-reliance]}\n", encoding="utf-8")
    c: Any = quiz(tmp_path / "bank.yml").view("b").control
    first, second = c.widget.children
    assert [type(w).__name__ for w in first.children] == ["HTML", "Text", "HTML", "Text", "HTML"]
    assert [w.value for w in first.children if isinstance(w, widgets.HTML)] == [
        "<em>The report of </em>",
        "<em></em> went to <strong>Mao and the </strong>",
        '<strong> Committee</strong>; see <a href="../source.html">the source</a>.']
    assert "*" not in "".join(text_of(w) for w in first.children if isinstance(w, widgets.HTML))
    assert [type(w).__name__ for w in second.children] == ["HTML", "Text", "HTML"]
    assert list(c.gaps) == ["year", "body", "what"]


def test_open_response_shows_model_answer_and_rubric(conformance: Quiz) -> None:
    view = conformance.view("open")
    c: Any = view.control
    assert not is_shown(c.self_check)
    view.check_button.click()
    assert "Give an answer first." in text_of(view.message) and not is_shown(c.self_check)
    c.text.value = "He was right about self-reliance."
    view.check_button.click()
    assert is_shown(c.self_check)
    assert "A reasoned answer." in text_of(c.self_check.children[-1])
    assert c.rubric[0].description == "Uses evidence"
    c.rubric[0].value = True
    record = view.record()
    assert record.rubric == (0,) and record.correct is None and record.max_points == 0
    assert record.response == "He was right about self-reliance."
    assert conformance.max_score == 16  # 14 graded questions, two of 2 points; open responses never count


# --- the quiz: score, results, callbacks, reset ------------------------------------------


def test_results_score_and_skills(hinted: Quiz) -> None:
    assert hinted.max_score == 5 and hinted.score == 0
    assert [r.id for r in hinted.results] == ["addressee", "once", "experts", "untagged"]
    first = hinted.results[0]
    assert first == QuestionRecord(id="addressee", skill="sourcing", type="single", response=None, correct=None,
                                   points=0.0, max_points=1.0, score=None, attempts=0, hints=0, revealed=False)
    answer_right(hinted, "once")
    hinted.view("once").check_button.click()
    controls(hinted.view("untagged")).text.value = "Mao Zedong"
    hinted.view("untagged").check_button.click()
    assert "Mao received it." in text_of(hinted.view("untagged").feedback)
    assert hinted.score == 2
    skills = hinted.summary_by_skill()
    assert {k: (v.points, v.max_points, v.questions) for k, v in skills.items()} == {
        "sourcing": (0, 1, 1), "contextualization": (2, 3, 2), "corroboration": (0, 1, 1)}
    line = text_of(hinted.score_line)
    assert "Score: 2 of 5 points" in line and "contextualization: 2 of 3" in line
    assert hinted.results[1].as_dict() == {
        "id": "once", "skill": "contextualization", "type": "true-false", "response": True, "correct": True,
        "points": 2.0, "max_points": 2.0, "score": 1.0, "attempts": 1, "hints": 0, "revealed": False,
        "rubric": []}
    assert repr(hinted) == "<Quiz 'Widget test bank': 4 questions, score 2 of 5>"


def test_on_check_reports_every_graded_check(hinted: Quiz) -> None:
    seen: list[tuple[str, QuestionRecord, float]] = []

    def collect(question_id: str, record: QuestionRecord) -> None:
        seen.append((question_id, record, hinted.score))

    hinted.on_check(collect)
    view = hinted.view("addressee")
    view.check_button.click()  # nothing chosen: not graded, not reported
    assert seen == []
    controls(view).radio.value = 1
    view.check_button.click()
    view.try_button.click()
    controls(view).radio.value = 0
    view.check_button.click()
    assert [(i, r.response, r.correct, r.attempts) for i, r, _ in seen] == [
        ("addressee", 1, False, 1), ("addressee", 0, True, 2)]
    assert seen[-1][2] == 1  # the score already counts the check
    hinted.on_check(collect, remove=True)
    answer_right(hinted, "once")
    hinted.view("once").check_button.click()
    assert len(seen) == 2


def test_a_failing_callback_is_shown_under_the_quiz_and_the_others_still_run(
        hinted: Quiz, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[BaseException] = []

    class Shell:  # what Jupyter's output widget calls to show a traceback
        def showtraceback(self, exc_tuple: Any, tb_offset: int = 0) -> None:
            shown.append(exc_tuple[1])

    from ipywidgets.widgets import widget_output
    monkeypatch.setattr(widget_output, "get_ipython", lambda: Shell())
    seen: list[str] = []

    def broken(question_id: str, record: QuestionRecord) -> None:
        raise ValueError("a mistake in the teacher's callback")

    hinted.on_check(broken)
    hinted.on_check(lambda question_id, record: seen.append(question_id))
    assert hinted.callback_errors in hinted.widget.children
    answer_right(hinted, "once")
    hinted.view("once").check_button.click()
    assert seen == ["once"] and [str(e) for e in shown] == ["a mistake in the teacher's callback"]


def test_reset_clears_everything(hinted: Quiz) -> None:
    view = hinted.view("addressee")
    view.hint_button.click()
    controls(view).radio.value = 0
    view.check_button.click()
    other = hinted.view("once")
    controls(other).radio.value = False
    other.check_button.click()
    other.reveal_button.click()
    assert hinted.score == 1
    hinted.reset_button.click()
    assert hinted.score == 0 and "Score: 0 of 5 points" in text_of(hinted.score_line)
    for v in hinted.views:
        assert v.record() == QuestionRecord(
            id=v.question.id, skill=v.question.skill, type=v.question.TYPE, response=None, correct=None, points=0.0,
            max_points=v.question.points, score=None, attempts=0, hints=0, revealed=False)
        assert v.control.response() in (None, "")
        assert not v.check_button.disabled and not any(w.disabled for w in v.control.inputs())
        assert v.feedback.value == "" and not is_shown(v.message) and not is_shown(v.explanation)
        assert not is_shown(v.try_button) and not is_shown(v.reveal_button)
    assert not any(is_shown(h) for h in view.hint_boxes)
    assert view.hint_button.description == "Show hint (1 of 2)"


def test_reset_puts_the_ordering_back(conformance: Quiz) -> None:
    c: Any = conformance.view("ordering").control
    start = list(c.order)
    c.down[0].click()
    conformance.reset()
    assert c.order == start and c.status.value == ""


# --- selection and order ---------------------------------------------------------------


def test_select_by_ids_keeps_the_order_given() -> None:
    q = quiz(CONFORMANCE, ids=["short", "single"])
    assert [r.id for r in q.results] == ["short", "single"]
    assert "Question 1" in q.view("short").heading.value
    assert [r.id for r in quiz(CONFORMANCE, ids="open").results] == ["open"]


def test_select_by_skill() -> None:
    q = quiz(HINTS, skills="contextualization")
    assert [r.id for r in q.results] == ["once", "experts"]
    assert q.max_score == 3


def test_count_and_shuffle_are_reproducible_with_a_seed() -> None:
    def shown(q: Quiz) -> tuple[list[str], list[list[str]]]:
        ids = [r.id for r in q.results]
        orders = [[label for label, _ in controls(v).radio.options] for v in q.views if v.question.TYPE == "single"]
        return ids, orders

    first = quiz(CONFORMANCE, count=6, shuffle=True, seed=42)
    again = quiz(CONFORMANCE, count=6, shuffle=True, seed=42)
    assert len(first.results) == 6
    assert shown(first) == shown(again)
    seeds = {tuple(shown(quiz(CONFORMANCE, shuffle=True, seed=s))[0]) for s in range(6)}
    assert len(seeds) > 1, "shuffling with different seeds never changed the order"
    choice_orders = {tuple(quiz(CONFORMANCE, ids=["single"], shuffle=True, seed=s).views[0].control.order)
                     for s in range(12)}
    assert len(choice_orders) > 1, "choices were never shuffled"
    # Choices are mixed by default too (the right answer is not always first): with a seed, the same way each time.
    assert len({tuple(quiz(CONFORMANCE, ids=["single"]).views[0].control.order) for _ in range(12)}) > 1
    assert quiz(CONFORMANCE, ids=["single"], seed=3).views[0].control.order == \
        quiz(CONFORMANCE, ids=["single"], seed=3).views[0].control.order


def test_shuffled_choices_still_grade_by_bank_index() -> None:
    for seed in range(5):
        q = quiz(CONFORMANCE, ids=["single", "multiple"], shuffle=True, seed=seed)
        answer_right(q, "single")
        answer_right(q, "multiple")
        q.view("single").check_button.click()
        q.view("multiple").check_button.click()
        assert q.score == q.max_score == 3
        assert q.view("multiple").record().response == [0, 2]


def test_options_the_bank_cannot_meet() -> None:
    with pytest.raises(SelectionError, match="no question with id `singel`"):
        quiz(CONFORMANCE, ids=["singel"])
    with pytest.raises(SelectionError, match="skill `sourcing`"):
        quiz(CONFORMANCE, skills=["sourcing"])


BANK_01 = HERE.parent / "questions" / "01-meeting-the-source.yml"


@pytest.mark.parametrize(("options", "error", "says"), [
    ({"count": "5"}, QuizOptionError, "`count` should be a number, not the text '5': write count=5, without quotes"),
    ({"count": 0}, QuizOptionError, "1 or more, such as count=5, not 0"),
    ({"count": True}, QuizOptionError, "such as count=5, not True"),
    ({"count": 50}, SelectionError, "`count` is 50, but the bank has only 14 questions: ask for 14 or fewer, "
                                    "or leave `count` out to show them all"),
    ({"count": 8, "skills": "sourcing"}, SelectionError, "but the skills asked for leave only 7 questions: "
                                                         "ask for 7 or fewer"),
    ({"language": "fr"}, QuizOptionError, "there is no interface in 'fr'; the languages there are: "
                                          'language="en", language="zh_CN"'),
    ({"n": 5}, QuizOptionError, "quiz() has no option `n`; did you mean `count`? its options are ids, skills, "
                                "count, shuffle, seed, language"),
    ({"skill": "sourcing"}, QuizOptionError, "quiz() has no option `skill`; did you mean `skills`?"),
    ({"id": "m1-author"}, QuizOptionError, "quiz() has no option `id`; did you mean `ids`?"),
    ({"lang": "zh_CN"}, QuizOptionError, "did you mean `language`?"),
    ({"sufle": True}, QuizOptionError, "quiz() has no option `sufle`; did you mean `shuffle`?"),
    ({"shuffle": "yes"}, QuizOptionError, "`shuffle` is True or False, not 'yes'"),
    ({"seed": 1.5}, QuizOptionError, "`seed` should be a whole number or a text, such as seed=1, not 1.5"),
    ({"ids": 5}, QuizOptionError, 'such as ids=["m1-author", "m1-audience"], not 5'),
    ({"ids": ["m1-autor"]}, SelectionError, "no question with id `m1-autor`; did you mean `m1-author`? ids in the "
                                            "bank: `m1-author`, `m1-audience`,"),
    ({"ids": ["first"]}, SelectionError, "no question with id `first`; ids in the bank: `m1-author`,"),
    ({"ids": ["m1-author", "m1-audience", "m1-author"]}, SelectionError,
     "the id `m1-author` is listed twice; a quiz shows each question once"),
])
def test_a_teachers_mistaken_option_gets_one_line_that_says_what_to_write(
        options: dict[str, Any], error: type[Exception], says: str) -> None:
    with pytest.raises(error) as info:
        quiz(BANK_01, **options)
    message = str(info.value)
    assert says in message and "\n" not in message
    assert not message.rstrip().endswith(";") and ";;" not in message
    # Raised from quiz() itself: the traceback a teacher reads ends there, with nothing chained to it.
    assert info.traceback[-1].name == "quiz" and info.value.__cause__ is None and info.value.__suppress_context__
    if error is QuizOptionError:  # a TypeError as Python's own for a wrong keyword, and a ValueError
        assert isinstance(info.value, TypeError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize("given", [None, b"questions/01-meeting-the-source.yml", 1])
def test_a_bank_that_is_neither_a_path_nor_a_bank_gets_one_line(given: Any) -> None:
    with pytest.raises(QuizOptionError, match=r'^quiz\(\) takes the path of a bank, such as quiz\("questions/') as info:
        quiz(given)
    assert info.traceback[-1].name == "quiz" and "\n" not in str(info.value)


def test_a_quiz_too_long_for_jupyterlab_warns_with_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("sourcebook.widgets.quiz")  # the module, not the function it exports
    monkeypatch.setattr(module, "MOST_QUESTIONS_SHOWN", 13)  # the limit as measured is 300
    with pytest.warns(UserWarning, match="this quiz shows 14 questions: JupyterLab may not show a quiz of more than "
                                         "13 at all .* show fewer with count= or ids=, or split the bank"):
        quiz(BANK_01)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(quiz(BANK_01, count=13, seed=1).questions) == 13


def test_one_question_is_said_so() -> None:
    assert repr(quiz(BANK_01, ids="m1-author")).startswith("<Quiz 'Module 1: Meeting the source': 1 question, ")


def test_options_that_are_right_but_written_loosely_still_work() -> None:
    assert [q.id for q in quiz(BANK_01, ids="m1-author").questions] == ["m1-author"]
    assert len(quiz(BANK_01, count=14).questions) == 14  # the whole bank, drawn
    assert quiz(BANK_01, language="zh-cn").s["check"] == quiz(BANK_01, language="zh_CN").s["check"] != \
        quiz(BANK_01).s["check"]


def test_a_bad_bank_raises_bank_error_with_the_line() -> None:
    with pytest.raises(BankError, match=r"broken\.yml:7:7: error\[no-correct\]"):
        quiz(HERE / "widgets" / "broken.yml")


def test_a_loaded_bank_is_accepted() -> None:
    bank = load_bank(HINTS)
    assert quiz(bank).bank is bank


# --- display ----------------------------------------------------------------------------


def test_displays_as_its_widget(hinted: Quiz) -> None:
    bundle = hinted._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == hinted.widget.model_id
    assert bundle["text/plain"] == repr(hinted)


def test_carries_the_sites_static_quiz_for_html_builds(conformance: Quiz) -> None:
    """The site shows a notebook cell's text/html: the same quiz, made interactive by quiz.js."""
    page = conformance._repr_mimebundle_()["text/html"]
    assert 'data-sourcebook-quiz=""' in page and '<script type="application/json" class="sb-data">' in page
    assert page.count("<fieldset class=\"sb-q ") == len(conformance.questions)
    assert "application/vnd.jupyter.widget-state+json" not in page  # no saved widget state


def test_the_static_quiz_keeps_its_answers_hidden_through_a_sanitiser(conformance: Quiz) -> None:
    """JupyterLab shows a notebook reopened without its widget state by its text/html, sanitised: its sanitiser
    (sanitize-html) drops an empty ``hidden``, which would show every feedback, explanation and hint."""
    page = conformance._repr_mimebundle_()["text/html"]
    assert page.count('hidden="hidden"') >= len(conformance.questions)
    assert not re.search(r"<[^>]*\shidden(?:=\"\")?[\s/>]", page), "a hidden attribute without a value"
    # The sanitiser lets the note for a browser without JavaScript through: it says what to do in a notebook.
    assert "This is the quiz as saved in the notebook: run its cell to check your answers here." in page
    assert "turned off in this browser" not in page


def test_each_move_button_names_the_item_it_moves(conformance: Quiz) -> None:
    # A button's text is what a screen reader names it by: "Move up" four times would not say which item.
    c: Any = conformance.view("ordering").control
    for position, index in enumerate(c.order):
        item = text_of(widgets.HTML(markdown.render_inline(c.question.items[index])))
        assert c.up[position].description == f"Move up: {item}"
        assert c.down[position].description == f"Move down: {item}"
    c.down[0].click()
    moved = text_of(widgets.HTML(markdown.render_inline(c.question.items[c.order[1]])))
    assert c.up[1].description == f"Move up: {moved}"


def test_a_long_item_is_named_short_on_its_button_and_whole_in_its_tooltip(tmp_path: Path) -> None:
    long = "The Soviet note recalling every expert, dated 16 July in Chinese sources"
    (tmp_path / "bank.yml").write_text(
        "title: Order\nquestions:\n  - id: o\n    type: ordering\n    skill: sourcing\n    prompt: Order them.\n"
        f'    items: ["Nie\'s report", "{long}"]\n    explanation: By date.\n', encoding="utf-8")
    c: Any = quiz(tmp_path / "bank.yml").view("o").control
    at = c.order.index(1)
    assert c.up[at].description == "Move up: The Soviet note recalling every expert…"
    assert c.up[at].tooltip == f"Move up: {long}"


def test_moving_an_item_keeps_the_focus_on_it(conformance: Quiz, monkeypatch: pytest.MonkeyPatch) -> None:
    focused: list[Any] = []
    monkeypatch.setattr(widgets.DOMWidget, "focus", lambda self: focused.append(self))
    c: Any = conformance.view("ordering").control
    c.down[0].click()
    assert focused[-1] is c.down[1]
    c.up[1].click()  # back to the top, where Move up is disabled
    assert focused[-1] is c.down[0]
    c.down[2].click()  # to the bottom, where Move down is disabled
    assert focused[-1] is c.up[3]
    order = list(c.order)
    c.down[3].click()  # nothing below: nothing moves
    assert c.order == order and len(focused) == 3


# --- interface language --------------------------------------------------------


def test_the_interface_speaks_the_language_asked_for() -> None:
    q = quiz(CONFORMANCE, ids=["single", "ordering", "multiple"], language="zh_CN")
    single = q.view("single")
    assert single.check_button.description == "检查"
    assert "第 1 题" in text_of(single.heading)
    controls(single).radio.value = 0  # a wrong choice
    single.check_button.click()
    assert "不正确。" in text_of(single.message)
    assert single.try_button.description == "再试一次"
    ordering: Any = q.view("ordering").control
    assert ordering.up[1].description.startswith("上移：") and ordering.down[0].description.startswith("下移：")
    assert any("勾选所有正确答案。" in text_of(w) for w in descendants(q.view("multiple").widget)
               if isinstance(w, widgets.HTML))
    assert q.reset_button.description == "重新开始"
    assert "得分：" in text_of(q.score_line)
    # The static quiz in the same bundle speaks it too, without the widgets' own texts.
    page = q._repr_mimebundle_()["text/html"]
    assert "第 1 题" in page and "检查" in page and "notebook_" not in page


def test_english_is_the_default_and_an_unknown_language_is_refused() -> None:
    for language in (None, "en", "en_GB"):
        view = quiz(CONFORMANCE, ids=["single"], language=language).view("single")
        assert view.check_button.description == "Check"
    with pytest.raises(QuizOptionError, match="no interface in 'xx'"):
        quiz(CONFORMANCE, ids=["single"], language="xx")


def test_a_language_given_another_regions_texts_is_told_so() -> None:
    with pytest.warns(UserWarning, match=r"no interface texts in 'zh_TW': the quizzes show those of 'zh_CN'"):
        shown = quiz(CONFORMANCE, ids=["single"], language="zh_TW")
    assert shown.view("single").check_button.description == "检查"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # its own texts, or the one Chinese there is: nothing to say
        for language in ("zh_CN", "zh-cn", "zh", "en_GB"):
            quiz(CONFORMANCE, ids=["single"], language=language)


def test_per_part_feedback_speaks_the_language_asked_for() -> None:
    q = quiz(CONFORMANCE, ids=["single", "matching", "blanks"], language="zh_CN")
    single = q.view("single")
    controls(single).radio.value = 0
    single.check_button.click()
    assert "（你的选择）。" in text_of(single.feedback) and "your choice" not in text_of(single.feedback)
    matching: Any = q.view("matching").control
    matching.dropdowns[0].value = "Vice Premier for science"
    q.view("matching").check_button.click()
    feedback = text_of(q.view("matching").feedback)
    assert "Nie Rongzhen → Vice Premier for science（正确）。" in feedback
    assert "He Yingqin → 未选择（错误）。" in feedback
    blanks: Any = q.view("blanks").control
    blanks.gaps["year"].value = "1957"
    q.view("blanks").check_button.click()
    assert "第 2 空：未填写（错误）。" in text_of(q.view("blanks").feedback)


def test_a_seeded_shuffle_shows_the_order_of_the_site(tmp_path: Any) -> None:
    from bs4 import BeautifulSoup

    from sourcebook.html import quiz_html
    from sourcebook.selection import SeededRandom, mix

    bank = load_bank(CONFORMANCE)
    q = quiz(bank, shuffle=True, seed=5)
    shown = [v.question.id for v in q.views]
    assert shown == mix([x.id for x in bank.questions], SeededRandom("5"))
    page = BeautifulSoup(quiz_html(bank, bank.questions, shuffle=True, seed=5), "html.parser")
    assert [f["data-id"] for f in page.select("fieldset.sb-q")] == shown
    for view in q.views:
        if view.question.TYPE in ("single", "multiple"):
            choices = page.select(f'fieldset[data-id="{view.question.id}"] .sb-choice')
            on_page = [int(str(c["data-index"])) for c in choices]
            assert controls(view).order == on_page


def test_an_evidence_question_states_the_claim_and_names_each_paragraph(conformance: Quiz) -> None:
    view = conformance.view("evidence")
    control: Any = view.control
    intro = text_of(control.widget.children[0])
    assert "Claim: The writer asks for help." in intro
    assert "Tick every paragraph of the source that supports the claim." in intro
    assert [box.description for box in control.boxes.values()] == [
        "¶1 “We ask for your help with the new…”", "¶2 “The harvest was good this year.”",
        "¶3 “Again we ask that you send the instruments…”"]
    control.boxes[1].value = True
    view.check_button.click()
    assert "✗" in text_of(view.message) or "Not right" in text_of(view.message)
    assert "It only reports." in text_of(view.feedback)
