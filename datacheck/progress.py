"""Progress bars for long work (tqdm): passes over the data, report rendering.

A bar is shown only where someone watches: on a terminal (``sys.stderr`` is a TTY), unless the
caller says otherwise (``progress=True/False``) or the environment does
(``DATACHECK_PROGRESS=0`` turns every bar off, ``=1`` on). Pipelines and notebooks' captured
output get no bar; off, a bar costs nothing (no tqdm import).

Examples
--------
>>> with bar(total=3, desc="work", enabled=False) as b:
...     for _ in range(3):
...         b.update(1)
>>> is_enabled(False), is_enabled(True)
(False, True)
"""

from __future__ import annotations

import os
import sys
from typing import Any

__all__ = ["bar", "is_enabled", "shown"]


def is_enabled(enabled: bool | None = None) -> bool:
    """Whether to show a bar: the caller's choice, else ``DATACHECK_PROGRESS``, else "stderr is a TTY"."""
    if enabled is not None:
        return bool(enabled)
    env = os.environ.get("DATACHECK_PROGRESS")
    if env is not None and env.strip():
        return env.strip().lower() not in ("0", "false", "no", "off")
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False


class _NoBar:
    """Stands in for a tqdm bar when none is shown."""

    def update(self, n: float = 1) -> None:
        pass

    def set_description_str(self, s: str) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: Any) -> None:
        pass


def shown(b: Any) -> bool:
    """Whether ``b`` (from :func:`bar`) is a real bar rather than the do-nothing stand-in."""
    return not isinstance(b, _NoBar)


def bar(
    total: float | None = None, desc: str = "", unit: str = "it", enabled: bool | None = None, unit_scale: bool = False
) -> Any:
    """A tqdm bar on stderr (cleared when done), or a do-nothing stand-in when bars are off.

    Parameters
    ----------
    total : number, optional
        Units of work expected.
    desc, unit : str
        Label and unit shown.
    enabled : bool or None
        True/False forces; None decides by :func:`is_enabled`.
    unit_scale : bool
        Show 1.2M instead of 1200000.
    """
    if not is_enabled(enabled):
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(
        total=total, desc=desc, unit=unit, unit_scale=unit_scale, leave=False, file=sys.stderr, dynamic_ncols=True
    )
