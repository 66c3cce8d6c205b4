"""Problems found in a teacher's file, kept apart from how they are reported.

The loader and the checks produce :class:`Problem` records; the command line
prints them as ``path:line:col: error[code]: message`` (or JSON) and the Sphinx
extension logs them with the same location.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One error or warning, with the place in the file it is about (1-based)."""

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}[{self.code}]: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The problem as JSON-ready data."""
        return asdict(self)


class BankError(Exception):
    """A file could not be loaded; ``problems`` says why, with line and column."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        shown = errors or self.problems
        text = "\n".join(str(p) for p in shown[:20])
        if len(shown) > 20:
            text += f"\n... and {len(shown) - 20} more"
        super().__init__(text)


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """' did you mean `x`?' for a close option, or an empty string."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" did you mean `{close[0]}`?" if close else ""


def shown_path(path: str | os.PathLike[str]) -> str:
    """``path`` as ``sourcebook check`` run here would name it: relative to the working folder when inside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def nearby_file(path: str | os.PathLike[str], *, folders: bool = False) -> str:
    """'; did you mean `x`?' for a file (or, with ``folders``, a folder too) beside the missing ``path`` whose
    name is close to its name (a misspelt bank, source, picture or module), to end the message that says it is
    missing; or an empty string."""
    missing = Path(path)
    try:
        names = [entry.name for entry in missing.parent.iterdir() if entry.is_file() or (folders and entry.is_dir())]
    except OSError:
        return ""
    close = did_you_mean(missing.name, names)
    return f";{close}" if close else ""
