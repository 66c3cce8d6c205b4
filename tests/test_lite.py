"""The parts of the in-browser notebooks that need no build: carrying files, the lock file, the package's wheel.

The built site itself is tested in tests/course/test_course_lite.py (Chromium).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from base64 import urlsafe_b64encode
from pathlib import Path

import pytest

from sourcebook import carry, lite


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


def test_contents_put_each_notebook_in_a_folder_with_what_it_carries(tmp_path: Path) -> None:
    packed = carry.pack(notebook(), FILES, {}, wheel_name="w.whl")
    path = tmp_path / "01-one.ipynb"
    path.write_text(json.dumps(packed), encoding="utf-8")
    files = lite.contents([lite.Notebook("01-one", path)])
    assert sorted(files) == ["01-one/01-one.ipynb", "01-one/questions/one.yml", "01-one/sources/s.yml"]
    assert files["01-one/sources/s.yml"].decode() == FILES["sources/s.yml"]
