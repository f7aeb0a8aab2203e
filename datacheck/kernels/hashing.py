"""Row hashing for duplicate rows and compound-key uniqueness.

Each row of the chosen columns becomes one 64-bit hash (values hashed through their dictionary,
so every distinct value is hashed once per batch; missing values hash alike). The state keeps
one hash and one row position per row: exact apart from 64-bit collisions (probability about
n^2 / 2^65, 3e-6 at 10M rows), and memory of 16 bytes per row, which the result states.

Examples
--------
>>> import pyarrow as pa
>>> from datacheck.kernels.base import BatchView
>>> k = RowHashes(("a", "b"))
>>> v = BatchView(pa.record_batch({"a": [1, 1, 2], "b": ["x", "x", "y"]}))
>>> k.finalize(k.update(k.init(), v))["duplicate_rows"]
1
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacheck.kernels.base import BatchView, Kernel

__all__ = ["RowHashes", "column_hash"]

_NULL_HASH = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xBF58476D1CE4E5B9)


def _hash_array(values: np.ndarray) -> np.ndarray:
    """``pandas.util.hash_array`` (a pure, stable value hash); pandas imported on first use."""
    from pandas.util import hash_array

    return hash_array(values)


def column_hash(arr: pa.Array) -> np.ndarray:
    """A uint64 hash per row of an Arrow array, equal for equal values across batches."""
    if pa.types.is_floating(arr.type):
        arr = pc.if_else(pc.is_nan(arr), pa.scalar(None, arr.type), arr)
        arr = pc.add(arr, pa.scalar(0.0, arr.type))  # -0.0 == 0.0
    try:
        enc = pc.dictionary_encode(arr)
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        # nested and other types Arrow cannot dictionary-encode (lists, structs, maps): hash each
        # value's canonical text, slower but stable across batches
        vals = np.array([None if v is None else repr(v) for v in arr.to_pylist()], dtype=object)
        missing = np.array([v is None for v in vals], dtype=bool)
        h = _hash_array(np.where(missing, "", vals).astype(object)) if len(vals) else np.empty(0, np.uint64)
        return np.where(missing, _NULL_HASH, h).astype(np.uint64, copy=False)
    dictionary = enc.dictionary
    idx = enc.indices
    dict_vals = dictionary.to_numpy(zero_copy_only=False)
    if dict_vals.dtype.kind in "OUS":
        dict_vals = dict_vals.astype(object)
    dh = _hash_array(dict_vals) if len(dict_vals) else np.empty(0, dtype=np.uint64)
    if idx.null_count:
        ii = idx.fill_null(0).to_numpy(zero_copy_only=False)
        h = dh[ii] if len(dh) else np.zeros(len(idx), dtype=np.uint64)
        h = np.where(idx.is_null().to_numpy(zero_copy_only=False), _NULL_HASH, h)
    else:
        h = dh[idx.to_numpy(zero_copy_only=False)]
    return h.astype(np.uint64, copy=False)


def row_hash(view: BatchView, columns: tuple[str, ...]) -> np.ndarray:
    h = np.zeros(view.num_rows, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for c in columns:
            h = (h ^ column_hash(view.column(c))) * _MIX
            h ^= h >> np.uint64(31)
    return h


@dataclass(frozen=True)
class RowHashes(Kernel):
    """Hashes of rows over ``columns`` (all columns when ``None`` -- resolved by the check)."""

    columns: tuple[str, ...]
    skip_missing: bool = False
    method = "exact (64-bit row hashes, 16 bytes per row held in memory)"

    def init(self):
        return ([], [])

    def update(self, state, view: BatchView):
        if view.num_rows == 0:
            return state
        h = row_hash(view, self.columns)
        pos = np.arange(view.offset, view.offset + view.num_rows, dtype=np.int64)
        if self.skip_missing:
            keep = np.ones(view.num_rows, dtype=bool)
            for c in self.columns:
                a = view.column(c)
                if a.null_count:
                    keep &= ~a.is_null().to_numpy(zero_copy_only=False)
                if pa.types.is_floating(a.type):  # NaN is missing too
                    keep &= ~pc.is_nan(a).fill_null(False).to_numpy(zero_copy_only=False)
            h, pos = h[keep], pos[keep]
        return (state[0] + [h], state[1] + [pos])

    def merge(self, a, b):
        return (a[0] + b[0], a[1] + b[1])

    def finalize(self, state, examples: int = 10):
        h = np.concatenate(state[0]) if state[0] else np.empty(0, dtype=np.uint64)
        pos = np.concatenate(state[1]) if state[1] else np.empty(0, dtype=np.int64)
        if h.size == 0:  # no rows, or every row skipped for a missing key
            return {"rows": 0, "duplicate_rows": 0, "rows_in_duplicate_groups": 0, "groups": 0, "examples": []}
        order = np.lexsort((pos, h))
        hs, ps = h[order], pos[order]
        same_as_prev = np.empty(hs.size, dtype=bool)
        same_as_prev[0] = False
        same_as_prev[1:] = hs[1:] == hs[:-1]
        dup_rows = int(np.count_nonzero(same_as_prev))
        starts = np.flatnonzero(~same_as_prev)
        sizes = np.diff(np.append(starts, hs.size))
        multi = starts[sizes > 1]
        msizes = sizes[sizes > 1]
        # examples: the groups whose first row comes first
        ex_order = np.argsort(ps[multi], kind="stable")[:examples]
        ex = [[int(p) for p in ps[multi[i] : multi[i] + min(int(msizes[i]), 5)]] for i in ex_order]
        return {
            "rows": int(hs.size),
            "duplicate_rows": dup_rows,
            "rows_in_duplicate_groups": int(msizes.sum()),
            "groups": int(multi.size),
            "examples": ex,
        }
