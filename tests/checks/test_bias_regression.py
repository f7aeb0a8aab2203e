"""bias with ``dataset.task: regression``: the target and the model's errors by group (mean, mean error,
MAE), each against the reference group, tolerance in SDs of the target; both directions."""

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_diabetes

import datacheck


@pytest.fixture(scope="module")
def diabetes():
    return load_diabetes(as_frame=True, scaled=False).frame


def suite(metrics=None, **params):
    bias = {"attributes": ["sex"], **params}
    if metrics is not None:
        bias["metrics"] = metrics
    return {
        "name": "r",
        "dataset": {"label": "target", "prediction": "pred", "protected": ["sex"], "task": "regression"},
        "checks": [{"bias": bias}],
    }


def by_metric(report):
    return {r.observed["metric"]: r for r in report.results if r.check == "bias"}


def test_values_match_pandas_and_the_defaults_audit_target_and_errors(diabetes):
    rng = np.random.default_rng(0)
    d = diabetes.assign(pred=diabetes.target + rng.normal(0, 30, len(diabetes)))
    res = by_metric(datacheck.run(d, suite()))
    assert {"representation", "missingness", "target_mean", "error_mean", "mae"} <= set(res)
    assert not any(m in res for m in ("base_rate", "selection_rate", "tpr", "auc"))  # no "positive label" here
    err = d.pred - d.target
    for metric, want in (
        ("target_mean", d.groupby("sex").target.mean()),
        ("error_mean", err.groupby(d.sex).mean()),
        ("mae", err.abs().groupby(d.sex).mean()),
    ):
        r = res[metric]
        got = {g["group"]: g["value"] for g in r.details["groups"]}
        assert got == {f"sex={int(k)}": pytest.approx(v, rel=1e-12) for k, v in want.items()}
        assert r.details["target_sd"] == pytest.approx(d.target.std(), rel=1e-9)
        assert r.expected["tolerance"] == pytest.approx(0.2 * d.target.std(), rel=1e-9)
        assert r.status == "pass", r.message


def test_a_model_that_errs_more_for_one_group_fails_mae_only(diabetes):
    rng = np.random.default_rng(1)
    noise = np.where(diabetes.sex == 2, rng.normal(0, 70, len(diabetes)), rng.normal(0, 10, len(diabetes)))
    d = diabetes.assign(pred=diabetes.target + noise)
    res = by_metric(datacheck.run(d, suite()))
    assert res["mae"].status == "fail" and res["mae"].observed["failing"] == ["sex=2"]
    assert "0.2 x SD of the target" in res["mae"].message
    assert res["error_mean"].status == "pass" and res["target_mean"].status == "pass"


def test_a_model_biased_upward_for_one_group_fails_error_mean(diabetes):
    rng = np.random.default_rng(2)
    shift = np.where(diabetes.sex == 2, 40.0, 0.0)  # over-predicts disease progression for one group by 40
    d = diabetes.assign(pred=diabetes.target + shift + rng.normal(0, 20, len(diabetes)))
    res = by_metric(datacheck.run(d, suite(["error_mean", "mae"])))
    assert res["error_mean"].status == "fail" and res["error_mean"].observed["failing"] == ["sex=2"]
    assert res["error_mean"].observed["worst_difference"] == pytest.approx(40, abs=8)


def test_target_distribution_gap_fires_without_a_model(diabetes):
    d = diabetes.copy()
    d.loc[d.sex == 2, "target"] += 60  # a group whose target runs far higher
    s = {
        "name": "t",
        "dataset": {"label": "target", "protected": ["sex"], "task": "regression"},
        "checks": [{"bias": {}}],
    }
    res = by_metric(datacheck.run(d, s))
    assert res["target_mean"].status == "fail"
    assert "error_mean" not in res and "mae" not in res  # no prediction: the model metrics are not asked for


def test_no_false_alarms_when_errors_ignore_the_groups():
    """Null: 40 seeded datasets where target and errors do not depend on the group."""
    fails = 0
    for seed in range(40):
        rng = np.random.default_rng(seed)
        n = 600
        g = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
        y = rng.normal(100, 20, n)
        d = pd.DataFrame({"g": g, "y": y, "p": y + rng.normal(0, 10, n)})
        s = {
            "name": "n",
            "dataset": {"label": "y", "prediction": "p", "protected": ["g"], "task": "regression"},
            "checks": [{"bias": {"metrics": ["target_mean", "error_mean", "mae"]}}],
        }
        fails += not datacheck.run(d, s).passed
    assert fails <= 2, fails


def test_small_groups_are_skipped_and_wrong_metrics_are_explained(diabetes):
    rng = np.random.default_rng(3)
    d = diabetes.assign(pred=diabetes.target + rng.normal(0, 30, len(diabetes)))
    res = by_metric(datacheck.run(d, suite(["mae"], min_group_size=300)))
    assert res["mae"].status == "skipped" and "insufficient data" in res["mae"].message
    r = datacheck.run(d, suite(["mae", "tpr"])).results
    tpr = [x for x in r if x.observed.get("metric") == "tpr"][0]
    assert tpr.status == "error" and "classification metric; dataset.task is regression" in tpr.message
    cls = {
        "name": "c",
        "dataset": {"label": "target", "prediction": "pred", "protected": ["sex"]},
        "checks": [{"bias": {"metrics": ["mae"]}}],
    }
    r = datacheck.run(d, cls).results[0]
    assert r.status == "error" and "needs dataset.task: regression" not in r.message
    assert "regression metric" in r.message


def test_reference_overall_compares_each_group_with_the_rest(diabetes):
    rng = np.random.default_rng(4)
    d = diabetes.assign(pred=diabetes.target + rng.normal(0, 30, len(diabetes)))
    r = by_metric(datacheck.run(d, suite(["target_mean"], reference="overall")))["target_mean"]
    assert r.details["reference_group"] == "(overall)"
    overall = d.target.mean()
    assert all(math.isclose(g["reference_value"], overall, rel_tol=1e-12) for g in r.details["groups"])


def test_bias_table_audits_a_regression_model(diabetes):
    rng = np.random.default_rng(5)
    noise = np.where(diabetes.sex == 2, rng.normal(0, 70, len(diabetes)), rng.normal(0, 10, len(diabetes)))
    d = diabetes.assign(pred=diabetes.target + noise)
    t = datacheck.bias_table(
        d, ["sex"], label="target", prediction="pred", task="regression", metrics=["target_mean", "mae"]
    )
    assert set(t.metric) == {"target_mean", "mae"}
    mae = t[(t.metric == "mae") & (t.group == "sex=2")].iloc[0]
    assert mae.status == "fail" and mae.value == pytest.approx((d.pred - d.target).abs()[d.sex == 2].mean())
    assert (t[t.metric == "target_mean"].status != "fail").all()
