"""Numeric: type a number, right when exact, within a tolerance, or within a range. All or nothing.

Spaces are ignored, commas may group thousands (1,390), the decimal mark is
a point, and the question's unit may follow the number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from ..formatting import format_number
from ..grading import Result, invalid, parse_number, scored
from ..i18n import fill
from ..model import Bank, Question, doc
from .base import QuestionType, static_script

if TYPE_CHECKING:
    from ..checks import At, Report
    from ..html import SiteWriter
    from ..worksheet import SheetWriter, WorksheetQuiz
    from .controls import Control


@dataclass(frozen=True, kw_only=True)
class Numeric(Question):
    """Type a number: exact, within a tolerance, or within a range."""

    TYPE = "numeric"
    LABEL = "numeric"
    answer: float | None = field(
        default=None, metadata=doc("The right number (with `tolerance`), or leave out and use min/max.")
    )
    tolerance: float = field(default=0.0, metadata=doc("How far from `answer` still counts as right."))
    min: float | None = field(default=None, metadata=doc("Lowest right number (a range, with `max`)."))
    max: float | None = field(default=None, metadata=doc("Highest right number (a range, with `min`)."))
    unit: str = field(default="", metadata=doc("Unit shown after the input, e.g. 'years'."))

    @property
    def low(self) -> float:
        """The lowest number graded right."""
        if self.answer is not None:
            return self.answer - self.tolerance
        assert self.min is not None  # guaranteed by the loader's checks
        return self.min

    @property
    def high(self) -> float:
        """The highest number graded right."""
        if self.answer is not None:
            return self.answer + self.tolerance
        assert self.max is not None  # guaranteed by the loader's checks
        return self.max


#: A number written with a decimal comma ("12,5", not the thousands of "1,390"): numeric.js's COMMA_DECIMAL.
_COMMA_DECIMAL = re.compile(r"\s*[+-]?\d+,(\d{1,2}|\d{4,})\s*")


class NumericType(QuestionType[Numeric]):
    """Response: the text typed (a number is accepted too)."""

    model = Numeric
    script = static_script("numeric")
    aliases = ("numerical", "number", "numeric-answer", "calculated")
    #: The problem its script gives for a number typed with a decimal comma.
    script_strings = ("decimal_point",)

    def problem(self, question: Numeric, response: Any, result: Result) -> str:
        """A number typed with a decimal comma ("9,7"; not the thousands of "1,390") is asked with a point."""
        if result.problem == "not-a-number" and isinstance(response, str) \
                and _COMMA_DECIMAL.fullmatch(response.replace(question.unit, "") if question.unit else response):
            return "decimal_point"
        return result.problem

    def check(self, question: Numeric, at: At, reader: Report) -> None:
        q = question
        has_range = q.min is not None or q.max is not None
        if q.answer is None and not has_range:
            reader.error(at(q), "missing-key", f"question `{q.id}` needs `answer` (with an optional `tolerance`) "
                         "or `min` and `max`")
        elif q.answer is not None and has_range:
            reader.error(at(q, "min") if q.min is not None else at(q, "max"), "bad-value",
                         f"question `{q.id}` gives both `answer` and a range; use one or the other")
        elif q.answer is None and (q.min is None or q.max is None):
            reader.error(at(q), "missing-key", f"question `{q.id}` gives a range: it needs both `min` and `max`")
        elif q.min is not None and q.max is not None and q.min > q.max:
            reader.error(at(q, "min"), "bad-value",
                         f"`min` ({format_number(q.min)}) is above `max` ({format_number(q.max)})")
        if q.tolerance < 0:
            reader.error(at(q, "tolerance"), "bad-value", "`tolerance` cannot be negative")

    def grade(self, question: Numeric, response: Any) -> Result:
        if response is None or (isinstance(response, str) and not response.strip()):
            return invalid(question, "empty")
        value = parse_number(response, question.unit) if isinstance(response, str | int | float) else None
        if value is None:
            return invalid(question, "not-a-number")
        # A small allowance so that 0.1 + 0.2 style rounding never marks a right answer wrong.
        slack = 1e-9 * max(1.0, abs(question.low), abs(question.high))
        return scored(question, 1.0 if question.low - slack <= value <= question.high + slack else 0.0)

    def correct_response(self, question: Numeric) -> Any:
        return format_number(question.answer if question.answer is not None else question.low)

    def site_html(self, page: SiteWriter, qid: str, question: Numeric) -> None:
        page.typed(qid, "decimal", question.unit)

    def control(self, question: Numeric, strings: Mapping[str, str], order: Sequence[int],
                bank: Bank) -> Control:
        from .controls import TextBoxControl

        # Typed as text, so that "1,390" works; the unit beside it.
        return TextBoxControl(question, strings, unit=question.unit)

    def worksheet(self, sheet: SheetWriter, quiz: WorksheetQuiz, question: Numeric) -> None:
        q, s = question, sheet.s
        unit = f" {q.unit}" if q.unit else ""
        if q.answer is not None:
            shown = format_number(q.answer)
            rule = (fill(s["ws_numeric_tolerance"], answer=f"{shown}{unit}", low=format_number(q.low),
                         high=f"{format_number(q.high)}{unit}", tolerance=format_number(q.tolerance)) if q.tolerance
                    else fill(s["ws_numeric_exact"], answer=f"{shown}{unit}"))
        else:
            shown = f"{format_number(q.low)}–{format_number(q.high)}"
            rule = fill(s["ws_numeric_range"], low=format_number(q.low), high=f"{format_number(q.high)}{unit}")
        sheet.line(q.unit, shown)
        sheet.key_block(f'<p><span class="ws-label">{escape(s["ws_answer"])}</span> {escape(rule)}</p>')


QUESTION_TYPE = NumericType()
