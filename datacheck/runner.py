"""``datacheck.run``: suite + data (+ reference) -> Report, in as few passes as the checks allow.

Examples
--------
>>> import pandas as pd, datacheck
>>> df = pd.DataFrame({"age": [25, 32, 47, -1], "sex": ["F", "M", "F", "?"]})
>>> suite = {"name": "people", "checks": [
...     {"range": {"columns": "age", "min": 0, "max": 120}},
...     {"missing": {"columns": "sex", "max_fraction": 0.0}}]}
>>> report = datacheck.run(df, suite)
>>> report.passed, [(r.check, r.status) for r in report.results]
(False, [('range', 'fail'), ('missing', 'pass'), ('missing', 'fail')])

``missing`` gives two results for ``sex``: real missing values (none) and disguised ones (``'?'``).
"""

from __future__ import annotations

import datetime as _dt
import os
import time
from collections.abc import Mapping
from functools import partial
from typing import Any

from datacheck._version import __version__
from datacheck.context import Context, InternalFailure, Metrics, MetricUnavailable, schema_info
from datacheck.engines.base import DEFAULT_BATCH_ROWS, Source
from datacheck.engines.local import column_rounds, fold, forget
from datacheck.engines.opener import open_source
from datacheck.kernels.counts import RowCount
from datacheck.plan import MAX_PASSES, Unit, ask_column, bind, evaluation_order, fold_passes, rows_held
from datacheck.progress import bar
from datacheck.progress import shown as show_progress
from datacheck.report import Report
from datacheck.result import Result
from datacheck.suite import Suite, load_suite

__all__ = ["run", "MAX_PASSES"]


def _version() -> str:
    return __version__


def _is_profile(path: Any) -> bool:
    from datacheck.engines.files import is_profile  # (file readers: only for paths)

    return is_profile(path)


def _open_reference(reference: Any, batch_rows: int) -> tuple[Source | None, Metrics | None, Any]:
    """A reference is data (opened as a Source) or a saved profile (already metrics)."""
    if reference is None:
        return None, None, None
    as_metrics = getattr(reference, "as_metrics", None)
    if callable(as_metrics):
        return None, as_metrics(), reference
    if isinstance(reference, (str, os.PathLike)) and (
        os.fspath(reference).endswith(".profile.json") or _is_profile(reference)
    ):  # told from the content too
        from datacheck.profiles import Profile  # the shift issue's saved reference statistics

        prof = Profile.load(reference)
        return None, prof.as_metrics(), prof
    src = open_source(reference, batch_rows=batch_rows)
    return src, Metrics(), src


