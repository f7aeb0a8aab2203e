"""The kernel contract and the per-batch view kernels read from.

A kernel is a frozen dataclass (so two checks asking for the same statistic share it) with four
methods: ``init() -> state``, ``update(state, view) -> state``, ``merge(a, b) -> state`` and
``finalize(state) -> value`` (TFDV's combiner contract; Deequ's state/analyzer split). States are
plain Python/numpy values, so they pickle for Spark and merge in any order. The laws every kernel
obeys (tested with Hypothesis in ``tests/kernels/test_laws.py``): for any split of the data,
merging the parts' states gives the whole's value, and the empty batch changes nothing.

No pandas or Spark in this package: kernels read :class:`BatchView`, a cached view over one
``pyarrow.RecordBatch`` so that several kernels on one column convert it once.

Examples
--------
>>> import pyarrow as pa
>>> from datacheck.kernels.counts import RowCount
>>> k = RowCount()
>>> view = BatchView(pa.record_batch({"x": [1, 2, 3]}), offset=0)
>>> k.finalize(k.update(k.init(), view))
3
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacheck.kernels.arrays import from_numpy, to_numpy

__all__ = ["Kernel", "BatchView", "NumericView", "logical_type", "is_numeric_type"]


def logical_type(t: pa.DataType) -> str:
    """Map an Arrow type to datacheck's logical type name.

    One of ``integer``, ``float``, ``boolean``, ``string``, ``categorical``, ``datetime``,
    ``duration``, ``null`` or ``other``.
    """
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "float"
    if pa.types.is_string(t) or pa.types.is_large_string(t) or getattr(pa.types, "is_string_view", lambda _: False)(t):
        return "string"
    if pa.types.is_dictionary(t):
        return "categorical"
    if pa.types.is_timestamp(t) or pa.types.is_date(t):
        return "datetime"
    if pa.types.is_duration(t):
        return "duration"
    if pa.types.is_null(t):
        return "null"
    return "other"


def is_numeric_type(t: pa.DataType) -> bool:
    return logical_type(t) in ("integer", "float")


class Kernel:
    """Base class: subclasses are ``@dataclass(frozen=True)`` and implement the four methods.

    Attributes
    ----------
    exact : bool
        False for kernels whose value is an estimate (sketches); ``method`` says how.
    method : str
        One phrase for reports: how the value is computed.
    sorts : bool
        The kernel reads the batch's sorted values.
    """

    exact: ClassVar[bool] = True
    method: ClassVar[str] = "exact"
    #: the kernel sorts the batch's values (``BatchView.sorted``); engines run such kernels first
    #: on a column, so the cheaper kernels after them read the cached sort
    sorts: ClassVar[bool] = False
    #: the kernel reads one column's finite values as a multiset and nothing else: only
    #: ``numeric(c)`` (the size of ``values`` and the counts of missing and infinite values) and
    #: ``sorted(c)``, and its state does not depend on row positions or on the order of the values
    #: within a batch. Engines may then fold it over the sorted values an earlier pass kept
    #: (:class:`SortedRun`) instead of reading and sorting the data again
    order_free: ClassVar[bool] = False
    #: the kernel's value usually leads to a later pass over its column (a quantile summary whose
    #: brackets a second pass refines): engines keep that column's sorted runs for it
    prepares_pass: ClassVar[bool] = False
    #: the kernel reads its columns only through :class:`BatchView` (``column``, ``value_counts``,
    #: ``null_count``, ...), so a source may hand text columns dictionary-encoded, as stored; a
    #: Parquet source then decodes no strings for them and value counts are a ``bincount``
    encoded_ok: ClassVar[bool] = False

    @property
    def reads(self) -> tuple[str, ...]:
        """Columns this kernel reads (engines project on the union)."""
        col = getattr(self, "column", None)
        cols = getattr(self, "columns", None)
        if cols:
            return tuple(c for c in cols if c is not None)
        return (col,) if col is not None else ()

    def init(self) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def update(self, state: Any, view: BatchView) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def merge(self, a: Any, b: Any) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def finalize(self, state: Any) -> Any:
        return state

    def whole(self, column: Any) -> Any:
        """The kernel's value from a whole column held in memory (a ``pyarrow.ChunkedArray`` of
        the single column it reads, rows in the order the source's batches give them), computed
        without a pass, or ``NotImplemented`` when the kernel is only folded. Equal to the folded
        value exactly; engines use it before a pass, so that what a check asks next joins that pass
        (the reference's bin edges, then its bin counts in its first and only pass)."""
        return NotImplemented

    def cover_key(self) -> Any:
        """Kernels with the same key (not None) are one family, each value readable from a wider
        one's: engines fold only the widest (largest :meth:`cover_rank`) and :meth:`narrow` its
        value for the others. ``Extremes(c, 5)`` and ``Extremes(c, 10)``, asked by two checks, are
        one ``Extremes(c, 10)`` folded."""
        return None

    def cover_rank(self) -> Any:
        return 0

    def narrow(self, value: Any) -> Any:
        """This kernel's value read from the value of a kernel of its family that covers it."""
        raise NotImplementedError

    # States travel between processes (Spark executors -> driver). Kernels whose states hold
    # objects that do not pickle (sketches) override these two.
    def dumps(self, state: Any) -> bytes:
        import pickle

        return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)

    def loads(self, blob: bytes) -> Any:
        import pickle

        return pickle.loads(blob)


