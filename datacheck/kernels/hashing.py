"""Row hashing for duplicate rows and compound-key uniqueness.

Each row of the chosen columns becomes one 64-bit hash (values hashed through their dictionary,
so every distinct value is hashed once per batch; missing values hash alike). The state keeps
one hash per row, 8 bytes, in blocks of 4M rows (row positions follow from each batch's offset);
counting sorts one copy of them and walks it a slice at a time, so the peak is 16 bytes per row
plus the duplicated hashes (measured by ``benchmarks/bench_rowhash_memory.py``). Exact apart from 64-bit collisions: two different rows
with equal hashes count as duplicates (probability about n^2 / 2^65, 3e-6 at 10M rows), which the
result's method states.

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


class _Block:
    """A growing buffer of row hashes shared by successive states of one fold.

    ``used`` is how far it is written. A state owns the rows up to where it stopped; the next update
    writes after them only when nothing else has (``used`` is still where that state stopped), so a
    state is never changed by what is done with another one (states stay values: the kernel laws
    merge and update the same state more than once).
    """

    __slots__ = ("h", "used")

    def __init__(self, capacity: int) -> None:
        # full-size blocks are 32 MiB: malloc serves each with its own mapping (untouched pages
        # cost nothing), so the batches' temporaries never sit between the hashes held
        self.h = np.empty(capacity, dtype=np.uint64)
        self.used = 0


#: rows per block once the state holds a million rows (32 MiB of hashes); smaller before
_BLOCK_ROWS = 1 << 22
_FIRST_BLOCK_ROWS = 1 << 16
_SCAN_ROWS = 1 << 20


def _segment_hashes(seg: tuple) -> np.ndarray:
    return seg[2].h[seg[3] : seg[3] + seg[4]]


@dataclass(frozen=True)
class RowHashes(Kernel):
    """Hashes of rows over ``columns`` (all columns when ``None`` -- resolved by the check).

    The state is a tuple of segments ``(offset, span, block, start, count, kept)``: the ``count``
    hashes at ``block.h[start:]`` are those of the ``span`` rows starting at row ``offset``, minus
    the rows skipped for a missing key, which ``kept`` records (``np.packbits``, 1 bit per row; None
    when none was skipped). Row positions are never stored: they follow from the offset and the
    kept bits. Hashes are written into blocks growing to 4M rows (8 bytes per row held); merging
    concatenates segments; ``finalize`` sorts one copy of the hashes, counts equal neighbours and,
    only when there are duplicates, walks the segments in row order for the example rows.
    """

    columns: tuple[str, ...]
    skip_missing: bool = False
    method = "exact (64-bit row hashes: 8 bytes per row while reading, 16 while counting)"

    def init(self):
        return ()

    def update(self, state, view: BatchView):
        if view.num_rows == 0:
            return state
        h = row_hash(view, self.columns)
        kept = None
        if self.skip_missing:
            keep = np.ones(view.num_rows, dtype=bool)
            for c in self.columns:
                a = view.column(c)
                if a.null_count:
                    keep &= ~a.is_null().to_numpy(zero_copy_only=False)
                if pa.types.is_floating(a.type):  # NaN is missing too
                    keep &= ~pc.is_nan(a).fill_null(False).to_numpy(zero_copy_only=False)
            if not keep.all():
                h = h[keep]
                kept = np.packbits(keep)
        return (*state, _write(state, view.offset, view.num_rows, h, kept))

    def merge(self, a, b):
        return (*a, *b)

    def finalize(self, state, examples: int = 10):
        segments = sorted(state, key=lambda seg: seg[0])
        total = sum(seg[4] for seg in segments)
        empty = {"rows": total, "duplicate_rows": 0, "rows_in_duplicate_groups": 0, "groups": 0, "examples": []}
        if total < 2:  # no rows, one row, or every row skipped for a missing key
            return empty
        s = np.empty(total, dtype=np.uint64)
        at = 0
        for seg in segments:
            s[at : at + seg[4]] = _segment_hashes(seg)
            at += seg[4]
        s.sort()  # in place: the blocks and this copy are the memory held (16 bytes per row)
        # equal neighbours, a slice at a time (no mask as long as the data): a repeat is a row
        # equal to the one before it; a group starts where a run of repeats does
        dup_rows, pieces, prev = 0, [], False
        for i in range(0, total - 1, _SCAN_ROWS):
            j = min(i + _SCAN_ROWS, total - 1)
            eq = s[i + 1 : j + 1] == s[i:j]  # eq[m]: sorted row i + m + 1 repeats row i + m
            n_eq = int(np.count_nonzero(eq))
            if n_eq:
                dup_rows += n_eq
                starts = eq.copy()
                starts[1:] &= ~eq[:-1]
                starts[0] = eq[0] and not prev
                pieces.append(s[i + 1 : j + 1][starts])
            prev = bool(eq[-1])
        del s
        if dup_rows == 0:
            return empty
        dup_hashes = np.concatenate(pieces)  # sorted, one per group
        del pieces
        groups = int(dup_hashes.size)
        return {
            "rows": total,
            "duplicate_rows": dup_rows,
            "rows_in_duplicate_groups": dup_rows + groups,
            "groups": groups,
            "examples": _examples(segments, dup_hashes, examples),
        }

    # states hold shared blocks: only the rows a state owns travel (Spark executors -> driver)
    def dumps(self, state) -> bytes:
        import pickle

        plain = [(seg[0], seg[1], _segment_hashes(seg).copy(), seg[5]) for seg in state]
        return pickle.dumps(plain, protocol=pickle.HIGHEST_PROTOCOL)

    def loads(self, blob: bytes):
        import pickle

        state: tuple = ()
        for off, span, h, kept in pickle.loads(blob):
            state = (*state, _write(state, off, span, np.asarray(h, dtype=np.uint64), kept))
        return state


def _write(state: tuple, offset: int, span: int, h: np.ndarray, kept) -> tuple:
    """A segment for ``h``, written after the state's last segment when its block has room and
    nothing was written there since, else into a new block."""
    block = None
    held = 0
    if state:
        last = state[-1]
        b, end = last[2], last[3] + last[4]
        if b.used == end and end + h.size <= b.h.size:
            block = b
        held = sum(seg[4] for seg in state)
    if block is None:  # blocks grow with what is held (few rows reserve little), up to 4M rows
        block = _Block(max(h.size, min(_BLOCK_ROWS, max(_FIRST_BLOCK_ROWS, 4 * held))))
    start = block.used
    block.h[start : start + h.size] = h
    block.used = start + h.size
    return (offset, span, block, start, h.size, kept)


def _examples(segments: list, dup_hashes: np.ndarray, limit: int) -> list[list[int]]:
    """Row positions (up to 5 each) of the ``limit`` duplicate groups whose first row comes first,
    found by walking the segments in row order and stopping once they are known."""
    if limit <= 0:
        return []
    chosen: dict[int, list[int]] = {}
    want = min(limit, int(dup_hashes.size))
    last = dup_hashes.size - 1
    for seg in segments:
        off, span, kept = seg[0], seg[1], seg[5]
        h = _segment_hashes(seg)
        kept_pos = None
        for start in range(0, h.size, _SCAN_ROWS):
            part = h[start : start + _SCAN_ROWS]
            i = np.minimum(np.searchsorted(dup_hashes, part), last)
            idx = np.flatnonzero(dup_hashes[i] == part)
            if idx.size == 0:
                continue
            hits = part[idx]
            if len(chosen) < want:  # new groups, in the order of their first row
                uniq, first_at = np.unique(hits, return_index=True)
                for j in np.argsort(first_at, kind="stable"):
                    key = int(uniq[j])
                    if key not in chosen:
                        chosen[key] = []
                        if len(chosen) == want:
                            break
            local = None
            for key, rows in chosen.items():
                if len(rows) >= 5:
                    continue
                at = idx[hits == np.uint64(key)][: 5 - len(rows)] + start
                if at.size == 0:
                    continue
                if kept is not None:
                    if kept_pos is None:
                        kept_pos = np.flatnonzero(np.unpackbits(kept, count=span))
                    local = kept_pos[at]
                else:
                    local = at
                rows.extend(int(off + p) for p in local)
            if len(chosen) == want and all(len(r) >= 5 for r in chosen.values()):
                return list(chosen.values())
    return list(chosen.values())
