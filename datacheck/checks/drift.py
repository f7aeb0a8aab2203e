"""``drift``: per-column distribution shift between the reference (training) and current (serving) data.

Every column is reduced to mergeable state on both sides; bin edges come from the reference:

* numeric (integer, float, datetime) columns: a seeded sample of the reference gives edges at
  ``fine_bins`` reference quantiles (exact min and max); both sides are then counted *exactly* on
  those edges (counts and per-bin sums). KS, Wasserstein, PSI and Jensen–Shannon are read from
  these fine histograms;
* categorical (string, categorical, boolean) columns: exact category counts on both sides. Beyond
  10,000 distinct values the first pass keeps a Misra–Gries summary per side; comparing two such
  summaries would compare how each side was truncated (a 50,000-category Zipf column read
  "drifted" at p = 0 against itself), and so would exact counts of "candidate" values picked from
  those summaries (which side kept a value decides whether it is picked). A second pass counts
  both sides exactly in 4,096 fixed hash buckets: a bucket depends on the value alone, so the
  test is exact for a coarsening of the categories (heavy categories keep a bucket nearly to
  themselves).

Methods (``numeric_method`` / ``categorical_method``) and their effect sizes
-----------------------------------------------------------------------------
=================  ==============================================  ====================  =========
method             effect size                                     significance test     threshold
=================  ==============================================  ====================  =========
``wasserstein``    W1 of reference normal scores (robust; see below) KS                    0.1
``wasserstein_sd`` W1 / reference standard deviation               KS                    0.1
``ks``             KS distance D                                   KS                    0.1
``psi``            PSI on ``bins`` reference-quantile bins           Pearson chi-square    0.1
``jensen_shannon`` JS distance (base 2) on the same bins            Pearson chi-square    0.05
``chi2``           Cramér's V of the 2 x k table                    Pearson chi-square    0.1
``linf``           largest change of one category's share           Pearson chi-square    0.05
=================  ==============================================  ====================  =========

Defaults: ``wasserstein`` for numeric columns, ``jensen_shannon`` for categorical ones.

The decision rule
-----------------
A column drifts (``fail``, or ``warn`` at warn severity) when **both** hold:

1. its effect size exceeds the threshold (``threshold`` or the method's default above), and
2. its Benjamini–Hochberg q-value across all the columns this check was bound to is below
   ``alpha`` (0.05).

Large samples therefore cannot flag trivial differences (rule 1), and small ones cannot flag noise
(rule 2). Each result also reports the minimum detectable effect (MDE) for its sample sizes: the
effect size at which the test would just reach ``p < alpha``; when it exceeds the threshold the
message says the comparison is underpowered.

The default numeric effect: Wasserstein distance of normal scores
-----------------------------------------------------------------
``wasserstein`` maps every value through the reference's own distribution function and then the
standard normal quantile (``z = Phi^-1(F_ref(x))``, the reference's normal scores) and measures the
W1 distance of the two sides there. For a normal reference this *is* W1 / SD (a shift of 0.2 SD
reads 0.2); for any other reference it is the same number the change would have on a normal
column, and it depends only on ranks, so one extreme value cannot hide a change of the whole
column (it moves no rank by more than one) or fake one. W1 / SD, whose SD a single outlier can
inflate a hundredfold, is ``wasserstein_sd``. From the fine bins, each bin is an atom at the
normal score of its mid-rank (the reference's extremes at ``Phi^-1(0.5 / n_ref)``).

KS from mergeable state
-----------------------
D is evaluated at the fine edges. That is a lower bound of the exact D, never larger, so the
p-value is conservative; the gap is at most the largest single-bin share on either side
(``details['ks_resolution']``, about 1/``fine_bins`` for continuous columns and 0 for discrete
columns whose values all are edges). The p-value uses the distribution scipy's ``ks_2samp``
uses in ``asymp`` mode (``kstwo`` with ``n = n_ref n_cur / (n_ref + n_cur)``).

Examples
--------
>>> import numpy as np, pandas as pd, datacheck
>>> rng = np.random.default_rng(0)
>>> ref = pd.DataFrame({"x": rng.normal(size=5000), "c": rng.choice(["a", "b"], 5000)})
>>> cur = pd.DataFrame({"x": rng.normal(0.5, 1, 5000), "c": rng.choice(["a", "b"], 5000)})
>>> rep = datacheck.run(cur, {"name": "s", "checks": ["drift"]}, reference=ref)
>>> [(r.column, r.status) for r in rep.results]
[('x', 'fail'), ('c', 'pass')]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from datacheck.checks._util import num
from datacheck.checks.base import Check, OnReference, register
from datacheck.context import Context, MetricUnavailable
from datacheck.kernels import Frequencies, HashedCounts, Moments
from datacheck.kernels.frequencies import DEFAULT_CAP as FREQ_CAP
from datacheck.kernels.shift import BinCounts, QuantileEdges
from datacheck.params import Param
from datacheck.stats import benjamini_hochberg
from datacheck.stats import distances as stats_d

__all__ = [
    "DriftCheck",
    "DriftMixin",
    "DEFAULT_THRESHOLDS",
    "NUMERIC_METHODS",
    "CATEGORICAL_METHODS",
    "compare_numeric",
    "compare_categorical",
]

NUMERIC_METHODS = ("wasserstein", "wasserstein_sd", "ks", "psi", "jensen_shannon")
CATEGORICAL_METHODS = ("jensen_shannon", "chi2", "psi", "linf")
DEFAULT_THRESHOLDS = {
    "wasserstein": 0.1,
    "wasserstein_sd": 0.1,
    "ks": 0.1,
    "psi": 0.1,
    "jensen_shannon": 0.05,
    "chi2": 0.1,
    "linf": 0.05,
}
NUMERIC_TYPES = ("integer", "float", "datetime")
CATEGORICAL_TYPES = ("string", "categorical", "boolean")
_MAX_SHOWN_CATEGORIES = 20
_HASH_BUCKETS = 4096  # exact counts in fixed hash buckets for columns past the exact-count cap

DRIFT_PARAMS: dict[str, Param] = {
    "numeric_method": Param(
        "choice",
        default="wasserstein",
        choices=NUMERIC_METHODS,
        doc="statistic judged for numeric and datetime columns",
    ),
    "categorical_method": Param(
        "choice",
        default="jensen_shannon",
        choices=CATEGORICAL_METHODS,
        doc="statistic judged for string, categorical and boolean columns",
    ),
    "threshold": Param(
        "number",
        default=None,
        low=0,
        low_open=True,
        doc="effect size above which a significant change fails (default: per method)",
    ),
    "alpha": Param(
        "number",
        default=None,
        low=0,
        high=1,
        low_open=True,
        high_open=True,
        doc="test level (default: 0.05 shared evenly by the shift checks of the suite that leave alpha unset)",
    ),
    "bins": Param("integer", default=10, low=2, high=100, doc="reference-quantile bins for PSI / JS / chi-square"),
    "fine_bins": Param(
        "integer",
        default=2000,
        low=10,
        high=100_000,
        doc="reference-quantile bins for KS and Wasserstein (their resolution)",
    ),
    "sample_size": Param(
        "integer",
        default=100_000,
        low=1000,
        high=10_000_000,
        doc="reference values sampled (seeded) to place the bin edges",
    ),
    "seed": Param("integer", default=0, low=0, doc="seed of the edge sample"),
}


class OutOfScope(ValueError):
    """The column's type is not one drift compares (a skip, not an error)."""


