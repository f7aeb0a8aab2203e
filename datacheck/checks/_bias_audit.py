"""The audit of the ``bias`` check: group counts -> rows (rate, interval, test against the
reference group) -> Benjamini-Hochberg -> verdicts -> results. :mod:`datacheck.checks.bias` holds
the configuration and planning (which groups, which kernels); :mod:`datacheck.checks._bias_regression`
the regression metrics; the statistics are in :mod:`datacheck.stats`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats as _st

from datacheck.checks import _bias_regression as _reg
from datacheck.checks._util import num
from datacheck.checks.base import Check
from datacheck.context import MetricUnavailable
from datacheck.roles import positive_label, value_label
from datacheck.stats import (
    auc_estimate,
    auc_interval,
    auc_test,
    auc_variance_floor,
    benjamini_hochberg,
    clopper_pearson_interval,
    proportion_test,
    tolerance_test,
    wilson_interval,
)

#: every metric the check knows, in report order
METRICS = ("representation", "base_rate", "missingness", "selection_rate", "tpr", "fpr", "fnr", "ppv", "auc")
_NEEDS_LABEL = {"base_rate", "tpr", "fpr", "fnr", "ppv", "auc"}
_NEEDS_PRED = {"selection_rate", "tpr", "fpr", "fnr", "ppv"}
_LOWER_IS_BETTER = {"fpr", "fnr", "missingness", "mae"}
MISSING_LABEL = "(missing)"
OVERALL = "(overall)"

#: metrics whose higher value is better for the group (True) or worse (False); others are neutral
_HIGHER_IS_BETTER = {"auc": True, "tpr": True, "ppv": True, "selection_rate": True, "fpr": False, "fnr": False}

_METRIC_NAMES = {
    "representation": "share of rows",
    "base_rate": "label base rate",
    "missingness": "missing rate",
    "selection_rate": "selection rate",
    "tpr": "true positive rate",
    "fpr": "false positive rate",
    "fnr": "false negative rate",
    "ppv": "precision (PPV)",
    "auc": "ROC AUC",
    "representation_shift": "share of rows vs the reference data",
}


def _nan_to_none(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


#: the check's configuration resolved against the data and the roles (made by BiasCheck._config)
@dataclass
class _Config:
    attributes: list[str]
    dims: list[tuple[int, ...]]
    label: str | None
    prediction: str | None
    score: str | None
    metrics: list[str]
    unavailable: dict[str, str] = field(default_factory=dict)
    miss_cols: list[str] = field(default_factory=list)
    problem: str | None = None
    regression: list[str] = field(default_factory=list)  # dataset.task: regression (see _bias_regression)


class _Audit:
    def __init__(self, check: Check, cfg: _Config, keys: list, how: dict, ctx) -> None:
        self.check, self.cfg, self.keys, self.how = check, cfg, keys, how
        self.p = check.p
        self.rows: list[dict] = []  # every group x metric x column row
        self.blocks: list[dict] = []  # one per result: (dim, metric) with its rows
        self.summaries: list[tuple] = []
        self.pos = None
        self.notes: list[str] = []
        self.errors: list[Any] = []

    # labels --------------------------------------------------------------------------------
    def value_label(self, i: int, v: Any) -> str:
        return value_label(self.keys[i], v, missing=MISSING_LABEL)

    def dim_name(self, dim: tuple[int, ...]) -> str:
        return " x ".join(self.cfg.attributes[i] for i in dim)

    def dim_column(self, dim: tuple[int, ...]) -> Any:
        names = tuple(self.cfg.attributes[i] for i in dim)
        return names[0] if len(names) == 1 else names

    def group_label(self, dim, gkey) -> str:
        return " & ".join(f"{self.cfg.attributes[i]}={self.value_label(i, v)}" for i, v in zip(dim, gkey))

    @staticmethod
    def _sort_key(gkey):
        return tuple((v is None, v if v is not None else 0) for v in gkey)

    # positive label ------------------------------------------------------------------------
    def infer_positive(self, label_counts: dict, pred_counts: dict) -> tuple[Any, str]:
        """The rule of :func:`datacheck.roles.positive_label` on the label's values (the
        prediction's when there is no label); ``bias.positive_label`` overrides the dataset's."""
        given = self.p["positive_label"]
        if given is None:
            given = self.check_roles_positive
        pos, how = positive_label(label_counts or pred_counts, given)
        if pos is None:
            raise MetricUnavailable(
                f"cannot infer the positive label ({how}: {sorted(map(str, label_counts or pred_counts))[:6]}); "
                "set dataset.positive_label or bias.positive_label"
            )
        return pos, ("given" if how == "dataset.positive_label" else how)

    def is_pos(self, v) -> bool:
        if v is None:
            return False
        pos = self.pos
        return v == pos or str(v) == str(pos)

    # ---------------------------------------------------------------------------------------
    def run(self, cube: dict, ks: dict, ctx) -> None:
        cfg = self.cfg
        self.check_roles_positive = ctx.roles.positive_label
        li, pi = ks["li"], ks["pi"]
        label_counts: dict = {}
        pred_counts: dict = {}
        for k, c in cube.items():
            if li is not None and k[li] is not None:
                label_counts[k[li]] = label_counts.get(k[li], 0) + c
            if pi is not None and k[pi] is not None:
                pred_counts[k[pi]] = pred_counts.get(k[pi], 0) + c
        needs_pos = any(m in _NEEDS_LABEL or m in _NEEDS_PRED for m in cfg.metrics)
        self.pos_how = None
        if needs_pos:
            self.pos, self.pos_how = self.infer_positive(label_counts, pred_counts)
        self.total = sum(cube.values())
        # per-dimension group statistics from the one cube
        dim_stats: dict[tuple, dict] = {}
        for dim in cfg.dims:
            groups: dict[tuple, dict] = {}
            for key, c in cube.items():
                g = tuple(key[i] for i in dim)
                s = groups.setdefault(
                    g, dict.fromkeys(("rows", "lab_n", "lab_pos", "pred_n", "pred_pos", "tp", "fp", "fn", "tn"), 0)
                )
                s["rows"] += c
                y = key[li] if li is not None else None
                yh = key[pi] if pi is not None else None
                if y is not None:
                    s["lab_n"] += c
                    s["lab_pos"] += c if self.is_pos(y) else 0
                if yh is not None:
                    s["pred_n"] += c
                    s["pred_pos"] += c if self.is_pos(yh) else 0
                if y is not None and yh is not None:
                    yp, hp = self.is_pos(y), self.is_pos(yh)
                    s["tp" if yp and hp else "fn" if yp else "fp" if hp else "tn"] += c
            dim_stats[dim] = groups
        self.dim_stats = dim_stats

        for dim in cfg.dims:
            groups = dim_stats[dim]
            for m in cfg.metrics:
                if m == "representation":
                    self.representation(dim, groups)
                    if ctx.has_reference and ks["ref"] is not None:
                        self.representation_shift(dim, groups, ks["ref"], ctx)
                elif m == "missingness":
                    self.missingness(dim, ks["missing"], ctx)
                elif m == "auc":
                    self.auc(dim, ctx.current[ks["auc"]])
                else:
                    counts = {g: _rate_counts(m, s) for g, s in groups.items()}
                    self.compare_block(dim, m, None, counts, {g: s["rows"] for g, s in groups.items()})
        if cfg.regression:  # target and error means by group: one BH with the rates above
            _reg.add_blocks(self, ks, ctx)
        self.finish()

    # blocks of rows ------------------------------------------------------------------------
    def _interval(self, k: int, n: int) -> tuple[float, float]:
        f = wilson_interval if self.p["interval"] == "wilson" else clopper_pearson_interval
        return f(k, n, self.p["confidence"])

    def choose_reference(self, dim, metric, values: dict, sizes: dict, eligible: set) -> tuple[Any, str | None]:
        """(reference group key or OVERALL, problem)."""
        ref = self.p["reference"]
        if ref == "overall":
            return OVERALL, None
        if isinstance(ref, Mapping):
            attrs = [self.cfg.attributes[i] for i in dim]
            if all(a in ref for a in attrs):
                want = tuple(str(ref[a]) for a in attrs)
                match = [g for g in sizes if tuple(self.value_label(i, v) for i, v in zip(dim, g)) == want]
                label = " & ".join(f"{a}={w}" for a, w in zip(attrs, want))
                if not match:
                    return None, f"reference group {label} is not in the data"
                if match[0] not in eligible:
                    return None, f"reference group {label} has too few rows for this rate (insufficient data)"
                return match[0], None
            ref = "largest"
        if not eligible:
            return None, "no group has enough data (insufficient data)"
        if ref == "largest":
            return max(sorted(eligible, key=self._sort_key), key=lambda g: sizes[g]), None
        lower = metric in _LOWER_IS_BETTER
        return (min if lower else max)(sorted(eligible, key=self._sort_key), key=lambda g: values[g]), None

    def compare_block(self, dim, metric, column, counts: dict, sizes: dict) -> None:
        """Rates from (k, n) per group, compared with the reference group (or overall vs rest)."""
        mgs = self.p["min_group_size"]
        values = {g: (k / n if n else math.nan) for g, (k, n) in counts.items()}
        eligible = {g for g, (k, n) in counts.items() if n >= max(mgs, 1)}
        ref, problem = self.choose_reference(dim, metric, values, sizes, eligible)
        K = sum(k for k, _ in counts.values())
        N = sum(n for _, n in counts.values())
        if ref == OVERALL:
            ref_value, ref_label = (K / N if N else math.nan), OVERALL
            ref_n = N
        elif ref is not None:
            ref_value, ref_label, ref_n = values[ref], self.group_label(dim, ref), counts[ref][1]
        else:
            ref_value, ref_label, ref_n = math.nan, None, None
        rows = []
        for g in sorted(counts, key=self._sort_key):
            k, n = counts[g]
            lo, hi = self._interval(k, n)
            row = self.new_row(dim, g, metric, column, values[g], lo, hi, k, n, sizes[g], ref_label, ref_value)
            if n < max(mgs, 1):
                row["status"] = "skipped"
                row["message"] = f"insufficient data (n={n} < min_group_size {mgs})"
            elif ref is None:
                row["status"] = "skipped"
                row["message"] = problem
            elif g == ref:
                row["is_reference"] = True
                row["message"] = "reference group"
            else:
                if ref == OVERALL:
                    rk, rn = K - k, N - n  # the rest of the rows: an independent sample
                else:
                    rk, rn = counts[ref]
                if rn <= 0:
                    row["status"] = "skipped"
                    row["message"] = "no other rows to compare with"
                else:
                    row["p"], row["test"] = self.rate_test(k, n, rk, rn)
                    self.disparity(row, values[g], ref_value)
            rows.append(row)
        self.blocks.append(
            {
                "dim": dim,
                "metric": metric,
                "column": column,
                "rows": rows,
                "reference_group": ref_label,
                "reference_value": ref_value,
                "reference_n": ref_n,
                "problem": problem,
            }
        )

    def new_row(self, dim, g, metric, column, value, lo, hi, k, n, size, ref_label, ref_value) -> dict:
        row = {
            "dimension": self.dim_name(dim),
            "group": self.group_label(dim, g),
            "key": {self.cfg.attributes[i]: self.value_label(i, v) for i, v in zip(dim, g)},
            "metric": metric,
            "column": column,
            "value": value,
            "ci_low": lo,
            "ci_high": hi,
            "k": k,
            "n": n,
            "size": size,
            "reference_group": ref_label,
            "reference_value": ref_value,
            "ratio": math.nan,
            "disparity_ratio": math.nan,
            "difference": math.nan,
            "direction": None,
            "advantaged": None,
            "p": math.nan,
            "q": math.nan,
            "test": None,
            "beyond": False,
            "is_reference": False,
            "status": "pass",
            "message": "",
        }
        self.rows.append(row)
        return row

    def rate_test(self, k: int, n: int, rk: int, rn: int) -> tuple[float, str]:
        """Test a group's rate against the reference's: beyond the tolerance (default) or any gap."""
        tol_r, tol_d = self.p["max_disparity_ratio"], self.p["max_disparity_difference"]
        if self.p["significance"] == "tolerance" and (tol_r is not None or tol_d is not None):
            return tolerance_test(k, n, rk, rn, min_ratio=tol_r, max_difference=tol_d)
        return proportion_test(k, n, rk, rn)

    def disparity(self, row: dict, v: float, r: float) -> None:
        if not (math.isfinite(v) and math.isfinite(r)):
            return
        row["difference"] = v - r
        row["direction"] = "higher" if v > r else ("lower" if v < r else "equal")
        metric = row.get("metric")
        good = _HIGHER_IS_BETTER.get(metric) if metric is not None else None
        # which side the gap favours: for a metric where higher is better (AUC, TPR, ...) a group above
        # the reference is advantaged -- with reference: largest, flagged groups can be either side
        row["advantaged"] = None if good is None or v == r else ("group" if (v > r) == good else "reference")
        row["ratio"] = v / r if r else (math.inf if v else math.nan)
        if v == r:
            row["disparity_ratio"] = 1.0
        else:
            row["disparity_ratio"] = min(v, r) / max(v, r) if max(v, r) > 0 else math.nan
        tol_r, tol_d = self.p["max_disparity_ratio"], self.p["max_disparity_difference"]
        conds = []
        if tol_r is not None:
            dr = row["disparity_ratio"]
            conds.append(math.isfinite(dr) and dr < tol_r)
        if tol_d is not None:
            conds.append(abs(row["difference"]) > tol_d)
        row["beyond"] = bool(conds) and all(conds)

    # metric families ------------------------------------------------------------------------
    def representation(self, dim, groups: dict) -> None:
        N = self.total
        expected = {}
        if len(dim) == 1:
            expected = {
                str(k): float(v)
                for k, v in ((self.p["expected_shares"] or {}).get(self.cfg.attributes[dim[0]], {}) or {}).items()
            }
        counts = {g: s["rows"] for g, s in groups.items()}
        labels = {self.value_label(dim[0], g[0]): g for g in counts} if len(dim) == 1 else {}
        absent = [lab for lab in expected if lab not in labels]
        rows = []
        keys = sorted(counts, key=self._sort_key)
        for g in keys + [("__absent__", lab) for lab in absent]:
            if g and g[0] == "__absent__":
                lab, k = g[1], 0
                row = self.new_row(
                    dim, (None,), "representation", None, 0.0, *self._interval(0, N), 0, N, 0, "expected", expected[lab]
                )
                row["group"] = f"{self.cfg.attributes[dim[0]]}={lab}"
                row["key"] = {self.cfg.attributes[dim[0]]: lab}
            else:
                k = counts[g]
                lab = self.value_label(dim[0], g[0]) if len(dim) == 1 else None
                row = self.new_row(
                    dim,
                    g,
                    "representation",
                    None,
                    k / N if N else math.nan,
                    *self._interval(k, N),
                    k,
                    N,
                    k,
                    "expected" if lab in expected else None,
                    expected.get(lab, math.nan) if lab is not None else math.nan,
                )
            if N < max(self.p["min_group_size"], 1):
                row["status"], row["message"] = "skipped", f"insufficient data (n={N} < min_group_size)"
            elif lab in expected:
                e = expected[lab]
                row["p"] = float(_st.binomtest(k, N, e).pvalue) if 0 < e < 1 else (0.0 if (k / N) != e else 1.0)
                row["test"] = "exact binomial"
                self.disparity(row, k / N, e)
            else:
                row["message"] = "no expected share given (informational)"
            rows.append(row)
        self.blocks.append(
            {
                "dim": dim,
                "metric": "representation",
                "column": None,
                "rows": rows,
                "reference_group": "expected shares" if expected else None,
                "reference_value": None,
                "problem": None,
                "informational": not expected,
            }
        )

    def representation_shift(self, dim, groups: dict, kernel, ctx) -> None:
        try:
            ref_cube = ctx.reference[kernel]
        except MetricUnavailable as exc:
            r = self.check.error(
                self.dim_column(dim),
                f"representation_shift by {self.dim_name(dim)}: the reference "
                f"data's group counts are unavailable: {exc}",
            )
            r.observed = r.details = {"metric": "representation_shift"}
            self.errors.append(r)
            return
        ref_groups: dict[tuple, int] = {}
        for key, c in ref_cube.items():
            g = tuple(key[i] for i in dim)
            ref_groups[g] = ref_groups.get(g, 0) + c
        Nr = sum(ref_groups.values())
        N = self.total
        rows = []
        for g in sorted(set(groups) | set(ref_groups), key=self._sort_key):
            k = groups.get(g, {}).get("rows", 0)
            kr = ref_groups.get(g, 0)
            rv = kr / Nr if Nr else math.nan
            row = self.new_row(
                dim,
                g,
                "representation_shift",
                None,
                k / N if N else math.nan,
                *self._interval(k, N),
                k,
                N,
                k,
                "reference data",
                rv,
            )
            row["reference_k"], row["reference_n"] = kr, Nr
            if min(N, Nr) < max(self.p["min_group_size"], 1):
                row["status"], row["message"] = "skipped", "insufficient data"
            else:
                row["p"], row["test"] = proportion_test(k, N, kr, Nr)
                self.disparity(row, k / N, rv)
            rows.append(row)
        self.blocks.append(
            {
                "dim": dim,
                "metric": "representation_shift",
                "column": None,
                "rows": rows,
                "reference_group": "reference data",
                "reference_value": None,
                "problem": None,
            }
        )

    def missingness(self, dim, kernels: dict, ctx) -> None:
        start = len(self.blocks)
        complete: list[str] = []
        for col, kern in kernels.items():
            cube = ctx.current[kern]
            tally: dict[tuple, list] = {}
            for key, c in cube.items():
                g = tuple(key[i] for i in dim)
                kn = tally.setdefault(g, [0, 0])
                kn[1] += c
                if key[-1]:
                    kn[0] += c
            counts = {g: (k, n) for g, (k, n) in tally.items()}
            if not any(k for k, _ in counts.values()):
                complete.append(col)  # no missing value in any group: nothing to compare
                continue
            self.compare_block(dim, "missingness", col, counts, {g: n for g, (_, n) in counts.items()})
        # one result per dimension: merge the per-column blocks
        merged = self.blocks[start:]
        del self.blocks[start:]
        if merged or complete:
            self.blocks.append(
                {
                    "dim": dim,
                    "metric": "missingness",
                    "column": None,
                    "complete_columns": complete,
                    "informational": not merged,
                    "rows": [r for b in merged for r in b["rows"]],
                    "reference_group": merged[0]["reference_group"] if merged else None,
                    "reference_value": None,
                    "problem": None,
                    "columns": [b["column"] for b in merged],
                    "per_column_reference": {b["column"]: [b["reference_group"], b["reference_value"]] for b in merged},
                }
            )

    def auc(self, dim, hist_cube: dict) -> None:
        na = len(self.keys)
        hists: dict[tuple, dict] = {}
        for key, c in hist_cube.items():
            y, b = key[na], key[na + 1]
            if y is None or b is None:
                continue
            g = tuple(key[i] for i in dim)
            h = hists.setdefault(g, {})
            pn = h.setdefault(b, [0, 0])
            pn[0 if self.is_pos(y) else 1] += c
        all_bins = sorted({b for h in hists.values() for b in h})
        idx = {b: i for i, b in enumerate(all_bins)}

        def arrays(h):
            pos = np.zeros(len(all_bins))
            neg = np.zeros(len(all_bins))
            for b, (p_, n_) in h.items():
                pos[idx[b]] += p_
                neg[idx[b]] += n_
            return pos, neg

        arr = {g: arrays(h) for g, h in hists.items()}
        tot_pos = sum((a[0] for a in arr.values()), np.zeros(len(all_bins)))
        tot_neg = sum((a[1] for a in arr.values()), np.zeros(len(all_bins)))
        est = {g: auc_estimate(*a) for g, a in arr.items()}
        mgs = max(self.p["min_group_size"], 1)
        mcs = self.p["min_auc_class_size"]
        sizes = {g: int(a[0].sum() + a[1].sum()) for g, a in arr.items()}
        eligible = {g for g, a in arr.items() if sizes[g] >= mgs and a[0].sum() >= mcs and a[1].sum() >= mcs}
        values = {g: e[0] for g, e in est.items()}
        ref, problem = self.choose_reference(dim, "auc", values, sizes, eligible)
        if ref == OVERALL:
            ra, rv, _ = auc_estimate(tot_pos, tot_neg)
            ref_label = OVERALL
        elif ref is not None:
            ra, rv, _ = est[ref]
            ref_label = self.group_label(dim, ref)
        else:
            ra, rv, ref_label = math.nan, math.nan, None
        rows = []
        for g in sorted(arr, key=self._sort_key):
            a, v, bound = est[g]
            lo, hi = auc_interval(a, v, self.p["confidence"])
            row = self.new_row(dim, g, "auc", None, a, lo, hi, int(arr[g][0].sum()), sizes[g], sizes[g], ref_label, ra)
            row["positives"], row["negatives"] = int(arr[g][0].sum()), int(arr[g][1].sum())
            row["binning_error_bound"] = bound
            row["se"] = math.sqrt(v) if math.isfinite(v) and v >= 0 else math.nan
            if g not in eligible:
                row["status"] = "skipped"
                row["message"] = (
                    f"insufficient data (n={sizes[g]}, {row['positives']} positive / "
                    f"{row['negatives']} negative; min_group_size {self.p['min_group_size']}, "
                    f"min_auc_class_size {mcs})"
                )
            elif ref is None:
                row["status"], row["message"] = "skipped", problem
            elif g == ref:
                row["is_reference"], row["message"] = True, "reference group"
            else:
                if ref == OVERALL:
                    ca, cv, _ = auc_estimate(tot_pos - arr[g][0], tot_neg - arr[g][1])
                else:
                    ca, cv = ra, rv
                tol = self.p["significance"] == "tolerance"
                # the group's variance under the null (its AUC equal to the comparison's): a group that
                # separates perfectly by chance has DeLong variance ~0, which is no evidence at all
                v_null = auc_variance_floor(ca, float(arr[g][0].sum()), float(arr[g][1].sum()))
                v = max(v, v_null) if math.isfinite(v_null) else v
                row["p"], row["test"] = auc_test(
                    a,
                    v,
                    ca,
                    cv,
                    min_ratio=self.p["max_disparity_ratio"] if tol else None,
                    max_difference=self.p["max_disparity_difference"] if tol else None,
                )
                self.disparity(row, a, ra)
            rows.append(row)
        bounds = [r["binning_error_bound"] for r in rows if r["status"] != "skipped"]
        self.blocks.append(
            {
                "dim": dim,
                "metric": "auc",
                "column": None,
                "rows": rows,
                "reference_group": ref_label,
                "reference_value": ra,
                "problem": problem,
                "binning_error_bound": max(bounds) if bounds else None,
                "occupied_bins": len(all_bins),
            }
        )

    # verdicts ------------------------------------------------------------------------------
    def finish(self) -> None:
        tested = [r for r in self.rows if r["status"] != "skipped" and math.isfinite(r["p"])]
        q = benjamini_hochberg([r["p"] for r in tested])
        for r, qv in zip(tested, q):
            r["q"] = float(qv)
        alpha = self.p["alpha"]
        fail_status = "fail" if self.check.severity == "error" else "warn"
        for r in self.rows:
            if r["status"] == "skipped" or r["is_reference"]:
                continue
            sig = math.isfinite(r["q"]) and r["q"] < alpha
            r["significant"] = sig
            if r["beyond"] and (sig or not self.p["require_significance"]):
                r["status"] = fail_status
                r["message"] = (
                    f"disparity beyond tolerance (ratio {num(r['disparity_ratio'])}, difference "
                    f"{num(r['difference'])}); q = {r['q']:.2g}"
                    if math.isfinite(r["q"])
                    else f"disparity beyond tolerance (ratio {num(r['disparity_ratio'])})"
                )
            elif r["beyond"]:
                r["message"] = f"beyond tolerance but not significant (q = {r['q']:.2g} >= alpha {alpha})"
            elif not r["message"]:
                r["message"] = "within tolerance"

    def tolerances(self) -> dict:
        return {
            "max_disparity_ratio": self.p["max_disparity_ratio"],
            "max_disparity_difference": self.p["max_disparity_difference"],
            "alpha": self.p["alpha"],
            "require_significance": self.p["require_significance"],
            "min_group_size": self.p["min_group_size"],
        }

    def results(self) -> list:
        out = list(self.errors)
        chk = self.check
        for b in self.blocks:
            if b.get("regression"):
                out.append(_reg.result(self, b))
                continue
            dim, metric, rows = b["dim"], b["metric"], b["rows"]
            failing = [r for r in rows if r["status"] in ("fail", "warn")]
            judged = [r for r in rows if r["status"] != "skipped" and not r["is_reference"]]
            skipped = [r for r in rows if r["status"] == "skipped"]
            if failing:
                status = failing[0]["status"]
            elif b.get("informational"):
                status = "pass" if any(r["status"] != "skipped" for r in rows) else "skipped"
            else:
                status = "pass" if judged else "skipped"
            worst = None
            cands = [r for r in judged if math.isfinite(r["disparity_ratio"]) or math.isfinite(r["difference"])]
            if cands:
                worst = min(
                    cands,
                    key=lambda r: (
                        r["status"] not in ("fail", "warn"),
                        r["disparity_ratio"] if math.isfinite(r["disparity_ratio"]) else 1.0,
                        -abs(r["difference"]) if math.isfinite(r["difference"]) else 0.0,
                    ),
                )
            name = _METRIC_NAMES.get(metric, metric)
            where = self.dim_name(dim)
            if b.get("informational") and metric == "missingness":
                msg = f"missingness by {where}: no missing values in {len(b['complete_columns'])} column(s)"
            elif b.get("informational"):
                msg = (
                    f"{metric} by {where}: "
                    + ", ".join(f"{r['group']} {r['value']:.1%}" for r in rows[:8])
                    + (" ..." if len(rows) > 8 else "")
                    + " (no expected shares given)"
                )
            elif failing:
                shown = "; ".join(self._row_text(r) for r in failing[:4]) + (" ..." if len(failing) > 4 else "")
                msg = f"{metric} by {where}: {len(failing)} of {len(judged)} group(s) beyond tolerance and significant: {shown}"
            elif status == "skipped":
                msg = f"{metric} by {where}: insufficient data" + (f" ({b['problem']})" if b.get("problem") else "")
            else:
                msg = f"{metric} by {where}: {len(judged)} group(s) within tolerance or not significantly different"
                if worst is not None:
                    msg += f"; largest gap {self._row_text(worst)}"
            if b.get("reference_group") and not b.get("informational") and metric != "missingness":
                msg += f"; reference {b['reference_group']}"
                if b.get("reference_value") is not None and math.isfinite(b["reference_value"]):
                    msg += f" = {num(b['reference_value'])}"
            if skipped:
                msg += f"; {len(skipped)} group(s) skipped (insufficient data)"
            tol_r = self.p["max_disparity_ratio"]
            rv = b.get("reference_value")
            details: dict[str, Any] = {
                "metric": metric,
                "metric_name": name,
                "dimension": where,
                "attributes": [self.cfg.attributes[i] for i in dim],
                "reference_group": b.get("reference_group"),
                "reference_value": rv,
                "groups": [self._clean(r) for r in rows],
                **self.tolerances(),
                "interval_method": self.p["interval"],
                "confidence": self.p["confidence"],
                "grouping": {self.cfg.attributes[i]: self.how.get(self.cfg.attributes[i]) for i in dim},
            }
            if rv is not None and math.isfinite(rv) and tol_r is not None:
                details["band"] = [rv * tol_r, rv / tol_r]
            if self.p["max_disparity_difference"] is not None and rv is not None and math.isfinite(rv):
                details["difference_band"] = [
                    rv - self.p["max_disparity_difference"],
                    rv + self.p["max_disparity_difference"],
                ]
            if metric == "missingness":
                details["columns"] = b.get("columns")
                details["complete_columns"] = b.get("complete_columns")
                details["per_column_reference"] = b.get("per_column_reference")
            if metric == "auc":
                details["binning_error_bound"] = b.get("binning_error_bound")
                details["score_bins"] = self.p["score_bins"]
                details["occupied_bins"] = b.get("occupied_bins")
            if metric in _NEEDS_LABEL or metric in _NEEDS_PRED:
                details["positive_label"] = self.pos
                details["positive_label_source"] = self.pos_how
            method = self._method(metric, b)
            observed = {
                "metric": metric,
                "groups": len(rows),
                "judged": len(judged),
                "skipped": len(skipped),
                "failing": [r["group"] for r in failing],
                "worst_group": worst["group"] if worst else None,
                "worst_disparity_ratio": _nan_to_none(worst["disparity_ratio"]) if worst else None,
                "worst_difference": _nan_to_none(worst["difference"]) if worst else None,
            }
            r = chk.result(
                self.dim_column(dim),
                None,
                status=status,
                observed=observed,
                expected={k: v for k, v in self.tolerances().items() if k != "min_group_size"}
                | {"reference": _ref_text(self.p["reference"])},
                message=msg,
                method=method,
                details=details,
                effect_size=_nan_to_none(worst["disparity_ratio"]) if worst else None,
                interval=(worst["ci_low"], worst["ci_high"]) if worst else None,
                p_value=_nan_to_none(worst["q"]) if worst else None,
            )
            out.append(r)
        out.extend(self.fairness_summaries())
        return out

    def _row_text(self, r: dict) -> str:
        col = f"[{r['column']}] " if r.get("column") else ""
        ref = r["reference_value"]
        q = r["q"]
        side = ""
        if r.get("direction") in ("higher", "lower"):
            side = f", {r['direction']} than the reference"
            if r.get("advantaged") == "group":
                side += ": the group is advantaged"
            elif r.get("advantaged") == "reference":
                side += ": the group is disadvantaged"
        return (
            f"{col}{r['group']} {num(r['value'])} vs {num(ref)} (ratio {num(r['disparity_ratio'])}"
            + (f", q={q:.2g}" if math.isfinite(q) else "")
            + side
            + ")"
        )

    @staticmethod
    def _clean(r: dict) -> dict:
        return {k: (_nan_to_none(v) if isinstance(v, float) else v) for k, v in r.items()}

    def _method(self, metric: str, b: dict) -> str:
        ci = "Wilson" if self.p["interval"] == "wilson" else "Clopper-Pearson"
        if metric == "auc":
            return (
                f"ROC AUC from per-group score histograms ({self.p['score_bins']} equal-width bins, exact "
                f"min to max); |binned - exact| <= {num(b.get('binning_error_bound') or math.nan)}; DeLong variances "
                f"floored at Hanley-McNeil's (never 0 for small groups); intervals on the logit scale; "
                + (
                    "one-sided z-tests for a gap beyond the tolerance"
                    if self.p["significance"] == "tolerance"
                    else "two-sided z-tests"
                )
                + "; Benjamini-Hochberg across the check"
            )
        if metric == "representation" and b.get("informational"):
            return f"exact counts; {ci} intervals"
        test = (
            "exact binomial tests against expected shares"
            if metric == "representation"
            else "two-proportion z / Fisher exact tests"
            + (" (each group vs the rest)" if self.p["reference"] == "overall" else "")
        )
        return f"exact counts; {ci} intervals; {test}; Benjamini-Hochberg across the check"

    def fairness_summaries(self) -> list:
        """Between-group summaries (fairlearn's definitions) over groups with enough data."""
        out = []
        by = {(b["dim"], b["metric"]): b for b in self.blocks}
        for dim in self.cfg.dims:
            rates = {}
            for m in ("selection_rate", "tpr", "fpr"):
                b = by.get((dim, m))
                if b is None:
                    continue
                vals = [r["value"] for r in b["rows"] if r["status"] != "skipped" and math.isfinite(r["value"])]
                if len(vals) >= 2:
                    rates[m] = (min(vals), max(vals))
            if not rates:
                continue
            obs: dict[str, Any] = {"metric": "fairness_summary"}

            def diff(m, rates=rates):
                return rates[m][1] - rates[m][0]

            def ratio(m, rates=rates):
                lo, hi = rates[m]
                return lo / hi if hi > 0 else (1.0 if lo == hi else math.nan)

            if "selection_rate" in rates:
                obs["demographic_parity_difference"] = diff("selection_rate")
                obs["demographic_parity_ratio"] = ratio("selection_rate")
            if "tpr" in rates:
                obs["equal_opportunity_difference"] = diff("tpr")
                obs["equal_opportunity_ratio"] = ratio("tpr")
            if "tpr" in rates and "fpr" in rates:
                obs["equalized_odds_difference"] = max(diff("tpr"), diff("fpr"))
                obs["equalized_odds_ratio"] = min(ratio("tpr"), ratio("fpr"))
            text = ", ".join(f"{k.replace('_', ' ')} {num(v)}" for k, v in obs.items() if k != "metric")
            r = self.check.result(
                self.dim_column(dim),
                None,
                status="pass",
                observed=obs,
                message=f"fairness_summary by {self.dim_name(dim)}: {text} (groups with enough data; "
                "verdicts are in the per-metric results)",
                method="max - min (ratio min / max) of the group rates (fairlearn's between_groups)",
                details={"metric": "fairness_summary", "dimension": self.dim_name(dim), **obs},
            )
            out.append(r)
        return out


def _rate_counts(metric: str, s: dict) -> tuple[int, int]:
    if metric == "base_rate":
        return s["lab_pos"], s["lab_n"]
    if metric == "selection_rate":
        return s["pred_pos"], s["pred_n"]
    if metric == "tpr":
        return s["tp"], s["tp"] + s["fn"]
    if metric == "fnr":
        return s["fn"], s["tp"] + s["fn"]
    if metric == "fpr":
        return s["fp"], s["fp"] + s["tn"]
    if metric == "ppv":
        return s["tp"], s["tp"] + s["fp"]
    raise AssertionError(metric)  # pragma: no cover


def _ref_text(ref: Any) -> Any:
    return dict(ref) if isinstance(ref, Mapping) else ref
