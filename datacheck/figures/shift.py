"""Figures of the shift family: what moved between reference and current data, and by how much.

Each draws only what the checks put in their results:

=======================  ==========================================================================
figure                   reads
=======================  ==========================================================================
``shift_distributions``  ``drift``, ``label_drift``, ``prediction_drift`` results: numeric
                         ``details.bins`` {edges, ref, cur} (counts on reference-quantile bins);
                         categorical ``details.categories`` {labels, ref, cur}; status, effect size
``shift_effect_sizes``   the same results: ``effect_size``, ``details`` {threshold, method,
                         q_value, mde}, status; and ``multivariate_drift`` (AUC vs ``max_auc``)
=======================  ==========================================================================

Examples
--------
>>> import numpy as np, pandas as pd, datacheck
>>> rng = np.random.default_rng(0)
>>> ref = pd.DataFrame({"x": rng.normal(size=1000)}); cur = pd.DataFrame({"x": rng.normal(1, 1, 1000)})
>>> rep = datacheck.run(cur, {"name": "s", "checks": ["drift"]}, reference=ref)
>>> fig = shift_distributions(rep)
>>> len(fig.axes) >= 1
True
"""

from __future__ import annotations

import math

from datacheck.figures import figure
from datacheck.figures._common import (
    ACCENT,
    INK,
    MUTED,
    STATUS_COLORS,
    STATUS_GLYPHS,
    STATUS_RANK,
    compact_ticks,
    finish,
    fmt_num,
    panel_grid,
    results_of,
    status_sort_key,
    text_label,
    theme,
)

__all__ = ["shift_distributions", "shift_effect_sizes", "MAX_PANELS"]

#: distribution panels drawn at most (moved columns first)
MAX_PANELS = 8
#: categories drawn at most in one panel (more would not be readable at the panel's height)
MAX_CATEGORIES = 12
_DRIFT_CHECKS = ("drift", "label_drift", "prediction_drift")


def _drift_results(report) -> list:
    return [
        r
        for c in _DRIFT_CHECKS
        for r in results_of(report, c)
        if r.status in ("pass", "warn", "fail") and ("bins" in (r.details or {}) or "categories" in (r.details or {}))
    ]


def _moved(r) -> bool:
    return STATUS_RANK.get(r.status, 0) >= STATUS_RANK["warn"]


def _has_distributions(report) -> bool:
    return bool(_drift_results(report))


def _draw_numeric(ax, r) -> None:
    b = r.details["bins"]
    edges = [float(e) for e in b["edges"]]
    nr, nc = sum(b["ref"]) or 1, sum(b["cur"]) or 1
    lefts, widths, dref, dcur = [], [], [], []
    for i in range(len(b["ref"])):
        lo, hi = edges[i], edges[i + 1]
        w = (hi - lo) if hi > lo else 1.0
        lefts.append(lo)
        widths.append(w)
        dref.append(b["ref"][i] / nr / w)
        dcur.append(b["cur"][i] / nc / w)
    ax.bar(
        lefts,
        dref,
        width=widths,
        align="edge",
        color=MUTED,
        alpha=0.55,
        label="reference",
        edgecolor="white",
        linewidth=0.4,
    )
    ax.step(
        lefts + [edges[-1]],
        dcur + [dcur[-1]],
        where="post",
        color=ACCENT if _moved(r) else INK,
        linewidth=1.6,
        label="current",
    )
    ax.set_ylabel("density")
    compact_ticks(ax.xaxis)


def _draw_categorical(ax, r) -> None:
    import numpy as np

    c = r.details["categories"]
    nr, nc = sum(c["ref"]) or 1, sum(c["cur"]) or 1
    k = min(len(c["labels"]), MAX_CATEGORIES)  # the first ones as the check listed them; the count says so
    labels = [text_label(x, 22) for x in c["labels"][:k]]
    y = np.arange(k)
    ax.barh(y - 0.2, [v / nr for v in c["ref"][:k]], height=0.4, color=MUTED, label="reference")
    ax.barh(y + 0.2, [v / nc for v in c["cur"][:k]], height=0.4, color=ACCENT if _moved(r) else INK, label="current")
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlabel("share of rows" + (f" ({k} of {len(c['labels'])} categories drawn)" if k < len(c["labels"]) else ""))


