"""Citations of a primary source in Chicago, MLA and APA style, from its metadata.

Pure functions over :class:`sourcebook.model.Source`; the source card of the
course site and its notebooks show what they return. Each returns Markdown in
which only ``*...*`` (italics) is markup: every other character that Markdown
would read as markup is escaped, so a title with brackets or asterisks prints
as written.

The styles follow the manuals' patterns for an archival document read in an
online archive and published in print in a journal (as the archive cites it;
the citation does not say it was the first publication, so neither do these):

- Chicago (17th ed., notes and bibliography): :func:`chicago_note` and
  :func:`chicago_bibliography`.
- MLA (9th ed.): :func:`mla`, with the document's date as the optional
  original date after the title, and the print publication at the end.
- APA (7th ed.): :func:`apa`, with the title in sentence case (see
  :func:`sentence_case`) and the kind of document in square brackets.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .model import Source

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_MLA_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
_MARKUP = re.compile(r"([\\`*_\[\]<>#|~])")


def _escape(text: str) -> str:
    return _MARKUP.sub(r"\\\1", text)


def _italic(text: str) -> str:
    return f"*{_escape(text)}*" if text else ""


def _stop(text: str) -> str:
    """Close a citation element with a full stop unless it ends in punctuation already."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else text + "."


@dataclass(frozen=True)
class Publication:
    """The parts of an ``original_publication`` such as ``Journal, no. 1 (1996): 8-9``."""

    container: str
    volume: str = ""
    issue: str = ""
    year: str = ""
    pages: str = ""


_PUBLICATION = re.compile(
    r"^(?P<container>.+?),\s*(?:vol\.\s*(?P<volume>[^,\s(]+),?\s*)?(?:no\.\s*(?P<issue>[^,\s(]+))?\s*"
    r"(?:\((?P<year>\d{4})\))?\s*(?::\s*(?P<pages>\S+))?\s*$"
)


def parse_publication(text: str) -> Publication:
    """Split a Chicago-style journal reference into its parts.

    Text in another shape is kept whole as the container, so nothing is lost.
    """
    match = _PUBLICATION.match(text.strip())
    if not match or not (match["volume"] or match["issue"] or match["year"]):
        return Publication(container=text.strip())
    return Publication(container=match["container"].strip(), volume=match["volume"] or "",
                       issue=match["issue"] or "", year=match["year"] or "", pages=match["pages"] or "")


def _names(source: Source) -> tuple[str, str]:
    """(family name, given names) from ``author_sort`` ("Nie, Rongzhen"), else the author as written."""
    if "," in source.author_sort:
        family, given = source.author_sort.split(",", 1)
        return family.strip(), given.strip()
    return source.author.strip(), ""


def _sorted_author(source: Source) -> str:
    """The author as Chicago and MLA list them: family name first.

    A name already written family name first, as Chinese names are ("Nie
    Rongzhen", sorted "Nie, Rongzhen"), is listed as written, with no comma, as
    both manuals ask for Chinese names. Only a name written given name first is
    inverted ("John Smith" becomes "Smith, John"). APA always inverts: "Nie, R."
    """
    family, given = _names(source)
    if not given:
        return family
    if source.author.split() == f"{family} {given}".split():
        return f"{family} {given}"
    return f"{family}, {given}"


def _initials(given: str) -> str:
    # Hyphenated given names keep the hyphen: Jean-Paul -> J.-P.
    words = [w for w in re.split(r"\s+", given) if w]
    return " ".join("-".join(part[0] + "." for part in w.split("-") if part) for w in words)


def _url_without_scheme(url: str) -> str:
    return re.sub(r"^https?://", "", url).rstrip("/")


def chicago_date(date: datetime.date) -> str:
    """``July 3, 1960``."""
    return f"{_MONTHS[date.month - 1]} {date.day}, {date.year}"


def _translator_sentence(source: Source, lead: str) -> str:
    return f"{lead} {_escape(source.translator)}." if source.translator else ""


def _chicago_publication(pub: Publication) -> str:
    text = _italic(pub.container)
    if pub.volume:
        text += f" {_escape(pub.volume)}"
    if pub.issue:
        text += f", no. {_escape(pub.issue)}"
    if pub.year:
        text += f" ({pub.year})"
    if pub.pages:
        text += f": {_escape(pub.pages)}"
    return text


def chicago_bibliography(source: Source) -> str:
    """The Chicago bibliography entry (notes-bibliography system)."""
    parts = [_stop(_escape(_sorted_author(source))),
             f"\u201c{_stop(_escape(source.title))}\u201d",
             _stop(_escape(source.kind) + ", " + chicago_date(source.date) if source.kind
                   else chicago_date(source.date)),
             _translator_sentence(source, "Translated by")]
    if source.original_publication:
        publication = _chicago_publication(parse_publication(source.original_publication))
        parts.append(_stop("Published in " + publication))
    if source.archive:
        parts.append(_stop(_escape(source.archive)))
    if source.archive_url:
        parts.append(_stop(_escape(source.archive_url)))
    return " ".join(p for p in parts if p)


