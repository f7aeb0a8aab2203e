"""The Great Expectations vocabulary: which expectation is which datacheck check, both ways.

Pure data conversion between the JSON formats of GX 1.x (``name``, ``expectations[].type``) and
0.18 (``expectation_suite_name``, ``expectation_type``) and datacheck's suite structure:
:func:`to_datacheck_dict` reads a GX suite as a datacheck suite dict, :func:`export_check` turns
one check into expectations, :func:`suite_dict` a loaded suite into a GX suite dict. It sits
below :mod:`datacheck.suite` (whose ``Suite.to_great_expectations`` uses it) and knows nothing of
loading; :mod:`datacheck.gx` is the public face (``from_great_expectations``, exports of suites
and reports). ``great_expectations`` itself is not imported here (it is needed only to run GX,
which the tests do to prove agreement).

What cannot be translated is never dropped silently (see :mod:`datacheck.gx`).

Examples
--------
>>> d = to_datacheck_dict({"name": "s", "expectations": [
...     {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "age", "mostly": 0.99}}]})
>>> d["checks"][0]["missing"]["columns"], d["checks"][0]["missing"]["max_fraction"]
('age', 0.01)
>>> export_check("range", {"columns": ["age"], "min": 0, "max": 120})[0]
[('expect_column_values_to_be_between', {'column': 'age', 'min_value': 0, 'max_value': 120})]
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from datacheck.checks import REGISTRY
from datacheck.checks.pattern import PatternCheck
from datacheck.errors import SuiteError
from datacheck.params import COLUMN_KEYWORDS
from datacheck.spec import CheckSpec

__all__ = ["to_datacheck_dict", "export_check", "suite_dict", "GX_VERSION", "IMPORTABLE", "SEVERITY_OUT"]


class _LoadedSuite(Protocol):
    """What :func:`suite_dict` reads of a :class:`datacheck.Suite` (this module sits below it)."""

    @property
    def name(self) -> str: ...
    @property
    def checks(self) -> tuple[CheckSpec, ...]: ...
    @property
    def source(self) -> str: ...
    @property
    def description(self) -> str | None: ...


#: the GX format version written on export
GX_VERSION = "1.24.1"

_SEVERITY_IN = {"critical": "error", "warning": "warn", "info": "warn", None: "error"}
SEVERITY_OUT = {"error": "critical", "warn": "warning"}
#: kwargs that change nothing about the verdict
_HARMLESS = {
    "column",
    "column_list",
    "mostly",
    "result_format",
    "catch_exceptions",
    "include_config",
    "batch_id",
    "condition_parser",
    "row_condition",
    "meta",
}

_GX_TYPES = {
    "integer": {
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "integer",
        "int8dtype",
        "int16dtype",
        "int32dtype",
        "int64dtype",
        "bigint",
        "smallint",
        "tinyint",
        "long",
        "integertype",
        "longtype",
        "shorttype",
        "bytetype",
    },
    "float": {
        "float",
        "float16",
        "float32",
        "float64",
        "double",
        "real",
        "numeric",
        "decimal",
        "float64dtype",
        "float32dtype",
        "floattype",
        "doubletype",
        "decimaltype",
    },
    "string": {"str", "string", "object", "varchar", "text", "char", "stringdtype", "stringtype", "unicode"},
    "boolean": {"bool", "boolean", "booleandtype", "booleantype"},
    "datetime": {
        "datetime",
        "datetime64",
        "datetime64[ns]",
        "datetime64[us]",
        "datetime64[ms]",
        "datetime64[s]",
        "timestamp",
        "date",
        "datetimetz",
        "datetime64[ns, utc]",
        "timestamptype",
        "datetype",
    },
}
_INT_TYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
_INT_TYPES += [t.capitalize() if t[0] == "i" else "U" + t[1:].capitalize() for t in _INT_TYPES]  # pandas nullable
_FLOAT_TYPES = ["float16", "float32", "float64", "Float32", "Float64"]
_TYPE_LISTS = {  # datacheck logical type -> GX type_list that names it on pandas/pyarrow frames
    "integer": _INT_TYPES,
    "float": _FLOAT_TYPES,
    "numeric": _INT_TYPES + _FLOAT_TYPES,
    "string": ["str", "string", "object"],
    "categorical": ["str", "string", "object", "category", "bool", "boolean"],
    "boolean": ["bool", "boolean"],
    "datetime": ["datetime64[ns]", "datetime64[us]", "datetime64[ms]", "datetime64[s]", "datetime64"],
}


class Unmapped(Exception):
    """Why one expectation cannot become a datacheck check."""


# ---------------------------------------------------------------------------------------------
# import
# ---------------------------------------------------------------------------------------------


def _frac(kw: Mapping[str, Any]) -> float:
    mostly = kw.get("mostly", 1.0)
    if mostly is None:
        mostly = 1.0
    if isinstance(mostly, bool) or not isinstance(mostly, (int, float)) or not 0 <= mostly <= 1:
        raise Unmapped(f"mostly must be a number in [0, 1]; got {mostly!r}")
    return round(1.0 - float(mostly), 12)


def _col(kw: Mapping[str, Any]) -> str:
    c = kw.get("column")
    if not isinstance(c, str):
        raise Unmapped(f"needs a 'column' name; got {c!r}")
    return c


def _between(kw, lo="min_value", hi="max_value") -> dict:
    out = {}
    if kw.get(lo) is not None:
        out["min"] = kw[lo]
    if kw.get(hi) is not None:
        out["max"] = kw[hi]
    if not out:
        raise Unmapped(f"gives neither {lo} nor {hi}")
    return out


def _strict(kw) -> dict:
    return {k: True for k in ("strict_min", "strict_max") if kw.get(k)}


def _logical(gx_type: Any) -> str:
    if not isinstance(gx_type, str):
        raise Unmapped(f"type must be a string; got {gx_type!r}")
    t = gx_type.strip().lower()
    for logical, names in _GX_TYPES.items():
        if t in names or t.split("(")[0] in names:
            return logical
    raise Unmapped(f"type {gx_type!r} has no datacheck logical type (integer, float, string, boolean, datetime)")


def _types_of(type_list) -> str:
    if not isinstance(type_list, (list, tuple)) or not type_list:
        raise Unmapped(f"type_list must be a non-empty list; got {type_list!r}")
    kinds = {_logical(t) for t in type_list}
    if len(kinds) == 1:
        return kinds.pop()
    if kinds == {"integer", "float"}:
        return "numeric"
    raise Unmapped(f"type_list {list(type_list)!r} spans {sorted(kinds)}; datacheck's schema takes one type per column")


def _null(kw):
    return "missing", {
        "columns": _col(kw),
        "max_fraction": _frac(kw),
        "detect_sentinels": False,
        "placeholders": [],
        "max_disguised_fraction": 1.0,
    }


def _non_null_share(kw):
    hi = kw.get("max_value")
    if hi is not None and hi < 1:
        raise Unmapped("an upper bound on the non-null share below 1 has no datacheck equivalent")
    lo = kw.get("min_value")
    return "missing", {
        "columns": _col(kw),
        "max_fraction": round(1.0 - float(lo or 0.0), 12),
        "detect_sentinels": False,
        "placeholders": [],
        "max_disguised_fraction": 1.0,
    }


def _unique(kw):
    frac = _frac(kw)
    return "unique", {"columns": [_col(kw)], "max_fraction": frac, "count_all": True}


def _compound(kw):
    cols = kw.get("column_list")
    if not isinstance(cols, list) or not all(isinstance(c, str) for c in cols):
        raise Unmapped(f"column_list must be a list of column names; got {cols!r}")
    how = kw.get("ignore_row_if", "all_values_are_missing")
    if how == "any_value_is_missing":
        ignore = True
    elif how == "never":
        ignore = False
    else:
        raise Unmapped(
            f"ignore_row_if={how!r}: datacheck skips a row when any key part is missing "
            "(any_value_is_missing) or never; set one of those"
        )
    return "unique", {"columns": [cols], "ignore_missing": ignore, "max_fraction": _frac(kw), "count_all": True}


def _regex(kw, negate=False):

    rx = kw.get("regex")
    if not isinstance(rx, str):
        raise Unmapped(f"regex must be a string; got {rx!r}")
    if PatternCheck.validate_params({"regex": rx}):
        raise Unmapped(f"regex {rx!r} uses syntax that RE2 (datacheck's regex engine) does not support")
    p = {"columns": _col(kw), "regex": rx, "search": True, "max_fraction": _frac(kw)}
    if negate:
        p["negate"] = True
    return "pattern", p


def _stat(stat):
    def f(kw):
        return "statistic", {"columns": _col(kw), "stat": stat, **_between(kw), **_strict(kw)}

    return f


def _quantiles(kw):
    qr = kw.get("quantile_ranges") or {}
    qs, rs = qr.get("quantiles"), qr.get("value_ranges")
    are = kw.get("allow_relative_error", False)
    if are in (False, None, "nearest"):
        interp = "nearest"
    elif are == "linear":
        interp = "linear"
    else:
        raise Unmapped(f"allow_relative_error={are!r}: datacheck reads quantiles exactly (linear or nearest)")
    return "quantiles", {"columns": _col(kw), "quantiles": qs, "ranges": rs, "interpolation": interp}


def _outliers(kw):
    method = kw.get("method", "iqr")
    if method not in ("iqr", "std"):
        raise Unmapped(f"method {method!r} is not iqr or std")
    return "outliers", {
        "columns": _col(kw),
        "method": "iqr" if method == "iqr" else "zscore",
        "k": float(kw.get("multiplier", 1.5 if method == "iqr" else 3.0)),
        "max_fraction": _frac(kw),
    }


def _zscores(kw):
    if not kw.get("double_sided", False):
        raise Unmapped("double_sided=false (a one-sided z-score bound) has no datacheck equivalent")
    return "outliers", {"columns": _col(kw), "method": "zscore", "k": float(kw["threshold"]), "max_fraction": _frac(kw)}


def _columns_set(kw):
    cols = kw.get("column_set")
    if not isinstance(cols, list):
        raise Unmapped(f"column_set must be a list; got {cols!r}")
    exact = kw.get("exact_match", True)
    return "schema", {"columns": list(cols), "allow_extra": not (exact is None or exact)}


def _row_count(kw):
    out = {}
    if kw.get("min_value") is not None:
        out["min"] = int(math.ceil(kw["min_value"]))
    if kw.get("max_value") is not None:
        out["max"] = int(math.floor(kw["max_value"]))
    if not out:
        raise Unmapped("gives neither min_value nor max_value")
    return "row_count", out


_IMPORT: dict[str, Callable[[Mapping[str, Any]], tuple[str, dict]]] = {
    "expect_column_values_to_not_be_null": _null,
    "expect_column_proportion_of_non_null_values_to_be_between": _non_null_share,
    "expect_column_values_to_be_between": lambda kw: (
        "range",
        {"columns": _col(kw), **_between(kw), **_strict(kw), "max_fraction": _frac(kw)},
    ),
    "expect_column_values_to_be_in_set": lambda kw: (
        "allowed_values",
        {"columns": _col(kw), "values": kw["value_set"], "max_fraction": _frac(kw)},
    ),
    "expect_column_values_to_not_be_in_set": lambda kw: (
        "forbidden_values",
        {"columns": _col(kw), "values": kw["value_set"], "max_fraction": _frac(kw)},
    ),
    "expect_column_distinct_values_to_be_in_set": lambda kw: (
        "distinct_values",
        {"columns": _col(kw), "subset_of": kw["value_set"]},
    ),
    "expect_column_distinct_values_to_contain_set": lambda kw: (
        "distinct_values",
        {"columns": _col(kw), "superset_of": kw["value_set"]},
    ),
    "expect_column_distinct_values_to_equal_set": lambda kw: (
        "distinct_values",
        {"columns": _col(kw), "equal_to": kw["value_set"]},
    ),
    "expect_column_values_to_be_unique": _unique,
    "expect_compound_columns_to_be_unique": _compound,
    "expect_column_values_to_match_regex": _regex,
    "expect_column_values_to_not_match_regex": lambda kw: _regex(kw, negate=True),
    "expect_column_values_to_be_of_type": lambda kw: ("schema", {"columns": {_col(kw): _logical(kw.get("type_"))}}),
    "expect_column_values_to_be_in_type_list": lambda kw: (
        "schema",
        {"columns": {_col(kw): _types_of(kw.get("type_list"))}},
    ),
    "expect_column_type_to_be": lambda kw: ("schema", {"columns": {_col(kw): _logical(kw.get("type_"))}}),
    "expect_column_value_lengths_to_be_between": lambda kw: (
        "value_lengths",
        {"columns": _col(kw), **_between(kw), "max_fraction": _frac(kw)},
    ),
    "expect_column_value_lengths_to_equal": lambda kw: (
        "value_lengths",
        {"columns": _col(kw), "min": kw["value"], "max": kw["value"], "max_fraction": _frac(kw)},
    ),
    **{f"expect_column_{s}_to_be_between": _stat(s) for s in ("mean", "median", "min", "max", "stdev", "sum")},
    "expect_column_quantile_values_to_be_between": _quantiles,
    "expect_column_unique_value_count_to_be_between": lambda kw: (
        "distinct_values",
        {
            "columns": _col(kw),
            **{("min_count" if k == "min" else "max_count"): int(v) for k, v in _between(kw).items()},
        },
    ),
    "expect_column_proportion_of_unique_values_to_be_between": lambda kw: (
        "distinct_values",
        {
            "columns": _col(kw),
            **{("min_ratio" if k == "min" else "max_ratio"): float(v) for k, v in _between(kw).items()},
        },
    ),
    "expect_column_most_common_value_to_be_in_set": lambda kw: (
        "most_common_value",
        {"columns": _col(kw), "values": kw["value_set"], "ties_okay": bool(kw.get("ties_okay") or False)},
    ),
    "expect_column_values_to_not_be_outliers": _outliers,
    "expect_column_value_z_scores_to_be_less_than": _zscores,
    "expect_column_to_exist": lambda kw: ("schema", {"columns": [_col(kw)]}),
    "expect_table_columns_to_match_set": _columns_set,
    "expect_table_columns_to_match_ordered_list": lambda kw: (
        "schema",
        {"columns": list(kw["column_list"]), "allow_extra": False, "ordered": True},
    ),
    "expect_table_row_count_to_be_between": _row_count,
    "expect_table_row_count_to_equal": lambda kw: ("row_count", {"min": int(kw["value"]), "max": int(kw["value"])}),
}

#: the GX expectation types the importer maps to datacheck checks
IMPORTABLE = tuple(sorted(_IMPORT))

#: kwargs each mapped expectation understands (others make the import fail: never ignored silently)
_KNOWN_KWARGS = {
    "min_value",
    "max_value",
    "strict_min",
    "strict_max",
    "value_set",
    "regex",
    "type_",
    "type_list",
    "value",
    "quantile_ranges",
    "allow_relative_error",
    "ties_okay",
    "method",
    "multiplier",
    "threshold",
    "double_sided",
    "column_set",
    "exact_match",
    "ignore_row_if",
    "column_index",
}


def _has_parameter(v: Any) -> bool:
    if isinstance(v, Mapping):
        return "$PARAMETER" in v or any(_has_parameter(x) for x in v.values())
    if isinstance(v, (list, tuple)):
        return any(_has_parameter(x) for x in v)
    return False


def _read(path_or_dict: Any) -> tuple[dict, str]:
    if isinstance(path_or_dict, Mapping):
        return dict(path_or_dict), "<dict>"
    if not isinstance(path_or_dict, (str, os.PathLike)):
        raise SuiteError(
            f"a Great Expectations suite must be a path to its JSON or a dict; got {type(path_or_dict).__name__}"
        )
    path = os.fspath(path_or_dict)
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh), path
    except FileNotFoundError:
        raise SuiteError("Great Expectations suite file does not exist", source=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SuiteError(f"cannot read Great Expectations suite: {exc}", source=path) from None
    except json.JSONDecodeError as exc:
        raise SuiteError(f"is not valid JSON: {exc.msg}", source=path, line=exc.lineno) from None


def to_datacheck_dict(path_or_dict: Any, *, unmapped: str = "error") -> dict:
    """The datacheck suite (as plain data, ready for YAML) equivalent to a GX suite.

    See :func:`from_great_expectations`; this returns the dict instead of the loaded Suite.
    """
    if unmapped not in ("error", "warn"):
        raise ValueError(f"unmapped must be 'error' or 'warn'; got {unmapped!r}")
    data, source = _read(path_or_dict)
    if not isinstance(data, Mapping):
        raise SuiteError(f"a Great Expectations suite is a JSON object; got {type(data).__name__}", source=source)
    name = data.get("name") or data.get("expectation_suite_name")
    exps = data.get("expectations")
    if not isinstance(name, str) or not isinstance(exps, list):
        raise SuiteError(
            "is not a Great Expectations suite: expected 'name' (1.x) or 'expectation_suite_name' "
            "(0.18) and an 'expectations' list",
            source=source,
        )
    version = (data.get("meta") or {}).get("great_expectations_version", "unknown")
    checks, problems = [], []
    for i, e in enumerate(exps):
        if not isinstance(e, Mapping):
            problems.append(f"expectations[{i}]: must be an object; got {e!r}")
            continue
        gx_type = e.get("type") or e.get("expectation_type")
        kw = dict(e.get("kwargs") or {})
        where = f"expectations[{i}] {gx_type}" + (
            f" (column {kw['column']!r})" if isinstance(kw.get("column"), str) else ""
        )
        try:
            if gx_type not in _IMPORT:
                raise Unmapped(
                    "has no datacheck equivalent"
                    + (
                        " (drift is expressed with datacheck's drift check and a reference)"
                        if "kl_divergence" in str(gx_type)
                        else ""
                    )
                )
            if kw.get("row_condition") not in (None, "", {}):
                raise Unmapped(
                    f"row_condition {kw['row_condition']!r} is not supported (datacheck checks whole "
                    "columns; filter the data before the run, or split the suite)"
                )
            if _has_parameter(kw):
                raise Unmapped("uses a suite parameter ($PARAMETER); substitute its value before importing")
            extra = sorted(k for k in kw if k not in _HARMLESS and k not in _KNOWN_KWARGS)
            if extra:
                raise Unmapped(f"kwarg(s) {', '.join(extra)} have no datacheck equivalent")
            if gx_type == "expect_column_to_exist" and kw.get("column_index") is not None:
                raise Unmapped("column_index (a fixed position) has no datacheck equivalent")
            check, params = _IMPORT[gx_type](kw)
        except Unmapped as exc:
            problems.append(f"{where}: {exc}")
            continue
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(f"{where}: malformed kwargs ({type(exc).__name__}: {exc})")
            continue
        sev = e.get("severity")
        if sev not in _SEVERITY_IN:
            problems.append(f"{where}: severity must be critical, warning or info; got {sev!r}")
            continue
        params["severity"] = _SEVERITY_IN[sev]
        desc = f"GX {gx_type}"
        if e.get("description"):
            desc += f": {e['description']}"
        params["description"] = desc
        checks.append({check: params})
    note = f"Imported from Great Expectations suite {name!r} (GX {version}, {source})."
    if problems:
        if unmapped == "error":
            raise SuiteError(
                f"cannot import {len(problems)} of {len(exps)} expectation(s) from Great Expectations "
                "suite (pass unmapped='warn' to import the rest):\n  - " + "\n  - ".join(problems),
                source=source,
            )
        warnings.warn(
            f"{len(problems)} expectation(s) of {source} were NOT imported:\n  - " + "\n  - ".join(problems),
            UserWarning,
            stacklevel=3,
        )
        note += f" NOT imported ({len(problems)}): " + "; ".join(problems)
    return {"name": name, "description": note, "checks": checks}


# ---------------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------------


def _exp(gx_type: str, kwargs: dict, severity: str, description: str | None = None) -> dict:
    e = {
        "type": gx_type,
        "kwargs": {k: v for k, v in kwargs.items() if v is not None},
        "meta": {},
        "severity": SEVERITY_OUT.get(severity, "critical"),
    }
    if description:
        e["description"] = description
    return e


def _mostly(p) -> dict:
    f = p.get("max_fraction") or 0.0
    return {"mostly": round(1.0 - f, 12)} if f else {}


def _named_columns(sel) -> list | None:
    """Concrete column names of a selector, or None for a type keyword (needs the data)."""
    if sel is None or (isinstance(sel, str) and sel in COLUMN_KEYWORDS):
        return None
    return [sel] if isinstance(sel, str) else list(sel)


def export_check(name: str, p: Mapping[str, Any]) -> tuple[list[tuple[str, dict]], str | None]:
    """[(gx_type, kwargs)] for one check, and a note on what is lost (None when nothing is)."""
    named = _named_columns(p.get("columns"))
    per_col = name not in ("schema", "row_count", "duplicates")
    if per_col and named is None:
        raise Unmapped(
            f"its column selector {p.get('columns')!r} is resolved against the data; list the columns "
            "by name to export it"
        )
    cols: list = named if named is not None else []  # only the table-level checks get here without names
    out: list[tuple[str, dict]] = []
    note = None
    if name == "missing":
        out = [("expect_column_values_to_not_be_null", {"column": c, **_mostly(p)}) for c in cols]
        if p.get("placeholders") or p.get("sentinels") or p.get("detect_sentinels"):
            note = "disguised missing values (placeholders, sentinels) are not expressed in GX"
    elif name == "range":
        kw = {"min_value": p.get("min"), "max_value": p.get("max"), **_mostly(p)}
        kw.update({k: True for k in ("strict_min", "strict_max") if p.get(k)})
        out = [("expect_column_values_to_be_between", {"column": c, **kw}) for c in cols]
    elif name == "allowed_values":
        out = [
            ("expect_column_values_to_be_in_set", {"column": c, "value_set": list(p["values"]), **_mostly(p)})
            for c in cols
        ]
    elif name == "forbidden_values":
        out = [
            ("expect_column_values_to_not_be_in_set", {"column": c, "value_set": list(p["values"]), **_mostly(p)})
            for c in cols
        ]
    elif name == "pattern":
        rx = p["regex"] if p.get("search") else f"^(?:{p['regex']})$"
        t = "expect_column_values_to_not_match_regex" if p.get("negate") else "expect_column_values_to_match_regex"
        out = [(t, {"column": c, "regex": rx, **_mostly(p)}) for c in cols]
    elif name == "unique":
        for c in cols:
            if p.get("max_fraction") and not p.get("count_all"):
                raise Unmapped(
                    "a max_fraction on repeats only (count_all: false) has no GX equivalent; "
                    "GX counts every copy of a repeated key"
                )
            if isinstance(c, (list, tuple)):
                out.append(
                    (
                        "expect_compound_columns_to_be_unique",
                        {
                            "column_list": list(c),
                            **_mostly(p),
                            "ignore_row_if": "any_value_is_missing" if p.get("ignore_missing", True) else "never",
                        },
                    )
                )
            else:
                if not p.get("ignore_missing", True):
                    note = "missing keys are skipped by GX (datacheck was told to compare them)"
                out.append(("expect_column_values_to_be_unique", {"column": c, **_mostly(p)}))
    elif name == "duplicates":
        dc = p.get("columns")
        if not dc:
            raise Unmapped("duplicates over all columns needs the data's column list; name the columns to export it")
        if p.get("max_fraction"):
            raise Unmapped("a max_fraction on repeated rows has no GX equivalent (GX counts every copy)")
        out = [("expect_compound_columns_to_be_unique", {"column_list": list(dc), "ignore_row_if": "never"})]
    elif name == "value_lengths":
        out = [
            (
                "expect_column_value_lengths_to_be_between",
                {"column": c, "min_value": p.get("min"), "max_value": p.get("max"), **_mostly(p)},
            )
            for c in cols
        ]
    elif name == "statistic":
        kw = {"min_value": p.get("min"), "max_value": p.get("max")}
        kw.update({k: True for k in ("strict_min", "strict_max") if p.get(k)})
        out = [(f"expect_column_{p['stat']}_to_be_between", {"column": c, **kw}) for c in cols]
    elif name == "quantiles":
        qr = {"quantiles": list(p["quantiles"]), "value_ranges": [list(r) for r in p["ranges"]]}
        are = False if p.get("interpolation") == "nearest" else "linear"
        out = [
            (
                "expect_column_quantile_values_to_be_between",
                {"column": c, "quantile_ranges": qr, "allow_relative_error": are},
            )
            for c in cols
        ]
    elif name == "most_common_value":
        out = [
            (
                "expect_column_most_common_value_to_be_in_set",
                {"column": c, "value_set": list(p["values"]), "ties_okay": p.get("ties_okay") or None},
            )
            for c in cols
        ]
    elif name == "distinct_values":
        for c in cols:
            if p.get("min_count") is not None or p.get("max_count") is not None:
                out.append(
                    (
                        "expect_column_unique_value_count_to_be_between",
                        {"column": c, "min_value": p.get("min_count"), "max_value": p.get("max_count")},
                    )
                )
            if p.get("min_ratio") is not None or p.get("max_ratio") is not None:
                out.append(
                    (
                        "expect_column_proportion_of_unique_values_to_be_between",
                        {"column": c, "min_value": p.get("min_ratio"), "max_value": p.get("max_ratio")},
                    )
                )
            for key, t in (
                ("subset_of", "expect_column_distinct_values_to_be_in_set"),
                ("superset_of", "expect_column_distinct_values_to_contain_set"),
                ("equal_to", "expect_column_distinct_values_to_equal_set"),
            ):
                if p.get(key) is not None:
                    out.append((t, {"column": c, "value_set": list(p[key])}))
    elif name == "outliers":
        if p.get("method") == "robust_z":
            raise Unmapped("robust_z (median/MAD) fences have no GX equivalent")
        k = p.get("k")
        method = "iqr" if p.get("method", "iqr") == "iqr" else "std"
        out = [
            (
                "expect_column_values_to_not_be_outliers",
                {
                    "column": c,
                    "method": method,
                    "multiplier": float(k if k is not None else (1.5 if method == "iqr" else 3.0)),
                    "mostly": round(1.0 - p.get("max_fraction", 0.05), 12),
                },
            )
            for c in cols
        ]
    elif name == "schema":
        spec = p["columns"]
        names = list(spec) if isinstance(spec, (dict, Mapping)) else list(spec)
        if p.get("ordered"):
            out.append(("expect_table_columns_to_match_ordered_list", {"column_list": names}))
        elif not p.get("allow_extra", True):
            out.append(("expect_table_columns_to_match_set", {"column_set": names, "exact_match": True}))
        else:
            out += [("expect_column_to_exist", {"column": c}) for c in names]
        if isinstance(spec, Mapping):
            out += [
                ("expect_column_values_to_be_in_type_list", {"column": c, "type_list": _TYPE_LISTS[t]})
                for c, t in spec.items()
                if t != "any"
            ]
    elif name == "row_count":
        out = [("expect_table_row_count_to_be_between", {"min_value": p.get("min"), "max_value": p.get("max")})]
    else:
        raise Unmapped("has no Great Expectations equivalent")
    return out, note


def suite_dict(suite: _LoadedSuite) -> dict:
    """A loaded datacheck suite as a Great Expectations 1.x suite dict (``ExpectationSuite(**d)`` loads it).

    Every check with a GX equivalent becomes that expectation (a per-column check becomes one
    expectation per column named). Checks GX cannot express (drift, bias, label errors, slices,
    skew, type-keyword selectors, ...) are listed in ``meta["datacheck"]["not_exported"]`` and
    in a :class:`UserWarning`; partial translations in ``meta["datacheck"]["partial"]``. What
    :meth:`datacheck.Suite.to_great_expectations` and
    :func:`datacheck.gx.suite_to_great_expectations` return.
    """
    exps, skipped, partial = [], [], []
    for spec in suite.checks:
        p = dict(spec.params)
        p["severity"] = REGISTRY[spec.name](spec).severity  # advisory defaults export as warnings
        try:
            items, note = export_check(spec.name, p)
        except Unmapped as exc:
            skipped.append({"check": spec.name, "path": spec.path, "reason": str(exc)})
            continue
        desc = p.get("description") or None
        if desc and desc.startswith("GX expect_"):
            desc = desc.split(": ", 1)[1] if ": " in desc else None
        for gx_type, kw in items:
            exps.append(_exp(gx_type, kw, p.get("severity", "error"), desc))
        if note:
            partial.append({"check": spec.name, "path": spec.path, "note": note})
    if skipped:
        warnings.warn(
            f"{len(skipped)} check(s) of suite {suite.name!r} have no Great Expectations equivalent and "
            "are not exported: " + "; ".join(f"{s['path']} ({s['reason']})" for s in skipped),
            UserWarning,
            stacklevel=3,  # the caller of Suite.to_great_expectations or gx.suite_to_great_expectations
        )
    meta: dict[str, Any] = {
        "great_expectations_version": GX_VERSION,
        "datacheck": {"exported_from": suite.source, "not_exported": skipped, "partial": partial},
    }
    out = {"name": suite.name, "id": None, "expectations": exps, "meta": meta, "notes": suite.description}
    return out
