"""A curriculum-sized course: 100 modules and 1,500 questions, generated in the
course's structure into a temporary folder, and built as ``make book`` does.

Four figures, each against its baseline in the same run, each the median of
five builds made with its baseline's (``REPEAT``):

* the rebuild after editing one bank (a question's prompt changed; processor time, as the
  extension's cost below: on a shared machine the wall time of one build varies by half) against the
  clean build (goal: at most 0.1), and the pages Sphinx reads again (its
  "reading sources" list, the documents its environment found outdated)
  against the pages that use the bank (goal: only those);
* a clean build with ``-j 2`` (two processes) against one (goal: at most 0.7);
* the clean build against the same pages with every quiz directive removed
  (goal: at most 1.1), the extension's cost: the two builds are started at the
  same moment, each on its own core, so that whatever else the machine runs
  weighs on both alike (built in turn, the same course's processor time moved
  by up to a fifth from one build to the next); the figure is the pair with the
  median ratio.

The course: ``modules/NNN-module-NNN/index.md`` for each module, with the text
of the real module 1 (without the directives only it can show) and a
``{quiz}`` of its own bank ``questions/NNN.yml`` of 15 questions, taken in
turn from the course's banks (every type); every tenth module is a review that
also quizzes three questions of the bank before it. A home page and the
progress page, the course's ``_config.yml``, a ``_toc.yml`` in parts of ten
modules, and the course's sources. The in-browser notebooks are off (bench_lite
measures them).

The size is a parameter: ``BENCH_CURRICULUM_MODULES=20 python -m benchmarks
bench_curriculum`` for a quicker look; ``make bench`` builds the full 100.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from sourcebook.loader import read_bank

from .bench_edit import build, build_command, course_pages, pages_read, pages_using
from .bench_extension import strip_course
from .bench_network import MODULE, _notebook_text
from .bench_weight import course_questions
from .common import Figure

MODULES = int(os.environ.get("BENCH_CURRICULUM_MODULES", "100"))
QUESTIONS_PER_MODULE = 15
REVIEW_EVERY = 10
#: Builds of each kind, made in turn; the figures are their medians (one build varies by 5 to 20 % on a
#: shared machine). ``BENCH_CURRICULUM_REPEAT=1`` for a quicker look.
REPEAT = int(os.environ.get("BENCH_CURRICULUM_REPEAT", "5"))
#: The course's pages (besides modules) that the generated course carries over.
REFERENCE_PAGES = ("book/how-to-use", "book/source", "book/documents", "book/documents/zhou-enlai-1960-remarks",
                   "book/documents/soviet-recall-note-1960", "book/documents/khrushchev-sed-letter-1960",
                   "book/documents/nie-13-2-60", "book/documents/snie-13-4-64", "book/themes", "book/timeline",
                   "book/glossary", "book/facts-and-sources", "book/sources-and-rights")


def generate(root: Path, folder: Path, modules: int = MODULES) -> Path:
    """Write a course of ``modules`` modules of 15 questions each into ``folder``."""
    folder.mkdir(parents=True)
    shutil.copy2(root / "_config.yml", folder / "_config.yml")
    shutil.copytree(root / "sources", folder / "sources")
    (folder / "questions").mkdir()
    (folder / "book").mkdir()
    source, _ = course_questions(root, 1)
    pool = all_questions(root, source)
    before, after = _notebook_text((root / f"{MODULE}.md").read_text(encoding="utf-8"))
    # The course's reading and reference pages, which every module links to (without them each module
    # page would warn about links to missing pages, and the course would not be in the course's structure).
    for reference in REFERENCE_PAGES:
        (folder / f"{reference}.md").parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / f"{reference}.md", folder / f"{reference}.md")
    parts: list[dict[str, object]] = [
        {"caption": "Start here", "chapters": [{"file": "book/progress"}]},
        {"caption": "Reference", "chapters": [{"file": reference} for reference in REFERENCE_PAGES]}]
    for n in range(1, modules + 1):
        questions = []
        for k in range(QUESTIONS_PER_MODULE):
            question = dict(pool[((n - 1) * QUESTIONS_PER_MODULE + k) % len(pool)])
            question["id"] = f"{question['id']}-{n:03d}"
            questions.append(question)
        bank = folder / "questions" / f"{n:03d}.yml"
        bank.write_text(yaml.safe_dump({"title": f"Module {n}", "source": f"../sources/{source.name}",
                                        "questions": questions}, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        if n == 1 and not read_bank(bank).ok:
            raise RuntimeError(f"the generated bank {bank} does not check: {read_bank(bank).problems}")
        quiz = f"```{{quiz}} /questions/{n:03d}.yml\n```\n"
        if n % REVIEW_EVERY == 0 and n > 1:
            quiz += f"\n```{{quiz}} /questions/{n - 1:03d}.yml\n:count: 3\n:seed: {n}\n:name: review-{n:03d}\n```\n"
        page = folder / "modules" / f"{n:03d}-module-{n:03d}" / "index.md"
        page.parent.mkdir(parents=True)
        title = before.lstrip().split("\n", 1)
        page.write_text(f"---\nmodule: {n}\nshort_title: Module {n}\n---\n\n# Module {n}: "
                        f"{title[0].lstrip('# ')}\n{title[1]}\n{quiz}\n{after}", encoding="utf-8")
        if (n - 1) % REVIEW_EVERY == 0:
            parts.append({"caption": f"Modules {n} to {min(n + REVIEW_EVERY - 1, modules)}", "chapters": []})
        chapters = parts[-1]["chapters"]
        assert isinstance(chapters, list)
        chapters.append({"file": f"modules/{n:03d}-module-{n:03d}/index"})
    (folder / "book" / "intro.md").write_text(f"# A curriculum\n\n{modules} modules.\n", encoding="utf-8")
    (folder / "book" / "progress.md").write_text("# My progress\n\n```{quiz-progress}\n```\n", encoding="utf-8")
    (folder / "_toc.yml").write_text(yaml.safe_dump({"format": "jb-book", "root": "book/intro", "parts": parts},
                                                    sort_keys=False), encoding="utf-8")
    return folder


def all_questions(root: Path, source: Path) -> list[dict[str, object]]:
    """Every question of the course's banks that cites ``source`` (evidence in it only)."""
    pool: list[dict[str, object]] = []
    for bank in sorted((root / "questions").glob("*.yml")):
        data = yaml.safe_load(bank.read_text(encoding="utf-8"))
        if (bank.parent / data["source"]).resolve() != source.resolve():
            continue
        for question in data["questions"]:
            question["evidence"] = [e for e in question.get("evidence", []) if "#" not in str(e)]
            pool.append(question)
    return pool


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_build(folder: Path, *, clean: bool) -> tuple[float, float, str]:
    """Wall and processor seconds of a ``make book`` build of ``folder``, and Sphinx's output.

    The processor time (user and system, of the build's processes) is what the
    build's work costs whatever else the shared machine runs; the wall time is
    what a teacher waits, and varies with the machine's load."""
    if clean:
        shutil.rmtree(folder / "_build", ignore_errors=True)
    cpu, start = _children_cpu(), time.perf_counter()
    output = build(folder, clean=False)
    return time.perf_counter() - start, _children_cpu() - cpu, output


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.returncode is None:
        process.kill()
        process.wait()


