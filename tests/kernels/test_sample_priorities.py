"""Row priorities (the seeded hash every bottom-k sample ranks rows by) and the bottom-k rows of a
whole column: the in-place, block-at-a-time code must give the same bits as splitmix64 written out
on Python integers, and the same rows as a full sort of every priority."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datacheck.kernels.sample import _BLOCK, bottom_rows, priorities, range_priorities

MASK = (1 << 64) - 1


def splitmix64(position: int, seed: int) -> int:
    """The definition, on Python integers (wrapping at 2**64 by hand)."""
    z = (position + seed * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


@settings(max_examples=60, deadline=None)
@given(
    positions=st.lists(st.integers(0, 2**62), max_size=50),
    seed=st.integers(0, 2**40),
)
def test_priorities_are_splitmix64(positions, seed):
    got = priorities(np.array(positions, dtype=np.int64), seed)
    assert got.dtype == np.uint64
    assert got.tolist() == [splitmix64(p, seed) for p in positions]


@pytest.mark.parametrize("n", [0, 1, _BLOCK - 1, _BLOCK, _BLOCK + 1, 3 * _BLOCK + 5])
def test_blocks_join_without_seams(n):
    """Positions on both sides of every block boundary hash as they would alone."""
    pos = np.arange(10, 10 + n, dtype=np.int64)
    whole = priorities(pos, 3)
    assert whole.size == n
    for i in {0, _BLOCK - 1, _BLOCK, n - 1} & set(range(n)):
        assert int(whole[i]) == splitmix64(int(pos[i]), 3)
    assert np.array_equal(range_priorities(10, 10 + n, 3), whole)


def test_the_input_is_not_modified():
    pos = np.arange(100, dtype=np.int64)
    priorities(pos, 1)
    assert np.array_equal(pos, np.arange(100))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 5_000), k=st.integers(1, 600), seed=st.integers(0, 1_000))
def test_bottom_rows_are_the_k_smallest(n, k, seed):
    rows, pr = bottom_rows(n, seed, k)
    every = priorities(np.arange(n), seed)
    expected = np.sort(np.argsort(every)[:k])
    assert np.array_equal(rows, expected)
    assert np.array_equal(pr, every[expected])
    assert rows.dtype == np.int64


def test_bottom_rows_across_many_blocks(monkeypatch):
    """Small blocks force the running limit and the repeated cut back to k."""
    import datacheck.kernels.sample as sample

    monkeypatch.setattr(sample, "_SELECT_BLOCK", 64)
    n, k = 20_000, 50
    rows, pr = sample.bottom_rows(n, 9, k)
    every = priorities(np.arange(n), 9)
    assert np.array_equal(rows, np.sort(np.argsort(every)[:k]))
    assert np.array_equal(pr, every[rows])
