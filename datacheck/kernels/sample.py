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

__all__ = ["Sample", "priorities"]


def priorities(positions: np.ndarray, seed: int) -> np.ndarray:
    """splitmix64 of (position + seed * golden ratio): a fixed pseudo-random uint64 per row."""
    with np.errstate(over="ignore"):
        z = (
            positions.astype(np.uint64)
            + np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15)
            + np.uint64(0x632BE59BD9B4E019)
        )
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


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
        pr = priorities(pos, self.seed)
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