class NoValues(MetricUnavailable):
    """A side has no usable values in the column: nothing to compare (a skip, not an error)."""


def compare_numeric(ref: dict, cur: dict, ref_std: float, bins: int) -> dict[str, Any]:
    """Every numeric statistic from two :class:`~datacheck.kernels.shift.BinCounts` values on the same edges."""
    r = np.asarray(ref["counts"], dtype=np.int64)
    c = np.asarray(cur["counts"], dtype=np.int64)
    edges = np.asarray(ref["edges"], dtype=float)
    nr, nc = int(r.sum()), int(c.sum())
    if nr == 0 or nc == 0:
        raise NoValues(f"no finite values on the {'reference' if nr == 0 else 'current'} side")
    pr, pc = r / nr, c / nc
    cdf_gap = np.abs(np.cumsum(pr) - np.cumsum(pc))[:-1]
    d = float(cdf_gap.max()) if cdf_gap.size else 0.0
    sr = np.asarray(ref["sums"], dtype=float)
    sc = np.asarray(cur["sums"], dtype=float)
    okr, okc = r > 0, c > 0
    # exact worst case of |F_ref - F_cur| inside each bin given what is known: inside bin j (from
    # its left edge on) each CDF runs from C_{j-1} + (share on the left edge) up to C_j
    er = np.asarray(ref.get("at_edge", np.zeros_like(r)))
    ec = np.asarray(cur.get("at_edge", np.zeros_like(c)))
    cr, cc = np.cumsum(pr), np.cumsum(pc)
    r_lo = np.r_[0.0, cr[:-1]] + er / nr
    c_lo = np.r_[0.0, cc[:-1]] + ec / nc
    # the CDFs are known exactly just below every edge (C) and at every edge (C_prev + on-edge share)
    d = max(d, float(np.max(np.abs(r_lo - c_lo))))
    d_upper = float(np.max(np.maximum(np.abs(cr - c_lo), np.abs(r_lo - cc))))
    resolution = max(0.0, d_upper - d)
    loose = np.maximum((r - er) / nr, (c - ec) / nc)
    # W1 with every bin an atom at its mean
    w1 = stats_d.atoms_w1(sr[okr] / r[okr], pr[okr], sc[okc] / c[okc], pc[okc])
    widths = np.diff(edges)
    w1_err = float(np.sum(widths * loose[1:-1])) if widths.size else 0.0
    w1_ns = stats_d.normal_score_w1(r, c)
    g = stats_d.coarse_groups(r, bins)
    rg = np.bincount(g, weights=r).astype(np.int64)
    cg = np.bincount(g, weights=c).astype(np.int64)
    chi2, p_chi2, df = stats_d.chi2_test(*stats_d.pool_by_reference(rg, cg), pool=False)
    # display: the coarse groups' value ranges (outer groups reach the tails' means)
    bounds = []
    for j in [0] + [j for j in range(1, len(g)) if g[j] != g[j - 1]]:
        lo = edges[j - 1] if j >= 1 else (min(edges[0], sc[0] / c[0]) if c[0] else edges[0])
        bounds.append(float(lo))
    last_hi = edges[-1]
    if c[-1] and sc[-1] / c[-1] > last_hi:
        last_hi = sc[-1] / c[-1]
    if last_hi <= bounds[-1]:
        last_hi = bounds[-1] + (abs(bounds[-1]) * 1e-3 or 1.0)
    bounds.append(float(last_hi))
    return {
        "n_ref": nr,
        "n_cur": nc,
        "ks": d,
        "ks_pvalue": stats_d.ks_pvalue(d, nr, nc),
        "ks_resolution": resolution,
        "wasserstein_raw": w1,
        "wasserstein": w1 / ref_std if ref_std > 0 else (0.0 if w1 == 0 else math.inf),
        "wasserstein_error": w1_err,
        "wasserstein_ns": w1_ns,
        "psi": stats_d.psi(rg, cg),
        "jensen_shannon": stats_d.jensen_shannon(rg, cg),
        "chi2": chi2,
        "chi2_pvalue": p_chi2,
        "chi2_df": df,
        "fine_bins": int(len(edges) - 1),
        "bins": {"edges": bounds, "ref": rg.tolist(), "cur": cg.tolist()},
        "ref_missing": int(ref.get("missing", 0)),
        "cur_missing": int(cur.get("missing", 0)),
    }


