"""Fill in the blanks: a text with gaps, each typed or chosen from a list; partial credit per gap.

Gaps are written [[name]] in the text; each name is a key of ``blanks``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from .. import markdown
from ..checks import ID_PATTERN
from ..grading import Result, invalid, normalise, scored
from ..i18n import fill
from ..model import Bank, Question, doc
from ..problems import did_you_mean
from .base import QuestionType, static_script
from .controls import Control, choose_options, mark_line, shared_layout, shared_style, wide, widgets

if TYPE_CHECKING:
    from ..checks import At, Report
    from ..html import SiteWriter
    from ..worksheet import SheetWriter, WorksheetQuiz

#: A gap in the text of a fill-in-the-blanks question: [[name]].
GAP_PATTERN = re.compile(r"\[\[\s*([^\[\]\s]+)\s*\]\]")
#: How many words on each side of a gap name it for a screen reader.
GAP_CONTEXT_WORDS = 4


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


def render_blanks(question: Blanks, gap: Callable[[int, str, Blank], str]) -> str:
    """A fill-in-the-blanks text as block HTML, each [[name]] replaced by ``gap(number, name, blank)``.

    Gap names are letters and digits, which Markdown leaves alone, so the gaps
    go in after rendering without touching any bank text. Numbers follow the
    order of ``blanks`` in the bank, from 1.
    """
    numbers = {name: n for n, name in enumerate(question.blanks, 1)}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        blank = question.blanks.get(name)
        if blank is None:  # the loader refuses such banks; keep the text if one slips through
            return match.group(0)
        return gap(numbers[name], name, blank)

    return GAP_PATTERN.sub(replace, markdown.render(question.text))


def gap_context(question: Blanks) -> dict[str, tuple[str, str]]:
    """For each gap of a blanks question, the words just before and just after it, as plain text.

    A screen reader announces a gap by these words ("… is dated ___ and was
    first …"), since "Gap 1" alone does not say which gap it is. Other gaps
    nearby read as "…".
    """
    pieces = GAP_PATTERN.split(markdown.render(question.text))
    # Words only: a lone full stop after the last gap says nothing.
    texts = [" ".join(w for w in html.unescape(re.sub(r"<[^>]+>", " ", piece)).split() if any(c.isalnum() for c in w))
             for piece in pieces[::2]]
    names = pieces[1::2]
    out: dict[str, tuple[str, str]] = {}
    for k, name in enumerate(names):
        before = texts[k].split()[-GAP_CONTEXT_WORDS:]
        after = texts[k + 1].split()[:GAP_CONTEXT_WORDS]
        out.setdefault(name, (" ".join(before), " ".join(after)))
    return out


#: A tag of the inline HTML that Markdown makes (it passes no HTML of the bank's own through).
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
_VOID = frozenset({"br", "img", "hr", "wbr"})


def cut_at_gaps(paragraph: str) -> list[tuple[str, str | None]]:
    """A paragraph of a blanks text as inline HTML, cut at its gaps: ``(html, None)`` for the text between
    two gaps, ``(raw, name)`` for a gap as written.

    The Markdown is rendered whole, so that emphasis or a link around a gap
    (``*the report of [[year]]*``) is read as one; each piece of text then
    closes the tags still open where it ends, and the next opens them again.
    """
    rendered = markdown.render_inline(paragraph)
    pieces = GAP_PATTERN.split(rendered)
    raws = [m.group(0) for m in GAP_PATTERN.finditer(rendered)]
    out: list[tuple[str, str | None]] = []
    open_tags: list[tuple[str, str]] = []  # (name, start tag as written), outermost first
    for k, piece in enumerate(pieces[::2]):
        start = "".join(tag for _, tag in open_tags)
        for match in _TAG.finditer(piece):
            closing, name = match.group(1), match.group(2).lower()
            if name in _VOID:
                continue
            if not closing:
                open_tags.append((name, match.group(0)))
            elif open_tags and open_tags[-1][0] == name:
                open_tags.pop()
        end = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        out.append((start + piece + end, None))
        if k < len(raws):
            out.append((raws[k], pieces[2 * k + 1]))
    return out


class BlanksControl(Control):
    """The text with a box or a drop-down in place of each [[gap]]."""

    question: Blanks

    def __init__(self, question: Blanks, strings: Mapping[str, str]):
        super().__init__(question, strings)
        self.names = list(question.blanks)
        self.gaps: dict[str, Any] = {}
        lines = []
        # Paragraph by paragraph, so that the gaps sit inside the sentence they belong to.
        for paragraph in re.split(r"\n\s*\n", question.text.strip()):
            parts = [self._words(piece) if name is None else self._gap(name, piece)
                     for piece, name in cut_at_gaps(paragraph)]
            lines.append(widgets.HBox([p for p in parts if p is not None],
                                      layout=shared_layout(flex_flow="row wrap", align_items="center")))
        self.widget = widgets.VBox(lines, layout=shared_layout())

    @staticmethod
    def _words(piece: str) -> Any:
        """A piece of the text (inline HTML) between two gaps; None when it shows nothing."""
        if not html.unescape(_TAG.sub("", piece)).strip() and "<img" not in piece:
            return None
        return widgets.HTML(piece.strip(), layout=shared_layout(margin="0 0.3em"), style=shared_style("HTML"))

    def _gap(self, name: str, raw: str) -> Any:
        blank = self.question.blanks.get(name)
        if blank is None or name in self.gaps:  # the loader refuses such banks; keep the text if one slips by
            return self._words(html.escape(raw))
        label = self.s["gap"].replace("{n}", str(self.names.index(name) + 1))
        gap: Any
        if blank.choices:
            gap = widgets.Dropdown(options=choose_options(self.s, blank.choices), value=None, description=label,
                                   style=wide("Dropdown"), layout=shared_layout(width="auto"))
        else:
            gap = widgets.Text(value="", description=label, style=wide("Text"), continuous_update=True,
                               layout=shared_layout(width="16em"))
        self.gaps[name] = gap
        return gap

    def inputs(self) -> list[Any]:
        return list(self.gaps.values())

    def response(self) -> Any:
        return {name: gap.value or "" for name, gap in self.gaps.items()}

    def set_response(self, response: Any) -> None:
        for name, gap in self.gaps.items():
            value = response.get(name) if isinstance(response, dict) else None
            if isinstance(gap, widgets.Dropdown):
                gap.value = value if value in [v for _, v in gap.options] else None
            else:
                gap.value = value if isinstance(value, str) else ""

    def feedback(self, response: Any, result: Result, finished: bool) -> list[str]:
        lines = []
        for n, (name, right) in enumerate(zip(self.names, result.parts, strict=True), 1):
            given = response.get(name) or ""
            shown = (fill(self.s["notebook_quoted"], text=html.escape(given)) if given
                     else html.escape(self.s["notebook_left_empty"]))
            label = html.escape(fill(self.s["gap"], n=n))
            lines.append(mark_line(right, fill(self.s["notebook_part_gap"], gap=label, given=shown,
                                               verdict=self.s["notebook_right" if right else "notebook_wrong"])))
        return lines


class BlanksType(QuestionType[Blanks]):
    """Response: a mapping of gap name to the text typed or chosen."""

    model = Blanks
    script = static_script("blanks")
    script_helpers = ("rules/normalise.js",)
    aliases = ("fill-in-the-blanks", "fill-in-the-blank", "fill-in-blanks", "fill-in-blank",
               "fill-in-multiple-blanks", "fill-blanks", "fill-the-blanks", "fillintheblanks", "fill-in", "cloze",
               "multianswer", "gapfill", "gap-fill", "gaps", "gapselect", "ddwtos", "multiple-dropdowns",
               "dropdowns", "inline-choice")

    def check(self, question: Blanks, at: At, reader: Report) -> None:
        q = question
        gaps = GAP_PATTERN.findall(q.text)
        if not gaps:
            reader.error(at(q, "text"), "no-gaps", f"the text of `{q.id}` has no gaps; write each gap as [[name]]")
        for written in GAP_PATTERN.finditer(q.text):
            name = written.group(1)
            if name not in q.blanks:
                reader.error(at(q, "text", written.group()), "unknown-blank", f"the gap [[{name}]] has no entry "
                             f"under `blanks`;{did_you_mean(name, q.blanks)} gaps defined: "
                             f"{', '.join(q.blanks) or 'none'}")
        if len(set(gaps)) != len(gaps):
            reader.error(at(q, "text"), "duplicate-gap", f"a gap name is used twice in the text of `{q.id}`")
        for name, blank in q.blanks.items():
            where = at(blank)  # the blank's own name, not the first blank's
            if not ID_PATTERN.fullmatch(name):
                # Markdown would change such a name in the text (__name__ becomes bold), and the
                # page's script, the exporters and the notebook key answers by it.
                reader.error(where, "bad-gap-name", f"the gap name `{name}` may use only letters, digits, '-', '_' "
                             "and '.', starting with a letter or digit")
                continue
            if name not in gaps:
                # `[year]`, `{{year}}`, `[[ year]` ...: the gap written with other brackets than two square ones.
                near = re.search(rf"[\[{{(]+\s*{re.escape(name)}\s*[\]}})]+", question.text)
                fix = (f"the text has `{near.group(0)}`: write it `[[{name}]]`, with two square brackets on each side"
                       if near else f"add [[{name}]] where the gap goes")
                reader.error(where, "unused-blank", f"the blank `{name}` is not used in the text; {fix}")
            if not blank.answers:
                reader.error(at(blank, "answers"), "missing-key", f"the blank `{name}` needs at least one answer")
            if blank.choices:
                choices = {normalise(c, case_sensitive=blank.case_sensitive) for c in blank.choices}
                for a in blank.answers:
                    if normalise(a, case_sensitive=blank.case_sensitive) not in choices:
                        reader.error(at(blank, "answers"), "bad-value", f"the answer “{a}” of blank `{name}` "
                                     "is not one of its choices")

    def grade(self, question: Blanks, response: Any) -> Result:
        if not isinstance(response, Mapping):
            return invalid(question, "empty")
        given = {name: response.get(name) for name in question.blanks}
        if all(not isinstance(v, str) or not normalise(v) for v in given.values()):
            return invalid(question, "empty")
        parts = []
        for name, blank in question.blanks.items():
            value = given[name]
            text = normalise(value, case_sensitive=blank.case_sensitive) if isinstance(value, str) else None
            parts.append(text is not None and any(
                text == normalise(a, case_sensitive=blank.case_sensitive) for a in blank.answers))
        return scored(question, sum(parts) / len(parts), parts)

    def correct_response(self, question: Blanks) -> Any:
        return {name: blank.answers[0] for name, blank in question.blanks.items()}

    def grading_data(self, question: Blanks, data: dict[str, Any]) -> dict[str, Any]:
        for blank in data.get("blanks", {}).values():
            blank.pop("choices", None)
        return data

    def site_html(self, page: SiteWriter, qid: str, question: Blanks) -> None:
        context = gap_context(question)

        def gap(n: int, name: str, blank: Blank) -> str:
            # Named by the words around it, so that a screen reader says which gap this is.
            before, after = context.get(name, ("", ""))
            label = fill(page.s["gap_context"], n=n, context=f"{before} … {after}".strip()) if before or after \
                else fill(page.s["gap"], n=n)
            attrs = f'class="sb-gap" id="{qid}-{n}" data-gap="{escape(name)}" aria-label="{escape(label)}"'
            if blank.choices:
                return f"<select {attrs}>{page.options(blank.choices)}</select>"
            return f'<input type="text" {attrs} autocomplete="off" spellcheck="false" size="12">'

        page.w(f'<div class="sb-text">{render_blanks(question, gap)}</div>')

    def control(self, question: Blanks, strings: Mapping[str, str], order: Sequence[int],
                bank: Bank) -> Control:
        return BlanksControl(question, strings)

    def worksheet(self, sheet: SheetWriter, quiz: WorksheetQuiz, question: Blanks) -> None:
        q, s = question, sheet.s

        def gap(n: int, name: str, blank: Blank) -> str:
            filled = f'<span class="ws-filled">{escape(blank.answers[0])}</span>' if sheet.key else ""
            return f'<span class="ws-gap"><span class="ws-gap-number">({n})</span>{filled}</span>'

        sheet.w(f'<div class="ws-text">{render_blanks(q, gap)}</div>')
        listed = [(n, b) for n, b in enumerate(q.blanks.values(), 1) if b.choices]
        if listed:
            sheet.w("<ul>", *(f"<li>{escape(fill(s['ws_gap_choose'], n=n, choices=' / '.join(b.choices)))}</li>"
                              for n, b in listed), "</ul>")
        sheet.key_block(f'<p><span class="ws-label">{escape(s["ws_accepted"])}</span></p><ul>',
                        *(f"<li>{escape(fill(s['ws_gap_accepted'], n=n, answers='; '.join(b.answers)))}"
                          f"{escape(s['ws_case_counts']) if b.case_sensitive else ''}</li>"
                          for n, b in enumerate(q.blanks.values(), 1)), "</ul>")


QUESTION_TYPE = BlanksType()
