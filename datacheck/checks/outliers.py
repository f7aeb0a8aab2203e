"""``outliers``: the share of values beyond robust fences, with the most extreme rows as evidence.

Methods
-------
iqr
    Tukey fences ``[Q1 - k IQR, Q3 + k IQR]`` (k = 1.5 by default). Q1 and Q3 are exact: a KLL
    sketch brackets them in the first pass and a second pass reads them off exactly.
robust_z
    ``|x - median| / (1.4826 MAD) > threshold`` (3.5 by default; Iglewicz & Hoaglin). The median is
    exact; the MAD is read from the sketch (rank error stated in ``method``).

When the scale is zero (at least half the values equal one value, as in 0/1 dummies and
zero-inflated counts) the column is ``skipped`` with the reason, never judged by fences of width
zero. (A widened scale, the 5-95% range, was tried: it flagged every 1 of 0/1 columns whose
minority is 5-25%, 21% of the rows of a recidivism table's ``alcohol`` column.)
zscore
    ``|x - mean| / sd > threshold`` (3 by default); mean and sd exact from merged moments.

Counting values beyond the fences is exact (one more pass over the column).

Examples
--------
>>> import numpy as np, pandas as pd, datacheck
>>> x = np.r_[np.random.default_rng(0).normal(size=1000), [50.0, -40.0]]
>>> r = datacheck.run(pd.DataFrame({"x": x}), {"name": "s", "checks": [{"outliers": {"max_fraction": 0.05}}]}).results[0]
>>> r.status, [e["row"] for e in r.evidence[:2]]
('pass', [1000, 1001])
"""

from __future__ import annotations

import math

from datacheck.checks._util import num, pct, quantiles_need, quantiles_value
from datacheck.checks.base import Check, register
from datacheck.kernels import CountOutside, Extremes, Histogram, Moments, Sketch
from datacheck.kernels.histogram import nice_edges
from datacheck.kernels.quantiles import ExactAbsDeviation
from datacheck.params import Param

_DEFAULT_T = {"iqr": 1.5, "robust_z": 3.5, "zscore": 3.0}


def fence_edges(
    vmin: float, vmax: float, lo: float, hi: float, bins: int = 30, tail_bins: int = 8
) -> tuple[float, ...]:
    """Histogram edges with an edge on each fence, so no bin mixes in-fence and beyond-fence rows.

    Bins are ``[e_i, e_{i+1})``: values below ``lo`` fill the bins left of the edge at ``lo``; the
    upper fence's edge is the next float above ``hi``, because a value equal to ``hi`` is inside.
    The fences' bins (``tail_bins`` each side) and the inside (``bins``) are evenly spaced apart.

    Examples
    --------
    >>> e = fence_edges(0.0, 100.0, 10.0, 20.0, bins=2, tail_bins=1)
    >>> e[0], e[1], e[-1], 10.0 in e
    (0.0, 10.0, 100.0, True)
    """
    import numpy as np

    if not all(map(math.isfinite, (vmin, vmax, lo, hi))) or vmax <= vmin:
        return nice_edges(vmin, vmax, bins)
    top = float(np.nextafter(hi, math.inf))
    a, b = max(lo, vmin), min(top, vmax)
    parts = []
    if vmin < lo:
        parts.append(np.linspace(vmin, lo, tail_bins + 1))
    if b > a:
        parts.append(np.linspace(a, b, bins + 1))
    else:
        parts.append(np.array([a, float(np.nextafter(a, math.inf))]))
    if vmax > hi:
        parts.append(np.linspace(top, vmax, tail_bins + 1) if vmax > top else np.array([top, vmax]))
    edges = np.unique(np.concatenate(parts))
    return tuple(float(e) for e in edges)


def _mad_from_sketch(sk, median: float, share: float = 0.5) -> float:
    """MAD from the sketch's CDF: the d with F(m + d) - F(m - d) = share (1/2; bisection)."""
    lo, hi = 0.0, max(abs(sk.quantile(1.0) - median), abs(median - sk.quantile(0.0)))
    if hi == 0 or share >= 1:
        return hi
    if share <= 0:
        return 0.0
    span = hi
    for _ in range(60):
        mid = (lo + hi) / 2
        if sk.cdf(median + mid) - sk.cdf(median - mid) < share:
            lo = mid
        else:
            hi = mid
    return 0.0 if hi <= span * 1e-12 else hi  # converged onto the median: half the values are the median


def _degenerate(sk, value: float) -> str:
    return f"{sk.cdf(value) - sk.cdf(value - abs(value) * 1e-12 - 1e-300):.0%} of values equal {num(value)}"


