"""Warn, at its line, about each instruction of ``sourcebook new module`` left in a page.

Such a page builds, and then tells students to "replace them with your own";
a warning makes a ``-W`` build fail until the page is written
(:mod:`sourcebook.placeholders`).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.util import logging

from ..placeholders import page_placeholders

logger = logging.getLogger(__name__)


def _warn(app: Sphinx, docname: str, source: list[str]) -> None:
    path = app.env.doc2path(docname)
    for found in page_placeholders(source[0]):
        logger.warning(f"{found.message} [placeholder]", location=f"{path}:{found.line}:{found.column}",
                       type="sourcebook", subtype="placeholder")


def setup_placeholders(app: Sphinx) -> None:
    app.connect("source-read", _warn)
