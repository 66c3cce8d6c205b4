"""What every answer control of the notebook quiz shares; each question type makes its own control.

A control owns the input widgets of one question and translates between them
and the response shape of its type (choice indices in bank order, whatever
order the student sees). It also words the per-part feedback (which choice,
position, pair or gap was right) once a response has been graded. A type's
module (``sourcebook.types``) builds its control from the classes here;
everything about attempts, hints and scoring lives in
:mod:`sourcebook.widgets.quiz`, grading in the type.

ipywidgets is optional (the site's build never needs it): it is imported when
the first control is made, so that the types can define their controls
without it.
"""

from __future__ import annotations

import html
import importlib
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .. import markdown, model
from ..i18n import fill

if TYPE_CHECKING:
    from ..grading import Result


class _Widgets:
    """``ipywidgets``, imported on first use."""

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module("ipywidgets"), name)


widgets: Any = _Widgets()

#: Long labels (choices, matching items) must never be cut off.
WIDE = {"description_width": "initial"}
_TAG = re.compile(r"<[^>]*>")

#: The layouts and styles that no code changes once made, one of each kind and settings per kernel.
_SHARED: dict[tuple[type, tuple[tuple[str, str], ...]], Any] = {}


def _shared(kind: type, settings: dict[str, str]) -> Any:
    """One ``kind`` (a layout or a style) with ``settings`` for every widget given it.

    Each widget otherwise makes a layout and a style of its own, and each is a model the page must receive:
    they were two thirds of a quiz's models (664 for 14 questions), and a long quiz's models did not all reach
    JupyterLab.
    """
    key = (kind, tuple(sorted(settings.items())))
    made = _SHARED.get(key)
    if made is None or getattr(made, "comm", True) is None:  # none yet, or closed (Widget.close_all())
        made = _SHARED[key] = kind(**settings)
    return made


def shared_layout(**settings: str) -> Any:
    """A layout shared by every widget given it: never for a widget that :func:`show` hides, which changes
    its layout."""
    return _shared(widgets.Layout, settings)


def shared_style(widget: str, **settings: str) -> Any:
    """The style of a ``widget`` class (``"HTML"``, ``"Button"``...) shared by every widget given it."""
    return _shared(getattr(widgets, widget).class_traits()["style"].klass, settings)


def wide(widget: str) -> Any:
    """The shared style of a ``widget`` class that never cuts a long label off (:data:`WIDE`)."""
    return shared_style(widget, **WIDE)


def text_of(markup: str) -> str:
    """HTML made by the renderer as plain text: its tags dropped, its entities decoded."""
    return html.unescape(_TAG.sub("", markup))


def plain(text: str) -> str:
    """Bank Markdown as plain text, for widget labels that cannot show HTML.

    Raw HTML is off in the renderer, so every tag in its output is one it made
    itself and can simply be dropped; entities are then decoded.
    """
    return text_of(markdown.render_inline(text))


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
        self.widget: Any = None  # each subclass makes its own (a widget made here would be sent, and never shown)

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


class ChoicesControl(Control):
    """Radio buttons (one answer) or checkboxes (``several``), one per choice, shown in ``order``.

    Single choice, multiple answer, true/false and evidence questions use it.
    ``labels`` are the choices' HTML in bank order, ``right`` and ``feedback``
    (Markdown) theirs too; ``values`` are what a radio response holds for each
    (bank indices unless given). While attempts remain only the chosen choices
    are marked, so that the marks do not give the answer away; once finished,
    every choice is.
    """

    def __init__(self, question: model.Question, strings: Mapping[str, str], *, labels: Sequence[str],
                 right: Sequence[bool], feedback: Sequence[str], order: Sequence[int], several: bool,
                 values: Sequence[Any] | None = None, intro: str = ""):
        super().__init__(question, strings)
        self.order = list(order)
        self.labels, self.right, self.feedback_texts = list(labels), list(right), list(feedback)
        self.values = list(values) if values is not None else list(range(len(self.labels)))
        self.several = several
        parts: list[Any] = [widgets.HTML(f"<p>{html.escape(intro)}</p>", layout=shared_layout(),
                                         style=shared_style("HTML"))] if intro else []
        if several:
            self.boxes = {i: widgets.Checkbox(value=False, description=text_of(self.labels[i]), indent=False,
                                              style=wide("Checkbox"), layout=shared_layout(width="auto"))
                          for i in self.order}
            self.widget = widgets.VBox([*parts, *self.boxes.values()], layout=shared_layout())
        else:
            self.radio = widgets.RadioButtons(
                options=[(text_of(self.labels[i]), self.values[i]) for i in self.order], value=None,
                description=strings["your_answer"], style=wide("RadioButtons"),
                layout=shared_layout(width="auto"))
            self.widget = widgets.VBox([*parts, self.radio], layout=shared_layout()) if parts else self.radio

    def inputs(self) -> list[Any]:
        return list(self.boxes.values()) if self.several else [self.radio]

    def response(self) -> Any:
        if self.several:
            return sorted(i for i, box in self.boxes.items() if box.value)
        return self.radio.value

    def set_response(self, response: Any) -> None:
        if self.several:
            chosen = set(response) if isinstance(response, list | tuple) else set()
            for i, box in self.boxes.items():
                box.value = i in chosen
        else:
            self.radio.value = next((self.values[i] for i in self.chosen(response)), None)

    def chosen(self, response: Any) -> set[int]:
        """Bank indices of the choices a response picks."""
        if self.several:
            return {i for i in response if isinstance(i, int)} if isinstance(response, list | tuple) else set()
        # By type as well as value: True must not pass for the choice whose index is 1.
        return {i for i, v in enumerate(self.values) if type(v) is type(response) and v == response}

    def feedback(self, response: Any, result: Result, finished: bool) -> list[str]:
        chosen = self.chosen(response)
        lines = []
        for i in self.order:
            if i not in chosen and not finished:
                continue
            verdict = self.s["notebook_right" if self.right[i] else "notebook_wrong"]
            whose = self.s["notebook_your_choice" if i in chosen else "notebook_not_chosen"]
            lines.append(mark_line(self.right[i], fill(self.s["notebook_part_choice"], label=self.labels[i],
                                                       verdict=verdict, whose=whose), self.feedback_texts[i]))
        return lines


class TextBoxControl(Control):
    """One text box: short answers, and numbers typed as text (so that "1,390" works) with their ``unit``
    beside it; with ``area``, a text area for longer writing."""

    def __init__(self, question: model.Question, strings: Mapping[str, str], *, unit: str = "", area: bool = False):
        super().__init__(question, strings)
        if area:
            self.text = widgets.Textarea(value="", description=strings["your_answer"], style=wide("Text"),
                                         layout=shared_layout(width="100%", height="8em"), continuous_update=True)
        else:
            self.text = widgets.Text(value="", description=strings["your_answer"], style=wide("Text"),
                                     layout=shared_layout(), continuous_update=True)
        if unit:
            label = widgets.Label(unit, layout=shared_layout(), style=shared_style("Label"))
            self.widget = widgets.HBox([self.text, label], layout=shared_layout())
        else:
            self.widget = self.text

    def inputs(self) -> list[Any]:
        return [self.text]

    def response(self) -> Any:
        return self.text.value

    def set_response(self, response: Any) -> None:
        self.text.value = response if isinstance(response, str) else ""


def choose_options(strings: Mapping[str, str], options: Sequence[str]) -> list[tuple[str, str | None]]:
    """A drop-down's options: an empty "(choose)" first, then ``options``."""
    return [(strings["choose"], None), *((o, o) for o in options)]


