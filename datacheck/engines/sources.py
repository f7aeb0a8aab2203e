"""Turn what the user passes into a stream of Arrow record batches.

A :class:`Source` knows its schema without reading the data (so suites bind before any data is
read), streams batches of only the columns asked for, and can be read again (a check may ask for
a second pass). In-memory data (pandas, pyarrow, polars) is converted to Arrow once, zero-copy
where the types allow; Parquet files and directories and CSV files are streamed with bounded
memory (``pre_buffer=False``: with pyarrow's default, memory grows with the file).

Examples
--------
>>> import pandas as pd
>>> src = open_source(pd.DataFrame({"a": [1, 2, 3]}))
>>> src.schema.names, sum(b.num_rows for b in src.batches(["a"]))
(['a'], 3)
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any, Iterator, Sequence

import pyarrow as pa

from datacheck.errors import DataError

__all__ = ["Source", "open_source", "DEFAULT_BATCH_ROWS"]

DEFAULT_BATCH_ROWS = 1 << 18  # 262,144 rows: measured faster and lighter than 1M for streaming


class Source:
    """A dataset datacheck can read: ``schema``, ``batches(columns)``, ``description``."""

    kind = "data"

    def __init__(self, schema: pa.Schema, description: str, num_rows: int | None = None) -> None:
        self.schema = schema
        self.description = description
        self.num_rows = num_rows
        self.notes: list[str] = []
        self.format: str | None = None  # what a file was read as ("Parquet", "tab-separated text", ...)
        self.row_labels = None  # callable(positions) -> labels, for pandas indexes

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:  # pragma: no cover
        raise NotImplementedError


class TableSource(Source):
    """An in-memory Arrow table, sliced into batches without copying."""

    def __init__(self, table: pa.Table, description: str, batch_rows: int = DEFAULT_BATCH_ROWS) -> None:
        super().__init__(table.schema, description, table.num_rows)
        self.table = table
        self.batch_rows = batch_rows

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        t = self.table if columns is None else self.table.select(list(columns))
        if t.num_rows == 0:
            yield pa.RecordBatch.from_pylist([], schema=t.schema)
            return
        for start in range(0, t.num_rows, self.batch_rows):
            chunk = t.slice(start, min(self.batch_rows, t.num_rows - start)).combine_chunks()
            yield from chunk.to_batches() or [pa.RecordBatch.from_pylist([], schema=t.schema)]


class ParquetSource(Source):
    """One Parquet file or a directory of them, streamed batch by batch."""

    def __init__(self, path: str, batch_rows: int = DEFAULT_BATCH_ROWS) -> None:
        import pyarrow.dataset as ds

        self.path = path
        self.batch_rows = batch_rows
        try:
            self.dataset = ds.dataset(path, format="parquet")
            schema = self.dataset.schema
            num_rows = self.dataset.count_rows()
        except (pa.ArrowInvalid, OSError, pa.ArrowException) as exc:
            raise DataError(f"cannot read Parquet data at {path}: {exc}") from None
        if not self.dataset.files:
            raise DataError(f"no Parquet files found at {path}")
        super().__init__(schema, path, num_rows)

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        import pyarrow.parquet as pq

        cols = None if columns is None else list(columns)
        any_batch = False
        for path in sorted(self.dataset.files):
            try:
                pf = pq.ParquetFile(path, pre_buffer=False)  # with pre_buffer, memory grows with the file
                for b in pf.iter_batches(batch_size=self.batch_rows, columns=cols, use_threads=True):
                    any_batch = True
                    yield b
            except (pa.ArrowInvalid, OSError, pa.ArrowException) as exc:
                raise DataError(f"cannot read Parquet data at {path}: {exc}") from None
        if not any_batch:
            sch = self.schema if cols is None else pa.schema([self.schema.field(c) for c in cols])
            yield pa.RecordBatch.from_pylist([], schema=sch)


class CsvSource(Source):
    """A delimited text file (optionally gzip-compressed), streamed; column types are inferred from the
    first block and then enforced. Read errors name the file, the line and the column."""

    def __init__(self, path: str, batch_rows: int = DEFAULT_BATCH_ROWS, *, delimiter: str = ",",
                 compression: str | None = None) -> None:
        import pyarrow.csv as pcsv

        self.path = path
        self.delimiter = delimiter
        self.compression = compression
        self.read_options = pcsv.ReadOptions(block_size=16 << 20)
        self.parse_options = pcsv.ParseOptions(delimiter=delimiter)
        # keep strings as written: "NA" in a text column is a disguised missing value to report
        self.convert_options = pcsv.ConvertOptions(strings_can_be_null=False)
        try:
            with pcsv.open_csv(self._stream(), read_options=self.read_options, parse_options=self.parse_options,
                               convert_options=self.convert_options) as r:
                schema = r.schema
        except (pa.ArrowInvalid, OSError, pa.ArrowException) as exc:
            raise DataError(self._explain(exc, None)) from None
        super().__init__(schema, path, None)
        _reject_duplicates(schema.names, path)

    def _stream(self):
        return pa.input_stream(self.path, compression=self.compression)

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        import pyarrow.csv as pcsv

        co = pcsv.ConvertOptions(strings_can_be_null=False, include_columns=None if columns is None else list(columns),
                                 column_types={f.name: f.type for f in self.schema})
        try:
            with pcsv.open_csv(self._stream(), read_options=self.read_options, parse_options=self.parse_options,
                               convert_options=co) as reader:
                any_batch = False
                for b in reader:
                    any_batch = True
                    yield b
                if not any_batch:
                    sch = self.schema if columns is None else pa.schema([self.schema.field(c) for c in columns])
                    yield pa.RecordBatch.from_pylist([], schema=sch)
        except (pa.ArrowInvalid, pa.ArrowException) as exc:
            raise DataError(self._explain(exc, columns)) from None

    def _explain(self, exc: Exception, columns: Sequence[str] | None) -> str:
        """Arrow names neither the line nor the column ('In CSV column #3', 'Expected 15 columns, got 17'):
        find the first offending line (only after an error) and name the column as the user does."""
        import re

        from datacheck.engines.files import locate_csv_line

        text = str(exc).strip().splitlines()[0]
        schema = getattr(self, "schema", None)
        line = None
        where = ""
        m_col = re.search(r"CSV column #(\d+)", text)
        m_val = re.search(r"invalid value '(.*)'", text)
        m_cnt = re.search(r"Expected (\d+) columns, got (\d+)", text)
        try:
            if m_col and schema is not None:
                names = schema.names  # Arrow numbers columns as in the file, whatever was selected
                i = int(m_col.group(1))
                if i < len(names):
                    f = schema.field(names[i])
                    where = f", column {f.name!r} (type {f.type} inferred from the first 16 MB)"
                    if m_val:
                        line = locate_csv_line(self.path, self.delimiter, self.compression,
                                               column=schema.get_field_index(f.name), value=m_val.group(1))
            elif m_cnt:
                line = locate_csv_line(self.path, self.delimiter, self.compression, n_columns=int(m_cnt.group(1)))
        except (OSError, ValueError):  # pragma: no cover - the explanation must never hide the error
            line = None
        at = f", line {line:,}" if line else ""
        text = re.sub(r"^In CSV column #\d+: ", "", text)
        hint = ("give the column a consistent type or convert the file to Parquet" if m_col
                else "every line needs the header's number of fields (quote values that hold the delimiter)")
        return f"cannot read CSV file {self.path}{at}{where}: {text}; {hint}"


def _reject_duplicates(names: Sequence[str], what: str) -> None:
    dup = [n for n, c in Counter(names).items() if c > 1]
    if dup:
        raise DataError(f"{what} has duplicate column names {dup!r}; rename them so every column can be named")


def _from_pandas(df: Any) -> TableSource:
    import pandas as pd

    names = [str(c) for c in df.columns]
    _reject_duplicates(names, "the DataFrame")
    notes = []
    try:
        table = pa.Table.from_pandas(df, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError):
        # mixed-type object columns: keep them, as strings, and say so
        arrays = {}
        for name, col in zip(names, [df.iloc[:, i] for i in range(df.shape[1])]):
            try:
                arrays[name] = pa.array(col, from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError):
                kinds = sorted({type(v).__name__ for v in col.dropna().head(1000)})
                arrays[name] = pa.array([None if pd.isna(v) else str(v) for v in col], pa.large_string())
                notes.append(f"column {name!r} mixes value types ({', '.join(kinds)}); it was read as strings")
        table = pa.table(arrays)
    if table.column_names != names:
        table = table.rename_columns(names)
    src = TableSource(table, f"pandas.DataFrame[{len(df):,} x {df.shape[1]}]")
    src.notes.extend(notes)
    index = df.index
    if not isinstance(index, pd.RangeIndex) or index.start != 0 or index.step != 1:
        src.row_labels = lambda pos: [index[int(p)] for p in pos]
    return src


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
        from datacheck.engines.files import open_file  # the format is told from the content

        return open_file(path, batch_rows)
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
        return TableSource(data, f"pyarrow.Table[{data.num_rows:,} x {data.num_columns}]", batch_rows)
    if mod == "polars":
        table = data.to_arrow()
        _reject_duplicates(table.column_names, "the polars DataFrame")
        return TableSource(table, f"polars.DataFrame[{table.num_rows:,} x {table.num_columns}]", batch_rows)
    raise DataError(
        "data must be a pandas DataFrame, a pyarrow Table, a polars DataFrame, a Spark DataFrame, or a path to a Parquet "
        f"file, a Parquet directory or a CSV file; got {type(data).__name__}"
    )
