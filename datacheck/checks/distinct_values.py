"""``distinct_values``: how many distinct values a column holds, and which.

* ``min_count`` / ``max_count``: bounds on the number of distinct non-missing values;
* ``min_ratio`` / ``max_ratio``: bounds on distinct values / non-missing values (1.0 = all unique);
* ``subset_of``: every distinct value is in this set; ``superset_of``: every value of this set
  occurs; ``equal_to``: both.

Counts are exact (64-bit value hashes); the set comparisons use exact value counts, available up
to 10,000 distinct values (beyond that the result is an ``error``).

Examples
--------
>>> import pandas as pd, datacheck
>>> suite = {"name": "s", "checks": [{"distinct_values": {"columns": "c", "superset_of": ["a", "b", "z"]}}]}
>>> r = datacheck.run(pd.DataFrame({"c": ["a", "b", "a"]}), suite).results[0]
>>> r.status, r.observed["missing_from_data"]
('fail', ['z'])
"""

from __future__ import annotations

from datacheck.checks._util import fraction, num
from datacheck.checks.base import Check, register
from datacheck.checks.most_common_value import same_value
from datacheck.checks.statistic import bounds_text, within
from datacheck.context import MetricUnavailable
from datacheck.kernels import Frequencies, RowHashes
from datacheck.params import REQUIRED, Param

_SETS = ("subset_of", "superset_of", "equal_to")


def _in(v, values) -> bool:
    return any(same_value(v, x) for x in values)


@register("distinct_values")
class DistinctValuesCheck(Check):
    default_columns = REQUIRED
    column_types = ("string", "categorical", "integer", "float", "boolean", "datetime")
    params = {
        "min_count": Param("integer", default=None, low=0, doc="fewest distinct values"),
        "max_count": Param("integer", default=None, low=0, doc="most distinct values"),
        "min_ratio": Param("number", default=None, low=0, high=1, doc="lowest distinct / non-missing ratio"),
        "max_ratio": Param("number", default=None, low=0, high=1, doc="highest distinct / non-missing ratio"),
        "subset_of": Param("list", default=None, doc="every distinct value must be one of these"),
        "superset_of": Param("list", default=None, doc="every one of these values must occur"),
        "equal_to": Param("list", default=None, doc="the distinct values must be exactly these"),
    }

    @classmethod
    def validate_params(cls, p):
        keys = ("min_count", "max_count", "min_ratio", "max_ratio") + _SETS
        if all(p.get(k) is None for k in keys):
            return [("", f"needs at least one of {', '.join(keys)}")]
        out = []
        for lo, hi in (("min_count", "max_count"), ("min_ratio", "max_ratio")):
            if p.get(lo) is not None and p.get(hi) is not None and p[lo] > p[hi]:
                out.append((lo, f"must not exceed {hi} ({p[hi]}); got {p[lo]}"))
        return out

    def _sets(self):
        return {k: self.p[k] for k in _SETS if self.p.get(k) is not None}

    def requires(self, column, ctx):
        need = [RowHashes((column,), skip_missing=True)]
        if self._sets():
            need.append(Frequencies(column))
        return need

    def evaluate(self, column, ctx):
        d = ctx.current[RowHashes((column,), skip_missing=True)]
        distinct = d["rows"] - d["duplicate_rows"]
        ratio = fraction(distinct, d["rows"])
        observed = {"distinct": distinct, "ratio": ratio, "non_missing": d["rows"]}
        problems = []
        lo, hi = self.p.get("min_count"), self.p.get("max_count")
        if (lo is not None or hi is not None) and not within(distinct, lo, hi):
            problems.append(f"{distinct:,} distinct values outside {bounds_text(lo, hi)}")
        lo, hi = self.p.get("min_ratio"), self.p.get("max_ratio")
        if (lo is not None or hi is not None) and not within(ratio, lo, hi):
            problems.append(f"distinct ratio {num(ratio)} outside {bounds_text(lo, hi)}")
        sets = self._sets()
        if sets:
            f = ctx.current[Frequencies(column)]
            if not f["exact"]:
                raise MetricUnavailable(
                    f"column {column!r} has more distinct values than are counted exactly; "
                    "its set of values is not known"
                )
            present = list(f["counts"])
            allowed = sets.get("subset_of", sets.get("equal_to"))
            if allowed is not None:
                extra = [v for v in present if not _in(v, allowed)]
                observed["unexpected"] = extra[:20]
                if extra:
                    problems.append(f"{len(extra)} value(s) not in the set, e.g. {', '.join(map(repr, extra[:5]))}")
            wanted = sets.get("superset_of", sets.get("equal_to"))
            if wanted is not None:
                absent = [v for v in wanted if not _in(v, present)]
                observed["missing_from_data"] = absent
                if absent:
                    problems.append(f"{len(absent)} expected value(s) absent: {', '.join(map(repr, absent[:5]))}")
        ok = not problems
        msg = "; ".join(problems) if problems else f"{distinct:,} distinct values (ratio {num(ratio)})"
        expected = {
            k: (list(v) if isinstance(v, tuple) else v) for k, v in self.p.items() if k in self.params and v is not None
        }
        return self.result(column, ok, observed=observed, expected=expected, message=msg, method=RowHashes.method)
