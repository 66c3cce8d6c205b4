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

The files are written all or none: every one is made and encoded first,
then each is written beside its place and moved into it (see
:func:`_write_all`), so a failure leaves an earlier report as it was.
"""

from __future__ import annotations

import gc
import json
import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from ..results import ClassResults, analyse_files
from .build import Report, as_dict, build
from .page import canvas_csv, gradebook_csv, main_page, open_page, skills_page

#: The files a report folder holds; nothing else in the folder is touched.
FILES = ("index.html", "skills.html", "open-responses.html", "gradebook.csv", "gradebook-canvas.csv",
         "summary.json")


class ReportError(Exception):
    """The report cannot be written where asked: the message says why, and what to do."""


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
    folder = Path(output)
    if folder.exists() and not folder.is_dir():  # said before the files are read, not after
        raise ReportError(f"{folder} is a file, not a folder: choose another name with -o")
    with _no_cycle_collection():
        report = build(analyse_files(submissions, book, processes=processes))
        texts = _texts(report, student_column)
    _write_all(folder, _encoded(texts))
    return Written(folder, report)


def _encoded(texts: dict[str, str]) -> dict[str, bytes]:
    """Each file's text as UTF-8, each text let go once encoded (a school year's pages are large)."""
    data: dict[str, bytes] = {}
    for name in list(texts):
        text = texts.pop(name)
        try:
            data[name] = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            near = text[max(0, exc.start - 30):exc.end + 30]
            raise ReportError(f"{name} cannot be written: it would hold text that is not Unicode "
                              f"({exc.reason}) near {near!r}, from a hand-in file; nothing was written") from None
    return data


def _write_all(folder: Path, data: dict[str, bytes]) -> None:
    """Write the files into ``folder``: all of them, or none.

    Each is first written whole to a new file beside its place. Then the
    earlier report's files are moved aside (a move fails where a program holds
    the file open and locked, as Excel does on Windows), the new ones moved
    into their places, and the earlier ones deleted. Should a step fail, what
    was moved is moved back: the folder holds the earlier report as it was.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"cannot make the folder {folder}: {exc.strerror or exc}; choose another with -o") from None
    for name in data:
        if (folder / name).is_dir():
            raise ReportError(f"{folder / name} is a folder: move it away, or choose another folder with -o")
    new: dict[str, Path] = {}
    earlier: dict[str, Path] = {}
    placed: list[str] = []
    try:
        for name, content in data.items():
            new[name] = _new_file(folder, name, content)
        for name in data:
            if os.path.lexists(folder / name):
                earlier[name] = folder / f".{name}.{secrets.token_hex(6)}.old"
                os.replace(folder / name, earlier[name])
        for name, path in new.items():
            os.replace(path, folder / name)
            placed.append(name)
    except OSError as exc:
        for name in placed:
            if name not in earlier:
                with suppress(OSError):
                    (folder / name).unlink()
        for name, path in earlier.items():
            with suppress(OSError):
                os.replace(path, folder / name)
        held = Path(exc.filename).name if exc.filename else ""
        where = f" ({held}: is it open in another program?)" if held in data else ""
        raise ReportError(f"cannot write the report into {folder}: {exc.strerror or exc}{where}; the folder was "
                          "left as it was") from None
    finally:
        for path in new.values():
            path.unlink(missing_ok=True)
    for path in earlier.values():
        path.unlink(missing_ok=True)


def _new_file(folder: Path, name: str, content: bytes) -> Path:
    """``content`` in a new hidden file in ``folder`` named after ``name``."""
    path = folder / f".{name}.{secrets.token_hex(6)}.tmp"
    try:
        with open(path, "xb") as file:
            file.write(content)
    except OSError:
        path.unlink(missing_ok=True)
        raise
    return path


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
        # A byte-order mark, so that Excel reads the names as UTF-8. Canvas's importer takes one too:
        # its own gradebook export can start with one, and it finds the header by "Student" in its first cell.
        "gradebook.csv": "\ufeff" + gradebook_csv(report, student_column),
        "gradebook-canvas.csv": "\ufeff" + canvas_csv(report, student_column),
        "summary.json": json.dumps(as_dict(report), indent=1, ensure_ascii=False) + "\n",
    }


__all__ = ["FILES", "ReportError", "Written", "write_report"]
