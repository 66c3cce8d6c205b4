"""The live notebook quiz: questions as ipywidgets, graded by :mod:`sourcebook.grading`.

``quiz(path)`` loads a bank, selects and orders its questions with
:mod:`sourcebook.selection` (a :class:`~sourcebook.selection.QuizSpec`, as the
site's directive reads; with a seed, the site's and the worksheet's order)
and returns a :class:`Quiz`, which shows itself as a widget in Jupyter and
exposes the results to Python: ``score``, ``max_score``, ``results`` (one
:class:`QuestionRecord` per question), ``summary_by_skill()`` and
``on_check(callback)`` so that a class notebook can collect answers as
students check them.

Per question the student can check an answer, reveal hints one at a time, try
again while attempts remain, and have the answer shown once they are used up;
the explanation and the cited paragraphs of the source follow the last check.
A response that cannot be graded (nothing entered, not a number) is explained
and uses no attempt, as on the site. Feedback is always words and ✓/✗ marks,
never colour alone, and the widgets of each question sit in reading order:
prompt, inputs, buttons, hints, feedback, explanation.
"""

from __future__ import annotations

import dataclasses
import html
import os
import random
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from .. import markdown, model
from ..formatting import format_number
from ..grading import Result, SkillTotal, Summary, correct_response, grade, summarise
from ..html import fingerprint, quiz_html
from ..i18n import fill, find_language, language_note, languages, strings_for
from ..loader import load_bank
from ..problems import BankError, did_you_mean
from ..results import now as results_now
from ..selection import QuizOptionError, QuizSpec, SelectionError, arrange
from ..types.controls import Control, is_shown, shared_layout, shared_style, show
from ..types.open_response import OpenControl

#: Called with the question id and its record each time a response is graded.
CheckCallback = Callable[[str, "QuestionRecord"], object]


_fill = fill


def _number(value: float) -> str:
    """Points as people write them: 2, 1.5, 0.67."""
    return format_number(value, 2)


def _bring_in(widget: Any, markup: str) -> None:
    """Show an HTML widget, then put ``markup`` (a ``role="alert"`` element) into it, so that screen readers say it.

    An ipywidgets HTML widget's element takes no ARIA attribute, and each new value replaces the markup
    inside it, so no live region stays in the page between two values. Of the live regions, only an alert
    is announced when it comes into the page with its text; the widget is shown before the markup comes,
    as an alert that arrives hidden is not said. The same markup again is taken away first, so that it
    comes in, and is said, again.
    """
    show(widget, True)
    if widget.value == markup:
        widget.value = ""
    widget.value = markup


@dataclass(frozen=True)
class QuestionRecord:
    """Where a student stands on one question: what a teacher's notebook reads.

    ``response`` is the last graded response, in the shape documented in
    :mod:`sourcebook.grading` (choice indices in bank order); None before the
    first check. ``correct`` is None before the first check and for open
    responses, which are not graded. ``points`` is what the student's own
    answer earned: showing the answer afterwards changes nothing.
    """

    id: str
    skill: str
    type: str
    response: Any
    correct: bool | None
    points: float
    max_points: float
    score: float | None  # share of full marks, 0 to 1; None before checking and for open responses
    attempts: int  # graded checks used
    hints: int  # hints shown
    revealed: bool  # the answer was shown
    rubric: tuple[int, ...] = ()  # open responses: the rubric criteria the student ticked

    def as_dict(self) -> dict[str, Any]:
        """The record as a plain dict (for a pandas DataFrame or JSON)."""
        return {**dataclasses.asdict(self), "rubric": list(self.rubric)}


