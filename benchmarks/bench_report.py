"""Report speed: `sourcebook report` over 10,000 generated hand-in files (a school year of a course)
against a bare ``json.load`` of the same files (goal: at most 2 times).

The files are made from the course's own banks as students would hand them in:
each student has done the first one to six modules, answers each question
right with a chance that depends on the student (graded by sourcebook's
grader, so points match responses), uses hints and attempts, and writes the
open responses. The report reads every file, checks its format and checksum, matches
it with the banks, computes every figure and writes every page and CSV. It runs
as a teacher runs it: on Linux, the files are read and matched by one process per
processor; the same report in one process is measured beside it.
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sourcebook import model, types
from sourcebook.grading import correct_response, grade
from sourcebook.html import fingerprint
from sourcebook.loader import load_bank
from sourcebook.results import FORMAT, VERSION, dumps, question_fingerprint

from .common import Figure

SUBMISSIONS = 10_000
#: Runs of the report and of its baseline, in turns.
REPEAT = 3


def wrong_response(q: model.Question, rng: random.Random) -> Any:
    """A plausible wrong (or partly right) response to ``q``."""
    if isinstance(q, types.SingleChoice):
        wrong = [i for i, c in enumerate(q.choices) if not c.correct]
        return rng.choice(wrong) if wrong else 0
    if isinstance(q, types.MultipleAnswer):
        return sorted(rng.sample(range(len(q.choices)), rng.randint(1, len(q.choices))))
    if isinstance(q, types.TrueFalse):
        return not q.answer
    if isinstance(q, types.Numeric):
        return str(rng.randint(1900, 2000))
    if isinstance(q, types.ShortText):
        return rng.choice(["Mao Zedong", "Zhou Enlai", "I do not know"])
    if isinstance(q, types.Ordering):
        order = list(range(len(q.items)))
        rng.shuffle(order)
        return order
    if isinstance(q, types.Matching):
        options = list(q.options)
        return [rng.choice(options) for _ in q.pairs]
    if isinstance(q, types.Blanks):
        return {name: rng.choice(list(blank.choices) or ["1960"]) for name, blank in q.blanks.items()}
    return "My answer: " + " ".join(rng.choice(["Nie", "wrote", "in", "1960", "about", "science"])
                                    for _ in range(rng.randint(5, 60)))


def make_submissions(root: Path, folder: Path, count: int, seed: int = 1) -> int:
    """Write ``count`` hand-in files into ``folder``; return their total size in bytes."""
    rng = random.Random(seed)
    banks = [load_bank(path) for path in sorted((root / "questions").glob("*.yml"))]
    prints = [{q.id: question_fingerprint(q) for q in bank.questions} for bank in banks]
    quiz_prints = [fingerprint(bank.questions) for bank in banks]
    folder.mkdir(parents=True, exist_ok=True)
    size = 0
    for n in range(count):
        ability = rng.random()
        quizzes = []
        for b, bank in enumerate(banks[: rng.randint(1, len(banks))]):
            questions = []
            for q in bank.questions:
                right = rng.random() < 0.25 + 0.7 * ability
                response = correct_response(q) if right and q.GRADED else wrong_response(q, rng)
                result = grade(q, response)
                attempts = 1 if result.correct else rng.randint(1, q.attempts)
                when = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(8, 16):02d}:" \
                       f"{rng.randint(0, 59):02d}:00.000Z"
                questions.append({
                    "id": q.id, "fingerprint": prints[b][q.id], "type": q.TYPE, "skill": q.skill,
                    "max_points": q.points if q.GRADED else 0, "response": response,
                    "points": result.points if result.valid else 0, "attempts": attempts,
                    "hints": rng.randint(0, len(q.hints)), "revealed": not result.correct and rng.random() < 0.3,
                    "first_checked": when, "last_checked": when})
            quizzes.append({"key": f"modules/{b}:{bank.title}:1", "title": bank.title,
                            "bank": Path(bank.path).resolve().relative_to(root).as_posix(),
                            "fingerprint": quiz_prints[b], "updated": questions[-1]["last_checked"],
                            "questions": questions})
        text = dumps({"format": FORMAT, "version": VERSION,
                      "student": {"name": f"Student {n:05d}", "class": f"Class {n % 40 + 1}"},
                      "course": "Self-Reliance and Cold War Science", "handed_in": "2026-12-20T10:00:00.000Z",
                      "made_with": "site", "quizzes": quizzes})
        (folder / f"hand-in-{n:05d}.json").write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
    return size


def load_all(folder: Path) -> int:
    loaded = 0
    for path in sorted(folder.glob("*.json")):
        with open(path, encoding="utf-8") as f:
            json.load(f)
        loaded += 1
    return loaded


def report_phases(folder: Path, book: Path) -> dict[str, float]:
    """Processor time of each step of the report over ``folder``, as write_report runs them: reading the
    files and matching each with the banks as it is read (one step), the figures, the pages; and freeing
    the report when it is dropped."""
    from sourcebook.report import _no_cycle_collection, _texts
    from sourcebook.report.build import build
    from sourcebook.results import analyse_files

    times: dict[str, float] = {}
    with _no_cycle_collection():
        start = processor_time()
        results = analyse_files([folder], book)
        times["read and match"] = processor_time() - start
        start = time.process_time()
        report = build(results)
        times["figures"] = time.process_time() - start
        start = time.process_time()
        _texts(report, "Student")
        times["pages"] = time.process_time() - start
        start = time.process_time()
        del results, report
        times["free"] = time.process_time() - start
    return times


def processor_time() -> float:
    """Processor time of this process and of the processes it forked and waited for (the report's)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run(root: Path, count: int = SUBMISSIONS) -> list[Figure]:
    from sourcebook.report import write_report

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "handed-in"
        start = time.perf_counter()
        size = make_submissions(root, folder, count)
        made = time.perf_counter() - start
        load_all(folder)  # the files in the page cache for both
        # The report and its baseline taken in turns, three times each, and the medians compared:
        # on a shared machine the others' load changes from one minute to the next. Processor
        # time too, which varies less than wall time.
        found: dict[str, float] = {}

        def report(processes: int | None = None) -> None:
            written = write_report([folder], Path(tmp) / "report", book=root, processes=processes)
            assert len(written.results.submissions) == count, "every generated file must be read"
            found["bytes"] = sum(p.stat().st_size for p in written.folder.iterdir())

        # The report as a teacher runs it (on Linux, reading and matching in one process per processor),
        # and in one process, to show what the other processes give.
        actions: dict[str, Callable[[], object]] = {"json": lambda: load_all(folder), "report": report,
                                                     "one process": lambda: report(1)}
        walls: dict[str, list[float]] = {name: [] for name in actions}
        cpus: dict[str, list[float]] = {name: [] for name in actions}
        for _ in range(REPEAT):
            for name, action in actions.items():
                wall, cpu = time.perf_counter(), processor_time()
                action()
                walls[name].append(time.perf_counter() - wall)
                cpus[name].append(processor_time() - cpu)
        phases = report_phases(folder, root)
    load_after = os.getloadavg()[0]
    value, baseline = statistics.median(walls["report"]), statistics.median(walls["json"])
    report_cpu, baseline_cpu = statistics.median(cpus["report"]), statistics.median(cpus["json"])
    note = (f"{count} files, {size / 1e6:.0f} MB in all (generated in {made:.0f} s); the report folder is "
            f"{found['bytes'] / 1e6:.1f} MB. Medians of {REPEAT} runs of each, in turns; wall times of the "
            f"report {', '.join(f'{t:.1f}' for t in walls['report'])} s, of json.load "
            f"{', '.join(f'{t:.1f}' for t in walls['json'])} s; in one process, the report took "
            f"{', '.join(f'{t:.1f}' for t in walls['one process'])} s (median ratio "
            f"{statistics.median(walls['one process']) / baseline:.2f}). Processor time, the report's other "
            f"processes included: report {report_cpu:.1f} s (in one process "
            f"{statistics.median(cpus['one process']):.1f} s), json.load {baseline_cpu:.1f} s "
            f"(ratio {report_cpu / baseline_cpu:.2f}). Each step again on its "
            f"own (processor time): reading and checking the files, each matched with the banks and gathered into "
            f"each question's columns as it is read, {phases['read and match']:.1f} s, computing the figures "
            f"from the columns {phases['figures']:.1f} s, making the pages and CSVs {phases['pages']:.1f} s, "
            f"freeing the report {phases['free']:.1f} s. "
            f"Load average (1 minute) {load_before:.1f} at the start, {load_after:.1f} at the end.")
    return [Figure(f"sourcebook report, {count:,} hand-in files ({size / 1e6:.0f} MB)", value,
                   "json.load of the same files", baseline, "s", 2.0, note)]
