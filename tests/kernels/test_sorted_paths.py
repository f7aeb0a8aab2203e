"""Kernels that read a batch's sorted values (``BatchView.sorted``) give exactly the counts of the
direct definitions, whether another kernel sorted the batch first or not.

Data with ties, values on the edges, nulls, NaN and infinities (fixed seeds).
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest

from datacheck.kernels import BatchView, CountEqual, CountOutside, ExactQuantiles, Extremes, Histogram, Sketch
from datacheck.kernels.histogram import nice_edges
from datacheck.kernels.shift import BinCounts


def _batch(seed: int) -> pa.RecordBatch:
    rng = np.random.default_rng(seed)
    x = np.round(rng.normal(size=5000), 1)  # many ties
    x[rng.random(x.size) < 0.02] = np.nan
    x[:3] = [np.inf, -np.inf, 0.0]
    mask = rng.random(x.size) < 0.05
    return pa.record_batch({"x": pa.array(x, mask=mask, from_pandas=False)})


def _views(seed: int):
    """A view nobody sorted, and one whose sorted values are cached."""
    cold = BatchView(_batch(seed), offset=10)
    warm = BatchView(_batch(seed), offset=10)
    warm.sorted("x")
    return cold, warm


def _finite(view: BatchView) -> np.ndarray:
    return view.numeric("x").values


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sorted_is_the_finite_values_sorted(seed):
    cold, warm = _views(seed)
    assert not cold.has_sorted("x") and warm.has_sorted("x")
    np.testing.assert_array_equal(warm.sorted("x"), np.sort(_finite(cold)))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bin_counts_match_the_definition(seed):
    cold, _ = _views(seed)
    x = _finite(cold)
    edges = (-1.0, -0.5, 0.0, 0.0001, 0.5, 1.0, 1.7)  # several edges fall on values
    k = BinCounts("x", edges)
    got = k.finalize(k.update(k.init(), cold))
    e = np.asarray(edges)
    idx = np.searchsorted(e, x, side="right")
    np.testing.assert_array_equal(got["counts"], np.bincount(idx, minlength=e.size + 1))
    np.testing.assert_allclose(got["sums"], np.bincount(idx, weights=x, minlength=e.size + 1), rtol=1e-12, atol=1e-9)
    on_edge = x == np.r_[np.nan, e][idx]
    np.testing.assert_array_equal(got["at_edge"], np.bincount(idx[on_edge], minlength=e.size + 1))
    assert got["at_edge"][3] > 0  # the test exercises values on an edge
    assert got["missing"] == int(cold.numeric("x").nulls + cold.numeric("x").nans) and got["infinite"] == 2


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("edges", [nice_edges(-2.0, 2.0, 30), (-3.0, -1.0, 0.0, 0.1, 2.5)])
def test_histogram_same_counts_as_numpy_either_way(seed, edges):
    cold, warm = _views(seed)
    k = Histogram("x", edges)
    a = k.finalize(k.update(k.init(), cold))
    b = k.finalize(k.update(k.init(), warm))
    assert a == b
    x = _finite(cold)
    assert a["under"] == int((x < edges[0]).sum()) and a["over"] == int((x > edges[-1]).sum())
    e = np.asarray(edges)
    steps = np.diff(e)
    if np.allclose(steps, steps[0], rtol=1e-9, atol=0):
        expected, _ = np.histogram(x, bins=steps.size, range=(e[0], e[-1]))
    else:
        expected, _ = np.histogram(x, bins=e)
    assert a["counts"] == expected.tolist()


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("low,high", [(-1.0, 1.0), (None, 0.0), (0.0, None), (-0.3, -0.3), (math.nan, 1.0)])
def test_count_outside_either_way(seed, low, high):
    cold, warm = _views(seed)
    k = CountOutside("x", low, high)
    a = k.finalize(k.update(k.init(), cold))
    b = k.finalize(k.update(k.init(), warm))
    assert a == b
    x = _finite(cold)
    below = int((x < low).sum()) if low is not None else 0
    assert a["below"] == below + (1 if low is not None and np.isfinite(low) else 0)  # -inf counts as below


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("value", [0.0, 0.1, -2.5, 123.0, math.nan])
def test_count_equal_either_way(seed, value):
    cold, warm = _views(seed)
    k = CountEqual("x", value)
    a = k.finalize(k.update(k.init(), cold))
    assert a == k.finalize(k.update(k.init(), warm)) == int((_finite(cold) == value).sum())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_extremes_either_way(seed):
    cold, warm = _views(seed)
    k = Extremes("x", 7)
    assert k.finalize(k.update(k.init(), cold)) == k.finalize(k.update(k.init(), warm))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_exact_quantiles_from_sorted_batch(seed):
    cold, _ = _views(seed)
    sk = Sketch("x")
    s = sk.finalize(sk.update(sk.init(), cold))
    qs = (0.1, 0.25, 0.5, 0.75, 0.99)
    eq = ExactQuantiles.from_sketch("x", qs, s)
    got = eq.finalize(eq.update(eq.init(), cold))
    assert got["exact"]
    np.testing.assert_array_equal([got["values"][q] for q in qs], np.quantile(_finite(cold), qs))
