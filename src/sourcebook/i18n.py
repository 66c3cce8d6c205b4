"""The one catalogue of interface text, for every output: ``static/i18n.json``.

The site's quiz script, the notebook quiz, worksheets and answer keys, the
course directives (module facts, theme index, instructor notes, download and
print links), the source card and the notebook export all take their words
from it, in English or Simplified Chinese (from the book's ``language`` or
``quiz(..., language=...)``). Keys are grouped by prefix: ``notebook_`` for
the notebook quiz, ``course_`` for the course directives, ``card_`` for the
source card, ``ws_`` for worksheets; the rest are the quiz's, on the page and
in the notebook. Every language has every key (a test holds them to it).
"""

from __future__ import annotations

import datetime
import json
import re
from functools import cache
from importlib import resources

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Language code -> key -> text."""
    text = resources.files("sourcebook").joinpath("static/i18n.json").read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = json.loads(text)
    return data


def languages() -> tuple[str, ...]:
    """The interface languages shipped in the catalogue."""
    return tuple(catalogue())


def find_language(language: str) -> str | None:
    """The catalogue's code for ``language`` (``zh_CN``, ``zh-cn``, ``zh``, ``en_GB``...), or None if it has none."""
    texts = catalogue()
    wanted = language.strip().replace("-", "_").lower()
    chosen = next((code for code in texts if code.lower() == wanted), None)
    if chosen is None:
        chosen = next((code for code in texts if code.lower().split("_")[0] == wanted.split("_")[0]), None)
    return chosen


def language_note(language: str | None) -> str | None:
    """What a reader should be told when ``language`` gets the texts of another region or script (``zh_TW``,
    Traditional Chinese, gets ``zh_CN``'s Simplified), or none at all; None when it gets its own."""
    if not language or not language.strip():
        return None
    code = find_language(language)
    there = ", ".join(languages())
    if code is None:
        return f"there are no interface texts in {language!r}: the quizzes show English (languages with texts: {there})"
    wanted = language.strip().replace("-", "_").lower().split("_")
    chosen = code.lower().split("_")
    if len(wanted) > 1 and len(chosen) > 1 and wanted != chosen:
        return (f"there are no interface texts in {language!r}: the quizzes show those of {code!r} (languages with "
                f"texts: {there})")
    return None


def language_code(language: str | None) -> str:
    """The catalogue's code for a Sphinx ``language`` (``zh_CN``, ``zh-cn``, ``zh``...): ``en`` by default."""
    return find_language(language or "en") or "en"


def strings_for(language: str | None) -> dict[str, str]:
    """Interface strings for a Sphinx ``language`` (``zh_CN``, ``zh-cn``, ``zh``...), English by default.

    Missing keys fall back to English, so a partial translation never shows a key.
    A question type from another package brings its own texts (``QuestionType.strings``).
    """
    from .types import registry  # the types use this module's helpers

    texts = catalogue()
    code = language_code(language)
    added: dict[str, str] = {}
    for kind in registry().values():
        added.update({**kind.strings.get("en", {}), **kind.strings.get(code, {})})
    return {**added, **texts["en"], **texts[code]}


def fill(template: str, **values: object) -> str:
    """``template`` with each ``{name}`` replaced, in one pass (a value holding braces stays as it is)."""
    return _PLACEHOLDER.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], template)


def format_date(date: datetime.date, strings: dict[str, str]) -> str:
    """A date as the interface language writes it: 3 July 1960, 1960年7月3日."""
    # English month names whatever the machine's locale (calendar.month_name follows it).
    return fill(strings["card_date_format"], day=date.day, month=date.month, month_name=_MONTHS[date.month - 1],
                year=date.year)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
