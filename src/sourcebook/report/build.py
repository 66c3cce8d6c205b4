"""From a class's matched hand-ins (:class:`sourcebook.results.ClassResults`) to the report's figures.

Everything the report shows is computed here once, as plain data: the
gradebook (points per student per quiz and per skill), each quiz's
statistics, each question's statistics with its flags, how often each choice
was picked, and the open responses per question. The HTML page and the CSV
files only format these figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from .. import model, types
from ..grading import normalise
from ..results import Cell, ClassResults, QuizInfo, Submission
from .stats import (
    MIN_STUDENTS_FOR_FLAGS,
    TOO_EASY,
    TOO_HARD,
    WEAK_DISCRIMINATION,
    ItemStatistics,
    QuizStatistics,
    cronbach_alpha_of_columns,
    item_statistics,
    quiz_statistics,
)


@dataclass(frozen=True)
class Score:
    """Points earned of points available."""

    points: float
    max_points: float

    @property
    def share(self) -> float | None:
        return self.points / self.max_points if self.max_points else None


@dataclass(frozen=True)
class Option:
    """One choice of a question and how many students picked it."""

    label: str  # the choice's text (Markdown of the bank) or what the student typed
    picked: int
    key: bool  # a right choice
    markdown: bool = True  # label is the bank's Markdown (False: a student's text, shown as plain text)


@dataclass
class Item:
    """One question of a quiz: the bank's question (if found), its statistics and flags."""

    id: str
    type: str
    skill: str
    max_points: float
    question: model.Question | None
    stats: ItemStatistics
    answered: int = 0  # students who checked it at least once
    options: list[Option] = field(default_factory=list)
    options_title: str = ""
    flags: list[str] = field(default_factory=list)


@dataclass
class QuizReport:
    """One quiz: its statistics, its questions, its open responses."""

    info: QuizInfo
    max_points: float
    stats: QuizStatistics
    alpha_students: int  # students whose answers cover every question (what alpha is computed over)
    items: list[Item]
    open_questions: list[tuple[Item, list[tuple[Submission, Cell]]]]


@dataclass
class Report:
    """Every figure of the class report."""

    results: ClassResults
    course: str
    students: list[Submission]
    quizzes: list[QuizReport]
    grades: dict[tuple[int, str], Score]  # (student index, quiz bank) -> score
    skills: list[str]
    skill_scores: dict[tuple[int, str], Score]  # (student index, skill) -> score
    totals: dict[int, Score]
    # The same scores as one row per student (in the order of students), for the pages and CSVs:
    grade_rows: list[list[Score | None]] = field(default_factory=list)  # per quiz, as in quizzes
    skill_rows: list[list[Score | None]] = field(default_factory=list)  # per skill, as in skills


def _skill_order(skills: set[str]) -> list[str]:
    standard = [s for s in model.STANDARD_SKILLS if s in skills]
    return standard + sorted(skills - set(standard))


def _label_single(question: model.Question, index: int) -> str:
    choices = getattr(question, "choices", ())
    return choices[index].text if 0 <= index < len(choices) else f"choice {index + 1}"


