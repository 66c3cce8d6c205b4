"""The class report as HTML pages and CSV files: figures from :mod:`sourcebook.report.build`, formatted.

The pages open offline in any browser: one stylesheet in the page, charts
drawn as inline SVG (each beside a table of the same numbers, for screen
readers and for print), no script, no font and no image from anywhere. Every
string a student wrote (name, class, responses) is escaped, so it shows as
text and never becomes markup; the bank's texts are rendered from Markdown
with raw HTML off, as on the site. In the CSV files a text that a spreadsheet
would run as a formula (starting with = + - @, a tab or a carriage return)
gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Sequence
from html import escape
from itertools import starmap

from .. import markdown
from .build import Item, QuizReport, Report, Score
from .stats import MIN_STUDENTS_FOR_FLAGS, TOO_EASY, TOO_HARD, WEAK_DISCRIMINATION

STYLE = """
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #1b1b1b;
  background: #fff; margin: 0; }
header, main, footer, nav { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
h1 { font-size: 1.8rem; margin: 1rem 0 .5rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #1b1b1b; }
h3 { margin-top: 2rem; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; padding: 0; list-style: none; }
a { color: #0b57a4; }
.note { border-left: 4px solid #8a5a00; background: #fff8e6; padding: .5rem 1rem; }
.problem { border-left: 4px solid #a4262c; background: #fdf0f0; padding: .5rem 1rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #8c8c8c; padding: .2rem .5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
.scroll { overflow-x: auto; }
.flag { color: #a4262c; }
.key { font-weight: bold; }
.response { white-space: pre-wrap; border: 1px solid #8c8c8c; padding: .5rem; min-height: 3rem; }
.marking { border-top: 1px dashed #8c8c8c; margin-top: .25rem; padding-top: .25rem; }
.student { break-inside: avoid; margin: 1rem 0 1.5rem; }
figure { margin: .5rem 0 1rem; }
svg text { font: 12px system-ui, sans-serif; fill: #1b1b1b; }
.small { font-size: .9rem; }
@media print { nav, .noprint { display: none; } .question { break-before: page; } h2 { break-after: avoid; } }
"""


# A report prints the same few figures (points, shares) hundreds of thousands of times.
@functools.lru_cache(maxsize=4096)
def number(value: float | None, digits: int = 2) -> str:
    """A figure as people write it: 2, 1.5, 0.67, never with an exponent; an em dash when there is none."""
    if value is None:
        return "—"
    rounded = round(value, digits)
    if rounded == 0:
        return "0"
    text = f"{rounded:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@functools.lru_cache(maxsize=4096)
def percent(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100):d}%"


# A class's scores are a few thousand distinct pairs, each printed many times.
@functools.lru_cache(maxsize=65536)
def score(s: Score | None) -> str:
    return "—" if s is None else _points_of(s.points, s.max_points)


@functools.lru_cache(maxsize=65536)
def share_of(s: Score | None) -> str:
    """A score as a percentage of its maximum."""
    return "—" if s is None else percent(s.share)


@functools.lru_cache(maxsize=4096)
def _points_of(points: float, max_points: float) -> str:
    return f"{number(points)} / {number(max_points)}"


def _md(text: str) -> str:
    return markdown.render(text)


def _inline(text: str) -> str:
    return markdown.render_inline(text)


def _page(title: str, body: str, nav: str = "") -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
            f"{nav}<main id=\"main\">{body}</main></body></html>\n")


# --- charts ----------------------------------------------------------------------------


class _BarChart:
    """Horizontal bar charts with the same labels: the parts that depend only on the labels made once."""

    LABEL_WIDTH, BAR_WIDTH, ROW = 190, 360, 24

    def __init__(self, labels: Sequence[str]) -> None:
        label_width, bar_width, row = self.LABEL_WIDTH, self.BAR_WIDTH, self.ROW
        self.height = row * len(labels) + 28
        self.width = label_width + bar_width + 60
        self.rows = []
        for i, label in enumerate(labels):
            y = 4 + i * row
            short = label if len(label) <= 28 else label[:27] + "…"
            self.rows.append((
                f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">{escape(short)}</text>'
                f'<rect x="{label_width}" y="{y + 2}" width="{bar_width}" height="{row - 8}" '
                'fill="#eeeeee" stroke="#8c8c8c"/>',
                f'<rect x="{label_width}" y="{y + 2}" width="',
                f'" height="{row - 8}" fill="#0b57a4"/>',
                f'<text x="{label_width + bar_width + 6}" y="{y + 15}">'))

    def __call__(self, chart_id: str, title_html: str, shares: Sequence[float | None],
                 marks: Sequence[tuple[float, str]] = ()) -> str:
        """The chart of ``shares``; ``title_html`` is its title, escaped already."""
        label_width, bar_width, height = self.LABEL_WIDTH, self.BAR_WIDTH, self.height
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{chart_id}" '
                 f'viewBox="0 0 {self.width} {height}" width="{self.width}" height="{height}">',
                 f'<title id="{chart_id}">{title_html}</title>']
        for (fixed, bar_start, bar_end, value_start), share in zip(self.rows, shares, strict=True):
            parts.append(fixed)
            if share is not None:
                parts.append(f"{bar_start}{max(0.0, min(1.0, share)) * bar_width:.1f}{bar_end}")
            parts.append(f"{value_start}{percent(share)}</text>")
        for share, label in marks:
            x = label_width + share * bar_width
            parts.append(f'<line x1="{x:.1f}" y1="2" x2="{x:.1f}" y2="{height - 22}" stroke="#a4262c" '
                         'stroke-dasharray="4 3"/>')
            parts.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle">{escape(label)}</text>')
        parts.append("</svg>")
        return "".join(parts)


def bar_chart(chart_id: str, title: str, bars: Sequence[tuple[str, float | None]], *,
              marks: Sequence[tuple[float, str]] = ()) -> str:
    """Horizontal bars of shares (0 to 1) with their labels; ``marks`` draw dashed lines (share, label)."""
    return _BarChart([label for label, _ in bars])(chart_id, escape(title), [share for _, share in bars], marks)


def histogram(chart_id: str, title: str, shares: Sequence[float]) -> str:
    """How many students scored in each tenth of the maximum (0-9%, 10-19%, ..., 90-100%)."""
    bins = [0] * 10
    for share in shares:
        bins[min(9, max(0, int(share * 10)))] += 1
    top = max(bins) or 1
    width, height, left, bottom = 460, 200, 36, 34
    step = (width - left - 10) / 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{chart_id}" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
             f'<title id="{chart_id}">{escape(title)}</title>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#1b1b1b"/>']
    for i, count in enumerate(bins):
        h = (height - bottom - 20) * count / top
        x = left + i * step
        parts.append(f'<rect x="{x + 2:.1f}" y="{height - bottom - h:.1f}" width="{step - 4:.1f}" height="{h:.1f}" '
                     'fill="#0b57a4"/>')
        if count:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{height - bottom - h - 4:.1f}" '
                         f'text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{x + step / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle">{i * 10}</text>')
    parts.append(f'<text x="{width / 2:.0f}" y="{height - 4}" text-anchor="middle">score, % of the maximum</text>')
    parts.append("</svg>")
    return "".join(parts)


# --- the main page ------------------------------------------------------------------------


def _table(caption: str, head: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[bool] = (),
           cls: str = "") -> str:
    """A table; cells are HTML already (escape student text before)."""
    th, row = _table_parts(tuple(head), tuple(numeric))
    # Focusable, so that a table wider than the window can be scrolled with the keyboard.
    return (f'<div class="scroll" tabindex="0" role="region" aria-label="{caption}"><table class="{cls}">'
            f'<caption>{caption}</caption><thead><tr>{th}</tr></thead>'
            f'<tbody>{"".join(starmap(row.format, rows))}</tbody></table></div>')


@functools.lru_cache(maxsize=64)
def _table_parts(head: tuple[str, ...], numeric: tuple[bool, ...]) -> tuple[str, str]:
    """A table's header cells, and the format of its rows (one {} per cell): made once per kind of table,
    as a report's tables are thousands of rows (and a student's skills one table per student)."""
    num = list(numeric) + [False] * (len(head) - len(numeric))
    th = "".join(f'<th scope="col" class="num">{h}</th>' if n else f'<th scope="col">{h}</th>'
                 for h, n in zip(head, num, strict=True))
    opens = ['<th scope="row">'] + ['<td class="num">' if n else "<td>" for n in num[1:]]
    closes = ["</th>"] + ["</td>"] * (len(num) - 1)
    return th, "<tr>" + "".join(o + "{}" + c for o, c in zip(opens, closes, strict=True)) + "</tr>"


def _about(report: Report) -> str:
    r = report.results
    c = r.collection
    out = ['<section id="about" aria-labelledby="about-title"><h2 id="about-title">About these results</h2>',
           '<p class="note"><strong>These results are self-reported.</strong> Each file was made in a student\'s '
           "own browser (or notebook) from the answers saved there, and handed in by the student. Nothing was "
           "checked by a server: the checksum of a file shows only that it was not changed after it was made. "
           "Use the numbers to see how the class is doing and where questions need work, not as proof of "
           "what a student knows.</p>",
           f"<p>{len(report.students)} student{'s' * (len(report.students) != 1)}, "
           f"{len(report.quizzes)} quiz{'zes' * (len(report.quizzes) != 1)}"
           f"{', course: ' + escape(report.course) if report.course else ''}. "
           f"{len(c.skipped)} file{'s' * (len(c.skipped) != 1)} set aside.</p>"]
    if c.skipped:
        rows: list[Sequence[str]] = [(escape(str(s.path)), escape(s.reason)) for s in c.skipped]
        out.append('<div class="problem">' + _table("Files set aside (not counted)", ["File", "Why"], rows) +
                   "</div>")
    if c.replaced:
        rows = [(escape(r_.student), escape(str(r_.kept)), escape(", ".join(str(p) for p in r_.earlier)),
                 escape(", ".join(str(p) for p in r_.superseded)) or "none")
                for r_ in c.replaced]
        out.append('<div class="note">' + _table(
            "Students who handed in more than once: for each question, the latest file that has it counts",
            ["Student", "Latest file", "Earlier files", "Earlier files of which nothing counts"], rows) + "</div>")
    shared = report.shared_names
    if shared:
        rows = [(escape(name), escape(", ".join(s.class_name or "no class" for s in students)))
                for name, students in shared.items()]
        out.append('<div class="problem">' + _table(
            "Names that two students share: the gradebook CSVs identify students by name, so an LMS would give "
            "both students' grades to one. Ask them to hand in again with names that tell them apart (or with "
            "what the LMS maps users by, such as their e-mail address: see --student-column)",
            ["Name", "Classes"], rows) + "</div>")
    for quiz, older in r.older.items():
        title = r.quizzes[quiz].title if quiz in r.quizzes else quiz
        out.append(f'<p class="note">{older.students} student{"s" * (older.students != 1)} answered '
                   f"<strong>{escape(title)}</strong> on an earlier version of its bank: {older.unchanged} "
                   f"answer{'s' * (older.unchanged != 1)} to questions that have not changed still count; "
                   f"{older.changed} answer{'s' * (older.changed != 1)} to questions changed or removed since "
                   "do not.</p>")
    for quiz in r.missing_banks:
        out.append(f'<p class="note">The bank <code>{escape(quiz)}</code> was not found in the book folder '
                   "(or has errors): its answers count as handed in, without the question texts.</p>")
    out.append("</section>")
    return "".join(out)


def _gradebook(report: Report) -> str:
    head = ["Student", "Class"] + [escape(q.label) for q in report.quizzes] + ["Total", "%"]
    numeric = [False, False] + [True] * (len(report.quizzes) + 2)
    rows = []
    for i, (s, grades) in enumerate(zip(report.students, report.grade_rows, strict=True)):
        total = report.totals.get(i)
        rows.append([escape(s.name), escape(s.class_name), *map(score, grades), score(total), share_of(total)])
    maxima = ", ".join(f"{escape(q.label)}: {number(q.max_points)}" for q in report.quizzes)
    return ('<h2 id="gradebook">Gradebook</h2>'
            "<p>Points per quiz, of the points of the questions each student had. A dash: not handed in. "
            "Open responses are not graded and count nowhere. The same grades are in "
            '<a href="gradebook.csv">gradebook.csv</a> (for Moodle\'s gradebook import) and '
            '<a href="gradebook-canvas.csv">gradebook-canvas.csv</a> (for Canvas\'s). An LMS gives a quiz one '
            "maximum, the one below, so there a student who had other questions than the quiz now has (answered "
            "on an earlier version of its bank, or a selection of its questions) has their points scaled to it: "
            "the same share of it as here. A student with none of a quiz's points to earn gets no grade there, "
            "not a 0. In gradebook.csv the Total is the sum of the quiz columns.</p>"
            f"<p class=\"small\">Maximum per quiz: {maxima}.</p>"
            + _table("Points per student and quiz", head, rows, numeric))


def _skills(report: Report) -> str:
    if not report.skills:
        return ""
    head = ["Student", "Class"] + [escape(s) for s in report.skills]
    rows = []
    for s, scores in zip(report.students, report.skill_rows, strict=True):
        rows.append([escape(s.name), escape(s.class_name), *map(share_of, scores)])
    # The class's points and maximum per skill, summed in one pass over every student's scores.
    sums: dict[str, list[float]] = {skill: [0, 0] for skill in report.skills}
    for (_, skill), sc in report.skill_scores.items():
        sums[skill][0] += sc.points
        sums[skill][1] += sc.max_points
    class_scores = [(skill, points / maximum if maximum else None) for skill, (points, maximum) in sums.items()]
    chart = bar_chart("skills-class", "The class by skill: share of the points earned", class_scores)
    return ('<h2 id="skills">Skills</h2>'
            "<p>Each student's share of the points in the questions of each historical-thinking skill "
            "(sourcing, contextualization, corroboration, close reading). Each student's chart is on "
            '<a href="skills.html">the skills page</a>.</p>'
            f"<figure>{chart}</figure>"
            + _table("Share of the points per student and skill", head, rows, [False, False] +
                     [True] * len(report.skills)))


def skills_page(report: Report) -> str:
    """One chart per student: their share of the points in each skill."""
    parts = ['<h1>Skills, student by student</h1><p><a href="index.html">Back to the report</a></p>']
    chart = _BarChart(report.skills)
    skill_names = [escape(skill) for skill in report.skills]
    for i, (s, scores) in enumerate(zip(report.students, report.skill_rows, strict=True)):
        shares = [sc.share if sc else None for sc in scores]
        if not any(share is not None for share in shares):
            continue
        rows = zip(skill_names, map(score, scores), map(share_of, scores), strict=True)
        student = escape(s.student)
        parts.append(f'<section class="student"><h2>{student}</h2>'
                     f'<figure>{chart(f"skills-{i}", f"{student}: share of the points by skill", shares)}'
                     "</figure>" + _table(f"{student} by skill", ["Skill", "Points", "Share"], rows,
                                          [False, True, True]) + "</section>")
    return _page("Skills, student by student", "".join(parts))


def _item_label(item: Item) -> str:
    return item.id


def _quiz_section(n: int, quiz: QuizReport, shares: Sequence[float]) -> str:
    s = quiz.stats
    anchor = f"quiz-{n}"
    out = [f'<h3 id="{anchor}">{escape(quiz.label)}</h3>',
           f'<p class="small">Bank: <code>{escape(quiz.info.bank)}</code></p>']
    rows: list[Sequence[str]] = [("Students", str(s.n)), ("Maximum", number(quiz.max_points)), ("Mean", number(s.mean)),
            ("Median", number(s.median)), ("Standard deviation", number(s.sd)),
            ("Lowest – highest", f"{number(s.low)} – {number(s.high)}"),
            ("Cronbach's alpha", f"{number(s.alpha)} (over {quiz.alpha_students} students who had every "
                                 "question)" if s.alpha is not None else "— (needs two students and two "
                                                                           "questions that vary)")]
    out.append(_table("The quiz", ["Figure", "Value"], rows, [False, True]))
    if shares:
        out.append("<figure>" + histogram(f"{anchor}-spread", f"{quiz.label}: how the totals spread",
                                          shares) + "</figure>")
    graded = [it for it in quiz.items if it.type != "open"]
    if graded:
        bars = [(_item_label(it), it.stats.facility) for it in graded]
        out.append("<figure>" + bar_chart(f"{anchor}-facility", f"{quiz.label}: facility index per question",
                                          bars, marks=[(TOO_HARD, "hard"), (TOO_EASY, "easy")]) + "</figure>")
        rows = []
        for it in graded:
            flags = "".join(f'<li class="flag">{escape(f)}</li>' for f in it.flags)
            rows.append([escape(it.id), escape(it.skill), str(it.stats.n), percent(it.stats.facility),
                         percent(it.stats.sd), percent(it.stats.discrimination), percent(it.stats.efficiency),
                         f"<ul>{flags}</ul>" if flags else "none"])
        out.append(_table("Questions", ["Question", "Skill", "Students", "Facility index", "Standard deviation",
                                         "Discrimination index", "Discriminative efficiency", "Flags"], rows,
                          [False, False, True, True, True, True, True, False]))
    for it in graded:
        out.append(_question_detail(anchor, it))
    return "".join(out)


def _question_detail(anchor: str, it: Item) -> str:
    prompt = _md(it.question.prompt) if it.question is not None else "<p>(the bank's text is not available)</p>"
    out = [f'<details><summary>Question <code>{escape(it.id)}</code> in detail</summary>', prompt]
    if it.options:
        total = sum(o.picked for o in it.options) if it.type != "multiple" else it.answered
        rows = []
        for o in it.options:
            label = _inline(o.label) if o.markdown else escape(o.label)
            key = '<span class="key">✓ right</span>' if o.key else ""
            rows.append([label, key, str(o.picked), percent(o.picked / total if total else None)])
        out.append(_table(escape(it.options_title) + f" (last checked response of {it.answered} students)",
                          [escape(it.options_title), "Key", "Picked", "Share"], rows, [False, False, True, True]))
    out.append("</details>")
    return "".join(out)


def _items(report: Report) -> str:
    intro = ("<h2 id=\"items\">Item analysis</h2>"
             "<p>The figures of Moodle's quiz statistics report, computed the same way. A question's figures are "
             "over the students whose file has it: one they left unanswered counts 0, but one their file does not "
             "have (outside a notebook's selection of questions, or changed since they answered) is left out, not "
             "counted 0. A quiz's mean, median and spread are over every student who handed it in.</p><ul>"
             "<li><strong>Facility index</strong>: the mean mark as a share of the maximum. High is easy; "
             f"{percent(TOO_EASY)} or more is flagged as too easy, {percent(TOO_HARD)} or less as too hard.</li>"
             "<li><strong>Standard deviation</strong>: how much the marks vary, as a share of the maximum.</li>"
             "<li><strong>Discrimination index</strong>: the correlation between the mark on this question and "
             "the mark on the rest of the quiz. Students who do well overall should do well here: 30% or more "
             f"is good; under {percent(WEAK_DISCRIMINATION)} the question does not separate stronger from "
             "weaker students, and a negative value often means a wrong key or a misleading question.</li>"
             "<li><strong>Discriminative efficiency</strong>: the discrimination as a share of the most these "
             "marks could reach.</li>"
             "<li><strong>Choices</strong>: how many students picked each choice in the last response they "
             "checked. A wrong choice picked more than the right one, or a choice nobody picks, is flagged.</li>"
             "<li><strong>Cronbach's alpha</strong>: how consistently the questions of a quiz measure the "
             "same thing (Moodle calls it the coefficient of internal consistency); 0.7 or more is usual for "
             "a test that grades, lower is common for short practice quizzes.</li></ul>"
             f"<p>With fewer than {MIN_STUDENTS_FOR_FLAGS} students, flags about discrimination and unpicked "
             "choices are left out: the numbers say too little.</p>")
    shares: dict[str, list[float]] = {}
    for (_, bank), g in report.grades.items():
        if g.share is not None:
            shares.setdefault(bank, []).append(g.share)
    return intro + "".join(_quiz_section(n, q, shares.get(q.info.bank, [])) for n, q in enumerate(report.quizzes, 1))


def main_page(report: Report) -> str:
    """``index.html``: about the results, the gradebook, skills and item analysis."""
    title = f"Class report{': ' + report.course if report.course else ''}"
    nav = ('<nav aria-label="Sections"><ul><li><a href="#about">About these results</a></li>'
           '<li><a href="#gradebook">Gradebook</a></li><li><a href="#skills">Skills</a></li>'
           '<li><a href="#items">Item analysis</a></li>'
           '<li><a href="open-responses.html">Open responses, to print</a></li></ul></nav>')
    body = f"<h1>{escape(title)}</h1>" + _about(report) + _gradebook(report) + _skills(report) + _items(report)
    return _page(title, body, nav)


def open_page(report: Report) -> str:
    """``open-responses.html``: each open question with its model answer and rubric, then every response."""
    parts = ["<h1>Open responses</h1>",
             '<p class="noprint"><a href="index.html">Back to the report</a>. Print this page to mark the '
             "answers: each question starts a new sheet.</p>"]
    found = False
    students: dict[int, str] = {}
    for quiz in report.quizzes:
        for item, responses in quiz.open_questions:
            found = True
            q = item.question
            parts.append(f'<section class="question"><h2>{escape(quiz.label)}: <code>{escape(item.id)}</code>'
                         "</h2>")
            parts.append(_md(q.prompt) if q is not None else "<p>(the bank's text is not available)</p>")
            model_answer = getattr(q, "model_answer", "")
            rubric = getattr(q, "rubric", ())
            if model_answer:
                parts.append(f'<h3>Model answer</h3>{_md(model_answer)}')
            if rubric:
                parts.append("<h3>Rubric</h3><ol>" + "".join(f"<li>{_inline(r)}</li>" for r in rubric) + "</ol>")
            parts.append(f"<h3>Responses ({len(responses)})</h3>")
            if not responses:
                parts.append("<p>No student wrote an answer.</p>")
            boxes = "".join(f"<span>☐ {n}</span> " for n in range(1, len(rubric) + 1))
            for submission, answer in responses:
                student = students.get(id(submission))
                if student is None:  # a student's name is escaped once, for all their responses
                    student = students[id(submission)] = escape(submission.student)
                text = answer.response if isinstance(answer.response, str) else str(answer.response)
                ticked = ""
                if rubric and answer.rubric:
                    names = [f"{i + 1}" for i in answer.rubric if 0 <= i < len(rubric)]
                    ticked = f"<p class=\"small\">The student ticked rubric points {', '.join(names)}.</p>"
                parts.append(f'<div class="student"><h4>{student}</h4>'
                             f'<div class="response">{escape(text)}</div>{ticked}'
                             f'<p class="marking">Rubric: {boxes or "—"} Mark: ______ Comment:</p></div>')
            parts.append("</section>")
    if not found:
        parts.append("<p>None of the quizzes handed in has an open-response question.</p>")
    return _page("Open responses", "".join(parts))


# --- CSV ------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: str) -> str:
    """Text for a CSV cell: a leading = + - @ tab or carriage return gets an apostrophe, so no formula runs."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def gradebook_csv(report: Report, student_column: str = "Student") -> str:
    """The gradebook for Moodle's import (Grades > Import > CSV file).

    One row per student: the student column (its heading chosen to match what
    Moodle maps users by, e.g. "Email address"), the class, points per quiz
    (of each quiz's maximum: see :func:`sourcebook.report.build._lms_rows`),
    per skill and in total. Numbers are plain decimals with a point, to two
    places; the Total is the sum of the quiz cells as written.
    """
    head = [student_column, "Class"] + [q.label for q in report.quizzes] + \
        [f"Skill: {s}" for s in report.skills] + ["Total"]
    rows = [[defuse(h) for h in head]]
    for s, grades, scores in zip(report.students, report.lms_grade_rows, report.lms_skill_rows, strict=True):
        written = [round(g, 2) for g in grades if g is not None]
        total = round(sum(written), 2) if written else None
        # Only the texts can start like a formula: points are numbers, 0 or more.
        rows.append([defuse(s.name), defuse(s.class_name), *["" if g is None else number(g) for g in grades],
                     *["" if sc is None else number(sc) for sc in scores], "" if total is None else number(total)])
    return _csv(rows)


#: The columns Canvas's gradebook import expects before the assignments.
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def canvas_csv(report: Report, student_column: str = "Student") -> str:
    """The gradebook for Canvas's import (Grades > Import): its five leading columns, then one per quiz.

    Canvas matches rows to students by its ID columns (ID, SIS User ID, SIS
    Login ID): ``student_column`` says which of them holds what students typed
    as their name; the Student column always holds it too. The second row
    gives each quiz's points possible, of which each student's points are
    (see :func:`sourcebook.report.build._lms_rows`); the class goes in Section.
    """
    column = student_column if student_column in CANVAS_COLUMNS[:4] else "Student"
    head = list(CANVAS_COLUMNS) + [q.label for q in report.quizzes]
    rows = [[defuse(h) for h in head],
            ["Points Possible", "", "", "", ""] + [number(q.max_points) for q in report.quizzes]]
    for s, grades in zip(report.students, report.lms_grade_rows, strict=True):
        ids = {c: "" for c in CANVAS_COLUMNS}
        ids["Student"] = s.name
        ids[column] = s.name
        ids["Section"] = s.class_name
        # Only the texts can start like a formula: points are numbers, 0 or more.
        rows.append([defuse(ids[c]) for c in CANVAS_COLUMNS] + ["" if g is None else number(g) for g in grades])
    return _csv(rows)

