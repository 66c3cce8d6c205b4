"""Import GIFT files (Moodle's plain-text question format) into the model.

Follows Moodle's reading of GIFT: questions are separated by blank lines,
``//`` starts a comment line, ``$CATEGORY:`` names the category, ``::title::``
the question, ``[markdown]``/``[html]``/``[plain]``/``[moodle]`` the text
format, and the answer block in braces decides the type: empty for an essay,
``#`` for numerical, ``->`` for matching, T/F for true/false, ``~`` for
multiple choice, otherwise short answer. Text after the block makes a
"missing word" question, which becomes a one-gap fill-in-the-blanks question.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from .. import model, types
from ..export.gift import FORMAT_NAME, GAP_MARK
from . import (
    Imported,
    ImportFailed,
    NestedTooDeep,
    category_name,
    html_to_markdown,
    id_change,
    read_limited,
    tagged,
    typed_answer,
    unique_id,
)

_ESCAPES = {"n": "\n", "\\": "\\", "~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":"}
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d+)?)%")


def unescape(text: str) -> str:
    """GIFT text with its escapes (\\~ \\= \\# \\{ \\} \\: \\\\ \\n) resolved."""
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), text, flags=re.DOTALL)


def _split_unescaped(text: str, separators: str) -> list[tuple[str, str]]:
    """Split at unescaped separator characters: [(separator before, part), ...]."""
    parts: list[tuple[str, str]] = []
    current, sep, i = "", "", 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current += text[i: i + 2]
            i += 2
            continue
        if char in separators:
            parts.append((sep, current))
            current, sep = "", char
        else:
            current += char
        i += 1
    parts.append((sep, current))
    return parts


