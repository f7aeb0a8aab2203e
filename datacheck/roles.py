"""Roles and groupings: one meaning for every family that compares groups of rows.

``bias``, ``slices``, ``worst_slices`` and ``label_errors`` (and the notebook APIs built on them)
read the positive label, the grouping keys of attribute columns, the bins of numeric attributes and
the intersections from here, so one suite cannot judge bias with one positive label and slices with
another, or cut ``age`` into different groups for each.

The positive label (:func:`positive_label`), in this order:

1. the value given -- a check's own ``positive_label`` parameter where it has one, else the suite's
   ``dataset.positive_label`` -- matched by value or by its text; a value that is not a label value
   is an error, never a silent fallback (with no labels at all it is taken as given);
2. more than two label values: none (multiclass; each family says what it does then);
3. ``True`` / ``1``; a label holding only ``0`` / ``False`` still has ``1`` / ``True`` as positive;
4. a "yes"-like value (``yes``, ``true``, ``positive``, ``pos``, ``y``, ``1``, any case);
5. the only value, when there is one;
6. the less frequent of the two values (the minority class, as in fraud or disease labels; a tie
   goes to the first in text order). Set ``dataset.positive_label`` to choose.

Grouping keys (:func:`group_key`): a text, boolean or low-cardinality column is grouped by its
values; a numeric or datetime column with more than :data:`DISCRETE_MAX` distinct values is cut at
:data:`DEFAULT_BINS` exact quantiles (a quantile summary in one pass brackets them, a second pass reads
them off exactly, so groups do not depend on how the data was split into batches). A value that
fills several quantiles (``capital-gain`` is 0 for 92% of rows) gets a bin of its own
(``capital-gain = 0``). ``bins`` overrides this per check: a bin count, a list of edges,
``{quantiles: q}``, ``'values'``, or a mapping of those per column.

Examples
--------
>>> positive_label({"<=50K": 80, ">50K": 20})
('>50K', "inferred: the less frequent label value '>50K'; set dataset.positive_label to choose")
>>> positive_label({0: 70, 1: 30})[0], positive_label({"no": 10, "yes": 90})[0]
(1, 'yes')
>>> positive_label({"a": 1, "b": 2, "c": 3})
(None, 'multiclass: more than two label values')
>>> edges_from_quantiles(0.0, [0.0, 0.0, 5.0], 99.0)
(0.0, 5e-324, 5.0, 99.0)
>>> predicate("age", Bin("age", (17.0, 28.0, 90.0)), 0)
'age in [17, 28)'
>>> predicate("sex", Col("sex"), None)
'sex is missing'
>>> dimensions(["sex", "race"], True)
[(0,), (1,), (0, 1)]
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from datacheck.context import Context, MetricUnavailable
from datacheck.kernels.base import BatchView, logical_type
from datacheck.kernels.frequencies import Frequencies
from datacheck.kernels.groups import Bin, Col, GroupCounts
from datacheck.kernels.quantiles import Sketch
from datacheck.params import Param
from datacheck.quantiles import quantiles_need, quantiles_value

__all__ = [
    "DEFAULT_BINS",
    "DISCRETE_MAX",
    "positive_label",
    "positive_label_of",
    "label_counts_kernel",
    "validate_bins",
    "bins_param",
    "bins_for",
    "key_needs",
    "group_key",
    "make_key",
    "key_from_rows",
    "edges_from_quantiles",
    "value_label",
    "predicate",
    "dimensions",
    "crosses",
    "support_threshold",
    "require_columns",
]

#: quantile bins of a numeric grouping column with many distinct values (unless ``bins`` says otherwise)
DEFAULT_BINS = 4
#: a numeric grouping column with at most this many distinct values is grouped by its values
DISCRETE_MAX = 12

_POSITIVE_WORDS = ("1", "yes", "true", "positive", "pos", "y")


# -- the positive label ----------------------------------------------------------------------------
def positive_label(label_counts: Mapping[Any, int], given: Any = None) -> tuple[Any, str]:
    """The positive label and how it was chosen (the rule in the module docstring).

    Parameters
    ----------
    label_counts : mapping
        Label value -> row count (``None``, a missing label, is left out).
    given : optional
        The check's ``positive_label`` parameter, else ``dataset.positive_label``.

    Returns
    -------
    (value or None, how)
        ``None`` for more than two label values, or no labels at all.

    Raises
    ------
    MetricUnavailable
        ``given`` is not a value of the label.
    """
    values = [v for v in label_counts if v is not None]
    if given is not None:
        for v in values:
            if (v == given and type(v) is not bool) or v is given:
                return v, "dataset.positive_label"
        for v in values:
            if str(v) == str(given):
                return v, "dataset.positive_label"
        if not values:
            return given, "dataset.positive_label"
        raise MetricUnavailable(
            f"positive_label {given!r} is not a value of the label column "
            f"(values: {', '.join(map(repr, sorted(values, key=str)[:10]))})"
        )
    if len(values) > 2:
        return None, "multiclass: more than two label values"
    for v in values:
        if v is True or (isinstance(v, (int, float)) and not isinstance(v, bool) and v == 1):
            return v, "inferred: the label value 1/True"
    if values and all(
        v is False or (isinstance(v, (int, float)) and not isinstance(v, bool) and v == 0) for v in values
    ):
        return (True if values[0] is False else 1), "inferred: 1/True (no row has it)"
    for v in values:
        if isinstance(v, str) and v.strip().lower() in _POSITIVE_WORDS:
            return v, f"inferred: the label value {v!r}"
    if not values:
        return None, "no labels"
    if len(values) == 1:
        return values[0], "inferred: the only label value"
    a, _ = sorted(values, key=lambda v: (label_counts[v], str(v)))
    return a, f"inferred: the less frequent label value {a!r}; set dataset.positive_label to choose"


def label_counts_kernel(label: str) -> GroupCounts:
    """The kernel whose value :func:`positive_label_of` reads: the label's value counts."""
    return GroupCounts((Col(label),))


