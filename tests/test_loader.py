"""The loader on hostile and broken input, and what a good bank turns into.

Each broken file must give a clear problem with its line, quickly, and never
a traceback, a hang, a crash of the YAML library or silently lost content.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from sourcebook import BankError, load_bank, loader, model, read_bank, types
from sourcebook.loader import MAX_BYTES, MAX_DEPTH

EXAMPLES = Path(__file__).parent / "examples"
GOOD_QUESTION = (
    "  - id: q{i}\n    type: true-false\n    skill: sourcing\n"
    "    prompt: Statement {i}.\n    answer: true\n    explanation: Because.\n"
)


def problems_of(tmp_path: Path, data: bytes | str) -> list[tuple[str, str, int, int]]:
    path = tmp_path / "bank.yml"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    loaded = read_bank(path)
    return [(p.severity, p.code, p.line, p.column) for p in loaded.problems]


def test_bytes_that_are_not_utf8_are_located(tmp_path: Path) -> None:
    data = "title: Caf\u00e9\nquestions:\n  - id: q\n    prompt: na\u00efve\n".encode("latin-1")
    assert problems_of(tmp_path, data) == [("error", "encoding", 1, 11)]


def test_utf16_is_refused_with_advice(tmp_path: Path) -> None:
    data = "title: x\n".encode("utf-16")
    [(severity, code, _, _)] = problems_of(tmp_path, data)
    assert (severity, code) == ("error", "encoding")


def test_nul_byte_is_a_syntax_error_with_its_place(tmp_path: Path) -> None:
    [(severity, code, line, _)] = problems_of(tmp_path, b"title: a\x00b\nquestions: []\n")
    assert (severity, code, line) == ("error", "yaml-syntax", 1)


def test_file_larger_than_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yml"
    with path.open("wb") as out:
        out.truncate(MAX_BYTES + 1)  # a sparse file: refused by its size alone
    [problem] = read_bank(path).problems
    assert problem.code == "too-large" and "split it" in problem.message


def test_tens_of_megabytes_of_text_are_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "big.yml"
    path.write_text("title: big\nquestions:\n" + GOOD_QUESTION.format(i=0) * 300_000)
    assert path.stat().st_size > 30_000_000
    [problem] = read_bank(path).problems
    assert problem.code == "too-large"


@pytest.mark.parametrize("opener,closer,line", [("[", "]", 2), ("{a: ", "}", 2), ("- ", "", 3)])
def test_very_deep_nesting_is_refused_without_crashing(tmp_path: Path, opener: str, closer: str, line: int) -> None:
    depth = 200_000
    if opener == "- ":
        text = "title: deep\nquestions:\n" + "- " * depth + "x\n"
    else:
        text = "title: deep\nquestions: " + opener * depth + closer * depth + "\n"
    # In a child process, so that a crash of the YAML library would fail the test, not kill pytest.
    path = tmp_path / "deep.yml"
    path.write_text(text)
    code = (
        "import sys; from sourcebook import read_bank; "
        f"p = read_bank({str(path)!r}).problems; print(p[0].code, p[0].line); sys.exit(0)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["too-deep", str(line)]


def test_nesting_at_the_limit_is_fine_for_yaml_but_reported_as_a_type_problem(tmp_path: Path) -> None:
    text = "title: t\nquestions:\n  - id: q\n    type: true-false\n    skill: sourcing\n    answer: true\n" \
           "    explanation: e\n    prompt: " + "[" * (MAX_DEPTH - 3) + "]" * (MAX_DEPTH - 3) + "\n"
    codes = [code for _, code, _, _ in problems_of(tmp_path, text)]
    assert codes == ["wrong-type"]


def test_a_large_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, 30):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    text = "title: bomb\n" + "\n".join(lines) + "\nquestions: *a29\n"
    assert problems_of(tmp_path, text)[0][:2] == ("error", "alias")


def test_a_python_tag_is_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "constructed"
    text = (
        "title: t\nquestions:\n  - id: q\n    type: true-false\n    answer: true\n"
        f"    prompt: !!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path [{str(marker)!r}]]\n"
    )
    assert [c for _, c, _, _ in problems_of(tmp_path, text)] == ["tag", "tag"]
    assert not marker.exists()


def test_byte_order_mark_is_accepted() -> None:
    bank = load_bank(EXAMPLES / "valid" / "byte-order-mark.yml")
    assert bank.title.startswith("Saved by Notepad")


def test_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    [problem] = read_bank(tmp_path / "nope.yml").problems
    assert problem.code == "not-found" and "did you mean" not in problem.message
    # A misspelt name is named with the file beside it.
    (tmp_path / "01-meeting-the-source.yml").write_text("title: t\n", encoding="utf-8")
    [problem] = read_bank(tmp_path / "01-meeting-the-sourse.yml").problems
    assert problem.message.endswith("; did you mean `01-meeting-the-source.yml`?")
    [problem] = read_bank(tmp_path / "no-folder" / "bank.yml").problems
    assert problem.code == "not-found" and "did you mean" not in problem.message


def test_a_misspelt_source_or_picture_is_named_with_the_file_beside_it(tmp_path: Path) -> None:
    (tmp_path / "questions").mkdir()
    shutil.copytree(EXAMPLES / "sources", tmp_path / "sources")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    bank = tmp_path / "questions" / "bank.yml"
    bank.write_text("title: t\nsource: ../sources/reprot.yml\nquestions:\n  - id: q1\n    type: true-false\n"
                    "    skill: sourcing\n    prompt: \"![A map of the sites](../images/mpa.png)\"\n"
                    "    answer: true\n    explanation: e\n", encoding="utf-8")
    found = {p.code: p.message for p in read_bank(bank).problems}
    assert found["source-missing"].endswith("; did you mean `report.yml`?")
    assert "(looked for " in found["image-missing"] and "; did you mean `map.png`?" in found["image-missing"]


def test_a_folder_given_as_a_bank_is_a_problem(tmp_path: Path) -> None:
    [problem] = read_bank(tmp_path).problems
    assert problem.severity == "error"


def test_every_problem_of_a_bank_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        "title: many\nquestions:\n"
        "  - {id: a, type: single, skill: sourcing, prompt: p, choices: [{text: x, corect: true}]}\n"
        "  - {id: b, type: numeric, skill: sourcing, prompt: p, answer: ten, explanation: e}\n"
        "  - {id: b, type: true-false, skill: sourcing, prompt: p, answer: true, explanation: e}\n"
        "  - {id: b, type: true-false, skill: sourcing, prompt: p, answer: true, explanation: e}\n"
    )
    codes = [code for _, code, _, _ in problems_of(tmp_path, text)]
    # The second `b` is a duplicate even though the first has an error of its own.
    assert codes == ["unknown-key", "wrong-type", "duplicate-id", "duplicate-id"]


def test_a_good_bank_becomes_the_model(tmp_path: Path) -> None:
    bank = load_bank(EXAMPLES / "valid" / "every-type.yml")
    assert [q.TYPE for q in bank.questions] == list(types.registry())
    first = bank.questions[0]
    assert isinstance(first, types.SingleChoice)
    assert first.choices[0].correct and first.choices[0].feedback == "The salutation names them."
    assert first.attempts == 2 and first.points == 1.0 and first.evidence == ("salutation",)
    assert bank.source_document is not None
    assert bank.source_document.paragraph("p7").number == 7
    multiple = bank.question("soviet-tactics")
    assert multiple.points == 2.0
    numeric = bank.question("forty-years")
    assert isinstance(numeric, types.Numeric) and (numeric.low, numeric.high) == (40, 40)
    blanks = bank.question("dates")
    assert isinstance(blanks, types.Blanks) and blanks.blanks["year"].choices == ("1960", "1976", "1996")


def test_defaults_apply_unless_a_question_sets_its_own(tmp_path: Path) -> None:
    path = tmp_path / "bank.yml"
    path.write_text(
        "title: t\ndefaults: {points: 3, attempts: 1, skill: corroboration, shuffle: false}\nquestions:\n"
        + GOOD_QUESTION.format(i=1)
        + "  - {id: own, type: true-false, prompt: p, answer: false, explanation: e, points: 5, skill: sourcing}\n"
    )
    first, own = load_bank(path).questions
    assert (first.points, first.attempts, first.skill, first.shuffle) == (3, 1, "sourcing", False)
    assert (own.points, own.attempts, own.skill) == (5, 1, "sourcing")


def test_plain_scalars_stay_text_where_text_is_expected() -> None:
    bank = load_bank(EXAMPLES / "valid" / "lenient-scalars.yml")
    question = bank.questions[0]
    assert isinstance(question, types.SingleChoice)
    assert bank.title == "1960" and question.id == "1957"
    assert [c.text for c in question.choices] == ["1957", "1960", "1964"]
    assert question.choices[1].feedback == "no"
    assert question.hints == ("Subtract forty from the year of the report... roughly.",)


@pytest.mark.parametrize(("question", "code"), [
    ("{id: q, type: single, prompt: p, choices: [{text: a, correct: true}]}", "too-few-choices"),
    ("{id: q, type: ordering, prompt: p, items: [a]}", "too-few-items"),
    ("{id: q, type: matching, prompt: p, pairs: [{left: a, right: b}]}", "too-few-pairs"),
    ("{id: q, type: blanks, prompt: p, text: '[[a]] and [[a]]', blanks: {a: {answers: [x]}}}", "duplicate-gap"),
])
def test_each_error_code_names_one_problem(tmp_path: Path, question: str, code: str) -> None:
    found = problems_of(tmp_path, f"title: t\nquestions:\n  - {question}\n")
    assert [c for severity, c, _, _ in found if severity == "error"] == [code]


def test_a_source_without_paragraphs_is_not_a_bank_without_questions(tmp_path: Path) -> None:
    from sourcebook.loader import read_source

    path = tmp_path / "source.yml"
    path.write_text("id: s\ntitle: t\nauthor: a\ndate: 1960-07-03\nparagraphs: []\n", encoding="utf-8")
    assert [p.code for p in read_source(path).problems] == ["no-paragraphs"]


def test_math_in_a_sources_markdown_is_refused_at_it_and_its_verbatim_text_is_left_as_written(
        tmp_path: Path) -> None:
    from sourcebook.loader import read_source

    path = tmp_path / "source.yml"
    path.write_text("id: s\ntitle: t\nauthor: a\ndate: 1960-07-03\n"
                    "summary: A report on growth at a rate of $r$ a year.\n"
                    "rights: Bought for $5 and $10, money not math.\n"
                    "paragraphs:\n  - id: p1\n    text: The plan cost $2 billion, or $x$ as the clerk wrote.\n",
                    encoding="utf-8")
    [problem] = read_source(path).problems
    assert (problem.code, problem.line, problem.column) == ("math", 5, 42)
    assert "`$r$`" in problem.message and "write it in words" in problem.message


def test_evidence_resolves_in_the_source_and_in_the_banks_further_documents() -> None:
    bank = load_bank(EXAMPLES / "valid" / "documents.yml")
    assert [d.id for d in bank.document_sources] == ["letter-1959"]
    found = bank.cite("letter-1959#summary")
    assert found is not None
    card, section = found.source, found.paragraph
    assert card.card and section.heading == "What it says, in summary"
    label = "A correspondent, 20 June 1959 (date uncertain): What it says, in summary"
    assert model.evidence_label(card, section) == label
    p1 = bank.cite("p1")
    assert p1 is not None and p1.source is bank.source_document and p1.label == "¶1"
    for nowhere in ("p99", "letter-1959#p1", "other#summary", "#summary", "summary"):
        assert bank.cite(nowhere) is None, nowhere


def test_evidence_written_as_one_text_says_to_write_a_list(tmp_path: Path) -> None:
    text = (EXAMPLES / "valid" / "documents.yml").read_text(encoding="utf-8")
    shutil.copytree(EXAMPLES / "sources", tmp_path / "sources")
    path = tmp_path / "questions" / "bank.yml"
    path.parent.mkdir()
    path.write_text(text.replace("evidence: [p1, letter-1959#summary]", "evidence: p1, letter-1959#summary"),
                    encoding="utf-8")
    [found] = read_bank(path).problems
    assert (found.code, found.severity, found.line, found.column) == ("text-not-list", "warning", 11, 15)
    assert "is one text, 'p1, letter-1959#summary', not a list of paragraphs: write `[p1, letter-1959#summary]`" \
        in found.message
    # A list with an anchor that is not there is still named with the nearest one.
    path.write_text(text.replace("evidence: [p1, letter-1959#summary]", "evidence: [p11, p1]"), encoding="utf-8")
    [found] = read_bank(path).problems
    assert found.code == "unknown-anchor" and "did you mean" in found.message


def test_a_bad_document_reference_is_an_error_at_its_line_and_column() -> None:
    with pytest.raises(BankError) as info:
        load_bank(EXAMPLES / "invalid" / "unknown-document.yml")
    message = str(info.value)
    assert "unknown-document.yml:14:20: error[unknown-document]" in message
    assert "did you mean `letter-1959`?" in message
    assert "unknown-document.yml:14:41: error[unknown-anchor]" in message and "did you mean `summary`?" in message


def problem_of(tmp_path: Path, text: str, code: str) -> Any:
    """The one problem with ``code`` that reading ``text`` as a bank gives."""
    path = tmp_path / "bank.yml"
    path.write_text(text, encoding="utf-8")
    found = [p for p in read_bank(path).problems if p.code == code]
    assert len(found) == 1, read_bank(path).problems
    return found[0]


QUESTION = "title: t\nquestions:\n  - id: q1\n    type: {type}\n    skill: sourcing\n    prompt: p\n{rest}"


@pytest.mark.parametrize("written,meant", [
    ("essay", "open"), ("fill-in-the-blanks", "blanks"), ("Fill in the blanks", "blanks"),
    ("multichoice", "single"), ("shortanswer", "short"), ("numerical", "numeric"), ("truefalse", "true-false"),
    ("essay_question", "open"), ("multiple_answers_question", "multiple"), ("fill_in_multiple_blanks_question",
                                                                            "blanks"),
    ("Checkboxes", "multiple"), ("Paragraph", "open"), ("Short answer", "short"), ("cloze", "blanks"),
    ("match", "matching"), ("singel", "single"), ("ｓｉｎｇｌｅ", "single"),
])
def test_question_types_of_other_quiz_tools_suggest_ours(tmp_path: Path, written: str, meant: str) -> None:
    problem = problem_of(tmp_path, QUESTION.format(type=f"'{written}'", rest=""), "unknown-type")
    assert f"did you mean `{meant}`?" in problem.message
    assert (problem.line, problem.column) == (4, 11)


@pytest.mark.parametrize("type_,key,meant", [
    ("single", "options", "choices"), ("single", "question", "prompt"), ("single", "general_feedback",
                                                                          "explanation"),
    ("ordering", "options", "items"), ("single", "answers", "choices"), ("true-false", "answers", "answer"),
    ("open", "sample_answer", "model_answer"), ("single", "marks", "points"), ("single", "Tags", "skill"),
    ("short", "Case-Sensitive", "case_sensitive"), ("single", "ｃｈｏｉｃｅｓ", "choices"),
    ("single", "\u3000explanation", "explanation"),
])
def test_keys_of_other_quiz_formats_suggest_ours(tmp_path: Path, type_: str, key: str, meant: str) -> None:
    problem = problem_of(tmp_path, QUESTION.format(type=type_, rest=f"    {key}: x\n"), "unknown-key")
    assert f"did you mean `{meant}`?" in problem.message
    assert (problem.line, problem.column) == (7, 5)


def test_a_key_suggested_for_a_misspelt_one_is_not_also_reported_missing(tmp_path: Path) -> None:
    text = QUESTION.format(type="single", rest="    options:\n      - {text: a, correct: true}\n")
    path = tmp_path / "bank.yml"
    path.write_text(text, encoding="utf-8")
    errors = [p for p in read_bank(path).problems if p.severity == "error"]
    assert [p.code for p in errors] == ["unknown-key"]


@pytest.mark.parametrize("written,fix", [
    ("1,390", "drop the comma, `1390`"), ("12,000,000", "drop the comma, `12000000`"),
    ("3,5", "write a decimal point, `3.5`"), ("1_000", "drop the underscores, `1000`"),
    ("45%", 'write `45`, and `unit: "%"` to show the sign after the box'),
    ('"1960"', "write `1960` without quotes (in quotes it is text)"),
    ("'9.5'", "write `9.5` without quotes"),
    ("１９６０", "write `1960` in ASCII digits (full-width digits, as Chinese input types them, are text)"),
    ("９．５", "write `9.5` in ASCII digits"),
])
def test_a_number_written_as_text_says_how_to_write_it(tmp_path: Path, written: str, fix: str) -> None:
    problem = problem_of(tmp_path, QUESTION.format(type="numeric", rest=f"    answer: {written}\n"), "wrong-type")
    assert fix in problem.message and (problem.line, problem.column) == (7, 13)


@pytest.mark.parametrize("kind,rest,code,fix", [
    # A mapping where a list of items belongs: its first entry written as the list's first item.
    ("matching", "    pairs:\n      Nie: Vice Premier\n      Zhou: Premier\n", "wrong-type",
     "write each as an item: `- left: Nie`, then `right: Vice Premier` on the next line, lined up with `left`"),
    ("single", "    choices:\n      Nie: true\n      Mao: false\n", "wrong-type",
     "write each as an item: `- text: Nie`, then `correct: true` on the next line, lined up with `text`"),
    # A gap's answer written as the gap.
    ("blanks", "    text: In [[year]].\n    blanks:\n      year: 1960\n", "wrong-type",
     "put it under `answers`, `{answers: [1960]}`"),
    # A gap written with other brackets.
    ("blanks", "    text: Dated [year].\n    blanks:\n      year: {answers: ['1960']}\n", "unused-blank",
     "the text has `[year]`: write it `[[year]]`, with two square brackets on each side"),
    ("blanks", "    text: Dated {{year}}.\n    blanks:\n      year: {answers: ['1960']}\n", "unused-blank",
     "the text has `{{year}}`: write it `[[year]]`"),
    # Another tool's word for a key: what ours holds says how to write it.
    ("ordering", "    items: [Sputnik, Report]\n    correct_order: [1, 0]\n", "unknown-key",
     "did you mean `items`? (`items`: the items in the RIGHT order; students see them shuffled)"),
])
def test_a_shape_other_tools_use_is_told_how_to_write_it_here(tmp_path: Path, kind: str, rest: str, code: str,
                                                              fix: str) -> None:
    assert fix in problem_of(tmp_path, QUESTION.format(type=kind, rest=rest), code).message


@pytest.mark.parametrize("value,message", [
    ("*Who* wrote the report?", "a value that starts with `*` is read by YAML as an alias (a reference to an "
     "&anchor), not Markdown emphasis: put the whole value in quotes, `prompt: \"*Who* wrote the report?\"`"),
    ('> "Central Committee": who is the Chairman?', "a value that starts with `>` is read by YAML as the start of "
     "a folded block, whose text goes on the lines below: put the whole value in quotes, "
     "`prompt: '> \"Central Committee\": who is the Chairman?'`"),
    ("`Nie` is the author. Is that right?", "a value that starts with a backquote is read by YAML as a character "
     'reserved by YAML, which no plain value may start with: put the whole value in quotes, `prompt: "`Nie` is '
     'the author. Is that right?"`'),
    ("% of the experts left by September?", "starts with `%` is read by YAML as a directive"),
    ("@Nie wrote it", "starts with `@` is read by YAML as a character reserved by YAML"),
    ("| one", "starts with `|` is read by YAML as the start of a literal block"),
])
def test_a_value_that_starts_with_yaml_syntax_is_told_to_be_quoted(tmp_path: Path, value: str, message: str) -> None:
    """Markdown starts text with `*`, `>` or a backquote, where YAML reads syntax: named at that character, with
    the value in quotes as the fix."""
    found = problem_of(tmp_path, QUESTION.format(type="true-false", rest="    answer: true\n").replace(
        "prompt: p", f"prompt: {value}"), "yaml-syntax")
    assert (found.line, found.column) == (6, 13) and message in found.message
    # A list's item, and a block's own indicator with its text below, which is no mistake.
    item = problem_of(tmp_path, QUESTION.format(type="short", rest="    answers:\n      - *Nie*\n"), "yaml-syntax")
    assert (item.line, item.column) == (8, 9) and item.message.endswith('quotes, `- "*Nie*"`')
    path = tmp_path / "bank.yml"
    path.write_text(QUESTION.format(type="true-false", rest="    answer: true\n    explanation: >-\n      *Why*: "
                                    "it is signed.\n"), encoding="utf-8")
    assert read_bank(path).problems == []


def test_a_hash_in_plain_text_is_said_to_cut_it(tmp_path: Path) -> None:
    """YAML ends a plain value at a space and `#`: `Question #1 asks...` is read as `Question`. Text cut at a
    `#` and a word or number is an error; a comment in the usual form after Markdown text, a warning; a comment
    after an id, a skill or a number, or after a quoted text, nothing."""
    path = tmp_path / "bank.yml"
    path.write_text(
        "title: t  # the bank's title\nquestions:\n  - id: q1   # the first\n    type: single\n"
        "    skill: sourcing  # main skill\n    prompt: Question #1 asks who wrote the report\n"
        "    hints:\n      - See paragraph #8, the signature.\n      - Look at the end # really\n"
        "    choices:\n      - text: Nie\n        correct: true\n        feedback: \"Right, #8.\" # said\n"
        "      - text: Mao # no\n      - text: Zhou\n    explanation: Nie signed it.\n    points: 2 # two\n",
        encoding="utf-8")
    loaded = read_bank(path)
    found = [(p.severity, p.line, p.column) for p in loaded.problems if p.code == "comment-in-text"]
    assert found == [("error", 6, 22), ("error", 8, 23), ("warning", 9, 25), ("warning", 14, 19)]
    (first,) = [p for p in loaded.problems if p.line == 6]
    assert first.message == (
        "`prompt` of question `q1` is read as 'Question': YAML reads a space then `#` as the start of a comment, "
        "so `#1 asks who wrote the report` is left out; if it is part of the text, put the whole value in quotes "
        "(or write it as a block after `>-`)")
    assert next(p for p in loaded.problems if p.line == 9).message.endswith(
        "; if it is a comment, put it on a line of its own")
    path.write_text(path.read_text(encoding="utf-8").replace("Question #1 asks who wrote the report",
                                                             '"Question #1 asks who wrote the report"'))
    assert all(p.line != 6 for p in read_bank(path).problems)  # in quotes it is text


def test_a_whole_number_in_quotes_is_told_without_quotes_only_when_it_is_whole(tmp_path: Path) -> None:
    quoted = problem_of(tmp_path, QUESTION.format(type="numeric", rest='    answer: 1960\n    attempts: "2"\n'),
                        "wrong-type")
    assert quoted.message.endswith(": write `2` without quotes (in quotes it is text)")
    halves = problem_of(tmp_path, QUESTION.format(type="numeric", rest='    answer: 1960\n    attempts: "2.5"\n'),
                        "wrong-type")
    assert "without quotes" not in halves.message  # without them it would still not be a whole number


def test_a_tolerance_in_percent_says_to_write_the_amount(tmp_path: Path) -> None:
    found = problem_of(tmp_path, QUESTION.format(type="numeric", rest="    answer: 1390\n    tolerance: 5%\n"),
                       "wrong-type")
    assert (found.line, found.column) == (8, 16)
    assert "write the amount itself, in the answer's units (5% of the answer, worked out)" in found.message


@pytest.mark.parametrize("written,value", [("1e3", 1000.0), ("0x10", 16), (".5", 0.5), ("-2", -2)])
def test_numbers_are_read_as_yaml_1_2_and_the_schema_read_them(tmp_path: Path, written: str, value: float) -> None:
    path = tmp_path / "bank.yml"
    path.write_text(QUESTION.format(type="numeric", rest=f"    answer: {written}\n    explanation: e\n"))
    loaded = read_bank(path)
    assert loaded.problems == [] and loaded.value.questions[0].answer == value


@pytest.mark.parametrize("written", ["yes", "no", "on", "Off", "y"])
def test_yaml_1_1_booleans_are_refused_with_the_word_to_write(tmp_path: Path, written: str) -> None:
    problem = problem_of(tmp_path, QUESTION.format(type="true-false", rest=f"    answer: {written}\n"),
                         "wrong-type")
    meant = "true" if written.lower() in ("yes", "on", "y") else "false"
    assert f"write `{meant}`" in problem.message


@pytest.mark.parametrize("written", ['"true"', "'False'", '" true"'])
def test_a_quoted_boolean_is_refused_with_the_word_to_write_without_quotes(tmp_path: Path, written: str) -> None:
    problem = problem_of(tmp_path, QUESTION.format(type="true-false", rest=f"    answer: {written}\n"),
                         "wrong-type")
    meant = "false" if "alse" in written else "true"
    assert f"write `{meant}` without quotes" in problem.message


def test_choices_written_as_plain_text_say_how_to_write_a_choice(tmp_path: Path) -> None:
    text = QUESTION.format(type="single", rest="    choices:\n      - Nie Rongzhen\n      - Zhou Enlai\n")
    path = tmp_path / "bank.yml"
    path.write_text(text, encoding="utf-8")
    found = [p for p in read_bank(path).problems if p.code == "wrong-type"]
    assert [(p.line, p.column) for p in found] == [(8, 9), (9, 9)]
    assert "write `- text: Nie Rongzhen`, with `correct: true` under the right one" in found[0].message
    assert "write `- text: Zhou Enlai`" in found[1].message


def test_answers_written_as_one_text_with_commas_are_flagged_as_one_answer(tmp_path: Path) -> None:
    found = problem_of(tmp_path, QUESTION.format(type="short", rest="    answers: Nie, Nie Rongzhen\n"
                                                 "    explanation: e\n"), "text-not-list")
    assert (found.severity, found.line, found.column) == ("warning", 7, 14)
    assert "it is one answer" in found.message and "`[Nie, Nie Rongzhen]`" in found.message
    # A gap's answers, and its drop-down's choices.
    blanks = ("    text: Written to [[who]].\n    explanation: e\n    blanks:\n      who:\n"
              "        answers: Mao, Mao Zedong\n        choices: Mao, Mao Zedong, Zhou\n")
    path = tmp_path / "blanks.yml"
    path.write_text(QUESTION.format(type="blanks", rest=blanks), encoding="utf-8")
    assert [(p.code, p.line) for p in read_bank(path).problems if p.severity == "warning"] == [
        ("text-not-list", 11), ("text-not-list", 12)]
    # A list, a quoted text, or one answer without a comma is what the teacher meant.
    for written in ("[Nie, Nie Rongzhen]", '"Nie, Rongzhen"', "Nie Rongzhen"):
        path.write_text(QUESTION.format(type="short", rest=f"    answers: {written}\n    explanation: e\n"),
                        encoding="utf-8")
        assert read_bank(path).problems == [], written


def test_items_and_gaps_in_the_wrong_shape_say_which_shape_to_write(tmp_path: Path) -> None:
    ordering = problem_of(tmp_path, QUESTION.format(type="ordering", rest="    items: The report, The recall\n"),
                          "too-few-items")
    assert "`The report, The recall` is one item, not a list" in ordering.message
    gap = problem_of(tmp_path, QUESTION.format(type="blanks", rest="    text: To [[who]].\n    blanks:\n"
                                               "      who: [Mao, Mao Zedong]\n"), "wrong-type")
    assert (gap.line, gap.column) == (9, 12)
    assert "put the list under `answers`, `{answers: [Mao, Mao Zedong]}`" in gap.message


def test_yaml_1_1_booleans_stay_text_where_text_is_expected(tmp_path: Path) -> None:
    path = tmp_path / "bank.yml"
    path.write_text(QUESTION.format(type="true-false", rest="    answer: true\n    explanation: no\n"))
    assert read_bank(path).value.questions[0].explanation == "no"


def test_full_width_punctuation_is_named_with_its_fix(tmp_path: Path) -> None:
    comma = problem_of(tmp_path, QUESTION.format(type="short", rest="    answers: [Nie，聂荣臻]\n"),
                       "full-width-comma")
    assert (comma.severity, comma.line, comma.column) == ("warning", 7, 18)
    assert "ASCII comma" in comma.message
    quoted = QUESTION.format(type="short", rest="    answers: ['Nie，聂荣臻']\n    explanation: e\n")
    path = tmp_path / "quoted.yml"
    path.write_text(quoted, encoding="utf-8")
    assert read_bank(path).problems == []  # quoted: the comma belongs to the answer
    colon = problem_of(tmp_path, "title: t\nquestions:\n  - id：q1\n", "full-width-colon")
    assert (colon.line, colon.column) == (3, 7) and "`id: `" in colon.message
    flow = problem_of(tmp_path, "title: t\nquestions:\n  - {id: q1, prompt: a， type: single}\n", "full-width-comma")
    assert flow.severity == "error" and (flow.line, flow.column) == (3, 23)


#: Both of PyYAML's parsers: the loader takes libyaml's where PyYAML has it, else PyYAML's own.
PARSERS = [pytest.param(getattr(yaml, "CSafeLoader", yaml.SafeLoader), id="libyaml"),
           pytest.param(yaml.SafeLoader, id="python")]


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize(("text", "place", "fix"), [
    # The quote opens on line 3; YAML notices only at the end of the file.
    ('title: t\nquestions:\n  - prompt: "Nie writes\n    type: open\n  - id: q2\n', (3, 13),
     'End the value with " (a " inside it is written \\")'),
    ("title: t\nquestions:\n  - prompt: 'It is Nie\n    type: open\n", (3, 13),
     "End the value with ' (a ' inside it is written '')"),
    # ... or at the next document.
    ('title: "t\n---\nquestions: []\n', (1, 8), 'End the value with "'),
    ('title: t\nquestions:\n  - source: "C:\\data\\nie.yml"\n', (3, 16),
     "the one here, `\\d`, does not make a whole escape: write each backslash as `\\\\`, or put the value in single"),
    # `\U` starts an escape of eight hexadecimal digits, which `\Users` does not give.
    ('title: t\nquestions:\n  - source: "C:\\Users\\nie.yml"\n', (3, 16), "the one here, `\\U`"),
    ('title: "a \\x4g"\n', (1, 11), "the one here, `\\x`"),
    # YAML notices on the next line, which it reads as more of the same text.
    ("title: t\nquestions:\n  - id: q1\n    prompt:Who wrote it?\n    type: open\n", (4, 11),
     "`prompt:Who` has no space after the colon, so YAML does not read `prompt` as a key: write `prompt: Who`"),
    ("title:Probe\nquestions: []\n", (1, 6), "write `title: Probe`"),
    # A key whose colon was left out: its line and YAML's (the next) read as one text.
    ("title: t\nquestions:\n  - id: q1\n    type: true-false\n    prompt Is it true?\n    answer: true\n", (5, 11),
     "`prompt Is it true?` has no colon after `prompt`, so YAML does not read it as a key: write "
     "`prompt: Is it true?`"),
    ("title: t\nquestions:\n  - id:q1\n    type: open\n", (3, 7), "write `id: q1`"),
    # A choice without its dash, in line with the dashes of the others.
    ("title: t\nquestions:\n  - id: q1\n    choices:\n      - text: a\n        correct: true\n"
     "      text: b\n", (7, 7), "write `- ` in front of it to start a new item"),
    # A key indented less than the other keys of its item, but more than the item's dash.
    ("title: t\nquestions:\n  - id: q1\n    type: open\n   prompt: x\n", (5, 4),
     "`prompt` is indented 3 spaces, but the keys of the list item that starts at line 3 are indented 4 (`id`)"),
    ("title: t\nquestions:\n  - id: q1\n    choices:\n      - text: a\n       correct: true\n", (6, 8),
     "line `correct` up with `text`"),
    # A dash with no space after it is part of the key's name.
    ("title: t\nquestions:\n  -id: q1\n    type: open\n", (3, 3), "write `- id:`"),
    # A key indented deeper than the one above is read as more of its text.
    ("title: t\nquestions:\n  - id: q1\n    prompt: Who wrote it?\n      skill: sourcing\n", (5, 7),
     "indented deeper than `prompt` at line 4"),
    ("title: t\nquestions:\n  - id: q1\n    choices:\n      - text: Nie\n\n          feedback: Yes.\n", (7, 11),
     "if `feedback` is a key of its own, indent it as far as `text`"),
])
def test_a_syntax_slip_is_named_where_it_was_made_with_its_fix(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parser: Any, text: str, place: tuple[int, int],
        fix: str) -> None:
    monkeypatch.setattr(loader, "_Parser", parser)
    found = problem_of(tmp_path, text, "yaml-syntax")
    assert (found.line, found.column) == place, found
    assert fix in found.message, found.message


@pytest.mark.parametrize(("text", "place"), [
    ("title: t\nquestions:\n  - id: q1\n    prompt: Yes: he did.\n", (4, 16)),
    # A key's sibling with a colon in its value is not indented deeper than the key after a `- `.
    ("title: t\nquestions:\n  - id: q1\n    choices:\n      - text: a\n        feedback: Yes: he did.\n", (6, 22)),
    # Text that goes on, deeper, with a colon in it.
    ("title: t\nquestions:\n  - id: q1\n    prompt: Nie writes\n      the following: he asks\n", (5, 20)),
])
def test_a_colon_in_a_value_is_still_named_as_such(tmp_path: Path, text: str, place: tuple[int, int]) -> None:
    found = problem_of(tmp_path, text, "yaml-syntax")
    assert (found.line, found.column) == place
    assert "put the whole value in quotes" in found.message
    assert "space after the colon" not in found.message and "indented deeper" not in found.message


@pytest.mark.parametrize("parser", PARSERS)
def test_banks_broken_at_random_give_problems_at_real_places_never_a_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parser: Any) -> None:
    """The example banks with a few characters put in or taken out where a typing slip would: whatever
    YAML makes of them, the syntax problem's place and fix are worked out without an exception."""
    monkeypatch.setattr(loader, "_Parser", parser)
    slips = ['"', "'", ":", ": ", " ", "  ", "-", "\\", "\\U", "\t", "\n", "[", "{", "|", "#", "x:y", "---\n"]
    texts = [path.read_text(encoding="utf-8") for path in sorted((EXAMPLES / "valid").glob("*.yml"))]
    chance = random.Random(7)
    path = tmp_path / "bank.yml"
    for _ in range(400):
        text = chance.choice(texts)
        for _ in range(chance.randint(1, 3)):
            at = chance.randrange(len(text) + 1)
            text = (text[:at] + chance.choice(slips) + text[at:] if chance.random() < 0.5
                    else text[:at] + text[at + chance.randint(1, 3):])
        path.write_text(text, encoding="utf-8")
        for problem in read_bank(path).problems:
            assert 1 <= problem.line <= text.count("\n") + 1 and problem.column >= 1, (problem, text)
            assert problem.message, (problem, text)


