"""True/false: decide whether the statement in the prompt is true. All or nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from ..grading import Result, invalid, scored
from ..model import Bank, Question, doc
from .base import QuestionType, static_script

if TYPE_CHECKING:
    from ..html import SiteWriter
    from ..worksheet import SheetWriter, WorksheetQuiz
    from .controls import Control


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    """Decide whether a statement is true."""

    TYPE = "true-false"
    LABEL = "true/false"
    answer: bool = field(metadata=doc("Whether the statement in the prompt is true."))
    feedback_true: str = field(
        default="", metadata=doc("Shown when the student answers True (Markdown).", markdown=True)
    )
    feedback_false: str = field(
        default="", metadata=doc("Shown when the student answers False (Markdown).", markdown=True)
    )


class TrueFalseType(QuestionType[TrueFalse]):
    """Response: True or False, or None."""

    model = TrueFalse
    script = static_script("true-false")
    ticks_boxes = True
    aliases = ("truefalse", "true-or-false", "true/false", "tf", "t/f", "boolean", "yes-no")

    def has_feedback(self, question: TrueFalse) -> bool:
        return bool(question.feedback_true.strip() or question.feedback_false.strip())

    def grade(self, question: TrueFalse, response: Any) -> Result:
        if not isinstance(response, bool):
            return invalid(question, "empty")
        return scored(question, 1.0 if response == question.answer else 0.0,
                      feedback=[question.feedback_true if response else question.feedback_false])

    def correct_response(self, question: TrueFalse) -> Any:
        return question.answer

    def grading_data(self, question: TrueFalse, data: dict[str, Any]) -> dict[str, Any]:
        data.pop("feedback_true", None)
        data.pop("feedback_false", None)
        return data

    def site_html(self, page: SiteWriter, qid: str, question: TrueFalse) -> None:
        page.w('<div class="sb-choices">')
        page.choice(qid, "radio", 0, "true", escape(page.s["true"]), question.feedback_true)
        page.choice(qid, "radio", 1, "false", escape(page.s["false"]), question.feedback_false)
        page.w("</div>")

    def control(self, question: TrueFalse, strings: Mapping[str, str], order: Sequence[int],
                bank: Bank) -> Control:
        from .controls import ChoicesControl

        return ChoicesControl(question, strings, labels=[escape(strings["true"]), escape(strings["false"])],
                              right=[question.answer, not question.answer],
                              feedback=[question.feedback_true, question.feedback_false], order=[0, 1],
                              several=False, values=[True, False])

    def worksheet(self, sheet: SheetWriter, quiz: WorksheetQuiz, question: TrueFalse) -> None:
        sheet.w('<ul class="ws-choices">')
        for value, label in ((True, escape(sheet.s["true"])), (False, escape(sheet.s["false"]))):
            mark = ' class="ws-right-choice"' if sheet.key and question.answer is value else ""
            sheet.w(f"<li{mark}>{sheet.box(True, question.answer is value)}{label}</li>")
        sheet.w("</ul>")
        sheet.key_block(f'<p><span class="ws-label">{escape(sheet.s["ws_answer"])}</span> '
                        f'{escape(sheet.s["true" if question.answer else "false"])}</p>')


QUESTION_TYPE = TrueFalseType()
