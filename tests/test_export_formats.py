"""Exported files checked by real readers and against each format's documentation.

* Moodle XML: each question type has the elements Moodle's documented format
  gives it (checked type by type);
* GIFT: parsed by pygiftparser (PyPI), which must see the same types, answers
  and feedback;
* Canvas QTI: compared element by element with what text2qti (PyPI) writes for
  the same questions: item metadata, response elements, response processing.
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest

from sourcebook import load_bank, model, types
from sourcebook.export import exporter, gift, moodle, qti

ROOT = Path(__file__).parent
CONFORMANCE = ROOT / "conformance" / "bank.yml"
SPECIAL = ROOT / "export" / "special.yml"
READING = ROOT / "export" / "moodle-reading.yml"


# --- Moodle XML ---------------------------------------------------------------


@pytest.fixture(scope="module")
def moodle_questions() -> dict[str, ET.Element]:
    root = ET.fromstring(moodle.export_bank(load_bank(CONFORMANCE)).data)
    assert root.tag == "quiz"
    return {q.findtext("name/text") or "": q for q in root.findall("question") if q.get("type") != "category"}


def _fractions(question: ET.Element) -> list[str]:
    return [a.get("fraction", "") for a in question.findall("answer")]


def test_moodle_common_fields(moodle_questions: dict[str, ET.Element]) -> None:
    q = moodle_questions["multiple"]
    assert q.find("questiontext").get("format") == "html"  # type: ignore[union-attr]
    assert q.findtext("questiontext/text") == "<p>Tick every right one.</p>"
    assert q.findtext("defaultgrade") == "2"
    assert q.findtext("idnumber") == "multiple"
    assert [t.findtext("text") for t in q.findall("tags/tag")] == ["close reading"]
    assert moodle_questions["numeric-exact"].findtext("generalfeedback/text") == "<p>4 October 1957.</p>"


def test_moodle_multichoice(moodle_questions: dict[str, ET.Element]) -> None:
    single = moodle_questions["single"]
    assert single.get("type") == "multichoice" and single.findtext("single") == "true"
    assert _fractions(single) == ["0", "100", "0"]
    assert single.findtext("answer[2]/feedback/text") == "<p>B is right.</p>"
    multiple = moodle_questions["multiple"]
    assert multiple.findtext("single") == "false"
    # Each right choice +100/r, each wrong one -100/r: Moodle's sum is sourcebook's partial credit.
    assert _fractions(multiple) == ["50", "-50", "50", "-50"]
    assert "multiple-none-right" not in moodle_questions


def test_moodle_truefalse_numerical_shortanswer(moodle_questions: dict[str, ET.Element]) -> None:
    tf = moodle_questions["truefalse"]
    assert [(a.findtext("text"), a.get("fraction")) for a in tf.findall("answer")] == [("true", "100"), ("false", "0")]
    assert tf.findtext("answer[1]/feedback/text") == "<p>Yes, see the date line.</p>"
    tolerance = moodle_questions["numeric-tolerance"]
    assert tolerance.get("type") == "numerical"
    assert (tolerance.findtext("answer/text"), tolerance.findtext("answer/tolerance")) == ("1390", "10")
    assert tolerance.findtext("units/unit/unit_name") == "experts"
    ranged = moodle_questions["numeric-range"]
    assert (ranged.findtext("answer/text"), ranged.findtext("answer/tolerance")) == ("9.75", "0.25")
    short = moodle_questions["short"]
    assert short.get("type") == "shortanswer" and short.findtext("usecase") == "0"
    assert [(a.findtext("text"), a.get("fraction")) for a in short.findall("answer")] == [
        ("Nie Rongzhen", "100"), ("Marshal Nie", "100"), ("Mao Zedong", "0")]
    assert moodle_questions["short-case"].findtext("usecase") == "1"


def test_moodle_ordering_matching_cloze_essay(moodle_questions: dict[str, ET.Element]) -> None:
    ordering = moodle_questions["ordering"]
    assert ordering.findtext("gradingtype") == "RELATIVE_ALL_PREVIOUS_AND_NEXT"
    assert ordering.findtext("selecttype") == "ALL" and ordering.findtext("selectcount") == "4"
    assert [a.findtext("text") for a in ordering.findall("answer")] == ["First", "Second", "Third", "Fourth"]
    matching = moodle_questions["matching"]
    subs = [(s.findtext("text"), s.findtext("answer/text")) for s in matching.findall("subquestion")]
    assert subs[0] == ("Nie Rongzhen", "Vice Premier for science")
    assert subs[-1] == ("", "Head of state")  # a distractor: a subquestion without text
    cloze = moodle_questions["blanks"]
    assert cloze.get("type") == "cloze"
    text = cloze.findtext("questiontext/text") or ""
    assert ("Sputnik flew in {1:SHORTANSWER:=1957}, and Nie wrote to "
            "{1:MULTICHOICE_S:=Mao Zedong~%0%Khrushchev}.") in text
    essay = moodle_questions["open"]
    assert essay.get("type") == "essay"
    assert "<p>A reasoned answer.</p>" in (essay.findtext("graderinfo/text") or "")


def test_moodle_escapes_wildcards_and_cloze_specials() -> None:
    assert moodle.escape_wildcard("a*b") == "a\\*b"
    # As entities: Moodle decodes them in a gap's answers, and undoes only \\} and \\# of escapes.
    blank = types.Blank(answers=("a}b#c~d\\e/f",), choices=())
    assert moodle.cloze_code(blank, True) == "{1:SHORTANSWER:=a&#125;b&#35;c&#126;d&#92;e/f}"


# --- GIFT, read by pygiftparser ---------------------------------------------


def _pygift(text: str) -> dict[str, object]:
    parser = pytest.importorskip("pygiftparser.parser")
    questions = parser.parseFile(io.StringIO(text))
    return {q.title: q for q in questions}


def test_pygiftparser_reads_every_question_we_write() -> None:
    from pygiftparser import answer as pg

    export = gift.export_bank(load_bank(CONFORMANCE))
    parsed = _pygift(export.data.decode("utf-8"))
    written = [q.id for q in load_bank(CONFORMANCE).questions if q.id not in export.skipped]
    assert sorted(parsed) == sorted(written)
    assert all(q.valid for q in parsed.values())  # type: ignore[attr-defined]
    kinds = {title: type(q.answers) for title, q in parsed.items()}  # type: ignore[attr-defined]
    assert kinds["single"] is pg.SelectSet
    assert kinds["multiple"] is pg.MultipleChoicesSet
    assert kinds["truefalse"] is pg.TrueFalseSet
    assert kinds["numeric-exact"] is pg.NumericAnswerSet
    assert kinds["matching"] is pg.MatchingSet
    assert kinds["ordering"] is pg.MatchingSet
    assert kinds["short-case"] is pg.ShortSet
    assert kinds["open"] is pg.Essay
    single = parsed["single"].answers.answers  # type: ignore[attr-defined]
    assert [(a.answer, a.fraction, a.feedback) for a in single] == [
        ("Wrong A", 0, "A is wrong."), ("Right B", 100, "B is right."), ("Wrong C", 0, "C is wrong.")]
    multiple = parsed["multiple"].answers.answers  # type: ignore[attr-defined]
    assert [a.fraction for a in multiple] == [50, -50, 50, -50]
    tf = parsed["truefalse"].answers  # type: ignore[attr-defined]
    assert (tf.answer, tf.feedbackCorrect, tf.feedbackWrong) == (True, "Yes, see the date line.",
                                                               "Look at the date line again.")
    tolerance = parsed["numeric-tolerance"].answers.answers[0]  # type: ignore[attr-defined]
    assert (tolerance.value, tolerance.tolerance) == (1390, 10)
    ranged = parsed["numeric-range"].answers.answers[0]  # type: ignore[attr-defined]
    assert (float(ranged.mini), float(ranged.maxi)) == (9.5, 10)
    pairs = parsed["matching"].answers.answers  # type: ignore[attr-defined]
    assert [(p.question.strip(), p.answer.strip()) for p in pairs] == [
        ("Nie Rongzhen", "Vice Premier for science"), ("Zhou Enlai", "Premier"),
        ("He Yingqin", "Nationalist war minister"), ("", "Head of state")]
    assert parsed["numeric-exact"].generalFeedback == "4 October 1957."  # type: ignore[attr-defined]
    assert parsed["single"].markup == "markdown"  # type: ignore[attr-defined]


def test_pygiftparser_reads_missing_word_and_escapes() -> None:
    parsed = _pygift(gift.export_bank(load_bank(SPECIAL)).data.decode("utf-8"))
    gap = parsed["gift-gap"]
    assert gap.tail == "in July 1960."  # type: ignore[attr-defined]
    assert gap.text == "Complete the sentence.\n\nThe report went to"  # type: ignore[attr-defined]
    choices = gap.answers.answers  # type: ignore[attr-defined]
    assert [(c.answer, c.fraction) for c in choices] == [("Mao Zedong", 100), ("Khrushchev", 0), ("Zhou Enlai", 0)]
    ratio = parsed["ratio"]
    # pygiftparser keeps GIFT escapes in the raw text and resolves them when rendering.
    from pygiftparser.utils import transformSpecials

    assert transformSpecials(ratio.text).startswith('Nie writes of **self-reliance**: which ratio = "2:1"?')  # type: ignore[attr-defined]
    first = ratio.answers.answers[0]  # type: ignore[attr-defined]
    assert transformSpecials(first.answer) == "2:1 ~ two to one" and first.fraction == 100


# --- Canvas QTI, compared with text2qti ---------------------------------------

TEXT2QTI_TYPES = (types.SingleChoice, types.MultipleAnswer, types.TrueFalse, types.ShortText, types.Numeric,
                  types.OpenResponse)


def text2qti_source(bank: model.Bank) -> str:
    """The same questions in text2qti's plain-text format."""
    lines = [f"Quiz title: {bank.title}", ""]
    for n, q in enumerate(bank.questions, 1):
        if not isinstance(q, TEXT2QTI_TYPES) or (isinstance(q, types.MultipleAnswer) and not any(
                c.correct for c in q.choices)):
            continue
        lines += [f"Points: {q.points:g}", f"{n}.  {q.prompt.strip()}"]
        if q.explanation:
            lines.append(f"... {q.explanation}")
        if isinstance(q, types.SingleChoice | types.TrueFalse):
            options = q.choices if isinstance(q, types.SingleChoice) else [
                model.Choice(text="True", correct=q.answer, feedback=q.feedback_true),
                model.Choice(text="False", correct=not q.answer, feedback=q.feedback_false)]
            for letter, c in zip("abcdefgh", options, strict=False):
                lines.append(f"{'*' if c.correct else ''}{letter}) {c.text}")
                if c.feedback:
                    lines.append(f"... {c.feedback}")
        elif isinstance(q, types.MultipleAnswer):
            for c in q.choices:
                lines.append(f"[{'*' if c.correct else ' '}] {c.text}")
                if c.feedback:
                    lines.append(f"... {c.feedback}")
        elif isinstance(q, types.ShortText):
            lines += [f"* {a}" for a in q.answers]
        elif isinstance(q, types.Numeric):
            if q.answer is None:
                lines.append(f"= [{q.low:g}, {q.high:g}]")
            elif q.tolerance:
                lines.append(f"= {q.answer:g} +- {q.tolerance:g}")
            else:
                lines.append(f"= {q.answer:g}")
        else:
            lines.append("____")
        lines.append("")
    return "\n".join(lines)


