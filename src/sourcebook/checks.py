"""Checks that look at a whole bank or source once its keys and types are right.

Errors are what would break a quiz (two questions with one id, a single-choice
question with two right answers); warnings are what makes a poor question
(a choice without feedback, fewer than three choices, an evidence anchor the
source does not have).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from . import model
from .markdown import images, is_remote
from .placeholders import bank_placeholder
from .problems import did_you_mean
from .texmath import FIX as MATH_FIX
from .texmath import describe, find_math

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
#: The longest skill name: Moodle's tags, which skills become, hold 50 characters.
MAX_SKILL = 50
#: The only addresses a source may link to: a page on the web (no javascript:, data: or file:).
WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


class Marks(Protocol):
    """Where each object of the model was read from (the loader's builder): a place problems can point at."""

    def mark(self, obj: object) -> Any: ...

    def field_node(self, obj: object, name: str) -> Any: ...

    def locate(self, node: Any, text: str) -> Any: ...


class Report(Protocol):
    """What collects the problems of a file (the loader's reader), each at a place from :class:`Marks`."""

    def error(self, where: Any, code: str, message: str) -> None: ...

    def warning(self, where: Any, code: str, message: str) -> None: ...


#: The place of an object, or of one of its keys: what a check reports at.
At = Callable[..., Any]

_SKILL_ALIASES = {"contextualisation": "contextualization", "close-reading": "close reading",
                  "close_reading": "close reading", "closereading": "close reading"}


def check_bank(bank: model.Bank, source: model.Source | None, builder: Marks, reader: Report,
               documents: tuple[model.Source, ...] = (), *,
               unbanked: Sequence[tuple[model.Question, frozenset[str]]] = (),
               broken: frozenset[str] = frozenset()) -> None:
    """Report every problem of a bank, as far as its keys and types are right.

    ``unbanked`` are questions left out of the bank for errors already reported, each with the keys that
    failed, and ``broken`` the bank's own keys that failed: everything else of them is checked too, so
    that a teacher sees every problem in one run, not a new one each time one is fixed.
    """
    bank_node = builder.mark(bank)
    assert bank_node is not None

    def at(obj: object, key: str | None = None, within: str | None = None) -> Any:
        node = builder.field_node(obj, key) if key else None
        node = node or builder.mark(obj) or bank_node
        # A part of a long value (a gap in a text) is pointed at where it is written.
        return builder.locate(node, within) if within else node

    if bank.version != model.FORMAT_VERSION and "version" not in broken:
        reader.error(at(bank, "version"), "version", f"this is bank format version {bank.version}; "
                     f"this sourcebook reads version {model.FORMAT_VERSION}")
    questions_node = builder.field_node(bank, "questions")
    if not bank.questions and not getattr(questions_node, "items", None) and "questions" not in broken:
        reader.error(at(bank, "questions"), "no-questions", "the bank has no questions")
    defaults = bank.defaults
    if defaults.points <= 0:
        reader.error(at(defaults, "points"), "bad-value", "`points` must be more than 0")
    if defaults.attempts < 1:
        reader.error(at(defaults, "attempts"), "bad-value", "`attempts` must be 1 or more")
    _check_math(bank, "description", bank.description, "the bank's `description`", at, reader)
    example = bank_placeholder(bank.description)
    if example:
        reader.warning(at(bank, "description"), "placeholder", f"the bank's `description` is still the example "
                       f"text that `sourcebook new` wrote (“{example}…”): describe the bank in your own words")

    # Questions with errors are checked too, in file order, but never on a key that failed.
    every: list[tuple[model.Question, frozenset[str]]] = [(q, frozenset()) for q in bank.questions]
    every += unbanked
    every.sort(key=lambda entry: (at(entry[0]).line, at(entry[0]).column))
    if broken & {"source", "documents"}:  # a source that could not be named: its anchors cannot be checked
        every = [(q, failed | {"evidence"}) for q, failed in every]
    first_seen: dict[str, int] = {}
    for q, failed in every:
        if "id" not in failed:
            id_node = at(q, "id")
            if not ID_PATTERN.fullmatch(q.id):
                reader.error(id_node, "bad-id", f"the id `{q.id}` may use only letters, digits, '-', '_' and '.', "
                             "and must start with a letter or digit")
            if q.id in first_seen:
                reader.error(id_node, "duplicate-id", f"the id `{q.id}` is already used at line "
                             f"{first_seen[q.id]}; every question needs its own id")
            else:
                first_seen[q.id] = id_node.line
        _check_common(q, at, reader, source, bank, documents, failed)
        texts = list(_markdown_fields(q))
        _check_placeholder(q, texts, at, reader)
        for owner, key, text in texts:
            _check_math(owner, key, text, f"`{key}` of question `{q.id}`", at, reader)
        _check_images(q, texts, at, reader, Path(bank.path))
        if not failed:  # a type's checks look at its keys together
            q.KIND.check(q, at, reader)
            q.KIND.check_in_bank(q, bank, source, at, reader)
    _check_kept_order(bank, at, reader)


#: Questions that keep their order before a pattern in the right answers' places is worth a warning.
KEPT_ORDER_MINIMUM = 3


def _check_kept_order(bank: model.Bank, at: At, reader: Report) -> None:
    """Warn when questions keep their choices' order and the right answers mostly share one place.

    A student who notices that the answer is usually first needs no source.
    """
    kept = [q for q in bank.questions if not q.shuffle and q.KIND.part_count(q) > 1 and q.KIND.answer_places(q)]
    places = [n for q in kept for n in q.KIND.answer_places(q)]
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
    for f in model.yaml_fields(type(obj)):  # found once per class (model.py keeps them)
        value = getattr(obj, f.name)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, str):
                if f.metadata.get("markdown"):
                    yield obj, f.name, item
            elif dataclasses.is_dataclass(item) and not isinstance(item, type):
                yield from _markdown_fields(item)


