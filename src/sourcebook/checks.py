"""Checks that look at a whole bank or source once its keys and types are right.

Errors are what would break a quiz (two questions with one id, a single-choice
question with two right answers); warnings are what makes a poor question
(a choice without feedback, fewer than three choices, an evidence anchor the
source does not have).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from . import model
from .formatting import format_number
from .grading import normalise
from .markdown import images, is_remote
from .model import GAP_PATTERN
from .problems import did_you_mean

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
#: The longest skill name: Moodle's tags, which skills become, hold 50 characters.
MAX_SKILL = 50
#: The only addresses a source may link to: a page on the web (no javascript:, data: or file:).
WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


class Marks(Protocol):
    """Where each object of the model was read from (the loader's builder): a place problems can point at."""

    def mark(self, obj: object) -> Any: ...

    def field_node(self, obj: object, name: str) -> Any: ...


class Report(Protocol):
    """What collects the problems of a file (the loader's reader), each at a place from :class:`Marks`."""

    def error(self, where: Any, code: str, message: str) -> None: ...

    def warning(self, where: Any, code: str, message: str) -> None: ...


#: The place of an object, or of one of its keys: what a check reports at.
At = Callable[..., Any]

_SKILL_ALIASES = {"contextualisation": "contextualization", "close-reading": "close reading",
                  "close_reading": "close reading", "closereading": "close reading"}


def check_bank(bank: model.Bank, source: model.Source | None, builder: Marks, reader: Report,
               documents: tuple[model.Source, ...] = ()) -> None:
    """Report every problem of a bank whose keys and types are already right."""
    bank_node = builder.mark(bank)
    assert bank_node is not None

    def at(obj: object, key: str | None = None) -> Any:
        node = builder.field_node(obj, key) if key else None
        return node or builder.mark(obj) or bank_node

    if bank.version != model.FORMAT_VERSION:
        reader.error(at(bank, "version"), "version", f"this is bank format version {bank.version}; "
                     f"this sourcebook reads version {model.FORMAT_VERSION}")
    questions_node = builder.field_node(bank, "questions")
    if not bank.questions and not getattr(questions_node, "items", None):
        reader.error(at(bank, "questions"), "no-questions", "the bank has no questions")
    defaults = bank.defaults
    if defaults.points <= 0:
        reader.error(at(defaults, "points"), "bad-value", "`points` must be more than 0")
    if defaults.attempts < 1:
        reader.error(at(defaults, "attempts"), "bad-value", "`attempts` must be 1 or more")

    first_seen: dict[str, int] = {}
    for q in bank.questions:
        id_node = at(q, "id")
        if not ID_PATTERN.fullmatch(q.id):
            reader.error(id_node, "bad-id", f"the id `{q.id}` may use only letters, digits, '-', '_' and '.', "
                         "and must start with a letter or digit")
        if q.id in first_seen:
            reader.error(id_node, "duplicate-id", f"the id `{q.id}` is already used at line {first_seen[q.id]}; "
                         "every question needs its own id")
        else:
            first_seen[q.id] = id_node.line
        _check_common(q, at, reader, source, bank, documents)
        _check_images(q, at, reader, Path(bank.path))
        type_check = _TYPE_CHECKS.get(type(q))
        if type_check is not None:
            type_check(q, at, reader)
    _check_kept_order(bank, at, reader)


#: Questions that keep their order before a pattern in the right answers' places is worth a warning.
KEPT_ORDER_MINIMUM = 3


def _check_kept_order(bank: model.Bank, at: At, reader: Report) -> None:
    """Warn when questions keep their choices' order and the right answers mostly share one place.

    A student who notices that the answer is usually first needs no source.
    """
    kept = [q for q in bank.questions
            if isinstance(q, model.SingleChoice | model.MultipleAnswer) and not q.shuffle and len(q.choices) > 1]
    places = [n for q in kept for n, c in enumerate(q.choices) if c.correct]
    if len(kept) < KEPT_ORDER_MINIMUM or not places:
        return
    place = max(set(places), key=places.count)
    if places.count(place) * 2 <= len(places):
        return
    where = at(bank.defaults, "shuffle") if not bank.defaults.shuffle else at(kept[0], "shuffle")
    reader.warning(where, "answer-position", f"{places.count(place)} of the {len(places)} right answers of the "
                   f"{len(kept)} questions that keep their choices' order (`shuffle: false`) are choice "
                   f"{place + 1}: a student could guess them without reading the source; vary their places, "
                   "or let the choices be shuffled")


def _markdown_fields(obj: object) -> Iterator[tuple[object, str, str]]:
    """(object, key, text) of every Markdown text of a question, its choices, pairs, answers..."""
    for f in model.yaml_fields(type(obj)):
        value = getattr(obj, f.name)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, str) and f.metadata.get("markdown"):
                yield obj, f.name, item
            elif dataclasses.is_dataclass(item) and not isinstance(item, type):
                yield from _markdown_fields(item)


