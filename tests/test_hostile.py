"""Hostile input, tried as an attacker would: nothing runs, nothing leaks, nothing changes meaning.

The threat model: a bank, a source or an LMS export may come from a colleague,
a download or an LMS; students share computers; the site is static. The files
under ``examples/hostile/`` drive these tests, as the valid and invalid
examples drive the loader's:

* ``banks/`` and ``sources/``: each starts with ``# expect: severity[code] line:col``
  lines and must give exactly those problems (a file with no such line must
  load with no error at all);
* ``imports/``: files ``sourcebook import`` must refuse with a one-line error
  or read in time proportional to their size;
* ``exports/``: banks whose text looks like each LMS format's syntax; the
  round-trip tests (``test_export_roundtrip.py``) read their exports back, and
  the tests below read them with third-party readers too.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deadline import returns_within
from sourcebook import BankError, load_bank, read_bank, types
from sourcebook.export import gift as gift_export
from sourcebook.export import moodle as moodle_export
from sourcebook.imports import Imported, ImportFailed, bank_yaml
from sourcebook.imports.gift import import_gift
from sourcebook.imports.moodle import import_moodle
from sourcebook.loader import read_source
from sourcebook.notebooks import source_card

HERE = Path(__file__).parent
HOSTILE = HERE / "examples" / "hostile"
EXPECT = re.compile(r"^# expect: (\w+)\[([\w-]+)\] (\d+):(\d+)$", re.MULTILINE)


def _expected(path: Path) -> list[tuple[str, str, int, int]]:
    return [(s, c, int(line), int(col)) for s, c, line, col in EXPECT.findall(path.read_text(encoding="utf-8"))]


def _got(problems: list) -> list[tuple[str, str, int, int]]:  # type: ignore[type-arg]
    return [(p.severity, p.code, p.line, p.column) for p in problems]


# --- banks and sources: a clean error at the right place, never a traceback -----------


@pytest.mark.parametrize("path", sorted((HOSTILE / "banks").glob("*.yml")), ids=lambda p: p.name)
def test_hostile_bank_gives_exactly_its_errors(path: Path) -> None:
    expected = _expected(path)
    assert expected, f"{path.name} names no expected problem"
    loaded = read_bank(path)
    assert sorted(_got(loaded.problems)) == sorted(expected), "\n".join(map(str, loaded.problems))
    assert all(p.path == str(path) and "Traceback" not in p.message for p in loaded.problems)
    # Every way in (check, export, quiz(), the site's directive) loads through the same
    # reader, so each gets this error instead of an AttributeError or a hang.
    with pytest.raises(BankError):
        load_bank(path)


@pytest.mark.parametrize("path", sorted((HOSTILE / "sources").glob("*.yml")), ids=lambda p: p.name)
def test_hostile_source_gives_exactly_its_errors(path: Path) -> None:
    loaded = read_source(path)
    assert sorted(_got(loaded.problems)) == sorted(_expected(path)), "\n".join(map(str, loaded.problems))
    assert loaded.ok is not any(s == "error" for s, *_ in _expected(path))


def test_a_bank_error_never_quotes_the_file_its_source_names(tmp_path: Path) -> None:
    secret = "TOKEN=sk-live-0123456789"
    (tmp_path / "course" / "questions").mkdir(parents=True)
    (tmp_path / "course" / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (tmp_path / "secrets.yml").write_text(f"{secret}\n", encoding="utf-8")  # outside the course
    (tmp_path / "course" / "sources").mkdir()
    (tmp_path / "course" / "sources" / "broken.yml").write_text(f"{secret}\n", encoding="utf-8")  # inside, not a source
    (tmp_path / "course" / ".env").write_text(f"{secret}\n", encoding="utf-8")
    messages = []
    for cited, code in (("../../secrets.yml", "source-outside"), ("../sources/broken.yml", "source-invalid"),
                        ("../.env", "source-not-yaml"), ("/etc/hostname", "source-not-yaml")):
        bank = tmp_path / "course" / "questions" / "bank.yml"
        bank.write_text(f"title: t\nsource: {cited}\nquestions:\n  - id: q\n    type: true-false\n"
                        "    skill: sourcing\n    prompt: P.\n    answer: true\n    explanation: E.\n",
                        encoding="utf-8")
        problems = read_bank(bank).problems
        assert [p.code for p in problems] == [code], problems
        messages += [str(p) for p in problems]
    assert not [m for m in messages if "sk-live" in m or "TOKEN" in m]


def test_a_pipe_or_a_device_is_refused_at_once(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("title: t\n", encoding="utf-8")
    fifo = tmp_path / "source.yml"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer for ever
    bank = tmp_path / "bank.yml"
    bank.write_text("title: t\nsource: source.yml\nquestions:\n  - id: q\n    type: true-false\n"
                    "    skill: sourcing\n    prompt: P.\n    answer: true\n    explanation: E.\n", encoding="utf-8")
    problems = returns_within(30, lambda: read_bank(bank).problems, "reading a bank whose source is a pipe")
    assert [p.code for p in problems] == ["source-not-file"]
    for path in (fifo, Path("/dev/zero")):
        assert [p.code for p in read_bank(path).problems] == ["not-a-file"]
    # Named to `sourcebook check`, which first looks into a YAML file to know what it is.
    checked = subprocess.run([sys.executable, "-c", "import sys; from sourcebook.cli import main; "
                              "sys.exit(main(sys.argv[1:]))", "check", str(fifo)],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 1 and "error[not-a-file]" in checked.stdout + checked.stderr


def test_the_notebook_carries_only_the_safe_rendering_of_a_source() -> None:
    loaded = read_source(HOSTILE / "sources" / "markup.yml")
    assert loaded.ok, loaded.problems
    card = source_card(loaded.value)
    assert "<script" not in card and "<img" not in card and 'href="javascript' not in card
    assert "&lt;script&gt;" in card  # shown as text
    # An HTML block: a Markdown cell shows the refused link as the text it is.
    assert "<p>A report." in card and "[click](javascript:" in card
    assert "<code>{literalinclude} /etc/hostname </code>" in card
    assert "__version__" not in card  # no file was read into it


# --- imports: one-line errors, time in proportion to size ------------------------------


def test_a_dtd_is_refused_whatever_the_encoding() -> None:
    path = HOSTILE / "imports" / "utf16-entity.xml"
    assert path.read_bytes()[:2] == b"\xff\xfe"  # UTF-16: no ASCII "<!DOCTYPE" in the bytes
    with pytest.raises(ImportFailed, match="DOCTYPE or entities"):
        import_moodle(path)


@pytest.mark.parametrize("name", ["deep-html.xml", "deep-html.gift"])
def test_deeply_nested_html_is_a_one_line_error(name: str) -> None:
    path = HOSTILE / "imports" / name
    with pytest.raises(ImportFailed) as info:
        (import_moodle if name.endswith(".xml") else import_gift)(path)
    message = str(info.value)
    assert message.startswith(str(path)) and "nested too deeply" in message and "\n" not in message


def test_the_command_line_reports_a_hostile_import_in_one_line(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "sourcebook.cli", "import", str(HOSTILE / "imports" / "deep-html.xml"),
                          "--from", "moodle", "-o", str(tmp_path / "out.yml")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert not (tmp_path / "out.yml").exists()


def test_unclosed_cloze_codes_are_read_in_one_pass() -> None:
    # 40 kB of "{1:SHORTANSWER:" that never close took a backtracking pattern 16 s here;
    # a scanner that reads the text once takes a fraction of a second. The limit is a
    # hang guard with a wide margin, not a benchmark.
    path = HOSTILE / "imports" / "unclosed-cloze.xml"
    assert path.stat().st_size > 40_000
    started = time.monotonic()
    imported = import_moodle(path)
    assert time.monotonic() - started < 5
    [question] = imported.questions
    assert isinstance(question, types.Blanks)
    assert list(question.blanks) == ["gap1"] and question.blanks["gap1"].answers == ("Mao Zedong",)


def test_a_file_name_cannot_write_yaml_into_the_imported_bank(tmp_path: Path) -> None:
    text = bank_yaml(Imported(title="Imported"), schema="schema.json",
                     origin="quiz.xml\ntitle: Injected\r\nsource: /etc/passwd\u2028x")
    data = __import__("yaml").safe_load(text)
    assert data == {"title": "Imported", "questions": []}
    assert text.splitlines()[1].startswith("# Imported from quiz.xml\\u000atitle: Injected")


# --- exports: a third-party reader sees the same right answers -------------------------


def test_pygiftparser_sees_the_same_right_answers_and_pairs() -> None:
    parser = pytest.importorskip("pygiftparser.parser")
    from pygiftparser.utils import transformSpecials

    bank = load_bank(HOSTILE / "exports" / "meaning.yml")
    text = gift_export.export_bank(bank).data.decode("utf-8")
    parsed = {q.title: q for q in parser.parseFile(io.StringIO(text))}
    choices = [(transformSpecials(a.answer), a.fraction) for a in parsed["percent-choice"].answers.answers]
    assert choices == [("Nie Rongzhen", 100), ("%100% sure it was Zhou Enlai", 0), ("%50% Mao Zedong", 0)]
    arrows = [a.fraction for a in parsed["arrow-choice"].answers.answers]
    assert arrows == [100, 0, 0]  # still a choice question, not a matching one
    # Moodle splits a pair at its first "->" (pygiftparser at its last, so the right item
    # "remarks -> on the report" is not compared here); the left item's arrow is an entity.
    pairs = [(transformSpecials(p.question).strip(), p.answer.strip()) for p in parsed["arrow-pairs"].answers.answers]
    assert pairs[0] == ("Nie -&gt; Mao", "a report")
    assert len(pairs) == 2


def test_moodle_xml_cloze_holds_one_gap_and_weights_every_choice() -> None:
    bank = load_bank(HOSTILE / "exports" / "meaning.yml")
    xml = moodle_export.export_bank(bank).data.decode("utf-8")
    cloze = xml[xml.index("cloze-syntax"):xml.index("cloze-specials")]
    assert cloze.count("{1:") == 1  # the literal code in the prose is not a gap
    assert "{1:MULTICHOICE_S:=Mao Zedong~%0%=Khrushchev~%0%%50% Zhou Enlai}" in cloze
    assert "&amp;#123;1:SHORTANSWER:=trap&amp;#125;" in cloze or "&#123;1:SHORTANSWER" in cloze


# --- pictures: files of the course, carried inside the text -----------------------------


def _picture_bank(folder: Path, prompt: str) -> Path:
    (folder / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (folder / "images").mkdir(exist_ok=True)
    (folder / "images" / "signature.png").write_bytes((HOSTILE / "images" / "signature.png").read_bytes())
    (folder / "questions").mkdir(exist_ok=True)
    bank = folder / "questions" / "bank.yml"
    bank.write_text(f"title: t\nquestions:\n  - id: q\n    type: true-false\n    skill: sourcing\n"
                    f"    prompt: {json.dumps(prompt)}\n    answer: true\n    explanation: E.\n", encoding="utf-8")
    return bank


def test_a_picture_of_the_course_is_carried_into_every_output(tmp_path: Path) -> None:
    from sourcebook.html import quiz_html
    from sourcebook.worksheet import worksheet_html, worksheet_quiz

    bank = load_bank(_picture_bank(tmp_path, "Whose? ![A signature block](../images/signature.png)"))
    data = "data:image/png;base64," + base64.b64encode((HOSTILE / "images" / "signature.png").read_bytes()).decode()
    assert bank.questions[0].prompt == f"Whose? ![A signature block]({data})"
    site = quiz_html(bank, list(bank.questions), key="pictures")
    assert f'<img src="{data}" alt="A signature block"' in site
    sheet = worksheet_html("t", [worksheet_quiz(bank, bank.questions, shuffle=False, seed=None, key="pictures")])
    assert f'src="{data}"' in sheet


def test_a_picture_written_with_an_escape_is_carried_too(tmp_path: Path) -> None:
    # A bank without "![" in its file is not walked for pictures: unless an escape could make one.
    path = _picture_bank(tmp_path, "Whose? ![A signature block](../images/signature.png)")
    path.write_text(path.read_text(encoding="utf-8").replace("![", "\\x21["), encoding="utf-8")
    assert "![" not in path.read_text(encoding="utf-8")
    assert load_bank(path).questions[0].prompt.startswith("Whose? ![A signature block](data:image/png;base64,")


def test_a_picture_too_large_to_carry_is_an_error(tmp_path: Path) -> None:
    path = _picture_bank(tmp_path, "![A large map](../images/map.png)")
    with (tmp_path / "images" / "map.png").open("wb") as out:
        out.truncate(600 * 1024)
    assert [p.code for p in read_bank(path).problems] == ["image-too-large"]


def test_every_xml_export_of_the_hostile_banks_is_well_formed() -> None:
    import xml.etree.ElementTree as ET
    import zipfile

    from sourcebook.export import qti

    bank = load_bank(HOSTILE / "exports" / "meaning.yml")
    ET.fromstring(moodle_export.export_bank(bank).data)
    with zipfile.ZipFile(io.BytesIO(qti.export_bank(bank).data)) as package:
        for name in package.namelist():
            if name.endswith(".xml"):
                ET.fromstring(package.read(name))
