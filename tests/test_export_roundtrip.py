"""Export then import gives back the same questions, in Moodle XML and in GIFT.

Markdown fields are compared as the HTML they render to (an importer turns
HTML back into Markdown, so `*a*` and `_a_` are the same text). What a format
cannot hold is exactly what its export notes name; those fields are left out
of the comparison here, and the tests below check that each of them has a note.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sourcebook import load_bank, model, types
from sourcebook.export import Notes, as_written, ordering_as_matching
from sourcebook.export import gift as gift_export
from sourcebook.export import moodle as moodle_export
from sourcebook.imports import write_bank
from sourcebook.imports.gift import import_gift
from sourcebook.imports.moodle import import_moodle
from sourcebook.markdown import render
from sourcebook.types import GAP_PATTERN

ROOT = Path(__file__).parent
BANKS = [ROOT / "conformance" / "bank.yml", ROOT / "examples" / "valid" / "every-type.yml",
         ROOT / "export" / "special.yml", ROOT / "examples" / "hostile" / "exports" / "meaning.yml",
         ROOT / "export" / "moodle-reading.yml"]
#: Fields GIFT has no place for (each gets a note when set; see test_gift_notes_name_every_lost_field).
GIFT_LOST = {"attempts", "points", "hints", "unit", "case_sensitive", "model_answer", "rubric", "shuffle"}


def comparable(q: model.Question, drop: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    """A question as data to compare: Markdown as HTML, ranges as low/high, gaps numbered in order."""
    data = model.to_data(q)
    if isinstance(q, types.Numeric):
        for key in ("answer", "tolerance", "min", "max"):
            data.pop(key)
        data["low"], data["high"] = q.low, q.high
    if isinstance(q, types.Blanks):
        names = [m.group(1) for m in GAP_PATTERN.finditer(q.text)]
        numbered = {name: f"gap{i}" for i, name in enumerate(names, 1)}
        data["text"] = GAP_PATTERN.sub(lambda m: f"[[{numbered[m.group(1)]}]]", q.text)
        data["blanks"] = {numbered[n]: model.to_data(q.blanks[n]) for n in names}
        if "case_sensitive" in drop:
            for blank in data["blanks"].values():
                blank.pop("case_sensitive")
    for key in drop | {"attempts"}:
        data.pop(key, None)
    return _rendered(data)


def _rendered(value: Any) -> Any:
    if isinstance(value, str):
        return render(value)
    if isinstance(value, list):
        return [_rendered(v) for v in value]
    if isinstance(value, dict):
        return {k: _rendered(v) for k, v in value.items()}
    return value


def _roundtrip(bank_path: Path, tmp_path: Path, fmt: str) -> tuple[model.Bank, model.Bank, Any]:
    bank = load_bank(bank_path)
    export = (moodle_export if fmt == "moodle" else gift_export).export_bank(bank)
    exported = tmp_path / f"bank{export.suffix}"
    exported.write_bytes(export.data)
    imported = import_moodle(exported) if fmt == "moodle" else import_gift(exported)
    # Through the bank file too: what `sourcebook import` writes must load and check cleanly.
    (tmp_path / "questions").mkdir()
    written = tmp_path / "questions" / "imported.yml"
    write_bank(imported, written, origin=exported.name)
    assert written.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    return bank, load_bank(written), export


@pytest.mark.parametrize("bank_path", BANKS, ids=lambda p: p.parent.name + "/" + p.name)
def test_moodle_roundtrip_gives_back_every_question(bank_path: Path, tmp_path: Path) -> None:
    bank, back, export = _roundtrip(bank_path, tmp_path, "moodle")
    assert back.title == " ".join(bank.title.split())  # the category named after the bank, a / in it too
    # The description, which Moodle keeps as the category's info, comes back (as the HTML it renders to).
    assert render(back.description) == render(bank.description)
    # An evidence question is written as multiple answer (with a note), and read back so.
    expected = [as_written(bank, q, Notes(), "Moodle XML") for q in bank.questions if q.id not in export.skipped]
    assert [q.id for q in back.questions] == [q.id for q in expected]
    for original, imported in zip(expected, back.questions, strict=True):
        assert type(imported) is type(original)
        assert comparable(imported) == comparable(original), original.id


@pytest.mark.parametrize("bank_path", BANKS, ids=lambda p: p.parent.name + "/" + p.name)
def test_gift_roundtrip_gives_back_every_question_gift_can_hold(bank_path: Path, tmp_path: Path) -> None:
    bank, back, export = _roundtrip(bank_path, tmp_path, "gift")
    assert back.title == " ".join(bank.title.split())
    expected = [as_gift_writes_it(bank, q) for q in bank.questions if q.id not in export.skipped]
    assert [q.id for q in back.questions] == [q.id for q in expected]
    for original, imported in zip(expected, back.questions, strict=True):
        assert type(imported) is type(original)
        assert comparable(imported, GIFT_LOST) == comparable(original, GIFT_LOST), original.id


def as_gift_writes_it(bank: model.Bank, q: model.Question) -> model.Question:
    """The question GIFT holds: an ordering question is written as a matching one, an evidence question as
    multiple answer."""
    written = as_written(bank, q, Notes(), "GIFT")
    assert written is not None
    return ordering_as_matching(written, Notes(), "GIFT") if isinstance(written, types.Ordering) else written


def test_roundtrips_cover_every_type_both_formats_support(tmp_path: Path) -> None:
    every = {kind.model for kind in types.registry().values()}
    assert {type(q) for path in BANKS for q in load_bank(path).questions} == every
    gift_types = set()
    for path in BANKS:
        bank = load_bank(path)
        export = gift_export.export_bank(bank)
        gift_types |= {type(as_gift_writes_it(bank, q)) for q in bank.questions if q.id not in export.skipped}
    assert gift_types == every - {types.Ordering, types.Evidence}


def test_moodle_only_skips_what_it_cannot_grade() -> None:
    export = moodle_export.export_bank(load_bank(BANKS[0]))
    assert export.skipped == ("multiple-none-right",)


def test_gift_writes_ordering_as_matching_and_skips_several_gaps_with_notes() -> None:
    export = gift_export.export_bank(load_bank(BANKS[0]))
    assert set(export.skipped) == {"multiple-none-right", "blanks"}
    skipped = {n.question: n.message for n in export.notes if n.skipped}
    assert "one gap" in skipped["blanks"]
    changed = " ".join(n.message for n in export.notes if n.question == "ordering")
    assert "GIFT has no ordering question: written as a matching question" in changed
    text = export.data.decode("utf-8")
    assert "::ordering::" in text and "=First -> 1 (first) =Second -> 2 =Third -> 3 =Fourth -> 4 (last)" in text


def test_gift_notes_name_every_lost_field() -> None:
    bank = load_bank(BANKS[2])
    export = gift_export.export_bank(bank)
    notes: dict[str, str] = {}
    for note in export.notes:
        notes[note.question] = notes.get(note.question, "") + note.message
    # The skill and the evidence anchors are kept, as tags (see test_gift_keeps_the_id_and_tags_as_moodle_reads_them).
    assert "2 hints" in notes["ratio"] and "skill" not in notes["ratio"]
    assert "points (3" in notes["choices-fixed"] and "shuffle: false" in notes["choices-fixed"]
    conformance = gift_export.export_bank(load_bank(BANKS[0]))
    lost = {n.question: n.message for n in conformance.notes if "case" in n.message}
    assert set(lost) == {"short-case", "short-case-letters"}
    assert any("unit 'experts'" in n.message for n in conformance.notes if n.question == "numeric-tolerance")
    assert any("model answer" in n.message for n in conformance.notes if n.question == "open")
    assert any(n.question == "" and "attempts" in n.message for n in conformance.notes)


def test_moodle_notes_the_range_and_the_gap_names() -> None:
    export = moodle_export.export_bank(load_bank(BANKS[0]))
    notes = {n.question: n.message for n in export.notes if "range" in n.message or "gaps" in n.message}
    assert "9.75 ± 0.25" in notes["numeric-range"]
    assert "year, whom" in notes["blanks"]


# --- files Moodle itself writes (tests/examples/moodle-written/) -------------------------------------------------

WRITTEN = ROOT / "examples" / "moodle-written"


def _imported(name: str) -> Any:
    return (import_moodle if name.endswith(".xml") else import_gift)(WRITTEN / name)


def test_a_cloze_question_moodle_wrote_is_worth_its_gaps_weights() -> None:
    question = _imported("cloze-without-a-mark.xml").questions[0]
    assert isinstance(question, types.Blanks) and question.points == 4


def test_markdown_and_plain_text_moodle_wrote_keep_what_they_show() -> None:
    markdown = _imported("markdown-text.xml").questions[0]
    assert markdown.prompt == "See <https://example.org> and **this**; is &lt;b> a tag?"
    plain = _imported("plain-text.xml").questions[0]
    assert render(plain.prompt) == "<p>Is x &lt;y&gt; z? Compare a&lt;b and c&gt;d.</p>"


@pytest.mark.parametrize("name", ["escaped-tag.xml", "escaped-tag.gift"])
def test_a_tag_moodle_wrote_escaped_is_read_as_the_text_it_is(name: str) -> None:
    assert _imported(name).questions[0].skill == "cause & effect"


def test_an_ordering_question_moodle_wrote_in_gift_is_read() -> None:
    imported = _imported("ordering.gift")
    chronology, other = imported.questions
    assert isinstance(chronology, types.Ordering)
    assert (chronology.prompt, chronology.items, chronology.skill) == (
        "Put these in order.", ("First", "Second", "Third"), "contextualization")
    assert isinstance(other, types.TrueFalse) and other.answer is True
    assert imported.title == "Demo"


def test_a_right_choice_moodle_wrote_with_a_percent_keeps_its_text() -> None:
    question = _imported("right-choice-with-percent.gift").questions[0]
    assert isinstance(question, types.SingleChoice)
    assert [(c.text, c.correct) for c in question.choices] == [("%50% off", True), ("full price", False)]


@pytest.mark.parametrize("fmt", ["moodle", "gift"])
def test_a_course_bank_citing_documents_comes_back_as_a_bank_that_loads(fmt: str, tmp_path: Path) -> None:
    # No Moodle file lists the documents the evidence cites: the bank read back names them in a warning to
    # act on, not an error that stops it loading.
    bank, back, _ = _roundtrip(ROOT.parent / "questions" / "02-the-door-has-been-shut.yml", tmp_path, fmt)
    cited = {q.id: q.evidence for q in bank.questions if any("#" in e for e in q.evidence)}
    assert cited and {q.id: q.evidence for q in back.questions if q.id in cited} == cited
