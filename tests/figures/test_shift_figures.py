"""Shift figures: labels clear of the marks drawn over the bars, readable category panels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import datacheck  # noqa: E402
from datacheck.figures.shift import MAX_CATEGORIES, shift_distributions, shift_effect_sizes  # noqa: E402


@pytest.fixture(scope="module")
def report():
    rng = np.random.default_rng(0)
    n = 3000
    cats = [f"category-with-a-long-name-{i}" for i in range(25)]
    ref = pd.DataFrame({"x": rng.normal(size=n), "c": rng.choice(cats, n), "z": rng.exponential(size=n)})
    cur = pd.DataFrame({"x": rng.normal(0.3, 1, n), "c": rng.choice(cats, n), "z": rng.exponential(size=n)})
    return datacheck.run(cur, {"name": "s", "checks": ["drift"]}, reference=ref)


def test_effect_labels_are_clear_of_mde_ticks_and_threshold(report):
    fig = shift_effect_sizes(report)
    fig = fig if hasattr(fig, "canvas") else fig.figure
    ax = fig.axes[0]
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    marks = [ln.get_window_extent(r) for ln in ax.lines if len(set(np.round(ln.get_xdata(), 9))) == 1]
    assert marks  # MDE ticks and the threshold line are drawn
    for t in ax.texts:
        bb = t.get_window_extent(r)
        assert all(bb.x1 < m.x0 or bb.x0 > m.x1 or bb.y1 < m.y0 or bb.y0 > m.y1 for m in marks), t.get_text()
        assert t.get_fontsize() >= 8


def test_category_panels_draw_at_most_max_categories_and_say_so(report):
    fig = shift_distributions(report)
    ax = next(a for a in fig.axes if "c:" in a.get_title(loc="left"))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == MAX_CATEGORIES
    assert f"{MAX_CATEGORIES} of " in ax.get_xlabel()
    assert all(t.get_fontsize() >= 8.5 for t in ax.get_yticklabels())
