"""The course site's theme, made light and exact: icons without Font Awesome, one title, a favicon.

sphinx-book-theme (on pydata-sphinx-theme) is kept as it is except for what a
student on a slow school link or a screen reader would notice:

* Font Awesome's 1.5 MB script is neither loaded nor shipped: the template
  override ``static/webpack-macros.html`` leaves it out, ``icons.css`` draws
  the dozen icons the theme's buttons use, and the file is removed from the
  built site.
* The home page's title is not doubled ("Course — Course") in the window
  title when the page's own title is the book's.
* Bootstrap's script (81 kB, a long task on a phone's first second) is
  neither loaded nor shipped: on the course's pages it only drew the header
  buttons' tooltips and ran "Back to top", which ``static/buttons.js`` does
  in the theme's own tooltip markup; with it gone, the stylesheets also lose
  the Bootstrap components only its script named. The colours of highlighted
  code (``pygments.css``) are linked only from pages that show code.
* The site has an icon of its own (``favicon.svg``), so no page asks the
  server for a ``favicon.ico`` that is not there.
* Nothing the quiz needs waits for what it does not need (on "Slow 3G" the
  quiz answered at 23 s, now under 10): the theme's stylesheets lose the
  rules no page uses (``stylesheets.py``: 545 kB that blocked every page's
  first paint become about 130 kB); the search index and its scripts (95 kB)
  load on the search page only (``layout.html``; the theme's search-as-you-type
  is off); the theme's scripts are not preloaded ahead of the page's own
  (``static/webpack-macros.html``); and the other extensions' scripts, which
  blocked the page's parsing, are deferred and placed after sourcebook's,
  whose own are fetched first (``fetchpriority="high"``), so no deferred
  script the quiz does not need runs before it.
"""

from __future__ import annotations

import functools
import weakref
from importlib import resources
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from .assets import BUNDLE_NAME, add_static_path

logger = logging.getLogger(__name__)

#: A script that must run where it stands: the inline scripts after it set its object's fields.
KEPT_IN_PLACE = ("_static/documentation_options.js",)
#: The priority given to the scripts deferred here: after sourcebook's (500, Sphinx's default).
AFTER_OWN_SCRIPTS = 900
#: Pages whose scripts are left as their template has them (the search page runs
#: Sphinx's search tools as it loads).
PAGES_AS_THEY_ARE = ("search",)

#: Sphinx's stylesheet of highlighted code's colours, and the mark of such code in a page's body.
CODE_COLOURS = "pygments.css"
HIGHLIGHTED_CODE = 'class="highlight'

#: Other extensions' scripts that act only on elements with given classes, each with the setting that names
#: them: a page loads such a script only where its body has one of those classes (while the setting is its
#: default; a book that changes it keeps the script everywhere). Each is a request and work before the first
#: paint of every page, for copy buttons on code, tabs and toggles that most of the course's pages do not show.
SCRIPTS_FOR_CLASSES: dict[str, tuple[str, str, frozenset[str]]] = {
    "_static/clipboard.min.js": ("copybutton_selector", "div.highlight pre", frozenset({"highlight"})),
    "_static/copybutton.js": ("copybutton_selector", "div.highlight pre", frozenset({"highlight"})),
    "_static/togglebutton.js": ("togglebutton_selector", ".toggle, .admonition.dropdown",
                                frozenset({"toggle", "dropdown"})),
    "_static/design-tabs.js": ("", "", frozenset({"sd-tab-set"})),
}

#: Files of the theme that no page of the course loads.
UNUSED_THEME_FILES = ("scripts/fontawesome.js", "scripts/fontawesome.js.map", "scripts/fontawesome.js.LICENSE.txt",
                      "scripts/bootstrap.js", "scripts/bootstrap.js.map", "scripts/bootstrap.js.LICENSE.txt")
#: After the quiz's scripts (Sphinx's default priority, 500), before the other extensions' (AFTER_OWN_SCRIPTS).
BUTTONS_PRIORITY = 800


def use_package_favicon(app: Sphinx, config: Config) -> None:
    if not config.html_favicon:
        config.html_favicon = str(resources.files("sourcebook").joinpath("static", "favicon.svg"))


