"""``range``: numeric or datetime values lie within ``[min, max]``.

Counts are exact in one pass; the evidence is the most extreme rows.

Examples
--------
>>> import pandas as pd, datacheck
>>> r = datacheck.run(pd.DataFrame({"age": [30, 40, 150]}), {"name": "s", "checks": [{"range": {"columns": "age", "min": 0, "max": 120}}]})
>>> r.results[0].status, r.results[0].observed["above"]
('fail', 1)
"""

from __future__ import annotations

import datetime as _dt
import sys

import numpy as np

from datacheck.checks._util import fraction, num, pct
from datacheck.checks.base import Check, register
from datacheck.context import MetricUnavailable
from datacheck.kernels import ColumnCounts, CountOutside, Extremes, Moments
from datacheck.params import Param

_NUMERIC = ("integer", "float", "datetime", "boolean")


def _timestamp(*args, **kwargs):
    """``pandas.Timestamp`` (datetimes only), imported on first use: ``import datacheck`` stays light."""
    import pandas as pd

    return pd.Timestamp(*args, **kwargs)


_EPOCH = _dt.datetime(1970, 1, 1)


def epoch_seconds(value) -> float:
    """A date or datetime bound in seconds since 1970 (UTC), for any year pandas can parse.

    Examples
    --------
    >>> epoch_seconds("1970-01-02")
    86400.0
    >>> epoch_seconds("9999-12-31") > 2.5e11
    True
    """
    if isinstance(value, (int, float)):
        raise TypeError("a number is not a date")
    if isinstance(value, _dt.datetime):
        dt = value
    elif isinstance(value, _dt.date):
        dt = _dt.datetime(value.year, value.month, value.day)
    else:
        dt = _timestamp(value).to_pydatetime()
    if dt.tzinfo is not None:
        dt = dt.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return (dt - _EPOCH).total_seconds()


def to_number(value, logical: str) -> float | int | None:
    """A bound from the suite as the engine's number (datetimes in epoch seconds).

    Integer bounds stay Python integers so integer columns are compared exactly at int64 extremes.
    """
    if value is None:
        return None
    if logical == "datetime":
        return epoch_seconds(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value if logical == "integer" else _clip_float(value)
    return float(value)


def _clip_float(value: int) -> float:
    try:
        return float(value)
    except OverflowError:  # beyond float range: every finite value is inside it, and inf is beyond it
        return sys.float_info.max if value > 0 else -sys.float_info.max


def show(value: float, logical: str):
    if logical == "datetime":
        return _timestamp(value, unit="s").isoformat()
    return value


@register("range")
class RangeCheck(Check):
    column_types = _NUMERIC
    default_columns = "numeric"
    params = {
        "min": Param("any", default=None, doc="lowest allowed value (a number, or a date for datetime columns)"),
        "max": Param("any", default=None, doc="highest allowed value"),
        "max_fraction": Param("number", default=0.0, low=0, high=1, doc="share of values allowed outside"),
        "strict_min": Param("bool", default=False, doc="true: a value equal to min is outside"),
        "strict_max": Param("bool", default=False, doc="true: a value equal to max is outside"),
    }

    @classmethod
    def validate_params(cls, p):
        lo, hi = p.get("min"), p.get("max")
        if lo is None and hi is None:
            return [("", "needs 'min', 'max' or both")]
        out = []
        parsed = []
        for key, v in (("min", lo), ("max", hi)):
            if v is None or isinstance(v, bool):
                if isinstance(v, bool):
                    out.append((key, f"must be a number or a date; got {v!r}"))
                parsed.append(None)
                continue
            if isinstance(v, (int, float)):
                parsed.append(v)
                continue
            try:
                parsed.append(epoch_seconds(v))
            except (ValueError, TypeError, OverflowError):
                out.append((key, f"must be a number or a date (e.g. 2024-01-31); got {v!r}"))
                parsed.append(None)
        kinds = {isinstance(x, str) or isinstance(x, _dt.date) for x in (lo, hi) if x is not None}
        if not out and len(kinds) == 2:
            out.append(("", f"min and max must both be numbers or both be dates; got {lo!r} and {hi!r}"))
        elif not out and parsed[0] is not None and parsed[1] is not None and parsed[0] > parsed[1]:
            out.append(("min", f"must not exceed max ({hi!r}); got {lo!r}"))
        return out

    def bounds(self, column, ctx):
        lt = ctx.columns[column].logical
        given = [v for v in (self.p.get("min"), self.p.get("max")) if v is not None]
        dated = any(isinstance(v, (str, _dt.date)) for v in given)
        if dated and lt != "datetime":
            raise MetricUnavailable(
                f"column {column!r} holds {lt} values but the bounds are dates; give number "
                f"bounds, or select datetime columns [{self.spec.path}]"
            )
        if not dated and lt == "datetime" and given:
            raise MetricUnavailable(
                f"column {column!r} holds dates but the bounds are numbers; give dates such as "
                f"2024-01-31 [{self.spec.path}]"
            )
        lo, hi = to_number(self.p.get("min"), lt), to_number(self.p.get("max"), lt)
        # an open bound is the closed bound one step inward (the counts compare x < lo, x > hi):
        # the next integer for integer bounds (kept exact), the next float otherwise
        if lo is not None and self.p.get("strict_min"):
            lo = lo + 1 if isinstance(lo, int) else float(np.nextafter(lo, np.inf))
        if hi is not None and self.p.get("strict_max"):
            hi = hi - 1 if isinstance(hi, int) else float(np.nextafter(hi, -np.inf))
        return lo, hi

    def requires(self, column, ctx):
        lo, hi = self.bounds(column, ctx)
        return [CountOutside(column, lo, hi), Moments(column), Extremes(column, 5), ColumnCounts(column)]

    def evaluate(self, column, ctx):
        lt = ctx.columns[column].logical
        lo, hi = self.bounds(column, ctx)
        c = ctx.current[CountOutside(column, lo, hi)]
        m = ctx.current[Moments(column)]
        ex = ctx.current[Extremes(column, 5)]
        bad = c["below"] + c["above"]
        frac = fraction(bad, c["checked"])
        ok = frac <= self.p["max_fraction"]
        evidence = []
        if lo is not None:
            evidence += [
                {"row": r, "value": show(v, lt)}
                for r, v in zip(ctx.label_rows(p for p, _ in ex["smallest"]), [v for _, v in ex["smallest"]])
                if v < lo
            ]
        if hi is not None:
            evidence += [
                {"row": r, "value": show(v, lt)}
                for r, v in zip(ctx.label_rows(p for p, _ in ex["largest"]), [v for _, v in ex["largest"]])
                if v > hi
            ]
        observed = {
            "below": c["below"],
            "above": c["above"],
            "fraction": frac,
            "min": show(m["min"], lt) if m["n"] else None,
            "max": show(m["max"], lt) if m["n"] else None,
        }
        expected = {"min": self.p.get("min"), "max": self.p.get("max"), "max_fraction": self.p["max_fraction"]}
        if bad:
            msg = (
                f"{bad:,} value(s) ({pct(frac)}) outside [{self.p.get('min')}, {self.p.get('max')}]: "
                f"{c['below']:,} below, {c['above']:,} above; observed range [{num(observed['min'])}, {num(observed['max'])}]"
            )
        else:
            msg = f"all {c['checked']:,} values within [{self.p.get('min')}, {self.p.get('max')}]"
        return self.result(column, ok, observed=observed, expected=expected, message=msg, evidence=evidence or None)
