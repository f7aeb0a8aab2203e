"""The status overview: every check against every column, one coloured cell per verdict.

It covers all families (a drift or bias result is a cell like any other), so its family is
``overview``: the HTML report shows it at the top, before the family sections.
"""

from __future__ import annotations

from datacheck.figures import figure, new_ax
from datacheck.figures._common import (
    STATUS_COLORS,
    STATUS_FILLS,
    STATUS_GLYPHS,
    STATUS_RANK,
    finish,
    results_of,
    text_label,
    theme,
    worst_status,
)

__all__ = ["status_overview", "MAX_COLUMNS", "MAX_CHECKS"]

#: the heatmap keeps at most this many columns (problem columns first) and check rows
MAX_COLUMNS = 40
MAX_CHECKS = 40

_TABLE = "(table)"
_ORDER = ("pass", "warn", "fail", "error", "skipped")


def _grid(results):
    """Rows (checks in suite order), columns (first appearance; table-level last), worst status per cell."""
    first_index: dict[str, tuple[int, int]] = {}
    cols: list[str] = []
    cells: dict[tuple[str, str], list[str]] = {}
    has_table = False
    for i, r in enumerate(results):
        idx = r.check_index if r.check_index is not None else 10**6
        first_index[r.check] = min(first_index.get(r.check, (idx, i)), (idx, i))
        col = r.column_label if r.column is not None else _TABLE
        if col == _TABLE:
            has_table = True
        elif col not in cols:
            cols.append(col)
        cells.setdefault((r.check, col), []).append(r.status)
    checks = sorted(first_index, key=first_index.get)
    if has_table:
        cols.append(_TABLE)
    worst = {k: worst_status(v) for k, v in cells.items()}
    return checks, cols, worst


def _bound(checks, cols, worst):
    """Keep the heatmap readable: problem columns first, then the rest in order, up to the caps."""

    def col_rank(c):
        return max(STATUS_RANK.get(worst.get((k, c)), 0) for k in checks)

    hidden_cols = 0
    if len(cols) > MAX_COLUMNS:
        bad = [c for c in cols if col_rank(c) >= STATUS_RANK["warn"]]
        keep = set(bad[:MAX_COLUMNS])
        for c in cols:
            if len(keep) >= MAX_COLUMNS:
                break
            keep.add(c)
        hidden_cols = len(cols) - len(keep)
        cols = [c for c in cols if c in keep]
    hidden_checks = max(0, len(checks) - MAX_CHECKS)
    if hidden_checks:

        def row_rank(k):
            return max(STATUS_RANK.get(worst.get((k, c)), 0) for c in cols)

        keep = set(sorted(checks, key=lambda k: -row_rank(k))[:MAX_CHECKS])
        checks = [k for k in checks if k in keep]
    return checks, cols, hidden_cols, hidden_checks


def _verdict_title(report, results) -> str:
    counts = {s: 0 for s in _ORDER}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    parts = " · ".join(f"{counts[s]} {s}" for s in ("fail", "error", "warn", "pass", "skipped") if counts.get(s))
    if hasattr(report, "passed") and hasattr(report, "suite_name"):
        verdict = "PASSED" if report.passed else "FAILED"
        return f"{text_label(report.suite_name, 40)}: {verdict}  ({parts})"
    return parts


@figure("status_overview", family="overview", applies=lambda rep: bool(results_of(rep)), title="status overview")
def status_overview(report, ax=None):
    """Every check (rows) against every column (columns): the worst verdict of each pair.

    Grey cells were not checked; ✓ pass, ! warn, ✗ fail, ? error (could not be evaluated),
    – skipped. Very wide tables show their problem columns first (at most 40 columns).
    """
    import numpy as np
    import pandas as pd
    import seaborn as sns
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    results = results_of(report)
    checks, cols, worst = _grid(results)
    checks, cols, hidden_cols, hidden_checks = _bound(checks, cols, worst)

    code = {s: i for i, s in enumerate(_ORDER)}
    values = np.full((len(checks), len(cols)), np.nan)
    glyphs = np.full((len(checks), len(cols)), "", dtype=object)
    for i, k in enumerate(checks):
        for j, c in enumerate(cols):
            s = worst.get((k, c))
            if s is not None:
                values[i, j] = code[s]
                glyphs[i, j] = STATUS_GLYPHS[s]
    frame = pd.DataFrame(values, index=[text_label(k, 22) for k in checks], columns=[text_label(c, 22) for c in cols])

    longest_col = max((len(str(c)) for c in frame.columns), default=4)
    longest_row = max((len(str(k)) for k in frame.index), default=4)
    own = ax is None
    with theme():
        fig, ax = new_ax(
            ax,
            figsize=(
                min(24.0, max(6.5, 1.2 + 0.075 * longest_row + 0.42 * len(cols))),
                min(18.0, max(3.0, 1.9 + 0.075 * min(longest_col, 22) + 0.4 * len(checks))),
            ),
        )
        ax.set_facecolor("#F2F2F2")
        sns.heatmap(
            frame,
            ax=ax,
            mask=np.isnan(values),
            cmap=ListedColormap([STATUS_FILLS[s] for s in _ORDER]),
            vmin=-0.5,
            vmax=len(_ORDER) - 0.5,
            cbar=False,
            linewidths=1.5,
            linecolor="white",
            annot=glyphs,
            fmt="",
            annot_kws={"fontsize": 10, "fontweight": "bold"},
            square=False,
        )
        ax.grid(False)
        ax.set_xlabel("" if not hidden_cols else f"+{hidden_cols} more column(s) not shown (all pass)")
        ax.set_ylabel("")
        ax.tick_params(axis="x", labelrotation=50, length=0)
        ax.tick_params(axis="y", labelrotation=0, length=0)
        for lab in ax.get_xticklabels():
            lab.set_horizontalalignment("right")
            lab.set_rotation_mode("anchor")
        # colour problem labels so the eye finds them: the worst status along each row / column
        for lab, k in zip(ax.get_yticklabels(), checks):
            s = worst_status([worst[(k, c)] for c in cols if (k, c) in worst]) or "pass"
            if STATUS_RANK[s] >= STATUS_RANK["warn"]:
                lab.set_color(STATUS_COLORS[s])
                lab.set_fontweight("bold")
        for lab, c in zip(ax.get_xticklabels(), cols):
            s = worst_status([worst[(k, c)] for k in checks if (k, c) in worst]) or "pass"
            if STATUS_RANK[s] >= STATUS_RANK["warn"]:
                lab.set_color(STATUS_COLORS[s])
                lab.set_fontweight("bold")
        present = {s for s in worst.values()}
        handles = [Patch(facecolor=STATUS_FILLS[s], label=f"{STATUS_GLYPHS[s]} {s}") for s in _ORDER if s in present]
        handles.append(Patch(facecolor="#F2F2F2", edgecolor="#DDDDDD", label="not checked"))
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(1.0, 0.0), frameon=False, fontsize=9)
        title = _verdict_title(report, results)
        if hidden_checks:
            title += f"; {hidden_checks} passing check(s) not shown"
        ax.set_title(title, loc="left", fontsize=11, fontweight="bold")
        finish(fig, own)
    return ax
