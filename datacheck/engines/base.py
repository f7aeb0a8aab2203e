"""What every engine reads: a :class:`Source` (schema known before any data is read, then Arrow
batches). In a module of its own so that the sources (``sources``, ``files``, ``spark``) depend on
it and not on each other."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pyarrow as pa

__all__ = ["Source", "DEFAULT_BATCH_ROWS"]

DEFAULT_BATCH_ROWS = 1 << 18  # 262,144 rows: measured faster and lighter than 1M for streaming


class Source:
    """A dataset datacheck can read: ``schema``, ``batches(columns)``, ``description``."""

    kind = "data"
    #: whether the data is held in memory (reading a column again costs nothing but the work on it)
    in_memory = False
    #: whether ``num_rows`` is exact before any read (a table's; Parquet footers'), so that no pass is
    #: needed to count the rows
    rows_known = False

    def __init__(self, schema: pa.Schema, description: str, num_rows: int | None = None) -> None:
        self.schema = schema
        self.description = description
        self.num_rows = num_rows
        self.notes: list[str] = []
        self.format: str | None = None  # what a file was read as ("Parquet", "tab-separated text", ...)
        self.row_labels: Callable[[Any], list] | None = None  # positions -> labels, for pandas indexes

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:  # pragma: no cover
        raise NotImplementedError