def _freq_vectors(ref: dict, cur: dict) -> tuple[list, np.ndarray, np.ndarray, bool]:
    cats = list(dict.fromkeys(list(ref["counts"]) + list(cur["counts"])))
    r = np.array([ref["counts"].get(k, 0) for k in cats], dtype=np.int64)
    c = np.array([cur["counts"].get(k, 0) for k in cats], dtype=np.int64)
    exact = bool(ref["exact"] and cur["exact"])
    rest_r = ref["other"] if "other" in ref else ref["total"] - int(r.sum())
    rest_c = cur["other"] if "other" in cur else cur["total"] - int(c.sum())
    if rest_r > 0 or rest_c > 0:
        cats.append("(other)")
        r = np.r_[r, max(0, rest_r)]
        c = np.r_[c, max(0, rest_c)]
    return cats, r, c, exact


def compare_categorical(ref: dict, cur: dict) -> dict[str, Any]:
    """Every categorical statistic from two :class:`~datacheck.kernels.Frequencies` values."""
    cats, r, c, exact = _freq_vectors(ref, cur)
    nr, nc = int(r.sum()), int(c.sum())
    if nr == 0 or nc == 0:
        raise NoValues(f"no values on the {'reference' if nr == 0 else 'current'} side")
    chi2, p_chi2, df = stats_d.chi2_test(r, c)
    rp, cp = stats_d.pool_small(r, c)
    pr, pc = r / nr, c / nc
    diff = np.abs(pc - pr)
    order = np.argsort(-np.maximum(pr, pc), kind="stable")
    shown = order[:_MAX_SHOWN_CATEGORIES]
    rest = order[_MAX_SHOWN_CATEGORIES:]
    labels = [str(cats[i]) for i in shown] + (["(rest)"] if rest.size else [])
    rc = [int(r[i]) for i in shown] + ([int(r[rest].sum())] if rest.size else [])
    cc = [int(c[i]) for i in shown] + ([int(c[rest].sum())] if rest.size else [])
    top = int(np.argmax(diff))
    return {
        "n_ref": nr,
        "n_cur": nc,
        "chi2": chi2,
        "chi2_pvalue": p_chi2,
        "chi2_df": df,
        "cramers_v": math.sqrt(chi2 / (nr + nc)) if nr + nc else 0.0,
        "psi": stats_d.psi(rp, cp),
        "jensen_shannon": stats_d.jensen_shannon(rp, cp),
        "linf": float(diff.max()),
        "linf_category": str(cats[top]),
        "exact": exact,
        "max_error": int(ref.get("max_error", 0)) + int(cur.get("max_error", 0)),
        "categories": {"labels": labels, "ref": rc, "cur": cc},
        "ref_missing": int(ref.get("nulls", 0)),
        "cur_missing": int(cur.get("nulls", 0)),
    }


