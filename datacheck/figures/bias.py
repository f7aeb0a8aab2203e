"""Figures of the ``bias`` check, drawn from ``Result.details`` only (no statistic is computed here).

* :func:`bias_rates` -- each group's rate as a point with its interval, against the reference
  group's value (a line) and the tolerance band (the four-fifths band with the default
  ``max_disparity_ratio: 0.8``); one panel per metric and grouping.
* :func:`bias_representation` -- each group's share of rows with its interval, against the
  expected population share (or the reference data's share) where one was given.
* :func:`bias_missingness` -- a heatmap of missing rates, groups x columns, failing cells marked.

Examples
--------
>>> import numpy as np, pandas as pd, datacheck
>>> from datacheck.figures.bias import bias_rates
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame({"g": rng.choice(["a", "b"], 500), "y": rng.random(500) < 0.3})
>>> rep = datacheck.run(df, {"name": "s", "dataset": {"label": "y", "protected": ["g"]},
...                          "checks": [{"bias": {"metrics": ["base_rate"]}}]})
>>> ax = bias_rates(rep)
>>> ax.get_title()
'label base rate by g'
"""

from __future__ import annotations

import math
from typing import Any

from datacheck.figures import figure, new_ax
from datacheck.figures._common import finite as _finite
from datacheck.figures._common import text_label

#: text sizes (points) in the bias panels: shown in a 1,100 px page column they stay >= 11 px
_TICK_PT, _TITLE_PT, _LEGEND_PT = 9.5, 11, 8.5

__all__ = ["bias_rates", "bias_representation", "bias_missingness", "rate_panel"]

_RATES = ("base_rate", "selection_rate", "tpr", "fpr", "fnr", "ppv", "auc")
_COLORS = {"pass": "#4C72B0", "fail": "#C44E52", "warn": "#DD8452", "skipped": "#AAAAAA", "reference": "#222222"}


def _results(report: Any, metrics, metric=None, dimension=None) -> list:
    out = []
    for r in getattr(report, "results", [report]):
        d = getattr(r, "details", None) or {}
        if r.check != "bias" or r.status == "error" or d.get("metric") not in metrics or not d.get("groups"):
            continue
        if metric is not None and d["metric"] != metric:
            continue
        if dimension is not None and d.get("dimension") != dimension:
            continue
        out.append(r)
    return out


def _grid(n: int, ax, panel_size=(4.6, 0.0), heights=None):
    """(fig, list of axes) for ``n`` panels, two per row; a given ``ax`` serves exactly one panel.

    ``heights`` (one per panel, inches) sizes each row by its tallest panel, so a two-group panel
    is not stretched to the height of a ten-group one.
    """
    import matplotlib.pyplot as plt

    if ax is not None:
        return ax.figure, [ax]
    from datacheck.figures import _use_headless_backend

    _use_headless_backend()
    cols = min(2, n)
    rows = math.ceil(n / cols)
    if heights:
        row_h = [max(2.6, max(heights[r * cols : (r + 1) * cols])) for r in range(rows)]
    else:
        row_h = [max(2.6, panel_size[1])] * rows
    fig, axes = plt.subplots(
        rows, cols, figsize=(panel_size[0] * cols, sum(row_h)), squeeze=False, gridspec_kw={"height_ratios": row_h}
    )
    flat = list(axes.ravel())
    for extra in flat[n:]:
        extra.set_visible(False)
    return fig, flat[:n]


def _group_label(group: Any, n: Any = None) -> str:
    """A group's name for a tick label: one line per attribute (``sex=Female`` / ``race=Black``),
    each shortened, with its size; the full names are in the results table."""
    parts = [text_label(p.strip(), 26) for p in str(group).split(" & ")]
    if n is not None:
        parts[-1] += f"  (n={n:,})" if isinstance(n, int) else f"  (n={n})"
    return "\n".join(parts)


def _status_color(g: dict) -> str:
    if g.get("is_reference"):
        return _COLORS["reference"]
    status = g.get("status")
    return _COLORS.get(status, _COLORS["pass"]) if status is not None else _COLORS["pass"]


