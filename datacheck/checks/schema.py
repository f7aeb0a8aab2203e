"""``schema``: required columns with their logical types; optionally no unexpected columns.

Types: ``integer``, ``float``, ``numeric`` (integer or float), ``string``, ``categorical`` (string
or dictionary-encoded), ``boolean``, ``datetime``, ``any``.

Examples
--------
>>> import pandas as pd, datacheck
>>> suite = {"name": "s", "checks": [{"schema": {"columns": {"a": "integer", "b": "string"}}}]}
>>> [r.status for r in datacheck.run(pd.DataFrame({"a": [1.5]}), suite).results]
['fail', 'fail']
"""

from __future__ import annotations

from datacheck.checks.base import Check, register
from datacheck.params import Param

TYPES = {
    "integer": ("integer",),
    "float": ("float",),
    "numeric": ("integer", "float"),
    "string": ("string", "categorical"),
    "categorical": ("string", "categorical", "boolean"),
    "boolean": ("boolean",),
    "datetime": ("datetime",),
    "any": None,
}


@register("schema")
class SchemaCheck(Check):
    per_column = False
    params = {
        "columns": Param("any", default=None, doc="mapping column -> type, or a list of required column names"),
        "allow_extra": Param("bool", default=True, doc="false: columns not listed fail"),
        "ordered": Param("bool", default=False, doc="true: the data's columns are exactly these, in this order"),
    }

    @classmethod
    def validate_params(cls, p):
        cols = p.get("columns")
        if cols is None:
            return [("columns", "is required: a mapping of column -> type or a list of column names")]
        if isinstance(cols, list):
            if not all(isinstance(c, str) for c in cols):
                return [("columns", f"must list column names as strings; got {cols!r}")]
            return []
        if not isinstance(cols, dict):
            return [("columns", f"must be a mapping of column -> type or a list of names; got {cols!r}")]
        problems = []
        for name, t in cols.items():
            if t not in TYPES:
                problems.append((f"columns.{name}", f"must be one of {', '.join(TYPES)}; got {t!r}"))
        return problems

    def expected(self) -> dict[str, str]:
        cols = self.p["columns"]
        return {c: "any" for c in cols} if isinstance(cols, (list, tuple)) else dict(cols)

    def evaluate(self, column, ctx):
        results = []
        expected = self.expected()
        for name, t in expected.items():
            info = ctx.columns.get(name)
            if info is None:
                results.append(
                    self.result(name, False, observed=None, expected=t, message=f"required column {name!r} is missing")
                )
                continue
            ok = TYPES[t] is None or info.logical in TYPES[t]
            msg = f"type {info.logical} ({info.type})" + ("" if ok else f"; expected {t}")
            results.append(
                self.result(
                    name, ok, observed=info.logical, expected=t, message=msg, details={"arrow_type": str(info.type)}
                )
            )
        if self.p.get("ordered"):
            got, want = list(ctx.columns), list(expected)
            results.append(
                self.result(
                    None,
                    got == want,
                    observed=got,
                    expected=want,
                    message="columns in the expected order"
                    if got == want
                    else f"columns are {got[:20]!r}; expected exactly {want[:20]!r} in this order",
                    details={"kind": "order"},
                )
            )
        if not self.p["allow_extra"]:
            extra = [c for c in ctx.columns if c not in expected]
            results.append(
                self.result(
                    None,
                    not extra,
                    observed=extra,
                    expected=[],
                    message=(
                        f"{len(extra)} unexpected column(s): {', '.join(map(repr, extra[:10]))}"
                        if extra
                        else "no unexpected columns"
                    ),
                )
            )
        return results
