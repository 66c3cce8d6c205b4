"""Worksheets and answer keys as HTML: every question type, the selection, the command line.

The bank ``tests/teacher/every-type.yml`` words every answer, feedback and
explanation uniquely, so a test can look for each one in the key and make sure
the students' sheet has none.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from sourcebook import cli
from sourcebook.loader import load_bank
from sourcebook.pages import PageError, read_page
from sourcebook.selection import select
from sourcebook.types import MultipleAnswer, SingleChoice
from sourcebook.worksheet import WorksheetError, module_worksheet, worksheet_html, worksheet_quiz

HERE = Path(__file__).parent
BANK = HERE / "teacher" / "every-type.yml"

#: Text that only the answer key may hold, by question id.
ANSWERS: dict[str, list[str]] = {
    "single": ["Explanation-single", "¶5"],
    "multiple": ["Explanation-multiple"],
    "truefalse": ["Answer: False"],
    "numeric": ["1390 experts, accepted from 1380 to 1400 experts", "Explanation-numeric"],
    "numeric-range": ["any number from 19 to 21 months", "Explanation-range"],
    "short": ["Dang de wenxian", "Party Historical Documents", "Renmin Ribao", "Feedback-wrong-renmin",
              "Explanation-short"],
    "ordering": ["Right order", "Explanation-ordering"],
    "matching": ["Right pairs", "Explanation-matching"],
    "blanks": ["Sputnik", "Gap (2): Mao Zedong", "Explanation-blanks"],
    "open": ["Model-answer-text", "Rubric-criterion"],
}
#: Feedback shown on the site after an answer: never on paper, key or not (the key says why instead).
FEEDBACK = ["feedback-single", "feedback-multiple", "Feedback-true-chosen", "Feedback-false-chosen"]


def sheets() -> tuple[str, str]:
    bank = load_bank(BANK)
    quiz = worksheet_quiz(bank, bank.questions, shuffle=False, seed=None, key="test")
    return worksheet_html("Every type", [quiz]), worksheet_html("Every type", [quiz], key=True)


def right_letters(qid: str) -> list[str]:
    """The letters the sheet gives a question's right choices (choices are mixed, so not always A)."""
    bank = load_bank(BANK)
    quiz = worksheet_quiz(bank, bank.questions, shuffle=False, seed=None, key="test")
    q = bank.question(qid)
    assert isinstance(q, SingleChoice | MultipleAnswer)
    order = quiz.arrangement.order(q)
    return sorted("ABCDEFGH"[order.index(i)] for i, c in enumerate(q.choices) if c.correct)


def question(html: str, qid: str) -> Tag:
    found = BeautifulSoup(html, "html.parser").find("section", attrs={"data-id": qid})
    assert found is not None, qid
    return found


@pytest.mark.parametrize("qid", sorted(ANSWERS))
def test_the_student_sheet_holds_no_answer(qid: str) -> None:
    student, _ = sheets()
    section = question(student, qid)
    text = section.get_text(" ")
    for answer in ANSWERS[qid]:
        if qid == "blanks" and answer == "Gap (2): Mao Zedong":
            continue  # a gap offered as a list shows its choices, the right one among them
        assert answer not in text
    assert "✓" not in text
    assert not section.select(".ws-key, .ws-right-choice, .ws-filled")


@pytest.mark.parametrize("qid", sorted(ANSWERS))
def test_the_key_holds_every_answer(qid: str) -> None:
    _, key = sheets()
    text = " ".join(question(key, qid).get_text(" ").split())
    for answer in ANSWERS[qid]:
        assert answer in text
    if qid in ("single", "multiple"):
        letters = right_letters(qid)
        assert ("Answer: " if qid == "single" else "Answers: ") + ", ".join(letters) in text


def test_no_feedback_on_either_sheet() -> None:
    for html in sheets():
        for text in FEEDBACK:
            assert text not in html


def test_choices_are_ticked_in_the_key_only() -> None:
    student, key = sheets()
    ticked = [li.get_text(" ", strip=True) for li in question(key, "multiple").select("li.ws-right-choice")]
    assert [t.split(" ", 2)[0] for t in ticked] == ["✓", "✓"]
    assert sorted(t.split(" ", 2)[2] for t in ticked) == ["Delaying", "Putting off"]
    assert sorted(t.split(" ", 2)[1] for t in ticked) == right_letters("multiple")
    assert [li.get_text(" ", strip=True) for li in question(key, "truefalse").select("li.ws-right-choice")] \
        == ["✓ False"]
    assert question(student, "single").select(".ws-box.ws-radio")  # round boxes: one tick
    assert question(student, "multiple").select(".ws-box:not(.ws-radio)")  # square boxes: several


