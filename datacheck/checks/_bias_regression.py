"""The ``bias`` check for regression (``dataset.task: regression``): the target's distribution and the
model's errors by group, each group against the reference group.

Metrics (means of a per-row quantity, from mergeable per-group count / sum / sum of squares):

* ``target_mean`` -- the target's mean per group (no model needed);
* ``error_mean`` -- the mean signed error ``prediction - target`` (a model that systematically
  over- or under-predicts for a group);
* ``mae`` -- the mean absolute error (a model that is less accurate for a group).

Tolerances are in the target's units, relative to its spread: a group is *beyond tolerance* when
its mean differs from the reference group's by more than ``max_std_difference`` standard deviations
of the target (for ``mae``: is larger by more than that). Each comparison is a Welch t test from
the sums -- by default for evidence that the gap is beyond the tolerance (``significance:
tolerance``), else for any gap -- and the p-values join the check's Benjamini-Hochberg correction. A
group fails when it is beyond tolerance and significant; groups under ``min_group_size`` are
skipped (insufficient data). Representation and missingness by group run as for classification.

This module holds the regression half so the classification audit in :mod:`datacheck.checks.bias`
stays as it is; the check calls it through a few hooks.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import stats as _st

from datacheck.checks._util import num
from datacheck.kernels.moments import Moments

__all__ = ["REGRESSION_METRICS", "is_regression", "choose_metrics", "kernels", "add_blocks", "result", "welch_parts"]

REGRESSION_METRICS = ("target_mean", "error_mean", "mae")
_NEEDS_PRED = {"error_mean", "mae"}
NAMES = {
    "target_mean": "mean of the target",
    "error_mean": "mean error (prediction - target)",
    "mae": "mean absolute error",
}
#: the classification metrics that have no meaning for a continuous target
CLASSIFICATION_ONLY = {"base_rate", "selection_rate", "tpr", "fpr", "fnr", "ppv", "auc"}


def is_regression(ctx: Any) -> bool:
    """True when the suite declares ``dataset.task: regression``."""
    return ctx.roles.task == "regression"


def choose_metrics(
    wanted: list[str], explicit: bool, label: str | None, pred: str | None, cols: dict
) -> tuple[list[str], dict[str, str]]:
    """(regression metrics to compute, {metric: why unavailable}) for the wanted list."""
    chosen: list[str] = []
    why: dict[str, str] = {}
    for m in wanted:
        if m not in REGRESSION_METRICS:
            continue
        reason = None
        if label is None:
            reason = f"{m} needs a label column (dataset.label or bias.label)"
        elif not cols[label].numeric:
            reason = f"{m} needs a numeric target; {label!r} is {cols[label].logical}"
        elif m in _NEEDS_PRED and pred is None:
            reason = f"{m} needs a prediction column (dataset.prediction or bias.prediction)"
        elif m in _NEEDS_PRED and not cols[pred].numeric:
            reason = f"{m} needs a numeric prediction; {pred!r} is {cols[pred].logical}"
        if reason is None:
            chosen.append(m)
        elif explicit:
            why[m] = reason
    return chosen, why


def kernels(keys: list, label: str, pred: str | None, metrics: list[str]) -> dict[str, Any]:
    """The target's moments (for its spread) and one per-group sums cube over every attribute key."""
    # (imported here: a classification audit, the usual one, never needs the sums kernels)
    from datacheck.kernels.row_values import Diff, Value
    from datacheck.kernels.slice_sums import AbsDiff, GroupSums

    values: tuple = (Value(label),)
    if any(m in _NEEDS_PRED for m in metrics) and pred is not None:
        values += (Diff(pred, label), AbsDiff(pred, label))
    return {"moments": Moments(label), "sums": GroupSums(tuple(keys), values)}


def welch_parts(n1: float, s1: float, ss1: float, n2: float, s2: float, ss2: float) -> tuple[float, float, float]:
    """(difference of means, its standard error, Welch's degrees of freedom) from counts and sums."""
    if n1 < 2 or n2 < 2:
        return math.nan, math.nan, math.nan
    m1, m2 = s1 / n1, s2 / n2
    v1 = max(ss1 - n1 * m1 * m1, 0.0) / (n1 - 1)
    v2 = max(ss2 - n2 * m2 * m2, 0.0) / (n2 - 1)
    a, b = v1 / n1, v2 / n2
    se2 = a + b
    if se2 <= 0:
        return m1 - m2, 0.0, math.inf
    df = se2 * se2 / ((a * a / (n1 - 1) if a else 0.0) + (b * b / (n2 - 1) if b else 0.0))
    return m1 - m2, math.sqrt(se2), df


