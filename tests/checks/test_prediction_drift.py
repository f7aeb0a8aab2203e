"""prediction_drift in both directions, on predictions and scores together (BH across them)."""

from __future__ import annotations

import numpy as np
import pandas as pd

import datacheck

SUITE = {"name": "t", "dataset": {"prediction": "pred", "scores": ["score"]}, "checks": ["prediction_drift"]}


def _frame(rng, a, b, n=4000):
    s = rng.beta(a, b, n)
    return pd.DataFrame({"score": s, "pred": np.where(s > 0.5, "yes", "no")})


def test_prediction_drift_both_directions():
    rng = np.random.default_rng(0)
    ref = _frame(rng, 2, 5)
    same = datacheck.run(_frame(rng, 2, 5), SUITE, reference=ref)
    assert [r.status for r in same.results] == ["pass", "pass"]
    moved = datacheck.run(_frame(rng, 3, 3), SUITE, reference=ref)
    assert [(r.column, r.status) for r in moved.results] == [("pred", "fail"), ("score", "fail")]
    assert all("q_value" in r.observed for r in moved.results)


def test_missing_prediction_column_is_an_error():
    ref = pd.DataFrame({"score": [0.1, 0.2] * 50, "pred": ["a", "b"] * 50})
    cur = pd.DataFrame({"score": [0.1, 0.2] * 50})
    rep = datacheck.run(
        cur, {"name": "t", "dataset": {"scores": ["score", "pred"]}, "checks": ["prediction_drift"]}, reference=ref
    )
    statuses = {r.column: r.status for r in rep.results if r.check == "prediction_drift"}
    assert statuses["score"] == "pass" and statuses["pred"] == "error"
