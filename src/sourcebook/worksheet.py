"""Printable worksheets of a module's quizzes: one for students, one with the answer key.

A worksheet is one standalone HTML page: the CSS is inline, there is no
script, and nothing is loaded from anywhere, so it prints the same from a
file, from the site or from a USB stick. Choice boxes and writing lines are
drawn with CSS borders (which print even when the browser leaves backgrounds
out). The student sheet carries no answer in its text or markup; the key is
the same sheet with the right choices ticked, the gaps filled and, under each
question, what counts as right and why.

Questions are chosen and ordered exactly as the site's ``{quiz}`` directive
chooses and orders them (:meth:`sourcebook.selection.QuizSpec.select` with the
same default seed, then :func:`sourcebook.selection.arrange`), so the
worksheet of a module holds the questions its page shows, in the same order.
A quiz that shuffles without a seed is mixed per student on screen; paper
keeps the bank's order for it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import yaml

from . import markdown, model
from .formatting import format_number
from .i18n import fill, language_code, strings_for
from .loader import read_bank
from .pages import Page, PageError, read_page
from .problems import nearby_file
from .selection import Arrangement, SelectionError, arrange


class WorksheetError(ValueError):
    """The module or one of its quizzes cannot be turned into a worksheet."""


@dataclass(frozen=True)
class WorksheetQuiz:
    """One quiz of the worksheet: its bank, and its questions, choices and items in the order shown."""

    bank: model.Bank
    arrangement: Arrangement

    @property
    def questions(self) -> Sequence[model.Question]:
        """The questions in the order printed."""
        return self.arrangement.questions


# --- finding the quizzes of a module page ------------------------------------------


def module_page(module: str | Path) -> Path:
    """The page of a module given as its folder or its page."""
    path = Path(module)
    if path.is_dir():
        page = path / "index.md"
        if not page.is_file():
            raise WorksheetError(f"{path} has no index.md; give the module's folder or its page")
        return page
    if not path.exists():
        raise WorksheetError(f"no module at {path}{nearby_file(path, folders=True)}; give a module folder "
                             "(modules/NN-slug) or its index.md")
    if path.suffix.lower() in (".yml", ".yaml"):
        raise WorksheetError(f"{path} is a bank: give the folder of a module whose page quizzes on it "
                             "(modules/NN-slug); a worksheet prints a module's quizzes")
    if not path.is_file():
        raise WorksheetError(f"no module at {path}; give a module folder (modules/NN-slug) or its index.md")
    return path


def worksheet_quiz(bank: model.Bank, questions: Sequence[model.Question], *, shuffle: bool,
                   seed: int | str | None, key: str) -> WorksheetQuiz:
    """A quiz as the worksheet prints it: in the site's order (:func:`~sourcebook.selection.arrange`).

    Paper cannot be mixed per student, so a quiz that shuffles without a seed
    keeps the bank's order here; ``key`` (the quiz's saved-progress name)
    seeds the order of ordering items, as on the site.
    """
    return WorksheetQuiz(bank, arrange(questions, shuffle=shuffle, seed=seed, key=key))


def worksheet_title(metadata: dict[str, object], title: str, fallback: str, language: str | None = None) -> str:
    """The heading of a module's worksheet: "Module N: short title"."""
    s = strings_for(language)
    name = str(metadata.get("short_title") or title or fallback)
    number = metadata.get("module")
    return fill(s["ws_module_title"], n=number, title=name) if number is not None else name


def page_quizzes(page: Page) -> list[WorksheetQuiz]:
    """The quizzes of a page, with the questions the site shows for each."""
    quizzes: list[WorksheetQuiz] = []
    for position, call in enumerate(page.quizzes, 1):
        where = f"{page.path}:{call.line}"
        if not call.bank.is_file():
            raise WorksheetError(f"{where}: {call.missing_bank()}")
        loaded = read_bank(call.bank)
        if not loaded.ok:
            errors = "\n".join(f"  {p}" for p in loaded.problems if p.severity == "error")
            raise WorksheetError(f"{where}: the bank {call.argument} has errors; fix them first "
                                 f"(sourcebook check):\n{errors}")
        bank: model.Bank = loaded.value
        spec = call.spec
        try:
            # The directive's default seed: the same draw as the site.
            questions = spec.select(bank.questions, default_seed=page.docname)
        except SelectionError as exc:
            raise WorksheetError(f"{where}: {exc} (bank {call.argument})") from None
        key = spec.key(page.docname, call.bank.stem, position)
        quizzes.append(worksheet_quiz(bank, questions, shuffle=spec.shuffle, seed=spec.seed, key=key))
    return quizzes


