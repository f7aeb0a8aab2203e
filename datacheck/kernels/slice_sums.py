"""Sums by group: per-slice count, sum, sum of squares and maximum of per-row values.

The sibling of :class:`~datacheck.kernels.groups.GroupCounts` for metrics that are means of a
per-row quantity (log loss, Brier score, absolute and squared error, a 0/1 error indicator). For
every combination of ``keys`` (``Col``/``Bin``/``IsMissing``, as in ``GroupCounts``) it keeps the
row count and, for each value expression, ``[count, sum, sum of squares, max]`` over the rows where
the value is defined. Counts and sums add, maxima take the maximum, so states merge exactly in any
order; means, variances (for Welch tests and normal intervals) and SliceLine's bounds follow.

Value expressions are frozen dataclasses with ``columns`` and ``values(view) -> float64 ndarray``
(NaN where undefined):

* :class:`Ne` -- ``1.0`` where two columns differ (a classification error), ``0.0`` where equal;
* :class:`AbsDiff`, :class:`SqDiff` -- ``|a - b|`` and ``(a - b)^2`` (regression errors);
* :class:`LogLoss`, :class:`Brier` -- binary log loss and Brier score of a probability column for
  the event ``label == positive`` (probabilities clipped to ``[eps, 1 - eps]``, float64 eps, as
  scikit-learn does).

Examples
--------
>>> import pyarrow as pa
>>> from datacheck.kernels.base import BatchView
>>> from datacheck.kernels.groups import Col
>>> k = GroupSums((Col("g"),), (Ne("y", "p"),))
>>> v = BatchView(pa.record_batch({"g": ["a", "a", "b"], "y": [1, 0, 1], "p": [1, 1, 1]}))
>>> out = k.finalize(k.update(k.init(), v))
>>> out[("a",)]["n"], out[("a",)]["stats"][0].tolist()
(2, [2.0, 1.0, 1.0, 1.0])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacheck.kernels.base import BatchView, Kernel

__all__ = ["GroupSums", "LevelSums", "Ne", "AbsDiff", "SqDiff", "LogLoss", "Brier", "EPS"]

EPS = float(np.finfo(np.float64).eps)


def _valid(arr: pa.Array) -> np.ndarray:
    """True where ``arr`` is neither null nor NaN."""
    ok = np.ones(len(arr), dtype=bool)
    if arr.null_count:
        ok &= ~np.asarray(arr.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    if pa.types.is_floating(arr.type):
        ok &= ~np.asarray(pc.is_nan(arr).fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    return ok


def _numeric(view: BatchView, column: str) -> np.ndarray:
    """The column as float64 with NaN where missing (not infinite-filtered)."""
    arr = view.column(column)
    if pa.types.is_boolean(arr.type):
        arr = pc.cast(arr, pa.int8())
    # values for sums of errors: integers beyond 2**53 round (safe=False) instead of failing the kernel
    x = pc.cast(arr, pa.float64(), safe=False).to_numpy(zero_copy_only=False).astype(np.float64, copy=True)
    if arr.null_count:
        x[~_valid(arr)] = np.nan
    return x


def _is_positive(view: BatchView, label: str, positive: Any) -> tuple[np.ndarray, np.ndarray]:
    """(y in {0., 1.}, defined mask) for the event ``label == positive``."""
    arr = view.column(label)
    ok = _valid(arr)
    try:
        eq = pc.equal(arr, pa.scalar(positive))
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
        eq = pc.equal(pc.cast(arr, pa.large_string()), pa.scalar(str(positive), pa.large_string()))
    y = np.asarray(eq.fill_null(False).to_numpy(zero_copy_only=False), dtype=np.float64)
    return y, ok


@dataclass(frozen=True)
class _Pair:
    """A per-row value computed from two columns ``a`` and ``b``."""

    a: str
    b: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.a, self.b)


@dataclass(frozen=True)
class Ne(_Pair):
    """``1.0`` where columns ``a`` and ``b`` differ, ``0.0`` where equal, NaN where either is missing."""

    def values(self, view: BatchView) -> np.ndarray:
        x, y = view.column(self.a), view.column(self.b)
        try:
            ne = pc.not_equal(x, y)
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
            ne = pc.not_equal(pc.cast(x, pa.large_string()), pc.cast(y, pa.large_string()))
        out = np.asarray(ne.fill_null(False).to_numpy(zero_copy_only=False), dtype=np.float64)
        out[~(_valid(x) & _valid(y))] = np.nan
        return out


@dataclass(frozen=True)
class AbsDiff(_Pair):
    """``|a - b|`` of two numeric columns."""

    def values(self, view: BatchView) -> np.ndarray:
        return np.abs(_numeric(view, self.a) - _numeric(view, self.b))


@dataclass(frozen=True)
class SqDiff(_Pair):
    """``(a - b)^2`` of two numeric columns."""

    def values(self, view: BatchView) -> np.ndarray:
        d = _numeric(view, self.a) - _numeric(view, self.b)
        return d * d


@dataclass(frozen=True)
class _LabelScore:
    """A per-row value from a label (compared with ``positive``) and a score column."""

    label: str
    score: str
    positive: Any

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.label, self.score)


@dataclass(frozen=True)
class LogLoss(_LabelScore):
    """Binary log loss ``-[y log p + (1 - y) log(1 - p)]``, ``y = (label == positive)``, ``p = score``."""

    def values(self, view: BatchView) -> np.ndarray:
        y, ok = _is_positive(view, self.label, self.positive)
        p = np.clip(_numeric(view, self.score), EPS, 1 - EPS)
        out = -(y * np.log(p) + (1 - y) * np.log1p(-p))
        out[~ok] = np.nan
        return out


@dataclass(frozen=True)
class Brier(_LabelScore):
    """Brier score term ``(p - y)^2``, ``y = (label == positive)``, ``p = score``."""

    def values(self, view: BatchView) -> np.ndarray:
        y, ok = _is_positive(view, self.label, self.positive)
        out = (_numeric(view, self.score) - y) ** 2
        out[~ok] = np.nan
        return out


@dataclass(frozen=True)
class GroupSums(Kernel):
    """Per key combination: ``{"n": rows, "stats": ndarray (len(values), 4)}`` with columns
    ``count, sum, sum of squares, max`` of each value expression over the rows where it is defined.
    """

    keys: tuple
    values: tuple

    @property
    def reads(self) -> tuple[str, ...]:
        cols = [k.column for k in self.keys] + [c for v in self.values for c in v.columns]
        return tuple(dict.fromkeys(cols))

    def init(self):
        return {}

    def update(self, state, view: BatchView):
        if view.num_rows == 0:
            return state
        names = [f"k{i}" for i in range(len(self.keys))]
        cols: dict[str, Any] = {n: k.array(view) for n, k in zip(names, self.keys)}
        aggs: list = [([], "count_all")]
        for j, v in enumerate(self.values):
            x = v.values(view)
            cols[f"v{j}"] = pa.array(x, from_pandas=True)  # NaN -> null: count/sum/max skip it
            cols[f"s{j}"] = pa.array(x * x, from_pandas=True)
            aggs += [(f"v{j}", "count"), (f"v{j}", "sum"), (f"s{j}", "sum"), (f"v{j}", "max")]
        t = pa.table(cols)
        agg = t.group_by(names, use_threads=False).aggregate(aggs)
        keys = list(zip(*[agg.column(n).to_pylist() for n in names])) if names else [()] * agg.num_rows
        n = agg.column("count_all").to_numpy(zero_copy_only=False)
        m = len(self.values)
        stats = np.zeros((agg.num_rows, m, 4))
        for j in range(m):
            stats[:, j, 0] = agg.column(f"v{j}_count").to_numpy(zero_copy_only=False)
            for c, name in ((1, f"v{j}_sum"), (2, f"s{j}_sum"), (3, f"v{j}_max")):
                col = agg.column(name)
                stats[:, j, c] = (
                    pc.fill_null(col, 0.0 if c < 3 else -np.inf).to_numpy(zero_copy_only=False)
                    if col.null_count
                    else col.to_numpy(zero_copy_only=False)
                )
        out = dict(state)
        for i, key in enumerate(keys):
            part = {"n": int(n[i]), "stats": stats[i]}
            out[key] = self._add(out[key], part) if key in out else part
        return out

    @staticmethod
    def _add(a, b):
        s = np.empty_like(a["stats"])
        s[:, :3] = a["stats"][:, :3] + b["stats"][:, :3]
        s[:, 3] = np.maximum(a["stats"][:, 3], b["stats"][:, 3])
        return {"n": a["n"] + b["n"], "stats": s}

    def merge(self, a, b):
        out = dict(a)
        for k, v in b.items():
            out[k] = self._add(out[k], v) if k in out else v
        return out


def _codes(arr: pa.Array) -> tuple[np.ndarray, list]:
    """Integer codes of an array's values (missing values get the last code) and the values."""
    enc = pc.dictionary_encode(arr)
    values = enc.dictionary.to_pylist()
    codes = enc.indices.fill_null(len(values)).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, values + [None]


