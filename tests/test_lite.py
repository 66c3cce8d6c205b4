"""The parts of the in-browser notebooks that need no build: carrying files, the lock file, the package's wheel.

The built site itself is tested in tests/course/test_course_lite.py (Chromium).
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import subprocess
import sys
import textwrap
import tomllib
import zipfile
from base64 import urlsafe_b64encode
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from sourcebook import bytecode, carry, lite

ROOT = Path(__file__).resolve().parent.parent


def notebook() -> dict[str, object]:
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# Module"},
        {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": None, "outputs": [],
         "source": 'from sourcebook import quiz\n\nquiz("../../questions/one.yml", count=2)'},
    ]}


FILES = {"questions/one.yml": "title: One\nsource: ../sources/s.yml\n",
         "sources/s.yml": 'id: s\ntext: "a \\"quoted\\" word"\n'}


def test_pack_points_the_quizzes_at_the_carried_files_and_says_how_to_install() -> None:
    packed = carry.pack(notebook(), FILES, {"../../questions/one.yml": "questions/one.yml"},
                        wheel_name="sourcebook-1.0-py3-none-any.whl", wheel_url=None)
    cells = packed["cells"]
    assert [c["id"] for c in cells] == ["sourcebook-install", "sourcebook-files", "a", "b"]
    assert "%pip install sourcebook-1.0-py3-none-any.whl" in cells[0]["source"]
    assert "File > Download" in cells[0]["source"]
    # What is kept, and what is not: a quiz's answers live in the kernel only, and the site's quiz hands them in.
    assert "A quiz's answers are not kept: they last until the notebook is reloaded or closed" in cells[0]["source"]
    assert "answer the quiz on the module's page of the course site" in cells[0]["source"]
    # A student who runs a cell before the in-browser kernel is ready is told that it waits for it.
    assert "shows `[*]` and waits, then runs once Python is ready" in cells[0]["source"]
    assert cells[1]["metadata"]["jupyter"] == {"source_hidden": True}
    assert cells[3]["source"].endswith('quiz("questions/one.yml", count=2)')
    assert lite.carried_files(packed) == FILES
    # Packing again replaces the added cells instead of adding more.
    again = carry.pack(packed, FILES, {}, wheel_name="w.whl", wheel_url="https://example.org/w.whl")
    assert len(again["cells"]) == 4 and "%pip install https://example.org/w.whl" in again["cells"][0]["source"]


def test_the_files_cell_writes_the_files_beside_the_notebook_and_keeps_edited_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code = carry.files_cell(FILES)
    exec(compile(code, "cell", "exec"), {})
    assert {p: (tmp_path / p).read_text(encoding="utf-8") for p in FILES} == FILES
    (tmp_path / "questions" / "one.yml").write_text("title: Edited\n", encoding="utf-8")
    exec(compile(code, "cell", "exec"), {})
    assert (tmp_path / "questions" / "one.yml").read_text(encoding="utf-8") == "title: Edited\n"
    assert "questions/one.yml differs from this notebook's copy; kept as it is" in capsys.readouterr().out


def test_a_carried_file_cannot_leave_the_notebook_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="beside the notebook"):
        carry.unpack({"../escape.yml": "x"}, tmp_path)
    assert not (tmp_path.parent / "escape.yml").exists()


def test_files_outside_the_book_are_refused(tmp_path: Path) -> None:
    (tmp_path / "book").mkdir()
    with pytest.raises(ValueError, match="outside the book"):
        carry.carried_paths([(tmp_path / "bank.yml", None)], tmp_path / "book")


LOCK = {"info": {"python": "3.14.2"}, "packages": {
    "ipython": {"depends": ["traitlets", "Pygments"], "version": "9"},
    "traitlets": {"depends": [], "version": "5"},
    "pygments": {"depends": [], "version": "2"},
    "numpy": {"depends": [], "version": "2"},
}}


def test_the_lock_keeps_only_what_the_kernel_needs() -> None:
    assert lite.closure(LOCK, ["IPython"]) == ["ipython", "pygments", "traitlets"]
    entry = lite.lock_entry("comm", "comm-0.2.3-py3-none-any.whl", b"data", ["comm"], ["traitlets"])
    assert entry["version"] == "0.2.3" and entry["sha256"] == hashlib.sha256(b"data").hexdigest()
    assert entry["install_dir"] == "site" and entry["depends"] == ["traitlets"]


def test_the_site_runs_offline_without_the_service_worker() -> None:
    config = lite.lite_config(["sourcebook"])["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True
    assert kernel["loadPyodideOptions"] == {"packages": ["sourcebook"]}
    assert "@jupyterlite/application-extension:service-worker-manager" in config["disabledExtensions"]


def test_the_kernel_installs_nothing_as_it_starts() -> None:
    # The kernel's worker installs with piplite, one at a time, whatever of these its
    # loadPyodideOptions.packages does not name; each has an entry in the lock file.
    assert set(lite.KERNEL_START) == {"micropip", "piplite", "ipykernel", "comm", "pyodide-kernel", "jedi", "ipython"}
    assert set(lite.KERNEL_OWN) <= set(lite.KERNEL_START)
    assert not set(lite.KERNEL_START) - set(lite.KERNEL_OWN) - set(lite.QUIZ_PACKAGES) - set(lite.KERNEL_PACKAGES)


def wheel(modules: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in modules.items():
            archive.writestr(name, text)
        archive.writestr("pkg-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n")
        archive.writestr("pkg-1.0.dist-info/RECORD", "")
    return buffer.getvalue()


def test_compiled_wheels_carry_bytecode_checked_against_its_source(tmp_path: Path) -> None:
    data = wheel({"pkg/__init__.py": "from .mod import VALUE\n", "pkg/mod.py": "VALUE = 42\n",
                  "pkg/old.py": "print 'written for Python 2'\n"})
    compiled = bytecode.compile_wheel(data)
    assert bytecode.compile_wheel(data) == compiled  # the same bytes every time
    tag = sys.implementation.cache_tag
    with zipfile.ZipFile(io.BytesIO(compiled)) as archive:
        names = set(archive.namelist())
        assert {f"pkg/__pycache__/__init__.{tag}.pyc", f"pkg/__pycache__/mod.{tag}.pyc", "pkg/old.py"} <= names
        assert not [n for n in names if n.startswith("pkg/__pycache__/old.")]
        pyc = archive.read(f"pkg/__pycache__/mod.{tag}.pyc")
        assert pyc[:4] == importlib.util.MAGIC_NUMBER
        assert int.from_bytes(pyc[4:8], "little") == 0b11  # hash-based, checked against the source (PEP 552)
        record = archive.read("pkg-1.0.dist-info/RECORD").decode().splitlines()
        assert sorted(line.split(",")[0] for line in record) == sorted(names)
        for line in record:
            file, digest, _ = line.rsplit(",", 2)
            if digest:
                expected = urlsafe_b64encode(hashlib.sha256(archive.read(file)).digest()).rstrip(b"=").decode()
                assert digest == f"sha256={expected}", file
        archive.extractall(tmp_path)
    # Python takes the bytecode (its source, changed, gets compiled again).
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import pkg.mod, importlib.util; "
            "print(pkg.mod.VALUE, pkg.mod.__cached__)")
    run = subprocess.run([sys.executable, "-B", "-c", code, str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.split()[0] == "42", run.stderr
    (tmp_path / "pkg" / "mod.py").write_text("VALUE = 7\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-B", "-c", code, str(tmp_path)], capture_output=True, text=True)
    assert run.stdout.split()[0] == "7", run.stderr


def test_a_wheel_without_record_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("pkg/__init__.py", "")
    with pytest.raises(ValueError, match="RECORD"):
        bytecode.compile_wheel(buffer.getvalue())


def test_the_package_wheel_is_a_valid_wheel_of_the_installed_code(tmp_path: Path) -> None:
    name, data = lite.package_wheel()
    assert name == lite.wheel_name() and lite.package_wheel() == (name, data)  # the same bytes every time
    path = tmp_path / name
    path.write_bytes(data)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert "sourcebook/carry.py" in names and "sourcebook/static/i18n.json" in names
        assert not [n for n in names if "__pycache__" in n]
        record = archive.read(next(n for n in names if n.endswith("/RECORD"))).decode()
        for line in record.splitlines():
            file, digest, _ = line.rsplit(",", 2)
            if digest:
                expected = urlsafe_b64encode(hashlib.sha256(archive.read(file)).digest()).rstrip(b"=").decode()
                assert digest == f"sha256={expected}", file
    # pip accepts it.
    run = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                          "--target", str(tmp_path / "site"), str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "site" / "sourcebook" / "lite.py").is_file()


def test_a_package_wheel_made_before_is_read_back_only_while_it_holds_the_same_files(tmp_path: Path) -> None:
    name, data = lite.package_wheel()
    before = tmp_path / name
    before.write_bytes(data)
    read_back = {"read": False}
    real_read = zipfile.ZipFile.read

    def noted(self: zipfile.ZipFile, member: Any, *args: Any) -> bytes:
        read_back["read"] = True
        return real_read(self, member, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zipfile.ZipFile, "read", noted)
        patch.setattr(lite, "wheel_bytes", lambda *args: pytest.fail("compressed again"))
        assert lite.package_wheel(made_before=before) == (name, data) and read_back["read"]
    # A wheel of other files (an older version of one module), a file that is no wheel, or none at all:
    # made afresh.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        record = next(n for n in archive.namelist() if n.endswith("/RECORD"))
        files = [(n, archive.read(n)) for n in archive.namelist() if n != record]
    older = [(n, b"# older\n" + content if n == "sourcebook/carry.py" else content) for n, content in files]
    before.write_bytes(bytecode.wheel_bytes(older, record))
    assert lite.package_wheel(made_before=before) == (name, data)
    before.write_bytes(b"not a wheel")
    assert lite.package_wheel(made_before=before) == (name, data)
    assert lite.package_wheel(made_before=tmp_path / "none.whl") == (name, data)


#: Run in a fresh Python where msgspec cannot be imported (as in Pyodide, where it has no wheel): the
#: notebook quiz is imported, answered and handed in, and every attempt to import msgspec is noted.
WITHOUT_MSGSPEC = textwrap.dedent("""
    import importlib.abc, json, sys

    asked = []

    class NoMsgspec(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "msgspec":
                asked.append(name)
                raise ImportError("msgspec has no wheel for Pyodide")
            return None

    sys.meta_path.insert(0, NoMsgspec())
    bank, hand_in = sys.argv[1:]
    from sourcebook import quiz
    from sourcebook.grading import correct_response
    import sourcebook.widgets, sourcebook.results

    q = quiz(bank)
    q.views[0].control.set_response(correct_response(q.views[0].question))
    q.views[0].check()
    q.hand_in(hand_in, name="Ann", class_name="9B")
    asked_by_the_quiz = list(asked)
    # Read back without msgspec: by json and the checks one by one.
    read = sourcebook.results.records([hand_in], sys.argv[1].rsplit("/questions/", 1)[0])
    print(json.dumps({"quiz": asked_by_the_quiz, "all": asked, "points": sum(r["points"] for r in read),
                      "records": len(read), "questions": len(q.views),
                      "modules": sorted(m for m in sys.modules if "msgspec" in m
                                                              or m == "sourcebook._typed_hand_in")}))
""")


def test_the_notebook_quiz_never_imports_msgspec(tmp_path: Path) -> None:
    # The in-browser kernel (Pyodide) has no msgspec: importing it on the quiz's way would break every
    # notebook quiz there. Only the reader of hand-in files asks for it, and reads without it.
    bank = ROOT / "tests" / "sphinx" / "roots" / "basic" / "questions" / "every-type.yml"
    run = subprocess.run([sys.executable, "-c", WITHOUT_MSGSPEC, str(bank), str(tmp_path / "ann.json")],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found["quiz"] == []
    assert found["all"] == ["msgspec"] and found["modules"] == []
    assert found["records"] == found["questions"] > 1 and found["points"] == 1


def test_msgspec_is_not_asked_of_the_in_browser_kernel() -> None:
    # micropip (%pip install in Pyodide) reads the package's requirements with their markers.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(r) for r in project["dependencies"]]
    (msgspec,) = [r for r in requirements if r.name == "msgspec"]
    assert msgspec.marker is not None
    assert not msgspec.marker.evaluate({"sys_platform": "emscripten"})
    assert msgspec.marker.evaluate({"sys_platform": "linux"}) and msgspec.marker.evaluate({"sys_platform": "win32"})


def test_contents_put_each_notebook_in_a_folder_with_what_it_carries(tmp_path: Path) -> None:
    packed = carry.pack(notebook(), FILES, {}, wheel_name="w.whl")
    path = tmp_path / "01-one.ipynb"
    path.write_text(json.dumps(packed), encoding="utf-8")
    files = lite.contents([lite.Notebook("01-one", path)])
    assert sorted(files) == ["01-one/01-one.ipynb", "01-one/questions/one.yml", "01-one/sources/s.yml"]
    assert files["01-one/sources/s.yml"].decode() == FILES["sources/s.yml"]


KERNEL_START_CHECK = """
const fs = require("fs"), vm = require("vm");
const [file, name, search, runningPath, notebookPath, specsAfter] = process.argv.slice(1);
const calls = [];
const window = { location: { search } };
let refreshes = 0;
// The app starts 250 ms after the plugins are activated (counted from then, not from when this script
// began: loading the extension takes longer on a busy machine); the kernel's own plugin registers the
// kernel after `specsAfter` looks at the kernels (the first look finds it when that is 0).
let startApp;
const started = new Promise((resolve) => { startApp = resolve; }).then(() => calls.push("app started"));
const app = { started, serviceManager: {
  sessions: { ready: Promise.resolve(), refreshRunning: async () => calls.push("refreshRunning"),
              running: () => (runningPath ? [{ path: runningPath }] : [])[Symbol.iterator](),
              // A kernel takes a while to make: JupyterLite lists its session only once it is made.
              startNew: async (options) => {
                calls.push(options);
                await new Promise((resolve) => setTimeout(resolve, 20));
                calls.push("made");
                return { dispose: () => calls.push("dispose") };
              } },
  kernelspecs: { ready: Promise.resolve(), refreshSpecs: async () => { refreshes += 1; calls.push("refreshSpecs"); },
                 get specs() { return { default: refreshes > Number(specsAfter) ? "python" : "" }; } } } };
vm.runInNewContext(fs.readFileSync(file, "utf8"), { window, URLSearchParams, console, setTimeout });
(async () => {
  const container = window._JUPYTERLAB[name];
  container.init({});
  const module = (await container.get("./extension"))();
  const plugins = module.__esModule ? module.default : module;
  for (const plugin of plugins) plugin.activate(app);
  setTimeout(startApp, 250);
  // The notebook opens and asks for its session at once, as on a fast machine.
  if (notebookPath) app.serviceManager.sessions.startNew(
    { path: notebookPath, name: notebookPath.split("/").pop(), type: "notebook", kernel: { name: "python" } },
    { username: "" }).then(() => calls.push("notebook connected"));
  await new Promise((resolve) => setTimeout(resolve, 600));
  console.log(JSON.stringify({ plugins: plugins.map((p) => [p.id, p.autoStart]), calls }));
})();
"""


def run_kernel_start(tmp_path: Path, search: str, running: str = "", notebook: str = "",
                     specs_after: int = 0) -> dict[str, object]:
    """Our JupyterLite plugin, loaded as the app loads a federated extension, activated in a stand-in app."""
    folder = Path(str(resources.files("sourcebook"))) / "static" / "lite-extension"
    package = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    assert package["name"] == lite.EXTENSION and package["jupyterlab"]["_build"]["extension"] == "./extension"
    script = folder / package["jupyterlab"]["_build"]["load"]
    result = subprocess.run([*lite.node_command(tmp_path), "-e", KERNEL_START_CHECK, str(script), lite.EXTENSION,
                             search, running, notebook, str(specs_after)], capture_output=True, text=True,
                            check=True)
    out: dict[str, object] = json.loads(result.stdout)
    return out


def test_the_notebooks_kernel_starts_as_soon_as_the_kernel_is_known(tmp_path: Path) -> None:
    path = "01-first/01-first.ipynb"
    session = {"path": path, "name": "01-first.ipynb", "type": "notebook", "kernel": {"name": "python"}}
    result = run_kernel_start(tmp_path, f"?path={path}")
    assert result["plugins"] == [["sourcebook-kernel-start:plugin", True]]
    # Before the app has started. The notebook's own session (same path, same name) then finds
    # this one running and connects to it.
    assert result["calls"] == ["refreshSpecs", "refreshRunning", session, "made", "dispose", "app started"]
    # The kernel's plugin activated after this one: the kernel is looked for again until it is known.
    assert run_kernel_start(tmp_path, f"?path={path}", specs_after=1)["calls"] == [
        "refreshSpecs", "refreshSpecs", "refreshRunning", session, "made", "dispose", "app started"]
    # No kernel known even once the app has started: nothing is started, and the looking stops (after one
    # more look; how many looks come before depends on the machine's timers).
    calls = run_kernel_start(tmp_path, f"?path={path}", specs_after=99)["calls"]
    assert isinstance(calls, list) and calls[-2:] == ["app started", "refreshSpecs"]
    assert len(calls) >= 4 and set(calls[:-2]) == {"refreshSpecs"}
    # A kernel already running for the notebook, or a page that opens no notebook: nothing is started.
    assert session not in run_kernel_start(tmp_path, f"?path={path}", running=path)["calls"]  # type: ignore[operator]
    assert run_kernel_start(tmp_path, "")["calls"] == ["app started"]


def test_a_notebook_asking_while_its_kernel_starts_waits_for_it_and_starts_no_second(tmp_path: Path) -> None:
    path = "01-first/01-first.ipynb"
    session = {"path": path, "name": "01-first.ipynb", "type": "notebook", "kernel": {"name": "python"}}
    # The notebook's request waits until the early start has made its session: JupyterLite then
    # hands the notebook that session (same name) rather than making a second kernel.
    calls = run_kernel_start(tmp_path, f"?path={path}", notebook=path)["calls"]
    assert calls == ["refreshSpecs", "refreshRunning", session, "made", "dispose", session, "made",
                     "notebook connected", "app started"]
    # Another notebook's request is not held back.
    other = "02-next/02-next.ipynb"
    calls = run_kernel_start(tmp_path, f"?path={path}", notebook=other)["calls"]
    assert isinstance(calls, list)
    assert calls[0] == {**session, "path": other, "name": "02-next.ipynb"} and calls.count(session) == 1
