"""The readers: in-memory tables and streamed Parquet and delimited text as Arrow record batches
(:func:`datacheck.engines.opener.open_source` picks one).

A :class:`Source` knows its schema without reading the data (so suites bind before any data is
read), streams batches of only the columns asked for, and can be read again (a check may ask for
a second pass). In-memory data (pandas, pyarrow, polars) is converted to Arrow once, zero-copy
where the types allow; Parquet files and directories and CSV files are streamed with bounded
memory (``pre_buffer=False``: with pyarrow's default, memory grows with the file).

Examples
--------
>>> import pyarrow as pa
>>> src = TableSource(pa.table({"a": [1, 2, 3]}), "example")
>>> src.schema.names, sum(b.num_rows for b in src.batches(["a"]))
(['a'], 3)
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa

from datacheck.engines.base import DEFAULT_BATCH_ROWS, Source
from datacheck.errors import DataError

__all__ = ["Source", "TableSource", "ParquetSource", "CsvSource", "DEFAULT_BATCH_ROWS", "normalise_table"]

#: a Parquet source whose columns fit in this many bytes (uncompressed, and as decoded) keeps the
#: row groups its first pass decoded: later passes read memory instead of decoding the file again.
#: Larger sources stream every pass, so memory stays bounded
PARQUET_CACHE_BYTES = 1 << 28


class TableSource(Source):
    """An in-memory Arrow table, sliced into batches without copying."""

    in_memory = True
    rows_known = True

    def __init__(self, table: pa.Table, description: str, batch_rows: int = DEFAULT_BATCH_ROWS) -> None:
        super().__init__(table.schema, description, table.num_rows)
        self.table = table
        self.batch_rows = batch_rows

    def whole_column(self, name: str) -> pa.ChunkedArray:
        """One column, whole, in the order of :meth:`batches` (for :meth:`Kernel.whole`)."""
        return self.table.column(name)

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        t = self.table if columns is None else self.table.select(list(columns))
        if t.num_rows == 0:
            yield pa.RecordBatch.from_pylist([], schema=t.schema)
            return
        # batches follow the table's own chunks (zero-copy; a table read from Parquet comes in chunks
        # of ~130k rows, and slicing across them copied every column once per pass: 0.2-0.4 s a W1
        # run at 1M rows); only runs of small chunks are combined, so batches stay large
        small = max(1, self.batch_rows // 4)
        pending: list[pa.RecordBatch] = []
        rows = 0
        for b in t.to_batches(max_chunksize=self.batch_rows):
            if b.num_rows >= small:
                if pending:
                    yield from _combined(pending)
                    pending, rows = [], 0
                yield b
                continue
            pending.append(b)
            rows += b.num_rows
            if rows >= self.batch_rows:
                yield from _combined(pending)
                pending, rows = [], 0
        if pending:
            yield from _combined(pending)


def _combined(batches: list[pa.RecordBatch]) -> list[pa.RecordBatch]:
    return pa.Table.from_batches(batches).combine_chunks().to_batches() or batches[:1]


class ParquetSource(Source):
    """One Parquet file or a directory of them, streamed batch by batch.

    ``batches(columns, dictionary=names)`` reads the text columns ``names`` dictionary-encoded, as
    Parquet stores them (``read_dictionary``): no strings are decoded, and kernels that read them
    through :class:`~datacheck.kernels.base.BatchView` count codes (the engine asks this only for
    columns whose every kernel can; ``Kernel.encoded_ok``).
    """

    reads_dictionary = True
    rows_known = True  # the footers state every file's rows

    def __init__(self, path: str, batch_rows: int = DEFAULT_BATCH_ROWS) -> None:
        self.path = path
        self.batch_rows = batch_rows
        try:
            if os.path.isfile(path):  # one file: its footer says it all (pyarrow.dataset takes ~0.25 s to import)
                import pyarrow.parquet as pq

                with pq.ParquetFile(path) as pf:
                    schema, num_rows = pf.schema_arrow, pf.metadata.num_rows
                self.files = [path]
            else:
                import pyarrow.dataset as ds

                dataset = ds.dataset(path, format="parquet")
                schema, num_rows = dataset.schema, dataset.count_rows()
                self.files = sorted(dataset.files)
        except (pa.ArrowInvalid, OSError, pa.ArrowException) as exc:
            raise DataError(f"cannot read Parquet data at {path}: {exc}") from None
        if not self.files:
            raise DataError(f"no Parquet files found at {path}")
        if len(self.files) > 1:
            _agree_on_types(self.files, schema, path)
        self.raw_schema = schema
        notes: list[str] = []
        # (Schema.empty_table imports pandas: 0.26 s that a Parquet run never needs)
        normalised = normalise_table(pa.Table.from_batches([], schema=schema), notes).schema
        super().__init__(normalised, path, num_rows)
        self._normalise = normalised != schema
        self.notes.extend(n for n in notes if "holds 0 " not in n)
        # (file, row group) -> (columns, batches as yielded) for later passes, within the budget
        self.cache_bytes = PARQUET_CACHE_BYTES
        self._cache: dict[tuple[str, int], tuple[frozenset[str], list[pa.RecordBatch], frozenset[str]]] = {}
        self._cached = 0

    #: a column is read whole for :meth:`whole_column` only up to this many bytes as float64, so
    #: memory stays bounded however large the file (a larger one is only streamed)
    WHOLE_COLUMN_BYTES = 1 << 27

    def whole_column(self, name: str) -> pa.ChunkedArray | None:
        """One column, whole, in the order of :meth:`batches` (for the column-at-a-time rounds of
        the local engine, ``column_rounds``), when it is read as stored (not normalised) and holds
        at most ``WHOLE_COLUMN_BYTES``: a numeric column as float64, a text column read
        dictionary-encoded (as Parquet stores it: its codes and its dictionary); None otherwise.
        Reading one column decodes only that column, once: its kernels' later rounds read it from
        memory."""
        t = self.raw_schema.field(name).type
        if self.schema.field(name).type != t or not self.num_rows:
            return None
        text = _is_text(t)
        if text:
            if 4 * self.num_rows + self._decoded_size([name]) > self.WHOLE_COLUMN_BYTES:
                return None
        elif not (pa.types.is_integer(t) or pa.types.is_floating(t)) or self.num_rows * 8 > self.WHOLE_COLUMN_BYTES:
            return None
        import pyarrow.parquet as pq

        chunks: list[pa.Array] = []
        for path in self.files:
            with pq.ParquetFile(path, pre_buffer=False, read_dictionary=[name] if text else None) as pf:
                for rg in range(pf.num_row_groups):  # a chunk a row group: the batches a pass would read
                    chunks.extend(pf.read_row_group(rg, columns=[name], use_threads=False).column(0).chunks)
        return pa.chunked_array(chunks) if chunks else None

    def _decoded_size(self, names: list[str]) -> float:
        """Uncompressed bytes of the columns ``names`` over every file (from the footers)."""
        import pyarrow.parquet as pq

        total = 0.0
        wanted = set(names)
        try:
            for path in self.files:
                meta = pq.ParquetFile(path).metadata
                for rg in range(meta.num_row_groups):
                    group = meta.row_group(rg)
                    for c in range(group.num_columns):
                        chunk = group.column(c)
                        if chunk.path_in_schema.split(".")[0] in wanted:
                            total += chunk.total_uncompressed_size
        except (pa.ArrowException, OSError):
            return math.inf  # the read itself reports the fault
        return total

    def batches(self, columns: Sequence[str] | None = None, dictionary: Sequence[str] = ()) -> Iterator[pa.RecordBatch]:
        import pyarrow.parquet as pq

        cols = None if columns is None else list(columns)
        want = {n: self.raw_schema.field(n).type for n in (cols if cols is not None else self.raw_schema.names)}
        any_batch = False
        # row groups are kept only when all of them fit: a part of a large file saves a part of one
        # pass's decoding for as much memory as the whole of a small one
        caching = self.cache_bytes > 0 and (bool(self._cache) or self._decoded_size(list(want)) <= self.cache_bytes)
        # only columns stored as text (a normalised column, e.g. intervals read as labels, is not)
        encoded = frozenset(c for c in dictionary if c in want and _is_text(self.raw_schema.field(c).type))
        for path in self.files:
            try:
                # with pre_buffer, memory grows with the file
                pf = pq.ParquetFile(path, pre_buffer=False, read_dictionary=sorted(encoded) or None)
            except FileNotFoundError:
                raise DataError(
                    f"Parquet file {path} disappeared while it was being read; no report was made"
                ) from None
            except PermissionError:
                raise DataError(
                    f"Parquet file {path} can no longer be read (permission denied); no report was made"
                ) from None
            except (pa.ArrowInvalid, OSError, pa.ArrowException) as exc:
                raise DataError(f"cannot read Parquet file {path}: {_first_line(exc)}; no report was made") from None
            n_groups = pf.num_row_groups
            for rg in range(n_groups):  # one row group at a time, so a fault names the row group
                hit = self._cache.get((path, rg))
                # decoded in an earlier pass, each column as plain values or codes as asked now
                if hit is not None and set(want) <= hit[0] and hit[2] & set(want) == encoded:
                    for b in hit[1]:
                        any_batch = True
                        yield b if list(want) == b.schema.names else b.select(list(want))
                    continue
                keep: list[pa.RecordBatch] | None = [] if caching and self._cached < self.cache_bytes else None
                size = 0
                try:
                    for b in pf.iter_batches(
                        batch_size=self.batch_rows, row_groups=[rg], columns=cols, use_threads=True
                    ):
                        for name, t in want.items():
                            bt = b.schema.field(name).type if name in b.schema.names else None
                            if bt is not None and bt != t and not _same_values(bt, t):
                                raise DataError(
                                    f"Parquet file {path} changed while it was read: column {name!r} is "
                                    f"{bt} in row group {rg + 1}, not {t}; no report was made"
                                )
                        any_batch = True
                        if self._normalise:  # the same types an in-memory table of this data would have
                            out = normalise_table(pa.Table.from_batches([b]), []).combine_chunks().to_batches() or [b]
                        else:
                            out = [b]
                        if keep is not None:
                            size += sum(x.nbytes for x in out)
                            keep = keep if self._cached + size <= self.cache_bytes else None  # over budget: none
                            if keep is not None:
                                keep.extend(out)
                        yield from out
                    if keep is not None and (path, rg) not in self._cache:
                        self._cache[(path, rg)] = (frozenset(want), keep, encoded)
                        self._cached += size
                except DataError:
                    raise
                except (pa.ArrowInvalid, OSError, pa.ArrowException) as exc:
                    raise DataError(
                        f"cannot read Parquet file {path} (row group {rg + 1} of {n_groups}): "
                        f"{_first_line(exc)}; the file is damaged or was cut short, and no report "
                        "was made"
                    ) from None
        if not any_batch:
            sch = self.schema if cols is None else pa.schema([self.schema.field(c) for c in cols])
            yield pa.RecordBatch.from_pylist([], schema=sch)


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _same_values(a: pa.DataType, b: pa.DataType) -> bool:
    """Types whose values read the same (a dictionary and its value type; string and large_string)."""

    def base(t):
        t = t.value_type if pa.types.is_dictionary(t) else t
        if pa.types.is_large_string(t) or getattr(pa.types, "is_string_view", lambda _: False)(t):
            return pa.string()
        if pa.types.is_large_binary(t):
            return pa.binary()
        return t

    return base(a) == base(b)


def _agree_on_types(files: Sequence[str], schema: pa.Schema, where: str) -> None:
    """Every file of a Parquet directory gives each column the type the dataset reads it as.

    Only the footers are read. Without this, a column that is int64 in one file and text in
    another is read with the first file's type, and "7" silently becomes a number (or a check fails
    on a value it cannot read).
    """
    import pyarrow.parquet as pq

    seen: dict[str, tuple[pa.DataType, str]] = {}
    for path in sorted(files):
        try:
            fs = pq.read_schema(path)
        except (pa.ArrowInvalid, OSError, pa.ArrowException) as exc:
            raise DataError(f"cannot read Parquet file {path}: {_first_line(exc)}") from None
        for f in fs:
            if f.name not in schema.names:
                continue
            t, origin = seen.setdefault(f.name, (f.type, path))
            if f.type != t and not _same_values(f.type, t):
                raise DataError(
                    f"Parquet files in {where} disagree on column {f.name!r}: it is {t} in {origin} but {f.type} "
                    f"in {path}; write every file with one type for the column (or cast it) so its values are "
                    "read the same way"
                )


class CsvSource(Source):
    """A delimited text file (optionally gzip-compressed), streamed; column types are inferred from the
    first block and then enforced. Read errors name the file, the line and the column."""

    def __init__(
        self, path: str, batch_rows: int = DEFAULT_BATCH_ROWS, *, delimiter: str = ",", compression: str | None = None
    ) -> None:
        import pyarrow.csv as pcsv

        self.path = path
        self.delimiter = delimiter
        self.compression = compression
        self.read_options = pcsv.ReadOptions(block_size=16 << 20)
        self.parse_options = pcsv.ParseOptions(delimiter=delimiter)
        # keep strings as written: "NA" in a text column is a disguised missing value to report
        self.convert_options = pcsv.ConvertOptions(strings_can_be_null=False)
        try:
            with pcsv.open_csv(
                self._stream(),
                read_options=self.read_options,
                parse_options=self.parse_options,
                convert_options=self.convert_options,
            ) as r:
                schema = r.schema
        except (pa.ArrowInvalid, OSError, pa.ArrowException) as exc:
            raise DataError(self._explain(exc, None)) from None
        super().__init__(schema, path, None)
        _reject_duplicates(schema.names, path)
        #: every value of every column was converted to its inferred type once (see ``batches``)
        self._types_checked = False

    def _stream(self):
        return pa.input_stream(self.path, compression=self.compression)

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        import pyarrow.csv as pcsv

        # The first pass converts every column, read or not, so a value that breaks a column's
        # inferred type past the first block stops the run (file, line, column) whichever columns
        # the suite reads: a report on the other columns of a file that does not hold the types it
        # was read with would be presented as complete. Later passes convert only what they read.
        wanted = None if columns is None else list(columns)
        whole = wanted is None or not self._types_checked
        co = pcsv.ConvertOptions(
            strings_can_be_null=False,
            include_columns=None if whole else wanted,
            column_types={f.name: f.type for f in self.schema},
        )
        try:
            with pcsv.open_csv(
                self._stream(), read_options=self.read_options, parse_options=self.parse_options, convert_options=co
            ) as reader:
                any_batch = False
                for b in reader:
                    if not any_batch:
                        self._note_text_numbers(b)
                    any_batch = True
                    yield b if wanted is None or not whole else b.select(wanted)
                if whole:
                    self._types_checked = True
                if not any_batch:
                    sch = self.schema if columns is None else pa.schema([self.schema.field(c) for c in columns])
                    yield pa.RecordBatch.from_pylist([], schema=sch)
        except FileNotFoundError:
            raise DataError(f"CSV file {self.path} disappeared while it was being read; no report was made") from None
        except PermissionError:
            raise DataError(
                f"CSV file {self.path} can no longer be read (permission denied); no report was made"
            ) from None
        except (pa.ArrowInvalid, pa.ArrowException) as exc:
            raise DataError(self._explain(exc, columns)) from None
        except OSError as exc:
            raise DataError(f"cannot read CSV file {self.path}: {_first_line(exc)}; no report was made") from None

    def _explain(self, exc: Exception, columns: Sequence[str] | None) -> str:
        """Arrow names neither the line nor the column ('In CSV column #3', 'Expected 15 columns, got 17'):
        find the first offending line (only after an error) and name the column as the user does."""
        import re

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
                        line = locate_csv_line(
                            self.path,
                            self.delimiter,
                            self.compression,
                            column=schema.get_field_index(f.name),
                            value=m_val.group(1),
                        )
            elif m_cnt:
                line = locate_csv_line(self.path, self.delimiter, self.compression, n_columns=int(m_cnt.group(1)))
        except (OSError, ValueError):  # pragma: no cover - the explanation must never hide the error
            line = None
        at = f", line {line:,}" if line else ""
        text = re.sub(r"^In CSV column #\d+: ", "", text)
        hint = (
            "give the column a consistent type or convert the file to Parquet"
            if m_col
            else "every line needs the header's number of fields (quote values that hold the delimiter)"
        )
        return f"cannot read CSV file {self.path}{at}{where}: {text}; {hint}"

    def _note_text_numbers(self, batch: pa.RecordBatch) -> None:
        """A text column whose values are numbers but for a few: say so (read as text, numeric checks
        would otherwise pass it by in silence)."""
        import pyarrow.compute as pc

        if getattr(self, "_noted", False):
            return
        self._noted = True
        for name in batch.schema.names:
            arr = batch.column(batch.schema.get_field_index(name))
            if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)) or len(arr) == 0:
                continue
            stripped = pc.utf8_trim_whitespace(arr)
            present = pc.invert(pc.is_in(pc.utf8_lower(stripped), value_set=pa.array(["", *_CSV_NULLS])))
            numeric = pc.match_substring_regex(stripped, r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
            n_present = pc.sum(pc.cast(present, pa.int64())).as_py() or 0
            n_num = pc.sum(pc.cast(pc.and_(present, numeric), pa.int64())).as_py() or 0
            if n_present and n_num < n_present and n_num >= 0.9 * n_present:
                bad = pc.and_(present, pc.invert(numeric))
                idx = pc.index(bad, True).as_py()
                self.notes.append(
                    f"column {name!r} of {self.path} holds numbers except {n_present - n_num:,} value(s) (e.g. "
                    f"{arr[idx].as_py()!r} in data row {idx + 1:,}); it was read as text, so numeric checks do "
                    "not apply to it: fix those values or convert the file to Parquet with a numeric type"
                )


#: spellings Arrow's CSV reader reads as null in non-text columns (its defaults)
_CSV_NULLS = (
    "",
    "#n/a",
    "#n/a n/a",
    "#na",
    "-1.#ind",
    "-1.#qnan",
    "-nan",
    "-nan",
    "1.#ind",
    "1.#qnan",
    "n/a",
    "na",
    "null",
    "nan",
    "-nan",
    "none",
)


def _reject_duplicates(names: Sequence[str], what: str) -> None:
    dup = [n for n, c in Counter(names).items() if c > 1]
    if dup:
        raise DataError(f"{what} has duplicate column names {dup!r}; rename them so every column can be named")


_ARROW_ERRORS = (
    pa.ArrowInvalid,
    pa.ArrowTypeError,
    pa.ArrowNotImplementedError,
    TypeError,
    ValueError,
    UnicodeEncodeError,
    OverflowError,
)


def _text(v: Any) -> str:
    """A value as text that Arrow can hold: lone surrogates and undecodable bytes become escapes."""
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("utf-8", "backslashreplace")
    s = v if isinstance(v, str) else str(v)
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        s = s.encode("utf-8", "backslashreplace").decode("utf-8")
    return s


def _short(v: Any) -> str:
    r = repr(_text(v) if isinstance(v, (str, bytes)) else v)
    return r if len(r) <= 40 else r[:37] + "..."


def _is_number(v: Any) -> bool:
    import numbers

    return isinstance(v, numbers.Real) and not isinstance(v, (bool,)) and type(v).__name__ != "bool_"


def _mixed_column(name: str, col: Any, notes: list[str]) -> pa.Array:
    """An object column Arrow cannot take as one type: judged on its dominant kind, the rest named.

    Numbers dominate -> a numeric column, the other values read as missing; otherwise text.
    """
    import pandas as pd

    values = list(col)
    present = [v for v in values if not (v is None or (not isinstance(v, (list, dict, tuple)) and _isna(v)))]
    strings = [v for v in present if isinstance(v, (str, bytes))]
    numbers = [v for v in present if _is_number(v)]
    if numbers and len(numbers) >= len(present) - len(numbers):
        others = [v for v in present if not _is_number(v)]
        ints = all(isinstance(v, int) or type(v).__name__.startswith("int") for v in numbers)
        if ints and all(-(2**63) <= int(v) < 2**63 for v in numbers):
            arr = pa.array([int(v) if _is_number(v) else None for v in values], pa.int64())
        else:
            arr = pa.array([float(v) if _is_number(v) else None for v in values], pa.float64())
        if others:
            notes.append(
                f"column {name!r} mixes value types: {len(others):,} value(s) are not numbers "
                f"(e.g. {_short(others[0])}); they were read as missing and the column's "
                f"{len(numbers):,} numbers are judged"
            )
        return arr
    out = [None if v is None or (not isinstance(v, (list, dict, tuple)) and _isna(v)) else _text(v) for v in values]
    others = [v for v in present if not isinstance(v, str)]
    escaped = [v for v in strings if isinstance(v, bytes) or _text(v) != v]
    if others and len(others) > len(escaped):
        notes.append(
            f"column {name!r} mixes value types: {len(others):,} value(s) are not strings "
            f"(e.g. {_short(others[0])}); they were read as their text"
        )
    if escaped:
        notes.append(
            f"column {name!r} holds {len(escaped):,} value(s) that are not valid Unicode text "
            f"(e.g. {_short(escaped[0])}); they were read with the bad characters written as "
            "backslash escapes"
        )
    del pd
    return pa.array(out, pa.large_string())


def _isna(v: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _nested_or_extension(t: pa.DataType) -> bool:
    """Types no kernel reads as values: lists, structs, maps, unions, and extension types (pandas
    periods and intervals). They become text labels so every check can name their values."""
    return (
        isinstance(t, pa.ExtensionType)
        or pa.types.is_list(t)
        or pa.types.is_large_list(t)
        or pa.types.is_fixed_size_list(t)
        or pa.types.is_struct(t)
        or pa.types.is_map(t)
        or pa.types.is_union(t)
        or getattr(pa.types, "is_list_view", lambda _: False)(t)
    )


def _labels(col: pa.ChunkedArray) -> list:
    """Readable text of each value (None stays missing): '2020-01' for a period, '(0, 1]' for an interval."""
    if isinstance(col.type, pa.ExtensionType):
        try:
            values = col.to_pandas().tolist()  # pandas periods/intervals know how to print themselves
        except Exception:  # an extension type pandas does not know: its storage
            values = pa.chunked_array([c.storage for c in col.chunks], col.type.storage_type).to_pylist()
    else:
        values = col.to_pylist()
    return [None if v is None or (not isinstance(v, (list, dict, tuple)) and _isna(v)) else _text(v) for v in values]


def normalise_table(table: pa.Table, notes: list[str]) -> pa.Table:
    """Types every kernel can read: a dictionary of nulls is a null column, binary is text.

    Binary values that are not valid UTF-8 are kept, with the bad bytes written as escapes.
    """
    cols, changed = [], False
    for f, col in zip(table.schema, table.columns):
        t = f.type
        if pa.types.is_dictionary(t) and pa.types.is_null(t.value_type):
            col, changed = pa.chunked_array([pa.nulls(len(c)) for c in col.chunks], pa.null()), True
        elif _nested_or_extension(t):
            col, changed = pa.chunked_array([pa.array(_labels(col), pa.large_string())]), True
            notes.append(f"column {f.name!r} holds {t} values; they were read as text labels (e.g. for groups)")
        elif pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
            vals = col.to_pylist()
            text = [None if v is None else _text(v) for v in vals]
            bad = sum(1 for v, s in zip(vals, text) if v is not None and s is not None and s.encode("utf-8") != v)
            if bad:
                notes.append(
                    f"column {f.name!r} holds {bad:,} binary value(s) that are not valid UTF-8 text; "
                    "they were read with the bad bytes written as backslash escapes"
                )
            col, changed = pa.chunked_array([pa.array(text, pa.large_string())]), True
        cols.append(col)
    if not changed:
        return table
    return pa.Table.from_arrays(cols, names=table.column_names)


def _from_pandas(df: Any) -> TableSource:
    import pandas as pd

    names = [str(c) for c in df.columns]
    _reject_duplicates(names, "the DataFrame")
    notes: list[str] = []
    try:
        table = pa.Table.from_pandas(df, preserve_index=False)
    except _ARROW_ERRORS:
        # mixed-type object columns, unencodable strings: read column by column and say so
        arrays = {}
        for name, col in zip(names, [df.iloc[:, i] for i in range(df.shape[1])]):
            try:
                arrays[name] = pa.array(col, from_pandas=True)
            except _ARROW_ERRORS:
                arrays[name] = _mixed_column(name, col, notes)
        table = pa.table(arrays) if arrays else pa.table({})
    if table.column_names != names:
        table = table.rename_columns(names)
    if df.shape[1] == 0 and len(df):  # no columns, but rows: keep the row count
        table = pa.table({"_": pa.nulls(len(df))}).select([])
    table = normalise_table(table, notes)
    src = TableSource(table, f"pandas.DataFrame[{len(df):,} x {df.shape[1]}]")
    src.notes.extend(notes)
    index = df.index
    if not isinstance(index, pd.RangeIndex) or index.start != 0 or index.step != 1:
        src.row_labels = lambda pos: [index[int(p)] for p in pos]
    return src


def locate_csv_line(
    path: str,
    delimiter: str,
    compression: str | None,
    *,
    n_columns: int | None = None,
    column: int | None = None,
    value: str | None = None,
) -> int | None:
    """The 1-based line of the first row that breaks a CSV read (only run after an error).

    Either the row with a wrong field count (``n_columns`` expected), or the first row whose field ``column`` equals ``value``.
    """
    opener = (
        (lambda: io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace", newline=""))
        if compression == "gzip"
        else (lambda: open(path, encoding="utf-8", errors="replace", newline=""))
    )
    with opener() as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        next(reader, None)  # header
        for row in reader:
            if n_columns is not None and row and len(row) != n_columns:
                return reader.line_num
            if column is not None and column < len(row) and row[column] == value:
                return reader.line_num
    return None
