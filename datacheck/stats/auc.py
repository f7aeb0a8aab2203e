"""ROC AUC from score histograms: the estimate, DeLong's variance (floored by Hanley & McNeil's),
a logit-scale interval and tests of two AUCs, with or without tolerances.

The ``bias`` check audits AUC per group from per-group score histograms on shared bins, so these
functions take counts per bin, never raw scores; ``binned_auc`` states the error the binning can
make. Tested against scikit-learn's ``roc_auc_score`` and scipy's Mann-Whitney U.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats as _st

__all__ = ["binned_auc", "auc_interval", "auc_variance_floor", "auc_estimate", "auc_test"]


def binned_auc(pos: np.ndarray, neg: np.ndarray) -> tuple[float, float, float]:
    """ROC AUC, its DeLong variance, and the binning error bound, from score-histogram counts.

    Parameters
    ----------
    pos, neg : array of int
        Counts of positives and negatives per score bin, bins in increasing score order.

    Returns
    -------
    auc : float
        ``P(S+ > S-) + P(S+ = S-)/2`` treating scores in one bin as tied.
    var : float
        DeLong et al. (1988) variance of that estimate (placement values per bin).
    bound : float
        ``|auc - exact AUC| <= bound``: only positive-negative pairs sharing a bin can be misordered,
        and each contributes at most 1/2, so the bound is half the share of such pairs.

    Examples
    --------
    >>> a, v, b = binned_auc(np.array([0, 1, 3]), np.array([3, 1, 0]))
    >>> round(a, 4), round(b, 4)
    (0.9688, 0.0312)
    """
    pos = np.asarray(pos, dtype=float)
    neg = np.asarray(neg, dtype=float)
    P, N = pos.sum(), neg.sum()
    if P == 0 or N == 0:
        return (math.nan, math.nan, math.nan)
    v10 = (np.cumsum(neg) - neg + 0.5 * neg) / N  # per positive in bin b: share of negatives below
    v01 = (P - np.cumsum(pos) + 0.5 * pos) / P  # per negative in bin b: share of positives above
    auc = float((pos * v10).sum() / P)
    s10 = float((pos * (v10 - auc) ** 2).sum() / (P - 1)) if P > 1 else math.nan
    s01 = float((neg * (v01 - auc) ** 2).sum() / (N - 1)) if N > 1 else math.nan
    var = float(s10 / P + s01 / N)
    bound = float(0.5 * (pos * neg).sum() / (P * N))
    return (auc, var, bound)


def auc_interval(auc: float, var: float, confidence: float) -> tuple[float, float]:
    """Normal interval for an AUC on the logit scale (stays inside [0, 1])."""
    if not (math.isfinite(auc) and math.isfinite(var)):
        return (math.nan, math.nan)
    z = float(_st.norm.ppf(0.5 + confidence / 2))
    if auc <= 0 or auc >= 1 or var <= 0:
        h = z * math.sqrt(max(var, 0.0))
        return (max(0.0, auc - h), min(1.0, auc + h))
    lo = math.log(auc / (1 - auc))
    se = math.sqrt(var) / (auc * (1 - auc))
    return (1 / (1 + math.exp(-(lo - z * se))), 1 / (1 + math.exp(-(lo + z * se))))


def auc_variance_floor(auc: float, P: float, N: float) -> float:
    """Hanley & McNeil (1982) variance of an AUC from ``P`` positives and ``N`` negatives, at the AUC
    shrunk by half a pair (``(auc*P*N + 0.5) / (P*N + 1)``): positive even when the observed AUC is
    exactly 0 or 1.

    DeLong's variance is estimated from the sample's placement values, so a small group whose
    scores separate perfectly gets variance 0 and any comparison with it looks certain (groups of
    30 reached q = 1e-104 with no disparity). The check uses the larger of the two for intervals,
    and for tests also this variance at the *comparison's* AUC (the group's variance under the null
    hypothesis of equal AUCs, as a score test does).

    Examples
    --------
    >>> auc_variance_floor(1.0, 3, 27) > 1e-4     # DeLong's variance here is 0
    True
    >>> round(auc_variance_floor(0.8, 500, 500) ** 0.5, 3)
    0.014
    """
    if not (P > 0 and N > 0 and math.isfinite(auc)):
        return math.nan
    a = (auc * P * N + 0.5) / (P * N + 1)
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    return float((a * (1 - a) + (P - 1) * (q1 - a * a) + (N - 1) * (q2 - a * a)) / (P * N))


def auc_test(
    a1: float, v1: float, a2: float, v2: float, *, min_ratio: float | None = None, max_difference: float | None = None
) -> tuple[float, str]:
    """(p-value, test name) comparing two AUCs with variances ``v1``, ``v2``: evidence of any
    difference (two-sided z) without tolerances, or -- given ``min_ratio`` and/or
    ``max_difference`` -- one-sided evidence that the gap is *beyond* them (log ratio by the delta
    method; the larger p when both are set), as :func:`datacheck.stats.tolerance_test` does for rates.

    Examples
    --------
    >>> round(auc_test(0.9, 0.001, 0.9, 0.001, min_ratio=0.8)[0], 3)   # equal AUCs: no evidence
    1.0
    >>> auc_test(0.6, 0.0004, 0.9, 0.0004, min_ratio=0.8)[0] < 1e-4     # 0.6 vs 0.9: beyond 0.8
    True
    """
    s = v1 + v2
    if not (math.isfinite(s) and math.isfinite(a1) and math.isfinite(a2)):
        return math.nan, "none"
    if s <= 0:
        return (1.0 if a1 == a2 else math.nan), "none"
    if min_ratio is None and max_difference is None:
        return float(2 * _st.norm.sf(abs(a1 - a2) / math.sqrt(s))), "z (DeLong variances, floored)"
    ps = []
    if min_ratio is not None:
        if a1 <= 0 or a2 <= 0:
            ps.append(0.0 if a1 != a2 else 1.0)
        else:
            lr = math.log(a1 / a2)
            se = math.sqrt(v1 / a1**2 + v2 / a2**2)
            lt = math.log(min_ratio)
            ps.append(min(float(_st.norm.cdf((lr - lt) / se)), float(_st.norm.sf((lr + lt) / se))))
    if max_difference is not None:
        d, se = a1 - a2, math.sqrt(s)
        ps.append(min(float(_st.norm.sf((d - max_difference) / se)), float(_st.norm.cdf((d + max_difference) / se))))
    return min(1.0, max(ps)), "z beyond tolerance (DeLong variances, floored)"


def auc_estimate(pos: np.ndarray, neg: np.ndarray) -> tuple[float, float, float]:
    """:func:`binned_auc` with the variance floored by :func:`auc_variance_floor`."""
    a, v, bound = binned_auc(pos, neg)
    floor = auc_variance_floor(a, float(np.sum(pos)), float(np.sum(neg)))
    if math.isfinite(floor):
        v = max(v, floor) if math.isfinite(v) else floor
    return a, v, bound
