"""The course's in-browser notebooks (JupyterLite, Pyodide kernel), on the real course built once.

In Chromium, over http: from module 1's page, "Open in the browser" opens its
notebook; once the kernel is ready every cell is run, one question is answered
right and one wrong by mouse, and the score is read from Python in a new cell.
No request may go to another host. Over file:// the page says plainly that the
in-browser notebook needs the site served. The downloaded notebook runs on its
own, alone in an empty folder, on a local kernel. Editing a bank and building
again updates the notebook's copy.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from sourcebook import lite, load_bank
from sourcebook.types import OpenResponse, SingleChoice, TrueFalse

pytestmark = [pytest.mark.xdist_group("course"), pytest.mark.book, pytest.mark.slow]

MODULE = "01-meeting-the-source"
REPO = Path(__file__).resolve().parents[2]
#: Pyodide starts in the page's worker: slow on a busy two-core machine, so generous.
KERNEL_TIMEOUT = 300_000


def test_the_lite_site_holds_every_module_notebook_with_what_it_carries(course_site: Path) -> None:
    lite_dir = course_site / "lite"
    assert (lite_dir / "notebooks" / "index.html").is_file()
    config = json.loads((lite_dir / "jupyter-lite.json").read_text(encoding="utf-8"))["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True and kernel["pyodideUrl"].startswith("./static/pyodide/")
    # Our plugin that starts the notebook's kernel as the app starts.
    assert lite.EXTENSION in [extension["name"] for extension in config["federated_extensions"]]
    notebooks = sorted(course_site.glob("modules/*/*.ipynb"))
    assert notebooks
    for path in notebooks:
        copy = lite_dir / "files" / path.stem / path.name
        assert copy.read_bytes() == path.read_bytes()
        for relative in lite.carried_files(json.loads(path.read_text(encoding="utf-8"))):
            assert (copy.parent / relative).is_file(), relative
    lock = json.loads((lite_dir / "static" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    for name, entry in lock["packages"].items():
        assert (lite_dir / "static" / "pyodide" / entry["file_name"]).is_file(), name
    assert lock["packages"]["pyyaml"]["file_name"].endswith("-py3-none-any.whl")
    # The kernel installs nothing as it starts: all it sets up loads with Pyodide, from the lock.
    assert kernel["loadPyodideOptions"]["packages"] == [*lite.KERNEL_START, "sourcebook"]
    assert set(lite.KERNEL_START) <= set(lock["packages"])
    # Every wheel carries its modules' bytecode, for the kernel's Python.
    tag = "cpython-" + "".join(str(lock["info"]["python"]).split(".")[:2])
    for name, module in (("sourcebook", "sourcebook/__pycache__/carry"), ("ipython", "IPython/__pycache__/__init__"),
                         ("pyodide-kernel", "pyodide_kernel/__pycache__/kernel")):
        with zipfile.ZipFile(lite_dir / "static" / "pyodide" / lock["packages"][name]["file_name"]) as wheel:
            assert f"{module}.{tag}.pyc" in wheel.namelist(), name
    assert (course_site / "packages" / lite.wheel_name()).is_file()


#: The site's kernel started in Node.js as JupyterLite's kernel worker starts it (Pyodide with the
#: site's lock and wheels, piplite, then ``import pyodide_kernel``), in the folder of a module's
#: notebook with the files it carries; then what a student does, through the kernel's own API.
KERNEL_CHECK = """
const { join } = require("node:path"), { pathToFileURL } = require("node:url");
const [folder, packages, files, bank] = process.argv.slice(1);
(async () => {
  const { loadPyodide } = await import(pathToFileURL(join(folder, "pyodide.mjs")).href);
  const py = await loadPyodide({ indexURL: folder + "/", packages: JSON.parse(packages),
                                 stdout: () => {}, stderr: () => {} });
  await py.runPythonAsync("import piplite.piplite\\npiplite.piplite._PIPLITE_DISABLE_PYPI = True\\n" +
                          "piplite.piplite._PIPLITE_URLS = []\\nimport pyodide_kernel");
  for (const [path, text] of Object.entries(JSON.parse(files))) {
    py.FS.mkdirTree(join("/home/pyodide/module", path, ".."));
    py.FS.writeFile(join("/home/pyodide/module", path), text);
  }
  py.FS.chdir("/home/pyodide/module");
  const lite = py.globals.get("pyodide_kernel"), kernel = lite.kernel_instance;
  const shown = [], printed = [], comms = [];
  const keys = (data) => Object.keys(data.toJs({ dict_converter: Object.fromEntries }));
  kernel.interpreter.display_pub.display_data_callback = (data) => shown.push(...keys(data));
  kernel.interpreter.displayhook.publish_execution_result = (count, data) => shown.push(...keys(data));
  kernel.interpreter.send_comm = (type) => comms.push(type);
  lite.stdout_stream.publish_stream_callback = (name, text) => printed.push(text);
  const run = async (code) => (await kernel.run(code)).toJs({ dict_converter: Object.fromEntries });
  const complete = (code) => kernel.complete(code, code.length).toJs({ dict_converter: Object.fromEntries }).matches;
  const out = {};
  out.quiz = await run(`from sourcebook import quiz\\nq = quiz(${JSON.stringify(bank)})\\nq`);
  out.shown = shown.splice(0);
  out.comms = comms.length;
  out.score = await run("print(q.score, q.max_score, len(q.results))");
  out.printed = printed.splice(0).join("");
  out.error = await run("def half(x):\\n    return x / 0\\nhalf(1)");
  out.library_error = await run("quiz('questions/no-such-bank.yml')");
  const before = py.runPython("import sys; 'unittest.mock' in sys.modules");
  out.pip = await run("%pip install pyyaml");
  out.pip_used_piplite = !before && py.runPython("'unittest.mock' in sys.modules");
  await run('s = "a source"');
  out.complete_string = complete("s.up");
  out.complete_quiz = complete("q.max_s");
  out.complete_module = complete("import sourcebook.lo");
  out.complete_stdlib = complete("import collections; collections.Ordered");
  out.modules = py.runPython("sorted(m for m in sys.modules if m.split('.')[0] in ('prompt_toolkit', 'http'))").toJs();
  console.log(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
"""


def test_the_sites_kernel_gives_students_the_quiz_tracebacks_pip_and_completion(course_site: Path,
                                                                                tmp_path: Path) -> None:
    # The kernel's wheels are made leaner at build time (sourcebook.lean): what students use must still work,
    # and a stub or module left out that completion or the quiz needs fails here.
    lite_dir = course_site / "lite"
    config = json.loads((lite_dir / "jupyter-lite.json").read_text(encoding="utf-8"))["jupyter-config-data"]
    packages = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]["loadPyodideOptions"]
    notebook = lite_dir / "files" / MODULE / f"{MODULE}.ipynb"
    files = lite.carried_files(json.loads(notebook.read_text(encoding="utf-8")))
    run = subprocess.run([*lite.node_command(tmp_path), "-e", KERNEL_CHECK, str(lite_dir / "static" / "pyodide"),
                          json.dumps(packages["packages"]), json.dumps(files), f"questions/{MODULE}.yml"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout)
    assert out["quiz"]["status"] == "ok" and "application/vnd.jupyter.widget-view+json" in out["shown"]
    assert out["comms"] > 0  # the widgets reached the page's side
    bank = load_bank(REPO / "questions" / f"{MODULE}.yml")
    graded = sum(q.points for q in bank.questions if not isinstance(q, OpenResponse))
    assert out["printed"] == f"0.0 {float(graded)} {len(bank.questions)}\n"
    # Tracebacks show the failing lines, in the cell and in the package's own source.
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", "".join(out[key]["traceback"])) for key in ("error", "library_error")]
    assert out["error"]["ename"].endswith("ZeroDivisionError'>") and "return x / 0" in plain[0]
    assert "sourcebook/widgets/quiz.py" in plain[1] and "no-such-bank.yml" in plain[1]
    # %pip goes through piplite (which imports unittest.mock only then); the package is already there.
    assert out["pip"]["status"] == "ok" and out["pip_used_piplite"] is True
    assert out["complete_string"] == ["upper"]
    assert out["complete_quiz"] == ["max_score"]
    assert "sourcebook.loader" in out["complete_module"]
    assert "OrderedDict" in out["complete_stdlib"]
    # IPython without its terminal and %pastebin's web client: neither prompt_toolkit nor http.client is imported.
    assert out["modules"] == []


def test_the_downloaded_notebook_runs_alone_in_an_empty_folder(course_site: Path, tmp_path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    path = tmp_path / f"{MODULE}.ipynb"
    shutil.copyfile(course_site / "modules" / MODULE / path.name, path)
    notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    assert "pip install" in notebook.cells[0].source and lite.wheel_name() in notebook.cells[0].source
    NotebookClient(notebook, kernel_name="python3", timeout=120,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors == []
    bank = f"questions/{MODULE}.yml"
    assert (tmp_path / bank).read_bytes() == (REPO / bank).read_bytes()


def _answers() -> tuple[Any, str, Any, str]:
    """The first single-choice question with its right choice, the first true/false with its wrong answer."""
    bank = load_bank(REPO / "questions" / f"{MODULE}.yml")
    single = next(q for q in bank.questions if isinstance(q, SingleChoice))
    right = next(c.text for c in single.choices if c.correct)
    true_false = next(q for q in bank.questions if isinstance(q, TrueFalse))
    return single, right, true_false, "False" if true_false.answer else "True"


@pytest.mark.browser
def run_all_until_the_quiz_shows(page: Any, questions: Any, tries: int = 3) -> None:
    """Wait for the kernel, run every cell, and wait for the quiz.

    On a busy machine JupyterLab's "idle" indicator can show before the Pyodide
    kernel takes requests, and a "Run All Cells" sent then is lost: the notebook
    is reloaded (the kernel starts afresh) and run again, a few times at most.
    A quiz that never renders still fails.
    """
    for attempt in range(1, tries + 1):
        page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=KERNEL_TIMEOUT)
        page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(
            state="attached", timeout=KERNEL_TIMEOUT)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            questions.first.wait_for(timeout=KERNEL_TIMEOUT // 2)
            return
        except PlaywrightTimeout:
            if attempt == tries:
                raise
            page.reload()


def test_the_module_notebook_runs_in_the_browser_from_its_page(course_site: Path, chromium: Any,
                                                               served: Any) -> None:
    base = served(course_site)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    foreign: list[str] = []

    def watch(route: Any) -> None:
        if urlparse(route.request.url).hostname not in (None, "", "127.0.0.1"):
            foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", watch)
    context.on("request", lambda r: foreign.append(r.url)
               if urlparse(r.url).hostname not in (None, "", "127.0.0.1") and r.url not in foreign else None)
    page = context.new_page()
    try:
        page.goto(f"{base}/modules/{MODULE}/index.html")
        page.get_by_role("link", name="Open in the browser").click()
        questions = page.locator(".sb-question")
        run_all_until_the_quiz_shows(page, questions)

        single, right, true_false, wrong = _answers()
        first = questions.filter(has_text=single.prompt.strip().split("\n")[0][:40]).first
        first.get_by_label(right).check()
        first.get_by_role("button", name="Check").click()
        second = questions.filter(has_text=" ".join(true_false.prompt.split())[:40]).first
        second.get_by_label(wrong, exact=True).check()
        second.get_by_role("button", name="Check").click()
        second.get_by_role("button", name="Try again").wait_for(timeout=120_000)

        # A new cell under the quiz reads the results from Python.
        quiz_cell = page.locator(".jp-Notebook .jp-CodeCell").filter(has=page.locator(".sb-quiz")).first
        quiz_cell.locator(".jp-InputPrompt").click()
        page.keyboard.press("Escape")
        page.keyboard.press("b")
        page.keyboard.press("Enter")
        page.keyboard.type("q = _\nprint(q.score, q.max_score, [(r.id, r.correct) for r in q.results if r.attempts])")
        page.keyboard.press("Shift+Enter")
        output = page.locator(".jp-Notebook .jp-CodeCell").filter(has_text="q = _").locator(".jp-OutputArea-output")
        output.wait_for(timeout=60_000)
        bank = load_bank(REPO / "questions" / f"{MODULE}.yml")
        graded = sum(q.points for q in bank.questions if not isinstance(q, OpenResponse))
        assert output.inner_text().strip() == (
            f"{float(single.points)} {float(graded)} [('{single.id}', True), ('{true_false.id}', False)]")
        # One kernel, the one started early: the notebook connected to it and made no second Pyodide.
        # (A reload above ends the page's workers, so only this page's count.)
        kernels = [worker.url for worker in page.workers if "pyodide-kernel" in worker.url]
    finally:
        context.close()
    assert foreign == [], f"requests to other hosts: {foreign}"
    assert len(kernels) == 1, kernels


@pytest.mark.browser
def test_from_a_file_the_page_says_the_notebook_needs_the_site_served(course_site: Path, chromium: Any) -> None:
    context = chromium.new_context()
    page = context.new_page()
    try:
        page.goto((course_site / "modules" / MODULE / "index.html").as_uri())
        note = page.locator(".sb-lite-file-note")
        note.wait_for()
        assert "python -m http.server" in note.inner_text()
        assert not page.locator("a.sb-lite-open").is_visible()
        download = note.get_by_role("link", name="Download the notebook")
        assert download.get_attribute("href") == f"{MODULE}.ipynb"
    finally:
        context.close()


def test_editing_a_bank_updates_the_notebooks_copy(build_mini: Any) -> None:
    app = build_mini()
    notebook = Path(app.outdir) / "modules" / "01-first" / "01-first.ipynb"
    bank = Path(app.srcdir) / "questions" / "first.yml"
    assert lite.carried_files(json.loads(notebook.read_text(encoding="utf-8")))["questions/first.yml"] == \
        bank.read_text(encoding="utf-8")
    edited = bank.read_text(encoding="utf-8").replace("title:", "title: Edited", 1)
    app = build_mini(files={"questions/first.yml": edited})
    assert lite.carried_files(json.loads(notebook.read_text(encoding="utf-8")))["questions/first.yml"] == edited
    # Off in this build (the tests' default): no in-browser link, no site; the package's wheel is served all the same.
    page = (Path(app.outdir) / "modules" / "01-first" / "index.html").read_text(encoding="utf-8")
    assert "sb-lite-open" not in page and not (Path(app.outdir) / "lite").exists()
    assert (Path(app.outdir) / "packages" / lite.wheel_name()).is_file() and lite.wheel_name() in page


def test_the_in_browser_sites_work_folder_is_kept_with_the_saved_documents(build_mini: Any,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Not beside them: ``sphinx-build -b html SOURCE OUT`` saves its documents in ``OUT/.doctrees``, and a
    work folder beside them would be published with the site."""
    work_folders: list[Path] = []

    def build(site: Path, notebooks: Any, work: Path, **options: Any) -> bool:
        work_folders.append(Path(work))
        return False

    monkeypatch.setattr(lite, "build", build)
    app = build_mini(sourcebook_lite=True)
    assert work_folders == [Path(app.doctreedir) / "sourcebook-lite"]
