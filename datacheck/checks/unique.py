"""``unique``: values of a column, or of a compound key, are unique.

List a column for a single key, or a list of columns for a compound key:
``columns: [id, [user, day]]``. Rows with a missing key part are skipped unless
``ignore_missing: false``. Exact up to 64-bit hash collisions; 8 bytes per row held while reading, 16 at the end.

Examples
--------
>>> import pandas as pd, datacheck
>>> suite = {"name": "s", "checks": [{"unique": {"columns": [["a", "b"]]}}]}
>>> datacheck.run(pd.DataFrame({"a": [1, 1], "b": ["x", "x"]}), suite).results[0].observed["duplicates"]
1
"""

from __future__ import annotations

from datacheck.checks._util import duplicates_result
from datacheck.checks.base import Check, register
from datacheck.kernels import RowHashes
from datacheck.params import REQUIRED, Param


@register("unique")
class UniqueCheck(Check):
    default_columns = REQUIRED
    compound_keys = True  # columns: [id, [user, day]]
    params = {
        "ignore_missing": Param("bool", default=True, doc="skip rows where a key column is missing"),
        "max_fraction": Param("number", default=0.0, low=0, high=1, doc="share of duplicate keys allowed"),
        "count_all": Param(
            "bool",
            default=False,
            doc="count every row of a repeated key, the first included (Great Expectations' "
            "convention), not only the repeats",
        ),
    }

    def kernel(self, column):
        cols = tuple(column) if isinstance(column, (tuple, list)) else (column,)
        return RowHashes(cols, skip_missing=self.p["ignore_missing"])

    def requires(self, column, ctx):
        if isinstance(column, tuple):
            missing = [c for c in column if c not in ctx.columns]
            if missing:
                from datacheck.context import MetricUnavailable

                raise MetricUnavailable(f"key column(s) {missing!r} not in the data")
        return [self.kernel(column)]

    def evaluate(self, column, ctx):
        d = ctx.current[self.kernel(column)]
        if self.p.get("count_all"):
            d = {**d, "duplicate_rows": d["rows_in_duplicate_groups"]}
        return duplicates_result(self, column, d, ctx, noun="key", clean=f"all {d['rows']:,} keys unique")