def test_a_question_without_a_type_is_still_checked_as_the_type_its_keys_fit(tmp_path: Path) -> None:
    text = ("title: t\nquestions:\n  - id: q1\n    skill: sourcing\n    prompt: p\n"
            "    pairs:\n      - {left: a, rihgt: b}\n")
    path = tmp_path / "bank.yml"
    path.write_text(text, encoding="utf-8")
    problems = read_bank(path).problems
    # `right` is not reported missing as well: the misspelt key's message names it.
    assert [(p.code, p.line) for p in problems] == [("missing-key", 3), ("no-feedback", 3), ("unknown-key", 7)]
    assert "its keys fit `type: matching`" in problems[0].message
    assert "did you mean `right`?" in problems[2].message


def test_a_question_of_no_type_at_all_still_has_its_keys_checked(tmp_path: Path) -> None:
    path = tmp_path / "bank.yml"
    path.write_text("title: t\nquestions:\n  - id: q1\n    type: quiz\n    promt: p\n", encoding="utf-8")
    problems = read_bank(path).problems
    assert [(p.code, p.line) for p in problems] == [("unknown-type", 4), ("unknown-key", 5)]
    assert "did you mean `prompt`?" in problems[1].message


def test_a_bank_with_an_error_of_its_own_still_has_its_questions_checked(tmp_path: Path) -> None:
    path = tmp_path / "bank.yml"
    path.write_text("version: one\nquestions:\n" + GOOD_QUESTION.format(i=1) + GOOD_QUESTION.format(i=1),
                    encoding="utf-8")
    problems = read_bank(path).problems
    assert [p.code for p in problems] == ["missing-key", "wrong-type", "duplicate-id"]
    assert not read_bank(path).ok
