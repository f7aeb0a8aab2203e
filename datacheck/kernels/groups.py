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
