"""Numbers as people read them: one formatter for shares, used by messages, reports and figures.

Examples
--------
>>> import numpy as np
>>> pct(0.12345), pct(0.00042), pct(0.0), pct(None), pct(np.float32(0.5))
('12.35%', '0.042%', '0%', 'n/a', '50.00%')
>>> pct(0.12345, compact=True), pct(0.05, compact=True), pct(0.00042, compact=True)
('12.3%', '5.00%', '0.042%')
"""

from __future__ import annotations

import math

__all__ = ["pct"]


def pct(x: float | None, *, compact: bool = False) -> str:
    """A share as a percentage: two decimals (three under 0.1%) in messages; ``compact`` (figure
    labels) keeps one decimal from 10% up and two significant figures under 0.1%. ``n/a`` for
    None, NaN and infinity."""
    try:
        x = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "n/a"
    if not math.isfinite(x):
        return "n/a"
    if x == 0:
        return "0%"
    if abs(x) < 0.001:
        return f"{x * 100:.2g}%" if compact else f"{x * 100:.3f}%"
    if compact and abs(x) >= 0.1:
        return f"{x * 100:.1f}%"
    return f"{x * 100:.2f}%"
