"""`sourcebook new module` and `sourcebook new bank`: what they write, what they refuse, and _toc.yml.

The table of contents is the teacher's file: apart from the one line added,
it must come back byte for byte, whatever its comments and layout.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from sourcebook import cli
from sourcebook.loader import read_bank
from sourcebook.pages import read_page
from sourcebook.placeholders import BANK_PHRASES, PAGE_PHRASES, page_placeholders
from sourcebook.problems import Problem
from sourcebook.scaffold import ScaffoldError, new_bank, new_module, toc_with_module

ROOT = Path(__file__).resolve().parent.parent

#: A table of contents with comments everywhere, odd but valid indentation,
#: quoted captions, a flow mapping, an entry with sections and trailing comments.
ODD_TOC = """\
# The course's table of contents.   Edited by hand; keep the comments!
format:   jb-book
root: book/intro    # the front page

parts:
- caption: 'Start here'
  chapters:
      - file: book/how-to-use   # first read
      - file: book/source
- caption:   "Modules"     # six lessons, in order
  numbered: true
  chapters:
    # Module 1 opens the course.
    -   file: modules/01-meeting-the-source/index
    - {file: modules/02-the-door-has-been-shut/index}

    # Three and four go together.
    -
      file: modules/04-bombs-and-satellites/index
      sections:
        - file: modules/04-bombs-and-satellites/extra   # optional reading
    - file: modules/06-was-nie-right/index
      # a comment below the last module, indented
# a comment at the margin
- caption: Reference
  chapters: [{file: book/themes}, {file: book/glossary}]  # flow style here is fine
"""


def modules_files(text: str) -> list[str]:
    data = YAML(typ="rt").load(text)
    part = next(p for p in data["parts"] if p["caption"] == "Modules")
    return [c["file"] for c in part["chapters"]]


@pytest.mark.parametrize(("number", "position"), [(0, 0), (3, 2), (5, 3), (9, 4)])
@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_the_toc_changes_by_one_line_only(number: int, position: int, eol: str) -> None:
    original = ODD_TOC.replace("\n", eol)
    file = f"modules/{number:02d}-new-module/index"
    edited = toc_with_module(original, file, number)
    added = [line for line in edited.splitlines(keepends=True) if file in line]
    assert len(added) == 1 and added[0].endswith(eol)
    assert edited.replace(added[0], "", 1) == original  # everything else byte for byte
    files = modules_files(edited)
    assert files.index(file) == position
    assert files == sorted(files)


def test_the_new_line_looks_like_its_neighbours() -> None:
    toc = "parts:\n  - caption: Modules\n    chapters:\n      - {file: modules/01-a/index}\n"
    assert toc_with_module(toc, "modules/02-b/index", 2).endswith("      - {file: modules/02-b/index}\n")
    toc = "parts:\n- caption: Modules\n  chapters:\n  -   file: modules/01-a/index"  # no newline at the end
    assert toc_with_module(toc, "modules/02-b/index", 2) == toc + "\n  -   file: modules/02-b/index\n"


def test_comments_above_a_module_stay_with_it() -> None:
    edited = toc_with_module(ODD_TOC, "modules/03-x/index", 3)
    assert "/index}\n\n    - file: modules/03-x/index\n    # Three and four go together.\n    -\n" in edited


@pytest.mark.parametrize(("toc", "message"), [
    ("format: jb-book\nroot: intro\nparts:\n  - caption: Lessons\n    chapters:\n      - file: a\n",
     'no part captioned "Modules"; add a part captioned "Modules"'),
    ("format: jb-book\nroot: intro\nchapters:\n  - file: a\n", "- caption: Modules"),
    ("parts:\n  - caption: Modules\n", 'the "Modules" part of _toc.yml lists no chapters'),
    ("parts:\n  - caption: Modules\n    chapters: [{file: modules/01-a/index}]\n", "written in [brackets]"),
    ("parts:\n  - caption: Modules\n    chapters:\n      - file: modules/07-other/index\n",
     "module number 07 is taken: _toc.yml lists modules/07-other/index"),
    ("parts: [\n", "_toc.yml is not valid YAML"),
])
def test_a_toc_it_cannot_edit_is_explained(toc: str, message: str) -> None:
    with pytest.raises(ScaffoldError, match=re.escape(message)):
        toc_with_module(toc, "modules/07-new/index", 7)


# --- whole commands on a copy of a small book ---------------------------------------


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A small book: the course's source, one module and its bank, and ODD_TOC."""
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    (tmp_path / "_toc.yml").write_text(ODD_TOC, encoding="utf-8")
    return tmp_path


HEADINGS = ["Central question", "Learning objectives", "The source", "Context", "Guiding questions", "Sourcing",
            "Contextualization", "Corroboration", "Close reading", "Quiz", "Answering the central question",
            "Key points", "Further investigation", "For instructors"]


