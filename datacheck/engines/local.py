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
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import pyarrow as pa

from datacheck.engines.base import Source
from datacheck.engines.folding import describe, finish, plan_fold
from datacheck.errors import DataError
from datacheck.kernels.base import ARRAY_POOL, BatchView, Kernel, SortedRun, clear_shared_caches

__all__ = ["column_rounds", "fold", "forget", "THREADS"]

#: worker threads per batch (kernels grouped by column; numpy and Arrow release the GIL)
THREADS = max(1, min(4, os.cpu_count() or 1))
_MIN_ROWS_FOR_THREADS = 65_536


_DONE = object()

#: rounds over one held column (a check asking for ever more is a bug: the passes then take over)
_MAX_ROUNDS = 16

#: sorted runs of a source's columns kept from its first pass for the later ones (bytes, per source)
SORTED_RUNS_BYTES = 256 << 20


class _Runs:
    """The sorted columns a source's first pass left (:class:`SortedRun`, one per batch), kept while
    they fit the budget, so that :attr:`Kernel.order_free` kernels of later passes (exact quantiles,
    bin counts on the reference's edges, the fence histogram) read them instead of the data: no
    second read, conversion or sort of those columns. A column is kept whole or not at all, and
    nothing is kept when the row count says the columns would not all fit."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.used = 0
        self.folds = 0
        self.complete: dict[str, list[SortedRun]] = {}
        self.filling: dict[str, list[SortedRun]] = {}
        self.dropped: set[str] = set()

    def first_fold(self) -> bool:
        self.folds += 1
        return self.folds == 1 and self.budget > 0

    def keep(self, view: BatchView, first: bool, wanted: set[str]) -> None:
        """Take this batch's sorted columns: at the first batch the ``wanted`` ones sorted, later those
        still kept (a column not sorted in some batch is dropped: its runs would not cover the data)."""
        for name in [c for c in view.sorted_columns() if c in wanted] if first else list(self.filling):
            if name in self.dropped or name in self.complete:
                continue
            run = view.take_sorted(name)
            if run is None or self.used + run.values.nbytes > self.budget:
                self._drop(name)
                continue
            self.filling.setdefault(name, []).append(run)
            self.used += run.values.nbytes

    def _drop(self, name: str) -> None:
        self.dropped.add(name)
        self.used -= sum(r.values.nbytes for r in self.filling.pop(name, []))

    def done(self) -> None:
        self.complete.update(self.filling)
        self.filling = {}

    def abandon(self) -> None:
        for name in list(self.filling):
            self._drop(name)


def column_rounds(
    source: Source,
    kernels: Iterable[Kernel],
    again: Callable[[str, dict[Kernel, Any], dict[Kernel, str]], Iterable[Kernel]],
    progress: Any = None,
) -> bool:
    """Compute the ``kernels`` that read one column a source can hand whole (``whole_column``), a
    column at a time, in rounds while the column is held: no pass over the rows for them.

    Each round computes that column's kernels (:meth:`Kernel.whole` where a kernel has one, else a
    fold over the column alone) and hands the values and failures to ``again(column, values,
    failures)``, which stores them and returns what is needed of that column next (a later round:
    bin counts once the edges are known, exact quantiles once the summary is). The column's sorted
    batches from its first round are kept for the next ones (they fit: one column), so exact
    quantiles, the fence histogram and bin counts neither read nor sort it again. From a source not
    in memory, a column that a kernel reading several columns also reads is left to the pass that
    decodes it anyway. Columns run on ``THREADS`` threads; ``again`` is called under a lock. A
    column the source cannot hand whole (None, or a read that fails) is left to the passes, which
    report any fault; so is what a column still asks after ``_MAX_ROUNDS`` rounds. ``progress``, a
    tqdm-like bar, is given the number of columns and advanced as each is done. Returns whether any
    value was computed.
    """
    get = getattr(source, "whole_column", None)
    if get is None:
        return False
    names = set(source.schema.names)
    by_column: dict[str, list[Kernel]] = {}
    for k in kernels:
        if len(k.reads) == 1 and k.reads[0] in names:
            by_column.setdefault(k.reads[0], []).append(k)
    if not getattr(source, "in_memory", False):
        # a column a pass decodes anyway for a kernel reading several columns is left to that pass:
        # decoding it whole first would decode it twice
        shared = {c for k in kernels if len(k.reads) > 1 for c in k.reads}
        by_column = {c: ks for c, ks in by_column.items() if c not in shared}
    if not by_column:
        return False
    lock = threading.Lock()
    rows = getattr(source, "batch_rows", None)

    def one(name: str, todo: list[Kernel]) -> bool:
        try:
            column = get(name)
        except Exception:  # the pass reads it again and reports the fault
            return False
        if column is None:
            return False
        from datacheck.engines.sources import TableSource

        alone = TableSource(pa.table({name: column}), f"column {name!r}", **({"batch_rows": rows} if rows else {}))
        try:
            for _ in range(_MAX_ROUNDS):
                if not todo:
                    break
                values: dict[Kernel, Any] = {}
                rest = []
                for k in todo:
                    if type(k).whole is Kernel.whole:
                        rest.append(k)
                        continue
                    try:
                        values[k] = k.whole(column)
                    except Exception:  # the fold computes it and isolates the failure
                        rest.append(k)
                failures: dict[Kernel, str] = {}
                if rest:
                    folded, failures = fold(alone, rest, keep_caches=True)
                    values.update(folded)
                with lock:
                    todo = [k for k in again(name, values, failures) if tuple(k.reads) == (name,)]
        finally:
            forget(alone)
            if progress is not None:
                with lock:
                    progress.update(1)
        return True

    # text and other columns first: their kernels cost more a row than a numeric column's, and the
    # threads finish together when the long tasks start first
    numeric = {f.name for f in source.schema if pa.types.is_integer(f.type) or pa.types.is_floating(f.type)}
    order = sorted(by_column.items(), key=lambda item: item[0] in numeric)
    if progress is not None:
        progress.total = len(order)
        progress.refresh()
    try:
        if THREADS > 1 and len(by_column) > 1:  # one column a task: numpy and Arrow release the GIL
            with ThreadPoolExecutor(THREADS) as pool:
                done = list(pool.map(lambda item: one(*item), order))
        else:
            done = [one(name, todo) for name, todo in order]
    finally:
        clear_shared_caches()
        ARRAY_POOL.clear()
    return any(done)


def forget(source: Source) -> None:
    """Drop the sorted runs kept for ``source`` (callers do when its passes are over)."""
    source.__dict__.pop("_datacheck_runs", None)


def _runs_of(source: Source) -> _Runs:
    runs = source.__dict__.get("_datacheck_runs")
    if runs is None:
        runs = source.__dict__["_datacheck_runs"] = _Runs(SORTED_RUNS_BYTES)
    return runs


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
    source: Source, kernels: Iterable[Kernel], progress: Any = None, *, keep_caches: bool = False
) -> tuple[dict[Kernel, Any], dict[Kernel, str]]:
    """Fold ``kernels`` over ``source`` in one pass.

    ``progress``, a tqdm-like bar (see :mod:`datacheck.progress`), is advanced by each batch's rows.
    ``keep_caches`` leaves the batches' work arrays in their pool and the kernels' shared caches
    (:func:`~datacheck.kernels.base.shared_cache`) for the next fold; the caller empties them.

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
    states: dict[Kernel, Any] = {k: k.init() for k in plan.live}
    # slots [kernel, state, failure]: the fold never hashes a kernel per batch (kernels carrying
    # thousands of bin edges hash slowly)
    groups: dict[Any, list[list[Any]]] = {}
    for k, s in states.items():  # kernels reading the same first column share the batch view's caches
        groups.setdefault(k.reads[:1], []).append([k, s, None])
    for g in groups.values():  # kernels that sort a column first: the others then read the sort
        g.sort(key=lambda slot: not slot[0].sorts)
    runs = _runs_of(source)
    # columns whose every kernel here reads only their sorted values, kept by an earlier pass: folded
    # over those runs, without reading or sorting the data again
    replay = {
        key: runs.complete[key[0]]
        for key, g in groups.items()
        if key and key[0] in runs.complete and all(slot[0].order_free and tuple(slot[0].reads) == key for slot in g)
    }
    live = {key: g for key, g in groups.items() if key not in replay}
    reads = list(dict.fromkeys(c for g in live.values() for slot in g for c in slot[0].reads))
    if not reads and source.schema.names:
        reads = source.schema.names[:1]  # a batch with no column cannot carry its row count
    # keep the sorted columns of a source's first pass that a later pass will likely read again, when
    # all of them fit the budget (a part would save a part of the pass for the same memory)
    fill = runs.first_fold()
    wanted = {k.reads[0] for k in plan.live if k.prepares_pass and len(k.reads) == 1}
    fill = fill and bool(wanted) and (source.num_rows is None or 8 * source.num_rows * len(wanted) <= runs.budget)

    def run_group(view: Any, group: list[list[Any]]) -> None:
        for slot in group:
            if slot[2] is not None:
                continue
            try:
                slot[1] = slot[0].update(slot[1], view)
            except DataError:
                raise
            except Exception as exc:  # one kernel's bad data must not stop the others
                slot[2] = describe(exc)

    def run_replay(key: Any) -> None:
        for run in replay[key]:
            run_group(run, groups[key])

    # the slowest groups of the last batch are submitted first, so the threads finish a batch
    # together (longest-processing-time-first) instead of one thread waiting for the last column
    cost: dict[Any, float] = {g: 0.0 for g in live}

    def timed(view: BatchView, key: Any) -> None:
        t0 = time.perf_counter()
        run_group(view, live[key])
        cost[key] = time.perf_counter() - t0

    pool = ThreadPoolExecutor(THREADS) if THREADS > 1 and len(groups) > 1 else None
    try:
        if replay:
            if pool is not None:
                for f in [pool.submit(run_replay, key) for key in replay]:
                    f.result()
            else:
                for key in replay:
                    run_replay(key)
        if live:
            offset = 0
            encoded = _encoded_columns(source, plan.live, reads)
            # (``dictionary=`` only for sources with ``reads_dictionary``; Source.batches has no such argument)
            batches = cast(Any, source).batches(reads, dictionary=encoded) if encoded else source.batches(reads)
            if pool is not None:
                batches = _prefetch(batches)
            for batch in batches:
                view = BatchView(batch, offset)
                if pool is not None and batch.num_rows >= _MIN_ROWS_FOR_THREADS:
                    order = sorted(live, key=lambda g: -cost[g])
                    for f in [pool.submit(timed, view, g) for g in order]:
                        f.result()
                else:
                    for g in live.values():
                        run_group(view, g)
                if fill:
                    runs.keep(view, offset == 0, wanted)
                view.release()
                offset += batch.num_rows
                if progress is not None:
                    progress.update(batch.num_rows)
            if fill:
                runs.done()
    finally:
        runs.abandon()  # a pass that did not finish keeps nothing
        if pool is not None:
            pool.shutdown()
        if not keep_caches:
            ARRAY_POOL.clear()
    for g in groups.values():
        for k, _, failure in g:
            if failure is not None:
                plan.failures[k] = failure
    return finish(plan, ((k, s) for g in groups.values() for k, s, _ in g), keep_caches=keep_caches)
