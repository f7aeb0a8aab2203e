"""Metric arithmetic for slices: metrics from confusion counts, per-slice sums and score histograms,
their intervals, and tests of a slice against its complement. Pure functions of small arrays.

Shared by the ``slices`` and ``worst_slices`` checks (and so by :mod:`datacheck.slicing`), so that a
metric means the same thing everywhere.

* Count metrics (accuracy, error rate, balanced accuracy, precision, recall, F1) are functions of a
  confusion matrix ``C[true, predicted]``. Proportions (accuracy, error rate, binary precision and
  recall) get a Wilson interval and a two-proportion test; the others a percentile bootstrap in
  which the slice's rows are resampled -- for a metric that depends on rows only through their
  confusion cell, that is exactly a multinomial draw of the cell counts, so no rows are needed.
* Mean metrics (MAE, log loss, Brier; RMSE through the MSE) come from ``(count, sum, sum of
  squares)``: a t interval and Welch's unequal-variance test computed from the sums.
* ROC AUC comes from per-class score histograms on fixed bins: pairs in the same bin count as ties,
  so the value is within ``0.5 * P(positive and negative share a bin)`` of the exact AUC (this
  bound is returned); the interval and the test use the Hanley--McNeil standard error.

Examples
--------
>>> import numpy as np
>>> C = np.array([[50, 10], [5, 35]])            # rows: true 0/1, columns: predicted 0/1
>>> round(count_metric("accuracy", C, pos=1), 3), round(count_metric("f1", C, pos=1), 3)
(0.85, 0.824)
>>> proportion_of("recall", C, pos=1)
(35, 40)
>>> auc, bound = auc_from_histograms(np.array([0, 1, 3]), np.array([3, 1, 0]))
>>> round(auc, 3), round(bound, 3)
(0.969, 0.031)
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats as _st

from datacheck.stats.auc import binned_auc
from datacheck.stats.inference import proportion_test, wilson_interval

__all__ = [
    "COUNT_METRICS",
    "SCORE_METRICS",
    "REGRESSION_METRICS",
    "ALL_METRICS",
    "HIGHER_IS_BETTER",
    "PROPORTION_METRICS",
    "count_metric",
    "count_metric_batch",
    "proportion_of",
    "bootstrap_count",
    "count_interval_and_test",
    "mean_interval",
    "rmse_interval",
    "welch_from_sums",
    "auc_from_histograms",
    "hanley_mcneil_se",
    "auc_interval_and_test",
]

COUNT_METRICS = ("accuracy", "error_rate", "balanced_accuracy", "precision", "recall", "f1")
SCORE_METRICS = ("roc_auc", "log_loss", "brier")
REGRESSION_METRICS = ("mae", "rmse")
ALL_METRICS = COUNT_METRICS + SCORE_METRICS + REGRESSION_METRICS
HIGHER_IS_BETTER = frozenset({"accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc"})
#: metrics that are a proportion k/n (binary precision/recall; accuracy and error rate always)
PROPORTION_METRICS = frozenset({"accuracy", "error_rate", "precision", "recall"})


def _div(a, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1), np.nan)


def count_metric_batch(name: str, C: np.ndarray, pos: int | None) -> np.ndarray:
    """``name`` for a stack of confusion matrices ``C[..., K, K]`` (rows true, columns predicted).

    ``pos`` is the index of the positive class for binary precision/recall/F1; ``None`` gives the
    macro average over the classes present (in the true or predicted values), as scikit-learn's
    ``average="macro"`` does.
    """
    C = np.asarray(C, dtype=float)
    n = C.sum(axis=(-1, -2))
    diag = np.diagonal(C, axis1=-2, axis2=-1)
    true_n = C.sum(axis=-1)
    pred_n = C.sum(axis=-2)
    if name == "accuracy":
        return _div(diag.sum(-1), n)
    if name == "error_rate":
        return _div(n - diag.sum(-1), n)
    if name == "balanced_accuracy":
        rec = _div(diag, true_n)
        with np.errstate(invalid="ignore"):
            cnt = (true_n > 0).sum(-1)
            return np.where(cnt > 0, np.nansum(rec, axis=-1) / np.maximum(cnt, 1), np.nan)
    if pos is not None:
        tp = diag[..., pos]
        if name == "precision":
            return _div(tp, pred_n[..., pos])
        if name == "recall":
            return _div(tp, true_n[..., pos])
        if name == "f1":
            return _div(2 * tp, true_n[..., pos] + pred_n[..., pos])
    present = (true_n + pred_n) > 0
    prec = np.nan_to_num(_div(diag, pred_n))
    rec = np.nan_to_num(_div(diag, true_n))
    if name == "precision":
        per = prec
    elif name == "recall":
        per = rec
    elif name == "f1":
        per = np.nan_to_num(_div(2 * prec * rec, prec + rec))
    else:
        raise ValueError(f"unknown count metric {name!r}")
    cnt = present.sum(-1)
    return np.where(cnt > 0, (per * present).sum(-1) / np.maximum(cnt, 1), np.nan)


def count_metric(name: str, C: np.ndarray, pos: int | None) -> float:
    """One metric of one confusion matrix (see :func:`count_metric_batch`)."""
    return float(count_metric_batch(name, C, pos))


def proportion_of(name: str, C: np.ndarray, pos: int | None) -> tuple[int, int] | None:
    """``(k, n)`` when the metric is the proportion k/n of ``C``, else None."""
    C = np.asarray(C)
    if name == "accuracy":
        return int(np.trace(C)), int(C.sum())
    if name == "error_rate":
        return int(C.sum() - np.trace(C)), int(C.sum())
    if pos is not None and name == "precision":
        return int(C[pos, pos]), int(C[:, pos].sum())
    if pos is not None and name == "recall":
        return int(C[pos, pos]), int(C[pos, :].sum())
    return None


def bootstrap_count(name: str, C: np.ndarray, pos: int | None, B: int, rng: np.random.Generator) -> np.ndarray:
    """``B`` bootstrap replicates of the metric: the slice's rows resampled with replacement,
    which for a function of the confusion counts is a multinomial draw of the cells."""
    C = np.asarray(C, dtype=np.int64)
    n = int(C.sum())
    if n == 0:
        return np.full(B, np.nan)
    draws = rng.multinomial(n, (C.ravel() / n), size=B).reshape((B,) + C.shape)
    return count_metric_batch(name, draws, pos)


def count_interval_and_test(
    name: str, C: np.ndarray, Cc: np.ndarray, pos: int | None, *, confidence: float, B: int, rng: np.random.Generator
) -> tuple[tuple[float, float], float, str]:
    """Interval of the slice's metric and p-value of slice vs complement ``Cc``; plus the method.

    Proportions: Wilson interval and the two-proportion z test (Fisher's exact test for small
    counts). Others: percentile bootstrap interval, and a z test whose standard error combines the
    bootstrap variances of slice and complement (independent: they share no rows).
    """
    prop, prop_c = proportion_of(name, C, pos), proportion_of(name, Cc, pos)  # both None or neither
    if prop is not None and prop_c is not None:
        k, n = prop
        kc, nc = prop_c
        ci = wilson_interval(k, n, confidence)
        p, how = proportion_test(k, n, kc, nc)
        return ci, p, f"Wilson interval; two-proportion {'z' if how == 'z' else 'Fisher exact'} test vs complement"
    bs = bootstrap_count(name, C, pos, B, rng)
    bc = bootstrap_count(name, Cc, pos, B, rng)
    a = (1 - confidence) / 2
    ok = ~np.isnan(bs)
    ci = (float(np.quantile(bs[ok], a)), float(np.quantile(bs[ok], 1 - a))) if ok.any() else (math.nan, math.nan)
    v = count_metric(name, C, pos) - count_metric(name, Cc, pos)
    se = math.sqrt(np.nanvar(bs) + np.nanvar(bc)) if ok.any() else math.nan
    if math.isnan(se) or math.isnan(v):
        p = math.nan
    elif se == 0:
        p = 1.0 if v == 0 else 0.0
    else:
        p = float(2 * _st.norm.sf(abs(v) / se))
    return ci, p, f"percentile bootstrap ({B} multinomial resamples of the confusion counts); z test with bootstrap SEs"


def _mean_var(n: float, s: float, ss: float) -> tuple[float, float]:
    m = s / n
    var = max(ss - n * m * m, 0.0) / (n - 1) if n > 1 else math.nan
    return m, var


def mean_interval(n: float, s: float, ss: float, confidence: float = 0.95) -> tuple[float, float]:
    """t interval for a mean from (count, sum, sum of squares)."""
    if n < 2:
        return (math.nan, math.nan)
    m, var = _mean_var(n, s, ss)
    half = float(_st.t.ppf(0.5 + confidence / 2, n - 1)) * math.sqrt(var / n)
    return (m - half, m + half)


def rmse_interval(n: float, s2: float, s4: float, confidence: float = 0.95) -> tuple[float, float]:
    """Interval for the RMSE: the square roots of the t interval of the mean squared error
    (``s2`` = sum of squared errors, ``s4`` = sum of their squares)."""
    lo, hi = mean_interval(n, s2, s4, confidence)
    return (math.sqrt(max(lo, 0.0)), math.sqrt(max(hi, 0.0))) if not math.isnan(lo) else (math.nan, math.nan)


def welch_from_sums(n1: float, s1: float, ss1: float, n2: float, s2: float, ss2: float) -> float:
    """Two-sided Welch t test p-value for equal means, from each sample's count, sum and sum of squares."""
    if n1 < 2 or n2 < 2:
        return math.nan
    m1, v1 = _mean_var(n1, s1, ss1)
    m2, v2 = _mean_var(n2, s2, ss2)
    a, b = v1 / n1, v2 / n2
    se2 = a + b
    if se2 <= 0:
        return 1.0 if math.isclose(m1, m2, rel_tol=1e-12, abs_tol=1e-15) else 0.0
    t = (m1 - m2) / math.sqrt(se2)
    df = se2 * se2 / ((a * a / (n1 - 1) if a else 0.0) + (b * b / (n2 - 1) if b else 0.0))
    return float(2 * _st.t.sf(abs(t), df))


