"""Corrections to two extensions that Jupyter Book loads, each needed by a course of many pages.

- **Parallel reading.** ``sphinx_multitoc_numbering`` and ``sphinx_jupyterbook_latex``
  return no metadata from ``setup``, so Sphinx assumes they are unsafe for
  parallel reading, warns ("doing serial read") and reads every page in one
  process: ``sphinx-build -j 2`` then parallelises only the writing
  (executablebooks/sphinx-multitoc-numbering#27). Both are safe to read in
  parallel, and their declaration is filled in, only while they have none:
  ``sphinx_multitoc_numbering`` only replaces ``TocTreeCollector.assign_section_numbers``,
  which Sphinx calls in the main process after every page is read;
  ``sphinx_jupyterbook_latex``, outside LaTeX builds, only marks nodes of the
  root document while it is read (the settings it keeps in the environment are
  made for LaTeX builders, whose builds keep their serial read).
- **Numbered figures.** ``sphinx_jupyterbook_latex`` sets ``numfig`` to true
  for every build, whatever the book's configuration says. With numbering on,
  every build, even one with nothing changed, reads every page's stored
  document again to count figures. A book that sets ``numfig: false`` gets it.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.latex import LaTeXBuilder
from sphinx.config import Config


def undeclared_but_safe(app: Sphinx) -> tuple[str, ...]:
    """The extensions without a parallel-reading declaration that are safe for this build's builder."""
    if isinstance(app.builder, LaTeXBuilder):
        return ("sphinx_multitoc_numbering",)
    return ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")


def declare_parallel_read_safe(app: Sphinx) -> None:
    for name in undeclared_but_safe(app):
        extension = app.extensions.get(name)
        if extension is not None and extension.parallel_read_safe is None:
            extension.parallel_read_safe = True


def setup_extension_fixes(app: Sphinx) -> None:
    """Keep the configuration's ``numfig``, and declare the extensions once every one is loaded
    and the builder is known (before the reading starts)."""
    configured: dict[str, Any] = {}

    def remember_numfig(app: Sphinx, config: Config) -> None:
        configured["numfig"] = config.numfig

    def restore_numfig(app: Sphinx, config: Config) -> None:
        config.numfig = configured["numfig"]

    # Before and after every other extension's handler (the default priority is 500), so that the
    # value is the configuration's when Sphinx compares it with the last build's.
    app.connect("config-inited", remember_numfig, priority=1)
    app.connect("config-inited", restore_numfig, priority=999)
    app.connect("builder-inited", declare_parallel_read_safe)