def test_ordering_is_mixed_and_numbered_in_the_key() -> None:
    student, key = sheets()
    items = [li.get_text(" ", strip=True) for li in question(student, "ordering").select(".ws-items li")]
    assert sorted(items) == sorted(["Accord signed", "Bomb model refused", "Report written", "Experts recalled"])
    assert items != ["Accord signed", "Bomb model refused", "Report written", "Experts recalled"]
    assert "Number these 1 to 4" in question(student, "ordering").get_text()
    numbered = {li.find(class_="ws-blank").get_text(): li.get_text(" ", strip=True)[2:]
                for li in question(key, "ordering").select(".ws-items li")}
    assert numbered == {"1": "Accord signed", "2": "Bomb model refused", "3": "Report written",
                        "4": "Experts recalled"}


def test_matching_has_two_lists_with_blanks_and_the_key_pairs_them() -> None:
    student, key = sheets()
    section = question(student, "matching")
    assert [li.get_text(" ", strip=True) for li in section.select(".ws-right-list li")] == \
        ["A Head of state", "B Premier", "C Vice Premier for science"]
    assert len(section.select(".ws-left .ws-blank")) == 2
    filled = [b.get_text() for b in question(key, "matching").select(".ws-left .ws-blank")]
    assert filled == ["C", "B"]


def test_blanks_have_numbered_gap_lines_and_offered_choices() -> None:
    student, key = sheets()
    section = question(student, "blanks")
    assert [g.get_text() for g in section.select(".ws-gap")] == ["(1)", "(2)"]
    assert "Gap (2): choose from Mao Zedong / Liu Shaoqi" in section.get_text()
    assert [g.get_text() for g in question(key, "blanks").select(".ws-gap")] == ["(1)Sputnik", "(2)Mao Zedong"]


def test_open_questions_get_lines_to_write_on() -> None:
    student, _ = sheets()
    assert len(question(student, "open").select(".ws-lines div")) >= 5
    assert question(student, "short").select(".ws-answer-line .ws-write")
    assert "months" in question(student, "numeric-range").select_one(".ws-answer-line").get_text()


def test_questions_are_numbered_with_their_marks() -> None:
    student, _ = sheets()
    heads = [p.get_text(" ", strip=True) for p in BeautifulSoup(student, "html.parser").select(".ws-head")]
    assert heads[0] == "1. (1 point)"
    assert heads[-1] == "10. (not marked)"
    assert "9 in all" in student


def test_the_title_is_printed_once() -> None:
    bank = load_bank(BANK)
    quiz = worksheet_quiz(bank, bank.questions, shuffle=False, seed=None, key="test")
    for key in (False, True):
        named_as_quiz = BeautifulSoup(worksheet_html(bank.title, [quiz], key=key), "html.parser")
        assert [h.get_text() for h in named_as_quiz.find_all(["h1", "h2"])] == [bank.title]
    # A sheet named otherwise, or of several quizzes, heads each quiz with its title.
    other = BeautifulSoup(worksheet_html("Module 9", [quiz]), "html.parser")
    assert [h.get_text() for h in other.find_all(["h1", "h2"])] == ["Module 9", bank.title]
    both = BeautifulSoup(worksheet_html(bank.title, [quiz, quiz]), "html.parser")
    assert [h.get_text() for h in both.find_all(["h1", "h2"])] == [bank.title] * 3


def test_a_sheet_is_standalone_and_makes_no_requests() -> None:
    for html in sheets():
        soup = BeautifulSoup(html, "html.parser")
        # The one link is the course's icon, carried inside the file (a data address asks no server).
        icons = soup.find_all("link")
        assert [(i["rel"], i["href"][:19]) for i in icons] == [(["icon"], "data:image/svg+xml,")]
        for icon in icons:
            icon.decompose()
        assert not soup.find_all(["script", "link", "img", "iframe", "object"])
        assert not re.search(r"url\(|@import|https?://", str(soup))
        assert soup.find("style") is not None
        assert "@media print" in html


def test_bank_markdown_is_escaped(tmp_path: Path) -> None:
    bank = tmp_path / "hostile.yml"
    bank.write_text("title: <script>alert(1)</script>\nquestions:\n  - id: q\n    type: short\n"
                    "    skill: sourcing\n    prompt: '<img src=x onerror=alert(1)> [x](javascript:alert(1))'\n"
                    "    answers: ['<b>bold</b>']\n    explanation: Because.\n", encoding="utf-8")
    loaded = load_bank(bank)
    for html in (worksheet_html("<i>t</i>", [worksheet_quiz(loaded, loaded.questions, shuffle=False, seed=None,
                                                            key="k")], key=key) for key in (False, True)):
        soup = BeautifulSoup(html, "html.parser")
        assert not soup.find_all(["script", "img", "b", "i"])
        assert "javascript:" not in "".join(a.get("href", "") for a in soup.find_all("a"))


