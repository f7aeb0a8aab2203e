"""The in-repo fuzzer's parts: generated frames, suites drawn from the check registry, and the judge.

Every check in :data:`datacheck.checks.REGISTRY` is fuzzed by being registered: suites are built
from each check's declared ``Param``s (valid values of every kind, and, sometimes, invalid ones),
so a new check is fuzzed without editing this file. Frames are drawn from the kinds that broke
datacheck before (see issue 15): empty and one-row frames, zero-column frames, all-null and
null-typed columns, inf/NaN, mixed-type object columns, unicode / duplicate / long names, lone
surrogates and invalid UTF-8 bytes, extreme floats and int64 bounds, nullable and Arrow-backed
pandas dtypes, categoricals (with all-null ones), tz-aware datetimes, HTML in names and values.

:func:`judge` runs one case and returns the list of broken invariants (empty when all hold):

* no exception escapes that is not a :class:`datacheck.errors.DatacheckError`;
* every result's status is one of :data:`datacheck.report.STATUSES`;
* an ``error`` result carries a message written for a person, never a bare exception text;
* counts that can be checked by hand (rows, nulls, duplicates) equal pandas' own;
* the input is unchanged.

:func:`same_report` compares the statuses of the same data read from different sources.
"""

from __future__ import annotations

import copy
import math
import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import strategies as st

import datacheck
from datacheck.checks import REGISTRY
from datacheck.errors import DatacheckError
from datacheck.result import STATUSES

#: role columns every generated frame may carry, so role-based checks (bias, slices, ...) run
LABEL, PRED, GROUP = "label", "pred", "grp"

_I64 = (-(2**63), 2**63 - 1)
_HOSTILE_STR = [
    "",
    " ",
    "x",
    "A",
    "b",
    "é",
    "日本",
    "\U0001f600",
    "\ud800",
    "a\udcffb",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "http://example.com/x.png",
    "{{ 7*7 }}",
    "{% raw %}",
    "?",
    "NA",
    "null",
    "nan",
    "-1",
    "7",
    "1e309",
    "x" * 300,
    "\x00",
    "tab\there",
    "line\nbreak",
]

# ----------------------------------------------------------------------------------------------
# columns


def _n_rows(draw) -> int:
    return draw(st.sampled_from([0, 1, 2, 3, 5, 8, 13, 30]))


def _pick(draw, pool, n, null_p=0.2):
    out = []
    for _ in range(n):
        out.append(None if draw(st.integers(0, 99)) < null_p * 100 else draw(st.sampled_from(pool)))
    return out


