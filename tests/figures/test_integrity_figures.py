"""Integrity figures and the status overview: they draw from results alone, with or without an ax."""

from __future__ import annotations

import copy
import math
import os

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import datacheck  # noqa: E402
from datacheck.figures import FIGURES, figures_for  # noqa: E402
from datacheck.figures import integrity as fi  # noqa: E402
from datacheck.figures import overview as fo  # noqa: E402

SUITE = os.path.join(os.path.dirname(__file__), "..", "..", "expectations", "adult.yaml")
OURS = ["status_overview", "missingness", "numeric_distributions", "skewness", "value_shares"]


@pytest.fixture(scope="module")
def report(adult_raw):
    return datacheck.run(adult_raw, SUITE)


@pytest.fixture(scope="module")
def reloaded(report):
    """The same report rebuilt from its JSON: no data anywhere, so a figure cannot compute from it."""
    return datacheck.Report.from_json(report.to_json())


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _figure_of(out) -> Figure:
    assert isinstance(out, (Axes, Figure)), type(out)
    return out if isinstance(out, Figure) else out.figure


def _render(fig: Figure) -> None:
    fig.canvas.draw()  # text (mathtext, glyphs) is only laid out when drawn


def test_registered_with_stable_names_and_families(report):
    names = [s.name for s in figures_for(report)]
    assert set(OURS) <= set(names)
    assert FIGURES["status_overview"].family == "overview"
    for name in OURS[1:]:
        assert FIGURES[name].family == "integrity"


@pytest.mark.parametrize("name", OURS)
def test_draws_from_report_and_from_reloaded_json(report, reloaded, name):
    before = copy.deepcopy(report.to_dict())
    for rep in (report, reloaded):
        fig = _figure_of(FIGURES[name].draw(rep))
        _render(fig)
        assert fig.axes, name
        texts = [t.get_text() for a in fig.axes for t in a.texts + [a.title]] + [
            fig._suptitle.get_text() if fig._suptitle else ""
        ]
        assert any(texts), f"{name} drew no text at all"
    assert report.to_dict() == before, "a figure must not change the results it draws"


@pytest.mark.parametrize("name", OURS)
def test_draws_into_a_given_ax(reloaded, name):
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    out = reloaded.plot(name, ax=right)
    assert _figure_of(out) is fig
    assert left in fig.axes  # the other axes is left alone
    _render(fig)


def test_plot_defaults_to_overview_and_rejects_unknown(reloaded):
    ax = reloaded.plot()
    assert isinstance(ax, Axes)
    assert "FAILED" in ax.get_title(loc="left")
    with pytest.raises(ValueError, match="unknown figure"):
        reloaded.plot("no_such_figure")


def test_plot_says_when_a_figure_has_nothing_to_draw():
    rep = datacheck.run(pd.DataFrame({"s": ["a", "b"]}), {"name": "t", "checks": [{"missing": {}}]})
    with pytest.raises(ValueError, match="nothing to draw"):
        rep.plot("numeric_distributions")


def test_figures_accept_a_list_of_results_or_one_result(reloaded):
    outliers = reloaded.select(check="outliers")
    _render(_figure_of(fi.numeric_distributions(outliers)))
    _render(_figure_of(fi.numeric_distributions(outliers[0])))
    _render(_figure_of(fo.status_overview(reloaded.results)))


def test_overview_marks_the_failing_cells(reloaded):
    ax = reloaded.plot("status_overview")
    cols = [t.get_text() for t in ax.get_xticklabels()]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert "workclass" in cols and "missing" in rows and "(table)" in cols
    glyph = {(round(t.get_position()[1] - 0.5), round(t.get_position()[0] - 0.5)): t.get_text() for t in ax.texts}
    assert glyph[(rows.index("missing"), cols.index("workclass"))] == "✗"
    assert glyph[(rows.index("schema"), cols.index("age"))] == "✓"
    assert glyph[(rows.index("outliers"), cols.index("hours-per-week"))] == "!"


def test_missingness_shows_disguised_and_suspected_with_their_values(reloaded):
    ax = reloaded.plot("missingness")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert {"workclass", "occupation", "capital-gain", "hours-per-week"} <= set(labels)
    assert "age" not in labels  # nothing missing: counted in the title, not drawn
    notes = " ".join(t.get_text() for t in ax.texts)
    assert "'?' ×1,836" in notes and "99999 ×159" in notes
    assert "fail" in notes and "warn" in notes


def test_missing_check_states_the_disguised_bound_in_details(reloaded):
    main = [r for r in reloaded.select(check="missing", column="age")][0]
    assert main.details["max_disguised_fraction"] == 0.02


def test_numeric_distribution_draws_the_result_histogram_and_fences(reloaded):
    fig = reloaded.plot("numeric_distributions")
    r = reloaded.select(check="outliers", column="hours-per-week")[0]
    ax = next(a for a in fig.axes if a.get_title(loc="left").startswith("hours-per-week"))
    heights = [p.get_height() for c in ax.containers for p in c]
    assert heights == r.details["hist_counts"]
    lo, hi = r.details["fences"]
    edges = r.details["hist_edges"]
    # bin edges sit on the fences: no bin mixes rows inside and beyond them
    assert not any(a < lo < b for a, b in zip(edges[:-1], edges[1:]))
    assert not any(a <= hi and b > math.nextafter(hi, math.inf) for a, b in zip(edges[:-1], edges[1:]))
    # an orange bar holds only rows beyond the fences; the orange bars hold all of them
    beyond = sum(n for a, b, n in zip(edges[:-1], edges[1:], heights) if b <= lo or a > hi)
    assert beyond == r.observed["below"] + r.observed["above"]
    colours = {}
    for c in ax.containers:
        for p in c:
            colours.setdefault(p.get_facecolor()[:3], []).append(p.get_height())
    assert sorted(map(sum, colours.values())) == sorted([beyond, sum(heights) - beyond])
    fence_labels = {t.get_text() for t in ax.texts}
    assert {"32.5", "52.5"} <= fence_labels
    assert "warn" in ax.get_title(loc="left")


