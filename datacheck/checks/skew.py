"""``skew``: lopsided distributions: skewness and kurtosis, class imbalance, near-constant columns.

* numeric columns: skewness (Fisher-Pearson g1) and excess kurtosis (g2) against bounds, from
  moments merged in one pass (exact); a two-valued numeric column (a 0/1 dummy) is judged as
  classes (``min_class_share``), since its skewness only restates its imbalance;
* the label column (suite ``dataset.label``): the smallest class share against ``min_label_share``;
  with ``dataset.task: regression`` the label is a continuous target and is judged as a numeric
  column (skewness, kurtosis, near-constant), never for class imbalance;
* categorical columns: optionally the smallest category share (``min_class_share``);
* every column: the share of the most frequent value against ``max_dominant_share`` (near-constant).
  For numeric columns a value holding more than half of the rows is the median, so the sketch's
  median is counted exactly in a second pass.

Examples
--------
>>> import numpy as np, pandas as pd, datacheck
>>> x = np.random.default_rng(0).lognormal(sigma=1.5, size=5000)
>>> r = datacheck.run(pd.DataFrame({"x": x}), {"name": "s", "checks": ["skew"]}).results[0]
>>> r.status, r.observed["skewness"] > 2
('fail', True)
"""

from __future__ import annotations

import math

from datacheck.checks._util import num, pct
from datacheck.checks.base import Check, register
from datacheck.kernels import CountEqual, Frequencies, Moments, Sketch
from datacheck.params import Param

_NUM = ("integer", "float")
_CAT = ("string", "categorical", "boolean")


