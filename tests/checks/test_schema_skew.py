"""schema_skew in both directions: columns, types, new/vanished categories, missing rate, range."""

from __future__ import annotations

import numpy as np
import pandas as pd

import datacheck

SUITE = {"name": "t", "checks": ["schema_skew"]}


def _by(rep):
    return {r.column: r for r in rep.results}


def test_untouched_adult_split_passes(adult):
    rng = np.random.default_rng(0)
    idx = rng.permutation(len(adult))
    ref, cur = adult.iloc[idx[:16000]], adult.iloc[idx[16000:]]
    rep = datacheck.run(cur, SUITE, reference=ref)
    assert rep.passed, rep.summary()


def test_realistic_changes_fail(adult):
    rng = np.random.default_rng(1)
    idx = rng.permutation(len(adult))
    ref, cur = adult.iloc[idx[:16000]].reset_index(drop=True), adult.iloc[idx[16000:]].reset_index(drop=True).copy()
    cur.loc[cur["workclass"].isna(), "workclass"] = "UNKNOWN"     # pipeline turns missing into a sentinel
    cur["age"] = cur["age"] * 12                                  # months instead of years
    cur = cur.drop(columns=["race"])                               # a column dropped upstream
    cur["education-num"] = cur["education-num"].astype(str)       # a type change
    by = _by(datacheck.run(cur, SUITE, reference=ref))
    assert by[None].status == "fail"
    assert by[None].observed["only_in_reference"] == ["race"] and "education-num" in by[None].observed["type_changes"]
    w = by["workclass"]
    assert w.status == "fail" and w.observed["new_categories"] == ["UNKNOWN"]
    assert w.observed["missing_rate_current"] == 0 and w.observed["missing_rate_reference"] > 0.05
    assert by["age"].status == "fail" and by["age"].observed["above"] > 0
    assert by["occupation"].status == "pass"


def test_vanished_category_and_int_float_widening():
    ref = pd.DataFrame({"c": ["a", "b", "c"] * 1000, "x": np.arange(3000)})
    cur = pd.DataFrame({"c": ["a", "b"] * 1500, "x": np.arange(3000, dtype=float)})
    by = _by(datacheck.run(cur, SUITE, reference=ref))
    assert by[None].status == "pass" and "x" in by[None].observed["type_changes"]
    assert by["c"].status == "fail" and by["c"].observed["vanished_categories"] == ["c"]
    assert by["x"].status == "pass"


def test_rare_values_are_not_flagged_by_chance():
    rng = np.random.default_rng(3)
    vals = [f"v{i}" for i in range(3000)]
    ref = pd.DataFrame({"c": rng.choice(vals, 5000)})
    cur = pd.DataFrame({"c": rng.choice(vals, 5000)})
    r = _by(datacheck.run(cur, SUITE, reference=ref))["c"]
    assert r.observed["new_share"] > 0.1  # many unseen values, as expected for a high-cardinality column
    assert r.status == "pass"


def test_no_reference_skips_and_options():
    df = pd.DataFrame({"a": [1, 2]})
    assert datacheck.run(df, SUITE).results[0].status == "skipped"
    ref = pd.DataFrame({"a": [1, 2], "b": [1, 2]})
    suite = {"name": "t", "checks": [{"schema_skew": {"allow_missing_columns": True}}]}
    assert datacheck.run(df, suite, reference=ref).passed
