"""Shared statistics for verdicts: intervals for proportions, two-sample proportion tests,
and Benjamini–Hochberg false-discovery-rate control.

Used by every check family that compares groups, slices or columns, so that intervals and
corrections mean the same everywhere.

Examples
--------
>>> lo, hi = wilson_interval(8, 10)
>>> round(lo, 3), round(hi, 3)
(0.49, 0.943)
>>> benjamini_hochberg([0.01, 0.04, 0.03, 0.5]).round(3).tolist()
[0.04, 0.053, 0.053, 0.5]
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from scipy import stats as _st

__all__ = ["wilson_interval", "clopper_pearson_interval", "proportion_test", "tolerance_test", "benjamini_hochberg"]


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n; ``(nan, nan)`` when n == 0."""
    if n <= 0:
        return (math.nan, math.nan)
    z = float(_st.norm.ppf(0.5 + confidence / 2))
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def clopper_pearson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson) interval for a proportion k/n; ``(nan, nan)`` when n == 0."""
    if n <= 0:
        return (math.nan, math.nan)
    a = 1 - confidence
    lo = 0.0 if k == 0 else float(_st.beta.ppf(a / 2, k, n - k + 1))
    hi = 1.0 if k == n else float(_st.beta.ppf(1 - a / 2, k + 1, n - k))
    return (lo, hi)


def proportion_test(k1: int, n1: int, k2: int, n2: int, *, min_expected: float = 5.0) -> tuple[float, str]:
    """Two-sided test that two proportions are equal: (p-value, method).

    Uses the pooled two-proportion z-test when every expected cell count is at least
    ``min_expected``, and Fisher's exact test otherwise.
    """
    if n1 <= 0 or n2 <= 0:
        return (math.nan, "none")
    pooled = (k1 + k2) / (n1 + n2)
    expected = [n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled)]
    if min(expected) < min_expected:
        p = float(_st.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]])[1])
        return (min(1.0, p), "fisher")
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return (1.0, "z")
    z = (k1 / n1 - k2 / n2) / se
    return (float(2 * _st.norm.sf(abs(z))), "z")


def tolerance_test(k1: int, n1: int, k2: int, n2: int, *, min_ratio: float | None = None,
                   max_difference: float | None = None) -> tuple[float, str]:
    """One-sided evidence that two proportions differ by MORE than a tolerance: (p-value, method).

    The null hypothesis is "within tolerance": ``min_ratio <= p1/p2 <= 1/min_ratio`` (log risk ratio,
    Katz variance, 0.5 added to each count) and/or ``|p1 - p2| <= max_difference`` (unpooled z).
    When both tolerances are given the disparity must exceed both, so the p-value is the larger of
    the two (an intersection-union test). Equal proportions give p near 1, not p = 0.5 as a test of
    equality does, which is what keeps a group from failing on a chance gap.

    Examples
    --------
    >>> round(tolerance_test(50, 1000, 250, 1000, min_ratio=0.8)[0], 6)   # 0.05 vs 0.25: far beyond
    0.0
    >>> tolerance_test(240, 1000, 250, 1000, min_ratio=0.8)[0] > 0.9     # 0.24 vs 0.25: within
    True
    """
    if n1 <= 0 or n2 <= 0 or (min_ratio is None and max_difference is None):
        return (math.nan, "none")
    ps = []
    if min_ratio is not None:
        a, b, na, nb = k1 + 0.5, k2 + 0.5, n1 + 0.5, n2 + 0.5
        log_rr = math.log((a / na) / (b / nb))
        se = math.sqrt(max(1 / a - 1 / na + 1 / b - 1 / nb, 1e-300))
        lr = math.log(min_ratio)
        ps.append(min(float(_st.norm.cdf((log_rr - lr) / se)), float(_st.norm.sf((log_rr + lr) / se))))
    if max_difference is not None:
        p1, p2 = k1 / n1, k2 / n2
        q1, q2 = (k1 + 0.5) / (n1 + 1), (k2 + 0.5) / (n2 + 1)  # keeps the variance above 0 at 0% / 100%
        se = math.sqrt(q1 * (1 - q1) / n1 + q2 * (1 - q2) / n2)
        d = p1 - p2
        ps.append(min(float(_st.norm.sf((d - max_difference) / se)), float(_st.norm.cdf((d + max_difference) / se))))
    return (min(1.0, max(ps)), "z beyond tolerance")


def benjamini_hochberg(pvalues: Sequence[float]) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values); NaN p-values stay NaN and are not counted."""
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return out
    pv = p[ok]
    order = np.argsort(pv)
    ranked = pv[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.minimum(q, 1.0)
    res = np.empty(m)
    res[order] = q
    out[ok] = res
    return out