@st.composite
def column(draw, n: int) -> pd.Series:
    """One column of ``n`` rows, of a kind that has broken a data validator before."""
    kind = draw(
        st.sampled_from(
            [
                "int",
                "int_extreme",
                "float",
                "float_extreme",
                "Int64",
                "Float64",
                "bool",
                "boolean",
                "string",
                "str_hostile",
                "object_mixed",
                "category",
                "category_null",
                "datetime",
                "datetime_tz",
                "all_null",
                "arrow_int",
                "arrow_null",
                "arrow_string",
                "bytes",
                "high_card",
                "period",
                "interval",
            ]
        )
    )
    if kind == "int":
        return pd.Series(draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n)), dtype="int64")
    if kind == "int_extreme":
        pool = [_I64[0], _I64[0] + 1, -1, 0, 1, 2**53, 2**53 + 1, _I64[1] - 1, _I64[1]]
        return pd.Series([draw(st.sampled_from(pool)) for _ in range(n)], dtype="int64")
    if kind == "float":
        return pd.Series(draw(st.lists(st.floats(-100, 100), min_size=n, max_size=n)), dtype="float64")
    if kind == "float_extreme":
        pool = [np.nan, np.inf, -np.inf, 1.7e308, -1.7e308, 6e102, 5e-324, 0.0, -0.0, 1.0]
        return pd.Series([draw(st.sampled_from(pool)) for _ in range(n)], dtype="float64")
    if kind == "Int64":
        pool = [_I64[0], -3, 0, 4, 2**53 + 1, _I64[1]]
        return pd.Series(_pick(draw, pool, n), dtype="Int64")
    if kind == "Float64":
        return pd.Series(_pick(draw, [0.5, -2.0, 1e300, 3.0], n), dtype="Float64")
    if kind == "bool":
        return pd.Series(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype="bool")
    if kind == "boolean":
        return pd.Series(_pick(draw, [True, False], n), dtype="boolean")
    if kind == "string":
        return pd.Series(_pick(draw, ["a", "b", "c", "?"], n), dtype="str")
    if kind == "str_hostile":
        return pd.Series(_pick(draw, _HOSTILE_STR, n), dtype=object)
    if kind == "object_mixed":
        pool = [1, 2.5, "x", "7", True, b"\xff\xfe", None, [1, 2], {"a": 1}, pd.Timestamp("2020-01-01")]
        return pd.Series([draw(st.sampled_from(pool)) for _ in range(n)], dtype=object)
    if kind == "category":
        return pd.Series(_pick(draw, ["lo", "mid", "hi", "x" * 200], n), dtype="category")
    if kind == "category_null":
        return pd.Series([None] * n, dtype="category")
    if kind == "datetime":
        pool = [
            pd.Timestamp("1970-01-01"),
            pd.Timestamp("2020-02-29 12:00"),
            pd.Timestamp("2262-04-11"),
            pd.Timestamp("1677-09-22"),
        ]
        return pd.Series(_pick(draw, pool, n), dtype="datetime64[ns]")
    if kind == "datetime_tz":
        pool = [pd.Timestamp("2021-03-28 01:30", tz="Europe/Paris"), pd.Timestamp("2000-01-01", tz="Europe/Paris")]
        return pd.Series(_pick(draw, pool, n), dtype="datetime64[ns, Europe/Paris]")
    if kind == "all_null":
        return pd.Series([None] * n, dtype=object)
    if kind == "arrow_int":
        return pd.Series(_pick(draw, [_I64[0], 0, 5, _I64[1]], n), dtype=pd.ArrowDtype(pa.int64()))
    if kind == "arrow_null":
        return pd.Series(pa.nulls(n), dtype=pd.ArrowDtype(pa.null()))
    if kind == "arrow_string":
        return pd.Series(_pick(draw, ["u", "v", "\U0001f600"], n), dtype=pd.ArrowDtype(pa.string()))
    if kind == "bytes":
        return pd.Series(_pick(draw, [b"ok", b"\xff\xfe\xfd", b"", b"\x80abc"], n), dtype=object)
    if kind == "high_card":
        return pd.Series([f"v{i}" for i in range(n)], dtype="str")
    if kind == "period":
        return pd.Series(_pick(draw, [pd.Period("2020-01", "M"), pd.Period("2021-06", "M")], n, 0.0))
    # interval
    return pd.Series(_pick(draw, [pd.Interval(0, 1), pd.Interval(1, 5)], n, 0.0))


_NAMES = [
    "a",
    "b",
    "c",
    "x",
    "age",
    "日本語",
    "名前",
    "<b>n</b>",
    "col with space",
    "\U0001f600",
    "n" * 120,
    "{{ x }}",
    "1",
    "é",
]


