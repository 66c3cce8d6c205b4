"""Single choice: pick one of several choices; exactly one is right. All or nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..grading import Result, invalid, scored
from ..model import Bank, Choice, Question, doc
from .base import QuestionType, static_script
from .choices import check_choices, choices_html, choices_worksheet, inline

if TYPE_CHECKING:
    from ..checks import At, Report
    from ..html import SiteWriter
    from ..worksheet import SheetWriter, WorksheetQuiz
    from .controls import Control


@dataclass(frozen=True, kw_only=True)
class SingleChoice(Question):
    """Pick one choice; exactly one is right."""

    TYPE = "single"
    LABEL = "single choice"
    choices: tuple[Choice, ...] = field(metadata=doc("The choices, one marked correct."))


class SingleChoiceType(QuestionType[SingleChoice]):
    """Response: the bank index of the chosen choice, or None."""

    model = SingleChoice
    script = static_script("single")
    ticks_boxes = True
    aliases = ("multiple-choice", "multiplechoice", "multichoice", "mcq", "mc", "choice", "single-choice",
               "singlechoice", "one-answer", "radio", "dropdown", "drop-down")

    def check(self, question: SingleChoice, at: At, reader: Report) -> None:
        check_choices(question, question.choices, at, reader, one_right=True)

    def has_feedback(self, question: SingleChoice) -> bool:
        return any(c.feedback.strip() for c in question.choices)

    def grade(self, question: SingleChoice, response: Any) -> Result:
        if not isinstance(response, int) or isinstance(response, bool) or not 0 <= response < len(question.choices):
            return invalid(question, "empty")
        choice = question.choices[response]
        return scored(question, 1.0 if choice.correct else 0.0, feedback=[choice.feedback])

    def correct_response(self, question: SingleChoice) -> Any:
        return next((i for i, c in enumerate(question.choices) if c.correct), None)

    def part_count(self, question: SingleChoice) -> int:
        return len(question.choices)

    def mixes_parts(self, question: SingleChoice) -> bool:
        return question.shuffle

    def answer_places(self, question: SingleChoice) -> list[int]:
        return [i for i, c in enumerate(question.choices) if c.correct]

    def grading_data(self, question: SingleChoice, data: dict[str, Any]) -> dict[str, Any]:
        data["choices"] = [{"correct": c.correct} for c in question.choices]
        return data

    def site_html(self, page: SiteWriter, qid: str, question: SingleChoice) -> None:
        choices_html(page, qid, [inline(c.text) for c in question.choices], [c.feedback for c in question.choices],
                     page.order(question), "radio")

    def control(self, question: SingleChoice, strings: Mapping[str, str], order: Sequence[int],
                bank: Bank) -> Control:
        from .controls import ChoicesControl

        return ChoicesControl(question, strings, labels=[inline(c.text) for c in question.choices],
                              right=[c.correct for c in question.choices],
                              feedback=[c.feedback for c in question.choices], order=order, several=False)

    def worksheet(self, sheet: SheetWriter, quiz: WorksheetQuiz, question: SingleChoice) -> None:
        choices_worksheet(sheet, [inline(c.text) for c in question.choices], [c.correct for c in question.choices],
                          quiz.arrangement.order(question), radio=True)


QUESTION_TYPE = SingleChoiceType()
