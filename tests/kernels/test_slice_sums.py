"""Laws of the per-slice sums kernels: any split merges to the whole; LevelSums == GroupSums."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datacheck.kernels.base import BatchView
from datacheck.kernels.groups import Bin, Col
from datacheck.kernels.slice_sums import AbsDiff, Brier, GroupSums, LevelSums, LogLoss, Ne, SqDiff


def _table(n: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    g = rng.choice(["a", "b", "c"], n).astype(object)
    g[rng.random(n) < 0.1] = None
    x = rng.normal(size=n)
    x[rng.random(n) < 0.1] = np.nan
    y = rng.integers(0, 2, n)
    p = np.where(rng.random(n) < 0.3, 1 - y, y)
    s = rng.random(n)
    return pa.table({"g": pa.array(list(g)), "x": pa.array(x), "y": pa.array(y), "p": pa.array(p), "s": pa.array(s)})


def _fold(kernel, table: pa.Table, cuts: list[int]):
    states = []
    bounds = [0, *sorted(set(c for c in cuts if 0 < c < table.num_rows)), table.num_rows]
    for a, b in zip(bounds, bounds[1:]):
        part = table.slice(a, b - a).combine_chunks()
        batch = part.to_batches()[0] if part.num_rows else pa.RecordBatch.from_pylist([], schema=table.schema)
        states.append(kernel.update(kernel.init(), BatchView(batch, a)))
    states.append(kernel.update(kernel.init(), BatchView(pa.RecordBatch.from_pylist([], schema=table.schema))))
    out = states[0]
    for s in states[1:]:
        out = kernel.merge(out, s)
    return kernel.finalize(out)


KERNELS = [
    GroupSums(
        (Col("g"), Bin("x", (-1.0, 0.0, 1.0))),
        (Ne("y", "p"), LogLoss("y", "s", 1), Brier("y", "s", 1), AbsDiff("y", "s"), SqDiff("y", "s")),
    ),
    LevelSums((Col("g"), Bin("x", (-1.0, 0.0, 1.0)), Col("y")), ((0,), (1,), (2,), (0, 1), (0, 1, 2)), Ne("y", "p")),
    LevelSums((Col("g"), Bin("x", (-1.0, 0.0, 1.0))), ((0,), (0, 1)), AbsDiff("y", "s")),
]


def _close(a, b):
    if isinstance(a, dict):
        assert set(a) == set(b)
        for k in a:
            _close(a[k], b[k])
    elif isinstance(a, np.ndarray):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)
    else:
        assert a == b


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(0, 300),
    cuts=st.lists(st.integers(0, 300), max_size=4),
    seed=st.integers(0, 5),
    which=st.integers(0, len(KERNELS) - 1),
)
def test_any_split_merges_to_the_whole(n, cuts, seed, which):
    k = KERNELS[which]
    t = _table(n, seed)
    _close(_fold(k, t, cuts), _fold(k, t, []))


def test_level_sums_equal_group_sums_per_subset():
    t = _table(2000, 1)
    keys = (Col("g"), Bin("x", (-1.0, 0.0, 1.0)), Col("y"))
    subsets = ((0,), (1,), (0, 2), (0, 1, 2))
    lv = _fold(LevelSums(keys, subsets, Ne("y", "p")), t, [700, 1500])
    for s in subsets:
        gs = _fold(GroupSums(tuple(keys[i] for i in s), (Ne("y", "p"),)), t, [])
        expected = {k: v["stats"][0] for k, v in gs.items() if v["stats"][0][0] > 0}
        _close(lv[s], expected)


def test_group_sums_values_match_numpy():
    t = _table(1000, 2)
    out = _fold(GroupSums((Col("g"),), (LogLoss("y", "s", 1), Brier("y", "s", 1), SqDiff("y", "s"))), t, [333])
    df = t.to_pandas()
    sub = df[df.g == "a"]
    y, s = sub.y.to_numpy(), sub.s.to_numpy()
    ll = -(y * np.log(s) + (1 - y) * np.log(1 - s))
    st_ = out[("a",)]["stats"]
    assert out[("a",)]["n"] == len(sub)
    assert st_[0][0] == len(sub) and st_[0][1] == pytest.approx(ll.sum())
    assert st_[0][2] == pytest.approx((ll**2).sum()) and st_[0][3] == pytest.approx(ll.max())
    assert st_[1][1] == pytest.approx(((s - y) ** 2).sum())
    assert st_[2][1] == pytest.approx(((y - s) ** 2).sum())


def test_ne_marks_missing_as_undefined_and_compares_mixed_types():
    b = pa.record_batch({"a": pa.array([1, 2, None]), "b": pa.array(["1", "3", "x"])})
    v = Ne("a", "b").values(BatchView(b))
    assert v[0] == 0 and v[1] == 1 and np.isnan(v[2])
