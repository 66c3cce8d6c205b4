"""The ``{quiz}`` and ``{quiz-progress}`` directives of the course site.

In a MyST page::

    ```{quiz} questions/nie-rongzhen-1960.yml
    :skills: sourcing, close reading
    :count: 5
    :shuffle:
    ```

The bank path is taken from the book's root (the Sphinx source folder) when it
starts with ``/``; otherwise it is relative to the page, and when no such file
is next to the page, relative to the book's root. Options mirror the notebook
``quiz(...)`` and are read by the one converter of
:class:`~sourcebook.selection.QuizSpec`: ``:ids:`` and ``:skills:``
(comma-separated), ``:count:``, ``:shuffle:`` (mix questions and choices),
``:seed:`` (the same mix for everyone, decided at build time so that the
worksheet prints it too; without a seed each student's browser mixes) and
``:name:`` (the key of the quiz's saved progress; by default the page, the
bank and the quiz's position on the page).

Reading a page reads and checks the bank (once per build for all its quizzes,
see :func:`~sourcebook.sphinx.files.read_bank_once`), reports its problems at
the bank's ``path:line:col`` (naming the page and line of the directive),
selects the questions and records the quiz for the progress page. The HTML is
written with the page (by the HTML translator), because only then are the links from
evidence to the page that shows the source known. ``{quiz-progress}`` lists every quiz of the
book with the score saved in the student's browser.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any, ClassVar
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import html as quiz_html_module
from ..i18n import fill, language_note, strings_for
from ..model import Bank, Question, Source
from ..pages import quiz_body_problem
from ..problems import nearby_file
from ..quiz_assets import LOADING_SCRIPT, on_demand_scripts, quiz_scripts, quiz_stylesheets
from ..selection import QUIZ_OPTIONS, QuizSpec, SelectionError
from .assets import add_static_path, served_version, write_bundle
from .files import argument_path, env_data, forget_banks, log_problems, read_bank_once

logger = logging.getLogger(__name__)

#: Markers in a page's HTML that say it needs the quiz assets; notebook outputs
#: carrying quiz_html() have them too.
PAGE_MARKERS = ("data-sourcebook-quiz", "data-sourcebook-progress")


class quiz_node(nodes.General, nodes.Element):  # type: ignore[misc]  # lower case, as docutils names nodes
    """A quiz to write: the bank's path, the chosen question ids, ``shuffle``, ``seed``, ``key`` and ``searched``
    (the quiz's title and questions: what the site's search finds of it).

    In HTML builds the node stays in the doctree until the page is written, and the HTML translator writes the
    quiz (:func:`visit_quiz_node`): with ``-j`` Sphinx resolves every page in the main process, one after the
    other, and writes them in several, so the quiz's HTML (and the bank's reading it needs) is made in
    parallel. When the page is resolved its text children become ``searched``, never written into the page:
    the quiz's HTML holds every choice, feedback, hint and explanation, and indexed as a raw node, Sphinx's
    search would stem all of it (on a course of 100 modules, a quarter of the build went to that) and a search
    would list the answers' words beside the pages. (The search index is made in the main process before the
    page is written, so these children are all it sees.)"""


def visit_quiz_node(translator: Any, node: quiz_node) -> None:
    builder = translator.builder
    html = _quiz_markup(builder.app, node, builder.current_docname)
    if html is None:
        # What the empty paragraph that stands in for a quiz that cannot be shown is written as, in its place.
        stand_in = nodes.paragraph()
        stand_in.parent = node.parent
        stand_in.walkabout(translator)
    else:
        translator.body.append(html)
    raise nodes.SkipNode


def skip_quiz_node(translator: Any, node: quiz_node) -> None:
    raise nodes.SkipNode


class quiz_progress_node(nodes.General, nodes.Element):  # type: ignore[misc]
    """Where the list of every quiz of the book goes."""


class QuizDirective(SphinxDirective):
    """``{quiz} <bank.yml>``: a quiz from a question bank."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = QUIZ_OPTIONS
    has_content = True  # none is taken: text in it is said to be there (a closing fence left out)

    def run(self) -> list[nodes.Node]:
        path = argument_path(self)
        where = f"the quiz at {self.get_location()}"
        if self.content:
            logger.error(f"{where}: {quiz_body_problem(list(self.content))}",
                         location=self.get_location())
        self.env.note_dependency(str(path))
        if not path.exists():
            logger.error(f"{where}: no question bank at {path}{nearby_file(path)}", location=self.get_location())
            return []
        loaded = read_bank_once(self.env.app, path)
        log_problems(loaded.problems, where)
        bank: Bank | None = loaded.value
        if bank is None:
            return []
        for document in (bank.source_document, *bank.document_sources):
            if document is not None:
                self.env.note_dependency(document.path)

        spec = QuizSpec.from_converted(self.arguments[0], self.options)
        try:
            # A draw of `count` without a seed still comes out the same in every build of this page.
            questions = spec.select(bank.questions, default_seed=self.env.docname)
        except SelectionError as exc:
            logger.error(f"{where}: {exc} (bank {path})", location=self.get_location())
            return []

        position = self.env.temp_data.get("sourcebook_quiz_position", 0) + 1
        self.env.temp_data["sourcebook_quiz_position"] = position
        key = spec.key(self.env.docname, path.stem, position)
        node = quiz_node(bank=str(path), ids=[q.id for q in questions], shuffle=spec.shuffle, seed=spec.seed,
                         key=key, searched=[bank.title, *(q.prompt for q in questions)])
        self.set_source_info(node)
        _quizzes(self.env).setdefault(self.env.docname, []).append({
            "key": key,
            "title": bank.title,
            "bank": str(path),
            "docname": self.env.docname,
            "anchor": quiz_html_module.quiz_anchor(key),
            "fingerprint": quiz_html_module.fingerprint(questions),
            "questions": sum(1 for q in questions if q.GRADED),
            "max_points": sum(q.points for q in questions if q.GRADED),
        })
        return [node]


