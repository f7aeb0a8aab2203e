"""multivariate_drift in both directions: a joint shift with unchanged marginals is caught."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import datacheck

SMALL = {"sample_size": 1500, "folds": 3, "max_iter": 40}


@pytest.mark.slow
def test_joint_shift_caught_untouched_split_passes(adult):
    rng = np.random.default_rng(0)
    idx = rng.permutation(len(adult))
    ref, cur = adult.iloc[idx[:16000]].reset_index(drop=True), adult.iloc[idx[16000:]].reset_index(drop=True)
    suite = {"name": "t", "dataset": {"label": "income"}, "checks": [{"multivariate_drift": SMALL}]}
    r = datacheck.run(cur, suite, reference=ref).results[0]
    assert r.status == "pass" and r.details["p_value"] >= 0.05
    # break the age / marital-status relation; both marginals stay exactly the same
    swapped = cur.copy()
    swapped["age"] = swapped["age"].sample(frac=1.0, random_state=1).to_numpy()
    r = datacheck.run(swapped, suite, reference=ref).results[0]
    assert r.status == "fail" and r.effect_size > 0.55
    assert r.details["top_features"][0]["column"] in ("age", "marital-status", "relationship")
    drift = datacheck.run(
        swapped, {"name": "t", "checks": [{"drift": {"columns": ["age", "marital-status"]}}]}, reference=ref
    )
    assert drift.passed  # per-column drift cannot see it


def test_too_few_rows_is_skipped():
    df = pd.DataFrame({"x": np.arange(20.0)})
    r = datacheck.run(df, {"name": "t", "checks": ["multivariate_drift"]}, reference=df).results[0]
    assert r.status == "skipped"


def test_all_missing_columns_are_dropped_not_a_crash():
    rng = np.random.default_rng(0)
    ref = pd.DataFrame({"a": rng.normal(size=500), "z": np.nan})
    cur = pd.DataFrame({"a": rng.normal(size=500), "z": np.nan})
    suite = {"name": "t", "checks": [{"multivariate_drift": SMALL}]}
    r = datacheck.run(cur, suite, reference=ref).results[0]
    assert r.status == "pass"
    assert r.details["dropped_features"] == {"z": "all values missing in both samples"}
    assert r.details["columns_used"] == ["a"] and "'z': all values missing" in r.message
    # a column with a single value: missing in every training row of one fold
    sparse = cur.assign(z=np.r_[[1.0], np.full(499, np.nan)])
    r = datacheck.run(sparse, suite, reference=ref).results[0]
    assert r.status in ("pass", "fail") and r.details["columns_used"] == ["a", "z"]
    r = datacheck.run(cur[["z"]], suite, reference=ref[["z"]]).results[0]
    assert r.status == "error" and "all values missing" in r.message
