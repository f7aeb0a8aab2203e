"""``missing``: real missing values (null, NaN, NaT) and missing values in disguise."""

import numpy as np
import pandas as pd
import pytest

import datacheck


def run(df, **params):
    return datacheck.run(df, {"name": "t", "checks": [{"missing": params}]})


def kinds(report, column):
    return {(r.observed or {}).get("kind", "missing"): r for r in report.select(column=column)}


RNG = np.random.default_rng(7)


@pytest.fixture(autouse=True)
def _fresh_rng():
    """Every test draws from its own seeded generator, whatever ran before it in this worker."""
    global RNG
    RNG = np.random.default_rng(7)


def test_counts_nulls_nan_and_nat():
    df = pd.DataFrame(
        {
            "f": [1.0, np.nan, None, 4.0],  # NaN (pandas turns None into NaN too)
            "i": pd.array([1, None, 3, 4], dtype="Int64"),  # null
            "s": ["a", None, "c", "d"],
            "d": pd.to_datetime(["2020-01-01", None, "2020-01-03", pd.NaT]),
        }
    )
    r = run(df, max_fraction=0.3)
    main = {x.column: x for x in r.results if x.observed.get("kind") is None}
    assert main["f"].observed["count"] == 2 and main["f"].status == "fail"
    assert main["i"].observed == {"fraction": 0.25, "count": 1, "nulls": 1, "nan": 0}
    assert main["s"].observed["count"] == 1 and main["s"].status == "pass"
    assert main["d"].observed["count"] == 2 and main["d"].status == "fail"


def test_nan_kept_by_arrow_counts_as_missing():
    import pyarrow as pa

    t = pa.table({"x": pa.array(np.array([1.0, np.nan, np.nan, 2.0]))})  # NaN, not null
    r = run(t, max_fraction=0.4).results[0]
    assert r.observed == {"fraction": 0.5, "count": 2, "nulls": 0, "nan": 2}
    assert r.status == "fail"


def test_passes_when_clean_and_under_threshold():
    df = pd.DataFrame({"x": RNG.normal(size=200), "s": ["a", "b"] * 100})
    assert run(df).passed
    df.loc[:4, "x"] = np.nan
    assert run(df, max_fraction=0.05).passed
    assert not run(df, max_fraction=0.01).passed


def test_all_missing_column():
    r = run(pd.DataFrame({"x": [np.nan] * 5}), max_fraction=0.5).results[0]
    assert r.status == "fail" and "all 5 values are missing" in r.message


def test_disguised_strings():
    df = pd.DataFrame({"s": ["Oslo", "", "   ", "\t", "?", "N/A", " null ", "Unknown", "Rome", "Paris"]})
    r = run(df, max_disguised_fraction=0.5)
    d = kinds(r, "s")["disguised"]
    assert d.observed["count"] == 7
    found = {(e["kind"], e["value"]): e["count"] for e in d.evidence}
    assert found[("empty string", "")] == 1
    assert found[("whitespace only", " ")] == 2
    assert {v for k, v in found if k == "placeholder"} == {"?", "N/A", " null ", "Unknown"}
    assert d.status == "fail"  # 70% > 50%
    assert kinds(r, "s")["missing"].status == "pass"  # disguised values are not real missing


def test_configured_placeholders_replace_defaults():
    df = pd.DataFrame({"s": ["a", "?", "MISSING_CODE", "b"]})
    d = kinds(run(df, placeholders=["missing_code"], max_disguised_fraction=0.1), "s")["disguised"]
    assert [e["value"] for e in d.evidence] == ["MISSING_CODE"]


def test_configured_numeric_and_date_sentinels():
    df = pd.DataFrame(
        {
            "x": [1.0, -999.0, 3.0, -999.0, 5.0],
            "d": pd.to_datetime(["2020-01-01", "1900-01-01", "2020-02-01", "2020-03-01", "2020-04-01"]),
        }
    )
    r = run(df, sentinels=[-999, "1900-01-01"], max_disguised_fraction=0.3)
    dx = kinds(r, "x")["disguised"]
    assert dx.observed["count"] == 2 and dx.status == "fail"
    assert dx.evidence == [{"value": -999, "kind": "configured sentinel", "count": 2}]
    dd = kinds(r, "d")["disguised"]
    assert dd.observed["count"] == 1 and dd.status == "pass"
    assert "suspected_sentinel" not in kinds(r, "x")  # declared: not suspected again