class NumericView:
    """Numeric values of one column in one batch.

    Attributes
    ----------
    values : ndarray of float64
        The finite values (nulls, NaN and +/-inf removed); read-only (shared by every kernel).
    mask : ndarray of bool
        Which rows of the batch are in ``values`` (computed when first asked for).
    n, nulls, nans, posinf, neginf : int
    """

    __slots__ = ("values", "n", "nulls", "nans", "posinf", "neginf", "offset", "_mask", "_make_mask", "_where")

    def __init__(
        self,
        values: np.ndarray,
        mask: np.ndarray | None,
        n: int,
        nulls: int,
        nans: int,
        posinf: int,
        neginf: int,
        offset: int,
        make_mask: Any = None,
    ) -> None:
        self.values = values
        self.n = n
        self.nulls = nulls
        self.nans = nans
        self.posinf = posinf
        self.neginf = neginf
        self.offset = offset
        self._mask = mask
        self._make_mask = make_mask
        self._where: np.ndarray | None = None

    @property
    def mask(self) -> np.ndarray:
        if self._mask is None:
            self._mask = np.ones(self.n, dtype=bool) if self._make_mask is None else self._make_mask()
            self._make_mask = None
        return self._mask

    @property
    def positions(self) -> np.ndarray:
        """Global row positions of ``values``."""
        return self.positions_of(np.arange(self.values.size))

    def positions_of(self, idx: np.ndarray) -> np.ndarray:
        """Global row positions of ``values[idx]`` (cheap when nothing was removed)."""
        if self.values.size == self.n:
            return np.asarray(idx, dtype=np.int64) + self.offset
        if self._where is None:
            self._where = np.flatnonzero(self.mask)
        return self._where[idx] + self.offset


_DT_UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}


def _to_float(arr: pa.Array) -> np.ndarray:
    t = arr.type
    if pa.types.is_timestamp(t):
        scale = _DT_UNITS[t.unit]
        raw = to_numpy(pc.cast(arr, pa.int64()))
        return raw.astype(np.float64) * scale
    if pa.types.is_date32(t):
        return to_numpy(pc.cast(arr, pa.int32())).astype(np.float64) * 86400.0
    if pa.types.is_date64(t):
        return to_numpy(pc.cast(arr, pa.int64())).astype(np.float64) * 1e-3
    if pa.types.is_duration(t):
        return to_numpy(pc.cast(arr, pa.int64())).astype(np.float64) * _DT_UNITS[t.unit]
    if pa.types.is_boolean(t):
        return to_numpy(pc.cast(arr, pa.int8())).astype(np.float64)
    if pa.types.is_decimal(t):
        arr = pc.cast(arr, pa.float64())
    return to_numpy(arr).astype(np.float64, copy=False)


