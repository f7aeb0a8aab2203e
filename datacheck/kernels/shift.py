"""Kernels for train/serve shift: reference-quantile bin edges, binned counts on fixed edges, and
keyed per-feature value hashes for joining two datasets on an id.

The drift checks fold the reference first and the current data second, both on the same edges:

1. :class:`QuantileEdges` folds a bounded, seeded, deterministic sample of the reference values
   (bottom-k of hashed row positions, so the same values are kept however the data is split) and
   returns quantile edges plus the exact minimum and maximum. Edges only need to be *roughly*
   equal-mass: the counts that statistics use are exact.
2. :class:`BinCounts` counts values on those edges exactly (one ``searchsorted`` + ``bincount``
   per batch) and keeps each bin's sum of values, so each bin's mean is known (the Wasserstein
   distance treats a bin as an atom at its mean: exact for discrete columns, whose edges fall on
   their values, and tails beyond the reference's range are located exactly on average).
3. :class:`KeyedHashes` keeps, for the ``k`` ids with the smallest id hashes, a 64-bit hash of
   every feature's value. Because both sides use the same hash, the bottom-k selections are
   *coordinated*: on two datasets with the same ids they pick the same ids, so the join of the
   two summaries is a uniform sample of the common ids (all of them when there are at most k).

Examples
--------
>>> import numpy as np, pyarrow as pa
>>> from datacheck.kernels.base import BatchView
>>> v = BatchView(pa.record_batch({"x": np.arange(1000.0)}))
>>> qe = QuantileEdges("x", bins=4)
>>> qe.finalize(qe.update(qe.init(), v))["edges"]
(0.0, 249.75, 499.5, 749.25, 999.0)
>>> bc = BinCounts("x", (0.0, 500.0, 999.0))
>>> bc.finalize(bc.update(bc.init(), v))["counts"].tolist()
[0, 500, 499, 1]
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from datacheck.kernels.arrays import values_and_validity
from datacheck.kernels.base import BatchView, Kernel, shared_cache
from datacheck.kernels.hashing import column_hash
from datacheck.kernels.sample import bottom_rows, priorities, range_priorities

__all__ = ["QuantileEdges", "BinCounts", "KeyedHashes", "batch_priorities"]


def batch_priorities(view: BatchView, seed: int) -> np.ndarray:
    """Priorities (hash of global row position and seed) of every row of ``view``; cached on the view."""
    cache = view.__dict__.setdefault("_shift_prio", {})
    pr = cache.get(seed)
    if pr is None:
        pr = range_priorities(view.offset, view.offset + view.num_rows, seed)
        cache[seed] = pr
    return pr


#: bottom-k selections of priority chunks, shared by the columns that hold the very same chunks
#: (columns without missing values keep the same rows, so the same priority arrays): the selection
#: is made once, and every such column only gathers its values (a few entries, emptied after each
#: fold; the chunks are held, so an ``id`` is never reused while its entry lives)
_SELECTIONS: dict[tuple, tuple] = shared_cache()
_SELECTIONS_LOCK = threading.Lock()


def _select(ps: tuple, k: int) -> tuple[np.ndarray | None, np.ndarray]:
    """Indexes of the ``k`` smallest of ``np.concatenate(ps)`` (None: all of them) and those priorities."""
    key = (k,) + tuple(id(a) for a in ps)
    with _SELECTIONS_LOCK:
        hit = _SELECTIONS.get(key)
    if hit is not None and len(hit[0]) == len(ps) and all(a is b for a, b in zip(hit[0], ps)):
        return hit[1], hit[2]
    p = ps[0] if len(ps) == 1 else np.concatenate(ps)
    if p.size <= k:
        sel, kept = None, p
    else:
        sel = np.argpartition(p, k - 1)[:k]
        kept = p[sel]
    with _SELECTIONS_LOCK:
        if len(_SELECTIONS) >= 4:
            _SELECTIONS.clear()
        _SELECTIONS[key] = (ps, sel, kept)
    return sel, kept


#: the rows of the bottom k and 2k priorities of positions 0..n-1 (and the latter's priorities), by
#: (n, seed, k): shared by the columns of one whole-column resolution (emptied after each fold)
_WHOLE_ROWS: dict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray]] = shared_cache()
_WHOLE_LOCK = threading.Lock()


def _whole_rows(n: int, seed: int, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(the rows of the k smallest priorities in increasing order, the rows of the 2k smallest in
    increasing order, the priorities of the latter), made once: a column missing under half its
    values finds its bottom k among the 2k (every row it keeps outside them has a larger priority)."""
    key = (n, seed, k)
    with _WHOLE_LOCK:  # the first column computes, the others wait and read it
        hit = _WHOLE_ROWS.get(key)
        if hit is None:
            wide, wide_pr = bottom_rows(n, seed, 2 * k)
            rows = np.sort(wide[np.argpartition(wide_pr, k - 1)[:k]]) if n > k else wide
            hit = (rows, wide, wide_pr)
            _WHOLE_ROWS.clear()
            _WHOLE_ROWS[key] = hit
    return hit


