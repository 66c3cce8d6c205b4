"""The class report's folder and gradebook CSVs: written whole or not at all, an output path that cannot be
a folder said in one line, grades an LMS takes as the report shows them (also for students who had other
questions), a Total that is the sum of the quiz cells, numbers without exponents, and a bank not found said on the
command line.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sourcebook import report as report_module
from sourcebook import results
from sourcebook.cli import main
from sourcebook.grading import correct_response
from sourcebook.report import FILES, ReportError, write_report
from sourcebook.report.page import number

ROOT = Path(__file__).resolve().parent.parent
BASIC = ROOT / "tests" / "sphinx" / "roots" / "basic"
BANK = "questions/every-type.yml"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A copy of the test book (its banks may be edited by a test)."""
    target = tmp_path / "book"
    shutil.copytree(BASIC, target)
    return target


def hand_in(book: Path, path: Path, name: str, right: set[str], bank: str = BANK) -> dict[str, Any]:
    """A student's hand-in of ``bank`` from the notebook quiz, with the questions ``right`` answered right."""
    from sourcebook import quiz

    q = quiz(book / bank)
    for view in q.views:
        if view.question.id in right:
            view.control.set_response(correct_response(view.question))
            view.check()
    q.hand_in(path, name=name, class_name="9B", course="Test course")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def contents_of_files(folder: Path) -> dict[str, bytes | None]:
    return {p.name: p.read_bytes() if p.is_file() else None for p in folder.iterdir()}


# --- the folder, written whole or not at all ----------------------------------------------


@pytest.fixture
def earlier(book: Path, tmp_path: Path) -> Path:
    """A folder of hand-ins with its report written, and a file of the teacher's own beside it."""
    (tmp_path / "in").mkdir()
    hand_in(book, tmp_path / "in" / "ann.json", "Ann", {"addressee"})
    write_report([tmp_path / "in"], tmp_path / "report", book=book)
    (tmp_path / "report" / "notes.txt").write_text("mine", encoding="utf-8")
    return tmp_path / "report"


