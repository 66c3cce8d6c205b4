"""The ``{source-text}``, ``{source-card}`` and ``{source-excerpt}`` directives.

In a MyST page::

    ```{source-text} /sources/nie-rongzhen-1960.yml
    ```

shows the whole source verbatim: every paragraph with its number and a stable
anchor (``id="p3"``), the translator's square brackets kept, the text exactly
the file's (smart quotes are off for it). The page is recorded in
``env.sourcebook_source_pages`` (resolved source path -> docname), so quiz
evidence and excerpts elsewhere link to ``<that page>#p3``.

``{source-card}`` shows the source's metadata and "Cite this source" in
Chicago, MLA and APA (from :mod:`sourcebook.citation`). ``{source-excerpt}``
with ``:paragraphs: p1, p3-p4`` quotes paragraphs verbatim, each number a link
to its anchor on the full-text page.

A path starting with ``/`` is from the book's root, otherwise from the page
(then from the root when no such file is next to the page), as for banks. A
source with errors is reported at its own ``path:line:col``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import markdown
from ..checks import WEB_ADDRESS
from ..citation import citations
from ..i18n import fill, format_date
from ..loader import read_source
from ..model import Paragraph, Source
from ..notebooks import parse_paragraphs
from .files import argument_path, env_data, interface_strings, log_problems

logger = logging.getLogger(__name__)


class excerpt_link(nodes.Inline, nodes.TextElement):  # type: ignore[misc]  # lower case, as docutils names nodes
    """A paragraph number in an excerpt: becomes a link once the full-text page is known."""


# --- reading the source ------------------------------------------------------------


class SourceDirective(SphinxDirective):
    """What the three directives share: finding, loading and reporting on the source file."""

    required_arguments = 1
    final_argument_whitespace = True

    def load(self) -> Source | None:
        path = argument_path(self)
        self.env.note_dependency(str(path))
        where = f"the {self.name} at {self.get_location()}"
        if not path.exists():
            logger.error(f"{where}: no source file at {path}", location=self.get_location())
            return None
        loaded = read_source(path)
        log_problems(loaded.problems, where)
        source: Source | None = loaded.value
        return source


def _verbatim(text: str, **attributes: Any) -> nodes.paragraph:
    # The text must come out exactly as in the file: no smart quotes, no dashes.
    node = nodes.paragraph("", "", nodes.Text(text), **attributes)
    node["support_smartquotes"] = False
    return node


def _number(paragraph: Paragraph) -> nodes.inline:
    return nodes.inline(str(paragraph.number), str(paragraph.number), classes=["sb-para-number"])


class SourceTextDirective(SourceDirective):
    """``{source-text} <source.yml>``: the whole source, numbered and anchored."""

    def run(self) -> list[nodes.Node]:
        source = self.load()
        if source is None:
            return []
        pages = source_pages(self.env)
        key = str(Path(source.path).resolve())
        if pages.get(key, self.env.docname) != self.env.docname:
            logger.warning(f"the source {source.path} is shown in full on {pages[key]} already; "
                           "links to its paragraphs go to one page only", location=self.get_location(),
                           type="sourcebook", subtype="source-twice")
        else:
            pages[key] = self.env.docname
        if source.card:
            return [self.card_sections(source)]
        box = nodes.container(classes=["sb-source-text"])
        for paragraph in source.paragraphs:
            node = _verbatim(paragraph.text, classes=["sb-para", f"sb-para-{_role(paragraph)}"])
            node["ids"] = [paragraph.id]
            if paragraph.number is not None:
                # The number links to its own anchor, so that it can be copied and shared.
                title = fill(interface_strings(self.env.app)["card_paragraph_link"], n=paragraph.number)
                link = nodes.reference("", "", _number(paragraph), refid=paragraph.id, internal=True,
                                       classes=["sb-para-link"], reftitle=title)
                node.insert(0, link)
                node.insert(1, nodes.Text(" "))
            box += node
        self.set_source_info(box)
        return [box]


    def card_sections(self, source: Source) -> nodes.container:
        """A document card's sections, each under its heading and anchored (``id="summary"``)."""
        box = nodes.container(classes=["sb-document-card"])
        for paragraph in source.paragraphs:
            # A real section with a title: a heading for screen readers and the page's contents.
            section = nodes.section(classes=["sb-card-section"], ids=[paragraph.id])
            heading = paragraph.heading or paragraph.id
            section += nodes.title(heading, heading)
            section += _verbatim(paragraph.text, classes=["sb-para"])
            box += section
        self.set_source_info(box)
        return box


