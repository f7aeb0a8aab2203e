"""``schema_skew``: what changed in the data's shape between the reference and the current data.

One table-level result lists columns present on one side only and type changes; then one result
per column present on both sides reports:

* **new categories** (string, categorical, boolean columns): values never seen in the reference
  and the share of current rows carrying them. A random sample always brings some unseen values
  when a column has rare values, so it fails only when the share exceeds the share expected
  without any change -- the Good–Turing estimate of unseen mass (reference singletons / reference
  rows) -- by more than ``max_new_share`` *and* significantly (one-sided z-test at ``alpha``);
* **vanished categories**: reference values absent now, and their reference share; judged the
  same way against the chance level (the current sample's singletons / current rows) with
  ``max_vanished_share``;
* **missing rate** change: fails when it moved by more than ``max_missing_change`` (absolute)
  *and* a two-proportion test says the change is real (p < ``alpha``);
* **out of range** (numeric and datetime columns): share of current values below the reference
  minimum or above its maximum. With no change at all about ``2 / (n_ref + 1)`` of the current
  values fall outside the range of ``n_ref`` reference values by chance (the reference extremes are
  themselves random), so it fails only when the share exceeds that chance level by more than
  ``max_outside_share`` *and* an exact test (:func:`outside_pvalue`, exchangeability of the two
  samples) gives p < ``alpha``.

Examples
--------
>>> import pandas as pd, datacheck
>>> ref = pd.DataFrame({"c": ["a", "b"] * 500, "x": range(1000)})
>>> cur = pd.DataFrame({"c": ["a", "b", "z", "a"] * 250, "x": range(1000)})
>>> rep = datacheck.run(cur, {"name": "s", "checks": ["schema_skew"]}, reference=ref)
>>> [(r.column, r.status) for r in rep.results]
[(None, 'pass'), ('c', 'fail'), ('x', 'pass')]
"""

from __future__ import annotations

import math

from datacheck.checks._util import num, pct, plain as _plain
from datacheck.checks.base import Check, OnReference, register
from datacheck.kernels import ColumnCounts, CountOutside, Frequencies, Moments
from datacheck.params import Param
from datacheck.stats import proportion_test

__all__ = ["SchemaSkewCheck", "outside_pvalue"]

_NUMERIC = ("integer", "float", "datetime", "duration")
_CATEGORICAL = ("string", "categorical", "boolean")
_SHOWN = 20


def _kind(logical: str) -> str | None:
    if logical in _NUMERIC:
        return "numeric"
    if logical in _CATEGORICAL:
        return "categorical"
    return None


