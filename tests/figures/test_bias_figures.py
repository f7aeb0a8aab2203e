"""Figures of the bias family draw what the check computed (never recompute) and register."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import datacheck  # noqa: E402
from datacheck.figures import FIGURES, figures_for  # noqa: E402
from datacheck.figures.bias import bias_missingness, bias_rates, bias_representation  # noqa: E402


@pytest.fixture(scope="module")
def report():
    rng = np.random.default_rng(0)
    n = 3000
    g = rng.choice(["a", "b", "c"], n, p=[0.6, 0.3, 0.1])
    x = rng.normal(size=n)
    x[rng.random(n) < np.where(g == "c", 0.3, 0.05)] = np.nan
    y = rng.random(n) < 0.3
    df = pd.DataFrame({"g": g, "x": x, "y": y, "pred": rng.random(n) < np.where(g == "b", 0.1, 0.4)})
    suite = {
        "name": "s",
        "dataset": {"label": "y", "prediction": "pred", "protected": ["g"]},
        "checks": [{"bias": {"expected_shares": {"g": {"a": 0.5, "b": 0.3, "c": 0.2}}}}],
    }
    return datacheck.run(df, suite)


def test_registered_and_applicable(report):
    names = {f.name for f in figures_for(report)}
    assert {"bias_rates", "bias_representation", "bias_missingness"} <= names
    assert FIGURES["bias_rates"].family == "bias"
    empty = datacheck.run(pd.DataFrame({"x": [1.0]}), {"name": "s", "checks": ["duplicates"]})
    assert not any(FIGURES[n].applies(empty) for n in ("bias_rates", "bias_representation", "bias_missingness"))
    with pytest.raises(ValueError, match="no bias rate"):
        bias_rates(empty)


def test_rate_panel_draws_the_checks_numbers(report):
    fig, ax = plt.subplots()
    out = bias_rates(report, ax=ax, metric="selection_rate")
    assert out is ax
    r = [r for r in report.results if r.details.get("metric") == "selection_rate"][0]
    values = sorted(g["value"] for g in r.details["groups"])
    drawn = sorted(float(c.lines[0].get_xdata()[0]) for c in ax.containers)
    assert drawn == pytest.approx(values)
    ref_lines = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert float(ref_lines[0].get_xdata()[0]) == pytest.approx(r.details["reference_value"])
    plt.close(fig)


def test_grid_representation_and_heatmap(report, tmp_path):
    fig = bias_rates(report)
    assert isinstance(fig, matplotlib.figure.Figure) and len([a for a in fig.axes if a.get_visible()]) >= 6
    fig.savefig(tmp_path / "rates.png")
    ax = bias_representation(report)
    assert ax.get_title().startswith("share of rows by g")
    ax = bias_missingness(report)
    texts = {t.get_text() for t in ax.texts}
    r = [r for r in report.results if r.details.get("metric") == "missingness"][0]
    assert {f"{g['value']:.1%}" for g in r.details["groups"]} <= texts
    assert any(isinstance(p, matplotlib.patches.Rectangle) and p.get_edgecolor()[0] > 0.7 for p in ax.patches)
    plt.close("all")


def test_bias_panels_text_is_readable_and_long_groups_wrap():
    """At most two panels per row and >= 8.5 pt text: readable at the report's page width (issue 14)."""
    rng = np.random.default_rng(2)
    n = 4000
    long = "A-very-long-country-name-that-goes-on-and-on"
    df = pd.DataFrame(
        {
            "c": rng.choice(["short", long], n),
            "s": rng.choice(["F", "M"], n),
            "y": rng.random(n) < 0.3,
            "pred": rng.random(n) < 0.3,
        }
    )
    suite = {
        "name": "s",
        "dataset": {"label": "y", "prediction": "pred", "protected": ["c", "s"]},
        "checks": [{"bias": {"intersections": True, "metrics": ["selection_rate", "tpr", "fpr"]}}],
    }
    fig = bias_rates(datacheck.run(df, suite))
    visible = [a for a in fig.axes if a.get_visible()]
    fig.canvas.draw()
    cols = {round(a.get_position().x0, 3) for a in visible}
    assert len(cols) <= 2
    for a in visible:
        for t in a.get_yticklabels() + a.get_xticklabels() + [a.title]:
            if t.get_text():
                assert t.get_fontsize() >= 8.5, t.get_text()
        labels = [t.get_text() for t in a.get_yticklabels()]
        assert all(max(len(line) for line in lab.split("\n")) <= 40 for lab in labels)
        if " x " in a.get_title():
            assert all("\n" in lab for lab in labels)  # "c=… & s=…" on two lines
    assert any(" x " in a.get_title() for a in visible)