def _strip(tag: str) -> str:
    return tag.split("}")[-1]


def _items(zip_bytes: bytes) -> tuple[list[str], dict[str, ET.Element]]:
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes))
    names = archive.namelist()
    assessment = next(n for n in names if n.endswith(".xml") and "/" in n and not n.endswith("assessment_meta.xml"))
    root = ET.fromstring(archive.read(assessment))
    items = [e for e in root.iter() if _strip(e.tag) == "item"]
    return names, {str(i): item for i, item in enumerate(items)}


def _structure(item: ET.Element) -> dict[str, object]:
    """What Canvas reads from an item, with identifiers replaced by positions and numbers as numbers."""
    def field(label: str) -> str:
        for f in item.iter():
            if _strip(f.tag) == "qtimetadatafield" and f.findtext("{*}fieldlabel", f.findtext("fieldlabel")) == label:
                return f.findtext("{*}fieldentry", f.findtext("fieldentry")) or ""
        return ""

    labels = [e.get("ident") for e in item.iter() if _strip(e.tag) == "response_label"]
    feedback_ids = [e.get("ident") for e in item.iter() if _strip(e.tag) == "itemfeedback"]

    def name(ident: str | None) -> str:
        if ident in labels:
            return f"choice{labels.index(ident)}"
        if ident and ident.endswith("_fb") and ident[:-3] in labels:
            return f"choice{labels.index(ident[:-3])}_fb"
        if ident and (match := re.fullmatch(r"answer(\d+)_fb", ident)):  # ours: named by the choice's place
            return f"choice{match.group(1)}_fb"
        return ident or ""

    def value(text: str | None) -> object:
        try:
            return float(text or "")
        except ValueError:
            return name(text)

    def condition(element: ET.Element) -> object:
        tag = _strip(element.tag)
        if tag in ("varequal", "vargte", "varlte"):
            return (tag, value(element.text))
        return (tag, [condition(child) for child in element])

    responses = [(_strip(e.tag), e.get("rcardinality"), [(_strip(c.tag), c.get("fibtype")) for c in e])
                 for e in item.iter() if _strip(e.tag) in ("response_lid", "response_str")]
    processing = []
    for cond in (e for e in item.iter() if _strip(e.tag) == "respcondition"):
        processing.append((
            cond.get("continue"),
            [condition(c) for c in cond if _strip(c.tag) == "conditionvar"],
            [(c.get("action"), c.text) for c in cond if _strip(c.tag) == "setvar"],
            [name(c.get("linkrefid")) for c in cond if _strip(c.tag) == "displayfeedback"],
        ))
    return {
        "question_type": field("question_type"),
        "points_possible": float(field("points_possible")),
        "responses": responses,
        "labels": len(labels),
        "processing": processing,
        "feedback": sorted(name(i) for i in feedback_ids),
    }