class QuizProgressDirective(SphinxDirective):
    """``{quiz-progress}``: every quiz of the book, with the student's saved score."""

    def run(self) -> list[nodes.Node]:
        _progress_pages(self.env).add(self.env.docname)
        node = quiz_progress_node()
        self.set_source_info(node)
        return [node]


# --- what the environment keeps --------------------------------------------------


def _quizzes(env: BuildEnvironment) -> dict[str, list[dict[str, Any]]]:
    return env_data(env, "sourcebook_quizzes", dict)


def _progress_pages(env: BuildEnvironment) -> set[str]:
    return env_data(env, "sourcebook_progress_pages", set)


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _quizzes(env).pop(docname, None)
    _progress_pages(env).discard(docname)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    for docname, quizzes in _quizzes(other).items():
        if docname in docnames:
            _quizzes(env)[docname] = quizzes
    _progress_pages(env).update(_progress_pages(other) & docnames)


def reread_progress_pages(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                          removed: set[str]) -> list[str]:
    # The progress page lists quizzes of other pages; reading it again is cheap
    # and keeps it current when a quiz is added, changed or removed elsewhere.
    return sorted(_progress_pages(env) - removed) if added or changed or removed else []


def check_names(app: Sphinx, env: BuildEnvironment) -> None:
    seen: dict[str, str] = {}
    for docname in sorted(_quizzes(env)):
        for quiz in _quizzes(env)[docname]:
            if quiz["key"] in seen:
                logger.warning(f"the quiz name {quiz['key']!r} is used on {seen[quiz['key']]} too: "
                               "both quizzes would share saved progress; give each its own :name:",
                               location=docname, type="sourcebook", subtype="duplicate-name")
            else:
                seen[quiz["key"]] = docname


def _book_order(env: BuildEnvironment) -> list[str]:
    """Documents in the order of the table of contents, then any others."""
    order: list[str] = []

    def visit(docname: str) -> None:
        if docname in order:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(env.config.root_doc)
    return order + sorted(set(env.all_docs) - set(order))


# --- writing ---------------------------------------------------------------------


def evidence_href(app: Sphinx, fromdocname: str) -> quiz_html_module.EvidenceHref:
    """Links evidence anchors to the page whose ``{source-text}`` shows the source.

    The sources directive records ``env.sourcebook_source_pages``: resolved
    source file path -> docname. No page for a source gives None, and the quiz
    quotes the paragraph instead.
    """
    pages: dict[str, str] = getattr(app.env, "sourcebook_source_pages", {})
    #: Each source's page, by the source's path as the bank gives it: a page's quiz links to the same one or
    #: two sources over and over, and resolving a path asks the file system (0.1 ms each time).
    source_uris: dict[str, str | None] = {}

    def href(source: Source, anchor: str) -> str | None:
        if source.path not in source_uris:
            docname = pages.get(str(Path(source.path).resolve()))
            source_uris[source.path] = None if docname is None else app.builder.get_relative_uri(fromdocname, docname)
        uri = source_uris[source.path]
        return None if uri is None else f"{uri}#{anchor}"

    return href


