"""Matching: pair each left item with a right item; partial credit per pair.

The right-hand items are offered in alphabetical order everywhere, since the
bank's order would set each item beside its partner.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from .. import markdown
from ..grading import Result, invalid, normalise, scored
from ..i18n import fill
from ..model import Bank, Question, doc
from .base import QuestionType, static_script
from .controls import Control, choose_options, mark_line, plain, shared_layout, wide, widgets

if TYPE_CHECKING:
    from ..checks import At, Report
    from ..html import SiteWriter
    from ..worksheet import SheetWriter, WorksheetQuiz


@dataclass(frozen=True, kw_only=True)
class Pair:
    """One pair of a matching question: a left item and the right item it goes with."""

    left: str = field(metadata=doc("The item the student matches (Markdown).", markdown=True))
    right: str = field(metadata=doc("The item it belongs with (plain text).", markdown=False))


@dataclass(frozen=True, kw_only=True)
class Matching(Question):
    """Pair each left item with a right item; partial credit per pair."""

    TYPE = "matching"
    LABEL = "matching"
    pairs: tuple[Pair, ...] = field(metadata=doc("The right pairs."))
    distractors: tuple[str, ...] = field(
        default=(), metadata=doc("Extra right-hand items that match nothing.")
    )

    @property
    def options(self) -> tuple[str, ...]:
        """Every right-hand item offered, in bank order: the pairs', then distractors."""
        return tuple(p.right for p in self.pairs) + self.distractors


def offered(question: Matching) -> list[str]:
    """The right-hand items as offered: each once, alphabetical."""
    return sorted(set(question.options), key=str.casefold)


class MatchingControl(Control):
    """One drop-down per left item, starting on an empty "(choose)"."""

    question: Matching

    def __init__(self, question: Matching, strings: Mapping[str, str]):
        super().__init__(question, strings)
        options = choose_options(strings, offered(question))
        self.dropdowns = [widgets.Dropdown(options=options, value=None, description=plain(pair.left),
                                           style=wide("Dropdown"), layout=shared_layout())
                          for pair in question.pairs]
        self.widget = widgets.VBox(self.dropdowns, layout=shared_layout())

    def inputs(self) -> list[Any]:
        return list(self.dropdowns)

    def response(self) -> Any:
        return [d.value for d in self.dropdowns]

    def set_response(self, response: Any) -> None:
        for i, d in enumerate(self.dropdowns):
            value = response[i] if isinstance(response, list) and i < len(response) else None
            d.value = value if value in [v for _, v in d.options] else None

    def feedback(self, response: Any, result: Result, finished: bool) -> list[str]:
        q = self.question
        return [mark_line(right, fill(self.s["notebook_part_pair"], left=markdown.render_inline(pair.left),
                                      given=html.escape(given or self.s["notebook_nothing_chosen"]),
                                      verdict=self.s["notebook_right" if right else "notebook_wrong"]))
                for pair, given, right in zip(q.pairs, response, result.parts, strict=True)]


class MatchingType(QuestionType[Matching]):
    """Response: for each pair (bank order), the right-hand text chosen, or None."""

    model = Matching
    script = static_script("matching")
    aliases = ("match", "pairs", "matching-pairs")

    def check(self, question: Matching, at: At, reader: Report) -> None:
        q = question
        if len(q.pairs) < 2:
            reader.error(at(q, "pairs"), "too-few-pairs", f"question `{q.id}` needs at least two pairs")
        lefts: set[str] = set()
        for p in q.pairs:
            if normalise(p.left) in lefts:
                reader.error(at(p, "left"), "duplicate-choice", f"“{p.left}” appears twice on the left")
            lefts.add(normalise(p.left))
        first_right: dict[str, Pair] = {}
        for p in q.pairs:
            other = first_right.setdefault(normalise(p.right), p)
            if other is not p:
                reader.warning(at(p, "right"), "duplicate-choice", f"“{p.right}” is the right-hand item of two "
                               f"pairs (first at line {at(other, 'right').line}), so students see it once for both; "
                               "give each pair its own right-hand item (a copied pair?), or keep it if two items "
                               "really share one answer")
        rights = {p.right for p in q.pairs}
        for d in q.distractors:
            if d in rights:
                reader.error(at(q, "distractors"), "bad-value", f"the distractor “{d}” is also a right answer")

    def grade(self, question: Matching, response: Any) -> Result:
        if not isinstance(response, Sequence) or isinstance(response, str) or len(response) != len(question.pairs):
            return invalid(question, "empty")
        if all(r in (None, "") for r in response):
            return invalid(question, "empty")
        parts = [isinstance(r, str) and r == p.right for r, p in zip(response, question.pairs, strict=True)]
        return scored(question, sum(parts) / len(parts), parts)

    def correct_response(self, question: Matching) -> Any:
        return [p.right for p in question.pairs]

    def grading_data(self, question: Matching, data: dict[str, Any]) -> dict[str, Any]:
        data.pop("distractors", None)
        data["pairs"] = [{"right": p.right} for p in question.pairs]
        return data

    def site_html(self, page: SiteWriter, qid: str, question: Matching) -> None:
        options = page.options(offered(question))
        page.w('<div class="sb-pairs">')
        for i, pair in enumerate(question.pairs):
            page.w(f'<div class="sb-pair" data-index="{i}"><label for="{qid}-{i}">'
                   f'{markdown.render_inline(pair.left)}</label> <select id="{qid}-{i}">{options}</select></div>')
        page.w("</div>")

    def control(self, question: Matching, strings: Mapping[str, str], order: Sequence[int],
                bank: Bank) -> Control:
        return MatchingControl(question, strings)

    def worksheet(self, sheet: SheetWriter, quiz: WorksheetQuiz, question: Matching) -> None:
        options = offered(question)
        letters = {option: sheet.letter(i) for i, option in enumerate(options)}
        # Not "ws-matching": that is the question's own class (its section), and the two would share a layout.
        sheet.w('<div class="ws-match-columns"><ol class="ws-left">')
        for i, pair in enumerate(question.pairs, 1):
            filled = f'<span class="ws-filled">{letters[pair.right]}</span>' if sheet.key else ""
            sheet.w(f'<li><span class="ws-blank">{filled}</span>{i}. {markdown.render_inline(pair.left)}</li>')
        sheet.w('</ol><ul class="ws-right-list">')
        for option in options:
            sheet.w(f'<li><span class="ws-letter">{letters[option]}</span> {escape(option)}</li>')
        sheet.w("</ul></div>")
        sheet.key_block(f'<p><span class="ws-label">{escape(sheet.s["ws_right_pairs"])}</span></p><ul>',
                        *(f"<li>{i}. {markdown.render_inline(p.left)}: {letters[p.right]}, {escape(p.right)}</li>"
                          for i, p in enumerate(question.pairs, 1)), "</ul>")


QUESTION_TYPE = MatchingType()
