"""``outliers``: the share of values beyond robust fences, with the most extreme rows as evidence.

Methods
-------
iqr
    Tukey fences ``[Q1 - k IQR, Q3 + k IQR]`` (k = 1.5 by default). Q1 and Q3 are exact: a quantile
    summary brackets them in the first pass and a second pass reads them off exactly.
robust_z
    ``|x - median| / (1.4826 MAD) > threshold`` (3.5 by default; Iglewicz & Hoaglin). The median is
    exact; the MAD is read from the sketch (rank error stated in ``method``).

When the scale is zero (at least half the values equal one value, as in 0/1 dummies and
zero-inflated counts) the column is ``skipped`` with the reason, never judged by fences of width
zero. (A widened scale, the 5-95% range, was tried: it flagged every 1 of 0/1 columns whose
minority is 5-25%, 21% of the rows of a recidivism table's ``alcohol`` column.)
zscore
    ``|x - mean| / sd > threshold`` (3 by default); mean and sd exact from merged moments.

Counting values beyond the fences is exact. For ``iqr`` the count shares the quartiles' second
pass: the sketch brackets both quartiles, so it brackets both fences too, and that pass counts the
values on fixed bins while keeping the few values inside the fences' brackets
(:class:`~datacheck.kernels.histogram.SplitHistogram`). The other methods count in one more pass.

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

import numpy as np

from datacheck.checks._util import num, pct, quantiles_need, quantiles_value
from datacheck.checks.base import Check, register
from datacheck.kernels import CountOutside, Extremes, Histogram, Moments, Sketch
from datacheck.kernels.histogram import SplitHistogram, nice_edges, split_count_below
from datacheck.kernels.quantiles import ExactAbsDeviation, ExactQuantiles
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


def split_layout(
    vmin: float,
    vmax: float,
    low: tuple[float, float],
    high: tuple[float, float],
    bins: int = 30,
    tail_bins: int = 8,
) -> tuple[tuple[float, ...], dict[int, str]] | None:
    """Edges like :func:`fence_edges` for fences known only to lie in the brackets ``low`` and
    ``high``: each bracket inside ``[vmin, vmax]`` is one bin whose values are kept, so the fence
    can split it exactly later. Returns the edges and ``{kept bin: "low" | "high"}``, or None when
    the brackets do not allow it (the caller then counts in a pass of its own).

    Examples
    --------
    >>> e, keep = split_layout(0.0, 100.0, (10.0, 12.0), (40.0, 44.0), bins=2, tail_bins=1)
    >>> e, keep
    ((0.0, 10.0, 12.0, 26.0, 40.0, 44.0, 100.0), {1: 'low', 4: 'high'})
    """
    la, lb = low
    ha, hb = high
    if not all(map(math.isfinite, (vmin, vmax, la, lb, ha, hb))) or not (vmin < vmax and la <= lb < ha <= hb):
        return None
    edges: list[float] = []
    keep: dict[int, str] = {}

    def add(points) -> None:
        for p in points:
            if not edges or p > edges[-1]:
                edges.append(float(p))

    start = vmin
    if lb >= vmin:  # else the low fence is below every value: no low tail, nothing to keep
        if la > vmax:
            return None
        a = max(la, vmin)
        if a > vmin:
            add(np.linspace(vmin, a, tail_bins + 1))
        add([a])
        if lb > a:
            keep[len(edges) - 1] = "low"
            add([lb])
        start = lb
    end = ha if ha <= vmax else vmax  # past vmax the high fence is above every value
    if not end > start:
        return None
    add(np.linspace(start, end, bins + 1))
    if ha <= vmax:
        b = min(hb, vmax)
        if b > ha:
            keep[len(edges) - 1] = "high"
            add([b])
        if vmax > b:
            add(np.linspace(b, vmax, tail_bins + 1))
    if len(edges) < 2 or any(i >= len(edges) - 1 for i in keep):
        return None
    return tuple(edges), keep


def split_histogram(h: dict, sides: dict[int, str], lo: float, top: float) -> dict | None:
    """The histogram of a :class:`SplitHistogram` value with edges on ``lo`` and ``top`` (the next
    float above the high fence): each kept bin is cut at its fence and its two pieces join the
    neighbouring bins on their own side, so no bin mixes rows inside and beyond a fence."""
    e, c = h["edges"], h["counts"]
    out: list[list[float]] = []  # [from, to, count]
    carry: tuple[float, int] | None = None
    last = len(c) - 1
    for i in range(len(c)):
        a, b, n = e[i], e[i + 1], c[i]
        if carry is not None:
            a, n, carry = carry[0], n + carry[1], None
        side = sides.get(i)
        if side is None:
            out.append([a, b, n])
            continue
        cut = lo if side == "low" else top
        inside_cut = a < cut < b or (i == last and a < cut <= b)
        if inside_cut:
            left = int(np.searchsorted(h["kept"][i], cut, side="left")) + (n - c[i])
            pieces = [(a, cut, left), (cut, b, n - left)]
        elif cut <= a:
            pieces = [(a, a, 0), (a, b, n)]  # the whole bin lies at or above the cut
        elif cut >= b:
            pieces = [(a, b, n), (b, b, 0)]  # the whole bin lies below the cut
        else:
            return None
        (la, lb, ln), (ra, rb, rn) = pieces
        if out and lb > la:
            out[-1][1], out[-1][2] = lb, out[-1][2] + ln
        elif lb > la:
            out.append([la, lb, ln])
        if i < last:
            carry = (ra, rn)
        elif rb > ra or rn:
            out.append([ra, rb, rn])
    edges = [out[0][0]] + [seg[1] for seg in out] if out else list(e)
    return {"edges": edges, "counts": [int(seg[2]) for seg in out]}


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
            mad, how = exact["value"], "median and MAD exact (summary brackets refined)"
        else:
            mad = _mad_from_sketch(sk, q[0.5])
            how = f"median exact; MAD from the quantile summary (rank error <= {sk.rank_error:.2%})"
        scale = 1.4826 * mad
        info = {"median": q[0.5], "mad": mad}
        if scale == 0:  # at least half the values equal the median: MAD 0, no fences (evaluate skips)
            info.update(degenerate=_degenerate(sk, q[0.5]))
        return (q[0.5] - self.t() * scale, q[0.5] + self.t() * scale, q[0.5], info, how)

    def _split(self, column, ctx) -> tuple[SplitHistogram, dict[int, str]] | None:
        """iqr: the fence counts folded into the quartiles' exact pass (None when they cannot be).

        The sketch brackets Q1 and Q3 (``ExactQuantiles`` brackets); the fences, linear in them,
        lie in brackets that follow, widened by a few rounding units.
        """
        if self.p["method"] != "iqr":
            return None
        sk, m = ctx.current.get(Sketch(column)), ctx.current.get(Moments(column))
        if sk is None or m is None or not sk.n or not m["n"]:
            return None
        (a1, b1), _, (a3, b3) = ExactQuantiles.from_sketch(column, (0.25, 0.5, 0.75), sk).brackets
        t = self.t()
        pad = 1e-9 * (abs(a1) + abs(b3) + t * (abs(b3) + abs(a1))) + 1e-300
        low = (a1 - t * (b3 - a1) - pad, b1 - t * (a3 - b1) + pad)
        high = (a3 + t * (a3 - b1) - pad, b3 + t * (b3 - a1) + pad)
        layout = split_layout(m["min"], m["max"], low, high)
        if layout is None:
            return None
        edges, sides = layout
        return SplitHistogram(column, edges, tuple(sides)), sides

    def _split_counts(self, column, ctx, lo: float, hi: float) -> tuple[dict, dict] | None:
        """(the CountOutside value, the histogram) from the split histogram, when it answers."""
        split = self._split(column, ctx)
        if split is None or split[0] not in ctx.current.found or not (math.isfinite(lo) and math.isfinite(hi)):
            return None
        kernel, sides = split
        h = ctx.current[kernel]
        top = math.nextafter(hi, math.inf)
        below, upto = split_count_below(h, lo), split_count_below(h, top)
        hist = split_histogram(h, sides, lo, top) if below is not None and upto is not None else None
        if hist is None:
            return None
        count = {
            "below": below + h["neginf"],
            "above": h["n"] - upto + h["posinf"],
            "checked": h["n"] + h["neginf"] + h["posinf"],
        }
        return count, hist

    def requires(self, column, ctx):
        first = [Moments(column), Extremes(column, self.p["evidence_rows"])]
        need = [k for k in first if k not in ctx.current]
        if self.p["method"] != "zscore":
            need += quantiles_need(column, (0.25, 0.5, 0.75), ctx)
            if need and all(isinstance(k, ExactQuantiles) for k in need):  # the quartiles' exact pass
                split = self._split(column, ctx)
                if split is not None:
                    need.append(split[0])
        if not need and self.p["method"] == "robust_z" and ctx.current[Sketch(column)].n:
            q, _ = quantiles_value(column, (0.25, 0.5, 0.75), ctx)
            mk = self._mad_kernel(column, q[0.5], ctx.current[Sketch(column)])
            if mk not in ctx.current:
                need.append(mk)
        if need:
            return need
        lo, hi, *_ = self.fences(column, ctx)
        if self._split_counts(column, ctx, lo, hi) is not None:
            return []
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
        split = self._split_counts(column, ctx, lo, hi)
        if split is not None:
            c, hist = split
        else:
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
