"""Hand-in files and the class report, without a browser: the format and its schema, the notebook's
hand-in, messy input (each bad file named with its reason), older versions of a bank, the same student
twice, the gradebook CSVs with formulas defused, inert student text in the pages, plain records and the
pandas DataFrame, and the command line.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from deadline import returns_within
from sourcebook import _typed_hand_in, forking, load_bank, results
from sourcebook.cli import main
from sourcebook.forking import InFork
from sourcebook.grading import correct_response
from sourcebook.report import FILES, write_report
from sourcebook.report.page import defuse
from sourcebook.schema import dumps

ROOT = Path(__file__).resolve().parent.parent
BASIC = ROOT / "tests" / "sphinx" / "roots" / "basic"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A copy of the test book (its banks may be edited by a test)."""
    target = tmp_path / "book"
    shutil.copytree(BASIC, target)
    return target


def notebook_hand_in(book: Path, path: Path, name: str, class_name: str, right: set[str],
                     wrong: dict[str, Any] | None = None) -> dict[str, Any]:
    """A student's hand-in from the notebook quiz: ``right`` answered right, ``wrong`` with these responses."""
    from sourcebook import quiz

    q = quiz(book / "questions" / "every-type.yml")
    for view in q.views:
        if view.question.id in right:
            view.control.set_response(correct_response(view.question))
            view.check()
        elif wrong and view.question.id in wrong:
            view.control.set_response(wrong[view.question.id])
            view.check()
    q.hand_in(path, name=name, class_name=class_name, course="Test course")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def rewrite(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as a valid hand-in (sealed again), as a real sourcebook would have."""
    path.write_text(results.dumps(data), encoding="utf-8")


# --- the format ------------------------------------------------------------------


def test_committed_schema_matches_the_format() -> None:
    assert (ROOT / "schema" / "hand-in.schema.json").read_text(encoding="utf-8") == dumps(results.hand_in_schema())


def test_a_notebook_hand_in_follows_the_schema_and_reads_back(book: Path, tmp_path: Path) -> None:
    data = notebook_hand_in(book, tmp_path / "ann.json", "Ann", "9B", {"addressee", "roles", "dates"},
                            {"was-he-right": "Yes, in 1970."})
    jsonschema.validate(data, results.hand_in_schema())
    submission = results.read_hand_in(tmp_path / "ann.json")
    assert (submission.name, submission.class_name, submission.course, submission.made_with) == \
        ("Ann", "9B", "Test course", "notebook")
    (work,) = submission.quizzes
    assert work.bank == "questions/every-type.yml" and work.title == "Every question type"
    answers = {a.id: a for a in work.answers}
    assert answers["roles"].points == 1 and answers["roles"].attempts == 1 and answers["roles"].last_checked
    assert answers["was-he-right"].response == "Yes, in 1970." and answers["was-he-right"].max_points == 0
    assert answers["author"].attempts == 0 and answers["author"].first_checked is None


def test_name_and_class_are_asked_once_in_a_notebook(book: Path, tmp_path: Path) -> None:
    from sourcebook import quiz

    notebook_hand_in(book, tmp_path / "first.json", "Bo", "9C", set())
    again = quiz(book / "questions" / "every-type.yml")
    again.hand_in(tmp_path / "second.json")
    assert results.read_hand_in(tmp_path / "second.json").student == "Bo (9C)"


BROKEN: list[tuple[str, Any, str]] = [
    ("no format", lambda d: d.pop("format"), "not a sourcebook hand-in"),
    ("newer", lambda d: d.update(version=2), "newer sourcebook"),
    ("empty name", lambda d: d["student"].update(name="  "), "student.name: is empty"),
    ("long class", lambda d: d["student"].update({"class": "x" * 201}), "longer than 200"),
    ("bad time", lambda d: d.update(handed_in="yesterday"), "handed_in: should be a date"),
    ("negative points", lambda d: d["quizzes"][0]["questions"][0].update(points=-1), "points: should be a number"),
    ("bool attempts", lambda d: d["quizzes"][0]["questions"][0].update(attempts=True), "attempts: should be a whole"),
    ("extra key", lambda d: d["quizzes"][0].update(extra=1), "unknown key extra"),
    ("missing key", lambda d: d["quizzes"][0]["questions"][0].pop("revealed"), "missing revealed"),
    ("quizzes not a list", lambda d: d.update(quizzes={}), "quizzes: should be a list"),
    ("made with", lambda d: d.update(made_with="server"), "made_with"),
]


@pytest.mark.parametrize(("label", "change", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_the_format_checks_agree_with_the_schema(book: Path, tmp_path: Path, label: str, change: Any,
                                                 message: str) -> None:
    data = notebook_hand_in(book, tmp_path / "ok.json", "Ann", "9B", {"addressee"})
    change(data)
    with pytest.raises(results.HandInError, match=message):
        results.validate(data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, results.hand_in_schema())


@pytest.mark.parametrize(("label", "change", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_sealed_file_that_breaks_the_format_is_set_aside_with_its_reason(book: Path, tmp_path: Path, label: str,
                                                                           change: Any, message: str) -> None:
    # The file's checksum is right: the decoder refuses it, and the checks one by one say why.
    data = notebook_hand_in(book, tmp_path / "ok.json", "Ann", "9B", {"addressee"})
    change(data)
    rewrite(tmp_path / "bad.json", data)
    with pytest.raises(results.HandInError, match=message):
        results.read_hand_in(tmp_path / "bad.json")


def test_the_decoder_reads_what_the_checks_one_by_one_read(book: Path, tmp_path: Path) -> None:
    data = notebook_hand_in(book, tmp_path / "ann.json", "Ann 李 ", " 9B", {"addressee", "roles"},
                            {"was-he-right": "Yes,\n in 1970."})
    data["quizzes"][0]["questions"][0]["response"] = {"deep": [1, 2.5, 10**30, None, "x"]}
    data["quizzes"][0]["questions"][1]["last_checked"] = "2026-03-01T10:00:00Z\n"  # the format's pattern allows it
    rewrite(tmp_path / "ann.json", data)
    raw = (tmp_path / "ann.json").read_bytes()
    decoded = _typed_hand_in.decode(raw, tmp_path / "ann.json")
    assert decoded is not None  # read by the decoder, not the slow way
    fast, sealed = decoded
    assert results.parse(raw, tmp_path / "ann.json") == fast
    assert results._parse_slowly(raw, tmp_path / "ann.json") == (fast, sealed)
    assert sealed == json.loads(raw)["checksum"]
    assert (fast.name, fast.class_name) == ("Ann 李", "9B")
    assert all(type(a.max_points) is float and type(a.points) is float for a in fast.quizzes[0].answers)
    # A file the decoder is stricter about (a question without its optional fingerprint) is still read.
    for q in data["quizzes"][0]["questions"]:
        del q["fingerprint"]
    rewrite(tmp_path / "old.json", data)
    raw = (tmp_path / "old.json").read_bytes()
    assert _typed_hand_in.decode(raw, tmp_path / "old.json") is None
    old = results.parse(raw, tmp_path / "old.json")
    assert [a.fingerprint for a in old.quizzes[0].answers] == [None] * len(fast.quizzes[0].answers)
    assert [a.response for a in old.quizzes[0].answers] == [a.response for a in fast.quizzes[0].answers]


@pytest.mark.parametrize(("label", "change", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_the_decoder_refuses_what_the_checks_refuse(book: Path, tmp_path: Path, label: str, change: Any,
                                                    message: str) -> None:
    data = notebook_hand_in(book, tmp_path / "ok.json", "Ann", "9B", {"addressee"})
    change(data)
    rewrite(tmp_path / "bad.json", data)
    assert _typed_hand_in.decode((tmp_path / "bad.json").read_bytes(), tmp_path / "bad.json") is None


def test_an_unknown_key_in_an_answer_is_refused_by_both_readers(book: Path, tmp_path: Path) -> None:
    data = notebook_hand_in(book, tmp_path / "ok.json", "Ann", "9B", {"addressee"})
    data["quizzes"][0]["questions"][2]["comment"] = "added"
    rewrite(tmp_path / "bad.json", data)
    assert _typed_hand_in.decode((tmp_path / "bad.json").read_bytes(), tmp_path / "bad.json") is None
    with pytest.raises(results.HandInError, match=r"quizzes\[0\]\.questions\[2\]: unknown key comment"):
        results.read_hand_in(tmp_path / "bad.json")


def test_the_decoder_copies_answers_field_by_field_in_the_same_order() -> None:
    # The decoder makes each Answer from its struct's fields in order: both must list them alike.
    import dataclasses

    import msgspec

    assert [f.name for f in msgspec.structs.fields(_typed_hand_in._Answer)] == \
        [f.name for f in dataclasses.fields(results.Answer)]


TIMES: list[tuple[str, Any, bool]] = [
    ("usual", "2026-03-01T10:00:00.000Z", True),
    ("offset, no fraction", "2026-03-01T10:00:00+02:00", True),
    ("newline at the end", "2026-03-01T10:00:00.000Z\n", True),  # the pattern's $ allows it
    ("other digits", "２０２６-03-01T10:00:00.000Z", True),  # \d is any Unicode digit in the pattern
    ("two in one", "2026-03-01T10:00:00.000Z2026-03-01T10:00:00.000Z", False),
    ("two joined by a bar", "2026-03-01T10:00:00.000Z|2026-03-01T10:00:00.000Z", False),  # the decoder's separator
    ("empty", "", False),
    ("letters", "2026-03-01T10:00:00.00aZ", False),
    ("no zone", "2026-03-01T10:00:00.000", False),
]


@pytest.mark.parametrize(("label", "time", "good"), TIMES, ids=[t[0] for t in TIMES])
def test_both_readers_take_the_same_times(book: Path, tmp_path: Path, label: str, time: str, good: bool) -> None:
    # The decoder checks a file's usual times together, any other one by the format's pattern.
    data = notebook_hand_in(book, tmp_path / "ok.json", "Ann", "9B", {"addressee", "roles"})
    data["quizzes"][0]["questions"][1]["first_checked"] = time
    data["quizzes"][0]["questions"][1]["last_checked"] = "2026-03-01T10:00:00.000Z"
    if label == "two in one":  # with an empty time beside it, the file's times are as many characters as two
        data["quizzes"][0]["questions"][2]["first_checked"] = ""
    rewrite(tmp_path / "t.json", data)
    raw = (tmp_path / "t.json").read_bytes()
    decoded = _typed_hand_in.decode(raw, tmp_path / "t.json")
    assert (decoded is not None) == good
    if good:
        assert decoded is not None and decoded[0] == results.read_hand_in(tmp_path / "t.json")
        assert decoded[0].quizzes[0].answers[1].first_checked == time
    else:
        with pytest.raises(results.HandInError, match="should be a date and time"):
            results.read_hand_in(tmp_path / "t.json")


def test_a_file_is_read_whole_when_it_holds_more_than_it_says(book: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # A file read as it grows (or not a regular file) may hold more than its size says: read on to the end.
    notebook_hand_in(book, tmp_path / "ann.json", "Ann", "9B", {"addressee"})
    import os

    real_fstat = os.fstat

    class Smaller:
        def __init__(self, fd: int) -> None:
            self.st_mode = real_fstat(fd).st_mode
            self.st_size = real_fstat(fd).st_size // 2

    monkeypatch.setattr(os, "fstat", Smaller)
    assert results.read_hand_in(tmp_path / "ann.json").name == "Ann"


def test_the_report_leaves_the_cycle_collector_as_it_was(book: Path, tmp_path: Path) -> None:
    # Paused while the report is made; then what was made goes to the oldest generation, nothing stays
    # frozen, and what someone else froze stays frozen.
    import gc

    (tmp_path / "in").mkdir()
    notebook_hand_in(book, tmp_path / "in" / "a.json", "Ann", "9B", {"addressee"})
    assert gc.isenabled()
    write_report([tmp_path / "in"], tmp_path / "report", book=book)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    # What someone else froze stays frozen (a frozen object is in no generation), and the report froze
    # nothing of its own (the count may fall, as frozen objects that something else held are freed).
    marker: list[list[object]] = [[]]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        write_report([tmp_path / "in"], tmp_path / "report", book=book)
        assert gc.get_freeze_count() <= frozen
        assert not any(o is marker for o in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(o is marker for o in gc.get_objects())
    gc.disable()
    try:
        write_report([tmp_path / "in"], tmp_path / "report", book=book)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_report_is_the_same_without_msgspec(book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The in-browser kernel has no msgspec: there every file is read by json and the checks one by one.
    hand_ins = tmp_path / "in"
    hand_ins.mkdir()
    notebook_hand_in(book, hand_ins / "a.json", "Ann", "9B", {"addressee", "roles", "dates"},
                     {"was-he-right": "Yes, in 1970.", "author": 1})
    notebook_hand_in(book, hand_ins / "b.json", "Bo", "9B", {"author", "soviet-tactics"}, {"addressee": 2})
    notebook_hand_in(book, hand_ins / "c.json", "Cy", "9C", set(), {"roles": [0], "dates": "1961"})
    notebook_hand_in(book, hand_ins / "d.json", "Di", "9C", {"addressee", "author", "roles"})
    notebook_hand_in(book, hand_ins / "c2.json", "cy ", "9c", {"addressee"})  # the same student again
    older = notebook_hand_in(book, hand_ins / "e.json", "Ed", "9B", {"roles"})
    for q in older["quizzes"][0]["questions"]:
        del q["fingerprint"]  # an older file: the typed decoder leaves it to the checks one by one
    rewrite(hand_ins / "e.json", older)
    (hand_ins / "broken.json").write_text('{"format": "sourcebook-hand-in"', encoding="utf-8")

    read_by_decoder = []

    def counted(data: bytes, path: Path, as_decoded: bool = False) -> tuple[results.Submission, str] | None:
        decoded = _typed_hand_in.decode(data, path, as_decoded)
        read_by_decoder.append(decoded is not None)
        return decoded

    monkeypatch.setattr(results, "_typed_decoder", lambda: counted)
    fast = write_report([hand_ins], tmp_path / "fast", book=book)
    assert read_by_decoder.count(True) == 5 and read_by_decoder.count(False) == 2
    monkeypatch.setattr(results, "_typed_decoder", lambda: None)
    slow = write_report([hand_ins], tmp_path / "slow", book=book)
    assert fast.results.collection == slow.results.collection
    for name in (p.name for p in fast.folder.iterdir()):
        assert (fast.folder / name).read_bytes() == (slow.folder / name).read_bytes(), name
    assert results.records(fast.results) == results.records(slow.results)


def test_a_folder_gives_its_hand_in_files_in_path_order_without_hidden_ones(tmp_path: Path) -> None:
    names = ["b.json", "a.json", "A.json", "a-b.json", "notes.txt", ".hidden.json", "a/z.json", "a/b/c.json",
             "a-b/x.json", ".git/y.json", "a/.cache/w.json", "ab/y.json", "a/DATA.JSON"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}", encoding="utf-8")
    (tmp_path / "folder.json").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)  # a link to a folder: not walked
    (tmp_path / "link.json").symlink_to(tmp_path / "b.json")  # a link to a file: read
    # A hand-in a browser saved as text is read by what it starts with; the class's files zipped are named.
    (tmp_path / "a" / "hand-in-li.json.txt").write_text('{\n "checksum": "crc32:00000000",\n '
                                                        '"format": "sourcebook-hand-in",\n}', encoding="utf-8")
    (tmp_path / "class.zip").write_bytes(b"PK\x03\x04")
    listed = list(results.hand_in_files([tmp_path]))
    assert [(p.relative_to(tmp_path).as_posix(), unread) for p, unread in listed] == [
        ("A.json", None), ("a/DATA.JSON", None), ("a/b/c.json", None), ("a/hand-in-li.json.txt", None),
        ("a/z.json", None), ("a-b/x.json", None), ("a-b.json", None), ("a.json", None), ("ab/y.json", None),
        ("b.json", None), ("class.zip", "a zip archive, not read: unzip it, then give the folder"), ("link.json", None)]
    assert list(results.hand_in_files([tmp_path / "gone.json"])) == [(tmp_path / "gone.json", "no such file or folder")]


def test_the_checksum_is_crc32_of_the_file_as_written_unsealed(book: Path, tmp_path: Path) -> None:
    import zlib

    notebook_hand_in(book, tmp_path / "ann.json", "Ann 李", "9B 🏫", {"addressee"})
    data = (tmp_path / "ann.json").read_bytes()
    assert data.startswith(b'{\n "checksum": "crc32:')
    value = json.loads(data)["checksum"]
    unsealed = data.replace(value.encode(), b"crc32:00000000", 1)
    assert value == f"crc32:{zlib.crc32(unsealed):08x}"
    # Any change, even of spacing, shows; a byte-order mark does not count.
    (tmp_path / "spaced.json").write_bytes(data.replace(b'"format": ', b'"format":  ', 1))
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + data)
    found = results.collect([tmp_path])
    assert [s.path.name for s in found.skipped] == ["spaced.json"]


# --- messy input ---------------------------------------------------------------------


def test_every_bad_file_is_named_with_its_reason_and_nothing_raises(book: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = notebook_hand_in(book, folder / "good.json", "Ann", "9B", {"addressee"})
    (folder / "empty.json").write_text("", encoding="utf-8")
    (folder / "latin1.json").write_bytes('{"name": "Zoë"}'.encode("latin-1"))
    (folder / "cut.json").write_text(json.dumps(good)[:-20], encoding="utf-8")
    (folder / "nan.json").write_text(json.dumps(good).replace('"hints": 0', '"hints": NaN', 1), encoding="utf-8")
    (folder / "list.json").write_text("[1, 2]", encoding="utf-8")
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (folder / "big.json").write_bytes(b" " * (results.MAX_BYTES + 1))
    edited = json.loads(json.dumps(good))
    edited["quizzes"][0]["questions"][1]["points"] = 2
    (folder / "edited.json").write_text(json.dumps(edited), encoding="utf-8")
    (folder / "notes.txt").write_text("not looked at", encoding="utf-8")
    found = results.collect([folder, tmp_path / "missing.json"])
    reasons = {s.path.name: s.reason for s in found.skipped}
    assert [s.name for s in found.submissions] == ["Ann"]
    assert set(reasons) == {"empty.json", "latin1.json", "cut.json", "nan.json", "list.json", "deep.json", "big.json",
                            "edited.json", "missing.json"}
    assert reasons["empty.json"] == "empty file"
    assert "not UTF-8" in reasons["latin1.json"]
    assert reasons["cut.json"].startswith("not valid JSON (line 1, column")
    assert "NaN" in reasons["nan.json"]
    assert "not a sourcebook hand-in" in reasons["list.json"]
    assert reasons["deep.json"] == "not a hand-in file: nested deeper than JSON can be read"
    assert "larger than 8 MiB" in reasons["big.json"]
    assert "edited by hand" in reasons["edited.json"]
    assert reasons["missing.json"] == "no such file or folder"


def test_the_same_student_twice_counts_the_latest(book: Path, tmp_path: Path) -> None:
    early = notebook_hand_in(book, tmp_path / "z-early.json", "Li  Wei", "9b", {"addressee"})
    late = notebook_hand_in(book, tmp_path / "a-late.json", "li wei", "9B", {"addressee", "isolation"})
    early["handed_in"], late["handed_in"] = "2026-03-01T10:00:00.000Z", "2026-03-01T11:00:00+01:00"
    rewrite(tmp_path / "z-early.json", early)
    rewrite(tmp_path / "a-late.json", late)
    # Written in another time zone, 11:00+01:00 is 10:00Z: the same instant; the file name breaks the tie.
    found = results.collect([tmp_path])
    assert len(found.submissions) == 1 and found.submissions[0].path.name == "z-early.json"
    late["handed_in"] = "2026-03-01T11:00:01+01:00"
    rewrite(tmp_path / "a-late.json", late)
    found = results.collect([tmp_path])
    (kept,) = found.submissions
    assert kept.path.name == "a-late.json"
    assert [(r.student, r.kept.name, [p.name for p in r.earlier], [p.name for p in r.superseded])
            for r in found.replaced] == [("li wei (9B)", "a-late.json", ["z-early.json"], ["z-early.json"])]
    html = write_report([tmp_path], tmp_path / "report", book=book).folder.joinpath("index.html").read_text()
    assert "handed in more than once" in html and "z-early.json" in html


def test_a_bank_on_two_pages_counts_whole_from_a_student_who_handed_in_twice(book: Path, tmp_path: Path) -> None:
    # The site writes a bank shown on two pages as two quizzes of one file. A student who handed in before
    # gets all of both from the later file, as a student with that file alone does.
    late = notebook_hand_in(book, tmp_path / "late.json", "Ann", "9B", {"addressee", "roles", "author"})
    whole = late["quizzes"][0]
    half = len(whole["questions"]) // 2
    late["quizzes"] = [{**whole, "key": "modules/a:quiz:1", "questions": whole["questions"][:half]},
                       {**whole, "key": "modules/b:quiz:1", "questions": whole["questions"][half:]}]
    late["handed_in"] = "2026-03-02T10:00:00.000Z"
    rewrite(tmp_path / "late.json", late)
    alone = write_report([tmp_path / "late.json"], tmp_path / "alone", book=book).report
    early = notebook_hand_in(book, tmp_path / "early.json", "Ann", "9B", set())
    early["handed_in"] = "2026-03-01T10:00:00.000Z"
    rewrite(tmp_path / "early.json", early)
    both = write_report([tmp_path / "late.json", tmp_path / "early.json"], tmp_path / "both", book=book).report
    assert [(g.points, g.max_points) for g in both.grades.values()] == [(g.points, g.max_points)
                                                                       for g in alone.grades.values()]
    assert [g.points for g in alone.grades.values()] == [3]
    (replaced,) = both.results.collection.replaced
    assert replaced.superseded == (tmp_path / "early.json",)


def selection_hand_in(book: Path, path: Path, ids: list[str], right: set[str], handed_in: str) -> dict[str, Any]:
    """Ann's hand-in from a notebook that asked only the questions ``ids`` of the bank, ``right`` answered right."""
    from sourcebook import quiz

    q = quiz(book / "questions" / "every-type.yml", ids=ids)
    for view in q.views:
        view.control.set_response(correct_response(view.question) if view.question.id in right else None)
        view.check()
    q.hand_in(path, name="Ann", class_name="9B", course="Test course")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data["handed_in"] = handed_in
    rewrite(path, data)
    return data


@pytest.mark.parametrize("processes", [1, 2])
def test_two_notebooks_with_other_questions_of_one_bank_both_count(book: Path, tmp_path: Path, processes: int,
                                                                    forks: None) -> None:
    points = {q.id: q.points for q in load_bank(book / "questions" / "every-type.yml").questions}
    folder = tmp_path / "in"
    folder.mkdir()
    # Lesson 1 asked two questions, lesson 2 two others and one of lesson 1's again, which Ann left unanswered.
    selection_hand_in(book, folder / "lesson-1.json", ["addressee", "isolation"], {"addressee", "isolation"},
                      "2026-03-01T10:00:00.000Z")
    selection_hand_in(book, folder / "lesson-2.json", ["roles", "author", "isolation"], {"roles"},
                      "2026-03-08T10:00:00.000Z")
    streamed = results.analyse_files([folder], book, processes=processes)
    assert_same_results(streamed, results.analyse(results.collect([folder]), book))
    ((earned, maximum),) = streamed.student_quizzes[0].values()
    # addressee from lesson 1; roles, and isolation (unanswered), from lesson 2, the later file that has them.
    assert (earned, maximum) == (points["addressee"] + points["roles"],
                                 sum(points[i] for i in ("addressee", "isolation", "roles", "author")))
    (replaced,) = streamed.collection.replaced
    assert replaced.kept == folder / "lesson-2.json" and replaced.superseded == ()
    # A quiz whose answers carry no fingerprint of their own is matched by the quiz's: it counts whole, from
    # the latest file that has it (here lesson 2 alone), as it did before answers had fingerprints.
    early = json.loads((folder / "lesson-1.json").read_text(encoding="utf-8"))
    for answer in early["quizzes"][0]["questions"]:
        answer.pop("fingerprint")
    rewrite(folder / "lesson-1.json", early)
    streamed = results.analyse_files([folder], book, processes=processes)
    assert list(streamed.student_quizzes[0].values()) == [[points["roles"], sum(
        points[i] for i in ("roles", "author", "isolation"))]]
    assert streamed.collection.replaced[0].superseded == (folder / "lesson-1.json",)


def test_half_of_an_emoji_in_a_file_is_read_as_a_replacement_character(book: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # A name cut in the middle of an emoji (as an older hand-in form did) holds half of a UTF-16 pair, which
    # JSON escapes and no UTF-8 page can hold: the file is the student's work, read with U+FFFD in its place.
    data = notebook_hand_in(book, tmp_path / "ann.json", "Ann HALF", "9B", {"addressee"},
                            {"was-he-right": "Yes HALF"})
    sealed = results.dumps(data)
    text = sealed.replace(json.loads(sealed)["checksum"], results.UNSEALED).replace("HALF", "\\ud83d")
    (tmp_path / "ann.json").write_text(text.replace(results.UNSEALED, results.checksum(text.encode())), "utf-8")
    for typed in (True, False):  # with msgspec's decoder (which refuses the file) and without it
        if not typed:
            monkeypatch.setattr(results, "_typed_decoder", lambda: None)
        report = write_report([tmp_path / "ann.json"], tmp_path / "report", book=book, processes=1)
        (ann,) = report.results.submissions
        assert ann.name == "Ann \ufffd"
        assert results._student_at_start((tmp_path / "ann.json").read_bytes()) == ann.student_key
        assert "Ann \ufffd" in (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
        assert "Yes \ufffd" in (tmp_path / "report" / "open-responses.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("processes", [1, 2])
def test_a_hand_in_of_another_course_is_set_aside_and_one_of_this_course_renamed_counts(
        book: Path, tmp_path: Path, processes: int, forks: None) -> None:
    (book / "_config.yml").write_text("title: Cold War science\n", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    ours = notebook_hand_in(book, folder / "ann.json", "Ann", "9B", {"addressee"})
    rewrite(folder / "ann.json", {**ours, "course": "cold war  Science"})  # the same title, spaced otherwise
    rewrite(folder / "bo.json", {**ours, "student": {"name": "Bo", "class": "9B"},
                                 "course": "Cold War science (2025)"})  # renamed since: its answers are ours
    algebra = {**ours, "student": {"name": "Cy", "class": "9B"}, "course": "Algebra"}
    algebra["quizzes"] = [{**work, "bank": "questions/equations.yml", "key": "algebra:1"} for work in ours["quizzes"]]
    rewrite(folder / "cy.json", algebra)
    # Another course whose banks are named as ours are, but whose questions are not ours.
    chemistry = {**ours, "student": {"name": "Di", "class": "9B"}, "course": "Chemistry"}
    chemistry["quizzes"] = [{**work, "questions": [{**answer, "fingerprint": "0" * 16} for answer in work["questions"]]}
                            for work in ours["quizzes"]]
    rewrite(folder / "di.json", chemistry)
    streamed = results.analyse_files([folder], book, processes=processes)
    assert_same_results(streamed, results.analyse(results.collect([folder]), book))
    assert [s.name for s in streamed.submissions] == ["Ann", "Bo"]
    assert list(streamed.quizzes) == ["questions/every-type.yml"]
    reasons = {s.path.name: s.reason for s in streamed.collection.skipped}
    assert reasons == {name: f'from another course, "{course}", with no answer to a question of this book '
                             '("Cold War science"): to count it, make that course\'s report, with --book its folder'
                       for name, course in (("cy.json", "Algebra"), ("di.json", "Chemistry"))}
    # A book with no title of its own says nothing of courses: every file counts.
    (book / "_config.yml").unlink()
    assert len(results.analyse_files([folder], book, processes=processes).submissions) == 4


def test_quizzes_handed_in_one_file_each_all_count(book: Path, tmp_path: Path) -> None:
    from sourcebook import quiz

    notebook_hand_in(book, tmp_path / "types.json", "Ann", "9B", {"addressee"})
    other = book / "questions" / "extra.yml"
    other.write_text("title: Extra\nquestions:\n  - id: x\n    type: true-false\n    prompt: True?\n"
                     "    answer: true\n    skill: sourcing\n", encoding="utf-8")
    q = quiz(other)
    q.views[0].control.set_response(True)
    q.views[0].check()
    q.hand_in(tmp_path / "extra.json")
    data = json.loads((tmp_path / "extra.json").read_text(encoding="utf-8"))
    data["handed_in"] = "2099-01-01T00:00:00Z"  # certainly the later file
    rewrite(tmp_path / "extra.json", data)
    found = results.collect([tmp_path])
    (ann,) = found.submissions
    assert sorted(w.bank for w in ann.quizzes) == ["questions/every-type.yml", "questions/extra.yml"]
    assert found.replaced[0].superseded == ()
    report = write_report([tmp_path], tmp_path / "report", book=book).report
    assert sorted(g.points for g in report.grades.values()) == [1, 1]


def test_an_older_bank_counts_the_unchanged_questions(book: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    notebook_hand_in(book, folder / "ann.json", "Ann", "9B", {"addressee", "isolation", "forty-years"})
    notebook_hand_in(book, folder / "bo.json", "Bo", "9B", {"addressee"})
    bank = book / "questions" / "every-type.yml"
    text = bank.read_text(encoding="utf-8")
    bank.write_text(text.replace("Sputnik 1 flew on 4 October 1957.", "Sputnik 1 was launched on 4 October 1957."),
                    encoding="utf-8")
    analysed = results.analyse(results.collect([folder]), book)
    (older,) = analysed.older.values()
    assert (older.quiz, older.students, older.changed, older.unchanged) == ("questions/every-type.yml", 2, 2, 18)
    by_student = {(c.submission.name, c.answer.id): c for c in analysed.cells}
    assert by_student[("Ann", "forty-years")].status == results.CHANGED
    assert by_student[("Ann", "forty-years")].points == 0
    assert by_student[("Ann", "isolation")].status == results.COUNTED
    written = write_report([folder], tmp_path / "report", book=book)
    rows = list(csv.DictReader(io.StringIO((written.folder / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    assert {r["Student"]: r["Every question type"] for r in rows} == {"Ann": "2", "Bo": "1"}
    html = (written.folder / "index.html").read_text(encoding="utf-8")
    assert "2 students answered <strong>Every question type</strong> on an earlier version of its bank: 18" in html


def test_answers_without_question_fingerprints_count_while_the_quiz_is_unchanged(book: Path, tmp_path: Path) -> None:
    data = notebook_hand_in(book, tmp_path / "ann.json", "Ann", "9B", {"addressee"})
    for q in data["quizzes"][0]["questions"]:
        q["fingerprint"] = None
    rewrite(tmp_path / "ann.json", data)
    cells = results.analyse(results.collect([tmp_path / "ann.json"]), book).cells
    assert {c.status for c in cells} == {results.COUNTED}
    data["quizzes"][0]["fingerprint"] = "0000000000000000"
    rewrite(tmp_path / "ann.json", data)
    cells = results.analyse(results.collect([tmp_path / "ann.json"]), book).cells
    assert {c.status for c in cells} == {results.CHANGED}


def test_a_bank_outside_the_book_is_never_read(book: Path, tmp_path: Path) -> None:
    data = notebook_hand_in(book, tmp_path / "ann.json", "Ann", "9B", {"addressee"})
    data["quizzes"][0]["bank"] = "../../../../../../etc/passwd"
    rewrite(tmp_path / "ann.json", data)
    analysed = results.analyse(results.collect([tmp_path / "ann.json"]), book)
    assert analysed.missing_banks == ["../../../../../../etc/passwd"]
    assert {c.status for c in analysed.cells} == {results.NO_BANK}
    assert sum(c.points for c in analysed.cells) == 1  # counted as handed in


# --- the report's outputs ------------------------------------------------------------


@pytest.mark.parametrize("text", ["=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formulas_are_defused_in_csv(text: str) -> None:
    assert defuse(text) == "'" + text
    assert defuse("Ann") == "Ann" and defuse("1.5") == "1.5"


def test_hostile_student_text_is_inert_in_pages_and_csv(book: Path, tmp_path: Path) -> None:
    name = '<script>alert(1)</script>=HYPERLINK("http://x")'
    notebook_hand_in(book, tmp_path / "x.json", name, "@9B", {"addressee"},
                     {"was-he-right": "</div><img src=x onerror=alert(1)>", "author": "=1+1"})
    written = write_report([tmp_path / "x.json"], tmp_path / "report", book=book, student_column="SIS Login ID")
    for page in ("index.html", "skills.html", "open-responses.html"):
        html = (written.folder / page).read_text(encoding="utf-8")
        assert "<script" not in html and "<img" not in html, page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (written.folder / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in (written.folder / "open-responses.html").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO((written.folder / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "SIS Login ID" and rows[1][:2] == [name, "'@9B"]
    canvas_text = (written.folder / "gradebook-canvas.csv").read_text(encoding="utf-8-sig")
    canvas = list(csv.DictReader(io.StringIO(canvas_text)))
    assert canvas[1]["SIS Login ID"] == name and canvas[1]["Section"] == "'@9B"
    assert canvas[0]["Student"] == "Points Possible"


def test_flags_a_teacher_can_act_on(book: Path, tmp_path: Path) -> None:
    # Six students: everyone gets `isolation` right (too easy); `addressee`: most pick the same wrong choice.
    plan = {"Ann": {"isolation", "addressee", "forty-years", "author"}, "Bo": {"isolation", "forty-years", "author"},
            "Cy": {"isolation", "forty-years"}, "Di": {"isolation", "author"}, "Ed": {"isolation"},
            "Fay": {"isolation"}}
    for name, right in plan.items():
        # Everyone also ticks the first two paragraphs offered by the evidence question (p3 wrong, p4 right).
        notebook_hand_in(book, tmp_path / f"{name}.json", name, "9B", right,
                         {"not-isolation": [0, 1], **({"addressee": 1} if "addressee" not in right else {})})
    report = write_report([tmp_path], tmp_path / "report", book=book).report
    (quiz,) = report.quizzes
    items = {i.id: i for i in quiz.items}
    assert any(f.startswith("too easy") for f in items["isolation"].flags)
    assert any(f.startswith("does not discriminate") for f in items["isolation"].flags)
    addressee = items["addressee"]
    assert [o.picked for o in addressee.options] == [1, 5, 0]
    assert any("wrong choice was picked more often than the right one: Nikita Khrushchev" in f
               for f in addressee.flags)
    assert any(f == "a choice nobody picks: Zhou Enlai" for f in addressee.flags)
    assert any(f.startswith("too hard") for f in addressee.flags)
    evidence = items["not-isolation"]
    assert evidence.options_title == "Paragraph"
    assert [(o.label, o.picked, o.key) for o in evidence.options] == [
        ("`p3`", 6, False), ("`p4`", 6, True), ("`p6`", 0, True), ("`p7`", 0, True)]
    assert quiz.stats.n == 6 and quiz.stats.alpha is not None
    html = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "a choice nobody picks: Zhou Enlai" in html and "<svg" in html


def test_the_columns_hold_what_the_cells_give(book: Path, tmp_path: Path) -> None:
    # The report's figures come from columns gathered while matching; records() from cells made later by
    # the same matching. A messy class: a question answered twice in one file, an older bank, a removed
    # question, a question over its points.
    notebook_hand_in(book, tmp_path / "ann.json", "Ann", "9B", {"addressee", "isolation", "forty-years"},
                     {"was-he-right": "Yes."})
    notebook_hand_in(book, tmp_path / "bo.json", "Bo", "9C", {"addressee"}, {"isolation": False})
    cy = notebook_hand_in(book, tmp_path / "cy.json", "Cy", "9B", {"isolation", "soviet-tactics"})
    questions = cy["quizzes"][0]["questions"]
    again = {**questions[0], "points": 0, "last_checked": "2099-01-01T00:00:00.000Z"}  # checked later: counts
    questions.append(again)
    questions[1]["id"] = "gone"  # the bank no longer has it
    questions[2]["points"] = 99  # never more than the question is worth
    rewrite(tmp_path / "cy.json", cy)
    bank = book / "questions" / "every-type.yml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("Sputnik 1 flew on 4 October 1957.",
                                                             "Sputnik 1 was launched on 4 October 1957."),
                    encoding="utf-8")
    analysed = results.analyse(results.collect([tmp_path]), book)
    cells = analysed.cells
    assert {c.status for c in cells} == {results.COUNTED, results.CHANGED, results.REMOVED}
    (cy_first,) = [c for c in cells if c.submission.name == "Cy" and c.answer.id == questions[0]["id"]]
    assert cy_first.answer.last_checked == "2099-01-01T00:00:00.000Z" and cy_first.points == 0
    index = {id(s): i for i, s in enumerate(analysed.submissions)}
    for quiz, columns in analysed.columns.items():
        for qid, column in columns.questions.items():
            mine = [c for c in cells if c.quiz == quiz and c.answer.id == qid]
            counted = [c for c in mine if c.counts]
            first = (counted or mine)[0]
            assert (column.type, column.skill, column.max_points) == (first.answer.type, first.skill, first.max_points)
            assert column.students == [index[id(c.submission)] for c in counted if c.graded]
            assert column.points == [c.points for c in counted if c.graded]
            tried = [c for c in counted if c.answer.attempts > 0]
            assert column.answered == len(tried)
            assert column.responses == [c.answer.response for c in tried if c.answer.response is not None]
            # The answers themselves only where the report shows them: open questions, and those the bank
            # does not have (whose type is the answers' own).
            shown = [c for c in tried if column.type == "open" or c.status in (results.REMOVED, results.NO_BANK)]
            assert column.tried == [c.answer for c in shown]
            assert column.tried_students == [index[id(c.submission)] for c in shown]
            assert column.tried or qid != "was-he-right"
    # Read and matched file by file, keeping no answers: the same results, and the same records.
    streamed = results.analyse_files([tmp_path], book)
    assert streamed.columns == analysed.columns
    assert (streamed.student_quizzes, streamed.student_skills) == (analysed.student_quizzes, analysed.student_skills)
    assert (streamed.quizzes, streamed.older, streamed.missing_banks) == (analysed.quizzes, analysed.older,
                                                                          analysed.missing_banks)
    assert [(s.path, s.name) for s in streamed.submissions] == [(s.path, s.name) for s in analysed.submissions]
    assert all(not work.answers for s in streamed.submissions for work in s.quizzes)
    assert results.records(streamed) == results.records(analysed)
    report = write_report([tmp_path], tmp_path / "report", book=book).report
    for (i, quiz), score in report.grades.items():
        graded = [c for c in cells if c.counts and c.graded and c.quiz == quiz and index[id(c.submission)] == i]
        assert (score.points, score.max_points) == (sum(c.points for c in graded), sum(c.max_points for c in graded))
    assert sorted(report.grades) == sorted({(index[id(c.submission)], c.quiz) for c in cells})
    assert [r["points"] for r in results.records(analysed)] == [c.points for c in cells]


def assert_same_results(streamed: results.ClassResults, analysed: results.ClassResults) -> None:
    """What analyse_files gave is what analyse(collect(...)) gave, down to the records."""
    assert streamed.columns == analysed.columns
    assert (streamed.student_quizzes, streamed.student_skills) == (analysed.student_quizzes, analysed.student_skills)
    assert (streamed.quizzes, streamed.older, streamed.missing_banks) == (analysed.quizzes, analysed.older,
                                                                          analysed.missing_banks)
    assert [(s.path, s.name, s.class_name, s.handed_in, [w.key for w in s.quizzes]) for s in streamed.submissions] \
        == [(s.path, s.name, s.class_name, s.handed_in, [w.key for w in s.quizzes]) for s in analysed.submissions]
    assert streamed.collection.skipped == analysed.collection.skipped
    assert streamed.collection.replaced == analysed.collection.replaced
    assert results.records(streamed) == results.records(analysed)


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs of students matched in forked processes even here, where the browser tests' threads may run
    (the report forks only where no other thread runs; these threads are idle servers)."""
    monkeypatch.setattr(forking, "can_fork", lambda: True)


def messy_class(book: Path, folder: Path) -> list[Path]:
    """Hand-ins as a class gives them: a student twice, out of order, in another case and spacing, a file
    not written as the site writes it, a name escaped in JSON, a broken, a foreign and an edited file;
    and a file named that is not there. Returns what to read."""
    folder.mkdir()
    ann = notebook_hand_in(book, folder / "b-ann.json", "Ann", "9B", {"addressee", "roles"}, {"was-he-right": "Yes."})
    later = {**ann, "handed_in": "2099-01-01T00:00:00.000Z"}
    later["quizzes"] = [{**later["quizzes"][0], "questions": later["quizzes"][0]["questions"][:3]}]
    rewrite(folder / "a-ann-later.json", later)  # Ann again, later, listed first
    bo = notebook_hand_in(book, folder / "c-bo.json", "Bo", "9C", {"author"}, {"addressee": 2})
    # Bo's file with the student before the format: not as the site and notebooks write it, read whole first.
    rewrite(folder / "c-bo.json", {"student": bo["student"], **{k: v for k, v in bo.items() if k != "student"}})
    notebook_hand_in(book, folder / "d-bo-again.json", " bo", "9c", {"roles"})
    notebook_hand_in(book, folder / "e-cy.json", "Cy", "9A", {"dates"}, {"was-he-right": "No."})
    notebook_hand_in(book, folder / "f-di.json", 'Di "Dé"', "9B", {"addressee", "author"})  # escaped in JSON
    (folder / "g-broken.json").write_text('{"format": "sourcebook-hand-in"', encoding="utf-8")
    (folder / "h-foreign.json").write_text('{"scores": [1, 2]}', encoding="utf-8")
    edited = notebook_hand_in(book, folder / "i-ed.json", "Ed", "9B", {"roles"})
    edited["quizzes"][0]["questions"][0]["points"] = 5
    (folder / "i-ed.json").write_text(json.dumps(edited), encoding="utf-8")  # edited by hand
    return [folder, folder.parent / "missing.json"]


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_the_report_matches_each_file_as_it_reads_it_to_the_same_results(book: Path, tmp_path: Path, processes: int,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         forks: None) -> None:
    # The report reads each file's student from its start, then the files whole, student by student,
    # matching each as it is read and keeping no answer: the same results as collect() then analyse().
    # In several processes, each matching a run of students, joined in order: the same again.
    folder = tmp_path / "in"
    given = messy_class(book, folder)
    assert [results._student_at_start(p.read_bytes()) for p in sorted(folder.iterdir())] == [
        ("ann", "9b"), ("ann", "9b"), None, ("bo", "9c"), ("cy", "9a"), ('di "dé"', "9b"), None, None, ("ed", "9b")]
    forked: list[Any] = []

    def fork(*call: Any) -> InFork[Any]:
        forked.append(call)
        return InFork(*call)

    monkeypatch.setattr(forking, "InFork", fork)
    streamed = results.analyse_files(given, book, processes=processes)
    assert len(forked) == processes - 1  # each run but the first matched by a forked process
    analysed = results.analyse(results.collect(given), book)
    assert_same_results(streamed, analysed)
    assert [s.name for s in streamed.submissions] == ["Cy", "Ann", 'Di "Dé"', "bo"]
    assert len(streamed.collection.replaced) == 2 and len(streamed.collection.skipped) == 4
    assert not [work for s in streamed.submissions for work in s.quizzes if work.answers]  # none kept
    open_column = streamed.columns["questions/every-type.yml"].questions["was-he-right"]
    # Ann's later file has three questions, not this one: her earlier file's answer to it counts.
    assert [a.response for a in open_column.tried] == ["No.", "Yes."]
    assert all(type(a) is results.Answer for a in open_column.tried)


def test_a_run_whose_process_ends_without_sending_is_matched_here(book: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch, forks: None) -> None:
    # A process matching a run of students is killed (as by the system, out of memory): this process
    # matches that run itself, to the same results.
    given = messy_class(book, tmp_path / "in")
    here, matched_here = os.getpid(), []
    match = results._match_students

    def killed_elsewhere(students: Any, root: Any) -> Any:
        if os.getpid() != here:
            os._exit(9)
        matched_here.append(len(students))
        return match(students, root)

    monkeypatch.setattr(results, "_match_students", killed_elsewhere)
    streamed = results.analyse_files(given, book, processes=2)
    # Both runs matched here: the five students whose files were read (Ed's, edited, is then set aside).
    assert len(matched_here) == 2 and sum(matched_here) == 5 and len(streamed.submissions) == 4
    monkeypatch.setattr(results, "_match_students", match)
    assert_same_results(streamed, results.analyse(results.collect(given), book))


def test_the_report_is_the_same_in_one_process_or_several(book: Path, tmp_path: Path, forks: None) -> None:
    given = messy_class(book, tmp_path / "in")
    one = write_report(given, tmp_path / "one", book=book, processes=1).folder
    three = write_report(given, tmp_path / "three", book=book, processes=3).folder
    for name in FILES:
        assert (three / name).read_bytes() == (one / name).read_bytes(), name


def test_runs_of_students_are_cut_in_order_by_their_bytes() -> None:
    students: list[Any] = [((f"s{n}", "9b"), [(n, Path(f"{n}.json"), None, size)]) for n, size in
                           enumerate([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 500])]
    sizes = [mine[0][3] for _, mine in students]
    runs = results._runs(students, sizes, 2)
    assert [s for run in runs for s in run] == students  # contiguous, in order, every student once
    assert len(runs) == 2 and runs[1] == [students[-1]]  # the large file is a run of its own
    even = results._runs(students[:10], sizes[:10], 2)
    assert len(even[0]) > len(even[1]) >= 4  # this process, which receives, takes a little more
    assert results._runs(students[:1], sizes[:1], 4) == [students[:1]]  # no empty run is forked


def test_a_file_whose_student_comes_late_in_it_is_still_read(book: Path, tmp_path: Path) -> None:
    # The report first reads each file's start to know whose it is. A file with the student beyond it
    # (here after 10,000 spaces, still valid JSON and sealed) is read whole at once instead.
    ann = notebook_hand_in(book, tmp_path / "ann.json", "Ann", "9B", {"addressee"})
    notebook_hand_in(book, tmp_path / "bo.json", "Bo", "9B", {"roles"})
    text = results.dumps(ann).replace('"student":', " " * 10_000 + '"student":', 1)
    sealed = json.loads(text)["checksum"]
    text = text.replace(sealed, results.UNSEALED)
    (tmp_path / "ann.json").write_text(text.replace(results.UNSEALED, results.checksum(text.encode("utf-8"))),
                                       encoding="utf-8")
    assert results._student_at_start((tmp_path / "ann.json").read_bytes()) == ("ann", "9b")
    assert results._student_at_start(results._file_start(tmp_path / "ann.json")[0]) is None
    streamed = results.analyse_files([tmp_path], book)
    assert [s.name for s in streamed.submissions] == ["Ann", "Bo"] and not streamed.collection.skipped
    assert_same_results(streamed, results.analyse(results.collect([tmp_path]), book))


@pytest.mark.parametrize("processes", [1, 2])
def test_a_file_whose_start_names_another_student_is_read_as_collect_reads_it(book: Path, tmp_path: Path,
                                                                             processes: int, forks: None) -> None:
    # Made by hand and sealed again: "student" twice, the start names Ann, the file as read names Zed,
    # which would put the file out of the students' order: the report then reads as collect() does.
    notebook_hand_in(book, tmp_path / "a.json", "Bo", "9B", {"roles"})
    notebook_hand_in(book, tmp_path / "z.json", "Ann", "9B", {"addressee"})
    text = (tmp_path / "z.json").read_text(encoding="utf-8")
    sealed = json.loads(text)["checksum"]
    text = text.replace(sealed, results.UNSEALED).replace('"course":', '"student": {"name": "Zed", "class": "9B"},\n '
                                                                      '"course":', 1)
    (tmp_path / "z.json").write_text(text.replace(results.UNSEALED, results.checksum(text.encode("utf-8"))),
                                     encoding="utf-8")
    assert results._student_at_start((tmp_path / "z.json").read_bytes()) == ("ann", "9b")
    assert results.read_hand_in(tmp_path / "z.json").name == "Zed"
    streamed = results.analyse_files([tmp_path], book, processes=processes)
    assert_same_results(streamed, results.analyse(results.collect([tmp_path]), book))
    assert [s.name for s in streamed.submissions] == ["Bo", "Zed"]
    assert streamed.sources is None  # read as collect() reads, answers and all


@pytest.mark.parametrize("bank", ["questions/every-type.yml", "questions/not-here.yml"])
def test_an_answer_hand_edited_to_another_type_is_reported_not_raised(book: Path, tmp_path: Path, bank: str) -> None:
    # Bo's file, edited by hand: his one answer, to a single-choice question, now says it is an open response.
    ann = notebook_hand_in(book, tmp_path / "ann.json", "Ann", "9B", {"addressee", "roles"})
    bo = notebook_hand_in(book, tmp_path / "bo.json", "Bo", "9B", {"addressee"})
    for data in (ann, bo):
        data["quizzes"][0]["bank"] = bank
    bo["quizzes"][0]["questions"] = [q for q in bo["quizzes"][0]["questions"] if q["id"] == "addressee"]
    bo["quizzes"][0]["questions"][0].update(type="open", response="Mao Zedong, typed by hand")
    rewrite(tmp_path / "ann.json", ann)
    rewrite(tmp_path / "bo.json", bo)
    written = write_report([tmp_path / "ann.json", tmp_path / "bo.json"], tmp_path / "report", book=book)
    (quiz,) = written.report.quizzes
    addressee = {i.id: i for i in quiz.items}["addressee"]
    grades = {s.name: g.points for (i, _), g in written.report.grades.items() for s in [written.report.students[i]]}
    if bank == "questions/every-type.yml":
        # The bank says what the question is: a graded single choice, whatever the file says.
        assert addressee.type == "single" and addressee.stats.n == 2
        assert grades == {"Ann": 2, "Bo": 1}
    else:
        # No bank: each answer says what it is. The question is what its first answer says (Ann's single
        # choice); Bo's open response is not among its marks, nor in his points.
        assert addressee.type == "single" and addressee.stats.n == 1
        assert grades == {"Ann": 2, "Bo": 0}
    cells = results.analyse(results.collect([tmp_path / "ann.json", tmp_path / "bo.json"]), book).cells
    (bo_cell,) = [c for c in cells if c.submission.name == "Bo"]
    assert bo_cell.graded is (bank == "questions/every-type.yml")


def test_open_responses_are_collated_with_model_answer_and_rubric(book: Path, tmp_path: Path) -> None:
    notebook_hand_in(book, tmp_path / "b.json", "Bo", "9B", set(), {"was-he-right": "Late, in 1970."})
    notebook_hand_in(book, tmp_path / "a.json", "Ann", "9B", set(), {"was-he-right": "Yes:\n24 April 1970."})
    written = write_report([tmp_path], tmp_path / "report", book=book)
    html = (written.folder / "open-responses.html").read_text(encoding="utf-8")
    assert "Model answer" in html and "Rubric" in html and "I name the date" in html
    assert html.index("Ann (9B)") < html.index("Bo (9B)")  # in class and name order
    assert "Yes:\n24 April 1970." in html and "break-before: page" in html


def test_records_and_dataframe(book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notebook_hand_in(book, tmp_path / "a.json", "Ann", "9B", {"addressee", "soviet-tactics"})
    notebook_hand_in(book, tmp_path / "b.json", "Bo", "9C", {"addressee"})
    records = results.records([tmp_path], book)
    assert len(records) == 2 * 10
    ann = {r["question"]: r for r in records if r["student"] == "Ann"}
    assert ann["soviet-tactics"]["points"] == 2 and ann["soviet-tactics"]["max_points"] == 2
    assert ann["soviet-tactics"]["skill"] == "close reading" and ann["soviet-tactics"]["status"] == "counted"
    assert ann["author"]["attempts"] == 0 and ann["was-he-right"]["graded"] is False
    frame = results.dataframe([tmp_path], book)
    assert frame.shape[0] == 20
    assert frame.groupby("student")["points"].sum().to_dict() == {"Ann": 3, "Bo": 1}
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="records gives the same data"):
        results.dataframe([tmp_path], book)


def test_command_line(book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notebook_hand_in(book, tmp_path / "a.json", "Ann", "9B", {"addressee"})
    (tmp_path / "b.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "report"
    assert main(["report", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "-o", str(out),
                 "--book", str(book)]) == 0
    err = capsys.readouterr().err
    assert f"{tmp_path / 'b.json'}: warning[hand-in]: set aside: not a sourcebook hand-in file" in err
    assert "1 student, 1 quiz, 1 file set aside" in err
    assert {p.name for p in out.iterdir()} == {"index.html", "skills.html", "open-responses.html", "gradebook.csv",
                                               "gradebook-canvas.csv", "summary.json"}
    assert main(["report", str(tmp_path / "b.json"), "-o", str(tmp_path / "none"), "--book", str(book)]) == 1
    assert "no hand-in to count in " + str(tmp_path / "b.json") + ": every file found was set aside" \
        in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["report", str(tmp_path / "empty"), "-o", str(tmp_path / "none"), "--book", str(book)]) == 1
    assert f"no hand-in to count in {tmp_path / 'empty'}: no .json file there" in capsys.readouterr().err
    assert main(["schema", "--hand-in"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "sourcebook hand-in"


def test_the_hand_in_form_speaks_both_languages() -> None:
    from sourcebook.i18n import languages, strings_for

    keys = [k for k in strings_for("en") if k.startswith("handin_")]
    assert len(keys) == 8
    for language in languages():
        strings = strings_for(language)
        assert all(strings[k] for k in keys)
        assert "{file}" in strings["handin_done"] and "{n}" in strings["handin_done"]
    chinese = strings_for("zh_CN")
    assert all(chinese[k] != strings_for("en")[k] for k in keys)


def test_the_columns_hold_one_object_per_mark(book: Path, tmp_path: Path) -> None:
    # Three students, each with the same wrong answer to isolation (0 points) and the same right one to
    # addressee: the figures read each column's marks again and again, so each value is one object.
    for name in ("Ann", "Bo", "Cy"):
        notebook_hand_in(book, tmp_path / f"{name}.json", name, "9B", {"addressee"}, {"isolation": True})
    analysed = results.analyse(results.collect([tmp_path]), book)
    (quiz,) = analysed.columns.values()
    for qid in ("addressee", "isolation"):
        points = quiz.questions[qid].points
        assert len(points) == 3 and points[0] is points[1] is points[2]
    assert quiz.questions["isolation"].points[0] == 0


@pytest.mark.skipif(sys.platform != "linux", reason="a named pipe and /dev/zero")
def test_a_pipe_or_a_device_named_as_a_hand_in_is_refused_at_once(tmp_path: Path) -> None:
    # Opening a named pipe to read waits for a writer for ever; /dev/zero never ends. Named on the command
    # line, each is set aside with the reason, at once.
    fifo = tmp_path / "hand-in.json"
    os.mkfifo(fifo)
    done = returns_within(30, lambda: results.analyse_files([fifo, "/dev/zero"]), "reading a pipe named as a hand-in")
    assert [(str(s.path), s.reason) for s in done.collection.skipped] == [
        (str(fifo), "cannot be read: not a file (a pipe, a device or a folder)"),
        ("/dev/zero", "cannot be read: not a file (a pipe, a device or a folder)")]
    with pytest.raises(results.HandInError, match="not a file"):
        results.read_hand_in("/dev/zero")


def test_a_folder_read_as_a_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(results.HandInError, match="cannot be read: not a file"):
        results.read_hand_in(tmp_path)
