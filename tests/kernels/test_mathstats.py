"""Moments merged across splits against numpy and scipy (including catastrophic-cancellation data)."""

from __future__ import annotations

import math
from functools import reduce

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from datacheck.kernels import BatchView, Moments
from datacheck.kernels import mathstats as ms


def merged_state(x: np.ndarray, cuts) -> tuple:
    pts = sorted({0, x.size, *(min(max(c, 0), x.size) for c in cuts)})
    return reduce(ms.merge_moments, [ms.batch_moments(x[a:b]) for a, b in zip(pts[:-1], pts[1:])], ms.EMPTY)


def check_against_reference(x: np.ndarray, m: tuple, rtol: float = 1e-9) -> None:
    assert m[0] == x.size
    np.testing.assert_allclose(m[1], x.mean(), rtol=rtol, atol=0)
    np.testing.assert_allclose(ms.variance(m), np.var(x, ddof=1), rtol=rtol)
    np.testing.assert_allclose(ms.variance(m, ddof=0), np.var(x), rtol=rtol)
    np.testing.assert_allclose(ms.std(m), np.std(x, ddof=1), rtol=rtol)
    # skewness and kurtosis: compare on the scale of the quantity (they are O(1) quantities)
    np.testing.assert_allclose(ms.skewness(m), stats.skew(x, bias=True), rtol=rtol * 100, atol=1e-7)
    np.testing.assert_allclose(
        ms.excess_kurtosis(m), stats.kurtosis(x, fisher=True, bias=True), rtol=rtol * 100, atol=1e-7
    )


DISTS = {
    "normal": lambda r, n: r.normal(size=n),
    "lognormal": lambda r, n: r.lognormal(sigma=1.0, size=n),
    "exponential": lambda r, n: r.exponential(size=n),
    "ints": lambda r, n: r.integers(0, 100, size=n).astype(float),
    "bimodal": lambda r, n: np.r_[r.normal(-5, 1, n // 2), r.normal(5, 1, n - n // 2)],
}


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(4, 3000),
    dist=st.sampled_from(sorted(DISTS)),
    cuts=st.lists(st.integers(0, 3000), max_size=8),
)
def test_merged_moments_match_scipy(seed, n, dist, cuts):
    x = DISTS[dist](np.random.default_rng(seed), n)
    check_against_reference(x, merged_state(x, cuts))


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    offset=st.sampled_from([1e6, 1e9, -1e9, 1e12]),
    noise=st.sampled_from([1e-3, 1.0, 10.0]),
    cuts=st.lists(st.integers(0, 2000), max_size=8),
)
def test_catastrophic_cancellation(seed, offset, noise, cuts):
    """A large offset plus small noise: the naive sum-of-squares formula loses every digit here;
    the pairwise (Chan / Pebay) merge keeps the variance to the precision the data allows."""
    rng = np.random.default_rng(seed)
    noise_x = rng.normal(scale=noise, size=2000)
    x = offset + noise_x
    m = merged_state(x, cuts)
    # the data carry only about 16 - log10(offset/noise) significant digits of the noise
    digits_lost = max(0.0, math.log10(abs(offset) / noise))
    rtol = max(1e-9, 10 ** (digits_lost - 14))
    np.testing.assert_allclose(m[1], x.mean(), rtol=1e-14)
    np.testing.assert_allclose(ms.variance(m), np.var(x, ddof=1), rtol=rtol)
    if rtol < 1e-3:
        np.testing.assert_allclose(ms.skewness(m), stats.skew(x), atol=max(1e-6, rtol * 100))
        np.testing.assert_allclose(ms.excess_kurtosis(m), stats.kurtosis(x), atol=max(1e-6, rtol * 100))