def run(
    data: Any,
    suite: str | Mapping[str, Any] | Suite,
    *,
    reference: Any = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    options: Mapping[str, Any] | None = None,
    progress: bool | None = None,
) -> Report:
    """Validate ``data`` against ``suite`` and return a :class:`~datacheck.Report`.

    Parameters
    ----------
    data : pandas.DataFrame, pyarrow.Table, polars.DataFrame, or path
        A Parquet file, a directory of Parquet files, or a CSV file; paths are streamed batch by
        batch with bounded memory.
    suite : path, dict or Suite
        See the README for the format; validated before any data is read.
    reference : data, path or Profile, optional
        Training / reference data for shift checks, or a profile saved by :func:`datacheck.profile`.
    batch_rows : int
        Rows per batch when streaming.
    options : dict, optional
        Python-only objects for checks (for example ``{"label_errors": {"estimator": clf}}``).
    progress : bool or None
        A progress bar over the passes and their batches (rows of both sides). None (default):
        only when stderr is a terminal and ``DATACHECK_PROGRESS`` is not ``0``.

    Returns
    -------
    Report

    Raises
    ------
    SuiteError
        The suite is malformed (before any data is read).
    DataError
        The data cannot be read.

    Examples
    --------
    >>> import pandas as pd, datacheck
    >>> datacheck.run(pd.DataFrame({"x": [1, 2]}), {"name": "s", "checks": ["duplicates"]}).passed
    True
    """
    t0 = time.perf_counter()
    started = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    suite = load_suite(suite)
    if not suite.checks:  # a run that judges nothing must not read as "passed"
        from datacheck.errors import SuiteError

        raise SuiteError(
            "the suite has no checks, so a run would judge nothing; add at least one check "
            "(`datacheck checks` lists them)",
            source=suite.source,
            line=suite.line_of(("checks",)),
        )
    src = open_source(data, batch_rows=batch_rows)
    ref_src, ref_metrics, ref_obj = _open_reference(reference, batch_rows)
    ctx = Context(
        roles=suite.dataset,
        columns=schema_info(src.schema),
        row_labels=src.row_labels,
        reference=ref_metrics,
        options=dict(options or {}),
        progress=progress,
    )
    if ref_src is not None:
        ctx.reference_columns = schema_info(ref_src.schema)
    elif ref_obj is not None:
        ctx.reference_columns = getattr(ref_obj, "columns", None)

    units, results = bind(suite, ctx.columns)
    skipped: list[Unit] = []
    for u in units:
        if u.check.needs_reference and ctx.reference is None:
            u.done = True
            skipped.append(u)

    passes_done = 0
    column_read = False  # whether the column-at-a-time rounds read the data (counted as one pass)

    def fold_pass(cur: set, ref: set) -> None:
        nonlocal passes_done
        rows = (src.num_rows or 0) * bool(cur) + ((ref_src.num_rows or 0) if ref and ref_src is not None else 0)
        show = bar(
            total=rows or None, desc=f"datacheck pass {passes_done + 1}", unit="row", unit_scale=True, enabled=progress
        )
        if ref and ref_src is None:  # reference kernels are collected only when there is a reference
            ctx.require_reference().update(
                {},
                {
                    k: "the reference profile does not hold this statistic; save the profile again with this suite"
                    for k in ref
                },
            )
        # the two sides one after the other: folding them at the same time measured no faster on two
        # shared cores and held ~190 MiB more at 1M rows (two folds' batches and temporaries at once)
        with show:
            if ref and ref_src is not None:
                ctx.require_reference().update(*_fold(ref_src, ref, show))
            if cur:
                ctx.current.update(*_fold(src, cur, show))
        passes_done += 1

    def resolve(cur: set, ref: set) -> bool:
        """Kernels of one column that a source holds in memory (or reads one column at a time) are
        computed a column at a time, round after round while the column is held, before any pass:
        the reference's edges then its bin counts, the current data's summary then its exact
        quartiles. The passes read only what is left (several columns at once, or no column whole)."""
        nonlocal column_read
        got = False
        for side, source, kernels, store in (
            ("reference", ref_src, ref, ctx.reference),
            ("current", src, cur, ctx.current),
        ):
            if not kernels or source is None or store is None:
                continue
            got |= rows_held(source, kernels, store)
            holds = getattr(source, "whole_column", None) is not None  # a bar only where columns can be held
            with bar(desc=f"datacheck columns ({side})", unit="column", enabled=progress if holds else False) as show:
                read = column_rounds(
                    source,
                    kernels,
                    partial(ask_column, units, ctx, reference=side == "reference"),
                    progress=show if show_progress(show) else None,
                )
            column_read |= read
            got |= read
        return got

    passes = fold_passes(
        units,
        ctx,
        fold_pass,
        first=(RowCount(),),
        first_reference=(RowCount(),) if ref_src is not None else (),
        resolve=resolve,
    ) + int(column_read)
    for source in (src, ref_src):  # the sorted columns kept between passes
        if source is not None:
            forget(source)

    # producers of ctx.artifacts before their consumers; results stay in suite order
    by_unit = {id(u): _evaluate(u, ctx, u in skipped) for u in evaluation_order(units)}
    for u in units:
        results.extend(by_unit[id(u)])

    n_rows = ctx.current.found.get(RowCount(), src.num_rows or 0)
    ref_rows = None
    if ctx.reference is not None:
        ref_rows = ctx.reference.found.get(RowCount(), getattr(ref_obj, "n_rows", None))
    report = Report(
        suite_name=suite.name,
        results=results,
        source=src.description,
        n_rows=int(n_rows or 0),
        n_columns=len(src.schema),
        reference=None if ref_obj is None else getattr(ref_obj, "description", str(ref_obj)),
        reference_rows=ref_rows,
        duration_s=time.perf_counter() - t0,
        passes=passes,
        started_at=started,
        version=_version(),
        suite_source=suite.source,
        notes=list(src.notes),
    )
    return report


def _fold(source: Source, kernels: set, show: Any):
    """``fold`` with the progress bar only when one is shown (the plain two-argument call otherwise)."""
    if show_progress(show):
        return fold(source, kernels, progress=show)
    return fold(source, kernels)


def _evaluate(u: Unit, ctx: Context, skipped: bool) -> list[Result]:
    check = u.check
    if skipped:
        return [check.skipped(u.column, f"{check.name} compares with a reference; none was given (pass reference=)")]
    if isinstance(u.error, InternalFailure):
        return [_internal(u, ctx, u.error)]
    if u.error is not None:
        return [check.error(u.column, f"could not compute what {check.name} needs: {u.error}")]
    try:
        out = check.evaluate(u.column, ctx)
    except MetricUnavailable as exc:
        reason = exc.args[0] if exc.args else ""
        if isinstance(reason, InternalFailure):
            return [_internal(u, ctx, reason)]
        return [check.error(u.column, f"could not compute what {check.name} needs: {exc}")]
    except Exception as exc:
        return [_internal(u, ctx, InternalFailure(f"{type(exc).__name__}: {exc}"))]
    return out if isinstance(out, list) else [out]


def _internal(u: Unit, ctx: Context, reason: str) -> Result:
    """An ``error`` result in words for a check that raised; the exception text goes in details."""
    check, col = u.check, u.column
    info = ctx.columns.get(col) if isinstance(col, str) else None
    what = (
        f"column {col!r}" + (f" ({info.logical}, {info.type})" if info is not None else "")
        if col is not None
        else "this data"
    )
    r = check.error(
        col,
        f"{check.name} could not judge {what}: its values are of a kind this check cannot "
        f"handle yet. Leave the column out of the check (exclude:) or convert it to a plain "
        f"type; if the data looks ordinary, please report it as a datacheck bug",
    )
    r.details["internal_error"] = str(reason)[:2000]
    return r
