"""``duplicates``: repeated rows over all columns or a subset."""

import numpy as np
import pandas as pd

import datacheck


def run(df, **params):
    return datacheck.run(df, {"name": "t", "checks": [{"duplicates": params}]}).results[0]


def test_pass_and_fail():
    df = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    assert run(df).status == "pass"
    df = pd.DataFrame({"a": [1, 1, 2, 1], "b": ["x", "x", "y", "x"]})
    r = run(df)
    assert r.status == "fail" and r.observed == {"duplicates": 2, "fraction": 0.5, "groups": 1}
    assert r.evidence == [{"rows": [0, 1, 3]}]


def test_subset_and_threshold():
    df = pd.DataFrame({"a": [1, 1, 2], "b": ["x", "y", "z"]})
    assert run(df).status == "pass"
    assert run(df, columns=["a"]).observed["duplicates"] == 1
    assert run(df, columns=["a"], max_fraction=0.5).status == "pass"


def test_agrees_with_pandas_including_missing_values():
    rng = np.random.default_rng(5)
    df = pd.DataFrame(
        {
            "a": rng.integers(0, 4, 3000).astype(float),
            "b": rng.choice(["x", "y", None], 3000),
            "c": rng.integers(0, 3, 3000),
        }
    )
    df.loc[rng.random(3000) < 0.1, "a"] = np.nan
    assert run(df).observed["duplicates"] == df.duplicated().sum()  # NaN == NaN for duplicate rows


def test_warn_severity_never_fails_the_run():
    rep = datacheck.run(pd.DataFrame({"a": [1, 1]}), {"name": "t", "checks": [{"duplicates": {"severity": "warn"}}]})
    assert rep.results[0].status == "warn" and rep.passed


def test_unknown_subset_column_is_an_error_result():
    r = run(pd.DataFrame({"a": [1]}), columns=["a", "nope"])
    assert r.status == "error" and "nope" in r.message
