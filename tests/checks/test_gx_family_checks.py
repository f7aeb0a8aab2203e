"""The checks added for Great Expectations parity, each tested both ways (fires on the fault,
silent on clean data) against pandas/numpy computed directly."""

import numpy as np
import pandas as pd
import pytest

import datacheck


def run1(df, name, **params):
    return datacheck.run(df, {"name": "t", "checks": [{name: params}]}).results


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(7)
    n = 5_000
    return pd.DataFrame(
        {
            "x": rng.normal(50, 10, n),
            "k": rng.integers(0, 5, n),
            "zip": [f"{v:05d}" for v in rng.integers(0, 99_999, n)],
            "c": rng.choice(["a", "b", "c"], n, p=[0.6, 0.3, 0.1]),
        }
    )


# -- value_lengths ---------------------------------------------------------------------------------
def test_value_lengths_both_ways(frame):
    (r,) = run1(frame, "value_lengths", columns="zip", min=5, max=5)
    assert r.status == "pass" and r.observed["min_length"] == 5 == r.observed["max_length"]
    bad = frame.assign(zip=frame["zip"].where(frame.index % 50 != 0, "123"))
    (r,) = run1(bad, "value_lengths", columns="zip", min=5, max=5)
    assert r.status == "fail" and r.observed["outside"] == (bad["zip"].str.len() != 5).sum() == 100
    assert r.evidence[0] == {"value": "123", "length": 3, "count": 100}
    (r,) = run1(bad, "value_lengths", columns="zip", min=5, max=5, max_fraction=0.03)
    assert r.status == "pass"


def test_value_lengths_counts_characters_and_ignores_missing():
    (r,) = run1(pd.DataFrame({"s": ["Zoë", "日本語", None]}), "value_lengths", columns="s", max=3)
    assert r.status == "pass" and r.observed["max_length"] == 3


def test_value_lengths_suite_errors():
    with pytest.raises(datacheck.SuiteError, match="needs 'min', 'max' or both"):
        datacheck.load_suite({"name": "t", "checks": [{"value_lengths": {"columns": "s"}}]})
    with pytest.raises(datacheck.SuiteError, match="must not exceed max"):
        datacheck.load_suite({"name": "t", "checks": [{"value_lengths": {"columns": "s", "min": 4, "max": 2}}]})


# -- statistic -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "stat,fn",
    [
        ("mean", pd.Series.mean),
        ("median", pd.Series.median),
        ("min", pd.Series.min),
        ("max", pd.Series.max),
        ("stdev", pd.Series.std),
        ("sum", pd.Series.sum),
    ],
)
def test_statistic_matches_pandas_and_fires(frame, stat, fn):
    x = frame["x"].where(frame.index % 7 != 0)  # with missing values
    df = pd.DataFrame({"x": x})
    truth = float(fn(x))
    (r,) = run1(df, "statistic", columns="x", stat=stat, min=truth - 1e-6 * abs(truth), max=truth + 1e-6 * abs(truth))
    assert r.status == "pass" and r.observed == pytest.approx(truth, rel=1e-12)
    (r,) = run1(df, "statistic", columns="x", stat=stat, min=truth + 1)
    assert r.status == "fail"
    (r,) = run1(df, "statistic", columns="x", stat=stat, max=truth, strict_max=True)
    assert r.status == "fail"  # an open bound excludes the value itself


def test_statistic_empty_column_fails_clearly():
    (r,) = run1(pd.DataFrame({"x": [np.nan, np.nan]}), "statistic", columns="x", stat="mean", min=0)
    assert r.status == "fail" and "undefined" in r.message


def test_statistic_severity_warn(frame):
    (r,) = run1(frame, "statistic", columns="x", stat="mean", max=0, severity="warn")
    assert r.status == "warn"


# -- quantiles -------------------------------------------------------------------------------------
@pytest.mark.parametrize("interp", ["linear", "nearest"])
def test_quantiles_exact_both_interpolations(frame, interp):
    qs = [0.1, 0.25, 0.5, 0.9, 0.999]
    truth = frame["x"].quantile(qs, interpolation=interp).tolist()
    ranges = [[t - 1e-9, t + 1e-9] for t in truth]
    (r,) = run1(frame, "quantiles", columns="x", quantiles=qs, ranges=ranges, interpolation=interp)
    assert r.status == "pass", r.message
    assert [r.observed[q] for q in qs] == pytest.approx(truth, abs=1e-9)
    ranges[2] = [truth[2] + 0.5, None]
    (r,) = run1(frame, "quantiles", columns="x", quantiles=qs, ranges=ranges, interpolation=interp)
    assert r.status == "fail" and "q0.5" in r.message


def test_quantiles_suite_errors():
    with pytest.raises(datacheck.SuiteError, match="one per quantile"):
        datacheck.load_suite(
            {"name": "t", "checks": [{"quantiles": {"columns": "x", "quantiles": [0.5], "ranges": []}}]}
        )
    with pytest.raises(datacheck.SuiteError, match=r"ranges\[0\]"):
        datacheck.load_suite(
            {"name": "t", "checks": [{"quantiles": {"columns": "x", "quantiles": [0.5], "ranges": [[3, 1]]}}]}
        )
    with pytest.raises(datacheck.SuiteError, match=r"numbers in \[0, 1\]"):
        datacheck.load_suite(
            {"name": "t", "checks": [{"quantiles": {"columns": "x", "quantiles": [1.5], "ranges": [[0, 1]]}}]}
        )