def rate_panel(result: Any, ax=None):
    """Draw one ``bias`` result: group rates with intervals, reference line and tolerance band.

    Parameters
    ----------
    result : Result
        A ``bias`` result whose ``details["metric"]`` is a rate (base_rate, selection_rate, tpr,
        fpr, fnr, ppv, auc).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    d = result.details
    groups = [g for g in d["groups"] if _finite(g.get("value"))]
    created = ax is None
    fig, ax = new_ax(ax, figsize=(6, 0.45 * len(groups) + 1.6))
    ys = list(range(len(groups)))[::-1]
    band = d.get("band")
    ref = d.get("reference_value")
    if band is not None:
        ax.axvspan(
            max(0.0, band[0]),
            min(1.0, band[1]),
            color="#55A868",
            alpha=0.12,
            label=f"tolerance (ratio >= {d.get('max_disparity_ratio')})",
        )
    elif d.get("difference_band"):
        lo, hi = d["difference_band"]
        ax.axvspan(max(0.0, lo), min(1.0, hi), color="#55A868", alpha=0.12, label="tolerance (difference)")
    if _finite(ref):
        ax.axvline(ref, color=_COLORS["reference"], lw=1, ls="--", label=f"reference ({d.get('reference_group')})")
    for y, g in zip(ys, groups):
        v, lo, hi = g["value"], g.get("ci_low"), g.get("ci_high")
        err = None
        if _finite(lo) and _finite(hi):
            err = [[max(0.0, v - lo)], [max(0.0, hi - v)]]
        c = _status_color(g)
        ax.errorbar(
            [v],
            [y],
            xerr=err,
            fmt="o",
            color=c,
            ecolor=c,
            capsize=3,
            mfc="white" if g.get("status") == "skipped" else c,
            ms=6,
        )
    ax.set_yticks(ys)
    ax.set_yticklabels([_group_label(g["group"], g.get("n")) for g in groups], fontsize=_TICK_PT)
    ax.tick_params(axis="x", labelsize=_TICK_PT)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel(d.get("metric_name", d["metric"]))
    ax.set_title(f"{d.get('metric_name', d['metric'])} by {text_label(d.get('dimension'), 40)}", fontsize=_TITLE_PT)
    ax.legend(fontsize=_LEGEND_PT, loc="best")
    if created:
        fig.tight_layout()
    return ax


def _has_rates(report) -> bool:
    return bool(_results(report, _RATES))


@figure("bias_rates", "bias", _has_rates, title="Group rates with intervals vs the reference group")
def bias_rates(report: Any, ax=None, *, metric: str | None = None, dimension: str | None = None, max_panels: int = 12):
    """Group rates as points with interval bars, the reference line and the tolerance band.

    Parameters
    ----------
    report : Report or Result
    ax : matplotlib Axes, optional
        With an ``ax``, only the first matching panel is drawn into it.
    metric, dimension : str, optional
        Keep only this metric (``tpr``) or grouping (``race``, ``sex x race``).
    max_panels : int
        At most this many panels (one per metric and grouping).

    Returns
    -------
    matplotlib Axes (one panel) or Figure (several)
    """
    res = _results(report, _RATES, metric, dimension)[:max_panels]
    if not res:
        raise ValueError(
            "the report has no bias rate results to draw"
            + (f" for metric={metric!r}" if metric else "")
            + (f", dimension={dimension!r}" if dimension else "")
        )
    if ax is not None or len(res) == 1:
        return rate_panel(res[0], ax)
    heights = [0.5 * len([g for g in r.details["groups"] if _finite(g.get("value"))]) + 1.6 for r in res]
    fig, axes = _grid(len(res), None, (5.6, 0.0), heights)
    for r, a in zip(res, axes):
        rate_panel(r, a)
    fig.tight_layout()
    return fig


def _has_repr(report) -> bool:
    return bool(_results(report, ("representation", "representation_shift")))


def _repr_panel(result, ax):
    d = result.details
    groups = d["groups"]
    ys = list(range(len(groups)))[::-1]
    for y, g in zip(ys, groups):
        v = g.get("value")
        if not _finite(v):
            continue
        c = _status_color(g)
        ax.barh(y, v, color=c, alpha=0.55, height=0.6)
        lo, hi = g.get("ci_low"), g.get("ci_high")
        if _finite(lo) and _finite(hi):
            ax.errorbar(
                [v], [y], xerr=[[max(0.0, v - lo)], [max(0.0, hi - v)]], fmt="none", ecolor="#333333", capsize=3
            )
        e = g.get("reference_value")
        if _finite(e):
            ax.plot([e], [y], marker="D", color="#222222", ms=6, ls="none")
    ax.set_yticks(ys)
    ax.set_yticklabels([_group_label(g["group"]) for g in groups], fontsize=_TICK_PT)
    ax.tick_params(axis="x", labelsize=_TICK_PT)
    what = "reference data" if d["metric"] == "representation_shift" else "expected"
    ax.plot([], [], marker="D", color="#222222", ls="none", label=f"{what} share")
    ax.set_xlabel("share of rows")
    ax.set_title(f"{d.get('metric_name', d['metric'])} by {text_label(d.get('dimension'), 40)}", fontsize=_TITLE_PT)
    if any(_finite(g.get("reference_value")) for g in groups):
        ax.legend(fontsize=_LEGEND_PT, loc="best")
    return ax


@figure("bias_representation", "bias", _has_repr, title="Group shares vs expected shares")
def bias_representation(report: Any, ax=None, *, dimension: str | None = None, max_panels: int = 6):
    """Each group's share of rows (bars, with intervals) against expected or reference shares (diamonds).

    Parameters
    ----------
    report : Report or Result
    ax : matplotlib Axes, optional
        With an ``ax``, only the first matching panel is drawn into it.
    dimension : str, optional
        Keep only this grouping.
    max_panels : int

    Returns
    -------
    matplotlib Axes (one panel) or Figure (several)
    """
    res = _results(report, ("representation", "representation_shift"), None, dimension)[:max_panels]
    if not res:
        raise ValueError("the report has no bias representation results to draw")
    if ax is not None or len(res) == 1:
        created = ax is None
        fig, ax = new_ax(ax, figsize=(6, 0.4 * len(res[0].details["groups"]) + 1.6))
        _repr_panel(res[0], ax)
        if created:
            fig.tight_layout()
        return ax
    heights = [0.45 * len(r.details["groups"]) + 1.6 for r in res]
    fig, axes = _grid(len(res), None, (5.6, 0.0), heights)
    for r, a in zip(res, axes):
        _repr_panel(r, a)
    fig.tight_layout()
    return fig


def _has_missing(report) -> bool:
    return any(r.details.get("columns") for r in _results(report, ("missingness",)))


def _missing_panel(result, ax):
    import numpy as np
    import seaborn as sns

    d = result.details
    cols = list(d["columns"])
    groups = list(dict.fromkeys(g["group"] for g in d["groups"]))
    mat = np.full((len(groups), len(cols)), np.nan)
    failing = []
    for g in d["groups"]:
        if g.get("column") not in cols or not _finite(g.get("value")):
            continue
        i, j = groups.index(g["group"]), cols.index(g["column"])
        mat[i, j] = g["value"]
        if g.get("status") in ("fail", "warn"):
            failing.append((i, j))
    annot = np.vectorize(lambda v: "" if not np.isfinite(v) else f"{v:.1%}")(mat)
    sns.heatmap(
        mat,
        ax=ax,
        cmap="rocket_r",
        vmin=0,
        annot=annot,
        fmt="",
        annot_kws={"fontsize": 8.5},
        xticklabels=[text_label(c, 24) for c in cols],
        yticklabels=[_group_label(g) for g in groups],
        cbar_kws={"label": "missing rate"},
        linewidths=0.5,
        linecolor="white",
    )
    from matplotlib.patches import Rectangle

    for i, j in failing:
        ax.add_patch(Rectangle((j, i), 1, 1, fill=False, edgecolor=_COLORS["fail"], lw=2))
    ax.set_title(
        f"missing rate by {text_label(d.get('dimension'), 40)} (outlined: disparity beyond tolerance and significant)",
        fontsize=_TITLE_PT - 1,
    )
    ax.tick_params(labelsize=_TICK_PT)
    ax.tick_params(axis="y", labelsize=8)
    ax.tick_params(axis="x", labelsize=8, rotation=30)
    return ax


@figure("bias_missingness", "bias", _has_missing, title="Missing rates by group")
def bias_missingness(report: Any, ax=None, *, dimension: str | None = None, max_panels: int = 4):
    """Heatmap of missing rates, groups x columns; cells whose disparity failed are outlined.

    Parameters
    ----------
    report : Report or Result
    ax : matplotlib Axes, optional
        With an ``ax``, only the first matching grouping is drawn into it.
    dimension : str, optional
    max_panels : int

    Returns
    -------
    matplotlib Axes (one panel) or Figure (several)
    """
    res = [r for r in _results(report, ("missingness",), None, dimension) if r.details.get("columns")][:max_panels]
    if not res:
        raise ValueError("the report has no missingness-by-group results with missing values to draw")
    if ax is not None or len(res) == 1:
        r = res[0]
        created = ax is None
        fig, ax = new_ax(
            ax,
            figsize=(1.0 * len(r.details["columns"]) + 4, 0.4 * len({g["group"] for g in r.details["groups"]}) + 1.8),
        )
        _missing_panel(r, ax)
        if created:
            fig.tight_layout()
        return ax
    import matplotlib.pyplot as plt

    from datacheck.figures import _use_headless_backend

    _use_headless_backend()
    heights = [0.4 * len({g["group"] for g in r.details["groups"]}) + 1.8 for r in res]
    width = 1.0 * max(len(r.details["columns"]) for r in res) + 4
    fig, axes = plt.subplots(
        len(res), 1, figsize=(width, sum(heights)), gridspec_kw={"height_ratios": heights}, squeeze=False
    )
    for r, a in zip(res, axes[:, 0]):
        _missing_panel(r, a)
    fig.tight_layout()
    return fig
