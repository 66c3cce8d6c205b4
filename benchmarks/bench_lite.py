"""The in-browser notebooks (JupyterLite): what they cost the site and the build, and how soon they run.

In a copy of the course, side by side in one run:

- a no-op build (nothing changed) with the notebooks on, against the same
  no-op build with them off, as the course built before them (goal: at most
  1.2 times);
- the extra time they add to a clean build, against ``jupyter lite build`` of
  a stock JupyterLite site with the same notebook (the site a teacher would
  otherwise make: every app, the service worker, Pyodide from its CDN);
- the bytes they add to the site, against that stock site;
- in Chromium, over http, from navigation to the module's notebook: the time
  until the kernel has run a cell (``1``, added on top and run as soon as
  JupyterLab shows the kernel idle, each step checked: the kernel is ready),
  and until the quiz answers a click (a choice, then Check, then the
  verdict shown), against the 15 s the kernel may take;
- the same time until the kernel has run a cell on the stock kernel, visited
  in turn with ours: the design recipe's site (stock JupyterLite, the kernel's
  default settings, the same notebook), with Pyodide and the kernel's wheels
  served by the site itself as the recipe does. The stock site above cannot
  be timed here: it loads them from a CDN, which a machine without internet
  (and a classroom behind a filter) cannot reach. The processor time
  Chromium spends until then (all its processes) goes in the note: on a
  shared machine it varies less than the seconds.

- the kernel's own start (Pyodide with the site's wheels, piplite, ``import
  pyodide_kernel``, as JupyterLite's kernel worker starts it) in Node.js, the
  same V8, in processor time, which a busy machine moves less than seconds:
  with the wheels made leaner (``sourcebook.lean``) against the same wheels as
  they come, run in turn.

The downloads are cached (``sourcebook.lite.cache_dir``), so they do not count.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import tarfile
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .bench_edit import build, copy_course
from .bench_interactive import CHROMIUM, CHROMIUM_ARGS, served
from .common import Figure

REPEAT = 3
VISITS = 3
MODULE = "01-meeting-the-source"
KERNEL_GOAL_S = 15.0


def size(folder: Path) -> int:
    """Bytes of every file under ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def stock_site(notebook: Path, folder: Path) -> tuple[Path, float]:
    """A stock JupyterLite site with ``notebook``, built as its documentation says; (site, seconds)."""
    from sourcebook import lite

    python, _ = lite.tools()
    lite_dir = folder / "stock"
    (lite_dir / "files").mkdir(parents=True, exist_ok=True)
    (lite_dir / "files" / notebook.name).write_bytes(notebook.read_bytes())
    start = time.perf_counter()
    run = subprocess.run([str(python), "-m", "jupyterlite_core", "build", "--contents", "files",
                          "--output-dir", str(folder / "stock-site")], cwd=lite_dir, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if run.returncode != 0:
        raise RuntimeError(f"the stock JupyterLite site did not build:\n{(run.stdout + run.stderr)[-3000:]}")
    return folder / "stock-site", seconds


def stock_kernel_site(notebook: Path, folder: Path) -> Path:
    """The design recipe's offline site: stock JupyterLite and kernel settings, Pyodide served by the site."""
    from sourcebook import lite

    cache = lite.cache_dir()
    python, version = lite.tools(cache)
    tgz = lite.pyodide_package(cache, version)
    lock = lite.read_lock(tgz)
    kernel = lite.closure(lock, lite.KERNEL_PACKAGES)
    wheels = lite.download_wheels(cache, {name: lock["packages"][name]["version"] for name in kernel},
                                  ".".join(str(lock["info"]["python"]).split(".")[:2]))
    lite_dir = folder / "stock-kernel"
    static = lite_dir / "static" / "pyodide"
    static.mkdir(parents=True)
    with tarfile.open(tgz) as archive:
        for name in lite.RUNTIME_FILES:
            member = archive.extractfile(f"package/{name}")
            assert member is not None, name
            (static / name).write_bytes(member.read())
    for path in wheels.values():
        shutil.copyfile(path, static / path.name)
    # The recipe's step 4: what the kernel installs with piplite as it starts and Pyodide's lock lacks.
    (lite_dir / "pypi").mkdir()
    python_version = ".".join(str(lock["info"]["python"]).split(".")[:2])
    piplite = {name: metadata.version(name) for name in ("comm", "ipython-pygments-lexers")}
    for path in lite.download_wheels(cache, piplite, python_version).values():
        shutil.copyfile(path, lite_dir / "pypi" / path.name)
    # The recipe's step 3: the lock keeps those packages, with the checksums of PyPI's wheels.
    kept = {name: dict(lock["packages"][name], sha256=hashlib.sha256(wheels[name].read_bytes()).hexdigest())
            for name in kernel}
    (static / "pyodide-lock.json").write_text(json.dumps({**lock, "packages": kept}), encoding="utf-8")
    (lite_dir / "files").mkdir()
    (lite_dir / "files" / notebook.name).write_bytes(notebook.read_bytes())
    # Without the service worker, as ours is built, so that both kernels start alike (every visit of the
    # benchmark is a first one).
    (lite_dir / "jupyter-lite.json").write_text(json.dumps({"jupyter-lite-schema-version": 0, "jupyter-config-data": {
        "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": {"disablePyPIFallback": True}},
        "disabledExtensions": ["@jupyterlite/application-extension:service-worker-manager"]}}), encoding="utf-8")
    run = subprocess.run([str(python), "-m", "jupyterlite_core", "build", "--contents", "files",
                          "--output-dir", str(folder / "stock-kernel-site")], cwd=lite_dir, capture_output=True,
                         text=True)
    if run.returncode != 0:
        raise RuntimeError(f"the stock kernel's site did not build:\n{(run.stdout + run.stderr)[-3000:]}")
    return folder / "stock-kernel-site"


