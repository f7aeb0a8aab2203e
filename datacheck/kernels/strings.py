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

import math
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from datacheck.kernels.arrays import from_numpy, to_numpy
from datacheck.kernels.base import BatchView, Kernel, logical_type
from datacheck.kernels.frequencies import mg_add

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

    encoded_ok = True  # reads through BatchView only

    column: str
    tokens: tuple[str, ...] = ()

    def init(self):
        return (0, 0, {})

    def update(self, state, view: BatchView):
        values, counts = view.value_counts(self.column)
        if len(values) == 0:
            return state
        s = (
            values
            if pa.types.is_large_string(values.type) or pa.types.is_string(values.type)
            else pc.cast(values, pa.large_string())
        )
        trimmed = pc.utf8_trim_whitespace(s)
        # lengths, not ``pc.equal(s, "")``: a Python scalar argument readies pyarrow's pandas bridge
        is_empty = to_numpy(pc.utf8_length(s)) == 0
        is_blank = (to_numpy(pc.utf8_length(trimmed)) == 0) & ~is_empty
        empty = int(counts[is_empty].sum())
        blank = int(counts[is_blank].sum())
        tok = {}
        if self.tokens:
            lowered = pc.utf8_lower(trimmed)
            hit = pc.is_in(lowered, value_set=pa.array([t.strip().lower() for t in self.tokens], lowered.type))
            hit = to_numpy(hit)
            if hit.any():
                tok = dict(zip(pc.filter(s, from_numpy(hit)).to_pylist(), counts[hit].tolist()))
        return (state[0] + empty, state[1] + blank, _merge_counts(state[2], tok))

    def merge(self, a, b):
        return (a[0] + b[0], a[1] + b[1], _merge_counts(a[2], b[2]))

    def finalize(self, state):
        return {"empty": state[0], "whitespace": state[1], "tokens": dict(_top(state[2], 50))}


class _OffenderKernel(Kernel):
    """Shared fold for kernels that count values failing a test and keep the top offenders.

    Subclasses implement ``bad(values) -> ndarray of bool`` over a batch's distinct values and
    name their count with ``count_key``. State: (checked, failing, offender counts, error bound).
    """

    encoded_ok = True  # reads through BatchView only

    column: str  # a field of every subclass
    count_key = "failing"

    def bad(self, values: pa.Array):  # pragma: no cover - interface
        raise NotImplementedError

    def init(self):
        return (0, 0, {}, 0)

    def update(self, state, view: BatchView):
        values, counts = view.value_counts(self.column)
        if len(values) == 0:
            return state
        bad = self.bad(values)
        nbad = int(counts[bad].sum())
        off, err = state[2], state[3]
        if nbad:
            off, err = mg_add(
                off, err, dict(zip(pc.filter(values, pa.array(bad)).to_pylist(), counts[bad].tolist())), OFFENDER_CAP
            )
        return (state[0] + int(counts.sum()), state[1] + nbad, off, err)

    def merge(self, a, b):
        off, err = mg_add(a[2], a[3] + b[3], b[2], OFFENDER_CAP)
        return (a[0] + b[0], a[1] + b[1], off, err)

    def finalize(self, state):
        return {"checked": state[0], self.count_key: state[1], "top": _top(state[2]), "top_exact": state[3] == 0}


@dataclass(frozen=True)
class PatternMismatch(_OffenderKernel):
    """Non-null strings that do not match ``regex`` (RE2 syntax; full match unless ``search``)."""

    column: str
    regex: str
    search: bool = False
    count_key = "mismatched"

    def bad(self, values: pa.Array):
        s = (
            values
            if pa.types.is_large_string(values.type) or pa.types.is_string(values.type)
            else pc.cast(values, pa.large_string())
        )
        pattern = self.regex if self.search else f"^(?:{self.regex})$"
        return ~pc.match_substring_regex(s, pattern=pattern).to_numpy(zero_copy_only=False)


def _utf8(v) -> str:
    """Text Arrow can hold; lone surrogates written as escapes, as the sources read them."""
    return str(v).encode("utf-8", "backslashreplace").decode("utf-8")


def _as_float(v) -> float:
    try:
        return float(v)
    except OverflowError:  # an integer beyond float range equals no float
        return math.nan


@dataclass(frozen=True)
class NotInSet(_OffenderKernel):
    """Non-null values not in ``values`` (compared after casting the set to the column's type)."""

    column: str
    values: tuple
    count_key = "outside"

    def bad(self, arr: pa.Array):
        lt = logical_type(arr.type)
        if lt == "integer":  # compared as integers of the column's own type: exact at int64 extremes
            t = arr.type
            lo, hi = (
                (-(2 ** (t.bit_width - 1)), 2 ** (t.bit_width - 1) - 1)
                if pa.types.is_signed_integer(t)
                else (0, 2**t.bit_width - 1)
            )
            whole = [
                int(v)
                for v in self.values
                if isinstance(v, (int, float))
                and not isinstance(v, bool)
                and (isinstance(v, int) or (math.isfinite(v) and v == int(v)))
            ]
            member = pc.is_in(arr, value_set=pa.array([v for v in whole if lo <= v <= hi], t))
        elif lt == "float":
            vs = pa.array(
                [_as_float(v) for v in self.values if isinstance(v, (int, float)) and not isinstance(v, bool)],
                pa.float64(),
            )
            member = pc.is_in(pc.cast(arr, pa.float64()), value_set=vs)
        elif lt == "boolean":
            member = pc.is_in(arr, value_set=pa.array([v for v in self.values if isinstance(v, bool)], pa.bool_()))
        else:
            member = pc.is_in(
                pc.cast(arr, pa.large_string()), value_set=pa.array([_utf8(v) for v in self.values], pa.large_string())
            )
        return ~member.to_numpy(zero_copy_only=False)
