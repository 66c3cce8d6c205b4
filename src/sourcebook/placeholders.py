"""The example text that ``sourcebook new`` writes for the teacher to replace, and where it is still left.

A new bank's example questions and a new module page's instructions are
written to be replaced; left in, they reach students ("replace them with your
own"). The checker warns about each one left (an error under ``--strict``,
and a ``-W`` build fails), in banks (:mod:`sourcebook.checks`), in pages
(``sourcebook check`` and the Sphinx extension). ``tests/test_scaffold.py``
keeps these phrases in step with what :mod:`sourcebook.scaffold` writes.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from .problems import Problem

#: Phrases of a new bank's example questions (and its description), one of each is enough to know them.
BANK_PHRASES: tuple[str, ...] = (
    "One or two sentences for teachers: what these questions ask",
    "Example of a single-choice question:",
    "Example of a multiple-answer question:",
    "Example of a true/false question:",
    "Example of a short-answer question:",
    "Example of an open question:",
    "The right answer, marked `correct` below",
    "A wrong answer that a student could believe",
    "A statement the source supports",
    "A statement the source does not support",
    "Shown to a student who answers True; say what they missed.",
    "A model answer that students see after writing their own",
    "A criterion students tick when their answer meets it",
)

#: Phrases of a new module page's instructions to its author.
PAGE_PHRASES: tuple[str, ...] = (
    "Write here, in bold, the one question this module answers",
    "Ask the central question again",
    "write here, for the students, two to four things they will be able to do",
    "Tell students in a sentence or two which part of the source this module reads",
    "Write the context essay here",
    "Ask about the author, audience, date or purpose of the source",
    "Ask how the events of the time explain what the source says",
    "Ask students to compare the source with another account",
    "Ask about particular words or sentences of the excerpt",
    "The answer you would accept, with the paragraphs it rests on",
    "It starts with one example question of each common type",
    "Sum up, in three to five short lines",
    "Suggest a task that takes students beyond this module",
    "Write here how long each part of the lesson takes",
)


def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    # Any run of spaces, line breaks and an indented continuation may stand between two words:
    # the scaffold wraps its lines, and a teacher's editor may rewrap them.
    words = ["\\s+".join(re.escape(word) for word in phrase.split()) for phrase in phrases]
    return re.compile("|".join(words))


_BANK = _pattern(BANK_PHRASES)
_PAGE = _pattern(PAGE_PHRASES)


def bank_placeholder(text: str) -> str | None:
    """The first example phrase of a new bank that ``text`` still holds, or None."""
    found = _BANK.search(text)
    return " ".join(found.group().split()) if found else None


@dataclass(frozen=True)
class PagePlaceholder:
    """An instruction of a new module page left in it, at its 1-based line and column."""

    line: int
    column: int
    phrase: str

    @property
    def message(self) -> str:
        """What is wrong, and the fix."""
        return (f"the page still holds the instruction “{self.phrase}…” that `sourcebook new module` wrote: "
                "replace it with the module's own text")


def page_placeholders(text: str) -> list[PagePlaceholder]:
    """Every instruction of a new module page that ``text`` (a page's Markdown) still holds."""
    found = []
    for match in _PAGE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        found.append(PagePlaceholder(line, column, " ".join(match.group().split())))
    return found


def check_page(path: str | os.PathLike[str]) -> list[Problem]:
    """A warning for each instruction of a new module page left in the page at ``path``."""
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            text = file.read()
    except OSError as exc:
        return [Problem(str(path), 1, 1, "error", "not-found", f"cannot read the file: {exc.strerror}")]
    return [Problem(str(path), found.line, found.column, "warning", "placeholder", found.message)
            for found in page_placeholders(text)]
