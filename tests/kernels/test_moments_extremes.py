"""Moments of large but finite values do not overflow (scaled by powers of two), and stay mergeable."""

from functools import reduce

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import datacheck
from datacheck.kernels import mathstats as ms


@pytest.mark.parametrize("scale", [1e102, 1e200, 1e300, 1e307])
def test_moments_of_huge_values_match_scipy_on_rescaled_data(scale):
    rng = np.random.default_rng(3)
    x = rng.normal(size=600) * scale + scale / 3
    m = reduce(ms.merge_moments, [ms.batch_moments(x[i : i + 70]) for i in range(0, x.size, 70)], ms.EMPTY)
    y = x / scale
    np.testing.assert_allclose(ms.std(m) / scale, np.std(y, ddof=1), rtol=1e-9)
    np.testing.assert_allclose(ms.skewness(m), stats.skew(y), rtol=1e-7)
    np.testing.assert_allclose(ms.excess_kurtosis(m), stats.kurtosis(y), rtol=1e-7)


def test_five_element_states_from_older_profiles_still_merge():
    a = ms.batch_moments(np.arange(5.0))
    old = a[:5]
    np.testing.assert_allclose(ms.merge_moments(old, a)[:5], ms.merge_moments(a, a)[:5])


@pytest.mark.parametrize("check", ["range", "skew", "outliers"])
def test_checks_judge_huge_values_instead_of_erroring(check):
    rng = np.random.default_rng(0)
    x = rng.normal(size=400) * 1e150
    x[7] = 1e154  # far out
    params = {"columns": "x"}
    if check == "range":
        params.update(min=-1e153, max=1e153)
    if check == "outliers":
        params.update(method="zscore", max_fraction=0.0)
    r = datacheck.run(pd.DataFrame({"x": x}), {"name": "s", "checks": [{check: params}]}).results
    assert [x.status for x in r if x.status == "error"] == [], [x.message for x in r]
    if check in ("range", "outliers"):
        assert r[0].status == "fail"
    if check == "range":
        assert r[0].observed["above"] == 1


def test_values_at_both_float_limits_do_not_break_checks():
    df = pd.DataFrame({"x": [1.7e308, -1.7e308, 0.0, 1.0, 5e-324]})
    for method in ("iqr", "zscore", "robust_z"):
        r = datacheck.run(
            df, {"name": "s", "checks": [{"outliers": {"method": method}}, "skew", {"range": {"max": 1}}]}
        ).results
        assert not [x.message for x in r if x.status == "error"]
        assert r[-1].status == "fail" and r[-1].observed["above"] == 1