def positive_label_of(ctx: Context, label: str, given: Any = None) -> tuple[Any, str]:
    """:func:`positive_label` on the label's counts in the current data (after
    :func:`label_counts_kernel` was folded); ``given`` defaults to ``dataset.positive_label``."""
    counts = {k[0]: c for k, c in ctx.current[label_counts_kernel(label)].items()}
    return positive_label(counts, ctx.roles.positive_label if given is None else given)


# -- bins of numeric grouping columns --------------------------------------------------------------
def bins_param(what: str = "numeric columns") -> Param:
    """The ``bins`` parameter of a check that groups rows (one declaration, one meaning)."""
    return Param(
        "any",
        default=None,
        doc=f"{what}: quantile bin count, {{quantiles: q}}, list of edges, 'values', or a mapping per "
        f"column (default: values when at most {DISCRETE_MAX} distinct, else {DEFAULT_BINS} quantile bins)",
    )


def validate_bins(bins: Any) -> str | None:
    """None when ``bins`` is valid, else the problem (for ``validate_params``)."""

    def one(v: Any) -> str | None:
        if v is None or v == "values":
            return None
        if isinstance(v, Mapping) and set(v) == {"quantiles"}:
            v = v["quantiles"]
            if isinstance(v, int) and not isinstance(v, bool):
                return None if 2 <= v <= 100 else f"quantiles must be an integer in [2, 100]; got {v}"
            return f"quantiles must be an integer in [2, 100]; got {v!r}"
        if isinstance(v, int) and not isinstance(v, bool):
            return None if 2 <= v <= 100 else f"a bin count must be an integer in [2, 100]; got {v}"
        if (
            isinstance(v, (list, tuple))
            and len(v) >= 2
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in v)
        ):
            return None if all(a < b for a, b in zip(v, v[1:])) else f"bin edges must increase strictly; got {list(v)}"
        return f"must be a bin count (2-100), {{quantiles: q}}, a list of increasing edges, or 'values'; got {v!r}"

    if isinstance(bins, Mapping) and set(bins) != {"quantiles"}:
        for k, v in bins.items():
            msg = one(v)
            if msg:
                return f"{k}: {msg}"
        return None
    return one(bins)


def bins_for(bins: Any, column: str) -> Any:
    """The binning of ``column``: None (automatic), an int (quantile bins), a tuple of edges, or ``'values'``."""
    v = bins
    if isinstance(bins, Mapping) and set(bins) != {"quantiles"}:
        v = bins.get(column)
    if isinstance(v, Mapping):
        v = v["quantiles"]
    return tuple(float(x) for x in v) if isinstance(v, (list, tuple)) else v


def _qs(b: int) -> tuple[float, ...]:
    return tuple(round(i / b, 12) for i in range(1, b))


def _binnable(column: str, ctx: Context) -> bool:
    return ctx.columns[column].logical in ("integer", "float", "datetime")


def _quantile_count(column: str, b: Any, ctx: Context) -> tuple[int | None, list]:
    """(quantile bin count or None for values, kernels still needed) for an int or automatic binning."""
    if isinstance(b, int):
        return b, []
    fr = Frequencies(column, cap=DISCRETE_MAX)
    if fr not in ctx.current:
        return None, [fr]
    return (None if ctx.current[fr]["exact"] else DEFAULT_BINS), []


