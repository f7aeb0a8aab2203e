"""Results as values, and the report that holds them.

The JSON form follows a versioned schema (``REPORT_SCHEMA_VERSION``); see ``docs/report-schema.md``.

Examples
--------
>>> import pandas as pd, datacheck
>>> df = pd.DataFrame({"x": [1.0, 2.0, None]})
>>> report = datacheck.run(df, {"name": "t", "checks": [{"missing": {"max_fraction": 0.5}}]})
>>> report.passed
True
>>> report.to_frame()[["check", "column", "status"]].iloc[0].tolist()
['missing', 'x', 'pass']
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from datacheck.errors import ValidationFailed
from datacheck.result import REPORT_SCHEMA_VERSION, STATUSES, Result, jsonable

__all__ = ["Result", "Report", "REPORT_SCHEMA_VERSION", "STATUSES", "jsonable"]


def _make_parent(path) -> None:
    """Create the directory a report file goes into, so ``to_json("out/r.json")`` just works."""
    import os

    parent = os.path.dirname(os.path.abspath(os.fspath(path)))
    os.makedirs(parent, exist_ok=True)


def _clip(text: str, n: int) -> str:
    """Text cut to ``n`` characters for the summary (values from data can be any length; the JSON
    keeps them whole)."""
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass
class Report:
    """The outcome of :func:`datacheck.run`.

    Attributes
    ----------
    suite_name : str
    results : list of Result
    source : str
        What the data was (a path, ``pandas.DataFrame``, ...).
    n_rows : int
    reference : str or None
        What the reference was, when one was given.
    duration_s : float
    passes : int
        How many times the run read the data: the column-at-a-time rounds count as one (each
        column read once), plus each pass over the rows.
    """

    suite_name: str
    results: list[Result]
    source: str = ""
    n_rows: int = 0
    n_columns: int = 0
    reference: str | None = None
    reference_rows: int | None = None
    duration_s: float = 0.0
    passes: int = 1
    started_at: str = ""
    version: str = ""
    suite_source: str | None = None
    notes: list[str] = field(default_factory=list)

    # -- verdicts -----------------------------------------------------------------------------
    @property
    def passed(self) -> bool:
        """False if any error-severity check failed or could not be evaluated."""
        return not any(r.failed for r in self.results)

    @property
    def failures(self) -> list[Result]:
        """Results that fail the run (error severity, status ``fail`` or ``error``)."""
        return [r for r in self.results if r.failed]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.status == "warn" or (r.status == "error" and r.severity == "warn")]

    def counts(self) -> dict[str, int]:
        """Number of results per status."""
        out = {s: 0 for s in STATUSES}
        for r in self.results:
            out[r.status] += 1
        return out

    def raise_for_status(self) -> Report:
        """Raise :class:`datacheck.ValidationFailed` (carrying this report) if the run failed."""
        if not self.passed:
            raise ValidationFailed(self)
        return self

    def select(self, check: str | None = None, column: Any = None, status: str | None = None) -> list[Result]:
        """Results filtered by check name, column and/or status."""
        return [
            r
            for r in self.results
            if (check is None or r.check == check)
            and (column is None or r.column == column)
            and (status is None or r.status == status)
        ]

    # -- serialisation ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The report as plain data, following ``docs/report-schema.md``."""
        return {
            "schema_version": REPORT_SCHEMA_VERSION,
            "datacheck_version": self.version,
            "suite": {"name": self.suite_name, "source": self.suite_source},
            "data": {"source": self.source, "rows": self.n_rows, "columns": self.n_columns},
            "reference": None if self.reference is None else {"source": self.reference, "rows": self.reference_rows},
            "started_at": self.started_at,
            "duration_s": round(self.duration_s, 4),
            "passes": self.passes,
            "passed": self.passed,
            "counts": self.counts(),
            "notes": list(self.notes),
            "results": [r.to_dict() for r in self.results],
        }

    def to_great_expectations(self, suite: Any = None) -> dict[str, Any]:
        """This report as a Great Expectations validation result dict; see
        :func:`datacheck.gx.report_to_great_expectations`."""
        from datacheck.gx import report_to_great_expectations

        return report_to_great_expectations(self, suite)

    def to_json(self, path: str | None = None, *, indent: int = 2) -> str:
        """Serialise to JSON; also write it to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)
        if path is not None:
            _make_parent(path)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        return text

    def to_frame(self):
        """Tidy pandas DataFrame: one row per result."""
        import pandas as pd

        rows = []
        for r in self.results:
            d = r.to_dict()
            d["column"] = r.column_label or None
            d.pop("details")
            rows.append(d)
        cols = [
            "check",
            "family",
            "column",
            "severity",
            "status",
            "observed",
            "expected",
            "effect_size",
            "interval",
            "p_value",
            "message",
            "method",
            "evidence",
            "check_index",
            "suite_path",
            "description",
        ]
        return pd.DataFrame(rows, columns=cols)

    def summary(self, *, max_lines: int = 40) -> str:
        """A readable text summary: the verdict, counts, then failures and warnings."""
        c = self.counts()
        verdict = "PASSED" if self.passed else "FAILED"
        lines = [
            f"datacheck {self.version} | suite {self.suite_name!r} | {self.source}",
            f"{self.n_rows:,} rows x {self.n_columns} columns"
            + (
                f" | reference {self.reference} ({self.reference_rows:,} rows)"
                if self.reference and self.reference_rows is not None
                else ""
            )
            + f" | {self.duration_s:.2f}s, {self.passes} pass(es)",
            f"{verdict}: " + ", ".join(f"{c[s]} {s}" for s in STATUSES if c[s]),
        ]
        order = {"fail": 0, "error": 1, "warn": 2}
        shown = sorted(
            (r for r in self.results if r.status in order), key=lambda r: (order[r.status], r.check_index or 0)
        )
        from datacheck.next_steps import next_step

        for r in shown[:max_lines]:
            where = f"[{_clip(r.column_label, 80)}]" if r.column is not None else ""
            lines.append(f"  {r.status.upper():5} {r.check}{where}: {_clip(r.message, 400)}")
            step = next_step(r)
            if step:
                lines.append(f"        next: {_clip(step, 400)}")
        if len(shown) > max_lines:
            lines.append(f"  ... {len(shown) - max_lines} more (see the JSON or HTML report)")
        advisory = sorted({r.check for r in self.results if r.status == "warn" and r.details.get("advisory")})
        if advisory:
            lines.append(
                f"  note: the warnings of {', '.join(advisory)} come from default thresholds, which describe the "
                "data and do not fail the run; set a threshold (or severity: error) in the suite to gate"
            )
        for n in self.notes:
            lines.append(f"  note: {_clip(n, 400)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        """One line: suite, verdict, counts and size (``print(report)`` gives the summary)."""
        c = self.counts()
        counts = (
            ", ".join(f"{c[s]} {s}" for s in ("fail", "error", "warn", "pass", "skipped") if c.get(s)) or "no results"
        )
        return (
            f"<datacheck.Report {self.suite_name!r}: {'passed' if self.passed else 'FAILED'} ({counts}); "
            f"{self.n_rows:,} rows x {self.n_columns} columns>"
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """Rebuild a report from :meth:`to_dict` output (or its JSON), e.g. to draw or render it later.

        Figures and the HTML report need only what the JSON holds, never the data.
        """
        results = []
        for d in data.get("results", []):
            col = d.get("column")
            interval = d.get("interval")
            results.append(
                Result(
                    check=d["check"],
                    column=tuple(col) if isinstance(col, list) else col,
                    severity=d.get("severity", "error"),
                    status=d["status"],
                    observed=d.get("observed"),
                    expected=d.get("expected"),
                    message=d.get("message", ""),
                    evidence=d.get("evidence"),
                    method=d.get("method"),
                    details=dict(d.get("details") or {}),
                    effect_size=d.get("effect_size"),
                    interval=tuple(interval) if isinstance(interval, list) else interval,
                    p_value=d.get("p_value"),
                    family=d.get("family", "integrity"),
                    check_index=d.get("check_index"),
                    suite_path=d.get("suite_path"),
                    description=d.get("description"),
                )
            )
        suite = data.get("suite") or {}
        src = data.get("data") or {}
        ref = data.get("reference") or {}
        return cls(
            suite_name=suite.get("name", ""),
            results=results,
            source=src.get("source", ""),
            n_rows=src.get("rows", 0) or 0,
            n_columns=src.get("columns", 0) or 0,
            reference=ref.get("source"),
            reference_rows=ref.get("rows"),
            duration_s=data.get("duration_s", 0.0) or 0.0,
            passes=1 if data.get("passes") is None else int(data["passes"]),
            started_at=data.get("started_at", ""),
            version=data.get("datacheck_version", ""),
            suite_source=suite.get("source"),
            notes=list(data.get("notes") or []),
        )

    @classmethod
    def from_json(cls, text_or_path: str) -> Report:
        """Rebuild a report from :meth:`to_json` output: a JSON string or the path of a JSON file."""
        text = text_or_path
        if not text_or_path.lstrip().startswith("{"):
            with open(text_or_path, encoding="utf-8") as fh:
                text = fh.read()
        return cls.from_dict(json.loads(text))

    # -- figures and HTML ---------------------------------------------------------------------
    def plot(self, name: str | None = None, ax=None):
        """Draw one registered figure (default: the status overview) and return its axes or figure.

        Parameters
        ----------
        name : str, optional
            A figure name from ``datacheck.figures.FIGURES`` (``status_overview``, ``missingness``,
            ``numeric_distributions``, ``skewness``, ``value_shares``, and those of other families).
        ax : matplotlib Axes, optional
            Where to draw; figures with several panels split this axes' area.
        """
        from datacheck.figures import FIGURES, _load_all

        _load_all()
        name = name or "status_overview"
        spec = FIGURES.get(name)
        if spec is None:
            raise ValueError(f"unknown figure {name!r}; known: {', '.join(sorted(FIGURES))}")
        if not spec.applies(self):
            raise ValueError(
                f"figure {name!r} has nothing to draw for this report "
                f"(it draws results of the {spec.family} family that are not in it)"
            )
        return spec.draw(self, ax=ax)

    def save_figures(
        self, directory: str, format: str = "png", *, dpi: int = 110, progress: bool | None = None
    ) -> list[str]:
        """Write every figure that applies to this report as ``<directory>/<figure name>.<format>``.

        Returns the paths written. ``format`` is ``"png"`` or ``"svg"``. A figure that fails to
        draw is skipped with a ``RuntimeWarning`` (the others are still written). ``progress``
        shows a bar over the figures drawn (None: only on a terminal).
        """
        from datacheck.html import draw_figures

        if format not in ("png", "svg"):
            raise ValueError(f"format must be 'png' or 'svg'; got {format!r}")
        os.makedirs(directory, exist_ok=True)
        paths = []
        for item in draw_figures(self, format=format, dpi=dpi, progress=progress):
            if item.data is None:
                continue
            path = os.path.join(directory, f"{item.name}.{format}")
            with open(path, "wb") as fh:
                fh.write(item.data)
            paths.append(path)
        return paths

    def to_html(self, path: str | None = None, *, figure_format: str = "png", progress: bool | None = None) -> str:
        """The self-contained HTML report (figures embedded, no network); written to ``path`` if given.

        ``progress`` shows a bar over the figures drawn (None: only on a terminal).
        """
        from datacheck.html import render

        text = render(self, figure_format=figure_format, progress=progress)
        if path is not None:
            _make_parent(path)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        return text

    def _repr_html_(self) -> str:
        try:
            from datacheck.html import render_compact
        except ImportError:  # pragma: no cover - html module missing
            pass
        else:
            return render_compact(self)
        e = html.escape
        rows = "".join(
            f"<tr><td>{e(r.check)}</td><td>{e(r.column_label)}</td><td>{e(r.status)}</td><td>{e(r.message)}</td></tr>"
            for r in self.results
        )
        return (
            f"<p><b>{e(self.suite_name)}</b>: {'passed' if self.passed else 'FAILED'}</p>"
            f"<table><tr><th>check</th><th>column</th><th>status</th><th>message</th></tr>{rows}</table>"
        )
