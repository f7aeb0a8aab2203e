"""Saved reference profiles: the merged reference-side state a suite's shift checks need.

``datacheck.profile(train, suite)`` folds the training data once through the same planner loop
as :func:`datacheck.run` -- asking every shift check what it needs from the reference until
nothing new is asked -- and keeps the finished metrics. ``Profile.save`` writes them as JSON
(versioned; sketches, arrays and samples as base64 of their own binary formats: KLL bytes, raw
little-endian arrays, Arrow IPC). A profile is data: loading it never unpickles or imports
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
from typing import Any

import numpy as np
import pyarrow as pa

from datacheck._version import __version__
from datacheck.checks import REGISTRY
from datacheck.context import ColumnInfo, Context, Metrics, schema_info
from datacheck.engines.local import fold
from datacheck.engines.sources import DEFAULT_BATCH_ROWS, open_source
from datacheck.errors import DataError
from datacheck.kernels.counts import RowCount
from datacheck.kernels.quantiles import SketchValue
from datacheck.plan import bind, fold_passes
from datacheck.spec import Suite, load_suite

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
        return {"__kll__": _b64(v.serialize()), "k": v.k}
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
    if "__kll__" in v:
        return SketchValue.deserialize(_unb64(v["__kll__"]), int(v["k"]))
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
    ctx = Context(suite=suite, columns=columns, reference=reference, reference_columns=columns)
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
    fold_passes(
        units,
        ctx,
        lambda _cur, ref: reference.update(*fold(src, ref)),
        first_reference=(RowCount(),),
        current=False,
    )
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
