"""``multivariate_drift``: can a classifier tell reference rows from current rows?

Per-column drift misses changes in how columns move *together* (a joint shift with unchanged
marginals). A domain classifier catches those: a scikit-learn ``HistGradientBoostingClassifier``
learns to tell a seeded, bounded sample of reference rows (``sample_size`` per side, the
:class:`~datacheck.kernels.Sample` kernel -- the one explicit, bounded exception to "checks read
metrics, not rows") from a sample of current rows.

* **Effect size**: the cross-validated ROC AUC of out-of-fold predictions (0.5 = indistinguishable;
  ``2 AUC - 1`` is reported as ``drift_score``). Threshold ``max_auc`` (0.55).
* **p-value**: in each of the ``folds`` folds, the held-out scores come from a model that never saw
  those rows, so under "no drift" they are independent of the side a row came from and the fold's
  one-sided Mann–Whitney test is exact. The folds' p-values are combined as twice their median,
  valid under any dependence between folds (Rüschendorf 1982; Vovk & Wang 2020), so the combined
  p-value is calibrated (conservative).
* **Verdict**: fail when AUC > ``max_auc`` *and* p < ``alpha``.
* **Features driving it**: permutation importance (drop in held-out AUC) on the last fold.

Numeric, boolean and datetime columns enter as numbers, strings that all parse as ISO dates as
times, other strings as categories: the (up to 254) values seen at least 5 times in the pooled
sample, ranked by pooled count with ties broken by value, the rest pooled into one code. Nothing in
the encoding depends on which side a value came from (ranking ties by first appearance once put
the reference's rare values first, and a classifier told the halves of one file apart by that
alone). String columns whose values are mostly distinct (ids, free text) are left out and named. By default every column except the dataset's id, label,
prediction and score columns is used.

Examples
--------
>>> import numpy as np, pandas as pd, datacheck
>>> rng = np.random.default_rng(0)
>>> a = rng.normal(size=(2000, 2)); b = rng.normal(size=(2000, 2))
>>> b[:, 1] = b[:, 0] + rng.normal(0, 0.3, 2000)   # same marginals (nearly), new dependence
>>> ref, cur = pd.DataFrame(a, columns=["u", "v"]), pd.DataFrame(b, columns=["u", "v"])
>>> r = datacheck.run(cur, {"name": "s", "checks": [{"multivariate_drift": {"sample_size": 1000}}]},
...                   reference=ref).results[0]
>>> r.status, r.effect_size > 0.7
('fail', True)
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacheck.checks._util import num, shared_columns
from datacheck.checks.base import Check, OnReference, register
from datacheck.kernels import Sample
from datacheck.params import Param

__all__ = ["MultivariateDriftCheck", "domain_classifier"]

_MIN_ROWS = 50
_MAX_CATS = 254
_MIN_CODE_COUNT = 5  # a value seen fewer times in the pooled sample cannot be learned; it joins the rest
_MAX_DISTINCT_SHARE = 0.5
_USABLE = ("integer", "float", "boolean", "string", "categorical", "datetime", "duration")


def _as_float(arr: pa.ChunkedArray) -> np.ndarray | None:
    """Numbers, booleans and datetimes as float64 (missing -> NaN); None for other types."""
    t = arr.type
    if pa.types.is_dictionary(t):
        return None
    if pa.types.is_timestamp(t) or pa.types.is_duration(t) or pa.types.is_date64(t):
        arr = pc.cast(arr, pa.int64())
    elif pa.types.is_date32(t):
        arr = pc.cast(arr, pa.int32())
    elif not (pa.types.is_boolean(t) or pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t)):
        return None
    x = pc.cast(arr, pa.float64(), safe=False).to_numpy().astype(np.float64, copy=True)  # >2**53 may round
    x[~np.isfinite(x)] = np.nan
    return x


def _as_datetime(s: pa.ChunkedArray) -> np.ndarray | None:
    """Strings that all parse as ISO 8601 dates or date-times, as float seconds; None otherwise."""
    vals = s.drop_null() if s.null_count else s
    if len(vals) == 0:
        return None
    try:
        ts = pc.cast(s, pa.timestamp("s"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    x = pc.cast(ts, pa.int64()).to_numpy(zero_copy_only=False).astype(np.float64)
    x[np.asarray(ts.is_null().to_numpy(zero_copy_only=False), dtype=bool)] = np.nan
    return x


def _encode(ref: pa.ChunkedArray, cur: pa.ChunkedArray) -> tuple[np.ndarray | None, bool, str]:
    """One column of both sides as float64; returns (values, is_categorical, how).

    Numbers, booleans and datetimes enter as numbers; strings that all parse as ISO dates as
    seconds; other strings as codes of the values seen at least ``_MIN_CODE_COUNT`` times in the
    pooled sample (ranked by pooled count, ties by value: nothing depends on which side a value
    came from), the rest pooled into one code. Strings whose values are mostly distinct (ids, free
    text) carry nothing a classifier can learn about a population and are left out (``None``).
    """
    a, b = _as_float(ref), _as_float(cur)
    if a is not None and b is not None:
        return np.r_[a, b], False, "number"
    s = pa.chunked_array(
        [
            c.cast(pa.large_string())
            if not pa.types.is_dictionary(c.type)
            else c.cast(c.type.value_type).cast(pa.large_string())
            for c in ref.chunks + cur.chunks
        ],
        type=pa.large_string(),
    )
    dt = _as_datetime(s)
    if dt is not None:
        return dt, False, "date strings as time"
    present = len(s) - s.null_count
    vc = pc.value_counts(s.drop_null() if s.null_count else s)
    if present and len(vc) > _MAX_DISTINCT_SHARE * present:
        return None, True, f"{len(vc) / present:.0%} of values distinct (id-like or free text)"
    vals = np.asarray(vc.field("values").to_pylist(), dtype=object)
    cnt = vc.field("counts").to_numpy()
    order = sorted(range(len(vals)), key=lambda i: (-int(cnt[i]), str(vals[i])))
    top = [vals[i] for i in order if cnt[i] >= _MIN_CODE_COUNT][:_MAX_CATS]
    idx = pc.index_in(s, value_set=pa.array(top, pa.large_string()))
    codes = pc.fill_null(idx, _MAX_CATS).to_numpy(zero_copy_only=False).astype(np.float64)
    codes[np.asarray(s.is_null().to_numpy(zero_copy_only=False), dtype=bool)] = np.nan
    return codes, True, "categories"


def domain_classifier(
    ref: pa.Table,
    cur: pa.Table,
    columns: list[str],
    *,
    folds: int = 5,
    seed: int = 0,
    max_iter: int = 100,
    top: int = 5,
    importance: tuple[float, float] | None = None,
) -> dict:
    """Cross-fitted domain classifier on two samples: AUC, fold p-values, combined p, top features.

    ``importance``: ``(max_auc, alpha)``: compute the permutation importances only when the AUC is
    above ``max_auc`` and p below ``alpha`` (they explain a drift; None: always).
    """
    from threadpoolctl import threadpool_limits  # a scikit-learn dependency

    # one OpenMP thread: on a shared or busy machine, spinning OpenMP teams made one fit 40x slower
    with threadpool_limits(1, user_api="openmp"):
        return _fit(ref, cur, columns, folds=folds, seed=seed, max_iter=max_iter, top=top, importance=importance)


def _fit(ref, cur, columns, *, folds, seed, max_iter, top, importance=None):
    from scipy.stats import mannwhitneyu
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.inspection import permutation_importance
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    cols, cats, used, dropped = [], [], [], {}
    for c in columns:
        x, is_cat, how = _encode(ref.column(c), cur.column(c))
        if x is None:
            dropped[c] = how
            continue
        if x.size and np.isnan(x).all():  # missing on both sides: nothing to learn, and it cannot be binned
            dropped[c] = "all values missing in both samples"
            continue
        cols.append(x)
        cats.append(is_cat)
        used.append(c)
    columns = used
    if not columns:
        return {
            "auc": None,
            "dropped_features": dropped,
            "columns_used": [],
            "n_ref": int(ref.num_rows),
            "n_cur": int(cur.num_rows),
        }
    X = np.column_stack(cols)
    y = np.r_[np.zeros(ref.num_rows), np.ones(cur.num_rows)].astype(int)
    oof = np.empty(y.size)
    pvals, aucs = [], []
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    model = te = None
    for tr, te in skf.split(X, y):
        model = HistGradientBoostingClassifier(
            max_iter=max_iter, categorical_features=np.array(cats, dtype=bool), early_stopping=False, random_state=seed
        )
        Xtr = X[tr]
        empty = np.isnan(Xtr).all(axis=0)
        if empty.any():  # a sparse column missing in every training row of this fold cannot be binned
            Xtr[:, empty] = 0.0  # held constant (X[tr] is a copy): this fold's model cannot split on it
        model.fit(Xtr, y[tr])
        s = model.predict_proba(X[te])[:, 1]
        oof[te] = s
        pvals.append(float(mannwhitneyu(s[y[te] == 1], s[y[te] == 0], alternative="greater").pvalue))
        aucs.append(float(roc_auc_score(y[te], s)))
    auc = float(roc_auc_score(y, oof))
    p = float(min(1.0, 2 * np.median(pvals)))
    feats = []
    if importance is None or (auc > importance[0] and p < importance[1]):  # only worth its cost when drifted
        imp = permutation_importance(model, X[te], y[te], scoring="roc_auc", n_repeats=5, random_state=seed)
        order = np.argsort(-imp.importances_mean, kind="stable")[:top]
        feats = [
            {"column": columns[i], "auc_drop": float(imp.importances_mean[i]), "std": float(imp.importances_std[i])}
            for i in order
            if imp.importances_mean[i] > 0
        ]
    return {
        "auc": auc,
        "fold_auc": aucs,
        "fold_p_values": pvals,
        "p_value": p,
        "top_features": feats,
        "n_ref": int(ref.num_rows),
        "n_cur": int(cur.num_rows),
        "columns_used": list(columns),
        "dropped_features": dropped,
    }


@register("multivariate_drift")
class MultivariateDriftCheck(Check):
    family = "shift"
    per_column = False
    needs_reference = True
    params = {
        "columns": Param("columns", default="*", doc="columns the classifier sees (default: all but roles)"),
        "exclude": Param("strings", default=(), doc="columns left out"),
        "sample_size": Param(
            "integer", default=5000, low=_MIN_ROWS, high=200_000, doc="rows sampled (seeded) from each side"
        ),
        "max_auc": Param("number", default=0.55, low=0.5, high=1, doc="cross-validated AUC above which drift fails"),
        "alpha": Param(
            "number",
            default=None,
            low=0,
            high=1,
            low_open=True,
            high_open=True,
            doc="test level (default: 0.05 shared evenly by the shift checks of the suite that leave alpha unset)",
        ),
        "folds": Param("integer", default=5, low=2, high=20, doc="cross-validation folds"),
        "max_iter": Param("integer", default=100, low=10, high=1000, doc="boosting iterations"),
        "seed": Param("integer", default=0, low=0, doc="seed of the samples, folds and model"),
    }

    def features(self, ctx) -> list[str]:
        r = ctx.roles
        return shared_columns(self, ctx, skip_roles=(r.id, r.label, r.prediction, *r.scores), types=_USABLE)

    def _sample(self, ctx) -> Sample:
        return Sample(tuple(self.features(ctx)), k=self.p["sample_size"], seed=self.p["seed"])

    def requires(self, column, ctx):
        if not self.features(ctx):
            return []
        s = self._sample(ctx)
        return [OnReference(s), s]

    def evaluate(self, column, ctx):
        cols = self.features(ctx)
        if not cols:
            return self.error(None, "no column usable by the domain classifier is present on both sides")
        s = self._sample(ctx)
        ref, cur = ctx.reference[s], ctx.current[s]
        if ref.num_rows < _MIN_ROWS or cur.num_rows < _MIN_ROWS:
            return self.skipped(
                None,
                f"too few rows for a domain classifier ({ref.num_rows} reference, "
                f"{cur.num_rows} current; need {_MIN_ROWS} each)",
            )
        out = domain_classifier(
            ref,
            cur,
            cols,
            folds=self.p["folds"],
            seed=self.p["seed"],
            max_iter=self.p["max_iter"],
            importance=(self.p["max_auc"], self.alpha),
        )
        dropped = out["dropped_features"]
        gone = "; ".join(f"{c!r}: {why}" for c, why in list(dropped.items())[:5]) + (" ..." if len(dropped) > 5 else "")
        if out["auc"] is None:
            return self.error(None, f"no column usable by the domain classifier: {gone}")
        auc, p = out["auc"], out["p_value"]
        big, sig = auc > self.p["max_auc"], p < self.alpha
        drifted = big and sig
        tops = ", ".join(f"{f['column']} ({num(f['auc_drop'])})" for f in out["top_features"][:3])
        msg = (
            f"domain classifier AUC {auc:.3f} ({'above' if big else 'within'} {num(self.p['max_auc'])}), "
            f"p = {num(p)} ({'significant' if sig else 'not significant'}); "
            + ("rows are distinguishable: drifted" if drifted else "no material multivariate drift")
            + (f"; driven by {tops}" if drifted and tops else "")
            + (f"; column(s) not used ({gone})" if dropped else "")
        )
        how = (
            f"HistGradientBoostingClassifier, {self.p['folds']}-fold cross-fitted on seeded samples "
            f"({out['n_ref']:,} reference, {out['n_cur']:,} current rows); p = 2 x median of per-fold one-sided "
            "Mann-Whitney p-values (valid under any dependence); features by permutation importance (AUC drop)"
        )
        return self.result(
            None,
            not drifted,
            observed={"auc": auc, "drift_score": 2 * auc - 1, "p_value": p},
            expected={"max_auc": self.p["max_auc"], "alpha": self.alpha},
            message=msg,
            method=how,
            details={**out, "columns": cols, "threshold": self.p["max_auc"]},
            effect_size=auc,
            p_value=p,
        )