# --- from a module page ------------------------------------------------------------


def book(tmp_path: Path, page: str) -> Path:
    (tmp_path / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (tmp_path / "questions").mkdir()
    (tmp_path / "sources").mkdir()
    shutil.copy(HERE.parent / "sources" / "nie-rongzhen-1960.yml", tmp_path / "sources")
    (tmp_path / "questions" / "bank.yml").write_text(
        BANK.read_text(encoding="utf-8").replace("../../sources/", "../sources/"), encoding="utf-8")
    module = tmp_path / "modules" / "07-test"
    module.mkdir(parents=True)
    (module / "index.md").write_text(page, encoding="utf-8")
    return module


def test_the_module_selects_what_the_site_shows(tmp_path: Path) -> None:
    module = book(tmp_path, "---\nmodule: 7\nshort_title: Testing\n---\n\n# A test module\n\n"
                            "```{quiz} /questions/bank.yml\n:count: 4\n```\n\n"
                            "```{quiz} ../../questions/bank.yml\n:ids: open, single\n```\n")
    html = module_worksheet(module)
    shown = [s["data-id"] for s in BeautifulSoup(html, "html.parser").select("section.ws-q")]
    bank = load_bank(tmp_path / "questions" / "bank.yml")
    drawn = [q.id for q in select(bank.questions, count=4, seed="modules/07-test/index")]
    assert shown == [*drawn, "open", "single"]
    assert "<h1>Module 7: Testing</h1>" in html


def test_a_seeded_shuffle_mixes_questions_and_choices_alike_on_every_print(tmp_path: Path) -> None:
    module = book(tmp_path, "# T\n\n```{quiz} /questions/bank.yml\n:shuffle:\n:seed: 5\n```\n")
    first, again = module_worksheet(module), module_worksheet(module)
    assert first == again
    ids = [s["data-id"] for s in BeautifulSoup(first, "html.parser").select("section.ws-q")]
    assert sorted(ids) == sorted(q.id for q in load_bank(tmp_path / "questions" / "bank.yml").questions)
    assert ids != [q.id for q in load_bank(tmp_path / "questions" / "bank.yml").questions]


def test_quizzes_are_found_where_myst_finds_them(tmp_path: Path) -> None:
    page = book(tmp_path, "# T\n\n````md\n```{quiz} /questions/bank.yml\n```\n````\n\n"
                          "````{note}\nInside a note:\n\n```{quiz} /questions/bank.yml\n:ids: single\n```\n````\n\n"
                          ":::{quiz} /questions/bank.yml\n---\nids: short\n---\n:::\n") / "index.md"
    found = read_page(page).quizzes
    assert [(q.options, q.line) for q in found] == [({"ids": "single"}, 11), ({"ids": "short"}, 16)]


@pytest.mark.parametrize(("page", "message"), [
    ("# T\n\nNo quiz here.\n", "has no {quiz} directive"),
    ("# T\n\n```{quiz} /questions/missing.yml\n```\n",
     "index.md:3: the quiz's bank /questions/missing.yml does not exist"),
    ("# T\n\n```{quiz} /questions/bnak.yml\n```\n", "; did you mean `bank.yml`?"),
    ("# T\n\n```{quiz} /questions/bank.yml\n:ids: nope\n```\n", "no question with id `nope`"),
    ("# T\n\n```{quiz} /questions/bank.yml\n:count: many\n```\n",
     "index.md:3: the quiz's count should be a positive whole number"),
    ("---\nmodule: [\n---\n# T\n", "front matter is not valid YAML"),
])
def test_bad_modules_give_clear_errors(tmp_path: Path, page: str, message: str) -> None:
    module = book(tmp_path, page)
    with pytest.raises((WorksheetError, PageError), match=re.escape(message)):
        module_worksheet(module)


def test_the_command_writes_both_sheets(tmp_path: Path, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    module = root / "modules" / "01-meeting-the-source"
    sheet, key = tmp_path / "sheet.html", tmp_path / "key.html"
    assert cli.main(["worksheet", str(module), "-o", str(sheet)]) == 0
    assert cli.main(["worksheet", str(module / "index.md"), "--key", "-o", str(key)]) == 0
    assert 'class="ws-key"' not in sheet.read_text(encoding="utf-8")
    assert 'class="ws-key"' in key.read_text(encoding="utf-8")
    assert f"wrote {key}" in capsys.readouterr().err
    # An existing sheet (perhaps with a teacher's edits) is kept unless --force says otherwise.
    sheet.write_text("my notes", encoding="utf-8")
    assert cli.main(["worksheet", str(module), "-o", str(sheet)]) == 1
    assert "already exists" in capsys.readouterr().err and sheet.read_text(encoding="utf-8") == "my notes"
    assert cli.main(["worksheet", str(module), "-o", str(sheet), "--force"]) == 0
    assert 'class="ws-key"' not in sheet.read_text(encoding="utf-8")


def test_the_command_explains_a_wrong_module(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["worksheet", str(tmp_path / "modules" / "99-none")]) == 1
    err = capsys.readouterr().err
    assert "no module at" in err and "Traceback" not in err


def test_every_module_of_the_course_prints(root: Path) -> None:
    pages = sorted((root / "modules").glob("*/index.md"))
    assert pages
    for page in pages:
        if read_page(page).quizzes:
            student, key = module_worksheet(page), module_worksheet(page, key=True)
            assert 'class="ws-key"' not in student and 'class="ws-key"' in key


def test_the_key_writes_large_and_small_numbers_in_full(tmp_path: Path) -> None:
    bank = tmp_path / "numbers.yml"
    bank.write_text("title: Numbers\nquestions:\n"
                    "  - {id: cost, type: numeric, prompt: How much?, answer: 1234567}\n"
                    "  - {id: share, type: numeric, prompt: What share?, answer: 0.000123, tolerance: 0.000001}\n",
                    encoding="utf-8")
    loaded = load_bank(bank)
    key = worksheet_html("t", [worksheet_quiz(loaded, loaded.questions, shuffle=False, seed=None, key="k")], key=True)
    assert "exactly 1234567" in key and "1.23457e+06" not in key
    assert "0.000123, accepted from 0.000122 to 0.000124 (± 0.000001)" in key


def test_the_catalogue_is_complete_in_every_language_and_placeholders_agree() -> None:
    from sourcebook.i18n import catalogue

    texts = catalogue()
    assert set(texts) == {"en", "zh_CN"}
    for language, strings in texts.items():
        assert set(strings) == set(texts["en"]), language
        for key, text in strings.items():
            assert set(re.findall(r"\{(\w+)\}", text)) <= set(re.findall(r"\{(\w+)\}", texts["en"][key])) | {
                "month"}, (language, key)


def test_a_chinese_worksheet_speaks_chinese(tmp_path: Path) -> None:
    loaded = load_bank(BANK)
    quiz = worksheet_quiz(loaded, loaded.questions, shuffle=False, seed=None, key="k")
    sheet = worksheet_html("t", [quiz], language="zh_CN")
    key = worksheet_html("t", [quiz], key=True, language="zh_CN")
    assert '<html lang="zh-CN">' in sheet and "练习单" in sheet and "姓名：" in sheet and "勾选一个框。" in sheet
    assert "答案" in key and "正确顺序：" in key
    for english in ("Worksheet", "Instructions", "Tick one box.", "Right order:", "Accepted answers"):
        assert english not in sheet and english not in key


def test_an_evidence_question_prints_the_claim_and_names_each_paragraph() -> None:
    bank = load_bank(HERE / "examples" / "valid" / "every-type.yml")
    quiz = worksheet_quiz(bank, [bank.question("not-isolation")], shuffle=False, seed=None, key="test")
    student = question(worksheet_html("Evidence", [quiz]), "not-isolation")
    key = question(worksheet_html("Evidence", [quiz], key=True), "not-isolation")
    text = " ".join(student.get_text(" ").split())
    assert "Claim: Nie wanted China to cut itself off from foreign science and technology." in text
    assert "Tick every paragraph of the source that contradicts the claim." in text
    # In the source's order, by number and opening words: a printed sheet cannot link.
    assert [li.get_text(" ", strip=True) for li in student.select("ul.ws-choices li")] == [
        "A ¶3 “A big country like ours, which has its…”", "B ¶4 “2) We need to adopt a new way…”",
        "C ¶6 “Recently, we also have had to reconsider our…”",
        "D ¶7 “3) Independence and self-reliance does not at all…”"]
    assert "✓" not in text and not student.select(".ws-key, .ws-right-choice")
    assert "Answers: B, C, D" in " ".join(key.get_text(" ").split())
    assert len(key.select("li.ws-right-choice")) == 3
