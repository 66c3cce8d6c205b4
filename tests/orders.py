"""The order of questions, choices and items as a built page and as a worksheet show them.

Both give, question by question, the question's id and the texts of its
choices or items in the order shown, so a test can check that the site and
the printed worksheet agree.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

Shown = list[tuple[str, tuple[str, ...]]]


def _text(node: Tag) -> str:
    return " ".join(node.get_text(" ").split())


def site_order(html: str) -> Shown:
    """Every quiz question of a site page, in the order of its markup."""
    shown: Shown = []
    for fieldset in BeautifulSoup(html, "html.parser").select(".sb-quiz fieldset.sb-q"):
        parts = [_text(label) for label in fieldset.select(".sb-choices > .sb-choice > label")]
        parts += [_text(item) for item in fieldset.select(".sb-order .sb-item .sb-text")]
        shown.append((str(fieldset["data-id"]), tuple(parts)))
    return shown


def worksheet_order(html: str) -> Shown:
    """Every question of a worksheet (or answer key), in print order."""
    shown: Shown = []
    for section in BeautifulSoup(html, "html.parser").select("section.ws-q"):
        parts = []
        for item in section.select(".ws-choices > li, .ws-items > li"):
            for mark in item.select(".ws-box, .ws-letter, .ws-blank"):
                mark.decompose()
            parts.append(_text(item))
        shown.append((str(section["data-id"]), tuple(parts)))
    return shown
