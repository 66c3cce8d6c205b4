"""What every directive that reads a bank or source file shares: finding the file, reading
each bank once per build, and reporting problems to Sphinx at the file's own line and column."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..i18n import strings_for
from ..loader import Loaded, read_bank
from ..pages import resolve_path
from ..problems import Problem

logger = logging.getLogger(__name__)
T = TypeVar("T")


def argument_path(directive: SphinxDirective) -> Path:
    """The file named by the directive's argument, found by :func:`sourcebook.pages.resolve_path`.

    A path starting with ``/`` is from the book's root; any other is relative to
    the page, and if no file is there, to the book's root.
    """
    env = directive.env
    return resolve_path(directive.arguments[0], Path(env.doc2path(env.docname)), Path(env.srcdir))


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


def interface_strings(app: Sphinx) -> dict[str, str]:
    """The interface text of the book's ``language`` (:mod:`sourcebook.i18n`)."""
    return strings_for(app.config.language)


# --- what the build environment keeps -------------------------------------------


def env_data(env: BuildEnvironment, name: str, empty: Callable[[], T]) -> T:
    """The extension's own record ``name`` on the environment (pickled with it), made by ``empty`` at first."""
    if not hasattr(env, name):
        setattr(env, name, empty())
    value: T = getattr(env, name)
    return value


# --- each bank read and checked once per build --------------------------------------

Stamp = tuple[int, int] | None


def _stamp(path: str | os.PathLike[str]) -> Stamp:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


@dataclass(frozen=True)
class _Read:
    loaded: Loaded
    #: The files the reading depends on (the bank and its source) as they were then.
    stamps: tuple[tuple[str, Stamp], ...]

    def current(self) -> bool:
        return all(_stamp(path) == stamp for path, stamp in self.stamps)


_BANKS: WeakKeyDictionary[Sphinx, dict[str, _Read]] = WeakKeyDictionary()


def read_bank_once(app: Sphinx, path: str | os.PathLike[str]) -> Loaded:
    """The bank at ``path``, read and checked once per build and process.

    Every quiz on every page that uses a bank, its worksheet and the notebook
    export share one reading. A bank or source edited since (as when a build
    watches for changes) is read again.
    """
    banks = _BANKS.setdefault(app, {})
    key = str(Path(path).resolve())
    known = banks.get(key)
    if known is not None and known.current():
        return known.loaded
    stamps = [(key, _stamp(key))]
    read = read_bank(path)
    # Kept without the loader's nodes and marks (every line and column of the file), which no page needs once
    # the problems are found: a course of 100 banks would keep about 90,000 objects more alive for the whole
    # build, each scanned again by every full collection of Python's garbage collector.
    loaded = Loaded(read.value, read.problems)
    if loaded.value is not None and loaded.value.source_document is not None:
        source = loaded.value.source_document.path
        stamps.append((source, _stamp(source)))
    banks[key] = _Read(loaded, tuple(stamps))
    return loaded


def forget_banks(app: Sphinx) -> None:
    """A new build reads every bank afresh."""
    _BANKS.pop(app, None)
