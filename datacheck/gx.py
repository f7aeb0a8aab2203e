"""Great Expectations interop: read a GX suite as a datacheck suite, write one back, and write a
datacheck report as a GX validation result.

The public face of :mod:`datacheck.gx_format` (the GX vocabulary, both ways): these functions
load suites (from a path, a dict or a :class:`~datacheck.Suite`) and read reports, which the
format module below the suite loader cannot. ``great_expectations`` itself is not imported here
(it is needed only to run GX, which the tests do to prove agreement).

Nothing is dropped silently. An expectation with no datacheck equivalent, one with a
``row_condition``, and one using a suite parameter (``{"$PARAMETER": ...}``) make the import fail
with one message listing each and why (or, with ``unmapped="warn"``, they are left out with a
warning that lists them, and the suite's description says so). Checks GX cannot express (drift,
bias, label errors, slices, ...) are listed in the exported suite's ``meta`` and in a warning.

Examples
--------
>>> gx_suite = {"name": "s", "expectations": [
...     {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "age", "mostly": 0.99}},
...     {"type": "expect_column_values_to_be_between", "kwargs": {"column": "age", "min_value": 0, "max_value": 120},
...      "severity": "warning"}]}
>>> suite = from_great_expectations(gx_suite)
>>> [(c.name, c.params["severity"]) for c in suite.checks]
[('missing', 'error'), ('range', 'warn')]
>>> [e["type"] for e in suite_to_great_expectations(suite)["expectations"]]
['expect_column_values_to_not_be_null', 'expect_column_values_to_be_between']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from datacheck.gx_format import (
    GX_VERSION,
    IMPORTABLE,
    SEVERITY_OUT,
    Unmapped,
    export_check,
    suite_dict,
    to_datacheck_dict,
)
from datacheck.result import Result, jsonable
from datacheck.suite import Suite, load_suite

__all__ = [
    "from_great_expectations",
    "suite_to_great_expectations",
    "report_to_great_expectations",
    "to_datacheck_dict",
    "GX_VERSION",
    "IMPORTABLE",
]


class _ReportLike(Protocol):
    """What :func:`report_to_great_expectations` reads of a :class:`datacheck.Report` (which sits above)."""

    @property
    def results(self) -> list[Result]: ...
    @property
    def n_rows(self) -> int: ...
    @property
    def suite_name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def source(self) -> Any: ...
    @property
    def started_at(self) -> Any: ...


def from_great_expectations(path_or_dict: Any, *, unmapped: str = "error") -> Suite:
    """Read a Great Expectations suite (GX 1.x or 0.18 JSON) as a datacheck suite.

    Parameters
    ----------
    path_or_dict : path or dict
        The suite JSON file, or the parsed dict (``ExpectationSuite.to_json_dict()``).
    unmapped : {'error', 'warn'}
        What to do with expectations that have no datacheck equivalent, a ``row_condition`` or
        a suite parameter: ``error`` (default) raises one :class:`~datacheck.SuiteError` listing
        each and why; ``warn`` imports the rest, warns with the list, and records it in the
        suite's description.

    Returns
    -------
    Suite
        One check per expectation, in the suite's order; ``mostly`` becomes the check's allowed
        fraction (``1 - mostly``), ``severity`` critical -> error and warning/info -> warn, and
        the description names the GX expectation type.

    Examples
    --------
    >>> s = from_great_expectations({"expectation_suite_name": "old", "expectations": [
    ...     {"expectation_type": "expect_column_values_to_be_in_set", "kwargs": {"column": "sex", "value_set": ["F", "M"]}}]})
    >>> s.checks[0].name, s.checks[0].params["description"]
    ('allowed_values', 'GX expect_column_values_to_be_in_set')
    """
    return load_suite(to_datacheck_dict(path_or_dict, unmapped=unmapped))


def suite_to_great_expectations(suite: Any) -> dict:
    """A datacheck suite as a Great Expectations 1.x suite dict (``ExpectationSuite(**d)`` loads it).

    Every check with a GX equivalent becomes that expectation (a per-column check becomes one
    expectation per column named). Checks GX cannot express (drift, bias, label errors, slices,
    skew, type-keyword selectors, ...) are listed in ``meta["datacheck"]["not_exported"]`` and
    in a :class:`UserWarning`; partial translations in ``meta["datacheck"]["partial"]``.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True):
    ...     d = suite_to_great_expectations({"name": "s", "checks": ["drift", {"row_count": {"min": 1}}]})
    >>> [e["type"] for e in d["expectations"]], d["meta"]["datacheck"]["not_exported"][0]["check"]
    (['expect_table_row_count_to_be_between'], 'drift')
    """
    return suite_dict(load_suite(suite))


# ---------------------------------------------------------------------------------------------
# report -> GX validation result
# ---------------------------------------------------------------------------------------------


def _counts(r, n_rows: int) -> dict | None:
    """(unexpected, checked) of a map-type result, in GX's terms; None for aggregate checks."""
    o = r.observed if isinstance(r.observed, Mapping) else {}
    if r.check == "missing":
        return {"element_count": n_rows, "unexpected_count": o.get("count", 0), "checked": n_rows, "missing_count": 0}
    keys = {
        "range": ("below", "above"),
        "allowed_values": ("outside",),
        "forbidden_values": ("found",),
        "value_lengths": ("outside",),
        "outliers": ("below", "above"),
    }
    if r.check in keys:
        bad = sum(int(o.get(k, 0) or 0) for k in keys[r.check])
        checked = (r.details or {}).get("checked")
        frac = o.get("fraction")
        if checked is None and frac:
            checked = round(bad / frac)
        if checked is None:
            checked = n_rows
        return {"element_count": n_rows, "unexpected_count": bad, "checked": checked, "missing_count": n_rows - checked}
    if r.check == "pattern":
        bad = int(o.get("matched", o.get("mismatched", 0)) or 0)
        frac = o.get("fraction")
        checked = round(bad / frac) if frac else None
        return {
            "element_count": n_rows,
            "unexpected_count": bad,
            "checked": checked,
            "missing_count": None if checked is None else n_rows - checked,
        }
    if r.check == "unique":
        return {
            "element_count": n_rows,
            "unexpected_count": int(o.get("duplicates", 0) or 0),
            "checked": None,
            "missing_count": None,
        }
    return None


