"""Building the small test books of the Sphinx and course tests with ``sphinx.testing``."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path
from typing import Any

from sphinx.util.console import strip_colors


def build_test_book(make_app: Any, root: Path, srcdir: Path, *, strict: bool = True,
                    files: dict[str, str | None] | None = None, builder: str = "html",
                    **confoverrides: Any) -> Any:
    """Copy the book ``root`` to ``srcdir`` (once), apply ``files``, build it and return the app.

    ``files`` adds or replaces files (``None`` deletes one), so a test can build,
    change the book and build again in the same folder. Warnings are errors
    unless ``strict=False``; the warnings and the log are in ``app.warnings``
    and ``app.log``.
    """
    if not srcdir.exists():
        shutil.copytree(root, srcdir)
    for relative, text in (files or {}).items():
        path = srcdir / relative
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    warnings, status = StringIO(), StringIO()
    app = make_app(builder, srcdir=srcdir, warning=warnings, status=status, confoverrides=confoverrides,
                   warningiserror=strict)
    try:
        app.build()
    finally:
        # Reset docutils' global node registry now, so that a second build in
        # the same test does not warn about nodes registered twice.
        app.cleanup()
    app.warnings = strip_colors(warnings.getvalue())
    app.log = strip_colors(status.getvalue())
    return app