def _p_value(d: float, se: float, df: float, tol: float, one_sided_up: bool, mode: str) -> float:
    """Welch p-value: for a gap beyond ``tol`` (mode ``tolerance``) or for any gap (``difference``)."""
    if not math.isfinite(d):
        return math.nan
    if se == 0:
        gap = d if one_sided_up else abs(d)
        return 0.0 if (gap > tol if mode == "tolerance" else gap != 0) else 1.0
    if mode == "tolerance":
        t = ((d if one_sided_up else abs(d)) - tol) / se
        return float(_st.t.sf(t, df))
    if one_sided_up:
        return float(_st.t.sf(d / se, df))
    return float(2 * _st.t.sf(abs(d) / se, df))


def _mean_ci(n: float, s: float, ss: float, confidence: float) -> tuple[float, float]:
    if n < 2:
        return math.nan, math.nan
    m = s / n
    var = max(ss - n * m * m, 0.0) / (n - 1)
    half = float(_st.t.ppf(0.5 + confidence / 2, n - 1)) * math.sqrt(var / n)
    return m - half, m + half


def add_blocks(audit: Any, ks: dict, ctx: Any) -> None:
    """Append one block of group rows per (dimension, regression metric) to the audit (before its BH)."""
    cfg, p = audit.cfg, audit.p
    mom = ctx.current[ks["reg"]["moments"]]
    sd = float(mom["std"]) if mom["n"] and math.isfinite(mom["std"]) else math.nan
    tol = p["max_std_difference"] * sd if math.isfinite(sd) else math.nan
    table = ctx.current[ks["reg"]["sums"]]
    mgs = max(p["min_group_size"], 2)
    for dim in cfg.dims:
        groups: dict[tuple, dict] = {}
        for key, v in table.items():
            g = tuple(key[i] for i in dim)
            s = groups.setdefault(g, {"n": 0, "stats": v["stats"][:, :3] * 0})
            s["n"] += v["n"]
            s["stats"] = s["stats"] + v["stats"][:, :3]
        # every group's [count, sum, sum of squares] per value expression (rows broadcast when only the target)
        total = sum((s["stats"] for s in groups.values()), np.zeros((3, 3)))
        for m in cfg.regression:
            j = {"target_mean": 0, "error_mean": 1, "mae": 2}[m]
            stats = {g: s["stats"][j] for g, s in groups.items()}
            sizes = {g: s["n"] for g, s in groups.items()}
            values = {g: (st[1] / st[0] if st[0] else math.nan) for g, st in stats.items()}
            eligible = {g for g, st in stats.items() if st[0] >= mgs}
            ref, problem = audit.choose_reference(dim, m, values, sizes, eligible)
            if not math.isfinite(tol):
                ref, problem = None, f"the target {cfg.label!r} has no spread to scale the tolerance by"
            overall = ref is not None and not isinstance(ref, tuple)  # OVERALL: each group vs the rest
            if ref is None:
                ref_value, ref_label = math.nan, None
            elif overall:
                tot = total[j]
                ref_value, ref_label = (tot[1] / tot[0] if tot[0] else math.nan), ref
            else:
                ref_value, ref_label = values[ref], audit.group_label(dim, ref)
            rows = []
            for g in sorted(stats, key=audit._sort_key):
                st = stats[g]
                lo, hi = _mean_ci(st[0], st[1], st[2], p["confidence"])
                row = audit.new_row(
                    dim, g, m, None, values[g], lo, hi, None, int(st[0]), sizes[g], ref_label, ref_value
                )
                if st[0] < mgs:
                    row["status"] = "skipped"
                    row["message"] = f"insufficient data (n={int(st[0])} < min_group_size {p['min_group_size']})"
                elif ref is None:
                    row["status"] = "skipped"
                    row["message"] = problem
                elif not overall and g == ref:
                    row["is_reference"] = True
                    row["message"] = "reference group"
                else:
                    other = (total[j] - st) if overall else stats[ref]
                    d, se, df = welch_parts(st[0], st[1], st[2], other[0], other[1], other[2])
                    up = m == "mae"  # a group the model serves worse; better accuracy is no harm
                    row["p"] = _p_value(d, se, df, tol, up, p["significance"])
                    row["test"] = "Welch t test" + (" beyond the tolerance" if p["significance"] == "tolerance" else "")
                    row["difference"] = values[g] - ref_value
                    row["std_difference"] = row["difference"] / sd if sd else math.nan
                    gap = row["difference"] if up else abs(row["difference"])
                    row["beyond"] = bool(math.isfinite(gap) and gap > tol)
                rows.append(row)
            audit.blocks.append(
                {
                    "dim": dim,
                    "metric": m,
                    "column": None,
                    "rows": rows,
                    "reference_group": ref_label,
                    "reference_value": ref_value,
                    "problem": problem,
                    "regression": True,
                    "target_sd": sd,
                    "tolerance": tol,
                }
            )


