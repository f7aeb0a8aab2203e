"""drift: statistics against exact scipy/numpy computations, the decision rule in both directions,
methods, parameters and errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import datacheck
from datacheck.errors import SuiteError


def _run(cur, ref, **params):
    return datacheck.run(cur, {"name": "t", "checks": [{"drift": params}]}, reference=ref)


@pytest.fixture(scope="module")
def normal_pair():
    rng = np.random.default_rng(7)
    return rng.normal(size=20_000), rng.normal(0.03, 1.0, 30_000)


def test_ks_and_wasserstein_match_scipy(normal_pair):
    x, y = normal_pair
    r = _run(pd.DataFrame({"x": y}), pd.DataFrame({"x": x}), numeric_method="ks").results[0]
    d = stats.ks_2samp(x, y)
    # D at the fine edges is a lower bound within the stated resolution, and never above the exact D
    assert r.details["ks"] <= d.statistic + 1e-12
    assert d.statistic - r.details["ks"] <= r.details["ks_resolution"] + 1e-12
    assert r.details["ks_resolution"] < 0.002
    assert r.p_value == pytest.approx(stats.ks_2samp(x, y, method="asymp").pvalue, rel=0.3)
    w = stats.wasserstein_distance(x, y)
    assert abs(r.details["wasserstein_raw"] - w) <= r.details["wasserstein_error"] + 1e-9
    assert abs(r.details["wasserstein_raw"] - w) < 0.005


def test_discrete_columns_are_exact():
    rng = np.random.default_rng(1)
    x, y = rng.integers(0, 50, 5000), rng.integers(0, 52, 4000)
    r = _run(pd.DataFrame({"x": y}), pd.DataFrame({"x": x}), numeric_method="ks").results[0]
    assert r.details["ks"] == pytest.approx(stats.ks_2samp(x, y).statistic, abs=1e-12)
    assert r.details["ks_resolution"] == 0
    assert r.details["wasserstein_raw"] == pytest.approx(stats.wasserstein_distance(x, y), rel=1e-9)


def test_psi_js_chi2_on_reference_quantile_bins():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=10_000), rng.normal(0.3, 1, 10_000)
    r = _run(pd.DataFrame({"x": y}), pd.DataFrame({"x": x}), numeric_method="psi").results[0]
    b = r.details["bins"]
    assert len(b["ref"]) == 10 and sum(b["ref"]) == 10_000 and sum(b["cur"]) == 10_000
    # equal-mass reference bins (up to the fine-bin granularity)
    assert max(b["ref"]) - min(b["ref"]) < 60
    p = (np.array(b["ref"]) + 0.5) / (10_000 + 5)
    q = (np.array(b["cur"]) + 0.5) / (10_000 + 5)
    assert r.effect_size == pytest.approx(float(np.sum((q - p) * np.log(q / p))), rel=1e-9)
    chi2 = stats.chi2_contingency(np.array([b["ref"], b["cur"]]), correction=False)
    assert r.p_value == pytest.approx(chi2.pvalue, rel=1e-6, abs=1e-300)
    js = _run(pd.DataFrame({"x": y}), pd.DataFrame({"x": x}), numeric_method="jensen_shannon").results[0]
    from scipy.spatial.distance import jensenshannon

    assert js.effect_size == pytest.approx(jensenshannon(b["ref"], b["cur"], base=2), rel=1e-9)


def test_categorical_statistics_match_scipy():
    rng = np.random.default_rng(3)
    ref = rng.choice(list("abcd"), 8000, p=[0.4, 0.3, 0.2, 0.1])
    cur = rng.choice(list("abcd"), 6000, p=[0.3, 0.3, 0.25, 0.15])
    out = {}
    for m in ("chi2", "jensen_shannon", "linf", "psi"):
        out[m] = _run(pd.DataFrame({"c": cur}), pd.DataFrame({"c": ref}), categorical_method=m).results[0]
    tab = np.array([[np.sum(ref == k) for k in "abcd"], [np.sum(cur == k) for k in "abcd"]])
    chi = stats.chi2_contingency(tab, correction=False)
    assert out["chi2"].details["chi2"] == pytest.approx(chi.statistic)
    assert out["chi2"].effect_size == pytest.approx(stats.contingency.association(tab, method="cramer"))
    pr, pc = tab[0] / tab[0].sum(), tab[1] / tab[1].sum()
    assert out["linf"].effect_size == pytest.approx(np.abs(pr - pc).max())
    from scipy.spatial.distance import jensenshannon

    assert out["jensen_shannon"].effect_size == pytest.approx(jensenshannon(pr, pc, base=2))
    for r in out.values():  # significant everywhere: the verdict follows the effect size
        assert r.observed["q_value"] < 1e-6
        assert (r.status == "fail") == (r.effect_size > r.expected["threshold"])
    assert out["jensen_shannon"].status == "fail"


def test_trivial_shift_at_large_n_passes_real_shift_fails():
    rng = np.random.default_rng(4)
    n = 200_000
    ref = pd.DataFrame({"x": rng.normal(size=n)})
    trivial = pd.DataFrame({"x": rng.normal(0.03, 1, n)})  # significant at this n, but 0.03 SD
    r = _run(trivial, ref).results[0]
    assert r.observed["q_value"] < 1e-6 and r.effect_size < 0.1
    assert r.status == "pass"
    real = pd.DataFrame({"x": rng.normal(0.25, 1, n)})
    assert _run(real, ref).results[0].status == "fail"


def test_small_n_noise_passes_and_reports_mde():
    rng = np.random.default_rng(5)
    ref, cur = pd.DataFrame({"x": rng.normal(size=60)}), pd.DataFrame({"x": rng.normal(size=60)})
    r = _run(cur, ref).results[0]
    assert r.status == "pass"
    assert r.details["mde"] > 0.1 and r.details["underpowered"] and "underpowered" in r.message
    # a large shift is still caught at this n
    big = pd.DataFrame({"x": rng.normal(1.5, 1, 60)})
    assert _run(big, ref).results[0].status == "fail"


def test_bh_correction_across_columns():
    rng = np.random.default_rng(6)
    n = 400
    ref = pd.DataFrame({f"x{i}": rng.normal(size=n) for i in range(20)})
    cur = pd.DataFrame({f"x{i}": rng.normal(size=n) for i in range(20)})
    cur["x0"] = rng.normal(0.3, 1, n)
    rep = _run(cur, ref)
    ps = np.array([r.p_value for r in rep.results])
    qs = np.array([r.observed["q_value"] for r in rep.results])
    np.testing.assert_allclose(qs, datacheck.stats.benjamini_hochberg(ps))
    assert (qs >= ps - 1e-15).all()


def test_new_category_and_warn_severity():
    rng = np.random.default_rng(8)
    ref = pd.DataFrame({"c": rng.choice(["a", "b", "c"], 10_000)})
    cur = ref.copy()
    cur.loc[:299, "c"] = "new"  # 3% of rows
    r = _run(cur, ref, severity="warn").results[0]
    assert r.status == "warn" and r.effect_size > 0.05
    assert "new" in r.details["categories"]["labels"]


def test_identical_data_passes_every_method():
    rng = np.random.default_rng(9)
    df = pd.DataFrame(
        {
            "x": rng.normal(size=3000),
            "c": rng.choice(["a", "b"], 3000),
            "d": pd.date_range("2020-01-01", periods=3000, freq="h"),
            "b": rng.random(3000) < 0.3,
        }
    )
    for nm, cm in zip(("wasserstein", "ks", "psi", "jensen_shannon"), ("jensen_shannon", "chi2", "psi", "linf")):
        if True:
            rep = _run(df, df, numeric_method=nm, categorical_method=cm)
            assert [r.status for r in rep.results] == ["pass"] * 4
            assert all(r.effect_size == pytest.approx(0, abs=1e-9) for r in rep.results if nm != "psi" and cm != "psi")


def test_datetime_column_drift():
    ref = pd.DataFrame({"d": pd.date_range("2020-01-01", periods=2000, freq="h")})
    cur = pd.DataFrame({"d": pd.date_range("2021-01-01", periods=2000, freq="h")})
    assert _run(cur, ref).results[0].status == "fail"


def test_errors_skips_and_params():
    ref = pd.DataFrame({"x": [1.0, 2.0, 3.0] * 50, "s": ["a", "b", "c"] * 50, "id": range(150)})
    cur = pd.DataFrame({"x": ["1", "2", "3"] * 50, "s": ["a", "b", "c"] * 50, "id": range(150), "z": [1.0] * 150})
    suite = {"name": "t", "dataset": {"id": "id"}, "checks": ["drift"]}
    rep = datacheck.run(cur, suite, reference=ref)
    by = {r.column: r for r in rep.results}
    assert by["x"].status == "error" and "changed type" in by["x"].message
    assert by["z"].status == "error" and "not in the reference" in by["z"].message
    assert "id" not in by  # role columns are selected by name only (issue 10)
    assert by["s"].status == "pass"
    assert datacheck.run(cur, suite).results[0].status == "skipped"  # no reference
    with pytest.raises(SuiteError, match="numeric_method"):
        datacheck.load_suite({"name": "t", "checks": [{"drift": {"numeric_method": "kl"}}]})
    with pytest.raises(SuiteError, match="alpha"):
        datacheck.load_suite({"name": "t", "checks": [{"drift": {"alpha": 1.5}}]})


def test_input_not_modified():
    rng = np.random.default_rng(10)
    ref = pd.DataFrame({"x": rng.normal(size=500), "c": rng.choice(["a", "b"], 500)})
    cur = ref.sample(frac=1.0, random_state=0)
    before = (ref.copy(), cur.copy())
    _run(cur, ref)
    pd.testing.assert_frame_equal(ref, before[0])
    pd.testing.assert_frame_equal(cur, before[1])


def test_report_serialises_and_figures_draw(tmp_path):
    from datacheck.figures.shift import shift_distributions, shift_effect_sizes

    rng = np.random.default_rng(11)
    ref = pd.DataFrame({"x": rng.normal(size=2000), "c": rng.choice(["a", "b"], 2000)})
    cur = pd.DataFrame({"x": rng.normal(1, 1, 2000), "c": rng.choice(["a", "b", "z"], 2000)})
    rep = datacheck.run(cur, {"name": "t", "checks": ["drift"]}, reference=ref)
    rep.to_json(str(tmp_path / "r.json"))
    assert shift_distributions(rep).axes
    assert shift_effect_sizes(rep) is not None
    from datacheck.figures import figures_for

    names = {f.name for f in figures_for(rep)}
    assert {"shift_distributions", "shift_effect_sizes"} <= names


# -- small-sample calibration of the chi-square behind numeric psi / jensen_shannon ------------

_BOTH = {"name": "t", "checks": [{"drift": {"numeric_method": "psi"}}, {"drift": {"numeric_method": "jensen_shannon"}}]}


def _psi_js_rates(n_ref, n_cur, shift, runs, seed):
    """(P(p < 0.05), psi fail rate, js fail rate) over seeded runs of N(0, 1) vs N(shift, 1)."""
    rng = np.random.default_rng(seed)
    small_p = fails_psi = fails_js = 0
    for _ in range(runs):
        ref = pd.DataFrame({"x": rng.normal(size=n_ref)})
        cur = pd.DataFrame({"x": rng.normal(shift, 1.0, n_cur)})
        psi, js = datacheck.run(cur, _BOTH, reference=ref).results
        assert psi.p_value == js.p_value  # one chi-square on the same bins
        small_p += psi.p_value < 0.05
        fails_psi += psi.status == "fail"
        fails_js += js.status == "fail"
    return small_p / runs, fails_psi / runs, fails_js / runs


@pytest.mark.parametrize("n", [30, 40, 60, 100])
def test_numeric_chi2_is_calibrated_at_small_n(n):
    """Identical distributions: the bins are pooled by reference shares only, so the test stays at its
    level (pooling by observed totals merged exactly the deviating bins: 18% at n = 30, 27% at 40)."""
    p_rate, psi_rate, js_rate = _psi_js_rates(n, n, 0.0, runs=600, seed=n)  # 0.040, 0.045, 0.023, 0.055
    assert p_rate <= 0.07 and psi_rate <= 0.07 and js_rate <= 0.07, (p_rate, psi_rate, js_rate)


@pytest.mark.parametrize("n, shift, least", [(30, 1.5, 0.9), (60, 1.0, 0.85), (100, 1.0, 0.97)])
def test_numeric_chi2_keeps_power(n, shift, least):
    p_rate, psi_rate, js_rate = _psi_js_rates(n, n, shift, runs=60, seed=100 + n)
    assert p_rate >= least and psi_rate >= least and js_rate >= least, (p_rate, psi_rate, js_rate)


def test_numeric_chi2_pools_by_reference_shares_only():
    from datacheck.stats.distances import pool_by_reference as _pool_by_reference

    r = np.array([3] * 10)
    for c in (np.array([7, 1, 1, 1, 0, 3, 5, 9, 3, 0]), np.array([3] * 10)):
        pr, pc = _pool_by_reference(r, c)
        assert pr.tolist() == [6] * 5 and pc.sum() == c.sum()  # same groups whatever the current counts
    pr, _ = _pool_by_reference(np.array([0, 4, 4, 4, 4, 4, 2]), np.arange(7))
    assert pr.tolist() == [8, 8, 6]  # empty tail bin joins its neighbour, short last group the one before
    pr, _ = _pool_by_reference(np.array([50, 50]), np.array([5, 5]))
    assert pr.tolist() == [50, 50]  # expected counts on the smaller (current) side: 5 each
