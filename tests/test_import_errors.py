"""Bad and hostile files given to `sourcebook import`, and the export/import command line.

Every case ends in a clear message and a non-zero exit, never a traceback;
entity tricks (XXE, billion laughs) are refused before any parsing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from deadline import returns_within
from sourcebook import types
from sourcebook.cli import main
from sourcebook.imports import MAX_BYTES, ImportFailed
from sourcebook.imports.gift import import_gift
from sourcebook.imports.moodle import import_moodle

ROOT = Path(__file__).parent
CONFORMANCE = ROOT / "conformance" / "bank.yml"

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="shortanswer"><name><text>&secret;</text></name></question></quiz>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<quiz>&lol3;</quiz>"""


@pytest.mark.parametrize(("data", "message"), [
    (XXE, "DOCTYPE"),
    (LAUGHS, "DOCTYPE"),
    (b"<quiz><question type='truefalse'>", "not well-formed XML"),
    (b"<?xml version='1.0' encoding='UTF-8'?><quiz><question type='essay'><name><text>caf\xe9</text></name>"
     b"</question></quiz>", "encoding"),
    (b"<html><body>Not a quiz</body></html>", "not a Moodle XML question file"),
    (b"<quiz><question type='calculated'><name><text>x</text></name></question></quiz>", "no question"),
    (b"", "not well-formed XML"),
    (b"<?xml version='1.0' encoding='UTF-9'?><quiz></quiz>", "declares an encoding that cannot be read"),
], ids=["xxe", "billion-laughs", "truncated", "latin-1-bytes", "not-moodle", "only-unsupported", "empty",
        "unknown-encoding"])