def _options(item: Item, answered: Sequence[Any]) -> None:
    """How often each choice was picked, in the last response each student checked (not None, attempts > 0)."""
    q = item.question
    if isinstance(q, types.SingleChoice | types.MultipleAnswer | types.Evidence):
        # A response is the index of a choice (of a paragraph offered, for evidence) or a list of them;
        # anything else (hand-edited) picks nothing.
        n = len(q.paragraphs) if isinstance(q, types.Evidence) else len(q.choices)
        picked = [0] * n
        for r, times in _distinct(answered):
            if type(r) is int:
                if 0 <= r < n:
                    picked[r] += times
            elif type(r) is list or type(r) is tuple:  # a list, counted as a tuple (see _distinct)
                for p in {p for p in r if type(p) is int}:
                    if 0 <= p < n:
                        picked[p] += times
        if isinstance(q, types.Evidence):  # each paragraph offered is a choice, named by its anchor
            item.options = [Option(f"`{p.paragraph}`", picked[i], p.correct) for i, p in enumerate(q.paragraphs)]
            item.options_title = "Paragraph"
        else:
            item.options = [Option(choice.text, picked[i], choice.correct) for i, choice in enumerate(q.choices)]
            item.options_title = "Choice"
    elif isinstance(q, types.TrueFalse):
        tf: Counter[bool] = Counter(r for r in answered if isinstance(r, bool))
        item.options = [Option("True", tf[True], q.answer), Option("False", tf[False], not q.answer)]
        item.options_title = "Answer"
    elif isinstance(q, types.ShortText | types.Numeric):
        # Students type the same few answers: each distinct text is normalised once, in the order
        # the texts first came (so the first text of each normalised answer is the one shown).
        typed: Counter[str] = Counter()
        shown: dict[str, str] = {}
        for text, times in Counter(map(str, answered)).items():
            key = normalise(text)
            shown.setdefault(key, " ".join(text.split()))
            typed[key] += times
        right = {normalise(a) for a in q.answers} if isinstance(q, types.ShortText) else set()
        item.options = [Option(shown[k], n, k in right or _numeric_right(q, shown[k]), markdown=False)
                        for k, n in typed.most_common(8)]
        item.options_title = "Most frequent answers"


def _distinct(responses: Sequence[Any]) -> Iterable[tuple[Any, int]]:
    """Each distinct response with how many times it came: a class gives the same few responses.

    Counted when every response is a whole number (not a bool, which would count as 1 or 0) or every
    one a list of hashable items (counted as tuples); any other mix (hand-edited files) one by one.
    """
    kinds = set(map(type, responses))
    try:
        if kinds <= {int}:
            return Counter(responses).items()
        if kinds == {list}:
            return Counter(map(tuple, responses)).items()
    except TypeError:  # a list holding a list or an object
        pass
    return zip(responses, repeat(1))


def _numeric_right(q: model.Question, text: str) -> bool:
    if not isinstance(q, types.Numeric):
        return False
    from ..grading import grade

    return bool(grade(q, text).correct)


def _flags(item: Item) -> None:
    s = item.stats
    if item.type == "open" or s.n == 0:
        return
    if s.facility is not None and s.facility >= TOO_EASY:
        item.flags.append("too easy: almost everyone got it right")
    if s.facility is not None and s.facility <= TOO_HARD:
        item.flags.append("too hard: few got it right; check the question and the key")
    if s.n >= MIN_STUDENTS_FOR_FLAGS:
        if s.discrimination is not None and s.discrimination < 0:
            item.flags.append("weaker students did better than stronger ones: check the key")
        elif s.discrimination is None or s.discrimination < WEAK_DISCRIMINATION:
            item.flags.append("does not discriminate: it does not separate stronger from weaker students")
    if item.options and item.type in ("single", "multiple", "true-false"):
        keys = [o.picked for o in item.options if o.key]
        least_key = min(keys) if keys else 0
        for o in item.options:
            if not o.key and o.picked > least_key:
                item.flags.append(f"a wrong choice was picked more often than the right one: {_plain(o.label)}")
        if item.answered >= MIN_STUDENTS_FOR_FLAGS:
            for o in item.options:
                if o.picked == 0 and not o.key:
                    item.flags.append(f"a choice nobody picks: {_plain(o.label)}")


def _plain(text: str) -> str:
    return " ".join(text.split())


