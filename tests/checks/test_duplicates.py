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


def _coarse(n, seed=0):
    """Seven coarse independent columns (like the carData Arrests table): rows repeat by chance."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({f"c{j}": rng.integers(0, k, n) for j, k in enumerate((2, 2, 2, 2, 3, 6, 7))})


def test_coarse_table_repeats_by_chance_and_warns():
    df = _coarse(1000)
    r = datacheck.run(df, {"name": "t", "checks": ["duplicates"]})
    res = r.results[0]
    assert res.observed["fraction"] > 0.05 and res.status == "warn" and r.passed
    assert res.details["chance_share"] > 0.001 and "by chance" in res.message
    # a threshold the suite sets gates, coarse or not
    r = datacheck.run(df, {"name": "t", "checks": [{"duplicates": {"max_fraction": 0.01}}]})
    assert r.results[0].status == "fail" and "chance_share" not in r.results[0].details


def test_copied_rows_in_a_fine_table_fail_even_when_copies_make_values_repeat():
    """2% of rows loaded twice: the copies repeat values of the fine column, but chance is judged
    with the copies set aside, so the check still fails."""
    rng = np.random.default_rng(1)
    a = pd.DataFrame({"x": rng.normal(size=1000), "g": rng.integers(0, 3, 1000)})
    df = pd.concat([a, a.iloc[:20]], ignore_index=True)
    res = datacheck.run(df, {"name": "t", "checks": ["duplicates"]}).results[0]
    assert res.status == "fail" and res.observed["duplicates"] == 20 and res.details["chance_share"] < 0.001


def test_chance_is_not_asked_for_within_tolerance():
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"x": rng.normal(size=5000)})
    rep = datacheck.run(df, {"name": "t", "checks": ["duplicates"]})
    assert rep.results[0].status == "pass" and rep.passes == 1


def test_an_empty_column_list_is_a_suite_error_not_all_columns():
    import pytest

    from datacheck.errors import SuiteError

    with pytest.raises(SuiteError, match="duplicates.columns must name at least one column"):
        datacheck.run(pd.DataFrame({"a": [1, 1]}), {"name": "s", "checks": [{"duplicates": {"columns": []}}]})
