"""The whole loop in Chromium: students answer on the built site and hand in; the teacher's report is built
from their files and checked against numbers worked out by hand; the report page passes axe and asks
nothing of any other host.

The class (three students, on the test book's "every type" quiz, 9 points in all):

=========  =========  =========  ===========  =====
student    addressee  isolation  forty-years  total
=========  =========  =========  ===========  =====
Ann        1          1          1            3
Bo         1          0          1            2
Cy         0          1          0            1
=========  =========  =========  ===========  =====

By hand, for ``addressee`` (marks 1, 1, 0; the rest of the quiz 2, 1, 1): facility 2/3 = 67%; the sample
covariance with the rest is 1/6 and both sample variances are 1/3, so the discrimination index is
(1/6) / (1/3) = 50%. For ``isolation`` (marks 1, 0, 1; rest 2, 2, 0): covariance -1/3, variances 1/3 and
4/3, so (-1/3) / (2/3) = -50%.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from sourcebook.results import read_hand_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

BOOK = Path(__file__).resolve().parent.parent / "sphinx" / "roots" / "basic"
AXE = Path(str(__import__("axe_playwright_python").__file__)).parent / "axe.min.js"
HOSTILE_NAME = '<img src=x onerror="document.title=1">Cy'


def q(page: Any, question_id: str) -> Any:
    return page.locator(f'fieldset[data-id="{question_id}"]')


def check(page: Any, question_id: str) -> None:
    """Presses the question's Check button (Save, for an open response)."""
    q(page, question_id).locator(".sb-actions").get_by_role("button", name=re.compile("^(Check|Save)$")).click()