def report_to_great_expectations(report: _ReportLike, suite: Any = None) -> dict:
    """A datacheck report as a GX validation result dict (``success``, ``statistics``, ``results``).

    One GX result per datacheck result (skipped results are left out). Map-type checks carry
    ``element_count``, ``unexpected_count``, ``unexpected_percent`` (over non-missing values)
    and ``missing_count``; aggregate checks carry ``observed_value``. A result whose check could
    not be evaluated has ``exception_info.raised_exception`` true.

    Parameters
    ----------
    report : Report
    suite : Suite, dict or path, optional
        The suite that was run; when given, each result's ``expectation_config`` is the exported
        expectation, else a minimal one naming the check and column.
    """
    configs: dict[int, list] = {}
    if suite is not None:
        s = load_suite(suite)
        for spec in s.checks:
            try:
                configs[spec.index] = export_check(spec.name, dict(spec.params))[0]
            except Unmapped:
                pass
    results = []
    seen: set = set()
    for r in report.results:
        if r.status == "skipped":
            continue
        key = (r.check_index, r.check, str(r.column))
        main = key not in seen
        seen.add(key)
        if not main and r.check == "missing":
            continue  # the disguised/suspected follow-ups of one missing check: GX has one result
        cfg_type, cfg_kw = f"datacheck.{r.check}", {}
        for t, kw in configs.get(r.check_index, []) if r.check_index is not None else []:
            if (
                kw.get("column") == r.column
                or kw.get("column_list") == (list(r.column) if isinstance(r.column, tuple) else None)
                or ("column" not in kw and "column_list" not in kw)
            ):
                cfg_type, cfg_kw = t, kw
                break
        else:
            if r.column is not None:
                cfg_kw = {"column_list": list(r.column)} if isinstance(r.column, tuple) else {"column": r.column}
        res: dict[str, Any] = {}
        c = _counts(r, report.n_rows)
        if c is not None:
            bad, checked = c["unexpected_count"], c["checked"]
            res = {
                "element_count": c["element_count"],
                "unexpected_count": bad,
                "unexpected_percent": 100.0 * bad / checked if checked else (0.0 if checked == 0 else None),
                "missing_count": c["missing_count"],
                "missing_percent": (
                    100.0 * c["missing_count"] / report.n_rows
                    if report.n_rows and c["missing_count"] is not None
                    else None
                ),
                "unexpected_percent_total": 100.0 * bad / report.n_rows if report.n_rows else None,
                "partial_unexpected_list": [
                    e.get("value") for e in (r.evidence or []) if isinstance(e, Mapping) and "value" in e
                ][:20],
            }
            res["unexpected_percent_nonmissing"] = res["unexpected_percent"]
        else:
            res = {"observed_value": r.observed}
        results.append(
            {
                "success": r.status == "pass",
                "expectation_config": {
                    "type": cfg_type,
                    "kwargs": cfg_kw,
                    "meta": {"datacheck_check": r.check},
                    "severity": SEVERITY_OUT.get(r.severity, "critical"),
                    **({"description": r.description} if r.description else {}),
                },
                "result": res,
                "meta": {"message": r.message},
                "exception_info": {
                    "raised_exception": r.status == "error",
                    "exception_traceback": None,
                    "exception_message": r.message if r.status == "error" else None,
                },
            }
        )
    n = len(results)
    ok = sum(1 for x in results if x["success"])
    return jsonable(
        {
            "success": ok == n,
            "results": results,
            "suite_name": report.suite_name,
            "suite_parameters": {},
            "statistics": {
                "evaluated_expectations": n,
                "successful_expectations": ok,
                "unsuccessful_expectations": n - ok,
                "success_percent": 100.0 * ok / n if n else None,
            },
            "meta": {
                "great_expectations_version": GX_VERSION,
                "datacheck_version": report.version,
                "data": report.source,
                "run_time": report.started_at,
            },
            "id": None,
        }
    )
