"""Module 1 on a school network: the bytes a student's browser loads for the page,
and the time until its quiz answers a click on Chromium DevTools' "Slow 3G" and
"Fast 3G" network presets, each against the anchor page.

The anchor is module 1 as a stock Jupyter Book 1 would publish it with
jupyterquiz: a notebook holding the module's text with the quiz replaced by a
cell that runs jupyterquiz's ``display_quiz`` on the same ten questions (types
jupyterquiz lacks become its closest type, see ``jupyterquiz_question``), in a
book with Jupyter Book's default settings. The anchor's text lacks what only
sourcebook's directives show (module facts, the source card and excerpt), so
it is a little smaller than ours: the comparison is not tilted our way.

Both sites are served uncompressed by Python's own static web server, each
visit in a fresh browser context (empty cache). *Bytes*: every response body
the page requested until the network was quiet; a request to another host
cannot be made here (no internet), so it is counted as a request and listed,
with no bytes. *Time*: Chromium's network conditions set through the DevTools
protocol (``Network.emulateNetworkConditions``) with the presets' own numbers;
a script in the page clicks the first single-choice answer and Check the moment
the quiz has them, and the time counts when the verdict shows or the page first
paints, whichever is later (a student cannot click a page not yet painted).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from sourcebook.loader import load_bank
from sourcebook.model import Question
from sourcebook.types import (
    Blanks,
    Evidence,
    Matching,
    MultipleAnswer,
    Numeric,
    OpenResponse,
    Ordering,
    ShortText,
    SingleChoice,
    TrueFalse,
)

from .bench_edit import build, copy_course, directives
from .bench_interactive import ANSWER_SCRIPT, CHROMIUM, CHROMIUM_ARGS, answer_script, served
from .bench_weight import jupyterquiz_notebook, jupyterquiz_python
from .common import Figure

MODULE = "modules/01-meeting-the-source/index"
#: The directives of sourcebook's extension, which a stock Jupyter Book does not know (the
#: teacher's model answers and notes are not on the students' page either).
SOURCEBOOK_DIRECTIVES = ("quiz", "quiz-progress", "module-facts", "theme-index", "model-answer", "instructor-note",
                         "source-text", "source-card", "source-excerpt")
#: Chromium DevTools' presets (front_end/core/sdk/NetworkManager.ts): bytes per second and milliseconds.
PRESETS: dict[str, dict[str, float]] = {
    "Slow 3G": {"downloadThroughput": 500 * 1000 / 8 * 0.8, "uploadThroughput": 500 * 1000 / 8 * 0.8,
                "latency": 400 * 5},
    "Fast 3G": {"downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9, "uploadThroughput": 750 * 1000 / 8 * 0.9,
                "latency": 150 * 3.75},
}
#: Seconds the quiz should take at most to answer a click on each preset.
LIMITS = {"Slow 3G": 10.0, "Fast 3G": 3.0}
REPEAT = 3
#: How long a visit may take before the measurement gives up (milliseconds).
WAIT_MS = 180_000
#: A stock Jupyter Book: its defaults, with only what a build here needs (no execution).
ANCHOR_CONFIG = """\
title: Self-Reliance and Cold War Science
author: The sourcebook project
execute:
  execute_notebooks: "off"