def build(results: ClassResults) -> Report:
    """Compute every figure of the report."""
    students = results.submissions
    index = {id(s): i for i, s in enumerate(students)}
    # One pass over the cells, in the order they were made (student by student): each quiz's
    # cells gathered question by question (see _QuizCells), and each student's sums as
    # [points, maximum], made Scores at the end. A student who handed in a quiz whose questions
    # all changed still appears in it, with nothing counted.
    gathered = {bank: _QuizCells() for bank in results.quizzes}
    student_quizzes: dict[int, dict[str, list[float]]] = {}
    student_skills: dict[int, dict[str, list[float]]] = {}
    submission: Submission | None = None
    i = -1
    quiz = ""
    questions: dict[str, _Question] | None = None
    g: list[float] = []
    quiz_sums_here: dict[str, list[float]] = {}
    skill_sums_here: dict[str, list[float]] = {}
    quiz_cells = _QuizCells()
    marks_here: dict[str, float] | None = None
    # The loop runs once per answer handed in (half a million in a school year): what _QuizCells
    # keeps of each cell is added here, with what changes only per student or quiz looked up once.
    for cell in results.cells:
        # A student's cells come together, and mostly quiz by quiz.
        if cell.submission is not submission:
            submission = cell.submission
            i = index[id(submission)]
            quiz_sums_here = student_quizzes.setdefault(i, {})
            skill_sums_here = student_skills.setdefault(i, {})
            questions = None
        if questions is None or cell.quiz != quiz:
            quiz = cell.quiz
            quiz_cells = gathered[quiz]
            questions = quiz_cells.questions
            g = quiz_sums_here.setdefault(quiz, [0.0, 0.0])
            marks_here = None
        answer = cell.answer
        qid = answer.id
        question = questions.get(qid)
        if question is None:
            question = questions[qid] = _Question(cell)
        graded = cell.graded
        if graded:
            question.graded = True
        if not cell.counts:
            continue
        if not question.counted:
            question.counted = True
            question.first = cell
        points = cell.points
        question.students.append(i)
        question.marks.append(points)
        if answer.attempts > 0:
            question.tried.append(cell)
            if answer.response is not None:
                question.responses.append(answer.response)
        if graded:
            if marks_here is None:
                marks_here = quiz_cells.marks.setdefault(i, {})
            marks_here[qid] = points
            g[0] += points
            g[1] += cell.max_points
            k = skill_sums_here.get(cell.skill)
            if k is None:
                k = skill_sums_here[cell.skill] = [0.0, 0.0]
            k[0] += points
            k[1] += cell.max_points
    # Each student's sums made Scores, students in order and each one's quizzes and skills in the
    # order they came; and each student's row of them, for the pages.
    skills = _skill_order({skill for mine in student_skills.values() for skill in mine})
    grades: dict[tuple[int, str], Score] = {}
    skill_scores: dict[tuple[int, str], Score] = {}
    totals: dict[int, Score] = {}
    grade_rows: list[list[Score | None]] = [[None] * len(results.quizzes) for _ in students]
    skill_rows: list[list[Score | None]] = [[None] * len(skills) for _ in students]
    quiz_column = {bank: n for n, bank in enumerate(results.quizzes)}
    skill_column = {skill: n for n, skill in enumerate(skills)}
    for i, mine in student_quizzes.items():
        t = [0.0, 0.0]
        row = grade_rows[i]
        for bank, (p, m) in mine.items():
            row[quiz_column[bank]] = grades[(i, bank)] = Score(p, m)
            t[0] += p
            t[1] += m
        totals[i] = Score(t[0], t[1])
    for i, mine in student_skills.items():
        row = skill_rows[i]
        for skill, (p, m) in mine.items():
            row[skill_column[skill]] = skill_scores[(i, skill)] = Score(p, m)

    quizzes = [_quiz(info, gathered[bank]) for bank, info in results.quizzes.items()]
    courses = Counter(s.course for s in students if s.course)
    return Report(results, courses.most_common(1)[0][0] if courses else "", students, quizzes, grades,
                  skills, skill_scores, totals, grade_rows, skill_rows)


@dataclass
class _Question:
    """One question's cells, as :class:`_QuizCells` gathers them."""

    first: Cell  # the first counted cell, else the first cell
    graded: bool = False  # some cell is graded
    counted: bool = False  # some cell counts
    students: list[int] = field(default_factory=list)  # students whose answer counts
    marks: list[float] = field(default_factory=list)  # their points, in the same order
    tried: list[Cell] = field(default_factory=list)  # counted cells checked at least once
    responses: list[Any] = field(default_factory=list)  # their responses (None left out)


