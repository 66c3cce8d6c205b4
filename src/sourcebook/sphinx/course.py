"""The course around the modules: module facts, the theme index, the teacher edition, notebook downloads.

A module page declares itself in its front matter (flat keys)::

    ---
    module: 1
    short_title: Meeting the source
    themes: [Sources and evidence, Self-reliance]
    time: 50 minutes
    ---

- ``{module-facts}`` shows the time needed and the themes, each linked to its
  entry on the page that holds ``{theme-index}``.
- ``{theme-index}`` lists every theme of every module's front matter with the
  modules under it. It is filled in when pages are written, from all the
  metadata Sphinx has read, so a new module tagged with a theme appears under
  it with no other edit (the index page is read again whenever a page changes).
- ``{model-answer}`` and ``{instructor-note}`` hold teachers' material. The
  config value ``sourcebook_edition`` (``"student"``, the default, or
  ``"teacher"``; the environment variable ``SOURCEBOOK_EDITION`` sets the
  default, which is how ``make teacher-book`` builds the teacher edition)
  decides: the student edition drops them while reading, so they reach no
  HTML, search index or saved doctree; the teacher edition shows model answers
  in a ``<details>`` toggle and notes in a marked box. A section left empty by
  dropped notes ("For instructors") goes too.
- Every module page of an HTML build gets a notebook made from its MyST source
  (:mod:`sourcebook.notebooks`), written next to the page with copies of the
  banks and sources its quizzes read, and a link "Download this module as a
  Jupyter notebook" under its title.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, ClassVar

import nbformat
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from ..i18n import fill
from ..notebooks import NotebookError, module_notebook, theme_list
from .assets import add_static_path
from .files import env_data, read_bank_once
from .files import interface_strings as _s
from .lite import carry_files

logger = logging.getLogger(__name__)

EDITIONS = ("student", "teacher")


class module_facts_node(nodes.General, nodes.Element):  # type: ignore[misc]  # lower case, as docutils names nodes
    """Where a module's time and themes go, once every page's metadata is known."""


class theme_index_node(nodes.General, nodes.Element):  # type: ignore[misc]
    """Where the list of themes and their modules goes."""


class dropped_node(nodes.General, nodes.Element):  # type: ignore[misc]
    """Marks where teachers' material was left out of the student edition (removed on reading)."""


class model_answer_node(nodes.General, nodes.Element):  # type: ignore[misc]
    """A model answer, shown in a toggle in the teacher edition."""


def edition(config: Config) -> str:
    value = str(config.sourcebook_edition).strip().lower()
    return value if value in EDITIONS else "student"


def check_edition(app: Sphinx, config: Config) -> None:
    if str(config.sourcebook_edition).strip().lower() not in EDITIONS:
        logger.error(f"sourcebook_edition should be one of {', '.join(EDITIONS)}, "
                     f"not {config.sourcebook_edition!r}; building the student edition")
        config.sourcebook_edition = "student"


# --- module metadata ---------------------------------------------------------------


@dataclass(frozen=True)
class Module:
    """What a module page's front matter says about it."""

    docname: str
    number: int | None
    short_title: str
    themes: tuple[str, ...]
    time: str

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (0 if self.number is not None else 1, self.number or 0, self.docname)


def _number(value: Any) -> int | None:
    text = str(value).strip()
    return int(text) if re.fullmatch(r"\d+", text) else None


def modules(env: BuildEnvironment) -> list[Module]:
    """Every page with ``module:`` in its front matter, in module order."""
    found = []
    for docname, meta in env.metadata.items():
        if "module" not in meta or docname not in env.all_docs:
            continue
        found.append(Module(docname=docname, number=_number(meta["module"]),
                            short_title=str(meta.get("short_title", "")).strip(),
                            themes=tuple(theme_list(meta.get("themes"))), time=str(meta.get("time", "")).strip()))
    return sorted(found, key=lambda m: m.sort_key)


def theme_slug(theme: str) -> str:
    """The anchor of a theme on the themes page."""
    return "theme-" + (re.sub(r"[^a-z0-9]+", "-", theme.lower()).strip("-") or "untitled")