def _strings(app: Sphinx) -> dict[str, str]:
    return strings_for(app.config.language)


def say_which_language(app: Sphinx) -> None:
    """Warn once per build when the book's ``language`` has no interface texts of its own (``zh_TW`` gets
    the Simplified Chinese of ``zh_CN``; ``fr`` gets English): the quizzes would show them without a word."""
    note = language_note(app.config.language)
    if note is not None:
        logger.warning(f"language: {note}", type="sourcebook", subtype="language")


def node_questions(app: Sphinx, node: quiz_node) -> tuple[Bank, list[Question]] | None:
    """The bank of a quiz node and the questions the directive chose, from this build's reading of the bank.

    None, with an error logged at the quiz, when the bank no longer reads or
    no longer has a chosen question (it changed between reading and writing);
    the error is logged once per quiz, though the worksheet and the page both ask.
    """
    if node.get("unreadable"):
        return None
    loaded = read_bank_once(app, node["bank"])
    bank: Bank | None = loaded.value
    if bank is None:
        errors = "; ".join(str(p) for p in loaded.problems if p.severity == "error")
        logger.error(f"the quiz's bank {node['bank']} no longer reads: {errors}", location=node)
        node["unreadable"] = True
        return None
    by_id = {q.id: q for q in bank.questions}
    missing = [i for i in node["ids"] if i not in by_id]
    if missing:
        logger.error(f"the quiz's bank {node['bank']} no longer has the questions {', '.join(missing)}",
                     location=node)
        node["unreadable"] = True
        return None
    return bank, [by_id[i] for i in node["ids"]]


def _quiz_markup(app: Sphinx, node: quiz_node, docname: str) -> str | None:
    """The HTML of a quiz node, with what a hand-in needs; None when its bank no longer reads (logged)."""
    found = node_questions(app, node)
    if found is None:
        return None
    bank, questions = found
    html = quiz_html_module.quiz_html(bank, questions, shuffle=node["shuffle"], seed=node["seed"],
                                      key=node["key"], strings=_strings(app),
                                      evidence_href=evidence_href(app, docname),
                                      show_title=_heading(node) != bank.title)
    return html + _handin_meta(app, node["bank"], questions)


def _heading(node: nodes.Node) -> str | None:
    """The heading of the section a node is in: a quiz under a heading of its own title (a page named after its
    bank) does not say the title again, on screen, in print or to a screen reader."""
    section = node.parent
    while section is not None and not isinstance(section, nodes.section):
        section = section.parent
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return None
    return str(section[0].astext())


def _course(app: Any) -> str:
    """The course's title: the book's title (Jupyter Book's `title`), else the Sphinx project."""
    title = str(getattr(app.config, "html_title", "") or "")
    return str(app.config.project or "") if not title or title.endswith(" documentation") else title


def _handin_meta(app: Any, bank_path: str, questions: list[Question]) -> str:
    """What a hand-in file needs of a quiz beyond its saved progress, beside the quiz (quiz.js saves it along)."""
    from ..results import handin_meta_html

    path = Path(bank_path).resolve()
    try:
        bank = path.relative_to(Path(app.srcdir).resolve()).as_posix()
    except ValueError:
        bank = path.name
    return handin_meta_html(bank, _course(app), questions)