@pytest.fixture
def student(chromium: Any) -> Iterator[Any]:
    """Opens a fresh browser (its own storage) per student; requests to other hosts are stopped and counted."""
    contexts: list[Any] = []
    foreign: list[str] = []
    errors: list[str] = []

    def open_page() -> Any:
        context = chromium.new_context(accept_downloads=True)
        context.route("**/*", lambda route: route.abort()
                      if urlparse(route.request.url).hostname not in (None, "", "127.0.0.1", "localhost")
                      else route.continue_())
        contexts.append(context)
        page = context.new_page()
        page.on("request", lambda r: foreign.append(r.url)
                if urlparse(r.url).hostname not in (None, "", "127.0.0.1", "localhost") else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not foreign, foreign
    assert not errors, errors


def hand_in(page: Any, folder: Path, name: str | None, class_name: str | None, *, where: Any) -> Path:
    """Fill the hand-in form inside ``where`` (only the first time) and save the downloaded file."""
    form = where.locator(".sb-handin").first
    if name is not None:
        form.get_by_label("Your name").fill(name)
    if class_name is not None:
        form.get_by_label("Your class").fill(class_name)
    with page.expect_download() as download:
        form.get_by_role("button", name="Hand in (download the file)").click()
    assert "Give it to your teacher" in form.locator(".sb-result").text_content()
    target: Path = folder / download.value.suggested_filename
    assert not target.exists()
    download.value.save_as(target)
    return target


def test_students_hand_in_and_the_report_has_the_numbers_worked_out_by_hand(
        student: Any, page: Any, site_url: str, tmp_path: Path) -> None:
    from sourcebook.report import write_report

    handed = tmp_path / "handed-in"
    handed.mkdir()

    ann = student()
    ann.goto(f"{site_url}/types.html")
    q(ann, "addressee").get_by_label("The Central Committee and Chairman Mao").check()
    check(ann, "addressee")
    q(ann, "isolation").get_by_label("False").check()
    check(ann, "isolation")
    q(ann, "forty-years").get_by_label("Your answer").fill("40")
    check(ann, "forty-years")
    q(ann, "was-he-right").get_by_label("Your answer").fill("Yes: the satellite flew on 24 April 1970.")
    check(ann, "was-he-right")
    ann.goto(f"{site_url}/progress.html")
    # A class name outside ASCII (and outside Unicode's first plane) goes through the checksum as it should.
    ann_file = hand_in(ann, handed, "Ann Lee", "九年级 9B 🏫", where=ann.locator(".sb-progress"))
    # The progress page's own download is no hand-in: the report must set it aside, saying why.
    with ann.expect_download() as download:
        ann.get_by_role("button", name="Download my results (JSON)").click()
    download.value.save_as(handed / "results-download.json")

    bo = student()
    bo.goto(f"{site_url}/types.html")
    q(bo, "addressee").get_by_label("The Central Committee and Chairman Mao").check()
    check(bo, "addressee")
    q(bo, "isolation").get_by_label("True").check()
    check(bo, "isolation")
    # Handed in at the end of the quiz, before answering everything...
    first = hand_in(bo, handed, "Bo Chen", "9B", where=bo.locator("body"))
    first.rename(handed / "bo-first.json")
    q(bo, "forty-years").get_by_label("Your answer").fill("40 years")
    check(bo, "forty-years")
    bo.reload()
    # ... then again: the name and class are remembered, and this later file is the one that counts.
    assert bo.locator(".sb-handin").first.get_by_label("Your name").input_value() == "Bo Chen"
    hand_in(bo, handed, None, None, where=bo.locator("body"))

    cy = student()
    cy.goto(f"{site_url}/types.html")
    q(cy, "addressee").get_by_label("Nikita Khrushchev").check()
    check(cy, "addressee")
    q(cy, "isolation").get_by_label("False").check()
    check(cy, "isolation")
    q(cy, "forty-years").get_by_label("Your answer").fill("41")
    check(cy, "forty-years")
    q(cy, "was-he-right").get_by_label("Your answer").fill('<script>document.title="x"</script>\n=cmd|"/c calc"')
    check(cy, "was-he-right")
    hand_in(cy, handed, HOSTILE_NAME, "=1+2", where=cy.locator("body"))
    cy.add_script_tag(path=str(AXE))
    found = cy.evaluate("""async () => {
        const r = await axe.run({include: [[".sb-handin"]]}, {resultTypes: ["violations"], preload: false});
        return r.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
    }""")
    assert found == [], found

    # One more file, edited after it was handed in: set aside with the reason.
    edited = json.loads(ann_file.read_text(encoding="utf-8"))
    edited["student"]["name"] = "Dan"
    edited["quizzes"][0]["questions"][2]["points"] = 1
    (handed / "dan.json").write_text(json.dumps(edited), encoding="utf-8")

    assert read_hand_in(ann_file).made_with == "site"
    written = write_report([handed], tmp_path / "report", book=BOOK, student_column="Email address")
    results = written.results
    skipped = {p.path.name: p.reason for p in results.collection.skipped}
    assert set(skipped) == {"results-download.json", "dan.json"}
    assert "not a sourcebook hand-in" in skipped["results-download.json"]
    assert "checksum does not match" in skipped["dan.json"]
    replaced = [(r.student, r.kept.name, [p.name for p in r.earlier]) for r in results.collection.replaced]
    assert len(replaced) == 1 and replaced[0][0] == "Bo Chen (9B)" and replaced[0][2] == ["bo-first.json"]
    assert replaced[0][1].startswith("hand-in-Bo-Chen-")

    rows = list(csv.DictReader(io.StringIO((tmp_path / "report" / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    grades = {r["Email address"]: r["Every question type"] for r in rows}
    assert grades == {"Ann Lee": "3", "Bo Chen": "2", HOSTILE_NAME: "1"}
    assert {r["Email address"]: r["Class"] for r in rows}[HOSTILE_NAME] == "'=1+2"
    canvas_text = (tmp_path / "report" / "gradebook-canvas.csv").read_text(encoding="utf-8-sig")
    canvas = list(csv.reader(io.StringIO(canvas_text)))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[1][0] == "Points Possible" and canvas[1][5] == "10"

    summary = json.loads((tmp_path / "report" / "summary.json").read_text(encoding="utf-8"))
    (quiz,) = summary["quizzes"]
    items = {i["id"]: i for i in quiz["questions"]}
    assert items["addressee"]["facility"] == pytest.approx(2 / 3)
    assert items["addressee"]["discrimination"] == pytest.approx(0.5)
    assert items["isolation"]["discrimination"] == pytest.approx(-0.5)
    assert items["forty-years"]["facility"] == pytest.approx(2 / 3)
    assert quiz["mean"] == pytest.approx(2) and quiz["median"] == 2 and quiz["max_points"] == 10

    # The report page: offline, inert student text, axe-clean.
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    for name in ("index.html", "open-responses.html", "skills.html"):
        page.goto((tmp_path / "report" / name).as_uri())
        assert page.title() not in ("1", "x")
        assert page.locator("img").count() == 0 and page.locator("main script").count() == 0
        page.add_script_tag(path=str(AXE))
        found = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
        }""")
        assert found == [], f"{name}: {found}"
    assert all(urlparse(u).scheme == "file" for u in requested), requested
    page.goto((tmp_path / "report" / "index.html").as_uri())
    assert "self-reported" in page.locator("#about").text_content()
    assert page.get_by_text(HOSTILE_NAME).count() >= 1  # shown as the text it is
    page.goto((tmp_path / "report" / "open-responses.html").as_uri())
    assert page.get_by_text('<script>document.title="x"</script>').count() == 1
    assert page.get_by_text("Yes: the satellite flew on 24 April 1970.").count() == 1

    # A student who worked in a notebook hands in the same format: one class, one column for the quiz.
    from sourcebook import quiz

    notebook = quiz(BOOK / "questions" / "every-type.yml")
    for question_id in ("addressee", "isolation"):
        view = notebook.view(question_id)
        view.control.set_response(0 if question_id == "addressee" else False)
        view.check()
    notebook.hand_in(handed / "di.json", name="Di Wu", class_name="9B")
    write_report([handed], tmp_path / "mixed", book=BOOK)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "mixed" / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    assert {r["Student"]: r["Every question type"] for r in rows} == {
        "Ann Lee": "3", "Bo Chen": "2", HOSTILE_NAME: "1", "Di Wu": "2"}


def test_a_long_name_is_cut_between_characters_never_inside_one(student: Any, site_url: str, tmp_path: Path) -> None:
    # The name is kept to 200 characters, as the report counts them: an emoji at the end is kept whole or
    # left out, never cut in half (half of one is no character a page can show).
    page = student()
    page.goto(f"{site_url}/types.html")
    q(page, "isolation").get_by_label("False").check()
    check(page, "isolation")
    form = page.locator(".sb-handin").first
    name = "a" * 199 + "\U0001f642" + "b"  # 201 characters, 202 UTF-16 units: the 200th unit is half the emoji
    form.get_by_label("Your name").evaluate("(input, name) => { input.value = name; }", name)
    path = hand_in(page, tmp_path, None, "9B", where=page.locator("body"))
    assert "\\ud83d" not in path.read_text(encoding="utf-8")
    assert read_hand_in(path).name == name[:200]


def test_a_name_typed_in_one_hand_in_form_is_used_by_the_others_of_the_page(student: Any, site_url: str,
                                                                             tmp_path: Path) -> None:
    # A page with several quizzes has a form under each: made when the page loaded, before any name was typed.
    page = student()
    page.goto(f"{site_url}/options.html")
    author = page.locator(".sb-quiz").first.locator('fieldset[data-id="author"]')
    author.get_by_label("Your answer").fill("Nie Rongzhen")
    author.locator(".sb-actions").get_by_role("button", name="Check").click()
    forms = page.locator(".sb-handin")
    expect(forms).to_have_count(3)
    first = hand_in(page, tmp_path, "Li Wei", "9B", where=page.locator("body"))
    third = forms.nth(2)
    assert third.get_by_label("Your name").input_value() == ""  # made before the name was typed
    with page.expect_download() as download:
        third.get_by_role("button", name="Hand in (download the file)").click()
    assert "Give it to your teacher" in third.locator(".sb-result").text_content()
    last = tmp_path / "again.json"
    download.value.save_as(last)
    assert third.get_by_label("Your name").input_value() == "Li Wei"
    assert (read_hand_in(last).name, read_hand_in(last).class_name) == ("Li Wei", "9B") == (
        read_hand_in(first).name, read_hand_in(first).class_name)
