"""Shared by ``slices`` and ``worst_slices``: turning columns into slice keys (categorical values or
numeric bins), naming slices, choosing the positive label, and reading ``min_support`` and ``bins``.

Numeric columns are cut at exact quantiles (a KLL sketch in one pass brackets them, a second pass
reads them off exactly, so the bins do not depend on how the data was split into batches) or at
edges given in the suite. A value that fills several quantiles (``capital-gain`` is 0 for 92% of
rows) gets a bin of its own (``capital-gain = 0``) instead of swallowing its neighbours.

Examples
--------
>>> edges_from_quantiles(0.0, [0.0, 0.0, 5.0], 99.0)
(0.0, 5e-324, 5.0, 99.0)
>>> predicate("age", Bin("age", (17.0, 28.0, 90.0)), 0)
'age in [17, 28)'
>>> predicate("sex", Col("sex"), None)
'sex is missing'
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from datacheck.checks._util import num, quantiles_need, quantiles_value
from datacheck.context import Context, MetricUnavailable
from datacheck.kernels.groups import Bin, Col

__all__ = [
    "validate_bins",
    "bins_for",
    "key_needs",
    "make_key",
    "predicate",
    "value_label",
    "edges_from_quantiles",
    "infer_positive",
    "support_threshold",
    "require_columns",
]

DEFAULT_BINS = 4


def validate_bins(bins: Any) -> str | None:
    """None when ``bins`` is valid, else the problem (for ``validate_params``)."""

    def one(v: Any) -> str | None:
        if v == "values":
            return None
        if isinstance(v, int) and not isinstance(v, bool):
            return None if 2 <= v <= 100 else f"a bin count must be an integer in [2, 100]; got {v}"
        if (
            isinstance(v, (list, tuple))
            and len(v) >= 2
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in v)
        ):
            return None if all(a < b for a, b in zip(v, v[1:])) else f"bin edges must increase strictly; got {list(v)}"
        return f"must be a bin count (2-100), a list of increasing edges, or 'values'; got {v!r}"

    if isinstance(bins, Mapping):
        for k, v in bins.items():
            msg = one(v)
            if msg:
                return f"{k}: {msg}"
        return None
    return one(bins)


def bins_for(bins: Any, column: str) -> Any:
    """The binning of ``column``: an int (quantile bins), a tuple of edges, or ``'values'``."""
    if isinstance(bins, Mapping):
        v = bins.get(column, DEFAULT_BINS)
    else:
        v = bins
    return tuple(float(x) for x in v) if isinstance(v, (list, tuple)) else v


def _qs(b: int) -> tuple[float, ...]:
    return tuple(round(i / b, 12) for i in range(1, b))


def _numeric(column: str, ctx: Context) -> bool:
    info = ctx.columns[column]
    return info.logical in ("integer", "float", "datetime")


def key_needs(columns: Iterable[str], bins: Any, ctx: Context) -> list:
    """Kernels still needed before the keys of ``columns`` are known (sketch, then exact quantiles)."""
    need: list = []
    for c in columns:
        b = bins_for(bins, c)
        if _numeric(c, ctx) and isinstance(b, int):
            need += quantiles_need(c, _qs(b), ctx)
    return need


def edges_from_quantiles(lo: float, qs: list[float], hi: float) -> tuple[float, ...]:
    """Bin edges ``[min, quantiles..., max]``; a value repeated among them gets its own point bin."""
    vals = [lo] + list(qs) + [hi]
    out: list[float] = []
    for v in vals:
        if out and v <= out[-1]:
            if v == out[-1] and (len(out) < 2 or out[-2] != v) and v < hi:
                out.append(float(np.nextafter(v, math.inf)))  # the point bin [v, v]
            continue
        out.append(float(v))
    if len(out) < 2:
        out = [float(lo), float(lo)]
    return tuple(out)


def make_key(column: str, bins: Any, ctx: Context) -> Col | Bin:
    """The group key of ``column``: its values (categorical, boolean, or ``bins: values``) or its bins."""
    b = bins_for(bins, column)
    if not _numeric(column, ctx) or b == "values":
        return Col(column)
    if isinstance(b, tuple):
        return Bin(column, b)
    qs = _qs(b)
    q, _ = quantiles_value(column, qs, ctx)
    from datacheck.kernels.quantiles import Sketch

    sk = ctx.current[Sketch(column)]
    if sk.n == 0:
        return Bin(column, (0.0, 1.0))
    return Bin(column, edges_from_quantiles(sk.quantile(0.0), [q[x] for x in qs], sk.quantile(1.0)))


def value_label(key: Col | Bin, value: Any) -> str:
    """The slice's value as text: ``Female``, ``[28, 37)``, ``(0, 5]``, ``= 0`` for a point bin, ``missing``."""
    if value is None:
        return "missing"
    if isinstance(key, Bin):
        e = key.edges
        i = int(value)
        if i < 0:
            return f"< {num(e[0])}"
        if i >= len(e) - 1:
            return f"> {num(e[-1])}"
        lo, hi = e[i], e[i + 1]
        if hi == np.nextafter(lo, math.inf) or lo == hi:
            return f"= {num(lo)}"
        close = "]" if i == len(e) - 2 else ")"
        if i > 0 and lo == np.nextafter(e[i - 1], math.inf):  # just above a point bin
            return f"({num(e[i - 1])}, {num(hi)}{close}"
        return f"[{num(lo)}, {num(hi)}{close}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def predicate(column: str, key: Col | Bin, value: Any) -> str:
    """A readable predicate: ``sex = Female``, ``age in [28, 37)``, ``capital-gain = 0``, ``x is missing``."""
    v = value_label(key, value)
    if value is None:
        return f"{column} is missing"
    if isinstance(key, Bin):
        return f"{column} {v}" if v[0] in "=<>" else f"{column} in {v}"
    return f"{column} = {v}"