# -- most_common_value -----------------------------------------------------------------------------
def test_most_common_value_both_ways(frame):
    assert run1(frame, "most_common_value", columns="c", values=["a"])[0].status == "pass"
    (r,) = run1(frame, "most_common_value", columns="c", values=["b", "c"])
    assert r.status == "fail" and r.observed == ["a"]
    assert run1(frame, "most_common_value", columns="k", values=[frame["k"].mode()[0]])[0].status == "pass"


def test_most_common_value_ties():
    df = pd.DataFrame({"c": ["a", "a", "b", "b", "c"]})
    assert run1(df, "most_common_value", columns="c", values=["a"])[0].status == "fail"
    assert run1(df, "most_common_value", columns="c", values=["a"], ties_okay=True)[0].status == "pass"
    assert run1(df, "most_common_value", columns="c", values=["c"], ties_okay=True)[0].status == "fail"


# -- distinct_values -------------------------------------------------------------------------------
def test_distinct_values_counts_and_ratio(frame):
    (r,) = run1(frame, "distinct_values", columns="k", min_count=5, max_count=5)
    assert r.status == "pass" and r.observed["distinct"] == frame["k"].nunique()
    assert run1(frame, "distinct_values", columns="k", max_count=4)[0].status == "fail"
    ratio = frame["zip"].nunique() / len(frame)
    (r,) = run1(frame, "distinct_values", columns="zip", min_ratio=ratio - 1e-9)
    assert r.status == "pass" and r.observed["ratio"] == pytest.approx(ratio)
    assert run1(frame, "distinct_values", columns="zip", min_ratio=1.0)[0].status == "fail"
    (r,) = run1(pd.DataFrame({"x": [1.0, np.nan, 1.0, 2.0, None]}), "distinct_values", columns="x", min_ratio=0.6)
    assert r.observed == {"distinct": 2, "ratio": 2 / 3, "non_missing": 3} and r.status == "pass"


def test_distinct_values_sets(frame):
    assert run1(frame, "distinct_values", columns="c", subset_of=["a", "b", "c", "d"])[0].status == "pass"
    assert run1(frame, "distinct_values", columns="c", subset_of=["a", "b"])[0].observed["unexpected"] == ["c"]
    assert run1(frame, "distinct_values", columns="c", superset_of=["a", "b"])[0].status == "pass"
    assert run1(frame, "distinct_values", columns="c", equal_to=["a", "b", "c"])[0].status == "pass"
    (r,) = run1(frame, "distinct_values", columns="c", equal_to=["a", "b", "c", "d"])
    assert r.status == "fail" and r.observed["missing_from_data"] == ["d"]
    assert run1(frame, "distinct_values", columns="k", subset_of=[0, 1, 2, 3, 4.0])[0].status == "pass"
    with pytest.raises(datacheck.SuiteError, match="needs at least one of"):
        datacheck.load_suite({"name": "t", "checks": [{"distinct_values": {"columns": "c"}}]})


# -- forbidden_values ------------------------------------------------------------------------------
def test_forbidden_values_both_ways(frame):
    assert run1(frame, "forbidden_values", columns="c", values=["z", "N/A"])[0].status == "pass"
    (r,) = run1(frame, "forbidden_values", columns="c", values=["c"])
    assert r.status == "fail" and r.observed["found"] == (frame["c"] == "c").sum()
    assert r.evidence == [{"value": "c", "count": int((frame["c"] == "c").sum())}]
    assert run1(frame, "forbidden_values", columns="k", values=[-1])[0].status == "pass"
    assert run1(frame, "forbidden_values", columns="k", values=[4])[0].status == "fail"


# -- pattern negate, schema ordered ----------------------------------------------------------------
def test_pattern_negate_both_ways(frame):
    assert run1(frame, "pattern", columns="zip", regex="[a-z]", search=True, negate=True)[0].status == "pass"
    bad = frame.assign(zip=frame["zip"].where(frame.index % 100 != 0, "12a45"))
    (r,) = run1(bad, "pattern", columns="zip", regex="[a-z]", search=True, negate=True)
    assert r.status == "fail" and r.observed["matched"] == 50 and r.evidence[0]["value"] == "12a45"


def test_schema_ordered():
    df = pd.DataFrame({"a": [1], "b": ["x"]})
    ok = run1(df, "schema", columns=["a", "b"], ordered=True)
    assert [r.status for r in ok] == ["pass", "pass", "pass"]
    rs = run1(df, "schema", columns=["b", "a"], ordered=True)
    assert [r.status for r in rs] == ["pass", "pass", "fail"]


def test_input_not_modified(frame):
    before = frame.copy()
    run1(frame, "quantiles", columns="x", quantiles=[0.5], ranges=[[0, 100]], interpolation="nearest")
    run1(frame, "value_lengths", columns="zip", min=1)
    pd.testing.assert_frame_equal(frame, before)


def test_range_strict_bounds():
    df = pd.DataFrame({"x": [0.0, 0.5, 1.0]})
    assert run1(df, "range", columns="x", min=0, max=1)[0].status == "pass"
    (r,) = run1(df, "range", columns="x", min=0, max=1, strict_min=True)
    assert r.status == "fail" and r.observed["below"] == 1 and r.observed["above"] == 0
    (r,) = run1(df, "range", columns="x", min=0, max=1, strict_min=True, strict_max=True)
    assert r.observed["below"] + r.observed["above"] == 2


def test_unique_count_all_counts_every_copy():
    df = pd.DataFrame({"k": [1, 1, 2, 3, 3, 3]})
    assert run1(df, "unique", columns="k")[0].observed["duplicates"] == 3
    (r,) = run1(df, "unique", columns="k", count_all=True, max_fraction=0.8)
    assert r.observed["duplicates"] == int(df["k"].duplicated(keep=False).sum()) == 5 and r.status == "fail"
