"""The local engine: fold kernels over a source's batches in one pass.

One pass reads only the columns the kernels need; every kernel's state is updated from the same
cached :class:`~datacheck.kernels.base.BatchView`. A kernel that raises on a batch is taken out
of the fold and reported as failed (its checks then report ``error``); the others go on.

Examples
--------
>>> import pandas as pd
>>> from datacheck.engines.sources import open_source
>>> from datacheck.kernels import RowCount, ColumnCounts
>>> values, failures = fold(open_source(pd.DataFrame({"x": [1.0, None]})), [RowCount(), ColumnCounts("x")])
>>> values[RowCount()], values[ColumnCounts("x")]["missing"]
(2, 1)
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterable

from datacheck.engines.sources import Source
from datacheck.errors import DataError
from datacheck.kernels.base import BatchView, Kernel

__all__ = ["fold", "THREADS"]

#: worker threads per batch (kernels grouped by column; numpy and Arrow release the GIL)
THREADS = max(1, min(4, os.cpu_count() or 1))
_MIN_ROWS_FOR_THREADS = 65_536


def _describe(exc: BaseException) -> str:
    from datacheck.context import InternalFailure

    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return InternalFailure(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)


def fold(source: Source, kernels: Iterable[Kernel]) -> tuple[dict[Kernel, Any], dict[Kernel, str]]:
    """Fold ``kernels`` over ``source`` in one pass.

    Returns
    -------
    values : dict
        Kernel -> finalized value, for kernels that succeeded.
    failures : dict
        Kernel -> reason, for kernels that raised.
    """
    custom = getattr(source, "fold", None)
    if custom is not None:  # engines that fold elsewhere (Spark executors)
        return custom(kernels)
    kernels = list(dict.fromkeys(kernels))
    names = set(source.schema.names)
    reads = list(dict.fromkeys(c for k in kernels for c in k.reads if c in names))
    if not reads and source.schema.names:
        reads = source.schema.names[:1]  # a batch with no column cannot carry its row count
    states: dict[Kernel, Any] = {}
    failures: dict[Kernel, str] = {}
    for k in kernels:
        missing = [c for c in k.reads if c not in names]
        if missing:
            failures[k] = f"column(s) {missing!r} not in the data"
        else:
            states[k] = k.init()
    groups: dict[Any, list[Kernel]] = {}
    for k in states:  # kernels reading the same first column share the batch view's caches
        groups.setdefault(k.reads[:1], []).append(k)

    def run_group(view: BatchView, group: list[Kernel]) -> None:
        for k in group:
            if k in failures:
                continue
            try:
                states[k] = k.update(states[k], view)
            except DataError:
                raise
            except Exception as exc:  # one kernel's bad data must not stop the others
                failures[k] = _describe(exc)

    pool = ThreadPoolExecutor(THREADS) if THREADS > 1 and len(groups) > 1 else None
    try:
        offset = 0
        for batch in source.batches(reads):
            view = BatchView(batch, offset)
            if pool is not None and batch.num_rows >= _MIN_ROWS_FOR_THREADS:
                for f in [pool.submit(run_group, view, g) for g in groups.values()]:
                    f.result()
            else:
                for g in groups.values():
                    run_group(view, g)
            offset += batch.num_rows
    finally:
        if pool is not None:
            pool.shutdown()
    for k in failures:
        states.pop(k, None)
    values: dict[Kernel, Any] = {}
    for k, s in states.items():
        try:
            values[k] = k.finalize(s)
        except Exception as exc:
            failures[k] = _describe(exc)
    return values, failures