@register("skew")
class SkewCheck(Check):
    keyword_roles = ("label",)
    column_types = _NUM + _CAT
    default_columns = "*"
    advisory_params = ("max_abs_skewness", "max_kurtosis", "min_label_share", "min_class_share", "max_dominant_share")
    params = {
        "max_abs_skewness": Param(
            "number",
            default=2.0,
            low=0,
            low_open=True,
            nullable=True,
            doc="largest |skewness| allowed (null: not checked)",
        ),
        "max_kurtosis": Param("number", default=7.0, nullable=True, doc="largest excess kurtosis allowed"),
        "min_label_share": Param(
            "number", default=0.05, low=0, high=1, nullable=True, doc="smallest class share allowed for the label"
        ),
        "min_class_share": Param(
            "number",
            default=None,
            low=0,
            high=1,
            nullable=True,
            doc="smallest category share allowed for categorical features",
        ),
        "max_dominant_share": Param(
            "number",
            default=0.99,
            low=0.5,
            high=1,
            nullable=True,
            doc="largest share of one value (near-constant columns)",
        ),
    }

    def _categorical(self, column, ctx) -> bool:
        info = ctx.columns[column]
        if info.logical in _CAT:
            return True
        # a numeric label is a class label unless the task is regression: a continuous target is
        # judged for skewness like any numeric column, never for "class imbalance"
        return column == ctx.roles.label and ctx.roles.task != "regression"

    def requires(self, column, ctx):
        if self._categorical(column, ctx):
            return [Frequencies(column)]
        need = [k for k in (Moments(column), Sketch(column)) if k not in ctx.current]
        if need:
            return need
        med = ctx.current[Sketch(column)].quantile(0.5)
        if math.isnan(med):
            return []
        m = ctx.current[Moments(column)]
        # two counts more in the same pass tell a two-valued (dummy) column from a skewed one
        return [CountEqual(column, med), CountEqual(column, m["min"]), CountEqual(column, m["max"])]

    @staticmethod
    def _two_valued(column, m, ctx) -> tuple[float, float] | None:
        """(rarer value, its share) when every finite value is the min or the max; else None."""
        if not m["n"] or m["min"] == m["max"]:
            return None
        lo, hi = ctx.current.get(CountEqual(column, m["min"])), ctx.current.get(CountEqual(column, m["max"]))
        if lo is None or hi is None or lo + hi != m["n"]:
            return None
        return (m["min"], lo / m["n"]) if lo <= hi else (m["max"], hi / m["n"])

    def evaluate(self, column, ctx):
        problems, observed, expected, details = [], {}, {}, {}
        dom = self.p["max_dominant_share"]
        if self._categorical(column, ctx):
            f = ctx.current[Frequencies(column)]
            total = f["total"]
            counts = f["counts"]
            if total and counts:
                top_v, top_c = next(iter(counts.items()))
                shares = {k: v / total for k, v in counts.items()}
                low_v = min(counts, key=lambda k: (counts[k], str(k)))
                observed.update(
                    dominant_value=top_v,
                    dominant_share=top_c / total,
                    min_class=low_v,
                    min_class_share=shares[low_v],
                    classes=f["distinct"],
                )
                details["shares"] = dict(list(shares.items())[:30])
                is_label = column == ctx.roles.label
                if is_label:
                    details["role"] = "label"
                bound = self.p["min_label_share"] if is_label else self.p["min_class_share"]
                if bound is not None and f["exact"]:
                    expected["min_class_share"] = bound
                    if shares[low_v] < bound:
                        problems.append(
                            f"{'class' if is_label else 'category'} {low_v!r} holds only "
                            f"{pct(shares[low_v])} (< {pct(bound)})"
                        )
                if dom is not None and len(counts) > 0:
                    expected["max_dominant_share"] = dom
                    if top_c / total > dom:
                        problems.append(f"near-constant: {top_v!r} holds {pct(top_c / total)} (> {pct(dom)})")
            msg_ok = f"{f['distinct'] if f['distinct'] is not None else 'many'} categories; most frequent holds {pct(observed.get('dominant_share'))}"
        else:
            m = ctx.current[Moments(column)]
            sk, ku = m["skewness"], m["kurtosis"]
            observed.update(skewness=sk, kurtosis=ku, n=m["n"])
            bs, bk = self.p["max_abs_skewness"], self.p["max_kurtosis"]
            two = self._two_valued(column, m, ctx)
            if two is not None:
                # a 0/1 dummy's skewness is (1 - 2p) / sqrt(p (1 - p)): its imbalance, not a lopsided
                # distribution (it passed 2 below a 10% minority). Judged as classes instead.
                bs = bk = None
                low_v, low_share = two
                observed.update(two_valued=True, min_class=low_v, min_class_share=low_share)
                bound = self.p["min_class_share"]
                if bound is not None:
                    expected["min_class_share"] = bound
                    if low_share < bound:
                        problems.append(f"value {num(low_v)} holds only {pct(low_share)} (< {pct(bound)})")
            if bs is not None:
                expected["max_abs_skewness"] = bs
                if not math.isnan(sk) and abs(sk) > bs:
                    problems.append(f"skewness {num(sk)} (|.| > {bs})")
            if bk is not None:
                expected["max_kurtosis"] = bk
                if not math.isnan(ku) and ku > bk:
                    problems.append(f"excess kurtosis {num(ku)} (> {bk})")
            med = ctx.current[Sketch(column)].quantile(0.5)
            if not math.isnan(med) and m["n"]:
                share = ctx.current[CountEqual(column, med)] / m["n"]
                if share > 0.5:
                    # then the median is the most frequent value and its share is exact; below half
                    # the sketch's median is just some value (it depends on how the data was
                    # batched), so it is not reported as the dominant value
                    observed.update(dominant_value=med, dominant_share=share)
                if dom is not None:
                    expected["max_dominant_share"] = dom
                    if share > dom:
                        problems.append(f"near-constant: {num(med)} holds {pct(share)} (> {pct(dom)})")
            if column == ctx.roles.label:
                details["role"] = "label (regression target)"
            msg_ok = (
                f"two values; the rarer ({num(observed['min_class'])}) holds {pct(observed['min_class_share'])} "
                "(skewness not judged for a two-valued column)"
                if two is not None
                else f"skewness {num(sk)}, excess kurtosis {num(ku)}"
            )
        ok = not problems
        return self.result(
            column,
            ok,
            observed=observed,
            expected=expected,
            message=msg_ok if ok else "; ".join(problems),
            details=details,
        )