class QuestionView:
    """One question as a card of widgets, with its attempts, hints and result."""

    def __init__(self, bank: model.Bank, question: model.Question, number: int, order: Sequence[int],
                 on_graded: Callable[[QuestionView], None], strings: Mapping[str, str]):
        self.bank = bank
        self.question = question
        self.number = number
        self.on_graded = on_graded
        self.s = strings
        self.control: Control = question.KIND.control(question, strings, order, bank)
        self.attempts = 0
        self.hints_shown = 0
        self.revealed = False
        self.response: Any = None
        self.result: Result | None = None
        self.first_checked: str | None = None  # when the student first and last checked (hand-in times)
        self.last_checked: str | None = None

        points = (_fill(self.s["points"], n=_number(question.points)) if question.GRADED
                  else self.s["not_graded"])
        self.heading = widgets.HTML(
            f'<p class="sb-num"><strong>{html.escape(_fill(self.s["question"], n=number))}</strong> '
            f"({html.escape(points)})</p>{markdown.render(question.prompt)}",
            layout=shared_layout(), style=shared_style("HTML"))
        # An open response is not checked but kept: its button says what it does, as on the site.
        self.check_button = self._button(self.s["check"] if question.GRADED else self.s["save"], "check", self.check,
                                         shared_layout(width="auto"))
        self.hint_button = self._button("", "lightbulb-o", self.show_hint)
        self.try_button = self._button(self.s["notebook_try_again"], "repeat", self.try_again)
        self.reveal_button = self._button(self.s["reveal"], "eye", self.reveal)
        # A hint's text comes into its box when it is shown, as an alert, so that screen readers say it (_bring_in).
        self._hints = [f'<div class="sb-hint" role="alert"><p><strong>'
                       f'{html.escape(_fill(self.s["hint_n"], n=i, total=len(question.hints)))}'
                       f"</strong></p>{markdown.render(hint)}</div>" for i, hint in enumerate(question.hints, 1)]
        self.hint_boxes = [widgets.HTML(style=shared_style("HTML")) for _ in self._hints]
        # Shown and hidden (show()): a layout of their own each.
        self.message = widgets.HTML(style=shared_style("HTML"))
        self.feedback = widgets.HTML(style=shared_style("HTML"))
        self.explanation = widgets.HTML(self._explanation_html(), style=shared_style("HTML"))
        parts: list[Any] = [self.heading, self.control.widget,
                            widgets.HBox([self.check_button, self.hint_button, self.try_button, self.reveal_button],
                                         layout=shared_layout()),
                            *self.hint_boxes, self.message, self.feedback]
        if isinstance(self.control, OpenControl):
            parts.append(self.control.self_check)
        parts.append(self.explanation)
        self.widget = widgets.VBox(parts, layout=shared_layout(border="1px solid #767676", padding="0.5em",
                                                        margin="0 0 1em 0"))
        self.widget.add_class("sb-question")
        self._update()

    @staticmethod
    def _button(text: str, icon: str, action: Callable[[], None], layout: Any = None) -> Any:
        """A button; its own layout (``show()`` hides it by its layout) unless a shared one is given."""
        button = widgets.Button(description=text, icon=icon, style=shared_style("Button"),
                                layout=layout if layout is not None else widgets.Layout(width="auto"))
        button.on_click(lambda _b: action())
        return button

    # --- what the student does ---------------------------------------------------

    @property
    def finished(self) -> bool:
        """No more checks: right, out of attempts, answer shown, or an open response written (which the student
        may still revise and save again)."""
        if self.result is None:
            return False
        return bool(self.revealed or self.result.correct or not self.question.GRADED
                    or self.attempts >= self.question.attempts)

    def check(self) -> None:
        """Grade what is entered. An ungradable response, or the wrong answer checked already, is explained and
        costs no attempt; so does a click that comes when there is nothing to check (a double click)."""
        if not self._editing:
            return
        response = self.control.response()
        result = grade(self.question, response)
        if not result.valid:
            problem = self.question.KIND.problem(self.question, response, result)
            example = response.strip().replace(",", ".") if isinstance(response, str) else ""
            self._say(f"⚠ {_fill(self.s.get(problem, self.s['empty']), example=example)}", "sb-problem")
            return
        if self.question.GRADED and self.result is not None and not self.result.correct and response == self.response:
            self._say(f"⚠ {self.s['unchanged']}", "sb-problem")
            return
        self.attempts += 1
        self.response = response
        self.result = result
        self.last_checked = results_now()
        self.first_checked = self.first_checked or self.last_checked
        self.control.set_disabled(self.question.GRADED)
        self.feedback.value = "".join(self.control.feedback(response, result, self.finished))
        self._say(self._verdict(result), "sb-verdict")
        self._update()
        # The Check button is now disabled and would drop the keyboard focus:
        # move it to what the student can do next.
        for button in (self.try_button, self.reveal_button):
            if is_shown(button):
                button.focus()
                break
        self.on_graded(self)

    def _verdict(self, result: Result) -> str:
        s = self.s
        if not self.question.GRADED:
            return s["saved"]
        if result.correct:
            return f"✓ {s['right']}"
        left = self.question.attempts - self.attempts
        tail = _fill(s["attempts_left"], n=left) if left > 0 else s["no_attempts"]
        score = result.score or 0.0
        if score > 0:
            return f"◐ {_fill(s['partly'], percent=round(score * 100))} {tail}"
        return f"✗ {s['wrong']} {tail}"

    def try_again(self) -> None:
        """Clear the marks and let the student change the answer (attempts remain)."""
        if self.finished or self.result is None:
            return
        self.control.set_disabled(False)
        self.feedback.value = ""
        self._say(_fill(self.s["attempts_left"], n=self.question.attempts - self.attempts), "sb-verdict")
        self._update(editing=True)
        first = next((w for w in self.control.inputs() if not w.disabled), None)
        if first is not None:
            first.focus()

    def show_hint(self) -> None:
        """Reveal the next hint."""
        if self.hints_shown < len(self.hint_boxes):
            self.hints_shown += 1
            self._update(editing=self._editing)

    def reveal(self) -> None:
        """Show the right answer (after the attempts are used); the score stays what the student earned."""
        if not self.finished or self.revealed or self.result is None or self.result.correct is not False:
            return
        self.revealed = True
        self.control.set_response(correct_response(self.question))
        # The controls show the right answer; the feedback stays about the student's own ("your choice").
        self.feedback.value = "".join(self.control.feedback(self.response, self.result, True))
        self._say(f"✓ {self.s['revealed']}", "sb-revealed")
        self._update()

    def reset(self) -> None:
        """Back to the start: no answer, attempts, hints or feedback."""
        self.attempts = self.hints_shown = 0
        self.revealed = False
        self.response = self.result = None
        self.first_checked = self.last_checked = None
        self.control.clear()
        self.control.set_disabled(False)
        self.feedback.value = ""
        self._say("", "")
        self._update()

    # --- how it looks ---------------------------------------------------------------

    @property
    def _editing(self) -> bool:
        """Whether the inputs are open for an answer (before any check, or after Try again)."""
        return not self.check_button.disabled

    def _update(self, editing: bool | None = None) -> None:
        if editing is None:
            editing = self.result is None or not self.question.GRADED
        finished = self.finished
        self.check_button.disabled = not editing
        show(self.try_button, not editing and not finished)
        show(self.reveal_button, finished and not self.revealed and self.result is not None
             and self.result.correct is False)
        total = len(self.hint_boxes)
        show(self.hint_button, total > 0)
        if self.hints_shown < total:
            self.hint_button.description = _fill(self.s["notebook_show_hint"], n=self.hints_shown + 1, total=total)
        else:
            self.hint_button.description = self.s["notebook_no_more_hints"]
        self.hint_button.disabled = self.hints_shown >= total
        for i, (box, hint) in enumerate(zip(self.hint_boxes, self._hints, strict=True)):
            if i >= self.hints_shown:
                box.value = ""
                show(box, False)
            elif not box.value:
                _bring_in(box, hint)
        show(self.explanation, finished and bool(self.explanation.value))
        show(self.message, bool(self.message.value))
        show(self.feedback, bool(self.feedback.value))

    def _say(self, text: str, kind: str) -> None:
        """Show ``text`` under the buttons, and have screen readers say it (an alert: see :func:`_bring_in`)."""
        if not text:
            self.message.value = ""
            show(self.message, False)
            return
        _bring_in(self.message, f'<p class="sb-result {kind}" role="alert">{html.escape(text)}</p>')

    def _explanation_html(self) -> str:
        q = self.question
        out = []
        if q.explanation:
            out.append(f"<p><strong>{html.escape(self.s['explanation'])}</strong></p>{markdown.render(q.explanation)}")
        quotes = [f'<blockquote data-anchor="{html.escape(cited.anchor)}"><p><strong>{html.escape(cited.label)}:'
                  f"</strong> {html.escape(cited.paragraph.text)}</p></blockquote>"
                  for cited in self.bank.evidence(q)]
        if quotes:
            out.append(f"<p>{html.escape(self.s['evidence'])}</p>" + "".join(quotes))
        return "".join(out)

    # --- what Python reads ------------------------------------------------------------

    def record(self) -> QuestionRecord:
        q = self.question
        r = self.result
        return QuestionRecord(
            id=q.id, skill=q.skill, type=q.TYPE, response=self.response,
            correct=r.correct if r is not None else None,
            points=r.points if r is not None else 0.0,
            max_points=q.points if q.GRADED else 0.0,
            score=r.score if r is not None else None,
            attempts=self.attempts, hints=self.hints_shown, revealed=self.revealed,
            rubric=tuple(self.control.ticked()) if isinstance(self.control, OpenControl) else (),
        )


