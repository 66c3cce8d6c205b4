"""Editing with ``sourcebook preview`` open: from saving a 100-question bank to
the open page showing the change, ready to answer, in Chromium; against the
rebuild ``make book`` does after the same edit of a small book that uses the
bank (goal: at most 0.2 times).

The book has the bank's quiz on one page, beside a root page, built once
clean first. The preview is the command a teacher runs (``sourcebook preview
BANK``, its own process), with the page open in Chromium. Each round changes
the first question's prompt: the preview's time runs from just before the file
is written until the reloaded page shows the new prompt and its quiz's script
has set the questions up (the page's own clock, ``performance.timeOrigin +
now()``, against the benchmark's ``time.time()``: the same system clock); the
rebuild's is the incremental ``jupyter-book build`` after the same edit.
How long the preview's server takes to read the bank and write the page goes
in the note.
"""

from __future__ import annotations

import copy as copy_module
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from .bench_edit import build
from .bench_interactive import CHROMIUM, CHROMIUM_ARGS
from .bench_weight import course_questions, small_book, write_bank
from .common import Figure, median_time

QUESTIONS = 100
REPEAT = 9
BUILDS = 3
PROMPT = "Which of these did Nie Rongzhen write? (version {n})"
#: Runs in the page on every load: notes when the first question has its Check button (quiz.js has
#: set the quiz up), as milliseconds since 1970, the clock the benchmark reads with time.time().
READY_SCRIPT = """
(() => {
  const ready = () => {
    if (!document.querySelector("fieldset.sb-q .sb-actions button")) return false;
    window.__sbReadyAt = performance.timeOrigin + performance.now();
    return true;
  };
  new MutationObserver((_, observer) => { if (ready()) observer.disconnect(); })
    .observe(document, {subtree: true, childList: true});
})();
"""


def hundred_questions(root: Path) -> tuple[Path, list[dict[str, Any]]]:
    """100 questions from the course's banks (copies with new ids when the course has fewer) and their source."""
    source, questions = course_questions(root, 50)
    chosen: list[dict[str, Any]] = []
    copy = 0
    while len(chosen) < QUESTIONS:
        for q in questions[: QUESTIONS - len(chosen)]:
            # Deep copies: a value shared between questions would be written as a YAML alias.
            chosen.append({**copy_module.deepcopy(q), "id": f"{q['id']}-{copy}" if copy else q["id"]})
        copy += 1
    return source, chosen


def preview_book(root: Path, folder: Path) -> Path:
    """A small book whose page ``quiz.md`` shows the 100-question bank ``hundred.yml``."""
    folder.mkdir(parents=True, exist_ok=True)
    source, questions = hundred_questions(root)
    (folder / "sources").mkdir(exist_ok=True)
    shutil.copy2(source, folder / "sources" / source.name)
    write_bank(folder / "hundred.yml", f"{QUESTIONS} questions", folder / "sources" / source.name, questions)
    small_book(folder, {
        "intro.md": "# Preview benchmark\n\nA book with one quiz page.\n",
        "quiz.md": "# A hundred questions\n\n```{quiz} /hundred.yml\n```\n",
    })
    return folder


def edited(bank: Path, n: int) -> str:
    """The edit a teacher makes: the bank's text with the first question's prompt rewritten."""
    data = yaml.load(bank.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    data["questions"][0]["prompt"] = PROMPT.format(n=n)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def edit(bank: Path, n: int) -> None:
    """Makes the edit and saves it."""
    bank.write_text(edited(bank, n), encoding="utf-8")


def start_preview(folder: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``sourcebook preview hundred.yml`` in ``folder``, as a teacher runs it; returns it and its address."""
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "sourcebook.cli", "preview", "hundred.yml"],
                                   cwd=folder, stderr=out, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        match = re.search(r"at (http://127\.0\.0\.1:\d+/)", log.read_text(encoding="utf-8", errors="replace"))
        if match:
            return process, match.group(1)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"sourcebook preview did not start:\n{log.read_text(errors='replace')[-2000:]}")


def render_time(folder: Path) -> float:
    """Seconds the preview's server takes to read the bank and write the page (in this process)."""
    from sourcebook.preview import Preview, renderer

    cwd = Path.cwd()
    os.chdir(folder)
    try:
        preview = Preview(renderer("hundred.yml"), "hundred.yml")
        return median_time(lambda: (preview.render(), preview.page()), repeat=5)
    finally:
        os.chdir(cwd)


def run(root: Path) -> list[Figure]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = preview_book(root, Path(tmp) / "book")
        bank = folder / "hundred.yml"
        build(folder, clean=True)
        os.environ.setdefault("XDG_CONFIG_HOME", str(Path(tmp) / "profile"))
        saved_to_shown: list[float] = []
        process, url = start_preview(folder, Path(tmp) / "preview.log")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    context = browser.new_context()
                    context.add_init_script(READY_SCRIPT)
                    page = context.new_page()
                    page.goto(url)
                    page.wait_for_function("() => window.__sbReadyAt || false", timeout=30_000)
                    for n in range(REPEAT + 1):  # the first round warms up
                        time.sleep(0.5)  # the page is idle, asking for the version as it does
                        text = edited(bank, n)  # made first: the clock starts at the save
                        saved_at = time.time() * 1000
                        bank.write_text(text, encoding="utf-8")
                        shown = PROMPT.format(n=n)
                        ready_at = page.wait_for_function(
                            """text => document.body.textContent.includes(text) && window.__sbReadyAt""",
                            arg=shown, timeout=30_000).json_value()
                        if n:
                            saved_to_shown.append((ready_at - saved_at) / 1000)
                    context.close()
                finally:
                    browser.close()
        finally:
            process.terminate()
            process.wait(timeout=30)
        rendering = render_time(folder)
        counter = iter(range(REPEAT + 1, 10_000))

        def edit_and_build() -> None:
            edit(bank, next(counter))
            build(folder, clean=False)

        rebuild = median_time(edit_and_build, repeat=BUILDS, warmup=0)
        shown_html = (folder / "_build" / "html" / "quiz.html").read_text(encoding="utf-8")
        if PROMPT.format(n=REPEAT + BUILDS) not in shown_html:
            raise RuntimeError("the rebuilt page does not show the last edit")
    return [Figure(
        name=f"sourcebook preview: save a {QUESTIONS}-question bank to the page updated in Chromium",
        value=statistics.median(saved_to_shown), baseline_name="make book's rebuild after the same edit",
        baseline=rebuild, unit="s", goal=0.2,
        note=f"median of {REPEAT} saves with the page open (the server holding its question for a newer version), "
             f"until the "
             f"new prompt shows and quiz.js has set the quiz up; the server reads the bank and writes the page in "
             f"{rendering * 1000:.0f} ms; the rebuild is jupyter-book build as in make book (2 pages), median of "
             f"{BUILDS}",
    )]
