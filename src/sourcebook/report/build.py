"""From a class's matched hand-ins (:class:`sourcebook.results.ClassResults`) to the report's figures.

Everything the report shows is computed here once, as plain data: the
gradebook (points per student per quiz and per skill, and the same points as
an LMS takes them), each quiz's statistics, each question's statistics with
its flags, how often each choice was picked, and the open responses per
question. The HTML page and the CSV files only format these figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress, repeat
from typing import Any, NamedTuple

from .. import model, types
from ..grading import normalise
from ..results import Answer, ClassResults, QuizColumns, QuizInfo, Submission
from .stats import (
    MIN_STUDENTS_FOR_FLAGS,
    TOO_EASY,
    TOO_HARD,
    WEAK_DISCRIMINATION,
    ItemStatistics,
    QuizStatistics,
    cronbach_alpha_of_columns,
    item_statistics,
    item_statistics_and_variance,
    quiz_statistics,
)


class Score(NamedTuple):
    """Points earned of points available (a tuple, so that the pages format each distinct score once)."""

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
    open_questions: list[tuple[Item, list[tuple[Submission, Answer]]]]
    #: How the pages and gradebook columns name it: its title, with its bank where two quizzes share a title.
    label: str = ""


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
    # The points of grade_rows and skill_rows as the gradebook CSVs give them: see _lms_rows.
    lms_grade_rows: list[list[float | None]] = field(default_factory=list)
    lms_skill_rows: list[list[float | None]] = field(default_factory=list)

    @cached_property
    def shared_names(self) -> dict[str, list[Submission]]:
        """The names that two students or more share (in different classes), each with its students: the
        gradebook CSVs identify students by name, so an LMS would give all their grades to one. Names are
        compared as hand-ins are matched with their students (:attr:`Submission.student_key`)."""
        by_name: dict[str, list[Submission]] = {}
        for student in self.students:
            by_name.setdefault(student.student_key[0], []).append(student)
        return {students[0].name: students for students in by_name.values() if len(students) > 1}


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
    """Compute every figure of the report, from the columns :func:`sourcebook.results.analyse` gathered."""
    students = results.submissions
    # Each student's sums made Scores, students in order and each one's quizzes and skills in the
    # order they came; and each student's row of them, for the pages.
    skills = _skill_order({skill for mine in results.student_skills for skill in mine})
    grades: dict[tuple[int, str], Score] = {}
    skill_scores: dict[tuple[int, str], Score] = {}
    totals: dict[int, Score] = {}
    grade_rows: list[list[Score | None]] = [[None] * len(results.quizzes) for _ in students]
    skill_rows: list[list[Score | None]] = [[None] * len(skills) for _ in students]
    quiz_column = {bank: n for n, bank in enumerate(results.quizzes)}
    skill_column = {skill: n for n, skill in enumerate(skills)}
    make = Score._make  # a Score from a [points, maximum] list as it is (no call in Python per score)
    for i, mine in enumerate(results.student_quizzes):
        if not mine:  # nothing handed in
            continue
        points = maximum = 0.0
        row = grade_rows[i]
        for bank, sums in mine.items():
            row[quiz_column[bank]] = grades[(i, bank)] = make(sums)
            points += sums[0]
            maximum += sums[1]
        totals[i] = Score(points, maximum)
    for i, mine in enumerate(results.student_skills):
        row = skill_rows[i]
        for skill, sums in mine.items():
            row[skill_column[skill]] = skill_scores[(i, skill)] = make(sums)

    # How open responses are ordered: by class, then name.
    order = [(s.class_name.casefold(), s.name.casefold()) for s in students]
    quizzes = [_quiz(info, results.columns[bank], students, order) for bank, info in results.quizzes.items()]
    titles = Counter(quiz.info.title for quiz in quizzes)
    for quiz in quizzes:
        quiz.label = quiz.info.title if titles[quiz.info.title] == 1 else f"{quiz.info.title} ({quiz.info.bank})"
    courses = Counter(s.course for s in students if s.course)
    lms_grade_rows, lms_skill_rows = _lms_rows(results, quizzes, skills, grade_rows, skill_rows)
    return Report(results, courses.most_common(1)[0][0] if courses else "", students, quizzes, grades,
                  skills, skill_scores, totals, grade_rows, skill_rows, lms_grade_rows, lms_skill_rows)


def _lms_rows(results: ClassResults, quizzes: Sequence[QuizReport], skills: Sequence[str],
              grade_rows: Sequence[Sequence[Score | None]], skill_rows: Sequence[Sequence[Score | None]],
              ) -> tuple[list[list[float | None]], list[list[float | None]]]:
    """Each student's points per quiz and per skill as an LMS takes them: of each quiz's maximum.

    An LMS gives a quiz (a grade item) one maximum. A student who had other
    questions than the quiz now has (answered on an earlier version of its
    bank, or a selection of its questions) has their points scaled to it, so
    that the LMS shows the share of the points the report shows; their skill
    points are scaled with the points of each quiz they come from, so that
    they still add up to the quizzes'. A student with no points to earn in a
    quiz that has some gets no grade there (None), not a 0.
    """
    maxima = {quiz.info.bank: quiz.max_points for quiz in quizzes}
    scaled: dict[str, dict[int, float]] = {}  # per quiz: each scaled student's own maximum
    lms_grades: list[list[float | None]] = []
    for i, row in enumerate(grade_rows):
        cells: list[float | None] = []
        for (quiz, maximum), g in zip(maxima.items(), row, strict=True):
            if g is None or g.max_points == maximum:
                cells.append(None if g is None else g.points)
            elif g.max_points:
                cells.append(g.points / g.max_points * maximum)
                scaled.setdefault(quiz, {})[i] = g.max_points
            else:
                cells.append(None)
        lms_grades.append(cells)
    # The skills' share of the scaling, from the points of each graded answer of a scaled student.
    extra: dict[tuple[int, str], float] = {}
    for quiz, own_maxima in scaled.items():
        for column in results.columns[quiz].questions.values():
            for i, points in zip(column.students, column.points, strict=True):
                own = own_maxima.get(i)
                if own is not None:
                    key = (i, column.skill)
                    extra[key] = extra.get(key, 0.0) + points / own * maxima[quiz] - points
    lms_skills = [[None if sc is None else sc.points + extra.get((i, skill), 0.0)
                   for skill, sc in zip(skills, row, strict=True)] for i, row in enumerate(skill_rows)]
    return lms_grades, lms_skills


def _quiz(info: QuizInfo, columns: QuizColumns, students: Sequence[Submission],
          order: Sequence[tuple[str, str]]) -> QuizReport:
    """One quiz's figures from its columns; ``order`` is each student's place among open responses."""
    per_question, marks = columns.questions, columns.marks
    bank_questions = {q.id: q for q in info.loaded.questions} if info.loaded is not None else {}
    graded_ids = [qid for qid in info.questions if per_question[qid].graded and per_question[qid].counted]
    totals = {i: sum(m) for i, m in marks.items()}
    max_points = 0.0
    variances: dict[str, float | None] = {}  # of each graded question's marks
    items: list[Item] = []
    open_questions: list[tuple[Item, list[tuple[Submission, Answer]]]] = []
    for qid in info.questions:
        q = per_question[qid]
        max_mark = q.max_points
        if q.graded and q.counted:
            max_points += max_mark
            # Each student has one answer per question, so its points are the student's mark on it.
            stats, variances[qid] = item_statistics_and_variance(q.points, list(map(totals.__getitem__, q.students)),
                                                                 max_mark)
        else:
            stats = item_statistics([], [], max_mark)
        item = Item(qid, q.type, q.skill, max_mark, bank_questions.get(qid), stats, answered=q.answered)
        if q.type == "open":
            # Sorted by each student's place (a stable sort, as of the pairs by their students' keys).
            places = list(map(order.__getitem__, q.tried_students))
            open_questions.append((item, [(students[q.tried_students[k]], q.tried[k])
                                          for k in sorted(range(len(places)), key=places.__getitem__)]))
        else:
            _options(item, q.responses)
            _flags(item)
        items.append(item)
    # A student's marks cover only graded questions that count, so having as many as there are means all.
    # Alpha is computed over the table of their marks (one row per student, in order, one column per
    # question), taken column by column from each question's marks: the same numbers, added in the
    # same order, as row by row, without a row made per student. A column's students are in order (the
    # files were matched in it), so its marks of the complete rows are taken in place; mostly every
    # student who has the quiz has every question, and a column is its marks as they are.
    # A column that is a question's marks as they are has their variance computed already.
    complete = sorted(i for i, mine in marks.items() if len(mine) == len(graded_ids))
    wanted = set(complete)
    whole = [len(per_question[qid].students) == len(complete) for qid in graded_ids]
    table = [q.points if all_of_it else list(compress(q.points, map(wanted.__contains__, q.students)))
             for q, all_of_it in zip(map(per_question.__getitem__, graded_ids), whole, strict=True)]
    alpha = cronbach_alpha_of_columns(table, [variances[qid] if all_of_it else None
                                              for qid, all_of_it in zip(graded_ids, whole, strict=True)])
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
