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

from datacheck.kernels.arrays import from_numpy, to_numpy, values_and_validity
from datacheck.kernels.base import BatchView, Kernel

__all__ = ["Frequencies", "HashedCounts", "mg_add", "string_hashes", "value_counts"]

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
        # the smaller side's keys looked up in the larger's (one hash table of the smaller side; an
        # Acero group-by of both cost 3x more per batch); unmatched keys are appended
        if len(keys_a) < len(keys_b):
            keys_a, counts_a, keys_b, counts_b = keys_b, counts_b, keys_a, counts_a
        at = pc.index_in(keys_a, value_set=keys_b)  # position of each of a's keys in b
        pos, valid = values_and_validity(at)  # (a missing position's slot is never read)
        hit = np.ones(len(at), dtype=bool) if valid is None else valid
        pos = pos.astype(np.int64)
        counts = np.asarray(counts_a, dtype=np.int64).copy()
        counts[hit] += np.asarray(counts_b, dtype=np.int64)[pos[hit]]
        fresh = np.ones(len(keys_b), dtype=bool)
        fresh[pos[hit]] = False
        if fresh.any():
            keys = pa.concat_arrays([keys_a, keys_b.filter(from_numpy(fresh))])
            counts = np.concatenate([counts, np.asarray(counts_b, dtype=np.int64)[fresh]])
        else:
            keys = keys_a
    if keys is not None and len(keys) > cap:  # the (cap+1)-th largest count is subtracted from every counter
        cut = int(np.partition(counts, len(counts) - cap - 1)[len(counts) - cap - 1])
        keep = counts > cut
        keys, counts = keys.filter(from_numpy(keep)), counts[keep] - cut
        err += cut
    return keys, counts, err


@dataclass(frozen=True)
class Frequencies(Kernel):
    """Value counts of a column (string, categorical, boolean or integer)."""

    encoded_ok = True  # reads through BatchView only

    column: str
    cap: int = DEFAULT_CAP

    def init(self):
        # distinct values (Arrow, None before any), their counts, error bound, non-null total, nulls
        return (None, np.zeros(0, dtype=np.int64), 0, 0, 0)

    def update(self, state, view: BatchView):
        values, counts = view.value_counts(self.column)
        counts = np.asarray(counts, dtype=np.int64)
        keys, merged, err = _mg_merge(state[0], state[1], values, counts, state[2], self.cap)
        present = int(counts.sum())  # NaN is missing: value_counts leaves it out, like nulls
        return (keys, merged, err, state[3] + present, state[4] + view.num_rows - present)

    def merge(self, a, b):
        keys, counts, err = _mg_merge(a[0], a[1], b[0], b[1], a[2] + b[2], self.cap)
        return (keys, counts, err, a[3] + b[3], a[4] + b[4])

    def finalize(self, state):
        keys, cnt, err, total, nulls = state
        if (
            keys is not None
            and len(keys) > 1
            and (pa.types.is_string(keys.type) or pa.types.is_large_string(keys.type))
        ):
            # the same order, sorted by Arrow: UTF-8 bytes sort as Python sorts str (code points)
            order = pc.sort_indices(
                pa.table({"c": from_numpy(-np.asarray(cnt, dtype=np.int64)), "k": keys}),
                sort_keys=[("c", "ascending"), ("k", "ascending")],
            )
            ordered = dict(zip(keys.take(order).to_pylist(), np.asarray(cnt)[to_numpy(order)].tolist()))
            counts = ordered
        else:
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


