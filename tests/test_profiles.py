"""Saved reference profiles: round trip, same verdicts as the data itself, no pickle, streamed Parquet."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import datacheck
from datacheck.errors import DataError
from datacheck.profiles import Profile

SUITE = {
    "name": "shift",
    "dataset": {"label": "income", "id": "rid"},
    "checks": [
        "drift",
        "schema_skew",
        "label_drift",
        "feature_skew",
        {"multivariate_drift": {"sample_size": 400, "folds": 2, "max_iter": 20}},
    ],
}


@pytest.fixture(scope="module")
def split(adult):
    df = adult.reset_index().rename(columns={"index": "rid"})
    rng = np.random.default_rng(0)
    idx = rng.permutation(len(df))
    ref, cur = df.iloc[idx[:12000]].reset_index(drop=True), df.iloc[idx[12000:20000]].reset_index(drop=True).copy()
    cur["hours-per-week"] = cur["hours-per-week"] + 3
    cur.loc[cur.index[:200], "workclass"] = "Gig-worker"
    return ref, cur


def _verdicts(rep):
    return [(r.check, r.column, r.status, r.to_dict()["effect_size"], r.to_dict()["p_value"]) for r in rep.results]


@pytest.mark.slow
def test_profile_round_trip_gives_the_same_report(split, tmp_path):
    ref, cur = split
    prof = datacheck.profile(ref, SUITE)
    path = tmp_path / "train.profile.json"
    prof.save(path)
    loaded = Profile.load(path)
    assert loaded.n_rows == len(ref) and set(loaded.columns) == set(ref.columns)
    assert loaded.columns["age"].logical == "integer"
    assert set(loaded.metrics.found) == set(prof.metrics.found)
    direct = datacheck.run(cur, SUITE, reference=ref)
    via_obj = datacheck.run(cur, SUITE, reference=loaded)
    via_path = datacheck.run(cur, SUITE, reference=str(path))
    assert _verdicts(direct) == _verdicts(via_obj) == _verdicts(via_path)
    assert not direct.passed
    assert via_path.reference_rows == len(ref) and "profile of" in via_path.reference
    # a profile needs nothing more of the reference: the current data's columns are read once, a column
    # at a time, and one pass over its rows takes the sample and the keyed hashes
    assert via_path.passes == 2


def test_profile_file_is_versioned_json_without_pickle(split, tmp_path):
    ref, _ = split
    suite = {"name": "s", "checks": ["drift"]}
    path = tmp_path / "p.profile.json"
    datacheck.profile(ref, suite).save(path)
    d = json.loads(path.read_text())
    assert d["format"] == "datacheck-profile" and d["version"] == 1
    assert d["suite"]["name"] == "s" and len(d["suite"]["hash"]) == 16
    assert d["datacheck_version"] == datacheck.__version__ and d["n_rows"] == len(ref)
    assert d["columns"]["sex"]["logical"] == "string"
    text = path.read_text()
    assert "pickle" not in text and "__reduce__" not in text
    # a kernel name from outside datacheck.kernels is refused (even with the checksum removed)
    d.pop("checksum")
    d["metrics"][0]["kernel"]["__kernel__"] = "os:system"
    with pytest.raises(DataError, match="not a datacheck kernel"):
        Profile.from_dict(d)
    d["version"] = 99
    with pytest.raises(DataError, match="version"):
        Profile.from_dict(d)


def test_profile_of_another_suite_reports_missing_statistics(split):
    ref, cur = split
    prof = datacheck.profile(ref, {"name": "s", "checks": [{"drift": {"columns": ["age"]}}]})
    rep = datacheck.run(cur, {"name": "s", "checks": [{"drift": {"columns": ["age", "sex"]}}]}, reference=prof)
    by = {r.column: r for r in rep.results}
    assert by["age"].status == "pass"
    assert by["sex"].status == "error" and "profile does not hold" in by["sex"].message


def test_missing_profile_file_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        datacheck.run(
            pd.DataFrame({"x": [1]}), {"name": "s", "checks": ["drift"]}, reference=str(tmp_path / "nope.profile.json")
        )


def test_streamed_parquet_reference_equals_in_memory(split, tmp_path):
    ref, cur = split
    suite = {"name": "s", "dataset": {"label": "income"}, "checks": ["drift", "schema_skew", "label_drift"]}
    path = tmp_path / "ref.parquet"
    pq.write_table(pa.Table.from_pandas(ref, preserve_index=False), path, row_group_size=1000)
    streamed = datacheck.run(cur, suite, reference=str(path), batch_rows=1500)
    memory = datacheck.run(cur, suite, reference=ref)
    _same(_verdicts(streamed), _verdicts(memory))
    prof_stream = datacheck.profile(str(path), suite, batch_rows=777)
    _same(_verdicts(datacheck.run(cur, suite, reference=prof_stream)), _verdicts(memory))


def _same(a, b):
    """Same verdicts; numbers equal up to the order floating-point sums were added in."""
    assert [x[:3] for x in a] == [x[:3] for x in b]
    for x, y in zip(a, b):
        for u, v in zip(x[3:], y[3:]):
            assert (u is None and v is None) or u == pytest.approx(v, rel=1e-9, abs=1e-12)


def test_empty_suite_and_profile_without_shift_checks_are_suite_errors():
    """Neither a run that judges nothing nor a profile that holds nothing reads as success."""
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    with pytest.raises(datacheck.SuiteError, match="the suite has no checks"):
        datacheck.run(df, {"name": "empty", "checks": []})
    with pytest.raises(datacheck.SuiteError, match="the suite has no shift check") as ei:
        datacheck.profile(df, {"name": "integrity", "checks": ["missing"]})
    assert "drift" in str(ei.value)


def test_profile_serves_drift_on_high_cardinality_categories(tmp_path):
    """Over 10,000 distinct values the category counts are approximate and drift compares exact
    hash-bucket counts; a profile keeps the reference's buckets, so a saved
    profile gives the same verdict as the reference data itself (it used to be an error)."""
    rng = np.random.default_rng(0)
    ref = pd.DataFrame({"c": rng.integers(0, 30_000, 40_000).astype(str)})
    cur = pd.DataFrame({"c": rng.integers(0, 30_000, 40_000).astype(str)})
    shifted = pd.DataFrame({"c": rng.integers(0, 15_000, 40_000).astype(str)})
    suite = {"name": "s", "checks": ["drift"]}
    path = tmp_path / "p.json"
    datacheck.profile(ref, suite).save(path)
    for data, want in ((cur, "pass"), (shifted, "fail")):
        live = datacheck.run(data, suite, reference=ref).results[0]
        saved = datacheck.run(data, suite, reference=str(path)).results[0]
        assert live.status == saved.status == want, (live.message, saved.message)
        assert saved.p_value == pytest.approx(live.p_value) and saved.effect_size == pytest.approx(live.effect_size)


def test_a_profile_saved_by_an_earlier_release_gives_the_same_results():
    """tests/fixtures/profile_v1_93587cd.json was saved by datacheck at commit 93587cd (before the
    quantile summary replaced KLL and the reference's edges came from whole columns) from the data
    rebuilt here; today's code loads it and judges the same data exactly as against the raw reference."""
    rng = np.random.default_rng(11)
    n = 3000
    ref = pd.DataFrame({"x": rng.normal(size=n), "k": rng.choice(["a", "b", "c"], n)})
    suite = {
        "name": "v1",
        "checks": [{"drift": {"columns": ["x", "k"], "fine_bins": 200}}, {"outliers": {"columns": ["x"]}}],
    }
    fixture = Path(__file__).parent / "fixtures" / "profile_v1_93587cd.json"
    prof = Profile.load(fixture)
    assert prof.n_rows == n and prof.datacheck_version
    for shift in (0.0, 0.3):
        cur = pd.DataFrame({"x": rng.normal(shift, size=n), "k": rng.choice(["a", "b", "c"], n)})
        old = datacheck.run(cur, suite, reference=prof)
        raw = datacheck.run(cur, suite, reference=ref)
        assert [(r.check, r.column, r.status, r.p_value, r.effect_size) for r in old.results] == [
            (r.check, r.column, r.status, r.p_value, r.effect_size) for r in raw.results
        ]
    assert raw.select(check="drift", column="x")[0].status == "fail"  # the 0.3 SD shift is seen