def auc_from_histograms(pos: np.ndarray, neg: np.ndarray) -> tuple[float, float]:
    """ROC AUC from positive and negative counts per ordered score bin, and its binning error bound
    (:func:`datacheck.stats.auc.binned_auc` without the variance).

    Same-bin pairs count 1/2 (as ties do in the exact AUC), so the result is within
    ``0.5 * sum(pos * neg) / (P * N)`` of the AUC of the unbinned scores.
    """
    auc, _, bound = binned_auc(pos, neg)
    return auc, bound


def hanley_mcneil_se(auc: float, n_pos: float, n_neg: float) -> float:
    """Standard error of an AUC (Hanley & McNeil, 1982)."""
    if n_pos <= 0 or n_neg <= 0 or math.isnan(auc):
        return math.nan
    q1 = auc / (2 - auc)
    q2 = 2 * auc * auc / (1 + auc)
    var = (auc * (1 - auc) + (n_pos - 1) * (q1 - auc * auc) + (n_neg - 1) * (q2 - auc * auc)) / (n_pos * n_neg)
    return math.sqrt(max(var, 0.0))


def auc_interval_and_test(
    auc: float, P: float, N: float, auc_c: float, Pc: float, Nc: float, confidence: float = 0.95
) -> tuple[tuple[float, float], float]:
    """Normal interval (Hanley--McNeil SE, clipped to [0, 1]) and z-test p-value vs the complement."""
    se = hanley_mcneil_se(auc, P, N)
    sec = hanley_mcneil_se(auc_c, Pc, Nc)
    z = float(_st.norm.ppf(0.5 + confidence / 2))
    ci = (max(0.0, auc - z * se), min(1.0, auc + z * se)) if not math.isnan(se) else (math.nan, math.nan)
    s = math.sqrt(se * se + sec * sec) if not (math.isnan(se) or math.isnan(sec)) else math.nan
    if math.isnan(s):
        return ci, math.nan
    if s == 0:
        return ci, (1.0 if auc == auc_c else 0.0)
    return ci, float(2 * _st.norm.sf(abs(auc - auc_c) / s))
