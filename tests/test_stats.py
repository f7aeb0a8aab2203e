"""Shared statistics against scipy's own implementations, and the tolerance test's error rates."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from datacheck.stats import (
    benjamini_hochberg,
    chance_duplicate_share,
    clopper_pearson_interval,
    proportion_test,
    remove_from_largest,
    tolerance_test,
    wilson_interval,
)


@pytest.mark.parametrize("k,n", [(0, 10), (3, 10), (10, 10), (57, 400), (1, 2)])
def test_intervals_match_scipy(k, n):
    res = stats.binomtest(k, n)
    w = res.proportion_ci(0.95, method="wilson")
    e = res.proportion_ci(0.95, method="exact")
    assert wilson_interval(k, n) == pytest.approx((w.low, w.high), abs=1e-12)
    assert clopper_pearson_interval(k, n) == pytest.approx((e.low, e.high), abs=1e-12)
    assert all(math.isnan(v) for v in wilson_interval(0, 0) + clopper_pearson_interval(0, 0))


def test_proportion_test_z_and_fisher():
    p, how = proportion_test(120, 400, 90, 400)
    pooled = 210 / 800
    z = (0.3 - 0.225) / math.sqrt(pooled * (1 - pooled) * (2 / 400))
    assert how == "z" and p == pytest.approx(2 * stats.norm.sf(abs(z)))
    p, how = proportion_test(1, 10, 6, 12)
    assert how == "fisher" and p == pytest.approx(stats.fisher_exact([[1, 9], [6, 6]])[1])


def test_benjamini_hochberg_matches_scipy_and_keeps_nan():
    rng = np.random.default_rng(0)
    p = rng.random(50) ** 3
    assert benjamini_hochberg(p) == pytest.approx(stats.false_discovery_control(p))
    q = benjamini_hochberg([0.01, math.nan, 0.02])
    assert math.isnan(q[1]) and q[0] == pytest.approx(0.02) and q[2] == pytest.approx(0.02)


@pytest.mark.parametrize("tol", [{"min_ratio": 0.8}, {"max_difference": 0.05}])
def test_tolerance_test_is_calibrated_at_the_boundary_and_has_power(tol):
    """At a disparity exactly on the tolerance the one-sided test rejects at most ~alpha of the
    time; well beyond it, almost always; with no disparity, essentially never."""
    rng = np.random.default_rng(11)
    n1 = n2 = 2000
    p2 = 0.30
    boundary = p2 * tol["min_ratio"] if "min_ratio" in tol else p2 - tol["max_difference"]
    far = p2 * 0.5
    rates = {}
    for name, p1 in (("boundary", boundary), ("far", far), ("equal", p2)):
        k1 = rng.binomial(n1, p1, 2000)
        k2 = rng.binomial(n2, p2, 2000)
        rates[name] = np.mean([tolerance_test(a, n1, b, n2, **tol)[0] < 0.05 for a, b in zip(k1, k2)])
    assert rates["boundary"] <= 0.07
    assert rates["far"] >= 0.99
    assert rates["equal"] <= 0.001


def test_tolerance_test_needs_both_when_both_are_set():
    # ratio 0.5 (beyond 0.8) but difference 0.01 (within 0.05): within tolerance overall
    p, _ = tolerance_test(100, 10000, 200, 10000, min_ratio=0.8, max_difference=0.05)
    assert p > 0.5
    assert math.isnan(tolerance_test(1, 0, 1, 10, min_ratio=0.8)[0])


@given(st.lists(st.integers(0, 30), min_size=1, max_size=8), st.data())
@settings(max_examples=200, deadline=None)
def test_remove_from_largest_matches_one_at_a_time(counts, data):
    k = data.draw(st.integers(0, sum(counts)))
    brute = np.array(counts, dtype=np.int64)
    for _ in range(k):
        brute[np.argmax(brute)] -= 1
    got = remove_from_largest(counts, k)
    assert sorted(got.tolist()) == sorted(brute.tolist())


def test_chance_duplicate_share_against_shuffled_tables():
    """The expectation equals what shuffling each column of a real-shaped table gives."""
    rng = np.random.default_rng(3)
    n = 2000
    cols = [rng.integers(0, k, n) for k in (2, 2, 3, 6, 40)]
    counts = [np.bincount(c) for c in cols]
    sims = []
    for _ in range(30):
        rows = np.stack([rng.permutation(c) for c in cols], axis=1)
        sims.append(1 - np.unique(rows, axis=0).shape[0] / n)
    assert chance_duplicate_share(counts, n) == pytest.approx(np.mean(sims), abs=3 * np.std(sims) + 1e-3)
    # a column of distinct values rules chance out; one coarse column makes repeats certain
    assert chance_duplicate_share(counts + [np.ones(n)], n) == 0.0
    assert chance_duplicate_share([[n // 2, n // 2]], n) == pytest.approx(1 - 2 / n)
    # beyond 2 million rows, the pair bound (an upper bound) is used
    big = 4_000_000
    assert chance_duplicate_share([[big // 2] * 2, [big // 1000] * 1000], big) == 1.0