def themes(env: BuildEnvironment) -> dict[str, list[Module]]:
    """Theme -> its modules; themes in alphabetical order, spelt as first met."""
    by_key: dict[str, tuple[str, list[Module]]] = {}
    for module in modules(env):
        for theme in module.themes:
            key = theme.casefold()
            by_key.setdefault(key, (theme, []))[1].append(module)
    return {name: mods for _, (name, mods) in sorted(by_key.items())}


# --- directives --------------------------------------------------------------------


class ModuleFactsDirective(SphinxDirective):
    """``{module-facts}``: time needed and themes of this module."""

    def run(self) -> list[nodes.Node]:
        node = module_facts_node()
        self.set_source_info(node)
        return [node]


class ThemeIndexDirective(SphinxDirective):
    """``{theme-index}``: every theme with its modules."""

    def run(self) -> list[nodes.Node]:
        _theme_pages(self.env).add(self.env.docname)
        node = theme_index_node()
        self.set_source_info(node)
        return [node]


class TeacherDirective(SphinxDirective):
    """Shared by ``{model-answer}`` and ``{instructor-note}``: left out of the student edition."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {}

    def teacher_nodes(self) -> list[nodes.Node]:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        if edition(self.config) == "student":
            # Not even parsed: nothing of it may reach the student site.
            return [dropped_node()]
        if not self.content:
            logger.warning(f"the {self.name} at {self.get_location()} is empty", location=self.get_location(),
                           type="sourcebook", subtype="empty")
        return self.teacher_nodes()


class ModelAnswerDirective(TeacherDirective):
    """``{model-answer}``: the answer to a guiding question (teacher edition, in a toggle)."""

    def teacher_nodes(self) -> list[nodes.Node]:
        node = model_answer_node(summary=self.arguments[0] if self.arguments else _s(self.env.app)["model_answer"])
        node["classes"] += ["sb-model-answer"]
        self.set_source_info(node)
        node += self.parse_content_to_nodes()
        return [node]


class InstructorNoteDirective(TeacherDirective):
    """``{instructor-note}``: advice for teachers (teacher edition only)."""

    def teacher_nodes(self) -> list[nodes.Node]:
        strings = _s(self.env.app)
        title = (fill(strings["course_instructor_note_titled"], title=self.arguments[0]) if self.arguments
                 else strings["course_instructor_note"])
        node = nodes.admonition(classes=["sb-instructor-note"])
        node += nodes.title(title, title)
        self.set_source_info(node)
        node += self.parse_content_to_nodes()
        return [node]


def visit_model_answer_html(self: HTML5Translator, node: model_answer_node) -> None:
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="{escape(classes)}"><summary>{escape(node["summary"])}</summary>\n'
                     f'<div class="sb-model-answer-body">\n')


def depart_model_answer_html(self: HTML5Translator, node: model_answer_node) -> None:
    self.body.append("</div></details>\n")


def visit_plain(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    pass


def depart_plain(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    pass


def remove_dropped(app: Sphinx, doctree: nodes.document) -> None:
    # Runs before the table of contents is collected, so a heading left empty
    # ("For instructors") is not listed either.
    for node in list(doctree.findall(dropped_node)):
        parent = node.parent
        node.parent.remove(node)
        while isinstance(parent, nodes.section) and all(isinstance(c, nodes.title | nodes.target)
                                                        for c in parent.children):
            grand = parent.parent
            grand.remove(parent)
            parent = grand


# --- filling in module facts and the theme index -----------------------------------


def _theme_pages(env: BuildEnvironment) -> set[str]:
    return env_data(env, "sourcebook_theme_pages", set)


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _theme_pages(env).discard(docname)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    _theme_pages(env).update(_theme_pages(other) & docnames)


def reread_theme_pages(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                       removed: set[str]) -> list[str]:
    # The theme index shows other pages' front matter: read it again when a page is
    # added, removed or edited. A page that is outdated only because a bank it uses
    # changed keeps its front matter, so editing a bank leaves the themes page alone.
    edited = {docname for docname in changed if _edited_since_read(env, docname)}
    return sorted(_theme_pages(env) - removed) if added or removed or edited else []


def _edited_since_read(env: BuildEnvironment, docname: str) -> bool:
    try:
        # Microseconds, rounded up, as Sphinx itself compares them.
        modified = -(os.stat(env.doc2path(docname)).st_mtime_ns // -1000)
    except OSError:
        return True
    return bool(modified > env.all_docs.get(docname, 0))


def _theme_href(app: Sphinx, fromdoc: str, theme: str) -> str | None:
    pages = sorted(_theme_pages(app.env))
    if not pages:
        return None
    return f"{app.builder.get_relative_uri(fromdoc, pages[0])}#{theme_slug(theme)}"


def _facts(app: Sphinx, docname: str, node: nodes.Element) -> nodes.Node:
    module = next((m for m in modules(app.env) if m.docname == docname), None)
    if module is None:
        logger.warning("{module-facts} is on a page without `module:` in its front matter",
                       location=node, type="sourcebook", subtype="not-a-module")
        return nodes.container()
    facts = nodes.field_list(classes=["sb-module-facts"])
    if module.time:
        facts += nodes.field("", nodes.field_name("", _s(app)["course_time_needed"]),
                             nodes.field_body("", nodes.paragraph(module.time, module.time)))
    if module.themes:
        para = nodes.paragraph()
        for i, theme in enumerate(module.themes):
            if i:
                para += nodes.Text(", ")
            href = _theme_href(app, docname, theme)
            para += (nodes.reference(theme, theme, refuri=href, internal=True) if href else nodes.Text(theme))
        facts += nodes.field("", nodes.field_name("", _s(app)["course_themes"]), nodes.field_body("", para))
    return facts


def _theme_index(app: Sphinx, docname: str) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for theme, members in themes(app.env).items():
        section = nodes.section(ids=[theme_slug(theme)], classes=["sb-theme"])
        section += nodes.title(theme, theme)
        items = nodes.bullet_list(classes=["sb-theme-modules"])
        for module in members:
            title_node = app.env.titles.get(module.docname)
            title = title_node.astext() if title_node is not None else module.short_title or module.docname
            label = fill(_s(app)["course_module_label"], n=module.number) if module.number is not None else ""
            para = nodes.paragraph()
            if label:
                para += nodes.Text(label)
            para += nodes.reference(title, title, refuri=app.builder.get_relative_uri(docname, module.docname),
                                    internal=True)
            if module.time:
                para += nodes.Text(f" ({module.time})")
            items += nodes.list_item("", para)
        section += items
        out.append(section)
    if not out:
        out.append(nodes.paragraph("", _s(app)["course_no_themes"]))
    return out


def fill_course_nodes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(module_facts_node)):
        node.replace_self(_facts(app, docname, node))
    for index in list(doctree.findall(theme_index_node)):
        index.replace_self(_theme_index(app, docname))


# --- notebook downloads -----------------------------------------------------------


def notebook_name(docname: str) -> str:
    """``modules/01-meeting-the-source/index`` -> ``01-meeting-the-source.ipynb``."""
    parts = docname.split("/")
    stem = parts[-2] if parts[-1] == "index" and len(parts) > 1 else parts[-1]
    return f"{stem}.ipynb"


def _copy_into_output(app: Sphinx, path: Path) -> None:
    srcdir = Path(app.srcdir).resolve()
    try:
        relative = path.resolve().relative_to(srcdir)
    except ValueError:
        logger.warning(f"{path} is outside the book, so its notebook cannot find it in the built site",
                       type="sourcebook", subtype="notebook")
        return
    target = Path(app.outdir) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)


def _notebook_link(app: Sphinx, docname: str) -> str:
    """The download link of a module page's notebook, as the page shows it."""
    target_uri = app.builder.get_target_uri(docname)
    name = notebook_name(docname)
    href = posixpath.relpath(posixpath.join(posixpath.dirname(target_uri), name),
                             posixpath.dirname(target_uri) or ".")
    return (f'<p class="sb-notebook-download"><a class="reference download" href="{escape(href)}" '
            f'download="{escape(name)}">{escape(_s(app)["course_download_notebook"])}</a></p>\n')


