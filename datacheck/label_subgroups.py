"""Where the label issues are: issue rates per group of the protected attributes and slice
columns (grouped by the rule of :mod:`datacheck.roles`), with Wilson intervals, tests against the
rest of the rows and Benjamini-Hochberg; weighted when the rows are a stratified sample.
Part of the label-quality family (:mod:`datacheck.label_quality`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from datacheck.kernels.base import BatchView
from datacheck.kernels.groups import Bin, Col
from datacheck.roles import key_from_rows, value_label
from datacheck.stats import benjamini_hochberg, proportion_test, wilson_interval


def weighted_share(flag: np.ndarray, weights: np.ndarray | None) -> tuple[float, float]:
    """``(share, effective n)`` of ``flag``: weighted by ``weights`` (Kish's effective sample size
    ``(sum w)^2 / sum w^2``) or, without weights, ``flag.mean()`` and ``len(flag)``."""
    flag = np.asarray(flag, dtype=bool)
    if flag.size == 0:
        return 0.0, 0.0
    if weights is None:
        return float(flag.mean()), float(flag.size)
    w = np.asarray(weights, dtype=float)
    sw = float(w.sum())
    return float(w[flag].sum() / sw), float(sw * sw / float((w * w).sum()))


def group_labels(arr: pa.ChunkedArray, max_groups: int = 20, key: Col | Bin | None = None) -> np.ndarray:
    """Group names for subgroup rates, by the grouping rule of :mod:`datacheck.roles`: ``key`` (the
    check's, from the whole data) or else :func:`datacheck.roles.key_from_rows` on these rows;
    missing as ``(missing)``; beyond ``max_groups`` groups the smallest pooled as ``(other)``."""
    name = "__group__"
    view = BatchView(pa.RecordBatch.from_arrays([arr.combine_chunks()], names=[name]))
    if key is None:
        key = key_from_rows(name, view)
    elif isinstance(key, Bin):
        key = Bin(name, key.edges)
    else:
        key = Col(name)
    codes = key.array(view).to_pylist()
    names = {v: value_label(key, v, missing="(missing)") for v in set(codes)}
    out = np.array([names[v] for v in codes], dtype=object)
    values, counts = np.unique(out, return_counts=True)
    if len(values) > max_groups:
        keep = set(values[np.argsort(-counts, kind="stable")[: max_groups - 1]])
        out = np.array([v if v in keep else "(other)" for v in out], dtype=object)
    return out


def subgroup_rates(
    table: pa.Table,
    columns: Sequence[str],
    is_issue: np.ndarray,
    *,
    max_groups: int = 20,
    confidence: float = 0.95,
    weights: np.ndarray | None = None,
    keys: Mapping[str, Col | Bin] | None = None,
) -> list[dict[str, Any]]:
    """Label-issue rate per group of each column (grouped by ``keys``, the checks' grouping keys of
    :mod:`datacheck.roles`, else by the same rule on these rows), with a Wilson interval and a test against the
    rest of the rows (two-proportion z or Fisher), q-values by Benjamini–Hochberg over all groups.

    With ``weights`` (rows of a stratified sample, see :func:`sample_weights`) the rates are
    weighted estimates for the whole data; the intervals and tests use the weighted rate with
    Kish's effective sample size (``n_eff``; the effective counts are rounded for Fisher's test).
    ``n`` and ``issues`` stay the scored rows and flagged rows of the sample.
    """
    out: list[dict[str, Any]] = []
    is_issue = np.asarray(is_issue, dtype=bool)
    n = len(is_issue)
    for col in columns:
        groups = group_labels(table.column(col), max_groups=max_groups, key=(keys or {}).get(col))
        for g in sorted(set(groups), key=str):
            m = groups == g
            gn, gk = int(m.sum()), int(is_issue[m].sum())
            rest_k = int(is_issue[~m].sum())
            if weights is None:
                rate, ne, rest_n = (gk / gn if gn else 0.0), float(gn), float(n - gn)
                rest = (rest_k / (n - gn)) if n - gn else None
            else:
                rate, ne = weighted_share(is_issue[m], weights[m])
                rest, rest_n = weighted_share(is_issue[~m], weights[~m]) if n - gn else (None, 0.0)
            if weights is None:
                lo, hi = wilson_interval(gk, gn, confidence)
            else:
                lo, hi = wilson_interval(rate * ne, ne, confidence) if ne > 0 else (math.nan, math.nan)
            if rest_n > 0:
                if weights is None:
                    p, test = proportion_test(gk, gn, rest_k, n - gn)
                else:  # effective (weighted) issue counts in and outside the group
                    p, test = _weighted_test(rate * ne, ne, (rest or 0.0) * rest_n, rest_n)
            else:
                p, test = math.nan, "none"
            row = {
                "attribute": col,
                "group": g,
                "n": gn,
                "issues": gk,
                "rate": rate,
                "ci_low": lo,
                "ci_high": hi,
                "rest_rate": rest,
                "p_value": p,
                "test": test,
            }
            if weights is not None:
                row["n_eff"] = ne
            out.append(row)
    q = benjamini_hochberg([r["p_value"] for r in out])
    for r, qv in zip(out, q):
        r["q_value"] = None if math.isnan(qv) else float(qv)
        if isinstance(r["p_value"], float) and math.isnan(r["p_value"]):
            r["p_value"] = None
    return out


def _weighted_test(k1: float, n1: float, k2: float, n2: float) -> tuple[float, str]:
    """:func:`proportion_test` on effective counts (rounded to whole rows for Fisher's test)."""
    r = lambda v: max(int(round(v)), 0)  # noqa: E731
    a, b = max(r(n1), 1), max(r(n2), 1)
    p, test = proportion_test(min(r(k1), a), a, min(r(k2), b), b)
    return p, test + " (effective n)"
