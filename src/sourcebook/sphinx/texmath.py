"""Warn, at its line, about math in a page, and keep MathJax off every page.

Sphinx typesets a ``{math}`` role or directive with MathJax, which it loads
from a CDN into the page that has math: the site would ask another host for a
script. The course does not enable MyST's ``dollarmath``, so ``$x$`` and
``$$...$$`` show as written, raw TeX. Each is a warning at its line (a ``-W``
build fails), and the math of the page becomes code (its TeX as written) before
Sphinx's math domain looks at the page, so no page has math for MathJax to be
added for (:mod:`sourcebook.texmath`).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from ..texmath import FIX, page_math

logger = logging.getLogger(__name__)
#: MyST extensions that make math of a page's own syntax (then math nodes, warned at by the transform).
_MATH_SYNTAX = {"dollarmath": "$", "amsmath": "\\begin"}


def _warn_tex(app: Sphinx, docname: str, source: list[str]) -> None:
    path = str(app.env.doc2path(docname))
    if not path.endswith(".md"):  # a notebook's or reST page's math comes as math nodes
        return
    enabled = getattr(app.config, "myst_enable_extensions", ()) or ()
    made_nodes = tuple(start for name, start in _MATH_SYNTAX.items() if name in enabled)
    for found in page_math(source[0], nodes=False):
        if not found.written.startswith(made_nodes or ("\0",)):
            logger.warning(f"{found.message} [math]", location=f"{path}:{found.line}:{found.column}",
                           type="sourcebook", subtype="math")


def _location(node: nodes.Node) -> Any:
    # A role's node may carry no line; its paragraph does.
    place: nodes.Node | None = node
    while place is not None and not getattr(place, "line", None):
        place = place.parent
    return place or node


class MathAsCode(SphinxTransform):
    """Each math node of a page: a warning at it, and its TeX shown as code instead."""

    # Before SphinxDomains (850), where the math domain records whether the page has math for MathJax.
    default_priority = 840

    def apply(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(lambda n: isinstance(n, nodes.math | nodes.math_block))):
            tex = node.astext()
            logger.warning(f"the page holds the math `{' '.join(tex.split())[:40]}`; {FIX} [math]",
                           location=_location(node), type="sourcebook", subtype="math")
            if isinstance(node, nodes.math_block):
                node.replace_self(nodes.literal_block(tex, tex, language="text"))
            else:
                node.replace_self(nodes.literal(tex, tex))


def setup_texmath(app: Sphinx) -> None:
    app.connect("source-read", _warn_tex)
    app.add_transform(MathAsCode)
