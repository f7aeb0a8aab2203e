"""Summary figures drawn with seaborn from computed results (never from raw data).

The pattern every check family follows (the scikit-learn "display" manner):

* a figure function takes computed results -- a :class:`~datacheck.Report` or one
  :class:`~datacheck.Result` -- plus an optional matplotlib ``ax``; it draws and returns the axes
  (or the figure when it needs several axes);
* it never computes a statistic: what it draws (histogram counts, fences, group rates,
  intervals) is already in ``result.details`` / ``observed`` / ``interval``, put there by the check;
* it is registered with :func:`figure` under a stable name and the family it belongs to, with a
  predicate saying whether a report has anything for it to draw. ``Report.save_figures`` and the
  HTML report find figures through that registry, so a new family adds one module here
  (``datacheck/figures/<family>.py``) and nothing else.

Writing a family's figures (how ``integrity.py`` and ``overview.py`` are built)
--------------------------------------------------------------------------------
1. **Put the data in the result first.** If a figure needs something (histogram counts, fences, top
   categories, group rates with intervals), the *check* adds it to ``Result.details`` (bounded:
   fixed bins, top-k, never rows) or it is already in ``observed`` / ``expected`` / ``evidence``.
   The figure only selects, sorts and draws; dividing a count by a total already in the result is
   presentation, anything more (a quantile, a mean, a test) belongs in the check. A report
   reloaded from JSON (``Report.from_json``) must draw exactly the same figures.
2. **One function per figure**, ``draw(report, ax=None)``; accept a Report, one Result or a list of
   Results (``_common.results_of``). With ``ax`` given, draw there and leave the layout to the
   caller; a multi-panel figure splits that axes' area (``_common.panel_grid``). Without ``ax``,
   create the figure (``new_ax`` / ``panel_grid``) and lay it out. Return the Axes (single panel)
   or the Figure (several panels).
3. **Register it**: ``@figure("stable_name", family="<Result.family>", applies=..., title=...)``.
   The name is the file name ``save_figures`` writes and the anchor in the HTML report, so never
   rename it; ``applies(report)`` is cheap and True only when there is something to draw. The
   docstring's text becomes the figure's caption in the HTML report: say how to read it.
4. **Style**: draw inside ``with _common.theme():`` (seaborn whitegrid, scoped, so the user's
   rcParams are untouched). Statuses use ``STATUS_COLORS`` (Okabe-Ito, colour-blind safe) and always
   a glyph or word as well (``STATUS_GLYPHS``); data is ``INK`` blue, flagged values ``ACCENT``.
   Put problems first, and make the title say the finding ("hours-per-week: 27.7% beyond fences").
   Text from the data goes through ``_common.text_label`` (shortened; ``$`` escaped, so a column
   named ``$x$`` is not mathtext).
5. **Stay bounded**: at most a few dozen bars or panels (problem columns first, the rest counted in
   the title), so a table with 2,000 columns still gives a readable figure of bounded size.
6. Add ``tests/figures/test_<family>_figures.py``: each figure draws from a real report and from the
   same report reloaded from JSON, with and without ``ax``.

The report's families and their figures: ``overview`` (``status_overview``, shown first in the
HTML report), ``integrity`` (``missingness``, ``numeric_distributions``, ``skewness``,
``value_shares``); ``shift``, ``bias``, ``label_errors`` and ``slices`` add theirs the same way.

Examples
--------
>>> from datacheck.figures import FIGURES
>>> isinstance(FIGURES, dict)
True
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["FIGURES", "FigureSpec", "figure", "figures_for", "new_ax"]


def _use_headless_backend() -> None:
    """Pick a non-interactive backend when there is no display (before pyplot is imported)."""
    import matplotlib

    if not os.environ.get("DISPLAY") and not os.environ.get("MPLBACKEND") and "pyplot" not in dir(matplotlib):
        matplotlib.use("Agg")


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure: ``draw(report, ax=None)`` and ``applies(report) -> bool``."""

    name: str
    family: str
    draw: Callable[..., Any]
    applies: Callable[[Any], bool]
    title: str = ""


#: stable figure name -> FigureSpec
FIGURES: dict[str, FigureSpec] = {}


def figure(name: str, family: str, applies: Callable[[Any], bool], title: str = ""):
    """Register a report-level figure function under a stable ``name``.

    The function is called as ``draw(report, ax=None)`` and returns an Axes or a Figure.
    """

    def deco(fn):
        FIGURES[name] = FigureSpec(name, family, fn, applies, title or name.replace("_", " "))
        return fn

    return deco


def figures_for(report) -> list[FigureSpec]:
    """The registered figures that have something to draw for ``report``, in a stable order."""
    _load_all()
    return [spec for _, spec in sorted(FIGURES.items()) if spec.applies(report)]


def new_ax(ax=None, *, figsize=(7, 4)):
    """Return ``(fig, ax)``: the given axes' figure, or a new figure sized ``figsize``."""
    _use_headless_backend()
    import matplotlib.pyplot as plt

    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax


_loaded = False


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not m.name.startswith("_"):
            importlib.import_module(f"{__name__}.{m.name}")