def result(audit: Any, b: dict) -> Any:
    """One result for a regression block (after the check's BH has set q-values and statuses)."""
    p, chk = audit.p, audit.check
    dim, metric, rows = b["dim"], b["metric"], b["rows"]
    failing = [r for r in rows if r["status"] in ("fail", "warn")]
    judged = [r for r in rows if r["status"] != "skipped" and not r["is_reference"]]
    skipped = [r for r in rows if r["status"] == "skipped"]
    status = failing[0]["status"] if failing else ("pass" if judged else "skipped")
    tol, sd = b["tolerance"], b["target_sd"]
    up = metric == "mae"
    for r in rows:  # the shared BH step words rows as rates; say it in the target's units
        if r["status"] in ("fail", "warn"):
            r["message"] = f"differs by {num(r['difference'])} (> {num(tol)}); q = {r['q']:.2g}"
        elif r.get("beyond"):
            r["message"] = f"differs by {num(r['difference'])} (> {num(tol)}) but not significantly (q = {r['q']:.2g})"
    cands = [r for r in judged if math.isfinite(r["difference"])]
    worst = (
        max(cands, key=lambda r: (r["status"] in ("fail", "warn"), r["difference"] if up else abs(r["difference"])))
        if cands
        else None
    )
    where = audit.dim_name(dim)

    def text(r: dict) -> str:
        q = f", q={r['q']:.2g}" if math.isfinite(r["q"]) else ""
        return f"{r['group']} {num(r['value'])} vs {num(r['reference_value'])} (difference {num(r['difference'])}{q})"

    rule = f"{num(p['max_std_difference'])} x SD of the target ({num(sd)}) = {num(tol)}"
    if failing:
        msg = (
            f"{metric} by {where}: {len(failing)} of {len(judged)} group(s) differ from the reference by more than "
            f"{rule}, significantly: " + "; ".join(text(r) for r in failing[:4]) + (" ..." if len(failing) > 4 else "")
        )
    elif status == "skipped":
        msg = f"{metric} by {where}: insufficient data" + (f" ({b['problem']})" if b.get("problem") else "")
    else:
        msg = f"{metric} by {where}: {len(judged)} group(s) within {rule} of the reference or not significantly beyond"
        if worst is not None:
            msg += f"; largest gap {text(worst)}"
    if b.get("reference_group"):
        msg += f"; reference {b['reference_group']}"
    if skipped:
        msg += f"; {len(skipped)} group(s) skipped (insufficient data)"
    tolerances = {
        "max_std_difference": p["max_std_difference"],
        "tolerance": tol,
        "alpha": p["alpha"],
        "require_significance": p["require_significance"],
    }
    details = {
        "metric": metric,
        "metric_name": NAMES[metric],
        "dimension": where,
        "task": "regression",
        "attributes": [audit.cfg.attributes[i] for i in dim],
        "reference_group": b.get("reference_group"),
        "reference_value": b.get("reference_value"),
        "groups": [audit._clean(r) for r in rows],
        "target_sd": sd,
        **tolerances,
        "min_group_size": p["min_group_size"],
        "confidence": p["confidence"],
        "grouping": {audit.cfg.attributes[i]: audit.how.get(audit.cfg.attributes[i]) for i in dim},
    }
    observed = {
        "metric": metric,
        "groups": len(rows),
        "judged": len(judged),
        "skipped": len(skipped),
        "failing": [r["group"] for r in failing],
        "worst_group": worst["group"] if worst else None,
        "worst_difference": worst["difference"] if worst else None,
        "worst_std_difference": worst.get("std_difference") if worst else None,
    }
    method = (
        "per-group count, sum and sum of squares (GroupSums); t intervals; Welch t tests against the reference "
        + ("for a gap beyond the tolerance" if p["significance"] == "tolerance" else "for any gap")
        + ("" if not up else " (one-sided: larger errors)")
        + "; Benjamini-Hochberg across the check"
    )
    return chk.result(
        audit.dim_column(dim),
        None,
        status=status,
        observed=observed,
        expected=tolerances,
        message=msg,
        method=method,
        details=details,
        effect_size=worst.get("std_difference") if worst else None,
        interval=(worst["ci_low"], worst["ci_high"]) if worst else None,
        p_value=worst["q"] if worst and math.isfinite(worst["q"]) else None,
    )
