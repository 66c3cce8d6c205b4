"""Markdown from banks to safe HTML, the same way for the site and the notebook.

Raw HTML is off, so a bank's ``<script>`` or ``onerror=`` ends up as visible
text, and markdown-it's link check refuses ``javascript:`` and other unsafe
link targets. Links open in place; nothing here loads anything from elsewhere:
an image whose address names another host (the checker refuses those too) is
written as its description, never as an ``<img>`` the browser would fetch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape
from typing import Any

from markdown_it import MarkdownIt


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
    if "![" not in text:
        return []  # every Markdown image starts so (the parser reads no raw HTML)
    found = []
    for block in _parser().parse(text):
        for token in block.children or ():
            if token.type == "image":
                found.append(Image(str(token.attrGet("src") or ""), token.content))
    return found


#: Texts rendered once: a build renders each text for the quiz, the worksheet and the answer key.
_RENDERED = 8192


@lru_cache(maxsize=_RENDERED)
def render(text: str) -> str:
    """Markdown as block HTML (paragraphs, lists...)."""
    return str(_parser().render(text)).strip()


@lru_cache(maxsize=_RENDERED)
def render_inline(text: str) -> str:
    """Markdown as inline HTML, for short texts such as choices (no <p> around it)."""
    return str(_parser().renderInline(text)).strip()
