"""The package's static files as the site serves them: JavaScript and CSS minified.

The sources in ``sourcebook/static`` stay readable (and typed for TypeScript's
checker); the built site gets them without comments and spare whitespace,
minified by rjsmin and rcssmin. What quizzes add to a page is then smaller on
every visit, and nothing changes in how they work: the browser tests run on
the minified files, and the JavaScript grader's conformance vectors run on both.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import rcssmin
import rjsmin
from sphinx.application import Sphinx

from ..quiz_assets import static_file, static_files


def minified(name: str, data: bytes) -> bytes:
    """A static file as the site serves it: ``.js`` and ``.css`` minified, the rest as it is."""
    if name.endswith(".js"):
        return str(rjsmin.jsmin(data.decode("utf-8"))).encode("utf-8")
    if name.endswith(".css"):
        return str(rcssmin.cssmin(data.decode("utf-8"))).encode("utf-8")
    return data


def served_version(name: str) -> str:
    """A short digest of a static file as the site serves it, for its address's ``?v=`` (as Sphinx
    versions the files a page names): a script loaded on demand gets a new address when it changes."""
    return hashlib.sha256(minified(name, static_file(name))).hexdigest()[:8]


def write_static(folder: Path) -> Path:
    """Writes the package's static files, minified, into ``folder`` (made if missing); returns it.

    Each question type's script goes to ``types/<name>.js``, a third-party
    type's too. A file whose content is already there is left alone.
    """
    for name, item in static_files().items():
        data = minified(name, item.read_bytes())
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
    return folder


def add_static_path(app: Sphinx) -> None:
    """Makes an HTML build serve the package's static files, minified (once per build)."""
    if app.builder.format != "html":
        return
    # Kept beside Sphinx's own build cache.
    folder = str(write_static(Path(app.doctreedir) / "sourcebook-static"))
    if folder not in app.config.html_static_path:
        app.config.html_static_path.append(folder)
