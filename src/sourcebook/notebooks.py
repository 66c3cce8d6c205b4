"""A module page (MyST Markdown) as a Jupyter notebook a student can download and run.

The text becomes Markdown cells (one per section); each ``{quiz}`` directive
becomes a code cell ``quiz("<bank>", ...)`` with the directive's options, the
bank path relative to the page's folder (the notebook sits in the same folder
of the built site, next to copies of the banks, and works the same way from a
checkout of the course). Excerpts and the full text become block quotes with
paragraph numbers, module facts and source cards become Markdown; model
answers and instructor notes are left out, whatever the edition.

The page is read by :mod:`sourcebook.pages` (markdown-it, as MyST reads it):
fenced directives (```` ```{name} ```` and ``:::{name}``) become cells;
everything else is passed through as Markdown, with MyST roles such as
``{term}`sourcing``` reduced to their text. A quiz's options are read by the
site directive's converter (:class:`~sourcebook.selection.QuizSpec`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import markdown
from .checks import WEB_ADDRESS
from .citation import citations
from .i18n import find_language, format_date, strings_for
from .loader import load_source
from .model import Paragraph, Source
from .pages import Directive, PageError, blocks, front_matter, heading_lines, resolve_path
from .pages import parser as markdown_parser  # the same parser as the page reader
from .problems import BankError, did_you_mean, nearby_file
from .selection import QuizSpec, QuizSpecError

LEFT_OUT = frozenset({"model-answer", "instructor-note", "theme-index", "quiz-progress", "toctree", "eval-rst",
                      "raw", "tableofcontents"})
ADMONITIONS = {"note": "Note", "tip": "Tip", "hint": "Hint", "important": "Important", "warning": "Warning",
               "caution": "Caution", "attention": "Attention", "danger": "Danger", "error": "Error",
               "seealso": "See also"}
QUIZ_IMPORT = "from sourcebook import quiz"


class NotebookError(Exception):
    """The page cannot become a notebook (a quiz or source that cannot be found, bad options)."""


@dataclass
class Page:
    """A MyST page split into its front matter and a sequence of text blocks and directives."""

    front_matter: dict[str, Any]
    blocks: list[str | Directive] = field(default_factory=list)


def parse(text: str) -> Page:
    """Split a MyST page into front matter, Markdown text and directives (read by :mod:`sourcebook.pages`)."""
    try:
        metadata, rest, offset = front_matter(text)
        return Page(metadata, blocks(rest, offset))
    except PageError as exc:
        raise NotebookError(str(exc)) from exc


# --- Markdown of the page's text ---------------------------------------------------


def without_left_out(text: str) -> str:
    """Markdown text without the directives the notebook leaves out, wherever they stand.

    A model answer is often written inside a list item, under its question; such a
    fence is not one of the page's top-level blocks, so it is cut out of the text
    here, or the student's notebook would carry the answer.
    """
    lines = text.splitlines()
    cut: set[int] = set()
    for token in markdown_parser().parse(text):
        if token.type in ("fence", "colon_fence") and token.map:
            name = re.match(r"\{([\w:.+-]+)\}", token.info.strip())
            if name and name.group(1) in LEFT_OUT:
                cut.update(range(*token.map))
    if not cut:
        return text
    return "\n".join(line for number, line in enumerate(lines) if number not in cut)


_ROLE = re.compile(r"\{[\w:.-]+\}`([^`]*)`")
_TARGET = re.compile(r"^\s*\([\w:.-]+\)=\s*$")
_COMMENT = re.compile(r"^\s*%")
_MARKUP = re.compile(r"([\\`*_\[\]<>#|~])")


def _role_text(match: re.Match[str]) -> str:
    text = match[1]
    titled = re.fullmatch(r"(.*?)\s*<[^<>]*>", text, flags=re.DOTALL)
    if titled and titled[1]:
        return titled[1]
    return text.lstrip("~!/").rsplit("/", 1)[-1] if "/" in text else text.lstrip("~!")


def markdown_text(text: str) -> str:
    """MyST Markdown as plain Markdown: roles to their text, targets and comments dropped."""
    lines = [line for line in text.splitlines() if not _TARGET.match(line) and not _COMMENT.match(line)
             and line.strip() != "+++"]
    return _ROLE.sub(_role_text, "\n".join(lines))


def escape(text: str) -> str:
    """Text shown as is in Markdown (a source's words, a title)."""
    return _MARKUP.sub(r"\\\1", text)


def quote_paragraphs(source: Source, paragraphs: list[Paragraph], language: str | None = None) -> str:
    """Paragraphs as a Markdown block quote, each numbered as on the site."""
    parts = [(f"**{p.number}** " if p.number is not None else "") + escape(p.text) for p in paragraphs]
    parts.append(f"— {escape(source.author)}, {format_date(source.date, strings_for(language))}")
    return "\n>\n".join("> " + part for part in parts)


def source_card(source: Source, language: str | None = None) -> str:
    """The source card as Markdown, its labels in the interface ``language``."""
    s = strings_for(language)
    date = format_date(source.date, s)
    rows = [(s["card_author"], escape(source.author)),
            (s["card_date"], f"{date} ({escape(source.date_note)})" if source.date_note else date),
            (s["card_audience"], escape(source.audience)), (s["card_kind"], escape(source.kind)),
            (s["card_archive"], f"[{escape(source.archive)}]({source.archive_url})"
             if WEB_ADDRESS.fullmatch(source.archive_url) else escape(source.archive)),
            (s["card_original_publication"], escape(source.original_publication)),
            (s["card_original_language"], escape(source.language)), (s["card_translator"], escape(source.translator)),
            (s["card_text"], s["card_text_not_reproduced"]) if source.card else
            (s["card_abridged"], s["card_abridged_yes"] if source.abridged else s["card_abridged_no"]),
            # The source's Markdown as the site shows it (raw HTML as text, safe links),
            # since a notebook's Markdown cell would render raw HTML.
            (s["card_rights"], markdown.render_inline(" ".join(source.rights.split())))]
    cite = citations(source)
    lines = [f"**{escape(source.title)}**", ""]
    if source.summary:
        lines += [markdown.render(source.summary), ""]
    lines += [f"- **{name}:** {value}" for name, value in rows if value]
    lines += ["", f"**{s['card_cite']}**", "",
              f"- {s['card_chicago_bibliography']}: {cite.chicago_bibliography}",
              f"- {s['card_chicago_note']}: {cite.chicago_note}", f"- MLA: {cite.mla}", f"- APA: {cite.apa}"]
    return "\n".join(lines)


def module_facts(front_matter: dict[str, Any], language: str | None = None) -> str:
    """Time needed and themes, from the page's front matter."""
    s = strings_for(language)
    lines = []
    if front_matter.get("time"):
        lines.append(f"**{s['course_time_needed']}:** {escape(str(front_matter['time']))}")
    themes = theme_list(front_matter.get("themes"))
    if themes:
        lines.append(f"**{s['course_themes']}:** {', '.join(escape(t) for t in themes)}")
    return "\n\n".join(lines)


def theme_list(value: Any) -> list[str]:
    """Themes given as a YAML list, a JSON list in a string (as Sphinx keeps them) or a comma-separated string."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                value = yaml.safe_load(text)
        else:
            value = text.split(",")
    if not isinstance(value, list | tuple):
        value = [value]
    return [str(v).strip() for v in value if str(v).strip()]


def parse_paragraphs(spec: str, source: Source) -> list[Paragraph]:
    """Paragraphs for ``p1, p3-p4`` (a range runs in the source's order, both ends in).

    Raises ValueError naming the unknown anchor, with a suggestion.
    """
    order = [p.id for p in source.paragraphs]

    def index(anchor: str) -> int:
        if anchor not in order:
            hint = did_you_mean(anchor, order)
            raise ValueError(f"the source {source.path} has no paragraph {anchor!r}"
                             f"{';' + hint if hint else ''}; it has {', '.join(order)}")
        return order.index(anchor)

    chosen: list[Paragraph] = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        if "-" in part and part not in order:
            start, end = (index(x.strip()) for x in part.split("-", 1))
            if end < start:
                raise ValueError(f"the range {part!r} runs backwards")
            chosen.extend(source.paragraphs[start:end + 1])
        else:
            chosen.append(source.paragraphs[index(part)])
    if not chosen:
        raise ValueError("no paragraphs given")
    return chosen


# --- quizzes -----------------------------------------------------------------------


def quiz_call(directive: Directive, bank: str, language: str | None = None) -> str:
    """The ``quiz(...)`` call for a ``{quiz}`` directive, with the bank path given.

    The options are read by the same converter as the site's directive
    (:class:`~sourcebook.selection.QuizSpec`). A book in another language than
    English passes it on (``language="zh_CN"``), so the notebook quiz speaks
    as the site does.
    """
    try:
        spec = QuizSpec.from_options(directive.argument, directive.options)
    except QuizSpecError as exc:
        raise NotebookError(f"line {directive.line}: {exc}") from None
    args = [json.dumps(bank)]
    if spec.ids is not None:
        args.append(f"ids={json.dumps(list(spec.ids))}")
    if spec.skills is not None:
        args.append(f"skills={json.dumps(list(spec.skills))}")
    if spec.count is not None:
        args.append(f"count={spec.count}")
    if spec.shuffle:
        args.append("shuffle=True")
    if spec.seed is not None:
        args.append(f"seed={json.dumps(spec.seed)}")
    # The catalogue's code, and only one it has: a book in a language without an interface shows English
    # on the site, and quiz() would refuse its name.
    code = find_language(language) if language else None
    if code and code != "en":
        args.append(f"language={json.dumps(code)}")
    return f"quiz({', '.join(args)})"


# --- the notebook -------------------------------------------------------------------


@dataclass
class Converted:
    """A notebook's cells, and the files its quizzes read (absolute paths)."""

    cells: list[tuple[str, str]]
    banks: list[Path]


class _Converter:
    def __init__(self, page_path: Path, book_root: Path, front_matter: dict[str, Any], language: str | None):
        self.page_path = page_path
        self.page_dir = page_path.parent
        self.book_root = book_root
        self.front_matter = front_matter
        self.language = language
        self.banks: list[Path] = []

    def path(self, argument: str, what: str, line: int) -> Path:
        argument = argument.strip()
        path = resolve_path(argument, self.page_path, self.book_root)
        if not path.exists():
            raise NotebookError(f"line {line}: no {what} at {argument!r} (looked for {path}){nearby_file(path)}")
        return path.resolve()

    def source(self, directive: Directive) -> Source:
        try:
            return load_source(self.path(directive.argument, "source file", directive.line))
        except BankError as exc:
            raise NotebookError(f"line {directive.line}: the source has errors:\n{exc}") from exc

    def blocks(self, blocks: list[str | Directive]) -> Iterator[tuple[str, str]]:
        for block in blocks:
            if isinstance(block, str):
                yield "markdown", markdown_text(without_left_out(block))
            else:
                yield from self.directive(block)

    def directive(self, d: Directive) -> Iterator[tuple[str, str]]:
        if d.name in LEFT_OUT:
            return
        if d.name == "quiz":
            bank = self.path(d.argument, "question bank", d.line)
            self.banks.append(bank)
            relative = os.path.relpath(bank, self.page_dir).replace(os.sep, "/")
            yield "code", f"{QUIZ_IMPORT}\n\n{quiz_call(d, relative, self.language)}"
        elif d.name == "module-facts":
            yield "markdown", module_facts(self.front_matter, self.language)
        elif d.name == "source-card":
            yield "markdown", source_card(self.source(d), self.language)
        elif d.name in ("source-excerpt", "source-text"):
            source = self.source(d)
            spec = d.options.get("paragraphs", "") if d.name == "source-excerpt" else ""
            try:
                chosen = parse_paragraphs(spec, source) if spec else list(source.paragraphs)
            except ValueError as exc:
                raise NotebookError(f"line {d.line}: {exc}") from exc
            yield "markdown", quote_paragraphs(source, chosen, self.language)
        elif d.name in ADMONITIONS or d.name == "admonition":
            title = d.argument if d.name == "admonition" else ADMONITIONS[d.name]
            body = blocks(d.body, d.body_line - 1)
            inner = "\n\n".join(text for kind, text in self.blocks(body) if kind == "markdown")
            quoted = "\n".join("> " + line if line else ">" for line in inner.splitlines())
            yield "markdown", f"> **{escape(markdown_text(title))}**\n>\n{quoted}"
        elif d.name in ("figure", "image"):
            caption = markdown_text(d.body) if d.name == "figure" else ""
            alt = d.options.get("alt", caption.splitlines()[0] if caption else "")
            yield "markdown", f"![{escape(alt)}]({d.argument.strip()})" + (f"\n\n*{caption}*" if caption else "")
        else:
            # A directive the notebook has no form for: its argument as a heading, its body as text.
            if d.argument:
                yield "markdown", f"**{escape(markdown_text(d.argument))}**"
            yield from self.blocks(blocks(d.body, d.body_line - 1))


_HEADING = re.compile(r"^(#{1,6}) ")


def _split_at_headings(text: str) -> list[str]:
    """Markdown split before each heading line (not inside code blocks)."""
    starts = set(heading_lines(text))
    parts: list[list[str]] = [[]]
    for number, line in enumerate(text.splitlines()):
        if number in starts and any(x.strip() for x in parts[-1]):
            parts.append([])
        parts[-1].append(line)
    return ["\n".join(p).strip("\n") for p in parts if any(x.strip() for x in p)]


def _level(cell: tuple[str, str]) -> int:
    match = _HEADING.match(cell[1]) if cell[0] == "markdown" else None
    return len(match[1]) if match else 0


def _sections(cells: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Markdown joined into one cell per section (split before each heading); code cells kept apart.

    A heading left with nothing under it (the instructors' section once its
    notes are taken out) is dropped.
    """
    out: list[tuple[str, str]] = []
    for kind, text in cells:
        if not text.strip():
            continue
        if kind == "code":
            out.append((kind, text.strip("\n")))
            continue
        for part in _split_at_headings(text):
            if out and out[-1][0] == "markdown" and not _HEADING.match(part):
                out[-1] = ("markdown", out[-1][1] + "\n\n" + part)
            else:
                out.append(("markdown", part))
    kept: list[tuple[str, str]] = []
    for cell in reversed(out):
        level = _level(cell)
        heading_only = level and len(cell[1].strip().splitlines()) == 1
        if heading_only and (not kept or 0 < _level(kept[-1]) <= level):
            continue
        kept.append(cell)
    return kept[::-1]


def convert(text: str, *, page_path: Path, book_root: Path, language: str | None = None) -> Converted:
    """The cells of the notebook for the page ``page_path`` (MyST text ``text``) of the book at ``book_root``,
    whose interface ``language`` (the book's setting) the quizzes take on."""
    page = parse(text)
    converter = _Converter(page_path, book_root, page.front_matter, language)
    cells = _sections(list(converter.blocks(page.blocks)))
    return Converted(cells, converter.banks)


def to_notebook(converted: Converted, *, title: str = "") -> Any:
    """An nbformat v4 notebook of the cells, for a Python 3 kernel."""
    import nbformat.v4 as v4
    from nbformat import NotebookNode

    # nbformat has no type hints.
    new_notebook: Any = v4.new_notebook
    node: Any = NotebookNode

    def cell(place: int, kind: str, text: str) -> Any:
        # As nbformat's new_code_cell and new_markdown_cell make them, without checking each cell against
        # the format's schema: nbformat.write checks the whole notebook once. The id is made from the cell's
        # place and text, not drawn at random, so that a page makes the same notebook in every build
        # (the in-browser notebooks are built again only when a notebook changed).
        ident = hashlib.sha256(f"{place}\0{kind}\0{text}".encode()).hexdigest()[:8]
        if kind == "code":
            return node(id=ident, cell_type="code", metadata=node(), execution_count=None, source=text, outputs=[])
        return node(id=ident, cell_type="markdown", source=text, metadata=node())

    cells = [cell(place, kind, text) for place, (kind, text) in enumerate(converted.cells)]
    notebook = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    if title:
        notebook.metadata["title"] = title
    return notebook


def module_notebook(page_path: str | os.PathLike[str], book_root: str | os.PathLike[str],
                    language: str | None = None) -> tuple[Any, list[Path]]:
    """The notebook of a module page, and the banks its quizzes read."""
    page = Path(page_path)
    converted = convert(page.read_text(encoding="utf-8"), page_path=page.resolve(),
                        book_root=Path(book_root).resolve(), language=language)
    title = next((text.splitlines()[0].lstrip("# ").strip() for kind, text in converted.cells
                  if kind == "markdown" and text.startswith("# ")), "")
    return to_notebook(converted, title=title), converted.banks
