"""Markdown from banks to safe HTML, the same way for the site and the notebook.

Raw HTML is off, so a bank's ``<script>`` or ``onerror=`` ends up as visible
text, and markdown-it's link check refuses ``javascript:`` and other unsafe
link targets. Links open in place; nothing here loads anything from elsewhere:
an image whose address names another host (the checker refuses those too) is
written as its description, never as an ``<img>`` the browser would fetch.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from html import escape
from typing import Any

from markdown_it import MarkdownIt

from .model import GAP_PATTERN, Blank, Blanks


def is_remote(address: str) -> bool:
    """Whether following ``address`` asks a host for something: it has a scheme other than data:,
    or starts with // (the page's scheme, another host)."""
    # Browsers read a backslash as a slash: \\host\\x.png is //host/x.png.
    address = address.strip().replace("\\", "/")
    if address.startswith("//"):
        return True
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", address)
    return scheme is not None and scheme.group(1).lower() != "data"


@dataclass(frozen=True)
class Image:
    """An image of a Markdown text: its address and its description (alt text)."""

    src: str
    alt: str


def _image(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    if is_remote(str(token.attrGet("src") or "")):
        return escape(token.content)
    return str(self.image(tokens, idx, options, env))


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    parser.add_render_rule("image", _image)
    return parser


def images(text: str) -> list[Image]:
    """Every image of a Markdown text, in order."""
    found = []
    for block in _parser().parse(text):
        for token in block.children or ():
            if token.type == "image":
                found.append(Image(str(token.attrGet("src") or ""), token.content))
    return found


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


#: How many words on each side of a gap name it for a screen reader.
GAP_CONTEXT_WORDS = 4


def gap_context(question: Blanks) -> dict[str, tuple[str, str]]:
    """For each gap of a blanks question, the words just before and just after it, as plain text.

    A screen reader announces a gap by these words ("… is dated ___ and was
    first …"), since "Gap 1" alone does not say which gap it is. Other gaps
    nearby read as "…".
    """
    pieces = GAP_PATTERN.split(render(question.text))
    # Words only: a lone full stop after the last gap says nothing.
    texts = [" ".join(w for w in html.unescape(re.sub(r"<[^>]+>", " ", piece)).split() if any(c.isalnum() for c in w))
             for piece in pieces[::2]]
    names = pieces[1::2]
    out: dict[str, tuple[str, str]] = {}
    for k, name in enumerate(names):
        before = texts[k].split()[-GAP_CONTEXT_WORDS:]
        after = texts[k + 1].split()[:GAP_CONTEXT_WORDS]
        out.setdefault(name, (" ".join(before), " ".join(after)))
    return out
