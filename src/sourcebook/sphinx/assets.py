"""The package's static files as the site serves them: JavaScript and CSS minified, a page's quiz scripts in one file.

The sources in ``sourcebook/static`` stay readable (and typed for TypeScript's
checker); the built site gets them minified: the package's scripts as terser
made them (kept in the package, :mod:`sourcebook.minify`, and taken only while
their source is the one they were made from), any other script (another
package's question type, a script edited since) by rjsmin, the stylesheets by
rcssmin. What quizzes add to a page is then smaller on every visit, and
nothing changes in how they work: the browser tests run on the minified files,
and the JavaScript grader's conformance vectors run on both.

A page with a quiz loads one script, :func:`bundle`: the scripts
:func:`~sourcebook.quiz_assets.quiz_scripts` lists for it, minified and joined
in that order, named by a digest of its content (``quiz-<digest>.js``). A
browser opens six connections to a host, so on a slow link each wave of
requests costs a round trip: eleven scripts (grading.js, nine types' scripts,
quiz.js) took two waves more than one. Pages that show the same question types
share one file, cached once; a changed part gives a new name, never a stale
copy. Each part is an immediately invoked function in strict mode, so joined
they run exactly as separate classic scripts in the same order.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path

import rcssmin
import rjsmin
from sphinx.application import Sphinx

from ..minify import kept
from ..quiz_assets import static_file, static_files

#: The name of a page's quiz scripts joined (:func:`bundle`), in the site's static folder.
BUNDLE_NAME = re.compile(r"quiz-[0-9a-f]{16}\.js")


@functools.lru_cache(maxsize=128)
def minified(name: str, data: bytes) -> bytes:
    """A static file as the site serves it: ``.js`` and ``.css`` minified, the rest as it is."""
    if name.endswith(".js"):
        return kept(name, data) or str(rjsmin.jsmin(data.decode("utf-8"))).encode("utf-8")
    if name.endswith(".css"):
        return str(rcssmin.cssmin(data.decode("utf-8"))).encode("utf-8")
    return data


def served_version(name: str) -> str:
    """A short digest of a static file as the site serves it, for its address's ``?v=`` (as Sphinx
    versions the files a page names): a script loaded on demand gets a new address when it changes."""
    return hashlib.sha256(minified(name, static_file(name))).hexdigest()[:8]


def bundle(names: Sequence[str]) -> tuple[str, bytes]:
    """The scripts ``names`` (paths under the static folder, as :func:`~sourcebook.quiz_assets.quiz_scripts`
    gives them) as one file: each minified, in order; returns its name (:data:`BUNDLE_NAME`) and its bytes."""
    files = static_files()
    parts = []
    for name in names:
        part = minified(name, files[name].read_bytes()).rstrip()
        # A part that ends without a semicolon must not run into the next one's opening parenthesis.
        parts.append(part if part.endswith(b";") else part + b";")
    data = b"\n".join(parts) + b"\n"
    return f"quiz-{hashlib.sha256(data).hexdigest()[:16]}.js", data


def write_bundle(folder: Path, names: Sequence[str]) -> str:
    """Writes :func:`bundle` of ``names`` into ``folder`` (the built site's static folder) unless it is
    there already; returns its name. Safe when pages are written in parallel: a file appears whole."""
    name, data = bundle(names)
    target = folder / name
    if not target.is_file() or target.read_bytes() != data:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{name}.{os.getpid()}"
        partial.write_bytes(data)
        os.replace(partial, target)
    return name


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
