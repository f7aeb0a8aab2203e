"""The model behind ``label_errors``: features encoded for scikit-learn (categoricals as codes,
missing kept), the default estimators, and cross-validated out-of-fold probabilities.
Part of the label-quality family: :mod:`datacheck.label_quality` (scoring),
:mod:`datacheck.label_subgroups` (where the issues are), :mod:`datacheck.labels` (notebook API).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacheck.kernels.base import logical_type
from datacheck.progress import bar as progress_bar

_MAX_CAT_LEVELS = 254  # HistGradientBoosting handles at most max_bins - 1 = 254 categories


def _numeric(arr: pa.ChunkedArray) -> np.ndarray:
    t = arr.type
    if pa.types.is_dictionary(t):
        arr = arr.cast(t.value_type)
        t = arr.type
    if pa.types.is_timestamp(t) or pa.types.is_date(t) or pa.types.is_duration(t):
        if pa.types.is_date32(t):
            arr = pc.cast(arr, pa.date64())
        arr = pc.cast(pc.cast(arr, pa.int64()), pa.float64(), safe=False)
    elif pa.types.is_boolean(t) or pa.types.is_decimal(t) or pa.types.is_integer(t):
        arr = pc.cast(arr, pa.float64(), safe=False)  # a model feature: integers beyond 2**53 may round
    out = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=np.float64).copy()
    if arr.null_count:
        out[np.asarray(arr.is_null().to_numpy(zero_copy_only=False), dtype=bool)] = np.nan
    return out


def encode_features(
    table: pa.Table, features: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, list[str], dict[str, str]]:
    """Float matrix for HistGradientBoosting: numeric columns as numbers (datetimes in their
    integer unit), text columns as category codes (missing -> NaN; beyond 254 levels the rarest
    are pooled). Columns with every value missing (HistGradientBoosting cannot bin them),
    identifier-like text columns (almost every value distinct) and nested types are dropped, with
    the reason.

    Returns ``(X, categorical_mask, used, dropped)``.
    """
    n = table.num_rows
    cols, mask, used, dropped = [], [], [], {}
    for name in features:
        arr = table.column(name)
        kind = logical_type(arr.type)
        if n and arr.null_count == n:
            dropped[name] = "all values missing"
            continue
        if kind in ("integer", "float", "boolean", "datetime", "duration") or (
            pa.types.is_dictionary(arr.type) and logical_type(arr.type.value_type) in ("integer", "float")
        ):
            x = _numeric(arr)
            if np.isinf(x).any():
                x[np.isinf(x)] = np.nan
            if n and np.isnan(x).all():  # NaN (not null) or infinite everywhere
                dropped[name] = "all values missing"
                continue
            cols.append(x)
            mask.append(False)
        elif kind in ("string", "categorical"):
            s = arr.cast(arr.type.value_type) if pa.types.is_dictionary(arr.type) else arr
            vc = pc.value_counts(s.drop_null() if s.null_count else s)
            values = vc.field("values").to_pylist()
            counts = np.asarray(vc.field("counts").to_numpy(zero_copy_only=False))
            if n > 50 and len(values) > 0.9 * n:
                dropped[name] = f"identifier-like ({len(values):,} distinct values in {n:,} rows)"
                continue
            order = np.argsort(-counts, kind="stable")
            keep = [values[i] for i in order[:_MAX_CAT_LEVELS]]
            codes = pc.index_in(s, value_set=pa.array(keep, s.type)).to_numpy(zero_copy_only=False)
            x = np.asarray(codes, dtype=np.float64)
            if len(values) > _MAX_CAT_LEVELS:  # pool the rarest levels into one
                x[np.isnan(x)] = _MAX_CAT_LEVELS
                if s.null_count:
                    x[np.asarray(s.is_null().to_numpy(zero_copy_only=False), dtype=bool)] = np.nan
            cols.append(x)
            mask.append(True)
        else:
            dropped[name] = f"type {arr.type} is not used as a feature"
            continue
        used.append(name)
    X = np.column_stack(cols) if cols else np.empty((n, 0))
    return X, np.asarray(mask, dtype=bool), used, dropped


# -- the model ---------------------------------------------------------------------------------


def _threads(threads: int | None):
    """Limit OpenMP/BLAS threads during the fits (None: leave the libraries' defaults).

    One thread is the default: OpenMP's busy-waiting threads make gradient boosting many times
    slower whenever the cores are shared (measured on a busy 2-core machine: Adult 5-fold took
    119 s with 2 threads and 5 s with 1; breast_cancer 38 s and 2.6 s).
    """
    import contextlib

    if threads is None:
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=threads)


def default_classifier(mask: np.ndarray, seed: int):
    """The default model: scikit-learn's HistGradientBoostingClassifier, early stopping at every size
    (scikit-learn's default stops early only above 10,000 rows; 100 full rounds on a few hundred rows
    give overconfident out-of-fold probabilities, which the label-noise estimate reads as noise)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        categorical_features=mask if mask.any() else None, random_state=seed, early_stopping=True
    )


def default_regressor(mask: np.ndarray, seed: int):
    from sklearn.ensemble import HistGradientBoostingRegressor

    return HistGradientBoostingRegressor(categorical_features=mask if mask.any() else None, random_state=seed)


