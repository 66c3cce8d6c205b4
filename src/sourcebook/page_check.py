"""What ``sourcebook check`` finds in a module page beyond its text (:mod:`.placeholders`, :mod:`.texmath`):
the page that cannot be read, and the ``{quiz}`` directives the site's build could not make."""

from __future__ import annotations

import os

from .loader import read_bank
from .pages import PageError, read_page
from .problems import Problem
from .selection import SelectionError


def check_page_quizzes(path: str | os.PathLike[str]) -> list[Problem]:
    """An error for each ``{quiz}`` of the page at ``path`` that the build could not make, as the build
    would report it: options the directive does not take, a bank that is not there, ids, skills or a
    count the bank cannot give; or one for a page that cannot be read (its front matter, its encoding).

    A bank's own problems are reported at the bank, which ``sourcebook check`` reads too: a quiz of a
    bank with errors is not checked further.
    """
    malformed: list[PageError] = []
    try:
        page = read_page(path, errors=malformed)
    except PageError as exc:
        return [Problem(str(path), exc.line or 1, 1, "error", exc.code, exc.detail)]
    problems = [Problem(str(path), exc.line or 1, 1, "error", exc.code, exc.detail) for exc in malformed]
    for call in page.quizzes:
        if not call.bank.is_file():
            problems.append(Problem(str(path), call.line, 1, "error", "bank-missing", call.missing_bank()))
            continue
        loaded = read_bank(call.bank)
        if not loaded.ok:
            continue
        try:
            call.spec.select(loaded.value.questions, default_seed=page.docname)
        except SelectionError as exc:
            problems.append(Problem(str(path), call.line, 1, "error", "quiz-option", f"{exc} (bank {call.argument})"))
    return problems
