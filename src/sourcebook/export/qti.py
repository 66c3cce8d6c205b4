"""Canvas (Classic Quizzes) QTI 1.2 export: a zip Canvas imports as a quiz.

The zip holds ``imsmanifest.xml``, the assessment ``<ident>/<ident>.xml`` and
Canvas's ``<ident>/assessment_meta.xml``, laid out as Canvas writes them and
as text2qti (the widely used generator) does. Items carry Canvas's
``question_type`` in their metadata:

* single choice -> multiple_choice_question; true/false -> true_false_question;
* multiple answer -> multiple_answers_question (Canvas gives partial credit
  the same way: right ticked minus wrong ticked, over the right choices);
* short text -> short_answer_question; numeric -> numerical_question (exact
  with a margin, or a range);
* matching -> matching_question, each left item a ``response_lid`` worth an
  equal share; distractors are extra choices of every item;
* fill in the blanks -> fill_in_multiple_blanks_question, each gap ``[name]``
  a ``response_lid`` worth an equal share; a drop-down gap becomes a typed gap;
* open response -> essay_question;
* ordering has no Canvas type: it becomes a matching_question that pairs each
  item with its place in the order.

Text is Markdown rendered to HTML in ``mattext texttype="text/html"``; the
explanation is the general feedback, choice feedback is per-answer feedback.

What Canvas's importer (its QTI converter, after Instructure's QTIMigrationTool)
reads differently from the format's plain meaning is written its way:

* a matching option's name starts with its number (``m3-...``): Canvas numbers
  options by the first digits of their names;
* a short answer's foreseen wrong answers are left out (with a note): Canvas
  takes every text a short answer compares with as a right answer;
* a multiple-answers question with no right choice is left out (with a note):
  Canvas would take its first choice as the right one;
* choice feedback is named by the choice's place (``answer2_fb``), never after
  the question: Canvas takes feedback named with "correct", "wrong",
  "general_" or "_all" as the question's own;
* feedback and matching items are wrapped in ``<div dir="auto">``: outside its
  own packages, Canvas takes one run of text as plain text, and an escaped
  ``<`` in it would show as written;
* Canvas shuffles the choices of a whole quiz or of none: when a question
  keeps its order (``shuffle: false``), the quiz shuffles none (with a note).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile

from .. import model, types
from ..markdown import render, render_inline
from . import Export, Notes, as_written, note_bank_fields, number, ordering_as_matching

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
MANIFEST_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
#: Zip entries get this fixed time so that the same bank always gives the same bytes.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
CANVAS_NORMALISATION_NOTE = (
    "Canvas compares typed answers its own way: it ignores letter case but does not drop punctuation at "
    "either end, straighten curly quotes or fold full-width characters as sourcebook does"
)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _material(parent: ET.Element, html: str, texttype: str = "text/html") -> None:
    _sub(_sub(parent, "material"), "mattext", html, texttype=texttype)


def _metadata(item: ET.Element, fields: dict[str, str]) -> None:
    holder = _sub(_sub(item, "itemmetadata"), "qtimetadata")
    for label, entry in fields.items():
        field = _sub(holder, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)


def _condition(parent: ET.Element, *, cont: bool) -> tuple[ET.Element, ET.Element]:
    condition = _sub(parent, "respcondition", **{"continue": "Yes" if cont else "No"})
    return condition, _sub(condition, "conditionvar")


def _feedback_ref(condition: ET.Element, ident: str) -> None:
    _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid=ident)


def _kept_as_html(html: str) -> str:
    """HTML that Canvas keeps as HTML. Outside its own packages' flavour, Canvas takes a feedback or a matching
    item that is one run of text as plain text, and a ``&lt;`` in it would show to students as written: wrapped
    in an element with an attribute its sanitiser keeps, it stays HTML in every import."""
    return f'<div dir="auto">{html}</div>'


def _item_feedback(item: ET.Element, ident: str, html: str) -> None:
    feedback = _sub(item, "itemfeedback", ident=ident)
    _material(_sub(feedback, "flow_mat"), _kept_as_html(html))


def _processing(item: ET.Element, q: model.Question) -> ET.Element:
    processing = _sub(item, "resprocessing")
    _sub(_sub(processing, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    if q.explanation:
        condition, var = _condition(processing, cont=True)
        _sub(var, "other")
        _feedback_ref(condition, "general_fb")
    return processing


def _fib(presentation: ET.Element, *, decimal: bool = False) -> None:
    response = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
    fib = _sub(response, "render_fib", **({"fibtype": "Decimal"} if decimal else {}))
    _sub(fib, "response_label", ident="answer1", **({} if decimal else {"rshuffle": "No"}))


def _choice_item(item: ET.Element, q: model.Question, choices: list[tuple[str, str, bool, str]],
                 multiple: bool) -> list[tuple[str, str]]:
    """Presentation and processing of a choice item; returns (ident, feedback HTML) pairs to add."""
    presentation = _sub(item, "presentation")
    _material(presentation, render(q.prompt))
    response = _sub(presentation, "response_lid", ident="response1",
                    rcardinality="Multiple" if multiple else "Single")
    render_choice = _sub(response, "render_choice")
    for ident, html, _correct, _feedback in choices:
        label = _sub(render_choice, "response_label", ident=ident)
        _material(label, html)
    processing = _processing(item, q)
    feedbacks = []
    for index, (ident, _html, _correct, feedback) in enumerate(choices):
        if feedback:
            # Named by the choice's place, not after the question: Canvas takes feedback whose name holds
            # "correct", "wrong", "general_" or "_all" as the question's own, not the choice's.
            condition, var = _condition(processing, cont=True)
            _sub(var, "varequal", ident, respident="response1")
            _feedback_ref(condition, f"answer{index}_fb")
            feedbacks.append((f"answer{index}_fb", render(feedback)))
    condition, var = _condition(processing, cont=False)
    if multiple:
        both = _sub(var, "and")
        for ident, _html, correct, _feedback in choices:
            target = both if correct else _sub(both, "not")
            _sub(target, "varequal", ident, respident="response1")
    else:
        right = next(ident for ident, _html, correct, _feedback in choices if correct)
        _sub(var, "varequal", right, respident="response1")
    _sub(condition, "setvar", "100", action="Set", varname="SCORE")
    return feedbacks


def _short_item(item: ET.Element, q: types.ShortText, notes: Notes) -> None:
    presentation = _sub(item, "presentation")
    _material(presentation, render(q.prompt))
    _fib(presentation)
    processing = _processing(item, q)
    condition, var = _condition(processing, cont=False)
    for answer in q.answers:
        _sub(var, "varequal", answer, respident="response1")
    _sub(condition, "setvar", "100", action="Set", varname="SCORE")
    if q.case_sensitive:
        notes.add(q, "Canvas short answers ignore letter case: `case_sensitive` is not kept")
    if q.wrong_answers:
        # Canvas takes every text a short answer's conditions compare with as a right answer.
        notes.add(q, "Canvas short answers hold only right answers: the foreseen wrong answers "
                  f"({', '.join(w.text for w in q.wrong_answers)}) and their feedback are left out")
    notes.add(q, CANVAS_NORMALISATION_NOTE)


def _numeric_item(item: ET.Element, q: types.Numeric, notes: Notes) -> None:
    presentation = _sub(item, "presentation")
    _material(presentation, render(q.prompt))
    _fib(presentation, decimal=True)
    processing = _processing(item, q)
    condition, var = _condition(processing, cont=False)
    if q.answer is not None:
        either = _sub(var, "or")
        _sub(either, "varequal", number(q.answer), respident="response1")
        both = _sub(either, "and")
    else:
        both = var
    _sub(both, "vargte", number(q.low), respident="response1")
    _sub(both, "varlte", number(q.high), respident="response1")
    _sub(condition, "setvar", "100", action="Set", varname="SCORE")
    if q.unit:
        notes.add(q, f"Canvas numerical questions have no unit: '{q.unit}' is left out (put it in the prompt)")


def _share(count: int) -> str:
    return f"{100 / count:.2f}"


def _matching_item(item: ET.Element, q: types.Matching) -> None:
    presentation = _sub(item, "presentation")
    _material(presentation, render(q.prompt))
    # Canvas numbers each option by the first digits of its name: the option's own number comes first.
    options = [(f"m{i + 1}-{q.id}", text) for i, text in enumerate(q.options)]
    ident_of = {text: ident for ident, text in reversed(options)}
    for index, pair in enumerate(q.pairs):
        response = _sub(presentation, "response_lid", ident=f"response_{q.id}-p{index}")
        _material(response, _kept_as_html(render_inline(pair.left)))
        render_choice = _sub(response, "render_choice")
        for ident, text in options:
            _material(_sub(render_choice, "response_label", ident=ident), text, "text/plain")
    processing = _processing(item, q)
    for index, pair in enumerate(q.pairs):
        condition, var = _condition(processing, cont=False)
        _sub(var, "varequal", ident_of[pair.right], respident=f"response_{q.id}-p{index}")
        _sub(condition, "setvar", _share(len(q.pairs)), action="Add", varname="SCORE")


def _blanks_item(item: ET.Element, q: types.Blanks, notes: Notes) -> None:
    presentation = _sub(item, "presentation")
    names = [m.group(1) for m in types.GAP_PATTERN.finditer(q.text)]
    # Canvas marks a gap [name] in the text; names keep to letters, digits, '-' and '_'.
    canvas_names = {name: re.sub(r"[^A-Za-z0-9_-]", "_", name) for name in names}
    text = types.GAP_PATTERN.sub(lambda m: f"[{canvas_names[m.group(1)]}]", q.text)
    _material(presentation, render(q.prompt) + "\n" + render(text))
    for name in names:
        response = _sub(presentation, "response_lid", ident=f"response_{canvas_names[name]}")
        _material(response, canvas_names[name], "text/plain")
        render_choice = _sub(response, "render_choice")
        for index, answer in enumerate(q.blanks[name].answers):
            label = _sub(render_choice, "response_label", ident=f"{q.id}-{canvas_names[name]}-{index}")
            _material(label, answer, "text/plain")
    processing = _processing(item, q)
    for name in names:
        condition, var = _condition(processing, cont=False)
        for index, _answer in enumerate(q.blanks[name].answers):
            _sub(var, "varequal", f"{q.id}-{canvas_names[name]}-{index}", respident=f"response_{canvas_names[name]}")
        _sub(condition, "setvar", _share(len(names)), action="Add", varname="SCORE")
    dropdowns = [n for n in names if q.blanks[n].choices]
    if dropdowns:
        notes.add(q, f"Canvas fill-in-multiple-blanks gaps are typed: the drop-down list of {', '.join(dropdowns)} "
                  "is not kept (students type the answer)")
    if any(b.case_sensitive for b in q.blanks.values()):
        notes.add(q, "Canvas blanks ignore letter case: `case_sensitive` is not kept")
    notes.add(q, CANVAS_NORMALISATION_NOTE)


def _essay_item(item: ET.Element, q: types.OpenResponse, notes: Notes) -> None:
    presentation = _sub(item, "presentation")
    _material(presentation, render(q.prompt))
    _fib(presentation)
    processing = _processing(item, q)
    _condition(processing, cont=False)[1].append(ET.Element("other"))
    if q.model_answer or q.rubric:
        notes.add(q, "Canvas essays have no model answer or rubric field: they are left out (add a Canvas rubric "
                  "by hand)")
    notes.add(q, "Canvas counts an essay's points once a teacher grades it; sourcebook does not grade open responses")


_CANVAS_TYPES: dict[type, str] = {
    types.SingleChoice: "multiple_choice_question",
    types.TrueFalse: "true_false_question",
    types.MultipleAnswer: "multiple_answers_question",
    types.ShortText: "short_answer_question",
    types.Numeric: "numerical_question",
    types.Matching: "matching_question",
    types.Blanks: "fill_in_multiple_blanks_question",
    types.OpenResponse: "essay_question",
}


def item_element(q: model.Question, notes: Notes) -> ET.Element:
    """The QTI <item> of one question; an ordering question becomes a matching one (with a note)."""
    if isinstance(q, types.Ordering):
        q = ordering_as_matching(q, notes, "Canvas Classic Quizzes")
    qtype = _CANVAS_TYPES[type(q)]
    item = ET.Element("item", ident=q.id, title=q.id)
    answer_ids = ""
    if isinstance(q, types.SingleChoice | types.MultipleAnswer):
        answer_ids = ",".join(f"{q.id}-{i}" for i in range(len(q.choices)))
    elif isinstance(q, types.TrueFalse):
        answer_ids = f"{q.id}-true,{q.id}-false"
    _metadata(item, {"question_type": qtype, "points_possible": number(q.points),
                     "original_answer_ids": answer_ids, "assessment_question_identifierref": f"{q.id}-ref"})
    feedbacks: list[tuple[str, str]] = []
    if isinstance(q, types.SingleChoice | types.MultipleAnswer):
        choices = [(f"{q.id}-{i}", render_inline(c.text), c.correct, c.feedback) for i, c in enumerate(q.choices)]
        feedbacks = _choice_item(item, q, choices, isinstance(q, types.MultipleAnswer))
    elif isinstance(q, types.TrueFalse):
        choices = [(f"{q.id}-true", "True", q.answer, q.feedback_true),
                   (f"{q.id}-false", "False", not q.answer, q.feedback_false)]
        feedbacks = _choice_item(item, q, choices, False)
    elif isinstance(q, types.ShortText):
        _short_item(item, q, notes)
    elif isinstance(q, types.Numeric):
        _numeric_item(item, q, notes)
    elif isinstance(q, types.Matching):
        _matching_item(item, q)
    elif isinstance(q, types.Blanks):
        _blanks_item(item, q, notes)
    elif isinstance(q, types.OpenResponse):
        _essay_item(item, q, notes)
    if q.explanation:
        _item_feedback(item, "general_fb", render(q.explanation))
    for ident, html in feedbacks:
        _item_feedback(item, ident, html)
    lost = [what for what, present in (("hints", q.hints), ("skill", q.skill), ("evidence", q.evidence)) if present]
    if lost:
        notes.add(q, f"Canvas questions cannot hold {', '.join(lost)}")
    return item


def _xml(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def assessment_ident(bank: model.Bank) -> str:
    """The assessment's identifier: a slug of the bank's title, as Canvas needs a plain name."""
    slug = re.sub(r"[^a-z0-9]+", "-", bank.title.lower()).strip("-")
    return f"sourcebook-{slug or 'quiz'}"


def assessment_xml(bank: model.Bank, written: list[model.Question], notes: Notes) -> bytes:
    """The QTI assessment of the bank's questions as Canvas can hold them (:func:`written_questions`)."""
    root = ET.Element("questestinterop", xmlns=QTI_NS)
    assessment = _sub(root, "assessment", ident=assessment_ident(bank), title=bank.title)
    field = _sub(_sub(assessment, "qtimetadata"), "qtimetadatafield")
    _sub(field, "fieldlabel", "cc_maxattempts")
    _sub(field, "fieldentry", str(bank.defaults.attempts))  # as allowed_attempts in assessment_meta.xml
    section = _sub(assessment, "section", ident="root_section")
    for q in written:
        section.append(item_element(q, notes))
    return _xml(root)


