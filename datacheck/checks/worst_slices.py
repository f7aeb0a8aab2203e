"""``worst_slices``: find the slices where the model errs most, by SliceLine, and test them.

SliceLine (:mod:`datacheck.stats.sliceline`) searches conjunctions of up to ``max_depth`` predicates
over the ``features`` (numeric ones cut into quantile bins) for the ``top_k`` slices of highest
score ``α·((slice error / slice size)/mean error − 1) − (1−α)·(n/slice size − 1)``, among slices
with at least ``min_support`` rows (``alpha`` 0.99 by default: at the paper's 0.95 a 5% slice with
less than twice the mean error scores below zero). With ``rank: evidence`` (default) the search
keeps ``max(4 * top_k, 20)`` candidates and reports them by the lower 95% bound of their excess
error over the rest, without slices over ``max_share`` of the rows or refinements that are not
significantly worse than the rest of a less specific candidate; when that leaves fewer than
``top_k`` slices while more qualify, the search runs again with twice the candidates, up to
``max_candidates`` (by default 16 times the first pool: four doublings). Each reported slice has
its support, error, the error of the rest of the data, and a test of slice vs rest
(two-proportion test for ``error_rate``, Welch's t test from sums otherwise),
Bonferroni-corrected over every slice the search evaluated (the search *chose* these slices, so
unadjusted p-values would be optimistic; a wider search evaluates every slice a narrower one
did, so the last search's count covers them all). **A slice fails when its error
exceeds the rest's by more than ``max_gap`` and its corrected p-value is below ``significance``.**

Where the per-row errors come from, in this order:

1. the ``dataset`` roles: ``error_rate`` compares ``label`` and ``prediction``; ``abs_error`` and
   ``squared_error`` need numeric label and prediction; ``log_loss`` and ``brier`` need one
   ``scores`` column (probability of the positive label);
2. otherwise the out-of-fold predictions of the ``label_errors`` check of the same suite
   (``ctx.artifacts["label_errors.oof"]``; declared in ``consumes``, so the planner evaluates
   ``label_errors`` first wherever it stands in the suite; the search then runs on that check's
   sampled rows);
3. otherwise the result is ``error``, saying so.

With roles, ``method: passes`` (default) is exact on all the data and streams: every lattice level
is one pass folding mergeable per-slice error sums (``LevelSums``: count, sum, sum of squares and
max of the error for every value combination of the candidates' feature subsets), after one pass for quantile sketches and one to make the bin edges
exact; ``max_depth`` is then at most 4. ``method: sample`` runs the same search in memory on a
bounded seeded sample of ``sample_rows`` rows (one pass).

Examples
--------
>>> import numpy as np, pandas as pd, datacheck
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame({"a": rng.choice(list("xyz"), 5000), "b": rng.choice(list("uv"), 5000),
...                    "y": rng.integers(0, 2, 5000)})
>>> weak = (df.a == "z") & (df.b == "v")
>>> df["p"] = np.where(rng.random(5000) < np.where(weak, 0.4, 0.05), 1 - df.y, df.y)
>>> suite = {"name": "s", "dataset": {"label": "y", "prediction": "p"},
...          "checks": [{"worst_slices": {"features": ["a", "b"], "max_depth": 2}}]}
>>> r = datacheck.run(df, suite).results[0]
>>> r.status, r.observed["worst_slice"]
('fail', 'a = z & b = v')
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacheck.checks._util import num
from datacheck.checks.base import Check, register
from datacheck.checks.label_errors import OOF_KEY
from datacheck.context import Context, MetricUnavailable
from datacheck.kernels.base import BatchView
from datacheck.kernels.groups import Bin, Col
from datacheck.kernels.sample import Sample
from datacheck.kernels.slice_sums import EPS, AbsDiff, Brier, LevelSums, LogLoss, Ne, SqDiff
from datacheck.params import Param
from datacheck.roles import (
    bins_param,
    key_from_rows,
    key_needs,
    label_counts_kernel,
    make_key,
    positive_label_of,
    predicate,
    require_columns,
    validate_bins,
    value_label,
)
from datacheck.stats.sliceline import LatticeSearch, SliceLineResult, complement_test, sliceline

__all__ = ["WorstSlicesCheck", "METRICS", "encode_table", "excess_lower_bound", "drop_chance_refinements"]

METRICS = ("error_rate", "abs_error", "squared_error", "log_loss", "brier")


def encode_table(
    table: pa.Table, features: list[str], bins: Any, max_categories: int
) -> tuple[np.ndarray, list[str], list[Any], list[list[Any]], list[str]]:
    """Integer codes of ``features`` for the in-memory search.

    Keys follow :func:`datacheck.roles.key_from_rows` (numeric columns with many values cut at
    quantiles of these rows, or at the given edges); missing values get a
    code of their own. Returns ``(X, kept feature names, keys, values per code, dropped)`` where
    categorical features with more than ``max_categories`` values are dropped.
    """
    arrays = {c: table.column(c).combine_chunks() for c in features}
    view = BatchView(pa.RecordBatch.from_pydict(arrays) if arrays else pa.record_batch({"_": pa.nulls(table.num_rows)}))
    cols, names, keys, decoders, dropped = [], [], [], [], []
    for f in features:
        key = key_from_rows(f, view, bins)
        coded = pc.dictionary_encode(key.array(view))
        values = coded.dictionary.to_pylist()
        if isinstance(key, Col) and len(values) > max_categories:
            dropped.append(f)
            continue
        idx = coded.indices.fill_null(len(values)).to_numpy(zero_copy_only=False).astype(np.int64)
        cols.append(idx)
        names.append(f)
        keys.append(key)
        decoders.append(values + [None])
    X = np.stack(cols, axis=1) if cols else np.zeros((table.num_rows, 0), dtype=np.int64)
    return X, names, keys, decoders, dropped


@register("worst_slices")
class WorstSlicesCheck(Check):
    family = "slices"
    per_column = False
    default_columns = None
    consumes = (OOF_KEY,)  # the label_errors check's out-of-fold predictions, when the roles lack errors
    params = {
        "metric": Param("choice", default="error_rate", choices=METRICS, doc="per-row error the search maximises"),
        "features": Param(
            "strings", default=None, doc="columns to slice by (default: every column that is not a dataset role)"
        ),
        "max_depth": Param("integer", default=3, low=1, high=6, doc="most predicates per slice (passes: at most 4)"),
        "top_k": Param("integer", default=5, low=1, high=100, doc="slices to report"),
        "min_support": Param(
            "number",
            default=0.01,
            low=0,
            low_open=True,
            doc="smallest slice: a fraction of rows when below 1, else a row count",
        ),
        "alpha": Param(
            "number",
            default=0.99,
            low=0,
            high=1,
            low_open=True,
            doc="SliceLine's weight of the error term against the size term (0.95, the paper's "
            "value, gives a 5% slice with 1.8x the mean error a negative score)",
        ),
        "rank": Param(
            "choice",
            default="evidence",
            choices=("evidence", "score"),
            doc="evidence: report the search's candidates by the lower 95% bound of their excess "
            "error over the rest; score: by SliceLine's score",
        ),
        "max_candidates": Param(
            "integer",
            default=None,
            low=1,
            high=1_000_000,
            doc="rank: evidence: when fewer than top_k candidates are left to report, the search runs again "
            "with twice the candidates, up to this many (default: 16 x max(4 * top_k, 20), four doublings)",
        ),
        "max_share": Param(
            "number",
            default=0.5,
            low=0,
            high=1,
            low_open=True,
            doc="slices with more than this share of the rows are not reported (rank: evidence)",
        ),
        "bins": bins_param("numeric features"),
        "max_gap": Param("number", default=0.05, low=0, doc="largest tolerated excess error of a slice over the rest"),
        "significance": Param(
            "number",
            default=0.05,
            low=0,
            high=1,
            low_open=True,
            high_open=True,
            doc="level of the Bonferroni-corrected test of each top slice",
        ),
        "method": Param(
            "choice",
            default="passes",
            choices=("passes", "sample"),
            doc="passes: exact, one pass per level; sample: in memory on a seeded sample",
        ),
        "sample_rows": Param("integer", default=100_000, low=100, high=10_000_000, doc="rows for method: sample"),
        "seed": Param("integer", default=0, low=0, doc="seed of the sample"),
        "max_categories": Param(
            "integer",
            default=50,
            low=2,
            high=100_000,
            doc="categorical features with more distinct values are left out",
        ),
    }

    @classmethod
    def validate_params(cls, params):
        out = []
        if params.get("method") == "passes" and params.get("max_depth", 3) > 4:
            out.append(
                (
                    "max_depth",
                    "must be at most 4 with method: passes (one pass per level); "
                    f"got {params['max_depth']}; use method: sample for deeper searches",
                )
            )
        msg = validate_bins(params.get("bins"))
        if msg:
            out.append(("bins", msg))
        return out

    # -- configuration ------------------------------------------------------------------------
    def _role_expr(self, ctx: Context, positive: Any = None):
        """The per-row error expression from the dataset roles, or None when the roles lack it."""
        r = ctx.roles
        metric = self.p["metric"]
        if not r.label:
            return None
        if metric in ("error_rate", "abs_error", "squared_error"):
            if not r.prediction:
                return None
            require_columns([r.label, r.prediction], ctx, "dataset")
            if metric == "error_rate":
                return Ne(r.label, r.prediction)
            for c in (r.label, r.prediction):
                if ctx.columns[c].logical not in ("integer", "float"):
                    raise MetricUnavailable(
                        f"{metric} needs numeric label and prediction; {c!r} is {ctx.columns[c].logical}"
                    )
            return AbsDiff(r.label, r.prediction) if metric == "abs_error" else SqDiff(r.label, r.prediction)
        if len(r.scores) != 1:
            return None
        require_columns([r.label, r.scores[0]], ctx, "dataset")
        return (LogLoss if metric == "log_loss" else Brier)(r.label, r.scores[0], positive)

    def _uses_roles(self, ctx: Context) -> bool:
        return self._role_expr(ctx, positive=0) is not None

    def _positive(self, ctx: Context) -> Any:
        label = ctx.roles.label
        if label is None:  # callers judge from the roles only when a label is set
            raise MetricUnavailable(f"{self.p['metric']} needs dataset.label")
        pos, _ = positive_label_of(ctx, label)
        if pos is None:
            raise MetricUnavailable(f"{self.p['metric']} is for binary labels; the label has more than two values")
        return pos

    def features(self, ctx: Context, available: list[str] | None = None) -> list[str]:
        r = ctx.roles
        roles = {c for c in (r.label, r.prediction, r.id) if c} | set(r.scores)
        if self.p["features"]:
            feats = list(self.p["features"])
            if available is None:
                require_columns(feats, ctx, f"{self.spec.path}.features")
            else:
                missing = [f for f in feats if f not in available]
                if missing:
                    raise MetricUnavailable(
                        f"features {missing} are not among the label_errors check's sampled "
                        f"columns ({', '.join(available)})"
                    )
            return feats
        cols = (
            available
            if available is not None
            else [
                c
                for c, i in ctx.columns.items()
                if i.logical in ("integer", "float", "string", "categorical", "boolean", "datetime")
            ]
        )
        feats = [c for c in cols if c not in roles and c != "__row__"]
        if not feats:
            raise MetricUnavailable("worst_slices found no feature columns to slice by")
        return feats

    def _expr(self, ctx: Context):
        needs_pos = self.p["metric"] in ("log_loss", "brier")
        return self._role_expr(ctx, self._positive(ctx) if needs_pos else None)

    def _candidates(self) -> int:
        """Slices the first search keeps: ``top_k``, or more when they are re-ranked by evidence."""
        k = self.p["top_k"]
        return k if self.p["rank"] == "score" else max(4 * k, 20)

    def _reported(self, res: SliceLineResult) -> list:
        """The search's candidates in report order (before the cut at ``top_k``): with ``rank:
        evidence`` without slices over ``max_share`` of the rows and chance refinements, by the lower
        bound of their excess error; with ``rank: score`` as the search ranked them."""
        top = list(res.top)
        if self.p["rank"] == "evidence":
            top = [s for s in top if s.support <= self.p["max_share"] * res.n]
            top = drop_chance_refinements(top, binary=self.p["metric"] == "error_rate", level=self.p["significance"])
            top.sort(key=lambda s: -excess_lower_bound(s, res))
        return top

    def _wider(self, res: SliceLineResult, pool: int) -> int | None:
        """The next, doubled pool when the evidence filter left fewer than ``top_k`` slices to report
        while the search was stopped by its pool (it kept ``pool`` candidates, so more qualify) and
        the pool is below ``max_candidates``; else None. A search with more candidates evaluates
        every slice a smaller one did (its pruning threshold is never higher), so the Bonferroni
        family of the last search covers every slice looked at."""
        cap = max(self.p["max_candidates"] or 16 * self._candidates(), self._candidates())
        if self.p["rank"] != "evidence" or pool >= cap or len(res.top) < pool:
            return None
        if len(self._reported(res)) >= self.p["top_k"]:
            return None
        return min(2 * pool, cap)

    # -- planning -----------------------------------------------------------------------------
    def _sample_kernel(self, ctx: Context) -> Sample:
        expr = self._role_expr(ctx, positive=0)
        cols = tuple(dict.fromkeys(list(self.features(ctx)) + list(expr.columns)))
        return Sample(cols, k=self.p["sample_rows"], seed=self.p["seed"])

    def _replay(self, ctx: Context) -> tuple[LatticeSearch | None, list, dict]:
        """Advance the search with the metrics so far: (search when complete, kernels missing, info).

        Level 1 is one ``LevelSums`` kernel over every feature; each later level one ``LevelSums``
        over the feature subsets of its candidates. The search object is kept on the check between
        the planner's calls (metrics only grow during a run), so each level is computed once.
        """
        feats = self.features(ctx)
        keys = [make_key(f, self.p["bins"], ctx) for f in feats]
        expr = self._expr(ctx)
        level1 = LevelSums(tuple(keys), tuple((i,) for i in range(len(feats))), expr)
        if level1 not in ctx.current:
            return None, [level1], {}
        st1 = ctx.current[level1]
        kept = [i for i in range(len(feats)) if isinstance(keys[i], Bin) or len(st1[(i,)]) <= self.p["max_categories"]]
        info = {
            "features": [feats[i] for i in kept],
            "dropped": [feats[i] for i in range(len(feats)) if i not in kept],
            "keys": [keys[i] for i in kept],
        }
        first = {(j,): st1[(i,)] for j, i in enumerate(kept)}

        def start(pool: int) -> LatticeSearch:
            search = LatticeSearch(
                len(kept),
                k=pool,
                max_depth=self.p["max_depth"],
                min_support=self.p["min_support"],
                alpha=self.p["alpha"],
            )
            search.feed(first)
            return search

        cache = getattr(self, "_search_cache", None)
        if cache is None or cache["level1"] != level1:
            pool = self._candidates()
            cache = {"level1": level1, "search": start(pool), "pools": [pool], "stats": {}, "extra_passes": 0}
            self._search_cache = cache
        stats = cache["stats"]  # feature subset -> its statistics, shared by the widened searches
        kept_keys = tuple(keys[i] for i in kept)
        while True:
            search = cache["search"]
            while not search.done:
                needed = search.needed()
                missing = tuple(F for F in needed if F not in stats)
                if missing:
                    k = LevelSums(kept_keys, missing, expr)
                    if k not in ctx.current:
                        return None, [k], info
                    stats.update(ctx.current[k])
                    cache["extra_passes"] += len(cache["pools"]) > 1
                search.feed({F: stats[F] for F in needed})
            wider = self._wider(search.result(), cache["pools"][-1])
            if wider is None:
                info["pools"] = list(cache["pools"])
                info["extra_passes"] = cache["extra_passes"]
                return search, [], info
            cache["pools"].append(wider)
            cache["search"] = start(wider)

    def requires(self, column, ctx):
        if not self._uses_roles(ctx):
            return []  # the label_errors check's out-of-fold predictions are read in evaluate
        if self.p["method"] == "sample":
            need = [self._sample_kernel(ctx)]
        else:
            need = key_needs(self.features(ctx), self.p["bins"], ctx)
        if self.p["metric"] in ("log_loss", "brier"):
            need.append(label_counts_kernel(ctx.roles.label))
        need = [k for k in need if k not in ctx.current]
        if need or self.p["method"] == "sample":
            return need
        _, missing, _ = self._replay(ctx)
        return missing

    # -- judging ------------------------------------------------------------------------------
    def evaluate(self, column, ctx):
        result = self._evaluate(ctx)
        if self._uses_roles(ctx) and self.p["metric"] in ("log_loss", "brier") and getattr(result, "details", None):
            result.details["positive_label"] = self._positive(ctx)  # the rule of datacheck.roles
        return result

    def _evaluate(self, ctx):
        if self._uses_roles(ctx):
            if self.p["method"] == "sample":
                return self._in_memory_from_sample(ctx)
            search, missing, info = self._replay(ctx)
            if search is None:  # pragma: no cover - the planner folds what requires asks for
                raise MetricUnavailable(f"the lattice search still needs {len(missing)} kernel(s)")
            res = search.result()
            names, keys = info["features"], info["keys"]
            decoders = None
            source = (
                f"exact per-slice error sums on all rows (LevelSums over the binned features; one pass per "
                f"lattice level, {len(search.levels)} level(s)"
                + (
                    f", and {info['extra_passes']} more for feature subsets only the widened search needed"
                    if info["extra_passes"]
                    else ""
                )
                + ")"
            )
            return self._result(res, names, keys, decoders, info["dropped"], source, "passes", info["pools"])
        oof = ctx.artifacts.get(OOF_KEY)
        if oof is None:
            return self.error(
                None,
                f"worst_slices needs per-row errors: set dataset.label and dataset.prediction"
                f"{' (or one dataset.scores column)' if self.p['metric'] in ('log_loss', 'brier') else ''}"
                f" for metric {self.p['metric']!r}, or add the label_errors check to the same suite "
                "so that its out-of-fold predictions can be used",
            )
        return self._in_memory_from_oof(ctx, oof)

    def _search_memory(self, ctx, table: pa.Table, errors: np.ndarray, feats: list[str], source: str, how: str):
        ok = ~np.isnan(errors)
        if not ok.all():
            table = table.filter(pa.array(ok))
            errors = errors[ok]
        X, names, keys, decoders, dropped = encode_table(table, feats, self.p["bins"], self.p["max_categories"])
        pools: list[int] = [self._candidates()]
        stats: dict = {}  # feature subset -> statistics, shared by the widened searches
        while True:
            res = sliceline(
                X,
                errors,
                k=pools[-1],
                max_depth=self.p["max_depth"],
                min_support=self.p["min_support"],
                alpha=self.p["alpha"],
                cache=stats,
                progress=ctx.progress,
            )
            wider = self._wider(res, pools[-1])
            if wider is None:
                break
            pools.append(wider)
        return self._result(res, names, keys, decoders, dropped, source, how, pools)

    def _in_memory_from_sample(self, ctx):
        table = ctx.current[self._sample_kernel(ctx)]
        expr = self._expr(ctx)
        batch = pa.RecordBatch.from_pydict({c: table.column(c).combine_chunks() for c in expr.columns})
        errors = expr.values(BatchView(batch))
        n_rows = ctx.current.found.get(_row_count(), table.num_rows)
        source = (
            f"in memory on a seeded uniform sample of {table.num_rows:,} of {n_rows:,} rows "
            f"(Sample kernel, seed {self.p['seed']}); bins from the sample's quantiles"
        )
        return self._search_memory(ctx, table, errors, self.features(ctx), source, "sample")

    def _in_memory_from_oof(self, ctx, oof: dict):
        table = oof.get("features")
        if not isinstance(table, pa.Table):
            return self.error(None, "the label_errors check's out-of-fold artifact has no 'features' table")
        label = np.asarray(oof["label"])
        pred = np.asarray(oof["pred"])
        if len(label) != table.num_rows or len(pred) != table.num_rows:
            return self.error(
                None,
                f"the label_errors artifact is inconsistent: {table.num_rows} feature rows, "
                f"{len(label)} labels, {len(pred)} predictions",
            )
        metric = self.p["metric"]
        regression = oof.get("task") == "regression"
        if regression and metric in ("abs_error", "squared_error"):
            d = np.asarray(label, dtype=float) - np.asarray(pred, dtype=float)
            errors = np.abs(d) if metric == "abs_error" else d * d
        elif regression:
            return self.error(
                None, f"the label_errors check ran a regression; use metric abs_error or squared_error, not {metric!r}"
            )
        elif metric == "error_rate":
            errors = (label != pred).astype(float)
        elif metric in ("log_loss", "brier"):
            proba = np.asarray(oof.get("proba"), dtype=float)
            classes = list(oof.get("classes", []))
            if proba.ndim != 2 or proba.shape[0] != len(label) or proba.shape[1] != len(classes):
                return self.error(
                    None, f"the label_errors artifact has no usable 'proba'/'classes' for metric {metric!r}"
                )
            idx = {c: i for i, c in enumerate(classes)}
            yi = np.array([idx.get(v, -1) for v in label.tolist()])
            known = yi >= 0
            py = np.where(known, proba[np.arange(len(yi)), np.maximum(yi, 0)], np.nan)
            if metric == "log_loss":
                errors = -np.log(np.clip(py, EPS, 1 - EPS))
            elif len(classes) == 2:  # the binary Brier score, as on the roles path
                errors = (1 - py) ** 2
            else:
                onehot = np.zeros_like(proba)
                onehot[np.arange(len(yi))[known], yi[known]] = 1
                errors = ((proba - onehot) ** 2).sum(axis=1)
            errors[~known] = np.nan
        else:
            return self.error(
                None,
                f"metric {metric!r} needs numeric labels; the label_errors check's out-of-fold predictions are classes",
            )
        r = ctx.roles
        skip = {r.label, r.prediction, r.id, oof.get("label_column"), "__row__"}
        avail = [
            c for c in (oof.get("feature_columns") or table.column_names) if c in table.column_names and c not in skip
        ]
        feats = self.features(ctx, available=avail)
        source = (
            f"in memory on the label_errors check's out-of-fold predictions ({table.num_rows:,} sampled rows); "
            "bins from those rows' quantiles"
        )
        return self._search_memory(ctx, table, errors, feats, source, "label_errors.oof")

    def _result(self, res: SliceLineResult, names, keys, decoders, dropped, source: str, how: str, pools: list[int]):
        metric = self.p["metric"]
        binary = metric == "error_rate"
        slices = []
        top = self._reported(res)
        for rank, s in enumerate(top[: self.p["top_k"]], 1):
            preds = []
            for f, v in s.predicates:
                value = decoders[f][v] if decoders is not None else v
                preds.append(
                    {
                        "column": names[f],
                        "value": value_label(keys[f], value),
                        "text": predicate(names[f], keys[f], value),
                    }
                )
            p, test = complement_test(s, res, binary)
            p_adj = min(1.0, p * max(res.evaluated, 1)) if not math.isnan(p) else math.nan
            n_c = res.n - s.support
            comp = (res.total_error - s.errors) / n_c if n_c else math.nan
            gap = s.error - comp
            bad = gap > self.p["max_gap"] and p_adj < self.p["significance"]
            slices.append(
                {
                    "rank": rank,
                    "slice": " & ".join(x["text"] for x in preds),
                    "predicates": preds,
                    "support": s.support,
                    "errors": s.errors,
                    "error": s.error,
                    "complement_error": comp,
                    "gap": gap,
                    "gap_lower": excess_lower_bound(s, res),
                    "score": s.score,
                    "p": p,
                    "p_adj": p_adj,
                    "test": test,
                    "status": "fail" if bad else "pass",
                }
            )
        details = {
            "metric": metric,
            "source": how,
            "n": res.n,
            "mean_error": res.mean_error,
            "min_support": res.min_support,
            "evaluated": res.evaluated,
            "levels": res.levels,
            "features": list(names),
            "dropped_features": list(dropped),
            "alpha": self.p["alpha"],
            "max_depth": self.p["max_depth"],
            "rank": self.p["rank"],
            "max_share": self.p["max_share"],
            "candidates": len(res.top),
            "pools": list(pools),
            "slices": slices,
        }
        test_name = slices[0]["test"] if slices else ("two-proportion test" if binary else "Welch t test")
        method = (
            f"SliceLine (alpha={self.p['alpha']}, max_depth={self.p['max_depth']}, min support "
            f"{res.min_support:,} rows) {source}; "
            + (
                f"its {len(res.top)} best-scoring slices"
                + (
                    f" (pool widened {' -> '.join(str(p) for p in pools)} because fewer than top_k={self.p['top_k']} "
                    "were left to report)"
                    if len(pools) > 1
                    else ""
                )
                + " re-ranked by the lower 95% bound of their excess error "
                f"over the rest (slices with more than {self.p['max_share']:.0%} of the rows left out, and "
                f"refinements not significantly worse than the rest of a less specific candidate); "
                if self.p["rank"] == "evidence"
                else ""
            )
            + f"{test_name} of each top slice vs the rest, Bonferroni over "
            f"{res.evaluated:,} evaluated slices"
        )
        if dropped:
            method += f"; left out (more than {self.p['max_categories']} values): {', '.join(dropped)}"
        expected = {
            "max_gap": self.p["max_gap"],
            "significance": self.p["significance"],
            "min_support": res.min_support,
        }
        if not slices:
            return self.result(
                None,
                True,
                observed={"metric": metric, "mean_error": res.mean_error, "worst_slice": None},
                expected=expected,
                details=details,
                method=method,
                message=f"no slice with at least {res.min_support:,} rows has a positive SliceLine score "
                f"(mean {metric} {num(res.mean_error)})",
            )
        failing = [s for s in slices if s["status"] == "fail"]
        worst = failing[0] if failing else slices[0]
        observed = {
            "metric": metric,
            "mean_error": res.mean_error,
            "worst_slice": worst["slice"],
            "error": worst["error"],
            "complement_error": worst["complement_error"],
            "support": worst["support"],
            "score": worst["score"],
            "failing_slices": len(failing),
        }
        msg = (
            f"{'worst' if not failing else 'failing'} slice {worst['slice']}: {metric} {num(worst['error'])} vs "
            f"{num(worst['complement_error'])} on the rest (n={worst['support']:,}, score {num(worst['score'])}, "
            f"adjusted p={num(worst['p_adj'])})"
        )
        if failing:
            msg += f"; {len(failing)} of the top {len(slices)} slice(s) worse by more than {num(self.p['max_gap'])} and significant"
        return self.result(
            None,
            not failing,
            observed=observed,
            expected=expected,
            message=msg,
            method=method,
            details=details,
            effect_size=worst["gap"],
            p_value=worst["p_adj"],
        )


def excess_lower_bound(s, res: SliceLineResult, z: float = 1.959963984540054) -> float:
    """Lower 95% bound of a slice's mean error minus the rest's (normal approximation, variances from
    the sums of squares: ``p(1-p)`` for 0/1 errors). Ranks what a person would call the worst slice:
    a large gap that enough rows make sure of -- neither a huge slice barely above the mean nor a
    tiny one that is bad by chance.

    Examples
    --------
    >>> from datacheck.stats.sliceline import Slice, SliceLineResult
    >>> res = SliceLineResult(top=[], n=1000, total_error=400.0, total_sq_error=400.0, mean_error=0.4,
    ...                       min_support=10, evaluated=1)
    >>> round(excess_lower_bound(Slice(((0, 1),), 100, 70.0, 70.0, 1.0, 0.5), res), 3)   # 0.70 vs 0.37
    0.238
    """
    n1 = s.support
    n2 = res.n - n1
    if n1 <= 0 or n2 <= 0:
        return -math.inf
    m1 = s.errors / n1
    m2 = (res.total_error - s.errors) / n2
    v1 = max(s.sq_errors / n1 - m1 * m1, 0.0)
    v2 = max((res.total_sq_error - s.sq_errors) / n2 - m2 * m2, 0.0)
    return (m1 - m2) - z * math.sqrt(v1 / n1 + v2 / n2)


def drop_chance_refinements(slices: list, binary: bool, level: float = 0.05) -> list:
    """Leave out a slice when a less specific candidate (a subset of its predicates) contains it and
    the slice is not significantly worse than the rest of that candidate's rows (two-proportion or
    Welch test at ``level``; or when it has the very same rows). A search over thousands of slices
    always finds 50-row pieces of a bad slice that are worse by chance; a person calls the bad slice
    itself the worst one.

    Examples
    --------
    >>> from datacheck.stats.sliceline import Slice
    >>> bad = Slice(((0, "a"),), 200, 110.0, 110.0, 1.0, 1.0)         # error 0.55
    >>> piece = Slice(((0, "a"), (1, "x")), 50, 33.0, 33.0, 1.0, 1.2)  # 0.66, vs 0.51 in the rest of 'a'
    >>> [s.predicates for s in drop_chance_refinements([piece, bad], binary=True)]
    [((0, 'a'),)]
    """
    from datacheck.stats import proportion_test
    from datacheck.stats.slices import welch_from_sums

    out = []
    for s in slices:
        ps = set(s.predicates)
        redundant = False
        for t in slices:
            if t is s or not set(t.predicates) < ps:
                continue
            n2 = t.support - s.support
            if n2 <= 0:
                redundant = True
                break
            e2, q2 = t.errors - s.errors, t.sq_errors - s.sq_errors
            if s.errors / s.support <= e2 / n2:
                redundant = True
                break
            if binary:
                p, _ = proportion_test(int(round(s.errors)), s.support, int(round(e2)), n2)
            else:
                p = welch_from_sums(s.support, s.errors, s.sq_errors, n2, e2, q2)
            if not (p < level):
                redundant = True
                break
        if not redundant:
            out.append(s)
    return out


def _row_count():
    from datacheck.kernels.counts import RowCount

    return RowCount()
