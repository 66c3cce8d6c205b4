"""Import Moodle XML question files into the model.

Reads what :mod:`sourcebook.export.moodle` writes, and Moodle's own exports of
the same types: multichoice, truefalse, shortanswer, numerical, matching,
ordering, cloze (multianswer) and essay. Other types (calculated, drag and
drop, description...) are skipped with a note. HTML becomes Markdown.

The XML is parsed by defusedxml with DTDs forbidden, whatever the file's
encoding: entity declarations are what XXE and "billion laughs" attacks need,
and a Moodle file never has one. The text is taken apart by scanners that
read it once (no regular expression that backtracks over the rest of the
file), so a large or hostile file takes time in proportion to its size.
"""

from __future__ import annotations

import bisect
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html import escape, unescape
from pathlib import Path

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from .. import model, types
from ..export.moodle import RUBRIC_CLASS
from ..formatting import format_number
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

#: The head of a cloze code, ``{1:SHORTANSWER:``, matched only where a ``{`` stands.
_CLOZE_HEAD = re.compile(r"\{(\d*):([A-Z_]+):")
#: Block elements, the first of which holding a gap starts a cloze question's text.
_BLOCK_OPEN = re.compile(r"<(p|div|ul|ol|blockquote|pre|h[1-6]|table)\b", re.IGNORECASE)
_TYPES = ("multichoice", "truefalse", "shortanswer", "numerical", "matching", "ordering", "cloze", "essay")


def parse(data: bytes, name: str) -> ET.Element:
    """The root element of a Moodle XML file; hostile or broken XML raises ImportFailed."""
    try:
        root: ET.Element = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ImportFailed(f"{name}: the file declares a DOCTYPE or entities, which Moodle files never do; "
                           "refusing to read it (entities can read local files or expand without end)") from None
    except LookupError as exc:  # the first line names an encoding no one knows
        raise ImportFailed(f"{name}:1: the file's first line declares an encoding that cannot be read ({exc}); "
                           'Moodle writes encoding="UTF-8": save the file as UTF-8 and declare that') from None
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        hint = " (is the file saved in the encoding its first line declares?)" if "token" in reason else ""
        raise ImportFailed(f"{name}:{line}:{column + 1}: not well-formed XML: {reason}{hint}") from None
    if root.tag != "quiz":
        raise ImportFailed(f"{name}: not a Moodle XML question file (its root element is <{root.tag}>, not <quiz>)")
    return root


def _text(element: ET.Element | None, path: str = "text") -> str:
    if element is None:
        return ""
    found = element.find(path) if path else element
    return (found.text or "") if found is not None else ""


def _value(element: ET.Element | None, path: str) -> str:
    """The text of a simple child element (defaultgrade, usecase...), or ''."""
    return (element.findtext(path) or "") if element is not None else ""


def _markdown(element: ET.Element | None) -> str:
    """A Moodle text field (questiontext, feedback...) as Markdown."""
    if element is None:
        return ""
    text = _text(element)
    written = element.get("format")
    if written == "markdown":
        return text.strip()
    if written == "plain_text" and "<" in text:
        # Plain text shows a "<" as it is: escaped, the HTML reader keeps it as text.
        return html_to_markdown(escape(text))
    if written in ("plain_text", "moodle_auto_format") and "<" not in text:
        return unescape(text).strip()
    return html_to_markdown(text)


def _inline(element: ET.Element | None) -> str:
    return _markdown(element)


def _fraction(answer: ET.Element) -> float:
    try:
        return float(answer.get("fraction", "0"))
    except ValueError:
        return 0.0


def _number(text: str, default: float = 0.0) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        return default
    return value if value == value and abs(value) != float("inf") else default


def _common(element: ET.Element, qid: str, result: Imported) -> dict[str, object]:
    tags = [_text(t).strip() for t in element.findall("tags/tag")]
    points = _number(_value(element, "defaultgrade") or "1", 1.0)
    fields: dict[str, object] = {
        "id": qid,
        "prompt": _markdown(element.find("questiontext")) or "(no question text)",
        "explanation": _markdown(element.find("generalfeedback")),
        "hints": tuple(h for h in (_markdown(e) for e in element.findall("hint")) if h),
        **tagged(tags, qid, result),
        "points": points if points > 0 else 1.0,
    }
    shuffle = element.find("shuffleanswers")
    if shuffle is not None and shuffle.text:
        fields["shuffle"] = shuffle.text.strip().lower() in ("true", "1")
    return fields


