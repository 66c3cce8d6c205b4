"""The browser tests' site: the Sphinx test book with the quiz pages, built once per session.

Built with pydata-sphinx-theme (the theme of Jupyter Book's site) so that the
light and dark modes are the real ones. Mark tests that use it with
``xdist_group("site")`` so that one worker builds it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS / "sphinx" / "roots" / "basic"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built HTML folder of the test book."""
    work = tmp_path_factory.mktemp("site")
    shutil.copytree(ROOT, work / "src")
    out = work / "html"
    run = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html",
                          "-D", "html_theme=pydata_sphinx_theme", "-A", "default_mode=light",
                          str(work / "src"), str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-4000:]
    return out


@pytest.fixture(scope="session")
def site_url(site: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The test book served on 127.0.0.1 (by the shared conftest's ``serve``)."""
    shared = next(p for p in request.config.pluginmanager.get_plugins()
                  if getattr(p, "__file__", None) == str(TESTS / "conftest.py"))
    base, server = shared.serve(site)
    yield base
    server.shutdown()
