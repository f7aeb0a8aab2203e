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
from dataclasses import dataclass
from typing import Any, Callable

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
