"""A bounded, seeded, mergeable uniform sample of rows (bottom-k by hashed row position).

Every row gets a priority from a hash of (seed, row position); the sample is the ``k`` rows with
the smallest priorities. The same rows are chosen however the data is split into batches or
partitions, so the sample is deterministic and merges exactly. Checks that need rows (a model
for label errors, a domain classifier for multivariate drift) read this, never the whole column.

Examples
--------
>>> import pyarrow as pa
>>> from datacheck.kernels.base import BatchView
>>> k = Sample(("x",), k=2, seed=0)
>>> t = k.finalize(k.update(k.init(), BatchView(pa.record_batch({"x": [1, 2, 3, 4]}))))
>>> t.num_rows, t.column_names
(2, ['x', '__row__'])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from datacheck.kernels.base import BatchView, Kernel

__all__ = ["Sample", "bottom_rows", "priorities", "range_priorities"]


#: rows hashed at a time: the temporaries of one block stay in cache, and no array of the input's
#: size is made besides the result
_BLOCK = 1 << 16
_GOLDEN, _OFFSET = 0x9E3779B97F4A7C15, 0x632BE59BD9B4E019
#: rows hashed per block by :func:`bottom_rows`: its temporaries stay under the 4 MiB at which numpy
#: asks the kernel for huge pages (a page fault that compacts memory, slow on a fragmented machine)
_SELECT_BLOCK = 1 << 18
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


def priorities(positions: np.ndarray, seed: int) -> np.ndarray:
    """splitmix64 of (position + seed * golden ratio): a fixed pseudo-random uint64 per row.

    Computed in place on one copy of ``positions``, a block at a time. splitmix64 is a bijection of
    uint64, so distinct positions get distinct priorities (a bottom-k has no ties).

    >>> priorities(np.arange(3), 0)[:2].tolist()
    [7905728728188956330, 8037428539430452699]
    """
    z = np.asarray(positions).astype(np.uint64)
    _mix(z, seed)
    return z


def range_priorities(start: int, stop: int, seed: int) -> np.ndarray:
    """``priorities(np.arange(start, stop), seed)`` without the position array.

    >>> bool((range_priorities(5, 9, 3) == priorities(np.arange(5, 9), 3)).all())
    True
    """
    z = np.arange(start, max(start, stop), dtype=np.uint64)
    _mix(z, seed)
    return z


def _mix(z: np.ndarray, seed: int) -> None:
    add = np.uint64((int(seed) * _GOLDEN + _OFFSET) % (1 << 64))
    t = np.empty(min(_BLOCK, z.size), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for s in range(0, z.size, _BLOCK):
            b = z[s : s + _BLOCK]
            u = t[: b.size]
            b += add
            np.right_shift(b, _S30, out=u)
            b ^= u
            b *= _M1
            np.right_shift(b, _S27, out=u)
            b ^= u
            b *= _M2
            np.right_shift(b, _S31, out=u)
            b ^= u


def bottom_rows(n: int, seed: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The rows among ``0..n-1`` with the ``k`` smallest priorities, in increasing row order, and
    their priorities: what ``Sample`` keeps of ``n`` rows, found a block at a time in memory of
    about ``k`` rows (never the priorities of all ``n``).

    >>> rows, pr = bottom_rows(1000, 0, 3)
    >>> every = priorities(np.arange(1000), 0)
    >>> rows.tolist() == sorted(np.argsort(every)[:3].tolist()) and bool((pr == every[rows]).all())
    True
    """
    if n <= k:
        return np.arange(n, dtype=np.int64), range_priorities(0, n, seed)
    block = max(_SELECT_BLOCK, k)
    rows: list[np.ndarray] = []
    prs: list[np.ndarray] = []
    held, limit = 0, None
    for s in range(0, n, block):
        pr = range_priorities(s, min(s + block, n), seed)
        idx = np.arange(pr.size) if limit is None else np.flatnonzero(pr <= limit)
        rows.append(idx + s)
        prs.append(pr[idx])
        held += idx.size
        if held > 2 * k:  # back to the bottom k; only priorities below its largest can enter later
            r, p = np.concatenate(rows), np.concatenate(prs)
            sel = np.argpartition(p, k - 1)[:k]
            rows, prs, held = [r[sel]], [p[sel]], k
            limit = prs[0].max()
    r, p = np.concatenate(rows), np.concatenate(prs)
    if r.size > k:
        sel = np.argpartition(p, k - 1)[:k]
        r, p = r[sel], p[sel]
    order = np.argsort(r)
    return r[order].astype(np.int64), p[order]


@dataclass(frozen=True)
class Sample(Kernel):
    """Up to ``k`` rows of ``columns``, plus their row positions in ``__row__``."""

    columns: tuple[str, ...]
    k: int = 100_000
    seed: int = 0
    method = "seeded uniform sample (bottom-k of hashed row positions)"

    def init(self):
        return None

    def update(self, state, view: BatchView):
        if view.num_rows == 0:
            return state
        pos = np.arange(view.offset, view.offset + view.num_rows, dtype=np.int64)
        pr = range_priorities(view.offset, view.offset + view.num_rows, self.seed)
        if pr.size > self.k:
            sel = np.sort(np.argpartition(pr, self.k - 1)[: self.k])
        else:
            sel = np.arange(pr.size)
        idx = pa.array(sel)
        cols = {c: view.batch.column(view.batch.schema.get_field_index(c)).take(idx) for c in self.columns}
        cols["__row__"] = pa.array(pos[sel])
        part = (pa.table(cols), pr[sel])
        return part if state is None else self.merge(state, part)

    def merge(self, a, b):
        if a is None:
            return b
        if b is None:
            return a
        t = pa.concat_tables([a[0], b[0]])
        pr = np.concatenate([a[1], b[1]])
        if pr.size > self.k:
            sel = np.sort(np.argpartition(pr, self.k - 1)[: self.k])
            t, pr = t.take(pa.array(sel)), pr[sel]
        return (t, pr)

    def finalize(self, state):
        if state is None:
            return pa.table({**{c: pa.array([], pa.null()) for c in self.columns}, "__row__": pa.array([], pa.int64())})
        t = state[0]
        order = np.argsort(t.column("__row__").to_numpy(), kind="stable")
        return t.take(pa.array(order))
