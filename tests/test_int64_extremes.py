"""Integers at the int64 extremes: compared exactly, and usable as model features (issue 15)."""

import numpy as np
import pandas as pd
import pytest

import datacheck

TOP = 2**63 - 1


@pytest.mark.parametrize("dtype", ["int64", "Int64"])
def test_range_compares_integers_exactly(dtype):
    df = pd.DataFrame({"x": pd.Series([TOP, 5, -(2**63)], dtype=dtype)})

    def above(mx):
        r = datacheck.run(df, {"name": "s", "checks": [{"range": {"columns": "x", "max": mx}}]}).results[0]
        return r.status, r.observed["above"]

    assert above(TOP - 1) == ("fail", 1)  # float64 would call 2**63-2 and 2**63-1 equal
    assert above(TOP) == ("pass", 0)
    assert above(2**64) == ("pass", 0)


def test_allowed_values_exact_at_the_extremes():
    df = pd.DataFrame({"x": pd.Series([TOP, TOP - 1, 2**53 + 1], dtype="int64")})
    r = datacheck.run(df, {"name": "s", "checks": [{"allowed_values": {"columns": "x", "values": [TOP, 2**53 + 1]}}]})
    assert r.results[0].status == "fail" and r.results[0].observed["outside"] == 1


def test_model_checks_take_huge_integer_features():
    rng = np.random.default_rng(0)
    n = 200
    df = pd.DataFrame(
        {"big": rng.choice([TOP, 5, -(2**63)], n), "f": rng.normal(size=n), "label": rng.integers(0, 2, n)}
    )
    r = datacheck.run(df, {"name": "s", "dataset": {"label": "label"}, "checks": [{"label_errors": {"folds": 2}}]})
    assert r.results[0].status in ("pass", "fail") and "internal_error" not in r.results[0].details
    r = datacheck.run(df, {"name": "s", "checks": [{"multivariate_drift": {"sample_size": 100}}]}, reference=df)
    assert r.results[0].status in ("pass", "fail") and "internal_error" not in r.results[0].details


def test_bounds_beyond_the_float_range_still_count_infinities():
    df = pd.DataFrame({"x": [np.inf, 1.0, -np.inf, np.nan]})
    r = datacheck.run(df, {"name": "s", "checks": [{"range": {"columns": "x", "min": -(10**400), "max": 10**400}}]})
    assert (r.results[0].observed["below"], r.results[0].observed["above"]) == (1, 1)


def test_worst_slices_takes_huge_integer_targets():
    rng = np.random.default_rng(0)
    n = 300
    df = pd.DataFrame({"y": rng.choice([TOP, 5, -(2**63)], n), "g": rng.choice(["a", "b"], n)})
    r = datacheck.run(
        df,
        {
            "name": "s",
            "dataset": {"label": "y", "prediction": "y"},
            "checks": [{"worst_slices": {"metric": "squared_error", "features": ["g"]}}],
        },
    )
    assert r.results and all("internal_error" not in x.details for x in r.results)
