"""What a check sees while planning and judging: the schema, the roles, and metrics so far.

Examples
--------
>>> m = Metrics({"k": 1}, {"bad": "ValueError: x"})
>>> m["k"]
1
>>> m["bad"]
Traceback (most recent call last):
...
datacheck.context.MetricUnavailable: ValueError: x
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from datacheck.kernels.base import logical_type
from datacheck.spec import Roles

__all__ = ["Metrics", "MetricUnavailable", "InternalFailure", "ColumnInfo", "Context"]


class MetricUnavailable(Exception):
    """A metric a check needs could not be computed; the check's result becomes ``error``."""


class InternalFailure(str):
    """The text of an exception nobody wrote for a reader (a kernel or a check raised).

    It travels as a plain string (through ``Metrics.failures`` and ``Unit.error``) but is never
    shown as a check's message: the result says in words what could not be judged and keeps this
    text in ``details["internal_error"]`` for a bug report.
    """


class Metrics(Mapping):
    """Kernel -> finalized value, plus the kernels that failed and why.

    ``found`` holds the values (named so as not to hide ``Mapping.values()``), ``failures`` the reasons.
    """

    def __init__(self, values: dict | None = None, failures: dict | None = None) -> None:
        self.found: dict = dict(values or {})
        self.failures: dict = dict(failures or {})

    def __contains__(self, key: object) -> bool:
        return key in self.found or key in self.failures

    def __getitem__(self, key: Any) -> Any:
        if key in self.found:
            return self.found[key]
        if key in self.failures:
            raise MetricUnavailable(self.failures[key])
        raise KeyError(key)

    def __iter__(self):
        return iter(self.found)

    def __len__(self) -> int:
        return len(self.found)

    def update(self, values: dict, failures: dict) -> None:
        self.found.update(values)
        self.failures.update(failures)


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    type: pa.DataType
    logical: str

    @property
    def numeric(self) -> bool:
        return self.logical in ("integer", "float")


def schema_info(schema: pa.Schema) -> dict[str, ColumnInfo]:
    return {f.name: ColumnInfo(f.name, f.type, logical_type(f.type)) for f in schema}


@dataclass
class Context:
    """The run's state as checks see it.

    Attributes
    ----------
    roles : Roles
        The suite's column roles (its ``dataset`` block).
    columns : dict of str to ColumnInfo
        The current data's columns.
    current : Metrics
        Metrics of the current data computed so far.
    reference : Metrics or None
        Metrics of the reference data (or of a saved profile), when one was given.
    reference_columns : dict of str to ColumnInfo or None
    n_rows : int or None
        Row count of the current data once known.
    """

    roles: Roles
    columns: dict[str, ColumnInfo]
    current: Metrics = field(default_factory=Metrics)
    reference: Metrics | None = None
    reference_columns: dict[str, ColumnInfo] | None = None
    row_labels: Callable | None = None
    #: the run's progress-bar choice (True/False; None: only on a terminal), for checks with long work
    progress: bool | None = None
    options: dict[str, Any] = field(default_factory=dict)
    #: values one check leaves for a later one in the same run (e.g. the label-errors check's
    #: out-of-fold predictions, read by worst_slices); keys are "<check>.<name>"
    artifacts: dict[str, Any] = field(default_factory=dict)

    @property
    def has_reference(self) -> bool:
        return self.reference is not None

    def require_reference(self) -> Metrics:
        """The reference's metrics, for checks that need a reference. The runner skips those checks
        when none was given, so the error is for a caller that judges one without a reference."""
        if self.reference is None:
            raise MetricUnavailable("no reference data or profile was given")
        return self.reference

    def label_rows(self, positions) -> list:
        """Row labels for evidence: the pandas index labels when the data had a custom index."""
        positions = [int(p) for p in positions]
        if self.row_labels is None:
            return positions
        return [plain(v) for v in self.row_labels(positions)]


def plain(v: Any) -> Any:
    """A numpy scalar as the Python value (for reports); anything else unchanged."""
    return v.item() if hasattr(v, "item") else v
