"""``row_count``: bounds on the number of rows."""

import pandas as pd
import pytest

import datacheck


def run(n, **params):
    return datacheck.run(pd.DataFrame({"x": range(n)}), {"name": "t", "checks": [{"row_count": params}]}).results[0]


@pytest.mark.parametrize(
    "n,params,status",
    [
        (5, {"min": 5}, "pass"),
        (4, {"min": 5}, "fail"),
        (5, {"max": 5}, "pass"),
        (6, {"max": 5}, "fail"),
        (10, {"min": 1, "max": 100}, "pass"),
    ],
)
def test_bounds(n, params, status):
    r = run(n, **params)
    assert r.status == status
    assert r.observed == n


@pytest.mark.parametrize("params,status", [({"min": 1}, "fail"), ({"max": 0}, "pass")])
def test_empty_frame(params, status):
    r = run(0, **params)
    assert (r.observed, r.status) == (0, status)


def test_warn_severity():
    r = run(3, min=10, severity="warn")
    assert r.status == "warn"


def test_needs_a_bound_and_min_le_max():
    with pytest.raises(datacheck.SuiteError, match="needs 'min', 'max'"):
        datacheck.load_suite({"name": "t", "checks": [{"row_count": {}}]})
    with pytest.raises(datacheck.SuiteError, match="must not exceed max"):
        datacheck.load_suite({"name": "t", "checks": [{"row_count": {"min": 5, "max": 1}}]})


def test_counts_rows_when_other_checks_read_columns():
    suite = {"name": "t", "checks": [{"row_count": {"min": 5, "max": 5}}, {"missing": {"columns": "x"}}]}
    r = datacheck.run(pd.DataFrame({"x": range(5)}), suite).results[0]
    assert (r.observed, r.status) == (5, "pass")
