"""``most_common_value``: the column's most frequent value is one of a given set.

With ``ties_okay: true`` a tie for first place passes when any tied value is in the set;
otherwise a tie fails. Counts are exact up to 10,000 distinct values (beyond that the result is
an ``error``: the mode is not known exactly).

Examples
--------
>>> import pandas as pd, datacheck
>>> suite = {"name": "s", "checks": [{"most_common_value": {"columns": "c", "values": ["a"]}}]}
>>> datacheck.run(pd.DataFrame({"c": ["a", "a", "b"]}), suite).results[0].status
'pass'
"""

from __future__ import annotations

from datacheck.checks.base import Check, register
from datacheck.context import MetricUnavailable
from datacheck.kernels import Frequencies
from datacheck.params import REQUIRED, Param


def same_value(a, b) -> bool:
    """Equality as a suite means it: 1 == 1.0, but True is not 1 and '1' is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return str(a) == str(b) if isinstance(a, str) or isinstance(b, str) else a == b


@register("most_common_value")
class MostCommonValueCheck(Check):
    default_columns = REQUIRED
    column_types = ("string", "categorical", "integer", "float", "boolean")
    params = {
        "values": Param("list", default=REQUIRED, doc="the values the mode may be"),
        "ties_okay": Param("bool", default=False, doc="a tie passes when any tied value is allowed"),
    }

    @classmethod
    def validate_params(cls, p):
        if not p.get("values"):
            return [("values", "must list at least one value")]
        return []

    def requires(self, column, ctx):
        return [Frequencies(column)]

    def evaluate(self, column, ctx):
        f = ctx.current[Frequencies(column)]
        if not f["exact"]:
            raise MetricUnavailable(
                f"column {column!r} has more distinct values than are counted exactly; "
                "its most common value is not known exactly"
            )
        counts = f["counts"]
        if not counts:
            return self.result(
                column,
                False,
                observed=[],
                expected={"values": list(self.p["values"])},
                message="no non-missing values: there is no most common value",
            )
        top = max(counts.values())
        modes = [v for v, c in counts.items() if c == top]
        hits = [m for m in modes if any(same_value(m, v) for v in self.p["values"])]
        ok = bool(hits) if self.p["ties_okay"] else (len(modes) == 1 and bool(hits))
        shown = ", ".join(repr(m) for m in modes[:5])
        msg = (
            f"most common value {shown} ({top:,} of {f['total']:,})"
            if len(modes) == 1
            else f"{len(modes)} values tie as most common ({top:,} each): {shown}"
        )
        if not ok:
            msg += f"; expected one of {list(self.p['values'])!r}" + (
                "" if self.p["ties_okay"] or len(modes) == 1 else " and no tie"
            )
        return self.result(
            column,
            ok,
            observed=modes,
            expected={"values": list(self.p["values"]), "ties_okay": self.p["ties_okay"]},
            message=msg,
            details={"count": top, "total": f["total"]},
        )
