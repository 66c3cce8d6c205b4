"""Fixtures of the course tests: the small test course built with make_app, and
the real course built once per session with jupyter-book (student and teacher editions).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# make_app and the fixtures it needs (pytest refuses `pytest_plugins` below the top folder).
from sphinx.testing.fixtures import _shared_result_cache, make_app, shared_result, test_params  # noqa: F401

from testbooks import build_test_book

ROOTS = Path(__file__).parent / "roots"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def build_mini(make_app: Any, tmp_path: Path) -> Callable[..., Any]:  # noqa: F811
    """Build the small course (copied once per test) and return the app.

    ``files`` adds or replaces files before building (None deletes), so a test
    can build, change the book, and build again in the same folder. Warnings
    are errors unless ``strict=False``; then they are in ``app.warnings``.
    """

    def run(*, strict: bool = True, files: dict[str, str | None] | None = None, **confoverrides: Any) -> Any:
        return build_test_book(make_app, ROOTS / "mini", tmp_path / "mini", strict=strict, files=files,
                               **confoverrides)

    return run


def jupyter_book_build(output: Path, edition: str, book: Path = REPO) -> Path:
    """Build the real course (or a copy, ``book``) as ``make book`` does (warnings are errors) into ``output``;
    the HTML folder."""
    # The student edition is built with its in-browser notebooks, as `make book` builds it;
    # the teacher edition's are the same notebooks, so its build leaves them out.
    env = {**os.environ, "SOURCEBOOK_EDITION": edition, "SOURCEBOOK_LITE": str(edition == "student").lower()}
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(book), "--path-output", str(output),
               "-W", "-n", "--keep-going"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        pytest.fail(f"the course ({edition} edition) did not build:\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
    return output / "_build" / "html"


@pytest.fixture(scope="session")
def course_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The student edition of the real course, built once."""
    return jupyter_book_build(tmp_path_factory.mktemp("course-student"), "student")


@pytest.fixture(scope="session")
def teacher_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The teacher edition of the real course, built once."""
    return jupyter_book_build(tmp_path_factory.mktemp("course-teacher"), "teacher")


@pytest.fixture(scope="session")
def chinese_teacher_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The teacher edition (every interface text: answer keys, notes...) of the course with ``language: zh_CN``."""
    book = tmp_path_factory.mktemp("course-zh") / "book"
    for name in ("_config.yml", "_toc.yml", "book", "modules", "questions", "sources", "schema"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, book / name)
        else:
            book.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, book / name)
    config = book / "_config.yml"
    text = config.read_text(encoding="utf-8")
    assert "    language: en\n" in text
    config.write_text(text.replace("    language: en\n", "    language: zh_CN\n"), encoding="utf-8")
    return jupyter_book_build(book.parent / "out", "teacher", book)


@pytest.fixture(scope="session")
def course_url(course_site: Path, request: pytest.FixtureRequest) -> Any:
    """The student site served on 127.0.0.1 (by the shared conftest's ``serve``)."""
    tests = Path(__file__).resolve().parent.parent
    shared = next(p for p in request.config.pluginmanager.get_plugins()
                  if getattr(p, "__file__", None) == str(tests / "conftest.py"))
    base, server = shared.serve(course_site)
    yield base
    server.shutdown()
