"""Exact quantiles read from a context's metrics: a quantile summary in one pass brackets them, a second
pass restricted to the brackets reads them off exactly (``ExactQuantiles``). Used by checks and by
:mod:`datacheck.roles` (quantile bins of grouping columns); it imports no check.
"""

from __future__ import annotations

import math

from datacheck.context import Context
from datacheck.kernels import ExactQuantiles, Sketch
from datacheck.kernels.quantiles import DEFAULT_K

__all__ = ["quantiles_need", "quantiles_value"]


def quantiles_need(column: str, qs: tuple[float, ...], ctx: Context, k: int = DEFAULT_K):
    """Kernels still needed for exact quantiles of ``column`` (a sketch, then the refinement)."""
    sk = Sketch(column, k)
    if sk not in ctx.current:
        return [sk]
    if ctx.current[sk].n == 0:
        return []  # no finite values: nothing to refine (and NaN brackets would never compare equal)
    eq = ExactQuantiles.from_sketch(column, qs, ctx.current[sk])
    return [] if eq in ctx.current else [eq]


def quantiles_value(
    column: str, qs: tuple[float, ...], ctx: Context, k: int = DEFAULT_K
) -> tuple[dict[float, float], str]:
    """Exact quantiles when the refinement succeeded, else the sketch's; and how they were computed."""
    sk = ctx.current[Sketch(column, k)]
    if sk.n == 0:
        return {q: math.nan for q in qs}, "no finite values"
    eq = ctx.current[ExactQuantiles.from_sketch(column, qs, sk)]
    out, exact = {}, True
    for q in qs:
        v = eq["values"].get(q)
        if v is None:
            v, exact = sk.quantile(q), False
        out[q] = v
    method = (
        "exact quantiles (summary brackets refined in a second pass)"
        if exact
        else f"approximate quantiles (quantile summary, rank error <= {sk.rank_error:.2%})"
    )
    return out, method
