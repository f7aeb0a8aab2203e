"""Moments, min and max of a numeric column, merged with the parallel formulas.

Examples
--------
>>> import pyarrow as pa
>>> from datacheck.kernels.base import BatchView
>>> k = Moments("x")
>>> m = k.finalize(k.update(k.init(), BatchView(pa.record_batch({"x": [1.0, 2.0, 3.0, None]}))))
>>> m["n"], m["mean"], m["min"], m["max"]
(3, 2.0, 1.0, 3.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import datacheck.kernels.mathstats as ms
from datacheck.kernels.base import BatchView, Kernel

__all__ = ["Moments"]


@dataclass(frozen=True)
class Moments(Kernel):
    """Count, mean, variance, skewness, excess kurtosis, min and max of the finite values."""

    column: str

    def init(self):
        return (ms.EMPTY, math.inf, -math.inf)

    def update(self, state, view: BatchView):
        x = view.numeric(self.column).values
        if x.size == 0:
            return state
        if view.has_sorted(self.column):  # another kernel sorted the batch: the ends are free
            srt = view.sorted(self.column)
            lo, hi = float(srt[0]), float(srt[-1])
        else:
            lo, hi = float(x.min()), float(x.max())
        return (ms.merge_moments(state[0], ms.batch_moments(x, lo, hi)), min(state[1], lo), max(state[2], hi))

    def merge(self, a, b):
        return (ms.merge_moments(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]))

    def finalize(self, state):
        m, lo, hi = state
        n = m[0]
        if n:  # merged means round too: keep the mean within the data's range (exact when constant)
            m = (m[0], min(max(m[1], lo), hi), *m[2:])
        return {
            "n": n,
            "mean": m[1] if n else math.nan,
            "std": ms.std(m),
            "var": ms.variance(m),
            "skewness": ms.skewness(m),
            "kurtosis": ms.excess_kurtosis(m),
            "min": lo if n else math.nan,
            "max": hi if n else math.nan,
            "state": m,
        }
