"""Moodle XML export: every question type, following Moodle's documented format.

Type by type:

* single choice -> ``multichoice`` with ``<single>true``: the right choice 100%,
  the others 0%;
* multiple answer -> ``multichoice`` with ``<single>false``: each right choice
  +100/r %, each wrong one -100/r % (r = number of right choices). Moodle adds
  the fractions of the ticked choices and keeps the total between 0 and 100 %,
  which is exactly sourcebook's (right ticked - wrong ticked) / r. For r from 1
  to 10 every fraction is one of Moodle's grade options. A question with no
  right choice cannot be graded by Moodle (its grades must reach 100 %) and is
  left out;
* true/false -> ``truefalse`` (feedback on the "true" answer shows when the
  student answers true);
* numeric -> ``numerical``: the answer with its tolerance; a range min..max
  becomes its midpoint ± half its width; the unit is optional, as in sourcebook;
* short text -> ``shortanswer``: accepted answers 100 %, foreseen wrong answers
  0 % with their feedback; ``*`` is escaped (Moodle reads it as a wildcard);
* ordering -> ``ordering`` (the qtype_ordering plugin, part of Moodle since
  4.4) graded RELATIVE_ALL_PREVIOUS_AND_NEXT: it counts every pair of items in
  the right relative order, twice, so its share equals sourcebook's;
* matching -> ``matching``; distractors are subquestions with no text, as
  Moodle's documentation describes;
* fill in the blanks -> ``cloze`` (multianswer): typed gaps SHORTANSWER (or
  SHORTANSWER_C when case-sensitive), drop-downs MULTICHOICE (MULTICHOICE_S when
  shuffled); each gap weighs 1, so the credit per gap is sourcebook's;
* open response -> ``essay``, the model answer (and rubric) as grader information.

Common to all: ``name`` and ``idnumber`` = the id, ``generalfeedback`` = the
explanation, ``defaultgrade`` = the points, one ``hint`` per hint, and the skill
and evidence anchors as tags (``evidence:p1``), which students do not see.
Text is Markdown rendered to HTML (``format="html"``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .. import model
from ..markdown import render, render_inline
from ..model import GAP_PATTERN
from . import Export, Notes, number

#: The class of the rubric list inside an essay's grader information, so that the importer finds it again.
RUBRIC_CLASS = "sourcebook-rubric"
#: Tag prefix of evidence anchors.
EVIDENCE_TAG = "evidence:"
NORMALISATION_NOTE = (
    "Moodle compares typed answers its own way: it does not drop punctuation at either end, straighten "
    "curly quotes or fold full-width characters as sourcebook does"
)


def _text(parent: ET.Element, tag: str, html: str, *, fmt: str | None = "html") -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = html
    return element


def _value(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = value
    return element


def fraction(value: float) -> str:
    """A percentage as Moodle writes grade fractions: 100, 50, 33.33333, -14.28571."""
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _answer(parent: ET.Element, percent: float, html: str, feedback: str = "", *,
            fmt: str = "html") -> ET.Element:
    answer = ET.SubElement(parent, "answer", {"fraction": fraction(percent), "format": fmt})
    ET.SubElement(answer, "text").text = html
    _text(answer, "feedback", render(feedback) if feedback else "")
    return answer


def escape_wildcard(answer: str) -> str:
    """A short answer as Moodle reads it: ``*`` is a wildcard unless written ``\\*``."""
    return answer.replace("*", "\\*")


def _header(q: model.Question, qtype: str) -> ET.Element:
    element = ET.Element("question", {"type": qtype})
    name = ET.SubElement(element, "name")
    ET.SubElement(name, "text").text = q.id
    _text(element, "questiontext", render(q.prompt))
    _text(element, "generalfeedback", render(q.explanation) if q.explanation else "")
    _value(element, "defaultgrade", number(q.points))
    _value(element, "penalty", "0.3333333")
    _value(element, "hidden", "0")
    _value(element, "idnumber", q.id)
    return element


def _footer(element: ET.Element, q: model.Question) -> None:
    for hint in q.hints:
        _text(element, "hint", render(hint))
    tags = ([q.skill] if q.skill else []) + [EVIDENCE_TAG + anchor for anchor in q.evidence]
    if tags:
        holder = ET.SubElement(element, "tags")
        for tag in tags:
            ET.SubElement(ET.SubElement(holder, "tag"), "text").text = tag


def _choices(q: model.SingleChoice | model.MultipleAnswer, notes: Notes) -> ET.Element | None:
    element = _header(q, "multichoice")
    single = isinstance(q, model.SingleChoice)
    right = sum(c.correct for c in q.choices)
    if not single and right == 0:
        notes.skip(q, "a multiple-answer question with no right choice: Moodle needs the grades "
                   "of the right choices to reach 100 %")
        return None
    _value(element, "single", "true" if single else "false")
    _value(element, "shuffleanswers", "true" if q.shuffle else "false")
    _value(element, "answernumbering", "abc")
    for choice in q.choices:
        percent = (100.0 if choice.correct else 0.0) if single else (100.0 if choice.correct else -100.0) / right
        _answer(element, percent, render_inline(choice.text), choice.feedback)
    return element


def _true_false(q: model.TrueFalse) -> ET.Element:
    element = _header(q, "truefalse")
    _answer(element, 100.0 if q.answer else 0.0, "true", q.feedback_true, fmt="moodle_auto_format")
    _answer(element, 0.0 if q.answer else 100.0, "false", q.feedback_false, fmt="moodle_auto_format")
    return element


def _numeric(q: model.Numeric, notes: Notes) -> ET.Element:
    element = _header(q, "numerical")
    if q.answer is not None:
        value, tolerance = q.answer, q.tolerance
    else:
        # Rounded to 12 significant digits, so 9.7 to 9.9 reads 9.8 ± 0.1, not 0.10000000000000053.
        value, tolerance = (float(f"{x:.12g}") for x in ((q.low + q.high) / 2, (q.high - q.low) / 2))
        notes.add(q, f"the range {number(q.low)} to {number(q.high)} is written as "
                  f"{number(value)} ± {number(tolerance)} (Moodle has no ranges; the same numbers are right)")
    answer = _answer(element, 100.0, number(value), fmt="moodle_auto_format")
    _value(answer, "tolerance", number(tolerance))
    if q.unit:
        units = ET.SubElement(element, "units")
        unit = ET.SubElement(units, "unit")
        _value(unit, "multiplier", "1")
        _value(unit, "unit_name", q.unit)
    # Units optional and not graded (unitgradingtype 0), typed after the number (showunits 0),
    # as sourcebook accepts the number with or without its unit; no unit at all: showunits 3.
    _value(element, "unitgradingtype", "0")
    _value(element, "unitpenalty", "0.1000000")
    _value(element, "showunits", "0" if q.unit else "3")
    _value(element, "unitsleft", "0")
    return element


def _short(q: model.ShortText, notes: Notes) -> ET.Element:
    element = _header(q, "shortanswer")
    _value(element, "usecase", "1" if q.case_sensitive else "0")
    for text in q.answers:
        _answer(element, 100.0, escape_wildcard(text), fmt="moodle_auto_format")
    for wrong in q.wrong_answers:
        _answer(element, 0.0, escape_wildcard(wrong.text), wrong.feedback, fmt="moodle_auto_format")
    notes.add(q, NORMALISATION_NOTE)
    return element


def _ordering(q: model.Ordering, notes: Notes) -> ET.Element:
    element = _header(q, "ordering")
    _value(element, "layouttype", "VERTICAL")
    _value(element, "selecttype", "ALL")
    _value(element, "selectcount", str(len(q.items)))
    _value(element, "gradingtype", "RELATIVE_ALL_PREVIOUS_AND_NEXT")
    _value(element, "showgrading", "SHOW")
    _value(element, "numberingstyle", "none")
    # The plugin reads the items' order from their order in the file; the fraction is the position.
    for position, item in enumerate(q.items, 1):
        answer = ET.SubElement(element, "answer", {"fraction": f"{position}.0000000", "format": "html"})
        ET.SubElement(answer, "text").text = render_inline(item)
    if not q.shuffle:
        notes.add(q, "Moodle always shuffles the items of an ordering question (`shuffle: false` is not kept)")
    return element


def _matching(q: model.Matching) -> ET.Element:
    element = _header(q, "matching")
    _value(element, "shuffleanswers", "true" if q.shuffle else "false")
    for left, right in [(p.left, p.right) for p in q.pairs] + [("", d) for d in q.distractors]:
        sub = _text(element, "subquestion", render_inline(left) if left else "")
        answer = ET.SubElement(sub, "answer")
        ET.SubElement(answer, "text").text = right
    return element


def cloze_escape(text: str) -> str:
    """An answer inside a cloze code: Moodle's special characters get a backslash."""
    for char in "\\}#~/\"":
        text = text.replace(char, "\\" + char)
    return text


