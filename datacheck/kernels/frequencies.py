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


def _mg_merge(
    keys_a: pa.Array | None, counts_a: np.ndarray, keys_b: pa.Array | None, counts_b: np.ndarray, err: int, cap: int
) -> tuple[pa.Array | None, np.ndarray, int]:
    """:func:`mg_add` on Arrow keys and numpy counts (each side's keys distinct): the same counters
    and error bound, without turning every distinct value of every batch into a Python object."""
    if keys_a is None or len(keys_a) == 0:
        keys, counts = keys_b, counts_b
    elif keys_b is None or len(keys_b) == 0:
        keys, counts = keys_a, counts_a
    else:
        if keys_a.type != keys_b.type:  # e.g. string and large_string from two engines: Python's equality
            merged, err = mg_add(
                dict(zip(keys_a.to_pylist(), counts_a.tolist())),
                err,
                dict(zip(keys_b.to_pylist(), counts_b.tolist())),
                cap,
            )
            return pa.array(list(merged)), np.fromiter(merged.values(), np.int64, len(merged)), err
        t = pa.table(
            {
                "k": pa.concat_arrays([keys_a, keys_b]),
                "c": np.concatenate([counts_a, counts_b]).astype(np.int64, copy=False),
            }
        )
        g = t.group_by("k", use_threads=False).aggregate([("c", "sum")])
        keys = g.column("k").combine_chunks()
        counts = g.column("c_sum").to_numpy().astype(np.int64, copy=False)
    if keys is not None and len(keys) > cap:  # the (cap+1)-th largest count is subtracted from every counter
        cut = int(np.partition(counts, len(counts) - cap - 1)[len(counts) - cap - 1])
        keep = counts > cut
        keys, counts = keys.filter(pa.array(keep)), counts[keep] - cut
        err += cut
    return keys, counts, err


@dataclass(frozen=True)
class Frequencies(Kernel):
    """Value counts of a column (string, categorical, boolean or integer)."""

    column: str
    cap: int = DEFAULT_CAP

    def init(self):
        # distinct values (Arrow, None before any), their counts, error bound, non-null total, nulls
        return (None, np.zeros(0, dtype=np.int64), 0, 0, 0)

    def update(self, state, view: BatchView):
        arr = view.column(self.column)
        values, counts = view.value_counts(self.column)
        counts = np.asarray(counts, dtype=np.int64)
        keys, merged, err = _mg_merge(state[0], state[1], values, counts, state[2], self.cap)
        present = int(counts.sum())  # NaN is missing: value_counts leaves it out, like nulls
        return (keys, merged, err, state[3] + present, state[4] + len(arr) - present)

    def merge(self, a, b):
        keys, counts, err = _mg_merge(a[0], a[1], b[0], b[1], a[2] + b[2], self.cap)
        return (keys, counts, err, a[3] + b[3], a[4] + b[4])

    def finalize(self, state):
        keys, cnt, err, total, nulls = state
        counts = {} if keys is None else dict(zip(keys.to_pylist(), cnt.tolist()))
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