class Quiz:
    """A live quiz over some questions of a bank; shows itself as a widget in Jupyter."""

    def __init__(self, bank: model.Bank, questions: Sequence[model.Question], *, shuffle: bool = False,
                 seed: int | str | None = None, language: str | None = None):
        self.bank = bank
        #: The questions as selected: what the static HTML of the quiz is made from.
        self.selected = list(questions)
        self.shuffle = shuffle
        self.seed = seed
        self.language = language
        arrangement = arrange(self.selected, shuffle=shuffle, seed=seed, key=None)
        shown = list(arrangement.questions)
        if arrangement.per_student:  # shuffled without a seed: this notebook is the student's browser
            random.shuffle(shown)
        #: The questions in the order shown.
        self.questions = shown
        #: Interface texts from the translation catalogue (the site's), English by default.
        self.s = strings_for(language)
        self._callbacks: list[CheckCallback] = []
        self.views: list[QuestionView] = []
        for number, q in enumerate(self.questions, 1):
            # Without a seed, arrange already mixed the choices afresh: this notebook is the student's browser.
            self.views.append(QuestionView(bank, q, number, arrangement.order(q), self._graded, self.s))
        self.score_line = widgets.HTML(style=shared_style("HTML"))  # shown and hidden: a layout of its own
        self.reset_button = widgets.Button(description=self.s["reset"], icon="undo", style=shared_style("Button"),
                                           tooltip=self.s["notebook_reset_tooltip"],
                                           layout=shared_layout(width="auto", align_self="flex-start"))
        self.reset_button.on_click(lambda _b: self.reset())
        title = widgets.HTML(f"<h3>{html.escape(bank.title)}</h3>", layout=shared_layout(), style=shared_style("HTML"))
        #: Where an error of an ``on_check`` callback shows, in Jupyter (not in a log no one reads).
        self.callback_errors = widgets.Output()
        self.widget = widgets.VBox([title, *(v.widget for v in self.views), self.score_line, self.reset_button,
                                    self.callback_errors], layout=shared_layout())
        self.widget.add_class("sb-quiz")
        self._update_score()

    # --- results ----------------------------------------------------------------------

    @property
    def score(self) -> float:
        """Points earned so far, with partial credit (open responses never count)."""
        return self._summary().points

    @property
    def max_score(self) -> float:
        """Points available over the graded questions shown."""
        return self._summary().max_points

    @property
    def results(self) -> list[QuestionRecord]:
        """One record per question, in the order shown."""
        return [v.record() for v in self.views]

    def summary_by_skill(self) -> dict[str, SkillTotal]:
        """Points earned and available per historical-thinking skill ("other" for untagged questions)."""
        return dict(self._summary().by_skill)

    def on_check(self, callback: CheckCallback, *, remove: bool = False) -> None:
        """Call ``callback(question_id, record)`` each time a response is graded.

        It runs after the quiz has updated, so ``record`` and the quiz's score
        already include the check. A response that cannot be graded (nothing
        entered) uses no attempt and does not call it. ``remove=True`` unregisters.
        """
        if remove:
            self._callbacks.remove(callback)
        else:
            self._callbacks.append(callback)

    def reset(self) -> None:
        """Clear every answer, attempt, hint and the score."""
        for view in self.views:
            view.reset()
        self._update_score()

    def view(self, question_id: str) -> QuestionView:
        """The widgets of one question (for tests and for teachers' own layouts)."""
        for v in self.views:
            if v.question.id == question_id:
                return v
        raise KeyError(question_id)

    def hand_in(self, path: str | os.PathLike[str], name: str | None = None, class_name: str | None = None, *,
                course: str = "") -> str:
        """Write this quiz's results as a hand-in file (the course site's format) to ``path``.

        ``name`` and ``class_name`` are asked once: later calls in the same
        kernel reuse them. ``sourcebook report`` reads the file beside the
        site's. Returns the path written.
        """
        from ..pages import find_book_root
        from ..results import document, question_fingerprint, write_hand_in

        if name is not None:
            _STUDENT["name"] = name
        if class_name is not None:
            _STUDENT["class"] = class_name
        if not _STUDENT.get("name", "").strip():
            raise ValueError("give the student's name once: q.hand_in(path, name='...', class_name='...')")
        bank = ""
        if self.bank.path:
            bank_path = Path(self.bank.path).resolve()
            try:
                bank = bank_path.relative_to(find_book_root(bank_path)).as_posix()
            except ValueError:
                bank = bank_path.name
        questions = []
        for view in self.views:
            record = view.record()
            questions.append({
                "id": record.id, "fingerprint": question_fingerprint(view.question), "type": record.type,
                "skill": record.skill, "max_points": record.max_points, "response": _plain(record.response),
                "points": record.points, "attempts": record.attempts, "hints": record.hints,
                "revealed": record.revealed, "first_checked": view.first_checked,
                "last_checked": view.last_checked, **({"rubric": list(record.rubric)} if record.rubric else {}),
            })
        updated = max((q["last_checked"] for q in questions if q["last_checked"]), default=None)
        quiz = {"key": f"notebook:{bank or self.bank.title}", "title": self.bank.title, "bank": bank,
                "fingerprint": fingerprint(self.questions), "updated": updated, "questions": questions}
        doc = document(_STUDENT["name"].strip(), _STUDENT.get("class", "").strip(), [quiz], course=course)
        return str(write_hand_in(path, doc))

    # --- inside ---------------------------------------------------------------------

    def _summary(self) -> Summary:
        return summarise(self.questions, {v.question.id: v.result for v in self.views})

    def _graded(self, view: QuestionView) -> None:
        self._update_score()
        record = view.record()
        for callback in list(self._callbacks):
            # In Jupyter, an error shows its traceback under the quiz and the callbacks after it still run.
            with self.callback_errors:
                callback(view.question.id, record)

    def _update_score(self) -> None:
        summary = self._summary()
        line = _fill(self.s["score"], points=_number(summary.points), max=_number(summary.max_points))
        skills = [_fill(self.s["skill_score"], skill=skill, points=_number(t.points), max=_number(t.max_points))
                  for skill, t in sorted(summary.by_skill.items())]
        text = f"<p><strong>{html.escape(line)}</strong></p>"
        if skills:
            text += f"<p>{html.escape(self.s['by_skill'])}</p><ul>" + "".join(
                f"<li>{html.escape(s)}</li>" for s in skills) + "</ul>"
        self.score_line.value = text
        show(self.score_line, summary.max_points > 0)

    # --- display in Jupyter -------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle: dict[str, Any] = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        # The same quiz as static HTML: what the course site shows (its quiz.js makes
        # it interactive there) and what viewers without a widget manager display. JupyterLab
        # shows it when the notebook was saved without its widgets, sanitised: the note for a
        # browser without JavaScript is then shown, and says what to do in a notebook.
        bundle["text/html"] = quiz_html(self.bank, self.selected, shuffle=self.shuffle, seed=self.seed,
                                        strings={**self.s, "noscript": self.s["notebook_static"]})
        return bundle

    def __repr__(self) -> str:
        return (f"<Quiz {self.bank.title!r}: {len(self.questions)} question{'s' * (len(self.questions) != 1)}, "
                f"score {_number(self.score)} of {_number(self.max_score)}>")