@st.composite
def frames(draw) -> pd.DataFrame:
    """A pandas DataFrame of the kinds listed in the module docstring (names may repeat)."""
    n = _n_rows(draw)
    k = draw(st.integers(0, 4))
    names = [draw(st.sampled_from(_NAMES)) for _ in range(k)]
    names = list(dict.fromkeys(names))
    if draw(st.integers(0, 29)) == 29 and names:
        names.append(names[0])  # duplicate names: must be refused with a DataError
    cols = {}
    data = []
    for _ in names:
        data.append(draw(column(n)).reset_index(drop=True))
    if draw(st.booleans()):  # role columns for bias / slices / label checks
        names += [LABEL, PRED, GROUP]
        lab = draw(st.sampled_from(["binary", "multiclass", "continuous", "string", "null"]))
        if lab == "binary":
            y = pd.Series(draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n)), dtype="int64")
        elif lab == "multiclass":
            y = pd.Series(draw(st.lists(st.sampled_from(["c0", "c1", "c2"]), min_size=n, max_size=n)), dtype="str")
        elif lab == "continuous":
            y = pd.Series(np.random.default_rng(n).normal(size=n))
        elif lab == "string":
            y = pd.Series(_pick(draw, ["yes", "no"], n), dtype="str")
        else:
            y = pd.Series([None] * n, dtype=object)
        data += [y, draw(column(n)) if draw(st.booleans()) else y.copy(), draw(column(n))]
    frame = pd.DataFrame({i: s.reset_index(drop=True) for i, s in enumerate(data)}, index=range(n))
    frame.columns = names
    if draw(st.integers(0, 6)) == 0:
        frame.index = pd.Index([f"r{i}" for i in range(n)])
    del cols
    return frame


# ----------------------------------------------------------------------------------------------
# suites


def _any_value(draw):
    return draw(
        st.sampled_from(
            [
                0,
                1,
                -1,
                0.5,
                2**53 + 1,
                2**63 - 2,
                2**63 - 1,
                -(2**63),
                2**64,
                10**400,
                1e308,
                -1e308,
                "2020-01-01",
                "3000-01-01",
                "x",
                True,
                None,
                [1, 2],
                {"k": 1},
                "a",
            ]
        )
    )


def _param_value(draw, name: str, prm, columns: list[str]):
    k = prm.kind
    if k in ("number", "integer"):
        lo = prm.low if prm.low is not None else -1e6
        hi = prm.high if prm.high is not None else lo + 1e6
        if k == "integer":
            pool = [int(lo), int(lo) + 1, int(min(hi, lo + 10)), int(hi)]
        else:
            pool = [
                float(lo),
                float(lo) + (float(hi) - float(lo)) * 0.01,
                (float(lo) + float(hi)) / 2,
                float(hi) - (float(hi) - float(lo)) * 0.01,
                float(hi),
            ]
        return draw(st.sampled_from(pool))
    if k == "bool":
        return draw(st.booleans())
    if k == "choice":
        return draw(st.sampled_from(list(prm.choices)))
    if k in ("string",):
        return draw(st.sampled_from(["x", "some text <script>", "\U0001f600" * 3]))
    if k == "regex":
        return draw(st.sampled_from(["^[a-z]+$", "(a+)+$", "\\d{3}", "x" * 50, "[", "(?P<n>a)\\1"]))
    if k == "column":
        return draw(st.sampled_from(columns))
    if k == "strings":
        return draw(st.lists(st.sampled_from(columns), min_size=1, max_size=3))
    if k == "columns":
        return draw(
            st.one_of(
                st.sampled_from(["*", "numeric", "categorical", "string", "boolean", "datetime"]),
                st.lists(st.sampled_from(columns), min_size=1, max_size=3),
            )
        )
    if k == "list":
        pool = [0, 1, "a", "b", 2**63 - 1, 2**64, 1.5, "?", -999, "x" * 300, "\ud800"]
        if name == "metrics":
            pool = [
                "representation",
                "base_rate",
                "selection_rate",
                "tpr",
                "fpr",
                "ppv",
                "auc",
                "accuracy",
                "f1",
                "recall",
                "precision",
                "error_rate",
                "mae",
                "rmse",
            ]
        return draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4))
    if k == "mapping":
        return draw(st.sampled_from([{}, {"a": 0.5, "b": 0.5}, {columns[0]: 3}, {columns[0]: [0, 1, 10]}]))
    # any: bounds, sentinels, models ...
    if name == "columns":  # schema
        return draw(st.sampled_from([columns, {c: "integer" for c in columns}, {c: "string" for c in columns}]))
    if name in ("min", "max"):
        return draw(
            st.sampled_from(
                [
                    0,
                    1,
                    -5,
                    2**63 - 2,
                    2**63 - 1,
                    -(2**63),
                    2**64,
                    10**400,
                    1.5,
                    1e308,
                    "2020-01-01",
                    "1500-01-01",
                    "9999-12-31",
                    "x",
                    True,
                ]
            )
        )
    return _any_value(draw)


