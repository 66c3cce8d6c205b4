"""The page's script with names chosen by an attacker: no prototype is written, nothing is run.

A skill named ``__proto__`` or ``constructor`` and question ids named after
properties every object inherits (``constructor``, ``toString``) are ordinary
names to the quiz; a saved date that starts with a tab or a carriage return
(a hand-edited browser storage) reaches the CSV download defused, as OWASP's
list of formula characters asks.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from sourcebook import load_bank
from sourcebook.html import quiz_html
from sourcebook.i18n import strings_for
from sourcebook.quiz_assets import quiz_scripts
from sourcebook.sphinx.assets import write_static

pytestmark = [pytest.mark.browser]

BANK = """title: Odd names
questions:
  - id: constructor
    type: true-false
    skill: __proto__
    prompt: The report is dated 3 July 1960.
    answer: true
    explanation: The date line says so.
  - id: toString
    type: true-false
    skill: constructor
    prompt: The report is addressed to Khrushchev.
    answer: false
    explanation: It is addressed to the Central Committee and Chairman Mao.
"""


@pytest.fixture
def odd_names_page(tmp_path: Path, served: Any) -> str:
    (tmp_path / "bank.yml").write_text(BANK, encoding="utf-8")
    bank = load_bank(tmp_path / "bank.yml")
    write_static(tmp_path)
    body = quiz_html(bank, list(bank.questions), key="odd-names", strings=strings_for("en"))
    scripts = "".join(f'<script defer src="{name}"></script>' for name in quiz_scripts(body))
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Odd names</title>'
        f'<link rel="icon" href="data:,"><link rel="stylesheet" href="quiz.css">{scripts}</head>'
        f"<body><main>{body}</main></body></html>", encoding="utf-8")
    return f"{served(tmp_path)}/index.html"


def _untouched_prototype(page: Any) -> bool:
    return bool(page.evaluate("""() => Object.getPrototypeOf({}) === Object.prototype
        && Object.keys(Object.prototype).length === 0 && ({}).toString === Object.prototype.toString
        && typeof ({}).constructor === 'function'"""))


def test_skills_and_ids_named_like_object_properties_are_just_names(page: Any, odd_names_page: str) -> None:
    page.goto(odd_names_page)
    first = page.locator('fieldset[data-id="constructor"]')
    first.get_by_label("True").check()
    first.get_by_role("button", name="Check", exact=True).click()
    assert "Right" in first.locator(".sb-result").text_content()
    assert _untouched_prototype(page)
    summary = page.locator(".sb-quiz").text_content()
    assert "__proto__" in summary  # the skill is listed by its name
    # The other question, named like an inherited method, starts unanswered after a reload,
    # and the answered one comes back.
    page.reload()
    assert page.locator('fieldset[data-id="constructor"]').get_by_label("True").is_checked()
    second = page.locator('fieldset[data-id="toString"]')
    assert not second.get_by_label("True").is_checked() and not second.get_by_label("False").is_checked()
    assert second.locator(".sb-result").text_content() == ""
    assert _untouched_prototype(page)


@pytest.mark.xdist_group("site")
def test_the_csv_download_defuses_a_leading_tab_or_carriage_return(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}/types.html")
    page.locator('fieldset[data-id="isolation"]').get_by_label("False").check()
    page.locator('fieldset[data-id="isolation"]').get_by_role("button", name="Check", exact=True).click()
    key = "sourcebook:v1:types:every-type:1"
    # The name and class the student typed are defused too.
    page.evaluate("""() => localStorage.setItem("sourcebook:v1:student",
                                                JSON.stringify({name: "=cmd|' /C calc'!A0", class: "@9B"}))""")
    for hostile in ("\t=HYPERLINK(\"http://evil.example\")", "\r=1+1"):
        page.evaluate("""([k, v]) => { const s = JSON.parse(localStorage.getItem(k)); s.updated = v;
                                       localStorage.setItem(k, JSON.stringify(s)); }""", [key, hostile])
        page.goto(f"{site_url}/progress.html")
        with page.expect_download() as download:
            page.get_by_role("button", name="Download my results (CSV)").click()
        text = Path(download.value.path()).read_bytes().decode("utf-8-sig")  # keeps a lone CR as it is
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        [row] = [r for r in rows if r["quiz"] == "types:every-type:1" and not r["question"]]
        assert row["updated"] == "'" + hostile, json.dumps(row)
        assert (row["student"], row["class"]) == ("'=cmd|' /C calc'!A0", "'@9B")