@register("schema_skew")
class SchemaSkewCheck(Check):
    family = "shift"
    per_column = False
    needs_reference = True
    params = {
        "max_new_share": Param("number", default=0.01, low=0, high=1,
                               doc="share of current rows with never-seen categories allowed above the chance level"),
        "max_vanished_share": Param("number", default=0.01, low=0, high=1,
                                    doc="reference share of vanished categories allowed above the chance level"),
        "max_missing_change": Param("number", default=0.05, low=0, high=1,
                                    doc="absolute change of the missing rate allowed (if significant)"),
        "max_outside_share": Param("number", default=0.01, low=0, high=1,
                                   doc="share of current values outside the reference's [min, max] allowed "
                                       "above the chance level 2 / (n_ref + 1)"),
        "allow_new_columns": Param("bool", default=True, doc="columns only in the current data pass"),
        "allow_missing_columns": Param("bool", default=False, doc="columns only in the reference pass"),
        "allow_type_changes": Param("bool", default=False,
                                    doc="logical type changes pass (integer <-> float always passes)"),
        "alpha": Param("number", default=0.05, low=0, high=1, low_open=True, high_open=True,
                       doc="level of the tests (new / vanished categories, missing rate, out of range)"),
        "exclude": Param("strings", default=(), doc="columns left out"),
    }

    def _common(self, ctx) -> list[str]:
        ref = ctx.reference_columns or {}
        skip = set(self.p["exclude"] or ())
        return [c for c in ctx.columns if c in ref and c not in skip
                and _kind(ctx.columns[c].logical) is not None
                and _kind(ctx.columns[c].logical) == _kind(ref[c].logical)]

    def requires(self, column, ctx):
        need: list = []
        ref_done = True
        for c in self._common(ctx):
            need += [OnReference(ColumnCounts(c)), ColumnCounts(c)]
            if _kind(ctx.columns[c].logical) == "categorical":
                need += [OnReference(Frequencies(c)), Frequencies(c)]
            else:
                need.append(OnReference(Moments(c)))
                if Moments(c) in ctx.reference:
                    m = ctx.reference[Moments(c)]
                    if m["n"]:
                        need.append(CountOutside(c, m["min"], m["max"]))
                else:
                    ref_done = False
        if not ref_done:  # reference first: the current side's range counts need its min and max
            return [k for k in need if isinstance(k, OnReference)]
        return need

    def evaluate(self, column, ctx):
        ref = ctx.reference_columns or {}
        cur = ctx.columns
        skip = set(self.p["exclude"] or ())
        only_ref = [c for c in ref if c not in cur and c not in skip]
        only_cur = [c for c in cur if c not in ref and c not in skip]
        changes = {}
        for c in cur:
            if c in ref and c not in skip and ref[c].logical != cur[c].logical:
                changes[c] = f"{ref[c].logical} ({ref[c].type}) -> {cur[c].logical} ({cur[c].type})"
        strict = {c: v for c, v in changes.items()
                  if {ref[c].logical, cur[c].logical} != {"integer", "float"}}
        problems = []
        if only_ref and not self.p["allow_missing_columns"]:
            problems.append(f"{len(only_ref)} reference column(s) missing: {', '.join(only_ref[:_SHOWN])}")
        if only_cur and not self.p["allow_new_columns"]:
            problems.append(f"{len(only_cur)} new column(s): {', '.join(only_cur[:_SHOWN])}")
        if strict and not self.p["allow_type_changes"]:
            problems.append("type changed: " + "; ".join(f"{c}: {v}" for c, v in list(strict.items())[:_SHOWN]))
        msg = "; ".join(problems) if problems else (
            f"same columns and types ({len(cur)} columns)" if not (only_ref or only_cur or changes)
            else f"{len(only_ref)} missing, {len(only_cur)} new column(s), {len(changes)} type change(s): allowed")
        out = [self.result(None, not problems, observed={"only_in_reference": only_ref, "only_in_current": only_cur,
                                                           "type_changes": changes},
                           expected={k: self.p[k] for k in ("allow_new_columns", "allow_missing_columns",
                                                            "allow_type_changes")},
                           message=msg, method="schemas compared")]
        for c in self._common(ctx):
            try:
                out.append(self._column(c, ctx))
            except Exception as exc:  # one column's missing metric must not hide the others
                out.append(self.error(c, f"could not compute what schema_skew needs for {c!r}: {exc}"))
        return out

    def _column(self, c: str, ctx):
        rc, cc = ctx.reference[ColumnCounts(c)], ctx.current[ColumnCounts(c)]
        obs: dict = {}
        problems: list[str] = []
        # missing rate
        mr = rc["missing"] / rc["rows"] if rc["rows"] else 0.0
        mc = cc["missing"] / cc["rows"] if cc["rows"] else 0.0
        p_miss, how = proportion_test(cc["missing"], cc["rows"], rc["missing"], rc["rows"])
        obs.update(missing_rate_reference=mr, missing_rate_current=mc, missing_change=mc - mr, missing_p_value=p_miss)
        if abs(mc - mr) > self.p["max_missing_change"] and p_miss == p_miss and p_miss < self.p["alpha"]:
            problems.append(f"missing rate {pct(mr)} -> {pct(mc)} (p = {num(p_miss)})")
        if _kind(ctx.columns[c].logical) == "categorical":
            fr, fc = ctx.reference[Frequencies(c)], ctx.current[Frequencies(c)]
            new = {k: v for k, v in fc["counts"].items() if k not in fr["counts"]}
            gone = {k: v for k, v in fr["counts"].items() if k not in fc["counts"]}
            n_r, n_c = fr["total"], fc["total"]
            new_share = sum(new.values()) / n_c if n_c else 0.0
            gone_share = sum(gone.values()) / n_r if n_r else 0.0
            singletons = sum(1 for v in fr["counts"].values() if v == 1)
            exp_new = singletons / n_r if n_r else 0.0
            # by symmetry, the reference mass of values the current sample misses by chance is the
            # Good-Turing unseen mass of the current sample
            exp_gone = sum(1 for v in fc["counts"].values() if v == 1) / n_c if n_c else 0.0
            obs.update(new_categories=[_plain(k) for k in list(new)[:_SHOWN]], new_category_count=len(new),
                       new_share=new_share, expected_new_share=exp_new,
                       vanished_categories=[_plain(k) for k in list(gone)[:_SHOWN]], vanished_count=len(gone),
                       vanished_share=gone_share, expected_vanished_share=exp_gone)
            if _excess(new_share, n_c, exp_new, n_r, self.p["max_new_share"], self.p["alpha"]):
                shown = ", ".join(repr(_plain(k)) for k in list(new)[:5])
                problems.append(f"{len(new)} never-seen categor{'y' if len(new) == 1 else 'ies'} ({shown}) in "
                                f"{pct(new_share)} of rows (chance level {pct(exp_new)})")
            if _excess(gone_share, n_r, exp_gone, n_c, self.p["max_vanished_share"], self.p["alpha"]):
                shown = ", ".join(repr(_plain(k)) for k in list(gone)[:5])
                problems.append(f"{len(gone)} categor{'y' if len(gone) == 1 else 'ies'} vanished ({shown}), "
                                f"{pct(gone_share)} of reference rows")
            method = "exact category counts" if fr["exact"] and fc["exact"] else "approximate category counts (Misra-Gries)"
        else:
            m = ctx.reference[Moments(c)]
            if m["n"]:
                co = ctx.current[CountOutside(c, m["min"], m["max"])]
                k, n_c, n_r = co["below"] + co["above"], co["checked"], int(m["n"])
                share = k / n_c if n_c else 0.0
                chance = 2 / (n_r + 1)
                p_out = outside_pvalue(k, n_c, n_r)
                obs.update(reference_min=m["min"], reference_max=m["max"], below=co["below"], above=co["above"],
                           outside_share=share, expected_outside_share=chance, outside_p_value=p_out)
                if share - chance > self.p["max_outside_share"] and p_out < self.p["alpha"]:
                    problems.append(f"{pct(share)} of values outside the reference range [{num(m['min'])}, "
                                    f"{num(m['max'])}] ({co['below']:,} below, {co['above']:,} above; chance level "
                                    f"{pct(chance)}, p = {num(p_out)})")
            method = "exact counts; out of range: exact exchangeability test"
        msg = "; ".join(problems) if problems else "no schema skew"
        return self.result(c, not problems, observed=obs, message=msg, method=method,
                           expected={k: self.p[k] for k in ("max_new_share", "max_vanished_share",
                                                            "max_missing_change", "max_outside_share")})


