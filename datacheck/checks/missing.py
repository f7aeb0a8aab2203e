"""``missing``: the share of missing values per column, and missing values in disguise.

Real missing values are nulls, NaN and NaT (one semantics everywhere: NaN counts as missing).
Disguised missing values are reported in a second result for the column, only when found:

* empty or whitespace-only strings;
* placeholder tokens (case- and space-insensitive; default :data:`DEFAULT_PLACEHOLDERS`);
* configured sentinels (``sentinels: [-999, "1900-01-01"]``);
* suspected sentinels found from the data: a value shaped like a sentinel (-1, -9, -99, ..., 99,
  999, 9999, ...; for dates years <= 1900, 1970-01-01, years >= 2099) that sits at the edge of the
  column's range as a spike (at least ``max(3, 0.1%)`` of the values, and at least five times as
  frequent as the next distinct value, or separated from it by more than a tenth of the range).
  Suspected sentinels are a suspicion, so their result is at most ``warn``.

Examples
--------
>>> import pandas as pd, datacheck
>>> df = pd.DataFrame({"city": ["Oslo", "?", None, "Rome"]})
>>> rs = datacheck.run(df, {"name": "s", "checks": [{"missing": {"max_fraction": 0.3}}]}).results
>>> [(r.status, r.observed["fraction"]) for r in rs]
[('pass', 0.25), ('fail', 0.25)]
"""

from __future__ import annotations

import math

from datacheck.checks._util import pct
from datacheck.checks.base import Check, register
from datacheck.kernels import ColumnCounts, CountEqual, DisguisedMissing, EdgeValues
from datacheck.params import Param

DEFAULT_PLACEHOLDERS = (
    "?",
    "na",
    "n/a",
    "nan",
    "null",
    "none",
    "nil",
    "-",
    "--",
    "unknown",
    "missing",
    "not available",
    "undefined",
    "#n/a",
)

_NUMERICISH = ("integer", "float", "datetime")
_TEXT = ("string", "categorical")


def _timestamp(*args, **kwargs):
    """``pandas.Timestamp`` (datetimes only), imported on first use: ``import datacheck`` stays light."""
    import pandas as pd

    return pd.Timestamp(*args, **kwargs)


def looks_like_sentinel(value: float, logical: str) -> bool:
    """True for values shaped like a sentinel: -1, -9, -99, ..., 99, 999, ...; odd dates."""
    if logical == "datetime":
        ts = _timestamp(value, unit="s")
        return ts.year <= 1900 or ts.year >= 2099 or (ts.year == 1970 and ts.month == 1 and ts.day == 1)
    if value != int(value):
        return False
    v = int(value)
    if v == -1:
        return True
    digits = str(abs(v))
    return len(digits) >= 2 and set(digits) == {"9"} or (v < 0 and set(digits) == {"9"})


def _as_number(v, logical: str) -> float | None:
    if logical == "datetime":
        try:
            ts = _timestamp(v)
        except (ValueError, TypeError):
            return None
        return ts.value / 1e9
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


