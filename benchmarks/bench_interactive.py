"""Time to interactive in Chromium: from navigation until a 50-question quiz
answers a click (a choice, then Check, then its verdict shown), against the same
page without the quiz until its load event (goal: at most 1.2 times).

A small Jupyter Book holds both pages; the quiz's 50 questions are the course's
own, of every type. Each visit gets a fresh browser context (empty cache and
storage) on a local web server; the two pages alternate, several times, and the
median counts. Times are the page's own clock (``performance.now()``, from the
start of navigation); the clicks are made by a script in the page the moment
the quiz can take them (the first question answers once it has arrived and
been set up, before the rest of the page if it comes first), so the driver's
round trips do not count. When each page's HTML was parsed, when the quiz page
had loaded, and Chromium's metrics of the quiz page until then (script, layout
and style time) go in the note: where the time goes.

Debian's Chromium, through Playwright, with the flags the browser tests use.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import statistics
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .bench_edit import build
from .bench_weight import course_questions, small_book, write_bank
from .common import Figure

QUESTIONS = 50
REPEAT = 11
CHROMIUM = os.environ.get("SOURCEBOOK_CHROMIUM", "/usr/bin/chromium")
# As in tests/conftest.py.
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
TEXT = "# Fifty questions\n\nRead the report, then answer the questions below.\n"


def quiz_book(root: Path, folder: Path, count: int = QUESTIONS) -> Path:
    """A book with ``quiz.html`` (a quiz of ``count`` course questions) and ``plain.html`` (the same without)."""
    folder.mkdir(parents=True, exist_ok=True)
    source, questions = course_questions(root, count)
    # As in the course, a page shows the source, so evidence links there
    # instead of quoting the paragraphs in every explanation.
    (folder / "sources").mkdir(exist_ok=True)
    shutil.copy2(source, folder / "sources" / source.name)
    write_bank(folder / "fifty.yml", f"{count} questions", folder / "sources" / source.name, questions)
    return small_book(folder, {
        "intro.md": "# Time to interactive\n\nA page with a quiz and the same page without.\n",
        "quiz.md": TEXT + "\n```{quiz} /fifty.yml\n```\n",
        "plain.md": TEXT,
        "source.md": f"# The source\n\n```{{source-text}} /sources/{source.name}\n```\n",
    })


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A visit ends (its browser context closes) while files are still being sent.
        pass


@contextmanager
def served(directory: Path) -> Iterator[str]:
    """``directory`` on a local web server at a free port; yields its address."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def answer_script(click: str, verdict: str) -> str:
    """A script that runs in the page before its own: as soon as ``click`` (JavaScript statements that answer
    the first question and return its element, or return null while the quiz is not ready) succeeds, it notes
    the time the question's ``verdict`` element shows text. Done in the page, so that the driver's round trips
    do not count."""
    return _ANSWER_TEMPLATE.replace("/*click*/", click).replace("/*verdict*/", json.dumps(verdict))


_ANSWER_TEMPLATE = """
(() => {
  const answer = () => {
    const question = (() => { /*click*/ })();
    if (!question) return false;
    const shown = () => {
      const verdict = question.querySelector(/*verdict*/);
      if (!verdict || !verdict.textContent.trim()) return false;
      window.__sbAnsweredAt = performance.now();
      return true;
    };
    if (!shown()) {
      new MutationObserver((_, observer) => { if (shown()) observer.disconnect(); })
        .observe(question, {subtree: true, childList: true, characterData: true, attributes: true});
    }
    return true;
  };
  if (!answer()) {
    new MutationObserver((_, observer) => { if (answer()) observer.disconnect(); })
      .observe(document, {subtree: true, childList: true});
  }
})();
"""


#: As soon as the first question has its Check button (the quiz's script has run), click its first choice and
#: Check, and note the time the verdict shows.
ANSWER_SCRIPT = answer_script("""
      const question = document.querySelector("fieldset.sb-q.sb-single");
      const check = question && Array.from(question.querySelectorAll("button"))
        .find(button => button.textContent.trim() === "Check");
      if (!check) return null;
      question.querySelector(".sb-choice input").click();
      check.click();
      return question;""", ".sb-result")


def answered(page: Any) -> float:
    """Milliseconds from navigation until the first question showed its verdict
    (the page's ``ANSWER_SCRIPT`` clicks as soon as it can)."""
    at: float = page.wait_for_function("() => window.__sbAnsweredAt || false", timeout=30_000).json_value()
    return at


def loaded(page: Any) -> float:
    """Milliseconds from navigation until the page's load event ended."""
    page.wait_for_load_state("load")
    end: float = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
    return end


def visit(browser: Any, url: str, until: Any) -> tuple[float, dict[str, float]]:
    """Open ``url`` in a fresh context; returns ``until(page)`` and Chromium's metrics."""
    context = browser.new_context()
    try:
        if until is answered:
            context.add_init_script(ANSWER_SCRIPT)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.goto(url, wait_until="commit")
        value = until(page)
        # The metrics cover the whole page, loaded, also when the quiz answered before the page was whole.
        page.wait_for_load_state("load")
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        timing = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                               " return [n.domInteractive, n.loadEventEnd]; }")
        # When the HTML was parsed, and when the page had loaded.
        metrics["domInteractive"], metrics["loadEventEnd"] = timing[0] / 1000, timing[1] / 1000
        return value, metrics
    finally:
        context.close()


def run(root: Path) -> list[Figure]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = quiz_book(root, Path(tmp) / "book")
        build(folder, clean=True)
        os.environ.setdefault("XDG_CONFIG_HOME", str(Path(tmp) / "profile"))
        times: dict[str, list[float]] = {"quiz": [], "plain": []}
        quiz_metrics: list[dict[str, float]] = []
        plain_metrics: list[dict[str, float]] = []
        sizes = {name: (folder / "_build" / "html" / f"{name}.html").stat().st_size for name in ("quiz", "plain")}
        with served(folder / "_build" / "html") as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                visit(browser, f"{base}/quiz.html", answered)  # warm-up
                visit(browser, f"{base}/plain.html", loaded)
                for _ in range(REPEAT):
                    value, metrics = visit(browser, f"{base}/quiz.html", answered)
                    times["quiz"].append(value)
                    quiz_metrics.append(metrics)
                    value, metrics = visit(browser, f"{base}/plain.html", loaded)
                    times["plain"].append(value)
                    plain_metrics.append(metrics)
            finally:
                browser.close()

    def median_ms(name: str, metrics: list[dict[str, float]] = quiz_metrics) -> float:
        return statistics.median(m.get(name, 0.0) for m in metrics) * 1000

    return [Figure(
        name=f"time to interactive, {QUESTIONS}-question quiz (until a click is answered)",
        value=statistics.median(times["quiz"]), baseline_name="same page without the quiz (until load)",
        baseline=statistics.median(times["plain"]), unit="ms", goal=1.2,
        note=f"Chromium headless, median of {REPEAT} fresh visits each; HTML parsed at "
             f"{median_ms('domInteractive'):.0f} ms ({sizes['quiz'] / 1000:.0f} kB) against "
             f"{median_ms('domInteractive', plain_metrics):.0f} ms ({sizes['plain'] / 1000:.0f} kB); quiz page "
             f"loaded at {median_ms('loadEventEnd'):.0f} ms; quiz page until loaded: script "
             f"{median_ms('ScriptDuration'):.0f} ms, layout {median_ms('LayoutDuration'):.0f} ms, "
             f"style {median_ms('RecalcStyleDuration'):.0f} ms, all tasks {median_ms('TaskDuration'):.0f} ms",
    )]
