"""``statistic``: a column aggregate (mean, median, min, max, stdev or sum) lies within bounds.

``mean``, ``stdev`` (sample, ddof=1), ``min``, ``max`` and ``sum`` come from moments merged in one
pass; ``median`` is exact (sketch brackets refined in a second pass). Missing values and NaN are
left out. ``strict_min``/``strict_max`` make a bound exclusive.

Examples
--------
>>> import pandas as pd, datacheck
>>> suite = {"name": "s", "checks": [{"statistic": {"columns": "x", "stat": "mean", "min": 0, "max": 2}}]}
>>> r = datacheck.run(pd.DataFrame({"x": [1.0, 2.0, 6.0]}), suite).results[0]
>>> r.status, r.observed
('fail', 3.0)
"""

from __future__ import annotations

import math

from datacheck.checks._util import num, quantiles_need, quantiles_value
from datacheck.checks.base import Check, register
from datacheck.kernels import Moments
from datacheck.params import Param

STATS = ("mean", "median", "min", "max", "stdev", "sum")


def within(value: float, lo: float | None, hi: float | None, strict_lo: bool = False, strict_hi: bool = False) -> bool:
    """True when ``value`` lies within the (optionally open) bounds; NaN is never within."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    if lo is not None and (value < lo or (strict_lo and value == lo)):
        return False
    if hi is not None and (value > hi or (strict_hi and value == hi)):
        return False
    return True


def bounds_text(lo, hi, strict_lo=False, strict_hi=False) -> str:
    return (
        f"{'(' if strict_lo or lo is None else '['}{'-inf' if lo is None else num(lo)}, "
        f"{'inf' if hi is None else num(hi)}{')' if strict_hi or hi is None else ']'}"
    )


@register("statistic")
class StatisticCheck(Check):
    column_types = ("integer", "float", "boolean")
    default_columns = "numeric"
    params = {
        "stat": Param("choice", default="mean", choices=STATS, doc="which aggregate"),
        "min": Param("number", default=None, doc="lowest allowed value of the aggregate"),
        "max": Param("number", default=None, doc="highest allowed value of the aggregate"),
        "strict_min": Param("bool", default=False, doc="true: the aggregate must exceed min"),
        "strict_max": Param("bool", default=False, doc="true: the aggregate must be below max"),
    }

    @classmethod
    def validate_params(cls, p):
        lo, hi = p.get("min"), p.get("max")
        if lo is None and hi is None:
            return [("", "needs 'min', 'max' or both")]
        if lo is not None and hi is not None and lo > hi:
            return [("min", f"must not exceed max ({hi}); got {lo}")]
        return []

    def requires(self, column, ctx):
        need = [Moments(column)]
        if self.p["stat"] == "median":
            need += quantiles_need(column, (0.5,), ctx)
        return need

    def value(self, column, ctx) -> tuple[float, str]:
        m = ctx.current[Moments(column)]
        stat = self.p["stat"]
        if stat == "median":
            q, how = quantiles_value(column, (0.5,), ctx)
            return q[0.5], how
        if not m["n"]:
            return math.nan, "exact moments"
        value = {"mean": m["mean"], "min": m["min"], "max": m["max"], "stdev": m["std"], "sum": m["mean"] * m["n"]}[
            stat
        ]
        return float(value), "exact moments (merged in one pass)"

    def evaluate(self, column, ctx):
        v, how = self.value(column, ctx)
        lo, hi, slo, shi = self.p.get("min"), self.p.get("max"), self.p["strict_min"], self.p["strict_max"]
        ok = within(v, lo, hi, slo, shi)
        b = bounds_text(lo, hi, slo, shi)
        stat = self.p["stat"]
        if isinstance(v, float) and math.isnan(v):
            msg = f"{stat} is undefined (no finite values, or too few for stdev); expected within {b}"
        else:
            msg = f"{stat} {num(v)}" + (f" within {b}" if ok else f" outside {b}")
        return self.result(
            column,
            ok,
            observed=v,
            expected={"stat": stat, "min": lo, "max": hi, "strict_min": slo, "strict_max": shi},
            message=msg,
            method=how,
            details={"stat": stat},
        )