def test_bad_moodle_files_are_refused_clearly(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bank.xml"
    path.write_bytes(data)
    with pytest.raises(ImportFailed, match=message):
        import_moodle(path)


def test_an_id_changed_on_import_says_why(tmp_path: Path) -> None:
    """Moodle banks reuse names; a renamed id says whether its name had other characters or was taken."""
    question = ('<question type="truefalse"><name><text>{}</text></name><questiontext format="html"><text>T?'
                '</text></questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0">'
                "<text>false</text></answer></question>")
    path = tmp_path / "bank.xml"
    path.write_text("<quiz>" + "".join(question.format(n) for n in ("Q1", "Q1", "Q 1", "Q 1")) + "</quiz>",
                    encoding="utf-8")
    notes = [(n.question, n.message) for n in import_moodle(path).notes]
    assert notes == [
        ("Q1-2", "the name 'Q1' becomes the id `Q1-2` (an earlier question has the id `Q1`)"),
        ("Q-1", "the name 'Q 1' becomes the id `Q-1` (ids use letters, digits, '-', '_', '.')"),
        ("Q-1-2", "the name 'Q 1' becomes the id `Q-1-2` (ids use letters, digits, '-', '_', '.'; an earlier "
                  "question has the id `Q-1`)")]
    gift = tmp_path / "bank.gift"
    gift.write_text("::Q1:: T? {T}\n\n::Q1:: U? {F}\n", encoding="utf-8")
    assert [n.message for n in import_gift(gift).notes] == [
        "the title 'Q1' becomes the id `Q1-2` (an earlier question has the id `Q1`)"]


def test_moodle_in_utf16_with_declaration_is_read(tmp_path: Path) -> None:
    text = ('<?xml version="1.0" encoding="UTF-16"?><quiz><question type="truefalse"><name><text>tf</text></name>'
            '<questiontext format="html"><text>&lt;p&gt;Sure?&lt;/p&gt;</text></questiontext>'
            '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>'
            '</question></quiz>')
    path = tmp_path / "bank.xml"
    path.write_bytes(text.encode("utf-16"))
    question = import_moodle(path).questions[0]
    assert (question.id, question.prompt) == ("tf", "Sure?")


@pytest.mark.parametrize(("text", "message"), [
    ("::q1:: Open brace without end {=a ~b", "no '}' closes them"),
    ("::q1 Title never closes {=a}", "does not end with '::'"),
    ("::q1:: How many? {#many}", "not a number"),
    ("::q1:: Text only, no answers.", "no question"),
    ("::q1:: Stray text {before =a ~b}", "must start with '=' or '~'"),
], ids=["unclosed-brace", "unclosed-title", "bad-number", "description-only", "stray-text"])
def test_bad_gift_files_are_refused_clearly(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bank.gift"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailed, match=message):
        import_gift(path)


def test_gift_in_a_wrong_encoding_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bank.gift"
    path.write_bytes(b"::q1:: Fine {T}\n\n::q2:: Caf\xe9 {F}\n")
    with pytest.raises(ImportFailed, match=r"bank.gift:3: byte 0xE9 is not UTF-8"):
        import_gift(path)


def test_huge_files_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(ImportFailed, match="MiB"):
        import_moodle(path)


@pytest.mark.skipif(sys.platform != "linux", reason="a named pipe and /dev/zero")
def test_a_pipe_or_a_device_is_refused_at_once(tmp_path: Path) -> None:
    # Opening a named pipe waits for a writer for ever, and /dev/zero says it is empty and never ends.
    fifo = tmp_path / "export.gift"
    os.mkfifo(fifo)
    for path, read in ((fifo, import_gift), (Path("/dev/zero"), import_moodle)):
        with pytest.raises(ImportFailed, match="not a file"):
            returns_within(30, lambda: read(path), f"importing {path}")  # noqa: B023 (called at once)


def test_foreign_gift_reads_like_moodle(tmp_path: Path) -> None:
    path = tmp_path / "moodle-docs.gift"
    path.write_text(
        "// from Moodle's documentation\n$CATEGORY: $course$/History\n\n"
        "::Grant::Who is buried in Grant's tomb?{~Grant ~Jefferson =no one#Nobody is buried there.}\n\n"
        "Grant was buried in a tomb in New York City.{T}\n\n"
        "::Q5:: What is a number from 1 to 5? {#3:2}\n\n"
        "Moodle costs {~lots of money =nothing ~a small amount} to download.\n", encoding="utf-8")
    imported = import_gift(path)
    assert imported.title == "History"
    kinds = [(q.id, q.TYPE) for q in imported.questions]
    assert kinds == [("Grant", "single"), ("q6", "true-false"), ("Q5", "numeric"), ("q10", "blanks")]
    blanks = imported.questions[3]
    assert isinstance(blanks, types.Blanks)
    assert blanks.text == "Moodle costs [[gap1]] to download."


# --- the command line ---------------------------------------------------------


def test_a_partial_export_writes_the_file_names_what_is_left_out_and_says_so_in_its_status(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bank.gift"
    # A teacher never ends with nothing; a script tells a partial export (3) from a full one (0).
    assert main(["export", str(CONFORMANCE), "--to", "gift", "-o", str(out)]) == 3
    err = capsys.readouterr().err
    assert out.read_bytes().startswith(b"// Grading conformance")
    assert "warning[export]: question `blanks`: left out" in err
    assert f"{CONFORMANCE}:103:5:" in err  # the question's place in the bank
    assert "question `ordering`: GIFT has no ordering question: written as a matching question" in err
    assert "not in the file: multiple-none-right, blanks" in err
    assert main(["export", str(CONFORMANCE), "--to", "gift", "-o", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["export", str(CONFORMANCE), "--to", "gift", "-o", str(out), "--force", "--skip-unsupported"]) == 0
    # Canvas cannot grade a multiple-answers question with no right choice: left out there too.
    assert main(["export", str(CONFORMANCE), "--to", "qti", "-o", str(tmp_path / "q.zip")]) == 3
    assert "not in the file: multiple-none-right" in capsys.readouterr().err


def test_a_folder_or_a_place_that_cannot_be_written_is_said_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`-o` naming a folder (also with the --force that "already exists" suggests), or a file that cannot be
    written: one line saying so, status 1, never a traceback."""
    folder = tmp_path / "out"
    folder.mkdir()
    exported = tmp_path / "bank.xml"
    assert main(["export", str(CONFORMANCE), "--to", "moodle", "-o", str(exported), "--skip-unsupported"]) == 0
    capsys.readouterr()
    for command in (["export", str(CONFORMANCE), "--to", "moodle", "-o", str(folder), "--force"],
                    ["import", str(exported), "--from", "moodle", "-o", str(folder), "--force"],
                    ["worksheet", str(ROOT.parent / "modules" / "01-meeting-the-source"), "-o", str(folder),
                     "--force"]):
        assert main(command) == 1, command
        err = capsys.readouterr().err
        assert err.startswith(f"sourcebook {command[0]}: {folder} is a folder: give ") and err.count("\n") == 1, err
    assert list(folder.iterdir()) == []

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise OSError(30, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "write_bytes", refuse)
    monkeypatch.setattr(Path, "write_text", refuse)
    for command, written in ((["export", str(CONFORMANCE), "--to", "gift", "--skip-unsupported", "-o"], "a.gift"),
                             (["import", str(exported), "--from", "moodle", "-o"], "a.yml")):
        assert main([*command, str(tmp_path / written)]) == 1
        err = capsys.readouterr().err
        assert f"sourcebook {command[0]}: cannot write {tmp_path / written}: Read-only file system; choose another " \
               "place with -o\n" in err and "Traceback" not in err


def test_a_misplaced_file_is_named_for_what_it_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A source given to export, a bank or a misspelt module given to worksheet: what it is, and what to give."""
    course = ROOT.parent
    assert main(["export", str(course / "sources" / "nie-rongzhen-1960.yml"), "--to", "moodle",
                 "-o", str(tmp_path / "x.xml")]) == 1
    assert capsys.readouterr().err == (f"sourcebook export: {course / 'sources' / 'nie-rongzhen-1960.yml'} is a "
                                       "source, not a question bank: export a bank that cites it "
                                       "(questions/NAME.yml)\n")
    assert main(["worksheet", str(course / "questions" / "01-meeting-the-source.yml")]) == 1
    assert "is a bank: give the folder of a module whose page quizzes on it" in capsys.readouterr().err
    assert main(["worksheet", str(course / "modules" / "01-meting-the-source")]) == 1
    assert "; did you mean `01-meeting-the-source`?; give a module folder" in capsys.readouterr().err
    assert not (tmp_path / "x.xml").exists()


def test_a_file_given_as_the_other_format_is_named_for_what_it_is(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    xml, gift = tmp_path / "bank.xml", tmp_path / "bank.gift"
    assert main(["export", str(CONFORMANCE), "--to", "moodle", "-o", str(xml), "--skip-unsupported"]) == 0
    assert main(["export", str(CONFORMANCE), "--to", "gift", "-o", str(gift), "--skip-unsupported"]) == 0
    assert main(["export", str(CONFORMANCE), "--to", "qti", "-o", str(tmp_path / "bank.zip"),
                 "--skip-unsupported"]) == 0
    capsys.readouterr()
    for given, source, said in ((xml, "gift", "is Moodle XML, not GIFT: import it with --from moodle"),
                                (gift, "moodle", "is not XML: if it is GIFT, import it with --from gift"),
                                (tmp_path / "bank.zip", "moodle", "is a zip file (a Canvas QTI export, say), "
                                 "which sourcebook does not import: export the questions from the LMS as Moodle XML "
                                 "or GIFT")):
        assert main(["import", str(given), "--from", source, "-o", str(tmp_path / "back.yml")]) == 1
        assert capsys.readouterr().err == f"sourcebook import: {given} {said}\n"
    assert not (tmp_path / "back.yml").exists()


def test_export_to_standard_output_with_a_dash(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(CONFORMANCE), "--to", "moodle", "-o", "-", "--skip-unsupported"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>') and "<quiz>" in out
    assert "to standard output" in err
    assert list(tmp_path.iterdir()) == []  # no file named "-"


def test_export_of_a_broken_bank_reports_its_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank = tmp_path / "broken.yml"
    bank.write_text("title: x\nquestions: [{id: a, type: single}]\n", encoding="utf-8")
    assert main(["export", str(bank), "--to", "moodle"]) == 1
    assert "error[missing-key]" in capsys.readouterr().err


def test_import_writes_a_bank_that_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = tmp_path / "bank.xml"
    assert main(["export", str(CONFORMANCE), "--to", "moodle", "-o", str(exported), "--skip-unsupported"]) == 0
    target = tmp_path / "questions" / "imported.yml"
    assert main(["import", str(exported), "--from", "moodle", "-o", str(target)]) == 0
    assert main(["check", str(target)]) == 0
    assert main(["import", str(exported), "--from", "moodle", "-o", str(target)]) == 1
    assert "already exists" in capsys.readouterr().err
    hostile = tmp_path / "hostile.xml"
    hostile.write_bytes(XXE)
    assert main(["import", str(hostile), "--from", "moodle", "-o", str(tmp_path / "h.yml")]) == 1
    assert "DOCTYPE" in capsys.readouterr().err
    assert not (tmp_path / "h.yml").exists()
