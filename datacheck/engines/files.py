"""Files on disk: tell the format from the content, then stream it.

The extension is a hint, the bytes decide: Parquet files start and end with ``PAR1``, Arrow
IPC/Feather files with ``ARROW1``, an Arrow IPC stream with the continuation marker, gzip with
``1f 8b`` (its content is sniffed in turn); text is JSON Lines when its first character is ``{``,
else delimited text whose delimiter (``,``, tab, ``;``, ``|``) is sniffed from its first lines. The
format read is recorded on the source (``Source.format``) and said in the report's notes.

Examples
--------
>>> import os, tempfile
>>> p = os.path.join(tempfile.mkdtemp(), "data.txt")
>>> _ = open(p, "w").write("a\\tb\\n1\\tx\\n2\\ty\\n")
>>> detect_format(p)
FileFormat(kind='csv', delimiter='\\t', compression=None)
>>> src = open_file(p)
>>> src.schema.names, src.format
(['a', 'b'], 'tab-separated text')
"""

from __future__ import annotations

import csv
import gzip
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pyarrow as pa

from datacheck.engines.sources import DEFAULT_BATCH_ROWS, CsvSource, ParquetSource, Source, _reject_duplicates
from datacheck.errors import DataError

__all__ = ["FileFormat", "detect_format", "open_file", "is_profile", "JsonLinesSource", "ArrowIpcSource"]

_SNIFF_BYTES = 64 << 10
_DELIMITERS = ",\t;|"
_DELIMITER_NAMES = {
    ",": "comma-separated text (CSV)",
    "\t": "tab-separated text",
    ";": "semicolon-separated text",
    "|": "pipe-separated text",
}


@dataclass(frozen=True)
class FileFormat:
    """What a file holds: ``kind`` (parquet, csv, jsonl, arrow_file, arrow_stream), delimiter, compression."""

    kind: str
    delimiter: str | None = None
    compression: str | None = None

    def describe(self) -> str:
        text = {
            "parquet": "Parquet",
            "jsonl": "JSON Lines",
            "arrow_file": "Arrow IPC file (Feather v2)",
            "arrow_stream": "Arrow IPC stream",
        }.get(self.kind) or _DELIMITER_NAMES.get(self.delimiter or ",", "")
        return text + (f", {self.compression}-compressed" if self.compression else "")


def _head(path: str, compression: str | None) -> bytes:
    if compression == "gzip":
        try:
            with gzip.open(path, "rb") as fh:
                return fh.read(_SNIFF_BYTES)
        except (OSError, EOFError) as exc:
            raise DataError(f"cannot read {path}: it starts like gzip but does not decompress ({exc})") from None
    with open(path, "rb") as fh:
        return fh.read(_SNIFF_BYTES)


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line may be cut in the middle
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        pass
    # the sniffer gives up on some files (quoted fields, one column): pick the delimiter whose count
    # is the same, and not zero, on every line; a file with none of them is one column
    for d in _DELIMITERS:
        counts = {ln.count(d) for ln in lines}
        if len(counts) == 1 and counts != {0}:
            return d
    return ","


_PROFILE_HEAD = re.compile(rb'^\s*\{\s*"format"\s*:\s*"datacheck-profile"')


def is_profile(path: str | os.PathLike) -> bool:
    """True for a file written by :meth:`datacheck.Profile.save`, whatever its name."""
    try:
        with open(path, "rb") as fh:
            return bool(_PROFILE_HEAD.match(fh.read(256)))
    except OSError:
        return False


