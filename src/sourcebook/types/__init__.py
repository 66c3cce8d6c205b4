"""The question types: one module each, and the registry every output consults.

A type is a :class:`~sourcebook.types.base.QuestionType`: its model class,
checks, grading, and renderers for the site, the notebook and the worksheet
(see ``base.py``). The built-in types are the modules below. Another package
adds a type by naming its ``QuestionType`` instance in the entry point group
``sourcebook.question_types``::

    [project.entry-points."sourcebook.question_types"]
    likert = "mypackage.likert:QUESTION_TYPE"

:func:`registry` loads them the first time a bank is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import entry_points
from typing import Any

from . import blanks, evidence, matching, multiple, numeric, open_response, ordering, short, single, true_false
from .base import QuestionType
from .blanks import GAP_PATTERN, Blank, Blanks
from .evidence import Evidence, Passage
from .matching import Matching, Pair
from .multiple import MultipleAnswer
from .numeric import Numeric
from .open_response import OpenResponse
from .ordering import Ordering
from .short import ShortText, WrongAnswer
from .single import SingleChoice
from .true_false import TrueFalse

__all__ = [
    "ENTRY_POINT_GROUP",
    "GAP_PATTERN",
    "Blank",
    "Blanks",
    "Evidence",
    "Matching",
    "MultipleAnswer",
    "Numeric",
    "OpenResponse",
    "Ordering",
    "Pair",
    "Passage",
    "QuestionType",
    "RegistryError",
    "ShortText",
    "SingleChoice",
    "TrueFalse",
    "WrongAnswer",
    "named",
    "register",
    "registry",
]

#: The entry point group through which other packages add question types.
ENTRY_POINT_GROUP = "sourcebook.question_types"


class RegistryError(ValueError):
    """A question type that cannot be registered (a name already taken, not a QuestionType)."""


_TYPES: dict[str, QuestionType[Any]] = {}
_plugins_loaded = False


def register(question_type: QuestionType[Any]) -> QuestionType[Any]:
    """Adds a question type; its questions then find it as ``question.KIND``. Returns it."""
    if not isinstance(question_type, QuestionType):
        raise RegistryError(f"{question_type!r} is not a sourcebook QuestionType")
    name = question_type.name
    if not name or (name in _TYPES and _TYPES[name] is not question_type):
        raise RegistryError(f"a question type is already called `{name}`" if name
                         else f"{type(question_type).__name__}'s model has no TYPE")
    _TYPES[name] = question_type
    question_type.model.KIND = question_type
    return question_type


def registry() -> Mapping[str, QuestionType[Any]]:
    """Every question type by its name: the built-in ones, then those other packages add."""
    global _plugins_loaded
    if not _plugins_loaded:
        _plugins_loaded = True
        for entry in entry_points(group=ENTRY_POINT_GROUP):
            loaded = entry.load()
            register(loaded() if isinstance(loaded, type) else loaded)
    return _TYPES


def named(name: str) -> QuestionType[Any] | None:
    """The question type called ``name``, or None."""
    return registry().get(name)


for _built_in in (single, multiple, true_false, numeric, short, ordering, matching, blanks, open_response, evidence):
    register(_built_in.QUESTION_TYPE)
