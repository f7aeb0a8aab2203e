"""Figures of the ``slices`` and ``worst_slices`` checks, drawn from ``Result.details`` only.

* :func:`slice_forest` -- a forest plot: each slice's metric with its interval, against the
  overall value (a line); failing slices in red, untested (small) slices grey.
* :func:`slice_heatmap` -- a crossed slicing (``by: [[sex, race]]``) as a heatmap of the metric,
  failing cells outlined.
* :func:`worst_slices_bars` -- SliceLine's top slices as bars of their error, against the mean
  error, with each slice's support written on its bar.

Examples
--------
>>> import numpy as np, pandas as pd, datacheck
>>> from datacheck.figures.slices import slice_forest
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame({"g": rng.choice(["a", "b", "c"], 600), "y": rng.integers(0, 2, 600)})
>>> df["p"] = np.where(rng.random(600) < 0.2, 1 - df.y, df.y)
>>> rep = datacheck.run(df, {"name": "s", "dataset": {"label": "y", "prediction": "p"},
...                          "checks": [{"slices": {"by": ["g"]}}]})
>>> slice_forest(rep).get_title()
'accuracy by slice'
"""

from __future__ import annotations

import math
from typing import Any

from datacheck.figures import figure, new_ax
from datacheck.figures._common import finite as _finite

__all__ = ["slice_forest", "slice_heatmap", "worst_slices_bars"]

_COLORS = {"pass": "#4C72B0", "fail": "#C44E52", "small": "#AAAAAA", "undefined": "#AAAAAA"}
_MAX_ROWS = 30


def _slice_results(report: Any, metric: str | None = None, crossed: bool | None = None) -> list:
    out = []
    for r in getattr(report, "results", [report]):
        d = getattr(r, "details", None) or {}
        if r.check != "slices" or r.status == "error" or not d.get("slices"):
            continue
        if metric is not None and d.get("metric") != metric:
            continue
        if crossed is not None and (len(d.get("columns", ())) == 2) != crossed:
            continue
        out.append(r)
    return out


def _worst_results(report: Any) -> list:
    return [
        r
        for r in getattr(report, "results", [report])
        if r.check == "worst_slices" and r.status != "error" and (r.details or {}).get("slices")
    ]


@figure("slice_forest", "slices", lambda rep: bool(_slice_results(rep)), title="slice metrics")
def slice_forest(report: Any, ax=None, *, metric: str | None = None, max_rows: int = _MAX_ROWS):
    """Forest plot of one metric over every slicing of a report (or of one Result).

    Parameters
    ----------
    report : Report or Result
    ax : matplotlib Axes, optional
    metric : str, optional
        Which metric (default: the first slices result's).
    max_rows : int
        Most slices drawn: the largest gaps first.

    Returns
    -------
    matplotlib Axes
    """
    results = _slice_results(report)
    if not results:
        raise ValueError("no slices results with slices to draw")
    metric = metric or results[0].details["metric"]
    results = _slice_results(report, metric)
    rows = [s for r in results for s in r.details["slices"] if _finite(s["value"])]
    rows.sort(key=lambda s: -(s["gap"] if _finite(s["gap"]) else -math.inf))
    rows = rows[:max_rows][::-1]
    overall = results[0].details.get("overall")
    fig, ax = new_ax(ax, figsize=(7, max(2.5, 0.3 * len(rows) + 1)))
    for i, s in enumerate(rows):
        color = _COLORS.get(s["status"], _COLORS["pass"])
        lo, hi = s["ci"]
        if _finite(lo) and _finite(hi):
            ax.plot([lo, hi], [i, i], color=color, lw=1.5)
        ax.plot([s["value"]], [i], "o", color=color, ms=5)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{s['slice']} (n={s['support']:,})" for s in rows], fontsize=8)
    if _finite(overall):
        ax.axvline(overall, color="#222222", ls="--", lw=1, label=f"overall {overall:.3g}")
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_xlabel(metric)
    ax.set_title(f"{metric} by slice")
    return ax


