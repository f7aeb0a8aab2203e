"""Great Expectations interop, proven with the real ``great_expectations`` package.

Suites are built in GX itself, exported to JSON, imported into datacheck, and both tools run on
the same frames (a clean one and one with faults): every expectation gets the same pass/fail from
both, and the unexpected counts agree. Round trips datacheck -> GX -> datacheck keep the meaning;
GX 0.18 JSON comes from a fixture written by hand from the 0.18 format.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest

import datacheck
from datacheck.gx import from_great_expectations

gx = pytest.importorskip("great_expectations")
E = gx.expectations
FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")


@pytest.fixture(scope="module")
def gx_context():
    return gx.get_context(mode="ephemeral")


_N = [0]


def gx_validate(ctx, df: pd.DataFrame, suite) -> dict:
    """Validate ``df`` with GX (pandas engine); returns the result as a JSON dict."""
    _N[0] += 1
    ds = ctx.data_sources.add_pandas(f"p{_N[0]}")
    batch = (
        ds.add_dataframe_asset("a")
        .add_batch_definition_whole_dataframe("b")
        .get_batch(batch_parameters={"dataframe": df})
    )
    return json.loads(json.dumps(batch.validate(suite, result_format="SUMMARY").to_json_dict(), default=str))


def _key(t, kw):
    kw = {k: v for k, v in kw.items() if k not in ("batch_id", "result_format")}
    return t, json.dumps(kw, sort_keys=True, default=str)


def compare(ctx, df, gx_suite):
    """(expectation type, GX success, datacheck success, GX unexpected, datacheck unexpected) per expectation."""
    d = gx_suite.to_json_dict()
    dc_suite = from_great_expectations(json.loads(json.dumps(d)))
    report = datacheck.run(df, dc_suite)
    by_index = {}
    for r in report.results:
        by_index.setdefault(r.check_index, r)  # the main result of each check
    ours = report.to_great_expectations(dc_suite)
    gx_res = gx_validate(ctx, df, gx_suite)
    theirs = {_key(x["expectation_config"]["type"], x["expectation_config"]["kwargs"]): x for x in gx_res["results"]}
    rows = []
    for i, e in enumerate(d["expectations"]):
        g = theirs[_key(e["type"], e["kwargs"])]
        assert not g["exception_info"]["raised_exception"], g["exception_info"]
        r = by_index[i]
        mine = next(x for x in ours["results"] if x["meta"]["message"] == r.message)
        rows.append(
            (
                e["type"],
                bool(g["success"] in (True, "True")),
                r.status == "pass",
                g["result"].get("unexpected_count"),
                mine["result"].get("unexpected_count"),
            )
        )
    return rows, report, gx_res


@pytest.fixture(scope="module")
def frames(adult):
    clean = adult.iloc[:4000].reset_index(drop=True).copy()
    faulty = clean.copy()
    rng = np.random.default_rng(12)
    idx = rng.choice(len(faulty), 200, replace=False)
    faulty.loc[idx[:40], "age"] = 150  # out of range
    faulty.loc[idx[40:80], "sex"] = "Unknown"  # new category
    faulty.loc[idx[80:120], "occupation"] = None  # more missing
    faulty.loc[idx[120:160], "education"] = "x-" + faulty.loc[idx[120:160], "education"]  # pattern break
    faulty.loc[idx[160:], "hours-per-week"] = 400  # outliers, mean shift
    return clean, faulty


def adult_gx_suite():
    s = gx.ExpectationSuite(name="adult_gx")
    for e in [
        E.ExpectColumnValuesToNotBeNull(column="age"),
        E.ExpectColumnValuesToNotBeNull(column="occupation", mostly=0.9),
        E.ExpectColumnValuesToBeBetween(column="age", min_value=17, max_value=90),
        E.ExpectColumnValuesToBeBetween(
            column="hours-per-week", min_value=1, max_value=99, strict_min=True, mostly=0.99, severity="warning"
        ),
        E.ExpectColumnValuesToBeInSet(column="sex", value_set=["Female", "Male"]),
        E.ExpectColumnValuesToNotBeInSet(column="race", value_set=["Martian"]),
        E.ExpectColumnDistinctValuesToBeInSet(column="sex", value_set=["Female", "Male"]),
        E.ExpectColumnDistinctValuesToContainSet(column="income", value_set=["<=50K", ">50K"]),
        E.ExpectColumnDistinctValuesToEqualSet(
            column="relationship",
            value_set=["Husband", "Not-in-family", "Own-child", "Unmarried", "Wife", "Other-relative"],
        ),
        E.ExpectColumnValuesToMatchRegex(column="education", regex=r"^[A-Z0-9]"),
        E.ExpectColumnValuesToNotMatchRegex(column="education", regex=r"^x-"),
        E.ExpectColumnValueLengthsToBeBetween(column="sex", min_value=4, max_value=6),
        E.ExpectColumnMeanToBeBetween(column="hours-per-week", min_value=35, max_value=45),
        E.ExpectColumnMedianToBeBetween(column="age", min_value=30, max_value=45),
        E.ExpectColumnMinToBeBetween(column="age", min_value=17, max_value=20),
        E.ExpectColumnMaxToBeBetween(column="age", min_value=80, max_value=90),
        E.ExpectColumnStdevToBeBetween(column="age", min_value=10, max_value=16),
        E.ExpectColumnSumToBeBetween(column="education-num", min_value=30_000, max_value=50_000),
        E.ExpectColumnQuantileValuesToBeBetween(
            column="age",
            quantile_ranges={"quantiles": [0.05, 0.5, 0.95], "value_ranges": [[18, 22], [35, 39], [60, 66]]},
        ),
        E.ExpectColumnUniqueValueCountToBeBetween(column="race", min_value=5, max_value=5),
        E.ExpectColumnProportionOfUniqueValuesToBeBetween(column="fnlwgt", min_value=0.9, max_value=1.0),
        E.ExpectColumnMostCommonValueToBeInSet(column="race", value_set=["White"]),
        E.ExpectColumnValuesToNotBeOutliers(column="hours-per-week", method="iqr", multiplier=3.0, mostly=0.85),
        E.ExpectColumnValueZScoresToBeLessThan(column="age", threshold=3.5, double_sided=True, mostly=0.995),
        E.ExpectColumnValuesToBeUnique(column="fnlwgt", mostly=0.85),
        E.ExpectCompoundColumnsToBeUnique(
            column_list=["fnlwgt", "age", "education"], ignore_row_if="any_value_is_missing", mostly=0.99
        ),
        E.ExpectColumnToExist(column="income"),
        E.ExpectTableColumnsToMatchSet(column_set=list(_ADULT_COLS), exact_match=True),
        E.ExpectTableColumnsToMatchOrderedList(column_list=list(_ADULT_COLS)),
        E.ExpectTableRowCountToBeBetween(min_value=1000, max_value=10_000),
        E.ExpectTableRowCountToEqual(value=4000),
        E.ExpectColumnValuesToBeInTypeList(column="age", type_list=["int64", "int32"]),
    ]:
        s.add_expectation(e)
    return s


from datacheck.datasets import ADULT_COLUMNS as _ADULT_COLS  # noqa: E402


def test_gx_and_datacheck_agree_on_clean_and_faulty_adult(gx_context, frames):
    clean, faulty = frames
    suite = adult_gx_suite()
    before = (clean.copy(), faulty.copy())
    verdicts = {}
    for label, df in (("clean", clean), ("faulty", faulty)):
        rows, report, gx_res = compare(gx_context, df, suite)
        for t, g_ok, d_ok, g_n, d_n in rows:
            assert g_ok == d_ok, f"{label}: {t}: GX says {g_ok}, datacheck says {d_ok}"
            if g_n is not None and d_n is not None:
                assert g_n == d_n, f"{label}: {t}: GX counts {g_n} unexpected, datacheck {d_n}"
        verdicts[label] = [ok for _, ok, *_ in rows]
        assert report.to_great_expectations(None)["statistics"]["evaluated_expectations"] >= len(rows)
    assert all(verdicts["clean"]), ("the clean frame passes every expectation", verdicts["clean"])
    assert sum(not v for v in verdicts["faulty"]) >= 8, "the faults are caught by both tools"
    pd.testing.assert_frame_equal(clean, before[0])
    pd.testing.assert_frame_equal(faulty, before[1])


def test_round_trip_datacheck_gx_datacheck_keeps_meaning(gx_context, frames):
    clean, faulty = frames
    suite = datacheck.load_suite(
        {
            "name": "rt",
            "checks": [
                {
                    "missing": {
                        "columns": ["age", "occupation"],
                        "max_fraction": 0.06,
                        "detect_sentinels": False,
                        "placeholders": [],
                    }
                },
                {"range": {"columns": "age", "min": 17, "max": 90}},
                {"allowed_values": {"columns": "sex", "values": ["Female", "Male"], "severity": "warn"}},
                {"pattern": {"columns": "education", "regex": "[A-Za-z0-9-]+"}},
                {"unique": {"columns": [["fnlwgt", "age", "education"]]}},
                {"statistic": {"columns": "hours-per-week", "stat": "mean", "min": 35, "max": 45}},
                {"quantiles": {"columns": "age", "quantiles": [0.5], "ranges": [[35, 39]], "interpolation": "linear"}},
                {"schema": {"columns": {"age": "integer", "sex": "string"}}},
                {"row_count": {"min": 100}},
                {"drift": {"columns": "*"}},
            ],
        }
    )
    with pytest.warns(UserWarning, match="not exported"):
        d = suite.to_great_expectations()
    assert [s["check"] for s in d["meta"]["datacheck"]["not_exported"]] == ["drift"]
    gx_suite = gx.ExpectationSuite(**{k: v for k, v in d.items() if k in ("name", "expectations", "meta", "notes")})
    back = from_great_expectations(gx_suite.to_json_dict())
    for df in (clean, faulty):
        a = datacheck.run(df, suite)
        b = datacheck.run(df, back)
        key = lambda r: (r.check, str(r.column), r.status)  # noqa: E731
        sa = sorted({key(r) for r in a.results if r.check not in ("drift", "missing")})
        sb = sorted({key(r) for r in b.results if r.check not in ("drift", "missing")})
        assert sa == sb
        ma = [(r.column, r.status) for r in a.results if r.check == "missing" and r.details.get("kind") is None]
        mb = [(r.column, r.status) for r in b.results if r.check == "missing" and r.details.get("kind") is None]
        assert ma == mb
        # and GX itself reaches the same verdicts on the exported suite
        g = gx_validate(gx_context, df, gx_suite)
        assert g["statistics"]["evaluated_expectations"] == len(d["expectations"])
        assert (g["statistics"]["unsuccessful_expectations"] == 0) == all(
            r.status == "pass" for r in a.results if r.check not in ("drift",) and r.details.get("kind") is None
        )


def test_gx_018_fixture_imports_and_runs(frames):
    clean, faulty = frames
    suite = from_great_expectations(os.path.join(FIXTURES, "gx018_adult_suite.json"))
    assert suite.name == "adult.warning"
    assert [c.name for c in suite.checks] == ["missing", "range", "allowed_values", "pattern", "statistic", "row_count"]
    assert suite.checks[1].params["max_fraction"] == pytest.approx(0.005)
    assert suite.checks[2].params["severity"] == "warn"
    assert datacheck.run(clean, suite).passed
    bad = datacheck.run(faulty, suite)
    assert {r.check for r in bad.failures} == {"range"}


def test_unmappable_row_condition_and_parameters_fail_in_one_message(tmp_path):
    d = {
        "name": "s",
        "expectations": [
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {
                    "column": "age",
                    "min_value": 0,
                    "max_value": 120,
                    "condition_parser": "great_expectations",
                    "row_condition": {
                        "column": {"name": "c"},
                        "operator": "==",
                        "parameter": "x",
                        "type": "comparison",
                    },
                },
            },
            {"type": "expect_column_mean_to_be_between", "kwargs": {"column": "x", "min_value": {"$PARAMETER": "lo"}}},
            {"type": "expect_column_pair_values_to_be_equal", "kwargs": {"column_A": "a", "column_B": "b"}},
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "ok"}},
        ],
    }
    path = tmp_path / "s.json"
    path.write_text(json.dumps(d))
    with pytest.raises(datacheck.SuiteError) as ei:
        from_great_expectations(path)
    msg = str(ei.value)
    assert "cannot import 3 of 4" in msg and str(path) in msg
    assert "expectations[0]" in msg and "row_condition" in msg
    assert "expectations[1]" in msg and "$PARAMETER" in msg
    assert "expectations[2] expect_column_pair_values_to_be_equal: has no datacheck equivalent" in msg
    with pytest.warns(UserWarning, match="3 expectation"):
        s = from_great_expectations(d, unmapped="warn")
    assert [c.name for c in s.checks] == ["missing"] and "NOT imported (3)" in s.description


def test_bad_files_give_clear_errors(tmp_path):
    with pytest.raises(datacheck.SuiteError, match="does not exist"):
        from_great_expectations(tmp_path / "nope.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(datacheck.SuiteError, match="not valid JSON"):
        from_great_expectations(tmp_path / "bad.json")
    with pytest.raises(datacheck.SuiteError, match="is not a Great Expectations suite"):
        from_great_expectations({"checks": []})


def test_report_to_gx_shape(frames):
    clean, faulty = frames
    suite = from_great_expectations(os.path.join(FIXTURES, "gx018_adult_suite.json"))
    out = datacheck.run(faulty, suite).to_great_expectations(suite)
    assert set(out) >= {"success", "results", "suite_name", "suite_parameters", "statistics", "meta", "id"}
    assert out["success"] is False and out["statistics"]["evaluated_expectations"] == 6
    rng = next(r for r in out["results"] if r["expectation_config"]["type"] == "expect_column_values_to_be_between")
    assert rng["result"]["unexpected_count"] == int((faulty["age"] > 90).sum()) == 40
    assert rng["result"]["element_count"] == len(faulty)
    json.dumps(out)  # plain JSON
