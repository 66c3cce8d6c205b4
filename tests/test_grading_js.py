"""The conformance vectors against the site's JavaScript grader (static/grading.js).

Runs tests/js/grading.test.js with Node's built-in test runner. Without Node
the test skips on a workstation and fails in CI, where .ci/run installs it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from sourcebook import load_bank
from sourcebook.model import to_data
from sourcebook.sphinx.assets import write_static
from sourcebook.types import registry

HERE = Path(__file__).parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


SOURCE = HERE.parent / "src" / "sourcebook" / "static" / "grading.js"


@pytest.mark.parametrize("served", [False, True], ids=["as-written", "minified"])
def test_javascript_grader_meets_every_vector(tmp_path: Path, served: bool) -> None:
    node = shutil.which("node")
    if node is None:
        if IN_CI:
            pytest.fail("node is not installed; the JavaScript grader must be tested in CI")
        pytest.skip("node is not installed")
    bank = load_bank(HERE / "conformance" / "bank.yml")
    cases = yaml.safe_load((HERE / "conformance" / "cases.yml").read_text(encoding="utf-8"))["cases"]
    vectors = tmp_path / "vectors.json"
    orders = yaml.safe_load((HERE / "conformance" / "order.yml").read_text(encoding="utf-8"))["orders"]
    formats = yaml.safe_load((HERE / "conformance" / "numbers.yml").read_text(encoding="utf-8"))
    numbers = [{**n, "value": float(n["value"])} for n in formats["numbers"]]
    answers = formats["answers"]
    vectors.write_text(json.dumps({"questions": to_data(bank.questions), "cases": cases, "orders": orders,
                                   "numbers": numbers, "answers": answers}), encoding="utf-8")
    static = SOURCE.parent
    if served:  # what the site serves: the type scripts of the registry, minified
        static = write_static(tmp_path / "static")
        assert len((static / "grading.js").read_bytes()) < 0.8 * len(SOURCE.read_bytes())
        assert {p.stem for p in (static / "types").iterdir()} == set(registry())
    helpers = {name: list(kind.script_helpers) for name, kind in registry().items()}
    run = subprocess.run([node, "--test", str(HERE / "js" / "grading.test.js")],
                         env={**os.environ, "SOURCEBOOK_VECTORS": str(vectors), "SOURCEBOOK_STATIC": str(static),
                              "SOURCEBOOK_HELPERS": json.dumps(helpers)},
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    # Guard against a runner that silently ran nothing.
    expected = len(cases) + len(orders) + len(numbers) + len(answers) + 1 + len(helpers)
    assert f"# pass {expected}" in run.stdout, run.stdout[-2000:]