def detect_format(path: str) -> FileFormat:
    """Tell a file's format from its content (the extension only breaks ties).

    Raises
    ------
    DataError
        For a binary file that is none of the formats datacheck reads.
    """
    with open(path, "rb") as fh:
        magic = fh.read(8)
    if magic[:4] == b"PAR1":
        return FileFormat("parquet")
    if magic[:6] == b"ARROW1":
        return FileFormat("arrow_file")
    if magic[:4] == b"\xff\xff\xff\xff":
        return FileFormat("arrow_stream")
    compression = "gzip" if magic[:2] == b"\x1f\x8b" else None
    head = _head(path, compression)
    if not head.strip():
        raise DataError(f"cannot read {path}: the file is empty")
    if b"\x00" in head:
        lower = path.lower()
        hint = " (a Parquet file must start with PAR1)" if lower.endswith((".parquet", ".pq")) else ""
        raise DataError(
            f"cannot read {path}: it is binary but not Parquet, Arrow IPC/Feather or gzip{hint}; "
            "datacheck reads Parquet, CSV/TSV (optionally gzip), JSON Lines and Arrow IPC/Feather"
        )
    if _PROFILE_HEAD.match(head):
        raise DataError(
            f"{path} is a saved datacheck profile, not data: pass it as the reference "
            "(reference= or --reference) of a suite with shift checks"
        )
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    if text.lstrip().startswith("{"):
        return FileFormat("jsonl", compression=compression)
    return FileFormat("csv", delimiter=_sniff_delimiter(text), compression=compression)


class JsonLinesSource(Source):
    """JSON Lines (one object per line), streamed; types inferred from the first block."""

    def __init__(self, path: str, fmt: FileFormat, batch_rows: int = DEFAULT_BATCH_ROWS) -> None:
        import pyarrow.json as pj

        self.path, self.fmt = path, fmt
        self.read_options = pj.ReadOptions(block_size=16 << 20)
        try:
            with pj.open_json(self._stream(), read_options=self.read_options) as r:
                schema = r.schema
        except (pa.ArrowInvalid, pa.ArrowException) as exc:
            raise DataError(self._explain(exc)) from None
        except OSError as exc:
            raise DataError(f"cannot read JSON Lines file {path}: {str(exc).strip().splitlines()[0]}") from None
        super().__init__(schema, path, None)
        _reject_duplicates(schema.names, path)

    def _stream(self):
        return pa.input_stream(self.path, compression=self.fmt.compression)

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        import pyarrow.json as pj

        po = pj.ParseOptions(explicit_schema=self.schema, unexpected_field_behavior="ignore")
        try:
            with pj.open_json(self._stream(), read_options=self.read_options, parse_options=po) as r:
                any_batch = False
                for b in r:
                    any_batch = True
                    yield b if columns is None else b.select(list(columns))
        except FileNotFoundError:
            raise DataError(
                f"JSON Lines file {self.path} disappeared while it was being read; no report was made"
            ) from None
        except PermissionError:
            raise DataError(
                f"JSON Lines file {self.path} can no longer be read (permission denied); no report was made"
            ) from None
        except (pa.ArrowInvalid, pa.ArrowException) as exc:
            if isinstance(exc, OSError):
                raise DataError(
                    f"cannot read JSON Lines file {self.path}: {str(exc).strip().splitlines()[0]}; no report was made"
                ) from None
            raise DataError(self._explain(exc)) from None
        except OSError as exc:
            raise DataError(
                f"cannot read JSON Lines file {self.path}: {str(exc).strip().splitlines()[0]}; no report was made"
            ) from None
        if not any_batch:
            sch = self.schema if columns is None else pa.schema([self.schema.field(c) for c in columns])
            yield pa.RecordBatch.from_pylist([], schema=sch)

    def _explain(self, exc: Exception) -> str:
        """Arrow counts rows within a 16 MB block ('changed from number to string in row 131932'):
        find the file's line (only after an error) and name the field as the user does."""
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        m = re.search(r"Column\((/[^)]*)\) changed from (\w+) to (\w+)", text)
        line = None
        if m:
            try:
                line = locate_jsonl_line(self.path, self.fmt.compression, m.group(1), m.group(3))
            except (OSError, ValueError):  # pragma: no cover - the explanation must never hide the error
                line = None
        if m and line:
            field = m.group(1).lstrip("/").replace("/", ".")
            inferred = ""
            schema = getattr(self, "schema", None)  # None while the first block is read
            if schema is not None and field in schema.names:
                inferred = f" (type {schema.field(field).type} inferred from the first 16 MB)"
            return (
                f"cannot read JSON Lines file {self.path}, line {line:,}, field {field!r}{inferred}: a "
                f"{m.group(3)} where the lines before hold a {m.group(2)}; give each field one type on every line"
            )
        text = re.sub(r" in row (\d+)$", r" in row \1 of a 16 MB block", text)
        return f"cannot read JSON Lines file {self.path}: {text}; give each field one type on every line"


