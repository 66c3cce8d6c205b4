"""Let ``sphinx-build -j N`` read a Jupyter Book's pages in parallel.

Two extensions that Jupyter Book loads return no metadata from ``setup``, so
Sphinx assumes they are unsafe for parallel reading, warns ("doing serial
read") and reads every page in one process: ``-j 2`` then parallelises only
the writing (executablebooks/sphinx-multitoc-numbering#27). Both are safe to
read in parallel for the site's builds, and their declaration is filled in
here, only while they have none:

- ``sphinx_multitoc_numbering`` only replaces ``TocTreeCollector.assign_section_numbers``,
  which Sphinx calls in the main process after every page is read.
- ``sphinx_jupyterbook_latex``, outside LaTeX builds, only marks nodes of the
  root document while it is read; the settings it keeps in the environment are
  made for LaTeX builders only, so those builds keep their serial read.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.builders.latex import LaTeXBuilder


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


def setup_parallel(app: Sphinx) -> None:
    """Declare them once every extension is loaded and the builder is known (before the reading starts)."""
    app.connect("builder-inited", declare_parallel_read_safe)
