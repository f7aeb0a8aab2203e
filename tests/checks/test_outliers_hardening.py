"""outliers: evidence_rows 0 is a valid value; robust_z is exact and the same on every run."""

import numpy as np
import pandas as pd
import pytest

import datacheck


@pytest.mark.parametrize("method", ["iqr", "zscore", "robust_z"])
def test_evidence_rows_zero_judges_without_evidence(method):
    x = np.r_[np.random.default_rng(0).normal(size=300), 80.0]
    r = datacheck.run(
        pd.DataFrame({"x": x}),
        {"name": "s", "checks": [{"outliers": {"method": method, "evidence_rows": 0, "max_fraction": 0.0}}]},
    ).results[0]
    assert r.status == "fail" and r.evidence is None and r.observed["count"] >= 1


def test_robust_z_is_exact_and_repeatable():
    x = np.random.default_rng(0).standard_t(3, size=50_000)
    med = np.median(x)
    mad = np.median(np.abs(x - med))
    expect = int(np.sum(np.abs(x - med) > 3.5 * 1.4826 * mad))
    seen = set()
    for _ in range(5):
        r = datacheck.run(pd.DataFrame({"x": x}), {"name": "s", "checks": [{"outliers": {"method": "robust_z"}}]})
        res = r.results[0]
        seen.add((res.observed["count"], res.details["mad"]))
    assert seen == {(expect, mad)}


def test_robust_z_silent_on_clean_normal_data():
    x = np.random.default_rng(1).normal(size=20_000)
    r = datacheck.run(pd.DataFrame({"x": x}), {"name": "s", "checks": [{"outliers": {"method": "robust_z"}}]})
    assert r.results[0].status == "pass"