def _check_images(q: model.Question, at: At, reader: Report, bank_path: Path) -> None:
    from .images import problem

    for owner, key, text in _markdown_fields(q):
        for image in images(text):
            if is_remote(image.src):
                reader.error(at(owner, key), "remote-image", f"the image `{image.src[:80]}` in `{key}` of question "
                             f"`{q.id}` is on another host, and the site asks no other host for anything (a "
                             "picture from elsewhere can track who opens the page): copy it into the course")
            elif not image.src.startswith("data:"):
                refusal = problem(image.src, image.alt, bank_path)
                if refusal is not None:
                    reader.error(at(owner, key), refusal[0], f"{refusal[1]} (`{key}` of question `{q.id}`)")


def _check_common(q: model.Question, at: At, reader: Report, source: model.Source | None,
                  bank: model.Bank, documents: tuple[model.Source, ...] = ()) -> None:
    if q.GRADED and q.points <= 0:
        reader.error(at(q, "points"), "bad-value", f"`points` of question `{q.id}` must be more than 0")
    if q.attempts < 1:
        reader.error(at(q, "attempts"), "bad-value", f"`attempts` of question `{q.id}` must be 1 or more")
    if not q.prompt.strip():
        reader.error(at(q, "prompt"), "empty-value", f"the prompt of question `{q.id}` is empty")
    skill = q.skill.strip().lower()
    if len(q.skill) > MAX_SKILL or "\n" in q.skill or "," in q.skill:
        # A skill becomes a Moodle tag (at most 50 characters, no comma) and a column of the results.
        reader.error(at(q, "skill"), "bad-skill", f"the skill of question `{q.id}` must be one short name on one "
                     f"line, at most {MAX_SKILL} characters and without a comma (it becomes a tag in Moodle)")
    elif not skill:
        reader.warning(at(q), "no-skill", f"question `{q.id}` has no `skill`; tag it with one of "
                       f"{', '.join(model.STANDARD_SKILLS)} (or a tag of your own)")
    elif skill not in model.STANDARD_SKILLS:
        near = _SKILL_ALIASES.get(skill) or did_you_mean(skill, model.STANDARD_SKILLS)
        if near:
            suggestion = f" did you mean `{near}`?" if skill in _SKILL_ALIASES else near
            reader.warning(at(q, "skill"), "skill", f"`{q.skill}` is not one of the standard skills;"
                           f"{suggestion} (a tag of your own is fine if that is what you meant)")
    if q.evidence:
        evidence_node = at(q, "evidence")
        items = getattr(evidence_node, "items", None) or [evidence_node] * len(q.evidence)
        warned = False
        for reference, node in zip(q.evidence, items, strict=False):
            if "#" in reference:
                _check_document_reference(reference, node, reader, bank, documents)
            elif source is None:
                if not bank.source and not warned:
                    reader.warning(evidence_node, "no-source", f"question `{q.id}` cites evidence, but the bank "
                                   "names no `source:` to check the anchors against")
                    warned = True
            elif reference not in source.anchors:
                reader.warning(node, "unknown-anchor", f"the source has no paragraph `{reference}`;"
                               f"{did_you_mean(reference, sorted(source.anchors))} anchors are "
                               f"{', '.join(p.id for p in source.paragraphs)}")
    if q.GRADED and not q.explanation.strip() and not _has_feedback(q):
        reader.warning(at(q), "no-feedback", f"question `{q.id}` has neither an `explanation` nor feedback: "
                       "students learn nothing from a bare right/wrong")


def _check_document_reference(reference: str, node: Any, reader: Report, bank: model.Bank,
                              documents: tuple[model.Source, ...]) -> None:
    """``document-id#anchor``: the document must be one the bank lists, the anchor one of its sections."""
    document_id, _, anchor = reference.rpartition("#")
    by_id = {d.id: d for d in documents}
    if document_id not in by_id:
        if len(documents) == len(bank.documents):  # a missing or broken file is reported already
            listed = ", ".join(sorted(by_id)) or "none (add the file to the bank's `documents:`)"
            reader.error(node, "unknown-document", f"`{reference}` cites a document `{document_id}` that the "
                         f"bank does not list in `documents:`;{did_you_mean(document_id, sorted(by_id))} "
                         f"listed: {listed}")
        return
    document = by_id[document_id]
    if anchor not in document.anchors:
        reader.error(node, "unknown-anchor", f"the document `{document_id}` has no section `{anchor}`;"
                     f"{did_you_mean(anchor, sorted(document.anchors))} sections are "
                     f"{', '.join(p.id for p in document.paragraphs)}")


