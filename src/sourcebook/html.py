"""The static HTML of a quiz, for the course site and for notebook outputs.

No Sphinx here: the ``{quiz}`` directive and the notebook quiz's ``text/html``
both call :func:`quiz_html`. The markup is a complete worksheet that reads and
prints without JavaScript (fieldsets, legends, real inputs with labels); the
site's ``quiz.js`` then makes it interactive. Hidden parts (hints, feedback,
explanations) are rendered here, at build time, from the bank's Markdown with
raw HTML off, so the browser never turns bank text into markup: it only shows
and hides elements. They are written ``hidden="hidden"``, not a bare
``hidden``: HTML sanitisers (JupyterLab's, on a notebook's output that is not
trusted) drop the attribute when it has no value, and would show every answer.
The data the JavaScript grader needs travels as JSON in a ``<script
type="application/json">`` element, with ``<``, ``>`` and ``&`` escaped so
that no bank text can close that element.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from html import escape
from pathlib import PurePath
from typing import Any

from . import markdown, model
from .formatting import format_number
from .i18n import fill, strings_for
from .quiz_assets import script_strings
from .selection import Arrangement, arrange

#: Turns a source and one of its paragraph anchors into a link target, or None
#: when no page of the site shows that source (the paragraph is quoted instead).
EvidenceHref = Callable[[model.Source, str], str | None]

#: Fields of the question data that only the markup needs; left out of the JSON.
_PRESENTATION_ONLY = ("prompt", "hints", "explanation", "evidence", "model_answer", "rubric", "text")
_JSON_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def fingerprint(questions: Sequence[model.Question]) -> str:
    """A short hash of the questions' data: saved progress applies only while it is unchanged."""
    # The JSON text of the list, as json.dumps writes it (", " between items), from each question's own text.
    data = "[" + ", ".join(_question_json(q) for q in questions) + "]"
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


#: Questions whose JSON text :func:`fingerprint` has written, by id(), each kept with its question so that
#: no other object can take its id while it is here; the oldest go first beyond this many.
_JSON_KEPT = 8192
_question_texts: dict[int, tuple[model.Question, str]] = {}


def _question_json(question: model.Question) -> str:
    """A question's data as JSON text with sorted keys, written once per question object.

    A build asks for it several times per question: the quiz's fingerprint when its page is read and
    when it is written, and each question's own fingerprint for the hand-in file. The model is frozen,
    so the text of one object never changes.
    """
    known = _question_texts.get(id(question))
    if known is not None and known[0] is question:
        return known[1]
    text = json.dumps(model.to_data(question), sort_keys=True, ensure_ascii=False)
    if len(_question_texts) >= _JSON_KEPT:
        del _question_texts[next(iter(_question_texts))]
    _question_texts[id(question)] = (question, text)
    return text


def slug(text: str) -> str:
    """``text`` reduced to characters safe in an HTML id."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "quiz"


_fill = fill


def script_json(data: Any) -> str:
    """JSON for a ``<script type="application/json">``: no text inside can close the element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)


def _block(text: str) -> str:
    return markdown.render(text)


def _inline(text: str) -> str:
    return markdown.render_inline(text)


def _grading_data(question: model.Question) -> dict[str, Any]:
    """What the page's scripts need to grade a response: none of the text the HTML already shows.

    Choice texts and all feedback are in the markup (feedback hidden until
    earned), so the JSON keeps only what decides a grade: which choices are
    right, accepted and foreseen wrong answers, right partners, item counts.
    Each type leaves out the text of its own parts.
    """
    data: dict[str, Any] = model.to_data(question)
    for name in _PRESENTATION_ONLY:
        data.pop(name, None)
    return question.KIND.grading_data(question, data)


