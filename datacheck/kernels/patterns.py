"""Strings that DO match a regular expression (the converse of :class:`~datacheck.kernels.strings.PatternMismatch`).

Examples
--------
>>> import pyarrow as pa
>>> from datacheck.kernels.base import BatchView
>>> k = PatternHit("c", "[0-9]", search=True)
>>> k.finalize(k.update(k.init(), BatchView(pa.record_batch({"c": ["a1", "b", None]}))))["matched"]
1
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from datacheck.kernels.strings import PatternMismatch, _OffenderKernel

__all__ = ["PatternHit"]


@dataclass(frozen=True)
class PatternHit(_OffenderKernel):
    """Non-null strings that match ``regex`` (RE2; full match unless ``search``), with top offenders."""

    column: str
    regex: str
    search: bool = False
    count_key = "matched"

    def bad(self, values: pa.Array):
        return ~PatternMismatch(self.column, self.regex, self.search).bad(values)