def key_needs(columns: Iterable[str], bins: Any, ctx: Context) -> list:
    """Kernels still needed before the keys of ``columns`` are known (distinct count, sketch, exact quantiles)."""
    need: list = []
    for c in columns:
        b = bins_for(bins, c)
        if not _binnable(c, ctx) or b == "values" or isinstance(b, tuple):
            continue
        q, n = _quantile_count(c, b, ctx)
        need += n if n else (quantiles_need(c, _qs(q), ctx) if q else [])
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


def group_key(column: str, bins: Any, ctx: Context) -> tuple[Col | Bin, str]:
    """The group key of ``column`` and how its groups were formed (call once :func:`key_needs` is empty)."""
    b = bins_for(bins, column)
    if not _binnable(column, ctx) or b == "values":
        return Col(column), "values"
    if isinstance(b, tuple):
        return Bin(column, b), "fixed edges"
    q, _ = _quantile_count(column, b, ctx)
    if q is None:
        return Col(column), f"values (at most {DISCRETE_MAX} distinct)"
    qs = _qs(q)
    vals, how = quantiles_value(column, qs, ctx)
    sk = ctx.current[Sketch(column)]
    if sk.n == 0:
        return Bin(column, (0.0, 1.0)), "no finite values"
    edges = edges_from_quantiles(sk.quantile(0.0), [vals[x] for x in qs], sk.quantile(1.0))
    return Bin(column, edges), f"{q} quantile bins ({how})"


def key_from_rows(column: str, view: BatchView, bins: Any = None) -> Col | Bin:
    """The same rule as :func:`group_key` on rows in memory (a sample, a notebook table): the
    quantiles are those of these rows. For paths that have rows but no metrics."""
    arr = view.column(column)
    b = bins_for(bins, column)
    if logical_type(arr.type) not in ("integer", "float", "datetime") or b == "values":
        return Col(column)
    if isinstance(b, tuple):
        return Bin(column, b)
    x = view.numeric(column).values
    if b is None:
        b = None if np.unique(x).size <= DISCRETE_MAX else DEFAULT_BINS
    if b is None:
        return Col(column)
    if x.size == 0:
        return Bin(column, (0.0, 1.0))
    qs = np.quantile(x, [i / b for i in range(1, b)])
    return Bin(column, edges_from_quantiles(float(x.min()), [float(q) for q in qs], float(x.max())))


def make_key(column: str, bins: Any, ctx: Context) -> Col | Bin:
    """The group key of ``column``: its values (categorical, boolean, few values, ``bins: values``) or its bins."""
    return group_key(column, bins, ctx)[0]


# -- names of groups -------------------------------------------------------------------------------
def _num(x: float) -> str:
    return f"{x:.4g}"


def value_label(key: Col | Bin, value: Any, missing: str = "missing") -> str:
    """The group's value as text: ``Female``, ``[28, 37)``, ``(0, 5]``, ``= 0`` for a point bin, ``missing``."""
    if value is None:
        return missing
    if isinstance(key, Bin):
        e = key.edges
        i = int(value)
        if i < 0:
            return f"< {_num(e[0])}"
        if i >= len(e) - 1:
            return f"> {_num(e[-1])}"
        lo, hi = e[i], e[i + 1]
        if hi == np.nextafter(lo, math.inf) or lo == hi:
            return f"= {_num(lo)}"
        close = "]" if i == len(e) - 2 else ")"
        if i > 0 and lo == np.nextafter(e[i - 1], math.inf):  # just above a point bin
            return f"({_num(e[i - 1])}, {_num(hi)}{close}"
        return f"[{_num(lo)}, {_num(hi)}{close}"
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


# -- intersections ---------------------------------------------------------------------------------
def dimensions(attributes: Sequence[str], intersections: Any) -> list[tuple[int, ...]]:
    """Groupings as attribute positions: each attribute alone, then the intersections asked for
    (``True``: all attributes together; a list of attribute lists: those).

    Raises ValueError naming an intersection's column that is not an attribute.
    """
    dims: list[tuple[int, ...]] = [(i,) for i in range(len(attributes))]
    attrs = list(attributes)
    if intersections is True and len(attrs) >= 2:
        dims.append(tuple(range(len(attrs))))
    elif isinstance(intersections, (list, tuple)):
        for combo in intersections:
            unknown = [c for c in combo if c not in attrs]
            if unknown:
                raise ValueError(
                    f"intersections name {', '.join(map(repr, unknown))}, which is not among the attributes {attrs!r}"
                )
            d = tuple(sorted(attrs.index(c) for c in combo))
            if d not in dims:
                dims.append(d)
    return dims


def crosses(by: Any) -> list[tuple[str, ...]]:
    """Groupings from a ``by`` list: a column alone, or a list inside the list for a cross."""
    if isinstance(by, str):
        by = (by,)
    return [tuple(b) if isinstance(b, (list, tuple)) else (b,) for b in by]


# -- small shared rules ----------------------------------------------------------------------------
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
