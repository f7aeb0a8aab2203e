"""Saved reference profiles: the merged reference-side state a suite's shift checks need.

``datacheck.profile(train, suite)`` folds the training data once through the same planner loop
as :func:`datacheck.run` -- asking every shift check what it needs from the reference until
nothing new is asked -- and keeps the finished metrics. ``Profile.save`` writes them as JSON
(versioned; quantile summaries, arrays and samples as base64 of their own binary formats: the
summary's bytes, raw little-endian arrays, Arrow IPC). A profile is data: loading it never unpickles or imports
anything beyond datacheck's own kernel classes, which it looks up by name in
:mod:`datacheck.kernels`.

``datacheck.run(serving, suite, reference=profile)`` (or ``reference="train.profile.json"``)
then gives the same verdicts as ``reference=train``, without the training data.

Examples
--------
>>> import numpy as np, pandas as pd, datacheck, tempfile, os
>>> rng = np.random.default_rng(0)
>>> train = pd.DataFrame({"x": rng.normal(size=2000), "c": rng.choice(["a", "b"], 2000)})
>>> suite = {"name": "s", "checks": ["drift"]}
>>> prof = datacheck.profile(train, suite)
>>> prof.n_rows, sorted(prof.columns)
(2000, ['c', 'x'])
>>> path = os.path.join(tempfile.mkdtemp(), "train.profile.json")
>>> prof.save(path)
>>> serving = pd.DataFrame({"x": rng.normal(1, 1, 500), "c": rng.choice(["a", "b"], 500)})
>>> [r.status for r in datacheck.run(serving, suite, reference=path).results]
['fail', 'pass']
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import hashlib
import importlib
import json
import math
import os
from collections.abc import Mapping
from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa

from datacheck._version import __version__
from datacheck.checks import REGISTRY
from datacheck.context import ColumnInfo, Context, Metrics, schema_info
from datacheck.engines.base import DEFAULT_BATCH_ROWS
from datacheck.engines.local import column_rounds, fold, forget
from datacheck.engines.opener import open_source
from datacheck.errors import DataError
from datacheck.kernels.base import Kernel
from datacheck.kernels.counts import RowCount
from datacheck.kernels.quantiles import SketchValue
from datacheck.plan import ask_column, bind, fold_passes, rows_held
from datacheck.suite import Suite, load_suite

__all__ = ["profile", "Profile", "PROFILE_FORMAT", "PROFILE_VERSION"]

PROFILE_FORMAT = "datacheck-profile"
PROFILE_VERSION = 1
_KERNEL_PACKAGE = "datacheck.kernels"


# ---------------------------------------------------------------------------------------------
# value encoding: JSON with tagged objects for what JSON cannot hold
# ---------------------------------------------------------------------------------------------
def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _unb64(s: str) -> bytes:
    return base64.b64decode(s.encode("ascii"), validate=True)


def _encode(v: Any) -> Any:
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return f if math.isfinite(f) else {"__float__": repr(f)}
    if isinstance(v, np.ndarray):
        if v.dtype.kind not in "biuf":
            return {"__list__": [_encode(x) for x in v.tolist()]}
        a = np.ascontiguousarray(v, dtype=v.dtype.newbyteorder("<"))
        return {"__ndarray__": _b64(a.tobytes()), "dtype": a.dtype.str, "shape": list(a.shape)}
    if isinstance(v, SketchValue):
        return {"__quantiles__": _b64(v.serialize()), "k": v.k}
    if isinstance(v, pa.Table):
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, v.schema) as w:
            w.write_table(v)
        return {"__arrow__": _b64(sink.getvalue().to_pybytes())}
    if isinstance(v, bytes):
        return {"__bytes__": _b64(v)}
    if isinstance(v, tuple):
        return {"__tuple__": [_encode(x) for x in v]}
    if isinstance(v, list):
        return [_encode(x) for x in v]
    if isinstance(v, Mapping):
        if all(isinstance(k, str) and not k.startswith("__") for k in v):
            return {k: _encode(x) for k, x in v.items()}
        return {"__map__": [[_encode(k), _encode(x)] for k, x in v.items()]}
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return _encode_dataclass(v)
    raise TypeError(f"cannot store a value of type {type(v).__name__} in a profile")


def _decode(v: Any) -> Any:
    if isinstance(v, list):
        return [_decode(x) for x in v]
    if not isinstance(v, dict):
        return v
    if "__float__" in v:
        return float(v["__float__"])
    if "__ndarray__" in v:
        return np.frombuffer(_unb64(v["__ndarray__"]), dtype=np.dtype(v["dtype"])).reshape(v["shape"]).copy()
    if "__list__" in v:
        return np.array([_decode(x) for x in v["__list__"]], dtype=object)
    if "__quantiles__" in v:
        return SketchValue.deserialize(_unb64(v["__quantiles__"]), int(v["k"]))
    if "__kll__" in v:  # saved before the quantile summary replaced the KLL sketch
        return SketchValue.from_kll(_unb64(v["__kll__"]), int(v["k"]))
    if "__arrow__" in v:
        with pa.ipc.open_stream(pa.BufferReader(_unb64(v["__arrow__"]))) as r:
            return r.read_all()
    if "__bytes__" in v:
        return _unb64(v["__bytes__"])
    if "__tuple__" in v:
        return tuple(_decode(x) for x in v["__tuple__"])
    if "__map__" in v:
        return {_hashable(_decode(k)): _decode(x) for k, x in v["__map__"]}
    if "__kernel__" in v:
        return _decode_dataclass(v)
    return {k: _decode(x) for k, x in v.items()}


def _hashable(v: Any) -> Any:
    return tuple(_hashable(x) for x in v) if isinstance(v, list) else v


def _encode_dataclass(obj: Any) -> dict:
    cls = type(obj)
    if not cls.__module__.startswith(_KERNEL_PACKAGE + "."):
        raise TypeError(f"only datacheck kernels can be stored in a profile; got {cls.__module__}.{cls.__name__}")
    return {
        "__kernel__": f"{cls.__module__}:{cls.__qualname__}",
        "fields": {f.name: _encode(getattr(obj, f.name)) for f in dataclasses.fields(obj)},
    }


def _decode_dataclass(v: dict) -> Any:
    module, _, name = v["__kernel__"].partition(":")
    if not module.startswith(_KERNEL_PACKAGE + ".") or "." in name or not name.isidentifier():
        raise DataError(f"profile names {v['__kernel__']!r}, which is not a datacheck kernel")
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        raise DataError(f"profile names {v['__kernel__']!r}, which this datacheck version does not have") from None
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise DataError(f"profile names {v['__kernel__']!r}, which is not a datacheck kernel")
    return cls(**{k: _decode(x) for k, x in v["fields"].items()})


# ---------------------------------------------------------------------------------------------
# semantic validation: a checksum catches edits, not a forger who recomputes it
# ---------------------------------------------------------------------------------------------
class _Impossible(Exception):
    """A statistic no data could have produced (message: what, for the reader)."""


def _count(v: Any, name: str, most: int | None = None) -> int:
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
        raise _Impossible(f"{name} must be a count; got {v!r}")
    v = int(v)
    if v < 0:
        raise _Impossible(f"{name} is negative ({v:,})")
    if most is not None and v > most:
        raise _Impossible(f"{name} is {v:,}, more than the {most:,} rows profiled")
    return v


def _counts_array(v: Any, name: str, size: int | None = None) -> np.ndarray:
    a = np.asarray(v)
    if a.ndim != 1 or a.dtype.kind not in "iu" or (size is not None and a.size != size):
        want = f" of {size} entries" if size is not None else ""
        raise _Impossible(f"{name} must be an array of counts{want}")
    if a.size and a.min() < 0:
        raise _Impossible(f"{name} holds a negative count")
    return a.astype(np.int64)


def _number(v: Any, name: str, *, finite: bool = True) -> float:
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise _Impossible(f"{name} must be a number; got {v!r}")
    f = float(v)
    if finite and not math.isfinite(f):
        raise _Impossible(f"{name} is {f}")
    return f


def _ordered(values: Any, name: str, *, strict: bool = False) -> list[float]:
    xs = [_number(x, name) for x in values]
    bad = any((b <= a) if strict else (b < a) for a, b in zip(xs, xs[1:]))
    if bad:
        raise _Impossible(f"{name} are not in {'strictly ' if strict else ''}increasing order")
    return xs


def _keys(v: Any, keys: tuple[str, ...], what: str) -> Mapping:
    if not isinstance(v, Mapping) or not set(keys) <= set(v):
        raise _Impossible(f"{what} must hold {', '.join(keys)}")
    return v


def _check_value(kernel: Kernel, v: Any, n_rows: int) -> None:
    """Raise :class:`_Impossible` when ``v`` cannot be ``kernel``'s value over ``n_rows`` rows."""
    from datacheck.kernels import (
        ColumnCounts,
        CountOutside,
        ExactQuantiles,
        Frequencies,
        HashedCounts,
        Moments,
        RowCount,
        Sample,
        Sketch,
    )
    from datacheck.kernels.shift import BinCounts, KeyedHashes, QuantileEdges

    name = type(kernel).__name__
    if isinstance(kernel, RowCount):
        if _count(v, "the row count") != n_rows:
            raise _Impossible(f"the row count {v:,} is not the profile's {n_rows:,} rows")
    elif isinstance(kernel, ColumnCounts):
        d = _keys(v, ("rows", "nulls", "nan", "posinf", "neginf", "missing"), name)
        rows = _count(d["rows"], "rows")
        if rows != n_rows:
            raise _Impossible(f"rows is {rows:,}, not the profile's {n_rows:,}")
        parts = [_count(d[k], k, rows) for k in ("nulls", "nan", "posinf", "neginf")]
        if sum(parts) > rows:
            raise _Impossible("nulls, NaN and infinities add up to more than the rows")
        if _count(d["missing"], "missing", rows) != parts[0] + parts[1]:
            raise _Impossible("missing is not nulls plus NaN")
    elif isinstance(kernel, Moments):
        d = _keys(v, ("n", "mean", "std", "var", "min", "max", "state"), name)
        n = _count(d["n"], "n", n_rows)
        state = d["state"]
        if not isinstance(state, tuple) or len(state) not in (5, 6) or state[0] != n:
            raise _Impossible("its moment state does not match its count")
        if n:
            lo, hi, mean = _number(d["min"], "min"), _number(d["max"], "max"), _number(d["mean"], "mean")
            if lo > hi:
                raise _Impossible(f"min {lo!r} is above max {hi!r}")
            if not lo <= mean <= hi:
                raise _Impossible(f"the mean {mean!r} lies outside [min, max] = [{lo!r}, {hi!r}]")
            for k in ("std", "var"):
                if _number(d[k], k, finite=False) < 0:
                    raise _Impossible(f"{k} is negative")
    elif isinstance(kernel, Frequencies):
        d = _keys(v, ("counts", "total", "nulls", "exact", "max_error", "distinct"), name)
        total = _count(d["total"], "total", n_rows)
        nulls = _count(d["nulls"], "nulls", n_rows)
        if total + nulls > n_rows:
            raise _Impossible(f"values and nulls add up to {total + nulls:,}, more than the {n_rows:,} rows")
        if not isinstance(d["counts"], Mapping):
            raise _Impossible("counts must map values to counts")
        kept = sum(_count(c, "a value's count", total) for c in d["counts"].values())
        if kept > total:
            raise _Impossible(f"the value counts add up to {kept:,}, more than the {total:,} values")
        err = _count(d["max_error"], "max_error", n_rows)
        if d["exact"] is not (err == 0):
            raise _Impossible("'exact' contradicts max_error")
        if err == 0 and (kept != total or d["distinct"] != len(d["counts"])):
            raise _Impossible("exact counts must add up to the values and their number to 'distinct'")
    elif isinstance(kernel, HashedCounts):
        d = _keys(v, ("counts", "total", "nulls"), name)
        counts = _counts_array(d["counts"], "counts", kernel.buckets)
        total = _count(d["total"], "total", n_rows)
        if int(counts.sum()) != total or total + _count(d["nulls"], "nulls", n_rows) > n_rows:
            raise _Impossible("the bucket counts do not add up to the values")
    elif isinstance(kernel, QuantileEdges):
        d = _keys(v, ("edges", "n", "sampled"), name)
        n = _count(d["n"], "n", n_rows)
        _count(d["sampled"], "sampled", n)
        _ordered(d["edges"], "the edges", strict=True)
    elif isinstance(kernel, BinCounts):
        d = _keys(v, ("edges", "counts", "sums", "at_edge", "missing", "infinite", "n"), name)
        edges = tuple(_ordered(d["edges"], "the edges"))
        if edges != tuple(kernel.edges):
            raise _Impossible("its edges are not the edges it was asked for")
        size = len(edges) + 1
        counts = _counts_array(d["counts"], "counts", size)
        at_edge = _counts_array(d["at_edge"], "at_edge", size)
        sums = np.asarray(d["sums"])
        if sums.shape != (size,) or sums.dtype.kind != "f":
            raise _Impossible(f"sums must be {size} numbers")
        if (at_edge > counts).any():
            raise _Impossible("more values at a bin's edge than in the bin")
        n = _count(d["n"], "n", n_rows)
        if n != int(counts.sum()):
            raise _Impossible("n is not the sum of the bin counts")
        if n + _count(d["missing"], "missing", n_rows) + _count(d["infinite"], "infinite", n_rows) != n_rows:
            raise _Impossible("bin counts, missing and infinite values do not add up to the rows")
    elif isinstance(kernel, CountOutside):
        d = _keys(v, ("below", "above", "checked"), name)
        checked = _count(d["checked"], "checked", n_rows)
        if _count(d["below"], "below", checked) + _count(d["above"], "above", checked) > checked:
            raise _Impossible("more values outside the range than were checked")
    elif isinstance(kernel, Sketch):
        if not isinstance(v, SketchValue):
            raise _Impossible("the quantile sketch does not load")
        _count(v.n, "the sketch's count", n_rows)
        if v.n:
            _ordered(v.quantiles([0.0, 0.25, 0.5, 0.75, 1.0]), "the sketch's quantiles")
    elif isinstance(kernel, ExactQuantiles):
        d = _keys(v, ("values", "exact"), name)
        vals = d["values"]
        if not isinstance(vals, Mapping):
            raise _Impossible("values must map quantiles to values")
        known = [(float(q), x) for q, x in sorted(vals.items()) if x is not None]
        if any(not 0.0 <= q <= 1.0 for q, _ in known):
            raise _Impossible("a quantile outside [0, 1]")
        _ordered([x for _, x in known if not (isinstance(x, float) and math.isnan(x))], "the quantiles")
    elif isinstance(kernel, Sample):
        if not isinstance(v, pa.Table) or "__row__" not in v.column_names:
            raise _Impossible("the sample is not a table of rows")
        if v.num_rows > min(kernel.k, n_rows):
            raise _Impossible(f"the sample holds {v.num_rows:,} rows, more than it can")
        rows = v.column("__row__").to_numpy(zero_copy_only=False)
        if rows.dtype.kind not in "iu" or (rows.size and (rows.min() < 0 or rows.max() >= n_rows)):
            raise _Impossible("the sample names rows the data does not have")
        if np.unique(rows).size != rows.size:
            raise _Impossible("the sample holds a row twice")
    elif isinstance(kernel, KeyedHashes):
        d = _keys(v, ("ids", "features", "hashes", "rows_with_id", "missing_ids", "duplicate_ids", "complete"), name)
        with_id = _count(d["rows_with_id"], "rows_with_id", n_rows)
        if with_id + _count(d["missing_ids"], "missing_ids", n_rows) != n_rows:
            raise _Impossible("rows with and without an id do not add up to the rows")
        ids = np.asarray(d["ids"])
        hashes = np.asarray(d["hashes"])
        if ids.ndim != 1 or ids.size > min(kernel.k, with_id) or hashes.shape != (ids.size, len(kernel.features)):
            raise _Impossible("its id and value hashes do not fit together")
        if _count(d["duplicate_ids"], "duplicate_ids", with_id) + ids.size > with_id:
            raise _Impossible("more repeated ids than rows with an id")


