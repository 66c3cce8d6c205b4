"""Evidence: the question states a claim; the student picks the paragraphs of the bank's source that bear on it.

Whether a paragraph must support the claim or contradict it is the
question's ``relation``. Each paragraph is a choice, shown by its number and
opening words with a link to it (or, where no page shows the source, its
text in a disclosure), and credited as in a multiple-answer question; its
feedback says why it does or does not bear on the claim. The paragraphs keep
the source's order, which the numbers already give away.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from .. import markdown
from ..grading import Result
from ..i18n import fill
from ..model import Bank, Cited, Question, Source, doc
from ..problems import did_you_mean
from .base import QuestionType, static_script
from .choices import check_choices, choices_worksheet
from .multiple import grade_picks

if TYPE_CHECKING:
    from ..checks import At, Report
    from ..html import SiteWriter
    from ..worksheet import SheetWriter, WorksheetQuiz
    from .controls import Control

#: What a paragraph must do to the claim to be ticked.
RELATIONS = ("supports", "contradicts")
#: How many words of a paragraph name it, and at most how many characters (text without spaces, such as Chinese).
OPENING_WORDS = 8
OPENING_CHARACTERS = 60


@dataclass(frozen=True, kw_only=True)
class Passage:
    """One paragraph of the source offered in an evidence question."""

    paragraph: str = field(metadata=doc("Anchor of a paragraph of the bank's source, e.g. p3.", example="p3"))
    correct: bool = field(default=False, metadata=doc("Whether it bears on the claim as the question asks."))
    feedback: str = field(
        default="",
        metadata=doc("Why this paragraph does or does not bear on the claim (Markdown).", markdown=True),
    )


@dataclass(frozen=True, kw_only=True)
class Evidence(Question):
    """Pick the paragraphs of the source that support (or contradict) a claim; partial credit, as multiple answer."""

    TYPE = "evidence"
    LABEL = "evidence"
    claim: str = field(metadata=doc("The claim the paragraphs are weighed against (Markdown).", markdown=True))
    relation: str = field(
        default="supports",
        metadata=doc("`supports`: tick the paragraphs that support the claim; `contradicts`: those that "
                     "contradict it."),
    )
    paragraphs: tuple[Passage, ...] = field(
        metadata=doc("The paragraphs offered, in the source's order; mark each one that bears on the claim "
                     "`correct: true`.")
    )


def opening(text: str) -> str:
    """The first words of a paragraph, by which a student recognises it."""
    words = text.split()
    shown = " ".join(words[:OPENING_WORDS])
    if len(shown) > OPENING_CHARACTERS:
        shown = shown[:OPENING_CHARACTERS].rstrip()
    return shown + ("…" if shown != " ".join(words) else "")


def passages(bank: Bank, question: Evidence) -> list[tuple[str, Cited | None]]:
    """Each offered paragraph's name (its number and opening words) and where it is, in the question's order."""
    out: list[tuple[str, Cited | None]] = []
    for passage in question.paragraphs:
        cited = bank.cite(passage.paragraph)
        out.append((f"{cited.label} “{opening(cited.paragraph.text)}”" if cited else passage.paragraph, cited))
    return out


class EvidenceType(QuestionType[Evidence]):
    """Response: the indices (the question's order) of the ticked paragraphs."""

    model = Evidence
    script = static_script("evidence")
    script_helpers = ("rules/picks.js",)
    ticks_boxes = True
    aliases = ("evidence-question", "source-evidence", "find-evidence", "paragraphs", "passages")

    def check(self, question: Evidence, at: At, reader: Report) -> None:
        q = question
        if q.relation not in RELATIONS:
            reader.error(at(q, "relation"), "bad-value", f"`relation` of `{q.id}` must be `supports` or "
                         f"`contradicts`, not `{q.relation}`;{did_you_mean(q.relation, RELATIONS)}")
        if not q.claim.strip():
            reader.error(at(q, "claim"), "empty-value", f"the claim of question `{q.id}` is empty")
        check_choices(q, q.paragraphs, at, reader, one_right=False, key="paragraphs", text="paragraph")

    def check_in_bank(self, question: Evidence, bank: Bank, source: Source | None, at: At,
                      reader: Report) -> None:
        if source is None:
            if not bank.source:
                reader.error(at(question, "paragraphs"), "no-source", f"evidence question `{question.id}` offers "
                             "paragraphs of the bank's source, but the bank names no `source:`")
            return
        for passage in question.paragraphs:
            if passage.paragraph not in source.anchors:
                reader.error(at(passage, "paragraph"), "unknown-anchor", f"the source has no paragraph "
                             f"`{passage.paragraph}`;{did_you_mean(passage.paragraph, sorted(source.anchors))} "
                             f"anchors are {', '.join(p.id for p in source.paragraphs)}")

    def has_feedback(self, question: Evidence) -> bool:
        return any(p.feedback.strip() for p in question.paragraphs)

    def grade(self, question: Evidence, response: Any) -> Result:
        return grade_picks(question, [p.correct for p in question.paragraphs],
                           [p.feedback for p in question.paragraphs], response)

    def correct_response(self, question: Evidence) -> Any:
        return [i for i, p in enumerate(question.paragraphs) if p.correct]

    def part_count(self, question: Evidence) -> int:
        return len(question.paragraphs)

    def grading_data(self, question: Evidence, data: dict[str, Any]) -> dict[str, Any]:
        data.pop("claim", None)
        data["paragraphs"] = [{"correct": p.correct} for p in question.paragraphs]
        return data

    def site_html(self, page: SiteWriter, qid: str, question: Evidence) -> None:
        s = page.s
        page.w(f'<div class="sb-claim"><p class="sb-label">{escape(s["type_evidence_claim"])}</p>'
               f'{markdown.render(question.claim)}</div>',
               f'<p class="sb-help">{escape(s["type_evidence_" + question.relation])}</p>',
               '<div class="sb-choices">')
        for i, (label, cited) in enumerate(passages(page.bank, question)):
            more = ""
            if cited is not None:
                name = escape(fill(s["type_evidence_read"], label=cited.label))
                href = page.evidence_href(cited.source, cited.paragraph.id) if page.evidence_href else None
                more = (f' <a class="sb-read" href="{escape(href)}">{name}</a>' if href is not None
                        else f'<details class="sb-passage"><summary>{name}</summary>'
                             f"<p>{escape(cited.paragraph.text)}</p></details>")
            page.choice(qid, "checkbox", i, str(i), escape(label), question.paragraphs[i].feedback, more)
        page.w("</div>")

    def control(self, question: Evidence, strings: Mapping[str, str], order: Sequence[int],
                bank: Bank) -> Control:
        from .controls import ChoicesControl, plain

        labels = [escape(label) for label, _ in passages(bank, question)]
        intro = (f"{strings['type_evidence_claim']} {plain(question.claim)} "
                 f"{strings['type_evidence_' + question.relation]}")
        return ChoicesControl(question, strings, labels=labels, right=[p.correct for p in question.paragraphs],
                              feedback=[p.feedback for p in question.paragraphs], order=range(len(labels)),
                              several=True, intro=intro)

    def instruction(self, question: Evidence, strings: Mapping[str, str]) -> str:
        return strings["type_evidence_" + question.relation]

    def worksheet(self, sheet: SheetWriter, quiz: WorksheetQuiz, question: Evidence) -> None:
        sheet.w(f'<div class="ws-claim"><p class="ws-label">{escape(sheet.s["type_evidence_claim"])}</p>'
                f"{markdown.render(question.claim)}</div>")
        labels = [escape(label) for label, _ in passages(quiz.bank, question)]
        choices_worksheet(sheet, labels, [p.correct for p in question.paragraphs], range(len(labels)), radio=False)


QUESTION_TYPE = EvidenceType()