def outside_pvalue(k: int, n_cur: int, n_ref: int) -> float:
    """P(at least ``k`` of ``n_cur`` current values fall outside the range of ``n_ref`` reference values)
    when both are draws from one continuous distribution (exact; with ties it is conservative).

    Pool the ``N = n_ref + n_cur`` values and sort them: each assignment of the sides is equally
    likely. ``a`` current values lie below the reference minimum and ``b`` above its maximum exactly
    when the ``a`` smallest and the ``b`` largest pooled values are current, with probability
    ``h(a + b)``, ``h(j) = (n_cur)_j / (N)_j`` (falling factorials). Summing over the ways to split
    ``k`` gives ``P(K >= k) = h(k) + k (h(k) - h(k + 1)) = h(k) (1 + k n_ref / (N - k))``. Its mean
    is ``2 n_cur / (n_ref + 1)``: the chance level ``2 / (n_ref + 1)`` of the outside share.
    """
    if k <= 0 or n_ref <= 0:
        return 1.0
    if k > n_cur:
        return 0.0
    big = n_ref + n_cur
    log_h = math.lgamma(n_cur + 1) - math.lgamma(n_cur - k + 1) - math.lgamma(big + 1) + math.lgamma(big - k + 1)
    return float(min(1.0, math.exp(log_h) * (1 + k * n_ref / (big - k))))


def _excess(share: float, n: int, chance: float, n_chance: int, allowed: float, alpha: float) -> bool:
    """True when ``share`` exceeds the chance level by more than ``allowed`` *and* significantly
    (one-sided z-test of share - chance with both estimates' binomial variance)."""
    excess = share - chance
    if excess <= allowed:
        return False
    var = share * (1 - share) / max(n, 1) + chance * (1 - chance) / max(n_chance, 1)
    if var <= 0:
        return True
    from scipy.stats import norm

    return bool(norm.sf(excess / math.sqrt(var)) < alpha)

