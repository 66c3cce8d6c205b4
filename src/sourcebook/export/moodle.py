"""Moodle XML export: every question type, following Moodle's documented format.

Type by type:

* single choice -> ``multichoice`` with ``<single>true``: the right choice 100%,
  the others 0%;
* multiple answer -> ``multichoice`` with ``<single>false``: each right choice
  +100/r %, each wrong one -100/r % (r = number of right choices). Moodle adds
  the fractions of the ticked choices and keeps the total between 0 and 100 %,
  which is exactly sourcebook's (right ticked - wrong ticked) / r. Moodle's
  importer drops a question whose grade is not on its list of grade options
  (``question_bank::fraction_options_full``): for r from 1 to 10, 1/r is on
  it; for 11 to 20 right choices, the right ones are written as 10 % and 5 %
  so that they still add up to 100 % (with a note, since some then count
  half), and each wrong one as the listed grade nearest -100/r %; more than 20
  right choices, or none, cannot be graded by Moodle and are left out;
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
  shuffled). Moodle makes a cloze question worth the sum of its gaps' weights
  (whole numbers; ``defaultgrade`` is ignored), so each gap weighs
  points / gaps when that is a whole number, and 1 otherwise (with a note
  giving the marks Moodle will show). Answers are written with HTML entities
  for ``~ # } \\ & < > "``: Moodle decodes entities in a gap's answers but
  undoes only ``\\}`` and ``\\#`` of backslash escapes. A typed gap's ``*`` is escaped
  (a wildcard, as in short answers); a drop-down's choices are HTML-escaped
  first, as Moodle keeps them as HTML;
* open response -> ``essay``, the model answer (and rubric) as grader information.

Common to all: ``name`` and ``idnumber`` = the id, ``generalfeedback`` = the
explanation, ``defaultgrade`` = the points, one ``hint`` per hint, and the skill
and evidence anchors as tags (``evidence:p1``), which students do not see.
Text is Markdown rendered to HTML (``format="html"``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html import escape as html_escape

from .. import model, types
from ..markdown import render, render_inline
from . import Export, Notes, as_written, note_bank_fields, number

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


#: Moodle's grade options between 0 and 1 (``question_bank::fraction_options``); an imported
#: grade must be one of these, or its negative, or the question is not imported.
GRADE_OPTIONS = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
                 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0)


def listed(fraction_of_one: float) -> float:
    """The grade on Moodle's list nearest ``fraction_of_one`` (between -1 and 1)."""
    nearest = min(GRADE_OPTIONS, key=lambda option: abs(option - abs(fraction_of_one)))
    return -nearest if fraction_of_one < 0 else nearest


def multiple_answer_grades(q: types.MultipleAnswer, notes: Notes) -> list[float] | None:
    """Each choice's grade in per cent, every one on Moodle's list; None (with a note) if there is none."""
    right = sum(c.correct for c in q.choices)
    if right == 0 or right > 20:
        notes.skip(q, f"a multiple-answer question with {right or 'no'} right choices: Moodle's grades of the "
                   "right choices must add up to 100 %, in steps it lists (at least 5 %)")
        return None
    if listed(1 / right) == round(1 / right, 7):
        shares = [1 / right] * right
    else:
        # 11 to 20 right choices: (20 - r) of them at 10 %, the others at 5 %, which add up to 100 %.
        shares = [0.1] * (20 - right) + [0.05] * (2 * right - 20)
        notes.add(q, f"Moodle's grades are steps of its own list: of the {right} right choices, {20 - right} are "
                  f"worth 10 % and {2 * right - 20} worth 5 %, where sourcebook counts each 1/{right}")
    wrong = listed(-1 / right)
    if abs(wrong + 1 / right) > 1e-7:
        notes.add(q, f"each wrong choice takes {number(-wrong * 100)} % in Moodle, the grade on its list nearest "
                  f"to sourcebook's 1/{right}")
    grades, shares_left = [], iter(shares)
    for choice in q.choices:
        grades.append(100 * (next(shares_left) if choice.correct else wrong))
    return grades


def _choices(q: types.SingleChoice | types.MultipleAnswer, notes: Notes) -> ET.Element | None:
    element = _header(q, "multichoice")
    if isinstance(q, types.SingleChoice):
        grades = [100.0 if c.correct else 0.0 for c in q.choices]
    else:
        found = multiple_answer_grades(q, notes)
        if found is None:
            return None
        grades = found
    _value(element, "single", "true" if isinstance(q, types.SingleChoice) else "false")
    _value(element, "shuffleanswers", "true" if q.shuffle else "false")
    _value(element, "answernumbering", "abc")
    for choice, percent in zip(q.choices, grades, strict=True):
        _answer(element, percent, render_inline(choice.text), choice.feedback)
    return element


