"""label_drift in both directions on Adult's income label."""

from __future__ import annotations

import numpy as np
import pandas as pd

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