def _has_feedback(q: model.Question) -> bool:
    if isinstance(q, model.SingleChoice | model.MultipleAnswer):
        return any(c.feedback.strip() for c in q.choices)
    if isinstance(q, model.TrueFalse):
        return bool(q.feedback_true.strip() or q.feedback_false.strip())
    if isinstance(q, model.ShortText):
        return bool(q.wrong_answers)
    return False


def _check_choices(q: model.SingleChoice | model.MultipleAnswer, at: At, reader: Report) -> None:
    if len(q.choices) < 2:
        reader.error(at(q, "choices"), "too-few-choices", f"question `{q.id}` needs at least two choices")
    elif len(q.choices) < 3 and isinstance(q, model.SingleChoice):
        reader.warning(at(q, "choices"), "few-choices", f"question `{q.id}` has only {len(q.choices)} choices; "
                       "three or more make guessing harder (or use type `true-false`)")
    right = [c for c in q.choices if c.correct]
    if isinstance(q, model.SingleChoice):
        if not right:
            reader.error(at(q, "choices"), "no-correct", f"no choice of question `{q.id}` is marked "
                         "`correct: true`")
        elif len(right) > 1:
            reader.error(at(right[1]), "several-correct", f"question `{q.id}` has {len(right)} choices marked "
                         "correct; a single-choice question has one (use `type: multiple` for several)")
    elif not right:
        reader.warning(at(q, "choices"), "no-correct", f"no choice of question `{q.id}` is marked correct, so "
                       "the right answer is to tick none; is that what you meant?")
    seen: dict[str, model.Choice] = {}
    for c in q.choices:
        key = normalise(c.text)
        if key in seen:
            reader.warning(at(c, "text"), "duplicate-choice", f"question `{q.id}` has the choice "
                           f"“{c.text.strip()}” twice (first at line {at(seen[key], 'text').line})")
        else:
            seen[key] = c
        if not c.feedback.strip():
            reader.warning(at(c), "no-feedback", f"a choice of question `{q.id}` has no `feedback`: say why "
                           f"“{c.text.strip()[:40]}” is right or wrong")


def _check_numeric(q: model.Numeric, at: At, reader: Report) -> None:
    has_range = q.min is not None or q.max is not None
    if q.answer is None and not has_range:
        reader.error(at(q), "missing-key", f"question `{q.id}` needs `answer` (with an optional `tolerance`) "
                     "or `min` and `max`")
    elif q.answer is not None and has_range:
        reader.error(at(q, "min") if q.min is not None else at(q, "max"), "bad-value",
                     f"question `{q.id}` gives both `answer` and a range; use one or the other")
    elif q.answer is None and (q.min is None or q.max is None):
        reader.error(at(q), "missing-key", f"question `{q.id}` gives a range: it needs both `min` and `max`")
    elif q.min is not None and q.max is not None and q.min > q.max:
        reader.error(at(q, "min"), "bad-value",
                     f"`min` ({format_number(q.min)}) is above `max` ({format_number(q.max)})")
    if q.tolerance < 0:
        reader.error(at(q, "tolerance"), "bad-value", "`tolerance` cannot be negative")


def _check_short(q: model.ShortText, at: At, reader: Report) -> None:
    if not q.answers:
        reader.error(at(q, "answers"), "missing-key", f"question `{q.id}` needs at least one accepted answer")
    for a in q.answers:
        if not normalise(a):
            reader.error(at(q, "answers"), "empty-value", f"an accepted answer of `{q.id}` is empty once "
                         "spaces and punctuation are removed")
    accepted = {normalise(a, case_sensitive=q.case_sensitive) for a in q.answers}
    for w in q.wrong_answers:
        if normalise(w.text, case_sensitive=q.case_sensitive) in accepted:
            reader.error(at(w, "text"), "bad-value", f"“{w.text}” is listed both as accepted and as wrong")


