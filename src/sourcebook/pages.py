"""The one reader of the course's MyST pages: front matter, title, directives and ``{quiz}`` specs.

The site reads pages through Sphinx; everything else that needs a page's
content without Sphinx reads it here: the worksheet (``sourcebook
worksheet``) the quizzes of a module page, the notebook export the page's
text and directives in order. Pages are parsed with markdown-it (the parser
MyST itself is built on), so a ``{quiz}`` shown as an example inside a longer
fence or in indented code is not mistaken for a real one; directives whose
body is Markdown (admonitions, ``{instructor-note}``...) are looked into.
A quiz's options become a :class:`~sourcebook.selection.QuizSpec` through the
same converter as the site's directive, and its bank is found by
:func:`resolve_path`, as the site finds it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .problems import nearby_file
from .selection import QuizSpec, QuizSpecError

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$", re.DOTALL | re.MULTILINE)
_DIRECTIVE = re.compile(r"^\{([A-Za-z][\w:.+-]*)\}\s*(.*)$")
_OPTION = re.compile(r"^:([\w-]+):(?:\s+(.*))?$")
#: Directives whose body is not Markdown, so never holds a nested directive.
_LITERAL_BODIES = frozenset({"code", "code-block", "code-cell", "literalinclude", "raw", "math", "eval-rst",
                             "quiz", "source-text", "source-card", "source-excerpt"})


class PageError(ValueError):
    """A page cannot be read, or a directive on it is malformed. ``line`` is the page's line of the mistake,
    when there is one, ``detail`` what is wrong there (the message without the place), and ``code`` names
    the kind of mistake as ``sourcebook check`` reports it."""

    def __init__(self, message: str, line: int | None = None, detail: str | None = None, code: str = "page"):
        super().__init__(message)
        self.line = line
        self.detail = detail if detail is not None else message
        self.code = code


class DirectiveError(PageError):
    """A directive's options cannot be read; ``line`` is the page's line of the directive."""

    def __init__(self, line: int, detail: str):
        super().__init__(f"line {line}: {detail}", line, detail, "quiz-option")
        self.line: int = line


@dataclass(frozen=True)
class Directive:
    """A fenced directive as written: name, argument, options and the rest of its body.

    ``line`` is the page's line (1-based) of the opening fence, ``body_line``
    the page's line where ``body`` starts; ``body`` is without the indentation
    of a list item the directive sits in, ``source`` is the directive as
    written, fences and indentation included.
    """

    name: str
    argument: str
    options: dict[str, str]
    body: str
    line: int
    body_line: int
    source: str = ""


@dataclass(frozen=True)
class QuizCall:
    """One ``{quiz}`` directive of a page: the bank it names (found), its spec and options as written."""

    argument: str
    bank: Path
    spec: QuizSpec
    options: dict[str, str]
    line: int

    def missing_bank(self) -> str:
        """What to say when the bank is not there, with the nearest name beside it."""
        return f"the quiz's bank {self.argument} does not exist (looked for {self.bank}){nearby_file(self.bank)}"


@dataclass(frozen=True)
class Page:
    """A MyST page: its front matter, first heading, and quizzes in page order."""

    path: Path
    book_root: Path
    docname: str
    metadata: dict[str, Any]
    title: str
    quizzes: tuple[QuizCall, ...]


def myst_parser() -> MarkdownIt:
    """A new parser of a MyST page's Markdown, with its inline text read too."""
    parser = MarkdownIt("commonmark")
    try:
        # MyST's `:::{name}` fences. The plugin comes with myst-parser, so it is
        # there wherever the book can be built; without it only ``` fences count.
        from mdit_py_plugins.colon_fence import colon_fence_plugin
    except ImportError:  # pragma: no cover - depends on what is installed
        return parser
    return parser.use(colon_fence_plugin)


@cache
def parser() -> MarkdownIt:
    """The parser of a page's blocks (headings, fences, lists): the inline text is left unread, as
    nothing here looks inside it, which halves the time of a parse. Shared: do not change it."""
    return myst_parser().disable("inline")


