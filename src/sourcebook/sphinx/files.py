"""What every directive that reads a bank or source file shares: finding the file, and
reporting its problems to Sphinx at the file's own line and column."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..problems import Problem

logger = logging.getLogger(__name__)


def argument_path(directive: SphinxDirective) -> Path:
    """The file named by the directive's argument.

    A path starting with ``/`` is from the book's root; any other is relative to
    the page, and if no file is there, to the book's root.
    """
    argument = directive.arguments[0].strip()
    _, absolute = directive.env.relfn2path(argument, directive.env.docname)
    path = Path(absolute)
    if not argument.startswith("/") and not path.exists():
        path = Path(directive.env.srcdir) / argument
    return path


def log_problems(problems: Iterable[Problem], where: str) -> None:
    """Log each problem at its file, line and column; ``where`` names the directive's page and line.

    Errors fail the build; warnings have type ``sourcebook`` and the problem's
    code as subtype, so ``suppress_warnings`` can silence one kind.
    """
    for problem in problems:
        location = f"{problem.path}:{problem.line}:{problem.column}"
        message = f"{problem.message} [{problem.code}] (in {where})"
        if problem.severity == "error":
            logger.error(message, location=location)
        else:
            logger.warning(message, location=location, type="sourcebook", subtype=problem.code)