def test_qti_items_match_what_text2qti_writes(tmp_path: Path) -> None:
    text2qti_quiz = pytest.importorskip("text2qti.quiz")
    text2qti_qti = pytest.importorskip("text2qti.qti")
    from text2qti.config import Config

    bank = load_bank(CONFORMANCE)
    theirs_quiz = text2qti_quiz.Quiz(text2qti_source(bank), config=Config())
    _, theirs = _items(text2qti_qti.QTI(theirs_quiz).zip_bytes())
    names, ours_all = _items(qti.export_bank(bank).data)
    compared = [q for q in bank.questions if isinstance(q, TEXT2QTI_TYPES) and q.id != "multiple-none-right"]
    ours_by_id = {item.get("ident"): item for item in ours_all.values()}
    assert len(theirs) == len(compared)
    for (_, their_item), q in zip(sorted(theirs.items(), key=lambda kv: int(kv[0])), compared, strict=True):
        assert _structure(ours_by_id[q.id]) == _structure(their_item), q.id
    assert "imsmanifest.xml" in names and any(n.endswith("/assessment_meta.xml") for n in names)


def test_qti_matching_blanks_and_ordering_as_matching() -> None:
    export = qti.export_bank(load_bank(CONFORMANCE))
    assert export.skipped == ("multiple-none-right",)  # Canvas would take its first choice as the right one
    _, items = _items(export.data)
    by_id = {item.get("ident"): _structure(item) for item in items.values()}
    ordering = by_id["ordering"]
    assert ordering["question_type"] == "matching_question"
    assert len(ordering["responses"]) == 4 and ordering["labels"] == 4 * 4  # type: ignore[arg-type]
    assert any("written as a matching question" in n.message for n in export.notes if n.question == "ordering")
    matching = by_id["matching"]
    assert matching["question_type"] == "matching_question"
    assert len(matching["responses"]) == 3 and matching["labels"] == 3 * 4  # type: ignore[arg-type]
    assert [p[2] for p in matching["processing"]][-3:] == [[("Add", "33.33")]] * 3  # type: ignore[index, attr-defined]
    blanks = by_id["blanks"]
    assert blanks["question_type"] == "fill_in_multiple_blanks_question"
    assert [p[2] for p in blanks["processing"]][-2:] == [[("Add", "50.00")]] * 2  # type: ignore[index, attr-defined]
    manifest = ET.fromstring(zipfile.ZipFile(io.BytesIO(export.data)).read("imsmanifest.xml"))
    hrefs = [e.get("href") for e in manifest.iter() if _strip(e.tag) == "file"]
    assert hrefs == ["sourcebook-grading-conformance/sourcebook-grading-conformance.xml",
                     "sourcebook-grading-conformance/assessment_meta.xml"]


