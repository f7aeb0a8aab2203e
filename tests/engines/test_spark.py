"""The Spark engine gives the same verdicts and exact metrics as the local engine (real local Spark)."""

from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
import pytest

pyspark = pytest.importorskip("pyspark")
if not (os.environ.get("JAVA_HOME") or __import__("shutil").which("java")):
    pytest.skip("Spark needs a Java runtime (none found)", allow_module_level=True)

import datacheck  # noqa: E402

SUITE = os.path.join(os.path.dirname(__file__), "..", "..", "expectations", "adult.yaml")


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("datacheck-tests")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _key(r):
    return (r.check, r.check_index, str(r.column), str(r.observed.get("kind")) if isinstance(r.observed, dict) else "")


@pytest.mark.slow
def test_spark_matches_local_on_adult(spark, adult_raw):
    local = datacheck.run(adult_raw, SUITE)
    sdf = spark.createDataFrame(adult_raw).repartition(3)
    remote = datacheck.run(sdf, SUITE)
    assert remote.n_rows == local.n_rows == len(adult_raw)
    a = {_key(r): r for r in local.results}
    b = {_key(r): r for r in remote.results}
    assert a.keys() == b.keys()
    for k, r in a.items():
        s = b[k]
        assert s.status == r.status, (k, r.message, s.message)
        if r.check in ("missing", "range", "allowed_values", "pattern", "duplicates", "outliers"):
            for f in ("count", "fraction", "below", "above", "outside", "duplicates", "mismatched"):
                if isinstance(r.observed, dict) and f in r.observed:
                    assert s.observed[f] == pytest.approx(r.observed[f]), (k, f)
        if r.check == "skew" and "skewness" in (r.observed or {}):
            assert s.observed["skewness"] == pytest.approx(r.observed["skewness"], rel=1e-9)


@pytest.mark.slow
def test_spark_kernel_failure_is_isolated(spark):
    df = pd.DataFrame({"x": np.arange(100.0), "s": ["a"] * 100})
    sdf = spark.createDataFrame(df)
    report = datacheck.run(
        sdf,
        {
            "name": "t",
            "checks": [{"pattern": {"columns": "s", "regex": "a"}}, {"range": {"columns": "x", "min": 0, "max": 50}}],
        },
    )
    statuses = {r.check: r.status for r in report.results}
    assert statuses == {"pattern": "pass", "range": "fail"}
    rng = report.select(check="range")[0]
    assert rng.observed["above"] == 49


def test_spark_timestamps_convert_and_match_local(spark):
    """A TimestampType column maps to Arrow with the session's time zone (issue 15: it gave
    'cannot map the Spark schema to Arrow: ' with an empty reason)."""
    pdf = pd.DataFrame(
        {
            "t": pd.to_datetime(["2020-01-01 00:00", "2021-06-30 12:00", None, "2030-01-01 00:00"]),
            "x": [1.0, 2.0, 3.0, 4.0],
        }
    )
    sdf = spark.createDataFrame(pdf)
    suite = {
        "name": "t",
        "checks": [
            {"range": {"columns": "t", "min": "2019-01-01", "max": "2025-01-01"}},
            {"missing": {"columns": "t"}},
        ],
    }
    remote = datacheck.run(sdf, suite)
    local = datacheck.run(sdf.toPandas(), suite)
    assert [
        (r.status, r.observed.get("above") if "above" in r.observed else r.observed.get("count"))
        for r in remote.results
    ] == [
        (r.status, r.observed.get("above") if "above" in r.observed else r.observed.get("count")) for r in local.results
    ]
    assert remote.results[0].status == "fail" and remote.results[0].observed["above"] == 1


def _python_without_pyarrow():
    import shutil
    import subprocess

    for exe in ("python3", "/usr/bin/python3"):
        path = shutil.which(exe)
        if path and subprocess.run([path, "-c", "import pyarrow"], capture_output=True).returncode != 0:
            return exe
    pytest.skip("no Python without pyarrow on this machine to play the user's default worker")


def test_local_session_without_pyspark_python_runs_with_this_interpreter(spark, monkeypatch):
    """The user's session was built without PYSPARK_PYTHON: its workers would run a Python without pyarrow."""
    bare = _python_without_pyarrow()
    sc = spark.sparkContext
    monkeypatch.delenv("PYSPARK_PYTHON", raising=False)
    monkeypatch.setattr(sc, "pythonExec", bare)
    sdf = spark.createDataFrame(pd.DataFrame({"x": np.arange(200.0)})).repartition(2)
    r = datacheck.run(sdf, {"name": "s", "checks": [{"range": {"columns": "x", "min": 0, "max": 199}}]})
    assert r.passed and r.n_rows == 200
    assert any("PYSPARK_PYTHON is not set" in n for n in r.notes)
    assert sc.pythonExec == bare  # the user's session is left as it was


def test_workers_without_pyarrow_fail_with_one_line(spark, monkeypatch):
    """PYSPARK_PYTHON set by the user to a Python without pyarrow: left alone, and one line says what to set."""
    bare = _python_without_pyarrow()
    sc = spark.sparkContext
    monkeypatch.setenv("PYSPARK_PYTHON", bare)
    monkeypatch.setattr(sc, "pythonExec", bare)
    sdf = spark.createDataFrame(pd.DataFrame({"x": np.arange(20.0)}))
    with pytest.raises(datacheck.DataError) as ei:
        datacheck.run(sdf, {"name": "s", "checks": [{"range": {"columns": "x", "min": 0}}]})
    msg = str(ei.value)
    assert "set PYSPARK_PYTHON" in msg and sys.executable in msg and "\n" not in msg
