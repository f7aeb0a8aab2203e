"""Quantiles: a KLL sketch in one pass, refined to exact values in a second bounded pass.

:class:`Sketch` folds a KLL sketch (Karnin, Lang & Liberty 2016; Apache DataSketches). Its
quantiles carry a stated normalised rank error. :class:`ExactQuantiles` then takes, for each
wanted quantile, a bracket of values from the sketch (q ± 2 rank errors) and in a second pass
counts the values below the bracket and keeps the values inside it, a bounded share of the
column. The exact order statistic is then read off; if it fell outside the bracket (the sketch's
error bound failed), the result says so and the sketch value is used.

Examples
--------
>>> import numpy as np, pyarrow as pa
>>> from datacheck.kernels.base import BatchView
>>> x = np.random.default_rng(0).normal(size=10_000)
>>> v = BatchView(pa.record_batch({"x": x}))
>>> sk = Sketch("x"); s = sk.finalize(sk.update(sk.init(), v))
>>> eq = ExactQuantiles.from_sketch("x", (0.25, 0.5), s)
>>> got = eq.finalize(eq.update(eq.init(), v))
>>> np.allclose([got["values"][0.25], got["values"][0.5]], np.quantile(x, [0.25, 0.5]))
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from datasketches import kll_doubles_sketch

from datacheck.kernels.base import BatchView, Kernel

__all__ = ["ExactAbsDeviation", "Sketch", "ExactQuantiles", "SketchValue"]

DEFAULT_K = 1000  # rank error ~0.28% (99% bound): keeps exact-refinement brackets small


class SketchValue:
    """A finished KLL sketch with the questions checks ask of it."""

    def __init__(self, sketch: kll_doubles_sketch, k: int) -> None:
        self.sketch = sketch
        self.k = k

    @property
    def n(self) -> int:
        return int(self.sketch.n)

    @property
    def rank_error(self) -> float:
        """Normalised rank error bound (99% confidence) of single quantile queries."""
        return float(self.sketch.normalized_rank_error(False))

    def quantile(self, q: float) -> float:
        if self.n == 0:
            return math.nan
        # the sketch keeps the exact extremes, but its rank-0/rank-1 queries read the compacted
        # items (which may have dropped them): answer the ends exactly
        if q <= 0.0:
            return float(self.sketch.get_min_value())
        if q >= 1.0:
            return float(self.sketch.get_max_value())
        return float(self.sketch.get_quantile(q))

    def quantiles(self, qs) -> list[float]:
        return [self.quantile(q) for q in qs]

    def cdf(self, x: float) -> float:
        """Share of values <= x (approximate)."""
        if self.n == 0:
            return math.nan
        return float(self.sketch.get_rank(float(x), True))

    def serialize(self) -> bytes:
        return bytes(self.sketch.serialize())

    @classmethod
    def deserialize(cls, blob: bytes, k: int = DEFAULT_K) -> SketchValue:
        return cls(kll_doubles_sketch.deserialize(blob), k)


@dataclass(frozen=True)
class Sketch(Kernel):
    """KLL quantile sketch of the finite values of a numeric or datetime column."""

    column: str
    k: int = DEFAULT_K
    exact = False
    method = "KLL sketch"
    sorts = True

    def init(self):
        return kll_doubles_sketch(self.k)

    def update(self, state, view: BatchView):
        if view.numeric(self.column).values.size:
            # the batch's sorted values (shared with other kernels): KLL's guarantee holds for any
            # order, and its compactions are several times cheaper on sorted input
            state.update(view.sorted(self.column))
        return state

    def merge(self, a, b):
        out = kll_doubles_sketch(self.k)
        out.merge(a)
        out.merge(b)
        return out

    def finalize(self, state):
        return SketchValue(state, self.k)

    def dumps(self, state) -> bytes:
        return bytes(state.serialize())

    def loads(self, blob: bytes):
        return kll_doubles_sketch.deserialize(blob)


def _linear_positions(n: int, q: float) -> tuple[int, int, float]:
    h = (n - 1) * q
    lo = int(math.floor(h))
    return lo, min(lo + 1, n - 1), h - lo


@dataclass(frozen=True)
class ExactQuantiles(Kernel):
    """Exact quantiles (numpy's 'linear' definition) from brackets found by a sketch.

    Build it with :meth:`from_sketch`. Memory: the values inside the brackets, about
    4 rank errors of the column per quantile (about 1.1% of its values at the default k).
    """

    column: str
    qs: tuple[float, ...]
    n: int
    brackets: tuple[tuple[float, float], ...]
    sorts = True

    @classmethod
    def from_sketch(cls, column: str, qs, sketch: SketchValue, width: float = 2.0) -> ExactQuantiles:
        # numpy's 'linear' quantile reads the order statistics at floor((n-1)q) and the one after:
        # besides the sketch's rank error, the bracket must reach two ranks (2/n) to each side,
        # or small columns (n * eps < 1) miss the neighbour and fall back to the sketch
        eps = sketch.rank_error * width + (2.0 / sketch.n if sketch.n else 0.0)
        br = tuple((sketch.quantile(q - eps), sketch.quantile(q + eps)) for q in qs)
        return cls(column=column, qs=tuple(float(q) for q in qs), n=sketch.n, brackets=br)

    def init(self):
        return [(0, []) for _ in self.qs]

    def update(self, state, view: BatchView):
        x = view.numeric(self.column).values
        srt = view.sorted(self.column) if x.size else x
        out = []
        for (below, kept), (lo, hi) in zip(state, self.brackets):
            if x.size and not (math.isnan(lo) or math.isnan(hi)):
                a = int(np.searchsorted(srt, lo, side="left"))  # values < lo
                b = int(np.searchsorted(srt, hi, side="right"))  # values <= hi
                below += a
                if b > a:
                    kept = kept + [srt[a:b].copy()]  # a copy: the batch's arrays are not kept alive
            out.append((below, kept))
        return out

    def merge(self, a, b):
        return [(ba + bb, ka + kb) for (ba, ka), (bb, kb) in zip(a, b)]

    def finalize(self, state):
        values: dict[float, float | None] = {}
        for q, (below, kept) in zip(self.qs, state):
            if self.n == 0:
                values[q] = math.nan
                continue
            inside = np.sort(np.concatenate(kept)) if kept else np.empty(0)
            i, j, frac = _linear_positions(self.n, q)
            if i >= below and j < below + inside.size:
                a, b = inside[i - below], inside[j - below]
                values[q] = float(a + (b - a) * frac)
            else:
                values[q] = None  # bracket missed: caller falls back to the sketch
        return {"values": values, "exact": all(v is not None for v in values.values())}


@dataclass(frozen=True)
class ExactAbsDeviation(Kernel):
    """The exact median of ``|x - centre|`` (the MAD when ``centre`` is the median), found inside a
    bracket ``[low, high]`` of deviations that a sketch says holds it.

    The KLL sketch is randomised and cannot be seeded from Python, so a MAD read from it differs
    run to run; refined here it is the same for the same data. ``value`` is None when the bracket
    missed (the caller then falls back to the sketch and says so).
    """

    column: str
    centre: float
    n: int
    low: float
    high: float

    def init(self):
        return (0, [])

    def update(self, state, view: BatchView):
        below, kept = state
        x = view.numeric(self.column).values
        if x.size:
            d = np.abs(x - self.centre)
            below += int(np.count_nonzero(d < self.low))
            inside = d[(d >= self.low) & (d <= self.high)]
            if inside.size:
                kept = kept + [inside]
        return (below, kept)

    def merge(self, a, b):
        return (a[0] + b[0], a[1] + b[1])

    def finalize(self, state):
        below, kept = state
        if self.n == 0:
            return {"value": math.nan, "exact": True}
        inside = np.sort(np.concatenate(kept)) if kept else np.empty(0)
        i, j, frac = _linear_positions(self.n, 0.5)
        if i >= below and j < below + inside.size:
            a, b = inside[i - below], inside[j - below]
            return {"value": float(a + (b - a) * frac), "exact": True}
        return {"value": None, "exact": False}