def test_a_range_that_floats_cannot_halve_exactly_is_written_plainly() -> None:
    bank = load_bank(Path(__file__).parent / "examples" / "valid" / "every-type.yml")
    forty = bank.question("forty-years")
    assert isinstance(forty, types.Numeric)
    question = dataclasses.replace(forty, answer=None, tolerance=0.0, min=9.7, max=9.9)
    export = exporter("moodle")(dataclasses.replace(bank, questions=(question,)))
    element = ET.fromstring(export.data)
    assert (element.findtext(".//answer/text"), element.findtext(".//answer/tolerance")) == ("9.8", "0.1")


# --- what Canvas's own importer reads ---------------------------------------------------------
# Each rule below is how Canvas reads a QTI package (gems/plugins/qti_exporter/lib/qti/ of canvas-lms,
# after Instructure's QTIMigrationTool): associate_interaction.rb, extended_text_interaction.rb,
# choice_interaction.rb, assessment_item_converter.rb, html_helper.rb, quiz_metadata_converter.rb.


def _canvas(bank: model.Bank) -> tuple[Any, dict[str, ET.Element], ET.Element]:
    export = qti.export_bank(bank)
    archive = zipfile.ZipFile(io.BytesIO(export.data))
    _, items = _items(export.data)
    meta = next(n for n in archive.namelist() if n.endswith("assessment_meta.xml"))
    return export, {str(i.get("ident")): i for i in items.values()}, ET.fromstring(archive.read(meta))


