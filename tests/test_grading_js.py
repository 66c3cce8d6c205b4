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

HERE = Path(__file__).parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def test_javascript_grader_meets_every_vector(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        if IN_CI:
            pytest.fail("node is not installed; the JavaScript grader must be tested in CI")
        pytest.skip("node is not installed")
    bank = load_bank(HERE / "conformance" / "bank.yml")
    cases = yaml.safe_load((HERE / "conformance" / "cases.yml").read_text(encoding="utf-8"))["cases"]
    vectors = tmp_path / "vectors.json"
    vectors.write_text(json.dumps({"questions": to_data(bank.questions), "cases": cases}), encoding="utf-8")
    run = subprocess.run([node, "--test", str(HERE / "js" / "grading.test.js")],
                         env={**os.environ, "SOURCEBOOK_VECTORS": str(vectors)},
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    # Guard against a runner that silently ran nothing.
    assert f"# pass {len(cases) + 1}" in run.stdout, run.stdout[-2000:]