def find_book_root(start: Path) -> Path:
    """The book's top folder: the nearest one at or above ``start`` with ``_config.yml``,
    ``_toc.yml`` or ``conf.py``; failing that, the nearest with a ``questions`` folder."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    candidates = (folder, *folder.parents)
    for candidate in candidates:
        if any((candidate / marker).is_file() for marker in ("_config.yml", "_toc.yml", "conf.py")):
            return candidate
    for candidate in candidates:
        if (candidate / "questions").is_dir():
            return candidate
    return folder


def course_file_problem(bank: Path, path: Path) -> str | None:
    """Why ``path``, named in the bank at ``bank``, is not a file of the course, or None when it is one:
    ``"outside"`` the book's folder (symbolic links followed), ``"missing"``, or ``"not-file"`` (a folder,
    a device or a pipe). A bank from elsewhere must not make sourcebook read, show or quote anything else."""
    try:
        path.resolve().relative_to(find_book_root(bank))
    except ValueError:
        return "outside"
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "missing"
    return None if stat.S_ISREG(mode) else "not-file"


def front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """(metadata, the rest of the text, the number of line breaks before that rest)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, 0
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # The front matter starts on the page's second line, after its `---`.
        line = mark.line + 2 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PageError(f"the front matter is not valid YAML: {exc}", line,
                        f"the front matter is not valid YAML: {problem}", "front-matter") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PageError("the front matter should be a mapping of keys (module:, short_title:, ...)")
    # The body starts on the closing line itself, so line numbers stay the page's.
    return data, text[match.end():], text[: match.end()].count("\n")


def directive_options(content: str) -> tuple[dict[str, str], str]:
    """A MyST directive's options (``:key: value`` lines or a ``---`` YAML block) and the rest of its body."""
    lines = content.splitlines()
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        for end in range(1, len(lines)):
            if lines[end].strip() == "---":
                try:
                    data = yaml.safe_load("\n".join(lines[1:end])) or {}
                except yaml.YAMLError as exc:
                    raise PageError(f"the options block is not valid YAML: {exc}") from None
                if not isinstance(data, dict):
                    raise PageError("the options block should be a mapping of option names to values")
                options = {str(k): "" if v is None else str(v) for k, v in data.items()}
                return options, "\n".join(lines[end + 1:])
        raise PageError("the options block opened with --- is never closed")
    rest = 0
    for rest, line in enumerate(lines):  # noqa: B007  # `rest` is used after the loop
        match = _OPTION.match(line.strip())
        if not match:
            break
        options[match.group(1)] = (match.group(2) or "").strip()
    else:
        rest = len(lines)
    return options, "\n".join(lines[rest:])


def _directive(token: Token, line_offset: int, lines: list[str] | None = None) -> Directive | None:
    match = _DIRECTIVE.match(token.info.strip())
    if not match or not token.map:
        return None
    name, argument = match.groups()
    line = line_offset + token.map[0] + 1
    try:
        options, body = directive_options(token.content)
    except PageError as exc:
        raise DirectiveError(line, f"{{{name}}}: {exc}") from None
    # A directive's body starts on the line after its fence and options.
    skipped = len(token.content.splitlines()) - len(body.splitlines())
    source = "\n".join(lines[token.map[0]:token.map[1]]) if lines is not None else ""
    return Directive(name, argument.strip(), options, body.strip("\n"), line, line + 1 + skipped, source)


def blocks(text: str, line_offset: int = 0) -> list[str | Directive]:
    """The page's top-level content in order: Markdown text (as written) and fenced directives.

    ``line_offset`` is the number of page lines before ``text`` (so that line
    numbers stay the page's). Code blocks and other fences stay in the text.
    A directive inside a list item (a model answer under a numbered question)
    counts too, and the list's text goes on around it; one inside a block
    quote stays in the quote's text.
    """
    lines = text.splitlines()
    out: list[str | Directive] = []
    done = 0
    for token in parser().parse(text):
        if token.type not in ("fence", "colon_fence") or not token.map:
            continue
        start, end = token.map
        if start < done or not lines[start].lstrip().startswith(token.markup):
            continue  # inside a block quote (or on a list marker's line): part of that block's text
        directive = _directive(token, line_offset, lines)
        if directive is None:
            continue
        if start > done:
            out.append("\n".join(lines[done:start]))
        out.append(directive)
        done = end
    if done < len(lines):
        out.append("\n".join(lines[done:]))
    return out


def all_directives(text: str, line_offset: int = 0) -> list[Directive]:
    """Every fenced directive of the text in page order, wherever it stands: at the top, in a
    list item, in a block quote, or in the body of another directive."""
    found: list[Directive] = []
    lines = text.splitlines()
    for token in parser().parse(text):
        if token.type not in ("fence", "colon_fence"):
            continue
        directive = _directive(token, line_offset, lines)
        if directive is not None:
            found.append(directive)
            found += all_directives(directive.body, directive.body_line - 1)
    return found