def _subset_sums(cols: list[np.ndarray], dims: list[int], e: np.ndarray, binary: bool) -> tuple[np.ndarray, np.ndarray]:
    """(present combined codes as rows of per-feature codes, stats rows [count, sum, sumsq, max])."""
    size = 1
    for d in dims:
        size *= d
    if size <= 4 * len(e) + 1024:
        code = np.ravel_multi_index(cols, dims) if cols else np.zeros(len(e), dtype=np.int64)
        inv, uniq = code, None
    else:
        uniq, inv = np.unique(np.stack(cols, axis=1), axis=0, return_inverse=True)
        inv = inv.ravel()
        size = len(uniq)
    cnt = np.bincount(inv, minlength=size)
    s = np.bincount(inv, weights=e, minlength=size)
    q = np.bincount(inv, weights=e * e, minlength=size)
    present = np.flatnonzero(cnt)
    if binary:
        mx = np.where(s > 0, 1.0, 0.0)
    else:
        mx = np.full(size, -np.inf)
        np.maximum.at(mx, inv, e)
    keys = (
        (np.stack(np.unravel_index(present, dims), axis=1) if cols else np.zeros((len(present), 0), np.int64))
        if uniq is None
        else uniq[present]
    )
    return keys, np.stack([cnt[present], s[present], q[present], mx[present]], axis=1)


