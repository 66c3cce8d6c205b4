"""Jupyter Book / Sphinx extension of sourcebook.

Enable it in ``_config.yml``::

    sphinx:
      extra_extensions: [sourcebook.sphinx]

``setup`` stays thin: each feature registers itself in its own
``setup_<feature>(app)``, and everything is safe for parallel reads and writes.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sphinx.application import Sphinx

from sourcebook import __version__

#: The shape of what the extension keeps in Sphinx's saved environment and in the pages' saved documents
#: (its nodes' attributes, its environment data). Raise it with every change to that shape: Sphinx then
#: reads the book afresh instead of handing the new code a build saved by the old one, which it cannot
#: read (a quiz node from before its search text was kept failed the next build with a traceback).
ENV_VERSION = 1


def assets_digest() -> str:
    """A fingerprint of the package's static files (quiz.js, CSS, translations, each question type's script...)
    and of their minified copies (:mod:`sourcebook.minify`), which ``make assets`` may change alone."""
    from ..minify import package_folder
    from ..quiz_assets import static_files

    digest = hashlib.sha256()
    for name, item in sorted(static_files().items()):
        digest.update(name.encode() + b"\0" + item.read_bytes())
    for path in sorted(package_folder().rglob("*.js")):
        digest.update(path.relative_to(package_folder()).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def setup(app: Sphinx) -> dict[str, Any]:
    from .collector import setup_collector
    from .course import setup_course
    from .extension_fixes import setup_extension_fixes
    from .lite import setup_lite
    from .placeholders import setup_placeholders
    from .quiz import setup_quiz
    from .sidebars import setup_sidebars
    from .sources import setup_sources
    from .texmath import setup_texmath
    from .theme import setup_theme
    from .worksheets import setup_worksheets

    setup_quiz(app)
    setup_sources(app)
    setup_course(app)
    setup_worksheets(app)
    setup_theme(app)
    setup_sidebars(app)
    setup_lite(app)
    setup_placeholders(app)
    setup_texmath(app)
    setup_extension_fixes(app)
    setup_collector(app)
    # Sphinx copies static files only when some page is rewritten. Recording the
    # assets' fingerprint as a config value makes a changed quiz.js or CSS count as
    # a changed configuration, so the next build rewrites the pages and copies them.
    app.add_config_value("sourcebook_assets", assets_digest(), "html", types=[str])
    return {"version": __version__, "env_version": ENV_VERSION, "parallel_read_safe": True,
            "parallel_write_safe": True}
