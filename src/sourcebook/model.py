"""The one data model of sourcebook: question banks, questions, choices and sources.

Every renderer (notebook widgets, the Sphinx directive, the exporters) takes
these objects and nothing else. The YAML loader (``loader.py``) and the JSON
Schema (``schema.py``) are both driven by the dataclass fields below and their
``doc`` metadata, so the format is defined exactly once.

Markdown fields hold the teacher's Markdown source; renderers turn it into
HTML with :mod:`sourcebook.markdown`.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

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
    """One choice of a single-choice or multiple-answer question."""

    text: str = field(metadata=doc("What the student sees (Markdown).", markdown=True))
    correct: bool = field(default=False, metadata=doc("Whether this choice is right."))
    feedback: str = field(
        default="",
        metadata=doc(
            "Shown when the student picks this choice: why it is right or wrong (Markdown).",
            markdown=True,
        ),
    )


@dataclass(frozen=True, kw_only=True)
class Pair:
    """One pair of a matching question: a left item and the right item it goes with."""

    left: str = field(metadata=doc("The item the student matches (Markdown).", markdown=True))
    right: str = field(metadata=doc("The item it belongs with (plain text).", markdown=False))


@dataclass(frozen=True, kw_only=True)
class WrongAnswer:
    """A foreseen wrong answer to a short-text question, with feedback for it."""

    text: str = field(metadata=doc("The wrong answer, compared after normalisation."))
    feedback: str = field(metadata=doc("Why it is wrong (Markdown).", markdown=True))


@dataclass(frozen=True, kw_only=True)
class Blank:
    """One gap of a fill-in-the-blanks question: typed, or chosen from a list."""

    answers: tuple[str, ...] = field(
        metadata=doc("Accepted answers, compared after normalisation.")
    )
    choices: tuple[str, ...] = field(
        default=(),
        metadata=doc("If given, the gap is a drop-down of these; every answer must be one."),
    )
    case_sensitive: bool = field(default=False, metadata=doc("Compare letter case too."))


# --- questions ----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Question:
    """Fields every question has. Subclasses add what their type needs."""

    TYPE: ClassVar[str] = ""
    LABEL: ClassVar[str] = ""
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


@dataclass(frozen=True, kw_only=True)
class SingleChoice(Question):
    """Pick one choice; exactly one is right."""

    TYPE = "single"
    LABEL = "single choice"
    choices: tuple[Choice, ...] = field(metadata=doc("The choices, one marked correct."))


@dataclass(frozen=True, kw_only=True)
class MultipleAnswer(Question):
    """Pick every right choice; partial credit."""

    TYPE = "multiple"
    LABEL = "multiple answer"
    choices: tuple[Choice, ...] = field(metadata=doc("The choices; mark each right one correct."))


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    """Decide whether a statement is true."""

    TYPE = "true-false"
    LABEL = "true/false"
    answer: bool = field(metadata=doc("Whether the statement in the prompt is true."))
    feedback_true: str = field(
        default="", metadata=doc("Shown when the student answers True (Markdown).", markdown=True)
    )
    feedback_false: str = field(
        default="", metadata=doc("Shown when the student answers False (Markdown).", markdown=True)
    )


@dataclass(frozen=True, kw_only=True)
class Numeric(Question):
    """Type a number: exact, within a tolerance, or within a range."""

    TYPE = "numeric"
    LABEL = "numeric"
    answer: float | None = field(
        default=None, metadata=doc("The right number (with `tolerance`), or leave out and use min/max.")
    )
    tolerance: float = field(default=0.0, metadata=doc("How far from `answer` still counts as right."))
    min: float | None = field(default=None, metadata=doc("Lowest right number (a range, with `max`)."))
    max: float | None = field(default=None, metadata=doc("Highest right number (a range, with `min`)."))
    unit: str = field(default="", metadata=doc("Unit shown after the input, e.g. 'years'."))

    @property
    def low(self) -> float:
        """The lowest number graded right."""
        if self.answer is not None:
            return self.answer - self.tolerance
        assert self.min is not None  # guaranteed by the loader's checks
        return self.min

    @property
    def high(self) -> float:
        """The highest number graded right."""
        if self.answer is not None:
            return self.answer + self.tolerance
        assert self.max is not None  # guaranteed by the loader's checks
        return self.max


@dataclass(frozen=True, kw_only=True)
class ShortText(Question):
    """Type a word or phrase; compared with the accepted answers after normalisation."""

    TYPE = "short"
    LABEL = "short text"
    answers: tuple[str, ...] = field(metadata=doc("Accepted answers."))
    case_sensitive: bool = field(default=False, metadata=doc("Compare letter case too."))
    wrong_answers: tuple[WrongAnswer, ...] = field(
        default=(), metadata=doc("Foreseen wrong answers with feedback for each.")
    )


@dataclass(frozen=True, kw_only=True)
class Ordering(Question):
    """Put items in order; partial credit for each pair in the right relative order."""

    TYPE = "ordering"
    LABEL = "ordering"
    items: tuple[str, ...] = field(
        metadata=doc("The items in the RIGHT order; students see them shuffled (Markdown).", markdown=True)
    )


@dataclass(frozen=True, kw_only=True)
class Matching(Question):
    """Pair each left item with a right item; partial credit per pair."""

    TYPE = "matching"
    LABEL = "matching"
    pairs: tuple[Pair, ...] = field(metadata=doc("The right pairs."))
    distractors: tuple[str, ...] = field(
        default=(), metadata=doc("Extra right-hand items that match nothing.")
    )

    @property
    def options(self) -> tuple[str, ...]:
        """Every right-hand item offered, in bank order: the pairs', then distractors."""
        return tuple(p.right for p in self.pairs) + self.distractors