def _all(element: ET.Element, tag: str) -> list[ET.Element]:
    return [e for e in element.iter() if _strip(e.tag) == tag]


def test_canvas_tells_a_matching_questions_options_apart_by_their_first_digits() -> None:
    # Canvas numbers an option by the first run of digits in its name: in "m1-order-m3" that was 1 for all.
    bank = load_bank(ROOT.parent / "questions" / "01-meeting-the-source.yml")
    _, items, _ = _canvas(bank)
    ordering = items["m1-order"]
    labels = [label.get("ident") or "" for label in _all(_all(ordering, "render_choice")[0], "response_label")]
    numbers = [int(re.search(r"\d+", label).group()) for label in labels]  # type: ignore[union-attr]
    assert numbers == list(range(1, len(labels) + 1))


def test_canvas_gets_no_wrong_short_answer_as_a_right_one() -> None:
    # Canvas takes every text a short answer's conditions compare with as a right answer.
    bank = load_bank(ROOT.parent / "questions" / "02-the-door-has-been-shut.yml")
    question = bank.question("m2-596")
    assert isinstance(question, types.ShortText) and question.wrong_answers
    export, items, _ = _canvas(bank)
    compared = {e.text for e in _all(items["m2-596"], "varequal")}
    assert compared == set(question.answers)
    assert any("wrong answers" in n.message and "left out" in n.message for n in export.notes
               if n.question == "m2-596")


def test_canvas_feedback_is_named_so_that_canvas_keeps_it_with_its_choice() -> None:
    # Canvas takes feedback named with "correct", "wrong", "general_" or "_all" as the question's own.
    bank = load_bank(READING)
    question = dataclasses.replace(bank.questions[0], id="correct-wrong_all")
    _, items, _ = _canvas(dataclasses.replace(bank, questions=(question,)))
    names = [f.get("ident") or "" for f in _all(items["correct-wrong_all"], "itemfeedback")]
    assert names == ["general_fb", "answer0_fb", "answer1_fb"]
    assert not [n for n in names[1:] if re.search(r"general_|_all|wrong|incorrect|correct|_IC$|_C$", n, re.I)]


def test_canvas_keeps_feedback_and_matching_items_as_html() -> None:
    # Without Canvas's own flavour, an element that is one run of text is taken as plain text, and
    # "&lt;" in it shows as written: each is wrapped in an element with an attribute the sanitiser keeps.
    _, items, _ = _canvas(load_bank(READING))
    feedback = [m.text for f in _all(items["looks-like-syntax"], "itemfeedback") for m in _all(f, "mattext")]
    assert feedback and all(text and text.startswith('<div dir="auto">') for text in feedback)
    assert '<div dir="auto"><p>arrow -&gt; here</p></div>' in feedback
    lefts = [r.find("{*}material/{*}mattext") for r in _all(items["pairs"], "response_lid")]
    assert [m.text for m in lefts if m is not None] == ['<div dir="auto">a -&gt; b</div>',
                                                        '<div dir="auto">&lt;i&gt;tag&lt;/i&gt;</div>']


