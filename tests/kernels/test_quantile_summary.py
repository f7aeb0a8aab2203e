"""The quantile summary behind ``Sketch`` and the shared pieces of ``QuantileEdges``.

* the summary's rank-error bound is deterministic: every quantile it answers lies within it, for
  any split into batches and any merge order, and the exact refinement never misses its bracket;
* ``_sorted_quantiles`` gives numpy's 'linear' quantiles bit for bit;
* ``QuantileEdges`` shares bottom-k selections between columns holding the same priority chunks,
  and its edges equal those computed column by column.
"""

from __future__ import annotations

import base64
from functools import reduce

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datacheck.kernels import BatchView, ExactQuantiles, Sketch, SketchValue
from datacheck.kernels.quantiles import QuantileSummary
from datacheck.kernels.shift import QuantileEdges, _sorted_quantiles


def _fold(kernel, x: np.ndarray, cuts: list[int], merge: bool):
    pts = sorted({0, x.size, *[c % (x.size + 1) for c in cuts]})
    parts = [(x[a:b], a) for a, b in zip(pts[:-1], pts[1:])]
    if merge:
        states = [kernel.update(kernel.init(), BatchView(pa.record_batch({"x": p}), o)) for p, o in parts]
        return kernel.finalize(reduce(kernel.merge, states))
    s = kernel.init()
    for p, o in parts:
        s = kernel.update(s, BatchView(pa.record_batch({"x": p}), o))
    return kernel.finalize(s)


def _rank_interval(xs: np.ndarray, v: float) -> tuple[int, int]:
    return int(np.searchsorted(xs, v, "left")), int(np.searchsorted(xs, v, "right"))


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 60_000),
    cuts=st.lists(st.integers(0, 60_000), max_size=6),
    k=st.sampled_from([4, 16, 1000]),
    dist=st.sampled_from(["normal", "ints", "lognormal"]),
    merge=st.booleans(),
)
def test_summary_rank_error_is_a_bound(seed, n, cuts, k, dist, merge):
    rng = np.random.default_rng(seed)
    x = {
        "normal": lambda: rng.normal(size=n),
        "ints": lambda: rng.integers(0, 30, size=n).astype(float),
        "lognormal": lambda: rng.lognormal(sigma=2, size=n),
    }[dist]()
    sk = _fold(Sketch("x", k), x, cuts, merge)
    xs = np.sort(x)
    assert sk.n == n and sk.quantile(0.0) == xs[0] and sk.quantile(1.0) == xs[-1]
    err = sk.rank_error * n
    for q in (0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999):
        lo, hi = _rank_interval(xs, sk.quantile(q))
        assert lo - err <= q * n <= hi + err, (q, lo, hi, err)
        c = sk.cdf(sk.quantile(q)) * n
        assert abs(c - hi) <= err + 1e-9
    # the refinement's brackets always hold the exact quantile: no fallback to the summary
    qs = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0)
    eq = ExactQuantiles.from_sketch("x", qs, sk)
    got = _fold(eq, x, cuts, merge)
    assert got["exact"]
    np.testing.assert_allclose([got["values"][q] for q in qs], np.quantile(x, qs), rtol=1e-12, atol=1e-300)


def test_summary_is_small_and_tight_at_a_million_rows():
    x = np.random.default_rng(1).normal(size=1_000_000)
    sk = _fold(Sketch("x"), x, list(range(131_072, 1_000_000, 131_072)), merge=False)
    assert sk.values.size <= 2 * 16 * 1000
    assert sk.rank_error < 5e-4  # a KLL sketch of k = 1000 stated 2.8e-3


def test_summary_merge_is_commutative_and_deterministic():
    rng = np.random.default_rng(2)
    a, b = QuantileSummary(8), QuantileSummary(8)
    a.add_sorted(np.sort(rng.normal(size=5_000)))
    b.add_sorted(np.sort(rng.normal(size=7_000)))
    ab, ba = SketchValue.from_summary(a.merged(b)), SketchValue.from_summary(b.merged(a))
    np.testing.assert_array_equal(ab.values, ba.values)
    np.testing.assert_array_equal(ab.cum, ba.cum)
    assert ab.err == ba.err and ab.n == ba.n == 12_000