#: A gap in the text of a fill-in-the-blanks question: [[name]].
GAP_PATTERN = re.compile(r"\[\[\s*([^\[\]\s]+)\s*\]\]")


@dataclass(frozen=True, kw_only=True)
class Blanks(Question):
    """Fill the gaps of a text; partial credit per gap."""

    TYPE = "blanks"
    LABEL = "fill in the blanks"
    text: str = field(
        metadata=doc(
            "The text with gaps written [[name]]; each name is a key of `blanks` (Markdown).",
            markdown=True,
        )
    )
    blanks: dict[str, Blank] = field(metadata=doc("The gaps, by name."))


@dataclass(frozen=True, kw_only=True)
class OpenResponse(Question):
    """Write freely; not graded. A model answer and a rubric help students check themselves."""

    TYPE = "open"
    LABEL = "open response"
    GRADED = False
    model_answer: str = field(
        default="", metadata=doc("A model answer, shown after the student writes (Markdown).", markdown=True)
    )
    rubric: tuple[str, ...] = field(
        default=(), metadata=doc("Criteria the student ticks to check their answer (Markdown).", markdown=True)
    )


QUESTION_TYPES: dict[str, type[Question]] = {
    cls.TYPE: cls
    for cls in (
        SingleChoice,
        MultipleAnswer,
        TrueFalse,
        Numeric,
        ShortText,
        Ordering,
        Matching,
        Blanks,
        OpenResponse,
    )
}

AnyQuestion = (
    SingleChoice | MultipleAnswer | TrueFalse | Numeric | ShortText | Ordering | Matching | Blanks | OpenResponse
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
    questions: tuple[AnyQuestion, ...] = field(metadata=doc("The questions."))
    #: Where the bank was read from (not a YAML key).
    path: str = field(default="", metadata={"internal": True})
    #: The loaded source, when the bank names one (not a YAML key).
    source_document: Source | None = field(default=None, metadata={"internal": True})
    #: The loaded further documents, in the order of ``documents`` (not a YAML key).
    document_sources: tuple[Source, ...] = field(default=(), metadata={"internal": True})

    def question(self, question_id: str) -> AnyQuestion:
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
    original_publication: str = field(default="", metadata=doc("Where it was first published."))
    published_year: int | None = field(default=None, metadata=doc("Year of that first publication."))
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


def yaml_fields(cls: type) -> list[dataclasses.Field[Any]]:
    """The fields of a model class that are YAML keys (not internal bookkeeping)."""
    return [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


def to_data(obj: Any) -> Any:
    """A model object as plain JSON-ready data, with every default filled in.

    Questions carry their ``type``. Internal fields (path, loaded source) are
    left out. Renderers that need HTML render the Markdown fields themselves.
    """
    if isinstance(obj, Question):
        out: dict[str, Any] = {"type": obj.TYPE}
        out.update({f.name: to_data(getattr(obj, f.name)) for f in yaml_fields(type(obj))})
        return out
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_data(getattr(obj, f.name)) for f in yaml_fields(type(obj))}
    if isinstance(obj, tuple | list):
        return [to_data(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_data(v) for k, v in obj.items()}
    if isinstance(obj, datetime.date):
        return obj.isoformat()
    return obj