def _role(paragraph: Paragraph) -> str:
    return "numbered" if paragraph.number is not None else paragraph.id


# --- the card --------------------------------------------------------------------


_ITALIC = re.compile(r"(?<!\\)\*(.+?)(?<!\\)\*")
_ESCAPED = re.compile(r"\\(.)")


def citation_nodes(markdown: str) -> list[nodes.Node]:
    """Nodes for a citation from :mod:`sourcebook.citation`: text and italics only."""
    out: list[nodes.Node] = []
    position = 0
    for match in _ITALIC.finditer(markdown):
        if match.start() > position:
            out.append(nodes.Text(_ESCAPED.sub(r"\1", markdown[position:match.start()])))
        italic = _ESCAPED.sub(r"\1", match[1])
        out.append(nodes.emphasis(italic, italic))
        position = match.end()
    if position < len(markdown):
        out.append(nodes.Text(_ESCAPED.sub(r"\1", markdown[position:])))
    return out


def _field(name: str, *body: nodes.Node) -> nodes.field:
    return nodes.field("", nodes.field_name(name, name), nodes.field_body("", *body))


def _text_paragraph(text: str) -> nodes.paragraph:
    return nodes.paragraph(text, text)


class SourceCardDirective(SourceDirective):
    """``{source-card} <source.yml>``: who, when, for whom, where from; how to cite it."""

    def markdown(self, text: str) -> list[nodes.Node]:
        # A source's texts are rendered like a bank's (sourcebook.markdown: no raw
        # HTML, safe links), not parsed as MyST: a source file may come from
        # elsewhere, and MyST would run its directives ({raw}, {literalinclude}...).
        return [nodes.raw("", markdown.render(text), format="html")]

    def run(self) -> list[nodes.Node]:
        source = self.load()
        if source is None:
            return []
        card = nodes.container(classes=["sb-source-card"])
        card += nodes.rubric(source.title, source.title, classes=["sb-source-title"])
        if source.summary:
            card += self.markdown(source.summary)
        s = interface_strings(self.env.app)
        fields = nodes.field_list(classes=["sb-source-fields"])
        fields += _field(s["card_author"], _text_paragraph(source.author))
        date = format_date(source.date, s)
        fields += _field(s["card_date"], _text_paragraph(f"{date} ({source.date_note})" if source.date_note else date))
        if source.audience:
            fields += _field(s["card_audience"], _text_paragraph(source.audience))
        if source.kind:
            fields += _field(s["card_kind"], _text_paragraph(source.kind))
        if source.archive:
            archive: nodes.Node = (nodes.reference(source.archive, source.archive, refuri=source.archive_url)
                                   if WEB_ADDRESS.fullmatch(source.archive_url) else nodes.Text(source.archive))
            fields += _field(s["card_archive"], nodes.paragraph("", "", archive))
        if source.original_publication:
            fields += _field(s["card_original_publication"], _text_paragraph(source.original_publication))
        if source.language:
            fields += _field(s["card_original_language"], _text_paragraph(source.language))
        if source.translator:
            fields += _field(s["card_translator"], _text_paragraph(source.translator))
        if source.card:
            fields += _field(s["card_text"], _text_paragraph(s["card_text_not_reproduced"]))
        else:
            fields += _field(s["card_abridged"], _text_paragraph(
                s["card_abridged_yes"] if source.abridged else s["card_abridged_no"]))
        if source.rights:
            fields += _field(s["card_rights"], *self.markdown(source.rights))
        card += fields

        cite = citations(source)
        card += nodes.rubric("", s["card_cite"], classes=["sb-cite-title"])
        styles = nodes.definition_list(classes=["sb-citations"])
        for style, text in ((s["card_chicago_bibliography"], cite.chicago_bibliography),
                            (s["card_chicago_note"], cite.chicago_note), ("MLA", cite.mla), ("APA", cite.apa)):
            styles += nodes.definition_list_item(
                "", nodes.term(style, style),
                nodes.definition("", nodes.paragraph("", "", *citation_nodes(text), classes=["sb-citation"])))
        card += styles
        for node in card.findall(nodes.Element):
            self.set_source_info(node)
        return [card]


