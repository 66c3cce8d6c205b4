"""GIFT export, for the question types GIFT can express.

GIFT is Moodle's plain-text format. Text is written as ``[markdown]`` with
GIFT's special characters ``~ = # { } :`` and the backslash escaped, and line
breaks written ``\\n`` (a blank line would end the question). What Moodle's
reader takes as syntax wherever it stands, and no backslash undoes, is kept
from changing meaning:

* an answer that starts with ``%`` is written with its weight in front (so
  ``%100%`` in a wrong choice stays text);
* ``->`` in a left item of a matching question, or in feedback among typed
  answers, is written ``-&gt;`` (it would make a matching pair, or turn the
  question into a matching one); a typed answer with ``->`` cannot be written
  and its question is left out;
* a text in the answer block that starts as a format name (``[html]...``) gets
  ``[markdown]`` in front, which Moodle takes as its format;
* ``*`` in a typed answer is escaped, as in the Moodle XML export (Moodle
  reads it as a wildcard);
* ``<`` outside code is written ``&lt;``: sourcebook shows HTML in Markdown as
  text, and Moodle's Markdown would keep it as HTML.

Each question is preceded by the comment Moodle's reader takes its id number
and tags from (``// [id:...] [tag:...]``, as Moodle's GIFT export writes it):
the id, the skill and the evidence anchors (``evidence:p1``), as in the Moodle
XML export. What GIFT has no place for is noted: points, hints (questions are
worth 1 point when imported), units, case sensitivity, the model answer of an
open response. An ordering question becomes a matching question that pairs
each item with its place in the order. Fill-in-the-blanks texts with more than
one gap cannot be written at all and are left out with a note; a text with one
gap becomes a "missing word" question, its gap marked ``_____`` when it ends
the text (Moodle marks it only where text follows).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from .. import model, types
from . import Export, Notes, as_written, note_bank_fields, number, ordering_as_matching
from .moodle import EVIDENCE_TAG, NORMALISATION_NOTE, category_path, escape_wildcard, fraction, multiple_answer_grades

_SPECIAL = "~=#{}:"


def escape(text: str) -> str:
    """Text as GIFT reads it back: special characters and backslashes escaped, newlines as \\n."""
    out = text.replace("\\", "\\\\")
    for char in _SPECIAL:
        out = out.replace(char, "\\" + char)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


#: A run of backticks: a code span opens with one and closes with the next of the same length.
_BACKTICKS = re.compile(r"`+")
#: What Markdown takes as a link (an autolink), not as HTML.
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>")
#: Moodle's names of text formats: a GIFT text that starts with one (``[markdown]``...) is read in that format.
FORMAT_NAME = re.compile(r"\[(html|moodle|plain|markdown)\]")


def code_spans(markdown: str) -> list[tuple[int, int]]:
    """Where the code spans (and fenced code) of ``markdown`` start and end, where Markdown shows every character
    as it is: from a run of backticks to the next run of the same length. Found in one pass over the runs, so a
    text of many backticks takes time in proportion to its length."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(markdown)]
    later: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        later.setdefault(end - start, []).append(index)
    spans, index = [], 0
    while index < len(runs):
        start, end = runs[index]
        same = later[end - start]
        closing = bisect.bisect_right(same, index)
        if closing < len(same):
            spans.append((start, runs[same[closing]][1]))
            index = same[closing] + 1
        else:
            index += 1
    return spans


def _outside_code(markdown: str, change: Callable[[str], str]) -> str:
    """``markdown`` with ``change`` made to the text outside its code spans."""
    out, position = [], 0
    for start, end in code_spans(markdown):
        out += [change(markdown[position:start]), markdown[start:end]]
        position = end
    return "".join([*out, change(markdown[position:])])


def _as_text(markdown: str) -> str:
    """sourcebook shows HTML in Markdown as text; Moodle's Markdown keeps it as HTML: ``<`` written as ``&lt;``
    (also where a backslash escapes it, which Moodle's Markdown does not undo), but in code and in autolinks."""
    def text(part: str) -> str:
        out, position = [], 0
        for link in _AUTOLINK.finditer(part):
            out += [_LESS_THAN.sub("&lt;", part[position:link.start()]), link.group(0)]
            position = link.end()
        return "".join([*out, _LESS_THAN.sub("&lt;", part[position:])])
    return _outside_code(markdown, text)


#: A ``<``, with the backslash that may escape it.
_LESS_THAN = re.compile(r"\\?<")


def markdown_text(markdown: str) -> str:
    """Markdown text (the prompt, the text around a gap) as GIFT reads it back, meaning kept."""
    return escape(_as_text(markdown))


