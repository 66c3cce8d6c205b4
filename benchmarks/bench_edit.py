"""Editing loop: after a clean build of the course, touch one question bank and
build again. The incremental build is timed against the clean build (shown for
information: on a course of 15 pages a build with nothing changed already takes
about half the clean build; the goal is set on a curriculum-sized course, see
bench_curriculum), and the pages Sphinx reads again are counted against the pages
that use the bank (goal: only those).

Both builds run in a copy of the course in a temporary folder, with the
command of ``make book`` (without ``-W``, so that a warning the course has at
the moment does not stop the measurement). This module also holds the helpers
the other build benchmarks share: copying the course and building a book.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .common import Figure, median_time

#: What a build of the course reads: its configuration, pages, banks and sources.
COURSE = ["_config.yml", "_toc.yml", "book", "modules", "questions", "sources"]
REPEAT = 3
ANSI = re.compile(r"\x1b\[[0-9;]*m")
READING = re.compile(r"^reading sources\.\.\.\s*\[\s*\d+%\]\s+(\S+)", re.MULTILINE)
QUIZ_DIRECTIVES = ("quiz", "quiz-progress")


def copy_course(root: Path, dest: Path) -> Path:
    """Copy the course (not its build, the package or the tests) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COURSE:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("_build*", ".ipynb_checkpoints"))
        elif source.exists():
            shutil.copy2(source, dest / name)
    return dest


def build(folder: Path, *, clean: bool, lite: bool = False) -> str:
    """Build the book in ``folder`` as ``make book`` does; returns Sphinx's output.

    The in-browser notebooks are built only with ``lite=True``: the benchmarks
    of the quizzes measure the quizzes (bench_lite measures the notebooks).
    Raises RuntimeError with the end of the output when the build fails.
    """
    if clean:
        shutil.rmtree(folder / "_build", ignore_errors=True)
    command, environment = build_command(folder, lite=lite)
    run = subprocess.run(command, capture_output=True, text=True, cwd=folder, env=environment)
    output = ANSI.sub("", run.stdout + run.stderr)
    if run.returncode != 0:
        raise RuntimeError(f"building {folder} failed:\n{output[-3000:]}")
    return output


def build_command(folder: Path, *, lite: bool = False) -> tuple[list[str], dict[str, str]]:
    """The command and environment of a ``make book`` build of ``folder`` (see :func:`build`), with one job:
    the builds these figures compare are each one process (``-j`` is measured on its own)."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    return ([str(jupyter_book), "build", str(folder), "--path-output", str(folder), "-n", "--keep-going"],
            {**os.environ, "SOURCEBOOK_LITE": str(lite).lower(), "SOURCEBOOK_JOBS": "1"})


def pages_read(output: str) -> list[str]:
    """The documents Sphinx reports reading, in its order."""
    return READING.findall(output)


def course_pages(folder: Path) -> list[Path]:
    """The MyST pages of the course copied into ``folder``."""
    return sorted(page for name in COURSE if (folder / name).is_dir() for page in (folder / name).rglob("*.md")
                  if "_build" not in page.parts)


def directives(text: str, names: tuple[str, ...] = QUIZ_DIRECTIVES, offset: int = 0) -> list[tuple[int, int, str, str]]:
    """MyST directives called ``names`` in a page: (first line, line after the last,
    name, argument), lines counted from 0. Found with MyST's own Markdown parser, so a
    directive shown as an example inside a code block is not one; directives nested
    in other directives are found too."""
    parser = MarkdownIt("commonmark").use(colon_fence_plugin).use(front_matter_plugin)
    found: list[tuple[int, int, str, str]] = []
    for token in parser.parse(text):
        if token.type not in ("fence", "colon_fence") or token.map is None:
            continue
        match = re.fullmatch(r"\{([\w-]+)\}\s*(.*)", token.info.strip())
        if match is None:
            continue
        start, end = token.map
        if match.group(1) in names:
            found.append((offset + start, offset + end, match.group(1), match.group(2).strip()))
        else:  # a directive's body is MyST too: it may hold a quiz
            found.extend(directives(token.content, names, offset + start + 1))
    return sorted(found)


def pages_using(folder: Path, bank: Path) -> list[str]:
    """Documents of the book in ``folder`` whose ``{quiz}`` shows ``bank``, plus
    the ``{quiz-progress}`` pages, which list every quiz with its bank's title."""
    docs: set[str] = set()
    for page in course_pages(folder):
        docname = page.relative_to(folder).with_suffix("").as_posix()
        for _, _, name, argument in directives(page.read_text(encoding="utf-8")):
            if name == "quiz-progress":
                docs.add(docname)
                continue
            # Resolved as the directive does: from the book's root with a leading
            # slash, else next to the page, else from the root.
            target = folder / argument.lstrip("/") if argument.startswith("/") else page.parent / argument
            if not target.exists():
                target = folder / argument
            if target.resolve() == bank.resolve():
                docs.add(docname)
    return sorted(docs)


def most_used_bank(folder: Path) -> Path:
    """The bank most pages show: the case where an edit costs most."""
    banks = sorted((folder / "questions").glob("*.yml"))
    if not banks:
        raise RuntimeError(f"no question banks in {folder / 'questions'}")
    return max(banks, key=lambda bank: (len(pages_using(folder, bank)), bank.name))


def run(root: Path) -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = copy_course(root, Path(tmp) / "course")
        bank = most_used_bank(folder)
        clean = median_time(lambda: build(folder, clean=True), repeat=REPEAT, warmup=1)
        outputs: list[str] = []

        def edit_and_build() -> None:
            bank.touch()
            outputs.append(build(folder, clean=False))

        incremental = median_time(edit_and_build, repeat=REPEAT, warmup=0)
        unchanged = median_time(lambda: build(folder, clean=False), repeat=REPEAT, warmup=0)
        read = sorted(set(pages_read(outputs[-1])))
        using = pages_using(folder, bank)
        total = len(pages_read(build(folder, clean=True)))
    extra = sorted(set(read) - set(using))
    missing = sorted(set(using) - set(read))
    note = f"touched questions/{bank.name}; read again: {', '.join(read)}"
    if extra:
        note += f"; not using the bank: {', '.join(extra)}"
    if missing:
        note += f"; NOT read again though they use it: {', '.join(missing)}"
    return [
        Figure(name=f"rebuild after editing one bank ({total} pages)", value=incremental,
               baseline_name="clean build", baseline=clean, unit="s", goal=None,
               note=f"jupyter-book build as in make book, median of {REPEAT}; "
                    f"a build with nothing changed takes {unchanged:.2f} s"),
        Figure(name="pages read again after editing one bank", value=len(read),
               baseline_name="pages that use the bank", baseline=len(using), unit="pages", goal=1.0, note=note),
    ]