def paired_clean_builds(first: Path, second: Path) -> tuple[float, float]:
    """Processor seconds (user and system, of each build's processes) of clean ``make book`` builds of
    ``first`` and ``second``, started at the same moment."""
    seconds: list[float] = []
    with contextlib.ExitStack() as stack:
        started: list[tuple[subprocess.Popen[bytes], Path, Any]] = []
        for folder in (first, second):
            shutil.rmtree(folder / "_build", ignore_errors=True)
            command, environment = build_command(folder)
            log = stack.enter_context(tempfile.TemporaryFile())
            process = subprocess.Popen(command, cwd=folder, env=environment, stdout=log, stderr=subprocess.STDOUT)
            stack.callback(_stop, process)  # a build left running when the other fails
            started.append((process, folder, log))
        for process, folder, log in started:
            # wait4 gives the processor time of this build alone (and of the processes it waited for).
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode != 0:
                log.seek(0)
                raise RuntimeError(f"building {folder} failed:\n{log.read().decode('utf-8', 'replace')[-3000:]}")
            seconds.append(usage.ru_utime + usage.ru_stime)
    return seconds[0], seconds[1]


def sphinx_build(folder: Path, jobs: int) -> float:
    """Seconds of a clean build of ``folder`` by ``sphinx-build -j jobs`` with the Sphinx
    configuration Jupyter Book makes of the book's (Jupyter Book's command has no -j)."""
    bin_dir = Path(sys.executable).parent
    if not (folder / "conf.py").exists():
        subprocess.run([str(bin_dir / "jupyter-book"), "config", "sphinx", str(folder)], check=True,
                       capture_output=True)
    shutil.rmtree(folder / "_build", ignore_errors=True)
    start = time.perf_counter()
    run = subprocess.run([str(bin_dir / "sphinx-build"), "-b", "html", "-j", str(jobs), "-q", str(folder),
                          str(folder / "_build" / "html")], capture_output=True, text=True,
                         # -j 1 is one job (the course's sourcebook_jobs would give it one per core).
                         env={**os.environ, "SOURCEBOOK_LITE": "false", "SOURCEBOOK_JOBS": "1"})
    seconds = time.perf_counter() - start
    if run.returncode != 0:
        raise RuntimeError(f"sphinx-build -j {jobs} of {folder} failed:\n{run.stderr[-3000:]}")
    return seconds


def _median(builds: list[tuple[float, float]]) -> tuple[float, float]:
    """The median wall and the median processor seconds of ``builds``."""
    return statistics.median(wall for wall, _ in builds), statistics.median(cpu for _, cpu in builds)