def _true_false(q: types.TrueFalse) -> ET.Element:
    element = _header(q, "truefalse")
    _answer(element, 100.0 if q.answer else 0.0, "true", q.feedback_true, fmt="moodle_auto_format")
    _answer(element, 0.0 if q.answer else 100.0, "false", q.feedback_false, fmt="moodle_auto_format")
    return element


def _numeric(q: types.Numeric, notes: Notes) -> ET.Element:
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


def _short(q: types.ShortText, notes: Notes) -> ET.Element:
    element = _header(q, "shortanswer")
    _value(element, "usecase", "1" if q.case_sensitive else "0")
    for text in q.answers:
        _answer(element, 100.0, escape_wildcard(text), fmt="moodle_auto_format")
    for wrong in q.wrong_answers:
        _answer(element, 0.0, escape_wildcard(wrong.text), wrong.feedback, fmt="moodle_auto_format")
    notes.add(q, NORMALISATION_NOTE)
    return element


def _ordering(q: types.Ordering, notes: Notes) -> ET.Element:
    element = _header(q, "ordering")
    _value(element, "layouttype", "VERTICAL")
    _value(element, "selecttype", "ALL")
    _value(element, "selectcount", str(len(q.items)))
    _value(element, "gradingtype", "RELATIVE_ALL_PREVIOUS_AND_NEXT")
    _value(element, "showgrading", "SHOW")
    _value(element, "numberingstyle", "none")
    # Without it the plugin reads the file as an old one and adds hints of its own, each a further try.
    _value(element, "shownumcorrect", "0")
    # The plugin reads the items' order from their order in the file; the fraction is the position.
    for position, item in enumerate(q.items, 1):
        answer = ET.SubElement(element, "answer", {"fraction": f"{position}.0000000", "format": "html"})
        ET.SubElement(answer, "text").text = render_inline(item)
    if not q.shuffle:
        notes.add(q, "Moodle always shuffles the items of an ordering question (`shuffle: false` is not kept)")
    return element


def _matching(q: types.Matching) -> ET.Element:
    element = _header(q, "matching")
    _value(element, "shuffleanswers", "true" if q.shuffle else "false")
    for left, right in [(p.left, p.right) for p in q.pairs] + [("", d) for d in q.distractors]:
        sub = _text(element, "subquestion", render_inline(left) if left else "")
        answer = ET.SubElement(sub, "answer")
        ET.SubElement(answer, "text").text = right
    return element


#: Characters written as HTML entities in a cloze gap's answers: the syntax of the code
#: (~ separates answers, # starts feedback, } ends the code, \\ escapes) and HTML's own.
_CLOZE_SPECIAL = frozenset('~#}{\\&<>"')


def cloze_escape(text: str) -> str:
    """An answer inside a cloze code, as HTML: Moodle decodes entities in answers, while of
    backslash escapes it undoes only \\} and \\#, so ~ or \\ would stay in the answer."""
    return "".join(f"&#{ord(c)};" if c in _CLOZE_SPECIAL else c for c in text)


def cloze_code(blank: types.Blank, shuffle: bool, weight: int = 1) -> str:
    """The embedded-answers code of one gap, as HTML, e.g. {1:SHORTANSWER:=1957}."""
    if blank.choices:
        kind = "MULTICHOICE_S" if shuffle else "MULTICHOICE"
        # Every choice has its weight written: a wrong one as %0%, so that a choice that
        # starts with "=" or "%50%" is read as text, not as a weight.
        # Moodle keeps a drop-down's choices as HTML: written escaped, so that they show as the text they are.
        answers = [("=" if c in blank.answers else "%0%") + cloze_escape(html_escape(c, quote=False))
                   for c in blank.choices]
    else:
        kind = "SHORTANSWER_C" if blank.case_sensitive else "SHORTANSWER"
        answers = ["=" + cloze_escape(escape_wildcard(a)) for a in blank.answers]
    return "{" + str(weight) + ":" + kind + ":" + "~".join(answers) + "}"


def gap_token(index: int) -> str:
    """A word that survives Markdown rendering untouched and stands for one gap until it is replaced."""
    return f"SOURCEBOOKGAP{index}X"