def add_icons(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    add_static_path(app)
    app.add_css_file("icons.css")
    app.add_js_file("buttons.js", priority=BUTTONS_PRIORITY, defer="defer")


def single_title(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    # The window title is the page's title, then " — " and the book's
    # (``docstitle``): on the page titled as the book that says the same words
    # twice. There the book's title is left out, and the sidebar, which shows
    # ``docstitle`` too, is given it as the logo's text instead.
    docstitle = context.get("docstitle")
    if docstitle and context.get("title") == docstitle:
        context["theme_logo"] = {"text": docstitle, **(context.get("theme_logo") or {})}
        context["docstitle"] = ""


@functools.cache
def own_static_files() -> frozenset[str]:
    """Paths (under ``_static``) of the package's own static files, as pages name them."""
    static = resources.files("sourcebook").joinpath("static")
    names: set[str] = set()

    def walk(folder: Any, prefix: str) -> None:
        for item in folder.iterdir():
            if item.is_file():
                names.add(prefix + item.name)
            elif item.is_dir():
                walk(item, f"{prefix}{item.name}/")

    walk(static, "")
    return frozenset(names)


def quiz_scripts_first(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                       doctree: Any) -> None:
    # Scripts in the head without ``defer`` stop the page's parsing until they are
    # fetched, and deferred scripts run in order: the other extensions' scripts
    # (copy buttons, toggles, tabs, Sphinx's doctools) are deferred and placed
    # after sourcebook's, which are fetched first. A deferred script still runs
    # before the page's DOMContentLoaded, which is when those scripts start.
    scripts = context.get("script_files")
    if not scripts or pagename in PAGES_AS_THEY_ARE:
        return
    own = own_static_files()
    ordered, moved = [], []
    for script in scripts:
        filename = str(getattr(script, "filename", "") or "")
        attributes = dict(getattr(script, "attributes", {}))
        name = filename.removeprefix("_static/")
        if not filename or "://" in filename or filename.startswith("//"):
            ordered.append(script)  # inline, or another host's (the course has none)
        elif name in own or BUNDLE_NAME.fullmatch(name):
            attributes.setdefault("fetchpriority", "high")
            ordered.append(type(script)(filename, priority=script.priority, **attributes))
        elif filename in KEPT_IN_PLACE or "async" in attributes or "defer" in attributes:
            ordered.append(script)
        else:
            # Sphinx orders a page's scripts by priority after this event: placed after ours.
            moved.append(type(script)(filename, priority=max(script.priority, AFTER_OWN_SCRIPTS), **attributes,
                                      defer="defer"))
    context["script_files"] = ordered + moved


def code_colours_where_code_is(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                               doctree: Any) -> None:
    # Sphinx links the colours of highlighted code (pygments.css, 13 kB, every rule under
    # ``.highlight``) from every page, and a stylesheet in the head holds back the page's first
    # paint; most of the course's pages show no code. The search page keeps it (results may).
    if pagename in PAGES_AS_THEY_ARE or HIGHLIGHTED_CODE in context.get("body", ""):
        return
    files = context.get("css_files")
    if files:
        context["css_files"] = [css for css in files
                                if str(getattr(css, "filename", css)).removeprefix("_static/") != CODE_COLOURS]


def scripts_where_used(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                       doctree: Any) -> None:
    # A script that finds nothing to act on still costs a request and its running before
    # the page's first paint (on a phone, about a third of a second for these four together).
    scripts = context.get("script_files")
    if not scripts or pagename in PAGES_AS_THEY_ARE:
        return
    from .stylesheets import class_names

    shown = class_names(context.get("body", ""))

    def used(script: Any) -> bool:
        rule = SCRIPTS_FOR_CLASSES.get(str(getattr(script, "filename", "") or ""))
        if rule is None:
            return True
        setting, default, classes = rule
        return bool(setting and getattr(app.config, setting, default) != default) or bool(classes & shown)

    context["script_files"] = [script for script in scripts if used(script)]


#: The stylesheets the theme's template linked before all others (``static/webpack-macros.html``).
THEME_STYLESHEETS = ("basic.css", "styles/pydata-sphinx-theme.css")


def stylesheets_in_one(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                       doctree: Any) -> None:
    # A stylesheet in the head holds back the page's first paint until it has come, and a
    # browser fetches at most six files at a time from a host: the ten stylesheets every page
    # links came in two waves of round trips. Each run of them in the page's order is joined
    # into one file (the same cascade), written at the end of the build from the stylesheets
    # as the site serves them. Stylesheets linked only from some pages (code colours, the
    # quiz's) stay files of their own, so that every page shares the joined one.
    files = context.get("css_files")
    if files is None or app.builder.format != "html":
        return
    from sphinx.builders.html._assets import _CascadingStyleSheet

    from ..quiz_assets import quiz_stylesheets
    from .stylesheets import joinable, joined_name, note_joined

    static = Path(app.outdir) / "_static"
    alone = {CODE_COLOURS, *quiz_stylesheets()}
    # The theme's first two, which the template no longer links (a theme not based on pydata-sphinx-theme has none).
    theme = [_CascadingStyleSheet(f"_static/{name}", priority=0, rel="stylesheet", type="text/css")
             for name in THEME_STYLESHEETS] if (static / THEME_STYLESHEETS[1]).is_file() else []
    listed = [*theme, *files]
    runs: list[list[Any]] = [[]]
    for css in listed:
        filename = str(getattr(css, "filename", css))
        attributes = dict(getattr(css, "attributes", {}))
        member = filename.removeprefix("_static/").split("?")[0]
        if (filename.startswith("_static/") and member not in alone and attributes.get("rel") == "stylesheet"
                and not attributes.get("media") and joinable(static / member)):
            runs[-1].append(css)
        else:
            runs.extend(([css], []))
    out: list[Any] = []
    for run in runs:
        members = [str(getattr(css, "filename", css)).removeprefix("_static/").split("?")[0] for css in run]
        if len(run) < 2:
            out.extend(run)
            continue
        name = joined_name(static, members)
        note_joined(Path(app.doctreedir) / "sourcebook-css" / "joined", name, members)
        out.append(_CascadingStyleSheet(f"_static/{name}", priority=run[0].priority, rel="stylesheet",
                                        type="text/css"))
    context["css_files"] = out


def write_joined_stylesheets(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from .stylesheets import write_joined

    for problem in write_joined(Path(app.outdir) / "_static", Path(app.doctreedir) / "sourcebook-css" / "joined"):
        logger.warning(f"sourcebook: cannot join the stylesheets of {problem}")


def remove_unused_theme_files(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for name in UNUSED_THEME_FILES:
        (Path(app.outdir) / "_static" / name).unlink(missing_ok=True)


#: The apps whose current build writes pages (Sphinx's write-started); a build with nothing out of date writes
#: none, copies no static file, and leaves the stylesheets as the last purge wrote them.
_WRITING: weakref.WeakSet[Sphinx] = weakref.WeakSet()


def note_writing(app: Sphinx, builder: Any) -> None:
    _WRITING.add(app)


def purge_stylesheets(app: Sphinx, exception: Exception | None) -> None:
    """After a build that wrote pages: the theme's stylesheets without the rules no page uses, and the
    quiz scripts and joined stylesheets that no page loads any more removed."""
    if exception is not None or app.builder.format != "html" or app not in _WRITING:
        return
    _WRITING.discard(app)
    from .stylesheets import purge_site, remove_unreferenced, site_scan

    cache, outdir = Path(app.doctreedir) / "sourcebook-css", Path(app.outdir)
    names, referenced = site_scan(outdir, cache / "names.json")
    sizes = purge_site(outdir, own_static_files(), cache, names)
    before, after = (sum(size[i] for size in sizes.values()) for i in (0, 1))
    logger.info(f"sourcebook: the theme's stylesheets without unused rules: {before / 1000:.0f} kB -> "
                f"{after / 1000:.0f} kB")
    removed = remove_unreferenced(outdir, referenced)
    if removed:
        logger.info(f"sourcebook: removed {len(removed)} quiz scripts and stylesheets no page loads any more")


def document_depth(env: Any) -> int:
    """How many levels of documents the book's table of contents has under its home page (chapters 1,
    their sections 2...)."""
    def depth(docname: str, seen: frozenset[str]) -> int:
        children = [child for child in env.toctree_includes.get(docname, ()) if child not in seen]
        return 1 + max((depth(child, seen | {child}) for child in children), default=0) if children else 0

    return depth(env.config.root_doc, frozenset({env.config.root_doc}))


def sidebar_depth(app: Sphinx, env: Any) -> None:
    """The sidebar lists documents only (``titles_only``), yet Sphinx copies every listed page's headings
    down to the theme's ``max_navbar_depth`` (4) before dropping them, on every page: on a course of 100
    modules, most of a page's writing time. Stopping at the depth of the documents gives the same sidebar.
    A depth set in ``html_theme_options`` is kept."""
    if app.builder.format != "html" or "max_navbar_depth" in (app.config.html_theme_options or {}):
        return
    builder: Any = app.builder
    theme = getattr(builder, "theme", None)
    if theme is None or "max_navbar_depth" not in theme.get_options({}):
        return  # a theme without it (Sphinx's own)
    # A new dict: the builder's is the configuration's own, which Sphinx compares between builds.
    builder.theme_options = {**(builder.theme_options or {}), "max_navbar_depth": max(document_depth(env), 1)}


def setup_theme(app: Sphinx) -> None:
    """Register the template overrides, the icons, the favicon, the title fix and the light assets."""
    app.connect("config-inited", use_package_favicon)
    app.connect("builder-inited", add_icons)
    # After the theme has filled in its logo settings.
    app.connect("html-page-context", single_title, priority=900)
    # Last, after every extension has added its scripts to the page.
    app.connect("html-page-context", quiz_scripts_first, priority=1000)
    app.connect("html-page-context", code_colours_where_code_is, priority=1000)
    app.connect("html-page-context", scripts_where_used, priority=1000)
    # After the code colours are dropped where there is no code.
    app.connect("html-page-context", stylesheets_in_one, priority=1001)
    app.connect("env-updated", sidebar_depth)
    app.connect("build-finished", remove_unused_theme_files)
    app.connect("write-started", note_writing)
    app.connect("build-finished", purge_stylesheets)
    # From the stylesheets as purged.
    app.connect("build-finished", write_joined_stylesheets)