"""
#: The anchor's click, as ANSWER_SCRIPT does for ours: the first answer of the
#: first jupyterquiz single-choice question, then its feedback shown.
ANCHOR_ANSWER_SCRIPT = answer_script("""
      const choice = document.querySelector(".Quiz .MultipleChoiceQn ~ .Answer label.MCButton");
      if (!choice) return null;
      const question = choice.closest(".Quiz");
      choice.click();
      return question;""", ".Feedback")


# --- the anchor ------------------------------------------------------------------


def _choices(question: SingleChoice | MultipleAnswer) -> list[dict[str, Any]]:
    return [{"answer": c.text, "correct": c.correct,
             "feedback": c.feedback or ("Correct." if c.correct else "Incorrect.")} for c in question.choices]


def _string(prompt: str, answers: list[str], feedback: str) -> dict[str, Any]:
    return {"question": prompt, "type": "string",
            "answers": [*({"answer": a, "correct": True, "match_case": False, "feedback": feedback or "Correct."}
                          for a in answers),
                        {"type": "default", "feedback": "Not what was expected: try again."}]}


def jupyterquiz_question(question: Question) -> dict[str, Any]:
    """The question in jupyterquiz's format. jupyterquiz has single and multiple
    choice, numbers and typed text; ordering, matching, gaps and open response
    become typed text whose accepted answer is the right one written out."""
    if isinstance(question, SingleChoice):
        return {"question": question.prompt, "type": "multiple_choice", "answers": _choices(question)}
    if isinstance(question, MultipleAnswer):
        return {"question": question.prompt, "type": "many_choice", "answers": _choices(question)}
    if isinstance(question, TrueFalse):
        return {"question": question.prompt, "type": "multiple_choice", "answers": [
            {"answer": "True", "correct": question.answer, "feedback": question.feedback_true or "True."},
            {"answer": "False", "correct": not question.answer, "feedback": question.feedback_false or "False."}]}
    if isinstance(question, Numeric):
        if question.answer is not None:
            low, high = question.answer - question.tolerance, question.answer + question.tolerance
        else:
            low, high = question.min or 0.0, question.max or 0.0
        return {"question": question.prompt, "type": "numeric", "answers": [
            {"type": "range", "range": [low, high + 1e-9], "correct": True,
             "feedback": question.explanation or "Right."},
            {"type": "default", "feedback": "Not this number: try again."}]}
    if isinstance(question, ShortText):
        return _string(question.prompt, list(question.answers), question.explanation)
    if isinstance(question, Ordering):
        return _string(question.prompt + " (type them in order, separated by semicolons)",
                       ["; ".join(question.items)], question.explanation)
    if isinstance(question, Matching):
        return _string(question.prompt + " (type each pair as left = right, separated by semicolons)",
                       ["; ".join(f"{p.left} = {p.right}" for p in question.pairs)], question.explanation)
    if isinstance(question, Blanks):
        return _string(question.prompt + " " + question.text + " (type the gaps' words, separated by semicolons)",
                       ["; ".join(blank.answers[0] for blank in question.blanks.values())], question.explanation)
    if isinstance(question, OpenResponse):
        return _string(question.prompt, [question.model_answer], "A model answer: " + question.model_answer)
    if isinstance(question, Evidence):  # the paragraphs as choices, named by their anchors
        return {"question": f"{question.prompt} {question.claim}", "type": "many_choice", "answers": [
            {"answer": p.paragraph, "correct": p.correct, "feedback": p.feedback or ("Right." if p.correct else
                                                                                    "Not this one.")}
            for p in question.paragraphs]}
    raise ValueError(f"{question.id}: no jupyterquiz equivalent for {type(question).__name__}")


def _notebook_text(markdown: str) -> tuple[str, str]:
    """The module page's text before and after its quiz, without sourcebook's directives."""
    text = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.DOTALL)
    lines = text.splitlines(keepends=True)
    found = directives(text, names=SOURCEBOOK_DIRECTIVES)
    if [name for _, _, name, _ in found].count("quiz") != 1:
        raise RuntimeError("the anchor is made of a module page with one quiz")
    for start, end, name, _ in reversed(found):
        lines[start:end] = ["<!-- the quiz -->\n"] if name == "quiz" else []
    before, after = "".join(lines).split("<!-- the quiz -->\n", 1)
    return before, after


def anchor_book(root: Path, folder: Path, page: str = MODULE) -> Path:
    """A stock Jupyter Book in ``folder`` whose ``page.html`` is the module page with jupyterquiz."""
    folder.mkdir(parents=True, exist_ok=True)
    markdown = (root / f"{page}.md").read_text(encoding="utf-8")
    bank_argument = next(argument for _, _, name, argument in directives(markdown) if name == "quiz")
    bank = load_bank(root / bank_argument.lstrip("/"))
    questions = [jupyterquiz_question(q) for q in bank.questions]
    notebook = jupyterquiz_notebook(jupyterquiz_python(root), questions, folder / "quiz-cell.ipynb")
    # The executed notebook, its quiz cell between the page's text before and after it.
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    notebook.unlink()
    before, after = _notebook_text(markdown)
    nb["cells"] = [{"cell_type": "markdown", "id": "before", "metadata": {}, "source": before}, nb["cells"][1],
                   {"cell_type": "markdown", "id": "after", "metadata": {}, "source": after}]
    (folder / "page.ipynb").write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
    (folder / "intro.md").write_text("# Self-Reliance and Cold War Science\n\nThe course.\n", encoding="utf-8")
    (folder / "_config.yml").write_text(ANCHOR_CONFIG, encoding="utf-8")
    (folder / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: page\n", encoding="utf-8")
    return folder


def build_anchor(folder: Path) -> Path:
    """Build the anchor with Jupyter Book alone (no sourcebook extension in its configuration)."""
    import subprocess

    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    run = subprocess.run([str(jupyter_book), "build", str(folder), "--path-output", str(folder)],
                         capture_output=True, text=True, cwd=folder)
    if run.returncode != 0:
        raise RuntimeError(f"building the anchor failed:\n{(run.stdout + run.stderr)[-3000:]}")
    return folder / "_build" / "html"


# --- in the browser --------------------------------------------------------------


def visit(browser: Any, url: str, *, conditions: dict[str, float] | None, answer_script: str | None
          ) -> dict[str, Any]:
    """One visit in a fresh context: the requests made (address, bytes), and with
    ``answer_script`` the milliseconds until the quiz answered and until first paint."""
    context = browser.new_context()
    requests: dict[str, int] = {}
    outside: list[str] = []
    host = urlparse(url).netloc

    def finished(request: Any) -> None:
        try:
            size = int(request.sizes()["responseBodySize"])
        except Exception:  # the visit ended (context closed) while it was reported
            return
        requests[request.url] = requests.get(request.url, 0) + size

    def asked(request: Any) -> None:
        if urlparse(request.url).scheme in ("http", "https") and urlparse(request.url).netloc != host:
            outside.append(request.url)

    try:
        if answer_script:
            context.add_init_script(answer_script)
        page = context.new_page()
        page.on("request", asked)
        page.on("requestfinished", finished)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        if conditions is not None:
            cdp.send("Network.emulateNetworkConditions", {"offline": False, **conditions})
        page.goto(url, wait_until="commit", timeout=120_000)
        result: dict[str, Any] = {}
        if answer_script:
            result["answered"] = page.wait_for_function("() => window.__sbAnsweredAt || false",
                                                        timeout=WAIT_MS, polling=100).json_value()
            result["painted"] = page.wait_for_function(
                "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || false",
                timeout=WAIT_MS, polling=100).json_value()
        else:
            page.wait_for_load_state("networkidle", timeout=180_000)
        result["requests"] = dict(requests)
        result["outside"] = list(outside)
        return result
    finally:
        context.close()


def _kb(n: float) -> str:
    return f"{n / 1000:,.0f} kB"


def _biggest(requests: dict[str, int], count: int = 4) -> str:
    return ", ".join(f"{Path(urlparse(u).path).name} {_kb(n)}"
                     for u, n in sorted(requests.items(), key=lambda item: -item[1])[:count])


def measure(pages: dict[str, str], repeat: int = REPEAT
            ) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, list[float]]]]:
    """``pages`` maps a side ("ours", "anchor") to its address: the requests of one
    unthrottled visit, and the seconds until a working quiz under each preset."""
    from playwright.sync_api import sync_playwright

    scripts = {"ours": ANSWER_SCRIPT, "anchor": ANCHOR_ANSWER_SCRIPT}
    loads: dict[str, dict[str, Any]] = {}
    times: dict[str, dict[str, list[float]]] = {side: {p: [] for p in PRESETS} for side in pages}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for side, url in pages.items():
                loads[side] = visit(browser, url, conditions=None, answer_script=None)
            for _ in range(repeat):
                for preset, conditions in PRESETS.items():
                    for side, url in pages.items():
                        got = visit(browser, url, conditions=conditions, answer_script=scripts[side])
                        times[side][preset].append(max(got["answered"], got["painted"]) / 1000)
        finally:
            browser.close()
    return loads, times


def run(root: Path, repeat: int = REPEAT) -> list[Figure]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        course = copy_course(root, Path(tmp) / "course")
        build(course, clean=True)
        anchor = build_anchor(anchor_book(root, Path(tmp) / "anchor"))
        os.environ.setdefault("XDG_CONFIG_HOME", str(Path(tmp) / "profile"))
        with served(course / "_build" / "html") as ours, served(anchor) as theirs:
            loads, times = measure({"ours": f"{ours}/{MODULE}.html", "anchor": f"{theirs}/page.html"}, repeat)
    ours_bytes, anchor_bytes = (sum(loads[s]["requests"].values()) for s in ("ours", "anchor"))
    outside = sorted(set(loads["anchor"]["outside"]))
    if loads["ours"]["outside"]:
        raise RuntimeError(f"module 1 asks another host for {loads['ours']['outside']}")
    figures = [Figure(
        name="bytes a browser loads for module 1 (every request, uncompressed)",
        value=ours_bytes / 1000, baseline_name="stock Jupyter Book page with jupyterquiz", baseline=anchor_bytes / 1000,
        unit="kB", goal=0.25,
        note=f"module 1: {len(loads['ours']['requests'])} requests, biggest {_biggest(loads['ours']['requests'])}; "
             f"anchor: {len(loads['anchor']['requests'])} requests, biggest {_biggest(loads['anchor']['requests'])}"
             + (f"; the anchor also asks other hosts for {', '.join(outside)} (counted as requests, 0 bytes: "
                "no internet here)" if outside else "; the anchor asks no other host"),
    )]
    for preset in PRESETS:
        value, baseline = statistics.median(times["ours"][preset]), statistics.median(times["anchor"][preset])
        figures.append(Figure(
            name=f"module 1's quiz answers a click, DevTools \"{preset}\"", value=value,
            baseline_name="the anchor page's jupyterquiz", baseline=baseline, unit="s", goal=None,
            limit=LIMITS[preset],
            note=f"Chromium, CDP network conditions {json.dumps(PRESETS[preset])}, median of {repeat} fresh visits; "
                 f"the later of the first answer's verdict and first paint; runs: ours "
                 f"{', '.join(f'{t:.1f}' for t in times['ours'][preset])} s, anchor "
                 f"{', '.join(f'{t:.1f}' for t in times['anchor'][preset])} s",
        ))
    return figures
