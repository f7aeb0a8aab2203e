"""``duplicates``: rows that repeat an earlier row (over all columns, or a subset).

Examples
--------
>>> import pandas as pd, datacheck
>>> df = pd.DataFrame({"a": [1, 1, 2], "b": ["x", "x", "y"]})
>>> datacheck.run(df, {"name": "s", "checks": ["duplicates"]}).results[0].observed["duplicates"]
1
"""

from __future__ import annotations

from datacheck.checks._util import fraction, pct
from datacheck.checks.base import Check, register
from datacheck.context import MetricUnavailable
from datacheck.kernels import RowHashes
from datacheck.params import Param


@register("duplicates")
class DuplicatesCheck(Check):
    per_column = False
    params = {
        "columns": Param("strings", default=None, doc="compare on these columns only (default: all)"),
        "max_fraction": Param("number", default=0.0, low=0, high=1, doc="share of duplicate rows allowed"),
    }

    def kernel(self, ctx):
        cols = self.p.get("columns") or tuple(ctx.columns)
        return RowHashes(tuple(cols))

    def requires(self, column, ctx):
        missing = [c for c in (self.p.get("columns") or ()) if c not in ctx.columns]
        if missing:
            raise MetricUnavailable(f"column(s) {missing!r} not in the data [{self.spec.path}.columns]")
        return [self.kernel(ctx)]

    def evaluate(self, column, ctx):
        d = ctx.current[self.kernel(ctx)]
        frac = fraction(d["duplicate_rows"], d["rows"])
        ok = frac <= self.p["max_fraction"]
        evidence = [{"rows": ctx.label_rows(g)} for g in d["examples"]] or None
        msg = (f"{d['duplicate_rows']:,} duplicate row(s) ({pct(frac)}) in {d['groups']:,} group(s)"
               if d["duplicate_rows"] else f"no duplicate rows among {d['rows']:,}")
        return self.result(None, ok, observed={"duplicates": d["duplicate_rows"], "fraction": frac, "groups": d["groups"]},
                           expected={"max_fraction": self.p["max_fraction"]}, message=msg, evidence=evidence,
                           method=RowHashes.method)