# --- excerpts --------------------------------------------------------------------


class SourceExcerptDirective(SourceDirective):
    """``{source-excerpt} <source.yml>`` with ``:paragraphs: p1, p3-p4``."""

    option_spec: ClassVar[dict[str, Any]] = {"paragraphs": lambda text: (text or "").strip()}

    def run(self) -> list[nodes.Node]:
        source = self.load()
        if source is None:
            return []
        spec = self.options.get("paragraphs") or ",".join(p.id for p in source.paragraphs)
        try:
            chosen = parse_paragraphs(spec, source)
        except ValueError as exc:
            logger.error(f"the source-excerpt at {self.get_location()}: {exc}", location=self.get_location())
            return []
        quote = nodes.block_quote(classes=["sb-source-excerpt"])
        for paragraph in chosen:
            node = _verbatim(paragraph.text, classes=["sb-para", f"sb-para-{_role(paragraph)}"])
            if paragraph.number is not None:
                label = str(paragraph.number)
                node.insert(0, excerpt_link(label, label, source=str(Path(source.path).resolve()),
                                            anchor=paragraph.id))
                node.insert(1, nodes.Text(" "))
            quote += node
        attribution = f"{source.author}, {source.date.day} {source.date:%B %Y}"
        quote += nodes.attribution(attribution, attribution)
        for node in quote.findall(nodes.Element):
            self.set_source_info(node)
        return [quote]


def resolve_excerpt_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    pages = source_pages(app.env)
    for node in list(doctree.findall(excerpt_link)):
        number = nodes.inline(node.astext(), node.astext(), classes=["sb-para-number"])
        target = pages.get(node["source"])
        if target is None or app.builder.format != "html":
            node.replace_self(number)
            continue
        uri = f"{app.builder.get_relative_uri(docname, target)}#{node['anchor']}"
        link = nodes.reference("", "", number, refuri=uri, internal=True, classes=["sb-para-link"],
                               reftitle=fill(interface_strings(app)["card_paragraph_in_text"], n=node.astext()))
        node.replace_self(link)


# --- what the environment keeps --------------------------------------------------


def source_pages(env: BuildEnvironment) -> dict[str, str]:
    """Resolved source path -> the docname whose ``{source-text}`` shows it."""
    return env_data(env, "sourcebook_source_pages", dict)


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    pages = source_pages(env)
    for key in [k for k, v in pages.items() if v == docname]:
        del pages[key]


def merge_info(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    for key, docname in source_pages(other).items():
        if docname in docnames:
            source_pages(env).setdefault(key, docname)


def _skip(self: nodes.NodeVisitor, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup_sources(app: Sphinx) -> None:
    """Register the three directives and the bookkeeping of which page shows which source."""
    app.add_node(excerpt_link, html=(_skip, None), latex=(_skip, None), text=(_skip, None),
                 man=(_skip, None), texinfo=(_skip, None))
    app.add_directive("source-text", SourceTextDirective)
    app.add_directive("source-card", SourceCardDirective)
    app.add_directive("source-excerpt", SourceExcerptDirective)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("doctree-resolved", resolve_excerpt_links)
