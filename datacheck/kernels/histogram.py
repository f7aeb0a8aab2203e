"""Histograms on fixed edges: exact and mergeable (counts add).

Values below the first edge and above the last are counted apart, so nothing is lost when the
edges come from another dataset (the reference, for drift).

Examples
--------
>>> import pyarrow as pa
>>> from datacheck.kernels.base import BatchView
>>> k = Histogram("x", (0.0, 1.0, 2.0))
>>> k.finalize(k.update(k.init(), BatchView(pa.record_batch({"x": [-1.0, 0.5, 1.0, 2.0, 3.0]}))))["counts"]
[1, 2]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from datacheck.kernels.base import BatchView, Kernel

__all__ = ["Histogram", "nice_edges"]


def nice_edges(lo: float, hi: float, bins: int = 30) -> tuple[float, ...]:
    """Evenly spaced edges covering [lo, hi] (one unit wide when lo == hi)."""
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return (0.0, 1.0)
    if hi <= lo:
        # one unit wide, or wider where a unit is below the values' resolution (|v| > ~1e15)
        w = max(0.5, abs(lo) * 1e-6)
        lo, hi = lo - w, hi + w
    t = np.linspace(0.0, 1.0, bins + 1)
    edges = lo + t * (hi - lo) if np.isfinite(hi - lo) else lo * (1.0 - t) + hi * t  # no overflow
    return tuple(float(e) for e in edges)


@dataclass(frozen=True)
class Histogram(Kernel):
    """Counts of finite values in ``[e_i, e_{i+1})`` (last bin closed), plus under/overflow."""

    column: str
    edges: tuple[float, ...]
    sorts = True

    def init(self):
        return np.zeros(len(self.edges) + 1, dtype=np.int64)  # under, bins..., over

    def update(self, state, view: BatchView):
        x = view.numeric(self.column).values
        if x.size == 0:
            return state
        e = np.asarray(self.edges)
        steps = np.diff(e)
        uniform = bool(steps.size and np.isfinite(e[-1] - e[0]) and np.allclose(steps, steps[0], rtol=1e-9, atol=0))
        if e[-1] > e[0]:  # sorting the batch (shared with other kernels) costs less than np.histogram
            # the same counts as np.histogram (on the edges it bins by: for evenly spaced edges, its
            # own linspace), read off the sorted batch by binary search
            srt = view.sorted(self.column)
            be = np.linspace(e[0], e[-1], steps.size + 1) if uniform else e
            left = np.searchsorted(srt, be, side="left")
            last = np.searchsorted(srt, be[-1], side="right")  # the last bin is closed
            counts = np.diff(np.r_[left[:-1], last])
            under, over = int(left[0]), int(srt.size - last)
        else:
            if uniform:
                counts, _ = np.histogram(x, bins=steps.size, range=(e[0], e[-1]))  # numpy's uniform fast path
            else:
                counts, _ = np.histogram(x, bins=e)
            under = int(np.count_nonzero(x < e[0]))
            over = int(np.count_nonzero(x > e[-1]))
        return state + np.concatenate([[under], counts, [over]])

    def merge(self, a, b):
        return a + b

    def finalize(self, state):
        return {
            "edges": list(self.edges),
            "counts": [int(c) for c in state[1:-1]],
            "under": int(state[0]),
            "over": int(state[-1]),
        }