@dataclass
class _QuizCells:
    """One quiz's cells, gathered question by question, and each student's marks.

    :func:`build` takes everything a question's figures need from its cells
    as they come, in the order they were made: a school's cells are half a
    million objects, and each later pass over one question's cells, which lie
    far apart in memory, cost about as much as this whole pass.
    """

    questions: dict[str, _Question] = field(default_factory=dict)
    # Marks per student over the counted, graded questions of this quiz.
    marks: dict[int, dict[str, float]] = field(default_factory=dict)


def _quiz(info: QuizInfo, cells: _QuizCells) -> QuizReport:
    """One quiz's figures from its gathered cells."""
    per_question, marks = cells.questions, cells.marks
    bank_questions = {q.id: q for q in info.loaded.questions} if info.loaded is not None else {}
    graded_ids = [qid for qid in info.questions if per_question[qid].graded and per_question[qid].counted]
    totals = {i: sum(m.values()) for i, m in marks.items()}
    max_points = 0.0
    items: list[Item] = []
    open_questions: list[tuple[Item, list[tuple[Submission, Cell]]]] = []
    for qid in info.questions:
        q = per_question[qid]
        first = q.first
        max_mark = first.max_points
        if q.graded and q.counted:
            max_points += max_mark
            # Each student has one cell per question, so its points are the student's mark on it.
            stats = item_statistics(q.marks, list(map(totals.__getitem__, q.students)), max_mark)
        else:
            stats = item_statistics([], [], max_mark)
        item = Item(qid, first.answer.type, first.skill, max_mark, bank_questions.get(qid), stats,
                    answered=len(q.tried))
        if first.answer.type == "open":
            responses = [(c.submission, c) for c in q.tried]
            responses.sort(key=lambda pair: (pair[0].class_name.casefold(), pair[0].name.casefold()))
            open_questions.append((item, responses))
        else:
            _options(item, q.responses)
            _flags(item)
        items.append(item)
    # A student's marks cover only graded questions that count, so having as many as there are means all.
    # Alpha is computed over the table of their marks (one row per student, in order, one column per
    # question), taken column by column from each question's marks: the same numbers, added in the
    # same order, as row by row, without a row made per student.
    complete = sorted(i for i, mine in marks.items() if len(mine) == len(graded_ids))
    columns = [list(map(dict(zip(per_question[qid].students, per_question[qid].marks, strict=True)).__getitem__,
                        complete)) for qid in graded_ids]
    alpha = cronbach_alpha_of_columns(columns)
    everyone = quiz_statistics([[totals[i]] for i in sorted(totals)], max_points)
    # Mean, median and spread over everyone who handed the quiz in; alpha over the complete rows.
    merged = QuizStatistics(everyone.n, max_points, everyone.mean, everyone.median, everyone.sd, everyone.low,
                            everyone.high, alpha)
    return QuizReport(info, max_points, merged, len(complete), items, open_questions)


def as_dict(report: Report) -> dict[str, Any]:
    """The report's main figures as plain data (what ``summary.json`` holds)."""
    return {
        "course": report.course,
        "students": len(report.students),
        "quizzes": [{
            "bank": q.info.bank, "title": q.info.title, "max_points": q.max_points,
            "students": q.stats.n, "mean": q.stats.mean, "median": q.stats.median, "sd": q.stats.sd,
            "low": q.stats.low, "high": q.stats.high, "alpha": q.stats.alpha,
            "questions": [{"id": it.id, "type": it.type, "skill": it.skill, "n": it.stats.n,
                           "facility": it.stats.facility, "sd": it.stats.sd,
                           "discrimination": it.stats.discrimination, "efficiency": it.stats.efficiency,
                           "flags": it.flags} for it in q.items],
        } for q in report.quizzes],
    }
