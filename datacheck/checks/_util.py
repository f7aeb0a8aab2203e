"""Small helpers shared by checks: number formatting, quantile lookups, evidence rows."""

from __future__ import annotations

import math
from typing import Any

from datacheck.context import Context, plain
from datacheck.fmt import pct
from datacheck.params import KEYWORD_TYPES, keyword_columns
from datacheck.quantiles import quantiles_need, quantiles_value

__all__ = [
    "pct",
    "num",
    "quantiles_need",
    "quantiles_value",
    "fraction",
    "duplicates_result",
    "plain",
    "shared_columns",
]


def num(x: Any) -> str:
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        return f"{x:.4g}"
    return str(x)


def fraction(k: int, n: int) -> float:
    return k / n if n else 0.0


def duplicates_result(check, column, d: dict, ctx: Context, *, noun: str, clean: str):
    """The verdict on a ``RowHashes`` value (shared by ``duplicates`` and ``unique``)."""
    from datacheck.kernels import RowHashes

    frac = fraction(d["duplicate_rows"], d["rows"])
    ok = frac <= check.p["max_fraction"]
    evidence = [{"rows": ctx.label_rows(g)} for g in d["examples"]] or None
    msg = (
        f"{d['duplicate_rows']:,} duplicate {noun}(s) ({pct(frac)}) in {d['groups']:,} group(s)"
        if d["duplicate_rows"]
        else clean
    )
    return check.result(
        column,
        ok,
        observed={"duplicates": d["duplicate_rows"], "fraction": frac, "groups": d["groups"]},
        expected={"max_fraction": check.p["max_fraction"]},
        message=msg,
        evidence=evidence,
        method=RowHashes.method,
    )


def shared_columns(
    check,
    ctx: Context,
    *,
    skip_roles: tuple[str | None, ...] = (),
    never: tuple[str | None, ...] = (),
    types: tuple[str, ...] | None = None,
) -> list[str]:
    """Columns selected by ``check.p["columns"]`` (a type keyword such as ``"*"``, a name or a list)
    that are on both sides, minus ``check.p["exclude"]``.

    ``skip_roles`` (role column names) are left out only when the selection is a keyword: naming a
    role column explicitly keeps it. ``never``: columns always left out. ``types``: logical types
    both sides must have (None: any).
    """
    ref = ctx.reference_columns or {}
    sel = check.p["columns"]
    skip = set(check.p["exclude"] or ()) | {c for c in never if c}
    if isinstance(sel, str) and sel in KEYWORD_TYPES:
        skip |= {c for c in skip_roles if c}
        names = keyword_columns(sel, {c: i.logical for c, i in ctx.columns.items()})
    else:
        names = [sel] if isinstance(sel, str) else list(sel)
    return [
        c
        for c in names
        if c not in skip
        and c in ctx.columns
        and c in ref
        and (types is None or (ctx.columns[c].logical in types and ref[c].logical in types))
    ]
