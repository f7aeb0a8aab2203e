"""``label_issues``: the notebook API of the ``label_errors`` family, one call of
:func:`datacheck.run` with a one-check suite (one implementation: the check's), returning every
scored row as a pandas DataFrame.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from datacheck.errors import SuiteError
from datacheck.label_quality import LabelQualityError
from datacheck.runner import run

__all__ = ["label_issues"]


def _with_probabilities(data: Any, pred_probs: Any) -> tuple[Any, list[str]]:
    """``data`` with the columns of an out-of-sample probability array (one row per row of the
    data) added as ``__proba_i__``: a pandas frame keeps its index; other inputs are read into an
    Arrow table (the array already holds a value per row in memory)."""
    from datacheck.engines.opener import open_source

    arr = np.asarray(pred_probs, dtype=float)
    arr = arr.reshape(len(arr), -1)
    names = [f"__proba_{i}__" for i in range(arr.shape[1])]
    mod = type(data).__module__.split(".")[0]
    if mod == "pandas":
        if len(arr) != len(data):
            raise LabelQualityError(f"pred_probs has {len(arr):,} rows; the data has {len(data):,}")
        return data.assign(**{c: arr[:, i] for i, c in enumerate(names)}), names
    src = open_source(data)
    table = pa.Table.from_batches(list(src.batches()), schema=src.schema)
    if len(arr) != table.num_rows:
        raise LabelQualityError(f"pred_probs has {len(arr):,} rows; the data has {table.num_rows:,}")
    for i, c in enumerate(names):
        table = table.append_column(c, pa.array(arr[:, i]))
    return table, names


def label_issues(
    data: Any,
    label: str,
    *,
    features: Sequence[str] | None = None,
    estimator: Any = None,
    folds: int = 5,
    pred_probs: Any = None,
    protected: Sequence[str] = (),
    task: str | None = None,
    positive_label: Any = None,
    seed: int = 0,
    max_rows: int = 100_000,
    filter_by: str = "prune_by_noise_rate",
    score_method: str = "self_confidence",
    max_classes: int = 50,
    progress: bool | None = None,
    threads: int | None = 1,
):
    """Rank every label by how likely it is wrong (cleanlab on out-of-fold predictions).

    The same code path as the ``label_errors`` check, returned as a pandas DataFrame.

    Parameters
    ----------
    data : pandas.DataFrame, pyarrow.Table, polars.DataFrame or path
    label : str
        The label column.
    features : list of str, optional
        Feature columns; default every column except the label, ``protected`` and score columns.
    estimator : scikit-learn estimator, optional
        Cloned and fitted per fold (default: HistGradientBoosting with native categoricals).
    folds : int
        Cross-validation folds.
    pred_probs : list of str or ndarray, optional
        Out-of-sample probabilities: names of columns in ``data``, or an array with one row per
        row of ``data`` (one column per class in sorted class order, or one column for binary);
        with an array, data other than a pandas frame is read into memory to add its columns.
    protected : list of str
        Carried into the result (and out of the features).
    task : {'classification', 'regression'}, optional
        Inferred from the label when not given.
    seed, max_rows : int
        Above ``max_rows`` rows a seeded stratified sample is scored.
    filter_by, score_method : str
        cleanlab's ``find_label_issues(filter_by=...)`` and ``get_label_quality_scores(method=...)``.
    progress : bool or None
        Progress bar over folds; None shows it only on a terminal.
    threads : int or None
        OpenMP/BLAS threads for the fits (default 1, fastest on shared machines; None: no limit).

    Returns
    -------
    pandas.DataFrame
        One row per scored row, worst first: ``row`` (position, or index label), ``given_label``,
        ``suggested_label``, ``quality``, ``is_issue``, ``p_given`` (classification), then the
        ``protected`` columns, and ``weight`` when a stratified sample kept classes at unequal
        rates. ``attrs`` holds ``fraction`` (the estimated share of issues in the data, weighted by
        class in that case), ``count``, ``model``, ``sample``, ``notes`` and ``dropped_features``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=400)
    >>> df = pd.DataFrame({"x": x, "y": np.where(x > 0, "pos", "neg")})
    >>> df.loc[:4, "y"] = np.where(df.loc[:4, "x"] > 0, "neg", "pos")   # five wrong labels
    >>> ranked = label_issues(df, label="y", progress=False)
    >>> sorted(ranked["row"].head(5).tolist())
    [0, 1, 2, 3, 4]
    """
    import pandas as pd

    protected = list(protected)
    score_columns: list[str] = []
    if pred_probs is not None:
        if isinstance(pred_probs, str):
            pred_probs = [pred_probs]
        if isinstance(pred_probs, (list, tuple)) and all(isinstance(c, str) for c in pred_probs):
            score_columns = list(pred_probs)
        else:
            data, score_columns = _with_probabilities(data, pred_probs)
    dataset: dict[str, Any] = {"label": label}
    if protected:
        dataset["protected"] = protected
    if task is not None:
        dataset["task"] = task
    if positive_label is not None:
        dataset["positive_label"] = positive_label
    if score_columns:
        dataset["scores"] = score_columns
    params: dict[str, Any] = {
        "model": "scores" if score_columns else "auto",
        "folds": folds,
        "seed": seed,
        "max_rows": max_rows,
        "filter_by": filter_by,
        "score_method": score_method,
        "max_classes": max_classes,
    }
    if features is not None:
        params["features"] = list(features)
    keep: list[dict] = []
    options = {"label_errors": {"estimator": estimator, "threads": threads, "progress": progress, "keep": keep}}
    try:
        report = run(
            data,
            {"name": "label_issues", "dataset": dataset, "checks": [{"label_errors": params}]},
            options=options,
            progress=False,
        )
    except SuiteError as exc:  # parameters out of range, named as the check's
        raise LabelQualityError(str(exc)) from None
    if not keep:
        mine = [r for r in report.results if r.check == "label_errors"] or report.results
        raise LabelQualityError(mine[0].message)
    lq, rows, how = keep[0]["quality"], keep[0]["rows"], keep[0]["sample"]
    out = pd.DataFrame(
        {
            "row": rows,
            "given_label": lq.given,
            "suggested_label": lq.suggested,
            "quality": lq.quality,
            "is_issue": lq.is_issue,
        }
    )
    pg = lq.p_given()
    if pg is not None:
        out["p_given"] = pg
    for c in protected:
        out[c] = lq.table.column(c).to_pylist()
    if lq.weights is not None:  # rows of the data each sampled row stands for (stratified sample)
        out["weight"] = lq.weights
    out = out.sort_values(["quality", "row"], kind="stable").reset_index(drop=True)
    out.attrs.update(
        {
            "model": lq.model,
            "sample": how,
            "notes": list(lq.notes),
            "task": lq.task,
            "classes": lq.classes,
            "fraction": lq.fraction,
            "count": lq.count,
            "dropped_features": dict(lq.dropped_features),
            "weighted": lq.weights is not None,
        }
    )
    return out
