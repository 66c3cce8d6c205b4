"""What the types whose answer is a pick among listed choices share: single choice, multiple answer, evidence.

Single choice and multiple answer differ only in one box or many, and in
their grading: :class:`ChoicesType` is the rest of both. Evidence questions,
whose choices are the source's paragraphs, use the functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from .. import markdown
from ..grading import normalise
from ..model import Bank, Choice, Question, doc
from .base import QuestionType

if TYPE_CHECKING:
    from ..checks import At, Report
    from ..html import SiteWriter
    from ..worksheet import SheetWriter, WorksheetQuiz
    from .controls import Control


def check_choices(q: Any, choices: Sequence[Any], at: At, reader: Report, *, one_right: bool,
                  key: str = "choices", text: str = "text") -> None:
    """Two or more choices; exactly one right (``one_right``) or at least one; no choice twice; feedback on each.

    ``choices`` are the question's list under ``key``: anything with ``correct``, ``feedback`` and a text
    under the name ``text`` (a choice's ``text``, an evidence paragraph's ``paragraph``).
    """
    if len(choices) < 2:
        reader.error(at(q, key), "too-few-choices", f"question `{q.id}` needs at least two choices")
    elif len(choices) < 3 and one_right:
        reader.warning(at(q, key), "few-choices", f"question `{q.id}` has only {len(choices)} choices; "
                       "three or more make guessing harder (or use type `true-false`)")
    right = [c for c in choices if c.correct]
    if one_right:
        if not right:
            reader.error(at(q, key), "no-correct", f"no choice of question `{q.id}` is marked "
                         "`correct: true`")
        elif len(right) > 1:
            reader.error(at(right[1]), "several-correct", f"question `{q.id}` has {len(right)} choices marked "
                         "correct; a single-choice question has one (use `type: multiple` for several)")
    elif not right:
        reader.warning(at(q, key), "no-correct", f"no choice of question `{q.id}` is marked correct, so "
                       "the right answer is to tick none; is that what you meant?")
    seen: dict[str, Any] = {}
    for c in choices:
        written: str = getattr(c, text)
        if normalise(written) in seen:
            reader.warning(at(c, text), "duplicate-choice", f"question `{q.id}` has the choice "
                           f"“{written.strip()}” twice (first at line {at(seen[normalise(written)], text).line})")
        else:
            seen[normalise(written)] = c
        if not c.feedback.strip():
            reader.warning(at(c), "no-feedback", f"a choice of question `{q.id}` has no `feedback`: say why "
                           f"“{written.strip()[:40]}” is right or wrong")


def choices_html(page: SiteWriter, qid: str, labels: Sequence[str], feedback: Sequence[str], order: Sequence[int],
                 kind: str) -> None:
    """Radio buttons (``kind`` "radio") or checkboxes, one per choice in ``order``; labels are HTML."""
    page.w('<div class="sb-choices">')
    for i in order:
        page.choice(qid, kind, i, str(i), labels[i], feedback[i])
    page.w("</div>")


def choices_worksheet(sheet: SheetWriter, labels: Sequence[str], right: Sequence[bool], order: Sequence[int],
                      radio: bool) -> None:
    """Lettered boxes in ``order``; the key ticks the right ones and names their letters."""
    sheet.w('<ul class="ws-choices">')
    letters: list[str] = []
    for shown, index in enumerate(order):
        letter = sheet.letter(shown)
        mark = ' class="ws-right-choice"' if sheet.key and right[index] else ""
        sheet.w(f'<li{mark}>{sheet.box(radio, right[index])}<span class="ws-letter">{letter}</span> '
                f"{labels[index]}</li>")
        if right[index]:
            letters.append(letter)
    sheet.w("</ul>")
    label = sheet.s["ws_answer" if len(letters) == 1 else "ws_answers"]
    sheet.key_block(f'<p><span class="ws-label">{escape(label)}</span> '
                    f'{escape(", ".join(letters) if letters else sheet.s["ws_none_right"])}</p>')


def inline(text: str) -> str:
    """A choice's Markdown as inline HTML."""
    return markdown.render_inline(text)


@dataclass(frozen=True, kw_only=True)
class ChoiceQuestion(Question):
    """A question answered by picking among listed choices (single choice, multiple answer)."""

    choices: tuple[Choice, ...] = field(metadata=doc("The choices; mark each right one correct."))


C = TypeVar("C", bound=ChoiceQuestion)


class ChoicesType(QuestionType[C]):
    """What single choice and multiple answer share: their choices, shown as one radio group (one answer) or as
    checkboxes (``several``), mixed unless the question keeps their order, with feedback per choice."""

    #: Whether several choices may be ticked (checkboxes) rather than one (radio buttons).
    several: ClassVar[bool] = False
    ticks_boxes = True

    def check(self, question: C, at: At, reader: Report) -> None:
        check_choices(question, question.choices, at, reader, one_right=not self.several)

    def has_feedback(self, question: C) -> bool:
        return any(c.feedback.strip() for c in question.choices)

    def part_count(self, question: C) -> int:
        return len(question.choices)

    def mixes_parts(self, question: C) -> bool:
        return question.shuffle

    def answer_places(self, question: C) -> list[int]:
        return [i for i, c in enumerate(question.choices) if c.correct]

    def grading_data(self, question: C, data: dict[str, Any]) -> dict[str, Any]:
        data["choices"] = [{"correct": c.correct} for c in question.choices]
        return data

    def site_html(self, page: SiteWriter, qid: str, question: C) -> None:
        choices_html(page, qid, [inline(c.text) for c in question.choices], [c.feedback for c in question.choices],
                     page.order(question), "checkbox" if self.several else "radio")

    def control(self, question: C, strings: Mapping[str, str], order: Sequence[int], bank: Bank) -> Control:
        from .controls import ChoicesControl

        return ChoicesControl(question, strings, labels=[inline(c.text) for c in question.choices],
                              right=[c.correct for c in question.choices],
                              feedback=[c.feedback for c in question.choices], order=order, several=self.several,
                              intro=strings["notebook_tick_all"] if self.several else "")

    def worksheet(self, sheet: SheetWriter, quiz: WorksheetQuiz, question: C) -> None:
        choices_worksheet(sheet, [inline(c.text) for c in question.choices], [c.correct for c in question.choices],
                          quiz.arrangement.order(question), radio=not self.several)
