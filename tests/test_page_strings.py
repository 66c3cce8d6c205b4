"""The interface texts a quiz's data carries: those the page's scripts read, no more (``quiz_assets.script_strings``).

The declared lists are held to the scripts: every text a script reads
(``S.<key>``, ``S["<key>"]``, ``ui.S.<key>``) and every problem a question
type's script gives (``G.invalid(q, "<key>")``, and the keys it returns from
``problem``) must be among the texts the page carries for it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup

from sourcebook import load_bank
from sourcebook.html import quiz_html
from sourcebook.i18n import catalogue, strings_for
from sourcebook.quiz_assets import HANDIN_SCRIPT_STRINGS, QUIZ_SCRIPT_STRINGS, script_strings, static_file
from sourcebook.types import registry

HERE = Path(__file__).parent
#: A text read by a script: ``S.key``, ``S["key"]`` (also ``ui.S``, ``this.quiz.S``).
READ = re.compile(r"""\bS(?:\.([A-Za-z_][\w]*)|\[\s*["']([^"']+)["']\s*\])""")
#: A problem a type's script gives: ``G.invalid(q, "key")``, or a key it returns from its ``problem`` hook.
PROBLEM = re.compile(r"""invalid\(\s*\w+\s*,\s*["']([^"']+)["']\)|\?\s*["']([\w-]+)["']\s*:\s*result\.problem""")


def read_keys(script: str) -> set[str]:
    return {a or b for a, b in READ.findall(script)}


def test_the_declared_texts_are_those_the_scripts_read() -> None:
    english = catalogue()["en"]
    quiz = read_keys(static_file("quiz.js").decode("utf-8"))
    assert {"check", "reset", "score"} <= quiz
    assert quiz <= set(QUIZ_SCRIPT_STRINGS), quiz - set(QUIZ_SCRIPT_STRINGS)
    handin = read_keys(static_file("handin.js").decode("utf-8"))
    assert handin and handin <= set(HANDIN_SCRIPT_STRINGS), handin - set(HANDIN_SCRIPT_STRINGS)
    for name, kind in registry().items():
        script = kind.script.read_text(encoding="utf-8")
        given = {a or b for a, b in PROBLEM.findall(script)} | read_keys(script)
        available = {*QUIZ_SCRIPT_STRINGS, *kind.script_strings}
        assert given <= available, (name, given - available)
    declared = {*QUIZ_SCRIPT_STRINGS, *HANDIN_SCRIPT_STRINGS,
                *(key for kind in registry().values() for key in kind.script_strings)}
    # Every declared text is in the catalogue (every language has every key, a test of i18n holds them to it).
    assert declared <= set(english), declared - set(english)
    # The scan finds what it looks for: the types that read or give texts of their own.
    assert "move_up" in read_keys(registry()["ordering"].script.read_text(encoding="utf-8"))
    assert "decimal_point" in {a or b for a, b in PROBLEM.findall(
        registry()["numeric"].script.read_text(encoding="utf-8"))}


def carried(bank_file: Path, language: str = "en") -> dict[str, str]:
    bank = load_bank(bank_file)
    page = BeautifulSoup(quiz_html(bank, bank.questions, strings=strings_for(language)), "html.parser")
    script = page.select_one("script.sb-data")
    assert script is not None
    data: dict[str, str] = json.loads(script.string or "")["strings"]
    return data


def test_a_quiz_carries_the_texts_of_its_scripts_only(tmp_path: Path) -> None:
    every = carried(HERE / "conformance" / "bank.yml")  # every question type
    assert set(every) == {*QUIZ_SCRIPT_STRINGS, *HANDIN_SCRIPT_STRINGS, "move_up", "move_down", "moved",
                          "decimal_point"}
    single = tmp_path / "single.yml"
    single.write_text("title: One\nquestions:\n  - id: one\n    type: single\n    prompt: Which?\n    choices:\n"
                      "      - {text: This, correct: true}\n      - {text: That}\n", encoding="utf-8")
    texts = carried(single, "zh_CN")
    # No ordering or numeric question: not their texts; never the markup's (noscript, choose) or the progress page's.
    assert set(texts) == {*QUIZ_SCRIPT_STRINGS, *HANDIN_SCRIPT_STRINGS}
    assert texts["check"] == strings_for("zh_CN")["check"]
    assert script_strings(strings_for("en"), []) == {key: strings_for("en")[key]
                                                      for key in (*QUIZ_SCRIPT_STRINGS, *HANDIN_SCRIPT_STRINGS)}
