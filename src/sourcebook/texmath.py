"""TeX math in a bank's Markdown or a page: found, so that it can be refused with a clear error.

The course is a history course, and its site asks no other host for anything:
a math renderer would have to be vendored into the site, the worksheet, the
notebook and every export. Math is not supported; written anyway, it would
show as raw TeX (``$x^2$``) everywhere, so the checker refuses it and says
what to write instead.

What counts as math follows pandoc's ``tex_math_dollars`` rule, so that money
stays text: an opening ``$`` not followed by a space, a closing ``$`` not
preceded by a space and not followed by a digit ("$2 billion and $3 million"
is money); ``$$...$$`` is display math; ``\\(...\\)`` and ``\\[...\\]`` count
too. A ``\\$`` is a dollar sign, and nothing in code (`` `$x$` ``, fences) is
math. The rule runs inside markdown-it's parse, so escapes and code are
exactly what the renderer sees. It is written here rather than taken from
mdit-py-plugins' ``dollarmath``, whose digit check looks one character before
an opening ``$`` and, for one at the start of a text, at the text's last
character: it misses ``$x$ is 4``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .problems import Problem

#: The fix, said the same way wherever math is refused.
FIX = ("sourcebook shows no math (a history course, and the site asks no other host for a math renderer): "
       "write it in words, or as a picture of the course; a dollar sign for money may stay "
       "(write `\\$` where one would be read as math)")

#: A MyST math role written in a page: {math}`x^2`.
_ROLE = re.compile(r"\{math\}$")
_SPACES = " \t"


def _display_end(src: str, start: int, close: str) -> int | None:
    """The end of display math opened at ``start`` (just after ``$$`` or ``\\[``), or None."""
    found = src.find(close, start)
    return found + len(close) if found > start else None


def _inline_end(src: str, start: int, close: str) -> int | None:
    """The end of inline math whose content starts at ``start``, by pandoc's ``mathInlineWith``, or None."""
    position, first = start, True
    while position < len(src):
        if not first and src.startswith(close, position):
            end = position + len(close)
            return None if end < len(src) and src[end].isdigit() else end  # $5-$10 is money
        character = src[position]
        if character == "\\":
            position += 2  # an escaped character, \$ included, never closes
        elif character in _SPACES:
            while position < len(src) and src[position] in _SPACES:
                position += 1
            if src.startswith("$", position):  # a closing $ must not follow a space
                return None
        else:
            position += 1
        first = False
    return None


def _match(src: str, start: int) -> int | None:
    """The end of the math that starts at ``start`` of an inline text, or None."""
    if src.startswith("$$", start) and (end := _display_end(src, start + 2, "$$")):
        return end
    if src.startswith("\\[", start) and (end := _display_end(src, start + 2, "\\]")):
        return end
    if src.startswith("\\(", start):
        return _inline_end(src, start + 2, "\\)")
    if src.startswith("$", start) and start + 1 < len(src) and not src[start + 1].isspace():
        return _inline_end(src, start + 1, "$")
    return None


def _tex_math(state: StateInline, silent: bool) -> bool:
    end = _match(state.src, state.pos)
    if end is None:
        return False
    if not silent:
        token = state.push("tex_math", "", 0)
        token.content = state.src[state.pos:end]
    state.pos = end
    return True


def with_tex_math(parser: MarkdownIt) -> MarkdownIt:
    """``parser`` with the rule that reads math as a ``tex_math`` token (before escapes, so \\( is seen)."""
    parser.inline.ruler.before("escape", "tex_math", _tex_math)
    return parser


@cache
def _bank_parser() -> MarkdownIt:
    # As sourcebook.markdown parses a bank's texts.
    return with_tex_math(MarkdownIt("commonmark", {"html": False}).enable("table"))


@cache
def _page_parser() -> MarkdownIt:
    from .pages import myst_parser

    return with_tex_math(myst_parser().enable("table"))


@dataclass(frozen=True)
class Math:
    """Math found in a text: as written, and the 0-based line of the text's block it stands in."""

    written: str
    block_line: int


def _found(tokens: list[Token]) -> list[Math]:
    found = []
    for block in tokens:
        for token in block.children or ():
            if token.type == "tex_math":
                found.append(Math(token.content, block.map[0] if block.map else 0))
    return found


def find_math(text: str) -> list[Math]:
    """The math of a Markdown text of a bank or source, in order."""
    if "$" not in text and "\\" not in text:
        return []
    return _found(_bank_parser().parse(text))


def describe(found: list[Math]) -> str:
    """The math found, for a message: the first piece or two, and how many more."""
    shown = [f"`{' '.join(m.written.split())[:40]}`" for m in found[:2]]
    more = f" and {len(found) - 2} more" if len(found) > 2 else ""
    return " and ".join(shown) + more


@dataclass(frozen=True)
class PageMath:
    """Math in a MyST page, at its 1-based line and column; ``kind`` is tex, role or directive."""

    line: int
    column: int
    written: str
    kind: str

    @property
    def message(self) -> str:
        """What was found, and the fix."""
        what = {"role": "the math role", "directive": "the math directive"}.get(self.kind, "TeX math")
        return f"the page holds {what} `{' '.join(self.written.split())[:40]}`; {FIX}"


def page_math(text: str, *, nodes: bool = True) -> list[PageMath]:
    """The math of a MyST page (``text``), in order: TeX math written in its Markdown (also in the body of an
    admonition or another directive whose body is Markdown) and, unless ``nodes`` is false, ``{math}`` roles
    and directives (which Sphinx itself turns into math of the page)."""
    from .pages import _DIRECTIVE, _LITERAL_BODIES, front_matter

    try:
        _, body, skipped = front_matter(text)
    except ValueError:
        body, skipped = text, 0
    if not any(mark in body for mark in ("$", "\\(", "\\[", "{math}")):
        return []  # no math can be written without one of these
    starts = [0] + [number + 1 for number, character in enumerate(body) if character == "\n"]
    found: list[PageMath] = []
    searched = [0]  # where the next search starts: two pieces of math of one block are found in turn
    markdown = _page_parser()

    def add(line: int, written: str, kind: str, needle: str | None = None) -> None:
        # Looked for in the page as written, so that the column counts a list item's indentation too.
        block_start = starts[min(line, len(starts) - 1)]
        offset = body.find(needle or written.split("\n")[0], max(block_start, searched[0]))
        offset = offset if offset >= 0 else block_start
        searched[0] = offset + 1
        at = body.count("\n", 0, offset)
        found.append(PageMath(skipped + at + 1, offset - starts[at] + 1, written, kind))

    def scan(part: str, first_line: int) -> None:
        for token in markdown.parse(part):
            line = first_line + (token.map[0] if token.map else 0)
            directive = _DIRECTIVE.match(token.info.strip()) if token.type in ("fence", "colon_fence") else None
            if directive and directive.group(1) == "math":
                if nodes:
                    add(line, token.content.strip() or "{math}", "directive", token.markup)
            elif directive and directive.group(1) not in _LITERAL_BODIES:
                scan(token.content, line + 1)  # an admonition's body is Markdown
            previous: Token | None = None
            for child in token.children or ():
                if child.type == "tex_math":
                    add(line, child.content, "tex")
                elif (child.type == "code_inline" and nodes and previous is not None and previous.type == "text"
                      and _ROLE.search(previous.content)):
                    add(line, child.content, "role", "{math}`")
                previous = child

    scan(body, 0)
    return found


def check_page(path: str | os.PathLike[str]) -> list[Problem]:
    """An error for each piece of math in the MyST page at ``path`` (``sourcebook check``; the site warns)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            text = file.read()
    except OSError:
        return []  # reported by the page's other check
    return [Problem(str(path), found.line, found.column, "error", "math", found.message) for found in page_math(text)]
