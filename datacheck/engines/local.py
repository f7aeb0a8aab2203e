"""The local engine: fold kernels over a source's batches in one pass.

One pass reads only the columns the kernels need; every kernel's state is updated from the same
cached :class:`~datacheck.kernels.base.BatchView`. A kernel that raises on a batch is taken out
of the fold and reported as failed (its checks then report ``error``); the others go on.

Examples
--------
>>> import pandas as pd
>>> from datacheck.engines.opener import open_source
>>> from datacheck.kernels import RowCount, ColumnCounts
>>> values, failures = fold(open_source(pd.DataFrame({"x": [1.0, None]})), [RowCount(), ColumnCounts("x")])
>>> values[RowCount()], values[ColumnCounts("x")]["missing"]
(2, 1)
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import pyarrow as pa

from datacheck.engines.base import Source
from datacheck.engines.folding import describe, finish, plan_fold
from datacheck.errors import DataError
from datacheck.kernels.base import ARRAY_POOL, BatchView, Kernel

__all__ = ["fold", "THREADS"]

#: worker threads per batch (kernels grouped by column; numpy and Arrow release the GIL)
THREADS = max(1, min(4, os.cpu_count() or 1))
_MIN_ROWS_FOR_THREADS = 65_536


_DONE = object()


def _prefetch(batches: Iterator[Any]) -> Iterator[Any]:
    """Read the next batch in a background thread while the current one is folded.

    Parquet decoding and the slicing of in-memory tables release the GIL, so reading overlaps with
    the kernels' work; one batch ahead keeps memory bounded. Errors are raised in the caller.
    """
    q: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def produce() -> None:
        try:
            for b in batches:
                while not stop.is_set():
                    try:
                        q.put((b, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put((_DONE, None))
        except BaseException as exc:  # handed to the consumer, raised there
            q.put((_DONE, exc))

    t = threading.Thread(target=produce, name="datacheck-prefetch", daemon=True)
    t.start()
    try:
        while True:
            b, exc = q.get()
            if b is _DONE:
                if exc is not None:
                    raise exc
                return
            yield b
    finally:
        stop.set()
        while t.is_alive():  # unblock a producer waiting on a full queue, then let it finish
            try:
                q.get_nowait()
            except queue.Empty:
                pass
            t.join(timeout=0.05)
        close = getattr(batches, "close", None)
        if close is not None:
            close()


def _encoded_columns(source: Source, kernels: list[Kernel], reads: list[str]) -> list[str]:
    """Text columns the source may hand dictionary-encoded, as stored: those whose every kernel reads
    them through :class:`BatchView` only (``Kernel.encoded_ok``), from a source that can."""
    if not getattr(source, "reads_dictionary", False):
        return []
    text = {f.name for f in source.schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)}
    ok = {c for c in reads if c in text}
    for k in kernels:
        if not k.encoded_ok:
            ok.difference_update(k.reads)
    return [c for c in reads if c in ok]


def fold(
    source: Source, kernels: Iterable[Kernel], progress: Any = None
) -> tuple[dict[Kernel, Any], dict[Kernel, str]]:
    """Fold ``kernels`` over ``source`` in one pass.

    ``progress``, a tqdm-like bar (see :mod:`datacheck.progress`), is advanced by each batch's rows.

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
    plan = plan_fold(kernels, source.schema.names)
    reads = list(dict.fromkeys(c for k in plan.live for c in k.reads))
    if not reads and source.schema.names:
        reads = source.schema.names[:1]  # a batch with no column cannot carry its row count
    states: dict[Kernel, Any] = {k: k.init() for k in plan.live}
    # slots [kernel, state, failure]: the fold never hashes a kernel per batch (kernels carrying
    # thousands of bin edges hash slowly)
    groups: dict[Any, list[list[Any]]] = {}
    for k, s in states.items():  # kernels reading the same first column share the batch view's caches
        groups.setdefault(k.reads[:1], []).append([k, s, None])
    for g in groups.values():  # kernels that sort a column first: the others then read the sort
        g.sort(key=lambda slot: not slot[0].sorts)

    def run_group(view: BatchView, group: list[list[Any]]) -> None:
        for slot in group:
            if slot[2] is not None:
                continue
            try:
                slot[1] = slot[0].update(slot[1], view)
            except DataError:
                raise
            except Exception as exc:  # one kernel's bad data must not stop the others
                slot[2] = describe(exc)

    # the slowest groups of the last batch are submitted first, so the threads finish a batch
    # together (longest-processing-time-first) instead of one thread waiting for the last column
    cost: dict[Any, float] = {g: 0.0 for g in groups}

    def timed(view: BatchView, key: Any) -> None:
        t0 = time.perf_counter()
        run_group(view, groups[key])
        cost[key] = time.perf_counter() - t0

    pool = ThreadPoolExecutor(THREADS) if THREADS > 1 and len(groups) > 1 else None
    try:
        offset = 0
        encoded = _encoded_columns(source, plan.live, reads)
        # (``dictionary=`` only for sources with ``reads_dictionary``; Source.batches has no such argument)
        batches = cast(Any, source).batches(reads, dictionary=encoded) if encoded else source.batches(reads)
        if pool is not None:
            batches = _prefetch(batches)
        for batch in batches:
            view = BatchView(batch, offset)
            if pool is not None and batch.num_rows >= _MIN_ROWS_FOR_THREADS:
                order = sorted(groups, key=lambda g: -cost[g])
                for f in [pool.submit(timed, view, g) for g in order]:
                    f.result()
            else:
                for g in groups.values():
                    run_group(view, g)
            view.release()
            offset += batch.num_rows
            if progress is not None:
                progress.update(batch.num_rows)
    finally:
        if pool is not None:
            pool.shutdown()
        ARRAY_POOL.clear()
    for g in groups.values():
        for k, _, failure in g:
            if failure is not None:
                plan.failures[k] = failure
    return finish(plan, ((k, s) for g in groups.values() for k, s, _ in g))
