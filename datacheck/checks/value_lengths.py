"""``value_lengths``: string values are between ``min`` and ``max`` characters long.

Missing values are not judged. Counts are exact in one pass; the evidence is the most frequent
offending values.

Examples
--------
>>> import pandas as pd, datacheck
>>> suite = {"name": "s", "checks": [{"value_lengths": {"columns": "zip", "min": 5, "max": 5}}]}
>>> r = datacheck.run(pd.DataFrame({"zip": ["12345", "1234", None]}), suite).results[0]
>>> r.status, r.observed["outside"]
('fail', 1)
"""

from __future__ import annotations

from datacheck.checks._util import fraction, pct
from datacheck.checks.base import Check, register
from datacheck.kernels.lengths import LengthOutside, LengthStats
from datacheck.params import REQUIRED, Param


@register("value_lengths")
class ValueLengthsCheck(Check):
    column_types = ("string", "categorical")
    default_columns = REQUIRED
    params = {
        "min": Param("integer", default=None, low=0, doc="shortest allowed length (characters)"),
        "max": Param("integer", default=None, low=0, doc="longest allowed length (characters)"),
        "max_fraction": Param("number", default=0.0, low=0, high=1, doc="share of values allowed outside"),
    }

    @classmethod
    def validate_params(cls, p):
        lo, hi = p.get("min"), p.get("max")
        if lo is None and hi is None:
            return [("", "needs 'min', 'max' or both")]
        if lo is not None and hi is not None and lo > hi:
            return [("min", f"must not exceed max ({hi}); got {lo}")]
        return []

    def kernels(self, column):
        return LengthOutside(column, self.p.get("min"), self.p.get("max")), LengthStats(column)

    def requires(self, column, ctx):
        return list(self.kernels(column))

    def evaluate(self, column, ctx):
        ko, ks = self.kernels(column)
        d, s = ctx.current[ko], ctx.current[ks]
        frac = fraction(d["outside"], d["checked"])
        ok = frac <= self.p["max_fraction"]
        lo, hi = self.p.get("min"), self.p.get("max")
        bound = f"[{'' if lo is None else lo}, {'' if hi is None else hi}]"
        evidence = [{"value": v, "length": len(str(v)), "count": c} for v, c in d["top"]] or None
        msg = (
            f"{d['outside']:,} value(s) ({pct(frac)}) with length outside {bound}; "
            f"observed lengths {s['min']}..{s['max']}"
            if d["outside"]
            else f"all {d['checked']:,} values have length within {bound}"
        )
        return self.result(
            column,
            ok,
            observed={"outside": d["outside"], "fraction": frac, "min_length": s["min"], "max_length": s["max"]},
            expected={"min": lo, "max": hi, "max_fraction": self.p["max_fraction"]},
            message=msg,
            evidence=evidence,
            details={"checked": d["checked"]},
        )
