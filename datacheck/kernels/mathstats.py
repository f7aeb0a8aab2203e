"""Mergeable moment arithmetic, kept close to the published formulas.

State: ``(n, mean, M2, M3, M4)`` where ``Mk`` is the sum of k-th powers of deviations from the
mean. Combining two partial states uses the pairwise update of Chan, Golub & LeVeque (1979) for
M2 and its extension to M3 and M4 by Pébay (2008), "Formulas for robust, one-pass parallel
computation of covariances and arbitrary-order statistical moments", Sandia SAND2008-6212, eq. 2.1.

Examples
--------
>>> import numpy as np
>>> x = np.arange(10.0)
>>> whole = batch_moments(x)
>>> parts = merge_moments(batch_moments(x[:3]), batch_moments(x[3:]))
>>> np.allclose(whole, parts)
True
>>> round(skewness(whole), 6), round(excess_kurtosis(whole), 6)
(0.0, -1.224242)
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["EMPTY", "batch_moments", "merge_moments", "variance", "std", "skewness", "excess_kurtosis"]

EMPTY = (0, 0.0, 0.0, 0.0, 0.0)


def batch_moments(x: np.ndarray, lo: float | None = None, hi: float | None = None) -> tuple[int, float, float, float, float]:
    """Moments of one array of finite values (two-pass within the batch for stability).

    ``lo``/``hi``, the array's min and max when the caller has them, keep the rounded mean inside
    the data's range: the float mean of ``[a, a, a]`` need not be ``a``, and a constant column would
    then get a tiny spread and every value would sit beyond a z-score fence of zero width.
    """
    n = int(x.size)
    if n == 0:
        return EMPTY
    if lo is not None and lo == hi:
        return (n, float(lo), 0.0, 0.0, 0.0)
    mean = float(x.mean())
    if lo is not None and hi is not None:
        mean = min(max(mean, float(lo)), float(hi))
    # elementwise products and numpy's pairwise sums, never BLAS ``dot`` (OpenBLAS starts its own
    # threads for a long dot product, which fight the engine's threads for the cores); two
    # temporaries, reused in place (each fresh array of a large batch costs page faults)
    d = x - mean
    p = d * d
    m2 = float(p.sum())
    d *= p
    m3 = float(d.sum())
    p *= p
    m4 = float(p.sum())
    return (n, mean, m2, m3, m4)


def merge_moments(a: tuple, b: tuple) -> tuple[int, float, float, float, float]:
    """Combine two moment states (Pébay 2008, eq. 2.1; Chan et al. 1979 for M2)."""
    na, ma, m2a, m3a, m4a = a
    nb, mb, m2b, m3b, m4b = b
    if na == 0:
        return tuple(b)  # type: ignore[return-value]
    if nb == 0:
        return tuple(a)  # type: ignore[return-value]
    n = na + nb
    delta = mb - ma
    d_n = delta / n
    mean = ma + nb * d_n
    m2 = m2a + m2b + delta * d_n * na * nb
    m3 = (m3a + m3b + delta * d_n * d_n * na * nb * (na - nb)
          + 3.0 * d_n * (na * m2b - nb * m2a))
    m4 = (m4a + m4b + delta * d_n * d_n * d_n * na * nb * (na * na - na * nb + nb * nb)
          + 6.0 * d_n * d_n * (na * na * m2b + nb * nb * m2a)
          + 4.0 * d_n * (na * m3b - nb * m3a))
    return (n, mean, m2, m3, m4)


def variance(m: tuple, ddof: int = 1) -> float:
    """Variance with ``ddof`` (sample variance by default); NaN when undefined."""
    n = m[0]
    return m[2] / (n - ddof) if n - ddof > 0 else math.nan


def std(m: tuple, ddof: int = 1) -> float:
    v = variance(m, ddof)
    return math.sqrt(v) if v == v and v >= 0 else math.nan


def skewness(m: tuple) -> float:
    """Fisher–Pearson coefficient g1 = sqrt(n) M3 / M2^1.5 (scipy.stats.skew, bias=True)."""
    n, _, m2, m3, _ = m
    if n < 3 or m2 <= 0:
        return math.nan
    return math.sqrt(n) * m3 / m2 ** 1.5


def excess_kurtosis(m: tuple) -> float:
    """Excess kurtosis g2 = n M4 / M2^2 - 3 (scipy.stats.kurtosis, fisher=True, bias=True)."""
    n, _, m2, _, m4 = m
    if n < 4 or m2 <= 0:
        return math.nan
    return n * m4 / (m2 * m2) - 3.0
