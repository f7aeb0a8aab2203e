"""The report: JSON schema 1.0 round trip, frame, summary, verdict semantics."""

import datetime as dt
import decimal
import json
import math

import numpy as np
import pandas as pd
import pytest

import datacheck
from datacheck.report import REPORT_SCHEMA_VERSION, STATUSES, Report, Result, jsonable

REPORT_KEYS = {
    "schema_version",
    "datacheck_version",
    "suite",
    "data",
    "reference",
    "started_at",
    "duration_s",
    "passes",
    "passed",
    "counts",
    "notes",
    "results",
}
RESULT_KEYS = {
    "check",
    "family",
    "column",
    "severity",
    "status",
    "observed",
    "expected",
    "effect_size",
    "interval",
    "p_value",
    "message",
    "method",
    "evidence",
    "details",
    "check_index",
    "suite_path",
    "description",
}


@pytest.fixture(scope="module")
def report():
    rng = np.random.default_rng(0)
    x = rng.normal(size=500)
    x[:3] = [np.nan, 40.0, -35.0]
    df = pd.DataFrame(
        {
            "x": x,
            "s": rng.choice(["a", "b", "?"], 500),
            "k": np.arange(500) % 490,
            "d": pd.Timestamp("2020-01-01") + pd.to_timedelta(np.arange(500), unit="D"),
        }
    )
    return datacheck.run(
        df,
        {
            "name": "rep",
            "checks": [
                {"missing": {"max_fraction": 0.0}},
                {"range": {"columns": "d", "max": "2020-12-31"}},
                {"outliers": {"columns": "x", "max_fraction": 0.5}},
                {"unique": {"columns": [["k", "s"]], "severity": "warn"}},
                {"skew": {"columns": ["x"], "max_abs_skewness": None, "max_kurtosis": None}},
            ],
        },
    )


def test_to_dict_schema(report):
    d = report.to_dict()
    assert set(d) == REPORT_KEYS
    assert d["schema_version"] == REPORT_SCHEMA_VERSION == "1.0"
    assert d["suite"] == {"name": "rep", "source": "<dict>"}
    assert d["data"]["rows"] == 500 and d["data"]["columns"] == 4
    assert d["passed"] is False and d["reference"] is None
    assert set(d["counts"]) == set(STATUSES) and sum(d["counts"].values()) == len(report.results)
    for r in d["results"]:
        assert set(r) == RESULT_KEYS
        assert r["status"] in STATUSES and r["severity"] in ("error", "warn")


def test_json_round_trip(report, tmp_path):
    path = tmp_path / "r.json"
    text = report.to_json(str(path))
    assert path.read_text(encoding="utf-8") == text
    back = json.loads(text)
    assert back == json.loads(json.dumps(report.to_dict()))
    # no NaN/Infinity tokens: strict JSON parsers accept it
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))
    unique = [r for r in back["results"] if r["check"] == "unique"][0]
    assert unique["column"] == ["k", "s"]
    rng = [r for r in back["results"] if r["check"] == "range"][0]
    assert rng["observed"]["max"].startswith("2021-05-14")


def test_nan_becomes_null_and_numpy_types_are_plain():
    r = Result(
        check="c",
        column="x",
        severity="error",
        status="pass",
        observed={
            "a": np.float64("nan"),
            "b": np.int64(3),
            "c": np.float32(1.5),
            "d": np.bool_(True),
            "e": [np.inf, -np.inf],
            "f": np.array([1, 2]),
            "g": pd.Timestamp("2020-01-02"),
            "h": pd.NaT,
            "i": pd.NA,
            "j": dt.date(2020, 1, 3),
            "k": decimal.Decimal("2.5"),
            (1, 2): "tuple key",
            np.int64(7): "numpy key",
            "s": pd.Series([1.0, np.nan]),
        },
        effect_size=np.float64("nan"),
        interval=(np.float64(0.1), np.float64(0.2)),
        p_value=np.float32(0.5),
    )
    rep = Report(suite_name="s", results=[r])
    d = json.loads(rep.to_json())
    o = d["results"][0]["observed"]
    assert o == {
        "a": None,
        "b": 3,
        "c": 1.5,
        "d": True,
        "e": [None, None],
        "f": [1, 2],
        "g": "2020-01-02T00:00:00",
        "h": None,
        "i": None,
        "j": "2020-01-03",
        "k": 2.5,
        "(1, 2)": "tuple key",
        "7": "numpy key",
        "s": [1.0, None],
    }
    assert d["results"][0]["effect_size"] is None
    assert d["results"][0]["interval"] == [0.1, 0.2] and d["results"][0]["p_value"] == 0.5


def test_jsonable_is_plain_python():
    out = jsonable({"x": [np.int32(1), (np.float64(2.0), None)], "y": {"z": np.str_("s")}})
    assert out == {"x": [1, [2.0, None]], "y": {"z": "s"}}
    assert type(out["x"][0]) is int and type(out["x"][1][0]) is float