def _validate(values: Mapping[Kernel, Any], n_rows: int, schema: pa.Schema) -> None:
    """Refuse statistics no data could have produced, naming the kernel and the column."""
    names = set(schema.names)
    for kernel, v in values.items():
        cols = [c for c in kernel.reads if c is not None]
        where = f"column {cols[0]!r}" if len(cols) == 1 else (f"columns {cols!r}" if cols else "the rows")
        missing = [c for c in cols if c not in names]
        if missing:
            raise DataError(
                f"its {type(kernel).__name__} statistics name column(s) {missing!r}, which its schema does not "
                "have: the file was edited or put together from another profile"
            )
        try:
            _check_value(kernel, v, n_rows)
        except _Impossible as exc:
            raise DataError(
                f"its {type(kernel).__name__} statistics of {where} are impossible ({exc}): the file was edited "
                "after it was saved; save the profile again with `datacheck profile`"
            ) from None


# ---------------------------------------------------------------------------------------------
# the profile
# ---------------------------------------------------------------------------------------------
def _suite_hash(suite: Suite) -> str:
    text = json.dumps(suite.raw, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_CHECKED = ("format", "version", "source", "suite", "n_rows", "columns", "schema", "metrics", "failures")


def _checksum(d: Mapping[str, Any]) -> str:
    """SHA-256 of the profile's content (not a signature: it catches edits and damage, not forgery)."""
    text = json.dumps({k: d.get(k) for k in _CHECKED}, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _schema_b64(schema: pa.Schema) -> str:
    return _b64(schema.serialize().to_pybytes())


class Profile:
    """Reference statistics saved for serving-time shift checks.

    Attributes
    ----------
    description : str
        What was profiled (a path or ``pandas.DataFrame``), and that it is a profile.
    n_rows : int
        Rows in the profiled data.
    columns : dict of str to ColumnInfo
        The profiled data's columns and types.
    suite_name, suite_hash : str
        The suite the profile was made for (the hash covers the suite's content).
    datacheck_version : str
    created_at : str
        ISO 8601, UTC.
    metrics : Metrics
        Kernel -> finished value (and kernels that failed, with the reason).
    """

    def __init__(
        self,
        *,
        metrics: Metrics,
        schema: pa.Schema,
        n_rows: int,
        source: str,
        suite_name: str,
        suite_hash: str,
        datacheck_version: str,
        created_at: str,
    ) -> None:
        self.metrics = metrics
        self.schema = schema
        self.n_rows = int(n_rows)
        self.source = source
        self.suite_name = suite_name
        self.suite_hash = suite_hash
        self.datacheck_version = datacheck_version
        self.created_at = created_at
        self.columns: dict[str, ColumnInfo] = schema_info(schema)

    @property
    def description(self) -> str:
        return f"profile of {self.source} (suite {self.suite_name!r}, {self.created_at})"

    def __repr__(self) -> str:
        return (
            f"<Profile {self.source!r}: {self.n_rows:,} rows, {len(self.columns)} columns, {len(self.metrics)} metrics>"
        )

    def as_metrics(self) -> Metrics:
        """A fresh :class:`~datacheck.context.Metrics` holding the saved reference metrics."""
        return Metrics(dict(self.metrics.found), dict(self.metrics.failures))

    # -- persistence ----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The profile as JSON-ready data (format ``datacheck-profile``, version 1).

        ``checksum`` covers the statistics, so a file edited after it was saved is refused on load.
        """
        d = {
            "format": PROFILE_FORMAT,
            "version": PROFILE_VERSION,
            "datacheck_version": self.datacheck_version,
            "created_at": self.created_at,
            "source": self.source,
            "suite": {"name": self.suite_name, "hash": self.suite_hash},
            "n_rows": self.n_rows,
            "columns": {c: {"type": str(i.type), "logical": i.logical} for c, i in self.columns.items()},
            "schema": _schema_b64(self.schema),
            "metrics": [{"kernel": _encode_dataclass(k), "value": _encode(v)} for k, v in self.metrics.found.items()],
            "failures": [{"kernel": _encode_dataclass(k), "reason": r} for k, r in self.metrics.failures.items()],
        }
        d["checksum"] = _checksum(d)
        return d

    def save(self, path: str | os.PathLike) -> None:
        """Write the profile as JSON (name it ``*.profile.json`` so the CLI recognises it)."""
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(self.to_dict(), fh, allow_nan=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, source: str = "the profile") -> Profile:
        """Rebuild a profile from :meth:`to_dict`'s data; anything damaged raises one :class:`DataError`."""
        try:
            return cls._from_dict(d)
        except DataError as exc:
            if source == "the profile":
                raise
            raise DataError(f"{source}: {exc}") from None
        except (
            KeyError,
            TypeError,
            ValueError,
            AttributeError,
            IndexError,
            OverflowError,
            RuntimeError,
            pa.ArrowException,
        ) as exc:
            what = (
                f"missing field {exc.args[0]!r}"
                if isinstance(exc, KeyError)
                else f"{str(exc).strip().splitlines()[0][:200] if str(exc).strip() else 'a malformed value'}"
            )
            raise DataError(
                f"{source} is damaged or was not written by datacheck ({what}); save the profile "
                "again with `datacheck profile`"
            ) from None

    @classmethod
    def _from_dict(cls, d: Mapping[str, Any]) -> Profile:
        if not isinstance(d, Mapping) or d.get("format") != PROFILE_FORMAT:
            raise DataError("not a datacheck profile (missing 'format': 'datacheck-profile')")
        if d.get("version") != PROFILE_VERSION:
            raise DataError(
                f"profile format version {d.get('version')!r} is not supported "
                f"(this datacheck reads version {PROFILE_VERSION})"
            )
        if "checksum" in d and d["checksum"] != _checksum(d):
            raise DataError("was changed after it was saved (its checksum does not match its statistics)")
        schema = pa.ipc.read_schema(pa.py_buffer(_unb64(d["schema"])))
        values = {_decode_dataclass(m["kernel"]): _decode(m["value"]) for m in d["metrics"]}
        failures = {_decode_dataclass(m["kernel"]): str(m["reason"]) for m in d.get("failures", [])}
        n_rows = d["n_rows"]
        if isinstance(n_rows, bool) or not isinstance(n_rows, int) or n_rows < 0:
            raise ValueError(f"n_rows must be a count; got {n_rows!r}")
        for k in ("source", "created_at", "datacheck_version"):
            if not isinstance(d[k], str):
                raise ValueError(f"{k} must be text; got {d[k]!r}")
        described = {c: {"type": str(i.type), "logical": i.logical} for c, i in schema_info(schema).items()}
        if d["columns"] != described:
            raise DataError(
                "its column list does not match its schema: the file was edited or put together from "
                "another profile; save the profile again with `datacheck profile`"
            )
        _validate(values, n_rows, schema)
        return cls(
            metrics=Metrics(values, failures),
            schema=schema,
            n_rows=d["n_rows"],
            source=d["source"],
            suite_name=d["suite"]["name"],
            suite_hash=d["suite"]["hash"],
            datacheck_version=d["datacheck_version"],
            created_at=d["created_at"],
        )

    @classmethod
    def load(cls, path: str | os.PathLike) -> Profile:
        """Read a profile written by :meth:`save`."""
        try:
            with open(path, encoding="utf-8") as fh:
                d = json.load(fh)
        except FileNotFoundError:
            raise DataError(f"profile file does not exist: {os.fspath(path)}") from None
        except (OSError, ValueError) as exc:
            raise DataError(f"cannot read profile {os.fspath(path)}: {exc}") from None
        except RecursionError:
            raise DataError(f"cannot read profile {os.fspath(path)}: nested too deeply to be a profile") from None
        return cls.from_dict(d, source=f"profile {os.fspath(path)}")


def profile(data: Any, suite: str | Mapping[str, Any] | Suite, *, batch_rows: int = DEFAULT_BATCH_ROWS) -> Profile:
    """Fold ``data`` as the reference of ``suite``'s shift checks and keep the merged statistics.

    Parameters
    ----------
    data : pandas.DataFrame, pyarrow.Table, polars.DataFrame, or path
        The reference (training) data; paths are streamed.
    suite : path, dict or Suite
        The suite whose shift checks (those that compare with a reference) will use the profile.
    batch_rows : int
        Rows per batch when streaming.

    Returns
    -------
    Profile

    Examples
    --------
    >>> import pandas as pd, datacheck
    >>> p = datacheck.profile(pd.DataFrame({"x": [1.0, 2.0, 3.0]}), {"name": "s", "checks": ["drift"]})
    >>> p.n_rows, p.columns["x"].logical
    (3, 'float')
    """
    suite = load_suite(suite)
    src = open_source(data, batch_rows=batch_rows)
    columns = schema_info(src.schema)
    reference = Metrics()
    ctx = Context(roles=suite.dataset, columns=columns, reference=reference, reference_columns=columns)
    units, _ = bind(suite, columns)
    units = [u for u in units if u.check.needs_reference]
    if not any(REGISTRY[c.name].needs_reference for c in suite.checks):
        from datacheck.errors import SuiteError

        shift = ", ".join(sorted(n for n, cls in REGISTRY.items() if cls.needs_reference))
        raise SuiteError(
            f"the suite has no shift check, so its profile would hold nothing to compare with; a "
            f"profile serves the checks that compare with a reference ({shift})",
            source=suite.source,
            line=suite.line_of(("checks",)),
        )

    def resolve(_cur: set, ref: set) -> bool:  # without a pass: the row count, column rounds
        counted = rows_held(src, ref, reference)
        return column_rounds(src, ref, partial(ask_column, units, ctx, reference=True)) or counted

    fold_passes(
        units,
        ctx,
        lambda _cur, ref: reference.update(*fold(src, ref)),
        first_reference=(RowCount(),),
        current=False,
        resolve=resolve,
    )
    forget(src)  # the sorted columns kept between passes
    n_rows = reference.found.get(RowCount(), src.num_rows or 0)
    return Profile(
        metrics=reference,
        schema=src.schema,
        n_rows=n_rows,
        source=src.description,
        suite_name=suite.name,
        suite_hash=_suite_hash(suite),
        datacheck_version=__version__,
        created_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    )