def test_string_sentinel_in_text_column():
    df = pd.DataFrame({"s": ["a", "-999", "b"]})
    d = kinds(run(df, sentinels=[-999]), "s")["disguised"]
    assert d.observed["count"] == 1


def test_suspected_sentinel_spike_at_edge_is_flagged():
    age = RNG.normal(45, 12, 2000).round().clip(17, 90)
    x = np.r_[age, [-999.0] * 60]
    RNG.shuffle(x)
    r = run(pd.DataFrame({"age": x}))
    s = kinds(r, "age")["suspected_sentinel"]
    assert s.status == "warn"  # a suspicion never fails the run
    assert s.evidence[0]["value"] == -999 and s.evidence[0]["count"] == 60
    assert r.passed


def test_suspected_high_sentinel_and_dates():
    x = np.r_[RNG.integers(0, 40, 3000), [9999] * 20]
    s = kinds(run(pd.DataFrame({"x": x})), "x")["suspected_sentinel"]
    assert s.evidence[0]["value"] == 9999
    d = pd.to_datetime(
        np.r_[pd.date_range("1950-01-01", periods=3000, freq="D").values, [np.datetime64("1900-01-01")] * 40]
    )
    s = kinds(run(pd.DataFrame({"d": d})), "d")["suspected_sentinel"]
    assert s.evidence[0]["value"].startswith("1900-01-01")


@pytest.mark.parametrize(
    "make",
    [
        lambda: RNG.integers(-1, 2, 3000),  # a -1/0/1 scale
        lambda: np.clip(RNG.normal(0, 0.6, 3000), -1, 1),  # a score clipped to [-1, 1]
        lambda: RNG.uniform(-1, 1, 3000).round(2),  # rounded [-1, 1]
        lambda: RNG.integers(-1, 3, 3000),  # a -1..2 scale
    ],
    ids=["minus1-0-1", "clipped", "rounded", "minus1-to-2"],
)
def test_legitimate_minus_one_to_one_column_is_not_flagged(make):
    r = run(pd.DataFrame({"x": make()}))
    assert "suspected_sentinel" not in kinds(r, "x"), r.results[-1].message


def test_zero_inflated_column_is_not_flagged():
    x = np.where(RNG.random(5000) < 0.7, 0, RNG.poisson(4, 5000))
    r = run(pd.DataFrame({"x": x}))
    assert list(kinds(r, "x")) == ["missing"]


def test_detect_sentinels_can_be_switched_off():
    x = np.r_[RNG.normal(50, 5, 500).round(), [-999.0] * 30]
    assert "suspected_sentinel" not in kinds(run(pd.DataFrame({"x": x}), detect_sentinels=False), "x")


def test_adult_raw_placeholders(adult_raw):
    r = datacheck.run(adult_raw, {"name": "t", "checks": [{"missing": {"columns": ["workclass", "occupation"]}}]})
    for col, count in (("workclass", 1836), ("occupation", 1843)):
        d = kinds(r, col)["disguised"]
        assert d.observed["count"] == count
        assert d.evidence[0]["value"] == "?"


def test_default_threshold_warns_but_an_empty_column_fails():
    """Real missingness is a fact of real tables (Adult 5.6%, loans 85%): the unset threshold warns.
    An entirely missing column is a defect on any table and fails; a threshold the suite sets gates."""
    df = pd.DataFrame({"some": [1.0, None, 3.0, 4.0] * 25, "none": [None] * 100, "full": range(100)})
    r = {x.column: x for x in datacheck.run(df, {"name": "t", "checks": ["missing"]}).results if x.check == "missing"}
    assert r["some"].status == "warn" and r["some"].severity == "warn" and "advisory" in r["some"].details
    assert r["none"].status == "fail" and r["none"].severity == "error" and r["none"].failed
    assert r["full"].status == "pass"
    rep = datacheck.run(df[["some", "full"]], {"name": "t", "checks": [{"missing": {"max_fraction": 0.1}}]})
    assert [x.status for x in rep.results] == ["fail", "pass"] and not rep.passed
    rep = datacheck.run(df[["some"]], {"name": "t", "checks": [{"missing": {"severity": "error"}}]})
    assert rep.results[0].status == "fail"
    rep = datacheck.run(df[["none"]], {"name": "t", "checks": [{"missing": {"severity": "warn"}}]})
    assert rep.results[0].status == "warn" and rep.passed  # the suite's own severity is kept
