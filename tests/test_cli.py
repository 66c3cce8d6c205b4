"""The `sourcebook` command line: check's output, exit codes and JSON, schema, shipped banks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from sourcebook import read_bank
from sourcebook.cli import main
from sourcebook.schema import bank_schema, dumps, source_schema

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = Path(__file__).parent / "examples"


def test_check_clean_bank_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLES / "valid" / "every-type.yml")]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "0 errors, 0 warnings" in err


def test_check_prints_one_line_per_problem_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / "invalid" / "unknown-key.yml"
    assert main(["check", str(path)]) == 1
    out, _ = capsys.readouterr()
    assert out.splitlines() == [
        f"{path}:11:9: error[unknown-key]: unknown key `feedbak` in item 1 of `choices` of question `q1`; "
        "did you mean `feedback`? valid keys: text, correct, feedback"
    ]


def test_warnings_alone_pass_unless_strict(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(EXAMPLES / "invalid" / "warnings.yml")
    assert main(["check", path]) == 0
    assert main(["check", "--strict", path]) == 1
    out, _ = capsys.readouterr()
    assert "warning[unknown-anchor]" in out


def test_json_format_lists_the_same_problems(capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / "invalid" / "numeric-range.yml"
    assert main(["check", "--format", "json", str(path)]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert [(p["line"], p["column"], p["severity"], p["code"]) for p in problems] == [
        (11, 10, "error", "bad-value"), (18, 10, "error", "bad-value"), (21, 5, "error", "missing-key")]
    assert all(p["path"] == str(path) and p["message"] for p in problems)


def test_check_a_folder_finds_banks_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLES / "valid"), str(EXAMPLES / "sources")]) == 0
    assert main(["check", str(EXAMPLES / "invalid")]) == 1
    out = capsys.readouterr().out
    assert "alias-bomb.yml:5:8: error[alias]" in out and "tab.yml:5:1: error[tab]" in out


def test_check_names_the_math_of_a_page_at_its_line_and_leaves_money_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "index.md"
    page.write_text("---\nmodule: 1\n---\n# Aid\n\nLoans of $2 billion and $3 million.\n\n"
                    "Growth of $r$ a year, or {math}`r`.\n\n```{math}\nx\n```\n", encoding="utf-8")
    assert main(["check", str(page)]) == 1
    out = capsys.readouterr().out
    assert f"{page}:8:11: error[math]: the page holds TeX math `$r$`" in out
    assert f"{page}:8:26: error[math]: the page holds the math role `r`" in out
    assert f"{page}:10:1: error[math]: the page holds the math directive `x`" in out
    assert "$2 billion" not in out and "write it in words" in out


def test_check_names_the_quizzes_of_a_page_the_build_could_not_make(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "questions").mkdir()
    shutil.copytree(EXAMPLES / "sources", tmp_path / "sources")
    shutil.copy2(EXAMPLES / "valid" / "every-type.yml", tmp_path / "questions" / "every-type.yml")
    (tmp_path / "questions" / "broken.yml").write_text("title: t\nquestions:\n  - id: q1\n    type: singel\n",
                                                        encoding="utf-8")
    module = tmp_path / "modules" / "01-one"
    module.mkdir(parents=True)
    page = module / "index.md"
    page.write_text("---\nmodule: 1\n---\n# One\n\n```{quiz} /questions/every-tipe.yml\n```\n\n"
                    "```{quiz} /questions/every-type.yml\n:count: 50\n```\n\n"
                    "```{quiz} /questions/every-type.yml\n:ids: adressee\n```\n\n"
                    "```{quiz} /questions/broken.yml\n```\n\n"
                    "```{quiz} /questions/every-type.yml\n:count: 2\n```\n", encoding="utf-8")
    assert main(["check", str(tmp_path / "modules"), str(tmp_path / "questions")]) == 1
    out = capsys.readouterr().out
    assert f"{page}:6:1: error[bank-missing]: the quiz's bank /questions/every-tipe.yml does not exist" in out
    assert "did you mean `every-type.yml`?" in out
    assert f"{page}:9:1: error[quiz-option]: `count` is 50, but the bank has only" in out
    assert f"{page}:13:1: error[quiz-option]: no question with id `adressee`; did you mean `addressee`?" in out
    # The broken bank's problems are named at the bank, not again at its quiz; the last quiz is sound.
    assert f"{tmp_path / 'questions' / 'broken.yml'}:4:11: error[unknown-type]" in out
    assert f"{page}:17:" not in out and f"{page}:20:" not in out
    # Options the directive does not take, and a page that cannot be read.
    # Every one of them, not only the first.
    page.write_text("---\nmodule: 1\n---\n# One\n\n```{quiz} /questions/every-type.yml\n:shufle:\n```\n\n"
                    "```{quiz} /questions/every-type.yml\n:count: three\n```\n\n"
                    "```{quiz} /questions/every-tipe.yml\n```\n", encoding="utf-8")
    other = module / "other.md"
    other.write_text("---\nmodule: [1\n---\n# Other\n", encoding="utf-8")
    assert main(["check", str(tmp_path / "modules")]) == 1
    out = capsys.readouterr().out
    assert f"{page}:6:1: error[quiz-option]: the quiz has unknown options: shufle; it takes " in out
    assert f"{page}:10:1: error[quiz-option]: " in out and "'three'" in out
    assert f"{page}:14:1: error[bank-missing]: " in out
    assert f"{other}:3:1: error[front-matter]: the front matter is not valid YAML: " in out
    assert len(out.splitlines()) == 4
    # A quiz whose closing fence was left out: the page's text after it is inside it, up to the next fence.
    page.write_text("---\nmodule: 1\n---\n# One\n\n```{quiz} /questions/every-type.yml\n:count: 2\n\n"
                    "## Answering the central question\n\nText.\n\n```{note}\nx\n```\n", encoding="utf-8")
    other.unlink()
    assert main(["check", str(tmp_path / "modules")]) == 1
    assert capsys.readouterr().out.startswith(
        f"{page}:6:1: error[quiz-body]: the {{quiz}} directive takes no text, but 4 lines of text, from `## Answering "
        "the central question` on, are inside it and would not show: is its closing ``` missing? Put it on the line "
        "after the directive (and its options)\n")
    # A source directive the build could not make: its source is not there, or has no such paragraph.
    (tmp_path / "sources" / "s.yml").write_text((EXAMPLES / "sources" / "report.yml").read_text(
        encoding="utf-8"), encoding="utf-8")
    page.write_text("---\nmodule: 1\n---\n# One\n\n```{source-card} /sources/nowhere.yml\n```\n\n"
                    "```{source-excerpt} /sources/s.yml\n:paragraphs: p1, p99\n```\n", encoding="utf-8")
    assert main(["check", str(tmp_path / "modules")]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{page}:6:1: error[source-missing]: the source-card's source /sources/nowhere.yml "
                             "does not exist")
    assert lines[1].startswith(f"{page}:9:1: error[source-option]: the source ")
    assert "has no paragraph 'p99'" in lines[1]


def test_console_script_runs_and_checks_what_the_project_ships() -> None:
    """`sourcebook check` with no path checks questions/, modules/ and sources/: all must be clean."""
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    run = subprocess.run([sys.executable, "-m", "sourcebook.cli", "check", "--strict"], cwd=ROOT,
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == ""


def test_every_shipped_bank_points_editors_at_the_schema() -> None:
    banks = sorted((ROOT / "questions").glob("*.yml"))
    for bank in banks:
        first = bank.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/question-bank.schema.json", bank


def test_committed_schemas_match_the_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert (ROOT / "schema" / "question-bank.schema.json").read_text(encoding="utf-8") == dumps(bank_schema())
    assert (ROOT / "schema" / "source.schema.json").read_text(encoding="utf-8") == dumps(source_schema())
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == bank_schema()


def test_schema_accepts_valid_examples_and_flags_typical_mistakes() -> None:
    schema = bank_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((EXAMPLES / "valid").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        assert not list(validator.iter_errors(data)), path
    for name in ["unknown-key.yml", "unknown-type.yml", "wrong-types.yml", "missing-keys.yml"]:
        data = yaml.safe_load((EXAMPLES / "invalid" / name).read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)), name


@pytest.mark.parametrize("name,path,words", [
    ("unknown-key.yml", ["questions", 0, "choices", 0], "'feedbak' was unexpected"),
    ("unknown-type.yml", ["questions", 0, "type"], "'multiple-choice' is not one of"),
])
def test_schema_names_the_real_problem_of_a_question_once(name: str, path: list[object], words: str) -> None:
    """The question's `type` selects its schema, so an editor shows one targeted message, not one per type."""
    validator = jsonschema.Draft202012Validator(bank_schema())
    data = yaml.safe_load((EXAMPLES / "invalid" / name).read_text(encoding="utf-8"))
    [error] = validator.iter_errors(data)
    assert list(error.absolute_path) == path
    assert words in error.message