def test_to_frame(report):
    f = report.to_frame()
    assert list(f.columns) == [
        "check",
        "family",
        "column",
        "severity",
        "status",
        "observed",
        "expected",
        "effect_size",
        "interval",
        "p_value",
        "message",
        "method",
        "evidence",
        "check_index",
        "suite_path",
        "description",
    ]
    assert len(f) == len(report.results)
    assert f.loc[f.check == "unique", "column"].item() == "k + s"
    assert set(f.status) <= set(STATUSES)


def test_summary(report):
    text = report.summary()
    lines = text.splitlines()
    assert lines[0].startswith("datacheck ") and "'rep'" in lines[0]
    assert "500 rows x 4 columns" in lines[1] and "pass(es)" in lines[1]
    assert lines[2].startswith("FAILED: ")
    assert any(line.strip().startswith("FAIL  missing[x]") for line in lines)
    assert any(line.strip().startswith("WARN  unique[k + s]") for line in lines)
    # failures are listed before warnings
    first_warn = next(i for i, ln in enumerate(lines) if ln.strip().startswith("WARN"))
    assert all(not ln.strip().startswith("FAIL") for ln in lines[first_warn:])
    assert str(report) == text
    assert "rep" in report._repr_html_()
    # each failing result with a usual next step says it on the line below
    i = next(i for i, ln in enumerate(lines) if ln.strip().startswith("FAIL  missing[x]"))
    assert lines[i + 1].strip().startswith("next: Find where 'x' loses its values")


def test_raise_for_status(report):
    with pytest.raises(datacheck.ValidationFailed) as ei:
        report.raise_for_status()
    assert ei.value.report is report
    assert "missing(x)" in str(ei.value)
    assert isinstance(ei.value, datacheck.DatacheckError)
    ok = datacheck.run(pd.DataFrame({"x": [1, 2]}), {"name": "ok", "checks": ["duplicates"]})
    assert ok.raise_for_status() is ok


def res(severity, status):
    return Result(check="c", column=None, severity=severity, status=status)


@pytest.mark.parametrize(
    "results,passed",
    [
        ([res("error", "pass"), res("warn", "warn")], True),
        ([res("warn", "warn"), res("warn", "error")], True),  # warn severity never fails the run
        ([res("error", "fail")], False),
        ([res("error", "error")], False),  # an error-severity check that could not run
        ([res("error", "skipped"), res("error", "pass")], True),
        ([], True),
    ],
)
def test_passed_semantics(results, passed):
    rep = Report(suite_name="s", results=results)
    assert rep.passed is passed
    assert [r.failed for r in rep.failures] == [True] * len(rep.failures)
    assert len(rep.failures) == sum(r.severity == "error" and r.status in ("fail", "error") for r in results)


def test_warn_severity_failure_is_warn_status_and_run_passes():
    rep = datacheck.run(pd.DataFrame({"x": [1.0, None]}), {"name": "w", "checks": [{"missing": {"severity": "warn"}}]})
    assert rep.results[0].status == "warn" and rep.passed
    assert rep.warnings == [rep.results[0]]


def test_invalid_status_is_rejected():
    with pytest.raises(ValueError, match="status must be one of"):
        res("error", "failed")


def test_select_and_counts(report):
    assert all(r.check == "missing" for r in report.select(check="missing"))
    assert report.select(column="x", check="outliers")[0].check == "outliers"
    assert report.counts()["fail"] == len(report.select(status="fail"))
    assert not math.isnan(report.duration_s) and report.passes >= 2


def _doc_fields(section: str) -> set:
    import os
    import re

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    text = open(os.path.join(root, "docs", "report-schema.md"), encoding="utf-8").read()
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", body, flags=re.M))


def test_schema_doc_matches_to_dict(report):
    d = report.to_dict()
    assert _doc_fields("The report") == set(d) == REPORT_KEYS
    assert _doc_fields("A result") == set(d["results"][0]) == RESULT_KEYS


def test_report_files_create_their_directory(tmp_path):
    import datacheck as dc

    r = dc.run(pd.DataFrame({"x": [1.0, None]}), {"name": "t", "checks": ["missing"]})
    r.to_json(tmp_path / "new" / "deeper" / "r.json")
    r.to_html(tmp_path / "other" / "r.html")
    assert (tmp_path / "new" / "deeper" / "r.json").exists() and (tmp_path / "other" / "r.html").exists()


def test_repr_is_one_short_line_outside_jupyter():
    import datacheck as dc

    rep = dc.run(
        __import__("pandas").DataFrame({"x": [1.0, None] * 50}),
        {"name": "r", "checks": [{"missing": {"max_fraction": 0.01}}]},
    )
    text = repr(rep)
    assert text == "<datacheck.Report 'r': FAILED (1 fail); 100 rows x 1 columns>"
    assert "\n" not in repr(rep.results[0]) and len(repr(rep.results[0])) < 160
