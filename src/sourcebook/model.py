"""The one data model of sourcebook: question banks, questions, choices and sources.

Every renderer (notebook widgets, the Sphinx directive, the exporters) takes
these objects and nothing else. Here are the fields all questions share; each
question type's own class lives with its type in ``sourcebook.types``. The
YAML loader (``loader.py``) and the JSON Schema (``schema.py``) are both
driven by the dataclass fields and their ``doc`` metadata, so the format is
defined exactly once.

Markdown fields hold the teacher's Markdown source; renderers turn it into
HTML with :mod:`sourcebook.markdown`.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .types.base import QuestionType

FORMAT_VERSION = 1

#: The four historical-thinking skills of the Stanford History Education Group.
#: A teacher may use a tag of their own as well; these are the ones the course
#: summarises by name.
STANDARD_SKILLS: tuple[str, ...] = (
    "sourcing",
    "contextualization",
    "corroboration",
    "close reading",
)


def doc(text: str, *, markdown: bool = False, example: Any = None) -> dict[str, Any]:
    """Field metadata: the description shown in the JSON Schema and the docs."""
    meta: dict[str, Any] = {"doc": text, "markdown": markdown}
    if example is not None:
        meta["example"] = example
    return meta


# --- parts of questions -------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Choice:
    """One choice of a single-choice or multiple-answer question (or a paragraph of an evidence question)."""

    text: str = field(metadata=doc("What the student sees (Markdown).", markdown=True))
    correct: bool = field(default=False, metadata=doc("Whether this choice is right."))
    feedback: str = field(
        default="",
        metadata=doc(
            "Shown when the student picks this choice: why it is right or wrong (Markdown).",
            markdown=True,
        ),
    )


# --- questions ----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Question:
    """Fields every question has. Each question type (``sourcebook.types``) subclasses it with what it needs."""

    TYPE: ClassVar[str] = ""
    LABEL: ClassVar[str] = ""
    if TYPE_CHECKING:  # not a field, and not an annotation the loader reads: set when the type is registered
        #: The question's type: its checks, grading and renderers.
        KIND: ClassVar[QuestionType[Any]]
    #: Whether the question is graded automatically and counts towards the score.
    GRADED: ClassVar[bool] = True

    id: str = field(
        metadata=doc(
            "Stable identifier, unique in the bank: letters, digits, '-', '_' or '.'.",
            example="addressee",
        )
    )
    prompt: str = field(metadata=doc("The question (Markdown).", markdown=True))
    skill: str = field(
        default="",
        metadata=doc(
            "Historical-thinking skill: sourcing, contextualization, corroboration, "
            "close reading, or a tag of your own."
        ),
    )
    points: float = field(default=1.0, metadata=doc("Points for a fully right answer."))
    attempts: int = field(
        default=2,
        metadata=doc("Checks allowed before the answer can be revealed (1 or more)."),
    )
    hints: tuple[str, ...] = field(
        default=(), metadata=doc("Hints, revealed one at a time (Markdown).", markdown=True)
    )
    explanation: str = field(
        default="",
        metadata=doc("Shown after answering, right or wrong (Markdown).", markdown=True),
    )
    evidence: tuple[str, ...] = field(
        default=(),
        metadata=doc("Anchors of the source's paragraphs (p1), or of sections of the bank's further documents "
                     "(document-id#anchor), that support the answer.", example=["p1"]),
    )
    shuffle: bool = field(
        default=True,
        metadata=doc("Whether choices or items may be shuffled when the quiz shuffles."),
    )


# --- the bank -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Defaults:
    """Values every question of the bank takes unless it sets its own."""

    points: float = field(default=1.0, metadata=doc("Points per question."))
    attempts: int = field(default=2, metadata=doc("Checks allowed before the answer can be revealed."))
    skill: str = field(default="", metadata=doc("Skill tag for questions that name none."))
    shuffle: bool = field(default=True, metadata=doc("Whether choices may be shuffled."))


@dataclass(frozen=True, kw_only=True)
class Bank:
    """A question bank: one YAML file of questions, usually about one primary source."""

    title: str = field(metadata=doc("The bank's title, shown above the quiz."))
    description: str = field(default="", metadata=doc("A line or two for teachers (Markdown).", markdown=True))
    version: int = field(default=FORMAT_VERSION, metadata=doc("Version of the bank format: 1."))
    source: str = field(
        default="",
        metadata=doc(
            "Path, relative to this file, of the source (a sources/*.yml file) that evidence anchors point into.",
            example="../sources/nie-rongzhen-1960.yml",
        ),
    )
    documents: tuple[str, ...] = field(
        default=(),
        metadata=doc(
            "Paths, relative to this file, of further documents (sources/*.yml files, usually document cards) "
            "whose sections `evidence` may cite as `document-id#anchor`.",
            example=["../sources/zhou-enlai-1960-remarks.yml"],
        ),
    )
    defaults: Defaults = field(default_factory=Defaults, metadata=doc("Defaults for every question."))
    questions: tuple[Question, ...] = field(metadata=doc("The questions."))
    #: Where the bank was read from (not a YAML key).
    path: str = field(default="", metadata={"internal": True})
    #: The loaded source, when the bank names one (not a YAML key).
    source_document: Source | None = field(default=None, metadata={"internal": True})
    #: The loaded further documents, in the order of ``documents`` (not a YAML key).
    document_sources: tuple[Source, ...] = field(default=(), metadata={"internal": True})

    def question(self, question_id: str) -> Question:
        """The question with this id (KeyError if none)."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def cite(self, reference: str) -> Cited | None:
        """The paragraph an evidence reference of this bank points to, or None when it points nowhere.

        ``p3`` is an anchor of the bank's source; ``zhou-1960#summary`` is an
        anchor of the further document whose id is ``zhou-1960``. The one place
        evidence is looked up: the checks, the site, the notebook, the worksheet
        and the exports all come here.
        """
        document_id, hash_sign, anchor = reference.rpartition("#")
        candidates = ([d for d in self.document_sources if d.id == document_id] if hash_sign
                      else [self.source_document] if self.source_document is not None else [])
        for source in candidates:
            for paragraph in source.paragraphs:
                if paragraph.id == anchor:
                    return Cited(source, paragraph, reference)
        return None

    def evidence(self, question: Question) -> list[Cited]:
        """The paragraphs a question cites, in its order; references that point nowhere are left out (the checks
        report them)."""
        return [cited for reference in question.evidence if (cited := self.cite(reference)) is not None]


