"""A bounded, seeded, mergeable stratified sample of rows (bottom-k per stratum).

The stratified variant of :class:`~datacheck.kernels.sample.Sample`: rows get the same
hashed-position priorities, and every stratum (a value of the ``by`` column) keeps the
``quota`` rows with the smallest priorities. Quotas are fixed before the pass (from the
stratum counts of an earlier pass), so each class keeps exactly its share -- small classes are
not left to chance, as they are in a uniform sample. Rows whose stratum has no quota (missing
values, values not seen in the earlier pass) are not sampled. Deterministic under any batching,
and merges exactly.

Examples
--------
>>> import pyarrow as pa
>>> from datacheck.kernels.base import BatchView
>>> k = StratifiedSample(("x", "y"), by="y", quotas=(("a", 2), ("b", 1)), seed=0)
>>> t = k.finalize(k.update(k.init(), BatchView(pa.record_batch({"x": [1, 2, 3, 4, 5], "y": list("aaabb")}))))
>>> sorted(t.column("y").to_pylist())
['a', 'a', 'b']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacheck.kernels.base import BatchView, Kernel
from datacheck.kernels.sample import range_priorities

__all__ = ["StratifiedSample"]


def _keep_smallest(table: pa.Table, pr: np.ndarray, k: int) -> tuple[pa.Table, np.ndarray]:
    if pr.size <= k:
        return table, pr
    sel = np.sort(np.argpartition(pr, k - 1)[:k]) if k > 0 else np.array([], dtype=np.int64)
    return table.take(pa.array(sel, pa.int64())), pr[sel]


@dataclass(frozen=True)
class StratifiedSample(Kernel):
    """Up to ``quota`` rows per value of ``by`` (``quotas`` = ((value, quota), ...)), plus ``__row__``."""

    columns: tuple[str, ...]
    by: str
    quotas: tuple[tuple[Any, int], ...]
    seed: int = 0
    method = "seeded stratified sample (bottom-k of hashed row positions per stratum)"

    @property
    def reads(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.columns, self.by)))

    def init(self):
        return {}

    def update(self, state, view: BatchView):
        if view.num_rows == 0:
            return state
        pr = range_priorities(view.offset, view.offset + view.num_rows, self.seed)
        strata = view.column(self.by)
        part: dict = {}
        for i, (value, quota) in enumerate(self.quotas):
            mask = pc.fill_null(pc.equal(strata, pa.scalar(value, strata.type)), False)
            idx = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
            if idx.size == 0:
                continue
            if idx.size > quota:
                idx = np.sort(idx[np.argpartition(pr[idx], quota - 1)[:quota]]) if quota > 0 else idx[:0]
            take = pa.array(idx, pa.int64())
            cols = {c: view.batch.column(view.batch.schema.get_field_index(c)).take(take) for c in self.columns}
            cols["__row__"] = pa.array(idx + view.offset)
            part[i] = (pa.table(cols), pr[idx])
        return self.merge(state, part)

    def merge(self, a, b):
        out = dict(a)
        for i, (t, pr) in b.items():
            if i in out:
                t = pa.concat_tables([out[i][0], t])
                pr = np.concatenate([out[i][1], pr])
            out[i] = _keep_smallest(t, pr, self.quotas[i][1])
        return out

    def finalize(self, state):
        parts = [state[i][0] for i in sorted(state)]
        if not parts:
            return pa.table({**{c: pa.array([], pa.null()) for c in self.columns}, "__row__": pa.array([], pa.int64())})
        t = pa.concat_tables(parts, promote_options="permissive")
        order = np.argsort(t.column("__row__").to_numpy(), kind="stable")
        return t.take(pa.array(order))