@register("outliers")
class OutliersCheck(Check):
    column_types = ("integer", "float")
    default_columns = "numeric"
    advisory_params = ("max_fraction", "k", "method")
    params = {
        "method": Param("choice", default="iqr", choices=("iqr", "robust_z", "zscore"), doc="fence rule"),
        "k": Param(
            "number", default=None, low=0, low_open=True, doc="fence multiplier (iqr: 1.5; robust_z: 3.5; zscore: 3)"
        ),
        "max_fraction": Param("number", default=0.05, low=0, high=1, doc="share of outliers allowed"),
        "evidence_rows": Param("integer", default=10, low=0, high=1000, doc="most extreme rows to report"),
    }

    @staticmethod
    def _mad_kernel(column, median: float, sk) -> ExactAbsDeviation:
        """The exact-MAD pass: deviations bracketed by the sketch (4 rank errors and 2 ranks each side)."""
        w = 4 * sk.rank_error + (2.0 / sk.n if sk.n else 0.0)
        return ExactAbsDeviation(
            column, float(median), sk.n, _mad_from_sketch(sk, median, 0.5 - w), _mad_from_sketch(sk, median, 0.5 + w)
        )

    def t(self) -> float:
        return self.p["k"] if self.p["k"] is not None else _DEFAULT_T[self.p["method"]]

    def fences(self, column, ctx):
        """(low, high, centre, info, method) or None while still computing."""
        m = ctx.current[Moments(column)]
        method = self.p["method"]
        if not m["n"]:  # no finite values: no fences (NaN fences would make kernels that never match)
            return (-math.inf, math.inf, math.nan, {}, "no finite values")
        if method == "zscore":
            sd = m["std"]
            if not m["n"] or math.isnan(sd):
                return (-math.inf, math.inf, m["mean"], {"mean": m["mean"], "std": sd}, "exact moments")
            return (
                m["mean"] - self.t() * sd,
                m["mean"] + self.t() * sd,
                m["mean"],
                {"mean": m["mean"], "std": sd},
                "exact moments",
            )
        qs = (0.25, 0.5, 0.75)
        q, how = quantiles_value(column, qs, ctx)
        sk = ctx.current[Sketch(column)]
        if method == "iqr":
            iqr = q[0.75] - q[0.25]
            info = {"q1": q[0.25], "median": q[0.5], "q3": q[0.75], "iqr": iqr}
            if iqr == 0:  # one value holds the middle half: no scale, so no fences (evaluate skips)
                info.update(degenerate=_degenerate(sk, q[0.5]))
            return (q[0.25] - self.t() * iqr, q[0.75] + self.t() * iqr, q[0.5], info, how)
        exact = ctx.current[self._mad_kernel(column, q[0.5], sk)]
        if exact["value"] is not None:
            mad, how = exact["value"], "median and MAD exact (KLL sketch brackets refined)"
        else:
            mad = _mad_from_sketch(sk, q[0.5])
            how = f"median exact; MAD from KLL sketch (rank error <= {sk.rank_error:.2%})"
        scale = 1.4826 * mad
        info = {"median": q[0.5], "mad": mad}
        if scale == 0:  # at least half the values equal the median: MAD 0, no fences (evaluate skips)
            info.update(degenerate=_degenerate(sk, q[0.5]))
        return (q[0.5] - self.t() * scale, q[0.5] + self.t() * scale, q[0.5], info, how)

    def requires(self, column, ctx):
        first = [Moments(column), Extremes(column, self.p["evidence_rows"])]
        need = [k for k in first if k not in ctx.current]
        if self.p["method"] != "zscore":
            need += quantiles_need(column, (0.25, 0.5, 0.75), ctx)
        if not need and self.p["method"] == "robust_z" and ctx.current[Sketch(column)].n:
            q, _ = quantiles_value(column, (0.25, 0.5, 0.75), ctx)
            mk = self._mad_kernel(column, q[0.5], ctx.current[Sketch(column)])
            if mk not in ctx.current:
                need.append(mk)
        if need:
            return need
        lo, hi, *_ = self.fences(column, ctx)
        m = ctx.current[Moments(column)]
        return [CountOutside(column, lo, hi), Histogram(column, fence_edges(m["min"], m["max"], lo, hi))]

    def evaluate(self, column, ctx):
        lo, hi, centre, info, how = self.fences(column, ctx)
        if lo == hi and self.p["method"] != "zscore":
            # one value holds at least half the rows: a constant, a dummy or a zero-inflated spike. Fences
            # of width zero would call every other value an outlier (48% of a 0/1 label, once), and any
            # widened scale made up for them flagged the 1s of 0/1 columns with a 20% minority
            return self.skipped(
                column,
                f"{column!r} is one value ({num(centre)}) in at least half of its rows: a spike, dummy or "
                "zero-inflated column has no spread to set fences by; outliers not judged "
                "(use range or allowed_values for such a column)",
            )
        m = ctx.current[Moments(column)]
        c = ctx.current[CountOutside(column, lo, hi)]
        hist = ctx.current[Histogram(column, fence_edges(m["min"], m["max"], lo, hi))]
        ex = ctx.current[Extremes(column, self.p["evidence_rows"])]
        bad = c["below"] + c["above"]
        frac = bad / c["checked"] if c["checked"] else 0.0
        ok = frac <= self.p["max_fraction"]
        cand = [(p, v) for p, v in ex["smallest"] if v < lo] + [(p, v) for p, v in ex["largest"] if v > hi]
        cand.sort(key=lambda pv: -abs(pv[1] - centre))
        cand = cand[: self.p["evidence_rows"]]
        rows = ctx.label_rows(p for p, _ in cand)
        evidence = [{"row": r, "value": v} for r, (_, v) in zip(rows, cand)] or None
        msg = f"{bad:,} outlier(s) ({pct(frac)}) beyond [{num(lo)}, {num(hi)}] by {self.p['method']}" + (
            "" if ok else f"; allowed {pct(self.p['max_fraction'])}"
        )
        return self.result(
            column,
            ok,
            observed={"fraction": frac, "count": bad, "below": c["below"], "above": c["above"]},
            expected={"max_fraction": self.p["max_fraction"], "method": self.p["method"], "k": self.t()},
            message=msg,
            evidence=evidence,
            method=how,
            details={
                "fences": [lo, hi],
                **info,
                "hist_edges": hist["edges"],
                "hist_counts": hist["counts"],
                "min": m["min"],
                "max": m["max"],
            },
        )