class SiteWriter:
    """Writes the markup of one quiz; ``prefix`` keeps element ids unique on the page.

    A question type writes its answer part with :meth:`w` and the helpers
    below; ``s`` are the interface texts, ``bank`` the quiz's bank.
    """

    def __init__(self, bank: model.Bank, prefix: str, strings: Mapping[str, str],
                 evidence_href: EvidenceHref | None, arrangement: Arrangement):
        self.bank = bank
        self.prefix = prefix
        self.s = strings
        self.evidence_href = evidence_href
        self.arrangement = arrangement
        self.out: list[str] = []

    def w(self, *parts: str) -> None:
        """Appends markup."""
        self.out.extend(parts)

    def order(self, question: model.Question) -> list[int]:
        """Bank indices of the question's choices or items in the order shown."""
        return self.arrangement.order(question)

    def question(self, n: int, q: model.Question) -> None:
        qid = f"{self.prefix}-{n}"
        prompt = _block(q.prompt)
        one_paragraph = prompt.startswith("<p>") and prompt.endswith("</p>") and prompt.count("<p>") == 1
        number = escape(_fill(self.s["question"], n=n))
        points = (escape(_fill(self.s["points"], n=format_number(q.points))) if q.GRADED
                  else escape(self.s["not_graded"]))
        described = "" if one_paragraph else f' aria-describedby="{qid}-prompt"'
        self.w(f'<fieldset class="sb-q sb-{q.TYPE}" id="{qid}" data-id="{escape(q.id)}"{described}>',
               f'<legend><span class="sb-num">{number}</span> <span class="sb-points">({points})</span>')
        if one_paragraph:
            self.w(f' <span class="sb-prompt">{prompt[3:-4]}</span></legend>')
        else:
            self.w(f'</legend><div class="sb-prompt" id="{qid}-prompt">{prompt}</div>')
        q.KIND.site_html(self, qid, q)
        if q.hints:
            self.w('<div class="sb-hints">')
            for i, hint in enumerate(q.hints, 1):
                label = escape(_fill(self.s["hint_n"], n=i, total=len(q.hints)))
                self.w(f'<div class="sb-hint" hidden="hidden"><p class="sb-label">{label}</p>{_block(hint)}</div>')
            self.w("</div>")
        self._explanation(q)
        self.w("</fieldset>")

    def choice(self, qid: str, kind: str, index: int, value: str, label: str, feedback: str,
               after: str = "") -> None:
        """One radio button or checkbox (``kind``) with its ``label`` (HTML), hidden ``feedback`` (Markdown), and
        ``after`` the label (HTML: a link to read more)."""
        self.w(f'<div class="sb-choice" data-index="{index}"><input type="{kind}" id="{qid}-{index}" '
               f'name="{qid}" value="{escape(value)}"><label for="{qid}-{index}">{label}</label>{after}')
        if feedback:
            self.w(f'<div class="sb-feedback" hidden="hidden">{_block(feedback)}</div>')
        self.w("</div>")

    def typed(self, qid: str, inputmode: str, unit: str = "") -> None:
        """A one-line answer box (``inputmode`` for phones' keyboards), with its unit after it."""
        unit_html = f' <span class="sb-unit">{escape(unit)}</span>' if unit else ""
        self.w(f'<div class="sb-typed"><label for="{qid}-answer">{escape(self.s["your_answer"])}</label> '
               f'<input type="text" id="{qid}-answer" inputmode="{inputmode}" autocomplete="off" '
               f'spellcheck="false">{unit_html}</div>')

    def options(self, options: Sequence[str]) -> str:
        """The ``<option>`` elements of a drop-down: "(choose)" first, then ``options``."""
        # An option's value is its text unless it has spaces the browser would fold.
        return f'<option value="">{escape(self.s["choose"])}</option>' + "".join(
            f"<option>{escape(o)}</option>" if o == " ".join(o.split())
            else f'<option value="{escape(o)}">{escape(o)}</option>' for o in options)

    def _explanation(self, q: model.Question) -> None:
        evidence = self._evidence(q)
        if not q.explanation and not evidence:
            return
        self.w(f'<div class="sb-explanation" hidden="hidden"><p class="sb-label">{escape(self.s["explanation"])}</p>',
               _block(q.explanation) if q.explanation else "", evidence, "</div>")

    def _evidence(self, q: model.Question) -> str:
        links: list[str] = []
        quotes: list[str] = []
        for cited in self.bank.evidence(q):
            label, anchor = cited.label, cited.paragraph.id
            href = self.evidence_href(cited.source, anchor) if self.evidence_href else None
            if href is not None:
                links.append(f'<a href="{escape(href)}">{escape(label)}</a>')
            else:
                quotes.append(f'<blockquote class="sb-quote" data-anchor="{escape(anchor)}">'
                              f'<p><span class="sb-label">{escape(label)}</span> {escape(cited.paragraph.text)}</p>'
                              "</blockquote>")
        if not links and not quotes:
            return ""
        head = f'<p class="sb-evidence">{escape(self.s["evidence"])} {", ".join(links)}</p>'
        return head + "".join(quotes)


