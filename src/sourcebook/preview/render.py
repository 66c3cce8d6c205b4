"""The preview's page: a bank's quiz, or a module page's text and quizzes, as the site shows them.

Quizzes are written by the site's own renderer (:func:`sourcebook.html.quiz_html`),
with the questions, order and saved-progress key the ``{quiz}`` directive would
choose (:mod:`sourcebook.selection`, the page read by :mod:`sourcebook.pages`).
A bank with errors is shown as its problems instead, each as
``sourcebook check`` prints it (``path:line:col: error[code]: message``) with
the line it is about. Each rendering also says which files it read, so that the
server knows what to watch.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import yaml

from .. import markdown, model
from ..html import EvidenceHref, quiz_html, slug
from ..i18n import strings_for
from ..loader import SOURCE_SUFFIXES, read_bank, read_source
from ..notebooks import parse_paragraphs
from ..page_check import missing_source
from ..pages import (
    Directive,
    PageError,
    blocks,
    course_file_problem,
    find_book_root,
    front_matter,
    quiz_call,
    resolve_path,
)
from ..problems import Problem, nearby_file, shown_path
from ..results import book_title, handin_meta_html
from ..selection import SelectionError
from ..worksheet import WorksheetError, book_language


class PreviewError(ValueError):
    """What the command was given cannot be previewed (no such file, not a bank or a page)."""


@dataclass
class Rendered:
    """One rendering: the page's main content, what it is of, its problems and the files it read."""

    title: str
    body: str
    problems: list[Problem] = field(default_factory=list)
    #: Problems that are not in a bank or source (a page's malformed directive, a quiz's options).
    notes: list[str] = field(default_factory=list)
    files: set[Path] = field(default_factory=set)
    #: The book's ``language`` (its ``_config.yml``), for the page's ``lang``; None for English.
    language: str | None = None

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems) + len(self.notes)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)


