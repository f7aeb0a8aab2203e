"""Counts by group: the mergeable cube behind bias audits and metric slicing.

A :class:`GroupCounts` kernel counts rows for every combination of its keys. A key is a column's
own value (:class:`Col`), a numeric column's bin on fixed edges (:class:`Bin`), or whether a
column is missing (:class:`IsMissing`). With the label and prediction among the keys, the counts
are per-group confusion matrices; with ``IsMissing`` keys, missingness by group.

Examples
--------
>>> import pyarrow as pa
>>> from datacheck.kernels.base import BatchView
>>> k = GroupCounts((Col("g"), Col("y")))
>>> v = BatchView(pa.record_batch({"g": ["a", "a", "b"], "y": [1, 0, 1]}))
>>> sorted(k.finalize(k.update(k.init(), v)).items())
[(('a', 0), 1), (('a', 1), 1), (('b', 1), 1)]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacheck.kernels.arrays import values_and_validity
from datacheck.kernels.base import BatchView, Kernel

__all__ = ["Col", "Bin", "IsMissing", "GroupCounts"]


@dataclass(frozen=True)
class Col:
    """Group by the column's own values (missing values form the group ``None``)."""

    column: str

    def array(self, view: BatchView) -> pa.Array:
        arr = view.column(self.column)
        if pa.types.is_floating(arr.type):
            arr = pc.if_else(pc.is_nan(arr), pa.scalar(None, arr.type), arr)
        return arr


@dataclass(frozen=True)
class Bin:
    """Group a numeric column into bins ``[e_i, e_{i+1})`` (the last bin closed); values are bin
    indices 0..len(edges)-2, values below the first edge -1, above the last len(edges)-1,
    missing ``None``."""

    column: str
    edges: tuple[float, ...]

    def array(self, view: BatchView) -> pa.Array:
        nv = view.numeric(self.column)
        out = np.full(view.num_rows, -2, dtype=np.int64)
        e = np.asarray(self.edges, dtype=np.float64)
        idx = np.searchsorted(e, nv.values, side="right") - 1
        idx = np.where(nv.values == e[-1], len(e) - 2, idx)
        idx = np.where(nv.values > e[-1], len(e) - 1, idx)
        out[nv.mask] = idx
        return pa.array(out, mask=~nv.mask)


@dataclass(frozen=True)
class IsMissing:
    """True where the column is null or NaN."""

    column: str

    def array(self, view: BatchView) -> pa.Array:
        arr = view.column(self.column)
        m = arr.is_null()
        if pa.types.is_floating(arr.type):
            m = pc.or_(m, pc.is_nan(arr).fill_null(False))
        return m


#: the most combinations of key values counted in one ``bincount`` (else Arrow's group-by)
_MAX_CELLS = 1 << 20


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def _key_codes(key: object, view: BatchView) -> tuple[list, np.ndarray] | None:
    """A ``Col`` key's values in a batch as codes: (the Python values, then ``None`` for missing;
    each row's position in that list). The codes of text columns are the batch view's own, shared
    with its value counts (None when the text was already hashed for value counts alone: Arrow's
    group-by, which hashes every key, then costs less); integers without a wide range are their
    offset from the smallest.
    None for other keys and types (floats, whose NaN is missing, booleans, bins, ...)."""
    if type(key) is not Col:
        return None
    t = view.column_type(key.column)
    if _is_text(t):
        if not view.encoded_cheaply(key.column):
            return None
        got = view.codes(key.column)
        if got is None:
            return None
        values, codes = got
        py = values.to_pylist()
        return py + [None], np.where(codes < 0, len(py), codes) if view.null_count(key.column) else codes
    if pa.types.is_integer(t):
        arr = view.column(key.column)
        if arr.null_count == len(arr):
            return [None], np.zeros(len(arr), dtype=np.int64)
        x, valid = values_and_validity(arr)
        if valid is not None:
            x = np.where(valid, x, 0)
        lo, hi = pc.min_max(arr).values()
        lo, hi = lo.as_py(), hi.as_py()
        if hi - lo >= _MAX_CELLS:
            return None
        if x.dtype.itemsize < 8:  # int8 127 - (-128) overflows its own type
            codes = x.astype(np.int64) - lo
        else:  # (u)int64: hi - lo is small, so the difference fits the column's own type
            codes = (x - np.asarray(lo, dtype=x.dtype)).astype(np.int64)
        if valid is not None:
            codes[~valid] = hi - lo + 1
        return list(range(lo, hi + 1)) + [None], codes
    return None


def _coded_counts(keys: tuple, view: BatchView) -> list[tuple[tuple, int]] | None:
    """The counts of every combination of ``keys`` present in a batch, from the keys' codes: one
    ``bincount`` of the combined codes (Arrow's group-by hashed every key column again). Listed in
    the order of the codes; the order of Arrow's group-by is unspecified too, and readers of the
    counts sort groups. None when a key has no codes or there are too many cells."""
    for k in keys:  # before any key is encoded: all of them, or Arrow's group-by
        if type(k) is Col and _is_text(view.column_type(k.column)) and not view.encoded_cheaply(k.column):
            return None
    coded = []
    cells = 1
    for k in keys:
        got = _key_codes(k, view)
        if got is None:
            return None
        coded.append(got)
        cells *= len(got[0])
        if cells > _MAX_CELLS:
            return None
    comb = np.zeros(view.num_rows, dtype=np.int64)
    for values, codes in coded:
        comb *= len(values)
        comb += codes
    counts = np.bincount(comb, minlength=cells)
    used = np.flatnonzero(counts)
    idx = np.unravel_index(used, tuple(len(v) for v, _ in coded))
    cols = [[values[i] for i in ix.tolist()] for (values, _), ix in zip(coded, idx)]
    return list(zip(zip(*cols), counts[used].tolist()))


@dataclass(frozen=True)
class GroupCounts(Kernel):
    """Row counts for every combination of ``keys`` (a tuple of Col/Bin/IsMissing)."""

    encoded_ok = True  # reads through BatchView only

    keys: tuple

    @property
    def reads(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(k.column for k in self.keys))

    def init(self):
        return {}

    def update(self, state, view: BatchView):
        if view.num_rows == 0:
            return state
        fast = _coded_counts(self.keys, view)
        if fast is not None:
            out = dict(state)
            for key, c in fast:
                out[key] = out.get(key, 0) + c
            return out
        names = [f"k{i}" for i in range(len(self.keys))]
        t = pa.table({n: k.array(view) for n, k in zip(names, self.keys)})
        agg = t.group_by(names, use_threads=False).aggregate([([], "count_all")])
        cols = [agg.column(n).to_pylist() for n in names]
        counts = agg.column("count_all").to_pylist()
        out = dict(state)
        for key, c in zip(zip(*cols), counts):
            out[key] = out.get(key, 0) + c
        return out

    def merge(self, a, b):
        out = dict(a)
        for k, v in b.items():
            out[k] = out.get(k, 0) + v
        return out
