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


def _select_idx(vals: np.ndarray, pos_of, k: int, largest: bool, srt: np.ndarray | None = None) -> np.ndarray:
    """Indices of the k smallest (or largest) values; ties broken by the smaller row position.

    ``srt``, the values sorted when the caller has them, gives the k-th value without a partition.
    """
    n = vals.size
    if k <= 0:  # no evidence asked for (evidence_rows: 0)
        return np.zeros(0, dtype=np.int64)
    if n <= k:
        sel = np.arange(n)
    else:
        if srt is not None:
            kth = srt[n - k] if largest else srt[k - 1]
        else:
            kth = np.partition(vals, n - k)[n - k] if largest else np.partition(vals, k - 1)[k - 1]
        strict = np.flatnonzero(vals > kth) if largest else np.flatnonzero(vals < kth)
        ties = np.flatnonzero(vals == kth)
        ties = ties[np.argsort(pos_of(ties), kind="stable")][: k - strict.size]
        sel = np.concatenate([strict, ties])
    key = -vals[sel] if largest else vals[sel]
    return sel[np.lexsort((pos_of(sel), key))]


def _select(vals: np.ndarray, pos: np.ndarray, k: int, largest: bool) -> tuple[np.ndarray, np.ndarray]:
    sel = _select_idx(vals, lambda i: pos[i], k, largest)
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
        x = nv.values
        if x.size == 0:
            return state
        srt = view.sorted(self.column) if view.has_sorted(self.column) else None
        if srt is not None and 0 < self.k and 2 * self.k < x.size:
            # the sort gives both k-th values: one scan finds the few candidates of both ends
            cand = np.flatnonzero((x <= srt[self.k - 1]) | (x >= srt[x.size - self.k]))
            xc = x[cand]

            def pos_of(i: np.ndarray) -> np.ndarray:
                return nv.positions_of(cand[i])

            lo = cand[_select_idx(xc, pos_of, self.k, False)]
            hi = cand[_select_idx(xc, pos_of, self.k, True)]
        else:
            lo = _select_idx(x, nv.positions_of, self.k, False, srt)
            hi = _select_idx(x, nv.positions_of, self.k, True, srt)
        return self.merge(state, (x[lo], nv.positions_of(lo), x[hi], nv.positions_of(hi)))

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

    # the k extremes are the first k of any wider selection: ordered by value, ties by position
    def cover_key(self):
        return (Extremes, self.column)

    def cover_rank(self):
        return self.k

    def narrow(self, value):
        return {"smallest": value["smallest"][: self.k], "largest": value["largest"][: self.k]}


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
        v1 = x.max() if largest else x.min()
        out = {float(v1): int(np.count_nonzero(x == v1))}
        if largest:
            v2 = np.max(x, where=x < v1, initial=-np.inf)
        else:
            v2 = np.min(x, where=x > v1, initial=np.inf)
        if np.isfinite(v2):
            out[float(v2)] = int(np.count_nonzero(x == v2))
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