def evidence_label(source: Source, paragraph: Paragraph) -> str:
    """How a cited paragraph is named: its number (¶3), a card's document and section, or its anchor."""
    if paragraph.number is not None:
        return f"¶{paragraph.number}"
    if source.card:
        uncertain = " (date uncertain)" if source.date_note else ""  # the card says why
        return (f"{source.author}, {source.date.day} {source.date:%B %Y}{uncertain}: "
                f"{paragraph.heading or paragraph.id}")
    return paragraph.id


# --- primary sources ----------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Paragraph:
    """One block of a source's text, with a stable anchor."""

    id: str = field(metadata=doc("Stable anchor, e.g. p1; used by questions' `evidence`."))
    text: str = field(metadata=doc("The text, verbatim (translator's brackets kept)."))
    number: int | None = field(
        default=None, metadata=doc("Paragraph number shown in the margin; none for salutation or signature.")
    )
    heading: str = field(default="", metadata=doc("Heading of a section of a document card (cards only)."))


@dataclass(frozen=True, kw_only=True)
class Source:
    """A primary source: its metadata (for the source card and citations) and its text."""

    id: str = field(metadata=doc("Stable identifier of the source."))
    title: str = field(metadata=doc("Title as the archive gives it."))
    author: str = field(metadata=doc("Author, name as usually written (e.g. Nie Rongzhen)."))
    author_sort: str = field(
        default="", metadata=doc("Author as sorted in a bibliography, family name first, e.g. 'Nie, Rongzhen'. "
                                       "A name written family name first keeps its order without the comma in "
                                       "Chicago and MLA citations.")
    )
    date: datetime.date = field(metadata=doc("Date of the document, YYYY-MM-DD."))
    date_note: str = field(
        default="", metadata=doc("Where the date comes from, when it is assigned, uncertain or disputed.")
    )
    audience: str = field(default="", metadata=doc("To whom it was written."))
    kind: str = field(default="", metadata=doc("What kind of document it is (report, letter...)."))
    archive: str = field(default="", metadata=doc("The archive or collection that holds the text."))
    archive_url: str = field(default="", metadata=doc("Address of the archive's page for it."))
    original_publication: str = field(
        default="", metadata=doc("The print publication the archive cites (journal, issue, year, pages)."))
    published_year: int | None = field(default=None, metadata=doc("Year of that publication."))
    translator: str = field(default="", metadata=doc("Translator of the text used here."))
    language: str = field(default="", metadata=doc("Language of the original."))
    abridged: bool = field(default=False, metadata=doc("Whether the text is abridged."))
    rights: str = field(default="", metadata=doc("What is known of the rights to the text (Markdown).", markdown=True))
    summary: str = field(default="", metadata=doc("A sentence on what the source is (Markdown).", markdown=True))
    card: bool = field(
        default=False,
        metadata=doc("True for a document card: its paragraphs are the course's own sections about the "
                     "document (who wrote it and why, a summary, short quoted phrases, what it supports), "
                     "not the document's text, which is not reproduced."),
    )
    paragraphs: tuple[Paragraph, ...] = field(metadata=doc("The text, block by block (a card's sections)."))
    #: Where the source was read from (not a YAML key).
    path: str = field(default="", metadata={"internal": True})

    @property
    def anchors(self) -> frozenset[str]:
        """Every paragraph anchor the source has."""
        return frozenset(p.id for p in self.paragraphs)

    def paragraph(self, anchor: str) -> Paragraph:
        """The paragraph with this anchor (KeyError if none)."""
        for p in self.paragraphs:
            if p.id == anchor:
                return p
        raise KeyError(anchor)


