"""``schema_skew``: what changed in the data's shape between the reference and the current data.

One table-level result lists columns present on one side only and type changes; then one result
per column present on both sides reports:

* **new categories** (string, categorical, boolean columns): values never seen in the reference
  and the share of current rows carrying them. A random sample always brings some unseen values
  when a column has rare values (ids, dates, free text bring almost only unseen values), so the
  share is compared with its chance level under no change: a seeded permutation test
  (:func:`datacheck.stats.unseen_permutation_test`) splits the pooled category counts at random
  into samples of the two sizes, which gives the chance level exactly and a p-value valid at any
  size. Fails when the share exceeds the chance level by more than ``max_new_share`` *and* the
  test is significant;
* **vanished categories**: reference values absent now, and their reference share; judged the
  same way with ``max_vanished_share``. Columns with over 10,000 distinct values (approximate
  counts) are left to ``drift``;
* **missing rate** change: fails when it moved by more than ``max_missing_change`` (absolute)
  *and* a two-proportion test says the change is real;
* **out of range** (numeric and datetime columns): share of current values below the reference
  minimum or above its maximum. With no change at all about ``2 / (n_ref + 1)`` of the current
  values fall outside the range of ``n_ref`` reference values by chance (the reference extremes are
  themselves random), so it fails only when the share exceeds that chance level by more than
  ``max_outside_share`` *and* an exact test (:func:`outside_pvalue`, exchangeability of the two
  samples) is significant;
* **far out of range** (numeric columns): share of current values beyond the reference range
  widened by its own width on each side, the mark of a unit slip (a part of the rows in cents, or
  x 1000) or a sentinel (999999). The out-of-range test then fails when over
  ``max_far_outside_share`` (0.1%) of the values are far outside, even if the share outside is
  within ``max_outside_share``: one hypothesis (more values outside than chance), two effect sizes
  that matter. A slip in 1% of the rows is under the 1% that ``max_outside_share`` allows and was
  caught by no default check before.

"Significant" means a Benjamini–Hochberg q-value below ``alpha`` across every test of every column
of the check, so a wide table does not raise false alarms by the number of its columns.

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
from dataclasses import dataclass

from datacheck.checks._util import num, pct
from datacheck.checks._util import plain as _plain
from datacheck.checks.base import Check, OnReference, register
from datacheck.kernels import ColumnCounts, CountOutside, Frequencies, Moments
from datacheck.params import Param
from datacheck.stats import benjamini_hochberg, proportion_test, unseen_permutation_test

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
        "max_new_share": Param(
            "number",
            default=0.01,
            low=0,
            high=1,
            doc="share of current rows with never-seen categories allowed above the chance level",
        ),
        "max_vanished_share": Param(
            "number",
            default=0.01,
            low=0,
            high=1,
            doc="reference share of vanished categories allowed above the chance level",
        ),
        "max_missing_change": Param(
            "number", default=0.02, low=0, high=1, doc="absolute change of the missing rate allowed (if significant)"
        ),
        "max_outside_share": Param(
            "number",
            default=0.01,
            low=0,
            high=1,
            doc="share of current values outside the reference's [min, max] allowed "
            "above the chance level 2 / (n_ref + 1)",
        ),
        "max_far_outside_share": Param(
            "number",
            default=0.001,
            low=0,
            high=1,
            doc="share of current values far outside the reference range (beyond it by more than its "
            "own width: unit slips, sentinels) allowed",
        ),
        "allow_new_columns": Param("bool", default=True, doc="columns only in the current data pass"),
        "allow_missing_columns": Param("bool", default=False, doc="columns only in the reference pass"),
        "allow_type_changes": Param(
            "bool", default=False, doc="logical type changes pass (integer <-> float always passes)"
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
        "exclude": Param("strings", default=(), doc="columns left out"),
        "permutations": Param(
            "integer",
            default=2000,
            low=100,
            high=100_000,
            doc="seeded permutations of the never-seen / vanished categories test",
        ),
        "seed": Param("integer", default=0, low=0, doc="seed of the permutations"),
    }

    def _common(self, ctx) -> list[str]:
        ref = ctx.reference_columns or {}
        skip = set(self.p["exclude"] or ())
        return [
            c
            for c in ctx.columns
            if c in ref
            and c not in skip
            and _kind(ctx.columns[c].logical) is not None
            and _kind(ctx.columns[c].logical) == _kind(ref[c].logical)
        ]

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
                        far = _far_bounds(m) if ctx.columns[c].logical in ("integer", "float") else None
                        if far is not None:
                            need.append(CountOutside(c, *far))
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
        strict = {c: v for c, v in changes.items() if {ref[c].logical, cur[c].logical} != {"integer", "float"}}
        problems = []
        if only_ref and not self.p["allow_missing_columns"]:
            problems.append(f"{len(only_ref)} reference column(s) missing: {', '.join(only_ref[:_SHOWN])}")
        if only_cur and not self.p["allow_new_columns"]:
            problems.append(f"{len(only_cur)} new column(s): {', '.join(only_cur[:_SHOWN])}")
        if strict and not self.p["allow_type_changes"]:
            problems.append("type changed: " + "; ".join(f"{c}: {v}" for c, v in list(strict.items())[:_SHOWN]))
        msg = (
            "; ".join(problems)
            if problems
            else (
                f"same columns and types ({len(cur)} columns)"
                if not (only_ref or only_cur or changes)
                else f"{len(only_ref)} missing, {len(only_cur)} new column(s), {len(changes)} type change(s): allowed"
            )
        )
        out = [
            self.result(
                None,
                not problems,
                observed={"only_in_reference": only_ref, "only_in_current": only_cur, "type_changes": changes},
                expected={k: self.p[k] for k in ("allow_new_columns", "allow_missing_columns", "allow_type_changes")},
                message=msg,
                method="schemas compared",
            )
        ]
        # every column's tests first, then one Benjamini-Hochberg correction over all of them
        tested: list[tuple[str, dict, list[_Test], str]] = []
        for c in self._common(ctx):
            try:
                obs, tests, method = self._column(c, ctx)
            except Exception as exc:  # one column's missing metric must not hide the others
                out.append(self.error(c, f"could not compute what schema_skew needs for {c!r}: {exc}"))
                continue
            tested.append((c, obs, tests, method))
        flat = [t for _, _, tests, _ in tested for t in tests]
        qs = benjamini_hochberg([t.p for t in flat])
        for t, q in zip(flat, qs):
            t.q = float(q)
        for c, obs, tests, method in tested:
            bad = [t for t in tests if t.over and t.q == t.q and t.q < self.alpha]
            for t in tests:
                obs[f"{t.key}_q_value"] = t.q
            msg = "; ".join(t.text + f" (q = {num(t.q)})" for t in bad) if bad else "no schema skew"
            out.append(
                self.result(
                    c,
                    not bad,
                    observed=obs,
                    message=msg,
                    method=method,
                    expected={
                        k: self.p[k]
                        for k in (
                            "max_new_share",
                            "max_vanished_share",
                            "max_missing_change",
                            "max_outside_share",
                            "max_far_outside_share",
                            "alpha",
                        )
                    },
                )
            )
        return out

    def _column(self, c: str, ctx) -> tuple[dict, list[_Test], str]:
        rc, cc = ctx.reference[ColumnCounts(c)], ctx.current[ColumnCounts(c)]
        obs: dict = {}
        tests: list[_Test] = []
        # missing rate
        mr = rc["missing"] / rc["rows"] if rc["rows"] else 0.0
        mc = cc["missing"] / cc["rows"] if cc["rows"] else 0.0
        p_miss, _ = proportion_test(cc["missing"], cc["rows"], rc["missing"], rc["rows"])
        obs.update(missing_rate_reference=mr, missing_rate_current=mc, missing_change=mc - mr, missing_p_value=p_miss)
        if rc["missing"] + cc["missing"] == 0:  # nothing missing on either side: no test (not counted by BH)
            p_miss = math.nan
        tests.append(
            _Test(
                "missing",
                abs(mc - mr),
                self.p["max_missing_change"],
                p_miss,
                f"missing rate {pct(mr)} -> {pct(mc)} (p = {num(p_miss)})",
            )
        )
        if _kind(ctx.columns[c].logical) == "categorical":
            fr, fc = ctx.reference[Frequencies(c)], ctx.current[Frequencies(c)]
            new = {k: v for k, v in fc["counts"].items() if k not in fr["counts"]}
            gone = {k: v for k, v in fr["counts"].items() if k not in fc["counts"]}
            distinct = len(set(fr["counts"]) | set(fc["counts"]))
            rows = fr["total"] + fc["total"]
            obs.update(
                new_categories=[_plain(k) for k in list(new)[:_SHOWN]],
                new_category_count=len(new),
                vanished_categories=[_plain(k) for k in list(gone)[:_SHOWN]],
                vanished_count=len(gone),
                distinct_share=distinct / rows if rows else 0.0,
            )
            if fr["exact"] and fc["exact"]:
                keys = list(dict.fromkeys(list(fr["counts"]) + list(fc["counts"])))
                perm = unseen_permutation_test(
                    [fr["counts"].get(k, 0) for k in keys],
                    [fc["counts"].get(k, 0) for k in keys],
                    draws=self.p["permutations"],
                    seed=self.p["seed"],
                )
                obs.update(
                    new_share=perm["new_share"],
                    expected_new_share=perm["expected_new_share"],
                    new_p_value=perm["new_p_value"],
                    vanished_share=perm["vanished_share"],
                    expected_vanished_share=perm["expected_vanished_share"],
                    vanished_p_value=perm["vanished_p_value"],
                )
                shown_new = ", ".join(repr(_plain(k)) for k in list(new)[:5])
                shown_gone = ", ".join(repr(_plain(k)) for k in list(gone)[:5])
                tests.append(
                    _Test(
                        "new",
                        perm["new_share"] - perm["expected_new_share"],
                        self.p["max_new_share"],
                        perm["new_p_value"],
                        f"{len(new)} never-seen categor{'y' if len(new) == 1 else 'ies'} ({shown_new}) in "
                        f"{pct(perm['new_share'])} of rows (chance level {pct(perm['expected_new_share'])}, "
                        f"p = {num(perm['new_p_value'])})",
                    )
                )
                tests.append(
                    _Test(
                        "vanished",
                        perm["vanished_share"] - perm["expected_vanished_share"],
                        self.p["max_vanished_share"],
                        perm["vanished_p_value"],
                        f"{len(gone)} categor{'y' if len(gone) == 1 else 'ies'} vanished ({shown_gone}), "
                        f"{pct(perm['vanished_share'])} of reference rows (chance level "
                        f"{pct(perm['expected_vanished_share'])}, p = {num(perm['vanished_p_value'])})",
                    )
                )
                method = (
                    "exact category counts; never-seen / vanished categories: seeded permutation test "
                    f"({self.p['permutations']:,} draws) of the share against its chance level under "
                    "exchangeability; missing rate: two-proportion test; Benjamini-Hochberg across all tests"
                )
            else:
                method = (
                    "category counts approximate (over 10,000 distinct values): never-seen / vanished "
                    "categories not judged (drift compares the distribution); missing rate: "
                    "two-proportion test"
                )
        else:
            m = ctx.reference[Moments(c)]
            method = (
                "exact counts; out of range: exact exchangeability test; missing rate: two-proportion test; "
                "Benjamini-Hochberg across all tests"
            )
            if m["n"]:
                co = ctx.current[CountOutside(c, m["min"], m["max"])]
                k, n_c, n_r = co["below"] + co["above"], co["checked"], int(m["n"])
                share = k / n_c if n_c else 0.0
                chance = 2 / (n_r + 1)
                p_out = outside_pvalue(k, n_c, n_r)
                obs.update(
                    reference_min=m["min"],
                    reference_max=m["max"],
                    below=co["below"],
                    above=co["above"],
                    outside_share=share,
                    expected_outside_share=chance,
                    outside_p_value=p_out,
                )
                far = _far_bounds(m) if ctx.columns[c].logical in ("integer", "float") else None
                far_text, far_over = "", False
                if far is not None:
                    cf = ctx.current[CountOutside(c, *far)]
                    k_far = cf["below"] + cf["above"]
                    share_far = k_far / n_c if n_c else 0.0
                    far_over = share_far > self.p["max_far_outside_share"]
                    obs.update(far_bounds=list(far), far_outside=k_far, far_outside_share=share_far)
                    if k_far:
                        far_text = (
                            f"; {pct(share_far)} far outside, beyond [{num(far[0])}, {num(far[1])}] (the range's "
                            "width again on each side: a unit slip or a sentinel)"
                        )
                # one hypothesis (more values outside the range than chance puts there), two sizes that
                # matter: many values just outside, or a few far outside (far outside is a part of outside,
                # so it needs no test of its own)
                tests.append(
                    _Test(
                        "outside",
                        share - chance,
                        self.p["max_outside_share"],
                        p_out,
                        f"{pct(share)} of values outside the reference range [{num(m['min'])}, "
                        f"{num(m['max'])}] ({co['below']:,} below, {co['above']:,} above; chance level "
                        f"{pct(chance)}, p = {num(p_out)}){far_text}",
                        exceeds=(share - chance > self.p["max_outside_share"]) or far_over,
                    )
                )
        return obs, tests, method


def _far_bounds(m: dict) -> tuple[float, float] | None:
    """The reference range widened by its own width on each side; None when it has no width."""
    try:
        lo, hi = float(m["min"]), float(m["max"])
    except (TypeError, ValueError, OverflowError):
        return None
    w = hi - lo
    if not (math.isfinite(w) and w > 0) or not (math.isfinite(lo - w) and math.isfinite(hi + w)):
        return None
    return (lo - w, hi + w)


@dataclass
class _Test:
    """One of a column's tests: its effect (excess over chance), the allowance, p and q."""

    key: str
    excess: float
    allowed: float
    p: float
    text: str
    q: float = math.nan
    #: whether the effect is large enough to matter, when that is more than ``excess > allowed``
    exceeds: bool | None = None

    @property
    def over(self) -> bool:
        return self.excess > self.allowed if self.exceeds is None else self.exceeds


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