def _find_unescaped(text: str, target: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(target, i):
            return i
        i += 1
    return -1


def _questions(text: str) -> list[tuple[int, str, str, str]]:
    """(first line, category, source, comments) of each question: its comment lines (``//``) apart, as Moodle
    reads its id number and tags from them."""
    out: list[tuple[int, str, str, str]] = []
    category, first = "", 0
    lines: list[str] = []
    comments: list[str] = []
    for number, line in enumerate([*text.splitlines(), ""], 1):
        stripped = line.strip()
        if stripped.startswith("//"):
            comments.append(stripped)
            continue
        if stripped.startswith("$CATEGORY:"):
            category = stripped[len("$CATEGORY:"):].strip()
            comments = []
            continue
        if not stripped:
            if lines:
                out.append((first, category, "\n".join(lines), "\n".join(comments)))
            lines, comments = [], []
            continue
        if not lines:
            first = number
        lines.append(line)
    return out


#: The tags in a question's comment, as Moodle reads them (``[tag:...]``, a ``]`` in one written ``\\]``), but
#: none with a ``[`` in it, so that a line of many ``[tag:`` that never close is read in linear time (a skill
#: with a ``[`` in it, which no course has, comes back without it).
_TAG = re.compile(r"\[tag:((?:\\\]|[^\[\]<>`\x00-\x1f\x7f])+)\]")


def _tags(comments: str) -> list[str]:
    return [" ".join(t.replace("\\]", "]").split()) for t in _TAG.findall(comments)]


#: An ordering question's answer block, as Moodle's ordering type reads it (``question/type/ordering``,
#: ``import_from_gift``): ``>`` and how many items to show, the optional settings, then the items, one per line.
_ORDERING = re.compile(
    r"\s*>\s*(?P<count>\d+)\s*(?:ALL|EXACT|RANDOM|REL|CONTIGUOUS|CONTIG)?\s*"
    r"(?:HORIZONTAL|HORI|H|1|VERTICAL|VERT|V|0)?\s*"
    r"(?P<grading>ALL_OR_NOTHING|ABSOLUTE_POSITION|ABSOLUTE|ABS|RELATIVE_NEXT_EXCLUDE_LAST|RELATIVE_NEXT_INCLUDE_LAST|"
    r"RELATIVE_ONE_PREVIOUS_AND_NEXT|RELATIVE_ALL_PREVIOUS_AND_NEXT|RELATIVE_TO_CORRECT|RELATIVE|REL|"
    r"LONGEST_ORDERED_SUBSET|LONGEST_CONTIGUOUS_SUBSET)?\s*"
    r"(?:SHOW|TRUE|YES|1|HIDE|FALSE|NO|0)?\s*(?:none|123|abc|ABCD|iii|IIII)?\s*(?P<items>.*?)\s*$",
    re.DOTALL)

def _formatted(raw: str, fmt: str) -> tuple[str, str]:
    """A text and its format: its own, when it starts with a format's name, else ``fmt``."""
    text = raw.strip()
    if match := FORMAT_NAME.match(text):
        return text[match.end():], match.group(1)
    return text, fmt


def _text(raw: str, fmt: str) -> str:
    raw, fmt = _formatted(raw, fmt)
    text = unescape(raw).strip()
    # Moodle's own format (the default) takes HTML too, as the Moodle XML reader reads it.
    return html_to_markdown(text) if fmt == "html" or (fmt == "moodle" and "<" in text) else text


def _typed(raw: str) -> str:
    """A typed answer of the block, as written (its format's name, if any, is not part of it)."""
    return unescape(_formatted(raw, "")[0]).strip()


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.result = Imported(title=Path(name).stem)
        self.taken: set[str] = set()

    def question(self, line: int, source: str, comments: str = "") -> None:
        title = ""
        body = source.strip()
        if body.startswith("::"):
            end = _find_unescaped(body, "::", 2)
            if end < 0:
                raise ImportFailed(f"{self.name}:{line}: the title starts with '::' but does not end with '::'")
            title, body = unescape(body[2:end]).strip(), body[end + 2:].lstrip()
        body, fmt = _formatted(body, "moodle")
        start = _find_unescaped(body, "{")
        qid = unique_id(title, self.taken, f"q{line}")
        if title and qid != title:
            self.result.note(qid, f"the title {title!r} becomes the id `{qid}` ({id_change(title, qid)})")
        if start < 0:
            self.result.note(qid, "a description without answers (not a question)", skipped=True)
            return
        end = _find_unescaped(body, "}", start)
        if end < 0:
            raise ImportFailed(f"{self.name}:{line}: question `{qid}`: the answers start with '{{' but no '}}' "
                               "closes them (write \\{ for a brace in the text)")
        head, block, tail = body[:start], body[start + 1: end].strip(), body[end + 1:]
        explanation = ""
        feedback_at = _find_unescaped(block, "####")
        if feedback_at >= 0:
            explanation, block = _text(block[feedback_at + 4:], fmt), block[:feedback_at].strip()
        base: dict[str, object] = {"id": qid, "prompt": _text(head, fmt), "explanation": explanation,
                                   **tagged(_tags(comments), qid, self.result)}
        question = self.build(qid, base, block, tail, fmt, line)
        if question is not None:
            self.result.questions.append(question)

    def build(self, qid: str, base: dict[str, object], block: str, tail: str, fmt: str,
              line: int) -> model.Question | None:
        if not block:
            return types.OpenResponse(**base)  # type: ignore[arg-type]
        if block.startswith("#"):
            return self.numeric(qid, base, block[1:], line)
        if re.fullmatch(r"(T|TRUE|F|FALSE)(#.*)?", block, re.DOTALL):
            parts = _split_unescaped(block, "#")
            answer = parts[0][1].strip().startswith("T")
            wrong = _text(parts[1][1], fmt) if len(parts) > 1 else ""
            right = _text(parts[2][1], fmt) if len(parts) > 2 else ""
            feedback_true, feedback_false = (right, wrong) if answer else (wrong, right)
            return types.TrueFalse(**base, answer=answer, feedback_true=feedback_true,  # type: ignore[arg-type]
                                   feedback_false=feedback_false)
        if ordering := _ORDERING.match(block):
            return self.ordering(qid, base, ordering)
        answers = []
        parts = _split_unescaped(block, "=~")
        # In a choice question (one with "~"), Moodle reads a weight only after "~": "=%50% off" is a right choice.
        has_choices = any(sign == "~" for sign, _ in parts)
        for sign, part in parts:
            if not sign:
                if part.strip():
                    raise ImportFailed(f"{self.name}:{line}: question `{qid}`: answers must start with '=' or '~', "
                                       f"not {part.strip()[:20]!r}")
                continue
            weight = 100.0 if sign == "=" else 0.0
            part = part.strip()
            if (sign == "~" or not has_choices) and (match := _WEIGHT.match(part)):
                weight, part = float(match.group(1)), part[match.end():]
            pieces = _split_unescaped(part, "#")
            answers.append((sign, weight, pieces[0][1], _text("#".join(p for _, p in pieces[1:]), fmt)))
        if not answers:
            raise ImportFailed(f"{self.name}:{line}: question `{qid}`: no answers in the braces")
        if all(sign == "=" and _find_unescaped(text, "->") >= 0 for sign, _, text, _ in answers):
            pairs, distractors = [], []
            for _, _, text, _ in answers:
                at = _find_unescaped(text, "->")
                left, right = _text(text[:at], fmt), unescape(text[at + 2:]).strip()
                if left:
                    pairs.append(types.Pair(left=left, right=right))
                else:
                    distractors.append(right)
            return types.Matching(**base, pairs=tuple(pairs), distractors=tuple(distractors))  # type: ignore[arg-type]
        choice_question = any(sign == "~" for sign, *_ in answers)
        if tail.strip() or (base["prompt"] == "" and choice_question) or \
                (choice_question and str(base["prompt"]).endswith(GAP_MARK)):
            return self.missing_word(qid, base, answers, tail, choice_question, fmt)
        if choice_question:
            choices = tuple(model.Choice(text=_text(text, fmt), correct=weight > 0, feedback=feedback)
                            for _, weight, text, feedback in answers)
            full = [w for _, w, _, _ in answers if w >= 99.99]
            partial = [w for _, w, _, _ in answers if 0 < w < 99.99]
            if len(full) == 1 and not partial:
                return types.SingleChoice(**base, choices=choices)  # type: ignore[arg-type]
            return types.MultipleAnswer(**base, choices=choices)  # type: ignore[arg-type]
        if str(base["prompt"]).endswith(GAP_MARK):
            # The gap at the end of a "missing word" text, marked as the exporter writes it.
            return self.missing_word(qid, base, answers, tail, choice_question, fmt)
        accepted = tuple(typed_answer(_typed(text), qid, self.result) for _, w, text, _ in answers if w >= 99.99)
        foreseen = tuple(types.WrongAnswer(text=typed_answer(_typed(text), qid, self.result),
                                           feedback=feedback or "Not this one.")
                         for _, w, text, feedback in answers if w < 99.99)
        return types.ShortText(**base, answers=accepted, wrong_answers=foreseen)  # type: ignore[arg-type]

    def missing_word(self, qid: str, base: dict[str, object], answers: list[tuple[str, float, str, str]],
                     tail: str, choices: bool, fmt: str) -> model.Question:
        head = str(base["prompt"])
        if not tail.strip() and head.endswith(GAP_MARK):
            head = head[: -len(GAP_MARK)]
        # The exporter writes the prompt, a blank line, then the text up to the gap.
        prompt, _, before = head.rpartition("\n\n")
        if not prompt:
            prompt, before = "Fill in the gap.", head
        sep = " " if before and not before.endswith((" ", "\n")) else ""
        text = f"{before}{sep}[[gap1]]{_text(tail, fmt) if not tail[:1].isspace() else ' ' + _text(tail, fmt)}"
        if choices:
            # A drop-down's choices are plain text: Markdown's entities (as the exporter writes "<") undone.
            texts = [html.unescape(_text(t, "plain")) for _, _, t, _ in answers]
            right = [text for text, (_, w, _, _) in zip(texts, answers, strict=True) if w >= 99.99]
            blank = types.Blank(answers=tuple(right[:1]), choices=tuple(texts))
        else:
            blank = types.Blank(answers=tuple(typed_answer(_typed(t), qid, self.result)
                                              for _, w, t, _ in answers if w >= 99.99))
        base = {**base, "prompt": prompt}
        return types.Blanks(**base, text=text, blanks={"gap1": blank})  # type: ignore[arg-type]

    def ordering(self, qid: str, base: dict[str, object], match: re.Match[str]) -> model.Question:
        """An ordering question as Moodle's ordering type writes it: ``{>N options`` then one item per line."""
        items = tuple(_text(line, "html") for line in match.group("items").splitlines() if line.strip())
        if int(match.group("count")) < len(items):
            self.result.note(qid, f"Moodle shows {match.group('count')} of the {len(items)} items; sourcebook "
                             "shows them all")
        grading = (match.group("grading") or "").upper()
        if grading and grading != "RELATIVE_ALL_PREVIOUS_AND_NEXT":
            self.result.note(qid, f"graded as sourcebook grades an ordering question (every pair of items in the "
                             f"right order), not {grading}")
        return types.Ordering(**base, items=items)  # type: ignore[arg-type]

    def numeric(self, qid: str, base: dict[str, object], block: str, line: int) -> model.Question:
        entries = [(s, p.strip()) for s, p in _split_unescaped(block, "=") if p.strip()]
        chosen = entries[0][1] if entries else ""
        for sign, part in entries:
            if (sign == "=" and not part.startswith("%")) or part.startswith("%100%"):
                chosen = _WEIGHT.sub("", part, count=1)
                break
        if len(entries) > 1:
            self.result.note(qid, "only the fully right numeric answer is kept")
        value = _split_unescaped(chosen, "#")[0][1].strip()
        if match := re.fullmatch(rf"({_NUMBER})\.\.({_NUMBER})", value):
            low, high = float(match.group(1)), float(match.group(2))
            return types.Numeric(**base, min=low, max=high)  # type: ignore[arg-type]
        if match := re.fullmatch(rf"({_NUMBER})(?::({_NUMBER}))?", value):
            return types.Numeric(**base, answer=float(match.group(1)),  # type: ignore[arg-type]
                                 tolerance=abs(float(match.group(2) or 0)))
        raise ImportFailed(f"{self.name}:{line}: question `{qid}`: {value!r} is not a number, number:tolerance "
                           "or low..high")


def import_gift(path: str | os.PathLike[str]) -> Imported:
    """Read a GIFT file; raises ImportFailed with the line of the first thing it cannot read."""
    data = read_limited(path)
    name = str(path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFailed(f"{name}:{line}: byte 0x{data[exc.start]:02X} is not UTF-8; save the file as UTF-8 "
                           "(Moodle reads GIFT files as UTF-8 too)") from None
    if "\x00" in text:
        raise ImportFailed(f"{name}: the file holds NUL characters: is it UTF-16 or not a text file at all?")
    reader = _Reader(name)
    for line, category, source, comments in _questions(text):
        if category:
            reader.result.title = category_name(category) or reader.result.title
        try:
            reader.question(line, source, comments)
        except NestedTooDeep as exc:
            raise ImportFailed(f"{name}:{line}: {exc}") from None
    if not reader.result.questions:
        raise ImportFailed(f"{name}: no question in the file could be imported")
    return reader.result
