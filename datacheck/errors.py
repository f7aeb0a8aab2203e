"""The errors datacheck raises.

Every error a user can cause derives from :class:`DatacheckError`, so a pipeline can catch one
type. Messages name the suite file and path, the column or the file at fault.

Examples
--------
>>> from datacheck.errors import SuiteError
>>> str(SuiteError("must be a number in [0, 1]; got 1.5", source="s.yaml", path="checks[0].missing.max_fraction", line=7))
's.yaml:7: checks[0].missing.max_fraction must be a number in [0, 1]; got 1.5'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

__all__ = ["DatacheckError", "SuiteError", "DataError", "ValidationFailed"]


class DatacheckError(Exception):
    """Base class of every error datacheck raises on bad input."""


class SuiteError(DatacheckError, ValueError):
    """A suite is malformed: unknown key, wrong type, impossible threshold, unknown column.

    Parameters
    ----------
    message : str
        What is wrong, phrased to follow the path (``"must be ...; got ..."``).
    source : str, optional
        The suite file (or ``"<dict>"``).
    path : str, optional
        The path inside the suite, e.g. ``checks[2].missing.max_fraction``.
    line : int, optional
        1-based line in the suite file, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        path: str | None = None,
        line: int | None = None,
        problems: list[SuiteError] | None = None,
    ) -> None:
        self.reason = message
        self.source = source
        self.path = path
        self.line = line
        self.problems = problems or []
        super().__init__(self._format())

    def _format(self) -> str:
        if self.problems:
            head = f"{len(self.problems)} problems in suite {self.source or '<dict>'}:"
            return "\n".join([head] + [f"  - {p}" for p in self.problems])
        where = self.source or "<suite>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        if self.path:
            return f"{where}: {self.path} {self.reason}"
        return f"{where}: {self.reason}"


class DataError(DatacheckError, ValueError):
    """The data cannot be read or has a shape datacheck cannot work with.

    Examples: a path that does not exist, a corrupt Parquet file, duplicate column names.
    """


class _FailedRun(Protocol):
    """What :class:`ValidationFailed` reads of a :class:`datacheck.Report` (errors sit below the report)."""

    @property
    def suite_name(self) -> str: ...
    @property
    def failures(self) -> Sequence[Any]: ...


class ValidationFailed(DatacheckError):
    """Raised by :meth:`datacheck.Report.raise_for_status` when an error-severity check failed.

    The report is attached as ``.report`` so a pipeline can log or store it.
    """

    def __init__(self, report: _FailedRun) -> None:
        self.report: Any = report  # the datacheck.Report (typed loosely: errors sit below the report)
        failed = list(report.failures)
        names = ", ".join(sorted({f"{r.check}({r.column})" if r.column else r.check for r in failed})[:10])
        super().__init__(
            f"suite {report.suite_name!r} failed: {len(failed)} error-severity result(s) failed"
            + (f": {names}" if names else "")
        )