def test_summary_serialises_and_refuses_garbage():
    x = np.random.default_rng(3).normal(size=20_000)
    sk = _fold(Sketch("x", 16), x, [5_000], merge=True)
    back = SketchValue.deserialize(sk.serialize(), sk.k)
    assert back.quantiles([0, 0.3, 0.5, 1]) == sk.quantiles([0, 0.3, 0.5, 1]) and back.err == sk.err
    for blob in (b"", b"xyz", sk.serialize()[:-8]):
        with pytest.raises(ValueError):
            SketchValue.deserialize(blob)


def test_kll_sketch_of_an_old_profile_still_loads():
    from datasketches import kll_doubles_sketch

    x = np.random.default_rng(4).normal(size=50_000)
    kll = kll_doubles_sketch(200)
    kll.update(x.copy())
    sv = SketchValue.from_kll(bytes(kll.serialize()), 200)
    assert sv.n == 50_000 and sv.quantile(0.0) == x.min() and sv.quantile(1.0) == x.max()
    xs = np.sort(x)
    for q in (0.1, 0.5, 0.9):
        lo, hi = _rank_interval(xs, sv.quantile(q))
        assert lo / x.size - 2 * sv.rank_error <= q <= hi / x.size + 2 * sv.rank_error
    # and through a saved profile's JSON encoding
    from datacheck.profiles import _decode

    got = _decode({"__kll__": base64.b64encode(bytes(kll.serialize())).decode(), "k": 200})
    assert isinstance(got, SketchValue) and got.n == 50_000


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 5_000), ties=st.booleans())
def test_sorted_quantiles_are_numpys_bit_for_bit(seed, n, ties):
    rng = np.random.default_rng(seed)
    v = np.sort(rng.integers(0, 7, size=n).astype(float) if ties else rng.lognormal(size=n) * 1e3)
    qs = np.linspace(0.0, 1.0, 2001)
    np.testing.assert_array_equal(_sorted_quantiles(v, qs), np.quantile(v, qs))


def _edges_alone(kernel, batches):
    from datacheck.kernels import shift

    s = kernel.init()
    for b, o in batches:
        shift._SELECTIONS.clear()  # nothing shared: every selection made for this column alone
        s = kernel.update(s, BatchView(b, o))
    shift._SELECTIONS.clear()
    return kernel.finalize(s)


@pytest.mark.parametrize("nulls", [False, True])
def test_shared_selections_give_each_columns_own_edges(nulls):
    rng = np.random.default_rng(5)
    n, size = 40_000, 7_000
    cols = {c: rng.normal(size=n) for c in ("a", "b", "c")}
    if nulls:
        cols["c"] = pa.array(cols["c"], mask=rng.random(n) < 0.1)
    table = pa.table(cols)
    batches = [(table.slice(o, size).to_batches()[0], o) for o in range(0, n, size)]
    ks = [QuantileEdges(c, bins=50, sample_size=3_000) for c in ("a", "b", "c")]
    states = [k.init() for k in ks]
    for b, o in batches:  # the engine's way: one view per batch, every column reading it
        view = BatchView(b, o)
        states = [k.update(s, view) for k, s in zip(ks, states)]
    shared = [k.finalize(s) for k, s in zip(ks, states)]
    for k, got in zip(ks, shared):
        assert got == _edges_alone(k, batches)


def test_string_hashes_do_not_depend_on_the_other_strings():
    """Short strings (one 8-byte word) take a shorter path; their hashes are the general path's."""
    from datacheck.kernels.frequencies import string_hashes

    short = ["", "a", "bc", "hello123", "é", "xxxxxxxx"]
    alone = string_hashes(pa.array(short))
    mixed = string_hashes(pa.array(short + ["a string longer than one word"]))
    np.testing.assert_array_equal(alone, mixed[: len(short)])
    sliced = string_hashes(pa.array(["padding"] + short, pa.large_string()).slice(1))
    np.testing.assert_array_equal(alone, sliced)