# ---------------------------------------------------------------------------------------------
# the check
# ---------------------------------------------------------------------------------------------
class DriftMixin(Check):
    """Planning and judging one column's drift; shared by ``drift``, ``label_drift`` and ``prediction_drift``."""

    def kind(self, column: str, ctx: Context) -> str:
        """``numeric`` or ``categorical``; raises ValueError when the column is absent or changed type."""
        cur = ctx.columns.get(column)
        ref = (ctx.reference_columns or {}).get(column)
        if ref is None:
            raise ValueError(f"column {column!r} is not in the reference")
        if cur is None:
            raise ValueError(f"column {column!r} is not in the current data")
        kinds = []
        for info in (ref, cur):
            if info.logical in NUMERIC_TYPES:
                kinds.append("numeric")
            elif info.logical in CATEGORICAL_TYPES:
                kinds.append("categorical")
            else:
                raise OutOfScope(
                    f"column {column!r} has type {info.logical} ({info.type}); drift compares numeric, "
                    "datetime, string, categorical and boolean columns"
                )
        if kinds[0] != kinds[1]:
            raise ValueError(
                f"column {column!r} changed type: {ref.logical} in the reference, {cur.logical} now (see schema_skew)"
            )
        return kinds[0]

    def method_for(self, kind: str) -> str:
        return self.p["numeric_method"] if kind == "numeric" else self.p["categorical_method"]

    def threshold_for(self, method: str) -> float:
        return self.p["threshold"] if self.p["threshold"] is not None else DEFAULT_THRESHOLDS[method]

    def edges_kernel(self, column: str) -> QuantileEdges:
        return QuantileEdges(column, self.p["fine_bins"], self.p["sample_size"], self.p["seed"])

    def drift_requires(self, column: str, ctx: Context) -> list:
        """Reference kernels first (edges, then counts on them); current kernels once the reference is done."""
        try:
            kind = self.kind(column, ctx)
        except ValueError:
            return []
        if kind == "categorical":
            # the hash buckets join the first pass on both sides: they share the batch's value counts
            # with Frequencies (one hash pass per batch), so a column with more distinct values than
            # Frequencies keeps exactly needs no second pass, and a low-cardinality one pays a few
            # hashes per batch; which of the two the comparison reads is decided after the pass
            hashed = HashedCounts(column, _HASH_BUCKETS)
            return [OnReference(Frequencies(column)), Frequencies(column), OnReference(hashed), hashed]
        qe = self.edges_kernel(column)
        first = [OnReference(qe), OnReference(Moments(column))]
        ref = ctx.require_reference()
        if qe not in ref:
            return first
        edges = ref[qe]["edges"]
        if not edges:
            return first
        bc = BinCounts(column, edges)
        return first + [OnReference(bc), bc]

    def exact_counts_kernel(self, column: str, ctx: Context) -> HashedCounts | None:
        """After a first pass whose category counts were approximate on either side (more distinct
        values than :class:`Frequencies` keeps), a second pass counting both sides exactly in fixed
        hash buckets. None while the first pass is pending or when it was exact."""
        f = Frequencies(column)
        ref = ctx.require_reference()
        if f not in ref:
            return None
        if f not in ctx.current:
            return None
        if ref[f]["exact"] and ctx.current[f]["exact"]:
            return None
        return HashedCounts(column, _HASH_BUCKETS)

    def category_counts(self, column: str, ctx: Context) -> tuple[dict, dict]:
        """Both sides' category counts: the first pass when exact, else the hash buckets of the
        exact second pass (as categories ``#0`` ... ``#4095``)."""
        exact = self.exact_counts_kernel(column, ctx)
        ref = ctx.require_reference()
        if exact is None:
            return ref[Frequencies(column)], ctx.current[Frequencies(column)]
        out = []
        for side in (ref[exact], ctx.current[exact]):
            counts = {f"#{j}": int(v) for j, v in enumerate(side["counts"]) if v}
            out.append(
                {"counts": counts, "total": side["total"], "nulls": side["nulls"], "exact": True, "max_error": 0}
            )
        return out[0], out[1]

    def column_stats(self, column: str, ctx: Context) -> dict[str, Any]:
        """All statistics of one column plus the judged method's effect, p-value and MDE."""
        kind = self.kind(column, ctx)
        method = self.method_for(kind)
        ref = ctx.require_reference()
        if kind == "categorical":
            s = compare_categorical(*self.category_counts(column, ctx))
            hashed = self.exact_counts_kernel(column, ctx) is not None
            if hashed:  # show the heaviest real categories (approximate counts), not bucket numbers
                fr, fc = ref[Frequencies(column)], ctx.current[Frequencies(column)]
                top = list(dict.fromkeys(list(fr["counts"])[:_MAX_SHOWN_CATEGORIES] + list(fc["counts"])))
                top = top[:_MAX_SHOWN_CATEGORIES]
                s["categories"] = {
                    "labels": [str(k) for k in top] + ["(rest)"],
                    "ref": [int(fr["counts"].get(k, 0)) for k in top] + [0],
                    "cur": [int(fc["counts"].get(k, 0)) for k in top] + [0],
                }
                s["categories"]["ref"][-1] = fr["total"] - sum(s["categories"]["ref"][:-1])
                s["categories"]["cur"][-1] = fc["total"] - sum(s["categories"]["cur"][:-1])
                s["categories_approximate"] = True
                s["linf_category"] = None
            effect = {
                "chi2": s["cramers_v"],
                "psi": s["psi"],
                "jensen_shannon": s["jensen_shannon"],
                "linf": s["linf"],
            }[method]
            stat = {"chi2": s["chi2"], "psi": s["psi"], "jensen_shannon": s["jensen_shannon"], "linf": s["linf"]}[
                method
            ]
            p = s["chi2_pvalue"]
            how = {
                "chi2": "Cramér's V of the 2 x k table",
                "psi": "PSI over categories (pseudo-count 0.5)",
                "jensen_shannon": "Jensen-Shannon distance (base 2) of category shares",
                "linf": "L-infinity distance of category shares",
            }[method]
            how += "; p-value: Pearson chi-square (cells with expected count < 5 pooled)"
            if hashed:
                how += (
                    f"; over {FREQ_CAP:,} distinct values: compared on exact counts in {_HASH_BUCKETS:,} fixed "
                    "hash buckets (the buckets depend on the values only, so two samples of one "
                    "distribution cannot differ by construction); categories shown with approximate counts"
                )
        else:
            qe = ref[self.edges_kernel(column)]
            if not qe["edges"]:
                raise NoValues("no finite values on the reference side")
            bc = BinCounts(column, qe["edges"])
            std = ref[Moments(column)]["std"]
            s = compare_numeric(ref[bc], ctx.current[bc], std if std == std else 0.0, self.p["bins"])
            res = s["ks_resolution"]
            nb = s["fine_bins"]
            if method in ("ks", "wasserstein", "wasserstein_sd"):
                p = s["ks_pvalue"]
                ks_how = (
                    f"KS on {nb:,} reference-quantile bins (exact counts; D is a lower bound of the exact "
                    f"D, gap <= {res:.2g}; p-value conservative)"
                )
                if method == "ks":
                    effect = stat = s["ks"]
                    how = ks_how
                elif method == "wasserstein":
                    effect = stat = s["wasserstein_ns"]
                    how = (
                        f"Wasserstein W1 of the reference's normal scores (rank-based: outliers cannot hide or "
                        f"fake a change; bins as atoms at their mid-rank scores); p-value: {ks_how}"
                    )
                else:
                    effect, stat = s["wasserstein"], s["wasserstein_raw"]
                    how = (
                        f"Wasserstein W1 / reference SD (bins as atoms at their means, error <= "
                        f"{num(s['wasserstein_error'])} in data units); p-value: {ks_how}"
                    )
            else:
                p = s["chi2_pvalue"]
                effect = stat = s[method]
                how = (
                    {"psi": "PSI (pseudo-count 0.5)", "jensen_shannon": "Jensen-Shannon distance (base 2)"}[method]
                    + f" on {len(s['bins']['ref'])} reference-quantile bins; p-value: Pearson chi-square on "
                    f"{s['chi2_df'] + 1} bins (adjacent bins merged until each expects >= 5 rows from the "
                    "reference shares)"
                )
        s.update(
            kind=kind,
            method=method,
            effect=float(effect),
            statistic=float(stat),
            p_value=p,
            how=how,
            mde=stats_d.min_detectable_effect(method, s["n_ref"], s["n_cur"], self.alpha, s["chi2_df"]),
            threshold=self.threshold_for(method),
        )
        return s

    def drift_result(self, column: Any, s: dict[str, Any], q: float, label: str = "") -> Any:
        """Build the Result for one column from :meth:`column_stats` and its q-value."""
        alpha = self.alpha
        thr = s["threshold"]
        big = s["effect"] > thr
        sig = q == q and q < alpha
        drifted = big and sig
        # underpowered only means something when the test did not reach significance
        under = (not sig) and s["mde"] == s["mde"] and s["mde"] > thr
        what = label or (f"{column}" if column is not None else "")
        msg = (
            f"{what}: {s['method']} effect {num(s['effect'])} "
            f"({'above' if big else 'within'} threshold {num(thr)}), q = {num(q)} "
            f"({'significant' if sig else 'not significant'} at {num(alpha)}); "
        )
        if drifted:
            msg += "drifted"
        elif sig:
            msg += "a real change, but smaller than the threshold: no material drift"
        else:
            msg += "no material drift"
        if under:
            msg += f"; underpowered: only effects >= {num(s['mde'])} are detectable at these sample sizes"
        details = {k: v for k, v in s.items() if k not in ("how",)}
        details["q_value"] = q
        details["underpowered"] = bool(under)
        observed = {
            "effect_size": s["effect"],
            "statistic": s["statistic"],
            "p_value": s["p_value"],
            "q_value": q,
            "mde": s["mde"],
            "n_ref": s["n_ref"],
            "n_cur": s["n_cur"],
        }
        return self.result(
            column,
            not drifted,
            observed=observed,
            expected={"threshold": thr, "alpha": alpha, "method": s["method"]},
            message=msg,
            method=s["how"],
            details=details,
            effect_size=s["effect"],
            p_value=s["p_value"],
        )


