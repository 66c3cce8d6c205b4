"""Grading: pure functions from (question, response) to a result. No I/O, no widgets.

Each question type grades its own responses (``sourcebook.types``); this
module holds what they share and the entry points every output calls. The
site's scripts (``static/grading.js`` and ``static/types/<type>.js``)
implement the same rules, and both are held to the vectors in
``tests/conformance/``. The rules, as the README documents them for teachers:

* single choice, true/false, numeric, short text: all or nothing;
* multiple answer: (right choices ticked - wrong choices ticked) / right
  choices, never below 0; with no right choice, 1 only when nothing is ticked;
* ordering: the share of pairs of items that stand in the right relative order;
* matching: the share of left items given their right partner;
* fill in the blanks: the share of gaps filled right;
* evidence: as multiple answer, each paragraph of the source a choice;
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
evidence       list of indices of the ticked paragraphs (the question's order)
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


def invalid(question: model.Question, problem: str) -> Result:
    """The result of a response that cannot be graded (``problem``: "empty", "not-a-number"): no attempt used."""
    points = question.points if question.GRADED else 0.0
    return Result(score=0.0 if question.GRADED else None, correct=False if question.GRADED else None,
                  points=0.0, max_points=points, valid=False, problem=problem)


def scored(question: model.Question, score: float, parts: Iterable[bool] = (),
           feedback: Iterable[str] = ()) -> Result:
    """The result of a graded response that earned ``score`` (0 to 1) of the question's points."""
    score = min(1.0, max(0.0, score))
    return Result(score=score, correct=score == 1.0, points=score * question.points,
                  max_points=question.points, parts=tuple(parts), feedback=tuple(f for f in feedback if f))


def indices(response: Any, size: int) -> set[int] | None:
    """The indices a list response picks, or None when it is not a list of indices below ``size``."""
    if not isinstance(response, Sequence) or isinstance(response, str):
        return None
    out = set()
    for i in response:
        if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < size:
            return None
        out.add(i)
    return out


def grade(question: model.Question, response: Any) -> Result:
    """Grade ``response`` to ``question`` by the rules of its type (shapes in the module docstring)."""
    return question.KIND.grade(question, response)


def correct_response(question: model.Question) -> Any:
    """A response that earns full marks (what "reveal the answer" shows); None for open."""
    return question.KIND.correct_response(question)


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
