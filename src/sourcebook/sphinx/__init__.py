"""Jupyter Book / Sphinx extension of sourcebook.

Enable it in ``_config.yml``::

    sphinx:
      extra_extensions: [sourcebook.sphinx]

``setup`` stays thin: each feature registers itself in its own
``setup_<feature>(app)``, and everything is safe for parallel reads and writes.
"""

from __future__ import annotations

from typing import Any

from sourcebook import __version__


def setup(app: Any) -> dict[str, Any]:
    from .course import setup_course
    from .quiz import setup_quiz
    from .sources import setup_sources
    from .worksheets import setup_worksheets

    setup_quiz(app)
    setup_sources(app)
    setup_course(app)
    setup_worksheets(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
