"""Item statistics against a worked example, computed by hand with Moodle's definitions.

Five students, three questions of one point each::

    student  q1  q2  q3  total
    S1       1   1   1   3
    S2       1   1   0   2
    S3       1   0   1   2
    S4       0   1   0   1
    S5       0   0   0   0

Question 1: marks 1 1 1 0 0 (mean 0.6), rest of the quiz 2 1 1 1 0 (mean 1).
Deviations 0.4 0.4 0.4 -0.6 -0.6 and 1 0 0 0 -1: sum of products 0.4 + 0.6 = 1,
so the sample covariance is 1/4 = 0.25. Sample variances: marks (3 x 0.16 + 2 x
0.36) / 4 = 0.3, rest 2 / 4 = 0.5. Facility 0.6; standard deviation sqrt(0.3) =
0.5477; discrimination index 0.25 / sqrt(0.3 x 0.5) = 0.6455. Sorted, the marks
0 0 1 1 1 and the rest 0 1 1 1 2 give the largest covariance, also 0.25:
discriminative efficiency 1.

The quiz: totals 3 2 2 1 0, mean 1.6, median 2, sample variance (1.96 + 0.16 +
0.16 + 0.36 + 2.56) / 4 = 1.3. Each question's variance is 0.3, so Cronbach's
alpha is 3/2 x (1 - 0.9 / 1.3) = 0.4615.
"""

from __future__ import annotations

import math

import pytest

from sourcebook.report.stats import cronbach_alpha, item_statistics, quiz_statistics

MARKS = [[1, 1, 1], [1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 0]]
TOTALS = [sum(row) for row in MARKS]


def test_question_statistics_of_the_worked_example() -> None:
    s = item_statistics([row[0] for row in MARKS], TOTALS, 1)
    assert s.n == 5
    assert s.facility == pytest.approx(0.6)
    assert s.sd == pytest.approx(math.sqrt(0.3))
    assert s.discrimination == pytest.approx(0.25 / math.sqrt(0.3 * 0.5))
    assert s.discrimination == pytest.approx(0.6455, abs=1e-4)
    assert s.efficiency == pytest.approx(1.0)


def test_marks_out_of_more_than_one_point_are_shares_of_the_maximum() -> None:
    doubled = item_statistics([2 * row[0] for row in MARKS], [t + row[0] for t, row in zip(TOTALS, MARKS,
                                                                                          strict=True)], 2)
    single = item_statistics([row[0] for row in MARKS], TOTALS, 1)
    assert doubled.facility == pytest.approx(single.facility)
    assert doubled.sd == pytest.approx(single.sd)
    assert doubled.discrimination == pytest.approx(single.discrimination)


def test_question_three_discriminates_less() -> None:
    # Marks 1 0 1 0 0, rest 2 2 1 1 0: covariance (0.6*0.8 - 0.4*0.8 + 0.6*-0.2 - 0.4*-0.2 - 0.4*-1.2) / 4
    s = item_statistics([row[2] for row in MARKS], TOTALS, 1)
    covariance = (0.6 * 0.8 - 0.4 * 0.8 + 0.6 * -0.2 - 0.4 * -0.2 - 0.4 * -1.2) / 4
    rest_variance = (0.64 + 0.64 + 0.04 + 0.04 + 1.44) / 4
    assert s.facility == pytest.approx(0.4)
    assert s.discrimination == pytest.approx(covariance / math.sqrt(0.3 * rest_variance))


def test_quiz_statistics_and_cronbach_alpha() -> None:
    s = quiz_statistics(MARKS, 3)
    assert s.n == 5 and s.mean == pytest.approx(1.6) and (s.median, s.low, s.high) == (2, 0, 3)
    assert s.sd == pytest.approx(math.sqrt(1.3))
    assert s.alpha == pytest.approx(1.5 * (1 - 0.9 / 1.3))
    assert cronbach_alpha(MARKS) == pytest.approx(0.4615, abs=1e-4)


def test_what_cannot_be_computed_is_none() -> None:
    one = item_statistics([1], [3], 1)
    assert one.facility == 1 and one.sd is None and one.discrimination is None
    same = item_statistics([1, 1, 1], [3, 2, 1], 1)  # everyone right: no spread to correlate
    assert same.facility == 1 and same.sd == 0 and same.discrimination is None
    assert item_statistics([], [], 1).facility is None
    assert cronbach_alpha([[1, 0]]) is None and cronbach_alpha([[1], [0]]) is None
    assert cronbach_alpha([[1, 1], [1, 1]]) is None  # totals do not vary
    assert quiz_statistics([], 3).mean is None
    with pytest.raises(ValueError):
        item_statistics([1, 0], [1], 1)


def test_alpha_from_columns_is_alpha_from_rows_to_the_last_bit() -> None:
    import random

    from sourcebook.report.stats import cronbach_alpha_of_columns, item_statistics_and_variance

    rng = random.Random(3)
    tables: list[list[list[float]]] = [
        [list(map(float, row)) for row in MARKS], [[rng.choice([0, 0.5, 1, 2]) for _ in range(7)] for _ in range(300)],
        [[rng.random() * 3 for _ in range(4)] for _ in range(50)]]
    for rows in tables:
        columns = [list(column) for column in zip(*rows, strict=True)]
        assert cronbach_alpha_of_columns(columns) == cronbach_alpha(rows)
        # Each column's variance as the item statistics compute it: the same alpha, to the last bit.
        variances = [item_statistics_and_variance(c, list(map(sum, rows)), 2)[1] for c in columns]
        assert cronbach_alpha_of_columns(columns, variances) == cronbach_alpha(rows)
        assert cronbach_alpha_of_columns(columns, variances[:1]) == cronbach_alpha(rows)
    assert cronbach_alpha_of_columns([[1, 0]]) is None and cronbach_alpha_of_columns([[1], [0]]) is None
    assert cronbach_alpha_of_columns([]) is None