def _check_ordering(q: model.Ordering, at: At, reader: Report) -> None:
    if len(q.items) < 2:
        reader.error(at(q, "items"), "too-few-items", f"question `{q.id}` needs at least two items to order")
    if len({normalise(i) for i in q.items}) != len(q.items):
        reader.error(at(q, "items"), "duplicate-choice", f"question `{q.id}` lists an item twice, so the "
                     "right order is ambiguous")


def _check_matching(q: model.Matching, at: At, reader: Report) -> None:
    if len(q.pairs) < 2:
        reader.error(at(q, "pairs"), "too-few-pairs", f"question `{q.id}` needs at least two pairs")
    lefts: set[str] = set()
    for p in q.pairs:
        if normalise(p.left) in lefts:
            reader.error(at(p, "left"), "duplicate-choice", f"“{p.left}” appears twice on the left")
        lefts.add(normalise(p.left))
    rights = {p.right for p in q.pairs}
    for d in q.distractors:
        if d in rights:
            reader.error(at(q, "distractors"), "bad-value", f"the distractor “{d}” is also a right answer")


def _check_blanks(q: model.Blanks, at: At, reader: Report) -> None:
    gaps = GAP_PATTERN.findall(q.text)
    if not gaps:
        reader.error(at(q, "text"), "no-gaps", f"the text of `{q.id}` has no gaps; write each gap as [[name]]")
    for name in gaps:
        if name not in q.blanks:
            reader.error(at(q, "text"), "unknown-blank", f"the gap [[{name}]] has no entry under `blanks`;"
                         f"{did_you_mean(name, q.blanks)} gaps defined: {', '.join(q.blanks) or 'none'}")
    if len(set(gaps)) != len(gaps):
        reader.error(at(q, "text"), "duplicate-gap", f"a gap name is used twice in the text of `{q.id}`")
    for name, blank in q.blanks.items():
        where = at(q, "blanks")
        if not ID_PATTERN.fullmatch(name):
            # Markdown would change such a name in the text (__name__ becomes bold), and the
            # page's script, the exporters and the notebook key answers by it.
            reader.error(where, "bad-gap-name", f"the gap name `{name}` may use only letters, digits, '-', '_' "
                         "and '.', starting with a letter or digit")
            continue
        if name not in gaps:
            reader.error(where, "unused-blank", f"the blank `{name}` is not used in the text; add [[{name}]] "
                         "where the gap goes")
        if not blank.answers:
            reader.error(where, "missing-key", f"the blank `{name}` needs at least one answer")
        if blank.choices:
            offered = {normalise(c, case_sensitive=blank.case_sensitive) for c in blank.choices}
            for a in blank.answers:
                if normalise(a, case_sensitive=blank.case_sensitive) not in offered:
                    reader.error(where, "bad-value", f"the answer “{a}” of blank `{name}` is not one of its choices")


def _check_open(q: model.OpenResponse, at: At, reader: Report) -> None:
    if not q.model_answer.strip() and not q.rubric:
        reader.warning(at(q), "no-feedback", f"open question `{q.id}` has neither a `model_answer` nor a "
                       "`rubric` to check an answer against")


_TYPE_CHECKS: dict[type, Any] = {
    model.SingleChoice: _check_choices,
    model.MultipleAnswer: _check_choices,
    model.Numeric: _check_numeric,
    model.ShortText: _check_short,
    model.Ordering: _check_ordering,
    model.Matching: _check_matching,
    model.Blanks: _check_blanks,
    model.OpenResponse: _check_open,
}


def check_source(source: model.Source, builder: Marks, reader: Report) -> None:
    """Report duplicate or malformed paragraph anchors of a source."""
    seen: set[str] = set()
    for p in source.paragraphs:
        node = builder.field_node(p, "id") or builder.mark(p)
        assert node is not None
        if not ID_PATTERN.fullmatch(p.id):
            reader.error(node, "bad-id", f"the anchor `{p.id}` may use only letters, digits, '-', '_' and '.'")
        if p.id in seen:
            reader.error(node, "duplicate-id", f"the anchor `{p.id}` is used twice")
        seen.add(p.id)
    if not source.paragraphs:
        reader.error(builder.mark(source) or (1, 1), "no-paragraphs", "the source has no paragraphs")
    if source.archive_url and not WEB_ADDRESS.fullmatch(source.archive_url):
        node = builder.field_node(source, "archive_url") or builder.mark(source)
        reader.error(node or (1, 1), "bad-url", f"`archive_url` must be a web address starting with https:// "  # type: ignore[arg-type]
                     f"or http://, not `{source.archive_url[:60]}`")
