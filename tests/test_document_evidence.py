"""Evidence that cites a section of a further document (``document-id#anchor``) reaches every output.

The site's quiz, the notebook widget and the worksheet's answer key each
resolve evidence through :meth:`sourcebook.model.Bank.evidence`; these tests
check that each shows the card's section with its document and heading.
"""

from __future__ import annotations

import html
from pathlib import Path

from sourcebook import load_bank, quiz
from sourcebook.html import quiz_html
from sourcebook.worksheet import worksheet_html, worksheet_quiz

BANK = Path(__file__).parent / "examples" / "valid" / "documents.yml"
LABEL = "A correspondent, 20 June 1959 (date uncertain): What it says, in summary"


def test_the_site_quiz_links_or_quotes_the_card_section() -> None:
    bank = load_bank(BANK)
    quoted = html.unescape(quiz_html(bank, bank.questions))
    assert f"{LABEL}</span> It declines what was promised." in quoted
    linked = quiz_html(bank, bank.questions,
                       evidence_href=lambda source, anchor: f"{source.id}.html#{anchor}")
    assert '<a href="letter-1959.html#summary">' in linked and '<a href="nie-rongzhen-1960.html#p1">¶1</a>' in linked


def test_the_widget_quotes_the_card_section() -> None:
    q = quiz(BANK)
    view = q.view("both")
    view.control.radio.value = 0
    view.check_button.click()
    assert f"{LABEL}:</strong> It declines what was promised." in html.unescape(view.explanation.value)


def test_the_answer_key_names_the_card_section() -> None:
    bank = load_bank(BANK)
    quizzes = [worksheet_quiz(bank, bank.questions, shuffle=False, seed=None, key="seed")]
    key = html.unescape(worksheet_html("Key", quizzes, key=True))
    assert f"¶1, {LABEL}" in key


def test_the_student_worksheet_names_the_documents_its_questions_cite() -> None:
    bank = load_bank(BANK)
    sheet = worksheet_html("Sheet", [worksheet_quiz(bank, bank.questions, shuffle=False, seed=None, key="seed")])
    assert "keep their cards (or texts) beside you: A letter that answers the report." in sheet