class ArrowIpcSource(Source):
    """An Arrow IPC file (Feather v2) or stream, read batch by batch (a file is memory-mapped)."""

    def __init__(self, path: str, fmt: FileFormat, batch_rows: int = DEFAULT_BATCH_ROWS) -> None:
        self.path, self.fmt, self.batch_rows = path, fmt, batch_rows
        try:
            with self._open() as r:
                schema = r.schema
                n = r.num_record_batches if fmt.kind == "arrow_file" else None
                num_rows = sum(r.get_batch(i).num_rows for i in range(n)) if n is not None else None
        except (pa.ArrowInvalid, OSError, pa.ArrowException) as exc:
            raise DataError(f"cannot read Arrow IPC file {path}: {exc}") from None
        super().__init__(schema, path, num_rows)
        _reject_duplicates(schema.names, path)

    def _open(self):
        if self.fmt.kind == "arrow_file":
            return pa.ipc.open_file(pa.memory_map(self.path, "r"))
        return pa.ipc.open_stream(pa.input_stream(self.path))

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
        try:
            with self._open() as r:
                it = (r.get_batch(i) for i in range(r.num_record_batches)) if self.fmt.kind == "arrow_file" else r
                any_batch = False
                for b in it:
                    b = b if columns is None else b.select(list(columns))
                    for start in range(0, b.num_rows, self.batch_rows):
                        any_batch = True
                        yield b.slice(start, self.batch_rows)
        except (pa.ArrowInvalid, OSError, pa.ArrowException) as exc:
            raise DataError(f"cannot read Arrow IPC file {self.path}: {exc}") from None
        if not any_batch:
            sch = self.schema if columns is None else pa.schema([self.schema.field(c) for c in columns])
            yield pa.RecordBatch.from_pylist([], schema=sch)


def open_file(path: str, batch_rows: int | None = None) -> Source:
    """Open a file or a directory as a streamed source, its format detected from its content.

    Parameters
    ----------
    path : str
        A Parquet file or directory of Parquet files, a delimited text file (``.csv``, ``.tsv``,
        ``.txt``, optionally gzip-compressed), JSON Lines (``.jsonl``/``.ndjson``), or an Arrow
        IPC/Feather file.
    batch_rows : int, optional
        Rows per batch.

    Returns
    -------
    Source
        With ``format`` set to a readable name of what was read.
    """
    batch_rows = batch_rows or DEFAULT_BATCH_ROWS
    src: Source
    if os.path.isdir(path):
        src = ParquetSource(path, batch_rows)
        src.format = "Parquet (directory)"
        return src
    fmt = detect_format(path)
    if fmt.kind == "parquet":
        src = ParquetSource(path, batch_rows)
    elif fmt.kind == "csv":
        src = CsvSource(path, batch_rows, delimiter=fmt.delimiter or ",", compression=fmt.compression)
    else:
        cls = JsonLinesSource if fmt.kind == "jsonl" else ArrowIpcSource
        src = cls(path, fmt, batch_rows)
    src.format = fmt.describe()
    src.notes.append(f"{os.path.basename(path)} was read as {src.format}")
    return src


_JSON_KINDS = {str: "string", bool: "boolean", int: "number", float: "number", dict: "object", list: "array"}


def locate_jsonl_line(path: str, compression: str | None, pointer: str, kind: str) -> int | None:
    """The 1-based line of the first JSON Lines record whose field at ``pointer`` (``/a/b``) holds a
    value of JSON ``kind`` (``string``, ``number``, ...); only run after an error."""
    import json

    keys = [k for k in pointer.split("/") if k]
    opener = (lambda: gzip.open(path, "rb")) if compression == "gzip" else (lambda: open(path, "rb"))
    with opener() as fh:
        for i, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                v = json.loads(raw)
            except ValueError:
                continue
            for k in keys:
                v = v.get(k) if isinstance(v, dict) else None
            if v is not None and _JSON_KINDS.get(type(v)) == kind:
                return i
    return None
