"""Counting kernels: rows, missing cells, values outside bounds, values equal to one value.

Examples
--------
>>> import pyarrow as pa
>>> from datacheck.kernels.base import BatchView
>>> k = ColumnCounts("x")
>>> v = BatchView(pa.record_batch({"x": pa.array([1.0, None, float("nan"), float("inf")])}))
>>> k.finalize(k.update(k.init(), v))["missing"]
2
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacheck.kernels.base import BatchView, Kernel, logical_type

__all__ = ["RowCount", "ColumnCounts", "CountOutside", "CountEqual"]


@dataclass(frozen=True)
class RowCount(Kernel):
    """Number of rows."""

    def init(self):
        return 0

    def update(self, state, view: BatchView):
        return state + view.num_rows

    def merge(self, a, b):
        return a + b


def _count_below(srt: np.ndarray, low: float | None) -> int:
    """Values < ``low`` in sorted finite values (none for a missing or NaN bound)."""
    if low is None or low != low:
        return 0
    return int(np.searchsorted(srt, low, side="left"))


def _count_above(srt: np.ndarray, high: float | None) -> int:
    """Values > ``high`` in sorted finite values (none for a missing or NaN bound)."""
    if high is None or high != high:
        return 0
    return int(srt.size - np.searchsorted(srt, high, side="right"))


_NUMERICISH = ("integer", "float", "datetime", "duration", "boolean")


@dataclass(frozen=True)
class ColumnCounts(Kernel):
    """Rows, nulls, NaN, +inf, -inf of one column. ``missing`` = nulls + NaN (one semantics everywhere)."""

    encoded_ok = True  # reads through BatchView only

    column: str

    def init(self):
        return np.zeros(5, dtype=np.int64)

    def update(self, state, view: BatchView):
        if logical_type(view.column_type(self.column)) in _NUMERICISH:
            nv = view.numeric(self.column)
            return state + np.array([nv.n, nv.nulls, nv.nans, nv.posinf, nv.neginf], dtype=np.int64)
        return state + np.array([view.num_rows, view.null_count(self.column), 0, 0, 0], dtype=np.int64)

    def merge(self, a, b):
        return a + b

    def finalize(self, state):
        n, nulls, nans, pinf, ninf = (int(v) for v in state)
        return {"rows": n, "nulls": nulls, "nan": nans, "posinf": pinf, "neginf": ninf, "missing": nulls + nans}


@dataclass(frozen=True)
class CountOutside(Kernel):
    """Non-missing values below ``low`` or above ``high`` (either may be None); inf counts."""

    column: str
    low: float | None = None
    high: float | None = None

    def init(self):
        return np.zeros(3, dtype=np.int64)  # below, above, checked

    def update(self, state, view: BatchView):
        nv = view.numeric(self.column)
        x = nv.values
        arr = view.column(self.column)
        if (
            pa.types.is_integer(arr.type)
            and (_is_int(self.low) or _is_int(self.high))
            and not (view.has_sorted(self.column) and _exact_in_float(view.sorted(self.column), self.low, self.high))
        ):
            # integers compared as integers: float64 cannot tell 2**63-2 from 2**63-1
            below, above = (
                _int_outside(arr, self.low, lambda a, b: pc.less(a, b)),
                _int_outside(arr, self.high, lambda a, b: pc.greater(a, b)),
            )
            return state + np.array([below, above, x.size], dtype=np.int64)
        if view.has_sorted(self.column):  # another kernel sorted the batch: two binary searches
            srt = view.sorted(self.column)
            below = _count_below(srt, self.low)
            above = _count_above(srt, self.high)
        else:
            below = int(np.count_nonzero(x < self.low)) if self.low is not None else 0
            above = int(np.count_nonzero(x > self.high)) if self.high is not None else 0
        if self.low is not None and np.isfinite(self.low):
            below += nv.neginf
        if self.high is not None and np.isfinite(self.high):
            above += nv.posinf
        return state + np.array([below, above, x.size + nv.posinf + nv.neginf], dtype=np.int64)

    def merge(self, a, b):
        return a + b

    def finalize(self, state):
        return {"below": int(state[0]), "above": int(state[1]), "checked": int(state[2])}


def _exact_in_float(srt: np.ndarray, *bounds) -> bool:
    """Whether float64 compares these sorted integer values with these bounds exactly: every value
    and every integer bound within 2**53 in magnitude (float64 holds such integers exactly)."""
    lim = 2.0**53
    if srt.size and not (-lim <= srt[0] and srt[-1] <= lim):
        return False
    return all(b is None or not _is_int(b) or -(2**53) <= b <= 2**53 for b in bounds)


def _is_int(v) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def _int_outside(arr: pa.Array, bound, cmp) -> int:
    """Values of an integer array beyond an integer (or float) bound, compared exactly."""
    if bound is None:
        return 0
    if not _is_int(bound):
        x = arr.to_numpy(zero_copy_only=False)
        return int(np.count_nonzero(cmp(x.astype(np.float64), bound)))
    t = arr.type
    lo, hi = (
        (-(2 ** (t.bit_width - 1)), 2 ** (t.bit_width - 1) - 1)
        if pa.types.is_signed_integer(t)
        else (0, 2**t.bit_width - 1)
    )
    b = int(bound)
    if lo <= b <= hi:
        hit = pc.sum(pc.cast(cmp(arr, pa.scalar(b, t)), pa.int64())).as_py()
        return int(hit or 0)
    outside_all = (b < lo and cmp(1, 0)) or (b > hi and cmp(0, 1))  # bound beyond the type: all or none
    return len(arr) - arr.null_count if outside_all else 0


@dataclass(frozen=True)
class CountEqual(Kernel):
    """How many finite values equal ``value`` exactly."""

    order_free = True

    column: str
    value: float

    def init(self):
        return 0

    def update(self, state, view: BatchView):
        if view.has_sorted(self.column):
            srt = view.sorted(self.column)
            if self.value != self.value:  # NaN equals nothing
                return state
            return state + int(np.searchsorted(srt, self.value, "right") - np.searchsorted(srt, self.value, "left"))
        return state + int(np.count_nonzero(view.numeric(self.column).values == self.value))

    def merge(self, a, b):
        return a + b