def block_text(markdown: str, *, pair: bool = False) -> str:
    """Markdown text inside the answer block (a choice, feedback, the explanation, a left item), meaning kept.

    ``pair``: where ``->`` would make a matching pair (a left item; feedback in a block of ``=`` answers), it is
    written ``-&gt;``, which Markdown shows the same outside code. A text that starts as a format name
    (``[html]...``) gets the block's own format first, so that Moodle does not take it for one.
    """
    text = escape(_as_text(markdown))
    if pair:
        text = _outside_code(text, lambda part: part.replace("->", "-&gt;"))
    return format_kept(text)


def format_kept(text: str) -> str:
    """``text`` for a place where Moodle reads a leading ``[html]``, ``[plain]``... as its format: such a start
    is kept as text by writing the format first."""
    return "[markdown]" + text if FORMAT_NAME.match(text.lstrip()) else text


def _weighted(sign: str, weight: str, answer: str) -> str:
    """One answer after its sign (= or ~). Moodle reads a leading %n% as the answer's weight, so
    an answer that starts with % gets its own weight written first, and keeps its text."""
    return f"{sign}%{weight}%{answer}" if answer.lstrip().startswith("%") else sign + answer


def _feedback(text: str, *, pair: bool = False) -> str:
    return f"#{block_text(text, pair=pair)}" if text else ""


def typed(answer: str) -> str:
    """A typed answer as Moodle reads it back: GIFT's escapes, ``*`` not a wildcard, no format name."""
    return format_kept(escape(escape_wildcard(answer)))


def _lost(q: model.Question, notes: Notes) -> None:
    """Notes for the common fields GIFT has no place for, when they are set."""
    lost = []
    if q.points != 1:
        lost.append(f"points ({number(q.points)}; GIFT questions are worth 1)")
    if q.hints:
        lost.append(f"{len(q.hints)} hint{'s' * (len(q.hints) != 1)}")
    if not q.shuffle and isinstance(q, types.SingleChoice | types.MultipleAnswer | types.Matching):
        lost.append("shuffle: false (the quiz decides)")
    if lost:
        notes.add(q, "GIFT cannot hold " + "; ".join(lost))


def _answers(q: model.Question, notes: Notes) -> tuple[str, str] | None:
    """(answer block, text after it) of a question, or None if GIFT cannot express it."""
    if isinstance(q, types.SingleChoice):
        # After "=", Moodle reads no weight; after "~" it does.
        return " ".join(("=" + block_text(c.text) if c.correct else _weighted("~", "0", block_text(c.text)))
                        + _feedback(c.feedback) for c in q.choices), ""
    if isinstance(q, types.MultipleAnswer):
        # Moodle's GIFT reader takes only the grades on its list, as its XML reader does.
        grades = multiple_answer_grades(q, notes)
        if grades is None:
            return None
        return " ".join(f"~%{fraction(grade)}%" + block_text(c.text) + _feedback(c.feedback)
                        for c, grade in zip(q.choices, grades, strict=True)), ""
    if isinstance(q, types.TrueFalse):
        # GIFT's first feedback is for a wrong answer, the second for a right one.
        wrong, right_fb = (q.feedback_false, q.feedback_true) if q.answer else (q.feedback_true, q.feedback_false)
        block = ("T" if q.answer else "F") + (f"#{block_text(wrong)}#{block_text(right_fb)}"
                                               if wrong or right_fb else "")
        return block, ""
    if isinstance(q, types.Numeric):
        if q.unit:
            notes.add(q, f"GIFT has no units: the unit '{q.unit}' is left out (put it in the prompt)")
        if q.answer is not None:
            value = number(q.answer) + (f":{number(q.tolerance)}" if q.tolerance else "")
        else:
            value = f"{number(q.low)}..{number(q.high)}"
        return "#" + value, ""
    if isinstance(q, types.ShortText):
        if _arrow_in_typed_answer(q, [*q.answers, *(w.text for w in q.wrong_answers)], notes):
            return None
        _typed_notes(q, q.case_sensitive, notes)
        parts = [_weighted("=", "100", typed(a)) for a in q.answers]
        parts += ["=%0%" + typed(w.text) + _feedback(w.feedback, pair=True) for w in q.wrong_answers]
        return " ".join(parts), ""
    if isinstance(q, types.Matching):
        # Moodle splits a pair at its first "->": the left item's are written as -&gt;.
        pairs = [f"={block_text(p.left, pair=True)} -> {escape(p.right)}" for p in q.pairs]
        pairs += [f"= -> {escape(d)}" for d in q.distractors]
        return " ".join(pairs), ""
    if isinstance(q, types.Blanks):
        return _missing_word(q, notes)
    assert isinstance(q, types.OpenResponse)
    if q.model_answer or q.rubric:
        notes.add(q, "GIFT cannot hold the model answer or the rubric of an essay")
    return "", ""


