"""Printable worksheets on the course site: one click from each module page.

For every module page (a page whose front matter has ``module:``) that shows
quizzes, the HTML build writes the page's worksheet next to it
(``worksheet.html`` beside ``index.html``) and puts a "Print worksheet" link
just above the first quiz. The teacher edition (``sourcebook_edition =
"teacher"``) also writes ``answer-key.html`` and links it; the student
edition writes no key at all, so no answer can be reached from its site.

The worksheet holds exactly the questions the page's quizzes show: they are
read from the page's ``{quiz}`` nodes when the page is written, and printed by
:mod:`sourcebook.worksheet`, the same code as ``sourcebook worksheet``.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

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


def _module_with_quizzes(app: Sphinx, doctree: nodes.document, docname: str) -> bool:
    """Whether the page gets a worksheet: a module page with quizzes, in an HTML build."""
    return (app.builder.format == "html" and app.env.metadata.get(docname, {}).get("module") is not None
            and next(iter(doctree.findall(quiz_node)), None) is not None)


def link_worksheets(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the worksheet's link (and in the teacher edition the key's) just above the page's first quiz."""
    if not _module_with_quizzes(app, doctree, docname):
        return
    sheet_name, key_name = output_names(docname)
    strings = interface_strings(app)
    links = [(sheet_name, strings["course_print_worksheet"], False)]
    if teacher_edition(app):
        links.append((key_name, strings["course_print_key"], True))
    paragraph = nodes.paragraph(classes=[LINKS_CLASS])
    for i, (name, text, is_key) in enumerate(links):
        if i:
            paragraph += nodes.Text(" · ")
        classes = ["sb-worksheet-link"] + (["sb-answer-key-link"] if is_key else [])
        paragraph += nodes.reference("", text, refuri=name, classes=classes)
    first = next(iter(doctree.findall(quiz_node)))
    first.parent.insert(first.parent.index(first), paragraph)


#: The class of the paragraph of links; the one paragraph of the page that has it.
LINKS_CLASS = "sb-worksheet-links"
_LINKS = re.compile(f'<p class="{LINKS_CLASS}">.*?</p>\n?', re.DOTALL)


def write_worksheets(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                     doctree: nodes.document | None) -> None:
    """Write the worksheet (and the key) of a page that has its links, beside the page.

    Done while the page is written, as the quizzes are (see :class:`~sourcebook.sphinx.quiz.quiz_node`), with
    the doctree the page was written from. When one of its quizzes cannot be printed (the error is logged
    at the quiz), no worksheet is written and the links are taken out of the page."""
    if doctree is None or not _module_with_quizzes(app, doctree, pagename):
        return
    quizzes = _quizzes(app, doctree)
    if not quizzes:
        context["body"] = _LINKS.sub("", context.get("body", ""), count=1)
        return
    metadata = app.env.metadata.get(pagename, {})
    title_node = app.env.titles.get(pagename)
    language = app.config.language
    title = worksheet_title(metadata, title_node.astext() if title_node is not None else "", pagename, language)
    folder = Path(app.outdir) / posixpath.dirname(app.builder.get_target_uri(pagename))
    folder.mkdir(parents=True, exist_ok=True)
    sheet_name, key_name = output_names(pagename)
    back = posixpath.basename(app.builder.get_target_uri(pagename))  # the module page, in the same folder
    (folder / sheet_name).write_text(worksheet_html(title, quizzes, language=language, back=back), encoding="utf-8")
    if teacher_edition(app):
        (folder / key_name).write_text(worksheet_html(title, quizzes, key=True, language=language, back=back),
                                       encoding="utf-8")


def setup_worksheets(app: Sphinx) -> None:
    """Write each module's worksheet (and, in the teacher edition, its key) and link it from the page."""
    app.connect("doctree-resolved", link_worksheets, priority=400)
    # Before the handlers that read the page's body (theme.py, quiz.py), which must see it without the links
    # of a worksheet that could not be made.
    app.connect("html-page-context", write_worksheets, priority=100)
