"""Item statistics of a class's results, as Moodle's quiz statistics report computes them.

Pure functions over marks, no I/O. The definitions follow Moodle's
``question/classes/statistics/questions/calculator.php`` and its quiz
statistics (``mod/quiz/report/statistics``), so a teacher who knows Moodle's
report reads these numbers the same way:

* facility index: the mean mark on the question as a share of its maximum;
* standard deviation: the sample standard deviation (n - 1) of the marks, as a
  share of the maximum;
* discrimination index: the correlation between the mark on the question and
  the mark on the rest of the quiz (the total without this question), from
  sample covariances;
* discriminative efficiency: that covariance over the largest covariance the
  same marks could reach (both lists sorted);
* for the whole quiz: mean, median, standard deviation, lowest and highest
  total, and Cronbach's alpha (Moodle's coefficient of internal consistency):
  k/(k-1) * (1 - sum of the questions' variances / variance of the totals).

Shares are returned from 0 to 1 (Moodle prints them as percentages). A figure
that cannot be computed (too few students, no spread) is None.
"""

from __future__ import annotations

import math
import operator
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat


@dataclass(frozen=True)
class ItemStatistics:
    """The statistics of one question over the students who took its quiz."""

    n: int
    mean: float | None  # mean mark, in points
    facility: float | None  # mean mark / maximum, 0 to 1
    sd: float | None  # sample standard deviation of the marks / maximum
    discrimination: float | None  # correlation with the rest of the quiz, -1 to 1
    efficiency: float | None  # discriminative efficiency, -1 to 1


@dataclass(frozen=True)
class QuizStatistics:
    """The statistics of the totals of one quiz."""

    n: int
    max_points: float
    mean: float | None
    median: float | None
    sd: float | None
    low: float | None
    high: float | None
    alpha: float | None  # Cronbach's alpha


# A class is thousands of marks per question: each pass over them is a map() (a loop in C), with the
# same operations in the same order as the plain formulas (d ** 2 is pow(d, 2); v - mean is sub(v, mean)),
# so every figure is the same to the last bit.


def _deviations(values: Sequence[float], mean: float) -> list[float]:
    return list(map(operator.sub, values, repeat(mean)))


def _sample_variance(values: Sequence[float], mean: float) -> float:
    return _sum_of_squares(_deviations(values, mean)) / (len(values) - 1)


def _sum_of_squares(deviations: Sequence[float]) -> float:
    return sum(map(pow, deviations, repeat(2)))


def item_statistics(marks: Sequence[float], totals: Sequence[float], max_mark: float) -> ItemStatistics:
    """Statistics of one question: ``marks`` on it and each student's ``totals`` on the quiz (same order)."""
    return item_statistics_and_variance(marks, totals, max_mark)[0]


def item_statistics_and_variance(marks: Sequence[float], totals: Sequence[float],
                                 max_mark: float) -> tuple[ItemStatistics, float | None]:
    """:func:`item_statistics`, and the sample variance of ``marks`` (None with fewer than two), which
    Cronbach's alpha over the same marks needs too (:func:`cronbach_alpha_of_columns`)."""
    if len(marks) != len(totals):
        raise ValueError("marks and totals must be given for the same students")
    n = len(marks)
    if n == 0:
        return ItemStatistics(0, None, None, None, None, None), None
    mean = sum(marks) / n
    facility = mean / max_mark if max_mark else None
    if n < 2:
        return ItemStatistics(n, mean, facility, None, None, None), None
    rest = list(map(operator.sub, totals, marks))
    rest_mean = sum(rest) / n
    # Each mark's and rest's deviation from its mean, computed once (a class is thousands of marks).
    mark_dev = _deviations(marks, mean)
    rest_dev = _deviations(rest, rest_mean)
    mark_var = _sum_of_squares(mark_dev) / (n - 1)
    rest_var = _sum_of_squares(rest_dev) / (n - 1)
    covariance = sum(map(operator.mul, mark_dev, rest_dev)) / (n - 1)
    sd = math.sqrt(mark_var) / max_mark if max_mark else None
    discrimination = covariance / math.sqrt(mark_var * rest_var) if mark_var * rest_var > 0 else None
    # Subtracting the mean keeps the order, so sorting the deviations sorts the marks and the rests.
    best = sum(map(operator.mul, sorted(mark_dev), sorted(rest_dev))) / (n - 1)
    efficiency = covariance / best if best > 0 else None
    return ItemStatistics(n, mean, facility, sd, discrimination, efficiency), mark_var


def cronbach_alpha(matrix: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha of a table of marks: one row per student, one column per question.

    None with fewer than two students or questions, or when the totals do not vary.
    """
    return _alpha(matrix, list(map(sum, matrix)))


def _alpha(matrix: Sequence[Sequence[float]], totals: Sequence[float]) -> float | None:
    """Cronbach's alpha of ``matrix`` whose rows' sums are ``totals``."""
    n = len(matrix)
    k = len(matrix[0]) if matrix else 0
    if n < 2 or k < 2:
        return None
    return _alpha_of_columns(list(zip(*matrix, strict=True)), totals)


def cronbach_alpha_of_columns(columns: Sequence[Sequence[float]],
                              variances: Sequence[float | None] = ()) -> float | None:
    """:func:`cronbach_alpha` of the table whose columns (one per question) are ``columns``.

    ``variances`` may give a column's sample variance where it is known already (as
    :func:`item_statistics_and_variance` computes it, so the same to the last bit): a class's
    columns are thousands of marks.
    """
    if len(columns) < 2 or len(columns[0]) < 2:
        return None
    # Each row's sum, added column by column: 0 + the first column's mark + the second's..., as sum(row).
    totals: list[float] = [0] * len(columns[0])
    for column in columns:
        totals = list(map(operator.add, totals, column))
    return _alpha_of_columns(columns, totals, variances)


def _alpha_of_columns(columns: Sequence[Sequence[float]], totals: Sequence[float],
                      variances: Sequence[float | None] = ()) -> float | None:
    n = len(totals)
    k = len(columns)
    known = list(variances) + [None] * (k - len(variances))
    item_variance = sum(_sample_variance(c, sum(c) / n) if v is None else v
                        for c, v in zip(columns, known, strict=True))
    total_variance = _sample_variance(totals, sum(totals) / n)
    if total_variance <= 0:
        return None
    return k / (k - 1) * (1 - item_variance / total_variance)


def quiz_statistics(matrix: Sequence[Sequence[float]], max_points: float) -> QuizStatistics:
    """Statistics of a quiz from its marks (one row per student, one column per question)."""
    totals = list(map(sum, matrix))
    n = len(totals)
    if n == 0:
        return QuizStatistics(0, max_points, None, None, None, None, None, None)
    mean = sum(totals) / n
    sd = math.sqrt(_sample_variance(totals, mean)) if n > 1 else None
    return QuizStatistics(n, max_points, mean, statistics.median(totals), sd, min(totals), max(totals),
                          _alpha(matrix, totals))


#: Where a question earns a flag (Moodle's documentation reads a facility index
#: of 90% or more as very easy, 20% or less as difficult, and a discrimination
#: index under 20% as weak).
TOO_EASY = 0.9
TOO_HARD = 0.2
WEAK_DISCRIMINATION = 0.2
#: Flags that depend on spread (discrimination, a choice nobody picks) need this many students.
MIN_STUDENTS_FOR_FLAGS = 5
