"""The regression example runs as written and exercises the regression path of every family."""

import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def example():
    sys.path.insert(0, os.path.join(ROOT, "examples"))
    try:
        import diabetes_regression

        yield diabetes_regression
    finally:
        sys.path.remove(os.path.join(ROOT, "examples"))
        sys.modules.pop("diabetes_regression", None)


def test_regression_example_end_to_end(example, tmp_path, capsys):
    assert example.main(["--out", str(tmp_path)]) == 0
    assert "suite 'diabetes-regression'" in capsys.readouterr().out
    report = json.loads((tmp_path / "diabetes_regression.json").read_text())
    assert (tmp_path / "diabetes_regression.html").stat().st_size > 10_000
    results = report["results"]
    assert not [r for r in results if r["status"] == "error"], [r["message"] for r in results if r["status"] == "error"]
    skew_target = [r for r in results if r["check"] == "skew" and r["column"] == "target"][0]
    assert skew_target["status"] == "pass" and "skewness" in skew_target["observed"]
    bias_metrics = {r["observed"]["metric"] for r in results if r["check"] == "bias"}
    assert {"target_mean", "error_mean", "mae"} <= bias_metrics
    sd = example.scored_frame()["target"].std()
    for r in (r for r in results if r["check"] == "slices"):
        assert r["expected"]["max_gap"] == pytest.approx(0.1 * sd, rel=1e-9)
