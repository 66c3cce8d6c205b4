"""The book theme's navigation sidebar of each page, kept between builds.

sphinx-book-theme draws every page's sidebar (``sbt-sidebar-nav.html``) from the whole table of contents:
Sphinx resolves the book's toctree for the page and renders it, and pydata-sphinx-theme parses the result
again to mark it up. On a course of 100 modules that took 57 ms a page, a third of a rebuild after one bank
was edited (0.34 s of its 2.0 s), although the table of contents had not changed.

The sidebar a page gets depends only on the page's name, the table of contents (every document's headings
and toctrees, their titles and numbers, the root document's toctrees), the theme's options, the builder
and the configuration. All of that goes into a fingerprint, and the sidebar each written page got is kept
under it, in ``sourcebook-sidebars`` in the folder of the saved documents. A later build that writes the
page with the same fingerprint takes the kept sidebar; a change to any of it (a title, a page added, an
option) gives another fingerprint, the sidebars are made afresh and the old ones are removed. A sidebar
whose making logged a warning is not kept, so the warning comes again in the next build that writes the
page.

The template ``sourcebook-sidebar-nav.html`` of this folder takes the theme's place among each page's
sidebars and renders the theme's through :func:`kept_sidebar`. A book whose ``sbt-sidebar-nav.html`` is
its own, not the theme's, is left as it is: its sidebar may be made from more than the above.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import shutil
import weakref
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from docutils import nodes
from markupsafe import Markup
from sphinx.addnodes import toctree as toctree_node
from sphinx.application import Sphinx

#: The folder, in the folder of the saved documents, that holds one folder of sidebars per fingerprint.
FOLDER = "sourcebook-sidebars"
#: Distributions whose code makes the sidebar: a new release of any makes the sidebars afresh.
MAKERS = ("sphinx", "docutils", "pydata-sphinx-theme", "sphinx-book-theme", "beautifulsoup4", "sourcebook")


def node_lines(node: nodes.Node) -> Iterable[str]:
    """A line for each node of ``node``'s tree, in document order: an element's name, attributes and number of
    children, a text's text. Equal trees give equal lines whichever process built or loaded them."""
    for each in node.findall():
        if isinstance(each, nodes.Element):
            yield f"<{each.tagname} {sorted(each.attributes.items())!r} {len(each.children)}"
        else:
            yield "#" + each.astext()


def contents_fingerprint(app: Sphinx) -> str:
    """The fingerprint of everything a page's sidebar is made from, except the page's name and the theme's
    options (:func:`kept_sidebar` adds them)."""
    env, builder, config = app.env, app.builder, app.config
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(str(part).encode("utf-8", "surrogatepass") + b"\0")

    for name in MAKERS:
        try:
            add(name, metadata.version(name))
        except metadata.PackageNotFoundError:
            add(name, "")
    build_info = getattr(builder, "build_info", None)
    add(builder.name, getattr(builder, "out_suffix", ""), getattr(builder, "link_suffix", ""),
        getattr(build_info, "config_hash", ""), getattr(build_info, "tags_hash", ""), sorted(builder.tags),
        config.language, config.root_doc, list(config.include_patterns), list(config.exclude_patterns))
    add(sorted(env.found_docs), sorted(env.glob_toctrees), sorted(env.numbered_toctrees))
    add(sorted(env.toctree_includes.items()))
    for docname in sorted(env.all_docs):
        add("doc", docname, env.metadata.get(docname, {}).get("tocdepth", 0),
            sorted(env.toc_secnumbers.get(docname, {}).items()))
        for tree in (env.tocs.get(docname), env.titles.get(docname)):
            if tree is not None:
                digest.update("\n".join(node_lines(tree)).encode("utf-8", "surrogatepass"))
            add("end")
    for toctree in env.master_doctree.findall(toctree_node):
        add("root toctree", *node_lines(toctree))
    return digest.hexdigest()


#: Each build's fingerprint, made in each process at its first page (the table of contents is whole by then).
_fingerprints: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def _fingerprint_of_build(app: Sphinx) -> str:
    if app.builder not in _fingerprints:
        _fingerprints[app.builder] = contents_fingerprint(app)
    return _fingerprints[app.builder]