@register("drift")
class DriftCheck(DriftMixin, Check):
    """Per-column drift with effect sizes, BH-corrected significance and the MDE."""

    family = "shift"
    needs_reference = True
    default_columns = "*"
    column_types = NUMERIC_TYPES + CATEGORICAL_TYPES
    params = dict(DRIFT_PARAMS)

    def __init__(self, spec) -> None:
        super().__init__(spec)
        self._cache: tuple[int, dict] | None = None

    def _skip(self, column: str, ctx: Context) -> bool:
        return bool(ctx.roles.id) and column == ctx.roles.id

    def requires(self, column, ctx):
        if self._skip(column, ctx):
            return []
        return self.drift_requires(column, ctx)

    def _all(self, ctx: Context) -> dict:
        """Stats (or the error) of every bound column, and their BH q-values; computed once per run."""
        if self._cache is not None and self._cache[0] == id(ctx):
            return self._cache[1]
        out: dict[Any, Any] = {}
        for c in self.bound_columns:
            if self._skip(c, ctx):
                continue
            try:
                out[c] = self.column_stats(c, ctx)
            except (MetricUnavailable, ValueError, KeyError) as exc:
                out[c] = exc
        cols = [c for c, v in out.items() if isinstance(v, dict)]
        qs = benjamini_hochberg([out[c]["p_value"] for c in cols])
        for c, q in zip(cols, qs):
            out[c]["q_value"] = float(q)
        self._cache = (id(ctx), out)
        return out

    def evaluate(self, column, ctx):
        if self._skip(column, ctx):
            return self.skipped(column, f"{column!r} is the dataset's id column; ids are not compared")
        s = self._all(ctx).get(column)
        if s is None:
            s = self.column_stats(column, ctx)
            s["q_value"] = s["p_value"]
        if isinstance(s, NoValues):
            return self.skipped(
                column,
                f"{column!r}: {s} (all missing?); nothing to compare. Changes of the "
                "missing rate are judged by schema_skew",
            )
        if isinstance(s, OutOfScope):
            return self.skipped(column, f"not compared: {s}")
        if isinstance(s, ValueError):  # a type change or a column on one side only
            return self.error(column, str(s))
        if isinstance(s, KeyError):
            raise MetricUnavailable(str(s))
        if isinstance(s, Exception):
            raise s
        return self.drift_result(column, s, s["q_value"])
