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

from typing import Any, Iterable

from datacheck.engines.sources import Source
from datacheck.errors import DataError
from datacheck.kernels.base import BatchView, Kernel

__all__ = ["fold"]


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def fold(source: Source, kernels: Iterable[Kernel]) -> tuple[dict[Kernel, Any], dict[Kernel, str]]:
    """Fold ``kernels`` over ``source`` in one pass.

    Returns
    -------
    values : dict
        Kernel -> finalized value, for kernels that succeeded.
    failures : dict
        Kernel -> reason, for kernels that raised.
    """
    kernels = list(dict.fromkeys(kernels))
    names = set(source.schema.names)
    reads = list(dict.fromkeys(c for k in kernels for c in k.reads if c in names))
    states: dict[Kernel, Any] = {}
    failures: dict[Kernel, str] = {}
    for k in kernels:
        missing = [c for c in k.reads if c not in names]
        if missing:
            failures[k] = f"column(s) {missing!r} not in the data"
        else:
            states[k] = k.init()
    offset = 0
    for batch in source.batches(reads):
        view = BatchView(batch, offset)
        for k in list(states):
            try:
                states[k] = k.update(states[k], view)
            except DataError:
                raise
            except Exception as exc:  # one kernel's bad data must not stop the others
                failures[k] = _describe(exc)
                del states[k]
        offset += batch.num_rows
    values: dict[Kernel, Any] = {}
    for k, s in states.items():
        try:
            values[k] = k.finalize(s)
        except Exception as exc:
            failures[k] = _describe(exc)
    return values, failures
