"""Hand-in files: what a student hands in, read back as a class's results.

A student's browser (the site's "Hand in" button, ``static/handin.js``) or
notebook (``Quiz.hand_in(path)``) writes one JSON file per student in the
*hand-in format*, version 1 (its JSON Schema is :func:`hand_in_schema`,
committed as ``schema/hand-in.schema.json``)::

    {"checksum": "crc32:1a2b3c4d", "format": "sourcebook-hand-in", "version": 1,
     "student": {"name": "Li Wei", "class": "9B"}, "course": "...",
     "handed_in": "2026-03-01T10:00:00.000Z", "made_with": "site",
     "quizzes": [{"key": "...", "title": "...", "bank": "questions/01.yml",
                  "fingerprint": "...", "updated": "...",
                  "questions": [{"id": "addressee", "fingerprint": "...",
                                 "type": "single", "skill": "sourcing",
                                 "max_points": 1, "response": 0, "points": 1,
                                 "attempts": 1, "hints": 0, "revealed": false,
                                 "first_checked": "...", "last_checked": "..."}]}]}

``checksum``, the file's first key, is the CRC-32 of the file's bytes as they
were written with the checksum ``crc32:00000000`` (see :func:`dumps`): a file
changed by hand, or damaged on the way, no longer matches. Taking it of the
bytes, not of the parsed data, makes checking it nearly free. It is no seal
(anyone can recompute it), and results stay self-reported.

The teacher's side reads a pile of such files with :func:`collect` (messy
input is named with its reason, never a traceback; the same student twice:
for each question, the latest file that has it counts) and matches them with the course's banks with
:func:`analyse`: a question counts when it is unchanged since the student
answered it (its fingerprint is the bank's). As it matches each answer, it
appends what the report's figures need to that question's columns
(:class:`QuestionColumns`), in one pass; :func:`analyse_files` does both
for the class report, matching each file as soon as it is read and keeping
no answer. :func:`records` gives the result
as plain records, one per student and question, and :func:`dataframe` the
same as a pandas DataFrame. ``sourcebook report`` (:mod:`sourcebook.report`)
turns the same analysis into a report folder.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import operator
import os
import re
import stat
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from . import forking, model
from .html import fingerprint, script_json
from .loader import read_bank

FORMAT = "sourcebook-hand-in"
VERSION = 1
#: Larger files are refused unread: a class's hand-in is a few kilobytes.
MAX_BYTES = 8 * 1024 * 1024
#: Longest name or class kept; longer ones are refused as hand-edited or foreign.
MAX_NAME = 200
_CHECKSUM = re.compile(r"crc32:[0-9a-f]{8}")
_MADE_WITH = ("site", "notebook")


class HandInError(ValueError):
    """A file that is not a usable hand-in: the message says why, for the teacher."""


# --- writing -----------------------------------------------------------------


#: The checksum's value while the checksum is computed.
UNSEALED = "crc32:00000000"
_UNSEALED_QUOTED = f'"{UNSEALED}"'.encode("ascii")


def _crc_text(crc: int) -> str:
    return f"crc32:{crc:08x}"


def checksum(data: bytes) -> str:
    """The checksum of a hand-in file's bytes as written with ``"checksum": "crc32:00000000"``."""
    return _crc_text(zlib.crc32(data))


def _sealed(data: bytes, value: str) -> bool:
    """Whether ``value``, the file's checksum (the first string in the file), is the checksum of the file's
    bytes with it put back to UNSEALED. The CRC is taken of the parts around it (no copy of the file)."""
    quoted = f'"{value}"'.encode("ascii")
    at = data.find(quoted)
    if at < 0 or data.find(b'"checksum"') > at:
        return False
    view = memoryview(data)
    crc = zlib.crc32(_UNSEALED_QUOTED, zlib.crc32(view[:at]))
    return _crc_text(zlib.crc32(view[at + len(quoted):], crc)) == value


def question_fingerprint(question: model.Question) -> str:
    """A short hash of one question's data: the site's quiz fingerprint of that question alone."""
    return fingerprint([question])


def handin_meta_html(bank: str, course: str, questions: Sequence[model.Question]) -> str:
    """What a hand-in file needs of a quiz beyond its saved progress, as the element written right after
    the quiz: the bank (relative to the book), the course's title and each question's fingerprint.
    handin.js adds the Hand in form under a quiz that has it, and quiz.js saves it along."""
    meta = {"bank": bank, "course": course, "fingerprints": {q.id: question_fingerprint(q) for q in questions}}
    return f'<script type="application/json" class="sb-handin-meta">{script_json(meta)}</script>'


def book_title(root: Path) -> str:
    """The course's title as the site writes it into hand-in files: the ``title`` of the book's ``_config.yml``
    ("" when there is none)."""
    try:
        data = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    return str(data.get("title") or "") if isinstance(data, dict) else ""