def module_worksheet(module: str | Path, *, key: bool = False, language: str | None = None) -> str:
    """The worksheet (or, with ``key``, the answer key) of a module, as a standalone HTML page.

    ``language`` chooses the interface text; by default the book's (its ``_config.yml``), else English.
    """
    path = module_page(module)
    try:
        page = read_page(path)
    except PageError as exc:
        raise WorksheetError(str(exc)) from None
    if not page.quizzes:
        raise WorksheetError(f"{path} has no {{quiz}} directive, so there is nothing to print")
    if language is None:
        language = book_language(page.book_root)
    heading = worksheet_title(page.metadata, page.title, path.parent.name, language)
    return worksheet_html(heading, page_quizzes(page), key=key, language=language)


def book_language(root: Path) -> str | None:
    """The ``language`` a Jupyter Book's ``_config.yml`` (or a Sphinx ``conf.py``) sets, if any."""
    config = root / "_config.yml"
    if config.is_file():
        try:
            data = yaml.safe_load(config.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{config}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(config)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise WorksheetError(f"{where}: the book's _config.yml is not valid YAML ({problem}): fix it there; "
                                 "the book's build stops on it too") from None
        sphinx_config = ((data or {}).get("sphinx") or {}).get("config") or {}
        language = (data or {}).get("language") or sphinx_config.get("language")
        return str(language) if language else None
    return None


# --- writing -----------------------------------------------------------------------

CSS = """
*, *::before, *::after { box-sizing: border-box; }
html { font: 11.5pt/1.45 Georgia, "Times New Roman", serif; color: #000; background: #fff; }
body { margin: 0 auto; max-width: 46rem; padding: 1.5rem; }
@media (max-width: 30rem) { body { padding: .75rem; } }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .6rem; border-bottom: 1px solid #000; }
p { margin: .35rem 0; }
.ws-kind { text-transform: uppercase; letter-spacing: .08em; font-size: .85rem; margin: 0; }
.ws-fields { display: flex; flex-wrap: wrap; gap: .4rem 1.5rem; margin: .8rem 0; }
.ws-fields > span { flex: 1 1 12rem; white-space: nowrap; }
.ws-field { display: inline-block; width: 70%; border-bottom: 1px solid #000; height: 1.1em; }
.ws-instructions { border: 1px solid #000; padding: .4rem .8rem; margin: .8rem 0; }
.ws-instructions ul { margin: .2rem 0; padding-left: 1.2rem; }
.ws-q { break-inside: avoid; page-break-inside: avoid; margin: 0 0 1.1rem; }
.ws-head { font-weight: bold; margin-bottom: .1rem; }
.ws-points { font-weight: normal; font-size: .9rem; }
.ws-prompt > p:first-child { margin-top: 0; }
.ws-how { font-style: italic; font-size: .92rem; }
.ws-choices, .ws-items, .ws-left, .ws-right-list { list-style: none; padding: 0; margin: .3rem 0; }
.ws-choices li, .ws-items li, .ws-left li, .ws-right-list li { margin: .25rem 0; padding-left: 1.9rem;
  text-indent: -1.9rem; }
.ws-box { display: inline-block; width: .95em; height: .95em; border: 1.5px solid #000; margin-right: .5rem;
  vertical-align: -.1em; text-indent: 0; text-align: center; line-height: .85em; font-size: 1em; }
.ws-radio { border-radius: 50%; }
.ws-letter { font-weight: bold; margin-right: .3rem; }
.ws-blank { display: inline-block; min-width: 2.4rem; border-bottom: 1px solid #000; text-align: center;
  text-indent: 0; margin-right: .5rem; }
.ws-answer-line { display: flex; align-items: flex-end; gap: .4rem; margin: .5rem 0; }
.ws-answer-line .ws-write { flex: 1; border-bottom: 1px solid #000; min-height: 1.4em; }
.ws-gap { display: inline-block; min-width: 7rem; border-bottom: 1px solid #000; text-align: center; }
.ws-gap-number { font-size: .75em; vertical-align: super; margin-right: .15rem; }
.ws-lines div { border-bottom: 1px solid #000; height: 1.9em; }
.ws-match-columns { display: flex; flex-wrap: wrap; gap: 0 2rem; }
.ws-match-columns > * { flex: 1 1 14rem; }
.ws-key { border-left: 3px solid #000; padding: .1rem 0 .1rem .7rem; margin: .5rem 0 0; }
.ws-key .ws-label { font-weight: bold; }
.ws-key ol, .ws-key ul { margin: .2rem 0; }
.ws-right-choice { font-weight: bold; }
.ws-filled { font-weight: bold; font-family: "Courier New", monospace; }
.ws-screen { border: 1px dashed #000; padding: .3rem .6rem; font-size: .9rem; }
@page { size: A4; margin: 16mm 15mm; }
@media print {
  body { max-width: none; padding: 0; }
  .ws-screen { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
}
"""

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class SheetWriter:
    """Writes the questions of one worksheet, numbered across all its quizzes.

    A question type writes its answer space with :meth:`w` and the helpers
    below, and what the key adds with :meth:`key_block`; ``key`` says whether
    this is the answer key, ``s`` holds the interface texts.
    """

    def __init__(self, key: bool, strings: Mapping[str, str]):
        self.key = key
        self.s = strings
        self.out: list[str] = []
        self.number = 0
        #: The answer and the explanation of the question being written, shown together under it.
        self.pending: list[str] = []

    def w(self, *parts: str) -> None:
        """Appends markup."""
        self.out.extend(parts)

    @staticmethod
    def letter(index: int) -> str:
        """The letter naming the choice printed at ``index`` (A, B... then numbers)."""
        return _LETTERS[index] if index < len(_LETTERS) else str(index + 1)

    def box(self, radio: bool, ticked: bool) -> str:
        """A box to tick (round with ``radio``); ticked in the key when ``ticked``."""
        shape = "ws-box ws-radio" if radio else "ws-box"
        # The tick is real text, not CSS, so that it prints and can be read back from the PDF.
        return f'<span class="{shape}" aria-hidden="true">{"✓" if ticked and self.key else ""}</span>'

    def line(self, unit: str = "", filled: str = "") -> None:
        """A line to write the answer on, with the unit after it; the key writes ``filled`` on it."""
        unit_html = f'<span class="ws-unit">{escape(unit)}</span>' if unit else ""
        inside = f'<span class="ws-filled">{escape(filled)}</span>' if filled and self.key else ""
        self.w(f'<p class="ws-answer-line"><span>{escape(self.s["ws_answer"])}</span>'
               f'<span class="ws-write">{inside}</span>{unit_html}</p>')

    def key_block(self, *parts: str) -> None:
        """Markup shown under the question in the answer key only."""
        if self.key:
            self.pending.extend(parts)

    def question(self, quiz: WorksheetQuiz, q: model.Question) -> None:
        self.number += 1
        s = self.s
        points = (fill(s["ws_points_one" if q.points == 1 else "ws_points_many"], n=format_number(q.points))
                  if q.GRADED else s["ws_not_marked"])
        how = q.KIND.instruction(q, s)
        self.w(f'<section class="ws-q ws-{q.TYPE}" data-id="{escape(q.id)}">',
               f'<p class="ws-head">{self.number}. <span class="ws-points">({points})</span></p>')
        self.w(f'<div class="ws-prompt">{markdown.render(q.prompt)}</div>')
        self.w(f'<p class="ws-how">{escape(how)}</p>')
        q.KIND.worksheet(self, quiz, q)
        self.explanation(quiz, q)
        if self.pending:
            self.w('<div class="ws-key">', *self.pending, "</div>")
            self.pending = []
        self.w("</section>")

    def explanation(self, quiz: WorksheetQuiz, q: model.Question) -> None:
        parts: list[str] = []
        if q.explanation:
            parts += [f'<p class="ws-label">{escape(self.s["ws_why"])}</p>', markdown.render(q.explanation)]
        labels = [cited.label for cited in quiz.bank.evidence(q)]
        if labels:
            parts.append(f'<p><span class="ws-label">{escape(self.s["ws_evidence"])}</span> '
                         f'{escape(", ".join(labels))}</p>')
        self.key_block(*parts)



@functools.cache
def _favicon() -> str:
    """The course's icon as a data address: a worksheet is one file, printed or opened on its own. Read once
    per process: it is the package's own file."""
    svg = resources.files("sourcebook").joinpath("static", "favicon.svg").read_text(encoding="utf-8")
    return "data:image/svg+xml," + quote(svg.strip(), safe=" /=:'.-")


def worksheet_html(title: str, quizzes: Sequence[WorksheetQuiz], *, key: bool = False,
                   language: str | None = None, back: str | None = None) -> str:
    """A standalone printable page of the quizzes: the student's worksheet, or with ``key`` the answer key.

    ``language`` chooses the interface text, as a book's ``language`` setting does (English by default).
    ``back`` is the address of the module page, linked on screen (not in print) to return to it.
    """
    s = strings_for(language)
    sheet = SheetWriter(key, s)
    kind = s["ws_answer_key" if key else "ws_worksheet"]
    questions = [q for quiz in quizzes for q in quiz.questions]
    total = sum(q.points for quiz in quizzes for q in quiz.questions if q.GRADED)
    lang = language_code(language).replace("_", "-")
    sheet.w("<!DOCTYPE html>", f'<html lang="{lang}"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<link rel="icon" href="{_favicon()}">',
            f"<title>{escape(fill(s['ws_title'], kind=kind, title=title))}</title>",
            f"<style>{CSS}</style></head>",
            f'<body class="ws {"ws-answer-key" if key else "ws-student"}">',
            "<header>")
    if back:
        sheet.w(f'<p class="ws-screen ws-back"><a href="{escape(back)}">{escape(s["ws_back"])}</a></p>')
    sheet.w(f'<p class="ws-kind">{escape(kind)}</p><h1>{escape(title)}</h1>')
    if key:
        sheet.w(f"<p>{escape(s['ws_key_intro'])}</p>")
    else:
        sheet.w(f'<p class="ws-fields"><span>{escape(s["ws_name"])} <span class="ws-field"></span></span>'
                f'<span>{escape(s["ws_date"])} <span class="ws-field"></span></span></p>')
    marks = s["ws_answer_every_open" if any(not q.GRADED for q in questions) else "ws_answer_every"]
    sheet.w(f'<div class="ws-instructions"><p><strong>{escape(s["ws_instructions"])}</strong></p><ul>',
            f"<li>{escape(fill(marks, total=format_number(total)))}</li>",
            *([f"<li>{escape(s['ws_keep_source'])}</li>"] if any(quiz.bank.source_document for quiz in quizzes)
              else []))
    documents = list(dict.fromkeys(d.title for quiz in quizzes for d in quiz.bank.document_sources))
    if documents:  # a printed sheet cannot link: name the documents that questions cite
        sheet.w(f"<li>{escape(fill(s['ws_documents'], documents='; '.join(documents)))}</li>")
    if any(q.KIND.ticks_boxes for q in questions):
        sheet.w(f"<li>{escape(s['ws_boxes'])}</li>")
    sheet.w("</ul></div>", f'<p class="ws-screen">{escape(s["ws_print_note"])}</p>', "</header><main>")
    for quiz in quizzes:
        # A sheet of one quiz is usually named after it: its heading would print the title a second time.
        if len(quizzes) > 1 or quiz.bank.title != title:
            sheet.w(f'<h2>{escape(quiz.bank.title)}</h2>')
        for q in quiz.questions:
            sheet.question(quiz, q)
    sheet.w("</main></body></html>")
    return "\n".join(sheet.out) + "\n"
