"""Markdown from banks to safe HTML, the same way for the site and the notebook.

Raw HTML is off, so a bank's ``<script>`` or ``onerror=`` ends up as visible
text, and markdown-it's link check refuses ``javascript:`` and other unsafe
link targets. Links open in place; nothing here loads anything from elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from markdown_it import MarkdownIt

from .model import GAP_PATTERN, Blank, Blanks


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render(text: str) -> str:
    """Markdown as block HTML (paragraphs, lists...)."""
    return str(_parser().render(text)).strip()


def render_inline(text: str) -> str:
    """Markdown as inline HTML, for short texts such as choices (no <p> around it)."""
    return str(_parser().renderInline(text)).strip()


def render_blanks(question: Blanks, gap: Callable[[int, str, Blank], str]) -> str:
    """A fill-in-the-blanks text as block HTML, each [[name]] replaced by ``gap(number, name, blank)``.

    Gap names are letters and digits, which Markdown leaves alone, so the gaps
    go in after rendering without touching any bank text. Numbers follow the
    order of ``blanks`` in the bank, from 1.
    """
    numbers = {name: n for n, name in enumerate(question.blanks, 1)}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        blank = question.blanks.get(name)
        if blank is None:  # the loader refuses such banks; keep the text if one slips through
            return match.group(0)
        return gap(numbers[name], name, blank)

    return GAP_PATTERN.sub(replace, render(question.text))
