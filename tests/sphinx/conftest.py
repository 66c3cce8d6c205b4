"""Fixtures for the Sphinx tests: small test books under roots/, built with make_app.

Every build treats warnings as errors, so a test passes only if the book
builds cleanly, unless it asks for the warnings to look at them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# The fixtures of sphinx.testing.fixtures that make_app needs. pytest refuses
# `pytest_plugins` in a conftest below the top folder, so they are imported.
from sphinx.testing.fixtures import _shared_result_cache, make_app, shared_result, test_params  # noqa: F401

from testbooks import build_test_book

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
        return build_test_book(make_app, ROOTS / name, tmp_path / name, strict=strict,
                               files=dict(files or {}), builder=builder, **confoverrides)

    return run