def chromium_seconds() -> dict[int, float]:
    """Processor time (user and system) of each Chromium process this one started, so far, by process id."""
    import psutil

    seconds: dict[int, float] = {}
    for child in psutil.Process().children(recursive=True):
        try:
            if "chrom" in child.name():
                times = child.cpu_times()
                seconds[child.pid] = times.user + times.system
        except psutil.Error:  # a process that ended meanwhile
            pass
    return seconds


def chromium_seconds_since(before: dict[int, float]) -> float:
    """Processor seconds Chromium's processes spent since ``before`` (one that ended meanwhile is left out)."""
    return sum(max(now - before.get(pid, 0.0), 0.0) for pid, now in chromium_seconds().items())


def load_average() -> float:
    return os.getloadavg()[0]


#: The kernel may take long on a busy two-core machine; a visit whose first cell never runs is made again.
KERNEL_TIMEOUT_MS = 180_000
VISIT_TRIES = 3
#: How long each step of typing and sending that cell may take before it is tried again.
STEP_MS = 10_000


class LostRun(Exception):
    """The notebook never ran the cell sent to it (the request was lost, not slow): the visit is made again."""


def run_first_cell(page: Any) -> Any:
    """Add a cell ``1`` on top of the notebook and run it, once the kernel takes requests; returns the cell.

    JupyterLab shows the kernel idle (its info reply, which the Pyodide kernel
    gives before Python has started) before it runs anything, and key presses
    sent while the notebook is still being laid out can be lost: so this waits
    for that indicator, as the course's browser test does, and checks each
    step (the new cell, its text, its prompt queued as ``[*]``) before the next.
    """
    cells = page.locator(".jp-Notebook .jp-Cell")
    cells.first.wait_for(timeout=KERNEL_TIMEOUT_MS)
    page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(
        state="attached", timeout=KERNEL_TIMEOUT_MS)
    first = cells.first
    for _ in range(8):
        try:
            # The notebook opens on a text cell (the install note): a code cell on top is ours. (Counting
            # cells would not tell: JupyterLab renders a long notebook's cells a few at a time.)
            if "jp-CodeCell" not in (first.get_attribute("class", timeout=STEP_MS) or ""):
                first.locator(".jp-InputPrompt").click(timeout=STEP_MS)
                page.keyboard.press("Escape")
                page.keyboard.press("a")
                continue
            editor = first.locator(".jp-InputArea-editor")
            if editor.inner_text(timeout=STEP_MS).strip() != "1":
                editor.click(timeout=STEP_MS)
                page.keyboard.press("Control+A")
                page.keyboard.type("1")
                continue
            page.keyboard.press("Shift+Enter")
            page.wait_for_function("(cell) => cell.querySelector('.jp-InputPrompt').textContent.includes('*')"
                                   " || cell.querySelector('.jp-OutputArea-output') !== null",
                                   arg=first.element_handle(timeout=STEP_MS), timeout=STEP_MS)
            return first
        except PlaywrightTimeout:
            continue
    raise LostRun("the cell `1` could not be typed and queued")


def visit(browser: Any, url: str, answer: bool = True) -> tuple[float, float, float, int]:
    """Seconds from navigation until the first code cell ran, and until the quiz answered a click (when
    ``answer``, else 0), Chromium's processor seconds until that cell ran, and how many visits were made
    again because a run was lost (see :func:`run_first_cell`)."""
    for tries in range(VISIT_TRIES):
        try:
            return (*_visit(browser, url, answer), tries)
        except LostRun:
            if tries == VISIT_TRIES - 1:
                raise
    raise AssertionError("unreachable")