@figure("slice_heatmap", "slices", lambda rep: bool(_slice_results(rep, crossed=True)), title="crossed slices")
def slice_heatmap(report: Any, ax=None, *, metric: str | None = None):
    """Heatmap of a metric over a crossed slicing (two columns); failing cells outlined.

    Each cell gives the metric and its number of rows. Cells with fewer rows than the check's
    min_support are grey: the check did not test them, and their value is too noisy to compare.

    Returns
    -------
    matplotlib Axes
    """
    import numpy as np
    import pandas as pd
    import seaborn as sns

    from datacheck.figures._common import text_label

    results = _slice_results(report, metric, crossed=True)
    if not results:
        raise ValueError("no crossed (two-column) slices result to draw")
    d = results[0].details
    a, b = d["columns"]
    min_support = d.get("min_support") or 0
    rows = [
        {
            a: text_label(s["values"][0], 22),
            b: text_label(s["values"][1], 22),
            "value": s["value"],
            "status": s["status"],
            "support": s["support"],
        }
        for s in d["slices"]
    ]
    frame = pd.DataFrame(rows)
    grid = frame.pivot(index=a, columns=b, values="value").astype(float)
    status = frame.pivot(index=a, columns=b, values="status")
    support = frame.pivot(index=a, columns=b, values="support")
    small = (support.fillna(0).to_numpy(dtype=float) < min_support) | (status.to_numpy() == "small")
    fig, ax = new_ax(ax, figsize=(1.3 * grid.shape[1] + 3, 0.7 * grid.shape[0] + 2))
    cmap = "rocket" if d.get("higher_is_better") else "rocket_r"
    supported = grid.where(~small)
    sns.heatmap(
        supported,
        annot=False,
        cmap=cmap,
        ax=ax,
        cbar_kws={"label": d["metric"]},
        mask=supported.isna().to_numpy(),
        linewidths=1,
        linecolor="white",
    )
    import matplotlib.patches as mpatches

    norm = ax.collections[0].norm if ax.collections else None
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            v, n = grid.iat[i, j], support.iat[i, j]
            if not np.isfinite(v):
                continue
            if small[i, j]:
                ax.add_patch(mpatches.Rectangle((j, i), 1, 1, facecolor="#E6E6E6", edgecolor="white", lw=1))
                ax.text(
                    j + 0.5,
                    i + 0.5,
                    f"{v:.3g}\nn={int(n):,} < {min_support}",
                    ha="center",
                    va="center",
                    fontsize=8.5,
                    color="#666666",
                    style="italic",
                )
                continue
            dark = norm is not None and (norm(v) < 0.5) == (cmap == "rocket")
            ax.text(
                j + 0.5,
                i + 0.5,
                f"{v:.3g}\nn={int(n):,}",
                ha="center",
                va="center",
                fontsize=9,
                color="white" if dark else "#1A1A1A",
            )
            if status.iat[i, j] == "fail":
                ax.add_patch(mpatches.Rectangle((j, i), 1, 1, fill=False, edgecolor=_COLORS["fail"], lw=2.5))
    title = (
        f"{d['metric']} by {a} x {b} (overall {d['overall']:.3g})"
        if _finite(d.get("overall"))
        else f"{d['metric']} by {a} x {b}"
    )
    if small.any():
        title += f"\ngrey: fewer than {min_support} rows, not tested"
    ax.set_title(title, fontsize=10.5)
    return ax


@figure("worst_slices_bars", "slices", lambda rep: bool(_worst_results(rep)), title="worst slices")
def worst_slices_bars(report: Any, ax=None):
    """SliceLine's top slices: error per slice (bars) against the mean error, support annotated.

    Returns
    -------
    matplotlib Axes
    """
    results = _worst_results(report)
    if not results:
        raise ValueError("no worst_slices result with slices to draw")
    d = results[0].details
    rows = d["slices"][::-1]
    fig, ax = new_ax(ax, figsize=(7, max(2.5, 0.45 * len(rows) + 1)))
    colors = [_COLORS.get(s["status"], _COLORS["pass"]) for s in rows]
    ax.barh(range(len(rows)), [s["error"] for s in rows], color=colors)
    for i, s in enumerate(rows):
        ax.text(s["error"], i, f"  n={s['support']:,}", va="center", fontsize=8)
    ax.axvline(d["mean_error"], color="#222222", ls="--", lw=1, label=f"mean {d['mean_error']:.3g}")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([s["slice"] for s in rows], fontsize=8)
    ax.set_xlabel(f"{d['metric']} in slice")
    ax.set_xlim(0, max(s["error"] for s in rows) * 1.3 or 1)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_title(f"top {len(rows)} slices by SliceLine ({d['metric']})")
    return ax
