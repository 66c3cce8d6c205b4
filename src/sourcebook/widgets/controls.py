"""The answer controls of the notebook quiz: one class per question type.

A control owns the input widgets of one question and translates between them
and the response shapes that :mod:`sourcebook.grading` documents (choice
indices in bank order, whatever order the student sees). It also words the
per-part feedback (which choice, position, pair or gap was right) once a
response has been graded. Everything about attempts, hints and scoring lives
in :mod:`sourcebook.widgets.quiz`; grading itself only in ``grading.py``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets

from .. import markdown, model
from ..grading import Result
from ..i18n import fill
from ..model import GAP_PATTERN

#: Long labels (choices, matching items) must never be cut off.
WIDE = {"description_width": "initial"}
_TAG = re.compile(r"<[^>]*>")


def plain(text: str) -> str:
    """Bank Markdown as plain text, for widget labels that cannot show HTML.

    Raw HTML is off in the renderer, so every tag in its output is one it made
    itself and can simply be dropped; entities are then decoded.
    """
    return html.unescape(_TAG.sub("", markdown.render_inline(text)))


def show(widget: Any, visible: bool) -> None:
    """Show or hide a widget; hidden widgets leave the page and the focus order."""
    # "" rather than None: in the browser's Pyodide kernel None reaches the page as
    # undefined, which the page ignores, and the widget would stay hidden.
    widget.layout.display = "" if visible else "none"


def is_shown(widget: Any) -> bool:
    """Whether :func:`show` last made the widget visible."""
    return bool(widget.layout.display != "none")


def mark_line(right: bool, text: str, feedback: str = "") -> str:
    """One feedback line: a ✓ or ✗ with words (never colour alone), then the Markdown feedback."""
    sign = "✓" if right else "✗"
    line = f'<div class="sb-part {"sb-right" if right else "sb-wrong"}"><p>{sign} {text}</p>'
    if feedback:
        line += markdown.render(feedback)
    return line + "</div>"


class Control:
    """Input widgets for one question. Subclasses fill ``self.widget``."""

    def __init__(self, question: model.Question, strings: Mapping[str, str]):
        self.question = question
        self.s = strings
        self.widget: Any = widgets.VBox()

    def response(self) -> Any:
        """What the student has entered, in the grading shape of the question type."""
        raise NotImplementedError

    def set_response(self, response: Any) -> None:
        """Put a response (for example the revealed answer) into the widgets."""
        raise NotImplementedError

    def inputs(self) -> list[Any]:
        """Every widget the student can change, in reading order."""
        raise NotImplementedError

    def set_disabled(self, disabled: bool) -> None:
        for w in self.inputs():
            w.disabled = disabled

    def clear(self) -> None:
        """Back to the state the quiz started with."""
        self.set_response(None)

    def feedback(self, response: Any, result: Result, finished: bool) -> list[str]:
        """HTML lines saying what was right in ``response``; ``finished`` may tell more."""
        return [markdown.render(f) for f in result.feedback]


class _Choices(Control):
    """Shared by single choice, multiple answer and true/false: marks and feedback per choice."""

    order: list[int]

    def _choice_texts(self) -> list[tuple[str, bool, str]]:
        """(label HTML, right, feedback Markdown) per choice, in bank order."""
        q = self.question
        assert isinstance(q, model.SingleChoice | model.MultipleAnswer)
        return [(markdown.render_inline(c.text), c.correct, c.feedback) for c in q.choices]

    def _chosen(self, response: Any) -> set[int]:
        raise NotImplementedError

    def feedback(self, response: Any, result: Result, finished: bool) -> list[str]:
        # While attempts remain only the chosen choices are marked, so that the
        # marks do not give the answer away; once finished, every choice is.
        chosen = self._chosen(response)
        texts = self._choice_texts()
        lines = []
        for i in self.order:
            if i not in chosen and not finished:
                continue
            label, right, feedback = texts[i]
            verdict = self.s["notebook_right" if right else "notebook_wrong"]
            whose = self.s["notebook_your_choice" if i in chosen else "notebook_not_chosen"]
            lines.append(mark_line(right, fill(self.s["notebook_part_choice"], label=label, verdict=verdict,
                                               whose=whose), feedback))
        return lines


class _RadioChoices(_Choices):
    """Choices shown as one group of radio buttons (``self.radio``)."""

    radio: Any

    def inputs(self) -> list[Any]:
        return [self.radio]

    def response(self) -> Any:
        return self.radio.value


class SingleControl(_RadioChoices):
    """Radio buttons, one per choice."""

    def __init__(self, question: model.SingleChoice, strings: Mapping[str, str], order: Sequence[int]):
        super().__init__(question, strings)
        self.order = list(order)
        self.radio = widgets.RadioButtons(
            options=[(plain(question.choices[i].text), i) for i in self.order], value=None,
            description=strings["your_answer"], style=WIDE, layout=widgets.Layout(width="auto"))
        self.widget = self.radio

    def set_response(self, response: Any) -> None:
        self.radio.value = response if response in self.order else None

    def _chosen(self, response: Any) -> set[int]:
        return {response} if isinstance(response, int) else set()


class MultipleControl(_Choices):
    """One checkbox per choice."""

    def __init__(self, question: model.MultipleAnswer, strings: Mapping[str, str], order: Sequence[int]):
        super().__init__(question, strings)
        self.order = list(order)
        self.boxes = {i: widgets.Checkbox(value=False, description=plain(question.choices[i].text), indent=False,
                                          style=WIDE, layout=widgets.Layout(width="auto"))
                      for i in self.order}
        self.widget = widgets.VBox([widgets.HTML(f"<p>{html.escape(strings['notebook_tick_all'])}</p>"),
                                    *self.boxes.values()])

    def inputs(self) -> list[Any]:
        return list(self.boxes.values())

    def response(self) -> Any:
        return sorted(i for i, box in self.boxes.items() if box.value)

    def set_response(self, response: Any) -> None:
        chosen = set(response) if isinstance(response, list | tuple) else set()
        for i, box in self.boxes.items():
            box.value = i in chosen

    def _chosen(self, response: Any) -> set[int]:
        return set(response)


class TrueFalseControl(_RadioChoices):
    """Radio buttons True and False."""

    def __init__(self, question: model.TrueFalse, strings: Mapping[str, str]):
        super().__init__(question, strings)
        self.order = [0, 1]
        self.radio = widgets.RadioButtons(options=[(strings["true"], True), (strings["false"], False)], value=None,
                                          description=strings["your_answer"], style=WIDE)
        self.widget = self.radio

    def set_response(self, response: Any) -> None:
        self.radio.value = response if isinstance(response, bool) else None

    def _choice_texts(self) -> list[tuple[str, bool, str]]:
        q = self.question
        assert isinstance(q, model.TrueFalse)
        return [(html.escape(self.s["true"]), q.answer, q.feedback_true),
                (html.escape(self.s["false"]), not q.answer, q.feedback_false)]

    def _chosen(self, response: Any) -> set[int]:
        return {0 if response else 1} if isinstance(response, bool) else set()


class TextBoxControl(Control):
    """A control whose response is the text in one box (``self.text``)."""

    text: Any

    def inputs(self) -> list[Any]:
        return [self.text]

    def response(self) -> Any:
        return self.text.value

    def set_response(self, response: Any) -> None:
        self.text.value = response if isinstance(response, str) else ""


class TypedControl(TextBoxControl):
    """A text box: short answers, and numbers (typed as text, so that "1,390" works), with the unit beside it."""

    def __init__(self, question: model.Numeric | model.ShortText, strings: Mapping[str, str]):
        super().__init__(question, strings)
        self.text = widgets.Text(value="", description=strings["your_answer"], style=WIDE,
                                 continuous_update=True)
        unit = question.unit if isinstance(question, model.Numeric) else ""
        if unit:
            self.widget = widgets.HBox([self.text, widgets.Label(unit)])
        else:
            self.widget = self.text



class OrderingControl(Control):
    """The items as a numbered list with Move up / Move down buttons: keyboard operable, no dragging."""

    def __init__(self, question: model.Ordering, strings: Mapping[str, str], order: Sequence[int]):
        super().__init__(question, strings)
        self.start = list(order)
        self.order = list(order)
        self.labels: list[Any] = []
        self.up: list[Any] = []
        self.down: list[Any] = []
        rows = []
        for position in range(len(self.order)):
            label = widgets.HTML(layout=widgets.Layout(flex="1 1 auto"))
            up = widgets.Button(description=strings["notebook_move_up"], icon="arrow-up",
                                layout=widgets.Layout(width="auto"))
            down = widgets.Button(description=strings["notebook_move_down"], icon="arrow-down",
                                  layout=widgets.Layout(width="auto"))
            up.on_click(lambda _b, p=position: self.move(p, -1))
            down.on_click(lambda _b, p=position: self.move(p, +1))
            self.labels.append(label)
            self.up.append(up)
            self.down.append(down)
            rows.append(widgets.HBox([label, up, down]))
        self.status = widgets.HTML()
        self.disabled = False
        self.widget = widgets.VBox([widgets.HTML(f"<p>{html.escape(strings['order_help'])}</p>"), *rows,
                                    self.status])
        self._refresh()

    def _refresh(self) -> None:
        q = self.question
        assert isinstance(q, model.Ordering)
        last = len(self.order) - 1
        for position, index in enumerate(self.order):
            item = plain(q.items[index])
            self.labels[position].value = f"{position + 1}. {markdown.render_inline(q.items[index])}"
            # The item's name in the tooltip says which item a button moves.
            self.up[position].tooltip = self.s["move_up"].replace("{item}", item)
            self.down[position].tooltip = self.s["move_down"].replace("{item}", item)
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
        assert isinstance(q, model.Ordering)
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
        assert isinstance(q, model.Ordering)
        return [mark_line(right, fill(self.s["notebook_part_position"], n=n,
                                      item=markdown.render_inline(q.items[index]),
                                      verdict=self.s["notebook_right" if right else "notebook_not_in_place"]))
                for n, (index, right) in enumerate(zip(response, result.parts, strict=True), 1)]


def _choose_options(strings: Mapping[str, str], options: Sequence[str]) -> list[tuple[str, str | None]]:
    return [(strings["choose"], None), *((o, o) for o in options)]


class MatchingControl(Control):
    """One drop-down per left item, starting on an empty "(choose)"."""

    def __init__(self, question: model.Matching, strings: Mapping[str, str]):
        super().__init__(question, strings)
        # Alphabetical, as on the site: bank order would put each item's partner beside it.
        options = _choose_options(strings, sorted(set(question.options), key=str.casefold))
        self.dropdowns = [widgets.Dropdown(options=options, value=None, description=plain(pair.left), style=WIDE)
                          for pair in question.pairs]
        self.widget = widgets.VBox(self.dropdowns)

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
        assert isinstance(q, model.Matching)
        return [mark_line(right, fill(self.s["notebook_part_pair"], left=markdown.render_inline(pair.left),
                                      given=html.escape(given or self.s["notebook_nothing_chosen"]),
                                      verdict=self.s["notebook_right" if right else "notebook_wrong"]))
                for pair, given, right in zip(q.pairs, response, result.parts, strict=True)]


class BlanksControl(Control):
    """The text with a box or a drop-down in place of each [[gap]]."""

    def __init__(self, question: model.Blanks, strings: Mapping[str, str]):
        super().__init__(question, strings)
        self.names = list(question.blanks)
        self.gaps: dict[str, Any] = {}
        lines = []
        # Paragraph by paragraph, so that the gaps sit inside the sentence they belong to.
        for paragraph in re.split(r"\n\s*\n", question.text.strip()):
            parts: list[Any] = []
            position = 0
            for match in GAP_PATTERN.finditer(paragraph):
                parts.append(self._words(paragraph[position:match.start()]))
                parts.append(self._gap(match.group(1), match.group(0)))
                position = match.end()
            parts.append(self._words(paragraph[position:]))
            lines.append(widgets.HBox([p for p in parts if p is not None],
                                      layout=widgets.Layout(flex_flow="row wrap", align_items="center")))
        self.widget = widgets.VBox(lines)

    @staticmethod
    def _words(text: str) -> Any:
        if not text.strip():
            return None
        return widgets.HTML(markdown.render_inline(text), layout=widgets.Layout(margin="0 0.3em"))

    def _gap(self, name: str, raw: str) -> Any:
        blank = self.question.blanks.get(name) if isinstance(self.question, model.Blanks) else None
        if blank is None or name in self.gaps:  # the loader refuses such banks; keep the text if one slips by
            return self._words(raw)
        label = self.s["gap"].replace("{n}", str(self.names.index(name) + 1))
        gap: Any
        if blank.choices:
            gap = widgets.Dropdown(options=_choose_options(self.s, blank.choices), value=None, description=label,
                                   style=WIDE, layout=widgets.Layout(width="auto"))
        else:
            gap = widgets.Text(value="", description=label, style=WIDE, continuous_update=True,
                               layout=widgets.Layout(width="16em"))
        self.gaps[name] = gap
        return gap

    def inputs(self) -> list[Any]:
        return list(self.gaps.values())

    def response(self) -> Any:
        return {name: gap.value or "" for name, gap in self.gaps.items()}

    def set_response(self, response: Any) -> None:
        for name, gap in self.gaps.items():
            value = response.get(name) if isinstance(response, dict) else None
            if isinstance(gap, widgets.Dropdown):
                gap.value = value if value in [v for _, v in gap.options] else None
            else:
                gap.value = value if isinstance(value, str) else ""

    def feedback(self, response: Any, result: Result, finished: bool) -> list[str]:
        lines = []
        for n, (name, right) in enumerate(zip(self.names, result.parts, strict=True), 1):
            given = response.get(name) or ""
            shown = (fill(self.s["notebook_quoted"], text=html.escape(given)) if given
                     else html.escape(self.s["notebook_left_empty"]))
            label = html.escape(fill(self.s["gap"], n=n))
            lines.append(mark_line(right, fill(self.s["notebook_part_gap"], gap=label, given=shown,
                                               verdict=self.s["notebook_right" if right else "notebook_wrong"])))
        return lines


class OpenControl(TextBoxControl):
    """A text area; after Check, the model answer and the rubric as boxes to tick."""

    def __init__(self, question: model.OpenResponse, strings: Mapping[str, str]):
        super().__init__(question, strings)
        self.text = widgets.Textarea(value="", description=strings["your_answer"], style=WIDE,
                                     layout=widgets.Layout(width="100%", height="8em"), continuous_update=True)
        self.rubric = [widgets.Checkbox(value=False, description=plain(c), indent=False, style=WIDE,
                                        layout=widgets.Layout(width="auto")) for c in question.rubric]
        parts: list[Any] = []
        if self.rubric:
            parts += [widgets.HTML(f"<p>{html.escape(strings['rubric'])}</p>"), *self.rubric]
        if question.model_answer:
            parts.append(widgets.HTML(f"<p><strong>{html.escape(strings['model_answer'])}</strong></p>"
                                      + markdown.render(question.model_answer)))
        self.self_check = widgets.VBox(parts)
        show(self.self_check, False)
        self.widget = self.text

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


def make_control(question: model.Question, strings: Mapping[str, str], order: Sequence[int]) -> Control:
    """The control for a question; ``order`` is the display order of its choices or items."""
    if isinstance(question, model.SingleChoice):
        return SingleControl(question, strings, order)
    if isinstance(question, model.MultipleAnswer):
        return MultipleControl(question, strings, order)
    if isinstance(question, model.TrueFalse):
        return TrueFalseControl(question, strings)
    if isinstance(question, model.Numeric | model.ShortText):
        return TypedControl(question, strings)
    if isinstance(question, model.Ordering):
        return OrderingControl(question, strings, order)
    if isinstance(question, model.Matching):
        return MatchingControl(question, strings)
    if isinstance(question, model.Blanks):
        return BlanksControl(question, strings)
    if isinstance(question, model.OpenResponse):
        return OpenControl(question, strings)
    raise TypeError(f"no notebook control for questions of type {type(question).__name__}")
