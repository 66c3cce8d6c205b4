"""Short text: type a word or phrase, compared with the accepted answers after normalisation. All or nothing.

Foreseen wrong answers carry feedback of their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from .. import markdown
from ..grading import Result, invalid, normalise, scored
from ..model import Bank, Question, doc
from .base import QuestionType, static_script

if TYPE_CHECKING:
    from ..checks import At, Report
    from ..html import SiteWriter
    from ..worksheet import SheetWriter, WorksheetQuiz
    from .controls import Control


@dataclass(frozen=True, kw_only=True)
class WrongAnswer:
    """A foreseen wrong answer to a short-text question, with feedback for it."""

    text: str = field(metadata=doc("The wrong answer, compared after normalisation."))
    feedback: str = field(metadata=doc("Why it is wrong (Markdown).", markdown=True))


@dataclass(frozen=True, kw_only=True)
class ShortText(Question):
    """Type a word or phrase; compared with the accepted answers after normalisation."""

    TYPE = "short"
    LABEL = "short text"
    answers: tuple[str, ...] = field(metadata=doc("Accepted answers."))
    case_sensitive: bool = field(default=False, metadata=doc("Compare letter case too."))
    wrong_answers: tuple[WrongAnswer, ...] = field(
        default=(), metadata=doc("Foreseen wrong answers with feedback for each.")
    )


class ShortTextType(QuestionType[ShortText]):
    """Response: the text typed."""

    model = ShortText
    script = static_script("short")
    script_helpers = ("rules/normalise.js",)
    aliases = ("short-answer", "shortanswer", "short-text", "text", "text-entry", "one-word")

    def check(self, question: ShortText, at: At, reader: Report) -> None:
        q = question
        if not q.answers:
            reader.error(at(q, "answers"), "missing-key", f"question `{q.id}` needs at least one accepted answer")
        for a in q.answers:
            if not normalise(a):
                reader.error(at(q, "answers"), "empty-value", f"an accepted answer of `{q.id}` is empty once "
                             "spaces and punctuation are removed")
        accepted = {normalise(a, case_sensitive=q.case_sensitive) for a in q.answers}
        for w in q.wrong_answers:
            if normalise(w.text, case_sensitive=q.case_sensitive) in accepted:
                reader.error(at(w, "text"), "bad-value", f"“{w.text}” is listed both as accepted and as wrong")

    def has_feedback(self, question: ShortText) -> bool:
        return bool(question.wrong_answers)

    def grade(self, question: ShortText, response: Any) -> Result:
        q = question
        if not isinstance(response, str) or not normalise(response):
            return invalid(q, "empty")
        given = normalise(response, case_sensitive=q.case_sensitive)
        if any(given == normalise(a, case_sensitive=q.case_sensitive) for a in q.answers):
            return scored(q, 1.0)
        feedback = [w.feedback for w in q.wrong_answers
                    if given == normalise(w.text, case_sensitive=q.case_sensitive)]
        return scored(q, 0.0, feedback=feedback)

    def correct_response(self, question: ShortText) -> Any:
        return question.answers[0]

    def grading_data(self, question: ShortText, data: dict[str, Any]) -> dict[str, Any]:
        data["wrong_answers"] = [{"text": w.text} for w in question.wrong_answers]
        return data

    def site_html(self, page: SiteWriter, qid: str, question: ShortText) -> None:
        page.typed(qid, "text")
        for i, wrong in enumerate(question.wrong_answers):
            page.w(f'<div class="sb-feedback" data-wrong="{i}" hidden="hidden">{markdown.render(wrong.feedback)}</div>')

    def control(self, question: ShortText, strings: Mapping[str, str], order: Sequence[int],
                bank: Bank) -> Control:
        from .controls import TextBoxControl

        return TextBoxControl(question, strings)

    def worksheet(self, sheet: SheetWriter, quiz: WorksheetQuiz, question: ShortText) -> None:
        q = question
        sheet.line(filled=q.answers[0] if q.answers else "")
        accepted = sheet.s["ws_accepted_case" if q.case_sensitive else "ws_accepted"]
        parts = [f'<p><span class="ws-label">{escape(accepted)}</span> '
                 f'{"; ".join(escape(a) for a in q.answers)}</p>']
        if q.wrong_answers:
            parts.append(f'<p><span class="ws-label">{escape(sheet.s["ws_expected_wrong"])}</span></p><ul>')
            parts.extend(f"<li><strong>{escape(w.text)}</strong>: {markdown.render_inline(w.feedback)}</li>"
                         for w in q.wrong_answers)
            parts.append("</ul>")
        sheet.key_block(*parts)


QUESTION_TYPE = ShortTextType()
