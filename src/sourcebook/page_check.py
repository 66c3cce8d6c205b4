"""What ``sourcebook check`` finds in a module page beyond its text (:mod:`.placeholders`, :mod:`.texmath`):
the page that cannot be read, and the ``{quiz}`` and source directives the site's build could not make."""

from __future__ import annotations

import os
from pathlib import Path

from .loader import read_bank, read_source
from .pages import Directive, PageError, all_directives, find_book_root, front_matter, read_page, resolve_path
from .problems import Problem, nearby_file, shown_path
from .selection import SelectionError

#: The directives that show a source: its text, its card, an excerpt of its paragraphs.
SOURCE_DIRECTIVES = ("source-text", "source-card", "source-excerpt")


def missing_source(directive: Directive, path: Path) -> str:
    """What to say of a source directive whose source, at ``path``, is not there."""
    return f"the {directive.name}'s source {directive.argument} does not exist{nearby_file(path)}"


def source_directive_problem(directive: Directive, page: Path, root: Path) -> tuple[str, str] | None:
    """What the build could not make of a source directive, as (code, message): a source that is not there,
    or an excerpt's paragraphs the source does not have. None when it is sound, or its source has errors
    (reported at the source)."""
    from .notebooks import parse_paragraphs

    path = resolve_path(directive.argument, page, root)
    if not path.is_file():
        return "source-missing", missing_source(directive, path)
    spec = directive.options.get("paragraphs") if directive.name == "source-excerpt" else None
    if not spec:
        return None
    loaded = read_source(shown_path(path))  # named in messages as check names files
    if loaded.value is None:
        return None
    try:
        parse_paragraphs(spec, loaded.value)
    except ValueError as exc:
        return "source-option", str(exc)
    return None


def check_page_directives(path: str | os.PathLike[str]) -> list[Problem]:
    """An error for each ``{quiz}`` of the page at ``path`` that the build could not make, as the build
    would report it: options the directive does not take, a bank that is not there, ids, skills or a
    count the bank cannot give; or one for a page that cannot be read (its front matter, its encoding).
    And one for each source directive the build could not make (:func:`source_directive_problem`).

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
    # The source directives, wherever they stand (in a list item, in another directive).
    text = Path(path).read_text(encoding="utf-8")
    _, body, taken = front_matter(text)
    root = find_book_root(Path(path))
    for directive in all_directives(body, taken):
        if directive.name in SOURCE_DIRECTIVES and directive.argument:
            found = source_directive_problem(directive, Path(path), root)
            if found is not None:
                problems.append(Problem(str(path), directive.line, 1, "error", *found))
    return problems