def link_notebook(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the download link of the module's notebook under the page's title (the notebook is made when the
    page is written: :func:`write_notebook`)."""
    if app.builder.format != "html" or docname not in {m.docname for m in modules(app.env)}:
        return
    link = nodes.raw("", _notebook_link(app, docname), format="html")
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        section.insert(1, link)
    else:
        doctree.insert(0, link)


def write_notebook(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                   doctree: nodes.document | None) -> None:
    """Write a module page's notebook beside it, with the files it carries.

    Done while the page is written, not when its doctree is resolved: with ``-j`` Sphinx resolves every
    page in the main process, one after the other, and writes the pages in several (on the 100-module
    course the notebooks were the largest part of that serial work). A notebook that cannot be made is
    reported, and its link taken out of the page again."""
    if doctree is None or app.builder.format != "html" or pagename not in {m.docname for m in modules(app.env)}:
        return
    page = Path(app.env.doc2path(pagename))
    try:
        notebook, banks = module_notebook(page, app.srcdir, app.config.language)
        notebook = carry_files(app, notebook, banks, page)
    except (NotebookError, ValueError) as exc:
        logger.error(f"the notebook of this module could not be made: {exc}", location=pagename)
        # The in-browser links lite.py puts right after the download link go with it.
        context["body"] = re.sub(re.escape(_notebook_link(app, pagename)) + r'(<p class="sb-notebook-lite">.*?</p>\n)?',
                                 "", context.get("body", ""), count=1, flags=re.DOTALL)
        return
    target_uri = app.builder.get_target_uri(pagename)
    folder = Path(app.outdir) / posixpath.dirname(target_uri)
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(folder / notebook_name(pagename)))  # type: ignore[no-untyped-call]
    for bank in banks:
        _copy_into_output(app, bank)
        loaded = read_bank_once(app, bank)
        if loaded.value is not None:  # the notebook's quiz reads the bank's source and documents too
            for relative in (loaded.value.source, *loaded.value.documents):
                if relative:
                    _copy_into_output(app, bank.parent / relative)


def add_templates(app: Sphinx, config: Config) -> None:
    """Put this folder's templates (layout.html, sb-course-title.html named in _config.yml's html_sidebars,
    sourcebook-sidebar-nav.html) on the templates' path, in a list made anew without repeats.

    pydata-sphinx-theme appends its folder at its set-up to the list Sphinx gives, which is the default list
    shared by every build of a process: each later build in one process had a longer list, a changed
    configuration to Sphinx, which then wrote every page again."""
    config.templates_path = list(dict.fromkeys([*config.templates_path, str(Path(__file__).parent)]))


def add_stylesheet(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    add_static_path(app)
    app.add_css_file("course.css")


def switch_off_thebe(app: Sphinx) -> None:
    """Keep Jupyter Book's sphinx-thebe from adding anything to the pages.

    Jupyter Book always loads sphinx-thebe, which writes the address of thebe
    on unpkg.com into every page, a script that fails in the browser without
    it, and a Binder configuration. The course runs no code on the site (its
    notebooks are downloads), so its handlers are taken off the events and its
    stylesheet off the page.
    """
    for listeners in app.events.listeners.values():
        listeners[:] = [x for x in listeners
                        if not getattr(x.handler, "__module__", "").startswith("sphinx_thebe")]
    app.registry.css_files[:] = [(name, attrs) for name, attrs in app.registry.css_files
                                 if name != "sphinx-thebe.css"]


def setup_course(app: Sphinx) -> None:
    """Register the course directives, the editions and the notebook downloads."""
    app.add_config_value("sourcebook_edition", os.environ.get("SOURCEBOOK_EDITION", "student"), "env", [str])
    app.add_node(module_facts_node)
    app.add_node(theme_index_node)
    app.add_node(dropped_node)
    plain = (visit_plain, depart_plain)
    app.add_node(model_answer_node, html=(visit_model_answer_html, depart_model_answer_html),
                 latex=plain, text=plain, man=plain, texinfo=plain)
    app.add_directive("module-facts", ModuleFactsDirective)
    app.add_directive("theme-index", ThemeIndexDirective)
    app.add_directive("model-answer", ModelAnswerDirective)
    app.add_directive("instructor-note", InstructorNoteDirective)
    app.connect("config-inited", check_edition)
    app.connect("config-inited", add_templates, priority=999)  # after the themes add theirs
    app.connect("builder-inited", add_stylesheet)
    app.connect("doctree-read", remove_dropped, priority=400)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-get-outdated", reread_theme_pages)
    app.connect("doctree-resolved", fill_course_nodes)
    app.connect("doctree-resolved", link_notebook)
    # Before the handlers that read the page's body (theme.py, quiz.py), which must see it without the link of
    # a notebook that could not be made.
    app.connect("html-page-context", write_notebook, priority=100)
    switch_off_thebe(app)
