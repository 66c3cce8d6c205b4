"""The notebook quiz, live, in JupyterLab 4, Notebook 7 and Voilà.

One Jupyter server serves all three front ends on 127.0.0.1. The server lives in
a virtual environment of its own, made from PyPI on first use and kept in
pytest's cache (see `cachelock.kept_folder`): JupyterLab's dependencies would otherwise slow every
`jupyter-book build` of the project's own environment (jsonschema then imports
rfc3987-syntax, which compiles its grammars at start-up). The kernel is this
environment's Python, so the quiz under test is the working tree's.

In each front end, Chromium runs a notebook that calls ``quiz(...)``, answers a
question by mouse, presses Check and sees the verdict, which needs the round
trip through a real kernel. In JupyterLab and Notebook 7 a second cell then
reads the result from Python.

These pages use their own browser fixture rather than the shared ``page``: the
front ends log errors of their own (Notebook 7) and ask content delivery
networks for MathJax and Font Awesome (Voilà's template). Those requests are
stopped, as everywhere in the tests; what is checked is the quiz's behaviour.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from cachelock import kept_folder, locked

TESTS = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("jupyter")]

CELLS = [
    'from sourcebook import quiz\nshown = quiz("bank.yml", ids=["single", "truefalse"])\nshown',
    "print(shown.score, shown.max_score, [(r.id, r.response, r.correct, r.attempts) for r in shown.results])",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


#: The front ends; the widgets' JupyterLab extension matches this environment's ipywidgets.
FRONT_ENDS = ["jupyterlab>=4,<5", "notebook>=7,<8", "voila>=0.5,<0.6",
              f"jupyterlab_widgets=={importlib.metadata.version('jupyterlab_widgets')}"]


@pytest.fixture(scope="module")
def server_python(request: pytest.FixtureRequest) -> Path:
    """The Python of the front ends' own virtual environment, made once and kept in pytest's cache."""
    with locked(kept_folder(request, "jupyter-front-ends")) as folder:
        python, stamp = folder / "venv" / "bin" / "python", folder / "installed.txt"
        wanted = "\n".join(FRONT_ENDS)
        if not python.exists() or not stamp.is_file() or stamp.read_text() != wanted:
            shutil.rmtree(folder / "venv", ignore_errors=True)
            steps = [[sys.executable, "-m", "venv", str(folder / "venv")],
                     [str(python), "-m", "pip", "install", "--quiet", *FRONT_ENDS]]
            for step in steps:
                run = subprocess.run(step, capture_output=True, text=True, timeout=900)
                assert run.returncode == 0, f"{' '.join(step)}:\n{run.stdout[-2000:]}{run.stderr[-3000:]}"
            stamp.write_text(wanted)
    return python


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory: pytest.TempPathFactory, server_python: Path) -> Iterator[tuple[str, str]]:
    """A Jupyter server on 127.0.0.1 with the quiz notebook; yields (base URL, token)."""
    root = tmp_path_factory.mktemp("jupyter")
    shutil.copy(TESTS / "conformance" / "bank.yml", root / "bank.yml")
    shutil.copy(TESTS / "conformance" / "source.yml", root / "source.yml")  # the bank's source
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, root / "quiz.ipynb")
    home = tmp_path_factory.mktemp("jupyter-home")
    # The kernel "python3" is this environment's Python: JUPYTER_PATH comes first.
    spec = home / "data" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3", "language": "python"}))
    # The server's own settings, workspaces and runtime files stay out of the home folder.
    env = dict(os.environ, JUPYTER_PATH=str(home / "data"), JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"))
    port, token = _free_port(), secrets.token_hex(16)
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [str(server_python), "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--ServerApp.allow_root=True",
         f"--LabApp.user_settings_dir={home / 'settings'}", f"--LabApp.workspaces_dir={home / 'workspaces'}"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the Jupyter server did not start:\n" + (home / "server.log").read_text()[-3000:])
                time.sleep(0.3)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture
def jupyter_page(local_context: Any, jupyter: tuple[str, str]) -> Iterator[Any]:
    """A fresh page whose requests to other hosts are stopped; afterwards the
    server's kernels are shut down, so each test starts its own."""
    page = local_context.new_page()
    page.set_default_timeout(60_000)
    yield page
    page.close()
    base, token = jupyter
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as response:
        sessions = json.load(response)
    for session in sessions:
        request = urllib.request.Request(f"{base}/api/sessions/{session['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


def _wait_for_kernel(page: Any, base: str, token: str) -> None:
    """Waits until the notebook's kernel is started and the page shows it idle.

    A cell run before the page has its kernel is not queued, so the test waits
    for the server to list the session with an idle kernel, then for the page.
    """
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as response:
            sessions = json.load(response)
        if any(s["path"] == "quiz.ipynb" and s["kernel"]["execution_state"] == "idle" for s in sessions):
            break
        # Not time.sleep: the page's requests pass through this process's route handler.
        page.wait_for_timeout(300)
    else:
        pytest.fail(f"the notebook's kernel did not start: {sessions}")
    page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(state="attached")


def _run_cell(page: Any, index: int) -> None:
    page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")


#: Records each ``role="alert"`` element that comes into the page: its text, and whether it was shown when it
#: came (screen readers say an alert that comes in shown, and nothing for one that comes in hidden).
WATCH_ALERTS = """() => {
  window.alertsCame = [];
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeType !== 1) continue;
      const alerts = node.matches('[role="alert"]') ? [node] : [...node.querySelectorAll('[role="alert"]')];
      for (const a of alerts) window.alertsCame.push([a.textContent, a.getClientRects().length > 0]);
    }
  }).observe(document.body, {childList: true, subtree: true});
}"""


def _answer_in(page: Any) -> None:
    """Answers the two questions, one wrong then right, and checks each verdict, which must come into the
    page as an alert that is shown (so that screen readers say it)."""
    page.evaluate(WATCH_ALERTS)
    single = page.locator(".widget-radio-box").first
    single.get_by_label("Wrong A").check()
    page.get_by_role("button", name="Check").first.click()
    page.get_by_text("A is wrong.").wait_for()
    page.get_by_role("button", name="Try again").first.click()
    single.get_by_label("Right B").check()
    page.get_by_role("button", name="Check").first.click()
    page.get_by_text("B is right.").wait_for()
    page.get_by_role("alert").filter(has_text="Right.").wait_for()
    assert page.evaluate("window.alertsCame") == [
        ["✗ Not right. Attempts left: 1.", True], ["Attempts left: 1.", True], ["✓ Right.", True]]


@pytest.mark.parametrize("address", ["lab/tree/quiz.ipynb", "notebooks/quiz.ipynb"],
                         ids=["jupyterlab4", "notebook7"])
def test_the_quiz_runs_live_and_its_results_are_read_from_python(jupyter_page: Any, jupyter: tuple[str, str],
                                                                 address: str) -> None:
    base, token = jupyter
    page = jupyter_page
    page.goto(f"{base}/{address}?token={token}")
    _wait_for_kernel(page, base, token)
    _run_cell(page, 0)
    page.locator(".widget-radio-box").first.wait_for()
    _answer_in(page)
    _run_cell(page, 1)
    output = page.locator(".jp-Notebook .jp-Cell").nth(1).locator(".jp-OutputArea-output")
    output.wait_for()
    assert output.inner_text().strip() == "1.0 2.0 [('single', 1, True, 2), ('truefalse', None, None, 0)]"


def test_the_quiz_runs_live_in_voila(jupyter_page: Any, jupyter: tuple[str, str]) -> None:
    base, token = jupyter
    page = jupyter_page
    page.goto(f"{base}/voila/render/quiz.ipynb?token={token}")
    page.locator(".widget-radio-box").first.wait_for()
    _answer_in(page)