def _sorted_quantiles(v: np.ndarray, qs: np.ndarray) -> np.ndarray:
    """``np.quantile(v, qs)`` (the 'linear' method) of an already sorted ``v``, without its partition.

    The same arithmetic as numpy's (virtual index ``(n - 1) q``, its floor and the next index, the
    interpolation from the nearer end), so the same bits; ``tests/kernels/test_shift_edges.py``
    holds it to ``np.quantile``.
    """
    n = v.size
    vi = (n - 1) * qs
    prev = np.floor(vi)
    nxt = prev + 1
    above = vi >= n - 1
    prev[above] = -1
    nxt[above] = -1
    prev_i, nxt_i = prev.astype(np.intp), nxt.astype(np.intp)
    gamma = vi - prev_i
    a, b = v[prev_i], v[nxt_i]
    d = b - a
    out = a + d * gamma
    hi = gamma >= 0.5
    out[hi] = (b - d * (1 - gamma))[hi]
    return out


@dataclass(frozen=True)
class QuantileEdges(Kernel):
    """Bin edges at reference quantiles ``i / bins`` from a seeded bottom-k sample of ``sample_size`` values.

    The first edge is the exact minimum and the last the exact maximum. When the sample holds at
    most ``bins`` distinct values (discrete columns), every one of them is an edge, so each value
    gets its own bin.
    """

    column: str
    bins: int = 2000
    sample_size: int = 100_000
    seed: int = 0
    method = "quantiles of a seeded bottom-k sample; exact min and max"

    def init(self):
        # kept values and their priorities as chunks (not re-concatenated every batch), each chunk's
        # largest priority, min, max, count
        return ((), (), (), np.inf, -np.inf, 0)

    def _cut(self, vs: tuple, ps: tuple, tops: tuple) -> tuple[tuple, tuple, tuple]:
        """Back to the bottom k once more than twice k are held (the value is the same either way)."""
        if sum(a.size for a in ps) <= 2 * self.sample_size:
            return vs, ps, tops
        sel, p = _select(ps, self.sample_size)
        v = np.concatenate(vs)
        return ((v if sel is None else v[sel]),), (p,), (p.max(),)

    def update(self, state, view: BatchView):
        nv = view.numeric(self.column)
        x = nv.values
        if x.size == 0:
            return state
        pr = batch_priorities(view, self.seed)
        if x.size != view.num_rows:
            pr = pr[nv.mask]
        if view.has_sorted(self.column):
            srt = view.sorted(self.column)
            lo, hi = float(srt[0]), float(srt[-1])
        else:
            lo, hi = float(x.min()), float(x.max())
        vs, ps, tops, lo0, hi0, n0 = state
        if sum(a.size for a in ps) >= self.sample_size:  # full: only rows below the largest kept priority can enter
            limit = max(tops)
            if x.size == view.num_rows:
                # columns without missing values hold the same priorities, so the same limit: the rows
                # that may enter are found once per batch and shared
                cache = view.__dict__.setdefault("_shift_enter", {})
                hit = cache.get((self.seed, int(limit)))
                if hit is None:
                    idx = np.flatnonzero(pr <= limit)
                    hit = cache[(self.seed, int(limit))] = (idx, pr[idx])
                x, pr = x[hit[0]], hit[1]
            else:
                keep = pr <= limit
                x, pr = x[keep], pr[keep]
        else:
            x = np.array(x)  # a copy: the batch's arrays are not kept alive
        if pr.size:
            vs, ps, tops = self._cut(vs + (x,), ps + (pr,), tops + (pr.max(),))
        return (vs, ps, tops, min(lo0, lo), max(hi0, hi), n0 + int(nv.values.size))

    def merge(self, a, b):
        vs, ps, tops = self._cut(a[0] + b[0], a[1] + b[1], a[2] + b[2])
        return (vs, ps, tops, min(a[3], b[3]), max(a[4], b[4]), a[5] + b[5])

    def finalize(self, state):
        vs, ps, _, lo, hi, n = state
        if n == 0:
            return {"edges": (), "n": 0, "sampled": 0}
        sel, _ = _select(ps, self.sample_size)
        v = np.concatenate(vs)
        return self._edges(v if sel is None else v[sel], lo, hi, n)

    def whole(self, column: pa.ChunkedArray):
        """The same value from the whole column in memory, without a pass: the finite values, the
        priorities of their row positions (for a column without missing values the same for every
        column, so its bottom-k rows are found once), the bottom k of them."""
        fast = self._whole_plain(column)
        if fast is not None:
            return fast
        arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        nv = BatchView(pa.RecordBatch.from_arrays([arr], [self.column])).numeric(self.column)
        x = nv.values
        if x.size == 0:
            return self.finalize(self.init())
        if x.size <= self.sample_size:
            v = x
        else:
            k = self.sample_size
            rows, wide, wide_pr = _whole_rows(nv.n, self.seed, k)
            if x.size != nv.n:  # the bottom k among the rows kept: in the bottom 2k of all rows, or all of them
                kept = nv.mask
                inside = kept[wide]
                cand, cand_pr = wide[inside], wide_pr[inside]
                if cand.size < k:
                    cand = np.flatnonzero(kept)
                    cand_pr = priorities(cand, self.seed)
                rows = np.sort(cand[np.argpartition(cand_pr, k - 1)[:k]])
                rows = np.searchsorted(np.flatnonzero(kept), rows)  # row -> index among the kept values
            v = x[rows]
        return self._edges(v, float(x.min()), float(x.max()), x.size)

    def _whole_plain(self, column) -> dict | None:
        """:meth:`whole` for integer and float64 chunks whose only non-finite entries are nulls (None
        for anything else, or when over half the rows are null): the chunks read in place (no copy
        of the column; a null slot's value is masked by the validity bits), the sampled rows
        gathered chunk by chunk."""
        chunks = [c for c in (column.chunks if isinstance(column, pa.ChunkedArray) else [column]) if len(c)]
        t = column.type
        if not chunks or not (pa.types.is_integer(t) or pa.types.is_float64(t)):
            return None
        parts = [values_and_validity(c) for c in chunks]
        values = [v for v, _ in parts]
        valid = [m for _, m in parts]
        kept = [v.size if m is None else int(np.count_nonzero(m)) for v, m in parts]
        n = sum(kept)
        if n == 0:
            return None
        big = np.iinfo(values[0].dtype) if values[0].dtype.kind in "iu" else np.finfo(np.float64)
        lo = min(float(v.min(where=True if m is None else m, initial=big.max)) for (v, m), c in zip(parts, kept) if c)
        hi = max(float(v.max(where=True if m is None else m, initial=big.min)) for (v, m), c in zip(parts, kept) if c)
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return None  # NaN (which min and max propagate) or infinities: the general path drops them
        starts = np.cumsum([0] + [v.size for v in values])
        if n <= self.sample_size:
            v = np.concatenate([x if m is None else x[m] for x, m in parts]).astype(np.float64)
            return self._edges(v, lo, hi, n)
        k = self.sample_size
        rows, wide, wide_pr = _whole_rows(int(starts[-1]), self.seed, k)
        if n != starts[-1]:  # the bottom k among the rows kept: in the bottom 2k of all rows
            cut = np.searchsorted(wide, starts)
            inside = np.concatenate(
                [
                    np.ones(cut[i + 1] - cut[i], dtype=bool) if m is None else m[wide[cut[i] : cut[i + 1]] - starts[i]]
                    for i, m in enumerate(valid)
                ]
            )
            if np.count_nonzero(inside) < k:
                return None
            rows = np.sort(wide[inside][np.argpartition(wide_pr[inside], k - 1)[:k]])
        cut = np.searchsorted(rows, starts)
        v = np.concatenate([x[rows[cut[i] : cut[i + 1]] - starts[i]] for i, x in enumerate(values)]).astype(np.float64)
        return self._edges(v, lo, hi, n)

    def _edges(self, v: np.ndarray, lo: float, hi: float, n: int) -> dict:
        v = np.sort(v)  # one sort for the distinct count and the quantiles
        distinct = v[np.r_[True, v[1:] != v[:-1]]] if v.size else v
        if distinct.size <= self.bins:  # few values: one edge per value seen (discrete columns)
            q = distinct
        else:
            q = _sorted_quantiles(v, np.linspace(0.0, 1.0, self.bins + 1))
        q = np.clip(np.r_[lo, q, hi], lo, hi)
        edges = tuple(float(e) for e in np.unique(q))
        return {"edges": edges, "n": int(n), "sampled": int(v.size)}