def test_new_module_follows_the_module_structure(book: Path) -> None:
    written = new_module(book, "07-the-great-leap", "The Great Leap Forward", themes=["Self-reliance", "Famine"],
                         time="45 minutes")
    page = book / "modules" / "07-the-great-leap" / "index.md"
    bank = book / "questions" / "07-the-great-leap.yml"
    assert written.created == (page, bank) and written.changed == (book / "_toc.yml",)
    read = read_page(page, book)
    assert read.metadata == {"module": 7, "short_title": "The Great Leap Forward",
                             "themes": ["Self-reliance", "Famine"], "time": "45 minutes"}
    assert read.title == "The Great Leap Forward"
    text = page.read_text(encoding="utf-8")
    assert re.findall(r"^#{2,3} (.+)$", text, re.MULTILINE) == HEADINGS
    directives = re.findall(r"^ *```\{([\w-]+)\}(.*)$", text, re.MULTILINE)
    assert directives == [("module-facts", ""), ("source-card", " /sources/nie-rongzhen-1960.yml"),
                          ("source-excerpt", " /sources/nie-rongzhen-1960.yml"), *[("model-answer", "")] * 4,
                          ("quiz", " /questions/07-the-great-leap.yml"), ("model-answer", ""), ("instructor-note", "")]
    assert ":paragraphs: p1" in text
    assert [q.bank for q in read.quizzes] == [bank]
    assert "modules/07-the-great-leap/index" in modules_files((book / "_toc.yml").read_text(encoding="utf-8"))
    assert "lorem" not in text.lower()


def placeholder_warnings(problems: list[Problem]) -> list[tuple[int, int]]:
    """The places of the problems, which must all be warnings about text left from the scaffold."""
    assert all((p.severity, p.code) == ("warning", "placeholder") for p in problems), problems
    return [(p.line, p.column) for p in problems]


def test_the_new_bank_loads_with_an_example_of_each_common_type_each_flagged(book: Path) -> None:
    new_module(book, "07-the-great-leap", "The Great Leap: \"forward\" # not a comment")
    bank = book / "questions" / "07-the-great-leap.yml"
    text = bank.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/question-bank.schema.json\n")
    loaded = read_bank(bank)
    assert loaded.value.title == "The Great Leap: \"forward\" # not a comment"
    assert loaded.value.source == "../sources/nie-rongzhen-1960.yml"
    assert [q.TYPE for q in loaded.value.questions] == ["single", "multiple", "true-false", "short", "open"]
    assert all(q.id.startswith("example-") and "xample" in q.prompt for q in loaded.value.questions)
    # The description and each example question is flagged once, so a strict check fails while any is left.
    assert len(placeholder_warnings(loaded.problems)) == 6
    assert cli.main(["check", str(bank)]) == 0
    assert cli.main(["check", "--strict", str(bank)]) == 1


def test_the_checker_knows_every_example_text_the_scaffold_writes(book: Path) -> None:
    """Each phrase the checker looks for is one the scaffold writes, and each one left is flagged at its line."""
    new_module(book, "07-the-great-leap", "The Great Leap")
    page = book / "modules" / "07-the-great-leap" / "index.md"
    bank = (book / "questions" / "07-the-great-leap.yml").read_text(encoding="utf-8")
    for phrase in BANK_PHRASES:
        assert " ".join(phrase.split()) in " ".join(bank.split()), phrase
    found = page_placeholders(page.read_text(encoding="utf-8"))
    assert sorted({f.phrase for f in found}) == sorted(PAGE_PHRASES)
    lines = page.read_text(encoding="utf-8").splitlines()
    for f in found:
        assert lines[f.line - 1][f.column - 1:].startswith(f.phrase.split()[0]), f
    assert cli.main(["check", str(page)]) == 0
    assert cli.main(["check", "--strict", str(book / "modules")]) == 1
    # Rewrapped by an editor, a phrase is still found; written over, it is gone.
    assert page_placeholders("Write the context\n   essay here.\n")[0].line == 1
    written = re.sub("|".join(re.escape(p.split()[0]) for p in PAGE_PHRASES), "Our", page.read_text("utf-8"))
    page.write_text(written, encoding="utf-8")
    assert cli.main(["check", "--strict", str(page)]) == 0


def test_new_module_never_overwrites(book: Path) -> None:
    new_module(book, "07-the-great-leap", "First")
    page = book / "modules" / "07-the-great-leap" / "index.md"
    page.write_text("# The teacher's own work\n", encoding="utf-8")
    toc = (book / "_toc.yml").read_bytes()
    with pytest.raises(ScaffoldError, match="already exists; nothing written"):
        new_module(book, "07-the-great-leap", "Second")
    assert page.read_text(encoding="utf-8") == "# The teacher's own work\n"
    assert (book / "_toc.yml").read_bytes() == toc