def heading_lines(text: str) -> list[int]:
    """The lines (0-based) where the text's top-level ``#`` headings start."""
    return [token.map[0] for token in parser().parse(text)
            if token.type == "heading_open" and token.level == 0 and token.markup.startswith("#") and token.map]


def _quizzes(text: str, line_offset: int, page: Path, root: Path,
             errors: list[PageError] | None = None) -> list[QuizCall]:
    """The page's quizzes; a malformed one raises its :class:`PageError`, or with ``errors`` is put there
    and left out, and the reading goes on."""
    found: list[QuizCall] = []
    for token in parser().parse(text):
        if token.type not in ("fence", "colon_fence"):
            continue
        try:
            try:
                directive = _directive(token, line_offset)
            except DirectiveError as exc:
                raise PageError(f"{page}:{exc.line}: {exc.detail}", exc.line, exc.detail, exc.code) from None
            if directive is None:
                continue
            if directive.name == "quiz":
                found.append(quiz_call(directive, page, root))
                continue
        except PageError as exc:
            if errors is None:
                raise
            errors.append(exc)
            continue
        if directive.name not in _LITERAL_BODIES:
            found.extend(_quizzes(directive.body, directive.body_line - 1, page, root, errors))
    return found


def quiz_body_problem(lines: Sequence[str]) -> str:
    """What to say of a ``{quiz}`` directive with the text ``lines`` in it: a quiz takes none, so its closing
    fence is likely missing, and the page's text after it would be lost in it."""
    text = [line for line in lines if line.strip()]
    first = text[0].strip() if text else ""
    shown = first if len(first) <= 40 else first[:39] + "…"
    return (f"the {{quiz}} directive takes no text, but {len(text)} line{'s' * (len(text) != 1)} of text, from "
            f"`{shown}` on, {'are' if len(text) != 1 else 'is'} inside it and would not show: is its closing ``` "
            "missing? Put it on the line after the directive (and its options)")


def quiz_call(directive: Directive, page: Path, root: Path) -> QuizCall:
    """The quiz of a ``{quiz}`` directive: its options read, its bank found (it may not exist)."""
    where = f"{page}:{directive.line}"
    if not directive.argument:
        raise PageError(f"{where}: the {{quiz}} directive names no bank", directive.line,
                        "the {quiz} directive names no bank", "quiz-option")
    if directive.body.strip():
        said = quiz_body_problem(directive.body.splitlines())
        raise PageError(f"{where}: {said}", directive.line, said, "quiz-body")
    try:
        spec = QuizSpec.from_options(directive.argument, directive.options)
    except QuizSpecError as exc:
        raise PageError(f"{where}: {exc}", directive.line, str(exc), "quiz-option") from None
    return QuizCall(directive.argument, resolve_path(directive.argument, page, root), spec, directive.options,
                    directive.line)


def resolve_path(argument: str, page: Path, root: Path) -> Path:
    """The file a directive's argument names (a bank, a source), found as the site finds it.

    A leading ``/`` means the book's root; otherwise relative to the page, or,
    when no such file is next to the page, to the book's root. The site's
    directives and every reader of pages use this one function.
    """
    argument = argument.strip()
    if argument.startswith("/"):
        return root / argument.lstrip("/")
    beside = page.parent / argument
    return beside if beside.exists() else root / argument


def read_page(path: str | os.PathLike[str], book_root: Path | None = None,
              errors: list[PageError] | None = None) -> Page:
    """The page at ``path`` with its front matter, title and ``{quiz}`` directives. A malformed quiz
    raises its :class:`PageError`; with ``errors``, each is put there instead and the page has the others."""
    page = Path(path)
    try:
        text = page.read_text(encoding="utf-8")
    except OSError as exc:
        raise PageError(f"cannot read {page}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise PageError(f"{page} is not UTF-8 text", detail="the page is not UTF-8 text: save it as UTF-8") from None
    root = (book_root or find_book_root(page)).resolve()
    try:
        metadata, body, taken = front_matter(text)
    except PageError as exc:
        raise PageError(f"{page}: {exc}", exc.line, exc.detail, exc.code) from None
    title = ""
    tokens = parser().parse(body)
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            title = tokens[i + 1].content.strip()
            break
    resolved = page.resolve()
    try:
        docname = resolved.relative_to(root).with_suffix("").as_posix()
    except ValueError:
        docname = resolved.with_suffix("").name
    return Page(page, root, docname, metadata, title, tuple(_quizzes(body, taken, page, root, errors)))
