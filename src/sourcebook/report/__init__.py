"""``sourcebook report``: a class's hand-in files turned into a report folder that opens offline.

:func:`write_report` reads the files and matches them with the book's banks
(:func:`sourcebook.results.analyse_files`: each file as it is read),
computes every figure once (:mod:`.build`) and writes:

* ``index.html``: what the results are (self-reported), the files set aside
  and why, the gradebook, skills and item analysis with charts;
* ``skills.html``: a skills chart per student;
* ``open-responses.html``: open responses per question beside the model
  answer and rubric, one question per printed sheet;
* ``gradebook.csv`` (Moodle's gradebook import) and ``gradebook-canvas.csv``
  (Canvas's), and ``summary.json`` with the item statistics.
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..results import ClassResults, analyse_files
from .build import Report, as_dict, build
from .page import canvas_csv, gradebook_csv, main_page, open_page, skills_page

#: The files a report folder holds; nothing else in the folder is touched.
FILES = ("index.html", "skills.html", "open-responses.html", "gradebook.csv", "gradebook-canvas.csv",
         "summary.json")


@dataclass(frozen=True)
class Written:
    """What :func:`write_report` wrote and from what."""

    folder: Path
    report: Report

    @property
    def results(self) -> ClassResults:
        return self.report.results


def write_report(submissions: Sequence[str | os.PathLike[str]], output: str | os.PathLike[str], *,
                 book: str | os.PathLike[str] = ".", student_column: str = "Student",
                 processes: int | None = None) -> Written:
    """Write the class report of the hand-ins under ``submissions`` into the folder ``output``.

    ``processes``: how many processes read and match the files (see
    :func:`sourcebook.results.analyse_files`; None: as many as help).
    """
    with _no_cycle_collection():
        report = build(analyse_files(submissions, book, processes=processes))
        texts = _texts(report, student_column)
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
    return Written(folder, report)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while the report is made.

    A school's hand-ins are a few hundred thousand small objects, made and kept
    until the pages are written, with no reference cycles among them: each
    collection their allocation sets off walks all of them and finds nothing
    to free. Memory is still freed as usual (by reference counting), and any
    cycle is collected once the collector runs again.

    At the end, what was made meanwhile goes straight to the collector's oldest
    generation (freeze, then unfreeze: two moves of whole lists), as if it had
    lived through the young collections it skipped. Left in the youngest, the
    next allocation would walk every one of them (a school year: a million and
    a half objects, about a second) to find nothing. A cycle among them is
    collected by the next full collection, as any long-lived object's is.
    Objects someone else froze stay frozen: then nothing is moved.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def _texts(report: Report, student_column: str) -> dict[str, str]:
    """Every file of the report folder, by name, as text."""
    return {
        "index.html": main_page(report),
        "skills.html": skills_page(report),
        "open-responses.html": open_page(report),
        # A byte-order mark, so that Excel reads the names as UTF-8.
        "gradebook.csv": "\ufeff" + gradebook_csv(report, student_column),
        "gradebook-canvas.csv": canvas_csv(report, student_column),
        "summary.json": json.dumps(as_dict(report), indent=1, ensure_ascii=False) + "\n",
    }


__all__ = ["FILES", "Written", "write_report"]
