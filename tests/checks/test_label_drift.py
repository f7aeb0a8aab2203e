"""label_drift in both directions on Adult's income label."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import datacheck

SUITE = {"name": "t", "dataset": {"label": "income"}, "checks": ["label_drift"]}


def test_label_drift_both_directions(adult):
    rng = np.random.default_rng(0)
    idx = rng.permutation(len(adult))
    ref, cur = adult.iloc[idx[:16000]], adult.iloc[idx[16000:]]
    r = datacheck.run(cur, SUITE, reference=ref).results[0]
    assert r.status == "pass" and r.column == "income" and r.details["kind"] == "categorical"
    rich = cur[cur["income"] == ">50K"]
    shifted = pd.concat([cur, rich, rich])  # positives over-sampled: 24% -> ~49%
    r = datacheck.run(shifted, SUITE, reference=ref).results[0]
    assert r.status == "fail" and r.effect_size > 0.05


def test_integer_label_is_categorical_for_classification():
    ref = pd.DataFrame({"y": [0] * 700 + [1] * 300})
    cur = pd.DataFrame({"y": [0] * 700 + [1] * 300})
    suite = {"name": "t", "dataset": {"label": "y", "task": "classification"}, "checks": ["label_drift"]}
    r = datacheck.run(cur, suite, reference=ref).results[0]
    assert r.details["kind"] == "categorical" and r.status == "pass"


def test_no_label_role_is_skipped():
    df = pd.DataFrame({"y": [1, 2]})
    r = datacheck.run(df, {"name": "t", "checks": ["label_drift"]}, reference=df).results[0]
    assert r.status == "skipped" and "label" in r.message


def _kind(ref, cur, **dataset):
    suite = {"name": "t", "dataset": {"label": "y", **dataset}, "checks": ["label_drift"]}
    r = datacheck.run(cur, suite, reference=ref).results[0]
    return r.details["kind"], r


def _binary(n, p, seed, as_float=True, nan_rows=0):
    y = np.random.default_rng(seed).binomial(1, p, n).astype(float if as_float else int)
    if nan_rows:
        y[:nan_rows] = np.nan
    return pd.DataFrame({"y": y})


@pytest.mark.parametrize(
    "ref_float, cur_float, nan_ref, nan_cur",
    [
        (True, True, 0, 10),  # 0/1 read as float on the current side because of missing values
        (True, False, 4, 0),  # float reference, integer current
        (False, True, 0, 10),  # integer reference, float current
        (True, True, 0, 0),  # float on both sides, no task: few whole values are classes
    ],
)
def test_class_label_stored_as_float_is_categorical(ref_float, cur_float, nan_ref, nan_cur):
    ref = _binary(5000, 0.3, 1, ref_float, nan_ref)
    kind, r = _kind(ref, _binary(5000, 0.3, 2, cur_float, nan_cur))
    assert kind == "categorical" and r.details["method"] == "jensen_shannon" and r.status == "pass"
    kind, r = _kind(ref, _binary(5000, 0.5, 3, cur_float, nan_cur))  # positives 30% -> 50%
    assert kind == "categorical" and r.status == "fail"


def test_task_decides_for_numeric_labels():
    ref, cur = _binary(2000, 0.3, 4), _binary(2000, 0.3, 5)
    assert _kind(ref, cur, task="classification")[0] == "categorical"
    assert _kind(ref, cur, task="regression")[0] == "numeric"
    rng = np.random.default_rng(6)
    ref, cur = pd.DataFrame({"y": rng.normal(size=2000)}), pd.DataFrame({"y": rng.normal(size=2000)})
    assert _kind(ref, cur, task="classification")[0] == "categorical"  # the suite says so
    ints = pd.DataFrame({"y": rng.integers(0, 1000, 2000)})
    assert _kind(ints, ints, task="regression")[0] == "numeric"
    assert _kind(ints, ints)[0] == "categorical"  # integer and no task: classes


def test_float_labels_with_many_or_fractional_values_are_numeric():
    rng = np.random.default_rng(7)
    cont = pd.DataFrame({"y": rng.normal(size=3000)})
    assert _kind(cont, cont)[0] == "numeric"
    many = pd.DataFrame({"y": rng.integers(0, 50, 3000).astype(float)})  # 50 whole values > 20
    assert _kind(many, many)[0] == "numeric"
    halves = pd.DataFrame({"y": rng.integers(0, 4, 3000) / 2})  # 0, 0.5, 1, 1.5
    assert _kind(halves, halves)[0] == "numeric"


def test_float_class_label_from_a_saved_profile(tmp_path):
    ref, cur = _binary(3000, 0.3, 8, nan_rows=5), _binary(3000, 0.5, 9)
    suite = {"name": "t", "dataset": {"label": "y"}, "checks": ["label_drift"]}
    path = tmp_path / "ref.profile.json"
    datacheck.profile(ref, suite).save(path)
    r = datacheck.run(cur, suite, reference=str(path)).results[0]
    assert r.details["kind"] == "categorical" and r.status == "fail"


def test_scores_stay_numeric_under_classification():
    rng = np.random.default_rng(10)
    ref = pd.DataFrame({"y": rng.integers(0, 2, 2000), "s": rng.random(2000).round(1)})
    suite = {
        "name": "t",
        "dataset": {"label": "y", "scores": "s", "task": "classification"},
        "checks": ["prediction_drift"],
    }
    r = datacheck.run(ref, suite, reference=ref).results[0]
    assert r.column == "s" and r.details["kind"] == "numeric"
