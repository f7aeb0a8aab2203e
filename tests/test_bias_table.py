"""``datacheck.bias_table``: the tidy notebook view of the ``bias`` check (same numbers, one call)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, selection_rate, true_positive_rate

import datacheck
from datacheck.bias import COLUMNS, bias_table
from datacheck.errors import DataError, SuiteError


def _data(seed=0, n=6000):
    rng = np.random.default_rng(seed)
    g = rng.choice(["a", "b", "c"], n, p=[0.5, 0.35, 0.15])
    y = rng.random(n) < 0.35
    pred = rng.random(n) < np.where(y, 0.75, 0.15) * np.where(g == "c", 0.5, 1.0)  # c selected half as often
    score = rng.normal(size=n) + 1.2 * y
    return pd.DataFrame({"g": g, "age": rng.integers(18, 80, n), "y": y, "pred": pred, "score": score})


def test_lazy_export_and_columns():
    assert datacheck.bias_table is bias_table
    t = bias_table(_data(), ["g"], label="y", prediction="pred", scores="score")
    assert list(t.columns) == COLUMNS
    assert set(t.metric) == {
        "representation",
        "base_rate",
        "missingness",
        "selection_rate",
        "tpr",
        "fpr",
        "fnr",
        "ppv",
        "auc",
    } - {"missingness"}  # no missing values anywhere
    assert set(t.status) <= {"pass", "fail", "skipped"}


def test_same_numbers_as_the_check_and_fairlearn():
    df = _data()
    t = bias_table(df, ["g"], label="y", prediction="pred", reference="best", metrics=["selection_rate", "tpr"])
    rep = datacheck.run(
        df,
        {
            "name": "s",
            "dataset": {"label": "y", "prediction": "pred", "protected": ["g"]},
            "checks": [{"bias": {"reference": "best", "metrics": ["selection_rate", "tpr"]}}],
        },
    )
    from datacheck.bias import results_to_table

    pd.testing.assert_frame_equal(t, results_to_table(rep.results))
    mf = MetricFrame(
        metrics={"selection_rate": selection_rate, "tpr": true_positive_rate},
        y_true=df.y,
        y_pred=df.pred,
        sensitive_features=df.g,
    )
    for g, frow in mf.by_group.iterrows():
        for m in ("selection_rate", "tpr"):
            v = t[(t.group == f"g={g}") & (t.metric == m)].value.iloc[0]
            assert v == pytest.approx(frow[m], abs=1e-12)
    sel = t[t.metric == "selection_rate"].set_index("group")
    assert sel.loc["g=c", "status"] == "fail" and sel.loc["g=b", "status"] == "pass"
    assert sel.loc["g=c", "ratio"] == pytest.approx(sel.loc["g=c", "value"] / sel.loc["g=c", "reference_value"])
    assert sel.loc["g=c", "q"] >= sel.loc["g=c", "p"]


def test_summary_binning_and_reference_data():
    df = _data(1)
    t, s = bias_table(
        df, ["g", "age"], label="y", prediction="pred", bins={"age": [18, 40, 60, 80]}, intersections=True, summary=True
    )
    assert set(t.dimension) == {"g", "age", "g x age"}
    assert {"demographic_parity_difference", "equalized_odds_difference"} <= set(s.columns)
    assert sorted(t[(t.metric == "base_rate") & (t.dimension == "age")].group) == [
        "age=[18, 40)",
        "age=[40, 60)",
        "age=[60, 80]",
    ]
    ref = _data(2)
    t2 = bias_table(df, ["g"], metrics=["representation"], reference_data=ref)
    assert set(t2.metric) == {"representation", "representation_shift"}


def test_errors_raise():
    df = _data()
    with pytest.raises(DataError, match="'sexx'"):
        bias_table(df, ["sexx"], label="y")
    with pytest.raises(DataError, match="prediction"):
        bias_table(df, ["g"], label="y", metrics=["tpr"])
    with pytest.raises(SuiteError, match="reference"):
        bias_table(df, ["g"], label="y", reference="nope")
