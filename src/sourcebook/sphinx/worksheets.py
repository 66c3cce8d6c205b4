"""Printable worksheets on the course site: one click from each module page.

For every module page (a page whose front matter has ``module:``) that shows
quizzes, the HTML build writes the page's worksheet next to it
(``worksheet.html`` beside ``index.html``) and puts a "Print worksheet" link
just above the first quiz. The teacher edition (``sourcebook_edition =
"teacher"``) also writes ``answer-key.html`` and links it; the student
edition writes no key at all, so no answer can be reached from its site.

The worksheet holds exactly the questions the page's quizzes show: they are
read from the ``{quiz}`` nodes before ``quiz.py`` turns them into HTML (this
handler runs first), and printed by :mod:`sourcebook.worksheet`, the same
code as ``sourcebook worksheet``.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..worksheet import WorksheetQuiz, worksheet_html, worksheet_quiz, worksheet_title
from .files import interface_strings
from .quiz import node_questions, quiz_node

logger = logging.getLogger(__name__)



def teacher_edition(app: Sphinx) -> bool:
    """Whether this build is the teacher edition (the value is registered by ``course.py``)."""
    return str(getattr(app.config, "sourcebook_edition", "student")).strip().lower() == "teacher"


def output_names(docname: str) -> tuple[str, str]:
    """The worksheet's and the key's file names, beside the page: ``worksheet.html`` for an index page."""
    stem = posixpath.basename(docname)
    prefix = "" if stem == "index" else f"{stem}-"
    return f"{prefix}worksheet.html", f"{prefix}answer-key.html"


def _quizzes(app: Sphinx, doctree: nodes.document) -> list[WorksheetQuiz] | None:
    """The page's quizzes as printed; None when one of them cannot be (the error is logged at the quiz)."""
    quizzes: list[WorksheetQuiz] = []
    for node in doctree.findall(quiz_node):
        found = node_questions(app, node)
        if found is None:
            return None
        bank, questions = found
        quizzes.append(worksheet_quiz(bank, questions, shuffle=node["shuffle"], seed=node["seed"], key=node["key"]))
    return quizzes


def write_worksheets(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    metadata = app.env.metadata.get(docname, {})
    if metadata.get("module") is None:
        return
    first = next(iter(doctree.findall(quiz_node)), None)
    quizzes = _quizzes(app, doctree) if first is not None else None
    if first is None or not quizzes:
        return
    title_node = app.env.titles.get(docname)
    language = app.config.language
    title = worksheet_title(metadata, title_node.astext() if title_node is not None else "", docname, language)
    folder = Path(app.outdir) / posixpath.dirname(app.builder.get_target_uri(docname))
    folder.mkdir(parents=True, exist_ok=True)
    sheet_name, key_name = output_names(docname)
    strings = interface_strings(app)
    links = [(sheet_name, strings["course_print_worksheet"], False)]
    back = posixpath.basename(app.builder.get_target_uri(docname))  # the module page, in the same folder
    (folder / sheet_name).write_text(worksheet_html(title, quizzes, language=language, back=back), encoding="utf-8")
    if teacher_edition(app):
        (folder / key_name).write_text(worksheet_html(title, quizzes, key=True, language=language, back=back),
                                       encoding="utf-8")
        links.append((key_name, strings["course_print_key"], True))
    paragraph = nodes.paragraph(classes=["sb-worksheet-links"])
    for i, (name, text, is_key) in enumerate(links):
        if i:
            paragraph += nodes.Text(" · ")
        classes = ["sb-worksheet-link"] + (["sb-answer-key-link"] if is_key else [])
        paragraph += nodes.reference("", text, refuri=name, classes=classes)
    first.parent.insert(first.parent.index(first), paragraph)


def setup_worksheets(app: Sphinx) -> None:
    """Write each module's worksheet (and, in the teacher edition, its key) and link it from the page."""
    # Before quiz.py (priority 500) replaces the quiz nodes with their HTML.
    app.connect("doctree-resolved", write_worksheets, priority=400)
