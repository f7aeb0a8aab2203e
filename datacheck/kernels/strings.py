"""String kernels: disguised missing values, regex mismatches, values outside an allowed set.

Examples
--------
>>> import pyarrow as pa
>>> from datacheck.kernels.base import BatchView
>>> k = DisguisedMissing("c", tokens=("?", "n/a"))
>>> v = BatchView(pa.record_batch({"c": ["x", "", "  ", "?", "N/A ", None]}))
>>> d = k.finalize(k.update(k.init(), v))
>>> d["empty"], d["whitespace"], d["tokens"]
(1, 1, {'?': 1, 'N/A ': 1})
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacheck.kernels.base import BatchView, Kernel, logical_type
from datacheck.kernels.frequencies import mg_add, value_counts

__all__ = ["DisguisedMissing", "PatternMismatch", "NotInSet"]

OFFENDER_CAP = 1_000


def _merge_counts(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


def _top(d: dict, n: int = 10) -> list[tuple[Any, int]]:
    return sorted(d.items(), key=lambda kv: (-kv[1], str(kv[0])))[:n]


@dataclass(frozen=True)
class DisguisedMissing(Kernel):
    """Empty strings, whitespace-only strings, and placeholder tokens (case- and space-insensitive)."""

    column: str
    tokens: tuple[str, ...] = ()

    def init(self):
        return (0, 0, {})

    def update(self, state, view: BatchView):
        s = view.strings(self.column)
        if len(s) == s.null_count:
            return state
        trimmed = pc.utf8_trim_whitespace(s)
        empty = int(pc.sum(pc.equal(s, "")).as_py() or 0)
        blank = int(pc.sum(pc.equal(trimmed, "")).as_py() or 0) - empty
        tok = {}
        if self.tokens:
            lowered = pc.utf8_lower(trimmed)
            hit = pc.is_in(lowered, value_set=pa.array([t.strip().lower() for t in self.tokens], lowered.type))
            if pc.any(hit).as_py():
                tok = value_counts(pc.filter(s, hit))
        return (state[0] + empty, state[1] + blank, _merge_counts(state[2], tok))

    def merge(self, a, b):
        return (a[0] + b[0], a[1] + b[1], _merge_counts(a[2], b[2]))

    def finalize(self, state):
        return {"empty": state[0], "whitespace": state[1], "tokens": dict(_top(state[2], 50))}


@dataclass(frozen=True)
class PatternMismatch(Kernel):
    """Non-null strings that do not match ``regex`` (RE2 syntax; full match unless ``search``)."""

    column: str
    regex: str
    search: bool = False

    def init(self):
        return (0, 0, {}, 0)  # checked, mismatched, offenders, offender error bound

    def update(self, state, view: BatchView):
        s = view.strings(self.column)
        s = s.drop_null() if s.null_count else s
        if len(s) == 0:
            return state
        pattern = self.regex if self.search else f"^(?:{self.regex})$"
        ok = pc.match_substring_regex(s, pattern=pattern)
        bad = pc.invert(ok)
        nbad = int(pc.sum(bad).as_py() or 0)
        off, err = state[2], state[3]
        if nbad:
            off, err = mg_add(off, err, value_counts(pc.filter(s, bad)), OFFENDER_CAP)
        return (state[0] + len(s), state[1] + nbad, off, err)

    def merge(self, a, b):
        off, err = mg_add(a[2], a[3] + b[3], b[2], OFFENDER_CAP)
        return (a[0] + b[0], a[1] + b[1], off, err)

    def finalize(self, state):
        return {"checked": state[0], "mismatched": state[1], "top": _top(state[2]), "top_exact": state[3] == 0}


@dataclass(frozen=True)
class NotInSet(Kernel):
    """Non-null values not in ``values`` (compared after casting the set to the column's type)."""

    column: str
    values: tuple

    def init(self):
        return (0, 0, {}, 0)

    def update(self, state, view: BatchView):
        arr = view.column(self.column)
        arr = arr.drop_null() if arr.null_count else arr
        if len(arr) == 0:
            return state
        lt = logical_type(arr.type)
        if lt in ("integer", "float"):
            vs = pa.array([v for v in self.values if isinstance(v, (int, float)) and not isinstance(v, bool)], pa.float64())
            member = pc.is_in(pc.cast(arr, pa.float64()), value_set=vs)
        elif lt == "boolean":
            member = pc.is_in(arr, value_set=pa.array([v for v in self.values if isinstance(v, bool)], pa.bool_()))
        else:
            member = pc.is_in(pc.cast(arr, pa.large_string()), value_set=pa.array([str(v) for v in self.values], pa.large_string()))
        bad = pc.invert(member)
        nbad = int(np.count_nonzero(bad.to_numpy(zero_copy_only=False)))
        off, err = state[2], state[3]
        if nbad:
            off, err = mg_add(off, err, value_counts(pc.filter(arr, bad)), OFFENDER_CAP)
        return (state[0] + len(arr), state[1] + nbad, off, err)

    def merge(self, a, b):
        off, err = mg_add(a[2], a[3] + b[3], b[2], OFFENDER_CAP)
        return (a[0] + b[0], a[1] + b[1], off, err)

    def finalize(self, state):
        return {"checked": state[0], "outside": state[1], "top": _top(state[2]), "top_exact": state[3] == 0}