@dataclass(frozen=True)
class BinCounts(Kernel):
    """Exact counts and sums of finite values on fixed edges, plus the missing count.

    ``counts`` has ``len(edges) + 1`` entries: ``counts[0]`` is ``x < edges[0]``, ``counts[j]`` is
    ``edges[j-1] <= x < edges[j]``, and ``counts[-1]`` is ``x >= edges[-1]``; ``sums`` holds the
    sum of the values in each (so every bin's mean is known, and tails are located exactly) and
    ``at_edge`` how many values equal the bin's left edge (so KS's resolution is known exactly).
    ``missing`` counts nulls and NaN; infinities are counted in ``infinite`` and left out.
    """

    column: str
    edges: tuple[float, ...]
    method = "exact counts on fixed edges"
    sorts = True
    order_free = True

    def init(self):
        m = len(self.edges) + 1
        return (np.zeros(m, dtype=np.int64), np.zeros(m, dtype=np.float64), np.zeros(m, dtype=np.int64), 0, 0)

    def update(self, state, view: BatchView):
        nv = view.numeric(self.column)
        x = nv.values
        counts, sums, at_edge, missing, inf = state
        if x.size:
            # the edges are searched in the sorted batch (a few thousand binary searches) instead of
            # every value in the edges: bin j holds sorted[left[j-1]:left[j]]
            srt = view.sorted(self.column)
            e = np.asarray(self.edges, dtype=np.float64)
            left = np.searchsorted(srt, e, side="left")
            right = np.searchsorted(srt, e, side="right")
            bounds = np.r_[0, left, srt.size]
            c = np.diff(bounds)
            counts = counts + c
            filled = c > 0
            part = np.zeros(c.size, dtype=np.float64)
            part[filled] = np.add.reduceat(srt, bounds[:-1][filled])
            sums = sums + part
            at_edge = at_edge + np.r_[0, right - left]
        return (counts, sums, at_edge, missing + nv.nulls + nv.nans, inf + nv.posinf + nv.neginf)

    def merge(self, a, b):
        return tuple(x + y for x, y in zip(a, b))

    def finalize(self, state):
        counts, sums, at_edge, missing, inf = state
        return {
            "edges": tuple(self.edges),
            "counts": np.asarray(counts, dtype=np.int64),
            "sums": np.asarray(sums, dtype=np.float64),
            "at_edge": np.asarray(at_edge, dtype=np.int64),
            "missing": int(missing),
            "infinite": int(inf),
            "n": int(counts.sum()),
        }


