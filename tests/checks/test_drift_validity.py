"""Statistical validity of the default drift check on real data (Adult, shipped in mglearn).

* untouched random splits: the default check fails in at most 5% of splits;
* injected shifts of stated sizes are caught (docs/shift.md records sizes vs n).
"""

from __future__ import annotations

import numpy as np
import pytest

import datacheck

SUITE = {"name": "validity", "dataset": {"label": "income"}, "checks": ["drift"]}


def _split(df, rng, n=None):
    idx = rng.permutation(len(df))
    half = len(df) // 2 if n is None else n
    return (
        df.iloc[idx[:half]].reset_index(drop=True),
        df.iloc[idx[half : half + (half if n else len(df))]].reset_index(drop=True),
    )


@pytest.mark.slow
@pytest.mark.parametrize("n", [None, 1000], ids=["half-splits", "1000-per-side"])
def test_untouched_splits_fail_at_most_5_percent(adult, n):
    rng = np.random.default_rng(2024)
    fails, col_rejections, n_tests = 0, 0, 0
    for _ in range(100):
        ref, cur = _split(adult, rng, n)
        rep = datacheck.run(cur, SUITE, reference=ref)
        fails += not rep.passed
        col_rejections += sum(r.p_value < 0.05 for r in rep.results if r.p_value is not None)
        n_tests += sum(r.p_value is not None for r in rep.results)
    print(f"{fails} of 100 untouched splits failed (n per side: {n or 'half'})")
    assert fails <= 5, f"{fails} of 100 untouched splits failed"
    # the per-column tests themselves are calibrated or conservative
    assert col_rejections / n_tests <= 0.07


def _shifted(adult, seed, n, change):
    rng = np.random.default_rng(seed)
    ref, cur = _split(adult, rng, n)
    return ref, change(cur.copy(), rng)


def mean_shift(cur, rng, sd=0.2, col="hours-per-week", ref_sd=12.35):
    cur[col] = cur[col] + sd * ref_sd
    return cur


def scale_change(cur, rng, col="age", factor=1.5):
    m = 38.6
    cur[col] = m + (cur[col] - m) * factor
    return cur


def new_category(cur, rng, col="occupation", share=0.02):
    k = int(round(share * len(cur)))
    cur.loc[rng.choice(len(cur), k, replace=False), col] = "Gig-worker"
    return cur


def unit_change(cur, rng):
    cur["fnlwgt"] = cur["fnlwgt"] / 1000.0  # weights reported in thousands
    return cur


@pytest.mark.parametrize(
    "change,column,n",
    [
        (mean_shift, "hours-per-week", 2000),
        (scale_change, "age", 1000),
        (new_category, "occupation", 2000),
        (unit_change, "fnlwgt", 200),
    ],
)
def test_injected_shifts_are_caught(adult, change, column, n):
    caught = other = 0
    for seed in range(5):
        ref, cur = _shifted(adult, seed, n, change)
        rep = datacheck.run(cur, SUITE, reference=ref)
        r = rep.select(column=column)[0]
        caught += r.status == "fail"
        # untouched columns: BH keeps the chance of any false alarm per split near 5%
        other += any(x.status == "fail" for x in rep.results if x.column != column)
    assert caught >= 4, f"{change.__name__} caught in {caught}/5 at n={n}"
    assert other <= 1, f"untouched columns failed in {other}/5 splits"


def test_both_directions_on_one_split(adult):
    rng = np.random.default_rng(0)
    ref, cur = _split(adult, rng)
    assert datacheck.run(cur, SUITE, reference=ref).passed
    bad = mean_shift(cur.copy(), rng)
    rep = datacheck.run(bad, SUITE, reference=ref)
    assert [r.column for r in rep.failures] == ["hours-per-week"]
