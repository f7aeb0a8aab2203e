"""``schema``: required columns and logical types; unexpected columns when allow_extra is false."""

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest

import datacheck


def run(data, **params):
    return datacheck.run(data, {"name": "t", "checks": [{"schema": params}]})


@pytest.fixture
def frame():
    return pd.DataFrame(
        {
            "i": pd.array([1, 2, 3], dtype="int64"),
            "f": [1.5, 2.5, None],
            "s": ["a", "b", "c"],
            "c": pd.Categorical(["x", "y", "x"]),
            "b": [True, False, True],
            "d": pd.to_datetime(["2020-01-01", "2021-01-01", None]),
        }
    )


def test_passes_when_types_match(frame):
    r = run(
        frame,
        columns={"i": "integer", "f": "float", "s": "string", "c": "categorical", "b": "boolean", "d": "datetime"},
        allow_extra=False,
    )
    assert r.passed
    assert [x.status for x in r.results] == ["pass"] * 7
    assert {x.column: x.observed for x in r.results if x.column} == {
        "i": "integer",
        "f": "float",
        "s": "string",
        "c": "categorical",
        "b": "boolean",
        "d": "datetime",
    }


def test_numeric_and_any(frame):
    r = run(frame, columns={"i": "numeric", "f": "numeric", "s": "any"})
    assert r.passed


def test_wrong_type_fails(frame):
    r = run(frame, columns={"i": "string", "s": "integer", "d": "float"})
    assert not r.passed
    assert [x.status for x in r.results] == ["fail", "fail", "fail"]
    assert "expected string" in r.results[0].message


def test_missing_required_column_fails(frame):
    r = run(frame, columns=["i", "nope"])
    st = {x.column: x.status for x in r.results}
    assert st == {"i": "pass", "nope": "fail"}
    assert "'nope'" in r.select(column="nope")[0].message


def test_unexpected_columns(frame):
    r = run(frame, columns=["i", "f"], allow_extra=False)
    extra = [x for x in r.results if x.column is None][0]
    assert extra.status == "fail"
    assert extra.observed == ["s", "c", "b", "d"]
    assert run(frame, columns=["i", "f"]).passed  # allow_extra defaults to true


def test_arrow_types():
    t = pa.table(
        {
            "d32": pa.array([dt.date(2020, 1, 1)], pa.date32()),
            "i8": pa.array([1], pa.int8()),
            "ls": pa.array(["a"], pa.large_string()),
            "dec": pa.array([1], pa.decimal128(5, 2)),
        }
    )
    assert run(t, columns={"d32": "datetime", "i8": "integer", "ls": "string", "dec": "float"}).passed


def test_bad_type_name_is_a_suite_error():
    with pytest.raises(datacheck.SuiteError, match="columns.a must be one of"):
        datacheck.load_suite({"name": "t", "checks": [{"schema": {"columns": {"a": "text"}}}]})