def _feedback(answer: ET.Element) -> str:
    return _markdown(answer.find("feedback"))


def _multichoice(element: ET.Element, base: dict[str, object], result: Imported) -> model.Question:
    qid = str(base["id"])
    answers = element.findall("answer")
    single = _value(element, "single").strip().lower() in ("true", "1")
    choices = []
    for answer in answers:
        percent = _fraction(answer)
        correct = percent >= 99.99 if single else percent > 0
        if single and 0 < percent < 99.99:
            result.note(qid, f"partial credit ({format_number(percent)} %) for a choice is not kept: "
                        "the choice is marked wrong")
        choices.append(model.Choice(text=_inline(answer) or "(empty)", correct=correct, feedback=_feedback(answer)))
    if not single:
        right = sum(c.correct for c in choices)
        expected = [(100.0 if c.correct else -100.0) / right for c in choices] if right else []
        if any(abs(_fraction(a) - e) > 0.01 for a, e in zip(answers, expected, strict=False)):
            result.note(qid, "the choices' grades are not the usual +100/r and -100/r %: sourcebook grades "
                        "(right ticked - wrong ticked) / right choices")
        return types.MultipleAnswer(**base, choices=tuple(choices))  # type: ignore[arg-type]
    return types.SingleChoice(**base, choices=tuple(choices))  # type: ignore[arg-type]


def _truefalse(element: ET.Element, base: dict[str, object]) -> model.Question:
    answer, feedback = True, {"true": "", "false": ""}
    for a in element.findall("answer"):
        value = _text(a).strip().lower()
        if value in feedback:
            feedback[value] = _feedback(a)
            if _fraction(a) >= 99.99:
                answer = value == "true"
    return types.TrueFalse(**base, answer=answer, feedback_true=feedback["true"],  # type: ignore[arg-type]
                           feedback_false=feedback["false"])


def _shortanswer(element: ET.Element, base: dict[str, object], result: Imported) -> model.Question:
    qid = str(base["id"])
    answers, wrong = [], []
    for a in element.findall("answer"):
        text = typed_answer(unescape(_text(a)).strip(), qid, result)
        percent = _fraction(a)
        if percent >= 99.99:
            answers.append(text)
        else:
            if percent > 0:
                result.note(qid, f"partial credit ({format_number(percent)} %) for {text!r} is not kept: "
                            "it counts as wrong")
            wrong.append(types.WrongAnswer(text=text, feedback=_feedback(a) or "Not this one."))
    usecase = _value(element, "usecase").strip() == "1"
    return types.ShortText(**base, answers=tuple(answers), case_sensitive=usecase,  # type: ignore[arg-type]
                           wrong_answers=tuple(wrong))


def _numerical(element: ET.Element, base: dict[str, object], result: Imported) -> model.Question:
    qid = str(base["id"])
    right = [a for a in element.findall("answer") if _fraction(a) >= 99.99]
    if len(right) > 1:
        result.note(qid, f"{len(right) - 1} more right answers not kept (sourcebook has one number or range)")
    answer = right[0] if right else element.find("answer")
    value = _number(_text(answer)) if answer is not None else 0.0
    tolerance = abs(_number(_value(answer, "tolerance"))) if answer is not None else 0.0
    unit = _value(element, "units/unit/unit_name").strip()
    return types.Numeric(**base, answer=value, tolerance=tolerance, unit=unit)  # type: ignore[arg-type]


def _matching(element: ET.Element, base: dict[str, object]) -> model.Question:
    pairs, distractors = [], []
    for sub in element.findall("subquestion"):
        left = _markdown(sub)
        right = unescape(_text(sub, "answer/text")).strip()
        if left:
            pairs.append(types.Pair(left=left, right=right))
        elif right:
            distractors.append(right)
    return types.Matching(**base, pairs=tuple(pairs), distractors=tuple(distractors))  # type: ignore[arg-type]


def _ordering(element: ET.Element, base: dict[str, object], result: Imported) -> model.Question:
    qid = str(base["id"])
    answers = element.findall("answer")
    # The plugin keeps the right order as the answers' order; its fraction field repeats the position.
    items = tuple(_inline(a) for a in answers)
    grading = _value(element, "gradingtype").strip()
    if grading and grading != "RELATIVE_ALL_PREVIOUS_AND_NEXT":
        result.note(qid, f"Moodle grading {grading} becomes sourcebook's: the share of pairs in the right order")
    return types.Ordering(**base, items=items)  # type: ignore[arg-type]