def _render_progress(app: Sphinx, docname: str) -> nodes.Node:
    strings = _strings(app)
    quizzes = _quizzes(app.env)
    rows: list[dict[str, Any]] = []
    home: dict[str, str] = {}  # bank -> the first page that quizzes on it
    for page in _book_order(app.env):
        for quiz in quizzes.get(page, []):
            title = app.env.titles.get(page)
            # A bank's quizzes on its first page are its module's; one on a later page reviews it, and is
            # named so (else the synthesis page's reviews read as the modules' own quizzes).
            first = home.setdefault(quiz.get("bank", ""), page)
            name = quiz["title"] if first == page else fill(strings["progress_review"], title=quiz["title"])
            rows.append({**quiz, "title": name, "page": title.astext() if title is not None else page,
                         "href": f"{app.builder.get_relative_uri(docname, page)}#{quiz['anchor']}"})
    data = {"quizzes": [{k: r[k] for k in ("key", "title", "page", "fingerprint", "questions", "max_points")}
                        for r in rows], "strings": strings, "course": _course(app)}
    head = "".join(f"<th scope=\"col\">{escape(strings[k])}</th>"
                   for k in ("progress_quiz", "progress_score", "progress_answered"))
    body = "".join(
        f'<tr data-key="{escape(r["key"])}"><td><a href="{escape(r["href"])}">{escape(r["title"])}</a>'
        f' <span class="sb-page">({escape(r["page"])})</span></td>'
        f'<td class="sb-score">{escape(strings["not_started"])}</td>'
        f'<td class="sb-answered">0 / {r["questions"]}</td></tr>'
        for r in rows)
    payload = quiz_html_module.script_json(data)
    html = (f'<div class="sb-progress" data-sourcebook-progress="">'
            f'<script type="application/json" class="sb-data">{payload}</script>'
            f'<p class="sb-notice" role="status" hidden></p>'
            f'<table class="sb-progress-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
            f'<p class="sb-help">{escape(strings["download_help"])}</p><p class="sb-actions"></p></div>')
    return nodes.raw("", html, format="html")


def resolve_quizzes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """An HTML page keeps its quiz nodes for the translator, with their search text; other builders get the
    quiz's HTML as a raw node (which they leave out)."""
    for node in list(doctree.findall(quiz_node)):
        if app.builder.format == "html":
            node.extend(nodes.Text(text + "\n") for text in node["searched"])
        else:
            html = _quiz_markup(app, node, docname)
            node.replace_self(nodes.paragraph() if html is None else nodes.raw("", html, format="html"))
    for progress in list(doctree.findall(quiz_progress_node)):
        progress.replace_self(_render_progress(app, docname))


# --- assets ----------------------------------------------------------------------


def add_assets_to_quiz_pages(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                             doctree: nodes.document | None) -> None:
    # Only pages that show a quiz (from the directive or a notebook output) or
    # the progress list load the quiz's JavaScript and CSS: one script, holding
    # the scripts of the question types the page shows and no others.
    body = context.get("body", "")
    if any(marker in body for marker in PAGE_MARKERS):
        name, attributes = _page_script(app, quiz_scripts(body))
        app.add_js_file(None, body=LOADING_SCRIPT)
        app.add_js_file(name, **attributes)
        for stylesheet in quiz_stylesheets():
            app.add_css_file(stylesheet)


#: Per build, the script of the pages that load ``scripts``: its name and attributes (:func:`_page_script`).
_page_scripts: WeakKeyDictionary[Any, dict[tuple[str, ...], tuple[str, dict[str, Any]]]] = WeakKeyDictionary()


def _page_script(app: Sphinx, scripts: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    """The name and attributes of the one script of the pages that load ``scripts``, written into the built site
    at the first such page of the build (most pages share a few sets of question types)."""
    made = _page_scripts.setdefault(app.builder, {})
    if scripts not in made:
        # Written while the page is, into the built site (Sphinx has copied the static folder already).
        name = write_bundle(Path(app.outdir) / "_static", scripts)
        # quiz.js adds the scripts it loads on demand itself: it is given their versioned addresses
        # (relative to its own), so that a changed file is fetched again, not taken from a cache.
        later = " ".join(f"{script}?v={served_version(script)}" for script in on_demand_scripts()
                         if script not in scripts)
        # Async, not deferred: it sets each question up as the parser delivers it (quiz.js's start).
        made[scripts] = (name, {"async": "async", **({"data-on-demand": later} if later else {})})
    return made[scripts]


def setup_quiz(app: Sphinx) -> None:
    """Register the directives, the environment bookkeeping and the assets."""
    app.add_node(quiz_progress_node)
    app.add_node(quiz_node, html=(visit_quiz_node, None), latex=(skip_quiz_node, None),
                 text=(skip_quiz_node, None), man=(skip_quiz_node, None), texinfo=(skip_quiz_node, None))
    app.add_directive("quiz", QuizDirective)
    app.add_directive("quiz-progress", QuizProgressDirective)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-get-outdated", reread_progress_pages)
    app.connect("env-check-consistency", check_names)
    app.connect("doctree-resolved", resolve_quizzes)
    app.connect("builder-inited", add_static_path)
    app.connect("builder-inited", forget_banks)
    app.connect("builder-inited", say_which_language)
    app.connect("html-page-context", add_assets_to_quiz_pages)
