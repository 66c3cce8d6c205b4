"""Markdown from banks to safe HTML, the same way for the site and the notebook.

Raw HTML is off, so a bank's ``<script>`` or ``onerror=`` ends up as visible
text, and markdown-it's link check refuses ``javascript:`` and other unsafe
link targets. Links open in place; nothing here loads anything from elsewhere.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render(text: str) -> str:
    """Markdown as block HTML (paragraphs, lists...)."""
    return str(_parser().render(text)).strip()


def render_inline(text: str) -> str:
    """Markdown as inline HTML, for short texts such as choices (no <p> around it)."""
    return str(_parser().renderInline(text)).strip()
