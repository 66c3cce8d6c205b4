"""Ordering: put items in order; partial credit for each pair of items in the right relative order.

The bank lists the items in the right order, so they are always shown mixed,
on paper too.
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
from .controls import Control, mark_line, plain, shared_layout, shared_style, widgets

if TYPE_CHECKING:
    from ..checks import At, Report
    from ..html import SiteWriter
    from ..worksheet import SheetWriter, WorksheetQuiz


@dataclass(frozen=True, kw_only=True)
class Ordering(Question):
    """Put items in order; partial credit for each pair in the right relative order."""

    TYPE = "ordering"
    LABEL = "ordering"
    items: tuple[str, ...] = field(
        metadata=doc("The items in the RIGHT order; students see them shuffled (Markdown).", markdown=True)
    )


#: Characters of an item a Move button names before it cuts the name short.
_NAMED_ITEM = 40


class OrderingControl(Control):
    """The items as a numbered list with Move up / Move down buttons: keyboard operable, no dragging."""

    question: Ordering

    def __init__(self, question: Ordering, strings: Mapping[str, str], order: Sequence[int]):
        super().__init__(question, strings)
        self.start = list(order)
        self.order = list(order)
        self.labels: list[Any] = []
        self.up: list[Any] = []
        self.down: list[Any] = []
        rows = []
        for position in range(len(self.order)):
            label = widgets.HTML(layout=shared_layout(flex="1 1 auto"), style=shared_style("HTML"))
            up = widgets.Button(icon="arrow-up", layout=shared_layout(width="auto"), style=shared_style("Button"))
            down = widgets.Button(icon="arrow-down", layout=shared_layout(width="auto"), style=shared_style("Button"))
            up.on_click(lambda _b, p=position: self.move(p, -1))
            down.on_click(lambda _b, p=position: self.move(p, +1))
            self.labels.append(label)
            self.up.append(up)
            self.down.append(down)
            rows.append(widgets.HBox([label, up, down], layout=shared_layout()))
        self.status = widgets.HTML(layout=shared_layout(), style=shared_style("HTML"))
        self.disabled = False
        help_text = widgets.HTML(f"<p>{html.escape(strings['order_help'])}</p>", layout=shared_layout(),
                                 style=shared_style("HTML"))
        self.widget = widgets.VBox([help_text, *rows, self.status], layout=shared_layout())
        self._refresh()

    def _refresh(self) -> None:
        q = self.question
        last = len(self.order) - 1
        for position, index in enumerate(self.order):
            item = plain(q.items[index])
            self.labels[position].value = f"{position + 1}. {markdown.render_inline(q.items[index])}"
            # A button's text is its name to a screen reader (the tooltip is not): it says which item it moves,
            # as the site's buttons do; the tooltip gives the whole item when its name is cut short.
            short = item if len(item) <= _NAMED_ITEM else item[:_NAMED_ITEM - 1].rstrip(" ,;:.") + "…"
            for buttons, text in ((self.up, self.s["move_up"]), (self.down, self.s["move_down"])):
                buttons[position].description = text.replace("{item}", short)
                buttons[position].tooltip = text.replace("{item}", item)
            self.up[position].disabled = self.disabled or position == 0
            self.down[position].disabled = self.disabled or position == last

    def move(self, position: int, step: int) -> None:
        """Move the item at ``position`` one place up (-1) or down (+1)."""
        target = position + step
        if self.disabled or not 0 <= target < len(self.order):
            return
        self.order[position], self.order[target] = self.order[target], self.order[position]
        self._refresh()
        q = self.question
        item = html.escape(plain(q.items[self.order[target]]))
        self.status.value = (self.s["moved"].replace("{item}", item).replace("{position}", str(target + 1))
                             .replace("{total}", str(len(self.order))))
        # Keep the keyboard on the moved item, so that pressing again moves it further.
        same_way = self.up[target] if step < 0 else self.down[target]
        other_way = self.down[target] if step < 0 else self.up[target]
        (other_way if same_way.disabled else same_way).focus()

    def inputs(self) -> list[Any]:
        return [b for pair in zip(self.up, self.down, strict=True) for b in pair]

    def set_disabled(self, disabled: bool) -> None:
        self.disabled = disabled
        self._refresh()

    def response(self) -> Any:
        return list(self.order)

    def set_response(self, response: Any) -> None:
        valid = isinstance(response, list) and sorted(response) == list(range(len(self.order)))
        self.order = list(response) if valid else list(self.start)
        self.status.value = ""
        self._refresh()

    def feedback(self, response: Any, result: Result, finished: bool) -> list[str]:
        q = self.question
        return [mark_line(right, fill(self.s["notebook_part_position"], n=n,
                                      item=markdown.render_inline(q.items[index]),
                                      verdict=self.s["notebook_right" if right else "notebook_not_in_place"]))
                for n, (index, right) in enumerate(zip(response, result.parts, strict=True), 1)]


class OrderingType(QuestionType[Ordering]):
    """Response: the item indices (bank order) in the student's order."""

    model = Ordering
    script = static_script("ordering")
    aliases = ("order", "sequence", "sort", "sorting", "ordering-question", "put-in-order")
    script_strings = ("move_up", "move_down", "moved")

    def check(self, question: Ordering, at: At, reader: Report) -> None:
        q = question
        if len(q.items) < 2:
            hint = ""
            if q.items and ", " in q.items[0]:
                # `items: The report, The recall`: one text, which the loader takes as a list of one item.
                hint = (f"; `{q.items[0]}` is one item, not a list: write each item on its own line starting "
                        "with `- `, or the list in brackets, `[first, second]`")
            reader.error(at(q, "items"), "too-few-items",
                         f"question `{q.id}` needs at least two items to order{hint}")
        if len({normalise(i) for i in q.items}) != len(q.items):
            reader.error(at(q, "items"), "duplicate-choice", f"question `{q.id}` lists an item twice, so the "
                         "right order is ambiguous")

    def grade(self, question: Ordering, response: Any) -> Result:
        n = len(question.items)
        if not isinstance(response, Sequence) or isinstance(response, str) or sorted(
            i if isinstance(i, int) and not isinstance(i, bool) else -1 for i in response
        ) != list(range(n)):
            return invalid(question, "empty")
        pairs = n * (n - 1) // 2
        in_order = sum(1 for a in range(n) for b in range(a + 1, n) if response[a] < response[b])
        return scored(question, in_order / pairs if pairs else 1.0, [response[i] == i for i in range(n)])

    def correct_response(self, question: Ordering) -> Any:
        return list(range(len(question.items)))

    def part_count(self, question: Ordering) -> int:
        return len(question.items)

    def hides_answer_in_order(self, question: Ordering) -> bool:
        return True

    def site_html(self, page: SiteWriter, qid: str, question: Ordering) -> None:
        # The help names the Move buttons, which only the script adds: it shows the help too.
        page.w(f'<p class="sb-help" id="{qid}-help" hidden="hidden">{escape(page.s["order_help"])}</p>',
               f'<ol class="sb-order" aria-describedby="{qid}-help">')
        for i in page.order(question):
            page.w(f'<li class="sb-item" data-index="{i}"><span class="sb-text">'
                   f'{markdown.render_inline(question.items[i])}</span></li>')
        page.w("</ol>")

    def control(self, question: Ordering, strings: Mapping[str, str], order: Sequence[int],
                bank: Bank) -> Control:
        return OrderingControl(question, strings, order)

    def worksheet(self, sheet: SheetWriter, quiz: WorksheetQuiz, question: Ordering) -> None:
        sheet.w('<ul class="ws-items">')
        for index in quiz.arrangement.order(question):
            filled = f'<span class="ws-filled">{index + 1}</span>' if sheet.key else ""
            sheet.w(f'<li><span class="ws-blank">{filled}</span>{markdown.render_inline(question.items[index])}</li>')
        sheet.w("</ul>")
        sheet.key_block(f'<p><span class="ws-label">{escape(sheet.s["ws_right_order"])}</span></p><ol>',
                        *(f"<li>{markdown.render_inline(item)}</li>" for item in question.items), "</ol>")

    def instruction(self, question: Ordering, strings: Mapping[str, str]) -> str:
        return fill(strings["ws_how_ordering"], n=len(question.items))


QUESTION_TYPE = OrderingType()