def _arrow_in_typed_answer(q: model.Question, answers: list[str] | tuple[str, ...], notes: Notes) -> bool:
    """Whether a typed answer holds "->", which Moodle would read as a matching pair (noted as left out)."""
    if any("->" in a for a in answers):
        notes.skip(q, "a typed answer holds '->', which GIFT reads as a matching pair and cannot escape "
                   "(use the Moodle XML export)")
        return True
    return False


def _typed_notes(q: model.Question, case_sensitive: bool, notes: Notes) -> None:
    if case_sensitive:
        notes.add(q, "GIFT cannot make a typed answer case-sensitive: Moodle will ignore letter case")
    notes.add(q, NORMALISATION_NOTE)


def _missing_word(q: types.Blanks, notes: Notes) -> tuple[str, str] | None:
    gaps = list(types.GAP_PATTERN.finditer(q.text))
    if len(gaps) != 1:
        notes.skip(q, f"GIFT can hold one gap per question, and this text has {len(gaps)} (use the Moodle XML export)")
        return None
    name = gaps[0].group(1)
    blank = q.blanks[name]
    if name != "gap1":
        notes.add(q, f"GIFT gaps have no names: `{name}` becomes `gap1` on import")
    if blank.choices:
        block = " ".join("=" + block_text(c) if c in blank.answers[:1] else _weighted("~", "0", block_text(c))
                         for c in blank.choices)
        if len(blank.answers) > 1:
            notes.add(q, "a drop-down in GIFT has one right choice: only the first answer is kept")
    else:
        if _arrow_in_typed_answer(q, blank.answers, notes):
            return None
        _typed_notes(q, blank.case_sensitive, notes)
        block = " ".join(_weighted("=", "100", typed(a)) for a in blank.answers)
    return block, q.text[gaps[0].end():]


def question_text(q: model.Question, notes: Notes) -> str | None:
    """One question in GIFT, or None (with a note) when GIFT cannot express it."""
    if isinstance(q, types.Ordering):
        q = ordering_as_matching(q, notes, "GIFT")
    answers = _answers(q, notes)
    if answers is None:
        return None
    block, tail = answers
    head = q.prompt
    if isinstance(q, types.Blanks):
        gap = next(types.GAP_PATTERN.finditer(q.text))
        head = q.prompt.rstrip() + "\n\n" + q.text[: gap.start()]
        if not tail:
            # Moodle marks the gap with a blank only where text follows the block: at the end, it is written.
            head += GAP_MARK
    if q.explanation:
        block += f" ####{block_text(q.explanation)}"
    _lost(q, notes)
    # A space before the block would become part of the text; the tail keeps its own spacing.
    question = f"::{escape(q.id)}::[markdown]{markdown_text(head)}{{{block}}}{markdown_text(tail)}"
    return f"// {_id_and_tags(q)}\n{question}"


#: How Moodle shows the gap of a "missing word" question in its text.
GAP_MARK = "_____"


def _id_and_tags(q: model.Question) -> str:
    """The comment Moodle reads a question's id number and tags from (as its own GIFT export writes it): the
    id, the skill and the evidence anchors, as the Moodle XML export tags them."""
    tags = ([q.skill] if q.skill else []) + [EVIDENCE_TAG + anchor for anchor in q.evidence]
    return " ".join([f"[id:{_bracket(q.id)}]", *(f"[tag:{_bracket(tag)}]" for tag in tags)])


def _bracket(text: str) -> str:
    """``text`` as it may stand inside ``[id:...]`` or ``[tag:...]``: on one line, a ``]`` escaped."""
    return " ".join(text.split()).replace("]", "\\]")


def export_bank(bank: model.Bank) -> Export:
    """The bank as a GIFT file: one question per paragraph, a category named after the bank."""
    notes = Notes()
    parts = [f"// {line}" for line in (bank.title + "\n" + bank.description).strip().splitlines()]
    parts.append(f"$CATEGORY: {category_path(bank.title)}")
    text = "\n".join(parts) + "\n\n"
    for q in bank.questions:
        kept = as_written(bank, q, notes, "GIFT")
        written = question_text(kept, notes) if kept is not None else None
        if written is not None:
            text += written + "\n\n"
    if any(q.GRADED for q in bank.questions):
        notes.add(None, "attempts per question are not part of GIFT: set tries in the quiz settings")
    note_bank_fields(bank, notes, "GIFT", keeps_description=False)
    return Export(text.encode("utf-8"), tuple(notes.items), ".gift")
