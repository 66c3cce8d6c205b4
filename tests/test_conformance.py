"""The grading rules as data: every case of tests/conformance must hold in Python.

The same vectors run against the site's JavaScript grader (tests/test_grading_js.py).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from sourcebook import load_bank
from sourcebook.grading import grade

HERE = Path(__file__).parent / "conformance"
BANK = load_bank(HERE / "bank.yml")
CASES = yaml.safe_load((HERE / "cases.yml").read_text(encoding="utf-8"))["cases"]


def same(expected: Any, got: Any) -> bool:
    if isinstance(got, tuple):
        got = list(got)
    numeric = (int, float)
    if isinstance(expected, numeric) and not isinstance(expected, bool) and isinstance(got, numeric):
        return not isinstance(got, bool) and math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-12)
    return bool(expected == got)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['question']}:{c['response']!r}")
def test_python_grader_meets_vector(case: dict[str, Any]) -> None:
    result = grade(BANK.question(case["question"]), case["response"])
    for key, expected in case["expect"].items():
        assert same(expected, getattr(result, key)), f"{key}: expected {expected!r}, got {getattr(result, key)!r}"


def test_every_question_type_has_vectors() -> None:
    covered = {BANK.question(c["question"]).TYPE for c in CASES}
    from sourcebook.types import registry

    assert covered == set(registry())


ORDERS = yaml.safe_load((HERE / "order.yml").read_text(encoding="utf-8"))["orders"]


@pytest.mark.parametrize("case", ORDERS, ids=lambda c: f"{c['seed']!r}:{c['sizes']}")
def test_python_order_meets_vector(case: dict[str, Any]) -> None:
    from sourcebook.selection import SeededRandom, mix

    rng = SeededRandom(case["seed"])
    assert [mix(range(size), rng) for size in case["sizes"]] == case["orders"]


NUMBERS = yaml.safe_load((HERE / "numbers.yml").read_text(encoding="utf-8"))["numbers"]


@pytest.mark.parametrize("case", NUMBERS, ids=lambda c: f"{c['value']!r}:{c.get('places')}")
def test_python_number_formatter_meets_vector(case: dict[str, Any]) -> None:
    from sourcebook.formatting import format_number

    assert format_number(float(case["value"]), case.get("places")) == case["text"]


ANSWERS = yaml.safe_load((HERE / "numbers.yml").read_text(encoding="utf-8"))["answers"]


@pytest.mark.parametrize("case", ANSWERS, ids=lambda c: c["text"])
def test_the_revealed_number_is_written_in_full_and_accepted(case: dict[str, Any]) -> None:
    from sourcebook.grading import correct_response
    from sourcebook.types import Numeric

    question = Numeric(id="n", prompt="?", answer=case.get("answer"), tolerance=case.get("tolerance", 0),
                       min=case.get("min"), max=case.get("max"))
    assert correct_response(question) == case["text"]
    assert grade(question, correct_response(question)).correct
