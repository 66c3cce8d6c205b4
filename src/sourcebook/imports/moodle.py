"""Import Moodle XML question files into the model.

Reads what :mod:`sourcebook.export.moodle` writes, and Moodle's own exports of
the same types: multichoice, truefalse, shortanswer, numerical, matching,
ordering, cloze (multianswer) and essay. Other types (calculated, drag and
drop, description...) are skipped with a note. HTML becomes Markdown.

The XML is parsed only after refusing any DOCTYPE: entity declarations are
what XXE and "billion laughs" attacks need, and a Moodle file never has one.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

from .. import model
from ..export.moodle import EVIDENCE_TAG, RUBRIC_CLASS
from ..formatting import format_number
from . import Imported, ImportFailed, html_to_markdown, read_limited, unique_id

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_CLOZE = re.compile(r"\{(\d*):([A-Z_]+):((?:\\.|[^\\}])*)\}")
_BLOCK = re.compile(r"<(p|div|ul|ol|blockquote|pre|h[1-6]|table)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TYPES = ("multichoice", "truefalse", "shortanswer", "numerical", "matching", "ordering", "cloze", "essay")


def parse(data: bytes, name: str) -> ET.Element:
    """The root element of a Moodle XML file; hostile or broken XML raises ImportFailed."""
    if _DOCTYPE.search(data):
        raise ImportFailed(f"{name}: the file declares a DOCTYPE or entities, which Moodle files never do; "
                           "refusing to read it (entities can read local files or expand without end)")
    try:
        root = ET.fromstring(data)
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
    if element.get("format") in ("plain_text", "moodle_auto_format", "markdown") and "<" not in text:
        return unescape(text).strip() if element.get("format") != "markdown" else text.strip()
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
    evidence = tuple(t[len(EVIDENCE_TAG):] for t in tags if t.startswith(EVIDENCE_TAG))
    skills = [t for t in tags if t and not t.startswith(EVIDENCE_TAG)]
    if len(skills) > 1:
        result.note(qid, f"tags {', '.join(skills[1:])} not kept (a question has one skill: {skills[0]})")
    points = _number(_value(element, "defaultgrade") or "1", 1.0)
    fields: dict[str, object] = {
        "id": qid,
        "prompt": _markdown(element.find("questiontext")) or "(no question text)",
        "explanation": _markdown(element.find("generalfeedback")),
        "hints": tuple(h for h in (_markdown(e) for e in element.findall("hint")) if h),
        "evidence": evidence,
        "skill": skills[0] if skills else "",
        "points": points if points > 0 else 1.0,
    }
    shuffle = element.find("shuffleanswers")
    if shuffle is not None and shuffle.text:
        fields["shuffle"] = shuffle.text.strip().lower() in ("true", "1")
    return fields


def _feedback(answer: ET.Element) -> str:
    return _markdown(answer.find("feedback"))


def _multichoice(element: ET.Element, base: dict[str, object], result: Imported) -> model.AnyQuestion:
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
        return model.MultipleAnswer(**base, choices=tuple(choices))  # type: ignore[arg-type]
    return model.SingleChoice(**base, choices=tuple(choices))  # type: ignore[arg-type]


def _truefalse(element: ET.Element, base: dict[str, object]) -> model.AnyQuestion:
    answer, feedback = True, {"true": "", "false": ""}
    for a in element.findall("answer"):
        value = _text(a).strip().lower()
        if value in feedback:
            feedback[value] = _feedback(a)
            if _fraction(a) >= 99.99:
                answer = value == "true"
    return model.TrueFalse(**base, answer=answer, feedback_true=feedback["true"],  # type: ignore[arg-type]
                           feedback_false=feedback["false"])


def _unescape_wildcard(text: str) -> str:
    return text.replace("\\*", "*")


def _shortanswer(element: ET.Element, base: dict[str, object], result: Imported) -> model.AnyQuestion:
    qid = str(base["id"])
    answers, wrong = [], []
    for a in element.findall("answer"):
        text = unescape(_text(a)).strip()
        percent = _fraction(a)
        if "*" in text.replace("\\*", ""):
            result.note(qid, f"the answer {text!r} uses Moodle's wildcard *, which sourcebook does not have: "
                        "it is kept as written")
        text = _unescape_wildcard(text)
        if percent >= 99.99:
            answers.append(text)
        else:
            if percent > 0:
                result.note(qid, f"partial credit ({format_number(percent)} %) for {text!r} is not kept: "
                            "it counts as wrong")
            wrong.append(model.WrongAnswer(text=text, feedback=_feedback(a) or "Not this one."))
    usecase = _value(element, "usecase").strip() == "1"
    return model.ShortText(**base, answers=tuple(answers), case_sensitive=usecase,  # type: ignore[arg-type]
                           wrong_answers=tuple(wrong))


def _numerical(element: ET.Element, base: dict[str, object], result: Imported) -> model.AnyQuestion:
    qid = str(base["id"])
    right = [a for a in element.findall("answer") if _fraction(a) >= 99.99]
    if len(right) > 1:
        result.note(qid, f"{len(right) - 1} more right answers not kept (sourcebook has one number or range)")
    answer = right[0] if right else element.find("answer")
    value = _number(_text(answer)) if answer is not None else 0.0
    tolerance = abs(_number(_value(answer, "tolerance"))) if answer is not None else 0.0
    unit = _value(element, "units/unit/unit_name").strip()
    return model.Numeric(**base, answer=value, tolerance=tolerance, unit=unit)  # type: ignore[arg-type]


def _matching(element: ET.Element, base: dict[str, object]) -> model.AnyQuestion:
    pairs, distractors = [], []
    for sub in element.findall("subquestion"):
        left = _markdown(sub)
        right = unescape(_text(sub, "answer/text")).strip()
        if left:
            pairs.append(model.Pair(left=left, right=right))
        elif right:
            distractors.append(right)
    return model.Matching(**base, pairs=tuple(pairs), distractors=tuple(distractors))  # type: ignore[arg-type]


def _ordering(element: ET.Element, base: dict[str, object], result: Imported) -> model.AnyQuestion:
    qid = str(base["id"])
    answers = element.findall("answer")
    # The plugin keeps the right order as the answers' order; its fraction field repeats the position.
    items = tuple(_inline(a) for a in answers)
    grading = _value(element, "gradingtype").strip()
    if grading and grading != "RELATIVE_ALL_PREVIOUS_AND_NEXT":
        result.note(qid, f"Moodle grading {grading} becomes sourcebook's: the share of pairs in the right order")
    return model.Ordering(**base, items=items)  # type: ignore[arg-type]


def _cloze_answers(body: str) -> list[tuple[str, float]]:
    """The (answer, percent) pairs of one cloze code's answer list."""
    out = []
    for part in re.split(r"(?<!\\)~", body):
        part = re.split(r"(?<!\\)#", part)[0]  # drop the answer's feedback
        percent = 0.0
        if part.startswith("="):
            percent, part = 100.0, part[1:]
        elif match := re.match(r"%(-?[\d.]+)%", part):
            percent, part = float(match.group(1)), part[match.end():]
        text = re.sub(r"\\(.)", r"\1", part)
        out.append((unescape(text).strip(), percent))
    return out