def theme_options(context: dict[str, Any]) -> str:
    """The theme's options that are single values, and the root document's name and title, as the page's
    context gives them.

    An option that is a list or a table is left out: it comes from the configuration, whose fingerprint
    Sphinx makes (:func:`contents_fingerprint` takes it), or from the theme's release; and pydata-sphinx-theme
    changes some of them in place while it writes pages (its logo's table), so that they depend on the
    pages written before."""
    return repr(sorted((key, value) for key, value in context.items()
                       if (key.startswith("theme_") or key in ("root_doc", "root_title"))
                       and (value is None or isinstance(value, (str, int, float)))))


class _Warned(logging.Handler):
    """Notes whether a warning was logged while it was attached."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.warned = False

    def emit(self, record: logging.LogRecord) -> None:
        self.warned = True


def _write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as the extension's other files that parallel writing processes share are
    written (``assets.write_bundle``, ``stylesheets.note_joined``): whole, then renamed into place."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def kept_sidebar(app: Sphinx, pagename: str, options: str, template: str, caller: Callable[[], str]) -> str:
    """The sidebar ``caller`` renders for ``pagename`` with the theme's ``options``, taken from the kept ones
    when its fingerprint is there; otherwise rendered, and kept unless a warning was logged meanwhile (or the
    folder cannot be written)."""
    folder = Path(app.doctreedir) / FOLDER / _fingerprint_of_build(app)
    key = hashlib.sha256("\0".join((template, pagename, options)).encode("utf-8", "surrogatepass")).hexdigest()
    kept = folder / f"{key}.html"
    try:
        return Markup(kept.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):  # none kept, or one that cannot be read: made again
        pass
    warned = _Warned()
    logger = logging.getLogger("sphinx")
    logger.addHandler(warned)
    try:
        html = caller()
    finally:
        logger.removeHandler(warned)
    if not warned.warned:
        try:
            if not folder.is_dir():
                _start_folder(folder)
            _write_whole(kept, str(html))
        except OSError as error:  # a full disk or a folder that cannot be written: the page is written all the same
            logger.debug("sourcebook: the sidebar of %s is not kept: %s", pagename, error)
    return Markup(html)


def _start_folder(folder: Path) -> None:
    """Make the folder of this build's fingerprint, and remove those of other fingerprints: their sidebars
    are of a table of contents that is no longer the book's."""
    folder.mkdir(parents=True, exist_ok=True)
    for other in folder.parent.iterdir():
        if other != folder:
            shutil.rmtree(other, ignore_errors=True)


#: The theme's template, and the template that takes its place to keep what it renders.
THEMES_TEMPLATE = "sbt-sidebar-nav.html"
KEEPING_TEMPLATE = "sourcebook-sidebar-nav.html"
#: Whether each build's ``sbt-sidebar-nav.html`` is the theme's own (a book may override it).
_themes_own: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()


def _is_themes_own(app: Sphinx) -> bool:
    """Whether the template ``sbt-sidebar-nav.html`` is sphinx-book-theme's own: a book's own may be made
    from more than this module knows of."""
    if app.builder not in _themes_own:
        try:
            import sphinx_book_theme

            templates = app.builder.templates  # type: ignore[attr-defined]
            _, filename, _ = templates.get_source(templates.environment, THEMES_TEMPLATE)
            _themes_own[app.builder] = Path(filename).resolve().is_relative_to(
                Path(sphinx_book_theme.__file__).resolve().parent)
        except Exception:  # no such theme or template, or a loader of another kind: nothing is kept
            _themes_own[app.builder] = False
    return _themes_own[app.builder]


def keep_the_sidebar(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                     doctree: nodes.document | None) -> None:
    """Put :data:`KEEPING_TEMPLATE` in the place of the theme's sidebar among the page's sidebars, and give
    it :func:`kept_sidebar`."""
    sidebars = context.get("sidebars")
    if app.builder.format != "html" or not isinstance(sidebars, list) or THEMES_TEMPLATE not in sidebars:
        return
    if _is_themes_own(app):
        context["sidebars"] = [KEEPING_TEMPLATE if name == THEMES_TEMPLATE else name for name in sidebars]
        context["sourcebook_kept_sidebar"] = functools.partial(kept_sidebar, app, pagename, theme_options(context))


def setup_sidebars(app: Sphinx) -> None:
    """Keep each page's sidebar (before pydata-sphinx-theme's own handler, at the default priority, renders
    the page's sidebars a first time to leave out those that are empty)."""
    app.connect("html-page-context", keep_the_sidebar, priority=499)