def cloze_code(blank: model.Blank, shuffle: bool) -> str:
    """The embedded-answers code of one gap, e.g. {1:SHORTANSWER:=1957}."""
    if blank.choices:
        kind = "MULTICHOICE_S" if shuffle else "MULTICHOICE"
        answers = [("=" if c in blank.answers else "") + cloze_escape(c) for c in blank.choices]
    else:
        kind = "SHORTANSWER_C" if blank.case_sensitive else "SHORTANSWER"
        answers = ["=" + cloze_escape(a) for a in blank.answers]
    return "{1:" + kind + ":" + "~".join(answers) + "}"


def gap_token(index: int) -> str:
    """A word that survives Markdown rendering untouched and stands for one gap until it is replaced."""
    return f"SOURCEBOOKGAP{index}X"


def _blanks(q: model.Blanks, notes: Notes) -> ET.Element:
    element = _header(q, "cloze")
    names: list[str] = []

    def token(match: object) -> str:
        names.append(match.group(1))  # type: ignore[attr-defined]
        return gap_token(len(names) - 1)

    html = render(GAP_PATTERN.sub(token, q.text))
    for index, name in enumerate(names):
        # Rendering HTML-escapes the text around the gaps; the codes hold answers, escaped for HTML too.
        code = cloze_code(q.blanks[name], q.shuffle)
        html = html.replace(gap_token(index), code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    text = element.find("questiontext/text")
    assert text is not None
    text.text = render(q.prompt) + "\n" + html
    if any(name != f"gap{i}" for i, name in enumerate(names, 1)):
        notes.add(q, f"cloze gaps have no names: {', '.join(names)} become gap1 to gap{len(names)} on import")
    if any(not b.choices for b in q.blanks.values()):
        notes.add(q, NORMALISATION_NOTE)
    return element


def _open(q: model.OpenResponse, notes: Notes) -> ET.Element:
    element = _header(q, "essay")
    _value(element, "responseformat", "editor")
    _value(element, "responserequired", "1")
    _value(element, "responsefieldlines", "10")
    _value(element, "attachments", "0")
    _value(element, "attachmentsrequired", "0")
    info = render(q.model_answer) if q.model_answer else ""
    if q.rubric:
        items = "".join(f"<li>{render_inline(r)}</li>" for r in q.rubric)
        info += f'\n<ul class="{RUBRIC_CLASS}">{items}</ul>'
    _text(element, "graderinfo", info)
    _text(element, "responsetemplate", "")
    notes.add(q, "Moodle's essay is graded by a teacher and counts towards the quiz total; in sourcebook "
              "an open response is not graded (the rubric goes to the grader information)")
    return element


def question_element(q: model.AnyQuestion, notes: Notes) -> ET.Element | None:
    """The <question> element of one question, or None (with a note) if Moodle cannot hold it."""
    element: ET.Element | None
    if isinstance(q, model.SingleChoice | model.MultipleAnswer):
        element = _choices(q, notes)
    elif isinstance(q, model.TrueFalse):
        element = _true_false(q)
    elif isinstance(q, model.Numeric):
        element = _numeric(q, notes)
    elif isinstance(q, model.ShortText):
        element = _short(q, notes)
    elif isinstance(q, model.Ordering):
        element = _ordering(q, notes)
    elif isinstance(q, model.Matching):
        element = _matching(q)
    elif isinstance(q, model.Blanks):
        element = _blanks(q, notes)
    else:
        element = _open(q, notes)
    if element is not None:
        _footer(element, q)
    return element


def export_bank(bank: model.Bank) -> Export:
    """The bank as a Moodle XML question file, in a category named after the bank."""
    notes = Notes()
    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", {"type": "category"})
    ET.SubElement(ET.SubElement(category, "category"), "text").text = f"$course$/{bank.title}"
    _text(category, "info", render(bank.description) if bank.description else "")
    for q in bank.questions:
        element = question_element(q, notes)
        if element is not None:
            quiz.append(element)
    if any(q.GRADED for q in bank.questions):
        notes.add(None, "attempts per question are not part of a Moodle question: choose 'Interactive with "
                  "multiple tries' in the quiz settings (one try per hint, plus one)")
    ET.indent(quiz, space="  ")
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="utf-8", xml_declaration=False)
    return Export(data + b"\n", tuple(notes.items), ".xml")