@register("missing")
class MissingCheck(Check):
    keyword_roles = ("label", "prediction", "scores", "id")
    default_columns = "*"
    advisory_params = ("max_fraction", "max_disguised_fraction")
    params = {
        "max_fraction": Param(
            "number",
            default=0.01,
            low=0,
            high=1,
            doc="share of real missing values allowed (default 1%: a few nulls in a real table "
            "are not a defect; 0 for columns that must be complete)",
        ),
        "max_disguised_fraction": Param(
            "number", default=0.0, low=0, high=1, doc="share of disguised missing values allowed"
        ),
        "placeholders": Param("strings", default=DEFAULT_PLACEHOLDERS, doc="tokens that mean missing"),
        "sentinels": Param("list", default=(), doc="values that mean missing (numbers or dates)"),
        "detect_sentinels": Param("bool", default=True, doc="look for sentinel-shaped spikes at range edges"),
        "min_sentinel_share": Param(
            "number", default=0.001, low=0, high=1, doc="smallest share for a suspected sentinel"
        ),
    }

    @classmethod
    def validate_params(cls, p):
        bad = [s for s in p.get("sentinels") or () if not isinstance(s, (int, float, str)) or isinstance(s, bool)]
        if bad:
            return [("sentinels", f"must be numbers, strings or dates; got {bad[0]!r}")]
        return []

    def _sentinel_kernels(self, column, logical):
        out = []
        for s in self.p["sentinels"]:
            v = _as_number(s, logical)
            if v is not None:
                out.append(CountEqual(column, v))
        return out

    def _text_kernel(self, column):
        tokens = tuple(self.p["placeholders"]) + tuple(str(s) for s in self.p["sentinels"])
        return DisguisedMissing(column, tokens)

    def requires(self, column, ctx):
        lt = ctx.columns[column].logical
        ks = [ColumnCounts(column)]
        if lt in _TEXT:
            ks.append(self._text_kernel(column))
        elif lt in _NUMERICISH:
            ks += self._sentinel_kernels(column, lt)
            if self.p["detect_sentinels"]:
                ks.append(EdgeValues(column))
        return ks

    def evaluate(self, column, ctx):
        lt = ctx.columns[column].logical
        c = ctx.current[ColumnCounts(column)]
        n = c["rows"]
        frac = c["missing"] / n if n else 0.0
        ok = frac <= self.p["max_fraction"]
        parts = []
        if c["nulls"]:
            parts.append(f"{c['nulls']:,} null")
        if c["nan"]:
            parts.append(f"{c['nan']:,} NaN")
        msg = (
            f"{c['missing']:,} of {n:,} missing ({pct(frac)}"
            + (f": {', '.join(parts)})" if parts else ")")
            + ("" if ok else f"; allowed {pct(self.p['max_fraction'])}")
        )
        if n and c["missing"] == n:
            msg = f"all {n:,} values are missing"
        main = self.result(
            column,
            ok,
            strict=bool(n) and c["missing"] == n,  # an empty column is a defect on any table
            observed={"fraction": frac, "count": c["missing"], "nulls": c["nulls"], "nan": c["nan"]},
            expected={"max_fraction": self.p["max_fraction"]},
            message=msg,
            details={"rows": n, "missing": c["missing"], "max_disguised_fraction": self.p["max_disguised_fraction"]},
        )
        out = [main]
        disguised = self._disguised(column, lt, ctx, n)
        if disguised is not None:
            out.append(disguised)
        suspected = self._suspected(column, lt, ctx, n - c["missing"])
        if suspected is not None:
            out.append(suspected)
        main.details["disguised"] = disguised.observed["count"] if disguised is not None else 0
        main.details["suspected"] = suspected.observed["count"] if suspected is not None else 0
        return out

    def _disguised(self, column, lt, ctx, n):
        found: list[dict] = []
        if lt in _TEXT:
            d = ctx.current[self._text_kernel(column)]
            if d["empty"]:
                found.append({"value": "", "kind": "empty string", "count": d["empty"]})
            if d["whitespace"]:
                found.append({"value": " ", "kind": "whitespace only", "count": d["whitespace"]})
            found += [{"value": v, "kind": "placeholder", "count": k} for v, k in d["tokens"].items()]
        elif lt in _NUMERICISH:
            for k in self._sentinel_kernels(column, lt):
                cnt = ctx.current[k]
                if cnt:
                    found.append({"value": _show(k.value, lt), "kind": "configured sentinel", "count": cnt})
        if not found:
            return None
        total = sum(f["count"] for f in found)
        frac = total / n if n else 0.0
        ok = frac <= self.p["max_disguised_fraction"]
        shown = ", ".join(f"{f['value']!r} x{f['count']:,}" for f in found[:5])
        return self.result(
            column,
            ok,
            observed={"kind": "disguised", "fraction": frac, "count": total},
            expected={"max_disguised_fraction": self.p["max_disguised_fraction"]},
            message=f"{total:,} disguised missing value(s) ({pct(frac)}): {shown}",
            evidence=found,
            details={"kind": "disguised"},
        )

    def _suspected(self, column, lt, ctx, n_valid):
        if lt not in _NUMERICISH or not self.p["detect_sentinels"] or n_valid <= 0:
            return None
        configured = {_as_number(s, lt) for s in self.p["sentinels"]}
        e = ctx.current[EdgeValues(column)]
        lo_all = e["low"][0][0] if e["low"] else math.nan
        hi_all = e["high"][0][0] if e["high"] else math.nan
        found = []
        for side in ("low", "high"):
            vals = e[side]
            if len(vals) < 2:
                continue
            (v, cnt), (nxt, ncnt) = vals[0], vals[1]
            if v in configured or not looks_like_sentinel(v, lt):
                continue
            if cnt < max(3, self.p["min_sentinel_share"] * n_valid):
                continue
            other_edge = hi_all if side == "low" else lo_all
            if other_edge == -v:
                continue  # a symmetric range (-1..1, -99..99): the bound of a signed scale, not a code
            rest_range = abs(other_edge - nxt)
            spike = cnt >= 5 * ncnt
            # a gap counts only when it is wide for this column: beyond a tenth of the rest of the
            # range and beyond twice the spacing of the distinct values at the other edge (a coarse
            # column such as -1/0/1/2 has wide gaps everywhere)
            other = e["high"] if side == "low" else e["low"]
            spacing = abs(other[0][0] - other[1][0]) if len(other) >= 2 else 0.0
            gap = rest_range > 0 and abs(nxt - v) > max(0.1 * rest_range, 2 * spacing)
            if spike or gap:
                found.append(
                    {
                        "value": _show(v, lt),
                        "kind": f"suspected sentinel at the {side} edge",
                        "count": cnt,
                        "next_value": _show(nxt, lt),
                        "next_count": ncnt,
                    }
                )
        if not found:
            return None
        total = sum(f["count"] for f in found)
        frac = total / n_valid
        shown = ", ".join(
            f"{f['value']!r} x{f['count']:,} (next value {f['next_value']!r} x{f['next_count']:,})" for f in found
        )
        return self.result(
            column,
            False,
            status="warn" if self.severity in ("error", "warn") else None,
            observed={"kind": "suspected_sentinel", "fraction": frac, "count": total},
            expected="no sentinel-shaped spike at the range edges",
            message=f"suspected sentinel value(s) {shown}; declare them in 'sentinels' if they mean missing",
            evidence=found,
            details={"kind": "suspected_sentinel"},
        )


def _show(v: float, lt: str):
    if lt == "datetime":
        return _timestamp(v, unit="s").isoformat()
    return int(v) if float(v).is_integer() else v
