"""What the types whose answer is a pick among listed choices share: single choice, multiple answer, evidence.

Their checks, their markup on the site and on paper, and their notebook
controls differ only in one box or many, so each type's module calls these.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from .. import markdown
from ..grading import normalise
from ..model import Choice

if TYPE_CHECKING:
    from ..checks import At, Report
    from ..html import SiteWriter
    from ..worksheet import SheetWriter


def check_choices(q: Any, choices: Sequence[Choice], at: At, reader: Report, *, one_right: bool,
                  key: str = "choices") -> None:
    """Two or more choices; exactly one right (``one_right``) or at least one; no choice twice; feedback on each."""
    if len(choices) < 2:
        reader.error(at(q, key), "too-few-choices", f"question `{q.id}` needs at least two choices")
    elif len(choices) < 3 and one_right:
        reader.warning(at(q, key), "few-choices", f"question `{q.id}` has only {len(choices)} choices; "
                       "three or more make guessing harder (or use type `true-false`)")
    right = [c for c in choices if c.correct]
    if one_right:
        if not right:
            reader.error(at(q, key), "no-correct", f"no choice of question `{q.id}` is marked "
                         "`correct: true`")
        elif len(right) > 1:
            reader.error(at(right[1]), "several-correct", f"question `{q.id}` has {len(right)} choices marked "
                         "correct; a single-choice question has one (use `type: multiple` for several)")
    elif not right:
        reader.warning(at(q, key), "no-correct", f"no choice of question `{q.id}` is marked correct, so "
                       "the right answer is to tick none; is that what you meant?")
    seen: dict[str, Choice] = {}
    for c in choices:
        text = normalise(c.text)
        if text in seen:
            reader.warning(at(c, "text"), "duplicate-choice", f"question `{q.id}` has the choice "
                           f"“{c.text.strip()}” twice (first at line {at(seen[text], 'text').line})")
        else:
            seen[text] = c
        if not c.feedback.strip():
            reader.warning(at(c), "no-feedback", f"a choice of question `{q.id}` has no `feedback`: say why "
                           f"“{c.text.strip()[:40]}” is right or wrong")


def choices_html(page: SiteWriter, qid: str, labels: Sequence[str], feedback: Sequence[str], order: Sequence[int],
                 kind: str) -> None:
    """Radio buttons (``kind`` "radio") or checkboxes, one per choice in ``order``; labels are HTML."""
    page.w('<div class="sb-choices">')
    for i in order:
        page.choice(qid, kind, i, str(i), labels[i], feedback[i])
    page.w("</div>")


def choices_worksheet(sheet: SheetWriter, labels: Sequence[str], right: Sequence[bool], order: Sequence[int],
                      radio: bool) -> None:
    """Lettered boxes in ``order``; the key ticks the right ones and names their letters."""
    sheet.w('<ul class="ws-choices">')
    letters: list[str] = []
    for shown, index in enumerate(order):
        letter = sheet.letter(shown)
        mark = ' class="ws-right-choice"' if sheet.key and right[index] else ""
        sheet.w(f'<li{mark}>{sheet.box(radio, right[index])}<span class="ws-letter">{letter}</span> '
                f"{labels[index]}</li>")
        if right[index]:
            letters.append(letter)
    sheet.w("</ul>")
    label = sheet.s["ws_answer" if len(letters) == 1 else "ws_answers"]
    sheet.key_block(f'<p><span class="ws-label">{escape(label)}</span> '
                    f'{escape(", ".join(letters) if letters else sheet.s["ws_none_right"])}</p>')


def inline(text: str) -> str:
    """A choice's Markdown as inline HTML."""
    return markdown.render_inline(text)
