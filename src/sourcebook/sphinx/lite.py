"""The module notebooks in the student's browser: links on the module pages, and the JupyterLite site.

- Every module notebook carries its banks and sources and says how to install
  the package (:func:`carry_files`, called where the notebook is written).
- The package's wheel is served at ``packages/`` of the site, for Jupyter
  elsewhere; each module page links it beside the notebook download.
- With ``sourcebook_lite`` on (the default; ``sourcebook_lite: false`` under
  ``sphinx: config:`` in ``_config.yml`` turns it off), the build ends by
  building ``lite/``, a JupyterLite site with every module's notebook
  (:mod:`sourcebook.lite`), and each module page gets an "Open in the
  browser" link. Opened from ``file://``, where JupyterLite cannot run, the
  page's script replaces that link by a plain note: the in-browser notebook
  needs the site served; download the notebook instead.
"""

from __future__ import annotations

import os
import posixpath
from html import escape
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util import logging

from ..carry import carried_paths, pack
from ..loader import read_bank
from .files import read_bank_once

logger = logging.getLogger(__name__)

OPEN_TEXT = "Open in the browser"
WHEEL_TEXT = "the sourcebook package (wheel)"
FILE_NOTE = ("The in-browser notebook needs the course site served by a web server (any static server, for "
             "example <code>python -m http.server</code> in the site's folder); opened from a file it cannot "
             "run. Download the notebook instead.")
LITE_FOLDER = "lite"
PACKAGES_FOLDER = "packages"


def lite_on(config: Any) -> bool:
    value = config.sourcebook_lite
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)


def _wheel_name() -> str:
    from ..lite import wheel_name

    return wheel_name()


def carry_files(app: Any, notebook: Any, banks: list[Path], page: Path) -> Any:
    """The module notebook made to run on its own: it carries its banks, their sources and the documents they
    cite, and says how to install."""
    pairs: list[tuple[Path, Path | None]] = []
    for bank in banks:
        loaded = read_bank_once(app, bank)  # the reading the page's quiz made
        if loaded.value is None:  # a bank with errors (reported by its quiz) still carries what it names
            loaded = read_bank(bank, check=False)
        named = [loaded.value.source, *loaded.value.documents] if loaded.value is not None else []
        cited = [bank.parent / name for name in named if name and (bank.parent / name).exists()]
        pairs += [(bank, path) for path in cited] or [(bank, None)]
    paths = carried_paths(pairs, Path(app.srcdir))
    files = {relative: path.read_text(encoding="utf-8") for path, relative in paths.items()}
    renames = {os.path.relpath(bank.resolve(), page.parent.resolve()).replace(os.sep, "/"): paths[bank.resolve()]
               for bank in banks}
    name = _wheel_name()
    base = str(app.config.html_baseurl or "").strip()
    url = f"{base.rstrip('/')}/{PACKAGES_FOLDER}/{name}" if base else None
    import nbformat

    return nbformat.from_dict(pack(notebook, files, renames, wheel_name=name, wheel_url=url))  # type: ignore[no-untyped-call]


def notebook_path_in_lite(docname: str) -> str:
    """Where a module's notebook is in the in-browser site: ``NN-slug/NN-slug.ipynb``."""
    from .course import notebook_name

    name = notebook_name(docname)
    return f"{name[:-len('.ipynb')]}/{name}"


def add_links(app: Any, doctree: nodes.document, docname: str) -> None:
    """After the notebook download link: "Open in the browser" (when on) and the package's wheel."""
    if app.builder.format != "html":
        return
    target_uri = app.builder.get_target_uri(docname)
    here = posixpath.dirname(target_uri) or "."
    for raw in list(doctree.findall(nodes.raw)):
        if "sb-notebook-download" not in raw.astext():
            continue
        download = posixpath.relpath(posixpath.join(posixpath.dirname(target_uri), _notebook(docname)), here)
        wheel = posixpath.relpath(f"{PACKAGES_FOLDER}/{_wheel_name()}", here)
        parts = []
        if lite_on(app.config):
            address = posixpath.relpath(f"{LITE_FOLDER}/notebooks/index.html", here)
            parts.append(f'<a class="reference external sb-lite-open" href="{escape(address)}?path='
                         f'{escape(notebook_path_in_lite(docname))}">{OPEN_TEXT}</a>'
                         f'<span class="sb-lite-file-note" hidden>{FILE_NOTE} '
                         f'<a class="reference download" href="{escape(download)}" download>'
                         f'Download the notebook</a>.</span>')
        parts.append(f'<a class="reference download" href="{escape(wheel)}" download>{WHEEL_TEXT}</a>')
        html = '<p class="sb-notebook-lite">' + " · ".join(parts) + "</p>\n"
        raw.parent.insert(raw.parent.index(raw) + 1, nodes.raw("", html, format="html"))
        return


def _notebook(docname: str) -> str:
    from .course import notebook_name

    return notebook_name(docname)


def add_script(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    # Only module pages with the link get the (small) script that adapts it to file://.
    if doctree is not None and lite_on(app.config) and any(
            "sb-lite-open" in raw.astext() for raw in doctree.findall(nodes.raw)):
        app.add_js_file("lite.js", loading_method="defer")


def write_packages(app: Any, exception: Exception | None) -> None:
    """At the end of an HTML build: the package's wheel, and the in-browser site when on."""
    if exception is not None or app.builder.format != "html":
        return
    from .. import lite
    from .course import modules

    outdir = Path(app.outdir)
    wheel = outdir / PACKAGES_FOLDER / lite.wheel_name()
    package = lite.package_wheel(made_before=wheel)
    data = package[1]
    if not wheel.is_file() or wheel.read_bytes() != data:
        wheel.parent.mkdir(parents=True, exist_ok=True)
        wheel.write_bytes(data)
    if not lite_on(app.config):
        return
    notebooks = []
    for module in modules(app.env):
        folder = outdir / posixpath.dirname(app.builder.get_target_uri(module.docname))
        path = folder / _notebook(module.docname)
        if path.is_file():
            notebooks.append(lite.Notebook(notebook_path_in_lite(module.docname).split("/")[0], path))
    if not notebooks:
        return
    try:
        built = lite.build(outdir / LITE_FOLDER, notebooks, Path(app.doctreedir) / "sourcebook-lite",
                           package=package, say=lambda note: logger.info(f"sourcebook: {note}"))
    except lite.LiteError as exc:
        logger.error(f"the in-browser notebooks could not be built: {exc}", type="sourcebook", subtype="lite")
        return
    if built:
        logger.info(f"sourcebook: in-browser notebooks of {len(notebooks)} modules built into {LITE_FOLDER}/")


def setup_lite(app: Any) -> None:
    """Register the in-browser notebooks: the setting, the links, the site at the end of the build."""
    app.add_config_value("sourcebook_lite", os.environ.get("SOURCEBOOK_LITE", "true"), "html", [str, bool])
    app.connect("doctree-resolved", add_links, priority=600)
    app.connect("html-page-context", add_script)
    app.connect("build-finished", write_packages)
