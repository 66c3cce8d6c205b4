"""A question type that sourcebook does not ship: type the year of an event. Right when it is that year.

What a package needs to add a type: this module (model, checks, grading,
renderers) and ``year.js`` (grading and operation on the site), named in the
entry point group ``sourcebook.question_types``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from typing import Any, ClassVar

from sourcebook.grading import Result, invalid, scored
from sourcebook.model import Bank, Question, doc
from sourcebook.types import QuestionType
from sourcebook.types.controls import Control, TextBoxControl

_YEAR = re.compile(r"\s*(\d{1,4})\s*")


@dataclass(frozen=True, kw_only=True)
class Year(Question):
    """Type the year of an event."""

    TYPE = "year"
    LABEL = "year"
    answer: int = field(metadata=doc("The year, e.g. 1960."))


class YearType(QuestionType[Year]):
    """Response: the text typed."""

    model = Year
    script = resources.files("sourcebook_year").joinpath("year.js")
    strings: ClassVar[Mapping[str, Mapping[str, str]]] = {
        "en": {"ws_how_year": "Write a year.", "type_year_answer": "The year:"},
        "zh_CN": {"ws_how_year": "写一个年份。", "type_year_answer": "年份："},
    }
    aliases = ("date-year", "which-year")

    def check(self, question: Year, at: Any, reader: Any) -> None:
        if not 1 <= question.answer <= 9999:
            reader.error(at(question, "answer"), "bad-value", f"`answer` of `{question.id}` must be a year from 1 "
                         "to 9999")

    def grade(self, question: Year, response: Any) -> Result:
        match = _YEAR.fullmatch(response) if isinstance(response, str) else None
        if match is None:
            return invalid(question, "empty" if not str(response or "").strip() else "not-a-number")
        return scored(question, 1.0 if int(match.group(1)) == question.answer else 0.0)

    def correct_response(self, question: Year) -> Any:
        return str(question.answer)

    def site_html(self, page: Any, qid: str, question: Year) -> None:
        page.typed(qid, "numeric")

    def control(self, question: Year, strings: Mapping[str, str], order: Sequence[int], bank: Bank) -> Control:
        return TextBoxControl(question, strings)

    def worksheet(self, sheet: Any, quiz: Any, question: Year) -> None:
        sheet.line(filled=str(question.answer))
        sheet.key_block(f'<p>{escape(sheet.s["type_year_answer"])} {question.answer}</p>')


QUESTION_TYPE = YearType()
