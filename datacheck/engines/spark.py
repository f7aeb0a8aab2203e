"""The Spark engine: the same kernels, folded on the executors with ``DataFrame.mapInArrow``.

Each partition folds every kernel over its Arrow batches and returns one binary row with its
states; the driver merges the states and finalizes them. No check code runs on the executors and
no column is collected to the driver (bounded kernels such as ``Sample`` return at most their
bound per partition). Row positions in evidence follow Spark's ``monotonically_increasing_id``
convention: ``partition_id << 33`` plus the row's position inside the partition.

Examples
--------
>>> import datacheck                                     # doctest: +SKIP
>>> report = datacheck.run(spark_df, "expectations/adult.yaml")  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pyarrow as pa

from datacheck.engines.base import Source
from datacheck.engines.folding import describe, finish, plan_fold
from datacheck.errors import DataError
from datacheck.kernels.base import BatchView, Kernel

__all__ = ["SparkSource", "is_spark_dataframe"]

ROW_ID_SHIFT = 33


def is_spark_dataframe(data: Any) -> bool:
    """True for a ``pyspark.sql.DataFrame`` (classic or Connect), without importing pyspark."""
    mod = type(data).__module__
    return mod.startswith("pyspark.sql") and type(data).__name__ == "DataFrame"


def _fold_partition(kernels: list[Kernel]):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from pyspark import TaskContext

        ctx = TaskContext.get()
        offset = (ctx.partitionId() if ctx is not None else 0) << ROW_ID_SHIFT
        states = [k.init() for k in kernels]
        failures: dict[int, str] = {}
        for batch in batches:
            view = BatchView(batch, offset)
            for i, k in enumerate(kernels):
                if i in failures:
                    continue
                try:
                    states[i] = k.update(states[i], view)
                except Exception as exc:  # isolated, as in the local engine
                    failures[i] = describe(exc)
            offset += batch.num_rows
        blobs = [None if i in failures else k.dumps(states[i]) for i, k in enumerate(kernels)]
        yield pa.RecordBatch.from_pydict(
            {"state": [pickle.dumps((blobs, failures))]}, schema=pa.schema([("state", pa.binary())])
        )

    return run


_WORKER_HINT = (
    "Spark's Python workers cannot import {what} ({detail}); set PYSPARK_PYTHON to a Python that has "
    "datacheck installed on every executor (on this machine: {exe}) before the SparkSession is created"
)


@contextlib.contextmanager
def _worker_python(df: Any) -> Iterator[str | None]:
    """Run the fold with workers that can import datacheck.

    Without ``PYSPARK_PYTHON`` a session's workers run ``python3`` from the PATH, which often lacks
    pyarrow and datacheck, and the user sees a wall of Java traceback. For a *local* master the
    workers run on this machine, so this interpreter is safe to use: the session's worker Python is
    set to ``sys.executable`` for this fold only and restored afterwards. Yields a note, or None.
    """
    sc = None
    with contextlib.suppress(Exception):  # Spark Connect has no SparkContext: nothing to set
        sc = df.sparkSession.sparkContext
    master = str(getattr(sc, "master", "") or "")
    old = getattr(sc, "pythonExec", None)
    if sc is None or os.environ.get("PYSPARK_PYTHON") or not master.startswith("local") or old == sys.executable:
        yield None
        return
    sc.pythonExec = sys.executable
    try:
        yield (
            f"PYSPARK_PYTHON is not set; the local Spark workers ran this Python ({sys.executable}) "
            f"instead of {old!r} for datacheck's fold"
        )
    finally:
        sc.pythonExec = old


def _explain_worker_failure(exc: BaseException) -> str | None:
    """One line for the usual worker failure (a Python without pyarrow/datacheck), else None."""
    import re

    m = re.search(r"No module named '([\w.]+)'", str(exc))
    if not m:
        return None
    return _WORKER_HINT.format(
        what=m.group(1).split(".")[0], detail=f"No module named {m.group(1)!r}", exe=sys.executable
    )


class SparkSource(Source):
    """A ``pyspark.sql.DataFrame``: the schema from Spark's, kernels folded on the executors."""

    kind = "spark"

    def __init__(self, df: Any) -> None:
        from pyspark.sql.pandas.types import to_arrow_schema

        names = df.columns
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise DataError(f"the Spark DataFrame has duplicate column names {dup!r}; rename them")
        try:
            # timestamps need the session's time zone: Spark sends them to mapInArrow in it
            tz = df.sparkSession.conf.get("spark.sql.session.timeZone", None) or "UTC"
            schema = to_arrow_schema(df.schema, timezone=tz)
        except Exception as exc:  # unsupported Spark types
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise DataError(
                f"cannot map the Spark schema to Arrow: {reason}; cast the column to a plain type "
                "(string, number, timestamp) first"
            ) from None
        super().__init__(schema, f"pyspark.sql.DataFrame[{len(names)} columns]", None)
        self.df = df

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        raise DataError("a Spark DataFrame is folded on the executors; it has no local batch stream")

    def fold(self, kernels: Iterable[Kernel]) -> tuple[dict[Kernel, Any], dict[Kernel, str]]:
        """Fold ``kernels`` over the DataFrame's partitions and merge the states on the driver."""
        plan = plan_fold(kernels, self.schema.names)
        live, failures = plan.live, plan.failures
        reads = list(dict.fromkeys(c for k in live for c in k.reads))
        df = self.df.select(*[f"`{c}`" for c in reads]) if reads else self.df.select()
        with _worker_python(self.df) as note:
            try:
                rows = df.mapInArrow(_fold_partition(live), "state binary").collect()
            except Exception as exc:
                hint = _explain_worker_failure(exc)
                if hint is None:
                    raise
                raise DataError(hint) from None
        if note and note not in self.notes:
            self.notes.append(note)
        states = [k.init() for k in live]
        for row in rows:
            blobs, part_fail = pickle.loads(row["state"])
            for i, k in enumerate(live):
                if k in failures:
                    continue
                if i in part_fail:
                    failures[k] = part_fail[i]
                    continue
                states[i] = k.merge(states[i], k.loads(blobs[i]))
        return finish(plan, zip(live, states))
