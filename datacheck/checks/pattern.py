"""``pattern``: strings match a regular expression (RE2 syntax, run by Arrow).

The whole value must match unless ``search: true``. With ``negate: true`` values must NOT match
(a forbidden pattern).

Examples
--------
>>> import pandas as pd, datacheck
>>> suite = {"name": "s", "checks": [{"pattern": {"columns": "zip", "regex": "[0-9]{5}"}}]}
>>> datacheck.run(pd.DataFrame({"zip": ["12345", "1234a"]}), suite).results[0].status
'fail'
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from datacheck.checks._util import fraction, pct
from datacheck.checks.base import Check, register
from datacheck.kernels import PatternMismatch
from datacheck.kernels.patterns import PatternHit
from datacheck.params import REQUIRED, Param


@register("pattern")
class PatternCheck(Check):
    column_types = ("string", "categorical")
    default_columns = REQUIRED
    params = {
        "regex": Param("string", default=REQUIRED, doc="RE2 regular expression"),
        "search": Param("bool", default=False, doc="true: match anywhere in the value"),
        "max_fraction": Param("number", default=0.0, low=0, high=1, doc="share of values allowed not to match"),
        "negate": Param("bool", default=False, doc="true: values must not match (a forbidden pattern)"),
    }

    @classmethod
    def validate_params(cls, p):
        from datacheck.params import MAX_REGEX_CHARS

        if len(p["regex"]) > MAX_REGEX_CHARS:
            return [
                (
                    "regex",
                    f"is {len(p['regex']):,} characters long; a regular expression may have at most "
                    f"{MAX_REGEX_CHARS:,}",
                )
            ]
        try:
            pc.match_substring_regex(pa.array([""]), pattern=p["regex"])
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            return [("regex", f"must be a valid RE2 regular expression; {str(exc).splitlines()[0]}")]
        return []

    def kernel(self, column):
        if self.p.get("negate"):
            return PatternHit(column, self.p["regex"], self.p["search"])
        return PatternMismatch(column, self.p["regex"], self.p["search"])

    def requires(self, column, ctx):
        return [self.kernel(column)]

    def evaluate(self, column, ctx):
        d = ctx.current[self.kernel(column)]
        if self.p.get("negate"):
            return self._negated(column, d)
        frac = fraction(d["mismatched"], d["checked"])
        ok = frac <= self.p["max_fraction"]
        evidence = [{"value": v, "count": c} for v, c in d["top"]] or None
        # the offender list is a bounded summary: with more distinct offenders than it holds, it
        # may keep none (every count within its error bound), so the message must not need one
        examples = ", ".join(repr(e["value"]) for e in (evidence or [])[:3])
        msg = (
            f"{d['mismatched']:,} value(s) ({pct(frac)}) do not match /{self.p['regex']}/"
            + (f", e.g. {examples}" if examples else " (too many distinct values to list)")
            if d["mismatched"]
            else f"all {d['checked']:,} values match /{self.p['regex']}/"
        )
        return self.result(
            column,
            ok,
            observed={"mismatched": d["mismatched"], "fraction": frac},
            expected={"regex": self.p["regex"], "max_fraction": self.p["max_fraction"]},
            message=msg,
            evidence=evidence,
        )

    def _negated(self, column, d):
        frac = fraction(d["matched"], d["checked"])
        ok = frac <= self.p["max_fraction"]
        evidence = [{"value": v, "count": c} for v, c in d["top"]] or None
        examples = ", ".join(repr(e["value"]) for e in (evidence or [])[:3])
        msg = (
            f"{d['matched']:,} value(s) ({pct(frac)}) match the forbidden /{self.p['regex']}/"
            + (f", e.g. {examples}" if examples else "")
            if d["matched"]
            else f"none of {d['checked']:,} values matches the forbidden /{self.p['regex']}/"
        )
        return self.result(
            column,
            ok,
            observed={"matched": d["matched"], "fraction": frac},
            expected={"regex": self.p["regex"], "negate": True, "max_fraction": self.p["max_fraction"]},
            message=msg,
            evidence=evidence,
        )
