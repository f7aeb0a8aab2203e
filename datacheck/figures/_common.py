"""What every figure module shares: the status palette, the seaborn theme, labels, panel grids.

Nothing here computes a statistic; these are drawing conveniences (see :mod:`datacheck.figures`).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable
from typing import Any, TypeGuard

from datacheck.fmt import pct

__all__ = [
    "STATUS_COLORS",
    "STATUS_FILLS",
    "STATUS_GLYPHS",
    "STATUS_RANK",
    "INK",
    "MUTED",
    "ACCENT",
    "theme",
    "results_of",
    "text_label",
    "fmt_num",
    "fmt_pct",
    "worst_status",
    "status_sort_key",
    "panel_grid",
    "finish",
    "compact_ticks",
]

#: Okabe-Ito colours (safe for the common colour-vision deficiencies); every status is also drawn
#: with a glyph or a word, so colour is never the only cue.
STATUS_COLORS: dict[str, str] = {
    "pass": "#009E73",  # bluish green
    "warn": "#E69F00",  # orange
    "fail": "#D55E00",  # vermillion
    "error": "#CC79A7",  # reddish purple
    "skipped": "#BBBBBB",  # grey
}
#: cell fills for grids of verdicts: passing cells recede (pale), problems stand out (saturated)
STATUS_FILLS: dict[str, str] = {**STATUS_COLORS, "pass": "#CFEBDF", "skipped": "#DDDDDD"}
STATUS_GLYPHS: dict[str, str] = {"pass": "✓", "warn": "!", "fail": "✗", "error": "?", "skipped": "–"}
#: higher is worse; used to pick the status a cell or a panel shows
STATUS_RANK: dict[str, int] = {"skipped": 0, "pass": 1, "warn": 2, "error": 3, "fail": 4}

INK = "#0072B2"  # blue: the data itself (bars, histograms)
MUTED = "#9AA5B1"  # grey-blue: context (rest of a distribution, other categories)
ACCENT = "#D55E00"  # vermillion: what was flagged


@contextlib.contextmanager
def theme():
    """The seaborn style figures are created under (scoped: the user's rcParams are untouched)."""
    import seaborn as sns

    with (
        sns.axes_style("whitegrid", {"grid.color": "#E6E6E6", "axes.edgecolor": "#CCCCCC"}),
        sns.plotting_context("notebook", font_scale=0.85),
    ):
        yield


def results_of(obj: Any, check: str | None = None) -> list:
    """The results a figure draws: from a Report, one Result, or an iterable of Results."""
    if hasattr(obj, "results"):
        rs = list(obj.results)
    elif hasattr(obj, "check") and hasattr(obj, "status"):
        rs = [obj]
    else:
        rs = list(obj)
    return [r for r in rs if check is None or r.check == check]


def text_label(value: Any, width: int = 28) -> str:
    """A label safe for matplotlib: shortened, and ``$`` escaped so text from data is never mathtext."""
    s = value if isinstance(value, str) else ("" if value is None else str(value))
    s = s.replace("\n", " ")
    if len(s) > width:
        s = s[: width - 1] + "…"
    return s.replace("$", r"\$")


def fmt_num(x: Any) -> str:
    """Short number formatting for annotations (4 significant digits, thousands separators)."""
    if x is None:
        return "n/a"
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return f"{x:,}"
    if isinstance(x, float):
        if math.isnan(x):
            return "n/a"
        if x.is_integer() and abs(x) < 1e15:
            return f"{int(x):,}"
        if abs(x) >= 1e5 or (abs(x) < 1e-3 and x != 0):
            return f"{x:.3g}"
        return f"{x:.4g}"
    return text_label(x, 24)


def finite(x: Any) -> TypeGuard[float]:
    """A real, finite number (not a bool, None, NaN or infinity): what a figure can place."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def fmt_pct(x: float | None) -> str:
    """A share for a figure label: :func:`datacheck.fmt.pct` in its compact form."""
    return pct(x, compact=True)


def worst_status(statuses: Iterable[str]) -> str | None:
    ss = list(statuses)
    return max(ss, key=lambda s: STATUS_RANK.get(s, 0)) if ss else None


def status_sort_key(status: str) -> int:
    """Sort key putting the worst statuses first."""
    return -STATUS_RANK.get(status, 0)


def panel_grid(n: int, *, ncols: int, panel_size: tuple[float, float], ax=None, sharey: bool = False):
    """``(fig, axes)`` for ``n`` panels: a new figure, or the area of the given ``ax`` subdivided.

    Figures with several panels accept an ``ax`` like single-panel ones: the panels then share the
    space that axes occupied (its subplot spec is split and the axes itself removed).
    """
    import matplotlib.pyplot as plt

    from datacheck.figures import _use_headless_backend

    _use_headless_backend()
    n = max(n, 1)
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    if ax is None:
        fig, grid = plt.subplots(
            nrows, ncols, figsize=(panel_size[0] * ncols, panel_size[1] * nrows), squeeze=False, sharey=sharey
        )
        axes = [a for row in grid for a in row]
    else:
        fig = ax.figure
        spec = ax.get_subplotspec()
        if spec is None:  # an axes placed by hand: draw panels inside its box
            box = ax.get_position()
            ax.remove()
            w, h = box.width / ncols, box.height / nrows
            axes = [
                fig.add_axes(
                    [
                        box.x0 + (i % ncols) * w + 0.1 * w,
                        box.y0 + (nrows - 1 - i // ncols) * h + 0.15 * h,
                        0.8 * w,
                        0.7 * h,
                    ]
                )
                for i in range(nrows * ncols)
            ]
        else:
            ax.remove()
            sub = spec.subgridspec(nrows, ncols, wspace=0.35, hspace=0.6)
            axes = [fig.add_subplot(sub[i // ncols, i % ncols]) for i in range(nrows * ncols)]
    for extra in axes[n:]:
        extra.set_visible(False)
    return fig, axes[:n]


def finish(fig, own: bool) -> None:
    """Lay out a figure this module created (never touch a figure the caller owns)."""
    if own:
        try:
            fig.tight_layout()
        except Exception:  # pragma: no cover - layout engines can give up on odd sizes
            pass


def compact_ticks(axis) -> None:
    """Tick labels like 1.2M, 40k, 20,000 instead of a scientific offset (``axis``: ax.xaxis or ax.yaxis)."""
    from matplotlib.ticker import FuncFormatter

    def short(v, _pos=None):
        a = abs(v)
        if a >= 1e9:
            return f"{v / 1e9:.3g}G"
        if a >= 1e6:
            return f"{v / 1e6:.3g}M"
        if a >= 1e5:
            return f"{v / 1e3:.3g}k"
        if float(v).is_integer():
            return f"{int(v):,}"
        return f"{v:.3g}"

    axis.set_major_formatter(FuncFormatter(short))