def written_questions(bank: model.Bank, notes: Notes) -> list[model.Question]:
    """The bank's questions as Canvas can hold them; the others are left out with a note."""
    written = []
    for q in bank.questions:
        kept = as_written(bank, q, notes, "Canvas QTI")
        if isinstance(kept, types.MultipleAnswer) and not any(c.correct for c in kept.choices):
            # Canvas would take the first choice of such a question as the right one.
            notes.skip(q, "Canvas needs at least one right choice in a multiple-answers question")
        elif kept is not None:
            written.append(kept)
    return written


def fixed_order(questions: list[model.Question]) -> list[str]:
    """The questions whose choices keep their order (``shuffle: false``): Canvas shuffles a whole quiz's or none."""
    return [q.id for q in questions
            if isinstance(q, types.SingleChoice | types.MultipleAnswer | types.Matching) and not q.shuffle]


def meta_xml(bank: model.Bank, points: float, *, shuffle: bool) -> bytes:
    """Canvas's quiz settings (assessment_meta.xml)."""
    ident = assessment_ident(bank)
    root = ET.Element("quiz", identifier=ident, xmlns=CANVAS_NS)
    _sub(root, "title", bank.title)
    _sub(root, "description", render(bank.description) if bank.description else "")
    _sub(root, "shuffle_answers", "true" if shuffle else "false")
    _sub(root, "scoring_policy", "keep_highest")
    _sub(root, "quiz_type", "assignment")
    _sub(root, "points_possible", number(points))
    _sub(root, "show_correct_answers", "true")
    _sub(root, "allowed_attempts", str(bank.defaults.attempts))
    _sub(root, "available", "false")
    assignment = _sub(root, "assignment", identifier=f"{ident}-assignment")
    _sub(assignment, "title", bank.title)
    _sub(assignment, "quiz_identifierref", ident)
    _sub(assignment, "points_possible", number(points))
    _sub(assignment, "grading_type", "points")
    _sub(assignment, "submission_types", "online_quiz")
    _sub(assignment, "workflow_state", "unpublished")
    return _xml(root)


