"""One verdict as a value: what a check returns.

:class:`Result` is what every check builds; :func:`jsonable` turns the values it holds into plain
JSON. Both sit at the bottom of the package (checks, the planner and the runner read them); the
report that collects results and draws, exports and renders them is :mod:`datacheck.report`.

Examples
--------
>>> r = Result("missing", "age", "error", "pass", observed={"fraction": 0.0})
>>> r.failed, r.to_dict()["observed"]
(False, {'fraction': 0.0})
>>> jsonable({"x": float("nan"), "n": 3})
{'x': None, 'n': 3}
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Result", "REPORT_SCHEMA_VERSION", "STATUSES", "jsonable"]

REPORT_SCHEMA_VERSION = "1.0"
STATUSES = ("pass", "warn", "fail", "error", "skipped")


def jsonable(value: Any) -> Any:
    """Turn numpy, pandas and datetime values into plain JSON values (NaN and inf become None)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else None
    if type(value).__name__ in ("NaTType", "NAType") or (isinstance(value, np.datetime64) and np.isnat(value)):
        return None  # pandas.NaT, pandas.NA, numpy NaT: missing, like NaN
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()  # a date stays a date
    if type(value).__name__ == "Decimal":
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, (_dt.datetime, _dt.date, np.datetime64)):
        try:
            import pandas as pd

            return pd.Timestamp(value).isoformat()
        except Exception:  # pragma: no cover - exotic dates
            return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray) or (hasattr(value, "tolist") and hasattr(value, "__len__")):
        return [jsonable(v) for v in value.tolist()]  # arrays, pandas Series/Index
    if hasattr(value, "item") and callable(value.item):
        try:
            return jsonable(value.item())
        except Exception:  # pragma: no cover
            pass
    return str(value)


@dataclass
class Result:
    """One verdict: one check on one column (or on the table).

    Attributes
    ----------
    check : str
        The check's YAML name.
    column : str, tuple or None
        The column judged (a tuple for compound keys; None for table-level checks).
    severity : {'error', 'warn'}
    status : {'pass', 'warn', 'fail', 'error', 'skipped'}
        ``fail`` only for error severity; a failed warn-severity check has status ``warn``.
    observed : object
        The measured value (a number or a small mapping).
    expected : object
        The bound it was held to.
    message : str
        One sentence for people.
    evidence : object
        Bounded evidence: most extreme row ids with values, top offending values.
    method : str or None
        How it was computed (``exact``, ``exact quantiles (summary brackets refined in a second pass)``, ...).
    details : dict
        Summaries figures draw from (histogram counts, fences, group rates); bounded in size.
    """

    check: str
    column: Any
    severity: str
    status: str
    observed: Any = None
    expected: Any = None
    message: str = ""
    evidence: Any = None
    method: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    effect_size: float | None = None
    interval: tuple[float, float] | None = None
    p_value: float | None = None
    family: str = "integrity"
    check_index: int | None = None
    suite_path: str | None = None
    description: str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}; got {self.status!r}")

    @property
    def failed(self) -> bool:
        """True when this result makes the run fail (error severity, status fail or error)."""
        return self.severity == "error" and self.status in ("fail", "error")

    @property
    def column_label(self) -> str:
        if self.column is None:
            return ""
        if isinstance(self.column, (tuple, list)):
            return " + ".join(map(str, self.column))
        return str(self.column)

    def __repr__(self) -> str:
        where = f"[{self.column_label}]" if self.column is not None else ""
        msg = self.message if len(self.message) <= 100 else self.message[:99] + "…"
        return f"<Result {self.status.upper()} {self.check}{where} ({self.severity}): {msg}>"

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form of this result (schema ``REPORT_SCHEMA_VERSION``)."""
        return {
            "check": self.check,
            "family": self.family,
            "column": jsonable(self.column),
            "severity": self.severity,
            "status": self.status,
            "observed": jsonable(self.observed),
            "expected": jsonable(self.expected),
            "effect_size": jsonable(self.effect_size),
            "interval": jsonable(self.interval),
            "p_value": jsonable(self.p_value),
            "message": self.message,
            "method": self.method,
            "evidence": jsonable(self.evidence),
            "details": jsonable(self.details),
            "check_index": self.check_index,
            "suite_path": self.suite_path,
            "description": self.description,
        }
