"""The distances and AUC maths of datacheck.stats against scipy and scikit-learn's own
implementations (inference is covered by tests/test_stats.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special, stats
from scipy.spatial.distance import jensenshannon
from sklearn.metrics import roc_auc_score

from datacheck.stats import auc_estimate, auc_interval, auc_test, auc_variance_floor, binned_auc
from datacheck.stats import distances as d


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_chi2_test_matches_chi2_contingency(seed):
    rng = np.random.default_rng(seed)
    for k in (2, 3, 7):
        r, c = rng.integers(5, 200, k), rng.integers(5, 200, k)
        stat, p, df = d.chi2_test(r, c, pool=False)
        ref = stats.chi2_contingency(np.array([r, c]), correction=True)  # Yates at df = 1, as ours
        assert (stat, p, df) == pytest.approx((ref.statistic, ref.pvalue, ref.dof), rel=1e-10)


def test_jensen_shannon_and_psi_match_scipy():
    rng = np.random.default_rng(3)
    r, c = rng.integers(0, 50, 12), rng.integers(1, 50, 12)
    assert d.jensen_shannon(r, c) == pytest.approx(jensenshannon(r / r.sum(), c / c.sum(), base=2), abs=1e-12)
    # PSI is the symmetrised Kullback-Leibler divergence (with a Jeffreys 0.5 per bin and side)
    p, q = (r + 0.5) / (r + 0.5).sum(), (c + 0.5) / (c + 0.5).sum()
    assert d.psi(r, c) == pytest.approx(float(np.sum(special.rel_entr(q, p) + special.rel_entr(p, q))))


def test_atoms_w1_matches_wasserstein_distance():
    rng = np.random.default_rng(4)
    u, v = rng.normal(size=30), rng.normal(0.5, 2, size=40)
    wu, wv = rng.random(30), rng.random(40)
    ours = d.atoms_w1(u, wu / wu.sum(), v, wv / wv.sum())
    assert ours == pytest.approx(stats.wasserstein_distance(u, v, wu, wv), rel=1e-10)


def test_ks_pvalue_matches_ks_2samp_asymptotic():
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=700), rng.normal(0.1, 1, size=500)
    ref = stats.ks_2samp(x, y, method="asymp")
    assert d.ks_pvalue(ref.statistic, len(x), len(y)) == pytest.approx(ref.pvalue, rel=1e-6)
    # the test's critical value is the minimum detectable KS distance
    dcrit = d.min_detectable_effect("ks", len(x), len(y), 0.05, 1)
    assert d.ks_pvalue(dcrit, len(x), len(y)) == pytest.approx(0.05, rel=1e-6)


def test_pool_by_reference_keeps_totals_and_expected_counts():
    r, c = np.array([1, 2, 30, 1, 1, 40, 2]), np.array([0, 5, 20, 3, 0, 30, 1])
    pr, pc = d.pool_by_reference(r, c)
    assert pr.sum() == r.sum() and pc.sum() == c.sum()
    assert np.all(pr * min(r.sum(), c.sum()) / r.sum() >= 5)


@pytest.mark.parametrize("seed", [0, 1])
def test_binned_auc_matches_roc_auc_score_and_mann_whitney(seed):
    rng = np.random.default_rng(seed)
    y = rng.random(600) < 0.3
    s = np.round(rng.normal(y * 0.8, 1.0), 1)  # ties: many rows share a score
    bins = np.unique(s)
    idx = np.searchsorted(bins, s)
    pos = np.bincount(idx[y], minlength=bins.size)
    neg = np.bincount(idx[~y], minlength=bins.size)
    auc, var, bound = binned_auc(pos, neg)
    assert auc == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    u = stats.mannwhitneyu(s[y], s[~y]).statistic
    assert auc == pytest.approx(u / (y.sum() * (~y).sum()), abs=1e-12)
    # DeLong's variance from placement values, computed row by row
    sp, sn = s[y], s[~y]
    v10 = np.array([np.mean(sn < a) + 0.5 * np.mean(sn == a) for a in sp])
    v01 = np.array([np.mean(sp > b) + 0.5 * np.mean(sp == b) for b in sn])
    assert var == pytest.approx(v10.var(ddof=1) / len(sp) + v01.var(ddof=1) / len(sn), rel=1e-9)
    assert 0 <= bound <= 0.5
    a2, v2, _ = auc_estimate(pos, neg)
    assert a2 == auc and v2 >= var


def test_auc_interval_test_and_floor():
    lo, hi = auc_interval(0.8, 0.0004, 0.95)
    assert lo < 0.8 < hi and 0 < lo and hi < 1
    # two-sided z without tolerances
    p, how = auc_test(0.8, 0.0004, 0.75, 0.0004)
    assert p == pytest.approx(2 * stats.norm.sf(0.05 / math.sqrt(0.0008))) and how.startswith("z")
    assert auc_variance_floor(1.0, 3, 27) > 0 and math.isnan(auc_variance_floor(0.5, 0, 10))
