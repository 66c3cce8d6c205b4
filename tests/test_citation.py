"""Citations of the Nie report, written out by hand from the style manuals' patterns
and the archive's own citation (in the fact sheet), against what citation.py makes."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

import pytest

from sourcebook import load_source
from sourcebook.citation import (
    Publication,
    apa,
    chicago_bibliography,
    chicago_note,
    citations,
    mla,
    parse_publication,
    sentence_case,
)
from sourcebook.model import Paragraph, Source

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def nie() -> Source:
    return load_source(ROOT / "sources" / "nie-rongzhen-1960.yml")


def test_chicago_note(nie: Source) -> None:
    assert chicago_note(nie) == (
        "Nie Rongzhen, “Report by Nie Rongzhen to Mao Zedong Regarding Science and Technology (Abridged),” "
        "July 3, 1960, trans. Neil Silver, published in *Dang de wenxian (Party Historical Documents)*, "
        "no. 1 (1996): 8-9, History and Public Policy Program Digital Archive, "
        "https://digitalarchive.wilsoncenter.org/document/114348."
    )


def test_chicago_bibliography(nie: Source) -> None:
    assert chicago_bibliography(nie) == (
        "Nie Rongzhen. “Report by Nie Rongzhen to Mao Zedong Regarding Science and Technology (Abridged).” "
        "Report, July 3, 1960. Translated by Neil Silver. Published in "
        "*Dang de wenxian (Party Historical Documents)*, no. 1 (1996): 8-9. "
        "History and Public Policy Program Digital Archive. https://digitalarchive.wilsoncenter.org/document/114348."
    )


def test_mla(nie: Source) -> None:
    assert mla(nie) == (
        "Nie Rongzhen. “Report by Nie Rongzhen to Mao Zedong Regarding Science and Technology (Abridged).” "
        "3 July 1960. Translated by Neil Silver. *History and Public Policy Program Digital Archive*, "
        "digitalarchive.wilsoncenter.org/document/114348. Published in "
        "*Dang de wenxian (Party Historical Documents)*, no. 1, 1996, pp. 8-9."
    )


def test_apa(nie: Source) -> None:
    assert apa(nie) == (
        "Nie, R. (1960, July 3). *Report by Nie Rongzhen to Mao Zedong regarding science and technology "
        "(abridged)* (N. Silver, Trans.) \\[Report\\]. History and Public Policy Program Digital Archive. "
        "https://digitalarchive.wilsoncenter.org/document/114348"
    )


def test_the_archive_citation_elements_are_all_in_the_chicago_note(nie: Source) -> None:
    # The archive's own citation (fact sheet): every element it names is cited.
    note = chicago_note(nie)
    for element in ("Report by Nie Rongzhen to Mao Zedong Regarding Science and Technology (Abridged)",
                    "1960", "History and Public Policy Program Digital Archive",
                    "Dang de wenxian (Party Historical Documents)", "no. 1 (1996): 8-9", "Neil Silver"):
        assert element in note


def test_citations_bundle_matches_the_functions(nie: Source) -> None:
    bundle = citations(nie)
    assert bundle.mla == mla(nie) and bundle.apa == apa(nie)
    assert bundle.chicago_note == chicago_note(nie) and bundle.chicago_bibliography == chicago_bibliography(nie)


@pytest.mark.parametrize(("text", "expected"), [
    ("Dang de wenxian (Party Historical Documents), no. 1 (1996): 8-9",
     Publication("Dang de wenxian (Party Historical Documents)", "", "1", "1996", "8-9")),
    ("Cold War History, vol. 4, no. 2 (2004): 101-130", Publication("Cold War History", "4", "2", "2004", "101-130")),
    ("Renmin ribao, 1 October 1959", Publication("Renmin ribao, 1 October 1959")),
])
def test_parse_publication(text: str, expected: Publication) -> None:
    assert parse_publication(text) == expected


def test_sentence_case_keeps_names_from_the_metadata_and_acronyms() -> None:
    assert sentence_case("Letter From Nie Rongzhen To The CCP: On Rockets And Satellites",
                         keep=("Nie Rongzhen",)) == "Letter from Nie Rongzhen to the CCP: On rockets and satellites"


def _minimal(**changes: object) -> Source:
    base = Source(id="x", title="A Note [on] *Stars*", author="Anna Smith", date=datetime.date(1958, 2, 1),
                  paragraphs=(Paragraph(id="p1", text="Text.", number=1),))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_missing_fields_leave_no_empty_punctuation_and_markup_is_escaped() -> None:
    source = _minimal()
    assert chicago_bibliography(source) == "Anna Smith. “A Note \\[on\\] \\*Stars\\*.” February 1, 1958."
    assert mla(source) == "Anna Smith. “A Note \\[on\\] \\*Stars\\*.” 1 Feb. 1958."
    assert apa(source) == "Anna Smith (1958, February 1). *A note \\[on\\] \\*stars\\**."
    assert chicago_note(source) == "Anna Smith, “A Note \\[on\\] \\*Stars\\*,” February 1, 1958."


def test_author_sort_gives_initials_for_apa() -> None:
    assert apa(_minimal(author_sort="Smith, Anna-Maria Jane")).startswith("Smith, A.-M. J. (1958, February 1).")


def test_only_a_name_written_given_name_first_is_inverted() -> None:
    western = _minimal(author_sort="Smith, Anna")
    assert chicago_bibliography(western).startswith("Smith, Anna. “")
    assert mla(western).startswith("Smith, Anna. “")
    chinese = _minimal(author="Zhou  Enlai", author_sort="Zhou, Enlai")
    assert chicago_bibliography(chinese).startswith("Zhou Enlai. “")
    assert mla(chinese).startswith("Zhou Enlai. “")
    assert apa(chinese).startswith("Zhou, E. (1958")
