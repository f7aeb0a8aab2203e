"""Slice figures draw from results only, and are registered for reports that have slices."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

import datacheck
from datacheck.figures import figures_for
from datacheck.figures.slices import slice_forest, slice_heatmap, worst_slices_bars


@pytest.fixture(scope="module")
def report():
    rng = np.random.default_rng(0)
    n = 4000
    df = pd.DataFrame(
        {
            "a": rng.choice(["x", "y", "z"], n),
            "b": rng.choice(["u", "v"], n),
            "age": rng.integers(18, 80, n),
            "y": rng.integers(0, 2, n),
        }
    )
    weak = ((df.a == "z") & (df.b == "v")).to_numpy()
    df["p"] = np.where(rng.random(n) < np.where(weak, 0.4, 0.1), 1 - df.y, df.y)
    return datacheck.run(
        df,
        {
            "name": "s",
            "dataset": {"label": "y", "prediction": "p"},
            "checks": [
                {"slices": {"by": ["a", ["a", "b"], "age"], "metrics": ["accuracy", "f1"]}},
                {"worst_slices": {"max_depth": 2}},
            ],
        },
    )


def test_figures_are_registered_and_draw(report):
    import matplotlib.pyplot as plt

    names = {f.name for f in figures_for(report)}
    assert {"slice_forest", "slice_heatmap", "worst_slices_bars"} <= names
    ax = slice_forest(report)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any("a = z & b = v" in t for t in labels)
    assert ax.get_title() == "accuracy by slice"
    assert slice_forest(report, metric="f1").get_xlabel() == "f1"
    ax = slice_heatmap(report)
    assert "a x b" in ax.get_title() and len(ax.patches) >= 1  # the failing cell is outlined
    ax = worst_slices_bars(report)
    assert any("n=" in t.get_text() for t in ax.texts)
    assert ax.get_yticklabels()[-1].get_text() == report.select(check="worst_slices")[0].details["slices"][0]["slice"]
    plt.close("all")


def test_figures_refuse_reports_without_slices():
    rep = datacheck.run(pd.DataFrame({"x": [1, 2]}), {"name": "s", "checks": ["duplicates"]})
    assert not {"slice_forest", "slice_heatmap", "worst_slices_bars"} & {f.name for f in figures_for(rep)}
    with pytest.raises(ValueError):
        slice_forest(rep)


def _heat_report(n_small: int):
    rng = np.random.default_rng(1)
    big = pd.DataFrame({"a": rng.choice(["x", "y"], 2000), "b": rng.choice(["u", "v"], 2000)})
    small = pd.DataFrame({"a": ["z"] * n_small, "b": ["u"] * n_small})
    df = pd.concat([big, small], ignore_index=True) if n_small else big
    df["y"] = rng.integers(0, 2, len(df))
    df["p"] = np.where(rng.random(len(df)) < 0.15, 1 - df.y, df.y)
    return datacheck.run(
        df,
        {
            "name": "h",
            "dataset": {"label": "y", "prediction": "p"},
            "checks": [{"slices": {"by": [["a", "b"]], "min_support": 50}}],
        },
    )


def test_heatmap_greys_cells_below_min_support():
    ax = slice_heatmap(_heat_report(32))
    texts = [t.get_text() for t in ax.texts]
    assert any("n=32 < 50" in t for t in texts)
    greys = [p for p in ax.patches if p.get_facecolor()[:3] == pytest.approx((0xE6 / 255,) * 3)]
    assert len(greys) == 1
    assert "grey: fewer than 50 rows" in ax.get_title()


def test_heatmap_without_small_cells_has_no_grey():
    ax = slice_heatmap(_heat_report(0))
    assert not any("<" in t.get_text() for t in ax.texts)
    assert not [p for p in ax.patches if p.get_facecolor()[:3] == pytest.approx((0xE6 / 255,) * 3)]
    assert all("n=" in t.get_text() for t in ax.texts)
