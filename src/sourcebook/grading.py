"""Grading: pure functions from (question, response) to a result. No I/O, no widgets.

These rules are the one truth of how answers are scored; the site's
JavaScript grader (``static/grading.js``) implements the same rules and both
are held to the vectors in ``tests/conformance/``. The rules, as the README
documents them for teachers:

* single choice, true/false, numeric, short text: all or nothing;
* multiple answer: (right choices ticked - wrong choices ticked) / right
  choices, never below 0; with no right choice, 1 only when nothing is ticked;
* ordering: the share of pairs of items that stand in the right relative order;
* matching: the share of left items given their right partner;
* fill in the blanks: the share of gaps filled right;
* open response: not graded (score ``None``), never counts towards the total.

A response that cannot be graded (nothing given, not a number) is *invalid*:
it gets a ``problem`` code and does not use up an attempt.

Response shapes (what renderers pass in, what the site stores):

=============  ==============================================================
single         index of the chosen choice (bank order), or None
multiple       list of indices of the ticked choices
true-false     True or False, or None
numeric        the text typed (a number is accepted too)
short          the text typed
ordering       list of item indices (bank order) in the student's order
matching       for each pair (bank order), the right-hand text chosen, or None
blanks         mapping of gap name to the text typed or chosen
open           the text written
=============  ==============================================================
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import model
from .formatting import format_number

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
                         "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"'})
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")


def normalise(text: str, *, case_sensitive: bool = False) -> str:
    """Text as compared for short-text answers and typed blanks.

    Unicode NFKC (full-width letters and digits become ordinary ones), curly
    quotes become straight ones, runs of white space become one space,
    punctuation and spaces at either end are dropped, and, unless the question
    is case-sensitive, letters are lower-cased.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _SPACE.sub(" ", text)
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or unicodedata.category(text[start]).startswith("P")):
        start += 1
    while end > start and (text[end - 1].isspace() or unicodedata.category(text[end - 1]).startswith("P")):
        end -= 1
    text = text[start:end]
    return text if case_sensitive else text.lower()