class _ClozeCode:
    """One ``{n:KIND:answers}`` code of a cloze text: where it stands, its weight ``n`` (1 when not written),
    its kind and its answer list."""

    def __init__(self, start: int, end: int, weight: int, kind: str, body: str):
        self.start, self.end, self.weight, self.kind, self.body = start, end, weight, kind, body


def _cloze_codes(text: str) -> Iterator[_ClozeCode]:
    """Every cloze code of ``text``, in one pass.

    A code's answers run to the first ``}`` not escaped by a backslash. When a
    code has no such end, no later code can have one either, so the scan stops
    there instead of trying again from every later ``{``.
    """
    position = 0
    while (start := text.find("{", position)) >= 0:
        head = _CLOZE_HEAD.match(text, start)
        if head is None:
            position = start + 1
            continue
        i = head.end()
        while i < len(text) and text[i] != "}":
            i += 2 if text[i] == "\\" else 1
        if i >= len(text):
            return
        yield _ClozeCode(start, i + 1, int(head.group(1) or 1), head.group(2), text[head.end():i])
        position = i + 1


def _first_block_with_gap(html: str) -> int | None:
    """Where the first block element (``<p>``, ``<div>``...) whose content holds a gap starts.

    Each element's end is its next closing tag, found by bisection in the list
    of closing tags, so a file full of unclosed ``<p`` is read in one pass.
    """
    lowered = html.lower()
    closings: dict[str, list[int]] = {}
    gaps = [m.start() for m in re.finditer(r"\[\[gap\d+\]\]", html)]
    for opening in _BLOCK_OPEN.finditer(html):
        tag = opening.group(1).lower()
        if tag not in closings:
            closings[tag] = [m.start() for m in re.finditer(re.escape(f"</{tag}>"), lowered)]
        ends = closings[tag]
        k = bisect.bisect_right(ends, opening.start())
        if k == len(ends):
            continue
        g = bisect.bisect_right(gaps, opening.start())
        if g < len(gaps) and gaps[g] < ends[k]:
            return opening.start()
    return None


def _cloze_answers(body: str) -> list[tuple[str, float]]:
    """The (answer, percent) pairs of one cloze code's answer list."""
    out = []
    # As Moodle reads them: a ~ or # after a backslash or an & (an entity such as &#126;) is text.
    for part in re.split(r"(?<![\\&])~", body):
        part = re.split(r"(?<![\\&])#", part)[0]  # drop the answer's feedback
        percent = 0.0
        if part.startswith("="):
            percent, part = 100.0, part[1:]
        elif match := re.match(r"%(-?[\d.]+)%", part):
            percent, part = float(match.group(1)), part[match.end():]
        text = re.sub(r"\\(.)", r"\1", part)
        out.append((unescape(text).strip(), percent))
    return out


def _cloze(element: ET.Element, base: dict[str, object], result: Imported) -> model.Question | None:
    qid = str(base["id"])
    html = _text(element.find("questiontext"))
    blanks: dict[str, types.Blank] = {}

    def gap(code: _ClozeCode) -> str:
        kind, body = code.kind, code.body
        name = f"gap{len(blanks) + 1}"
        answers = _cloze_answers(body)
        right = tuple(a for a, p in answers if p >= 99.99)
        if any(0 < p < 99.99 for _, p in answers):
            result.note(qid, f"partial credit inside {name} is not kept")
        if kind in ("SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"):
            blanks[name] = types.Blank(answers=tuple(typed_answer(a, qid, result) for a in right),
                                       case_sensitive=kind in ("SHORTANSWER_C", "SAC", "MWC"))
        elif kind.startswith(("MULTICHOICE", "MC")) and not kind.startswith(("MULTICHOICE_H", "MCH", "MULTIRESPONSE")):
            # Moodle keeps a drop-down's choices as HTML: their text is what they show.
            blanks[name] = types.Blank(answers=tuple(unescape(a) for a in right[:1]),
                                       choices=tuple(unescape(a) for a, _ in answers))
        elif kind in ("NUMERICAL", "NM"):
            blanks[name] = types.Blank(answers=right)
            result.note(qid, f"the numerical gap {name} becomes a typed gap: only the exact numbers are right")
        else:
            blanks[name] = types.Blank(answers=right)
            result.note(qid, f"the {kind} gap {name} becomes a typed gap")
        return f"[[{name}]]"

    codes = list(_cloze_codes(html))
    if element.find("defaultgrade") is None:
        # Moodle's own export writes no mark for a cloze question: it is worth the sum of its gaps' weights.
        base = {**base, "points": float(sum(code.weight for code in codes) or 1)}
    pieces, position = [], 0
    for code in codes:
        pieces += [html[position:code.start], gap(code)]
        position = code.end
    text_html = "".join(pieces) + html[position:]
    if not blanks:
        result.note(qid, "a cloze question without gaps", skipped=True)
        return None
    # The prompt is what comes before the first block that holds a gap (what the exporter writes).
    first_gap = _first_block_with_gap(text_html)
    prompt_html = text_html[:first_gap] if first_gap is not None else ""
    body_html = text_html[first_gap:] if first_gap is not None else text_html
    prompt = html_to_markdown(prompt_html) or "Fill in the gaps."
    # Markdown escaping would turn [[gap1]] into \[\[gap1\]\]; keep the gaps' brackets plain.
    text = re.sub(r"\\\[\\\[(gap\d+)\\\]\\\]", r"[[\1]]", html_to_markdown(body_html))
    text = re.sub(r"\[\[gap(\d+)\\_?\]\]", r"[[gap\1]]", text)
    base = {**base, "prompt": prompt}
    shuffled = [code.kind for code in codes if code.kind.startswith("MULTICHOICE")]
    base["shuffle"] = not shuffled or all(k.endswith("_S") for k in shuffled)
    return types.Blanks(**base, text=text, blanks=blanks)  # type: ignore[arg-type]


