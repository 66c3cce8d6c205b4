"""A module made by `sourcebook new module` builds at once, and each module page links its worksheet.

One small book is made in a temporary folder (never the course's own site,
which is large): a front page, the course's source, and a module scaffolded by
the command line. It is built twice with ``jupyter-book build -W -n``: the
student edition and the teacher edition. Only the teacher edition may hold an
answer key or a link to one. The warnings about the example text the command
writes are silenced here: they are there to fail a ``-W`` build until the
teacher has written the module (``tests/sphinx/test_placeholders.py``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sourcebook import cli
from sourcebook.worksheet import module_worksheet

pytestmark = [pytest.mark.book, pytest.mark.slow, pytest.mark.xdist_group("teacher-books")]

ROOT = Path(__file__).resolve().parents[2]
MODULE = "07-the-great-leap"
CONFIG = """\
title: A small course
author: Tests
only_build_toc_files: true
execute:
  execute_notebooks: "off"
sphinx:
  extra_extensions: [sourcebook.sphinx]
  config:
    sourcebook_edition: {edition}
    suppress_warnings: [sourcebook.placeholder]
"""
TOC = """\
# A small course. The comments and the odd spacing must survive.
format: jb-book
root: intro
parts:
  - caption:  Modules   # lessons
    chapters:
    # (no module yet)
      - file: notes     # not a module
"""


def jupyter_book(book: Path, edition: str, output: Path) -> subprocess.CompletedProcess[str]:
    config = book / f"_config_{edition}.yml"
    config.write_text(CONFIG.format(edition=edition), encoding="utf-8")
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(book), "--config", str(config),
               "--path-output", str(output), "-W", "-n", "--keep-going", "--all"]
    return subprocess.run(command, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "SOURCEBOOK_EDITION": edition})


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    book = tmp_path_factory.mktemp("small-course")
    shutil.copytree(ROOT / "sources", book / "sources")
    (book / "_toc.yml").write_text(TOC, encoding="utf-8")
    (book / "_config.yml").write_text(CONFIG.format(edition="student"), encoding="utf-8")
    (book / "intro.md").write_text("# A small course\n\nThe front page.\n", encoding="utf-8")
    (book / "notes.md").write_text("# Notes\n\nA page that is not a module.\n", encoding="utf-8")
    assert cli.main(["new", "module", MODULE, "--title", "The Great Leap Forward", "--theme", "Self-reliance",
                     "--book", str(book)]) == 0
    built = {"book": book}
    for edition in ("student", "teacher"):
        output = tmp_path_factory.mktemp(edition)
        result = jupyter_book(book, edition, output)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        built[edition] = output / "_build" / "html"
    return built


def test_the_scaffolded_module_is_in_the_toc_and_the_site(books: dict[str, Path]) -> None:
    toc = (books["book"] / "_toc.yml").read_text(encoding="utf-8")
    assert toc == TOC.replace("      - file: notes     # not a module\n",
                              f"      - file: notes     # not a module\n      - file: modules/{MODULE}/index\n")
    expected = ["The Great Leap Forward", "Central question", "Learning objectives", "The source", "Context",
                "Guiding questions", "Sourcing", "Contextualization", "Corroboration", "Close reading", "Quiz",
                "Answering the central question", "Key points", "Further investigation", "For instructors"]
    for edition in ("teacher", "student"):
        page = BeautifulSoup((books[edition] / "modules" / MODULE / "index.html").read_text(encoding="utf-8"),
                             "html.parser")
        headings = [re.sub(r"[#¶]", "", h.get_text()).strip()
                    for h in page.select("section > h1, section > h2, section > h3")]
        # The student edition leaves out the instructors' section, which holds only teachers' material.
        assert headings == (expected if edition == "teacher" else expected[:-1])
    assert page.select("[data-sourcebook-quiz]")


def without_back_link(sheet: str) -> str:
    """A sheet of the site as the command prints it: without its link back to the module page."""
    back = re.search(r'<p class="ws-screen ws-back"><a href="[^"]*">[^<]*</a></p>\n?', sheet)
    assert back is not None, "the site's sheet links back to its module page"
    return sheet[:back.start()] + sheet[back.end():]


def test_the_student_site_links_the_worksheet_and_no_key(books: dict[str, Path]) -> None:
    site = books["student"]
    folder = site / "modules" / MODULE
    page = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = page.select("p.sb-worksheet-links a")
    assert [(a.get_text(), a["href"]) for a in links] == [("Print worksheet", "worksheet.html")]
    # The link sits just above the quiz.
    assert links[0].find_parent("p").find_next_sibling().has_attr("data-sourcebook-quiz")
    sheet = (folder / "worksheet.html").read_text(encoding="utf-8")
    # The same as the command prints, but for the site's link back to the module page beside it.
    assert without_back_link(sheet) == module_worksheet(books["book"] / "modules" / MODULE)
    assert not list(site.rglob("answer-key.html"))
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "Print answer key" not in text and 'class="ws-key"' not in text, html


def test_the_teacher_site_links_the_worksheet_and_the_key(books: dict[str, Path]) -> None:
    folder = books["teacher"] / "modules" / MODULE
    page = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [(a.get_text(), a["href"]) for a in page.select("p.sb-worksheet-links a")] == \
        [("Print worksheet", "worksheet.html"), ("Print answer key", "answer-key.html")]
    key = (folder / "answer-key.html").read_text(encoding="utf-8")
    assert without_back_link(key) == module_worksheet(books["book"] / "modules" / MODULE, key=True)
    assert "the expected answer" in key
    assert (folder / "worksheet.html").read_text(encoding="utf-8") == \
        (books["student"] / "modules" / MODULE / "worksheet.html").read_text(encoding="utf-8")


def test_pages_that_are_not_modules_get_no_worksheet(books: dict[str, Path]) -> None:
    for edition in ("student", "teacher"):
        assert not (books[edition] / "worksheet.html").exists()
        assert "sb-worksheet-links" not in (books[edition] / "notes.html").read_text(encoding="utf-8")
