"""Hand-in files decoded and checked in one pass by msgspec's typed decoder: the fast way to read a class.

:func:`sourcebook.results.parse` uses it when msgspec is installed (it
imports this module on first use): reading a school year's files for the
class report is mostly decoding JSON, and the decoder checks the format's
types, keys and ranges while it parses, in C. What the types do not say
(names and ids not blank, times as the format writes them) is checked here
while the decoded file is turned into the plain records of
:mod:`sourcebook.results`; those records, not this module's structs, are what
any caller sees. Only the class report's matching
(:func:`sourcebook.results.analyse_files`) reads the answers' structs as
they are, and keeps none of them.

A file this module does not read (it returns None) is read again by json and
the checks one by one, which name what is wrong; so what is accepted, and
every message, is the same with or without msgspec. The notebook quiz never
imports this module: msgspec has no wheel for the in-browser kernel.
"""

from __future__ import annotations

import functools
import operator
import sys
from itertools import starmap
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import msgspec

from .results import _CHECKSUM, _TIME, MAX_NAME, Answer, QuizWork, Submission

_Points = Annotated[float, msgspec.Meta(ge=0, le=sys.float_info.max)]
_Count = Annotated[int, msgspec.Meta(ge=0)]


class _Answer(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: str
    fingerprint: str | None
    type: str
    skill: str
    max_points: _Points
    response: Any
    points: _Points
    attempts: _Count
    hints: _Count
    revealed: bool
    first_checked: str | None
    last_checked: str | None
    rubric: tuple[_Count, ...] = ()


class _Quiz(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    key: str
    title: str
    bank: str
    fingerprint: str
    updated: str | None
    questions: tuple[_Answer, ...]


class _Student(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    name: str
    class_name: str = msgspec.field(name="class")


class _Document(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """A hand-in file as the format has it, for the decoder: types, keys and numbers' ranges."""

    checksum: str
    format: Literal["sourcebook-hand-in"]
    version: Literal[1]
    student: _Student
    course: str
    handed_in: str
    made_with: Literal["site", "notebook"]
    quizzes: tuple[_Quiz, ...]


_decoder = msgspec.json.Decoder(_Document)
_fields = msgspec.structs.astuple
_given = functools.partial(operator.is_not, None)
_first_checked = operator.attrgetter("first_checked")
_last_checked = operator.attrgetter("last_checked")
_id = operator.attrgetter("id")
_time = _TIME.match
#: The format's times as handin.js and the notebook write them (2026-03-01T10:00:00.000Z), every
#: ASCII digit read as 0: a file's times are checked together against this shape in a few calls in
#: C; any time of another shape is checked by the format's pattern.
_USUAL_TIME = "0000-00-00T00:00:00.000Z"
_DIGITS_AS_0 = str.maketrans("0123456789", "0" * 10)


@functools.lru_cache(maxsize=256)
def _usual_times(n: int) -> str:
    return "|".join([_USUAL_TIME] * n)


def _times_ok(times: list[str]) -> bool:
    """Whether every one of ``times`` is a time as the format writes them (its pattern ``_ISO``)."""
    # Joined with a separator that is no digit: when the joined times, digits read as 0, are the usual
    # shape so joined, each time has that shape (a time holding the separator would add one too many).
    if "|".join(times).translate(_DIGITS_AS_0) == _usual_times(len(times)):
        return True  # each time has the usual shape, which the pattern matches
    return all(map(_time, times))


def as_answer(decoded: Any) -> Answer:
    """An answer left as decoded (``decode``'s ``as_decoded``) made an :class:`Answer`: the struct's fields
    are Answer's, in the same order (a test checks that they are the same)."""
    return Answer(*_fields(decoded))


def decode(data: bytes, path: Path, as_decoded: bool = False) -> tuple[Submission, str] | None:
    """The hand-in in a file's bytes and its checksum; None if the file breaks the format (or is not JSON).

    With ``as_decoded``, the answers are the decoder's own structs, with the
    fields of :class:`Answer`, not copied into Answers: for the report's
    matching, which reads their fields and keeps none of them.
    """
    try:
        document = _decoder.decode(data)
    except (msgspec.MsgspecError, RecursionError):
        return None
    student = document.student
    name = student.name
    if (not name.strip() or len(name) > MAX_NAME or len(student.class_name) > MAX_NAME
            or not _CHECKSUM.fullmatch(document.checksum)):
        return None
    # What the types do not say, checked for the whole file at once, in loops in C (a school's
    # files are half a million answers): ids not blank, times as the format writes them.
    times = [document.handed_in]
    quizzes = []
    for quiz in document.quizzes:
        answers = quiz.questions
        if quiz.updated is not None:
            times.append(quiz.updated)
        times += filter(_given, map(_first_checked, answers))
        times += filter(_given, map(_last_checked, answers))
        if not all(map(str.strip, map(_id, answers))):
            return None
        # The answer's fields, in the order of Answer's (a test checks that they are the same).
        quizzes.append(QuizWork(quiz.key, quiz.title, quiz.bank, quiz.fingerprint, quiz.updated,
                                # (as decoded: structs standing for Answers, which have the same fields)
                                cast("tuple[Answer, ...]", answers) if as_decoded
                                else tuple(starmap(Answer, map(_fields, answers)))))
    if not _times_ok(times):
        return None
    submission = Submission(path, name.strip(), student.class_name.strip(), document.course, document.handed_in,
                            document.made_with, tuple(quizzes))
    return submission, document.checksum
