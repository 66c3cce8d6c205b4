"""The course site's theme, made light and exact: icons without Font Awesome, one title, a favicon.

sphinx-book-theme (on pydata-sphinx-theme) is kept as it is except for what a
student on a slow school link or a screen reader would notice:

* Font Awesome's 1.5 MB script is neither loaded nor shipped: the template
  override ``static/webpack-macros.html`` leaves it out, ``icons.css`` draws
  the dozen icons the theme's buttons use, and the file is removed from the
  built site.
* The home page's title is not doubled ("Course — Course") in the window
  title when the page's own title is the book's.
* The site has an icon of its own (``favicon.svg``), so no page asks the
  server for a ``favicon.ico`` that is not there.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from .assets import add_static_path

#: Files of the theme that no page of the course loads.
UNUSED_THEME_FILES = ("scripts/fontawesome.js", "scripts/fontawesome.js.map", "scripts/fontawesome.js.LICENSE.txt")


def use_package_favicon(app: Sphinx, config: Config) -> None:
    if not config.html_favicon:
        config.html_favicon = str(resources.files("sourcebook").joinpath("static", "favicon.svg"))


def add_icons(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    add_static_path(app)
    app.add_css_file("icons.css")


def single_title(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    # The window title is the page's title, then " — " and the book's
    # (``docstitle``): on the page titled as the book that says the same words
    # twice. There the book's title is left out, and the sidebar, which shows
    # ``docstitle`` too, is given it as the logo's text instead.
    docstitle = context.get("docstitle")
    if docstitle and context.get("title") == docstitle:
        context["theme_logo"] = {"text": docstitle, **(context.get("theme_logo") or {})}
        context["docstitle"] = ""


def remove_unused_theme_files(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for name in UNUSED_THEME_FILES:
        (Path(app.outdir) / "_static" / name).unlink(missing_ok=True)


def setup_theme(app: Sphinx) -> None:
    """Register the template override, the icons, the favicon and the title fix."""
    app.connect("config-inited", use_package_favicon)
    app.connect("builder-inited", add_icons)
    # After the theme has filled in its logo settings.
    app.connect("html-page-context", single_title, priority=900)
    app.connect("build-finished", remove_unused_theme_files)
