"""Fixtures for the Sphinx tests: small test books under roots/, built with make_app.

Every build treats warnings as errors, so a test passes only if the book
builds cleanly, unless it asks for the warnings to look at them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

# The fixtures of sphinx.testing.fixtures that make_app needs. pytest refuses
# `pytest_plugins` in a conftest below the top folder, so they are imported.
from sphinx.testing.fixtures import _shared_result_cache, make_app, shared_result, test_params  # noqa: F401
from sphinx.util.console import strip_colors

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture
def build(make_app: Any, tmp_path: Path) -> Callable[..., Any]:  # noqa: F811
    """Build the test book ``name`` (copied to a temporary folder) and return the app.

    ``strict=False`` keeps going past warnings (they are in ``app.warnings``).
    ``files`` adds or replaces files of the book before building. The
    log is in ``app.log``.
    """

    def run(name: str, *, strict: bool = True, files: dict[str, str] | None = None,
            builder: str = "html", **confoverrides: Any) -> Any:
        srcdir = tmp_path / name
        if not srcdir.exists():
            shutil.copytree(ROOTS / name, srcdir)
        for relative, text in (files or {}).items():
            (srcdir / relative).parent.mkdir(parents=True, exist_ok=True)
            (srcdir / relative).write_text(text, encoding="utf-8")
        warnings, status = StringIO(), StringIO()
        app = make_app(builder, srcdir=srcdir, warning=warnings, status=status, confoverrides=confoverrides,
                       warningiserror=strict)
        try:
            app.build()
        finally:
            # Reset docutils' global node registry now, so that a second build
            # in the same test does not warn about nodes registered twice.
            app.cleanup()
        app.warnings = strip_colors(warnings.getvalue())
        app.log = strip_colors(status.getvalue())
        return app

    return run
