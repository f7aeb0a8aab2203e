"""The label_errors check: validity on Adult with injected flips (ROC AUC >= 0.9), the clean-label
baseline, the out-of-fold artifact contract, sampling, given probabilities, and edge cases."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

import datacheck
from datacheck.checks import REGISTRY, Check, register
from datacheck.errors import SuiteError

ADULT_ROLES = {"label": "income", "protected": ["sex", "race"]}
_SEEN: dict = {}


# a probe check that reads the artifact the way a later check (worst_slices) does
if "_oof_probe" not in REGISTRY:
    @register("_oof_probe")
    class _OofProbe(Check):
        family = "slices"
        per_column = False
        params = {}

        def evaluate(self, column, ctx):
            _SEEN["oof"] = ctx.artifacts.get("label_errors.oof")
            return self.result(None, True, message="probe")


def _suite(roles=None, probe=True, **params):
    checks = [{"label_errors": {"progress": False, **params}}]
    if probe:
        checks.append("_oof_probe")
    return {"name": "t", "dataset": roles or {"label": "y"}, "checks": checks}


def _run(df, roles=None, options=None, **params):
    _SEEN.clear()
    rep = datacheck.run(df, _suite(roles, **params), options=options)
    return rep.results[0], _SEEN.get("oof")


def _flip(df, col, a, b, rate, seed):
    rng = np.random.default_rng(seed)
    flip = rng.random(len(df)) < rate
    out = df.copy()
    out.loc[flip, col] = np.where(out.loc[flip, col] == a, b, a)
    return out, flip


@pytest.fixture(scope="module")
def adult_flipped(adult):
    noisy, flip = _flip(adult, "income", ">50K", "<=50K", 0.10, seed=0)
    res, oof = _run(noisy, ADULT_ROLES, slices=["age"])
    return noisy, flip, res, oof


@pytest.mark.slow
def test_adult_flips_found(adult_flipped):
    noisy, flip, res, oof = adult_flipped
    assert res.status == "fail"  # 10% flips exceed max_fraction 5%
    truth = flip[oof["rows"]]
    q = oof["quality"]
    auc = roc_auc_score(truth, -q)
    k = int(flip.sum())
    p_at_k = truth[np.argsort(q, kind="stable")[:k]].mean()
    recall = truth[oof["is_issue"]].sum() / k
    # measured: AUC 0.949, precision@k 0.70, recall 0.78, precision 0.54 (Adult's own ~5% of
    # doubtful labels are flagged too, which caps precision)
    assert auc >= 0.9, auc
    assert p_at_k >= 0.6 and recall >= 0.65, (p_at_k, recall)
    assert 0.10 <= res.observed["fraction"] <= 0.22
    lo, hi = res.interval
    assert lo < res.observed["fraction"] < hi
    # evidence: the worst rows, ranked, mostly flips
    ev = res.evidence
    assert len(ev) == 20 and [e["quality"] for e in ev] == sorted(e["quality"] for e in ev)
    assert np.mean([flip[e["row"]] for e in ev]) >= 0.7
    assert all(e["given_label"] != e["suggested_label"] for e in ev)


@pytest.mark.slow
def test_adult_artifact_contract(adult_flipped):
    noisy, _, res, oof = adult_flipped
    n = len(noisy)
    for key in ("rows", "label", "pred", "proba", "classes", "features"):
        assert key in oof
    assert oof["rows"].dtype == np.int64 and len(oof["rows"]) == n
    assert oof["classes"] == ["<=50K", ">50K"]
    assert oof["proba"].shape == (n, 2)
    np.testing.assert_allclose(oof["proba"].sum(axis=1), 1.0)
    assert (oof["label"] == noisy["income"].to_numpy()[oof["rows"]]).all()
    assert set(oof["pred"]) <= set(oof["classes"])
    assert isinstance(oof["features"], pa.Table) and oof["features"].num_rows == n
    assert (oof["features"].column("__row__").to_numpy() == oof["rows"]).all()
    # role columns are kept out of the model's features
    assert "income" not in oof["feature_columns"] and "sex" not in oof["feature_columns"]
    assert "age" in oof["feature_columns"]


@pytest.mark.slow
def test_adult_subgroups_and_details(adult_flipped):
    _, _, res, _ = adult_flipped
    d = res.details
    attrs = {s["attribute"] for s in d["subgroups"]}
    assert attrs == {"sex", "race", "age"}
    for s in d["subgroups"]:
        assert s["ci_low"] <= s["rate"] <= s["ci_high"]
        assert s["q_value"] is None or s["p_value"] <= s["q_value"] + 1e-12
    sex = {s["group"]: s for s in d["subgroups"] if s["attribute"] == "sex"}
    assert sex["Male"]["n"] + sex["Female"]["n"] == d["rows_scored"]
    assert sum(c["issues"] for c in d["per_class"]) == res.observed["count"]
    assert sum(d["score_hist"]["flagged"]) == res.observed["count"]
    assert d["sampled"] is False and d["sample"] == "all 32,561 rows"
    json.dumps(res.to_dict(), allow_nan=False)


@pytest.mark.slow
def test_adult_clean_labels_near_baseline(adult, adult_flipped):
    res, _ = _run(adult, ADULT_ROLES, probe=False)
    # Adult's own share of doubtful labels: ~5% (census income is noisy); with 10% flips ~15%
    assert 0.02 <= res.observed["fraction"] <= 0.08, res.observed
    assert res.observed["fraction"] + 0.06 <= adult_flipped[2].observed["fraction"]


def _synthetic(n=600, seed=0, flip_rate=0.0):
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    g = rng.choice(["p", "q"], n)
    y = np.where(x1 + 0.5 * x2 + rng.normal(scale=0.3, size=n) > 0, "yes", "no").astype(object)
    flip = rng.random(n) < flip_rate
    y[flip] = np.where(y[flip] == "yes", "no", "yes")
    return pd.DataFrame({"x1": x1, "x2": x2, "cat": rng.choice(["u", "v", "w"], n), "g": g, "y": y}), flip


def test_pass_on_clean_synthetic_and_deterministic():
    df, _ = _synthetic()
    a, oof = _run(df, {"label": "y", "protected": ["g"]}, max_fraction=0.2)
    b, _ = _run(df, {"label": "y", "protected": ["g"]}, max_fraction=0.2)
    assert a.status == "pass"
    assert a.to_dict() == b.to_dict()
    assert oof["feature_columns"] == ["x1", "x2", "cat"]


def test_sampling_above_max_rows_is_said():
    df, flip = _synthetic(n=3000, flip_rate=0.1)
    res, oof = _run(df, max_rows=1000, evidence_rows=5)
    assert res.details["sampled"] is True and res.observed["sampled"] is True
    assert "stratified by 'y'" in res.details["sample"] and "stratified" in res.message
    assert res.details["rows_scored"] == len(oof["rows"]) == pytest.approx(1000, abs=2)
    assert len(res.evidence) == 5
    # class shares of the sample equal those of the data (stratified)
    share = (df["y"] == "yes").mean()
    assert abs((oof["label"] == "yes").mean() - share) < 0.002


def test_model_scores_and_column_list():
    df, flip = _synthetic(n=800, flip_rate=0.1)
    base, oof = _run(df)
    proba = np.empty(len(df))
    proba[oof["rows"]] = oof["proba"][:, oof["classes"].index("yes")]
    with_p = df.assign(p_yes=proba)
    res, oof2 = _run(with_p, {"label": "y", "scores": ["p_yes"], "positive_label": "yes"}, model="scores")
    assert res.status == base.status and res.observed == base.observed
    np.testing.assert_allclose(oof2["quality"], oof["quality"])
    assert "probabilities of 'yes' from column 'p_yes'" in res.message
    res2, _ = _run(with_p, {"label": "y"}, model=["p_yes"])
    assert res2.observed == base.observed


def test_estimator_from_options():
    df, _ = _synthetic(n=500)
    clf = LogisticRegression()
    res, oof = _run(df[["x1", "x2", "y"]], options={"label_errors": {"estimator": clf}})
    assert "LogisticRegression (given)" in res.message
    assert not hasattr(clf, "coef_")  # the passed estimator is cloned, never fitted in place


@pytest.mark.slow
def test_regression_task():
    rng = np.random.default_rng(1)
    n = 400
    x = rng.normal(size=n)
    y = 3 * x + rng.normal(scale=0.3, size=n)
    bad = np.zeros(n, bool)
    bad[:20] = True
    y[bad] += rng.choice([-8, 8], 20)
    res, oof = _run(pd.DataFrame({"x": x, "y": y}), max_fraction=0.2)
    assert res.details["task"] == "regression" and oof["proba"] is None and oof["classes"] is None
    assert res.details["per_class"] is None
    assert roc_auc_score(bad[oof["rows"]], -oof["quality"]) > 0.95
    assert {e["row"] for e in res.evidence[:10]} <= set(range(20))


def test_edge_cases_are_results_not_crashes():
    df, _ = _synthetic(n=300)
    r, _ = _run(df, {"protected": ["g"]})
    assert r.status == "error" and "set dataset.label" in r.message
    r, _ = _run(df.assign(y="same"))
    assert r.status == "error" and "single class" in r.message
    r, _ = _run(df.assign(y=[f"c{i}" for i in range(300)]))
    assert r.status == "error" and "max_classes=50" in r.message
    y = df["y"].to_numpy(dtype=object).copy()
    y[:2] = "tiny"
    y[2:7] = None
    r, _ = _run(df.assign(y=y))
    assert r.status in ("pass", "fail")
    assert r.observed["missing_labels"] == 5 and "fewer rows than folds" in r.message
    assert r.details["excluded"]["rare_classes"] == {"tiny": 2}
    r, _ = _run(df, features=["x1", "nope"])
    assert r.status == "error" and "'nope' is not in the data" in r.message
    r, _ = _run(df, model="scores")
    assert r.status == "error" and "dataset.scores" in r.message
    r, _ = _run(df[["y"]].assign(uid=[f"u{i}" for i in range(300)]))
    assert r.status == "error" and "no usable feature" in r.message


def test_suite_validation():
    with pytest.raises(SuiteError, match="model must be 'auto', 'scores'"):
        datacheck.load_suite(_suite(model=3))
    with pytest.raises(SuiteError, match="filter_by"):
        datacheck.load_suite(_suite(filter_by="nope"))
    with pytest.raises(SuiteError, match="folds"):
        datacheck.load_suite(_suite(folds=1))


def test_input_not_modified():
    df, _ = _synthetic(n=300)
    before = df.copy()
    _run(df)
    pd.testing.assert_frame_equal(df, before)
