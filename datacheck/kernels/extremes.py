"""Bounded evidence: the most extreme values with their row positions, and a column's edge values.

Examples
--------
>>> import pyarrow as pa
>>> from datacheck.kernels.base import BatchView
>>> k = Extremes("x", k=2)
>>> e = k.finalize(k.update(k.init(), BatchView(pa.record_batch({"x": [5.0, -3.0, 9.0, 0.0]}))))
>>> e["largest"]
[(2, 9.0), (0, 5.0)]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from datacheck.kernels.base import BatchView, Kernel

__all__ = ["Extremes", "EdgeValues"]


def _select(vals: np.ndarray, pos: np.ndarray, k: int, largest: bool) -> tuple[np.ndarray, np.ndarray]:
    """The k smallest (or largest) values; ties broken by the smaller row position."""
    if vals.size <= k:
        sel = np.arange(vals.size)
    else:
        key = -vals if largest else vals
        kth = np.partition(key, k - 1)[k - 1]
        strict = np.flatnonzero(key < kth)
        ties = np.flatnonzero(key == kth)
        ties = ties[np.argsort(pos[ties], kind="stable")][: k - strict.size]
        sel = np.concatenate([strict, ties])
    key = -vals[sel] if largest else vals[sel]
    order = np.lexsort((pos[sel], key))
    sel = sel[order]
    return vals[sel], pos[sel]


@dataclass(frozen=True)
class Extremes(Kernel):
    """The ``k`` smallest and ``k`` largest finite values with their global row positions."""

    column: str
    k: int = 10

    def init(self):
        e = np.empty(0)
        i = np.empty(0, dtype=np.int64)
        return (e, i, e, i)

    def update(self, state, view: BatchView):
        nv = view.numeric(self.column)
        if nv.values.size == 0:
            return state
        pos = nv.positions
        return self.merge(state, (*_select(nv.values, pos, self.k, False), *_select(nv.values, pos, self.k, True)))

    def merge(self, a, b):
        sv, sp = _select(np.concatenate([a[0], b[0]]), np.concatenate([a[1], b[1]]), self.k, False)
        lv, lp = _select(np.concatenate([a[2], b[2]]), np.concatenate([a[3], b[3]]), self.k, True)
        return (sv, sp, lv, lp)

    def finalize(self, state):
        sv, sp, lv, lp = state
        return {
            "smallest": [(int(p), float(v)) for v, p in zip(sv, sp)],
            "largest": [(int(p), float(v)) for v, p in zip(lv, lp)],
        }


@dataclass(frozen=True)
class EdgeValues(Kernel):
    """The two smallest and two largest distinct finite values with exact counts.

    Mergeable because a value among the merged two smallest is among the two smallest of every
    part that holds it, so its count in each part is known.
    """

    column: str

    def init(self):
        return ({}, {})

    @staticmethod
    def _edges(x: np.ndarray, largest: bool) -> dict[float, int]:
        out: dict[float, int] = {}
        rest = x
        for _ in range(2):
            if rest.size == 0:
                break
            v = rest.max() if largest else rest.min()
            eq = rest == v
            out[float(v)] = int(np.count_nonzero(eq))
            rest = rest[~eq]
        return out

    @staticmethod
    def _keep(d: dict, largest: bool) -> dict:
        keys = sorted(d, reverse=largest)[:2]
        return {k: d[k] for k in keys}

    def update(self, state, view: BatchView):
        x = view.numeric(self.column).values
        if x.size == 0:
            return state
        return self.merge(state, (self._edges(x, False), self._edges(x, True)))

    def merge(self, a, b):
        lo = dict(a[0])
        for k, v in b[0].items():
            lo[k] = lo.get(k, 0) + v
        hi = dict(a[1])
        for k, v in b[1].items():
            hi[k] = hi.get(k, 0) + v
        return (self._keep(lo, False), self._keep(hi, True))

    def finalize(self, state):
        lo, hi = state
        return {"low": sorted(lo.items()), "high": sorted(hi.items(), reverse=True)}
