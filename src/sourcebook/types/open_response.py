"""Open response: write freely; not graded. A model answer and a rubric help students check themselves."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from .. import markdown
from ..grading import Result, invalid
from ..model import Bank, Question, doc
from .base import QuestionType, static_script
from .controls import Control, TextBoxControl, plain, shared_layout, shared_style, show, wide, widgets

if TYPE_CHECKING:
    from ..checks import At, Report
    from ..html import SiteWriter
    from ..worksheet import SheetWriter, WorksheetQuiz


@dataclass(frozen=True, kw_only=True)
class OpenResponse(Question):
    """Write freely; not graded. A model answer and a rubric help students check themselves."""

    TYPE = "open"
    LABEL = "open response"
    GRADED = False
    model_answer: str = field(
        default="", metadata=doc("A model answer, shown after the student writes (Markdown).", markdown=True)
    )
    rubric: tuple[str, ...] = field(
        default=(), metadata=doc("Criteria the student ticks to check their answer (Markdown).", markdown=True)
    )


class OpenControl(TextBoxControl):
    """A text area; after Save, the model answer and the rubric as boxes to tick."""

    def __init__(self, question: OpenResponse, strings: Mapping[str, str]):
        super().__init__(question, strings, area=True)
        self.rubric = [widgets.Checkbox(value=False, description=plain(c), indent=False, style=wide("Checkbox"),
                                        layout=shared_layout(width="auto")) for c in question.rubric]
        parts: list[Any] = []
        if self.rubric:
            parts += [widgets.HTML(f"<p>{html.escape(strings['rubric'])}</p>", layout=shared_layout(),
                                   style=shared_style("HTML")), *self.rubric]
        if question.model_answer:
            parts.append(widgets.HTML(f"<p><strong>{html.escape(strings['model_answer'])}</strong></p>"
                                      + markdown.render(question.model_answer), layout=shared_layout(),
                                      style=shared_style("HTML")))
        self.self_check = widgets.VBox(parts)  # shown and hidden: a layout of its own
        show(self.self_check, False)

    def clear(self) -> None:
        super().clear()
        for box in self.rubric:
            box.value = False
        show(self.self_check, False)

    def feedback(self, response: Any, result: Result, finished: bool) -> list[str]:
        show(self.self_check, True)
        return []

    def ticked(self) -> list[int]:
        """Indices of the rubric criteria the student ticked."""
        return [i for i, box in enumerate(self.rubric) if box.value]


class OpenResponseType(QuestionType[OpenResponse]):
    """Response: the text written. Never graded; it never counts towards the score."""

    model = OpenResponse
    script = static_script("open")
    aliases = ("essay", "paragraph", "long-answer", "long-text", "open-response", "open-ended", "free-text",
               "freetext", "free-response", "written", "extended-response")

    def check(self, question: OpenResponse, at: At, reader: Report) -> None:
        if not question.model_answer.strip() and not question.rubric:
            reader.warning(at(question), "no-feedback", f"open question `{question.id}` has neither a "
                           "`model_answer` nor a `rubric` to check an answer against")

    def grade(self, question: OpenResponse, response: Any) -> Result:
        if not isinstance(response, str) or not response.strip():
            return invalid(question, "empty")
        return Result(score=None, correct=None, points=0.0, max_points=0.0)

    def site_html(self, page: SiteWriter, qid: str, question: OpenResponse) -> None:
        q = question
        page.w(f'<div class="sb-typed"><label for="{qid}-answer">{escape(page.s["your_answer"])}</label>'
               f'<textarea id="{qid}-answer" rows="5"></textarea></div>')
        if q.model_answer or q.rubric:
            page.w('<div class="sb-model" hidden="hidden">')
            if q.rubric:
                page.w(f'<fieldset class="sb-rubric"><legend>{escape(page.s["rubric"])}</legend>')
                for i, criterion in enumerate(q.rubric):
                    page.w(f'<div class="sb-choice"><input type="checkbox" id="{qid}-r{i}">'
                           f'<label for="{qid}-r{i}">{markdown.render_inline(criterion)}</label></div>')
                page.w("</fieldset>")
            if q.model_answer:
                page.w(f'<p class="sb-label">{escape(page.s["model_answer"])}</p>{markdown.render(q.model_answer)}')
            page.w("</div>")

    def control(self, question: OpenResponse, strings: Mapping[str, str], order: Sequence[int],
                bank: Bank) -> Control:
        return OpenControl(question, strings)

    def worksheet(self, sheet: SheetWriter, quiz: WorksheetQuiz, question: OpenResponse) -> None:
        q, s = question, sheet.s
        sheet.w('<div class="ws-lines">', "<div></div>" * 8, "</div>")
        parts: list[str] = []
        if q.model_answer:
            parts += [f'<p class="ws-label">{escape(s["ws_model_answer"])}</p>', markdown.render(q.model_answer)]
        if q.rubric:
            parts += [f'<p class="ws-label">{escape(s["ws_rubric"])}</p><ul>',
                      *(f"<li>{markdown.render_inline(c)}</li>" for c in q.rubric), "</ul>"]
        sheet.key_block(*parts)


QUESTION_TYPE = OpenResponseType()
