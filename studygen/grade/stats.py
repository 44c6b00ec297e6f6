"""Pure statistics for item analysis, written out so every number can be checked by hand.

No numpy/scipy: the sample sizes are a class, not a data set, and owning the
formulas (and the F-distribution tail) keeps the results identical on every
machine.  Sums use `math.fsum`, which is correctly rounded and therefore does
not depend on the order students appear in, so permuting rows or versions
cannot change a statistic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def mean(xs: Sequence[float]) -> float:
    if not xs:
        raise ValueError("mean of no values")
    return math.fsum(xs) / len(xs)


def pvariance(xs: Sequence[float]) -> float:
    """Population variance (divide by n): the form KR-20 and alpha are defined with."""
    m = mean(xs)
    return math.fsum((x - m) ** 2 for x in xs) / len(xs)


def sample_sd(xs: Sequence[float]) -> float | None:
    """Sample standard deviation (divide by n - 1); None for fewer than two values."""
    if len(xs) < 2:
        return None
    m = mean(xs)
    return math.sqrt(math.fsum((x - m) ** 2 for x in xs) / (len(xs) - 1))


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson correlation; None when either variable does not vary (the coefficient is undefined)."""
    if len(xs) != len(ys):
        raise ValueError("pearson needs paired values")
    if len(xs) < 2:
        return None
    mx, my = mean(xs), mean(ys)
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    if sxx <= 0 or syy <= 0:
        return None
    r = sxy / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r))


def cronbach_alpha(matrix: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha for rows = students, columns = item scores.

    alpha = k/(k-1) * (1 - sum(var(item)) / var(total)), population variances.
    None when there are fewer than two items or two students, or totals do not vary.
    """
    if len(matrix) < 2:
        return None
    k = len(matrix[0])
    if k < 2 or any(len(row) != k for row in matrix):
        return None
    totals = [math.fsum(row) for row in matrix]
    var_total = pvariance(totals)
    if var_total <= 0:
        return None
    item_vars = math.fsum(pvariance([row[j] for row in matrix]) for j in range(k))
    return k / (k - 1) * (1 - item_vars / var_total)


def kr20(matrix: Sequence[Sequence[int]]) -> float | None:
    """Kuder-Richardson 20 for right (1) / wrong (0) items: k/(k-1) * (1 - sum(p*q) / var(total))."""
    if len(matrix) < 2:
        return None
    k = len(matrix[0])
    if k < 2 or any(len(row) != k for row in matrix):
        return None
    if any(v not in (0, 1) for row in matrix for v in row):
        raise ValueError("KR-20 needs items scored 0 or 1")
    n = len(matrix)
    totals = [float(sum(row)) for row in matrix]
    var_total = pvariance(totals)
    if var_total <= 0:
        return None
    pq = math.fsum((p := sum(row[j] for row in matrix) / n) * (1 - p) for j in range(k))
    return k / (k - 1) * (1 - pq / var_total)


@dataclass(frozen=True, slots=True)
class Anova:
    """One-way analysis of variance: do the group means differ more than chance allows?"""

    f: float
    df_between: int
    df_within: int
    p: float


def one_way_anova(groups: Sequence[Sequence[float]]) -> Anova | None:
    """F = (SS_between/(g-1)) / (SS_within/(N-g)); None when undefined (one group, no spread within)."""
    groups = [g for g in groups if g]
    g = len(groups)
    n = sum(len(x) for x in groups)
    if g < 2 or n <= g:
        return None
    grand = math.fsum(math.fsum(x) for x in groups) / n
    ss_between = math.fsum(len(x) * (mean(x) - grand) ** 2 for x in groups)
    ss_within = math.fsum(math.fsum((v - mean(x)) ** 2 for v in x) for x in groups)
    df_b, df_w = g - 1, n - g
    if ss_within <= 0:
        return None
    f = (ss_between / df_b) / (ss_within / df_w)
    return Anova(f, df_b, df_w, f_sf(f, df_b, df_w))


def f_sf(f: float, d1: float, d2: float) -> float:
    """P(F >= f) for the F distribution with (d1, d2) degrees of freedom.

    Uses the identity P(F >= f) = I_x(d2/2, d1/2) with x = d2 / (d2 + d1*f),
    where I is the regularized incomplete beta function.
    """
    if d1 <= 0 or d2 <= 0:
        raise ValueError("degrees of freedom must be positive")
    if f <= 0:
        return 1.0
    if math.isinf(f):
        return 0.0
    return betainc(d2 / 2, d1 / 2, d2 / (d2 + d1 * f))


_EPS = 1e-15
_TINY = 1e-300
_MAX_ITER = 10_000


def betainc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta I_x(a, b), by Lentz's continued fraction.

    The fraction converges fast for x < (a+1)/(a+b+2); otherwise the symmetry
    I_x(a, b) = 1 - I_{1-x}(b, a) is used, so both tails keep full precision.
    """
    if a <= 0 or b <= 0:
        raise ValueError("betainc needs a > 0 and b > 0")
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_cf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_cf(b, a, 1.0 - x) / b


def _beta_cf(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1, a - 1
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_ITER + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        step = d * c
        h *= step
        if abs(step - 1.0) < _EPS:
            return h
    raise ArithmeticError(f"incomplete beta did not converge for a={a}, b={b}, x={x}")
