"""Page weight: the gzipped bytes of the JavaScript and CSS that a quiz adds to a
page, against jupyterquiz showing the same ten multiple-choice questions in a
page of the same Jupyter Book (goal: at most 0.5 times).

One small book holds four pages: a page with a ``{quiz}`` of ten single-choice
questions from the course's banks and the same page without it, and a notebook
whose cell runs jupyterquiz's ``display_quiz`` on the same questions (converted
to its JSON format) and the same notebook without the outputs. What a quiz adds
is what the page with it loads and the page without it does not: script and
stylesheet files (as served, from the built site) and inline ``<script>`` and
``<style>`` elements, each gzipped on its own as a web server would send it.
Both sides count the questions' data their scripts carry. The files are those
Chromium requests on a fresh visit (empty cache and storage) until the network
is quiet, so a script that a script adds counts too; what a quiz loads only
when the student acts (the hand-in form's script, at the first save) is
measured by answering the first question and listed in the note.

jupyterquiz is installed from PyPI into its own virtual environment under
``benchmarks/.work/`` (made on first use), where the notebook is run with
nbclient; the book is built by the course's own Jupyter Book, with execution
off. The folder is hidden because Jupyter Book searches the project for pages
on every build: walking a virtual environment made `make book` twice as slow.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlparse

import yaml
from bs4 import BeautifulSoup

from sourcebook.loader import load_bank, read_bank
from sourcebook.types import SingleChoice

from .bench_edit import build
from .common import Figure

QUESTIONS = 10
JUPYTERQUIZ_PACKAGES = ["jupyterquiz", "ipykernel", "nbclient", "nbformat"]
CONFIG = """\
title: Benchmark book
author: The sourcebook project
only_build_toc_files: true
execute:
  execute_notebooks: "off"
sphinx:
  extra_extensions: [sourcebook.sphinx]
  config:
    language: en
    html_copy_source: false