#: The most questions one quiz shows without a warning: JupyterLab 4 showed a quiz of 300 questions (7,000 widget
#: models) in 7 s, and none of 500 (11,800 models) in ten minutes: not all of its models reached the page.
MOST_QUESTIONS_SHOWN = 300

#: The student's name and class, given once per kernel to Quiz.hand_in.
_STUDENT: dict[str, str] = {}


def _plain(value: Any) -> Any:
    """A response as JSON data (tuples as lists)."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


#: Keywords teachers reach for, from other quiz tools and Python habits, and the option each means.
_KEYWORD_ALIASES = {
    "n": "count", "number": "count", "num": "count", "k": "count", "size": "count", "limit": "count",
    "how_many": "count", "questions_count": "count", "sample": "count",
    "id": "ids", "question": "ids", "questions": "ids", "question_ids": "ids", "only": "ids",
    "skill": "skills", "tag": "skills", "tags": "skills", "category": "skills", "categories": "skills",
    "random": "shuffle", "randomize": "shuffle", "randomise": "shuffle", "shuffled": "shuffle",
    "random_state": "seed", "random_seed": "seed",
    "lang": "language", "locale": "language", "languages": "language",
}
#: The options of quiz() after the bank, in the order its signature gives them.
_OPTIONS = ("ids", "skills", "count", "shuffle", "seed", "language")


def _unknown_keyword(name: str) -> QuizOptionError:
    near = _KEYWORD_ALIASES.get(name.lower())
    suggestion = f" did you mean `{near}`?" if near else did_you_mean(name, _OPTIONS)
    return QuizOptionError(f"quiz() has no option `{name}`;{suggestion} its options are {', '.join(_OPTIONS)}")


def _names(value: object, option: str) -> tuple[str, ...] | None:
    # A single id or skill given as a string means that one, not its letters.
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    example = '["m1-author", "m1-audience"]' if option == "ids" else '["sourcing", "close reading"]'
    if not isinstance(value, Iterable) or isinstance(value, bytes | Mapping):
        raise QuizOptionError(f"`{option}` should be a text or a list of texts, such as {option}={example}, "
                              f"not {value!r}")
    names = tuple(value)
    if not names or not all(isinstance(name, str) for name in names):
        raise QuizOptionError(f"`{option}` should be a list of texts, such as {option}={example}, not {value!r}")
    return names


def _count(value: object) -> int | None:
    if value is None:
        return None
    whole = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, float) and value.is_integer():
        whole = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        raise QuizOptionError(f"`count` should be a number, not the text {value!r}: write count={value.strip()}, "
                              "without quotes")
    if whole is None or whole < 1:
        raise QuizOptionError(f"`count` should be a whole number of questions, 1 or more, such as count=5, "
                              f"not {value!r}")
    return whole


def _language(value: object) -> str | None:
    if value is None:
        return None
    there = ", ".join(f'language="{code}"' for code in languages())
    if not isinstance(value, str) or find_language(value) is None:
        raise QuizOptionError(f"there is no interface in {value!r}; the languages there are: {there} "
                              "(or leave `language` out for English)")
    return value


def quiz(
    bank_or_path: model.Bank | str | os.PathLike[str],
    *,
    ids: str | Iterable[str] | None = None,
    skills: str | Iterable[str] | None = None,
    count: int | None = None,
    shuffle: bool = False,
    seed: int | str | None = None,
    language: str | None = None,
    **unknown: object,
) -> Quiz:
    """A live quiz over a bank (a loaded :class:`~sourcebook.model.Bank` or the path of a YAML bank).

    ``ids`` and ``skills`` pick questions, ``count`` draws that many at
    random, ``shuffle`` mixes the questions and, where the bank allows, their
    choices; ``seed`` makes the draw and the order the same every time.
    ``language`` chooses the interface texts, as a book's ``language`` setting
    does (``"zh_CN"`` for Simplified Chinese; English by default). A bank
    with errors raises :class:`~sourcebook.BankError` listing them with line
    numbers. An option that is unknown or of the wrong kind (``n=5``,
    ``count="5"``, ``language="fr"``) raises
    :class:`~sourcebook.selection.QuizOptionError` (a TypeError and a
    ValueError), and options the bank cannot meet (an id it does not have,
    ``count`` over its size) :class:`~sourcebook.selection.SelectionError`;
    each message is one line that says what to write.
    """
    # Every mistake is raised from here, with `from None`: a teacher's traceback ends at quiz(), not inside it.
    if unknown:
        raise _unknown_keyword(next(iter(unknown))) from None
    if not isinstance(shuffle, bool):
        raise QuizOptionError(f"`shuffle` is True or False, not {shuffle!r}") from None
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | str)):
        raise QuizOptionError(f"`seed` should be a whole number or a text, such as seed=1, not {seed!r}") from None
    try:
        named, wanted, drawn, language = (_names(ids, "ids"), _names(skills, "skills"), _count(count),
                                          _language(language))
    except QuizOptionError as exc:
        raise QuizOptionError(str(exc)) from None
    if not isinstance(bank_or_path, model.Bank | str | os.PathLike):
        raise QuizOptionError(f'quiz() takes the path of a bank, such as quiz("questions/01-meeting-the-source.yml"), '
                              f"or a bank loaded with load_bank(), not {bank_or_path!r}") from None
    try:
        bank = bank_or_path if isinstance(bank_or_path, model.Bank) else load_bank(bank_or_path)
    except BankError as exc:
        raise BankError(exc.problems) from None
    spec = QuizSpec(bank=bank.path or bank.title, ids=named, skills=wanted, count=drawn, shuffle=shuffle, seed=seed)
    try:
        questions = spec.select(bank.questions, default_seed=None)
    except SelectionError as exc:
        raise SelectionError(str(exc)) from None
    if len(questions) > MOST_QUESTIONS_SHOWN:
        warnings.warn(f"this quiz shows {len(questions)} questions: JupyterLab may not show a quiz of more than "
                      f"{MOST_QUESTIONS_SHOWN} at all (each question is about twenty widgets, all sent at once); show "
                      f"fewer with count= or ids=, or split the bank", stacklevel=2)
    note = language_note(language)
    if note is not None:
        warnings.warn(note, stacklevel=2)
    return Quiz(bank, questions, shuffle=spec.shuffle, seed=spec.seed, language=language)


__all__ = ["CheckCallback", "QuestionRecord", "QuestionView", "Quiz", "quiz"]