def test_schema_and_loader_agree_on_yaml_1_1_booleans(tmp_path: Path) -> None:
    """`correct: yes` is text to YAML 1.2, to editors and to the schema; the loader refuses it too."""
    validator = jsonschema.Draft202012Validator(bank_schema())
    data = yaml.safe_load((EXAMPLES / "invalid" / "unknown-key.yml").read_text(encoding="utf-8"))
    data["questions"][0]["choices"][0] = {"text": "Nie Rongzhen", "correct": "yes", "feedback": "He signed it."}
    [error] = validator.iter_errors(data)
    assert list(error.absolute_path) == ["questions", 0, "choices", 0, "correct"]
    bank = tmp_path / "bank.yml"
    bank.write_text("title: t\nquestions:\n  - id: q\n    type: true-false\n    prompt: p\n    answer: yes\n")
    [problem] = [p for p in read_bank(bank).problems if p.severity == "error"]
    assert (problem.code, problem.line, problem.column) == ("wrong-type", 6, 13)
    assert "write `true`" in problem.message


def test_source_schema_accepts_the_shipped_source() -> None:
    validator = jsonschema.Draft202012Validator(source_schema())
    for path in sorted((ROOT / "sources").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["date"] = data["date"].isoformat()
        assert not list(validator.iter_errors(data)), path
