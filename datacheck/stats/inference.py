"""Shared statistics for verdicts: intervals for proportions, two-sample proportion tests,
and Benjamini–Hochberg false-discovery-rate control.

Used by every check family that compares groups, slices or columns, so that intervals and
corrections mean the same everywhere.

Examples
--------
>>> lo, hi = wilson_interval(8, 10)
>>> round(lo, 3), round(hi, 3)
(0.49, 0.943)
>>> benjamini_hochberg([0.01, 0.04, 0.03, 0.5]).round(3).tolist()
[0.04, 0.053, 0.053, 0.5]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats as _st

__all__ = [
    "wilson_interval",
    "clopper_pearson_interval",
    "proportion_test",
    "tolerance_test",
    "benjamini_hochberg",
    "unseen_permutation_test",
    "chance_duplicate_share",
    "remove_from_largest",
]


def wilson_interval(k: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n; ``(nan, nan)`` when n == 0. ``k`` and ``n`` may be
    effective (weighted, non-integer) counts."""
    if n <= 0:
        return (math.nan, math.nan)
    z = float(_st.norm.ppf(0.5 + confidence / 2))
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def clopper_pearson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson) interval for a proportion k/n; ``(nan, nan)`` when n == 0."""
    if n <= 0:
        return (math.nan, math.nan)
    a = 1 - confidence
    lo = 0.0 if k == 0 else float(_st.beta.ppf(a / 2, k, n - k + 1))
    hi = 1.0 if k == n else float(_st.beta.ppf(1 - a / 2, k + 1, n - k))
    return (lo, hi)


def proportion_test(k1: int, n1: int, k2: int, n2: int, *, min_expected: float = 5.0) -> tuple[float, str]:
    """Two-sided test that two proportions are equal: (p-value, method).

    Uses the pooled two-proportion z-test when every expected cell count is at least
    ``min_expected``, and Fisher's exact test otherwise.
    """
    if n1 <= 0 or n2 <= 0:
        return (math.nan, "none")
    pooled = (k1 + k2) / (n1 + n2)
    expected = [n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled)]
    if min(expected) < min_expected:
        p = float(_st.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]])[1])
        return (min(1.0, p), "fisher")
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return (1.0, "z")
    z = (k1 / n1 - k2 / n2) / se
    return (float(2 * _st.norm.sf(abs(z))), "z")


def tolerance_test(
    k1: int, n1: int, k2: int, n2: int, *, min_ratio: float | None = None, max_difference: float | None = None
) -> tuple[float, str]:
    """One-sided evidence that two proportions differ by MORE than a tolerance: (p-value, method).

    The null hypothesis is "within tolerance": ``min_ratio <= p1/p2 <= 1/min_ratio`` (log risk ratio,
    Katz variance, 0.5 added to each count) and/or ``|p1 - p2| <= max_difference`` (unpooled z).
    When both tolerances are given the disparity must exceed both, so the p-value is the larger of
    the two (an intersection-union test). Equal proportions give p near 1, not p = 0.5 as a test of
    equality does, which is what keeps a group from failing on a chance gap.

    Examples
    --------
    >>> round(tolerance_test(50, 1000, 250, 1000, min_ratio=0.8)[0], 6)   # 0.05 vs 0.25: far beyond
    0.0
    >>> tolerance_test(240, 1000, 250, 1000, min_ratio=0.8)[0] > 0.9     # 0.24 vs 0.25: within
    True
    """
    if n1 <= 0 or n2 <= 0 or (min_ratio is None and max_difference is None):
        return (math.nan, "none")
    ps = []
    if min_ratio is not None:
        a, b, na, nb = k1 + 0.5, k2 + 0.5, n1 + 0.5, n2 + 0.5
        log_rr = math.log((a / na) / (b / nb))
        se = math.sqrt(max(1 / a - 1 / na + 1 / b - 1 / nb, 1e-300))
        lr = math.log(min_ratio)
        ps.append(min(float(_st.norm.cdf((log_rr - lr) / se)), float(_st.norm.sf((log_rr + lr) / se))))
    if max_difference is not None:
        p1, p2 = k1 / n1, k2 / n2
        q1, q2 = (k1 + 0.5) / (n1 + 1), (k2 + 0.5) / (n2 + 1)  # keeps the variance above 0 at 0% / 100%
        se = math.sqrt(q1 * (1 - q1) / n1 + q2 * (1 - q2) / n2)
        d = p1 - p2
        ps.append(min(float(_st.norm.sf((d - max_difference) / se)), float(_st.norm.cdf((d + max_difference) / se))))
    return (min(1.0, max(ps)), "z beyond tolerance")


def benjamini_hochberg(pvalues: Sequence[float]) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values); NaN p-values stay NaN and are not counted."""
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return out
    pv = p[ok]
    order = np.argsort(pv)
    ranked = pv[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.minimum(q, 1.0)
    res = np.empty(m)
    res[order] = q
    out[ok] = res
    return out


def unseen_permutation_test(
    ref_counts: Sequence[int], cur_counts: Sequence[int], *, draws: int = 2000, seed: int = 0, max_draws: int = 200_000
) -> dict[str, float]:
    """Permutation test for "never-seen" and "vanished" categories between two samples.

    Under no change the two samples are exchangeable: every way of splitting the pooled rows into
    ``n_ref`` reference and ``n_cur`` current rows is equally likely. The statistics are the share
    of current rows whose value never occurs in the reference (*new*) and the share of reference
    rows whose value never occurs in the current sample (*vanished*). Their permutation
    distribution is drawn exactly (a multivariate hypergeometric split of the pooled category
    counts, seeded), so the chance level and the p-values need no Good–Turing estimate and hold at
    any sample size, for columns whose values are mostly unique (ids, dates, free text) too.

    Categories so frequent that they cannot land on one side only (probability below 1e-12) are
    pooled, which leaves the distribution of the others unchanged; singletons are pooled too (a
    singleton is new exactly when it falls on the current side).

    Parameters
    ----------
    ref_counts, cur_counts : sequence of int
        Counts of the same categories on each side (aligned; zeros allowed).
    draws : int
        Monte Carlo permutations at least; p-values are ``(1 + #{stat >= observed}) / (1 + draws)``.
        While fewer than 10 draws reach an observed value, more are drawn (sequentially, up to
        ``max_draws``), so small p-values are resolved by drawing, never extrapolated.
    max_draws : int
        Most permutations drawn (also capped at 5e7 hypergeometric variates in all).
    seed : int
        Seed of the draws: the same input always gives the same p-values.

    Returns
    -------
    dict
        ``new_share``, ``expected_new_share``, ``new_p_value``, ``vanished_share``,
        ``expected_vanished_share``, ``vanished_p_value``, ``draws``.

    Examples
    --------
    >>> r = unseen_permutation_test([50, 50, 1, 1], [50, 50, 0, 0])
    >>> r["new_share"], r["new_p_value"] > 0.05
    (0.0, True)
    >>> r = unseen_permutation_test([100, 100, 0], [100, 100, 20])
    >>> round(r["new_share"], 3), r["new_p_value"] < 0.001
    (0.091, True)
    """
    r = np.asarray(ref_counts, dtype=np.int64)
    c = np.asarray(cur_counts, dtype=np.int64)
    n_r, n_c = int(r.sum()), int(c.sum())
    out = {
        "new_share": 0.0,
        "expected_new_share": 0.0,
        "new_p_value": 1.0,
        "vanished_share": 0.0,
        "expected_vanished_share": 0.0,
        "vanished_p_value": 1.0,
    }
    if n_r == 0 or n_c == 0:
        return out
    t = r + c
    keep = t > 0
    r, c, t = r[keep], c[keep], t[keep]
    big = n_r + n_c
    obs_new = int(c[r == 0].sum())
    obs_gone = int(r[c == 0].sum())
    # log P(all t rows of a category on one side) = log (n)_t - log (N)_t
    lg = math.lgamma

    def log_one_side(n: int, tt: np.ndarray) -> np.ndarray:
        return (
            np.array(
                [lg(n + 1) - lg(n - x + 1) - lg(big + 1) + lg(big - x + 1) if x <= n else -np.inf for x in tt.tolist()]
            )
            if tt.size
            else np.zeros(0)
        )

    tu, inv = np.unique(t, return_inverse=True)
    p_cur = np.exp(log_one_side(n_c, tu))[inv]  # category entirely current (new)
    p_ref = np.exp(log_one_side(n_r, tu))[inv]  # entirely reference (vanished)
    out["expected_new_share"] = float((t * p_cur).sum() / n_c)
    out["expected_vanished_share"] = float((t * p_ref).sum() / n_r)
    out["new_share"] = obs_new / n_c
    out["vanished_share"] = obs_gone / n_r
    if obs_new == 0 and obs_gone == 0:
        return out
    single = t == 1
    rare = (~single) & ((p_cur + p_ref) > 1e-12)
    m1 = int(single.sum())
    rare_t = t[rare]
    rest = int(t[~single & ~rare].sum())
    colors = np.r_[m1, rare_t, rest].astype(np.int64)
    rng = np.random.default_rng(seed)
    # sequential Monte Carlo: ``draws`` first; while either statistic has fewer than 10 draws at or
    # beyond it, more (up to ``max_draws``, and at most 5e7 hypergeometric variates), so a p-value
    # below 1/draws is still drawn, never extrapolated (a normal tail put 12 rows of three rare
    # carriers at p = 2e-14 where they are about 1e-4)
    cap = int(max(draws, min(max_draws, 50_000_000 // max(1, colors.size))))
    hit_new = hit_gone = done = 0
    chunk = max(1, min(draws, 4_000_000 // max(1, colors.size)))
    while done < cap and (done < draws or min(hit_new if obs_new else 10, hit_gone if obs_gone else 10) < 10):
        b = min(chunk, cap - done)
        x = rng.multivariate_hypergeometric(colors, n_r, size=b, method="marginals")  # rows to the reference
        xr = x[:, 1 : 1 + rare_t.size]
        new_d = (m1 - x[:, 0]) + ((xr == 0) * rare_t).sum(axis=1)
        gone_d = x[:, 0] + ((xr == rare_t) * rare_t).sum(axis=1)
        hit_new += int((new_d >= obs_new).sum())
        hit_gone += int((gone_d >= obs_gone).sum())
        done += b
        chunk = min(chunk * 2, max(1, 16_000_000 // max(1, colors.size)))
    out["new_p_value"] = (1 + hit_new) / (1 + done) if obs_new else 1.0
    out["vanished_p_value"] = (1 + hit_gone) / (1 + done) if obs_gone else 1.0
    out["draws"] = done
    return out


def chance_duplicate_share(marginals: Sequence[Sequence[float]], n: int, *, seed: int = 0) -> float:
    """Expected share of ``n`` rows that repeat an earlier row if each column's values were shuffled
    on their own (the columns independent, each column's values exactly as observed).

    ``marginals`` holds each column's value counts (nulls count as a value; each list sums to
    ``n``). Rows of a table with a few coarse columns (eight yes/no and small-count columns, say)
    repeat by chance; rows with one column of distinct values (an id, an amount, a time) never do.
    Computed by shuffling codes (the mean of seeded draws, ``n`` up to 2 million), and beyond that by
    the pair bound ``(n - 1) / 2 * q``, with ``q`` the chance that two distinct rows agree on every
    column (an upper bound on the share). Columns that depend on each other repeat more often than
    independent ones as a rule: the figure is what chance alone explains, not a ceiling.

    Examples
    --------
    >>> chance_duplicate_share([[1] * 100, [50, 50]], 100)   # a column of distinct values
    0.0
    >>> 0.6 < chance_duplicate_share([[50, 50], [50, 50]], 100) < 1   # two coins: 4 distinct rows
    True
    """
    if n <= 1 or not marginals:
        return 0.0
    cols = []
    for m in marginals:
        a = np.asarray(m, dtype=float)
        a = np.round(a[a > 0]).astype(np.int64)
        if a.size == 0:
            return 0.0
        cols.append(a)
    q = float(np.prod([float((c * (c - 1)).sum()) / (n * (n - 1)) for c in cols]))
    if q == 0.0:
        return 0.0
    bound = min(1.0, q * (n - 1) / 2)
    if bound < 1e-9 or n > 2_000_000:
        return bound
    rng = np.random.default_rng(seed)
    draws = int(max(1, min(20, 2_000_000 // n)))
    shares = []
    for _ in range(draws):
        codes = np.zeros(n, dtype=np.uint64)
        for c in cols:
            col = rng.permutation(np.repeat(np.arange(c.size, dtype=np.uint64), c))
            if col.size < n:  # counts that do not reach n (rounding): the rest as one more value
                col = rng.permutation(np.r_[col, np.full(n - col.size, c.size, dtype=np.uint64)])
            codes = codes * np.uint64(c.size + 1) + col[:n]  # wraps past 2**64: a hash
        shares.append(1.0 - np.unique(codes).size / n)
    return float(np.mean(shares))


def remove_from_largest(counts: Sequence[float], k: int) -> np.ndarray:
    """``counts`` less ``k`` units taken one at a time from the largest count (water-filling).

    The value counts of a column with ``k`` rows removed, chosen to make the column as varied as
    possible: with it, the chance of agreeing rows is never overstated by the rows removed.

    Examples
    --------
    >>> remove_from_largest([5, 3, 1], 4).tolist()
    [2, 2, 1]
    """
    c = np.sort(np.asarray(counts, dtype=np.int64))[::-1].copy()
    k = int(min(max(k, 0), c.sum()))
    if k == 0:
        return c
    # the lowest level L with sum(max(c - L, 0)) <= k
    lo, hi = 0, int(c[0])
    while lo < hi:
        mid = (lo + hi) // 2
        if int(np.maximum(c - mid, 0).sum()) > k:
            lo = mid + 1
        else:
            hi = mid
    out = np.minimum(c, lo)  # removes at most k (lo is the lowest level that does)
    extra = k - int((c - out).sum())  # the rest: one each from as many values standing at the level
    out[np.flatnonzero(out == lo)[:extra]] -= 1
    return out