def test_canvas_shuffles_no_choices_when_a_question_keeps_its_order() -> None:
    # Canvas shuffles the choices of a whole quiz or of none.
    bank = load_bank(SPECIAL)
    assert any(not getattr(q, "shuffle", True) for q in bank.questions)
    export, _, meta = _canvas(bank)
    assert meta.findtext("{*}shuffle_answers") == "false"
    assert any(n.question == "" and "keep their order" in n.message for n in export.notes)
    shuffled = [q for q in bank.questions if getattr(q, "shuffle", True)]
    _, _, meta = _canvas(dataclasses.replace(bank, questions=tuple(shuffled)))
    assert meta.findtext("{*}shuffle_answers") == "true"


def test_canvas_quiz_is_worth_what_its_questions_are_worth_essays_included() -> None:
    # Canvas gives an essay its points (a teacher grades it): the quiz's total is the sum of its items'.
    _, items, meta = _canvas(load_bank(CONFORMANCE))
    total = 0.0
    for item in items.values():
        for field in _all(item, "qtimetadatafield"):
            if field.findtext("{*}fieldlabel", field.findtext("fieldlabel")) == "points_possible":
                total += float(field.findtext("{*}fieldentry", field.findtext("fieldentry")) or 0)
    assert any(q.TYPE == "open" for q in load_bank(CONFORMANCE).questions)
    assert float(meta.findtext("{*}points_possible") or 0) == total
    assert float(meta.findtext("{*}assignment/{*}points_possible") or 0) == total


# --- what Moodle's own importers read as syntax -------------------------------------------
# Each rule below is how Moodle's importers read a file (question/format/xml/format.php,
# question/format/gift/format.php, question/format.php, question/type/ordering and multianswer,
# and the short-answer matcher); tests/export/moodle-reading.yml holds a question for each.


@pytest.fixture(scope="module")
def reading() -> model.Bank:
    return load_bank(READING)


def _gift_lines(bank: model.Bank) -> dict[str, tuple[str, str]]:
    """Each question's (comment line, question line) in the GIFT export."""
    out = {}
    for paragraph in gift.export_bank(bank).data.decode("utf-8").split("\n\n"):
        lines = paragraph.splitlines()
        if len(lines) == 2 and lines[1].startswith("::"):
            out[lines[1][2:].split("::", 1)[0]] = (lines[0], lines[1])
    return out


def test_a_slash_in_the_banks_title_stays_in_one_category(reading: model.Bank) -> None:
    # Moodle splits a category path at each "/" that is not part of "//".
    assert moodle.category_path("Cold War / science: a/b") == "$course$/Cold War // science: a//b"
    assert moodle.category_path("/start and end/") == "$course$/ //start and end// "
    xml = ET.fromstring(moodle.export_bank(reading).data)
    assert xml.findtext("question/category/text") == "$course$/Cold War // science: a//b"
    assert "\n$CATEGORY: $course$/Cold War // science: a//b\n" in gift.export_bank(reading).data.decode("utf-8")


def test_an_ordering_question_brings_no_hints_of_moodles_own(reading: model.Bank) -> None:
    # Without <shownumcorrect>, qtype_ordering reads a file as an old one and adds two hints: two more tries.
    order = ET.fromstring(moodle.export_bank(reading).data).find("question[@type='ordering']")
    assert order is not None
    assert order.findtext("shownumcorrect") == "0"
    assert [h.findtext("text") for h in order.findall("hint")] == ["<p>Think of the dates.</p>"]


def test_a_star_in_a_typed_answer_is_not_a_wildcard(reading: model.Bank) -> None:
    lines = _gift_lines(reading)
    assert "{=a\\\\*b =[markdown][html]z =%0%a\\\\*c#" in lines["star"][1]  # GIFT's \\ is one backslash
    assert lines["gap-at-the-end"][1].endswith("{=19\\\\*57}")
    xml = moodle.export_bank(reading).data.decode("utf-8")
    assert "{1:SHORTANSWER:=19&amp;#92;*57}" in xml  # the cloze gap's \* as an entity, which Moodle decodes