class HoldsEmptyColumns:
    """Any scikit-learn model, made safe for the small and sparse training sets of cross-validation
    (ours, and cleanlab's own for regression labels).

    A model that stops early holds out a stratified validation split: on a fold with a one-row
    class or a few dozen rows it fits without early stopping. A column left without values in the
    rows the model trains on (a sparse column in one fold, or after the validation split) is held
    constant for that fit and its predictions, where HistGradientBoosting would fail to bin it
    ("window shape cannot be larger than input array"). Data that is not a float matrix passes
    through unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> X = np.c_[np.arange(6.0), np.full(6, np.nan)]
    >>> m = HoldsEmptyColumns(LinearRegression()).fit(X, np.arange(6.0) * 2)
    >>> m.empty_.tolist(), np.round(m.predict(X[:2]), 6).tolist()
    ([False, True], [0.0, 2.0])
    """

    def __init__(self, estimator: Any) -> None:
        self.estimator = estimator

    def get_params(self, deep: bool = True) -> dict:
        return {"estimator": self.estimator}

    def set_params(self, **params: Any) -> HoldsEmptyColumns:
        if "estimator" in params:
            self.estimator = params.pop("estimator")
        if params:
            self.estimator.set_params(**params)
        return self

    def _held(self, X: Any) -> Any:
        if self.empty_ is None or not self.empty_.any():
            return X
        X = np.array(X, dtype=float, copy=True)
        X[:, self.empty_] = 0.0
        return X

    def fit(self, X: Any, y: Any, **kwargs: Any) -> HoldsEmptyColumns:
        from sklearn.base import clone

        model = clone(self.estimator)
        y_arr = np.asarray(y)
        if _too_small_to_stop_early(model, y_arr):
            model.set_params(early_stopping=False)
        self.empty_: np.ndarray | None = None
        Xf = X
        if isinstance(X, np.ndarray) and X.dtype.kind == "f" and X.ndim == 2 and X.size:
            held = _held_out_rows(model, len(X))
            self.empty_ = (~np.isnan(X)).sum(axis=0) <= held
            Xf = self._held(X)
        self.estimator_ = model.fit(Xf, y, **kwargs)
        return self

    @property
    def classes_(self) -> Any:
        return self.estimator_.classes_

    def predict(self, X: Any) -> np.ndarray:
        return self.estimator_.predict(self._held(X))

    def predict_proba(self, X: Any) -> np.ndarray:
        return self.estimator_.predict_proba(self._held(X))


def _too_small_to_stop_early(model: Any, y: np.ndarray) -> bool:
    """True when a model that stops early would hold out a validation split too small to stratify
    (scikit-learn needs every class twice and at least one validation row per class): a few dozen
    rows, or a class with a single row in the fold."""
    params = model.get_params() if hasattr(model, "get_params") else {}
    if params.get("early_stopping") is not True:
        return False
    frac = params.get("validation_fraction") or 0.1
    counts = np.unique(y, return_counts=True)[1]
    n_val = int(np.ceil(frac * len(y))) if isinstance(frac, float) else int(frac)
    return bool(counts.size and (counts.min() < 2 or n_val < counts.size or len(y) - n_val < counts.size))


def _held_out_rows(model: Any, n: int) -> int:
    """Rows a model that stops early holds out of its own training data (0 when it does not)."""
    params = model.get_params() if hasattr(model, "get_params") else {}
    if params.get("early_stopping") is not True:
        return 0
    frac = params.get("validation_fraction") or 0.1
    return int(np.ceil(frac * n)) if isinstance(frac, float) else int(frac)


def out_of_fold_proba(
    X: Any,
    y: np.ndarray,
    n_classes: int,
    estimator: Any,
    folds: int,
    seed: int,
    progress: bool | None = None,
    threads: int | None = 1,
) -> np.ndarray:
    """Stratified K-fold out-of-sample ``predict_proba`` (what ``cross_val_predict`` computes,
    one fold at a time so that a progress bar can follow). ``y`` holds codes ``0..n_classes-1``."""
    from sklearn.model_selection import StratifiedKFold

    proba = np.zeros((len(y), n_classes))
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    take = (lambda idx: X.iloc[idx]) if hasattr(X, "iloc") else (lambda idx: X[idx])
    with (
        progress_bar(total=folds, desc="label_errors: cross-validation", unit="fold", enabled=progress) as bar,
        _threads(threads),
    ):
        for train, test in cv.split(np.zeros(len(y)), y):
            model = HoldsEmptyColumns(estimator).fit(take(train), y[train])
            p = np.asarray(model.predict_proba(take(test)), dtype=float)
            cols = np.asarray(model.classes_, dtype=int)  # a class missing from a training fold gets 0
            proba[np.ix_(test, cols)] = p
            bar.update(1)
    return proba


def _sort_classes(values: list) -> list:
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=lambda v: (type(v).__name__, str(v)))


def _describe_estimator(est: Any) -> str:
    return type(est).__name__


def _dropped_note(dropped: dict[str, str], limit: int = 5) -> str:
    items = list(dropped.items())
    text = ", ".join(f"{k!r} ({v})" for k, v in items[:limit])
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return f"feature column(s) not used: {text}{more}"
