"""String lengths: their range, and the values whose length lies outside bounds.

Lengths are counted in characters (``utf8_length``) over a batch's distinct values, so a
column with few distinct strings costs little.

Examples
--------
>>> import pyarrow as pa
>>> from datacheck.kernels.base import BatchView
>>> v = BatchView(pa.record_batch({"c": ["ab", "abcd", None, "ab"]}))
>>> k = LengthStats("c")
>>> k.finalize(k.update(k.init(), v))
{'checked': 3, 'min': 2, 'max': 4}
>>> k = LengthOutside("c", 1, 3)
>>> k.finalize(k.update(k.init(), v))["outside"]
1
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacheck.kernels.base import BatchView, Kernel
from datacheck.kernels.strings import _OffenderKernel

__all__ = ["LengthStats", "LengthOutside"]


def _lengths(values: pa.Array) -> np.ndarray:
    s = (
        values
        if pa.types.is_large_string(values.type) or pa.types.is_string(values.type)
        else pc.cast(values, pa.large_string())
    )
    return pc.utf8_length(s).to_numpy(zero_copy_only=False).astype(np.int64)


@dataclass(frozen=True)
class LengthStats(Kernel):
    """Count, shortest and longest length of the non-missing strings of a column."""

    column: str

    def init(self):
        return (0, None, None)

    def update(self, state, view: BatchView):
        values, counts = view.value_counts(self.column)
        if len(values) == 0:
            return state
        ln = _lengths(values)
        return self.merge(state, (int(counts.sum()), int(ln.min()), int(ln.max())))

    def merge(self, a, b):
        lo = b[1] if a[1] is None else (a[1] if b[1] is None else min(a[1], b[1]))
        hi = b[2] if a[2] is None else (a[2] if b[2] is None else max(a[2], b[2]))
        return (a[0] + b[0], lo, hi)

    def finalize(self, state):
        return {"checked": state[0], "min": state[1], "max": state[2]}


@dataclass(frozen=True)
class LengthOutside(_OffenderKernel):
    """Non-missing strings shorter than ``low`` or longer than ``high`` (either may be None)."""

    column: str
    low: int | None = None
    high: int | None = None
    count_key = "outside"

    def bad(self, values: pa.Array):
        ln = _lengths(values)
        out = np.zeros(ln.size, dtype=bool)
        if self.low is not None:
            out |= ln < self.low
        if self.high is not None:
            out |= ln > self.high
        return out