def quiz_anchor(key: str) -> str:
    """The element id of the quiz saved under ``key``; its questions' ids start with it.

    A short hash rather than the key itself, since a page repeats it in every id.
    """
    return "sbq-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


def quiz_html(
    bank: model.Bank,
    questions: Sequence[model.Question],
    *,
    shuffle: bool = False,
    seed: int | str | None = None,
    key: str | None = None,
    strings: Mapping[str, str] | None = None,
    evidence_href: EvidenceHref | None = None,
    show_title: bool = True,
) -> str:
    """The static HTML of one quiz: a printable worksheet that ``quiz.js`` makes interactive.

    ``questions`` are the ones to show (see :meth:`sourcebook.selection.QuizSpec.select`).
    The questions and choices are written in the order
    :func:`sourcebook.selection.arrange` decides, the worksheet's too; without
    a ``seed`` each student's browser mixes the choices (and, with
    ``shuffle``, the questions) again, the same way on every visit. ``key`` names the quiz in the
    browser's saved progress; it defaults to the bank's file name. ``strings``
    are the interface texts (:func:`strings_for`). ``evidence_href`` links
    evidence to the page that shows the source; without it, or where it gives
    None, the cited paragraph is quoted in the explanation. Without ``show_title`` the quiz does not show the
    bank's title (the heading above it says it already).
    """
    every_text = strings if strings is not None else strings_for("en")
    if not key:
        key = slug(PurePath(bank.path).stem if bank.path else bank.title)
    prefix = quiz_anchor(key)
    arrangement = arrange(questions, shuffle=shuffle, seed=seed, key=key)
    writer = SiteWriter(bank, prefix, every_text, evidence_href, arrangement)
    shown = arrangement.questions
    # The page's data carries the texts its scripts read; the markup has the rest.
    texts = script_strings(every_text, {q.KIND for q in shown})
    data = {"title": bank.title, "questions": [_grading_data(q) for q in shown], "strings": texts}
    # data-shuffle: each student's browser mixes the questions, data-mix-choices their choices (no seed);
    # a seeded order is already the markup's.
    writer.w(f'<div class="sb-quiz" id="{prefix}" data-sourcebook-quiz="" data-key="{escape(key)}" '
             f'data-fingerprint="{fingerprint(questions)}" '
             f'data-shuffle="{str(arrangement.per_student).lower()}" '
             f'data-mix-choices="{str(arrangement.choices_per_student).lower()}">',
             f'<script type="application/json" class="sb-data">{script_json(data)}</script>',
             *([f'<p class="sb-title">{escape(bank.title)}</p>'] if show_title else []),
             f'<noscript><p class="sb-noscript">{escape(every_text["noscript"])}</p></noscript>',
             '<p class="sb-notice" role="status" hidden="hidden"></p>',
             '<div class="sb-questions">')
    for n, q in enumerate(shown, 1):
        writer.question(n, q)
    writer.w('</div><div class="sb-summary" hidden="hidden"></div>',
             '<p class="sb-live sb-sr" aria-live="polite"></p></div>')
    return "".join(writer.out)