def _cloze(element: ET.Element, base: dict[str, object], result: Imported) -> model.AnyQuestion | None:
    qid = str(base["id"])
    html = _text(element.find("questiontext"))
    blanks: dict[str, model.Blank] = {}

    def gap(match: re.Match[str]) -> str:
        kind, body = match.group(2), match.group(3)
        name = f"gap{len(blanks) + 1}"
        answers = _cloze_answers(body)
        right = tuple(a for a, p in answers if p >= 99.99)
        if any(0 < p < 99.99 for _, p in answers):
            result.note(qid, f"partial credit inside {name} is not kept")
        if kind in ("SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"):
            blanks[name] = model.Blank(answers=right, case_sensitive=kind in ("SHORTANSWER_C", "SAC", "MWC"))
        elif kind.startswith(("MULTICHOICE", "MC")) and not kind.startswith(("MULTICHOICE_H", "MCH", "MULTIRESPONSE")):
            blanks[name] = model.Blank(answers=right[:1], choices=tuple(a for a, _ in answers))
        elif kind in ("NUMERICAL", "NM"):
            blanks[name] = model.Blank(answers=right)
            result.note(qid, f"the numerical gap {name} becomes a typed gap: only the exact numbers are right")
        else:
            blanks[name] = model.Blank(answers=right)
            result.note(qid, f"the {kind} gap {name} becomes a typed gap")
        return f"[[{name}]]"

    text_html = _CLOZE.sub(gap, html)
    if not blanks:
        result.note(qid, "a cloze question without gaps", skipped=True)
        return None
    # The prompt is what comes before the first block that holds a gap (what the exporter writes).
    blocks = list(_BLOCK.finditer(text_html))
    first_gap = next((b for b in blocks if "[[gap" in b.group(0)), None)
    prompt_html = text_html[: first_gap.start()] if first_gap else ""
    body_html = text_html[first_gap.start():] if first_gap else text_html
    prompt = html_to_markdown(prompt_html) or "Fill in the gaps."
    # Markdown escaping would turn [[gap1]] into \[\[gap1\]\]; keep the gaps' brackets plain.
    text = re.sub(r"\\\[\\\[(gap\d+)\\\]\\\]", r"[[\1]]", html_to_markdown(body_html))
    text = re.sub(r"\[\[gap(\d+)\\_?\]\]", r"[[gap\1]]", text)
    base = {**base, "prompt": prompt}
    shuffled = [m.group(2) for m in _CLOZE.finditer(html) if m.group(2).startswith("MULTICHOICE")]
    base["shuffle"] = not shuffled or all(k.endswith("_S") for k in shuffled)
    return model.Blanks(**base, text=text, blanks=blanks)  # type: ignore[arg-type]