def gap_weight(q: types.Blanks, gaps: int, notes: Notes) -> int:
    """Each gap's weight: Moodle makes a cloze question worth the sum of its gaps' whole-number weights."""
    share = q.points / gaps
    if share == int(share) and share >= 1:
        return int(share)
    notes.add(q, f"Moodle makes a cloze question worth the sum of its gaps' weights, whole numbers: each of the "
              f"{gaps} gaps weighs 1, so the question is worth {gaps} marks there, not {number(q.points)} "
              f"(set its mark in the Moodle quiz to {number(q.points)})")
    return 1


def _no_braces(html: str) -> str:
    return html.replace("{", "&#123;").replace("}", "&#125;")


def _blanks(q: types.Blanks, notes: Notes) -> ET.Element:
    element = _header(q, "cloze")
    names: list[str] = []

    def token(match: object) -> str:
        names.append(match.group(1))  # type: ignore[attr-defined]
        return gap_token(len(names) - 1)

    # Braces as entities: Moodle finds gaps by "{1:SHORTANSWER:" in the HTML, and the text
    # around the gaps is the teacher's, not a gap.
    html = _no_braces(render(types.GAP_PATTERN.sub(token, q.text)))
    weight = gap_weight(q, len(names), notes)
    for index, name in enumerate(names):
        # Rendering HTML-escapes the text around the gaps; the codes are HTML already.
        html = html.replace(gap_token(index), cloze_code(q.blanks[name], q.shuffle, weight))
    text = element.find("questiontext/text")
    assert text is not None
    text.text = _no_braces(render(q.prompt)) + "\n" + html
    if any(name != f"gap{i}" for i, name in enumerate(names, 1)):
        notes.add(q, f"cloze gaps have no names: {', '.join(names)} become gap1 to gap{len(names)} on import")
    if any(not b.choices for b in q.blanks.values()):
        notes.add(q, NORMALISATION_NOTE)
    return element


def _open(q: types.OpenResponse, notes: Notes) -> ET.Element:
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


def question_element(q: model.Question, notes: Notes) -> ET.Element | None:
    """The <question> element of one question, or None (with a note) if Moodle cannot hold it."""
    element: ET.Element | None
    if isinstance(q, types.SingleChoice | types.MultipleAnswer):
        element = _choices(q, notes)
    elif isinstance(q, types.TrueFalse):
        element = _true_false(q)
    elif isinstance(q, types.Numeric):
        element = _numeric(q, notes)
    elif isinstance(q, types.ShortText):
        element = _short(q, notes)
    elif isinstance(q, types.Ordering):
        element = _ordering(q, notes)
    elif isinstance(q, types.Matching):
        element = _matching(q)
    elif isinstance(q, types.Blanks):
        element = _blanks(q, notes)
    elif isinstance(q, types.OpenResponse):
        element = _open(q, notes)
    else:
        raise TypeError(f"no Moodle XML for questions of type {q.TYPE}")  # as_written() turned the rest
    if element is not None:
        _footer(element, q)
    return element


def category_path(title: str) -> str:
    """The question category named after the bank, in the course's top category, as Moodle writes a path:
    a ``/`` in the name doubled, and a space put between it and the path's own ``/`` at either end."""
    name = " ".join(title.split()).replace("/", "//")
    if name.startswith("/"):
        name = " " + name
    if name.endswith("/"):
        name += " "
    return f"$course$/{name}"


def export_bank(bank: model.Bank) -> Export:
    """The bank as a Moodle XML question file, in a category named after the bank."""
    notes = Notes()
    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", {"type": "category"})
    ET.SubElement(ET.SubElement(category, "category"), "text").text = category_path(bank.title)
    _text(category, "info", render(bank.description) if bank.description else "")
    for q in bank.questions:
        written = as_written(bank, q, notes, "Moodle XML")
        element = question_element(written, notes) if written is not None else None
        if element is not None:
            quiz.append(element)
    if any(q.GRADED for q in bank.questions):
        notes.add(None, "attempts per question are not part of a Moodle question: choose 'Interactive with "
                  "multiple tries' in the quiz settings (one try per hint, plus one)")
    note_bank_fields(bank, notes, "Moodle XML", keeps_description=True)
    ET.indent(quiz, space="  ")
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="utf-8", xml_declaration=False)
    return Export(data + b"\n", tuple(notes.items), ".xml")