def chicago_note(source: Source) -> str:
    """The Chicago first full note (without its number)."""
    parts = [_escape(source.author), f"\u201c{_escape(source.title)},\u201d"]
    parts[0] += ","
    parts.append(chicago_date(source.date) + ",")
    if source.translator:
        parts.append(f"trans. {_escape(source.translator)},")
    if source.original_publication:
        parts.append("published in " + _chicago_publication(parse_publication(source.original_publication)) + ",")
    if source.archive:
        parts.append(_escape(source.archive) + ",")
    if source.archive_url:
        parts.append(_escape(source.archive_url) + ",")
    return _stop(" ".join(parts).rstrip(","))


def mla_date(date: datetime.date) -> str:
    """``3 July 1960`` (MLA abbreviates the longer month names)."""
    return f"{date.day} {_MLA_MONTHS[date.month - 1]} {date.year}"


def mla(source: Source) -> str:
    """The MLA 9 works-cited entry."""
    parts = [_stop(_escape(_sorted_author(source))),
             f"\u201c{_stop(_escape(source.title))}\u201d",
             _stop(mla_date(source.date))]
    container = []
    if source.translator:
        container.append(f"Translated by {_escape(source.translator)}")
    if source.archive:
        container.append(_italic(source.archive))
    if source.archive_url:
        container.append(_escape(_url_without_scheme(source.archive_url)))
    if container:
        # The translator belongs to the title, the archive opens the container.
        if source.translator:
            parts.append(_stop(container.pop(0)))
        if container:
            parts.append(_stop(", ".join(container)))
    if source.original_publication:
        pub = parse_publication(source.original_publication)
        details = [_italic(pub.container)]
        if pub.volume:
            details.append(f"vol. {_escape(pub.volume)}")
        if pub.issue:
            details.append(f"no. {_escape(pub.issue)}")
        if pub.year:
            details.append(pub.year)
        if pub.pages:
            details.append(("pp. " if "-" in pub.pages else "p. ") + _escape(pub.pages))
        parts.append(_stop("Published in " + ", ".join(details)))
    return " ".join(p for p in parts if p)


_SMALL_ACRONYM = re.compile(r"^[A-Z0-9]{2,}$")


def sentence_case(title: str, keep: tuple[str, ...] = ()) -> str:
    """A title in sentence case, as APA wants it.

    Only the first word (and the first word after a colon) keeps its capital,
    as do acronyms and any word that appears capitalised in ``keep``: names of
    people and bodies taken from the source's own metadata (author, audience,
    archive), since no rule can tell a proper noun from a common one.
    """
    proper = {w for phrase in keep for w in re.findall(r"[\w'’-]+", phrase) if w[:1].isupper()}
    out: list[str] = []
    first = True
    for token in re.split(r"(\s+)", title):
        if not token or token.isspace():
            out.append(token)
            continue
        word = token.strip("()[]*_\"“”‘’,.;:!?")
        if not first and word and word not in proper and not _SMALL_ACRONYM.match(word):
            token = token.replace(word, word[0].lower() + word[1:], 1)
        first = token.endswith(":")
        out.append(token)
    return "".join(out)


def apa_date(date: datetime.date) -> str:
    """``1960, July 3``."""
    return f"{date.year}, {_MONTHS[date.month - 1]} {date.day}"


def apa(source: Source) -> str:
    """The APA 7 reference-list entry."""
    family, given = _names(source)
    author = f"{family}, {_initials(given)}" if given else family
    title = sentence_case(source.title, keep=(source.author, source.audience, source.archive))
    parts = [_escape(author), f"({apa_date(source.date)})."]
    described = _italic(title)
    if source.translator:
        family_t, given_t = _translator_names(source.translator)
        described += f" ({_escape(given_t + ' ' + family_t if given_t else family_t)}, Trans.)"
    if source.kind:
        described += f" \\[{_escape(source.kind)}\\]"
    parts.append(_stop(described))
    if source.archive:
        parts.append(_stop(_escape(source.archive)))
    if source.archive_url:
        parts.append(_escape(source.archive_url))
    return " ".join(parts)


def _translator_names(name: str) -> tuple[str, str]:
    """(family, initials) of a translator written in Western order, e.g. Neil Silver -> (Silver, N.)."""
    words = name.split()
    if len(words) < 2:
        return name, ""
    return words[-1], _initials(" ".join(words[:-1]))


@dataclass(frozen=True)
class Citations:
    """Every citation of one source, as Markdown with italics."""

    chicago_note: str
    chicago_bibliography: str
    mla: str
    apa: str


def citations(source: Source) -> Citations:
    """All the citations the source card shows."""
    return Citations(chicago_note=chicago_note(source), chicago_bibliography=chicago_bibliography(source),
                     mla=mla(source), apa=apa(source))