def test_skewness_and_value_shares_show_the_bounds(reloaded):
    fig = reloaded.plot("skewness")
    skew_ax = fig.axes[0]
    assert [t.get_text() for t in skew_ax.get_yticklabels()][-1] == "capital-gain"  # largest |skewness| on top
    assert "±2" in skew_ax.get_title(loc="left")
    ax = reloaded.plot("value_shares")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "income (label)"
    notes = " ".join(t.get_text() for t in ax.texts)
    assert "smallest class >50K" in notes and "95.3%" in notes


def test_save_figures_png_and_svg_use_the_figure_names(tmp_path):
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"x": rng.lognormal(size=300), "c": rng.choice(["a", "b", "?"], 300)})
    rep = datacheck.run(df, {"name": "t", "checks": ["missing", {"outliers": {}}, "skew"]})
    expected = [s.name for s in figures_for(rep)]
    assert set(OURS) <= set(expected)
    for fmt in ("png", "svg"):
        paths = rep.save_figures(str(tmp_path / fmt), format=fmt)
        assert [os.path.basename(p) for p in paths] == [f"{n}.{fmt}" for n in expected]
        for p in paths:
            assert os.path.getsize(p) > 1000
    with open(tmp_path / "png" / "status_overview.png", "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="format"):
        rep.save_figures(str(tmp_path), format="jpg")


def test_text_from_the_data_is_never_mathtext_and_labels_are_bounded():
    rng = np.random.default_rng(1)
    df = pd.DataFrame(
        {
            "a$b$c$": rng.lognormal(size=400),
            "$\\frac{x}{0}$": rng.normal(size=400),
            "c" * 200: rng.choice(["$$", "x$y", "<b>"], 400),
        }
    )
    rep = datacheck.run(df, {"name": "$weird$", "checks": ["missing", {"outliers": {}}, "skew"]})
    for spec in figures_for(rep):
        _render(_figure_of(spec.draw(rep)))
    ax = rep.plot("status_overview")
    assert all(len(t.get_text()) <= 24 for t in ax.get_xticklabels())


def test_wide_tables_give_bounded_figures():
    rng = np.random.default_rng(2)
    df = pd.DataFrame({f"c{i:03d}": rng.normal(size=200) for i in range(120)})
    df.loc[:20, "c077"] = np.nan
    rep = datacheck.run(df, {"name": "wide", "checks": [{"missing": {"max_fraction": 0.01}}, {"outliers": {}}, "skew"]})
    ax = rep.plot("status_overview")
    cols = [t.get_text() for t in ax.get_xticklabels()]
    assert len(cols) == fo.MAX_COLUMNS and "c077" in cols
    assert "not shown" in ax.get_xlabel()
    fig = rep.plot("numeric_distributions")
    assert len([a for a in fig.axes if a.get_visible()]) == fi.MAX_PANELS
    assert len(rep.plot("skewness").axes[0].get_yticks()) == fi.MAX_ROWS


def test_nothing_missing_says_so():
    rep = datacheck.run(pd.DataFrame({"x": [1.0, 2.0, 3.0]}), {"name": "t", "checks": ["missing"]})
    ax = rep.plot("missingness")
    assert "no missing values" in ax.texts[0].get_text()


def test_styling_does_not_leak_into_the_users_rcparams(reloaded):
    before = dict(matplotlib.rcParams)
    reloaded.plot("value_shares")
    after = dict(matplotlib.rcParams)
    assert {k: v for k, v in after.items() if before.get(k) != v and k != "figure.figsize"} == {}


@pytest.mark.parametrize("n_cols", [1, 2, 12])
def test_missingness_legend_clears_the_x_label(n_cols):
    """The legend sits below the x label at any chart height (it used to overlap on short charts)."""
    import datacheck

    df = pd.DataFrame({f"c{i}": [None] * (i + 1) + [1.0] * (99 - i) for i in range(n_cols)})
    ax = datacheck.run(df, {"name": "m", "checks": ["missing"]}).plot("missingness")
    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    label = ax.xaxis.label.get_window_extent(r)
    legend = ax.get_legend().get_window_extent(r)
    ticks = [t.get_window_extent(r) for t in ax.get_xticklabels() if t.get_text()]
    assert legend.y1 < label.y0 and all(legend.y1 < t.y0 for t in ticks)


def test_skewness_value_labels_touch_no_reference_line(reloaded):
    fig = reloaded.plot("skewness")
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    for ax in fig.axes:
        vlines = [ln for ln in ax.lines if len(set(ln.get_xdata())) == 1]
        xs = [ax.transData.transform((ln.get_xdata()[0], 0))[0] for ln in vlines]
        for t in ax.texts:
            bb = t.get_window_extent(r)
            assert not any(bb.x0 - 1 <= x <= bb.x1 + 1 for x in xs), t.get_text()


def test_no_figure_text_below_8_points(reloaded):
    """Every figure of the report keeps its text >= 8 pt (shown at >= 85% size: >= 9 px on the page)."""
    from matplotlib.text import Text

    for spec in figures_for(reloaded):
        drawn = spec.draw(reloaded)
        fig = drawn if isinstance(drawn, Figure) else drawn.figure
        fig.canvas.draw()
        small = [
            t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and t.get_fontsize() < 8
        ]
        plt.close(fig)
        assert small == [], (spec.name, small[:5])