"""
#: Run in jupyterquiz's environment: writes a notebook whose cell shows the
#: quiz, executes it there, and saves it (argv: questions JSON, notebook path).
NOTEBOOK_SCRIPT = textwrap.dedent('''\
    import json, sys
    import nbformat
    from nbclient import NotebookClient

    questions = json.load(open(sys.argv[1], encoding="utf-8"))
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Ten questions\\n\\nThe same ten questions as the other page."),
        nbformat.v4.new_code_cell("from jupyterquiz import display_quiz\\n"
                                  "questions = " + repr(questions) + "\\n"
                                  "display_quiz(questions)"),
    ]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    nbformat.write(nb, sys.argv[2])
''')


# --- questions -------------------------------------------------------------------


def course_questions(root: Path, count: int, types: tuple[str, ...] | None = None) -> tuple[Path, list[dict[str, Any]]]:
    """The first ``count`` questions of the course's banks (of ``types``, if given), as
    written in YAML, and the source they cite (every course bank cites one source)."""
    source: Path | None = None
    chosen: list[dict[str, Any]] = []
    for bank in sorted((root / "questions").glob("*.yml")):
        data = yaml.safe_load(bank.read_text(encoding="utf-8"))
        cites = (bank.parent / data["source"]).resolve()
        if source is None:
            source = cites
        if cites != source:
            continue
        for q in data["questions"]:
            if types is None or q["type"] in types:
                # Only the source's own anchors: the benchmark's bank lists no further documents.
                q["evidence"] = [e for e in q.get("evidence", []) if "#" not in str(e)]
                chosen.append(q)
    if source is None or len(chosen) < count:
        raise RuntimeError(f"the course's banks hold fewer than {count} questions of types {types}")
    return source, chosen[:count]


def write_bank(path: Path, title: str, source: Path, questions: list[dict[str, Any]]) -> Path:
    """A bank of ``questions`` citing ``source`` (copied beside it when it is outside the bank's
    folder: a bank's source must be a file of its course); raises RuntimeError if it does not check clean."""
    try:
        cited = source.resolve().relative_to(path.parent.resolve()).as_posix()
    except ValueError:
        cited = source.name
        shutil.copyfile(source, path.parent / cited)
    path.write_text(yaml.safe_dump({"title": title, "source": cited, "questions": questions},
                                   allow_unicode=True, sort_keys=False), encoding="utf-8")
    loaded = read_bank(path)
    if not loaded.ok:
        raise RuntimeError(f"the benchmark's bank {path} does not check: {loaded.problems}")
    return path


def jupyterquiz_questions(bank_path: Path) -> list[dict[str, Any]]:
    """The bank's single-choice questions in jupyterquiz's JSON format."""
    converted: list[dict[str, Any]] = []
    for question in load_bank(bank_path).questions:
        if not isinstance(question, SingleChoice):
            raise ValueError(f"{question.id}: jupyterquiz's multiple_choice needs a single-choice question")
        converted.append({
            "question": question.prompt,
            "type": "multiple_choice",
            "answers": [{"answer": c.text, "correct": c.correct, "feedback": c.feedback or
                         ("Correct." if c.correct else "Incorrect.")} for c in question.choices],
        })
    return converted


# --- books -----------------------------------------------------------------------


def small_book(folder: Path, pages: dict[str, str]) -> Path:
    """A Jupyter Book in ``folder``: ``pages`` maps file names (``.md`` or
    ``.ipynb``) to their text; the first is the root page."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_config.yml").write_text(CONFIG, encoding="utf-8")
    names = list(pages)
    toc = {"format": "jb-book", "root": Path(names[0]).stem,
           "chapters": [{"file": Path(name).stem} for name in names[1:]]}
    (folder / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def jupyterquiz_python(root: Path) -> Path:
    """A Python with jupyterquiz: this one when it has it (``pip install -e '.[bench]'``), else
    that of a virtual environment with jupyterquiz from PyPI, made on first use."""
    probe = subprocess.run([sys.executable, "-c", "import jupyterquiz, nbclient, ipykernel"], capture_output=True)
    if probe.returncode == 0:
        return Path(sys.executable)
    venv = root / "benchmarks" / ".work" / "jupyterquiz-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = subprocess.run([str(python), "-c", "import jupyterquiz, nbclient, ipykernel"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *JUPYTERQUIZ_PACKAGES], check=True)
    return python


def jupyterquiz_notebook(python: Path, questions: list[dict[str, Any]], path: Path) -> Path:
    """Run jupyterquiz's ``display_quiz`` on ``questions`` in a notebook saved at ``path``."""
    data = path.with_suffix(".json")
    data.write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
    script = path.with_name("make_notebook.py")
    script.write_text(NOTEBOOK_SCRIPT, encoding="utf-8")
    run = subprocess.run([str(python), str(script), str(data), str(path)], capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"running jupyterquiz failed:\n{run.stderr[-3000:]}")
    data.unlink()
    script.unlink()
    return path


def without_outputs(notebook_text: str) -> str:
    notebook = json.loads(notebook_text)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return json.dumps(notebook, indent=1, ensure_ascii=False)


# --- weighing --------------------------------------------------------------------


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def page_assets(html_file: Path, requested: list[str] | None = None) -> dict[str, bytes]:
    """The scripts and styles a built page loads: files by their address (without
    the cache-busting query), inline elements by their text. ``requested``: the
    files' addresses (relative to the page) as a browser fetched them, scripts
    that scripts add included; without it, the files the page's HTML names."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    assets: dict[str, bytes] = {}
    for element in soup.find_all(["script", "style", "link"]):
        if element.name == "link":
            if "stylesheet" not in (element.get("rel") or []):
                continue
            address = str(element.get("href", ""))
        else:
            address = str(element.get("src", "")) if element.name == "script" else ""
        if address:
            if requested is None:
                assets.update(_file(html_file, address))
        else:
            # Keyed without the page's own name, which the theme's per-page script holds.
            text = element.string or ""
            key = text.replace(repr(html_file.stem), "'<page>'")
            assets[f"inline <{element.name}> {key}"] = text.encode("utf-8")
    for address in requested or ():
        assets.update(_file(html_file, address))
    return assets


def _file(html_file: Path, address: str) -> dict[str, bytes]:
    url = urlparse(address)
    if url.scheme in ("http", "https") or address.startswith("//"):
        return {f"external {address}": b""}
    return {f"file {url.path}": (html_file.parent / url.path).read_bytes()}


def added_assets(with_quiz: Path, without: Path, requested: dict[Path, list[str]] | None = None) -> dict[str, int]:
    """Gzipped bytes of each script or style that ``with_quiz`` loads and ``without`` does not
    (``requested``: the files each page's visit in a browser fetched, see :func:`page_assets`)."""
    plain = page_assets(without, None if requested is None else requested[without])
    # Inline elements are keyed by their text, files by address: a file of the same
    # address but other content (another version) counts as added too.
    return {name: gzipped(data) for name, data in
            page_assets(with_quiz, None if requested is None else requested[with_quiz]).items()
            if name not in plain or (name.startswith("file") and plain[name] != data)}


#: Answers the page's first question and checks it, as a student would (the quiz has set itself up).
FIRST_ANSWER = """() => {
  const question = document.querySelector("fieldset.sb-q");
  question.querySelector(".sb-choice input").click();
  Array.from(question.querySelectorAll(".sb-actions button")).find(b => !b.hidden && !b.disabled).click();
}"""


def browser_loads(html: Path, pages: list[str], answer: str | None = None) -> tuple[dict[Path, list[str]], list[str]]:
    """Visits each page of the built site ``html`` in Chromium (a fresh context each: empty cache and
    storage) until its network is quiet: the scripts and stylesheets each requested, as addresses
    relative to the site. On the page ``answer``, the first question is then answered and checked:
    also returns what that loaded on demand."""
    from playwright.sync_api import sync_playwright

    from .bench_interactive import CHROMIUM, CHROMIUM_ARGS, served

    loads: dict[Path, list[str]] = {}
    on_demand: list[str] = []
    with served(html) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name in pages:
                context = browser.new_context()
                page = context.new_page()
                fetched: list[str] = []

                def note(request: Any, into: list[str] = fetched) -> None:
                    if request.resource_type in ("script", "stylesheet"):
                        into.append(request.url[len(base) + 1:].split("?")[0])

                page.on("request", note)
                page.goto(f"{base}/{name}", wait_until="networkidle")
                loads[html / name] = list(dict.fromkeys(fetched))
                if name == answer:
                    page.locator(".sb-quiz > .sb-actions").first.wait_for()
                    fetched.clear()
                    page.evaluate(FIRST_ANSWER)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(500)
                    on_demand = list(dict.fromkeys(fetched))
                context.close()
        finally:
            browser.close()
    return loads, on_demand


def breakdown(added: dict[str, int]) -> str:
    """``name bytes`` of each asset, biggest first: files by name, inline elements by tag."""
    def label(name: str) -> str:
        kind, rest = name.split(" ", 1)
        return PurePosixPath(rest).name if kind == "file" else rest.split(" ", 1)[0] if kind == "inline" else rest
    return ", ".join(f"{label(name)} {size:,}" for name, size in sorted(added.items(), key=lambda item: -item[1]))


def run(root: Path) -> list[Figure]:
    python = jupyterquiz_python(root)
    version = subprocess.run([str(python), "-c", "import jupyterquiz; print(jupyterquiz.__version__)"],
                             capture_output=True, text=True, check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "book"
        folder.mkdir()
        source, questions = course_questions(root, QUESTIONS, types=("single",))
        bank = write_bank(folder / "ten.yml", "Ten questions", source, questions)
        notebook = jupyterquiz_notebook(python, jupyterquiz_questions(bank), folder / "jupyterquiz.ipynb")
        text = "# Ten questions\n\nThe same ten questions as the other page.\n"
        small_book(folder, {
            "intro.md": "# Page weight\n\nPages with and without a quiz.\n",
            "sourcebook.md": text + "\n```{quiz} /ten.yml\n```\n",
            "sourcebook-plain.md": text,
            "jupyterquiz.ipynb": notebook.read_text(encoding="utf-8"),
            "jupyterquiz-plain.ipynb": without_outputs(notebook.read_text(encoding="utf-8")),
        })
        build(folder, clean=True)
        html = folder / "_build" / "html"
        pages = ["sourcebook.html", "sourcebook-plain.html", "jupyterquiz.html", "jupyterquiz-plain.html"]
        requested, later = browser_loads(html, pages, answer="sourcebook.html")
        ours = added_assets(html / "sourcebook.html", html / "sourcebook-plain.html", requested)
        theirs = added_assets(html / "jupyterquiz.html", html / "jupyterquiz-plain.html", requested)
        on_demand = {name: gzipped((html / name).read_bytes()) for name in later}
    if not any(name.startswith("file") for name in ours):
        raise RuntimeError("the quiz page loads no quiz asset: the measurement is broken")
    if not theirs:
        raise RuntimeError("jupyterquiz's page adds nothing: its output did not reach the page")
    first_answer = sum(ours.values()) + sum(on_demand.values())
    external = sorted(name.split(" ", 1)[1] for name in theirs if name.startswith("external"))
    offline = ("its files reference " + ", ".join(external) + " (not offline, bytes not counted)"
               if external else "nothing from a CDN: all inline, offline")
    return [Figure(
        name=f"JS + CSS a quiz adds to a page, gzipped ({QUESTIONS} questions)",
        value=sum(ours.values()) / 1000, baseline_name=f"jupyterquiz {version}", baseline=sum(theirs.values()) / 1000,
        unit="kB", goal=0.5,
        note=f"gzipped bytes: sourcebook {breakdown(ours)}; jupyterquiz {breakdown(theirs)}; jupyterquiz: {offline}; "
             "each file gzipped on its own, as a server sending gzip sends it (a page's quiz scripts are one file, "
             "quiz-<digest>.js, so they are compressed together); "
             "counted: what a fresh browser (Chromium, empty cache and storage) requests until its network is "
             "quiet, and the pages' inline elements; loaded on demand at the quiz's first save, not counted: "
             + (", ".join(f"{PurePosixPath(n).name} {b:,}" for n, b in on_demand.items()) or "nothing")
             + f" (with it, what a student who has answered once has loaded: {first_answer / 1000:.2f} kB, "
               f"{first_answer / sum(theirs.values()):.2f} of jupyterquiz's)",
    )]