def parse_number(text: str | float | int, unit: str = "") -> float | None:
    """The number a student typed, or None if it is not one.

    Spaces are ignored, commas may group thousands (1,390), the decimal mark is
    a point, and the question's unit may follow the number.
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        return float(text)
    value = unicodedata.normalize("NFKC", text).strip()
    if unit and value.lower().endswith(unit.lower()):
        value = value[: len(value) - len(unit)]
    value = _SPACE.sub("", value)
    if not _NUMBER.fullmatch(value):
        return None
    return float(value.replace(",", ""))


@dataclass(frozen=True)
class Result:
    """The outcome of grading one response to one question."""

    score: float | None  # share of full marks, 0 to 1; None for open responses
    correct: bool | None  # fully right; None for open responses
    points: float  # points earned
    max_points: float  # points available (0 for open responses)
    valid: bool = True  # False: nothing to grade; no attempt used
    problem: str = ""  # why not valid: "empty" or "not-a-number"
    parts: tuple[bool, ...] = ()  # per choice / position / pair / gap: right or not
    feedback: tuple[str, ...] = ()  # Markdown feedback the response earned


def _invalid(question: model.Question, problem: str) -> Result:
    points = question.points if question.GRADED else 0.0
    return Result(score=0.0 if question.GRADED else None, correct=False if question.GRADED else None,
                  points=0.0, max_points=points, valid=False, problem=problem)


def _result(question: model.Question, score: float, parts: Iterable[bool] = (),
            feedback: Iterable[str] = ()) -> Result:
    score = min(1.0, max(0.0, score))
    return Result(score=score, correct=score == 1.0, points=score * question.points,
                  max_points=question.points, parts=tuple(parts), feedback=tuple(f for f in feedback if f))


def grade(question: model.Question, response: Any) -> Result:
    """Grade ``response`` to ``question`` (shapes in the module docstring)."""
    grader = _GRADERS[type(question)]
    result: Result = grader(question, response)
    return result


def _single(q: model.SingleChoice, response: Any) -> Result:
    if not isinstance(response, int) or isinstance(response, bool) or not 0 <= response < len(q.choices):
        return _invalid(q, "empty")
    choice = q.choices[response]
    return _result(q, 1.0 if choice.correct else 0.0, feedback=[choice.feedback])


def _multiple(q: model.MultipleAnswer, response: Any) -> Result:
    chosen = _indices(response, len(q.choices))
    if chosen is None:
        return _invalid(q, "empty")
    right = sum(1 for c in q.choices if c.correct)
    if not chosen and right:
        return _invalid(q, "empty")
    hits = sum(1 for i in chosen if q.choices[i].correct)
    false_alarms = len(chosen) - hits
    score = (hits - false_alarms) / right if right else (1.0 if not chosen else 0.0)
    parts = [(i in chosen) == c.correct for i, c in enumerate(q.choices)]
    return _result(q, score, parts, [q.choices[i].feedback for i in sorted(chosen)])


def _indices(response: Any, size: int) -> set[int] | None:
    if not isinstance(response, Sequence) or isinstance(response, str):
        return None
    out = set()
    for i in response:
        if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < size:
            return None
        out.add(i)
    return out


def _true_false(q: model.TrueFalse, response: Any) -> Result:
    if not isinstance(response, bool):
        return _invalid(q, "empty")
    return _result(q, 1.0 if response == q.answer else 0.0,
                   feedback=[q.feedback_true if response else q.feedback_false])


def _numeric(q: model.Numeric, response: Any) -> Result:
    if response is None or (isinstance(response, str) and not response.strip()):
        return _invalid(q, "empty")
    value = parse_number(response, q.unit) if isinstance(response, str | int | float) else None
    if value is None:
        return _invalid(q, "not-a-number")
    # A small allowance so that 0.1 + 0.2 style rounding never marks a right answer wrong.
    slack = 1e-9 * max(1.0, abs(q.low), abs(q.high))
    return _result(q, 1.0 if q.low - slack <= value <= q.high + slack else 0.0)


def _short(q: model.ShortText, response: Any) -> Result:
    if not isinstance(response, str) or not normalise(response):
        return _invalid(q, "empty")
    given = normalise(response, case_sensitive=q.case_sensitive)
    if any(given == normalise(a, case_sensitive=q.case_sensitive) for a in q.answers):
        return _result(q, 1.0)
    feedback = [w.feedback for w in q.wrong_answers
                if given == normalise(w.text, case_sensitive=q.case_sensitive)]
    return _result(q, 0.0, feedback=feedback)


def _ordering(q: model.Ordering, response: Any) -> Result:
    n = len(q.items)
    if not isinstance(response, Sequence) or isinstance(response, str) or sorted(
        i if isinstance(i, int) and not isinstance(i, bool) else -1 for i in response
    ) != list(range(n)):
        return _invalid(q, "empty")
    pairs = n * (n - 1) // 2
    in_order = sum(1 for a in range(n) for b in range(a + 1, n) if response[a] < response[b])
    return _result(q, in_order / pairs if pairs else 1.0, [response[i] == i for i in range(n)])


def _matching(q: model.Matching, response: Any) -> Result:
    if not isinstance(response, Sequence) or isinstance(response, str) or len(response) != len(q.pairs):
        return _invalid(q, "empty")
    if all(r in (None, "") for r in response):
        return _invalid(q, "empty")
    parts = [isinstance(r, str) and r == p.right for r, p in zip(response, q.pairs, strict=True)]
    return _result(q, sum(parts) / len(parts), parts)


def _blanks(q: model.Blanks, response: Any) -> Result:
    if not isinstance(response, Mapping):
        return _invalid(q, "empty")
    given = {name: response.get(name) for name in q.blanks}
    if all(not isinstance(v, str) or not normalise(v) for v in given.values()):
        return _invalid(q, "empty")
    parts = []
    for name, blank in q.blanks.items():
        value = given[name]
        text = normalise(value, case_sensitive=blank.case_sensitive) if isinstance(value, str) else None
        parts.append(text is not None and any(
            text == normalise(a, case_sensitive=blank.case_sensitive) for a in blank.answers))
    return _result(q, sum(parts) / len(parts), parts)


def _open(q: model.OpenResponse, response: Any) -> Result:
    if not isinstance(response, str) or not response.strip():
        return _invalid(q, "empty")
    return Result(score=None, correct=None, points=0.0, max_points=0.0)


_GRADERS: dict[type, Any] = {
    model.SingleChoice: _single,
    model.MultipleAnswer: _multiple,
    model.TrueFalse: _true_false,
    model.Numeric: _numeric,
    model.ShortText: _short,
    model.Ordering: _ordering,
    model.Matching: _matching,
    model.Blanks: _blanks,
    model.OpenResponse: _open,
}


def correct_response(question: model.Question) -> Any:
    """A response that earns full marks (what "reveal the answer" shows); None for open."""
    if isinstance(question, model.SingleChoice):
        return next((i for i, c in enumerate(question.choices) if c.correct), None)
    if isinstance(question, model.MultipleAnswer):
        return [i for i, c in enumerate(question.choices) if c.correct]
    if isinstance(question, model.TrueFalse):
        return question.answer
    if isinstance(question, model.Numeric):
        value = question.answer if question.answer is not None else question.low
        return format_number(value)
    if isinstance(question, model.ShortText):
        return question.answers[0]
    if isinstance(question, model.Ordering):
        return list(range(len(question.items)))
    if isinstance(question, model.Matching):
        return [p.right for p in question.pairs]
    if isinstance(question, model.Blanks):
        return {name: blank.answers[0] for name, blank in question.blanks.items()}
    return None


@dataclass
class SkillTotal:
    """Points earned and available for one skill, and how many questions it has."""

    points: float = 0.0
    max_points: float = 0.0
    questions: int = 0


@dataclass
class Summary:
    """Totals over a quiz: the score with partial credit, and per skill."""

    points: float = 0.0
    max_points: float = 0.0
    by_skill: dict[str, SkillTotal] = field(default_factory=dict)


def summarise(questions: Iterable[model.Question], results: Mapping[str, Result | None]) -> Summary:
    """Add up results (by question id; None or missing means not answered yet)."""
    summary = Summary()
    for q in questions:
        if not q.GRADED:
            continue
        result = results.get(q.id)
        earned = result.points if result is not None and result.valid else 0.0
        summary.points += earned
        summary.max_points += q.points
        total = summary.by_skill.setdefault(q.skill or "other", SkillTotal())
        total.points += earned
        total.max_points += q.points
        total.questions += 1
    return summary