def test_text_that_cannot_be_encoded_leaves_the_earlier_report_as_it_was(
        book: Path, tmp_path: Path, earlier: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    before = contents(earlier)
    hand_in(book, tmp_path / "in" / "bo.json", "Bo", {"roles"})
    monkeypatch.setattr(report_module, "skills_page", lambda report: "<p>Lone \ud800 half</p>")
    with pytest.raises(ReportError, match=r"skills\.html cannot be written: .*not Unicode.* near '<p>Lone \\ud800"):
        write_report([tmp_path / "in"], earlier, book=book)
    assert contents(earlier) == before
    assert main(["report", str(tmp_path / "in"), "-o", str(earlier), "--book", str(book)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("sourcebook report: skills.html cannot be written") and err.count("\n") == 1
    assert "nothing was written" in err and contents(earlier) == before


def test_a_write_failing_part_way_leaves_the_earlier_report_and_no_stray_file(
        book: Path, tmp_path: Path, earlier: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = contents(earlier)
    hand_in(book, tmp_path / "in" / "bo.json", "Bo", {"roles"})
    real = report_module._new_file
    made: list[str] = []

    def disk_full_at_the_third(folder: Path, name: str, content: bytes) -> Path:
        if len(made) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        made.append(name)
        return real(folder, name, content)

    monkeypatch.setattr(report_module, "_new_file", disk_full_at_the_third)
    with pytest.raises(ReportError, match="No space left on device"):
        write_report([tmp_path / "in"], earlier, book=book)
    assert made == list(FILES[:2]) and contents(earlier) == before


@pytest.mark.parametrize("failing", ["moving an earlier file aside", "moving a new file into place"])
def test_a_file_that_cannot_be_replaced_leaves_the_earlier_report(
        book: Path, tmp_path: Path, earlier: Path, monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    # As on Windows, where a file open in Excel cannot be moved: every file moved already is moved back.
    before = contents(earlier)
    hand_in(book, tmp_path / "in" / "bo.json", "Bo", {"roles"})
    real = os.replace

    def locked(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if failing == "moving an earlier file aside" and Path(source).name == "gradebook.csv":
            raise PermissionError(errno.EACCES, "Permission denied", str(source))
        if failing == "moving a new file into place" and Path(target).name == "summary.json" and \
                Path(source).suffix == ".tmp":
            raise PermissionError(errno.EACCES, "Permission denied", str(source))
        real(source, target)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ReportError, match=r"Permission denied.*the folder was left as it was"):
        write_report([tmp_path / "in"], earlier, book=book)
    assert contents(earlier) == before


def test_a_folder_in_the_place_of_a_report_file_is_said_before_anything_is_written(
        book: Path, tmp_path: Path, earlier: Path) -> None:
    (earlier / "open-responses.html").unlink()
    (earlier / "open-responses.html").mkdir()
    before = contents_of_files(earlier)
    hand_in(book, tmp_path / "in" / "bo.json", "Bo", {"roles"})
    with pytest.raises(ReportError, match=r"open-responses\.html is a folder: move it away"):
        write_report([tmp_path / "in"], earlier, book=book)
    assert contents_of_files(earlier) == before


def test_a_new_report_replaces_only_the_report_files(book: Path, tmp_path: Path, earlier: Path) -> None:
    hand_in(book, tmp_path / "in" / "bo.json", "Bo", {"roles"})
    write_report([tmp_path / "in"], earlier, book=book)
    assert sorted(p.name for p in earlier.iterdir()) == sorted([*FILES, "notes.txt"])
    assert (earlier / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert {r["Student"] for r in csv_rows(earlier / "gradebook.csv")} == {"Ann", "Bo"}


def test_an_output_path_that_is_a_file_is_said_in_one_line(book: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    hand_in(book, tmp_path / "ann.json", "Ann", {"addressee"})
    (tmp_path / "afile").write_text("keep", encoding="utf-8")
    assert main(["report", str(tmp_path / "ann.json"), "-o", str(tmp_path / "afile"), "--book", str(book)]) == 1
    err = capsys.readouterr().err
    assert err == f"sourcebook report: {tmp_path / 'afile'} is a file, not a folder: choose another name with -o\n"
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "keep"
    # A folder that cannot be made (under a file) is said the same way.
    assert main(["report", str(tmp_path / "ann.json"), "-o", str(tmp_path / "afile" / "report"),
                 "--book", str(book)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"sourcebook report: cannot make the folder {tmp_path / 'afile' / 'report'}: ")
    assert err.count("\n") == 1


# --- the gradebook CSVs -------------------------------------------------------------------


def test_lms_grades_are_the_report_s_share_when_students_had_other_questions(book: Path, tmp_path: Path) -> None:
    # Ann answered before `forty-years` was reworded: she had 9 of the quiz's 10 points, and has 2 of them.
    # Bo answered after: 2 of 10. An LMS has one maximum per quiz (10): Ann's 2 of 9 are 2.22 of 10 there.
    folder = tmp_path / "in"
    folder.mkdir()
    hand_in(book, folder / "ann.json", "Ann", {"addressee", "isolation", "forty-years"})
    bank = book / BANK
    bank.write_text(bank.read_text(encoding="utf-8").replace("Sputnik 1 flew on 4 October 1957.",
                                                             "Sputnik 1 was launched on 4 October 1957."),
                    encoding="utf-8")
    hand_in(book, folder / "bo.json", "Bo", {"addressee", "forty-years"})
    written = write_report([folder], tmp_path / "report", book=book)
    (quiz,) = written.report.quizzes
    assert quiz.max_points == 10
    html = (written.folder / "index.html").read_text(encoding="utf-8")
    assert "<td>9B</td><td class=\"num\">2 / 9</td>" in html and "<td>9B</td><td class=\"num\">2 / 10</td>" in html

    canvas = list(csv.reader(io.StringIO((written.folder / "gradebook-canvas.csv").read_text(encoding="utf-8-sig"))))
    assert canvas[1][0] == "Points Possible" and canvas[1][5] == "10"
    assert {row[0]: row[5] for row in canvas[2:]} == {"Ann": "2.22", "Bo": "2"}
    moodle = {r["Student"]: r for r in csv_rows(written.folder / "gradebook.csv")}
    assert moodle["Ann"]["Every question type"] == "2.22" and moodle["Ann"]["Total"] == "2.22"
    assert (moodle["Ann"]["Skill: sourcing"], moodle["Ann"]["Skill: close reading"]) == ("1.11", "1.11")
    assert moodle["Bo"]["Every question type"] == "2" and moodle["Bo"]["Total"] == "2"
    for row in moodle.values():
        skills = [Decimal(v) for k, v in row.items() if k.startswith("Skill: ") and v]
        assert sum(skills) == Decimal(row["Total"])
    assert "scaled to it: the same share of it as here" in html


def test_a_student_with_no_points_left_to_earn_gets_no_grade_not_a_zero(book: Path, tmp_path: Path) -> None:
    # Every graded question Ann had has changed since; the quiz still has points (Bo's).
    folder = tmp_path / "in"
    folder.mkdir()
    data = hand_in(book, folder / "ann.json", "Ann", {"addressee"})
    data["quizzes"][0]["questions"] = [q for q in data["quizzes"][0]["questions"] if q["id"] == "forty-years"]
    (folder / "ann.json").write_text(results.dumps(data), encoding="utf-8")
    bank = book / BANK
    bank.write_text(bank.read_text(encoding="utf-8").replace("Sputnik 1 flew on 4 October 1957.",
                                                             "Sputnik 1 was launched on 4 October 1957."),
                    encoding="utf-8")
    hand_in(book, folder / "bo.json", "Bo", {"addressee"})
    written = write_report([folder], tmp_path / "report", book=book)
    moodle = {r["Student"]: r for r in csv_rows(written.folder / "gradebook.csv")}
    assert moodle["Ann"]["Every question type"] == "" and moodle["Ann"]["Total"] == ""
    assert moodle["Bo"]["Every question type"] == "1"
    canvas = {row[0]: row[5] for row in csv.reader(io.StringIO(
        (written.folder / "gradebook-canvas.csv").read_text(encoding="utf-8-sig")))}
    assert canvas["Ann"] == "" and canvas["Bo"] == "1"


def test_the_total_is_the_sum_of_the_quiz_cells_as_written(book: Path, tmp_path: Path) -> None:
    # Ann earned 0.334 in each of two quizzes, both in sourcing: 0.33 and 0.33 are written, so the Total
    # is 0.66 (not 0.67, the sum rounded); the skill's own cell is its points rounded.
    shutil.copy(book / BANK, book / "questions" / "second.yml")
    for bank, name in ((BANK, "one.json"), ("questions/second.yml", "two.json")):
        data = hand_in(book, tmp_path / name, "Ann", {"addressee"}, bank=bank)
        for q in data["quizzes"][0]["questions"]:
            if q["id"] == "addressee":
                q["points"] = 0.334
        (tmp_path / name).write_text(results.dumps(data), encoding="utf-8")
    written = write_report([tmp_path / "one.json", tmp_path / "two.json"], tmp_path / "report", book=book)
    _, row = csv.reader(io.StringIO((written.folder / "gradebook.csv").read_text(encoding="utf-8-sig")))
    skills = [name.removeprefix("Skill: ") for name in written.report.skills]
    assert row[2:4] == ["0.33", "0.33"] and row[-1] == "0.66"
    assert dict(zip(skills, row[4:-1], strict=True))["sourcing"] == "0.67"


def test_the_canvas_csv_starts_with_a_byte_order_mark(book: Path, tmp_path: Path) -> None:
    hand_in(book, tmp_path / "li.json", "李伟", {"addressee"})
    written = write_report([tmp_path / "li.json"], tmp_path / "report", book=book)
    data = (written.folder / "gradebook-canvas.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfStudent,ID,SIS User ID,SIS Login ID,Section,")
    assert "李伟" in data.decode("utf-8")


@pytest.mark.parametrize(("value", "text"), [
    (1e16, "10000000000000000"), (123456789.0, "123456789"), (2.0, "2"), (1.5, "1.5"), (2 / 3, "0.67"),
    (0.004, "0"), (1e-7, "0"), (None, "—")])
def test_numbers_are_written_in_full_never_with_an_exponent(value: float | None, text: str) -> None:
    assert number(value) == text
    huge = number(1e308)  # the float's own digits, all 309 of them
    assert huge.isdigit() and len(huge) == 309 and float(huge) == 1e308


# --- the command line ------------------------------------------------------------------------


def test_a_bank_not_found_under_book_is_said_on_the_command_line(book: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    hand_in(book, tmp_path / "ann.json", "Ann", {"addressee"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "report"
    assert main(["report", str(tmp_path / "ann.json"), "-o", str(out), "--book", str(elsewhere)]) == 0
    err = capsys.readouterr().err
    assert f"{BANK}: warning[report]: bank not found under {elsewhere.resolve()}" in err
    assert "--book" in err and sorted(p.name for p in out.iterdir()) == sorted(FILES)


# --- the item analysis ------------------------------------------------------------------------


def test_the_item_analysis_says_whom_its_figures_cover(book: Path, tmp_path: Path) -> None:
    hand_in(book, tmp_path / "ann.json", "Ann", {"addressee"})
    html = (write_report([tmp_path / "ann.json"], tmp_path / "report", book=book).folder / "index.html"
            ).read_text(encoding="utf-8")
    assert "a question not answered counts 0" not in html
    assert "A question's figures are over the students whose file has it" in html


# --- names the CSVs would give twice --------------------------------------------------------


def test_two_students_of_one_name_are_named_on_the_page_and_the_command_line(
        book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for file, name, class_name in (("a.json", "Li Wei", "9B"), ("b.json", "li  wei", "9C"), ("c.json", "Ann", "9B")):
        data = hand_in(book, folder / file, name, {"addressee"})
        data["student"] = {"name": name, "class": class_name}
        (folder / file).write_text(results.dumps(data), encoding="utf-8")
    assert main(["report", str(folder), "-o", str(tmp_path / "report"), "--book", str(book)]) == 0
    err = capsys.readouterr().err
    assert "warning[report]: 2 students share the name 'Li Wei' (classes 9B, 9C)" in err
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "Names that two students share" in page and "<td>9B, 9C</td>" in page


def test_two_quizzes_of_one_title_are_told_apart_by_their_banks(book: Path, tmp_path: Path) -> None:
    # A bank copied to make a variant, its title kept: the gradebook's columns must not be two of one name.
    shutil.copy(book / BANK, book / "questions" / "variant.yml")
    hand_in(book, tmp_path / "one.json", "Ann", {"addressee"})
    hand_in(book, tmp_path / "two.json", "Bo", {"addressee"}, bank="questions/variant.yml")
    written = write_report([tmp_path / "one.json", tmp_path / "two.json"], tmp_path / "report", book=book)
    title = written.report.quizzes[0].info.title
    labels = [f"{title} ({BANK})", f"{title} (questions/variant.yml)"]
    assert [q.label for q in written.report.quizzes] == labels
    assert list(csv_rows(written.folder / "gradebook.csv")[0])[2:4] == labels
    assert list(csv_rows(written.folder / "gradebook-canvas.csv")[0])[5:7] == labels