@st.composite
def suites(draw, columns: list[str], first: str | None = None) -> dict[str, Any]:
    """A suite dict of 1-3 checks drawn from the registry (``first``, when given, leads, so a caller
    can walk the whole registry); now and then with an invalid parameter."""
    cols = [c for c in dict.fromkeys(columns)] or ["a"]
    checks = []
    for i in range(draw(st.integers(1, 3))):
        name = first if (i == 0 and first) else draw(st.sampled_from(sorted(REGISTRY)))
        cls = REGISTRY[name]
        params: dict[str, Any] = {}
        declared = dict(cls.params)
        for key, prm in declared.items():
            if prm.required or draw(st.integers(0, 9)) < 3:
                for _ in range(3):  # valid values: drawn by kind, kept when the Param accepts them
                    value = _param_value(draw, key, prm, cols)
                    try:
                        prm.validate(value)
                    except ValueError:
                        continue
                    params[key] = value
                    break
        if "columns" not in declared and cls.per_column:
            if (
                cls.default_columns is None
                or getattr(cls.default_columns, "__class__", None).__name__ == "_Required"
                or draw(st.booleans())
            ):
                params["columns"] = draw(st.lists(st.sampled_from(cols), min_size=1, max_size=2))
        if draw(st.integers(0, 19)) == 19:  # an invalid value: wrong type or an unknown key
            bad_key = draw(st.sampled_from(sorted(declared) + ["no_such_param"]))
            params[bad_key] = draw(
                st.sampled_from(
                    [
                        [{"x": 1}],
                        "not a number",
                        float("nan"),
                        -1,
                        {"a": [1]},
                        10**30,
                        2**63,
                        -(2**63),
                        10**400,
                        "missing_col",
                    ]
                )
            )
        if draw(st.integers(0, 9)) == 9:
            params["description"] = "<script>alert(1)</script> {{ 7*7 }}"
        checks.append({name: params})
    suite: dict[str, Any] = {"name": draw(st.sampled_from(["fuzz", "<i>x</i>", "\U0001f600"])), "checks": checks}
    if LABEL in columns:
        suite["dataset"] = {"label": LABEL, "prediction": PRED, "protected": [GROUP]}
    return suite


# ----------------------------------------------------------------------------------------------
# the judge

#: text a person did not write: exception class names and library phrases
_RAW = re.compile(
    r"\b[A-Z]\w*(Error|Exception|Warning)\b|Traceback|could not convert|out of bounds|Unsupported cast|"
    r"Invalid UTF8|kth\(|exactly representable|Keys of type|unhashable|NoneType|object of type|"
    r"DictionaryArray|has no attribute|not supported between|codec can't|surrogates not allowed|"
    r"Function '\w+' has no kernel"
)


def raw_message(message: str) -> bool:
    """True when ``message`` carries a bare exception text instead of a person-written one."""
    return bool(_RAW.search(message or ""))