@figure("shift_distributions", "shift", _has_distributions, title="Reference vs current distributions")
def shift_distributions(report, ax=None):
    """Reference (grey) vs current (line or bars) distribution of each column, moved columns first.

    Numeric columns are drawn as densities on the check's reference-quantile bins (the bins PSI,
    JS and chi-square use); categorical columns as the shares of their most frequent categories.
    """
    rs = _drift_results(report)
    order = {id(r): i for i, r in enumerate(rs)}
    rs.sort(key=lambda r: (status_sort_key(r.status), -(r.effect_size or 0), order[id(r)]))
    hidden = max(0, len(rs) - MAX_PANELS)
    rs = rs[:MAX_PANELS]
    own = ax is None
    with theme():
        fig, axes = panel_grid(len(rs), ncols=2 if len(rs) > 1 else 1, panel_size=(5.6, 3.0), ax=ax)
        for a, r in zip(axes, rs):
            if "bins" in r.details:
                _draw_numeric(a, r)
            else:
                _draw_categorical(a, r)
            a.set_title(
                f"{STATUS_GLYPHS.get(r.status, '')} {text_label(r.column_label, 30)}: "
                f"{r.details.get('method')} {fmt_num(r.effect_size)}",
                fontsize=10,
                color=STATUS_COLORS[r.status] if _moved(r) else "#222222",
                loc="left",
            )
            a.legend(fontsize=8.5, frameon=False)
        if own:
            fig.suptitle(
                "What moved: reference vs current" + (f"  ({hidden} more not shown)" if hidden else ""),
                x=0.01,
                ha="left",
                fontsize=11,
                fontweight="bold",
            )
        finish(fig, own)
    return fig


def _effect_rows(report) -> list:
    rows = []
    for r in results_of(report):
        if r.check in _DRIFT_CHECKS and r.effect_size is not None and "threshold" in (r.details or {}):
            rows.append(
                (
                    f"{r.column_label} ({r.details['method']})",
                    float(r.effect_size),
                    float(r.details["threshold"]),
                    r.details.get("mde"),
                    r.status,
                )
            )
        elif r.check == "multivariate_drift" and r.effect_size is not None:
            rows.append(
                (
                    "all columns (domain AUC - 0.5)",
                    float(r.effect_size) - 0.5,
                    float(r.details.get("threshold", 0.55)) - 0.5,
                    None,
                    r.status,
                )
            )
    return rows


def _has_effects(report) -> bool:
    return bool(_effect_rows(report))


@figure("shift_effect_sizes", "shift", _has_effects, title="Shift effect sizes and thresholds")
def shift_effect_sizes(report, ax=None):
    """Each column's effect size as a multiple of its threshold (1 = the threshold), coloured by status.

    Dividing by the threshold puts methods with different scales (Wasserstein in SDs, JS distance,
    AUC) on one axis; the short black tick on a bar marks the minimum detectable effect (MDE) where
    the check reported one; the column on the right gives effect and threshold in the method's units.
    """
    from matplotlib.figure import Figure

    rows = _effect_rows(report)
    rows.sort(key=lambda t: (status_sort_key(t[4]), -(t[1] / t[2] if t[2] else 0)))
    rows = rows[:40]
    own = ax is None
    with theme():
        if ax is None:
            import matplotlib.pyplot as plt

            from datacheck.figures import _use_headless_backend

            _use_headless_backend()
            fig, ax = plt.subplots(figsize=(8, max(2.5, 0.3 * len(rows) + 1.2)))
        else:
            fig = ax.figure
        names = [text_label(t[0], 38) for t in rows]
        ratio = [t[1] / t[2] if t[2] else math.nan for t in rows]
        cols = [STATUS_COLORS.get(t[4], INK) for t in rows]
        y = list(range(len(rows)))
        ax.barh(y, ratio, color=cols, alpha=0.85)
        for yi, t in zip(y, rows):
            if t[3] is not None and t[2] and isinstance(t[3], (int, float)) and math.isfinite(t[3]):
                ax.plot([t[3] / t[2]] * 2, [yi - 0.35, yi + 0.35], color="#222222", linewidth=1)
            # effect / threshold in a column right of the axes: no MDE tick or threshold line crosses it
            ax.text(
                1.02,
                yi,
                f"{fmt_num(t[1])} / {fmt_num(t[2])}",
                va="center",
                ha="left",
                fontsize=8.5,
                transform=ax.get_yaxis_transform(),
                color="#333333",
            )
        ax.axvline(1.0, color=ACCENT, linestyle="--", linewidth=1.2, label="threshold")
        ax.set_yticks(y)
        ax.set_yticklabels(names, fontsize=9)
        ax.invert_yaxis()
        ax.text(
            1.02,
            1.01,
            "effect / threshold",
            transform=ax.transAxes,
            ha="left",
            va="bottom",
            fontsize=8.5,
            color="#555555",
        )
        ax.set_xlabel("effect size / threshold (fails only if > 1 and significant after BH)")
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], color=ACCENT, linestyle="--", linewidth=1.2, label="threshold")]
        if any(t[3] is not None for t in rows):
            handles.append(
                Line2D(
                    [],
                    [],
                    color="#222222",
                    marker="|",
                    linestyle="none",
                    markersize=9,
                    label="minimum detectable effect",
                )
            )
        ax.legend(handles=handles, fontsize=8, frameon=True, framealpha=0.95, edgecolor="none", loc="lower right")
        if own:
            ax.set_title("Shift effect sizes", loc="left", fontsize=11, fontweight="bold")
        finish(fig, own)
    return fig if isinstance(fig, Figure) else ax
