"""Export a question bank to a learning management system's format.

Each format module (:mod:`.moodle`, :mod:`.gift`, :mod:`.qti`) is a pure
function from a :class:`~sourcebook.model.Bank` to an :class:`Export`: the
file's bytes, plus a :class:`Note` for everything the format could not
express. Nothing is dropped silently: a question the format cannot hold at all
is left out with a note marked ``skipped``; a field it cannot hold, or holds
differently (a range written as a value and a tolerance, a gap name, a
normalisation rule), gets a note saying what changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from .. import model, types
from ..formatting import format_number


@dataclass(frozen=True)
class Note:
    """What an export changed or left out; ``question`` is '' for the bank as a whole."""

    question: str
    message: str
    skipped: bool = False


@dataclass(frozen=True)
class Export:
    """An exported bank: the file's bytes and the notes on what changed."""

    data: bytes
    notes: tuple[Note, ...]
    #: The usual file name extension of the format, with its dot.
    suffix: str

    @property
    def skipped(self) -> tuple[str, ...]:
        """Ids of the questions that are not in the file."""
        return tuple(n.question for n in self.notes if n.skipped)


class Notes:
    """Collects the notes of one export, question by question."""

    def __init__(self) -> None:
        self.items: list[Note] = []

    def add(self, question: model.Question | None, message: str) -> None:
        self.items.append(Note(question.id if question else "", message))

    def skip(self, question: model.Question, message: str) -> None:
        self.items.append(Note(question.id, f"left out: {message}", skipped=True))


def number(value: float) -> str:
    """A number as LMS files write it: 1957, not 1957.0; full precision, no exponent."""
    return format_number(value)


def position_label(place: int, count: int) -> str:
    """The name of a place in an order of ``count`` items: "1 (first)", "2", ..., "4 (last)"."""
    if place == 1:
        return "1 (first)"
    return f"{place} (last)" if place == count else str(place)


def ordering_as_matching(q: types.Ordering, notes: Notes, fmt: str) -> types.Matching:
    """An ordering question as a matching one, for formats with no ordering type.

    Each item is matched to its place in the order ("1 (first)" ... "4 (last)").
    Everything else is kept; the note says how the grading differs.
    """
    common = {f.name: getattr(q, f.name) for f in dataclasses.fields(model.Question)}
    pairs = tuple(types.Pair(left=item, right=position_label(i, len(q.items)))
                  for i, item in enumerate(q.items, 1))
    notes.add(q, f"{fmt} has no ordering question: written as a matching question that pairs each item "
                 "with its place in the order; it gives credit per item in its right place, where the "
                 "site gives credit per pair of items in the right relative order")
    return types.Matching(**common, pairs=pairs)


def evidence_as_multiple(bank: model.Bank, q: types.Evidence, notes: Notes, fmt: str) -> types.MultipleAnswer:
    """An evidence question as a multiple-answer one, for formats with no evidence type (all of them).

    The claim follows the prompt; each paragraph is a choice named by its
    number and opening words, with its feedback, in the source's order.
    """
    from ..i18n import strings_for
    from ..types.evidence import passages

    common = {f.name: getattr(q, f.name) for f in dataclasses.fields(model.Question)}
    s = strings_for("en")
    common["prompt"] = f"{q.prompt}\n\n**{s['type_evidence_claim']}** {q.claim}\n\n{s['type_evidence_' + q.relation]}"
    choices = tuple(model.Choice(text=label, correct=p.correct, feedback=p.feedback)
                    for (label, _), p in zip(passages(bank, q), q.paragraphs, strict=True))
    notes.add(q, f"{fmt} has no evidence question: written as a multiple-answer question whose choices name the "
                 "source's paragraphs by number and opening words (students need the source beside them)")
    common["shuffle"] = False  # the source's order
    return types.MultipleAnswer(**common, choices=choices)


#: The question types every format knows how to write (each keeps its per-type code, as Moodle's format plugins do).
WRITTEN_TYPES = (types.SingleChoice, types.MultipleAnswer, types.TrueFalse, types.Numeric, types.ShortText,
                 types.Ordering, types.Matching, types.Blanks, types.OpenResponse)


def as_written(bank: model.Bank, q: model.Question, notes: Notes, fmt: str) -> model.Question | None:
    """The question as the formats write it: an evidence question as multiple answer, a type another package
    adds left out (with a note), the others as they are."""
    if isinstance(q, types.Evidence):
        return evidence_as_multiple(bank, q, notes, fmt)
    if not isinstance(q, WRITTEN_TYPES):
        notes.skip(q, f"{fmt} has no question like a `{q.TYPE}` question (a type another package adds)")
        return None
    return q


def note_bank_fields(bank: model.Bank, notes: Notes, fmt: str, *, keeps_description: bool) -> None:
    """Notes for the bank's own fields that the format has no place for."""
    if bank.source:
        notes.add(None, f"{fmt} has no place for the bank's source ({bank.source}): the paragraphs that "
                  "evidence anchors name are not part of the export")
    if bank.description and not keeps_description:
        notes.add(None, f"{fmt} has no place for the bank's description: it is written as a comment, which "
                  "an import leaves out")


FORMATS: dict[str, str] = {"moodle": "Moodle XML", "gift": "GIFT", "qti": "Canvas QTI 1.2 zip"}


def exporter(name: str) -> Callable[[model.Bank], Export]:
    """The export function of a format named in :data:`FORMATS`."""
    if name == "moodle":
        from .moodle import export_bank as moodle_export

        return moodle_export
    if name == "gift":
        from .gift import export_bank as gift_export

        return gift_export
    if name == "qti":
        from .qti import export_bank as qti_export

        return qti_export
    raise KeyError(name)
