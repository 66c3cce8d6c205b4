"""Multiple answer: tick every right choice; partial credit.

The score is (right choices ticked - wrong choices ticked) / right choices,
never below 0; with no right choice, 1 only when nothing is ticked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..grading import Result, indices, invalid, scored
from ..model import Choice, Question, doc
from .base import static_script
from .choices import ChoiceQuestion, ChoicesType


@dataclass(frozen=True, kw_only=True)
class MultipleAnswer(ChoiceQuestion):
    """Pick every right choice; partial credit."""

    TYPE = "multiple"
    LABEL = "multiple answer"
    choices: tuple[Choice, ...] = field(metadata=doc("The choices; mark each right one correct."))


def grade_picks(question: Question, right: Sequence[bool], feedback: Sequence[str], response: Any) -> Result:
    """Partial credit for ticked choices: the rule of multiple answer (evidence questions share it)."""
    chosen = indices(response, len(right))
    if chosen is None:
        return invalid(question, "empty")
    n_right = sum(right)
    if not chosen and n_right:
        return invalid(question, "empty")
    hits = sum(1 for i in chosen if right[i])
    false_alarms = len(chosen) - hits
    score = (hits - false_alarms) / n_right if n_right else (1.0 if not chosen else 0.0)
    parts = [(i in chosen) == r for i, r in enumerate(right)]
    return scored(question, score, parts, [feedback[i] for i in sorted(chosen)])


class MultipleAnswerType(ChoicesType[MultipleAnswer]):
    """Response: the bank indices of the ticked choices."""

    model = MultipleAnswer
    script = static_script("multiple")
    script_helpers = ("rules/picks.js",)
    several = True
    aliases = ("checkboxes", "checkbox", "multiple-answers", "multiple-answer", "multiple-response",
               "multi-select", "multiselect", "multiple-select", "select-all", "mrq")

    def grade(self, question: MultipleAnswer, response: Any) -> Result:
        return grade_picks(question, [c.correct for c in question.choices], [c.feedback for c in question.choices],
                           response)

    def correct_response(self, question: MultipleAnswer) -> Any:
        return [i for i, c in enumerate(question.choices) if c.correct]


QUESTION_TYPE = MultipleAnswerType()
