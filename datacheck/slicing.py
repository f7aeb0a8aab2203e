"""Notebook API for slices: tidy DataFrames from the ``slices`` and ``worst_slices`` checks.

Both functions build a one-check suite and call :func:`datacheck.run`, so they compute exactly what
the checks compute (the same kernels, intervals, tests and corrections) on any data ``run`` accepts:
pandas, Arrow, polars, or a Parquet/CSV path streamed with bounded memory.

Examples
--------
>>> import numpy as np, pandas as pd, datacheck
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame({"g": rng.choice(["a", "b"], 2000), "y": rng.integers(0, 2, 2000)})
>>> df["p"] = np.where(rng.random(2000) < 0.1, 1 - df.y, df.y)
>>> t = datacheck.slice_metrics(df, by=["g"], metrics=["accuracy"], label="y", prediction="p")
>>> t[["slice", "metric", "support"]].to_dict("records")[0]["metric"]
'accuracy'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["slice_metrics", "find_slices"]

_SLICE_COLUMNS = [
    "slice",
    "columns",
    "values",
    "metric",
    "value",
    "ci_low",
    "ci_high",
    "support",
    "complement",
    "gap",
    "p",
    "q",
    "status",
    "overall",
]
_WORST_COLUMNS = [
    "rank",
    "slice",
    "predicates",
    "support",
    "errors",
    "error",
    "complement_error",
    "gap",
    "gap_lower",
    "score",
    "p",
    "p_adj",
    "status",
]


def _roles(label, prediction, scores, positive_label, task) -> dict[str, Any]:
    roles: dict[str, Any] = {"label": label}
    if prediction is not None:
        roles["prediction"] = prediction
    if scores is not None:
        roles["scores"] = [scores] if isinstance(scores, str) else list(scores)
    if positive_label is not None:
        roles["positive_label"] = positive_label
    if task is not None:
        roles["task"] = task
    return roles


def _raise_if_error(results) -> None:
    for r in results:
        if r.status == "error":
            raise ValueError(r.message)


def slice_metrics(
    data: Any,
    by: Sequence[Any],
    *,
    label: str,
    metrics: Sequence[str] | None = None,
    prediction: str | None = None,
    scores: str | Sequence[str] | None = None,
    positive_label: Any = None,
    task: str | None = None,
    min_support: float = 30,
    max_gap: float | None = None,
    alpha: float = 0.05,
    bins: Any = 4,
    **params: Any,
):
    """Metrics per slice against the rest of the data, as a tidy DataFrame (one row per slice and metric).

    Parameters
    ----------
    data : DataFrame, Arrow table, polars DataFrame or path
    by : list
        Columns to slice by; a list inside the list is a cross (``["sex", ["sex", "race"]]``).
    label, prediction, scores : str
        The true label, the predicted label/value, the positive-class probability column.
    metrics : list of str, optional
        ``accuracy``, ``error_rate``, ``balanced_accuracy``, ``precision``, ``recall``, ``f1``,
        ``roc_auc``, ``log_loss``, ``brier``, ``mae``, ``rmse``.
    positive_label, task
        As in the suite's ``dataset`` block.
    min_support, max_gap, alpha, bins, **params
        Parameters of the ``slices`` check (see ``docs/slices.md``); ``max_gap=None`` is 0.05 for
        classification metrics and ``max_relative_gap`` (0.1) x the target's SD for regression.

    Returns
    -------
    pandas.DataFrame
        Columns ``slice, columns, values, metric, value, ci_low, ci_high, support, complement, gap,
        p, q, status, overall``; worst slices (largest gap) first within each ``by`` entry and
        metric. ``status`` is ``fail``, ``pass``, ``small`` (below ``min_support``, not tested) or
        ``undefined``. ``df.attrs["method"]`` says how each metric was computed.

    Raises
    ------
    ValueError
        When the slices cannot be computed (a missing column or role), with the reason.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"g": ["a"] * 50 + ["b"] * 50, "y": [1, 0] * 50, "p": [1, 0] * 50})
    >>> slice_metrics(df, by=["g"], label="y", prediction="p")["value"].tolist()
    [1.0, 1.0]
    """
    import pandas as pd

    from datacheck.runner import run

    cfg = {
        "by": [list(b) if isinstance(b, (list, tuple)) else b for b in by],
        "min_support": min_support,
        "max_gap": max_gap,
        "alpha": alpha,
        "bins": bins,
        **params,
    }
    if metrics is not None:
        cfg["metrics"] = [metrics] if isinstance(metrics, str) else list(metrics)
    suite = {
        "name": "slice_metrics",
        "dataset": _roles(label, prediction, scores, positive_label, task),
        "checks": [{"slices": cfg}],
    }
    report = run(data, suite)
    _raise_if_error(report.results)
    rows = []
    methods = {}
    for r in report.select(check="slices"):
        d = r.details
        methods[d["metric"]] = r.method
        for s in d["slices"]:
            rows.append(
                {
                    "slice": s["slice"],
                    "columns": tuple(s["columns"]),
                    "values": tuple(s["values"]),
                    "metric": d["metric"],
                    "value": s["value"],
                    "ci_low": s["ci"][0],
                    "ci_high": s["ci"][1],
                    "support": s["support"],
                    "complement": s["complement"],
                    "gap": s["gap"],
                    "p": s["p"],
                    "q": s["q"],
                    "status": s["status"],
                    "overall": d["overall"],
                }
            )
    out = pd.DataFrame(rows, columns=_SLICE_COLUMNS)
    out.attrs["method"] = methods
    return out


def find_slices(
    data: Any,
    *,
    label: str,
    prediction: str | None = None,
    scores: str | None = None,
    features: Sequence[str] | None = None,
    metric: str = "error_rate",
    max_depth: int = 3,
    top_k: int = 5,
    min_support: float = 0.01,
    alpha: float = 0.95,
    max_gap: float = 0.05,
    significance: float = 0.05,
    positive_label: Any = None,
    **params: Any,
):
    """The top-k worst slices found by SliceLine, as a tidy DataFrame (one row per slice, best first).

    Parameters
    ----------
    data : DataFrame, Arrow table, polars DataFrame or path
    label, prediction, scores : str
        Roles that define the per-row error (``metric``).
    features : list of str, optional
        Columns to slice by (default: all columns except the roles).
    metric : str
        ``error_rate``, ``abs_error``, ``squared_error``, ``log_loss`` or ``brier``.
    max_depth, top_k, min_support, alpha
        SliceLine's search depth, result size, minimum support (fraction below 1, else rows) and
        score weight α.
    max_gap, significance, **params
        The ``worst_slices`` check's verdict and other parameters (``method: sample``, ``bins``...).

    Returns
    -------
    pandas.DataFrame
        Columns ``rank, slice, predicates, support, errors, error, complement_error, gap, score,
        p, p_adj, status``; ``df.attrs`` holds ``method``, ``mean_error``, ``n`` and ``levels``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame({"a": rng.choice(list("xyz"), 3000), "y": rng.integers(0, 2, 3000)})
    >>> df["p"] = np.where(rng.random(3000) < np.where(df.a == "z", 0.5, 0.05), 1 - df.y, df.y)
    >>> find_slices(df, label="y", prediction="p", max_depth=1).loc[0, "slice"]
    'a = z'
    """
    import pandas as pd

    from datacheck.runner import run

    cfg = {
        "metric": metric,
        "max_depth": max_depth,
        "top_k": top_k,
        "min_support": min_support,
        "alpha": alpha,
        "max_gap": max_gap,
        "significance": significance,
        **params,
    }
    if features is not None:
        cfg["features"] = list(features)
    suite = {
        "name": "find_slices",
        "dataset": _roles(label, prediction, scores, positive_label, None),
        "checks": [{"worst_slices": cfg}],
    }
    report = run(data, suite)
    _raise_if_error(report.results)
    r = report.select(check="worst_slices")[0]
    rows = [
        {
            **{k: s[k] for k in _WORST_COLUMNS if k != "predicates"},
            "predicates": {p["column"]: p["value"] for p in s["predicates"]},
        }
        for s in r.details["slices"]
    ]
    out = pd.DataFrame(rows, columns=_WORST_COLUMNS)
    out.attrs.update(
        {"method": r.method, "mean_error": r.details["mean_error"], "n": r.details["n"], "levels": r.details["levels"]}
    )
    return out