def _value_hash(view: BatchView, column: str) -> np.ndarray:
    """Hash per row, equal for equal values; numbers hashed as float64 so 1 (int) == 1.0 (float)."""
    arr = view.column(column)
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type) or pa.types.is_decimal(arr.type):
        arr = arr.cast(pa.float64(), safe=False)
    elif pa.types.is_dictionary(arr.type):  # pragma: no cover - views decode dictionaries
        arr = arr.dictionary_decode()
    return column_hash(arr)


def _id_hash(arr: pa.Array) -> np.ndarray:
    """Id hashes; a whole-valued float id hashes like the integer (so 3.0 joins 3).

    Decided per value, never per batch, so an id hashes the same whatever else its batch holds.
    """
    if pa.types.is_integer(arr.type):
        return column_hash(arr.cast(pa.int64()))
    if pa.types.is_floating(arr.type):
        x = np.asarray(arr.cast(pa.float64()).fill_null(np.nan).to_numpy(zero_copy_only=False), dtype=np.float64)
        with np.errstate(invalid="ignore"):
            whole = np.isfinite(x) & (x == np.round(x)) & (np.abs(x) < 2**53)
        h = column_hash(arr.cast(pa.float64()))
        if whole.any():
            hi = column_hash(pa.array(np.where(whole, x, 0).astype(np.int64)))
            h = np.where(whole, hi, h)
        return h
    return column_hash(arr)


