"""``allowed_values``: every non-missing value is one of a given set.

Examples
--------
>>> import pandas as pd, datacheck
>>> suite = {"name": "s", "checks": [{"allowed_values": {"columns": "sex", "values": ["F", "M"]}}]}
>>> r = datacheck.run(pd.DataFrame({"sex": ["F", "M", "x", "x"]}), suite).results[0]
>>> r.status, r.evidence
('fail', [{'value': 'x', 'count': 2}])
"""

from __future__ import annotations

from datacheck.checks._util import fraction, pct
from datacheck.checks.base import Check, register
from datacheck.kernels import NotInSet
from datacheck.params import REQUIRED, Param


@register("allowed_values")
class AllowedValues(Check):
    column_types = ("string", "categorical", "integer", "float", "boolean")
    default_columns = REQUIRED
    params = {
        "values": Param("list", default=REQUIRED, doc="the allowed values"),
        "max_fraction": Param("number", default=0.0, low=0, high=1, doc="share of values allowed outside the set"),
    }

    @classmethod
    def validate_params(cls, p):
        vals = p.get("values") or ()
        if not vals:
            return [("values", "must list at least one value")]
        bad = [v for v in vals if not isinstance(v, (str, int, float, bool))]
        if bad:
            return [("values", f"must be scalars (strings, numbers, booleans); got {bad[0]!r}")]
        return []

    def kernel(self, column):
        return NotInSet(column, tuple(self.p["values"]))

    def requires(self, column, ctx):
        return [self.kernel(column)]

    def evaluate(self, column, ctx):
        d = ctx.current[self.kernel(column)]
        frac = fraction(d["outside"], d["checked"])
        ok = frac <= self.p["max_fraction"]
        evidence = [{"value": v, "count": c} for v, c in d["top"]] or None
        shown = ", ".join(repr(e["value"]) for e in (evidence or [])[:5])
        msg = (
            f"{d['outside']:,} value(s) ({pct(frac)}) outside the allowed set, e.g. {shown}"
            if d["outside"]
            else f"all {d['checked']:,} values allowed"
        )
        return self.result(
            column,
            ok,
            observed={"outside": d["outside"], "fraction": frac},
            expected={"values": list(self.p["values"]), "max_fraction": self.p["max_fraction"]},
            message=msg,
            evidence=evidence,
            method=None if d["top_exact"] else "exact count; offender list approximate (Misra-Gries)",
        )