def _essay(element: ET.Element, base: dict[str, object]) -> model.Question:
    info = _text(element.find("graderinfo"))
    rubric: tuple[str, ...] = ()
    opening = f'<ul class="{RUBRIC_CLASS}">'
    start = info.find(opening)
    end = info.find("</ul>", start) if start >= 0 else -1
    if end >= 0:
        rubric = tuple(html_to_markdown(item) for item in _list_items(info[start + len(opening):end]))
        info = info[:start] + info[end + len("</ul>"):]
    return types.OpenResponse(**base, model_answer=html_to_markdown(info), rubric=rubric)  # type: ignore[arg-type]


def _list_items(html: str) -> Iterator[str]:
    """The contents of the ``<li>...</li>`` items of a list's inside, in one pass."""
    position = 0
    while (start := html.find("<li>", position)) >= 0:
        end = html.find("</li>", start)
        if end < 0:
            return
        yield html[start + len("<li>"):end]
        position = end + len("</li>")


def import_moodle(path: str | os.PathLike[str]) -> Imported:
    """Read a Moodle XML file; raises ImportFailed if it is not one (or is hostile)."""
    root = parse(read_limited(path), str(path))
    result = Imported(title=Path(path).stem)
    taken: set[str] = set()
    for number, element in enumerate(root.findall("question"), 1):
        qtype = element.get("type", "")
        if qtype == "category":
            category = _text(element, "category/text").strip()
            if category:
                result.title = category_name(category) or result.title
            # What the bank is for: the export writes its description as the category's info.
            result.description = _markdown(element.find("info")).strip() or result.description
            continue
        name = _text(element, "name/text").strip()
        wanted = _value(element, "idnumber").strip() or name
        qid = unique_id(wanted, taken, f"q{number}")
        if qid != wanted:
            result.note(qid, f"the name {wanted!r} becomes the id `{qid}` ({id_change(wanted, qid)})")
        if qtype not in _TYPES:
            result.note(qid, f"Moodle question type `{qtype}` has no sourcebook equivalent", skipped=True)
            continue
        try:
            question = _question(qtype, element, qid, result)
        except NestedTooDeep as exc:
            raise ImportFailed(f"{path}: question {number} ({qid}): {exc}") from None
        if question is not None:
            result.questions.append(question)
    if not result.questions:
        raise ImportFailed(f"{path}: no question in the file could be imported"
                           + "".join(f"\n  {n.question}: {n.message}" for n in result.notes))
    return result


def _question(qtype: str, element: ET.Element, qid: str, result: Imported) -> model.Question | None:
    """One Moodle question of a type sourcebook has, as a model question (None if skipped)."""
    base = _common(element, qid, result)
    if qtype == "multichoice":
        return _multichoice(element, base, result)
    if qtype == "truefalse":
        return _truefalse(element, base)
    if qtype == "shortanswer":
        return _shortanswer(element, base, result)
    if qtype == "numerical":
        return _numerical(element, base, result)
    if qtype == "matching":
        return _matching(element, base)
    if qtype == "ordering":
        return _ordering(element, base, result)
    if qtype == "cloze":
        return _cloze(element, base, result)
    return _essay(element, base)
