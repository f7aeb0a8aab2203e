"""``bias_table``: the subgroup bias audit as one tidy pandas DataFrame, for notebooks.

It builds a one-check suite and calls :func:`datacheck.run`, so the numbers are exactly those of
the ``bias`` check in a suite (same kernels, same intervals, same tests and corrections); see
:mod:`datacheck.checks.bias` and ``docs/bias.md`` for the metrics and the decision rule.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame({"g": rng.choice(["a", "b"], 2000), "y": rng.random(2000) < 0.3})
>>> t = bias_table(df, attributes=["g"], label="y", metrics=["base_rate"])
>>> t[["group", "metric", "n", "status"]].values.tolist()
[['g=a', 'base_rate', 957, 'pass'], ['g=b', 'base_rate', 1043, 'pass']]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from datacheck.errors import DataError

__all__ = ["bias_table", "COLUMNS", "results_to_table"]

#: columns of the table, in order
COLUMNS = [
    "dimension",
    "group",
    "metric",
    "column",
    "value",
    "ci_low",
    "ci_high",
    "k",
    "n",
    "reference_group",
    "reference_value",
    "ratio",
    "disparity_ratio",
    "difference",
    "p",
    "q",
    "test",
    "is_reference",
    "status",
    "message",
]


def results_to_table(results: Sequence[Any]):
    """Flatten ``bias`` results (from a :class:`~datacheck.Report`) into the tidy table.

    Parameters
    ----------
    results : sequence of Result
        Results of the ``bias`` check; others are ignored.

    Returns
    -------
    pandas.DataFrame
        One row per group x metric (x column for ``missingness``), columns :data:`COLUMNS`.
    """
    import pandas as pd

    rows = []
    for r in results:
        if r.check != "bias" or r.status == "error":
            continue
        for g in (r.details or {}).get("groups", []):
            rows.append({c: g.get(c) for c in COLUMNS})
    df = pd.DataFrame(rows, columns=COLUMNS)
    for c in ("value", "ci_low", "ci_high", "reference_value", "ratio", "disparity_ratio", "difference", "p", "q"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    return df


def bias_table(
    data: Any,
    attributes: Sequence[str],
    *,
    label: str | None = None,
    prediction: str | None = None,
    scores: str | None = None,
    positive_label: Any = None,
    reference: Any = "largest",
    metrics: Sequence[str] | None = None,
    intersections: bool | Sequence[Sequence[str]] = False,
    min_group_size: int = 30,
    max_disparity_ratio: float | None = 0.8,
    max_disparity_difference: float | None = None,
    alpha: float = 0.05,
    require_significance: bool = True,
    confidence: float = 0.95,
    interval: str = "wilson",
    expected_shares: Mapping[str, Mapping[Any, float]] | None = None,
    bins: Mapping[str, Any] | None = None,
    missingness_columns: Sequence[str] | None = None,
    reference_data: Any = None,
    score_bins: int = 500,
    summary: bool = False,
    task: str | None = None,
    max_std_difference: float = 0.2,
):
    """Audit subgroups of ``data`` and return one row per group and metric.

    Parameters
    ----------
    data : pandas.DataFrame, pyarrow.Table, polars.DataFrame or path
        Anything :func:`datacheck.run` reads (Parquet paths are streamed).
    attributes : list of str
        Protected attribute columns; numeric ones are binned (``bins``).
    label, prediction, scores : str, optional
        Label, predicted label and positive-class score columns.
    positive_label : object, optional
        The label value counted as positive (inferred for 0/1, booleans and two-valued labels).
    reference : {'largest', 'best', 'overall'} or dict
        Reference group (``{"sex": "Male"}`` names one).
    metrics : list of str, optional
        Any of ``representation, base_rate, missingness, selection_rate, tpr, fpr, fnr, ppv, auc``;
        default every metric the given columns allow.
    intersections : bool or list of lists
        True adds the combination of all attributes.
    min_group_size, max_disparity_ratio, max_disparity_difference, alpha, require_significance, confidence, interval, expected_shares, bins, missingness_columns, score_bins
        As the ``bias`` check's parameters (``docs/bias.md``).
    reference_data : data, optional
        Reference (e.g. training) data: adds ``representation_shift`` rows.
    summary : bool
        Also return the between-group fairness summaries (demographic parity, equalized odds) as a
        second DataFrame.
    task : {'classification', 'regression'}, optional
        ``regression`` audits a continuous target: ``target_mean``, ``error_mean`` (prediction -
        target) and ``mae`` by group, tolerance ``max_std_difference`` standard deviations of the target.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`: dimension, group, metric, column (for missingness), value, ci_low,
        ci_high, k, n, reference_group, reference_value, ratio (group / reference), disparity_ratio
        (min of the ratio and its inverse), difference (group - reference), p, q (Benjamini-Hochberg),
        test, is_reference, status (pass / fail / skipped), message. With ``summary=True``, a tuple
        ``(table, summaries)``.

    Raises
    ------
    SuiteError
        A parameter is invalid.
    DataError
        A column is missing or a metric cannot be computed from the columns given.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"g": ["a"] * 50 + ["b"] * 50, "y": [1, 0] * 50, "yhat": [1] * 60 + [0] * 40})
    >>> t = bias_table(df, ["g"], label="y", prediction="yhat", metrics=["selection_rate"])
    >>> t[["group", "value", "ratio"]].round(2).values.tolist()
    [['g=a', 1.0, nan], ['g=b', 0.2, 0.2]]
    """
    import pandas as pd

    from datacheck.runner import run

    params: dict[str, Any] = {
        "attributes": list(attributes),
        "reference": dict(reference) if isinstance(reference, Mapping) else reference,
        "intersections": intersections if isinstance(intersections, bool) else [list(x) for x in intersections],
        "min_group_size": min_group_size,
        "max_disparity_ratio": max_disparity_ratio,
        "max_disparity_difference": max_disparity_difference,
        "alpha": alpha,
        "require_significance": require_significance,
        "confidence": confidence,
        "interval": interval,
        "score_bins": score_bins,
        "max_std_difference": max_std_difference,
    }
    for key, val in (
        ("label", label),
        ("prediction", prediction),
        ("scores", scores),
        ("positive_label", positive_label),
    ):
        if val is not None:
            params[key] = val
    if metrics is not None:
        params["metrics"] = list(metrics)
    if expected_shares is not None:
        params["expected_shares"] = {a: dict(m) for a, m in expected_shares.items()}
    if bins is not None:
        params["bins"] = {a: (dict(b) if isinstance(b, Mapping) else list(b)) for a, b in bins.items()}
    if missingness_columns is not None:
        params["missingness_columns"] = list(missingness_columns)
    suite: dict[str, Any] = {"name": "bias_table", "checks": [{"bias": params}]}
    if task is not None:
        suite["dataset"] = {"task": task}
    report = run(data, suite, reference=reference_data)
    errors = [r for r in report.results if r.status == "error"]
    if errors:
        raise DataError("; ".join(r.message for r in errors))
    table = results_to_table(report.results)
    if not summary:
        return table
    summ = pd.DataFrame(
        [
            {"dimension": r.details.get("dimension"), **{k: v for k, v in r.observed.items() if k != "metric"}}
            for r in report.results
            if r.details.get("metric") == "fairness_summary"
        ]
    )
    return table, summ
