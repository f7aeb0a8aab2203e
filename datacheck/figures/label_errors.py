"""Figures of the ``label_errors`` check, drawn from ``Result.details`` only (nothing computed here).

* :func:`label_quality_distribution` -- histograms of cleanlab's label-quality scores of the rows
  cleanlab flagged and of the rest, stacked. cleanlab's default filters do not flag "every row below
  a score", so no flagged region is drawn; a threshold line appears only for the filters that do
  (``low_self_confidence``/``low_normalized_margin`` with the matching score method).
* :func:`label_issues_by_class` -- per given class, the flagged rows split by the label the model
  suggests instead.
* :func:`label_issue_rates` -- label-issue rate per subgroup of the protected attributes and slice
  columns, with Wilson intervals, against the overall rate; groups whose difference from the rest
  survives Benjamini–Hochberg (q < 0.05) are marked.

Each takes a :class:`~datacheck.Report` (or one ``label_errors`` Result) and an optional ``ax``.

Examples
--------
>>> import numpy as np, pandas as pd, datacheck
>>> rng = np.random.default_rng(0)
>>> x = rng.normal(size=400)
>>> df = pd.DataFrame({"x": x, "g": rng.choice(["a", "b"], 400), "y": np.where(x > 0, "p", "n")})
>>> rep = datacheck.run(df, {"name": "s", "dataset": {"label": "y", "protected": ["g"]},
...                          "checks": [{"label_errors": {"progress": False}}]})
>>> label_quality_distribution(rep).get_xlabel()
'label quality score (cleanlab)'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from datacheck.figures import figure, new_ax
from datacheck.figures._common import finite as _finite
from datacheck.figures._common import fmt_pct

__all__ = ["label_quality_distribution", "label_issues_by_class", "label_issue_rates"]

# Okabe-Ito colours (safe for the common colour-vision deficiencies), as the other figure families use
INK = "#0072B2"  # the data
MUTED = "#9AA5B1"  # context
ACCENT = "#D55E00"  # what was flagged


def theme():
    """Scoped seaborn style (the user's rcParams are untouched)."""
    import contextlib

    import seaborn as sns

    stack = contextlib.ExitStack()
    stack.enter_context(sns.axes_style("whitegrid", {"grid.color": "#E6E6E6", "axes.edgecolor": "#CCCCCC"}))
    stack.enter_context(sns.plotting_context("notebook", font_scale=0.85))
    return stack


def text_label(value: Any, width: int = 28) -> str:
    """Shortened label; ``$`` escaped so text from data is never mathtext."""
    s = "" if value is None else str(value).replace("\n", " ")
    if len(s) > width:
        s = s[: width - 1] + "…"
    return s.replace("$", r"\$")


def _result(report: Any, need: str):
    """The first evaluated ``label_errors`` result that carries ``details[need]``."""
    for r in getattr(report, "results", [report]):
        d = getattr(r, "details", None) or {}
        if getattr(r, "check", None) == "label_errors" and r.status not in ("error", "skipped") and d.get(need):
            return r
    return None


def _applies(need: str):
    return lambda report: _result(report, need) is not None


def _missing(need: str) -> ValueError:
    return ValueError(f"no label_errors result with {need!r} in its details to draw")


@figure(
    "label_quality_distribution",
    "label_errors",
    _applies("score_hist"),
    title="label quality scores of flagged and unflagged rows",
)
def label_quality_distribution(report: Any, ax=None):
    """Histograms of label-quality scores of the rows cleanlab flagged and of the rest, stacked.

    A flagged row can score higher than an unflagged one: cleanlab's default filter works per pair
    of classes, not as one cut-off on the score, so the figure shows where the flagged rows are. A
    dashed line marks a cut-off only when the filter really is one.

    Parameters
    ----------
    report : Report or Result
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Notes
    -----
    Reads ``details["score_hist"]`` (both histograms, 20 fixed bins on [0, 1]) and, when the
    filter is a threshold on the score, ``details["flag_threshold"]``.
    """
    r = _result(report, "score_hist")
    if r is None:
        raise _missing("score_hist")
    d = r.details
    h = d["score_hist"]
    edges = np.asarray(h["edges"], dtype=float)
    left, width = edges[:-1], np.diff(edges)
    ok = np.asarray(h["not_flagged"], dtype=float)
    bad = np.asarray(h["flagged"], dtype=float)
    with theme():
        fig, ax = new_ax(ax, figsize=(7, 3.8))
        # flagged rows at the bottom, so that their distribution reads from the axis
        share = ("estimated " if d.get("weighted") else "") + fmt_pct(d.get("overall_rate"))
        ax.bar(
            left,
            bad,
            width=width,
            align="edge",
            color=ACCENT,
            edgecolor="white",
            lw=0.5,
            label=f"flagged by cleanlab ({int(bad.sum()):,} rows; {share})",
        )
        ax.bar(
            left,
            ok,
            width=width,
            bottom=bad,
            align="edge",
            color=MUTED,
            edgecolor="white",
            lw=0.5,
            label=f"not flagged ({int(ok.sum()):,} rows)",
        )
        thr = d.get("flag_threshold")
        if _finite(thr):
            ax.axvline(thr, color=ACCENT, lw=1, ls="--", label=f"{d.get('filter_by')}: flagged = score ≤ {thr:.3g}")
        ax.set_xlim(0, 1)
        ax.set_xlabel("label quality score (cleanlab)")
        ax.set_ylabel("rows")
        ax.set_title(text_label(f"label quality: {d.get('rows_scored', 0):,} rows scored", 60))
        ax.legend(frameon=False, fontsize=8, loc="upper center")
    return ax


@figure(
    "label_issues_by_class",
    "label_errors",
    _applies("per_class"),
    title="label issues per class: given vs suggested label",
)
def label_issues_by_class(report: Any, ax=None):
    """Flagged rows per given class, each bar split by the label the model suggests.

    Parameters
    ----------
    report : Report or Result
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    import seaborn as sns

    r = _result(report, "per_class")
    if r is None:
        raise _missing("per_class")
    rows = r.details["per_class"]
    classes = [str(c["class"]) for c in rows]
    suggested = sorted(
        {s for c in rows for s in c["suggested"]}, key=lambda s: classes.index(s) if s in classes else 1e9
    )
    palette = sns.color_palette("colorblind", max(len(suggested), 1))
    with theme():
        fig, ax = new_ax(ax, figsize=(7, 0.4 * len(rows) + 1.8))
        ys = np.arange(len(rows))[::-1]
        left = np.zeros(len(rows))
        for s, color in zip(suggested, palette):
            v = np.array([c["suggested"].get(s, 0) for c in rows], dtype=float)
            ax.barh(ys, v, left=left, color=color, label=f"suggested {text_label(s, 20)}", height=0.7)
            left += v
        for y, c, total in zip(ys, rows, left):
            ax.text(total, y, f"  {c['issues']:,} of {c['n']:,} ({fmt_pct(c['rate'])})", va="center", fontsize=8)
        ax.set_yticks(ys)
        ax.set_yticklabels([text_label(c) for c in classes])
        ax.set_xlabel("rows flagged as label issues")
        ax.set_ylabel("given label")
        ax.set_xlim(0, max(left.max(), 1) * 1.35)
        ax.set_title("label issues per class (bar colour: label the model suggests)")
        if suggested:
            ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


@figure(
    "label_issue_rates", "label_errors", _applies("subgroups"), title="label-issue rate per subgroup, with intervals"
)
def label_issue_rates(report: Any, ax=None):
    """Label-issue rate per subgroup with its Wilson interval; the overall rate as a line.

    Groups whose rate differs from the rest of the rows after Benjamini–Hochberg (q < 0.05) are
    drawn in the accent colour and marked ``*``.

    Parameters
    ----------
    report : Report or Result
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    r = _result(report, "subgroups")
    if r is None:
        raise _missing("subgroups")
    d = r.details
    groups = d["subgroups"]
    with theme():
        fig, ax = new_ax(ax, figsize=(7, 0.32 * len(groups) + 1.8))
        ys = np.arange(len(groups))[::-1]
        labels = []
        prev = None
        for y, g in zip(ys, groups):
            sig = g.get("q_value") is not None and g["q_value"] < 0.05
            color = ACCENT if sig else INK
            lo, hi = g.get("ci_low"), g.get("ci_high")
            err = [[max(0.0, g["rate"] - lo)], [max(0.0, hi - g["rate"])]] if _finite(lo) and _finite(hi) else None
            ax.errorbar([g["rate"]], [y], xerr=err, fmt="o", color=color, ecolor=color, capsize=3, ms=5)
            attr = g["attribute"] if g["attribute"] != prev else ""
            prev = g["attribute"]
            labels.append(
                f"{text_label(attr, 14)}  {text_label(g['group'], 22)} (n={g['n']:,})" + (" *" if sig else "")
            )
        overall = d.get("overall_rate")
        if _finite(overall):
            ax.axvline(overall, color="#222222", lw=1, ls="--", label=f"overall {fmt_pct(overall)}")
            ax.legend(frameon=False, fontsize=8, loc="lower right")
        ax.set_yticks(ys)
        ax.set_yticklabels(labels, fontsize=8)
        ax.set_xlabel("share of rows flagged as label issues (95% Wilson interval)")
        ax.set_xlim(left=0)
        ax.set_title("label-issue rate by subgroup (* q < 0.05 vs the rest, BH)")
    return ax
