"""Single choice: pick one of several choices; exactly one is right. All or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..grading import Result, invalid, scored
from ..model import Choice, doc
from .base import static_script
from .choices import ChoiceQuestion, ChoicesType


@dataclass(frozen=True, kw_only=True)
class SingleChoice(ChoiceQuestion):
    """Pick one choice; exactly one is right."""

    TYPE = "single"
    LABEL = "single choice"
    choices: tuple[Choice, ...] = field(metadata=doc("The choices, one marked correct."))


class SingleChoiceType(ChoicesType[SingleChoice]):
    """Response: the bank index of the chosen choice, or None."""

    model = SingleChoice
    script = static_script("single")
    aliases = ("multiple-choice", "multiplechoice", "multichoice", "mcq", "mc", "choice", "single-choice",
               "singlechoice", "one-answer", "radio", "dropdown", "drop-down")

    def grade(self, question: SingleChoice, response: Any) -> Result:
        if not isinstance(response, int) or isinstance(response, bool) or not 0 <= response < len(question.choices):
            return invalid(question, "empty")
        choice = question.choices[response]
        return scored(question, 1.0 if choice.correct else 0.0, feedback=[choice.feedback])

    def correct_response(self, question: SingleChoice) -> Any:
        return next((i for i, c in enumerate(question.choices) if c.correct), None)


QUESTION_TYPE = SingleChoiceType()
