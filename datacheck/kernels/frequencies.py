"""Category frequencies: exact counts up to a cap, then a mergeable Misra–Gries summary.

Below ``cap`` distinct values the counts are exact. Beyond it the summary keeps ``cap`` counters
and, as in the mergeable summaries of Agarwal et al. (2012), subtracts the (cap+1)-th largest
count from all counters; every reported count is then a lower bound within ``max_error`` of the
truth, and every value with a true count above ``max_error`` is kept.

Examples
--------
>>> import pyarrow as pa
>>> from datacheck.kernels.base import BatchView
>>> k = Frequencies("c")
>>> f = k.finalize(k.update(k.init(), BatchView(pa.record_batch({"c": ["a", "b", "a", None]}))))
>>> f["counts"], f["nulls"], f["exact"]
({'a': 2, 'b': 1}, 1, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacheck.kernels.base import BatchView, Kernel

__all__ = ["Frequencies", "HashedCounts", "mg_add", "value_counts"]

DEFAULT_CAP = 10_000


def value_counts(arr: pa.Array) -> dict[Any, int]:
    """Counts of the non-null values of an Arrow array, as a Python dict."""
    if len(arr) == arr.null_count:
        return {}
    vc = pc.value_counts(arr.drop_null() if arr.null_count else arr)
    return dict(zip(vc.field("values").to_pylist(), vc.field("counts").to_pylist()))


def mg_add(counts: dict, err: int, new: dict, cap: int) -> tuple[dict, int]:
    """Add ``new`` counts into a Misra–Gries summary of at most ``cap`` counters.

    Returns the new counters and the accumulated error bound.
    """
    out = dict(counts)
    for k, v in new.items():
        out[k] = out.get(k, 0) + v
    if len(out) > cap:
        cut = sorted(out.values(), reverse=True)[cap]
        out = {k: v - cut for k, v in out.items() if v > cut}
        err += cut
    return out, err


@dataclass(frozen=True)
class Frequencies(Kernel):
    """Value counts of a column (string, categorical, boolean or integer)."""

    column: str
    cap: int = DEFAULT_CAP

    def init(self):
        return ({}, 0, 0, 0)  # counts, error bound, non-null total, nulls

    def update(self, state, view: BatchView):
        arr = view.column(self.column)
        values, counts = view.value_counts(self.column)
        new = dict(zip(values.to_pylist(), counts.tolist()))
        merged, err = mg_add(state[0], state[1], new, self.cap)
        present = int(counts.sum())  # NaN is missing: value_counts leaves it out, like nulls
        return (merged, err, state[2] + present, state[3] + len(arr) - present)

    def merge(self, a, b):
        counts, err = mg_add(a[0], a[1] + b[1], b[0], self.cap)
        return (counts, err, a[2] + b[2], a[3] + b[3])

    def finalize(self, state):
        counts, err, total, nulls = state
        ordered = dict(sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))))
        return {
            "counts": ordered,
            "total": total,
            "nulls": nulls,
            "exact": err == 0,
            "max_error": err,
            "distinct": len(counts) if err == 0 else None,
        }


@dataclass(frozen=True)
class HashedCounts(Kernel):
    """Exact counts of a column's values grouped into ``buckets`` fixed hash buckets.

    The second pass of a comparison whose first pass was approximate: when a column has more
    distinct values than :class:`Frequencies` keeps exactly, two Misra–Gries summaries differ by how
    each side was truncated, and any choice of "candidate" values made from them depends on which
    side a value was kept on. A value's bucket depends on the value alone (a stable 64-bit hash),
    never on the data, so the bucket counts of two samples of one distribution follow one
    multinomial law: a coarsening of the categories that a homogeneity test can take as exact.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from datacheck.kernels.base import BatchView
    >>> k = HashedCounts("c", 8)
    >>> v = k.finalize(k.update(k.init(), BatchView(pa.record_batch({"c": ["a", "b", "a", None]}))))
    >>> int(v["counts"].sum()), v["nulls"], len(v["counts"])
    (3, 1, 8)
    """

    column: str
    buckets: int = 4096
    method = "exact counts in fixed hash buckets (second pass)"

    def init(self):
        return (np.zeros(self.buckets, dtype=np.int64), 0)

    def update(self, state, view: BatchView):
        from datacheck.kernels.hashing import column_hash

        arr = view.column(self.column)
        values, counts = view.value_counts(self.column)
        hits = state[0]
        if len(values):
            b = (column_hash(values) % np.uint64(self.buckets)).astype(np.int64)
            hits = hits + np.bincount(b, weights=counts, minlength=self.buckets).astype(np.int64)
        return (hits, state[1] + len(arr) - int(counts.sum()))

    def merge(self, a, b):
        return (a[0] + b[0], a[1] + b[1])

    def finalize(self, state):
        return {"counts": np.asarray(state[0], dtype=np.int64), "total": int(state[0].sum()), "nulls": int(state[1])}
