"""``slices``: model metrics per slice (a column's values, numeric bins, or crosses of columns),
each against the rest of the data, with intervals, tests and Benjamini--Hochberg across slices.

For every entry of ``by`` (a column, or a list of columns for their cross) and every metric, each
slice reports its support, the metric with an interval, the metric on its complement (all other
rows), the gap (how much worse the slice is: ``complement - slice`` for metrics where higher is
better, ``slice - complement`` for losses) and the p-value of slice vs complement. The p-values of
all tested slices of the check (every ``by`` entry and metric) are adjusted together with
Benjamini--Hochberg. **A slice fails only when its gap exceeds ``max_gap`` and its q-value is
below ``alpha``**; slices with fewer than ``min_support`` rows are reported but not tested.

Everything is computed from mergeable per-slice state, so streamed Parquet gives the same numbers
as the same data in memory:

* accuracy, error rate, balanced accuracy, precision, recall, F1: per-slice confusion counts
  (``GroupCounts`` over the slice keys, the label and the prediction);
* log loss and Brier score (binary; one score column = probability of the positive label), MAE and
  RMSE: per-slice count, sum and sum of squares of the per-row loss (``GroupSums``);
* ROC AUC: per-slice histograms of the score by class on ``auc_bins`` equal-width bins; each slice
  states its binning error bound (``auc_bin_error``: the AUC of the raw scores is within it).

Intervals and tests are described in :mod:`datacheck.stats.slices` and named in each result's
``method``.

Examples
--------
>>> import numpy as np, pandas as pd, datacheck
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame({"g": rng.choice(["a", "b"], 4000), "y": rng.integers(0, 2, 4000)})
>>> df["p"] = np.where((df.g == "b") & (rng.random(4000) < 0.3), 1 - df.y, df.y)
>>> suite = {"name": "s", "dataset": {"label": "y", "prediction": "p"},
...          "checks": [{"slices": {"by": ["g"], "metrics": ["accuracy"]}}]}
>>> r = datacheck.run(df, suite).results[0]
>>> r.status, r.observed["worst_slice"]
('fail', 'g = b')
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from datacheck.checks._util import num
from datacheck.checks.base import Check, register
from datacheck.context import Context, MetricUnavailable
from datacheck.kernels.groups import Bin, Col, GroupCounts
from datacheck.kernels.moments import Moments
from datacheck.kernels.slice_sums import AbsDiff, Brier, GroupSums, LogLoss, SqDiff
from datacheck.params import Param
from datacheck.roles import (
    bins_param,
    crosses,
    key_needs,
    label_counts_kernel,
    make_key,
    positive_label,
    positive_label_of,
    predicate,
    require_columns,
    support_threshold,
    validate_bins,
    value_label,
)
from datacheck.stats import benjamini_hochberg
from datacheck.stats.slices import (
    ALL_METRICS,
    COUNT_METRICS,
    HIGHER_IS_BETTER,
    REGRESSION_METRICS,
    auc_from_histograms,
    auc_interval_and_test,
    count_interval_and_test,
    count_metric,
    mean_interval,
    rmse_interval,
    welch_from_sums,
)

__all__ = ["SlicesCheck"]

_SUM_METRICS = ("log_loss", "brier")


#: most classes a classification metric is computed over (more is a regression target read as classes)
MAX_CLASSES = 100


def _sort_key(v: Any):
    return (v is None, type(v).__name__, v if isinstance(v, (int, float, str, bool)) else str(v))


@register("slices")
class SlicesCheck(Check):
    family = "slices"
    per_column = False
    default_columns = None
    params = {
        "by": Param(
            "columns",
            default=None,
            doc="columns to slice by; a list inside the list is a cross (default: dataset.protected)",
        ),
        "metrics": Param(
            "strings", default=None, doc="metrics per slice (default: accuracy for classification, mae for regression)"
        ),
        "min_support": Param(
            "number", default=30, low=0, doc="smallest slice tested: a row count, or a fraction of rows when below 1"
        ),
        "max_gap": Param(
            "number",
            default=None,
            low=0,
            nullable=True,
            doc="largest tolerated gap (slice worse than the rest), in the metric's units (default: "
            "0.05 for classification metrics; for regression max_relative_gap x the target's SD)",
        ),
        "max_relative_gap": Param(
            "number",
            default=0.1,
            low=0,
            low_open=True,
            doc="regression metrics without max_gap: the largest tolerated gap as a fraction "
            "of the target's standard deviation",
        ),
        "alpha": Param(
            "number",
            default=0.05,
            low=0,
            high=1,
            low_open=True,
            high_open=True,
            doc="false discovery rate (Benjamini-Hochberg across all slices of the check)",
        ),
        "bins": bins_param("numeric columns"),
        "confidence": Param(
            "number", default=0.95, low=0, high=1, low_open=True, high_open=True, doc="interval confidence level"
        ),
        "auc_bins": Param("integer", default=1000, low=10, high=100_000, doc="score bins for ROC AUC"),
        "bootstrap": Param("integer", default=1000, low=100, high=100_000, doc="bootstrap resamples"),
        "seed": Param("integer", default=0, low=0, doc="seed of the bootstrap"),
        "max_slices": Param(
            "integer", default=200, low=1, high=10_000, doc="slices kept in each result's details (worst first)"
        ),
    }

    @classmethod
    def validate_params(cls, params):
        out = []
        by = params.get("by")
        if isinstance(by, str):
            if by in ("*", "numeric", "categorical", "string", "boolean", "datetime"):
                out.append(("by", f"must name columns (a list; a list inside it is a cross); got {by!r}"))
        metrics = params.get("metrics") or ()
        for m in metrics:
            if m not in ALL_METRICS:
                out.append(("metrics", f"unknown metric {m!r}; expected some of {', '.join(ALL_METRICS)}"))
        if any(m in REGRESSION_METRICS for m in metrics) and any(m not in REGRESSION_METRICS for m in metrics):
            out.append(("metrics", "regression metrics (mae, rmse) cannot be mixed with classification metrics"))
        msg = validate_bins(params.get("bins"))
        if msg:
            out.append(("bins", msg))
        return out

    # -- configuration ------------------------------------------------------------------------
    def groups(self, ctx: Context) -> list[tuple[str, ...]]:
        by = self.p["by"]
        if by is None:
            if not ctx.roles.protected:
                raise MetricUnavailable("slices needs 'by' (columns to slice by) or dataset.protected")
            by = ctx.roles.protected
        out = crosses(by)
        require_columns([c for g in out for c in g], ctx, f"{self.spec.path}.by")
        return out

    def task(self, ctx: Context) -> str:
        if ctx.roles.task:
            return ctx.roles.task
        metrics = self.p["metrics"] or ()
        if metrics:
            return "regression" if metrics[0] in REGRESSION_METRICS else "classification"
        lab = ctx.roles.label
        return (
            "regression" if lab and ctx.columns.get(lab) and ctx.columns[lab].logical == "float" else "classification"
        )

    def metrics(self, ctx: Context) -> tuple[str, ...]:
        m = self.p["metrics"]
        task = self.task(ctx)
        if not m:
            return ("mae",) if task == "regression" else ("accuracy",)
        bad = [x for x in m if (x in REGRESSION_METRICS) != (task == "regression")]
        if bad:
            raise MetricUnavailable(f"metric(s) {', '.join(bad)} do not apply to dataset.task {task!r}")
        return tuple(m)

    def roles(self, ctx: Context) -> dict[str, Any]:
        r = ctx.roles
        metrics = self.metrics(ctx)
        if not r.label:
            raise MetricUnavailable("slices needs dataset.label (the true label or target column)")
        need_pred = any(m in COUNT_METRICS or m in REGRESSION_METRICS for m in metrics)
        if need_pred and not r.prediction:
            raise MetricUnavailable(
                f"metric(s) {', '.join(m for m in metrics if m in COUNT_METRICS + REGRESSION_METRICS)} "
                "need dataset.prediction (the model's predicted label or value)"
            )
        score = None
        if any(m in ("roc_auc",) + _SUM_METRICS for m in metrics):
            if len(r.scores) != 1:
                raise MetricUnavailable(
                    "roc_auc, log_loss and brier need exactly one dataset.scores column: the "
                    f"predicted probability of the positive label (binary tasks); got {list(r.scores)}"
                )
            score = r.scores[0]
        cols = [c for c in (r.label, r.prediction if need_pred else None, score) if c]
        require_columns(cols, ctx, "dataset")
        if score and ctx.columns[score].logical not in ("float", "integer"):
            raise MetricUnavailable(
                f"dataset.scores column {score!r} must be numeric; it is {ctx.columns[score].logical}"
            )
        if self.task(ctx) == "regression":  # regression metrics all need the prediction: both roles are set
            for c in (r.label, r.prediction):
                if c is not None and ctx.columns[c].logical not in ("float", "integer"):
                    raise MetricUnavailable(
                        f"mae/rmse need numeric label and prediction; {c!r} is {ctx.columns[c].logical}"
                    )
        return {"label": r.label, "pred": r.prediction if need_pred else None, "score": score, "metrics": metrics}

    def _positive_for_scores(self, ctx: Context, label: str) -> Any:
        pos, _ = positive_label_of(ctx, label)
        if pos is None:
            raise MetricUnavailable(
                "roc_auc, log_loss and brier are for binary labels; the label has more than two values"
            )
        return pos

    def _auc_edges(self, ctx: Context, score: str) -> tuple[float, ...]:
        m = ctx.current[Moments(score)]
        lo, hi = (0.0, 1.0) if (m["min"] >= 0 and m["max"] <= 1) else (m["min"], m["max"])
        if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
            lo, hi = (lo, lo + 1.0) if math.isfinite(lo) else (0.0, 1.0)
        return tuple(float(x) for x in np.linspace(lo, hi, self.p["auc_bins"] + 1))

    # -- planning -----------------------------------------------------------------------------
    def kernels(self, ctx: Context) -> dict[tuple, dict[str, Any]]:
        """(group) -> {"keys": ..., kernel name -> kernel}; needs the first-pass metrics."""
        roles = self.roles(ctx)
        out = {}
        metrics = roles["metrics"]
        for g in self.groups(ctx):
            keys = tuple(make_key(c, self.p["bins"], ctx) for c in g)
            ks: dict[str, Any] = {"keys": keys}
            if any(m in COUNT_METRICS for m in metrics):
                ks["counts"] = GroupCounts(keys + (Col(roles["label"]), Col(roles["pred"])))
            if any(m in _SUM_METRICS for m in metrics):
                pos = self._positive_for_scores(ctx, roles["label"])
                ks["scores"] = GroupSums(
                    keys, (LogLoss(roles["label"], roles["score"], pos), Brier(roles["label"], roles["score"], pos))
                )
            if "roc_auc" in metrics:
                ks["auc"] = GroupCounts(
                    keys + (Col(roles["label"]), Bin(roles["score"], self._auc_edges(ctx, roles["score"])))
                )
            if any(m in REGRESSION_METRICS for m in metrics):
                ks["errors"] = GroupSums(
                    keys, (AbsDiff(roles["label"], roles["pred"]), SqDiff(roles["label"], roles["pred"]))
                )
            out[g] = ks
        return out

    def gap_rule(self, ctx: Context) -> tuple[float, str]:
        """(max_gap, how it was set): given, 0.05 for classification, or relative to the target's spread."""
        if self.p["max_gap"] is not None:
            return float(self.p["max_gap"]), "max_gap"
        if self.task(ctx) != "regression":
            return 0.05, "default for classification metrics"
        label = self.roles(ctx)["label"]
        m = ctx.current[Moments(label)]
        sd = float(m["std"]) if m["n"] and math.isfinite(m["std"]) else math.nan
        if not math.isfinite(sd) or sd == 0:
            raise MetricUnavailable(f"the target {label!r} has no spread to scale max_gap by; set slices.max_gap")
        rel = self.p["max_relative_gap"]
        return rel * sd, f"{num(rel)} x SD of the target {label!r} ({num(sd)})"

    def requires(self, column, ctx):
        roles = self.roles(ctx)
        groups = self.groups(ctx)
        need = key_needs(dict.fromkeys(c for g in groups for c in g), self.p["bins"], ctx)
        if self.p["max_gap"] is None and self.task(ctx) == "regression":
            need.append(Moments(roles["label"]))
        metrics = roles["metrics"]
        if any(m in ("roc_auc",) + _SUM_METRICS for m in metrics):
            need.append(label_counts_kernel(roles["label"]))
        if "roc_auc" in metrics:
            need.append(Moments(roles["score"]))
        need = [k for k in need if k not in ctx.current]
        if need:
            return need
        return [k for ks in self.kernels(ctx).values() for name, k in ks.items() if name != "keys"]

    # -- judging ------------------------------------------------------------------------------
    def _count_records(self, ks, roles, metric, ctx, rng) -> tuple[list[dict], dict, str]:
        table = ctx.current[ks["counts"]]
        ng = len(ks["keys"])
        ylab: dict[Any, int] = {}
        classes_y, classes_p = set(), set()
        for key, c in table.items():
            y, p = key[ng], key[ng + 1]
            if y is not None:
                classes_y.add(y)
                ylab[y] = ylab.get(y, 0) + (c if p is not None else 0)
            if p is not None:
                classes_p.add(p)
        if classes_y and classes_p and not (classes_y & classes_p):
            raise MetricUnavailable(
                f"prediction values never equal label values (label {sorted(classes_y, key=_sort_key)[:5]}, "
                f"prediction {sorted(classes_p, key=_sort_key)[:5]}): are they coded the same way?"
            )
        if len(classes_y | classes_p) > MAX_CLASSES:
            # a regression target read as classes: K x K confusion matrices and a bootstrap per class
            # would take minutes and gigabytes on a small frame
            raise MetricUnavailable(
                f"label {ctx.roles.label!r} and prediction hold {len(classes_y | classes_p):,} distinct values; "
                f"classification metrics such as {metric} allow at most {MAX_CLASSES} classes. If the label is a "
                "number to predict, set dataset.task: regression and use mae or rmse"
            )
        classes = sorted(classes_y | classes_p, key=_sort_key)
        idx = {v: i for i, v in enumerate(classes)}
        pos_value, pos_how = (
            positive_label(ylab, ctx.roles.positive_label) if len(classes) <= 2 else (None, "macro average")
        )
        if len(classes) <= 2 and pos_value is not None and pos_value not in idx:
            pos_value = None
        pos = idx.get(pos_value) if pos_value is not None else None
        K = len(classes)
        per: dict[tuple, np.ndarray] = {}
        for key, c in table.items():
            y, p = key[ng], key[ng + 1]
            if y is None or p is None:
                continue
            m = per.setdefault(key[:ng], np.zeros((K, K), dtype=np.int64))
            m[idx[y], idx[p]] += c
        total = sum(per.values(), np.zeros((K, K), dtype=np.int64))
        records = []
        method = ""
        for key, C in per.items():
            Cc = total - C
            v = count_metric(metric, C, pos)
            vc = count_metric(metric, Cc, pos)
            ci, p, method = count_interval_and_test(
                metric, C, Cc, pos, confidence=self.p["confidence"], B=self.p["bootstrap"], rng=rng
            )
            records.append(
                {
                    "key": key,
                    "support": int(C.sum()),
                    "value": v,
                    "ci": ci,
                    "complement": vc,
                    "complement_support": int(Cc.sum()),
                    "p": p,
                }
            )
        overall = count_metric(metric, total, pos)
        info = {"overall": overall, "classes": [str(c) for c in classes][:50]}
        if metric in ("precision", "recall", "f1"):
            info["positive_label"] = pos_value if pos is not None else None
            method += "; " + (
                f"positive label {pos_value!r} ({pos_how})" if pos is not None else "macro average over classes"
            )
        return records, info, method

    def _sum_records(self, ks, name, j, metric, ctx) -> tuple[list[dict], dict, str]:
        table = ctx.current[ks[name]]
        rows = {key: v["stats"][j] for key, v in table.items()}
        tot = sum(rows.values()) if rows else np.zeros(4)
        conf = self.p["confidence"]
        records = []
        for key, s in rows.items():
            c = tot - s
            if metric == "rmse":
                v = math.sqrt(s[1] / s[0]) if s[0] else math.nan
                vc = math.sqrt(c[1] / c[0]) if c[0] else math.nan
                ci = rmse_interval(s[0], s[1], s[2], conf)
            else:
                v = s[1] / s[0] if s[0] else math.nan
                vc = c[1] / c[0] if c[0] else math.nan
                ci = mean_interval(s[0], s[1], s[2], conf)
            p = welch_from_sums(s[0], s[1], s[2], c[0], c[1], c[2])
            records.append(
                {
                    "key": key,
                    "support": int(s[0]),
                    "value": v,
                    "ci": ci,
                    "complement": vc,
                    "complement_support": int(c[0]),
                    "p": p,
                }
            )
        overall = (math.sqrt(tot[1] / tot[0]) if metric == "rmse" else tot[1] / tot[0]) if tot[0] else math.nan
        what = "squared errors (MSE)" if metric == "rmse" else "per-row losses"
        ivl = "square roots of the t interval of the MSE" if metric == "rmse" else "t interval of the mean"
        method = f"per-slice sums (GroupSums); {ivl}; Welch t test of {what} vs complement, from the sums"
        return records, {"overall": overall}, method

    def _auc_records(self, ks, roles, ctx) -> tuple[list[dict], dict, str]:
        table = ctx.current[ks["auc"]]
        ng = len(ks["keys"])
        pos_value = self._positive_for_scores(ctx, roles["label"])
        nb = self.p["auc_bins"] + 2
        hist: dict[tuple, np.ndarray] = {}
        for key, c in table.items():
            y, b = key[ng], key[ng + 1]
            if y is None or b is None:
                continue
            h = hist.setdefault(key[:ng], np.zeros((2, nb)))
            is_pos = (y == pos_value) or str(y) == str(pos_value)
            h[0 if is_pos else 1, int(b) + 1] += c
        tot = sum(hist.values(), np.zeros((2, nb)))
        records = []
        conf = self.p["confidence"]
        for key, h in hist.items():
            c = tot - h
            a, err = auc_from_histograms(h[0], h[1])
            ac, _ = auc_from_histograms(c[0], c[1])
            ci, p = auc_interval_and_test(a, h[0].sum(), h[1].sum(), ac, c[0].sum(), c[1].sum(), conf)
            records.append(
                {
                    "key": key,
                    "support": int(h.sum()),
                    "value": a,
                    "ci": ci,
                    "complement": ac,
                    "complement_support": int(c.sum()),
                    "p": p,
                    "auc_bin_error": err,
                }
            )
        overall, overall_err = auc_from_histograms(tot[0], tot[1])
        method = (
            f"per-slice score histograms ({self.p['auc_bins']} equal-width bins; same-bin pairs count as ties, "
            f"so each AUC is within its auc_bin_error of the exact AUC; overall bound {num(overall_err)}); "
            f"Hanley-McNeil normal interval; z test vs complement; positive label {pos_value!r}"
        )
        return records, {"overall": overall, "auc_bin_error": overall_err}, method

    def evaluate(self, column, ctx):
        roles = self.roles(ctx)
        kern = self.kernels(ctx)
        n_rows = ctx.current.found.get(_row_count_kernel(), 0)
        threshold = support_threshold(self.p["min_support"], n_rows)
        max_gap, rule = self.gap_rule(ctx)
        self._gap = (max_gap, rule)
        alpha = self.p["alpha"]
        blocks = []  # (group, metric, records, info, method)
        for gi, (g, ks) in enumerate(kern.items()):
            for mi, metric in enumerate(roles["metrics"]):
                if metric in COUNT_METRICS:
                    rng = np.random.default_rng([self.p["seed"], gi, mi])
                    recs, info, method = self._count_records(ks, roles, metric, ctx, rng)
                elif metric in _SUM_METRICS:
                    recs, info, method = self._sum_records(ks, "scores", _SUM_METRICS.index(metric), metric, ctx)
                elif metric == "roc_auc":
                    recs, info, method = self._auc_records(ks, roles, ctx)
                else:
                    recs, info, method = self._sum_records(ks, "errors", REGRESSION_METRICS.index(metric), metric, ctx)
                higher = metric in HIGHER_IS_BETTER
                for r in recs:
                    r["gap"] = (r["complement"] - r["value"]) if higher else (r["value"] - r["complement"])
                    r["slice"] = " & ".join(predicate(c, k, v) for c, k, v in zip(g, ks["keys"], r["key"]))
                    r["values"] = [value_label(k, v) for k, v in zip(ks["keys"], r["key"])]
                    if r["support"] < threshold:
                        r["status"] = "small"
                    elif any(math.isnan(x) for x in (r["value"], r["complement"], r["p"])):
                        r["status"] = "undefined"
                    else:
                        r["status"] = "tested"
                blocks.append((g, metric, recs, info, method))
        tested = [r for _, _, recs, _, _ in blocks for r in recs if r["status"] == "tested"]
        qs = benjamini_hochberg([r["p"] for r in tested])
        for r, q in zip(tested, qs):
            r["q"] = float(q)
            r["status"] = "fail" if (r["gap"] > max_gap and q < alpha) else "pass"
        results = []
        for g, metric, recs, info, method in blocks:
            results.append(self._result(g, metric, recs, info, method, threshold, len(tested)))
        return results

    def _result(self, g, metric, recs, info, method, threshold, n_tested):
        column = g[0] if len(g) == 1 else tuple(g)
        order = sorted(recs, key=lambda r: (-(r["gap"] if not math.isnan(r["gap"]) else -math.inf), r["slice"]))
        failing = [r for r in order if r["status"] == "fail"]
        testable = [r for r in order if r["status"] in ("fail", "pass")]
        worst = failing[0] if failing else (testable[0] if testable else None)
        kept = order[: self.p["max_slices"]]
        slices = [
            {
                "slice": r["slice"],
                "columns": list(g),
                "values": r["values"],
                "support": r["support"],
                "value": r["value"],
                "ci": list(r["ci"]),
                "complement": r["complement"],
                "complement_support": r["complement_support"],
                "gap": r["gap"],
                "p": r["p"],
                "q": r.get("q"),
                "status": r["status"],
                **({"auc_bin_error": r["auc_bin_error"]} if "auc_bin_error" in r else {}),
            }
            for r in kept
        ]
        details = {
            "metric": metric,
            "columns": list(g),
            "higher_is_better": metric in HIGHER_IS_BETTER,
            "min_support": threshold,
            "slices": slices,
            "n_slices": len(recs),
            "truncated": max(0, len(recs) - len(kept)),
            **info,
        }
        max_gap, rule = self._gap
        expected = {"max_gap": max_gap, "max_gap_rule": rule, "alpha": self.p["alpha"], "min_support": threshold}
        method = f"{method}; Benjamini-Hochberg across {n_tested} tested slice(s) of this check"
        label = " x ".join(g)
        if worst is None:
            return self.result(
                column,
                True,
                observed={"metric": metric, "overall": info["overall"], "worst_slice": None},
                expected=expected,
                details=details,
                method=method,
                message=f"{metric} by {label}: no slice with at least {threshold} rows to test",
            )
        ok = not failing
        observed = {
            "metric": metric,
            "overall": info["overall"],
            "worst_slice": worst["slice"],
            "value": worst["value"],
            "complement": worst["complement"],
            "gap": worst["gap"],
            "q": worst.get("q"),
            "support": worst["support"],
            "failing_slices": len(failing),
        }
        msg = (
            f"{metric} by {label}: {'worst' if ok else 'failing'} slice {worst['slice']} {num(worst['value'])} vs "
            f"{num(worst['complement'])} on the rest (gap {num(worst['gap'])}, q={num(worst.get('q'))}, "
            f"n={worst['support']:,})"
        )
        if not ok:
            msg += f"; {len(failing)} slice(s) worse by more than {num(max_gap)} ({rule}) and significant"
        return self.result(
            column,
            ok,
            observed=observed,
            expected=expected,
            message=msg,
            method=method,
            details=details,
            effect_size=worst["gap"],
            interval=tuple(worst["ci"]),
            p_value=worst.get("q"),
        )


def _row_count_kernel():
    from datacheck.kernels.counts import RowCount

    return RowCount()
