"""``allowed_values``: every non-missing value is in the set."""

import numpy as np
import pandas as pd
import pytest

import datacheck


def run(df, **params):
    return datacheck.run(df, {"name": "t", "checks": [{"allowed_values": params}]}).results[0]


def test_strings_pass_and_fail():
    assert run(pd.DataFrame({"s": ["F", "M", None, "F"]}), columns="s", values=["F", "M"]).status == "pass"
    r = run(pd.DataFrame({"s": ["F", "M", "x", "x", "y", None]}), columns="s", values=["F", "M"])
    assert r.status == "fail"
    assert r.observed == {"outside": 3, "fraction": 3 / 5}
    assert r.evidence == [{"value": "x", "count": 2}, {"value": "y", "count": 1}]


def test_case_and_whitespace_matter():
    r = run(pd.DataFrame({"s": ["F", "f", "F "]}), columns="s", values=["F"])
    assert r.observed["outside"] == 2


def test_numbers_booleans_and_categoricals():
    assert run(pd.DataFrame({"i": [0, 1, 2, 1]}), columns="i", values=[0, 1, 2]).status == "pass"
    r = run(pd.DataFrame({"i": [0, 1, 7]}), columns="i", values=[0, 1])
    assert r.evidence == [{"value": 7, "count": 1}]
    r = run(pd.DataFrame({"f": [0.5, 1.0, np.nan, 2.0]}), columns="f", values=[0.5, 1])
    assert r.observed == {"outside": 1, "fraction": 1 / 3}  # NaN is missing, not outside
    assert run(pd.DataFrame({"b": [True, True]}), columns="b", values=[True]).status == "pass"
    assert run(pd.DataFrame({"b": [True, False]}), columns="b", values=[True]).status == "fail"
    c = pd.DataFrame({"c": pd.Categorical(["a", "b", "z"])})
    assert run(c, columns="c", values=["a", "b"]).observed["outside"] == 1


def test_max_fraction():
    df = pd.DataFrame({"s": ["a"] * 95 + ["b"] * 5})
    assert run(df, columns="s", values=["a"], max_fraction=0.05).status == "pass"
    assert run(df, columns="s", values=["a"], max_fraction=0.04).status == "fail"


def test_suite_errors():
    with pytest.raises(datacheck.SuiteError, match="values"):
        datacheck.load_suite({"name": "t", "checks": [{"allowed_values": {"columns": "s"}}]})
    with pytest.raises(datacheck.SuiteError, match="at least one value"):
        datacheck.load_suite({"name": "t", "checks": [{"allowed_values": {"columns": "s", "values": []}}]})
