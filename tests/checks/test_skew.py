"""``skew``: skewness/kurtosis vs scipy, label and class imbalance, near-constant columns."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import datacheck

RNG = np.random.default_rng(11)


@pytest.fixture(autouse=True)
def _fresh_rng():
    """Every test draws from its own seeded generator, whatever ran before it in this worker."""
    global RNG
    RNG = np.random.default_rng(11)


def run(df, dataset=None, **params):
    # the checks' logic is tested at error severity; the advisory default has its own test below
    suite = {"name": "t", "checks": [{"skew": {"severity": "error", **params}}]}
    if dataset:
        suite["dataset"] = dataset
    return datacheck.run(df, suite).results


def test_skewness_and_kurtosis_match_scipy():
    x = RNG.lognormal(sigma=0.8, size=5000)
    y = RNG.normal(size=5000)
    res = {r.column: r for r in run(pd.DataFrame({"x": x, "y": y}))}
    for col, v in (("x", x), ("y", y)):
        assert res[col].observed["skewness"] == pytest.approx(stats.skew(v), rel=1e-9)
        assert res[col].observed["kurtosis"] == pytest.approx(stats.kurtosis(v), rel=1e-9)
    assert res["y"].status == "pass"
    assert res["x"].status == "fail"  # lognormal(0.8): skewness ~ 3 > 2


def test_bounds_can_be_set_or_switched_off():
    x = RNG.exponential(size=5000)  # skewness ~ 2, excess kurtosis ~ 6
    df = pd.DataFrame({"x": x})
    assert run(df, max_abs_skewness=3, max_kurtosis=10)[0].status == "pass"
    assert run(df, max_abs_skewness=1, max_kurtosis=None)[0].status == "fail"
    r = run(df, max_abs_skewness=None, max_kurtosis=3)[0]
    assert r.status == "fail" and "kurtosis" in r.message


def test_label_imbalance():
    y = np.r_[["yes"] * 30, ["no"] * 970]
    r = run(pd.DataFrame({"y": y}), dataset={"label": "y"}, columns="y", min_label_share=0.05)[0]
    assert r.status == "fail"
    assert r.observed["min_class"] == "yes" and r.observed["min_class_share"] == pytest.approx(0.03)
    assert run(pd.DataFrame({"y": y}), dataset={"label": "y"}, columns="y", min_label_share=0.02)[0].status == "pass"


def test_numeric_label_is_treated_as_classes():
    y = np.r_[np.zeros(990), np.ones(10)].astype(int)
    r = run(pd.DataFrame({"y": y}), dataset={"label": "y"}, columns="y")[0]
    assert r.status == "fail" and r.observed["min_class"] == 1
    assert "skewness" not in r.observed


def test_min_class_share_for_categoricals_is_optional():
    c = np.r_[["a"] * 500, ["b"] * 495, ["c"] * 5]
    assert run(pd.DataFrame({"c": c}))[0].status == "pass"
    r = run(pd.DataFrame({"c": c}), min_class_share=0.01)[0]
    assert r.status == "fail" and r.observed["min_class"] == "c"


def test_near_constant_categorical_and_numeric():
    c = np.r_[["a"] * 995, ["b"] * 5]
    r = run(pd.DataFrame({"c": c}))[0]
    assert r.status == "fail" and r.observed["dominant_share"] == pytest.approx(0.995)
    x = np.r_[np.zeros(996), RNG.normal(size=4)]
    r = run(pd.DataFrame({"x": x}), max_abs_skewness=None, max_kurtosis=None)[0]
    assert r.status == "fail" and r.observed["dominant_value"] == 0.0
    assert r.observed["dominant_share"] == pytest.approx(0.996)
    x = np.r_[np.zeros(900), RNG.normal(size=100)]
    r = run(pd.DataFrame({"x": x}), max_abs_skewness=None, max_kurtosis=None)[0]
    assert r.status == "pass" and r.observed["dominant_share"] == pytest.approx(0.9)


def test_nan_is_not_a_class():
    y = pd.Series([1.0, 0.0, np.nan, np.nan, np.nan] * 100)
    r = run(pd.DataFrame({"y": y}), dataset={"label": "y"}, columns="y")[0]
    assert r.observed["classes"] == 2
    assert r.observed["min_class_share"] == pytest.approx(0.5)


def test_undefined_moments_do_not_fail():
    r = run(pd.DataFrame({"x": [1.0, 2.0]}))[0]
    assert r.status == "pass" and np.isnan(r.observed["skewness"])


def test_no_dominant_value_reported_for_a_spread_column():
    """Below half the rows the sketch's median is not the mode: nothing is claimed about it."""
    r = run(pd.DataFrame({"x": RNG.normal(size=2000)}))[0]
    assert "dominant_value" not in r.observed and r.status == "pass"


def test_regression_target_is_judged_as_numeric_not_as_classes():
    """dataset.task: regression: a continuous target is never 'class imbalance'; its skewness is judged."""
    from sklearn.datasets import load_diabetes

    d = load_diabetes(as_frame=True, scaled=False).frame
    base = {
        "name": "s",
        "dataset": {"label": "target", "task": "regression"},
        "checks": [{"skew": {"columns": ["target"], "severity": "error"}}],
    }
    r = datacheck.run(d, base).results[0]
    assert r.status == "pass" and "skewness" in r.observed and "min_class_share" not in r.observed
    assert r.details["role"] == "label (regression target)"
    # without the task, the same column is read as classes (each value a rare class): what the user saw
    r = datacheck.run(d, {**base, "dataset": {"label": "target"}}).results[0]
    assert r.status == "fail" and "class" in r.message
    # the other direction: a heavily skewed regression target fails on skewness
    rng = np.random.default_rng(0)
    skewed = pd.DataFrame({"target": rng.lognormal(sigma=1.5, size=3000)})
    r = datacheck.run(skewed, base).results[0]
    assert r.status == "fail" and "skewness" in r.message


def test_default_thresholds_are_advisory():
    """Unset thresholds describe (warn, not gating); any threshold the suite sets gates the run."""
    x = np.random.default_rng(0).lognormal(0, 0.8, 5000)
    df = pd.DataFrame({"x": x})
    r = datacheck.run(df, {"name": "t", "checks": ["skew"]})
    assert r.results[0].status == "warn" and r.passed and "advisory" in r.results[0].details
    r = datacheck.run(df, {"name": "t", "checks": [{"skew": {"max_abs_skewness": 2}}]})
    assert r.results[0].status == "fail" and not r.passed