def dumps(document: Mapping[str, Any]) -> str:
    """The text of a hand-in file of ``document``, sealed: the checksum first, then the rest as given.

    The checksum is the CRC-32 of the file's UTF-8 bytes written with the
    checksum ``crc32:00000000``; the site's handin.js writes files the same
    way. Any later change to the file, even of spacing, no longer matches.
    """
    body = {"checksum": UNSEALED, **{k: v for k, v in document.items() if k != "checksum"}}
    text = json.dumps(body, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    return text.replace(f'"{UNSEALED}"', f'"{checksum(text.encode("utf-8"))}"', 1)


def now() -> str:
    """The time now as a hand-in file writes times (UTC, milliseconds, as the browser's toISOString)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def document(name: str, class_name: str, quizzes: list[dict[str, Any]], *, course: str = "",
             made_with: str = "notebook") -> dict[str, Any]:
    """A hand-in document (without its checksum) of ``quizzes`` (each as the format's quiz object)."""
    return {"format": FORMAT, "version": VERSION, "student": {"name": name, "class": class_name},
            "course": course, "handed_in": now(), "made_with": made_with, "quizzes": quizzes}


def write_hand_in(path: str | os.PathLike[str], document: dict[str, Any]) -> Path:
    """Write a hand-in document (checked against the format, then sealed) to ``path``."""
    text = dumps(document)
    validate(json.loads(text))
    target = Path(path)
    target.write_bytes(text.encode("utf-8"))
    return target


# --- the format ----------------------------------------------------------------

_ISO = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"


def hand_in_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the hand-in format, version 1."""
    time = {"type": "string", "pattern": _ISO, "description": "Date and time, ISO 8601 with a time zone."}
    nullable_time = {"oneOf": [time, {"type": "null"}]}
    count = {"type": "integer", "minimum": 0}
    question = {
        "type": "object",
        "description": "One question as the student left it.",
        "properties": {
            "id": {"type": "string", "minLength": 1, "description": "The question's id in the bank."},
            "fingerprint": {"oneOf": [{"type": "string"}, {"type": "null"}],
                            "description": "Hash of the question's data when answered; null if not known."},
            "type": {"type": "string", "description": "Question type (single, multiple, ..., open)."},
            "skill": {"type": "string", "description": "Historical-thinking skill of the question."},
            "max_points": {"type": "number", "minimum": 0, "description": "Points for a fully right answer."},
            "response": {"description": "The last graded response, in the shape of sourcebook.grading; "
                                        "null if never checked."},
            "points": {"type": "number", "minimum": 0, "description": "Points the response earned."},
            "attempts": {**count, "description": "Graded checks used."},
            "hints": {**count, "description": "Hints shown."},
            "revealed": {"type": "boolean", "description": "Whether the answer was shown."},
            "first_checked": {**nullable_time, "description": "When the question was first checked."},
            "last_checked": {**nullable_time, "description": "When it was last checked."},
            "rubric": {"type": "array", "items": count,
                       "description": "Open responses: the rubric criteria the student ticked."},
        },
        "required": ["id", "type", "skill", "max_points", "response", "points", "attempts", "hints", "revealed",
                     "first_checked", "last_checked"],
        "additionalProperties": False,
    }
    quiz = {
        "type": "object",
        "description": "One quiz the student worked on.",
        "properties": {
            "key": {"type": "string", "description": "The quiz's key on the site (its saved progress)."},
            "title": {"type": "string", "description": "The bank's title."},
            "bank": {"type": "string", "description": "Path of the bank from the book's top folder."},
            "fingerprint": {"type": "string", "description": "Hash of the quiz's questions when answered."},
            "updated": {**nullable_time, "description": "When the student last saved the quiz."},
            "questions": {"type": "array", "items": {"$ref": "#/$defs/question"}},
        },
        "required": ["key", "title", "bank", "fingerprint", "updated", "questions"],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "sourcebook hand-in",
        "description": "One student's quiz results, handed in from the course site or a notebook.",
        "type": "object",
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": VERSION, "description": "Version of the hand-in format."},
            "student": {
                "type": "object",
                "properties": {"name": {"type": "string", "pattern": "\\S", "maxLength": MAX_NAME},
                               "class": {"type": "string", "maxLength": MAX_NAME}},
                "required": ["name", "class"],
                "additionalProperties": False,
            },
            "course": {"type": "string", "description": "The course's title."},
            "handed_in": {**time, "description": "When the file was made."},
            "made_with": {"enum": list(_MADE_WITH), "description": "The course site or a notebook."},
            "quizzes": {"type": "array", "items": {"$ref": "#/$defs/quiz"}},
            "checksum": {"type": "string", "pattern": "^crc32:[0-9a-f]{8}$",
                         "description": "CRC-32 of the file's bytes as written with this value crc32:00000000 "
                                        "(the first key of the file): shows later edits."},
        },
        "required": ["format", "version", "student", "course", "handed_in", "made_with", "quizzes", "checksum"],
        "additionalProperties": False,
        "$defs": {"question": question, "quiz": quiz},
    }


_TIME = re.compile(_ISO)


def _fail(where: str, what: str) -> HandInError:
    return HandInError(f"{where}: {what}" if where else what)


def _keys(obj: Any, where: str, required: Sequence[str], optional: Sequence[str] = ()) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise _fail(where, "should be an object")
    missing = [k for k in required if k not in obj]
    if missing:
        raise _fail(where, f"missing {', '.join(missing)}")
    extra = sorted(set(obj) - set(required) - set(optional))
    if extra:
        raise _fail(where, f"unknown key {', '.join(extra)}")
    return obj


def _text(value: Any, where: str, *, limit: int | None = None, empty: bool = True) -> str:
    if not isinstance(value, str):
        raise _fail(where, "should be text")
    if not empty and not value.strip():
        raise _fail(where, "is empty")
    if limit is not None and len(value) > limit:
        raise _fail(where, f"is longer than {limit} characters")
    return value


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise _fail(where, "should be a number, 0 or more")
    return float(value)


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(where, "should be a whole number, 0 or more")
    return value


def _time(value: Any, where: str, *, nullable: bool = True) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not _TIME.match(value):
        raise _fail(where, "should be a date and time such as 2026-03-01T10:00:00Z")
    return value


_DOCUMENT_KEYS = ("checksum", "format", "version", "student", "course", "handed_in", "made_with", "quizzes")
_QUIZ_KEYS = ("key", "title", "bank", "fingerprint", "updated", "questions")
_ANSWER_KEYS = ("id", "type", "skill", "max_points", "response", "points", "attempts", "hints", "revealed",
                "first_checked", "last_checked")
_ANSWER_REQUIRED = frozenset(_ANSWER_KEYS)
_ANSWER_ALLOWED = _ANSWER_REQUIRED | {"fingerprint", "rubric"}


def validate(document: Any) -> None:
    """Raise :class:`HandInError` naming the first place where ``document`` breaks the format.

    The same rules as :func:`hand_in_schema`, checked by hand and in the same
    pass that reads the file: a school's worth of files is read in a fraction
    of the time a schema validator takes.
    """
    _read(document, Path("<hand-in>"))


def _read(document: Any, path: Path) -> Submission:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise HandInError("not a sourcebook hand-in file (it has no \"format\": \"sourcebook-hand-in\")")
    version = document.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise HandInError(f"made with a newer sourcebook (hand-in format {version}; this one reads {VERSION}): "
                          "update sourcebook")
    if version != VERSION:
        raise HandInError(f"version should be {VERSION}")
    _keys(document, "", _DOCUMENT_KEYS)
    student = _keys(document["student"], "student", ("name", "class"))
    name = _text(student["name"], "student.name", limit=MAX_NAME, empty=False)
    class_name = _text(student["class"], "student.class", limit=MAX_NAME)
    course = _text(document["course"], "course")
    handed_in = _time(document["handed_in"], "handed_in", nullable=False)
    if document["made_with"] not in _MADE_WITH:
        raise _fail("made_with", f"should be {' or '.join(_MADE_WITH)}")
    if not isinstance(document["checksum"], str) or not _CHECKSUM.fullmatch(document["checksum"]):
        raise _fail("checksum", "should be crc32: and 8 hexadecimal digits")
    quizzes = document["quizzes"]
    if not isinstance(quizzes, list):
        raise _fail("quizzes", "should be a list")
    works = []
    for i, quiz in enumerate(quizzes):
        where = f"quizzes[{i}]"
        _keys(quiz, where, _QUIZ_KEYS)
        texts = [_text(quiz[key], f"{where}.{key}") for key in ("key", "title", "bank", "fingerprint")]
        updated = _time(quiz["updated"], f"{where}.updated")
        if not isinstance(quiz["questions"], list):
            raise _fail(f"{where}.questions", "should be a list")
        answers = tuple(_answer(q, where, j) for j, q in enumerate(quiz["questions"]))
        works.append(QuizWork(texts[0], texts[1], texts[2], texts[3], updated, answers))
    return Submission(path, name.strip(), class_name.strip(), course, str(handed_in), document["made_with"],
                      tuple(works))


_answer_fields = operator.itemgetter(*_ANSWER_KEYS)
_time_match = _TIME.match


def _answer(q: Any, where: str, j: int) -> Answer:
    # The common case in one test, on the values taken out at once; the checks one
    # by one only to say what is wrong.
    if type(q) is dict and _ANSWER_REQUIRED <= q.keys() <= _ANSWER_ALLOWED:
        qid, kind, skill, max_points, response, points, attempts, hints, revealed, first, last = _answer_fields(q)
        fingerprint = q.get("fingerprint")
        rubric = q.get("rubric", ())
        if (type(qid) is str and qid.strip() and type(kind) is str and type(skill) is str
                and ((type(max_points) is int and max_points >= 0)
                     or (type(max_points) is float and 0 <= max_points < math.inf))
                and ((type(points) is int and points >= 0) or (type(points) is float and 0 <= points < math.inf))
                and type(attempts) is int and attempts >= 0 and type(hints) is int and hints >= 0
                and type(revealed) is bool
                and (first is None or (type(first) is str and _time_match(first)))
                and (last is None or (type(last) is str and _time_match(last)))
                and (fingerprint is None or type(fingerprint) is str)
                and (rubric == () or (type(rubric) is list and all(type(t) is int and t >= 0 for t in rubric)))):
            return Answer(qid, fingerprint, kind, skill, float(max_points), response, float(points), attempts, hints,
                          revealed, first, last, tuple(rubric))
    at = f"{where}.questions[{j}]"
    _keys(q, at, _ANSWER_KEYS, ("fingerprint", "rubric"))
    _text(q["id"], f"{at}.id", empty=False)
    if q.get("fingerprint") is not None:
        _text(q["fingerprint"], f"{at}.fingerprint")
    _text(q["type"], f"{at}.type")
    _text(q["skill"], f"{at}.skill")
    _number(q["max_points"], f"{at}.max_points")
    _number(q["points"], f"{at}.points")
    _count(q["attempts"], f"{at}.attempts")
    _count(q["hints"], f"{at}.hints")
    if not isinstance(q["revealed"], bool):
        raise _fail(f"{at}.revealed", "should be true or false")
    _time(q["first_checked"], f"{at}.first_checked")
    _time(q["last_checked"], f"{at}.last_checked")
    if not isinstance(q["rubric"], list):
        raise _fail(f"{at}.rubric", "should be a list")
    for k, tick in enumerate(q["rubric"]):
        _count(tick, f"{at}.rubric[{k}]")
    raise _fail(at, "does not fit the format")  # not reached: one of the checks above fails


# --- reading one file -----------------------------------------------------------------


def _pickled_by_fields(cls: type) -> type:
    """``cls`` (a dataclass) pickled as a call with its fields in order: a run of students matched in
    another process comes back as tens of thousands of these, which a dataclass's own pickling sets up
    field by field, three times as slowly."""
    values = operator.attrgetter(*(f.name for f in fields(cls)))

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign, assignment]
    return cls


@_pickled_by_fields
@dataclass(slots=True)
class Answer:
    """One question as one student handed it in."""

    id: str
    fingerprint: str | None
    type: str
    skill: str
    max_points: float
    response: Any
    points: float
    attempts: int
    hints: int
    revealed: bool
    first_checked: str | None
    last_checked: str | None
    rubric: tuple[int, ...] = ()


@_pickled_by_fields
@dataclass(slots=True)
class QuizWork:
    """One quiz of a hand-in file."""

    key: str
    title: str
    bank: str
    fingerprint: str
    updated: str | None
    answers: tuple[Answer, ...]


@_pickled_by_fields
@dataclass(frozen=True)
class Submission:
    """One hand-in file, read and checked."""

    path: Path
    name: str
    class_name: str
    course: str
    handed_in: str
    made_with: str
    quizzes: tuple[QuizWork, ...]

    @property
    def student_key(self) -> tuple[str, str]:
        """Who handed in, as compared: name and class with case, width and spacing ignored."""
        return _same(self.name), _same(self.class_name)

    @property
    def student(self) -> str:
        """The student's name as written, with the class in brackets when there is one."""
        return f"{self.name} ({self.class_name})" if self.class_name else self.name


def _same(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


TypedDecoder = Callable[[bytes, Path, bool], tuple[Submission, str] | None]


@functools.cache
def _typed_decoder() -> TypedDecoder | None:
    """msgspec's typed decoder of hand-in files (:mod:`sourcebook._typed_hand_in`), or None without msgspec.

    Imported on first use, not with this module: the notebook quiz imports this
    module to write hand-in files, also in the in-browser kernel (Pyodide),
    where msgspec has no wheel. There, and wherever msgspec is missing, every
    file is read by json and the checks one by one, to the same result.
    """
    try:
        from ._typed_hand_in import decode
    except ImportError:
        return None
    return decode


def parse(data: bytes, path: str | os.PathLike[str] = "<hand-in>") -> Submission:
    """A hand-in from the bytes of its file; :class:`HandInError` says why it cannot be used."""
    return _parse(data, path)


def _parse(data: bytes, path: str | os.PathLike[str], as_decoded: bool = False) -> Submission:
    """:func:`parse`; with ``as_decoded``, the answers may be the typed decoder's own records (same fields,
    read the same way), not :class:`Answer`: for the matching alone, which keeps none of them (see
    :meth:`_Analysis.add`), so that none is copied."""
    if len(data) > MAX_BYTES:
        raise HandInError(f"larger than {MAX_BYTES // (1024 * 1024)} MiB: not a hand-in file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    # The typed decoder checks the format's types, keys and ranges while it parses (most of
    # the reading's time). A file it refuses is read again the slow way, by json and the
    # checks one by one, which name what is wrong (or accept what the decoder is stricter about).
    decode = _typed_decoder()
    decoded = decode(data, path if isinstance(path, Path) else Path(path), as_decoded) if decode is not None else None
    submission, sealed = decoded if decoded is not None else _parse_slowly(data, path)
    if not _sealed(data, sealed):
        raise HandInError("changed after it was handed in (its checksum does not match): edited by hand or damaged")
    return submission


#: A JSON escape of one half of a UTF-16 pair (``\\ud83d``), the only way a file's text can hold a lone half.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _whole_characters(value: Any) -> Any:
    """``value`` (as json read it) with each lone half of a UTF-16 pair, which no UTF-8 page can hold, as U+FFFD.

    A name cut in the middle of an emoji, or an answer pasted with half of one, is still the student's work: it
    is read with a replacement character where the half was, as a browser shows it.
    """
    if isinstance(value, str):
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if isinstance(value, dict):
        return {_whole_characters(k): _whole_characters(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole_characters(v) for v in value]
    return value


def _parse_slowly(data: bytes, path: str | os.PathLike[str]) -> tuple[Submission, str]:
    """The hand-in and its checksum, by json and the format's checks one by one (which say what is wrong)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise HandInError("not UTF-8 text: not a hand-in file") from None
    if not text.strip():
        raise HandInError("empty file")
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise HandInError(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                          "damaged or cut short?") from None
    except RecursionError:
        raise HandInError("not a hand-in file: nested deeper than JSON can be read") from None
    except ValueError as exc:
        raise HandInError(f"not valid JSON ({exc})") from None
    if _SURROGATE_ESCAPE.search(text):
        document = _whole_characters(document)
    return _read(document, path if isinstance(path, Path) else Path(path)), document["checksum"]


def read_hand_in(path: str | os.PathLike[str]) -> Submission:
    """The hand-in file at ``path``; :class:`HandInError` says why it cannot be used."""
    return _read_hand_in(path)


def _read_hand_in(path: str | os.PathLike[str], as_decoded: bool = False) -> Submission:
    """:func:`read_hand_in` (``as_decoded``: see :func:`_parse`)."""
    return _parse(_file_bytes(path), path, as_decoded)


@contextlib.contextmanager
def _opened(path: str | os.PathLike[str]) -> Iterator[tuple[int, int]]:
    """The regular file at ``path`` open to read, as its descriptor and the size it says it has; any failure
    to open or read it (inside the block too) as :class:`HandInError`.

    Read with the system's calls, not a Python file object: no file object to make per file (0.12 s of
    processor time against 0.21 s over 10,000 files). Opened without waiting (a named pipe would wait for
    a writer for ever, and a device such as /dev/zero would be read up to the limit), then refused unless
    it is a regular file.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise OSError(0, "not a file (a pipe, a device or a folder)")
            yield fd, info.st_size
        finally:
            os.close(fd)
    except OSError as exc:
        raise HandInError(f"cannot be read: {exc.strerror or exc}") from None


def _file_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a hand-in file (at most one more than MAX_BYTES); :class:`HandInError` if it cannot be read."""
    with _opened(path) as (fd, size):
        # As many bytes as the file says it holds, and one more to see one that holds more (growing), then
        # on up to the limit: asking for the limit at once would make every file's buffer that large first
        # (8 MiB, for a few kB), and no second read is needed to see the end. A regular file gives fewer
        # bytes than asked for only at its end.
        data = os.read(fd, min(size, MAX_BYTES) + 1)
        if len(data) > size:
            parts, got = [data], len(data)
            while got <= MAX_BYTES:
                more = os.read(fd, MAX_BYTES + 1 - got)
                if not more:
                    break
                parts.append(more)
                got += len(more)
            data = b"".join(parts)
    return data


#: How much of a file is read first to know whose it is: what comes before the student is about 100 bytes,
#: and a name and class are at most 200 characters each (up to 12 bytes each as JSON writes them).
_START = 8192


def _file_start(path: str | os.PathLike[str]) -> tuple[bytes, int]:
    """The first :data:`_START` bytes of a hand-in file (all of it when shorter), and its size;
    :class:`HandInError` if it cannot be read."""
    with _opened(path) as (fd, size):
        return os.read(fd, _START), size


# --- many files -----------------------------------------------------------------------


@dataclass(frozen=True)
class Skipped:
    """A file that was not used, and why."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Replaced:
    """A student who handed in more than once: the latest file, and the earlier ones.

    For each question, the latest file that has it counts; ``superseded`` are
    the earlier files none of whose answers count (every question in them was
    handed in again later).
    """

    student: str
    kept: Path
    earlier: tuple[Path, ...]
    superseded: tuple[Path, ...] = ()


@dataclass
class Collection:
    """What a pile of hand-in files gave: one submission per student, and what was set aside."""

    submissions: list[Submission] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    replaced: list[Replaced] = field(default_factory=list)


def hand_in_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path, str | None]]:
    """(file, None) for each file to read: the files given, and in the folders given the ``.json`` files (in any
    case) and the files that start as a hand-in does (saved as ``.txt`` by a browser, say); (file, why) for a
    file set aside unread: a path given that is not there, or a zip archive in a folder (a platform's download
    of the class's files). Other files in the folders (notes, the report itself) are no one's hand-in."""
    for name in paths:
        path = Path(name).expanduser()
        if path.is_dir():
            for found in _files(path):
                suffix = found.suffix.lower()
                if suffix == ".json" or (suffix != ".zip" and _starts_as_a_hand_in(found)):
                    yield found, None
                elif suffix == ".zip":
                    yield found, "a zip archive, not read: unzip it, then give the folder"
        else:
            yield path, None if path.exists() else "no such file or folder"


def _starts_as_a_hand_in(path: Path) -> bool:
    """Whether the file's first bytes name the hand-in format, as every hand-in file's do."""
    try:
        with open(path, "rb") as file:
            return _FORMAT_NAMED.search(file.read(_HAND_IN_START)) is not None
    except OSError:
        return False


#: Bytes of a file in which a hand-in names its format: after its checksum (``dumps`` and handin.js write both first).
_HAND_IN_START = 200
_FORMAT_NAMED = re.compile(rb'"format"\s*:\s*"sourcebook-hand-in"')


def _files(folder: Path) -> list[Path]:
    """The files under ``folder``, none in or named as hidden (a dot first), in the order of their paths.

    As ``sorted(folder.rglob("*"))`` would list the files (keeping the hidden
    ones out, and not following links to folders, as ``os.walk``), with a tenth
    of the work: a school's hand-ins are thousands of files. Each folder is
    read once; whether an entry is a file is mostly known from the listing.
    """
    found: list[tuple[tuple[str, ...], str]] = []

    def walk(top: str, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(top) as listing:
                entries = list(listing)
        except OSError:  # an unreadable folder is left out, as os.walk does
            return
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_dir():
                if not entry.is_symlink():
                    walk(entry.path, (*parts, name))
            elif entry.is_file():
                found.append(((*parts, name), entry.path))

    walk(os.fspath(folder), ())
    found.sort()
    return [Path(full) for _, full in found]


def collect(paths: Iterable[str | os.PathLike[str]]) -> Collection:
    """Read every hand-in under ``paths`` (files or folders); never raises for a bad file.

    A file that cannot be used is in ``skipped`` with its reason. When a
    student (same name and class, ignoring case and spacing) handed in more
    than once, for each quiz the file handed in last that has it counts, and
    ``replaced`` says so.
    """
    found = Collection()
    read = list(_read_files(paths, found))
    found.submissions = [submission for submission, _, _ in _students(read, found)]
    return found


def _read_files(paths: Iterable[str | os.PathLike[str]], found: Collection) -> Iterator[Submission]:
    """The hand-ins under ``paths``, in the order of :func:`hand_in_files`; those that cannot be used go to
    ``found.skipped``, with their reason."""
    for path, unread in hand_in_files(paths):
        if unread:
            found.skipped.append(Skipped(path, unread))
            continue
        try:
            yield read_hand_in(path)
        except HandInError as exc:
            found.skipped.append(Skipped(path, str(exc)))


#: Where a student's quizzes come from when they handed in more than once: (index of the file among
#: those read, the quiz), in the order of the student's submission.
_Picks = list[tuple[int, QuizWork]]


def _students(read: Sequence[Submission], found: Collection) -> list[tuple[Submission, int, _Picks | None]]:
    """One submission per student, students in order of class and name, from the hand-ins ``read``.

    Each with the index in ``read`` of the student's latest file and, for a
    student who handed in more than once (``found.replaced`` says so), where
    each quiz of the submission comes from (None: from that one file as it is).
    """
    latest: dict[tuple[str, str], list[int]] = {}
    for n, submission in enumerate(read):
        latest.setdefault(submission.student_key, []).append(n)
    # Students in order of class and name, as compared (the key of each is computed once).
    in_order: list[tuple[tuple[str, str], Submission, int, _Picks | None]] = []
    for (name, class_name), versions in latest.items():
        if len(versions) == 1:
            in_order.append(((class_name, name), read[versions[0]], versions[0], None))
            continue
        versions.sort(key=lambda n: (_instant(read[n].handed_in), str(read[n].path)))
        kept = read[versions[-1]]
        # A notebook hands in one quiz per file, perhaps a selection of a bank's questions; the site every quiz
        # so far (a bank shown on two pages as two quizzes). For each question, the latest file that has it
        # counts, so nothing handed in is lost: a notebook's selection of a bank's questions does not take
        # away those of another selection handed in before. An answer without a fingerprint of its own is
        # matched by its quiz's, which is that of all the quiz's questions: such a quiz counts whole, from the
        # latest file that has it.
        picks: _Picks = []
        used: set[Path] = set()
        newer: dict[str, set[str]] = {}  # per quiz, the questions of the files taken so far
        for n in reversed(versions):
            here: dict[str, set[str]] = {}
            for work in read[n].quizzes:
                quiz = work.bank or work.key
                taken = newer.get(quiz)
                if taken is None:
                    picks.append((n, work))
                    used.add(read[n].path)
                elif all(answer.fingerprint is not None for answer in work.answers):
                    rest = tuple(answer for answer in work.answers if answer.id not in taken)
                    if rest:
                        picks.append((n, replace(work, answers=rest)))
                        used.add(read[n].path)
                here.setdefault(quiz, set()).update(answer.id for answer in work.answers)
            for quiz, ids in here.items():
                newer.setdefault(quiz, set()).update(ids)
        in_order.append(((class_name, name), Submission(kept.path, kept.name, kept.class_name, kept.course,
                                                        kept.handed_in, kept.made_with,
                                                        tuple(work for _, work in picks)), versions[-1], picks))
        earlier = tuple(read[n].path for n in versions[:-1])
        found.replaced.append(Replaced(kept.student, kept.path, earlier, tuple(p for p in earlier if p not in used)))
    in_order.sort(key=_first)
    return [(submission, n, picks) for _, submission, n, picks in in_order]


_first = operator.itemgetter(0)


def _instant(text: str | None) -> float:
    """An ISO time as seconds since 1970 (times written in any zone compare rightly)."""
    if not text:
        return float("-inf")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return float("-inf")


# --- matching with the course's banks ---------------------------------------------------------

#: Why a handed-in answer does or does not count.
COUNTED = "counted"
CHANGED = "changed"  # the question was edited since the student answered it
REMOVED = "not in the bank"  # the bank no longer has the question
NO_BANK = "bank not found"  # counted as handed in: no bank to compare with


_answer_id = operator.attrgetter("id")


@dataclass(frozen=True)
class QuizInfo:
    """A quiz of the class's results: one bank, with the questions any student answered."""

    bank: str  # the bank's path from the book's top folder (the quiz's identity)
    title: str
    questions: tuple[str, ...]  # ids in bank order (then any the bank no longer has)
    loaded: model.Bank | None  # None when the bank was not found


@dataclass(slots=True)
class Cell:
    """One student's work on one question, matched with the bank (see :attr:`ClassResults.cells`)."""

    submission: Submission
    quiz: str  # QuizInfo.bank
    answer: Answer
    status: str  # COUNTED, CHANGED, REMOVED or NO_BANK
    max_points: float
    skill: str
    counts: bool  # whether it counts (status COUNTED or NO_BANK)
    points: float  # points that count: never more than the question is worth
    graded: bool  # not an open response


@dataclass
class OlderVersion:
    """Hand-ins made with an earlier version of a bank: how many, and what still counted."""

    quiz: str
    students: int = 0
    unchanged: int = 0  # answers still counted
    changed: int = 0  # answers set aside


@_pickled_by_fields
@dataclass(slots=True)
class QuestionColumns:
    """One question of a quiz as the class answered it: what each answer that counts gives, column by column.

    :func:`analyse` appends to these as it matches each file's answers, while
    they are fresh in memory; the report's figures are computed from them
    (a school year is half a million answers: a second walk over them, which
    lie far apart in memory, cost about as much as the matching). They keep
    no answer that the report does not show: the answers themselves only of
    open questions and of questions the bank does not have.
    """

    id: str
    type: str  # the bank's, or that of the first answer that counts (else of the first answer) when it has none
    skill: str  # as type: the bank's skill, or the answer's when the bank does not have the question
    max_points: float  # as type
    graded: bool = False  # some answer to it is graded (not an open response)
    counted: bool = False  # some answer to it counts
    # Whose graded answer counts (index in ClassResults.submissions), and its points that count, in the
    # same order: what the item statistics are computed from.
    students: list[int] = field(default_factory=list)
    points: list[float] = field(default_factory=list)
    answered: int = 0  # answers that count and were checked at least once
    responses: list[Any] = field(default_factory=list)  # their responses, None left out
    # Those answers themselves, and whose they are, for an open question (the open responses' page) or
    # one the bank does not have (whose type is the answers' own); empty for any other.
    tried: list[Answer] = field(default_factory=list)
    tried_students: list[int] = field(default_factory=list)


@dataclass(slots=True)
class QuizColumns:
    """One quiz as the class answered it: its questions' columns, and each student's marks."""

    questions: dict[str, QuestionColumns] = field(default_factory=dict)  # in the order first answered
    # Per student (index in ClassResults.submissions): the points of each graded answer that counts, in the
    # order handed in (one per question).
    marks: dict[int, list[float]] = field(default_factory=dict)


#: How an answer is matched with its bank: status, points, skill, question type, graded.
Match = tuple[str, float, str, str, bool]


class _BankMatch:
    """One quiz's bank, as answers are matched with it: whether an answer counts, its points, skill and type.

    Where the bank has the question, its type and whether it is graded are the
    bank's, whatever a (hand-edited) file says; else the answer's own.
    """

    def __init__(self, root: Path, work: QuizWork) -> None:
        path = _bank_file(root, work.bank)
        loaded = read_bank(path) if path is not None else None
        self.bank: model.Bank | None = loaded.value if loaded is not None else None
        self.title = self.bank.title if self.bank is not None else work.title
        self._by_id = {q.id: q for q in self.bank.questions} if self.bank is not None else {}
        # Per question id: (its fingerprint now, what an answer to it is matched as: counted or changed).
        # The matches are made once per question, not per answer (half a million in a school year).
        self._expected: dict[str, tuple[str, Match, Match]] | None = None
        if self.bank is not None:
            self._expected = {}
            for q in self.bank.questions:
                points, skill = q.points if q.GRADED else 0.0, q.skill or "other"
                self._expected[q.id] = (question_fingerprint(q), (COUNTED, points, skill, q.TYPE, q.GRADED),
                                        (CHANGED, points, skill, q.TYPE, q.GRADED))
        self._quiz_prints: dict[tuple[str, ...], str] = {}

    def match(self, work: QuizWork, answer: Answer) -> Match:
        """How ``answer`` (in ``work``) is matched: its status, its question's points, skill and type, and
        whether the question is graded."""
        expected = self._expected
        wanted = expected.get(answer.id) if expected is not None else None
        if wanted is None:
            return (NO_BANK if expected is None else REMOVED, answer.max_points, answer.skill or "other",
                    answer.type, answer.type != "open")
        now, counted, changed = wanted
        if answer.fingerprint is not None:
            return counted if answer.fingerprint == now else changed
        return counted if self._quiz_unchanged(work) else changed

    def _quiz_unchanged(self, work: QuizWork) -> bool:
        """Whether the quiz's fingerprint is the one the bank's questions now give (for answers without their own)."""
        ids = tuple(map(_answer_id, work.answers))
        if ids not in self._quiz_prints and all(i in self._by_id for i in ids):
            self._quiz_prints[ids] = fingerprint([self._by_id[i] for i in ids])
        return work.fingerprint == self._quiz_prints.get(ids)


_Kept = list[tuple[str, QuizWork, Sequence[Answer]]]


def _kept(submission: Submission) -> tuple[_Kept, list[tuple[str, QuizWork, Answer]]]:
    """A submission's answers that count for it, quiz by quiz as handed in, and the answers set aside.

    When a file has the same question of a quiz more than once, the answer
    checked last is kept, in the place of the first; the others are set aside.
    """
    quiz_ids = [work.bank or work.key for work in submission.quizzes]
    # Mostly each quiz and each question comes once in a file: then every answer is kept, in
    # order, with no key made per answer to find the one that counts.
    if len(set(quiz_ids)) == len(quiz_ids) and all(
            len(set(map(_answer_id, work.answers))) == len(work.answers) for work in submission.quizzes):
        return list(zip(quiz_ids, submission.quizzes, map(_answers, submission.quizzes), strict=True)), []
    latest: dict[tuple[str, str], tuple[str, QuizWork, Answer]] = {}
    aside: list[tuple[str, QuizWork, Answer]] = []
    for quiz_id, work in zip(quiz_ids, submission.quizzes, strict=True):
        for answer in work.answers:
            previous = latest.get((quiz_id, answer.id))
            if previous is None or _instant(answer.last_checked) >= _instant(previous[2].last_checked):
                latest[(quiz_id, answer.id)] = (quiz_id, work, answer)
                if previous is not None:
                    aside.append(previous)
            else:
                aside.append((quiz_id, work, answer))
    kept: list[tuple[str, QuizWork, list[Answer]]] = []
    for quiz_id, work, answer in latest.values():
        if kept and kept[-1][1] is work:
            kept[-1][2].append(answer)
        else:
            kept.append((quiz_id, work, [answer]))
    return list(kept), aside


_answers = operator.attrgetter("answers")


_NOT_COUNTED = (CHANGED, REMOVED)


def _as_answer(decoded: Any) -> Answer:
    """An answer as the typed decoder left it, made an Answer (:func:`sourcebook._typed_hand_in.as_answer`)."""
    from ._typed_hand_in import as_answer

    return as_answer(decoded)


class _Analysis:
    """The matching of a class's hand-ins with the banks, gathered into the columns and sums.

    :meth:`add` takes the students one by one, in order: the order every
    figure is computed in.
    """

    def __init__(self, book: str | os.PathLike[str]) -> None:
        self.root = Path(book).expanduser().resolve()
        self.course = book_title(self.root)
        #: Hand-ins of another course, with nothing of this one: not counted, set aside (students in order).
        self.elsewhere: list[Skipped] = []
        self._other_banks: dict[str, _BankMatch] = {}  # the banks such hand-ins were looked up in
        self._ours = {self.course}  # course names found to be this one
        self.banks: dict[str, _BankMatch] = {}  # by quiz, in the order of the students who handed them in
        self.columns: dict[str, QuizColumns] = {}
        self.older: dict[str, OlderVersion] = {}
        self.student_quizzes: list[dict[str, list[float]]] = []
        self.student_skills: list[dict[str, list[float]]] = []
        # The points that count, one object per value, as the bank's maximum is for every full mark: a
        # school year's marks are half a million of a few values, which the figures then read again and
        # again from the processor's cache instead of from wherever each file's numbers lie. Only the
        # columns and marks hold them: their sums, and so every figure, are the same (also for a -0.0,
        # which a shared 0.0 may stand for: 0 + -0.0 and 0 + 0.0 are both 0.0).
        shared_points: dict[float, float] = {}
        self._same_points = shared_points.setdefault

    def add(self, submission: Submission) -> bool:
        """Match the next student's answers and append what they give to the columns and sums, in the order
        handed in; False (the hand-in set aside in :attr:`elsewhere`) for a hand-in of another course."""
        elsewhere = self._from_elsewhere(submission)
        if elsewhere:
            self.elsewhere.append(Skipped(submission.path, elsewhere))
            return False
        i = len(self.student_quizzes)
        banks, columns, same_points = self.banks, self.columns, self._same_points
        for work in submission.quizzes:
            if (work.bank or work.key) not in banks:
                # A bank looked up for a hand-in of another course is not read again.
                other = self._other_banks.pop(work.bank or work.key, None)
                banks[work.bank or work.key] = other if other is not None else _BankMatch(self.root, work)
                columns[work.bank or work.key] = QuizColumns()
        kept, aside = _kept(submission)
        quiz_points: dict[str, list[float]] = {}
        skill_points: dict[str, list[float]] = {}
        self.student_quizzes.append(quiz_points)
        self.student_skills.append(skill_points)
        changed: dict[str, int] = {}  # per quiz: answers kept that do not count
        # The loop runs once per answer handed in: what changes only per quiz is looked up once.
        for quiz_id, work, answers in kept:
            if not answers:
                continue
            bank = banks[quiz_id]
            match, expected = bank.match, bank._expected or {}
            quiz = columns[quiz_id]
            questions = quiz.questions
            # A student who handed in a quiz whose questions all changed still has it, with nothing counted.
            sums = quiz_points.get(quiz_id)
            if sums is None:
                sums = quiz_points[quiz_id] = [0.0, 0.0]
            marks: list[float] | None = None
            for answer in answers:
                qid = answer.id
                # The usual case (a question of the bank, with its fingerprint) as match() takes it, in place.
                wanted = expected.get(qid)
                if wanted is not None and answer.fingerprint is not None:
                    status, max_points, skill, qtype, graded = \
                        wanted[1] if answer.fingerprint == wanted[0] else wanted[2]
                else:
                    status, max_points, skill, qtype, graded = match(work, answer)
                column = questions.get(qid)
                if column is None:
                    column = questions[qid] = QuestionColumns(qid, qtype, skill, max_points)
                if graded:
                    column.graded = True
                if status is not COUNTED and status is not NO_BANK:
                    changed[quiz_id] = changed.get(quiz_id, 0) + 1
                    continue
                if not column.counted:
                    column.counted = True
                    column.type, column.skill, column.max_points = qtype, skill, max_points
                points = answer.points
                # Never more than the question is worth; one object per value (see same_points).
                points = same_points(points, points) if points < max_points else max_points
                if answer.attempts > 0:
                    column.answered += 1
                    # The answer itself only where the report shows it: an open question's, or one of a
                    # question the bank does not have (whose type is the answers' own).
                    if wanted is None or qtype == "open":
                        column.tried.append(answer if type(answer) is Answer else _as_answer(answer))
                        column.tried_students.append(i)
                    response = answer.response
                    if response is not None:
                        column.responses.append(response)
                if graded:
                    column.students.append(i)
                    column.points.append(points)
                    if marks is None:
                        marks = quiz.marks.setdefault(i, [])
                    marks.append(points)
                    sums[0] += points
                    sums[1] += max_points
                    skill_sums = skill_points.get(skill)
                    if skill_sums is None:
                        skill_sums = skill_points[skill] = [0.0, 0.0]
                    skill_sums[0] += points
                    skill_sums[1] += max_points
        # The quizzes in which some answer (also one set aside) was made on an earlier version of the bank.
        older_here = dict.fromkeys(changed)
        for quiz_id, work, answer in aside:
            if banks[quiz_id].match(work, answer)[0] in _NOT_COUNTED:
                older_here[quiz_id] = None
        for quiz_id in older_here:
            note = self.older.setdefault(quiz_id, OlderVersion(quiz_id))
            note.students += 1
            note.changed += changed.get(quiz_id, 0)
            note.unchanged += sum(len(answers) for q, _, answers in kept if q == quiz_id) - changed.get(quiz_id, 0)
        return True

    def _from_elsewhere(self, submission: Submission) -> str:
        """Why a hand-in is another course's ("" when it is not): it names another course than this book's
        title, and none of its answers is to a question of this book as it is now. A course renamed since
        keeps its questions, and its hand-ins count."""
        course = submission.course
        if course in self._ours:  # nearly every file: the title as the site wrote it
            return ""
        if not self.course or not course.strip() or _same(course) == _same(self.course):
            self._ours.add(course)
            return ""
        for work in submission.quizzes:
            quiz = work.bank or work.key
            bank = self.banks.get(quiz) or self._other_banks.get(quiz)
            if bank is None:
                bank = self._other_banks[quiz] = _BankMatch(self.root, work)
            if bank.bank is not None and any(bank.match(work, answer)[0] is COUNTED for answer in work.answers):
                return ""
        return (f'from another course, "{course}", with no answer to a question of this book ("{self.course}"): '
                "to count it, make that course's report, with --book its folder")

    def join(self, later: _Analysis) -> None:
        """Take in ``later``'s students, who come after this one's in order, as if :meth:`add` had taken them
        here: the same columns, sums and notes, in the same order."""
        offset = len(self.student_quizzes)
        for quiz_id, bank in later.banks.items():
            self.banks.setdefault(quiz_id, bank)
            quiz, mine = later.columns[quiz_id], self.columns.setdefault(quiz_id, QuizColumns())
            for qid, column in quiz.questions.items():
                column.students = [i + offset for i in column.students]
                column.tried_students = [i + offset for i in column.tried_students]
                have = mine.questions.setdefault(qid, column)
                if have is column:
                    continue
                # As add() would have gone on: the type, skill and points are those of the first answer
                # that counts (else of the first answer), and every list goes on in the students' order.
                have.graded = have.graded or column.graded
                if column.counted and not have.counted:
                    have.counted = True
                    have.type, have.skill, have.max_points = column.type, column.skill, column.max_points
                have.students += column.students
                have.points += column.points
                have.answered += column.answered
                have.responses += column.responses
                have.tried += column.tried
                have.tried_students += column.tried_students
            mine.marks.update((i + offset, marks) for i, marks in quiz.marks.items())
        for quiz_id, note in later.older.items():
            have_note = self.older.setdefault(quiz_id, OlderVersion(quiz_id))
            have_note.students += note.students
            have_note.unchanged += note.unchanged
            have_note.changed += note.changed
        self.student_quizzes += later.student_quizzes
        self.student_skills += later.student_skills
        self.elsewhere += later.elsewhere

    def __getstate__(self) -> dict[str, Any]:  # sent back by a process matching a run of students
        return {name: value for name, value in vars(self).items() if name != "_same_points"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        vars(self).update(state)
        shared_points: dict[float, float] = {}
        self._same_points = shared_points.setdefault

    def results(self, collection: Collection, sources: _Sources | None = None) -> ClassResults:
        quizzes: dict[str, QuizInfo] = {}
        for quiz_id, matched in self.banks.items():
            answered = self.columns[quiz_id].questions
            order = [q.id for q in matched.bank.questions if q.id in answered] if matched.bank is not None else []
            order += [i for i in answered if i not in order]
            quizzes[quiz_id] = QuizInfo(quiz_id, matched.title, tuple(order), matched.bank)
        ordered = dict(sorted(quizzes.items(), key=lambda item: (item[1].bank, item[1].title)))
        missing = [quiz_id for quiz_id, matched in self.banks.items() if matched.bank is None]
        return ClassResults(collection, ordered, self.older, missing, self.columns, self.student_quizzes,
                            self.student_skills, self.banks, sources)


@dataclass(frozen=True)
class _Sources:
    """The hand-in files and folders a class's results were read from, and the book."""

    paths: tuple[str | os.PathLike[str], ...]
    book: Path


@dataclass
class ClassResults:
    """A class's hand-ins matched with the banks: the one model of every report output.

    ``columns`` hold, per quiz and question, what every answer that counts
    gives; ``student_quizzes`` and ``student_skills`` each student's points
    and maximum, per quiz and per skill (both as [points, maximum], over the
    graded answers that count, added in the order handed in). ``cells`` gives
    the same matching answer by answer.
    """

    collection: Collection
    quizzes: dict[str, QuizInfo]
    older: dict[str, OlderVersion]
    missing_banks: list[str]
    columns: dict[str, QuizColumns]
    # Per student, in the order of submissions: per quiz (bank) and per skill, in the order first answered.
    student_quizzes: list[dict[str, list[float]]]
    student_skills: list[dict[str, list[float]]]
    banks: dict[str, _BankMatch] = field(repr=False)
    # Where the hand-ins were read from, when the submissions keep no answers (see analyse_files).
    sources: _Sources | None = field(default=None, repr=False)

    @property
    def submissions(self) -> list[Submission]:
        return self.collection.submissions

    @functools.cached_property
    def cells(self) -> list[Cell]:
        """Each student's work on each question that counts for them, matched with the bank, in the order
        handed in: made when first asked for, by the same matching as the columns (for results of
        :func:`analyse_files`, which keep no answers, from the files read again)."""
        if self.sources is not None:
            return analyse(collect(self.sources.paths), self.sources.book).cells
        cells: list[Cell] = []
        for submission in self.submissions:
            for quiz_id, work, answers in _kept(submission)[0]:
                match = self.banks[quiz_id].match
                for answer in answers:
                    status, max_points, skill, _, graded = match(work, answer)
                    counts = status is COUNTED or status is NO_BANK
                    points = answer.points
                    cells.append(Cell(submission, quiz_id, answer, status, max_points, skill, counts,
                                      (points if points < max_points else max_points) if counts else 0.0,
                                      graded))
        return cells


def _bank_file(root: Path, bank: str) -> Path | None:
    """The bank file named in a hand-in, only inside the book and only YAML."""
    if not bank or "\0" in bank:
        return None
    candidate = (root / bank).resolve()
    if candidate.suffix not in (".yml", ".yaml") or not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def analyse(collection: Collection, book: str | os.PathLike[str] = ".") -> ClassResults:
    """Match the hand-ins with the banks of the book at ``book``.

    A question counts when its fingerprint is the bank's (or, for answers
    without one, when the quiz's fingerprint is). Work on a question that was
    changed or removed since is kept but does not count. A bank that cannot
    be found or read counts every answer as handed in. When a student has the
    same question in two quizzes, the answer checked last counts.

    Each answer is matched and what it gives appended to its question's
    columns in one pass, file by file.
    """
    analysis = _Analysis(book)
    counted = [submission for submission in collection.submissions if analysis.add(submission)]
    return analysis.results(Collection(counted, collection.skipped + analysis.elsewhere, collection.replaced))


#: The start of a hand-in file as handin.js and dumps write it, up to the student: checksum, format,
#: version, then the student's name and class (each a JSON string).
_HEADER = re.compile(rb'\s*\{\s*"checksum":\s*"[^"\\]*",\s*"format":\s*"sourcebook-hand-in",\s*"version":\s*1,'
                     rb'\s*"student":\s*\{\s*"name":\s*"((?:[^"\\]|\\.)*)",\s*"class":\s*"((?:[^"\\]|\\.)*)"\s*\}')


def _student_at_start(data: bytes) -> tuple[str, str] | None:
    """The student a hand-in file's bytes name at their start, as compared (Submission.student_key); None if
    the start is not as handin.js and dumps write it."""
    try:
        found = _HEADER.match(data, 3 if data.startswith(b"\xef\xbb\xbf") else 0)
        if found is None:
            return None
        name, class_name = found[1], found[2]
        # JSON strings: as UTF-8 when nothing in them is escaped, else as the file is read (_parse_slowly).
        return (_same((_whole_characters(json.loads(b'"' + name + b'"')) if b"\\" in name
                       else name.decode("utf-8")).strip()),
                _same((_whole_characters(json.loads(b'"' + class_name + b'"')) if b"\\" in class_name
                       else class_name.decode("utf-8")).strip()))
    except ValueError:
        return None


#: Each student's files: their place in the listing, path, what is held of them (the hand-in when decoded
#: already, the bytes of a short file, else None: read when matched) and size in bytes.
_Held = list[tuple[int, Path, Submission | bytes | None, int]]


class _OutOfOrder(Exception):
    """A file's start named another student than the file does (see analyse_files)."""


def analyse_files(paths: Iterable[str | os.PathLike[str]], book: str | os.PathLike[str] = ".", *,
                  processes: int | None = None) -> ClassResults:
    """:func:`analyse` of :func:`collect` of ``paths``: the same results, but keeping no answers.

    What the class report needs. Each file is matched with the banks as soon
    as it is decoded, while its answers are fresh in memory, and only what
    the columns and sums take from them is kept (a school year is half a
    million answers, which the processor's cache would otherwise fetch again
    to match them, and again to free them). The answers are matched in the
    order of the students, as :func:`analyse` does: so the start of every
    file is read first and its student taken from it (a pattern over its
    first few hundred bytes), and the files are then read whole, decoded
    and matched student by student, each file's bytes dropped once decoded
    (a school year's files are about 220 MB: holding them all would take
    half as much memory again as the report). A student who handed in more
    than once has all their files decoded before theirs are matched, so
    that the latest counts as :func:`collect` says. A file not written as
    the site and notebooks write it is decoded at once, to know whose it
    is. The results' ``submissions`` hold their quizzes without the
    answers; :attr:`ClassResults.cells` reads the files again.

    A school's hand-ins (from 20 MB) are read and matched by several
    processes on Linux, one per processor (see :mod:`sourcebook.forking`):
    each takes a run of students in order, and the runs are joined in
    order, so the results are the same as in one process. ``processes``
    sets how many (1: this process alone).
    """
    paths = list(paths)
    try:
        return _analyse_in_order(paths, book, processes)
    except _OutOfOrder:
        # A file whose start names another student than its whole does (made by hand, with its
        # checksum made again): read the files as collect() does, which needs no order.
        return analyse(collect(paths), book)


def _analyse_in_order(paths: list[str | os.PathLike[str]], book: str | os.PathLike[str],
                      processes: int | None) -> ClassResults:
    found = Collection()
    skipped: list[tuple[int, Skipped]] = []  # with each file's place in the listing, as collect() lists them
    files: dict[tuple[str, str], _Held] = {}
    for n, (path, unread) in enumerate(hand_in_files(paths)):
        if unread:
            skipped.append((n, Skipped(path, unread)))
            continue
        try:
            start, size = _file_start(path)
            key = _student_at_start(start)
            if key is None:  # not written as the site and notebooks write: decoded now, to know whose it is
                submission = _parse(start if len(start) < _START else _file_bytes(path), path, as_decoded=True)
                files.setdefault(submission.student_key, []).append((n, path, submission, size))
            else:  # read whole when matched (unless this was all of it)
                files.setdefault(key, []).append((n, path, start if len(start) < _START else None, size))
        except HandInError as exc:
            skipped.append((n, Skipped(path, str(exc))))
    # Students in order of class and name, as compared (as collect() orders them).
    students = sorted(files.items(), key=lambda item: (item[0][1], item[0][0]))
    parts = _match_in_processes(students, book, processes)
    matched = parts[0]
    for later in parts[1:]:
        matched.join(later)
    found.submissions = matched.submissions
    found.skipped = [s for _, s in sorted(skipped + matched.skipped, key=_first)] + matched.analysis.elsewhere
    found.replaced = [r for _, r in sorted(matched.replaced, key=_first)]
    return matched.analysis.results(found, _Sources(tuple(paths), matched.analysis.root))


@dataclass
class _Matched:
    """Students matched with the banks one by one, in order (all of them, or a contiguous run of them)."""

    analysis: _Analysis
    submissions: list[Submission]  # one per student, in order, without answers
    skipped: list[tuple[int, Skipped]]  # with each file's place in the listing
    replaced: list[tuple[int, Replaced]]  # as skipped

    def join(self, later: _Matched) -> None:
        """Add the students of ``later``, who come next in order, as if they had been matched here."""
        self.analysis.join(later.analysis)
        self.submissions += later.submissions
        self.skipped += later.skipped
        self.replaced += later.replaced


def _match_students(students: Sequence[tuple[tuple[str, str], _Held]], book: str | os.PathLike[str]) -> _Matched:
    """Decode each student's files and match their submission with the banks, student by student."""
    matched = _Matched(_Analysis(book), [], [], [])
    analysis, skipped = matched.analysis, matched.skipped
    for key, mine in students:
        read: list[tuple[int, Submission]] = []
        for n, path, held, _ in mine:
            if isinstance(held, Submission):
                submission = held
            else:
                try:
                    submission = _parse(_file_bytes(path) if held is None else held, path, as_decoded=True)
                except HandInError as exc:
                    skipped.append((n, Skipped(path, str(exc))))
                    continue
                if submission.student_key != key:
                    raise _OutOfOrder(path)
            read.append((n, submission))
        if not read:
            continue
        if len(read) == 1:
            submission = read[0][1]
        else:
            one = Collection()
            ((submission, _, _),) = _students([s for _, s in read], one)
            matched.replaced += [(read[0][0], r) for r in one.replaced]
        if analysis.add(submission):
            matched.submissions.append(submission)
        # The answers go, with the file (and with the part of a quiz an earlier file gave, a copy of its own).
        for version in (*(version for _, version in read), submission):
            for work in version.quizzes:
                work.answers = ()
    return matched


#: Hand-in bytes per process worth forking for: starting a process and sending its results back cost as
#: much as they save on 5.6 MB (250 files of a school year); on 23 MB, two processes took 6 % less time.
_BYTES_PER_PROCESS = 20_000_000
#: What sending a run's results back costs the process that matched it, and receiving them costs this
#: one, each against matching the run (measured on a school year: 0.44 s and 0.18 s against 1.07 s).
_SENDING, _RECEIVING = 0.4, 0.17


def _runs(students: list[tuple[tuple[str, str], _Held]], sizes: list[int],
          processes: int) -> list[list[tuple[tuple[str, str], _Held]]]:
    """``students`` (of ``sizes`` bytes each) cut into at most ``processes`` runs, in order and none empty,
    that take about as long to match and send back.

    The first run, matched here, is larger by what sending costs the other
    processes, less what receiving their results costs this one.
    """
    first = max(0.5, 1 + _SENDING - _RECEIVING * (processes - 1))
    weights = [first] + [1.0] * (processes - 1)
    total, ends, so_far = sum(sizes), [], 0.0
    for weight in weights:
        so_far += weight
        ends.append(total * so_far / sum(weights))
    runs: list[list[tuple[tuple[str, str], _Held]]] = [[] for _ in weights]
    run, done = 0, 0
    for student, size in zip(students, sizes, strict=True):
        while run < len(runs) - 1 and done + size / 2 > ends[run]:
            run += 1
        runs[run].append(student)
        done += size
    return [run for run in runs if run] or [[]]


def _match_in_processes(students: list[tuple[tuple[str, str], _Held]], book: str | os.PathLike[str],
                        processes: int | None) -> list[_Matched]:
    """The students matched in contiguous runs, one per process, in order (see :func:`analyse_files`).

    This process matches the first run while forked processes match the
    others, each reading its run's files itself, and send back what they
    gave, which :meth:`_Matched.join` appends in order.
    """
    sizes = [sum(size for *_, size in mine) for _, mine in students]
    runs = _runs(students, sizes, forking.processes(processes, sum(sizes) // _BYTES_PER_PROCESS))
    with contextlib.ExitStack() as forks:
        others = [forks.enter_context(forking.InFork(_match_students, run, book)) for run in runs[1:]]
        parts = [_match_students(runs[0], book)]
        parts += [other.result() for other in others]
    return parts


# --- for a teacher's notebook ---------------------------------------------------------


def records(submissions: Iterable[str | os.PathLike[str]] | ClassResults,
            book: str | os.PathLike[str] = ".") -> list[dict[str, Any]]:
    """One plain record per student and question: the class's results for a notebook.

    ``submissions`` are hand-in files and folders (or an :func:`analyse` result);
    ``book`` is the course's top folder, where the banks are. Each record has
    the student, class, quiz, question, skill, type, response, points (what
    counts), max_points, attempts, hints, revealed, first and last check, and
    ``status``: ``counted``, ``changed`` (edited since; not counted), ``not in
    the bank`` or ``bank not found`` (counted as handed in).
    """
    results = submissions if isinstance(submissions, ClassResults) else analyse(collect(submissions), book)
    out: list[dict[str, Any]] = []
    for cell in results.cells:
        a = cell.answer
        s = cell.submission
        out.append({
            "student": s.name, "class": s.class_name, "quiz": results.quizzes[cell.quiz].title,
            "bank": cell.quiz, "question": a.id, "skill": cell.skill, "type": a.type, "response": a.response,
            "points": cell.points, "max_points": cell.max_points, "graded": cell.graded,
            "attempts": a.attempts, "hints": a.hints, "revealed": a.revealed,
            "first_checked": a.first_checked, "last_checked": a.last_checked, "status": cell.status,
            "handed_in": s.handed_in, "made_with": s.made_with, "file": str(s.path),
        })
    return out


def dataframe(submissions: Iterable[str | os.PathLike[str]] | ClassResults, book: str | os.PathLike[str] = ".") -> Any:
    """:func:`records` as a pandas DataFrame (needs pandas: ``pip install pandas``)."""
    try:
        import pandas  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise ImportError("sourcebook.results.dataframe needs pandas (pip install pandas); "
                          "sourcebook.results.records gives the same data as plain records") from None
    return pandas.DataFrame.from_records(records(submissions, book))


__all__ = ["CHANGED", "COUNTED", "FORMAT", "NO_BANK", "REMOVED", "VERSION", "Answer", "Cell", "ClassResults",
           "Collection", "HandInError", "OlderVersion", "QuestionColumns", "QuizColumns", "QuizInfo", "QuizWork",
           "Replaced", "Skipped", "Submission", "analyse", "analyse_files", "checksum", "collect", "dataframe",
           "document", "dumps", "hand_in_schema", "parse", "question_fingerprint", "read_hand_in", "records",
           "validate", "write_hand_in"]