_GOLD = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _mix64(z: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, in place on ``z`` (uint64)."""
    z ^= z >> np.uint64(30)
    z *= _M1
    z ^= z >> np.uint64(27)
    z *= _M2
    z ^= z >> np.uint64(31)
    return z


with np.errstate(over="ignore"):
    _J0 = _mix64(np.array([_M2], dtype=np.uint64))[0]  # the mix of a string's first word's index


#: the low ``t`` bytes of a word, for t = 0..8
_TAIL_MASK = np.array([(1 << (8 * t)) - 1 for t in range(9)], dtype=np.uint64)


def string_hashes(arr: pa.Array) -> np.ndarray:
    """A stable 64-bit hash of every value of an Arrow string array, vectorised over its buffers.

    Each string is read as little-endian 8-byte words (the last one zero-padded); every word is
    mixed with its position in the string (splitmix64), the mixes are summed per string and the
    sum is mixed with the string's length. The same bytes hash alike in any array, batch, engine
    or platform; null slots hash as the empty string (callers leave nulls out). About 30 times
    faster than hashing each value as a Python object (``pandas.util.hash_array``), which is what
    :class:`HashedCounts` spent its time on with tens of thousands of distinct strings per batch.

    Examples
    --------
    >>> import pyarrow as pa
    >>> h = string_hashes(pa.array(["a", "bb", "a", "", "0123456789"]))
    >>> bool(h[0] == h[2]), len(set(h.tolist()))
    (True, 4)
    >>> bool((string_hashes(pa.array(["bb"], pa.large_string())) == h[1]).all())
    True
    """
    if getattr(pa.types, "is_string_view", lambda _: False)(arr.type):
        arr = arr.cast(pa.large_string())
    n = len(arr)
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    bufs = arr.buffers()
    off_type = np.int64 if pa.types.is_large_string(arr.type) or pa.types.is_large_binary(arr.type) else np.int32
    offs = np.frombuffer(bufs[1], dtype=off_type)[arr.offset : arr.offset + n + 1].astype(np.int64)
    base = int(offs[0])
    length = np.diff(offs)
    size = int(offs[-1]) - base
    buf = np.zeros(size + 16, dtype=np.uint8)  # zero room after the end: the last word's read stays inside
    if size:
        buf[:size] = np.frombuffer(bufs[2], dtype=np.uint8)[base : base + size]
    # every byte position's 8 bytes as one little-endian integer (an unaligned view, no copy):
    # a word of a string is one gather from it
    window = np.ndarray((size + 9,), dtype="<u8", buffer=buf, strides=(1,))
    nwords = (length + 7) // 8
    total = int(nwords.sum())
    with np.errstate(over="ignore"):
        out = (length.astype(np.uint64) + np.uint64(1)) * _GOLD
        if total:
            has = nwords > 0
            if total == int(np.count_nonzero(has)):  # no string longer than one word (short codes)
                start = offs[:-1] - base
                words = window[start[has] if total < n else start].astype(np.uint64)
                tail = length[has] if total < n else length  # bytes of the string in its word, 1..8
                words &= _TAIL_MASK[tail]
                g = _mix64(words ^ _J0)
                if total < n:
                    out[has] += g
                else:
                    out += g
            else:
                first = np.cumsum(nwords) - nwords
                owner = np.repeat(np.arange(n), nwords)
                j = np.arange(total) - first[owner]  # word index within its string
                at = (offs[:-1] - base)[owner] + 8 * j  # byte position of the word
                last = (first + nwords - 1)[has]
                words = window[at].astype(np.uint64)
                tail = (length - 8 * (nwords - 1))[has]  # bytes of the string in its last word, 1..8
                words[last] &= _TAIL_MASK[tail]
                g = _mix64(words ^ _mix64(j.astype(np.uint64) * _GOLD + _M2))
                out[has] += np.add.reduceat(g, first[has])
        return _mix64(out)


def _value_hashes(values: pa.Array) -> np.ndarray:
    """Hashes of distinct non-null values: strings through :func:`string_hashes`, the rest through
    :func:`~datacheck.kernels.hashing.column_hash`."""
    t = values.type
    if pa.types.is_string(t) or pa.types.is_large_string(t) or getattr(pa.types, "is_string_view", lambda _: False)(t):
        return string_hashes(values)
    from datacheck.kernels.hashing import column_hash

    return column_hash(values)


@dataclass(frozen=True)
class HashedCounts(Kernel):
    """Exact counts of a column's values grouped into ``buckets`` fixed hash buckets.

    What a comparison reads when a first-pass count was approximate: when a column has more
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

    encoded_ok = True  # reads through BatchView only

    column: str
    buckets: int = 4096
    method = "exact counts in fixed hash buckets"

    def init(self):
        return (np.zeros(self.buckets, dtype=np.int64), 0)

    def update(self, state, view: BatchView):
        values, counts = view.value_counts(self.column)
        hits = state[0]
        if len(values):
            b = (_value_hashes(values) % np.uint64(self.buckets)).astype(np.int64)
            hits = hits + np.bincount(b, weights=counts, minlength=self.buckets).astype(np.int64)
        return (hits, state[1] + view.num_rows - int(counts.sum()))

    def merge(self, a, b):
        return (a[0] + b[0], a[1] + b[1])

    def finalize(self, state):
        return {"counts": np.asarray(state[0], dtype=np.int64), "total": int(state[0].sum()), "nulls": int(state[1])}