def _listed(builds: list[tuple[float, float]]) -> str:
    return ", ".join(f"{cpu:.1f}" for _, cpu in builds)


def edit_bank(bank: Path) -> None:
    """Change the first question's prompt, as a teacher would."""
    text = bank.read_text(encoding="utf-8")
    bank.write_text(text.replace("prompt: ", "prompt: (Edited) ", 1), encoding="utf-8")


def run(root: Path, modules: int = MODULES, repeat: int = REPEAT) -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        course = generate(root, Path(tmp) / "course", modules)
        bare = Path(tmp) / "bare"
        shutil.copytree(course, bare)
        removed = strip_course(bare)
        pages = len(course_pages(course))
        bank = course / "questions" / f"{REVIEW_EVERY - 1:03d}.yml"
        cleans: list[tuple[float, float]] = []
        rebuilds: list[tuple[float, float]] = []
        #: Processor seconds of the course with and without its quizzes, built at the same moment.
        pairs: list[tuple[float, float]] = []
        for turn in range(repeat):
            # In turn, so that the machine's moods fall on both sides alike.
            clean_wall, clean, output = timed_build(course, clean=True)
            if "WARNING" in output:
                # A course with broken links or references is not a course a teacher would build; measure a
                # sound one.
                raise RuntimeError("the generated course warns:\n" + "\n".join(
                    line for line in output.splitlines() if "WARNING" in line)[:3000])
            cleans.append((clean_wall, clean))
            edit_bank(bank)
            rebuild_wall, rebuild, output = timed_build(course, clean=False)
            rebuilds.append((rebuild_wall, rebuild))
            if turn == 0:
                read = sorted(set(pages_read(output)))
                using = pages_using(course, bank)
                _, unchanged, _ = timed_build(course, clean=False)
            pairs.append(paired_clean_builds(course, bare))
        jobs = Path(tmp) / "jobs"
        shutil.copytree(course, jobs, ignore=shutil.ignore_patterns("_build"))
        one_jobs: list[float] = []
        two_jobs: list[float] = []
        for _ in range(repeat):
            one_jobs.append(sphinx_build(jobs, 1))
            two_jobs.append(sphinx_build(jobs, 2))
    clean_wall, clean = _median(cleans)
    rebuild_wall, rebuild = _median(rebuilds)
    with_quizzes, without = sorted(pairs, key=lambda pair: pair[0] / pair[1])[len(pairs) // 2]
    extra, missing = sorted(set(read) - set(using)), sorted(set(using) - set(read))
    size = f"{modules} modules, {modules * QUESTIONS_PER_MODULE:,} questions, {pages} pages"
    note = (f"{size}; the median of {repeat} builds each, made in turn, on a shared machine "
            f"({os.cpu_count()} cores)")
    cpu_note = (f"{note}; processor seconds (user and system) of the build's processes, each build: clean "
                f"{_listed(cleans)}, rebuild {_listed(rebuilds)}; wall seconds (medians): clean {clean_wall:.0f}, "
                f"rebuild {rebuild_wall:.1f}")
    pair_note = (f"{size}; {repeat} pairs of clean builds, the course with its quizzes and without them started at "
                 f"the same moment, each on its own core of a shared machine ({os.cpu_count()} cores); processor "
                 "seconds (user and system) of each build's processes, each pair (with, without, ratio): "
                 + "; ".join(f"{w:.1f}, {wo:.1f}, {w / wo:.3f}" for w, wo in pairs)
                 + "; the figure is the pair with the median ratio")
    return [
        Figure(name=f"rebuild after editing one bank ({size}), processor time", value=rebuild,
               baseline_name="clean build", baseline=clean, unit="s", goal=0.1,
               note=f"{cpu_note}; a build with nothing changed took {unchanged:.1f} s"),
        Figure(name=f"pages read again after editing one bank ({modules} modules)", value=len(read),
               baseline_name="pages that use the bank", baseline=len(using), unit="pages", goal=1.0,
               note=f"edited questions/{bank.name}; read again: {', '.join(read)}"
                    + (f"; not using the bank: {', '.join(extra)}" if extra else "")
                    + (f"; NOT read again though they use it: {', '.join(missing)}" if missing else "")),
        Figure(name=f"clean build with -j 2 ({modules} modules)", value=statistics.median(two_jobs),
               baseline_name="one job", baseline=statistics.median(one_jobs), unit="s", goal=0.7,
               note=f"{note}; wall seconds of sphinx-build -j 2 ({', '.join(f'{t:.1f}' for t in two_jobs)}) and "
                    f"-j 1 ({', '.join(f'{t:.1f}' for t in one_jobs)}) with the configuration `jupyter-book config "
                    "sphinx` writes (Jupyter Book's own command runs one job)"),
        Figure(name=f"clean build with the quizzes ({modules} modules), processor time", value=with_quizzes,
               baseline_name=f"same pages, {removed} quiz directives removed, built at the same moment",
               baseline=without, unit="s", goal=1.1, note=pair_note),
    ]

