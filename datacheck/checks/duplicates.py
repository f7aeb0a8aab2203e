"""``duplicates``: rows that repeat an earlier row (over all columns, or a subset).

Rows of a table made of a few coarse columns repeat by chance (eight yes/no and small-count
columns: 45% of the rows of the carData ``Arrests`` table equal an earlier one). When the share
found is over the default tolerance, a second pass counts each column's values and works out the
share of rows that columns this coarse would repeat if each were shuffled on its own, with the
repeated rows first taken out of each column's most common values
(:func:`datacheck.stats.chance_duplicate_share`). If chance alone exceeds the tolerance, repeated
records cannot be told from coincidences by counting, and while the suite sets neither
``max_fraction`` nor ``severity`` the finding is a ``warn`` that says so; otherwise it fails.

Examples
--------
>>> import pandas as pd, datacheck
>>> df = pd.DataFrame({"a": [1, 1, 2], "b": ["x", "x", "y"]})
>>> datacheck.run(df, {"name": "s", "checks": ["duplicates"]}).results[0].observed["duplicates"]
1
"""

from __future__ import annotations

from datacheck.checks._util import duplicates_result, pct
from datacheck.checks.base import Check, register
from datacheck.context import MetricUnavailable
from datacheck.kernels import Frequencies, RowCount, RowHashes
from datacheck.params import Param
from datacheck.stats import chance_duplicate_share, remove_from_largest


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

    @classmethod
    def validate_params(cls, params):
        if params.get("columns") is not None and not params["columns"]:
            return [("columns", "must name at least one column; leave it out to compare rows on all columns")]
        return []

    def kernel(self, ctx):
        cols = self.p.get("columns") or tuple(ctx.columns)
        return RowHashes(tuple(cols))

    def requires(self, column, ctx):
        missing = [c for c in (self.p.get("columns") or ()) if c not in ctx.columns]
        if missing:
            raise MetricUnavailable(f"column(s) {missing!r} not in the data [{self.spec.path}.columns]")
        k = self.kernel(ctx)
        if not k.columns:
            return [RowCount()]  # for the message only
        if k in ctx.current and self._judge_by_chance(ctx.current[k]):
            return [k, *(Frequencies(c) for c in k.columns)]
        return [k]

    def _judge_by_chance(self, d) -> bool:
        """Over the default tolerance with no threshold set: worth asking what chance explains."""
        given = self.spec.given & {"max_fraction", "severity"}
        return not given and d["rows"] > 1 and d["duplicate_rows"] > self.p["max_fraction"] * d["rows"]

    @staticmethod
    def _marginal(f: dict) -> list[float]:
        """A column's value counts, nulls as one value. Where the summary was approximate, the rows
        it did not keep count as values of the summary's error bound each (an upper bound on how
        often two rows agree on this column)."""
        counts = [float(v) for v in f["counts"].values()]
        if f.get("nulls"):
            counts.append(float(f["nulls"]))
        rest = f["total"] - sum(f["counts"].values())
        if rest > 0:
            size = max(1, int(f.get("max_error") or 1))
            counts += [float(size)] * (rest // size) + ([float(rest % size)] if rest % size else [])
        return counts

    def evaluate(self, column, ctx):
        k = self.kernel(ctx)
        if not k.columns:
            # rows with no values cannot be told apart or alike: pandas calls none of them duplicated,
            # the empty tuples are all equal; neither is a finding about the data
            return self.skipped(
                None,
                f"no columns to compare: the data has {ctx.current[RowCount()]:,} row(s) but no columns, so duplicate "
                "rows cannot be judged",
            )
        d = ctx.current[k]
        r = duplicates_result(self, None, d, ctx, noun="row", clean=f"no duplicate rows among {d['rows']:,}")
        if r.status == "fail" and self._judge_by_chance(d):
            # the repeated rows themselves make values repeat: take them out of every column first,
            # from its most common values, so that chance is never credited with the copies
            dup = d["duplicate_rows"]
            marginals = [remove_from_largest(self._marginal(ctx.current[Frequencies(c)]), dup) for c in k.columns]
            chance = chance_duplicate_share(marginals, d["rows"] - dup)
            r.details["chance_share"] = chance
            if chance > self.p["max_fraction"]:
                r.status, r.severity = "warn", "warn"
                r.details["advisory"] = (
                    "the columns are coarse enough that chance explains duplicates over the default tolerance: "
                    "reported, not gating (set max_fraction or severity: error to gate)"
                )
                r.message += (
                    f"; {pct(chance)} of rows would repeat by chance if the {len(k.columns)} column(s) were "
                    "independent, so repeated records cannot be told from coincidences by counting"
                )
        return r