def _essay(element: ET.Element, base: dict[str, object]) -> model.AnyQuestion:
    info = _text(element.find("graderinfo"))
    rubric: tuple[str, ...] = ()
    match = re.search(rf'<ul class="{RUBRIC_CLASS}">(.*?)</ul>', info, re.DOTALL)
    if match:
        rubric = tuple(html_to_markdown(item) for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.DOTALL))
        info = info[: match.start()] + info[match.end():]
    return model.OpenResponse(**base, model_answer=html_to_markdown(info), rubric=rubric)  # type: ignore[arg-type]


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
                result.title = category.rstrip("/").split("/")[-1].replace("$course$", "").strip() or result.title
            continue
        name = _text(element, "name/text").strip()
        wanted = _value(element, "idnumber").strip() or name
        qid = unique_id(wanted, taken, f"q{number}")
        if qid != wanted:
            result.note(qid, f"the name {wanted!r} becomes the id `{qid}` (ids use letters, digits, '-', '_', '.')")
        if qtype not in _TYPES:
            result.note(qid, f"Moodle question type `{qtype}` has no sourcebook equivalent", skipped=True)
            continue
        base = _common(element, qid, result)
        question: model.AnyQuestion | None
        if qtype == "multichoice":
            question = _multichoice(element, base, result)
        elif qtype == "truefalse":
            question = _truefalse(element, base)
        elif qtype == "shortanswer":
            question = _shortanswer(element, base, result)
        elif qtype == "numerical":
            question = _numerical(element, base, result)
        elif qtype == "matching":
            question = _matching(element, base)
        elif qtype == "ordering":
            question = _ordering(element, base, result)
        elif qtype == "cloze":
            question = _cloze(element, base, result)
        else:
            question = _essay(element, base)
        if question is not None:
            result.questions.append(question)
    if not result.questions:
        raise ImportFailed(f"{path}: no question in the file could be imported"
                           + "".join(f"\n  {n.question}: {n.message}" for n in result.notes))
    return result
