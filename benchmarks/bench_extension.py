"""Cost of the extension: a clean build of the course against a clean build of
the same pages with every ``{quiz}`` and ``{quiz-progress}`` directive removed
(goal: at most 1.2 times).

Both builds run in copies of the course in a temporary folder, with the same
command (that of ``make book``) and the same extensions; only the directives go.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from .bench_edit import build, copy_course, course_pages, directives
from .common import Figure

REPEAT = 3


def strip_quizzes(text: str) -> str:
    """The page without its ``{quiz}`` and ``{quiz-progress}`` directives (each whole block)."""
    lines = text.splitlines(keepends=True)
    for start, end, _, _ in reversed(directives(text)):
        del lines[start:end]
    return "".join(lines)


def strip_course(folder: Path) -> int:
    """Remove every quiz directive from the course in ``folder``; returns how many went."""
    removed = 0
    for page in course_pages(folder):
        text = page.read_text(encoding="utf-8")
        count = len(directives(text))
        if count:
            page.write_text(strip_quizzes(text), encoding="utf-8")
            removed += count
    return removed


def run(root: Path) -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        course = copy_course(root, Path(tmp) / "course")
        bare = copy_course(root, Path(tmp) / "bare")
        removed = strip_course(bare)
        if not removed:
            raise RuntimeError("the course has no quiz directive: nothing to compare")
        build(course, clean=True)  # warm-up: disk caches, compiled modules
        build(bare, clean=True)
        times: dict[Path, list[float]] = {course: [], bare: []}
        # The two alternate, so that a busy moment of the (shared) machine falls on both.
        for _ in range(REPEAT):
            for folder in (course, bare):
                start = time.perf_counter()
                build(folder, clean=True)
                times[folder].append(time.perf_counter() - start)
        with_quizzes, without = statistics.median(times[course]), statistics.median(times[bare])
    return [Figure(
        name="clean build of the course with its quizzes", value=with_quizzes,
        baseline_name=f"same pages, {removed} quiz directives removed", baseline=without, unit="s", goal=1.2,
        note=f"jupyter-book build as in make book, median of {REPEAT}; the quizzes' pages also get "
             "their printable worksheets",
    )]