def _hand_counts(df: pd.DataFrame, report, suite: dict) -> list[str]:
    suite_columns, suite_params = {}, {}
    for i, c in enumerate(suite["checks"]):
        ((name, params),) = c.items()
        suite_params[i] = params or {}
        cols = (params or {}).get("columns")
        suite_columns[i] = [cols] if isinstance(cols, str) else cols
    bad = []
    if report.n_rows != len(df):
        bad.append(f"report.n_rows={report.n_rows} but the frame has {len(df)} rows")
    for r in report.results:
        named = suite_columns.get(r.check_index)
        if r.check == "duplicates" and len(df.columns) == 0 and not named and r.status != "skipped":
            bad.append(f"duplicates on a frame with no columns gave {r.status!r}, not 'skipped'")
        if r.status == "error":
            continue
        if r.check == "row_count" and r.observed != len(df):
            bad.append(f"row_count observed {r.observed} but the frame has {len(df)} rows")
        if r.check == "missing" and isinstance(r.observed, dict) and "nulls" in r.observed and r.column in df:
            col = df[r.column]
            expect = int(col.isna().sum())
            if r.observed["count"] != expect and col.dtype != object:
                bad.append(f"missing count {r.observed['count']} != pandas {expect} in {r.column!r}")
        if (
            r.check == "range"
            and isinstance(r.observed, dict)
            and r.column in df
            and df[r.column].dtype.kind in "iuf"
            and isinstance(r.expected, dict)
        ):
            lo, hi = r.expected.get("min"), r.expected.get("max")
            params = suite_params.get(r.check_index, {})
            numeric = all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in (lo, hi))
            if numeric and not params.get("strict_min") and not params.get("strict_max"):
                vals = [v for v in df[r.column].tolist() if pd.notna(v)]  # exact Python ints and floats
                below = sum(1 for v in vals if lo is not None and v < lo)
                above = sum(1 for v in vals if hi is not None and v > hi)
                if (r.observed["below"], r.observed["above"]) != (below, above):
                    bad.append(
                        f"range counts {(r.observed['below'], r.observed['above'])} != exact {(below, above)} "
                        f"in {r.column!r} for [{lo}, {hi}]"
                    )
        if r.check == "duplicates" and isinstance(r.observed, dict) and "duplicates" in r.observed:
            subset = list(suite_columns.get(r.check_index) or df.columns)
            if subset and all(df[c].dtype.kind in "iub" for c in subset):
                expect = int(df.duplicated(subset=subset).sum())
                if r.observed["duplicates"] != expect:
                    bad.append(f"duplicates {r.observed['duplicates']} != pandas {expect} on {subset}")
    return bad


def judge(
    data: Any, suite: dict, *, original: pd.DataFrame | None = None, reference: Any = None
) -> tuple[str, list[str], Any]:
    """Run one case; return (outcome, broken invariants, report or None).

    outcome is ``report`` or ``refused`` (a DatacheckError); ``uncaught`` is one broken invariant.
    """
    before = copy.deepcopy(original) if original is not None else None
    problems: list[str] = []
    try:
        report = datacheck.run(data, suite, reference=reference)
    except DatacheckError as exc:
        if not str(exc).strip():
            problems.append("a DatacheckError with an empty message")
        return "refused", problems, None
    except RecursionError:
        raise
    except Exception as exc:  # the invariant the fuzzer exists for
        return "uncaught", [f"uncaught {type(exc).__name__}: {str(exc)[:300]}"], None
    for r in report.results:
        if r.status not in STATUSES:
            problems.append(f"status {r.status!r} of {r.check}")
        if r.status == "error" and (raw_message(r.message) or not r.message.strip()):
            problems.append(f"raw error text in {r.check}({r.column}): {r.message[:300]}")
        if (r.details or {}).get("internal_error"):
            problems.append(f"internal error in {r.check}({r.column}): {r.details['internal_error'][:300]}")
    if original is not None:
        problems += _hand_counts(original, report, suite)
        if not _same_frame(before, original):
            problems.append("the input frame was modified")
    return "report", problems, report


def _same_frame(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if list(map(str, a.columns)) != list(map(str, b.columns)) or list(a.dtypes) != list(b.dtypes):
        return False
    if not a.index.equals(b.index):
        return False
    for i in range(a.shape[1]):
        x, y = a.iloc[:, i], b.iloc[:, i]
        for u, v in zip(x.tolist(), y.tolist()):
            if u is v:
                continue
            if isinstance(u, float) and isinstance(v, float) and math.isnan(u) and math.isnan(v):
                continue
            try:
                if u is pd.NA or v is pd.NA or u is pd.NaT or v is pd.NaT:
                    if type(u) is not type(v):
                        return False
                    continue
                if not bool(u == v):
                    return False
            except Exception:
                if repr(u) != repr(v):
                    return False
    return True


def verdicts(report) -> list[tuple]:
    """What must not depend on the source: (check, column, status) of every result, in order."""
    return [(r.check, str(r.column), r.status) for r in report.results]
