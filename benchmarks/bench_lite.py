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
  until the kernel has run a cell (``1``, added on top as soon as the notebook
  shows: the kernel is ready), and until the quiz answers a click (a choice, then Check, then the
  verdict shown), against the 15 s the kernel may take. The stock site cannot
  be timed here: it loads Pyodide and the kernel's packages from a CDN, which
  a machine without internet (and a classroom behind a filter) cannot reach.

The downloads are cached (``sourcebook.lite.cache_dir``), so they do not count.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

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


def visit(browser: Any, url: str) -> tuple[float, float]:
    """Seconds from navigation until the first code cell ran, and until the quiz answered a click."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        cells = page.locator(".jp-Notebook .jp-Cell")
        cells.first.wait_for(timeout=300_000)
        # Kernel ready: a new cell on top, `1`, has run.
        cells.first.click()
        page.keyboard.press("Escape")
        page.keyboard.press("a")
        page.keyboard.press("Enter")
        page.keyboard.type("1")
        page.keyboard.press("Shift+Enter")
        cells.first.locator(".jp-OutputArea-output").wait_for(timeout=300_000)
        ready = time.perf_counter() - start
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        question = page.locator(".sb-question").first
        question.locator(".widget-radio-box input").first.check(timeout=300_000)
        before = question.inner_text()
        question.get_by_role("button", name="Check").click()
        # The verdict (feedback, explanation) changes the question's text.
        page.wait_for_function("(before) => document.querySelector('.sb-question').innerText !== before",
                               arg=before, timeout=60_000)
        return ready, time.perf_counter() - start
    finally:
        context.close()


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
        times: list[tuple[float, float]] = []
        os.environ.setdefault("XDG_CONFIG_HOME", str(Path(tmp) / "profile"))
        build(course, clean=False, lite=True)
        with served(html) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                url = f"{base}/lite/notebooks/index.html?path={MODULE}/{MODULE}.ipynb"
                for _ in range(VISITS):
                    times.append(visit(browser, url))
            finally:
                browser.close()
        lock = json.loads((html / "lite" / "static" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    ready = statistics.median(t[0] for t in times)
    answered = statistics.median(t[1] for t in times)
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
                    + ", ".join(f"({r:.1f}, {a:.1f})" for r, a in times)
                    + "; the stock site cannot be timed offline (Pyodide from a CDN)"),
        Figure(name="in-browser notebook: navigation until the quiz answers a click", value=answered,
               baseline_name="the kernel's budget", baseline=KERNEL_GOAL_S, unit="s", goal=1.2,
               note="Run All as soon as the notebook shows, then the first choice of the first question and Check"),
    ]


def _timed(action: Any) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start
