"""slices: a continuous label read as classes is refused fast, not a minute and gigabytes of bootstrap."""

import time

import numpy as np
import pandas as pd
import pytest

import datacheck


@pytest.mark.parametrize("metric", ["f1", "recall"])
def test_continuous_label_with_class_metrics_is_bounded(metric):
    rng = np.random.default_rng(0)
    n = 1600
    y = rng.normal(size=n)
    p = np.where(rng.random(n) < 0.5, y, y + rng.normal(scale=0.1, size=n))
    df = pd.DataFrame({"y": y, "p": p, "g": rng.choice(["a", "b"], n)})
    suite = {
        "name": "s",
        "dataset": {"label": "y", "prediction": "p", "task": "classification"},
        "checks": [{"slices": {"by": ["g"], "metrics": [metric]}}],
    }
    t0 = time.perf_counter()
    r = datacheck.run(df, suite).results
    took = time.perf_counter() - t0
    assert took < 10, took
    assert all(x.status == "error" for x in r)
    assert "task: regression" in r[0].message and "distinct values" in r[0].message


def test_many_but_allowed_classes_still_judged():
    rng = np.random.default_rng(1)
    n = 600
    y = rng.integers(0, 5, n)
    df = pd.DataFrame({"y": y, "p": np.where(rng.random(n) < 0.9, y, (y + 1) % 5), "g": rng.choice(["a", "b"], n)})
    suite = {
        "name": "s",
        "dataset": {"label": "y", "prediction": "p"},
        "checks": [{"slices": {"by": ["g"], "metrics": ["accuracy"], "bootstrap": 100}}],
    }
    r = datacheck.run(df, suite).results
    assert r and all(x.status in ("pass", "fail", "warn") for x in r)