@dataclass(frozen=True)
class KeyedHashes(Kernel):
    """For the ``k`` distinct ids with the smallest id hashes: one value hash per feature.

    Memory is bounded by ``k * (len(features) + 3) * 8`` bytes. Rows whose id is missing (null or
    NaN) are counted and left out; when an id occurs more than once the row seen first (smallest
    position) is kept. ``duplicate_ids`` counts the repeats of the *kept* ids (each kept id carries
    its row count, so parts merge to the whole's value); ``complete`` says no id was dropped (the
    data has at most ``k`` distinct ids); ``threshold`` is the largest kept id hash when some were.
    """

    id_column: str
    features: tuple[str, ...]
    k: int = 200_000
    method = "bottom-k of 64-bit id hashes (coordinated across datasets), 64-bit value hashes per feature"

    @property
    def reads(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.id_column,) + tuple(self.features)))

    def init(self):
        # ids (sorted), first position, feature hashes, rows per id, missing ids, rows with id, dropped
        return (
            np.empty(0, dtype=np.uint64),
            np.empty(0, dtype=np.int64),
            np.empty((0, len(self.features)), dtype=np.uint64),
            np.empty(0, dtype=np.int64),
            0,
            0,
            False,
        )

    def update(self, state, view: BatchView):
        if view.num_rows == 0:
            return state
        col = view.column(self.id_column)
        valid = ~np.asarray(col.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        if pa.types.is_floating(col.type):
            valid &= ~np.isnan(np.asarray(col.cast(pa.float64()).fill_null(0).to_numpy(zero_copy_only=False)))
        ih = _id_hash(col)
        nmiss = int(view.num_rows - valid.sum())
        pos = np.arange(view.offset, view.offset + view.num_rows, dtype=np.int64)
        ih, pos = ih[valid], pos[valid]
        feats = np.empty((ih.size, len(self.features)), dtype=np.uint64)
        if ih.size:
            for j, f in enumerate(self.features):
                feats[:, j] = _value_hash(view, f)[valid]
        part = (ih, pos, feats, np.ones(ih.size, dtype=np.int64), nmiss, int(ih.size), False)
        return self.merge(state, part)

    def merge(self, a, b):
        ih = np.concatenate([a[0], b[0]])
        pos = np.concatenate([a[1], b[1]])
        feats = np.concatenate([a[2], b[2]])
        cnt = np.concatenate([a[3], b[3]])
        dropped = bool(a[6] or b[6])
        if ih.size:
            order = np.lexsort((pos, ih))
            ih, pos, feats, cnt = ih[order], pos[order], feats[order], cnt[order]
            first = np.r_[True, ih[1:] != ih[:-1]]
            cnt = np.add.reduceat(cnt, np.flatnonzero(first))  # rows per id, over both states
            ih, pos, feats = ih[first], pos[first], feats[first]
            if ih.size > self.k:  # an id in the whole's bottom k is in every part's: its count is complete
                ih, pos, feats, cnt = ih[: self.k], pos[: self.k], feats[: self.k], cnt[: self.k]
                dropped = True
        return (ih, pos, feats, cnt, a[4] + b[4], a[5] + b[5], dropped)

    def finalize(self, state):
        ih, pos, feats, cnt, nmiss, nrows, dropped = state
        return {
            "ids": ih,
            "features": tuple(self.features),
            "hashes": feats,
            "rows_with_id": int(nrows),
            "missing_ids": int(nmiss),
            "duplicate_ids": int((cnt - 1).sum()),
            "complete": not dropped,
            "threshold": int(ih[-1]) if dropped else None,
        }
