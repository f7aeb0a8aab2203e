"""RowHashes (``duplicates`` / ``unique``): exact counts and examples against pandas, for any split
and merge order, and the memory it holds (8 bytes per row while reading, a bounded peak when
counting), measured with tracemalloc (numpy reports its buffers to it)."""

from __future__ import annotations

import tracemalloc
from functools import reduce

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from datacheck.kernels import BatchView, RowHashes, hashing


def _frame(seed: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, max(2, n // 3), n).astype(float)
    a[rng.random(n) < 0.1] = np.nan
    return pd.DataFrame({"a": a, "b": rng.choice(["x", "y"], n)})


def _expected(df: pd.DataFrame, cols: list[str], skip_missing: bool, limit: int = 10) -> dict:
    """The same figures in plain Python (NaN is missing, as null is); pandas' ``duplicated`` for the count."""
    d = df[cols]
    if skip_missing:
        d = d[d.notna().all(axis=1)]
    at: dict[tuple, list[int]] = {}
    for pos, row in zip(d.index, d.itertuples(index=False)):
        at.setdefault(tuple(None if pd.isna(v) else v for v in row), []).append(int(pos))
    multi = [g for g in at.values() if len(g) > 1]  # dicts keep first-seen order: groups by first row
    return {
        "rows": len(d),
        "duplicate_rows": int(d.duplicated(keep="first").sum()),
        "rows_in_duplicate_groups": sum(len(g) for g in multi),
        "groups": len(multi),
        "examples": [g[:5] for g in multi[:limit]],
    }


def _states(k: RowHashes, df: pd.DataFrame, cuts: list[int]) -> list:
    t = pa.Table.from_pandas(df, preserve_index=False)
    bounds = [0, *cuts, len(df)]
    return [
        k.update(k.init(), BatchView(t.slice(a, b - a).combine_chunks().to_batches()[0], a))
        for a, b in zip(bounds[:-1], bounds[1:])
        if b > a
    ]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("skip_missing", [False, True])
def test_counts_and_examples_equal_pandas_for_any_split_and_merge_order(seed, skip_missing):
    n = [0, 1, 7, 300, 5_000, 200_000][seed]
    df = _frame(seed, n)
    k = RowHashes(("a", "b"), skip_missing=skip_missing)
    want = _expected(df, ["a", "b"], skip_missing)
    rng = np.random.default_rng(seed)
    cuts = sorted(set(rng.integers(0, n + 1, 5).tolist())) if n else []
    states = _states(k, df, cuts)
    whole = k.finalize(reduce(k.merge, states, k.init()))
    reverse = k.finalize(reduce(lambda a, b: k.merge(b, a), states[::-1], k.init()))
    seq = k.init()
    for s in states:
        seq = k.merge(seq, s)
    assert whole == want
    assert reverse == want
    assert k.finalize(seq) == want


def test_small_batches_share_one_block():
    df = _frame(1, 10_000)
    k = RowHashes(("a", "b"), skip_missing=True)
    state = k.init()
    t = pa.Table.from_pandas(df, preserve_index=False)
    for a in range(0, 10_000, 100):
        state = k.update(state, BatchView(t.slice(a, 100).combine_chunks().to_batches()[0], a))
    assert len({id(seg[2]) for seg in state}) == 1  # one block, not a hundred arrays
    assert k.finalize(state) == _expected(df, ["a", "b"], True)


def test_held_state_is_8_bytes_per_row_and_counting_adds_8_more():
    n = 2_000_000
    rng = np.random.default_rng(0)
    ids = np.arange(n)
    rep = rng.random(n) < 0.01
    ids[rep] = rng.integers(0, n, int(rep.sum()))
    t = pa.table({"a": ids, "b": rng.integers(0, 3, n)})
    k = RowHashes(("a",))
    state = k.init()
    for b in t.to_batches(max_chunksize=65_536):
        state = k.update(state, BatchView(b, sum(seg[1] for seg in state)))
    held = sum(b.used * 8 for b in {id(seg[2]): seg[2] for seg in state}.values())
    assert held == 8 * n
    tracemalloc.start()
    try:
        value = k.finalize(state)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # on top of the held hashes: the sorted copy (8 B/row), one slice's two masks, the duplicated hashes
    bound = 8 * n + 2 * hashing._SCAN_ROWS + 8 * value["groups"] + (1 << 20)
    assert peak <= bound, (peak / n, bound / n)
    assert value["duplicate_rows"] == int(pd.Series(ids).duplicated().sum())


def test_collisions_are_the_only_inexactness():
    """Two rows with equal hashes count as duplicates: the documented 64-bit collision risk."""
    k = RowHashes(("a",))
    state = (hashing._write((), 0, 3, np.array([5, 7, 5], dtype=np.uint64), None),)
    assert k.finalize(state)["duplicate_rows"] == 1 and k.finalize(state)["examples"] == [[0, 2]]
    assert "64-bit" in k.method and hashing.__doc__ and "n^2 / 2^65" in hashing.__doc__


def test_a_state_updated_twice_is_not_changed_by_either_update():
    """Blocks are shared by successive states; a second update from the same state must not
    overwrite the rows the first one wrote (states are values)."""
    k = RowHashes(("a",))
    b1 = pa.record_batch({"a": [1, 2]})
    s = k.update(k.init(), BatchView(b1, 0))
    left = k.update(s, BatchView(pa.record_batch({"a": [1, 1]}), 2))
    right = k.update(s, BatchView(pa.record_batch({"a": [3, 4]}), 2))
    assert k.finalize(right)["duplicate_rows"] == 0
    assert k.finalize(left)["duplicate_rows"] == 2 and k.finalize(left)["examples"] == [[0, 2, 3]]
    assert k.finalize(s)["rows"] == 2
    back = k.loads(k.dumps(left))
    assert k.finalize(back) == k.finalize(left)