#: (object, key, text) of a question's Markdown texts, as :func:`_markdown_fields` lists them.
Texts = Sequence[tuple[object, str, str]]


def _check_placeholder(q: model.Question, texts: Texts, at: At, reader: Report) -> None:
    """One warning for a question that still holds example text of a new bank (at its first such key)."""
    for owner, key, text in texts:
        example = bank_placeholder(text)
        if example:
            reader.warning(at(owner, key), "placeholder", f"question `{q.id}` still holds the example text that "
                           f"`sourcebook new` wrote (“{example}…”): replace it with your own question, or "
                           "delete the question")
            return


def _check_math(owner: object, key: str, text: str, what: str, at: At, reader: Report) -> None:
    """An error for TeX math in a Markdown text, at the first piece of it (see :mod:`sourcebook.texmath`)."""
    found = find_math(text)
    if found:
        reader.error(at(owner, key, found[0].written.split("\n")[0]), "math",
                     f"{what} holds TeX math {describe(found)}; {MATH_FIX}")


def _check_images(q: model.Question, texts: Texts, at: At, reader: Report, bank_path: Path) -> None:
    from .images import problem

    for owner, key, text in texts:
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
                  bank: model.Bank, documents: tuple[model.Source, ...] = (),
                  failed: frozenset[str] = frozenset()) -> None:
    """Checks every question gets. None looks at a key in ``failed`` (already reported), and those about
    what a question lacks (a skill, feedback) do not run when the key that would hold it failed or a key
    is misspelt."""
    if q.GRADED and q.points <= 0 and "points" not in failed:
        reader.error(at(q, "points"), "bad-value", f"`points` of question `{q.id}` must be more than 0")
    if q.attempts < 1 and "attempts" not in failed:
        reader.error(at(q, "attempts"), "bad-value", f"`attempts` of question `{q.id}` must be 1 or more")
    if not q.prompt.strip() and "prompt" not in failed:
        reader.error(at(q, "prompt"), "empty-value", f"the prompt of question `{q.id}` is empty")
    skill = q.skill.strip().lower()
    # A key that is none of the question's may be a misspelt `skill` or `explanation`: reported as such,
    # not as a missing one.
    misspelt = bool(failed - {f.name for f in model.yaml_fields(type(q))})
    if "skill" in failed or (misspelt and not skill):
        pass
    elif len(q.skill) > MAX_SKILL or "\n" in q.skill or "," in q.skill:
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
    if q.evidence and "evidence" not in failed:
        evidence_node = at(q, "evidence")
        items = getattr(evidence_node, "items", None) or [evidence_node] * len(q.evidence)
        warned = False
        cited = sorted({r.rpartition("#")[0] for r in q.evidence if "#" in r and "," not in r})
        if cited and not bank.documents:
            # Nothing to check them against, as for anchors without a source (an imported bank, say).
            reader.warning(evidence_node, "no-documents", f"question `{q.id}` cites the document"
                           f"{'s' * (len(cited) != 1)} {', '.join(cited)}, but the bank lists no `documents:` to "
                           "check them against: add each document's file under `documents:`")
        for reference, node in zip(q.evidence, items, strict=False):
            if "," in reference:
                # `evidence: p1, p2` is one text, which the loader takes as a list of one reference; no anchor
                # or document's name holds a comma.
                parts = ", ".join(part.strip() for part in reference.split(",") if part.strip())
                reader.warning(node, "text-not-list", f"`evidence` of question `{q.id}` is one text, "
                               f"{reference!r}, not a list of paragraphs: write `[{parts}]`")
            elif "#" in reference:
                if bank.documents:
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
    feedback_failed = misspelt or failed & {"explanation", "choices", "feedback_true", "feedback_false",
                                            "wrong_answers", "paragraphs"}
    # A question read as no type (none that its keys fit) has no type's feedback to look at: its type is the error.
    if q.GRADED and q.TYPE and not feedback_failed and not q.explanation.strip() and not q.KIND.has_feedback(q):
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
    for _, key, text in _markdown_fields(source):  # the paragraphs are verbatim text, shown as written
        found = find_math(text)
        if found:
            node = builder.field_node(source, key) or builder.mark(source)
            reader.error(builder.locate(node, found[0].written.split("\n")[0]) if node else (1, 1), "math",
                         f"the source's `{key}` holds TeX math {describe(found)}; {MATH_FIX}")
    if source.archive_url and not WEB_ADDRESS.fullmatch(source.archive_url):
        node = builder.field_node(source, "archive_url") or builder.mark(source)
        reader.error(node or (1, 1), "bad-url", f"`archive_url` must be a web address starting with https:// "  # type: ignore[arg-type]
                     f"or http://, not `{source.archive_url[:60]}`")
