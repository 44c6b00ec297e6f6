"""Every statistic against a worked example computed by hand (and, where available, an independent library)."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studygen.grade import stats

# Five students x four right/wrong items: a Guttman pattern, easy to do on paper.
MATRIX = [
    [1, 1, 1, 1],
    [1, 1, 1, 0],
    [1, 1, 0, 0],
    [1, 0, 0, 0],
    [0, 0, 0, 0],
]


def test_difficulty_is_the_proportion_correct() -> None:
    assert [stats.mean([row[j] for row in MATRIX]) for j in range(4)] == pytest.approx([0.8, 0.6, 0.4, 0.2])


def test_kr20_worked_example() -> None:
    # totals 4,3,2,1,0: mean 2, population variance (4+1+0+1+4)/5 = 2
    # sum p*q = .16 + .24 + .24 + .16 = .8 ; KR-20 = 4/3 * (1 - .8/2) = 0.8
    assert stats.kr20(MATRIX) == pytest.approx(0.8)


def test_alpha_equals_kr20_for_right_wrong_items() -> None:
    assert stats.cronbach_alpha([[float(v) for v in row] for row in MATRIX]) == pytest.approx(0.8)


def test_alpha_worked_example_with_partial_credit() -> None:
    m = [[2.0, 1.0, 0.5], [1.0, 1.0, 0.0], [0.0, 0.5, 0.5], [2.0, 0.0, 1.0]]
    k = 3
    items = [statistics.pvariance([r[j] for r in m]) for j in range(k)]
    total = statistics.pvariance([sum(r) for r in m])
    assert stats.cronbach_alpha(m) == pytest.approx(k / (k - 1) * (1 - sum(items) / total))


def test_corrected_point_biserial_worked_example() -> None:
    item = [1, 1, 1, 1, 0]
    rest = [3, 2, 1, 0, 0]  # totals minus item 1
    # deviations: item .2 .2 .2 .2 -.8 ; rest 1.8 .8 -.2 -1.2 -1.2
    # sxy = .36 + .16 - .04 - .24 + .96 = 1.2 ; sxx = .8 ; syy = 6.8
    expected = 1.2 / math.sqrt(0.8 * 6.8)
    assert stats.pearson(item, rest) == pytest.approx(expected)
    assert stats.pearson(item, rest) == pytest.approx(statistics.correlation(item, rest))


def test_pearson_is_undefined_without_spread() -> None:
    assert stats.pearson([1, 1, 1], [1, 2, 3]) is None
    assert stats.pearson([1], [2]) is None


def test_sample_sd_matches_statistics_module() -> None:
    xs = [55.0, 70.0, 82.5, 91.0, 40.0]
    assert stats.sample_sd(xs) == pytest.approx(statistics.stdev(xs))
    assert stats.sample_sd([3.0]) is None


def test_one_way_anova_worked_example() -> None:
    # means 3, 5, 7 ; grand mean 5 ; SSB = 3*(4+0+4) = 24 ; SSW = 2+2+2 = 6 ; F = (24/2)/(6/6) = 12
    a = stats.one_way_anova([[2, 3, 4], [4, 5, 6], [6, 7, 8]])
    assert a is not None
    assert (a.df_between, a.df_within) == (2, 6)
    assert a.f == pytest.approx(12.0)
    # with d1 = 2 the F tail has a closed form: (1 + d1*F/d2) ** (-d2/2) = 5 ** -3
    assert a.p == pytest.approx(0.008)


def test_anova_is_undefined_for_one_group_or_no_spread() -> None:
    assert stats.one_way_anova([[1, 2, 3]]) is None
    assert stats.one_way_anova([[1, 1], [2, 2]]) is None
    assert stats.one_way_anova([[1], [2]]) is None


@pytest.mark.parametrize("f,d2", [(0.3, 4), (1.0, 10), (3.7, 25), (50.0, 3)])
def test_f_tail_closed_form_for_two_numerator_df(f: float, d2: int) -> None:
    assert stats.f_sf(f, 2, d2) == pytest.approx((1 + 2 * f / d2) ** (-d2 / 2), rel=1e-12)


def test_f_tail_with_one_numerator_df_is_a_two_sided_t_test() -> None:
    # F(1, d) = t(d)^2 ; with d = 1 the t distribution is Cauchy: P(|T| >= t) = 1 - 2*atan(t)/pi
    t = 2.5
    assert stats.f_sf(t * t, 1, 1) == pytest.approx(1 - 2 * math.atan(t) / math.pi, rel=1e-12)


def test_incomplete_beta_special_cases() -> None:
    for x in (0.05, 0.3, 0.5, 0.9):
        assert stats.betainc(3.5, 1, x) == pytest.approx(x**3.5, rel=1e-12)
        assert stats.betainc(1, 2.5, x) == pytest.approx(1 - (1 - x) ** 2.5, rel=1e-12)
    assert stats.betainc(2, 3, 0) == 0.0 and stats.betainc(2, 3, 1) == 1.0


@settings(max_examples=60, deadline=None)
@given(
    a=st.floats(0.5, 200),
    b=st.floats(0.5, 200),
    x=st.floats(0.001, 0.999),
)
def test_incomplete_beta_symmetry(a: float, b: float, x: float) -> None:
    assert stats.betainc(a, b, x) == pytest.approx(1 - stats.betainc(b, a, 1 - x), abs=1e-12)


def test_f_tail_against_scipy_when_installed() -> None:
    sp = pytest.importorskip("scipy.stats")
    for f, d1, d2 in [(3.2, 2, 10), (0.5, 3, 27), (10, 1, 5), (120, 4, 200), (0.01, 7, 3), (2.2, 11, 40)]:
        assert stats.f_sf(f, d1, d2) == pytest.approx(sp.f.sf(f, d1, d2), rel=1e-9, abs=1e-300)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 1), min_size=4, max_size=4), min_size=3, max_size=12))
def test_kr20_equals_alpha_on_right_wrong_items(matrix: list[list[int]]) -> None:
    kr = stats.kr20(matrix)
    alpha = stats.cronbach_alpha([[float(v) for v in row] for row in matrix])
    assert (kr is None) == (alpha is None)
    if kr is not None and alpha is not None:
        assert kr == pytest.approx(alpha)
