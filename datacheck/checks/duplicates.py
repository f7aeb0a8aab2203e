"""``duplicates``: rows that repeat an earlier row (over all columns, or a subset).

Examples
--------
>>> import pandas as pd, datacheck
>>> df = pd.DataFrame({"a": [1, 1, 2], "b": ["x", "x", "y"]})
>>> datacheck.run(df, {"name": "s", "checks": ["duplicates"]}).results[0].observed["duplicates"]
1
"""

from __future__ import annotations

from datacheck.checks._util import duplicates_result
from datacheck.checks.base import Check, register
from datacheck.context import MetricUnavailable
from datacheck.kernels import RowCount, RowHashes
from datacheck.params import Param


@register("duplicates")
class DuplicatesCheck(Check):
    per_column = False
    params = {
        "columns": Param("strings", default=None, doc="compare on these columns only (default: all)"),
        "max_fraction": Param(
            "number",
            default=0.001,
            low=0,
            high=1,
            doc="share of duplicate rows allowed (default 0.1%: real tables hold a few identical "
            "records; a bad join or a double load duplicates far more)",
        ),
    }

    def kernel(self, ctx):
        cols = self.p.get("columns") or tuple(ctx.columns)
        return RowHashes(tuple(cols))

    def requires(self, column, ctx):
        missing = [c for c in (self.p.get("columns") or ()) if c not in ctx.columns]
        if missing:
            raise MetricUnavailable(f"column(s) {missing!r} not in the data [{self.spec.path}.columns]")
        if not self.kernel(ctx).columns:
            return [RowCount()]  # for the message only
        return [self.kernel(ctx)]

    def evaluate(self, column, ctx):
        if not self.kernel(ctx).columns:
            # rows with no values cannot be told apart or alike: pandas calls none of them duplicated,
            # the empty tuples are all equal; neither is a finding about the data
            return self.skipped(
                None,
                f"no columns to compare: the data has {ctx.current[RowCount()]:,} row(s) but no columns, so duplicate "
                "rows cannot be judged",
            )
        d = ctx.current[self.kernel(ctx)]
        return duplicates_result(self, None, d, ctx, noun="row", clean=f"no duplicate rows among {d['rows']:,}")