class _ArrayPool:
    """Float64 arrays of finished batches (their sorted columns), reused by the next batches.

    Sorting a batch copies it first, and a fresh array the size of a batch costs about a quarter
    of the sort again in page faults (0.28 s of copies over a W1 run at 1M rows). Engines hand a
    batch view's arrays back with :meth:`BatchView.release` once every kernel is done with it.
    """

    def __init__(self, keep: int = 32) -> None:
        import threading

        self._lock = threading.Lock()
        self._free: list[np.ndarray] = []
        self._keep = keep

    def take(self, n: int) -> np.ndarray:
        with self._lock:
            fits = [i for i, a in enumerate(self._free) if n <= a.size <= 2 * n + 1024]
            if fits:
                return self._free.pop(min(fits, key=lambda i: self._free[i].size))
        return np.empty(n)

    def give(self, arrays: list[np.ndarray]) -> None:
        with self._lock:
            self._free.extend(arrays)
            del self._free[: -self._keep]

    def clear(self) -> None:
        with self._lock:
            self._free.clear()


ARRAY_POOL = _ArrayPool()

_SHARED_CACHES: list[dict] = []


def shared_cache() -> dict:
    """A dict for results that several kernels' states compute alike (looked up by the identity of
    arrays the states share); engines empty every such dict when a fold is finished."""
    d: dict = {}
    _SHARED_CACHES.append(d)
    return d


def clear_shared_caches() -> None:
    for d in _SHARED_CACHES:
        d.clear()