def test_gift_writes_the_id_skill_and_evidence_where_moodle_reads_them(reading: model.Bank) -> None:
    lines = _gift_lines(reading)
    assert lines["looks-like-syntax"][0] == \
        "// [id:looks-like-syntax] [tag:close reading] [tag:evidence:p1] [tag:evidence:p3]"
    assert lines["gap-at-the-end"][0] == "// [id:gap-at-the-end]"
    odd = dataclasses.replace(reading.questions[1], id="a]b", skill="x]  y")
    assert _gift_lines(dataclasses.replace(reading, questions=(odd,)))["a]b"][0] == "// [id:a\\]b] [tag:x\\] y]"
    notes = " ".join(n.message for n in gift.export_bank(reading).notes)
    assert "skill" not in notes and "evidence (" not in notes


def test_a_text_that_starts_as_a_format_name_keeps_it(reading: model.Bank) -> None:
    # Moodle's GIFT reader takes a leading [html], [plain], [markdown] or [moodle] of an answer,
    # its feedback or the explanation as the text's format: the block's own format goes first.
    line = _gift_lines(reading)["looks-like-syntax"][1]
    assert "{=[markdown][html]looks like a format#[markdown][markdown] feedback " in line
    assert "####[markdown][plain] explanation with &lt;br>}" in line
    assert gift.format_kept("[1957] is a year") == "[1957] is a year"  # Moodle reads no format there
    assert gift.format_kept("no bracket [html]") == "no bracket [html]"


def test_gift_markdown_shows_html_as_text_and_arrows_as_written(reading: model.Bank) -> None:
    # sourcebook shows HTML in Markdown as text; Moodle's Markdown keeps it as HTML. "->" only
    # makes a matching pair inside a block of "=" answers.
    line = _gift_lines(reading)["looks-like-syntax"][1]
    assert line.startswith("::looks-like-syntax::[markdown]Is &lt;b> a tag? See `x -> y` and "
                           "<https\\://example.org>; a -> b, and &lt;i>.{")
    assert "~a -> b &lt;i>#arrow -> here" in line
    assert "#close -&gt; but no}" in _gift_lines(reading)["star"][1]
    assert _gift_lines(reading)["pairs"][1].endswith("{=a -&gt; b -> one =&lt;i>tag&lt;/i> -> two}")
    assert gift.markdown_text("`a<b` and ``c -> <d>``") == "`a<b` and ``c -> <d>``"


def test_a_gap_that_ends_its_text_is_marked(reading: model.Bank) -> None:
    # Moodle's GIFT reader writes "_____" for the block only where text follows it.
    assert "The year was _____{=" in _gift_lines(reading)["gap-at-the-end"][1]


def test_a_drop_downs_choices_show_as_the_text_they_are(reading: model.Bank) -> None:
    # Moodle decodes a cloze code's entities once and keeps a drop-down's choices as HTML.
    xml = moodle.export_bank(reading).data.decode("utf-8")
    code = re.search(r"\{1:MULTICHOICE_S:[^}]*\}", html.unescape(xml))
    assert code is not None
    assert html.unescape(code.group(0)) == "{1:MULTICHOICE_S:=k&lt;l&gt;~%0%i&amp;j~%0%x}"


def test_texts_that_never_close_are_written_and_read_in_time(tmp_path: Path) -> None:
    # Runs of backticks that close nothing and "[tag:" that never end: each is read once, not once per place
    # it could start (a pattern that tried every start took minutes on these, holding the interpreter, so
    # they run in a process of their own that is stopped if it takes too long).
    path = tmp_path / "tags.gift"
    path.write_text("// " + "[tag:" * 400_000 + "\n// [tag:sourcing]\n::q::Was it signed?{T}\n", encoding="utf-8")
    script = textwrap.dedent("""
        import sys
        from sourcebook.export.gift import block_text
        from sourcebook.imports.gift import import_gift
        for text in ("`" * 200_000, "``" + "x`" * 100_000, "<" + "a@" * 100_000):
            written = block_text(text, pair=True)
            assert written.count("<") == 0 and len(written) >= len(text)
        print(import_gift(sys.argv[1]).questions[0].skill)
    """)
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "sourcing"


# --- marks that Moodle keeps ---------------------------------------------------------------


