"""Bind a suite to a schema, and gather what the checks need into as few passes as possible.

Binding resolves every check's column selector against the data's schema before any data is
read. Planning asks every bound check what it needs; the union (deduplicated: two checks asking
for the same kernel share it) is folded in one pass. Checks are asked again with the new metrics;
only checks whose next step depends on the first pass (exact quantiles from a sketch's brackets,
counts beyond fences) add a second or third pass, and only for the columns concerned.

Examples
--------
>>> import pyarrow as pa
>>> from datacheck.suite import load_suite
>>> from datacheck.context import schema_info
>>> suite = load_suite({"name": "s", "checks": [{"outliers": {"columns": "numeric"}}]})
>>> units, problems = bind(suite, schema_info(pa.schema([("a", pa.float64()), ("b", pa.string())])))
>>> [(u.check.name, u.column) for u in units], problems
([('outliers', 'a')], [])
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from datacheck.checks import REGISTRY, Check, OnReference
from datacheck.context import ColumnInfo, Context, InternalFailure, MetricUnavailable
from datacheck.kernels.base import Kernel
from datacheck.kernels.counts import RowCount
from datacheck.params import KEYWORD_TYPES, keyword_columns
from datacheck.result import Result
from datacheck.suite import Suite

__all__ = ["Unit", "bind", "collect_needs", "fold_passes", "evaluation_order", "KEYWORD_TYPES", "MAX_PASSES"]

#: most passes over the data one run (or profile) makes; a check asking beyond this is a bug
MAX_PASSES = 6


@dataclass
class Unit:
    """One check applied to one column (or to the table when ``column`` is None)."""

    check: Check
    column: Any
    done: bool = False
    error: str | None = None
    needs: set = field(default_factory=set)


def _missing_column_result(check: Check, column: str, columns: dict[str, ColumnInfo], suite: Suite) -> Result:
    close = difflib.get_close_matches(column, list(columns), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    line = check.spec.line
    where = f"{suite.source}:{line}" if line else suite.source
    return check.error(column, f"column {column!r} is not in the data{hint} [{where}: {check.spec.path}.columns]")


def _role_columns(roles: Any, keep: tuple[str, ...]) -> set[str]:
    """Columns with a role (label, prediction, scores, id) that a type keyword leaves out.

    A type keyword (``numeric``, ``*``, ...) selects features: a 0/1 label is not a numeric feature
    with outliers, and an id is not a category that drifts. A check that has a use for a role
    column under a keyword says so in ``Check.keyword_roles``; naming a column always selects it.
    """
    found = {"label": [roles.label], "prediction": [roles.prediction], "id": [roles.id], "scores": list(roles.scores)}
    return {c for role, cols in found.items() if role not in keep for c in cols if c}


def bind(suite: Suite, columns: dict[str, ColumnInfo]) -> tuple[list[Unit], list[Result]]:
    """Resolve each check's columns. Returns the units to run and ``error`` results for the rest."""
    units: list[Unit] = []
    problems: list[Result] = []
    roles = suite.dataset
    for name, role_cols in (
        ("label", [roles.label]),
        ("prediction", [roles.prediction]),
        ("id", [roles.id]),
        ("scores", list(roles.scores)),
        ("protected", list(roles.protected)),
    ):
        for c in role_cols:
            if c and c not in columns:
                close = difflib.get_close_matches(c, list(columns), n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                line = suite.line_of(("dataset", name))
                problems.append(
                    Result(
                        check="dataset",
                        column=c,
                        severity="error",
                        status="error",
                        message=f"dataset.{name} names column {c!r}, which is not in the data{hint}"
                        f" [{suite.source}{':' + str(line) if line else ''}]",
                    )
                )
    for spec in suite.checks:
        check = REGISTRY[spec.name](spec)
        if not check.per_column:
            units.append(Unit(check, None))
            continue
        sel = spec.params.get("columns", check.default_columns)
        exclude = set(spec.params.get("exclude") or ())
        accepted = check.column_types
        chosen: list[Any] = []
        if isinstance(sel, str) and sel in KEYWORD_TYPES:
            logical = {c: info.logical for c, info in columns.items()}
            skip = exclude | _role_columns(roles, check.keyword_roles)
            chosen = [c for c in keyword_columns(sel, logical, skip=skip) if accepted is None or logical[c] in accepted]
        else:
            names = [sel] if isinstance(sel, str) else list(sel)
            for c in names:
                if c in exclude:
                    continue
                if isinstance(c, tuple):
                    chosen.append(c)
                    continue
                if c not in columns:
                    problems.append(_missing_column_result(check, c, columns, suite))
                    continue
                if accepted is not None and columns[c].logical not in accepted:
                    problems.append(
                        check.error(
                            c,
                            f"{spec.name} needs a column of type {' or '.join(accepted)}; column {c!r} is "
                            f"{columns[c].logical} ({columns[c].type}) [{spec.path}.columns]",
                        )
                    )
                    continue
                chosen.append(c)
        check.bound_columns = list(chosen)  # siblings, for checks that correct across columns (BH)
        units.extend(Unit(check, c) for c in chosen)
    _share_alpha({u.check for u in units})
    return units, problems


def _share_alpha(checks: set[Check]) -> None:
    """Split the default false-alarm budget evenly over the shift checks that leave ``alpha`` unset."""
    sharing = [c for c in checks if c.needs_reference and "alpha" in c.params and c.p.get("alpha") is None]
    for c in sharing:
        c.alpha_share = len(sharing)


def collect_needs(units: list[Unit], ctx: Context) -> tuple[set[Kernel], set[Kernel]]:
    """Ask every unfinished unit what it needs now; return (current, reference) kernels still missing."""
    cur: set[Kernel] = set()
    ref: set[Kernel] = set()
    for u in units:
        if u.done:
            continue
        try:
            reqs = list(u.check.requires(u.column, ctx))
        except MetricUnavailable as exc:
            reason = exc.args[0] if exc.args else ""
            u.done, u.error = True, reason if isinstance(reason, InternalFailure) else str(exc)
            continue
        except Exception as exc:  # a check's own bug must not stop the run
            u.done, u.error = True, InternalFailure(f"{type(exc).__name__}: {exc}")
            continue
        missing = False
        for r in reqs:
            if isinstance(r, OnReference):
                if ctx.reference is not None and r.kernel not in ctx.reference:
                    ref.add(r.kernel)
                    missing = True
            elif r not in ctx.current:
                cur.add(r)
                missing = True
        if not missing:
            u.done = True
    return cur, ref


def rows_held(source: Any, kernels: set[Kernel], store: Any) -> bool:
    """Put the row count of a source that knows it (``Source.rows_known``: a table, Parquet footers)
    into ``store`` when ``kernels`` ask for it, without a pass (a pass for nothing but the row count
    would read the data once more for a number the source holds). Returns whether it did."""
    if RowCount() in kernels and getattr(source, "rows_known", False) and RowCount() not in store:
        store.update({RowCount(): source.num_rows}, {})
        return True
    return False


def ask_column(units: list[Unit], ctx: Context, name: str, values: dict, failures: dict, *, reference: bool) -> set:
    """The ``again`` of the column rounds (``engines.local.column_rounds``): store one column's
    values and failures on its side and ask the units bound to that column what they need next
    there (the global loop, :func:`fold_passes`, asks everyone else later)."""
    store = ctx.require_reference() if reference else ctx.current
    store.update(values, failures)
    cur, ref = collect_needs([u for u in units if not u.done and u.column == name], ctx)
    return ref if reference else cur


def fold_passes(
    units: list[Unit],
    ctx: Context,
    fold: Callable[[set[Kernel], set[Kernel]], None],
    *,
    first: tuple[Kernel, ...] = (),
    first_reference: tuple[Kernel, ...] = (),
    current: bool = True,
    max_passes: int = MAX_PASSES,
    resolve: Callable[[set[Kernel], set[Kernel]], bool] | None = None,
) -> int:
    """The one pass loop: ask the units what they need, fold it, ask again, until nothing new is asked.

    ``fold(current_kernels, reference_kernels)`` folds one pass and updates ``ctx``. ``first`` /
    ``first_reference`` join the first pass. With ``current=False`` (:func:`datacheck.profile`,
    which folds data as a reference) what the checks ask of the current data is not collected.
    ``resolve(current_kernels, reference_kernels)``, when given, may compute some of them without a
    pass (:meth:`Kernel.whole` on data held in memory) and put them in ``ctx``; it returns whether
    it did, and the units are then asked again before the pass is folded.
    Returns the number of passes; units still asking after ``max_passes`` end with an error.
    """
    passes = 0
    extra_cur, extra_ref = set(first), set(first_reference)
    resolved = 0
    while True:
        cur, ref = collect_needs(units, ctx)
        # the extras too are asked only while the context lacks them (``resolve`` may give them)
        cur = (cur | {k for k in extra_cur if k not in ctx.current}) if current else set()
        ref |= {k for k in extra_ref if ctx.reference is None or k not in ctx.reference}
        if not cur and not ref:
            return passes
        if resolve is not None and resolved < max_passes and resolve(cur, ref):
            resolved += 1  # (bounded like the passes: a check asking for ever more cannot loop)
            continue  # some were computed without a pass: ask again, so what follows joins this pass
        extra_cur, extra_ref = set(), set()
        if passes >= max_passes:  # pragma: no cover - a check asking forever is a bug
            for u in units:
                if not u.done:
                    u.done, u.error = True, f"still needed data after {max_passes} passes"
            return passes
        fold(cur, ref)
        passes += 1


def evaluation_order(units: list[Unit]) -> list[Unit]:
    """``units`` in the order to evaluate them: every producer of an artifact (``Check.produces``)
    before the units that consume it (``Check.consumes``), otherwise in suite order.

    A unit whose consumed key has no producer in the suite keeps its place (it then finds no
    artifact and says so); a cycle of declarations falls back to suite order for the units in it.

    >>> from types import SimpleNamespace as NS
    >>> a = Unit(NS(produces=(), consumes=("k",)), None)
    >>> b = Unit(NS(produces=("k",), consumes=()), None)
    >>> evaluation_order([a, b]) == [b, a]
    True
    """
    producers: dict[str, list[int]] = {}
    for i, u in enumerate(units):
        for key in getattr(u.check, "produces", ()):
            producers.setdefault(key, []).append(i)
    after = {
        i: {j for key in getattr(u.check, "consumes", ()) for j in producers.get(key, ()) if j != i}
        for i, u in enumerate(units)
    }
    order: list[int] = []
    placed: set[int] = set()
    while len(order) < len(units):
        ready = [i for i in range(len(units)) if i not in placed and after[i] <= placed]
        if not ready:  # a cycle: the first unplaced unit goes next
            ready = [min(set(range(len(units))) - placed)]
        order.append(ready[0])
        placed.add(ready[0])
    return [units[i] for i in order]
