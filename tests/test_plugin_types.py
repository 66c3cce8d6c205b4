"""A question type from another package, found through the entry point group ``sourcebook.question_types``.

The package (``tests/examples/plugin/sourcebook_year``) is one Python module
and one script. The test installs it as pip would (a ``.dist-info`` folder
with its ``entry_points.txt`` on the path) in a fresh interpreter, then uses a
bank with a ``year`` question through every output: checks, grading, the
site's markup and scripts, the worksheet, the notebook quiz and the exports.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sourcebook import types
from sourcebook.types.single import QUESTION_TYPE as SINGLE

HERE = Path(__file__).parent
PLUGIN = HERE / "examples" / "plugin"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

BANK = """\
title: Years
questions:
  - id: launch
    type: year
    skill: contextualization
    prompt: In which year did China launch its first satellite?
    answer: 1970
    explanation: Dong Fang Hong 1 flew on 24 April 1970.
  - id: report
    type: single
    skill: sourcing
    prompt: Who wrote the report of 3 July 1960?
    choices:
      - {text: Nie Rongzhen, correct: true, feedback: His name is at its end.}
      - {text: Zhou Enlai, feedback: Zhou is not its author.}
      - {text: Mao Zedong, feedback: It is addressed to him.}
"""

SCRIPT = """\
import json, sys
from pathlib import Path
from sourcebook import load_bank, read_bank, types
from sourcebook.grading import grade
from sourcebook.html import quiz_html
from sourcebook.quiz_assets import quiz_scripts
from sourcebook.sphinx.assets import bundle, write_static
from sourcebook.worksheet import worksheet_html, worksheet_quiz
from sourcebook.export import moodle
from sourcebook.widgets import quiz

folder = Path(sys.argv[1])
bank = load_bank(folder / "years.yml")
year = bank.question("launch")
body = quiz_html(bank, bank.questions)
static = write_static(folder / "static")
sheet = worksheet_html("Years", [worksheet_quiz(bank, bank.questions, shuffle=False, seed=None, key="years")],
                       key=True)
notebook = quiz(bank)
view = notebook.view("launch")
view.control.text.value = " 1970 "
view.check_button.click()
export = moodle.export_bank(bank)
bad = read_bank(folder / "bad.yml")
print(json.dumps({
    "types": list(types.registry()),
    "kind": type(year.KIND).__name__,
    "right": grade(year, "1970").correct, "wrong": grade(year, "1969").correct,
    "invalid": grade(year, "soon").problem,
    "markup": 'class="sb-q sb-year"' in body, "scripts": quiz_scripts(body),
    "script_written": (static / "types" / "year.js").is_file(),
    "bundled": [name for name in ("grading.js", "types/single.js", "types/numeric.js", "types/year.js", "quiz.js")
                if (static / name).read_bytes().rstrip(b";") in bundle(quiz_scripts(body))[1]],
    "worksheet": "Write a year." in sheet and "The year: 1970" in sheet,
    "notebook": [notebook.score, notebook.max_score],
    "skipped": list(export.skipped), "notes": [n.message for n in export.notes if n.question == "launch"],
    "problems": [f"{p.line}:{p.code}" for p in bad.problems],
    "suggestion": bad.problems[0].message,
}))
"""


def install(tmp_path: Path) -> dict[str, str]:
    """The plugin package and its .dist-info on a path of their own; the environment that finds them."""
    site = tmp_path / "site"
    shutil.copytree(PLUGIN / "sourcebook_year", site / "sourcebook_year")
    info = site / "sourcebook_year-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: sourcebook-year\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[sourcebook.question_types]\nyear = sourcebook_year:QUESTION_TYPE\n",
                                           encoding="utf-8")
    path = os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])])
    return {**os.environ, "PYTHONPATH": path}


def test_a_type_from_another_package_works_in_every_output(tmp_path: Path) -> None:
    env = install(tmp_path)
    (tmp_path / "years.yml").write_text(BANK, encoding="utf-8")
    (tmp_path / "bad.yml").write_text(BANK.replace("answer: 1970", "answer: 19700").replace(
        "type: year", "type: which-year"), encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout)
    assert out["types"][-1] == "year" and "evidence" in out["types"]
    assert out["kind"] == "YearType"
    assert (out["right"], out["wrong"], out["invalid"]) == (True, False, "not-a-number")
    assert out["markup"] and out["scripts"] == ["grading.js", "types/single.js", "types/year.js", "quiz.js"]
    assert out["script_written"] and out["worksheet"]
    # The page's one script holds the type's script beside the course's, and only the types it shows.
    assert out["bundled"] == ["grading.js", "types/single.js", "types/year.js", "quiz.js"]
    assert out["notebook"] == [1.0, 2.0]
    assert out["skipped"] == ["launch"] and "`year`" in out["notes"][0]
    # The name other tools use is suggested, and the question is still checked as a year question.
    assert out["problems"] == ["4:unknown-type", "7:bad-value"]
    assert "did you mean `year`? (what other quiz tools call `which-year`)" in out["suggestion"]


def test_the_type_script_registers_its_rules_with_the_site_grader(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        if IN_CI:
            pytest.fail("node is not installed; the JavaScript of question types must be tested in CI")
        pytest.skip("node is not installed")
    static = HERE.parent / "src" / "sourcebook" / "static"
    script = textwrap.dedent(f"""
        const G = require({json.dumps(str(static / "grading.js"))});
        require({json.dumps(str(PLUGIN / "sourcebook_year" / "year.js"))});
        const q = {{type: "year", id: "launch", points: 1, answer: 1970}};
        console.log(JSON.stringify([G.grade(q, "1970").correct, G.grade(q, "1969").correct,
                                    G.grade(q, "").problem, G.correctResponse(q)]));
    """)
    run = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [True, False, "empty", "1970"]


def test_a_type_name_is_registered_once() -> None:
    class Impostor(types.QuestionType[types.SingleChoice]):
        model = types.SingleChoice

    with pytest.raises(types.RegistryError, match="already called `single`"):
        types.register(Impostor())
    assert types.named("single") is SINGLE
    with pytest.raises(types.RegistryError, match="not a sourcebook QuestionType"):
        types.register(object())  # type: ignore[arg-type]
