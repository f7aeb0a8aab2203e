"""Every column a suite names, wherever it names it: roles, selectors and inside parameters.

``datacheck validate-suite SUITE --data FILE`` uses this to bind a suite to a dataset's schema
without reading rows: a column required by the ``schema`` check, a bias attribute, a slice's
``by`` column or a ``bins`` mapping key that is not in the data is reported with the suite line,
before a run fails on it.

Which parameters name columns is read from the checks' :class:`~datacheck.params.Param`
declarations (kinds ``column`` and ``columns``) plus the parameter names that hold column names by
convention (:data:`COLUMN_PARAMS`), so a new check that follows the conventions is covered.

Examples
--------
>>> from datacheck.suite import load_suite
>>> suite = load_suite({"name": "s", "checks": [{"schema": {"columns": {"a": "integer", "b": "string"}}}]})
>>> [(n.path, n.column) for n in named_columns(suite)]
[('checks[0].schema.columns', 'a'), ('checks[0].schema.columns', 'b')]
>>> [p for p in missing_columns(suite, ["a"])]
["<dict>: checks[0].schema.columns names column 'b', which is not in the data"]
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from datacheck.checks import REGISTRY
from datacheck.params import COLUMN_KEYWORDS
from datacheck.suite import Suite

__all__ = ["NamedColumn", "named_columns", "missing_columns", "COLUMN_PARAMS", "COLUMN_KEY_PARAMS"]

#: parameters whose value is a column name or a list of them (nested lists are crosses/keys)
COLUMN_PARAMS = frozenset(
    {"columns", "attributes", "missingness_columns", "slices", "features", "by", "label", "prediction", "scores"}
)
#: parameters that may be a mapping keyed by column name (``bins: {age: [..]}``)
COLUMN_KEY_PARAMS = frozenset({"bins", "columns"})


@dataclass(frozen=True)
class NamedColumn:
    """A column named by a suite: where (suite path and line) and which column."""

    path: str
    column: str
    line: int | None = None


def _names(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if value not in COLUMN_KEYWORDS:
            yield value
    elif isinstance(value, dict):
        yield from (k for k in value if isinstance(k, str))
    elif isinstance(value, (list, tuple)):
        for v in value:
            if isinstance(v, (list, tuple)):
                yield from (x for x in v if isinstance(x, str))
            elif isinstance(v, str):
                yield v


def named_columns(suite: Suite, *, beyond_binding: bool = False) -> list[NamedColumn]:
    """Every (suite path, column) the suite names: dataset roles and every check's column parameters.

    Parameters
    ----------
    suite : Suite
        A loaded suite.
    beyond_binding : bool
        Only the names :func:`datacheck.plan.bind` does not check itself (it checks the dataset roles
        and the ``columns`` selector of per-column checks).

    Returns
    -------
    list of NamedColumn
        In suite order; keyword selectors (``"*"``, ``numeric``, ...) name no column.
    """
    out: list[NamedColumn] = []
    roles = suite.dataset
    for role in () if beyond_binding else ("label", "prediction", "id"):
        c = getattr(roles, role)
        if c:
            out.append(NamedColumn(f"dataset.{role}", c, suite.line_of(("dataset", role))))
    for role in () if beyond_binding else ("scores", "protected"):
        for c in getattr(roles, role):
            out.append(NamedColumn(f"dataset.{role}", c, suite.line_of(("dataset", role))))
    for spec in suite.checks:
        cls = REGISTRY[spec.name]
        for key, value in spec.params.items():
            if value is None:
                continue
            declared = cls.params.get(key)
            kind = declared.kind if declared is not None else None
            is_columns = kind in ("column", "columns") or key in COLUMN_PARAMS
            if key == "exclude" or not is_columns and key not in COLUMN_KEY_PARAMS:
                continue
            if beyond_binding and key == "columns" and cls.per_column:
                compound = [v for v in ([value] if isinstance(value, str) else value) if isinstance(v, (list, tuple))]
                if not compound:
                    continue
                value = compound  # bind passes compound keys through unchecked: check their members here
            if key in COLUMN_KEY_PARAMS and not is_columns and not isinstance(value, dict):
                continue  # bins: 4 or a list of edges names no column
            line = suite.line_of(("checks", spec.index, spec.name, key))
            for c in _names(value):
                out.append(NamedColumn(f"{spec.path}.{key}", c, line))
    return out


def missing_columns(suite: Suite, columns: Iterable[str], *, beyond_binding: bool = False) -> list[str]:
    """Messages for every column the suite names that is not among ``columns`` (one per name and place).

    ``beyond_binding=True`` leaves out what :func:`datacheck.plan.bind` reports itself.

    Examples
    --------
    >>> from datacheck.suite import load_suite
    >>> s = load_suite({"name": "s", "dataset": {"protected": ["sex"]}, "checks": ["duplicates"]})
    >>> missing_columns(s, ["Sex"])
    ["<dict>: dataset.protected names column 'sex', which is not in the data (did you mean 'Sex'?)"]
    """
    present = list(columns)
    have = set(present)
    out: list[str] = []
    seen: set[tuple[str, str]] = set()
    for n in named_columns(suite, beyond_binding=beyond_binding):
        if n.column in have or (n.path, n.column) in seen:
            continue
        seen.add((n.path, n.column))
        close = difflib.get_close_matches(n.column, present, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        where = f"{suite.source}:{n.line}" if n.line else suite.source
        out.append(f"{where}: {n.path} names column {n.column!r}, which is not in the data{hint}")
    return out
