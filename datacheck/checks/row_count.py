"""``row_count``: the number of rows lies within bounds.

Examples
--------
>>> import pandas as pd, datacheck
>>> r = datacheck.run(pd.DataFrame({"x": range(5)}), {"name": "s", "checks": [{"row_count": {"min": 10}}]})
>>> r.results[0].status, r.results[0].observed
('fail', 5)
"""

from __future__ import annotations

from datacheck.checks.base import Check, register
from datacheck.kernels import RowCount
from datacheck.params import Param


@register("row_count")
class RowCountCheck(Check):
    per_column = False
    params = {
        "min": Param("integer", default=None, low=0, doc="fewest rows allowed"),
        "max": Param("integer", default=None, low=0, doc="most rows allowed"),
    }

    @classmethod
    def validate_params(cls, p):
        if p.get("min") is None and p.get("max") is None:
            return [("", "needs 'min', 'max' or both")]
        if p.get("min") is not None and p.get("max") is not None and p["min"] > p["max"]:
            return [("min", f"must not exceed max ({p['max']}); got {p['min']}")]
        return []

    def requires(self, column, ctx):
        return [RowCount()]

    def evaluate(self, column, ctx):
        n = ctx.current[RowCount()]
        lo, hi = self.p.get("min"), self.p.get("max")
        ok = (lo is None or n >= lo) and (hi is None or n <= hi)
        expected = {"min": lo, "max": hi}
        bound = " and ".join(
            s for s in [f">= {lo:,}" if lo is not None else "", f"<= {hi:,}" if hi is not None else ""] if s
        )
        msg = f"{n:,} rows" + ("" if ok else f"; expected {bound}")
        return self.result(None, ok, observed=n, expected=expected, message=msg)