_POSITIVE_WORDS = ("1", "yes", "true", "positive", "pos", "y")


def infer_positive(label_counts: Mapping[Any, int], given: Any = None) -> tuple[Any, str]:
    """The positive label and how it was chosen.

    ``given`` (the ``dataset.positive_label`` role) wins, matched by value or by its text. Otherwise
    ``True``/``1``/"yes"-like values, else the less frequent of two classes. Returns ``(None, ...)``
    for more than two classes (metrics are then macro averages).
    """
    values = [v for v in label_counts if v is not None]
    if given is not None:
        for v in values:
            if v == given and type(v) is not bool or v is given:
                return v, "dataset.positive_label"
        for v in values:
            if str(v) == str(given):
                return v, "dataset.positive_label"
        raise MetricUnavailable(
            f"dataset.positive_label {given!r} is not a value of the label column "
            f"(values: {', '.join(map(repr, sorted(values, key=str)[:10]))})"
        )
    if len(values) > 2:
        return None, "multiclass: macro average over classes"
    for v in values:
        if v is True or (isinstance(v, (int, float)) and not isinstance(v, bool) and v == 1):
            return v, "inferred: the label value 1/True"
    for v in values:
        if isinstance(v, str) and v.strip().lower() in _POSITIVE_WORDS:
            return v, f"inferred: the label value {v!r}"
    if not values:
        return None, "no labels"
    if len(values) == 1:
        return values[0], "inferred: the only label value"
    a, b = sorted(values, key=lambda v: (label_counts[v], str(v)))
    return a, f"inferred: the less frequent label value {a!r}; set dataset.positive_label to choose"


def support_threshold(min_support: float, n: int) -> int:
    """``min_support`` below 1 is a fraction of ``n`` rows; from 1 up it is a row count."""
    return int(math.ceil(min_support * n)) if min_support < 1 else int(min_support)


def require_columns(columns: Iterable[str], ctx: Context, where: str) -> None:
    """Raise MetricUnavailable naming the first column not in the data (with a close match)."""
    for c in columns:
        if c not in ctx.columns:
            close = difflib.get_close_matches(c, list(ctx.columns), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise MetricUnavailable(f"{where} names column {c!r}, which is not in the data{hint}")