def _multiple(right: int, wrong: int = 2) -> types.MultipleAnswer:
    choices = tuple(model.Choice(text=f"right {i}", correct=True) for i in range(right))
    choices += tuple(model.Choice(text=f"wrong {i}") for i in range(wrong))
    return types.MultipleAnswer(id="many", prompt="Tick every right one.", choices=choices)


@pytest.mark.parametrize("right", [1, 3, 7, 10, 11, 12, 15, 19, 20])
def test_multiple_answer_grades_are_on_moodles_list_and_reach_100(right: int) -> None:
    from sourcebook.export import Notes

    notes = Notes()
    grades = moodle.multiple_answer_grades(_multiple(right), notes)
    assert grades is not None
    allowed = {round(100 * g, 5) for g in moodle.GRADE_OPTIONS} | {round(-100 * g, 5) for g in moodle.GRADE_OPTIONS}
    assert {round(g, 5) for g in grades} <= allowed
    assert abs(sum(g for g in grades if g > 0) - 100) < 1e-6
    # A note exactly where Moodle's marks differ from sourcebook's 1/r.
    assert bool(notes.items) is (round(1 / right, 7) not in moodle.GRADE_OPTIONS)


def test_more_than_twenty_right_choices_are_left_out_with_a_note() -> None:
    export = moodle.export_bank(model.Bank(title="t", questions=(_multiple(21),)))
    assert export.skipped == ("many",)


@pytest.mark.parametrize(("points", "gaps", "weight", "noted"), [(2, 2, 1, False), (4, 2, 2, False),
                                                                  (1, 5, 1, True), (3, 2, 1, True)])
def test_cloze_gaps_weigh_what_the_question_is_worth(points: float, gaps: int, weight: int, noted: bool) -> None:
    blanks = {f"g{i}": types.Blank(answers=("a",)) for i in range(gaps)}
    text = " ".join(f"[[g{i}]]" for i in range(gaps))
    q = types.Blanks(id="b", prompt="Fill.", points=points, text=text, blanks=blanks)
    export = moodle.export_bank(model.Bank(title="t", questions=(q,)))
    xml = export.data.decode("utf-8")
    assert xml.count(f"{{{weight}:SHORTANSWER:") == gaps
    assert any("sum of its gaps' weights" in n.message for n in export.notes) is noted


def test_canvas_attempts_agree_and_every_format_notes_the_banks_source() -> None:
    bank = load_bank(ROOT.parent / "questions" / "01-meeting-the-source.yml")
    export = qti.export_bank(bank)
    with zipfile.ZipFile(io.BytesIO(export.data)) as package:
        files = {name: package.read(name).decode("utf-8") for name in package.namelist()}
    assessment = next(text for name, text in files.items() if "cc_maxattempts" in text)
    meta = next(text for name, text in files.items() if name.endswith("assessment_meta.xml"))
    attempts = str(bank.defaults.attempts)
    assert f"<fieldentry>{attempts}</fieldentry>" in assessment
    assert f"<allowed_attempts>{attempts}</allowed_attempts>" in meta
    for fmt in (moodle, gift, qti):
        notes = [n.message for n in fmt.export_bank(bank).notes if not n.question]
        assert any("the bank's source" in message for message in notes), fmt.__name__


def test_moodle_writes_an_evidence_question_as_multiple_answer(moodle_questions: dict[str, ET.Element]) -> None:
    evidence = moodle_questions["evidence"]
    assert evidence.get("type") == "multichoice" and evidence.findtext("single") == "false"
    assert evidence.findtext("shuffleanswers") in ("0", "false")  # the source's order
    text = evidence.findtext("questiontext/text") or ""
    assert "Which paragraphs support the claim?" in text and "The writer asks for help." in text
    assert [a.findtext("text") for a in evidence.findall("answer")] == [
        "¶1 “We ask for your help with the new…”", "¶2 “The harvest was good this year.”",
        "¶3 “Again we ask that you send the instruments…”"]
    assert _fractions(evidence) == ["50", "-50", "50"]
    assert evidence.findtext("answer[2]/feedback/text") == "<p>It only reports.</p>"
    notes = [n.message for n in moodle.export_bank(load_bank(CONFORMANCE)).notes if n.question == "evidence"]
    assert any("no evidence question: written as a multiple-answer question" in n for n in notes)