def _visit(browser: Any, url: str, answer: bool) -> tuple[float, float, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        start = time.perf_counter()
        before = chromium_seconds()
        page.goto(url, wait_until="commit")
        cell = run_first_cell(page)
        try:
            cell.locator(".jp-OutputArea-output").wait_for(timeout=KERNEL_TIMEOUT_MS)
        except PlaywrightTimeout as error:
            raise LostRun(f"the cell `1` did not run in {KERNEL_TIMEOUT_MS / 1000:.0f} s") from error
        ready = time.perf_counter() - start
        processor_seconds = chromium_seconds_since(before)
        if not answer:
            return ready, 0.0, processor_seconds
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        question = page.locator(".sb-question").first
        question.locator(".widget-radio-box input").first.check(timeout=KERNEL_TIMEOUT_MS)
        before_text = question.inner_text()
        question.get_by_role("button", name="Check").click()
        # The verdict (feedback, explanation) changes the question's text.
        page.wait_for_function("(before) => document.querySelector('.sb-question').innerText !== before",
                               arg=before_text, timeout=60_000)
        return ready, time.perf_counter() - start, processor_seconds
    finally:
        context.close()


#: Runs of the kernel's start in Node.js, for each set of wheels.
NODE_RUNS = 4

#: The kernel's start as JupyterLite's kernel worker makes it (@jupyterlite/pyodide-kernel's worker.js):
#: prints the processor seconds it took.
KERNEL_START = """
const { join } = require("node:path"), { pathToFileURL } = require("node:url");
const [folder, packages] = process.argv.slice(1);
(async () => {
  const start = process.cpuUsage();
  const { loadPyodide } = await import(pathToFileURL(join(folder, "pyodide.mjs")).href);
  const py = await loadPyodide({ indexURL: folder + "/", packages: JSON.parse(packages),
                                 stdout: () => {}, stderr: () => {} });
  await py.runPythonAsync("import piplite.piplite\\nimport pyodide_kernel");
  const used = process.cpuUsage(start);
  console.log((used.user + used.system) / 1e6);
})().catch((error) => { console.error(error); process.exit(1); });
"""


def kernel_start_seconds(folder: Path) -> float:
    """Processor seconds Node.js takes to start the kernel from ``folder`` (see :data:`KERNEL_START`)."""
    from sourcebook import lite

    packages = json.dumps([*lite.KERNEL_START, "sourcebook"])
    run = subprocess.run([*lite.node_command(lite.cache_dir()), "-e", KERNEL_START, str(folder), packages],
                         capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise RuntimeError(f"the kernel did not start in Node.js:\n{run.stderr[-3000:]}")
    return float(run.stdout.split()[-1])


def lean_against_as_they_come(folder: Path) -> Figure:
    """The kernel's start in Node.js with the leaner wheels against the wheels as they come, in turn."""
    from sourcebook import lite

    lean, plain = folder / "lean-wheels", folder / "plain-wheels"
    lite.write_runtime(lite.runtime(), lean)
    lite.write_runtime(lite.runtime(changes=()), plain)
    seconds: dict[Path, list[float]] = {lean: [], plain: []}
    loads = []
    for _ in range(NODE_RUNS):
        for which in (plain, lean):
            loads.append(load_average())
            seconds[which].append(kernel_start_seconds(which))
    return Figure(
        name="in-browser kernel's start in Node.js (processor time), leaner wheels",
        value=statistics.median(seconds[lean]), baseline_name="the same wheels as they come",
        baseline=statistics.median(seconds[plain]), unit="s", goal=None,
        note=f"Pyodide with the site's wheels, piplite and import pyodide_kernel, as the kernel's worker starts; "
             f"median of {NODE_RUNS} runs in turn; leaner: " + ", ".join(f"{t:.2f}" for t in seconds[lean])
             + "; as they come: " + ", ".join(f"{t:.2f}" for t in seconds[plain])
             + f"; load average {min(loads):.1f} to {max(loads):.1f}")


def run(root: Path) -> list[Figure]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        course = copy_course(root, Path(tmp) / "course")
        build(course, clean=True)
        no_op_plain = statistics.median(_timed(lambda: build(course, clean=False)) for _ in range(REPEAT))
        start = time.perf_counter()
        build(course, clean=False, lite=True)  # the pages get their links, the site is built
        first_lite = time.perf_counter() - start
        no_op_lite = statistics.median(_timed(lambda: build(course, clean=False, lite=True)) for _ in range(REPEAT))
        html = course / "_build" / "html"
        lite_bytes = size(html / "lite")
        notebook = html / "modules" / MODULE / f"{MODULE}.ipynb"
        stock, stock_seconds = stock_site(notebook, Path(tmp))
        stock_bytes = size(stock)
        # The lite step alone: a clean build with the notebooks, less one without.
        clean_lite = _timed(lambda: build(course, clean=True, lite=True))
        clean_plain = _timed(lambda: build(course, clean=True))
        extra = max(clean_lite - clean_plain, 0.0)
        times: list[tuple[float, float, float, int]] = []
        stock_times: list[tuple[float, float, float, int]] = []
        loads: list[float] = []
        os.environ.setdefault("XDG_CONFIG_HOME", str(Path(tmp) / "profile"))
        build(course, clean=False, lite=True)
        stock_kernel = stock_kernel_site(notebook, Path(tmp))
        shutil.copytree(stock_kernel, html / "stock-kernel")
        with served(html) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                path = f"notebooks/index.html?path={MODULE}/{MODULE}.ipynb"
                for _ in range(VISITS):
                    # In turn, so that both meet the same load on a shared machine.
                    loads.append(load_average())
                    times.append(visit(browser, f"{base}/lite/{path}"))
                    loads.append(load_average())
                    stock_times.append(visit(browser, f"{base}/stock-kernel/notebooks/index.html?path={notebook.name}",
                                             answer=False))
            finally:
                browser.close()
        lock = json.loads((html / "lite" / "static" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
        lean = lean_against_as_they_come(Path(tmp))
    ready = statistics.median(t[0] for t in times)
    answered = statistics.median(t[1] for t in times)
    stock_ready = statistics.median(t[0] for t in stock_times)
    processor = statistics.median(t[2] for t in times)
    stock_processor = statistics.median(t[2] for t in stock_times)
    load = f"load average {min(loads):.1f} to {max(loads):.1f} during the visits"
    again = sum(t[3] for t in times + stock_times)
    if again:
        load += f"; {again} visit(s) made again after a lost run"
    return [
        Figure(name="no-op build with the in-browser notebooks", value=no_op_lite,
               baseline_name="no-op build without them", baseline=no_op_plain, unit="s", goal=1.2,
               note=f"jupyter-book build as in make book, median of {REPEAT}; the first build that added them "
                    f"took {first_lite:.1f} s"),
        Figure(name="build time the in-browser notebooks add (clean build)", value=extra,
               baseline_name="jupyter lite build of a stock site, same notebook", baseline=stock_seconds,
               unit="s", goal=1.5,
               note=f"clean build {clean_lite:.1f} s with them, {clean_plain:.1f} s without; downloads cached"),
        Figure(name="bytes the in-browser notebooks add to the site", value=lite_bytes / 1e6,
               baseline_name="stock JupyterLite site, same notebook (Pyodide from a CDN)", baseline=stock_bytes / 1e6,
               unit="MB", goal=1.5,
               note=f"ours holds Pyodide's runtime and {len(lock['packages'])} wheels, which the stock site "
                    "fetches from a CDN at run time; ours has only the notebook and file-list apps"),
        Figure(name="in-browser notebook: navigation until the kernel ran a cell", value=ready,
               baseline_name="the kernel's budget", baseline=KERNEL_GOAL_S, unit="s", goal=1.0,
               note=f"Chromium headless, median of {VISITS} fresh visits; all visits (ready, answered): "
                    + ", ".join(f"({r:.1f}, {a:.1f})" for r, a, _, _ in times) + f"; {load}"),
        Figure(name="in-browser notebook: navigation until the quiz answers a click", value=answered,
               baseline_name="the kernel's budget", baseline=KERNEL_GOAL_S, unit="s", goal=1.2,
               note="Run All as soon as the notebook shows, then the first choice of the first question and Check; "
                    + load),
        Figure(name="in-browser notebook: navigation until the kernel ran a cell, against the stock kernel",
               value=ready, baseline_name="the design recipe's site: stock JupyterLite and kernel settings, "
                                          "Pyodide served locally, same notebook", baseline=stock_ready,
               unit="s", goal=None,
               note=f"visited in turn with ours, median of {VISITS}; stock visits: "
                    + ", ".join(f"{r:.1f}" for r, _, _, _ in stock_times)
                    + f"; Chromium's processor time until then (all its processes, median): ours {processor:.1f} s, "
                      f"stock {stock_processor:.1f} s; {load}"),
        lean,
    ]


def _timed(action: Any) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start
