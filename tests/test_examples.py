"""Example banks drive the loader's tests (as in check-jsonschema).

Every file in ``examples/valid`` must load with no problem at all. Every file
in ``examples/invalid`` starts with ``# expect: severity[code] line:col``
lines, and checking it must give exactly those problems, no more, no fewer.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sourcebook import BankError, load_bank, read_bank

EXAMPLES = Path(__file__).parent / "examples"
VALID = sorted((EXAMPLES / "valid").glob("*.yml"))
INVALID = sorted((EXAMPLES / "invalid").glob("*.yml"))
EXPECT = re.compile(r"^# expect: (\w+)\[([\w-]+)\] (\d+):(\d+)$", re.MULTILINE)
#: Files that cannot carry a comment.
EXPECT_WITHOUT_HEADER = {"empty.yml": [("error", "empty", 1, 1)]}


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_example_loads_without_problems(path: Path) -> None:
    loaded = read_bank(path)
    assert loaded.problems == []
    assert loaded.value.questions


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_example_gives_exactly_the_expected_problems(path: Path) -> None:
    expected = EXPECT_WITHOUT_HEADER.get(path.name) or [
        (severity, code, int(line), int(col))
        for severity, code, line, col in EXPECT.findall(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert expected, f"{path.name} names no expected problem"
    loaded = read_bank(path)
    got = [(p.severity, p.code, p.line, p.column) for p in loaded.problems]
    assert sorted(got) == sorted(expected), "\n".join(str(p) for p in loaded.problems)
    for p in loaded.problems:
        assert p.path == str(path)
        assert p.message and "Traceback" not in p.message
    has_errors = any(s == "error" for s, *_ in expected)
    assert loaded.ok is not has_errors
    if has_errors:
        with pytest.raises(BankError) as info:
            load_bank(path)
        assert f"{path}:{expected[0][2]}:" in str(info.value) or str(path) in str(info.value)


def test_every_invalid_example_is_about_a_different_problem() -> None:
    codes = {code for path in INVALID for _, code, _, _ in EXPECT.findall(path.read_text(errors="replace"))}
    # The examples cover the checker's whole vocabulary of errors teachers meet.
    for code in ["yaml-syntax", "tab", "tag", "alias", "duplicate-key", "unknown-key", "unknown-type",
                 "wrong-type", "missing-key", "duplicate-id", "no-correct", "several-correct",
                 "unknown-anchor", "few-choices", "duplicate-choice", "no-feedback", "source-missing",
                 "unknown-blank", "unused-blank", "bad-value", "full-width-comma", "full-width-colon",
                 "curly-quotes", "comment-in-text", "placeholder", "math"]:
        assert code in codes, code


def test_the_busy_teachers_bank_names_every_mistake_with_its_fix_in_one_run() -> None:
    """`every-mistake.yml` once needed six runs; now one names each mistake, at its line, with the fix."""
    problems = read_bank(EXAMPLES / "invalid" / "every-mistake.yml").problems
    messages = "\n".join(str(p) for p in problems)
    for fix in ["did you mean `single`?", "write `true`", "did you mean `feedback`?", "paragraph `p99`",
                "the id `author` is already used", "did you mean `open`?", "did you mean `choices`?",
                "did you mean `blanks`?", "the gap [[author]]", "“July” of blank `month`", "the blank `autor`",
                "write an ASCII comma", "drop the comma, `1390`", "right-hand item of two pairs",
                "example text that `sourcebook new` wrote"]:
        assert fix in messages, fix
    assert len(problems) == len({(p.line, p.code) for p in problems})  # each mistake once