def manifest_xml(bank: model.Bank) -> bytes:
    """The IMS content package manifest that points Canvas at the assessment."""
    ident = assessment_ident(bank)
    root = ET.Element("manifest", identifier=f"{ident}-manifest", xmlns=MANIFEST_NS)
    metadata = _sub(root, "metadata")
    _sub(metadata, "schema", "IMS Content")
    _sub(metadata, "schemaversion", "1.1.3")
    _sub(root, "organizations")
    resources = _sub(root, "resources")
    resource = _sub(resources, "resource", identifier=ident, type="imsqti_xmlv1p2")
    _sub(resource, "file", href=f"{ident}/{ident}.xml")
    _sub(resource, "dependency", identifierref=f"{ident}-meta")
    meta = _sub(resources, "resource", identifier=f"{ident}-meta",
                type="associatedcontent/imscc_xmlv1p1/learning-application-resource",
                href=f"{ident}/assessment_meta.xml")
    _sub(meta, "file", href=f"{ident}/assessment_meta.xml")
    return _xml(root)


def export_bank(bank: model.Bank) -> Export:
    """The bank as a Canvas QTI 1.2 zip."""
    notes = Notes()
    ident = assessment_ident(bank)
    written = written_questions(bank, notes)
    assessment = assessment_xml(bank, written, notes)
    # The sum of the items' points, as Canvas totals the quiz: an essay too, which a teacher grades there.
    points = sum(q.points for q in written)
    kept_in_order = fixed_order(written)
    shuffle = bank.defaults.shuffle and not kept_in_order
    if bank.defaults.shuffle and kept_in_order:
        notes.add(None, "Canvas shuffles the choices of every question of a quiz or of none: so that those of "
                  f"{', '.join(kept_in_order)} keep their order, the quiz shuffles none")
    note_bank_fields(bank, notes, "Canvas QTI", keeps_description=True)
    if any(q.attempts != bank.defaults.attempts for q in bank.questions):
        notes.add(None, f"Canvas sets attempts for the whole quiz: {bank.defaults.attempts} (the bank's default); "
                  "questions with their own `attempts` do not keep them")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("imsmanifest.xml", manifest_xml(bank)),
                           (f"{ident}/{ident}.xml", assessment),
                           (f"{ident}/assessment_meta.xml", meta_xml(bank, points, shuffle=shuffle))):
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), data, compress_type=zipfile.ZIP_DEFLATED)
    return Export(buffer.getvalue(), tuple(notes.items), ".zip")
