"""Figures of the label_errors check draw what the result holds, with or without a given ax."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import datacheck  # noqa: E402
from datacheck.figures import FIGURES, figures_for  # noqa: E402
from datacheck.figures.label_errors import label_issue_rates, label_issues_by_class, label_quality_distribution  # noqa: E402

NAMES = ("label_quality_distribution", "label_issues_by_class", "label_issue_rates")


@pytest.fixture(scope="module")
def report():
    rng = np.random.default_rng(0)
    n = 600
    x = rng.normal(size=n)
    y = np.where(x + rng.normal(scale=0.4, size=n) > 0, "yes", "no").astype(object)
    g = rng.choice(["a", "b", "c"], n)
    worse = (g == "c") & (rng.random(n) < 0.25)  # group c gets extra wrong labels
    y[worse] = np.where(y[worse] == "yes", "no", "yes")
    df = pd.DataFrame({"x": x, "z": rng.normal(size=n), "g": g, "y": y})
    return datacheck.run(
        df,
        {
            "name": "f",
            "dataset": {"label": "y", "protected": ["g"]},
            "checks": [{"label_errors": {"progress": False, "max_fraction": 0.5}}],
        },
    )


def test_registered_and_applies(report):
    for name in NAMES:
        assert FIGURES[name].family == "label_errors"
    assert set(NAMES) <= {f.name for f in figures_for(report)}
    empty = datacheck.run(pd.DataFrame({"x": [1, 2]}), {"name": "e", "checks": ["duplicates"]})
    assert not set(NAMES) & {f.name for f in figures_for(empty)}
    with pytest.raises(ValueError, match="no label_errors result"):
        label_issue_rates(empty)


def test_distribution_draws_the_histogram(report):
    r = report.results[0]
    ax = label_quality_distribution(report)
    h = r.details["score_hist"]
    bars = [p for p in ax.patches if p.get_width() < 0.2]
    assert len(bars) == 2 * (len(h["edges"]) - 1)  # flagged and not flagged, one bar per bin each
    heights = [p.get_height() for p in bars]
    assert sum(heights) == pytest.approx(sum(h["flagged"]) + sum(h["not_flagged"]))
    assert sum(heights[: len(bars) // 2]) == sum(h["flagged"]) == r.observed["count"]  # flagged first
    # prune_by_noise_rate is no cut on the score: no shaded region, no threshold line
    assert r.details["flag_threshold"] is None
    assert not [p for p in ax.patches if p.get_width() >= 0.2] and not ax.lines
    assert ax.get_xlim() == (0, 1)
    plt.close(ax.figure)


def test_distribution_threshold_line_only_for_a_threshold_filter():
    rng = np.random.default_rng(1)
    x = rng.normal(size=400)
    y = np.where(x + rng.normal(scale=0.4, size=400) > 0, "yes", "no")
    rep = datacheck.run(
        pd.DataFrame({"x": x, "y": y}),
        {
            "name": "f",
            "dataset": {"label": "y"},
            "checks": [{"label_errors": {"progress": False, "filter_by": "low_self_confidence"}}],
        },
    )
    thr = rep.results[0].details["flag_threshold"]
    assert thr is not None
    ax = label_quality_distribution(rep)
    assert len(ax.lines) == 1 and ax.lines[0].get_xdata()[0] == pytest.approx(thr)
    plt.close(ax.figure)


def test_per_class_bars_sum_to_issues(report):
    r = report.results[0]
    fig, ax = plt.subplots()
    out = label_issues_by_class(r, ax=ax)
    assert out is ax
    widths = sum(p.get_width() for p in ax.patches)
    assert widths == pytest.approx(r.observed["count"])
    plt.close(fig)


def test_subgroup_rates_points_and_marks(report):
    r = report.results[0]
    ax = label_issue_rates(report)
    groups = r.details["subgroups"]
    assert len(ax.get_yticklabels()) == len(groups) == 3
    marked = [t.get_text() for t in ax.get_yticklabels() if t.get_text().endswith("*")]
    assert any(" c " in f" {t} " or "c (n=" in t for t in marked)  # the group with extra errors
    c = next(s for s in groups if s["group"] == "c")
    assert c["rate"] > r.details["overall_rate"] and c["q_value"] < 0.05
    plt.close(ax.figure)
