"""``range``: numbers and dates within [min, max]; exact counts, most extreme rows as evidence."""

import numpy as np
import pandas as pd
import pytest

import datacheck


def run(df, **params):
    return datacheck.run(df, {"name": "t", "checks": [{"range": params}]}).results


def test_numbers_pass_and_fail():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 100, 1000)
    assert run(pd.DataFrame({"x": x}), columns="x", min=0, max=100)[0].status == "pass"
    y = x.copy()
    y[[3, 10]] = [-5.0, -50.0]
    y[500] = 1e6
    r = run(pd.DataFrame({"x": y}), columns="x", min=0, max=100)[0]
    assert r.status == "fail"
    assert (r.observed["below"], r.observed["above"]) == (2, 1)
    assert r.observed["fraction"] == pytest.approx(3 / 1000)
    assert r.observed["min"] == -50.0 and r.observed["max"] == 1e6
    assert {(e["row"], e["value"]) for e in r.evidence} == {(3, -5.0), (10, -50.0), (500, 1e6)}


def test_max_fraction_and_one_sided_bounds():
    df = pd.DataFrame({"x": list(range(100))})
    assert run(df, columns="x", min=5, max_fraction=0.05)[0].status == "pass"
    assert run(df, columns="x", min=5, max_fraction=0.04)[0].status == "fail"
    assert run(df, columns="x", max=99)[0].status == "pass"
    assert run(df, columns="x", max=98)[0].observed["above"] == 1


def test_missing_values_are_not_out_of_range_but_inf_is():
    df = pd.DataFrame({"x": [1.0, np.nan, None, 2.0, np.inf]})
    r = run(df, columns="x", min=0, max=10)[0]
    assert (r.observed["below"], r.observed["above"], r.status) == (0, 1, "fail")


def test_integer_columns_and_default_numeric_selector():
    df = pd.DataFrame({"a": [1, 2, 3], "b": [10, 20, 30], "s": ["x", "y", "z"]})
    res = run(df, min=0, max=15)
    assert {r.column: r.status for r in res} == {"a": "pass", "b": "fail"}


def test_dates():
    d = pd.to_datetime(["2020-01-01", "2020-06-01", "2021-12-31", None])
    df = pd.DataFrame({"d": d})
    assert run(df, columns="d", min="2020-01-01", max="2021-12-31")[0].status == "pass"
    r = run(df, columns="d", min="2020-03-01", max="2021-01-01")[0]
    assert r.status == "fail"
    assert (r.observed["below"], r.observed["above"]) == (1, 1)
    assert r.observed["min"].startswith("2020-01-01")
    assert {e["value"][:10] for e in r.evidence} == {"2020-01-01", "2021-12-31"}


def test_tz_aware_dates():
    d = pd.to_datetime(["2020-01-01T00:00:00Z", "2020-01-02T12:00:00Z"])
    r = run(pd.DataFrame({"d": d}), columns="d", min="2020-01-01", max="2020-01-02")[0]
    assert (r.observed["below"], r.observed["above"]) == (0, 1)


def test_evidence_uses_pandas_index_labels():
    df = pd.DataFrame({"x": [1.0, 200.0, 3.0]}, index=["a", "b", "c"])
    r = run(df, columns="x", max=100)[0]
    assert r.evidence == [{"row": "b", "value": 200.0}]


def test_string_column_is_an_error_result_and_bad_bounds_are_suite_errors():
    df = pd.DataFrame({"s": ["a"], "x": [1]})
    res = run(df, columns=["s", "x"], min=0)
    assert {r.column: r.status for r in res} == {"s": "error", "x": "pass"}
    assert "needs a column of type" in res[0].message
    with pytest.raises(datacheck.SuiteError, match="must not exceed max"):
        datacheck.load_suite({"name": "t", "checks": [{"range": {"columns": "x", "min": 5, "max": 1}}]})
    with pytest.raises(datacheck.SuiteError, match="must be a number or a date"):
        datacheck.load_suite({"name": "t", "checks": [{"range": {"columns": "x", "min": "soon"}}]})