def test_naive_formula_would_fail_but_merge_does_not():
    """Guard that the cancellation case is hard: E[x^2] - E[x]^2 is far off, the merge is not."""
    rng = np.random.default_rng(0)
    x = 1e9 + rng.normal(scale=1e-2, size=5000)
    naive = (np.mean(x * x) - np.mean(x) ** 2) * x.size / (x.size - 1)
    true = np.var(x, ddof=1)
    assert abs(naive - true) / true > 0.5
    # one value per batch: the most merges, every one across a large mean
    m = reduce(ms.merge_moments, [ms.batch_moments(x[i : i + 1]) for i in range(x.size)], ms.EMPTY)
    np.testing.assert_allclose(ms.variance(m), true, rtol=1e-4)  # 11 of 16 digits are the offset


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), cuts=st.lists(st.integers(0, 500), max_size=6))
def test_moments_kernel_through_batches(seed, cuts):
    """The kernel (nulls, NaN, inf dropped) merged over batches against scipy on the finite values."""
    rng = np.random.default_rng(seed)
    x = rng.gamma(2.0, size=500)
    x[rng.random(500) < 0.05] = np.nan
    x[rng.random(500) < 0.02] = np.inf
    arr = pa.array(x)
    arr = pa.array([None if i % 17 == 0 else v for i, v in enumerate(arr.to_pylist())], pa.float64())
    k = Moments("x")
    pts = sorted({0, 500, *(min(c, 500) for c in cuts)})
    states = [
        k.update(k.init(), BatchView(pa.record_batch({"x": arr.slice(a, b - a)}), a)) for a, b in zip(pts[:-1], pts[1:])
    ]
    v = k.finalize(reduce(k.merge, states))
    finite = np.array([t for t in arr.to_pylist() if t is not None and math.isfinite(t)])
    assert v["n"] == finite.size
    assert v["min"] == finite.min() and v["max"] == finite.max()
    np.testing.assert_allclose(v["mean"], finite.mean(), rtol=1e-12)
    np.testing.assert_allclose(v["var"], np.var(finite, ddof=1), rtol=1e-10)
    np.testing.assert_allclose(v["skewness"], stats.skew(finite), rtol=1e-8)
    np.testing.assert_allclose(v["kurtosis"], stats.kurtosis(finite), rtol=1e-8)


@pytest.mark.parametrize("x", [[], [1.0], [1.0, 2.0], [3.0, 3.0, 3.0, 3.0]])
def test_undefined_moments_are_nan(x):
    m = ms.batch_moments(np.asarray(x, dtype=float))
    assert m[0] == len(x)
    if len(x) < 2:
        assert math.isnan(ms.variance(m))
    if len(x) < 3 or np.ptp(x) == 0:
        assert math.isnan(ms.skewness(m))
    if len(x) < 4 or np.ptp(x) == 0:
        assert math.isnan(ms.excess_kurtosis(m))


def test_merge_with_empty_is_identity_and_commutative():
    rng = np.random.default_rng(1)
    a, b = ms.batch_moments(rng.normal(size=50)), ms.batch_moments(rng.normal(3, 2, size=70))
    assert ms.merge_moments(a, ms.EMPTY) == a and ms.merge_moments(ms.EMPTY, a) == a
    np.testing.assert_allclose(ms.merge_moments(a, b), ms.merge_moments(b, a), rtol=1e-12)


@pytest.mark.parametrize("value", [1.5637337161915055e-199, 0.1, 1e9 + 0.3, -7.7e300, 5e-324])
@pytest.mark.parametrize("n", [3, 7, 1000])
def test_constant_column_has_its_value_as_mean_and_no_spread(value, n):
    """The rounded float mean of [a, a, a] need not be a; the kernel's must, or a z-score fence of
    zero width would put every value of a constant column beyond it."""
    k = Moments("x")
    v = k.finalize(k.update(k.init(), BatchView(pa.record_batch({"x": np.full(n, value)}), 0)))
    assert v["mean"] == value and v["var"] == 0.0 and v["min"] == v["max"] == value
    import pandas as pd

    import datacheck

    r = datacheck.run(
        pd.DataFrame({"x": np.full(n, value)}),
        {"name": "c", "checks": [{"outliers": {"method": "zscore", "max_fraction": 0.0}}]},
    )
    assert r.results[0].observed["count"] == 0 and r.results[0].status == "pass"