def read_only(monkeypatch: pytest.MonkeyPatch, what: str) -> None:
    """Writing to a path whose text contains ``what`` fails as on a read-only folder (as root, chmod would not)."""
    real_open, real_mkdir, real_write = Path.open, Path.mkdir, Path.write_bytes

    def refuse(path: Path) -> None:
        if what in str(path):
            raise OSError(30, "Read-only file system", str(path))

    def opened(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "x" in mode or "w" in mode:
            refuse(self)
        return real_open(self, mode, *args, **kwargs)

    def made(self: Path, *args: Any, **kwargs: Any) -> None:
        refuse(self)
        real_mkdir(self, *args, **kwargs)

    def written(self: Path, data: bytes) -> int:
        refuse(self)
        return real_write(self, data)

    monkeypatch.setattr(Path, "open", opened)
    monkeypatch.setattr(Path, "mkdir", made)
    monkeypatch.setattr(Path, "write_bytes", written)


@pytest.mark.parametrize("refused", ["modules", "07-x.yml", "index.md", "_toc.yml"])
def test_a_module_that_cannot_be_written_leaves_nothing_behind(
        book: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], refused: str) -> None:
    """A read-only folder or file at any step: one line saying which, and the book as it was, so that the
    same command works once it is fixed."""
    before = {p.relative_to(book): p.read_bytes() for p in book.rglob("*") if p.is_file()}
    with monkeypatch.context() as patched:
        read_only(patched, refused)
        assert cli.main(["new", "module", "07-x", "--title", "X", "--book", str(book)]) == 1
    err = capsys.readouterr().err
    assert re.fullmatch(rf"sourcebook new module: cannot write \S*{re.escape(refused)}\S*: Read-only file system; "
                        r"nothing was written\n", err), err
    assert {p.relative_to(book): p.read_bytes() for p in book.rglob("*") if p.is_file()} == before
    assert not (book / "modules" / "07-x").exists()
    new_module(book, "07-x", "X")  # once the folder can be written, the same command works


def test_a_title_with_a_line_break_is_written_on_one_line(book: Path) -> None:
    new_module(book, "07-x", "Students\nabroad\t 1960")
    assert "# Students abroad 1960\n" in (book / "modules" / "07-x" / "index.md").read_text(encoding="utf-8")
    assert read_bank(book / "questions" / "07-x.yml").value.title == "Students abroad 1960"


def test_an_existing_bank_stops_the_module_before_anything_is_written(book: Path) -> None:
    (book / "questions").mkdir()
    (book / "questions" / "07-x.yml").write_text("title: mine\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match=r"questions/07-x\.yml already exists"):
        new_module(book, "07-x", "X")
    assert not (book / "modules").exists()
    assert (book / "_toc.yml").read_text(encoding="utf-8") == ODD_TOC
    assert (book / "questions" / "07-x.yml").read_text(encoding="utf-8") == "title: mine\n"


def test_a_toc_without_modules_stops_the_module_before_anything_is_written(book: Path) -> None:
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="Modules"):
        new_module(book, "07-x", "X")
    assert not (book / "modules").exists() and not (book / "questions").exists()


@pytest.mark.parametrize("slug", ["7-x", "07_x", "07-Great-Leap", "07-", "modules/07-x", "07-x--y", "007-x"])
def test_a_bad_slug_says_the_shape_expected(book: Path, slug: str) -> None:
    with pytest.raises(ScaffoldError, match="write NN-lowercase-words"):
        new_module(book, slug, "X")


def test_source_choice(book: Path) -> None:
    with pytest.raises(ScaffoldError, match=r"the source sources/other\.yml does not exist"):
        new_module(book, "07-x", "X", source="sources/other.yml")
    shutil.copy(book / "sources" / "nie-rongzhen-1960.yml", book / "sources" / "second.yml")
    with pytest.raises(ScaffoldError, match="several sources"):
        new_module(book, "07-x", "X")
    new_module(book, "07-x", "X", source="sources/second.yml")
    assert "{source-card} /sources/second.yml" in (book / "modules" / "07-x" / "index.md").read_text(encoding="utf-8")
    placeholder_warnings(read_bank(book / "questions" / "07-x.yml").problems)


def test_new_bank(book: Path) -> None:
    written = new_bank(book, "practice-sourcing", "Practice: sourcing")
    bank = book / "questions" / "practice-sourcing.yml"
    assert written.created == (bank,)
    placeholder_warnings(read_bank(bank).problems)
    with pytest.raises(ScaffoldError, match="already exists"):
        new_bank(book, "practice-sourcing", "Again")
    with pytest.raises(ScaffoldError, match="not a bank name"):
        new_bank(book, "Practice Sourcing", "Bad")
    assert (book / "_toc.yml").read_text(encoding="utf-8") == ODD_TOC


def test_the_commands(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["new", "module", "08-reform", "--title", "Reform", "--theme", "Self-reliance",
                     "--book", str(book)]) == 0
    assert "created" in capsys.readouterr().err
    assert cli.main(["new", "module", "08-reform", "--title", "Again", "--book", str(book)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("sourcebook new module: ") and "Traceback" not in err
    assert cli.main(["new", "bank", "extra", "--title", "Extra", "--book", str(book)]) == 0
    assert cli.main(["new", "bank", "Extra!", "--title", "Extra", "--book", str(book)]) == 1