def named_sources(bank: Path, read: model.Bank | None = None) -> list[Path]:
    """The course's source files the bank names (``source:``, ``documents:``): from ``read``, the bank
    as the loader read it, or, when it has errors, from its YAML, so that the preview still watches
    them and shows their problems."""
    if read is not None:
        names: list[object] = [read.source, *read.documents]
    else:
        try:
            # The C loader where there is one: the bank is read once more only to find these two keys.
            data = yaml.load(bank.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return []
        if not isinstance(data, dict):
            return []
        documents = data.get("documents")
        names = [data.get("source"), *(documents if isinstance(documents, list) else [documents])]
    found: list[Path] = []
    for name in names:
        if not isinstance(name, str) or not name.strip():
            continue
        path = bank.parent / name
        # The loader's rules: a YAML file of the course, never anything else. One missing now is watched too,
        # so that the page is shown again once it is written (the bank's problems say it is missing).
        if path.suffix.lower() in SOURCE_SUFFIXES and course_file_problem(bank, path) in (None, "missing"):
            found.append(path)
    return found


def bank_problems(bank: Path) -> tuple[model.Bank | None, list[Problem], set[Path]]:
    """The bank (None when it has errors), its problems and its sources' problems, and the files read.

    The problems are those ``sourcebook check`` prints for the bank and its sources, in that order.
    """
    loaded = read_bank(shown_path(bank))
    problems = list(loaded.problems)
    files = {bank.resolve()}
    for source in named_sources(bank, loaded.value):
        files.add(source.resolve())
        if source.is_file():
            problems += [p for p in read_source(shown_path(source)).problems if p not in problems]
    return loaded.value, problems, files


def _problem_line(problem: Problem) -> str:
    """The line a problem is about, with a caret under its column (empty when the line cannot be read)."""
    try:
        lines = Path(problem.path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    if not 1 <= problem.line <= len(lines):
        return ""
    text = lines[problem.line - 1].replace("\t", " ")
    gutter = f"{problem.line} | "
    caret = " " * (len(gutter) - 2) + "| " + " " * max(problem.column - 1, 0) + "^"
    return f"{gutter}{text}\n{caret}"


def problems_html(problems: Iterable[Problem], notes: Iterable[str] = ()) -> str:
    """A list of problems, each one line as ``sourcebook check`` prints it, then the line of the file."""
    items: list[str] = []
    for note in notes:
        items.append(f'<li class="sb-preview-error"><code>{escape(note)}</code></li>')
    for p in problems:
        line = _problem_line(p)
        excerpt = f'<pre class="sb-preview-line">{escape(line)}</pre>' if line else ""
        items.append(f'<li class="sb-preview-{p.severity}" data-line="{p.line}" data-column="{p.column}">'
                     f"<code>{escape(str(p))}</code>{excerpt}</li>")
    if not items:
        return ""
    return f'<ol class="sb-preview-problems">{"".join(items)}</ol>'


def _summary(errors: int, warnings: int) -> str:
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _problem_box(title: str, problems: list[Problem], notes: Sequence[str] = ()) -> str:
    errors = sum(p.severity == "error" for p in problems) + len(notes)
    warnings = sum(p.severity == "warning" for p in problems)
    kind = "errors" if errors else "warnings"
    return (f'<section class="sb-preview-report sb-preview-{kind}" aria-label="{escape(title)}">'
            f"<h2>{escape(title)}: {_summary(errors, warnings)}</h2>"
            f"{problems_html(problems, notes)}</section>")


def handin_meta(bank: Path, root: Path, questions: Sequence[model.Question]) -> str:
    """What the site writes after a quiz for its Hand in form (see ``sphinx/quiz.py``), for this book."""
    path = bank.resolve()
    try:
        name = path.relative_to(root.resolve()).as_posix()
    except ValueError:
        name = path.name
    return handin_meta_html(name, book_title(root), questions)


def _language(root: Path, notes: list[str], files: set[Path]) -> str | None:
    """The book's language; its ``_config.yml`` is watched too, as it chooses the interface text."""
    files.add((root / "_config.yml").resolve())
    try:
        return book_language(root)
    except WorksheetError as exc:
        notes.append(str(exc))
        return None


def render_bank(bank_path: Path) -> Rendered:
    """The bank's whole quiz, as a page with ``{quiz} bank.yml`` shows it; or its problems."""
    shown = shown_path(bank_path)
    notes: list[str] = []
    bank, problems, files = bank_problems(bank_path)
    language = _language(find_book_root(bank_path), notes, files)
    title = bank.title if bank is not None else shown
    # The page's heading, as a page holding the quiz has one.
    heading = f"<h1>{escape(title)}</h1>"
    if bank is None:
        return Rendered(title, heading + _problem_box(f"The quiz cannot be shown; {shown}", problems, notes),
                        problems, notes, files, language)
    parts = [heading, _problem_box(shown, problems, notes)] if problems or notes else [heading]
    parts.append(quiz_html(bank, bank.questions, key=slug(bank_path.stem), strings=strings_for(language)))
    parts.append(handin_meta(bank_path, find_book_root(bank_path), bank.questions))
    return Rendered(title, "".join(parts), problems, notes, files, language)


# --- a module page ----------------------------------------------------------------

#: Directives that show a source's paragraphs; the preview writes them plainly (numbers and anchors).
_SOURCE_DIRECTIVES = ("source-text", "source-excerpt")
#: Teachers' material: the student edition leaves it out (and any quiz in it), so the preview does too.
_TEACHER_ONLY = ("model-answer", "instructor-note")


class _PageWriter:
    """Writes a MyST page's text and quizzes in page order; other directives as labelled boxes."""

    def __init__(self, page: Path, root: Path, docname: str, language: str | None):
        self.page = page
        self.root = root
        self.docname = docname
        self.strings = strings_for(language)
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.files: set[Path] = {page.resolve()}
        self.position = 0
        self.anchored: set[Path] = set()  # sources shown in full here: evidence links to their paragraphs

    def evidence_href(self) -> EvidenceHref:
        def href(source: model.Source, anchor: str) -> str | None:
            return f"#{anchor}" if Path(source.path).resolve() in self.anchored else None
        return href

    def write(self, text: str, line_offset: int) -> str:
        out: list[str] = []
        for block in blocks(text, line_offset):
            if isinstance(block, str):
                out.append(markdown.render(block))
            elif block.name in _TEACHER_ONLY:
                continue
            elif block.name == "quiz":
                out.append(self.quiz(block))
            elif block.name in _SOURCE_DIRECTIVES:
                out.append(self.source(block))
            else:
                label = f"{{{block.name}}} {block.argument}".strip()
                inner = self.write(block.body, block.body_line - 1) if block.body.strip() else ""
                out.append(f'<aside class="sb-preview-directive" aria-label="{escape(label)}">'
                           f'<p class="sb-preview-name">{escape(label)}</p>{inner}</aside>')
        return "".join(out)

    def note(self, line: int, code: str, message: str) -> str:
        """A problem of the page, as ``sourcebook check`` prints it: noted, and returned."""
        said = str(Problem(shown_path(self.page), line, 1, "error", code, message))
        self.notes.append(said)
        return said

    def source(self, directive: Directive) -> str:
        path = resolve_path(directive.argument, self.page, self.root)
        self.files.add(path.resolve())
        if not path.is_file():
            self.note(directive.line, "source-missing", missing_source(directive, path))
            return ""
        loaded = read_source(shown_path(path))
        self.problems += [p for p in loaded.problems if p not in self.problems]
        source: model.Source | None = loaded.value
        if source is None:
            return _problem_box(f"The source cannot be shown; {shown_path(path)}", loaded.problems)
        paragraphs = list(source.paragraphs)
        if directive.name == "source-excerpt":
            try:
                paragraphs = parse_paragraphs(directive.options.get("paragraphs") or "", source) \
                    if directive.options.get("paragraphs") else paragraphs
            except ValueError as exc:
                self.note(directive.line, "source-option", str(exc))
                return ""
        full = directive.name == "source-text"
        if full:
            self.anchored.add(path.resolve())
        html = []
        for p in paragraphs:
            number = f'<span class="sb-para-number">{p.number}</span> ' if p.number is not None else ""
            anchor = f' id="{escape(p.id)}"' if full else ""
            html.append(f'<p class="sb-para"{anchor}>{number}{escape(p.text)}</p>')
        kind = "sb-source-text" if full else "sb-source-excerpt"
        return f'<div class="{kind}">{"".join(html)}</div>'

    def quiz(self, directive: Directive) -> str:
        # Counted as the site counts, so the quiz gets the key (and the draw) of the site's.
        self.position += 1
        try:
            call = quiz_call(directive, self.page, self.root)
        except PageError as exc:
            note = self.note(exc.line or directive.line, exc.code, exc.detail or str(exc))
            return _problem_box("The quiz cannot be shown", [], [note])
        self.files.add(call.bank.resolve())
        if not call.bank.is_file():
            note = self.note(directive.line, "bank-missing", call.missing_bank())
            return _problem_box("The quiz cannot be shown", [], [note])
        bank, problems, files = bank_problems(call.bank)
        self.files |= files
        self.problems += [p for p in problems if p not in self.problems]
        if bank is None:
            return _problem_box(f"The quiz cannot be shown; {shown_path(call.bank)}", problems)
        try:
            questions = call.spec.select(bank.questions, default_seed=self.docname)
        except SelectionError as exc:
            note = self.note(directive.line, "quiz-option", f"{exc} (bank {call.argument})")
            return _problem_box("The quiz cannot be shown", [], [note])
        key = call.spec.key(self.docname, call.bank.stem, self.position)
        html = quiz_html(bank, questions, shuffle=call.spec.shuffle, seed=call.spec.seed, key=key,
                         strings=self.strings, evidence_href=self.evidence_href())
        return ((_problem_box(shown_path(call.bank), problems) if problems else "") + html
                + handin_meta(call.bank, self.root, questions))


def render_page(page_path: Path) -> Rendered:
    """A module page: its text, its sources' paragraphs and its quizzes as the site shows them."""
    shown = shown_path(page_path)
    try:
        text = page_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        note = f"{shown}: cannot be read ({getattr(exc, 'strerror', None) or exc})"
        return Rendered(shown, _problem_box("The page cannot be shown", [], [note]), [], [note],
                        {page_path.resolve()})
    root = find_book_root(page_path).resolve()
    notes: list[str] = []
    config: set[Path] = set()
    language = _language(root, notes, config)
    resolved = page_path.resolve()
    try:
        docname = resolved.relative_to(root).with_suffix("").as_posix()
    except ValueError:
        docname = resolved.with_suffix("").name
    writer = _PageWriter(page_path, root, docname, language)
    writer.notes += notes
    writer.files |= config
    try:
        _, body, taken = front_matter(text)
        # Sources shown in full anywhere on the page take evidence links, wherever the quiz stands.
        for block in blocks(body, taken):
            if not isinstance(block, str) and block.name == "source-text":
                writer.anchored.add(resolve_path(block.argument, page_path, root).resolve())
        html = writer.write(body, taken)
    except PageError as exc:  # (as `sourcebook check` prints it: one line, at its place)
        writer.note(exc.line or 1, exc.code, exc.detail or str(exc))
        html = ""
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), shown)
    summary = _problem_box(shown, writer.problems, writer.notes) if writer.problems or writer.notes else ""
    return Rendered(title, summary + html, writer.problems, writer.notes, writer.files, language)


def renderer(target: str | os.PathLike[str]) -> Callable[[], Rendered]:
    """What ``sourcebook preview TARGET`` shows: a bank (``.yml``), or a module (its folder or ``.md`` page).

    Raises :class:`PreviewError` with a message to print when the target is neither.
    """
    path = Path(target)
    if path.is_dir():
        page = path / "index.md"
        if not page.is_file():
            raise PreviewError(f"{path} has no index.md; give a bank (questions/NAME.yml), "
                               "a module's folder or its page")
        return lambda: render_page(page)
    if not path.exists():
        raise PreviewError(f"no file or folder at {path}{nearby_file(path, folders=True)}; give a bank "
                           "(questions/NAME.yml), a module's folder (modules/NN-slug) or its page")
    if not path.is_file():
        raise PreviewError(f"{path} is not a regular file")
    if path.suffix.lower() == ".md":
        return lambda: render_page(path)
    if path.suffix.lower() in (".yml", ".yaml"):
        return lambda: render_bank(path)
    raise PreviewError(f"{path} is neither a bank (.yml) nor a page (.md)")