@dataclass(frozen=True)
class LevelSums(Kernel):
    """Error statistics for several feature subsets at once (one SliceLine lattice level).

    ``features`` are keys (``Col``/``Bin``); ``subsets`` are tuples of indices into ``features``;
    ``value`` is a per-row error expression. The value is ``{subset: {values tuple: ndarray([count,
    sum, sum of squares, max])}}`` over the rows where the error is defined -- the same numbers as
    one :class:`GroupSums` per subset, with the error and each feature's codes computed once per
    batch and the grouping done by ``bincount`` on combined integer codes.
    """

    features: tuple
    subsets: tuple
    value: Any

    @property
    def reads(self) -> tuple[str, ...]:
        used = sorted({i for s in self.subsets for i in s})
        return tuple(dict.fromkeys([self.features[i].column for i in used] + list(self.value.columns)))

    def init(self):
        return {s: {} for s in self.subsets}

    def update(self, state, view: BatchView):
        if view.num_rows == 0:
            return state
        e = self.value.values(view)
        ok = ~np.isnan(e)
        e = e[ok]
        binary = bool(np.all((e == 0) | (e == 1)))
        used = sorted({i for s in self.subsets for i in s})
        coded = {}
        for i in used:
            codes, values = _codes(self.features[i].array(view))
            coded[i] = (codes[ok], values)
        out = {s: dict(state[s]) for s in self.subsets}
        for s in self.subsets:
            cols = [coded[i][0] for i in s]
            dims = [len(coded[i][1]) for i in s]
            keys, stats = _subset_sums(cols, dims, e, binary)
            dec = [coded[i][1] for i in s]
            tgt = out[s]
            for row, st in zip(keys.tolist(), stats):
                key = tuple(d[c] for d, c in zip(dec, row))
                tgt[key] = _add_stats(tgt[key], st) if key in tgt else st
        return out

    def merge(self, a, b):
        out = {}
        for s in self.subsets:
            m = dict(a.get(s, {}))
            for k, v in b.get(s, {}).items():
                m[k] = _add_stats(m[k], v) if k in m else v
            out[s] = m
        return out


def _add_stats(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.array([a[0] + b[0], a[1] + b[1], a[2] + b[2], max(a[3], b[3])])
