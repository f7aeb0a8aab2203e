"""The front door to data: :func:`open_source` turns whatever a user hands over (a DataFrame of
pandas or polars, an Arrow table, a Spark DataFrame, or a path whose format is told from its
content) into a :class:`~datacheck.engines.base.Source`.

Kept apart from the readers so that no reader module imports another: ``sources`` (in-memory,
Parquet, CSV) and ``files`` (format detection, JSON Lines, Arrow IPC) both sit below this one.

Examples
--------
>>> import pandas as pd
>>> open_source(pd.DataFrame({"a": [1, 2]})).schema.names
['a']
"""

from __future__ import annotations

import os
from typing import Any

import pyarrow as pa

from datacheck.engines.base import DEFAULT_BATCH_ROWS, Source
from datacheck.engines.sources import TableSource, _from_pandas, _reject_duplicates, normalise_table
from datacheck.errors import DataError

__all__ = ["open_source"]


def open_source(data: Any, *, batch_rows: int = DEFAULT_BATCH_ROWS) -> Source:
    """Open pandas / pyarrow / polars data or a Parquet/CSV path as a :class:`Source`.

    Parameters
    ----------
    data : pandas.DataFrame, pyarrow.Table, pyarrow.RecordBatch, polars.DataFrame, str or PathLike
        A path may name a Parquet file, a directory of Parquet files, a delimited text file (CSV,
        TSV, ... optionally gzip-compressed), JSON Lines or an Arrow IPC/Feather file; the format is
        detected from the content (:mod:`datacheck.engines.files`).
    batch_rows : int
        Rows per batch.

    Raises
    ------
    DataError
        When the path does not exist, cannot be read, or the data has duplicate column names.
    """
    if isinstance(data, Source):
        return data
    if isinstance(data, (str, os.PathLike)):
        path = os.fspath(data)
        if not os.path.exists(path):
            raise DataError(f"data path does not exist: {path}")
        from datacheck.engines.files import open_file  # (file readers: only for paths)

        return open_file(path, batch_rows)  # the format is told from the content
    mod = type(data).__module__.split(".")[0]
    if mod == "pyspark":
        from datacheck.engines.spark import SparkSource, is_spark_dataframe

        if is_spark_dataframe(data):
            return SparkSource(data)
    if mod == "pandas":
        import pandas as pd

        if isinstance(data, pd.Series):
            data = data.to_frame()
        return _from_pandas(data)
    if isinstance(data, pa.RecordBatch):
        data = pa.Table.from_batches([data])
    if isinstance(data, pa.Table):
        _reject_duplicates(data.column_names, "the Arrow table")
        notes: list[str] = []
        src = TableSource(
            normalise_table(data, notes), f"pyarrow.Table[{data.num_rows:,} x {data.num_columns}]", batch_rows
        )
        src.notes.extend(notes)
        return src
    if mod == "polars":
        table = data.to_arrow()
        _reject_duplicates(table.column_names, "the polars DataFrame")
        notes = []
        src = TableSource(
            normalise_table(table, notes), f"polars.DataFrame[{table.num_rows:,} x {table.num_columns}]", batch_rows
        )
        src.notes.extend(notes)
        return src
    raise DataError(
        "data must be a pandas DataFrame, a pyarrow Table, a polars DataFrame, a Spark DataFrame, or a path to a Parquet "
        f"file, a Parquet directory or a CSV file; got {type(data).__name__}"
    )