class BatchView:
    """One record batch plus the global row offset of its first row, with per-column caches.

    Parameters
    ----------
    batch : pyarrow.RecordBatch
    offset : int
        Row position of the batch's first row in the whole data (for evidence row ids).
    """

    def __init__(self, batch: pa.RecordBatch, offset: int = 0) -> None:
        self.batch = batch
        self.offset = int(offset)
        self.num_rows = batch.num_rows
        self._cols: dict[str, pa.Array] = {}
        self._num: dict[str, NumericView] = {}
        self._sorted: dict[str, np.ndarray] = {}
        self._vc: dict[str, tuple[pa.Array, np.ndarray]] = {}
        self._codes: dict[str, tuple[pa.Array, np.ndarray] | None] = {}
        self._owned: list[np.ndarray] = []  # pooled arrays behind ``_sorted``
        self._owner: dict[str, np.ndarray] = {}
        self._index = {name: i for i, name in enumerate(batch.schema.names)}

    def column(self, name: str) -> pa.Array:
        """The column as one Arrow array; dictionaries decoded, string views made plain strings."""
        arr = self._cols.get(name)
        if arr is None:
            if name not in self._index:
                raise KeyError(f"column {name!r} is not in the data")
            arr = self.batch.column(self._index[name])
            if isinstance(arr, pa.ChunkedArray):  # pragma: no cover - batches hold arrays
                arr = arr.combine_chunks()
            if pa.types.is_dictionary(arr.type):
                arr = arr.dictionary_decode()
            t = arr.type
            if getattr(pa.types, "is_string_view", lambda _: False)(t):
                arr = arr.cast(pa.large_string())
            self._cols[name] = arr
        return arr

    def column_type(self, name: str) -> pa.DataType:
        """The type of :meth:`column` without decoding it (a dictionary's value type)."""
        if name in self._cols:
            return self._cols[name].type
        if name not in self._index:
            raise KeyError(f"column {name!r} is not in the data")
        t = self.batch.schema.field(self._index[name]).type
        if pa.types.is_dictionary(t):
            t = t.value_type
        if getattr(pa.types, "is_string_view", lambda _: False)(t):
            return pa.large_string()
        return t

    def null_count(self, name: str) -> int:
        """Null slots of a column (a dictionary column's without decoding it)."""
        arr = self._cols.get(name)
        if arr is None and name in self._index:
            raw = self.batch.column(self._index[name])
            if pa.types.is_dictionary(raw.type) and not raw.dictionary.null_count:
                return raw.null_count
        return self.column(name).null_count

    def _dictionary_counts(self, name: str) -> tuple[pa.Array, np.ndarray] | None:
        """Value counts of a dictionary column of text or integers read off its codes (a
        ``bincount``); None when the dictionary holds nulls or repeats a value in use."""
        if name not in self._index:
            return None
        raw = self.batch.column(self._index[name])
        if not pa.types.is_dictionary(raw.type) or raw.dictionary.null_count:
            return None
        vt = raw.type.value_type
        if not (pa.types.is_string(vt) or pa.types.is_large_string(vt) or pa.types.is_integer(vt)):
            return None
        codes = raw.indices
        codes = codes.drop_null() if codes.null_count else codes
        counts = np.bincount(to_numpy(codes), minlength=len(raw.dictionary))
        used = np.flatnonzero(counts)
        values = raw.dictionary.take(from_numpy(used))
        if len(values) > 1 and pc.count_distinct(values).as_py() != len(values):
            return None  # Arrow allows a dictionary to repeat a value: count the decoded column
        return values, counts[used].astype(np.int64)

    def codes(self, name: str) -> tuple[pa.Array, np.ndarray] | None:
        """The distinct non-missing values of a text column (or of a dictionary column of text or
        integers) and, for every row, the position of its value among them (-1 where missing), as
        a numpy integer array (do not modify); cached. A dictionary column's codes are its indices (no hash); a text column is hashed
        once (Arrow's ``dictionary_encode``) and :meth:`value_counts`, when asked after, is a
        ``bincount`` of the codes: the same values, in the same order, and counts. None for other
        columns, and for dictionaries that hold nulls or repeat a value in use."""
        if name in self._codes:
            return self._codes[name]
        if name not in self._index:
            raise KeyError(f"column {name!r} is not in the data")
        raw = self.batch.column(self._index[name])
        out: tuple[pa.Array, np.ndarray] | None = None
        if pa.types.is_dictionary(raw.type) and name not in self._cols:
            out = self._dictionary_codes(name, raw)
        elif _is_text(self.column_type(name)):
            arr = self.column(name)
            enc = pc.dictionary_encode(arr)
            ind = enc.indices
            codes = to_numpy(ind.fill_null(-1) if ind.null_count else ind)
            if name not in self._vc:
                counts = np.bincount(codes + 1 if ind.null_count else codes, minlength=len(enc.dictionary) + 1)
                self._vc[name] = (enc.dictionary, counts[1:] if ind.null_count else counts[: len(enc.dictionary)])
            out = (enc.dictionary, codes)
        self._codes[name] = out
        return out

    def encoded_cheaply(self, name: str) -> bool:
        """Whether :meth:`codes` hashes no text: the column is dictionary-encoded as read, or its
        codes are cached. (Encoding plain text costs more than Arrow's value counts: 1.7 against
        1.1 ms for 131k short strings, so a group-by gains nothing from it.)"""
        if name in self._codes:
            return True
        return name in self._index and name not in self._cols and pa.types.is_dictionary(self.column_type_raw(name))

    def column_type_raw(self, name: str) -> pa.DataType:
        """The column's type as the batch holds it (a dictionary stays a dictionary)."""
        return self.batch.schema.field(self._index[name]).type

    def _dictionary_codes(self, name: str, raw: pa.DictionaryArray) -> tuple[pa.Array, np.ndarray] | None:
        """:meth:`codes` of a dictionary column: its values in use, in the dictionary's order (as
        :meth:`_dictionary_counts` gives them), and the codes renumbered to them."""
        vt = raw.type.value_type
        if raw.dictionary.null_count or not (
            pa.types.is_string(vt) or pa.types.is_large_string(vt) or pa.types.is_integer(vt)
        ):
            return None
        size = len(raw.dictionary)
        ind = raw.indices
        idx = to_numpy(ind.fill_null(size) if ind.null_count else ind)
        counts = np.bincount(idx, minlength=size + 1)[:size]
        used = np.flatnonzero(counts)
        values = raw.dictionary.take(from_numpy(used))
        if len(values) > 1 and pc.count_distinct(values).as_py() != len(values):
            return None
        self._vc.setdefault(name, (values, counts[used].astype(np.int64)))
        if used.size == size and not ind.null_count:  # every value in use: the indices are the codes
            return values, idx
        lut = np.full(size + 1, -1, dtype=np.int64)
        lut[used] = np.arange(used.size)
        return values, lut[idx]

    def numeric(self, name: str) -> NumericView:
        """Finite numeric values of a numeric, boolean or datetime column (datetimes in epoch seconds)."""
        nv = self._num.get(name)
        if nv is None:
            nv = self._numeric(self.column(name))
            self._num[name] = nv
        return nv

    def _numeric(self, arr: pa.Array) -> NumericView:
        n = len(arr)
        nulls = arr.null_count
        plain_float = pa.types.is_floating(arr.type) and arr.type.bit_width == 64
        if nulls and plain_float:
            # Arrow drops the nulls in one compaction (no NaN-filled copy, no mask built): the mask
            # of kept rows is only made when a kernel asks for row positions
            x = to_numpy(pc.drop_null(arr))
        else:
            x = _to_float(arr)
            if nulls:  # the values of null slots are undefined: drop them first
                valid = ~np.asarray(to_numpy(arr.is_null()), dtype=bool)
                x = x[valid]
        # finite check: one reduction when every value is finite (the common case)
        with np.errstate(invalid="ignore", over="ignore"):
            total = float(np.add.reduce(x)) if x.size else 0.0
        if np.isfinite(total):
            nans = posinf = neginf = 0
            values = x
        else:
            finite = np.isfinite(x)
            bad = x[~finite]
            nans = int(np.count_nonzero(np.isnan(bad)))
            posinf = int(np.count_nonzero(bad == np.inf))
            neginf = int(np.count_nonzero(bad == -np.inf))
            values = x[finite] if bad.size else x
        values.flags.writeable = False  # often Arrow's own buffer (zero-copy): kernels share it, none writes
        if values.size == n:
            return NumericView(values, None, n, nulls, nans, posinf, neginf, self.offset)

        def make_mask(arr: pa.Array = arr) -> np.ndarray:
            m = np.ones(n, dtype=bool)
            if arr.null_count:
                m &= ~np.asarray(to_numpy(arr.is_null()), dtype=bool)
            if nans or posinf or neginf:
                raw = _to_float(arr)
                with np.errstate(invalid="ignore"):
                    m &= np.isfinite(raw)
            return m

        return NumericView(values, None, n, nulls, nans, posinf, neginf, self.offset, make_mask)

    def sorted(self, name: str) -> np.ndarray:
        """The finite values of :meth:`numeric`, sorted ascending (cached; do not modify).

        One sort per column and batch serves every kernel that counts against thresholds or
        edges (binary search of a few edges into the sorted values instead of the values into the
        edges), finds order statistics, or feeds a quantile sketch: numpy's vectorised sort of a
        batch costs about as much as one ``searchsorted`` of it into a few edges.
        """
        s = self._sorted.get(name)
        if s is None:
            v = self.numeric(name).values
            buf = ARRAY_POOL.take(v.size)
            self._owned.append(buf)
            self._owner[name] = buf
            s = buf[: v.size]  # writeable: datasketches rejects read-only arrays
            np.copyto(s, v)
            s.sort()
            self._sorted[name] = s
        return s

    def release(self) -> None:
        """Hand the view's work arrays back for the next batch; the view is not used afterwards
        (kernels keep copies, never the batch's sorted arrays)."""
        self._sorted.clear()
        self._owner.clear()
        self._num.clear()
        self._vc.clear()
        self._codes.clear()
        ARRAY_POOL.give(self._owned)
        self._owned = []

    def sorted_columns(self) -> list[str]:
        """Columns sorted in this batch so far."""
        return list(self._sorted)

    def take_sorted(self, name: str) -> SortedRun | None:
        """The column's sorted finite values and missing/infinite counts, handed over for good (not
        back to the pool at :meth:`release`); None when no kernel sorted the column."""
        s = self._sorted.get(name)
        if s is None:
            return None
        buf = self._owner.pop(name, None)
        if buf is not None:
            self._owned = [a for a in self._owned if a is not buf]
            if buf.size > s.size + s.size // 8 + 1024:  # a larger pooled array: keep only what is used
                self._owned.append(buf)
                s = s.copy()
        nv = self._num[name]
        return SortedRun(NumericView(s, None, nv.n, nv.nulls, nv.nans, nv.posinf, nv.neginf, self.offset))

    def has_sorted(self, name: str) -> bool:
        """Whether :meth:`sorted` is already cached for ``name`` (kernels for which a sort would cost
        more than their own work use it only when another kernel paid for it)."""
        return name in self._sorted

    def strings(self, name: str) -> pa.Array:
        """The column as an Arrow string array (for string and categorical columns)."""
        arr = self.column(name)
        if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
            arr = pc.cast(arr, pa.large_string())
        return arr

    def value_counts(self, name: str) -> tuple[pa.Array, np.ndarray]:
        """Distinct non-missing values of a column and their counts in this batch (one hash pass,
        shared by every kernel that looks at categories, tokens, patterns or allowed sets).
        NaN is missing, so it is left out like null; -0.0 is counted as 0.0."""
        vc = self._vc.get(name)
        if vc is None and name not in self._cols:
            vc = self._dictionary_counts(name)
            if vc is not None:
                self._vc[name] = vc
        if vc is None and self._codes.get(name) is not None:
            vc = self._vc[name]  # a group-by encoded the column: its codes' bincount
        if vc is None:
            arr = self.column(name)
            if pa.types.is_floating(arr.type):
                arr = pc.add(arr, pa.scalar(0.0, arr.type))  # -0.0 + 0.0 == 0.0: one value, as in Python
            if len(arr) == arr.null_count:
                vc = (pa.array([], arr.type), np.zeros(0, dtype=np.int64))
            else:
                res = pc.value_counts(arr.drop_null() if arr.null_count else arr)
                values, counts = res.field("values"), to_numpy(res.field("counts"))
                if pa.types.is_floating(arr.type):
                    keep = ~to_numpy(pc.is_nan(values))
                    if not keep.all():
                        values, counts = values.filter(from_numpy(keep)), counts[keep]
                vc = (values, counts)
            self._vc[name] = vc
        return vc


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t)


class SortedRun:
    """One batch's column as an earlier pass left it: its finite values sorted, its row count and its
    missing and infinite counts (what :attr:`Kernel.order_free` kernels read). Engines keep these
    runs for later passes when they fit a memory budget and fold such kernels over them; a run
    serves as the view of its batch (``numeric`` and ``sorted`` of its column)."""

    __slots__ = ("view",)

    def __init__(self, view: NumericView) -> None:
        view.values.flags.writeable = False
        self.view = view  # its values sorted, no row mask (a run has no rows to point at)

    @property
    def values(self) -> np.ndarray:
        return self.view.values

    @property
    def num_rows(self) -> int:
        return self.view.n

    @property
    def offset(self) -> int:
        return self.view.offset

    def numeric(self, name: str) -> NumericView:
        return self.view

    def sorted(self, name: str) -> np.ndarray:
        return self.values

    def has_sorted(self, name: str) -> bool:
        return True
