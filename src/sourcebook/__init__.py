"""sourcebook: primary-source lessons with quizzes, from YAML question banks.

``load_bank`` reads and checks a bank; ``quiz`` shows it as a live quiz in
Jupyter (imported lazily, so the package works without ipywidgets).
"""

from __future__ import annotations

from typing import Any

from .loader import load_bank, load_source, read_bank
from .problems import BankError, Problem

__all__ = ["BankError", "Problem", "load_bank", "load_source", "quiz", "read_bank"]
__version__ = "0.1.0"


def quiz(path: Any, **options: Any) -> Any:
    """Show the bank at ``path`` as a live ipywidgets quiz (see sourcebook.widgets.quiz)."""
    from .widgets import quiz as _quiz

    return _quiz(path, **options)
