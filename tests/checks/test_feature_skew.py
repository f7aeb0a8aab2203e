"""feature_skew in both directions, exact and sampled (bounded) joins."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import datacheck


@pytest.fixture(scope="module")
def keyed(adult):
    return adult.reset_index().rename(columns={"index": "rid"})


def _suite(**p):
    return {"name": "t", "dataset": {"id": "rid"}, "checks": [{"feature_skew": p}]}


def test_identical_logs_pass_in_any_order(keyed):
    cur = keyed.sample(frac=1.0, random_state=0)
    cur["age"] = cur["age"].astype(float)  # int vs float logging of the same values is not skew
    rep = datacheck.run(cur, _suite(), reference=keyed)
    assert rep.passed
    assert rep.results[0].observed["matched"] == len(keyed)


def test_skewed_feature_fails_exact_and_sampled(keyed):
    cur = keyed.copy()
    rows = cur.sample(frac=0.03, random_state=1).index
    cur.loc[rows, "hours-per-week"] = 0
    exact = {r.column: r for r in datacheck.run(cur, _suite(), reference=keyed).results}
    assert exact["hours-per-week"].status == "fail"
    assert exact["hours-per-week"].observed["differing"] == len(rows)
    assert exact["age"].status == "pass"
    sampled = {r.column: r for r in datacheck.run(cur, _suite(max_ids=3000), reference=keyed).results}
    assert sampled[None].observed["sampled"] and sampled[None].observed["matched"] == 3000
    lo, hi = sampled["hours-per-week"].interval
    assert lo <= 0.03 <= hi and sampled["hours-per-week"].status == "fail"


def test_partial_overlap_and_tolerated_fraction(keyed):
    ref = keyed.iloc[:20000]
    cur = keyed.iloc[10000:].copy()
    cur.loc[cur.index[:50], "sex"] = "?"
    rep = datacheck.run(cur, _suite(max_fraction=0.01), reference=ref)
    by = {r.column: r for r in rep.results}
    assert by[None].observed["matched"] == 10000 and by[None].observed["only_current"] == len(cur) - 10000
    assert by["sex"].observed["differing"] == 50 and by["sex"].status == "pass"


def test_without_id_role_is_skipped():
    df = pd.DataFrame({"x": np.arange(10)})
    r = datacheck.run(df, {"name": "t", "checks": ["feature_skew"]}, reference=df).results[0]
    assert r.status == "skipped"


def test_exactly_max_ids_ids_is_an_exact_join():
    ref = pd.DataFrame({"rid": range(100), "x": np.arange(100.0)})
    cur = ref.copy()
    cur.loc[:4, "x"] = -1.0
    rep = datacheck.run(cur, _suite(max_ids=100), reference=ref)
    join = rep.results[0].observed
    assert join["matched"] == 100 and join["sampled"] is False
    assert rep.results[1].observed["differing"] == 5
    rep = datacheck.run(cur, _suite(max_ids=100), reference=pd.concat([ref, ref.iloc[:7]]))
    assert rep.results[0].observed["duplicate_ids_reference"] == 7 and rep.results[0].observed["sampled"] is False


def test_explicit_columns_never_compare_the_id(keyed):
    rep = datacheck.run(keyed.head(300), _suite(columns=["rid", "age", "nope"]), reference=keyed.head(300))
    assert [r.column for r in rep.results] == [None, "age"]
