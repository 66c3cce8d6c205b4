"""Multiple answer: tick every right choice; partial credit.

The score is (right choices ticked - wrong choices ticked) / right choices,
never below 0; with no right choice, 1 only when nothing is ticked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..grading import Result, indices, invalid, scored
from ..model import Bank, Choice, Question, doc
from .base import QuestionType, static_script
from .choices import check_choices, choices_html, choices_worksheet, inline

if TYPE_CHECKING:
    from ..checks import At, Report
    from ..html import SiteWriter
    from ..worksheet import SheetWriter, WorksheetQuiz
    from .controls import Control


@dataclass(frozen=True, kw_only=True)
class MultipleAnswer(Question):
    """Pick every right choice; partial credit."""

    TYPE = "multiple"
    LABEL = "multiple answer"
    choices: tuple[Choice, ...] = field(metadata=doc("The choices; mark each right one correct."))


def grade_picks(question: Question, right: Sequence[bool], feedback: Sequence[str], response: Any) -> Result:
    """Partial credit for ticked choices: the rule of multiple answer (evidence questions share it)."""
    chosen = indices(response, len(right))
    if chosen is None:
        return invalid(question, "empty")
    n_right = sum(right)
    if not chosen and n_right:
        return invalid(question, "empty")
    hits = sum(1 for i in chosen if right[i])
    false_alarms = len(chosen) - hits
    score = (hits - false_alarms) / n_right if n_right else (1.0 if not chosen else 0.0)
    parts = [(i in chosen) == r for i, r in enumerate(right)]
    return scored(question, score, parts, [feedback[i] for i in sorted(chosen)])


class MultipleAnswerType(QuestionType[MultipleAnswer]):
    """Response: the bank indices of the ticked choices."""

    model = MultipleAnswer
    script = static_script("multiple")
    ticks_boxes = True
    aliases = ("checkboxes", "checkbox", "multiple-answers", "multiple-answer", "multiple-response", "multi-select",
               "multiselect", "multiple-select", "select-all", "mrq")

    def check(self, question: MultipleAnswer, at: At, reader: Report) -> None:
        check_choices(question, question.choices, at, reader, one_right=False)

    def has_feedback(self, question: MultipleAnswer) -> bool:
        return any(c.feedback.strip() for c in question.choices)

    def grade(self, question: MultipleAnswer, response: Any) -> Result:
        return grade_picks(question, [c.correct for c in question.choices], [c.feedback for c in question.choices],
                           response)

    def correct_response(self, question: MultipleAnswer) -> Any:
        return [i for i, c in enumerate(question.choices) if c.correct]

    def part_count(self, question: MultipleAnswer) -> int:
        return len(question.choices)

    def mixes_parts(self, question: MultipleAnswer) -> bool:
        return question.shuffle

    def answer_places(self, question: MultipleAnswer) -> list[int]:
        return [i for i, c in enumerate(question.choices) if c.correct]

    def grading_data(self, question: MultipleAnswer, data: dict[str, Any]) -> dict[str, Any]:
        data["choices"] = [{"correct": c.correct} for c in question.choices]
        return data

    def site_html(self, page: SiteWriter, qid: str, question: MultipleAnswer) -> None:
        choices_html(page, qid, [inline(c.text) for c in question.choices], [c.feedback for c in question.choices],
                     page.order(question), "checkbox")

    def control(self, question: MultipleAnswer, strings: Mapping[str, str], order: Sequence[int],
                bank: Bank) -> Control:
        from .controls import ChoicesControl

        return ChoicesControl(question, strings, labels=[inline(c.text) for c in question.choices],
                              right=[c.correct for c in question.choices],
                              feedback=[c.feedback for c in question.choices], order=order, several=True,
                              intro=strings["notebook_tick_all"])

    def worksheet(self, sheet: SheetWriter, quiz: WorksheetQuiz, question: MultipleAnswer) -> None:
        choices_worksheet(sheet, [inline(c.text) for c in question.choices], [c.correct for c in question.choices],
                          quiz.arrangement.order(question), radio=False)


QUESTION_TYPE = MultipleAnswerType()
