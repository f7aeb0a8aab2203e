"""``quantiles``: chosen quantiles of a numeric column lie within given ranges.

Quantiles are exact: a quantile summary brackets them in the first pass and a second pass reads them
off. ``interpolation: linear`` is numpy's default definition; ``nearest`` takes the order
statistic nearest to ``q (n - 1)`` (ties to the even position, as numpy and pandas do, and as
Great Expectations does on pandas).

Examples
--------
>>> import pandas as pd, datacheck
>>> suite = {"name": "s", "checks": [{"quantiles": {"columns": "x", "quantiles": [0.5, 0.9],
...          "ranges": [[4, 6], [None, 9]]}}]}
>>> r = datacheck.run(pd.DataFrame({"x": range(11)}), suite).results[0]
>>> r.status, r.observed
('pass', {0.5: 5.0, 0.9: 9.0})
"""

from __future__ import annotations

import math

from datacheck.checks._util import num, quantiles_need, quantiles_value
from datacheck.checks.base import Check, register
from datacheck.checks.statistic import bounds_text, within
from datacheck.kernels import Sketch
from datacheck.params import REQUIRED, Param


def _is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and not (isinstance(v, float) and math.isnan(v))


@register("quantiles")
class QuantilesCheck(Check):
    column_types = ("integer", "float", "boolean")
    default_columns = REQUIRED
    params = {
        "quantiles": Param("list", default=REQUIRED, doc="quantile levels in [0, 1]"),
        "ranges": Param("any", default=REQUIRED, doc="one [low, high] per quantile (null: unbounded)"),
        "interpolation": Param(
            "choice", default="linear", choices=("linear", "nearest"), doc="how a quantile between two values is read"
        ),
    }

    @classmethod
    def validate_params(cls, p):
        qs, rs = p.get("quantiles") or (), p.get("ranges")
        if not qs:
            return [("quantiles", "must list at least one quantile level")]
        bad = [q for q in qs if not _is_num(q) or not 0 <= q <= 1]
        if bad:
            return [("quantiles", f"must be numbers in [0, 1]; got {bad[0]!r}")]
        if not isinstance(rs, (list, tuple)) or len(rs) != len(qs):
            return [("ranges", f"must be a list of {len(qs)} [low, high] pairs, one per quantile; got {rs!r}")]
        for i, r in enumerate(rs):
            if not isinstance(r, (list, tuple)) or len(r) != 2 or not all(v is None or _is_num(v) for v in r):
                return [(f"ranges[{i}]", f"must be a [low, high] pair of numbers (null: unbounded); got {r!r}")]
            if r[0] is not None and r[1] is not None and r[0] > r[1]:
                return [(f"ranges[{i}]", f"low must not exceed high; got {list(r)!r}")]
        return []

    def levels(self, column, ctx) -> dict[float, float]:
        """The levels asked of the kernels for each requested quantile (nearest: an exact order statistic)."""
        qs = [float(q) for q in self.p["quantiles"]]
        if self.p["interpolation"] == "linear":
            return {q: q for q in qs}
        n = ctx.current[Sketch(column)].n
        if n <= 1:
            return {q: q for q in qs}
        return {q: round(q * (n - 1)) / (n - 1) for q in qs}  # round() ties to even, like numpy

    def requires(self, column, ctx):
        sk = Sketch(column)
        if sk not in ctx.current:
            return [sk]
        return quantiles_need(column, tuple(sorted(set(self.levels(column, ctx).values()))), ctx)

    def evaluate(self, column, ctx):
        lv = self.levels(column, ctx)
        values, how = quantiles_value(column, tuple(sorted(set(lv.values()))), ctx)
        observed, problems = {}, []
        for q, (lo, hi) in zip(lv, self.p["ranges"]):
            v = values[lv[q]]
            observed[q] = v
            if not within(v, lo, hi):
                problems.append(f"q{q:g} = {num(v)} outside {bounds_text(lo, hi)}")
        ok = not problems
        msg = (
            "; ".join(problems)
            if problems
            else "all quantiles within range: " + ", ".join(f"q{q:g} = {num(v)}" for q, v in observed.items())
        )
        return self.result(
            column,
            ok,
            observed=observed,
            expected={
                "quantiles": list(lv),
                "ranges": [list(r) for r in self.p["ranges"]],
                "interpolation": self.p["interpolation"],
            },
            message=msg,
            method=how,
        )
