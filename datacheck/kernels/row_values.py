"""Per-row numeric values for :class:`~datacheck.kernels.slice_sums.GroupSums` (regression audits).

Value expressions are frozen dataclasses with ``columns`` and ``values(view) -> float64 ndarray``
(NaN where undefined), as in :mod:`datacheck.kernels.slice_sums`:

* :class:`Value` -- a numeric column itself (its per-group mean, variance and count follow);
* :class:`Diff` -- ``a - b``, e.g. prediction minus target: the model's signed error.

Examples
--------
>>> import pyarrow as pa
>>> from datacheck.kernels.base import BatchView
>>> v = BatchView(pa.record_batch({"y": [1.0, None, 3.0], "p": [2.0, 2.0, 2.5]}))
>>> Value("y").values(v).tolist(), Diff("p", "y").values(v).tolist()[::2]
([1.0, nan, 3.0], [1.0, -0.5])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from datacheck.kernels.base import BatchView
from datacheck.kernels.slice_sums import _numeric

__all__ = ["Value", "Diff"]


@dataclass(frozen=True)
class Value:
    """A numeric column's values (NaN where missing)."""

    column: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def values(self, view: BatchView) -> np.ndarray:
        return _numeric(view, self.column)


@dataclass(frozen=True)
class Diff:
    """``a - b`` of two numeric columns (NaN where either is missing)."""

    a: str
    b: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.a, self.b)

    def values(self, view: BatchView) -> np.ndarray:
        return _numeric(view, self.a) - _numeric(view, self.b)
