"""``forbidden_values``: no non-missing value is one of a given set (the converse of ``allowed_values``).

Examples
--------
>>> import pandas as pd, datacheck
>>> suite = {"name": "s", "checks": [{"forbidden_values": {"columns": "c", "values": ["N/A", -1]}}]}
>>> r = datacheck.run(pd.DataFrame({"c": ["x", "N/A", "y"]}), suite).results[0]
>>> r.status, r.observed["found"]
('fail', 1)
"""

from __future__ import annotations

from datacheck.checks._util import fraction, pct
from datacheck.checks.allowed_values import AllowedValues
from datacheck.checks.base import register
from datacheck.kernels import Frequencies
from datacheck.params import REQUIRED, Param


@register("forbidden_values")
class ForbiddenValues(AllowedValues):
    """The converse of ``allowed_values``: the same value list, its validation and its kernel."""

    params = {
        "values": Param("list", default=REQUIRED, doc="values that must not occur"),
        "max_fraction": Param("number", default=0.0, low=0, high=1, doc="share of forbidden values allowed"),
    }

    def requires(self, column, ctx):
        return [self.kernel(column), Frequencies(column)]

    def evaluate(self, column, ctx):
        d = ctx.current[self.kernel(column)]
        found = d["checked"] - d["outside"]
        frac = fraction(found, d["checked"])
        ok = frac <= self.p["max_fraction"]
        f = ctx.current[Frequencies(column)]
        from datacheck.checks.most_common_value import same_value

        evidence = [
            {"value": v, "count": c} for v, c in f["counts"].items() if any(same_value(v, x) for x in self.p["values"])
        ][:10] or None
        msg = (
            f"{found:,} forbidden value(s) ({pct(frac)})"
            + (", e.g. " + ", ".join(repr(e["value"]) for e in evidence[:5]) if evidence else "")
            if found
            else f"none of {d['checked']:,} values is forbidden"
        )
        return self.result(
            column,
            ok,
            observed={"found": found, "fraction": frac},
            expected={"values": list(self.p["values"]), "max_fraction": self.p["max_fraction"]},
            message=msg,
            evidence=evidence,
        )
