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

__all__ = ["Histogram", "SplitHistogram", "nice_edges", "split_count_below"]


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


@dataclass(frozen=True)
class SplitHistogram(Kernel):
    """Counts of finite values on fixed edges, with the values of the bins in ``keep`` held exactly.

    For a cut known only after this pass but known to fall inside the kept bins (an outlier fence
    computed from quartiles that this same pass makes exact): the number of values on either side
    of the cut, and a histogram with an edge on it, are then exact without one more pass over the
    data. Bins are ``[e_i, e_{i+1})``, the last one closed; values below the first edge or above
    the last are counted in ``under`` and ``over``, infinities in ``neginf`` and ``posinf``.
    Memory: the values inside the kept bins.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from datacheck.kernels.base import BatchView
    >>> k = SplitHistogram("x", (0.0, 1.0, 2.0, 3.0), keep=(1,))
    >>> h = k.finalize(k.update(k.init(), BatchView(pa.record_batch({"x": [0.5, 1.2, 1.7, 3.0, 9.0]}))))
    >>> h["counts"], h["kept"][1].tolist(), h["over"], split_count_below(h, 1.5)
    ([1, 2, 1], [1.2, 1.7], 1, 2)
    """

    column: str
    edges: tuple[float, ...]
    keep: tuple[int, ...] = ()
    sorts = True
    order_free = True

    def init(self):
        # under, bins..., over; kept values per kept bin; -inf and +inf counts
        return (np.zeros(len(self.edges) + 1, dtype=np.int64), tuple([] for _ in self.keep), (0, 0))

    def update(self, state, view: BatchView):
        nv = view.numeric(self.column)
        counts, kept, (ninf, pinf) = state
        if nv.values.size and len(self.edges):
            srt = view.sorted(self.column)
            e = np.asarray(self.edges, dtype=np.float64)
            left = np.searchsorted(srt, e, side="left")
            last = int(np.searchsorted(srt, e[-1], side="right"))  # the last bin is closed
            ends = np.r_[left[1:-1], last] if e.size > 1 else np.zeros(0, dtype=np.int64)
            bins = np.diff(np.r_[left[:1], ends]) if e.size > 1 else np.zeros(0, dtype=np.int64)
            counts = counts + np.concatenate([[left[0]], bins, [srt.size - last]])
            kept = tuple(
                part + [srt[left[i] : ends[i]].copy()] if ends[i] > left[i] else part
                for part, i in zip(kept, self.keep)
            )
        return (counts, kept, (ninf + nv.neginf, pinf + nv.posinf))

    def merge(self, a, b):
        return (a[0] + b[0], tuple(x + y for x, y in zip(a[1], b[1])), (a[2][0] + b[2][0], a[2][1] + b[2][1]))

    def finalize(self, state):
        counts, kept, (ninf, pinf) = state
        return {
            "edges": list(self.edges),
            "counts": [int(c) for c in counts[1:-1]],
            "under": int(counts[0]),
            "over": int(counts[-1]),
            "kept": {i: np.sort(np.concatenate(k)) if k else np.empty(0) for i, k in zip(self.keep, kept)},
            "n": int(counts.sum()),
            "neginf": int(ninf),
            "posinf": int(pinf),
        }


def split_count_below(h: dict, t: float) -> int | None:
    """Finite values ``< t`` from a :class:`SplitHistogram` value; None when ``t`` falls inside a
    bin that was not kept (or at the closed end of the last bin)."""
    e, counts = h["edges"], h["counts"]
    if len(e) < 2 or t != t:
        return None
    if t <= e[0]:
        return h["under"] if t == e[0] or h["under"] == 0 else None
    if t > e[-1]:
        return h["n"] if h["over"] == 0 else None
    # e[i] <= t < e[i+1]; t == e[-1] lies in the last bin, which is closed
    i = min(int(np.searchsorted(e, t, side="right")) - 1, len(counts) - 1)
    before = h["under"] + sum(counts[:i])
    if t == e[i]:
        return before
    if i in h["kept"]:
        return before + int(np.searchsorted(h["kept"][i], t, side="left"))
    return None
