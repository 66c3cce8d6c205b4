"""``sourcebook preview``: a bank's quiz or a module page on this computer, updated on every save.

:mod:`.render` writes the page (the site's quiz renderer, or the bank's problems
at their lines); :mod:`.server` serves it on 127.0.0.1 with the site's quiz
scripts and reloads the open page when a file it shows is saved.
"""

from __future__ import annotations

from .render import PreviewError, Rendered, render_bank, render_page, renderer
from .server import Preview, PreviewServer, serve

__all__ = ["Preview", "PreviewError", "PreviewServer", "Rendered", "render_bank", "render_page", "renderer",
           "serve"]