@dataclass(frozen=True)
class Cited:
    """One paragraph a question cites as evidence, in its source."""

    source: Source
    paragraph: Paragraph
    #: The anchor as the question cites it.
    anchor: str

    @property
    def label(self) -> str:
        """How people refer to it: ¶3, a card's document and section, or the anchor of an unnumbered
        block (salutation...)."""
        return evidence_label(self.source, self.paragraph)


#: Each model class's YAML keys, found once: the loader, the checks and to_data ask thousands of times per bank.
_YAML_FIELDS: dict[type, tuple[dataclasses.Field[Any], ...]] = {}
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def yaml_fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    """The fields of a model class that are YAML keys (not internal bookkeeping)."""
    fields = _YAML_FIELDS.get(cls)
    if fields is None:
        fields = _YAML_FIELDS[cls] = tuple(f for f in dataclasses.fields(cls) if not f.metadata.get("internal"))
    return fields


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The names of a model class's YAML keys, or None for a class that is no dataclass."""
    if cls not in _FIELD_NAMES:
        _FIELD_NAMES[cls] = tuple(f.name for f in yaml_fields(cls)) if dataclasses.is_dataclass(cls) else None
    return _FIELD_NAMES[cls]


def to_data(obj: Any) -> Any:
    """A model object as plain JSON-ready data, with every default filled in.

    Questions carry their ``type``. Internal fields (path, loaded source) are
    left out. Renderers that need HTML render the Markdown fields themselves.
    """
    if isinstance(obj, str | bool | int | float) or obj is None:
        return obj
    names = _field_names(type(obj))
    if names is not None:
        out: dict[str, Any] = {"type": obj.TYPE} if isinstance(obj, Question) else {}
        out.update({name: to_data(getattr(obj, name)) for name in names})
        return out
    if isinstance(obj, tuple | list):
        return [to_data(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_data(v) for k, v in obj.items()}
    if isinstance(obj, datetime.date):
        return obj.isoformat()
    return obj
