"""``outliers``: counts and fences against numpy on the same data; evidence is the true extremes."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import datacheck


def run(df, **params):
    return datacheck.run(df, {"name": "t", "checks": [{"outliers": params}]}).results


def data(seed=0, n=20_000, outliers=60):
    rng = np.random.default_rng(seed)
    x = rng.normal(10, 2, n)
    idx = rng.choice(n, outliers, replace=False)
    x[idx] = rng.choice([-1, 1], outliers) * rng.uniform(30, 300, outliers) + 10
    return x


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("k", [1.5, 3.0])
def test_iqr_fences_and_counts_exact_vs_numpy(seed, k):
    x = data(seed)
    r = run(pd.DataFrame({"x": x}), columns="x", method="iqr", k=k, max_fraction=0.01)[0]
    q1, med, q3 = np.quantile(x, [0.25, 0.5, 0.75])
    lo, hi = q1 - k * (q3 - q1), q3 + k * (q3 - q1)
    assert r.details["q1"] == pytest.approx(q1, rel=1e-12)
    assert r.details["q3"] == pytest.approx(q3, rel=1e-12)
    assert r.details["median"] == pytest.approx(med, rel=1e-12)
    assert r.details["fences"] == pytest.approx([lo, hi], rel=1e-12)
    assert "exact" in r.method
    assert r.observed["below"] == np.count_nonzero(x < lo)
    assert r.observed["above"] == np.count_nonzero(x > hi)
    assert r.observed["fraction"] == pytest.approx(np.count_nonzero((x < lo) | (x > hi)) / x.size)


def test_iqr_with_nan_inf_and_integers():
    rng = np.random.default_rng(4)
    x = rng.integers(0, 100, 5000).astype(float)
    x[:5] = [1000, -1000, np.nan, np.inf, -np.inf]
    r = run(pd.DataFrame({"x": x}), columns="x")[0]
    f = x[np.isfinite(x)]
    q1, q3 = np.quantile(f, [0.25, 0.75])
    lo, hi = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
    assert r.details["fences"] == pytest.approx([lo, hi])
    # +/-inf are beyond any finite fence; NaN is missing
    assert r.observed["below"] == np.count_nonzero(f < lo) + 1
    assert r.observed["above"] == np.count_nonzero(f > hi) + 1


def test_zscore_counts_vs_numpy():
    x = data(3)
    r = run(pd.DataFrame({"x": x}), columns="x", method="zscore", max_fraction=0.01)[0]
    m, sd = x.mean(), x.std(ddof=1)
    z = np.abs((x - m) / sd)
    assert r.details["mean"] == pytest.approx(m, rel=1e-12)
    assert r.details["std"] == pytest.approx(sd, rel=1e-12)
    assert r.observed["count"] == np.count_nonzero(z > 3)
    assert r.observed["count"] == np.count_nonzero(np.abs(stats.zscore(x, ddof=1)) > 3)


def test_robust_z_vs_numpy():
    """Median and MAD exact (the sketch's brackets refined; issue 15: a MAD read from the unseeded
    sketch differed run to run): the counts are those of the exact numpy computation."""
    rng = np.random.default_rng(6)
    core = rng.uniform(-1, 1, 20_000)
    far = np.r_[rng.uniform(20, 40, 30), rng.uniform(-40, -20, 20)]
    x = np.r_[core, far]
    rng.shuffle(x)
    r = run(pd.DataFrame({"x": x}), columns="x", method="robust_z", max_fraction=0.001)[0]
    med = np.median(x)
    mad = np.median(np.abs(x - med))
    assert r.details["median"] == pytest.approx(med, rel=1e-12)
    assert r.details["mad"] == mad
    assert "MAD exact" in r.method
    z = np.abs(x - med) / (1.4826 * mad)
    assert r.observed["count"] == np.count_nonzero(z > 3.5) == 50
    assert (r.observed["below"], r.observed["above"]) == (20, 30)
    assert r.status == "fail"


def test_evidence_rows_are_the_most_extreme():
    x = data(7, n=5000, outliers=40)
    r = run(pd.DataFrame({"x": x}), columns="x", evidence_rows=10, max_fraction=0.5)[0]
    med = np.quantile(x, 0.5)
    q1, q3 = np.quantile(x, [0.25, 0.75])
    lo, hi = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
    outl = np.flatnonzero((x < lo) | (x > hi))
    top = outl[np.argsort(-np.abs(x[outl] - med), kind="stable")][:10]
    assert [e["row"] for e in r.evidence] == top.tolist()
    assert [e["value"] for e in r.evidence] == x[top].tolist()
    assert r.status == "pass"


def test_pass_on_clean_data_and_constant_column():
    rng = np.random.default_rng(8)
    r = run(pd.DataFrame({"x": rng.uniform(0, 1, 3000), "c": np.ones(3000)}), max_fraction=0.0)
    assert [x.status for x in r] == ["pass", "skipped"]
    assert "no spread" in r[1].message


@pytest.mark.parametrize("method", ["iqr", "robust_z"])
def test_zero_width_fences_never_flag_dummies_or_spikes(method):
    """Issue 10: fences of width zero ([0, 0], [1, 1]) made every minority value an outlier (48% of a
    0/1 label). A dummy is judged on its 5-95% range; a spike of 90%+ is skipped with the reason."""
    rng = np.random.default_rng(3)
    n = 4000
    df = pd.DataFrame(
        {
            "dummy": (rng.random(n) < 0.3).astype(int),
            "zero_inflated": np.where(rng.random(n) < 0.6, 0, rng.poisson(3, n)),
            "spike": (rng.random(n) < 0.03).astype(int),
        }
    )
    r = {x.column: x for x in run(df, method=method)}
    if method == "iqr":  # IQR 0 to 1: fences [-1.5, 2.5]
        assert r["dummy"].status == "pass" and r["dummy"].observed["count"] == 0
    else:  # 70% zeros: MAD 0, no spread to set fences by
        assert r["dummy"].status == "skipped"
    assert r["zero_inflated"].status == ("pass" if method == "iqr" else "skipped")  # 60% zeros: MAD 0
    assert r["spike"].status == "skipped" and "at least half" in r["spike"].message


def test_zero_width_fallback_still_finds_glitches():
    rng = np.random.default_rng(4)
    x = np.where(rng.random(4000) < 0.6, 0.0, rng.poisson(3, 4000).astype(float))
    x[:400] = 1e6  # 10% glitched values
    r = run(pd.DataFrame({"x": x}))[0]
    # the default threshold describes (warn); the same finding gates once the suite sets it
    assert r.status == "warn" and r.observed["above"] >= 400 and "advisory" in r.details, r.message
    assert run(pd.DataFrame({"x": x}), max_fraction=0.05)[0].status == "fail"


def test_fail_when_fraction_exceeded_and_warn_severity():
    x = data(9, n=1000, outliers=100)
    assert run(pd.DataFrame({"x": x}), columns="x", max_fraction=0.05)[0].status == "fail"
    assert run(pd.DataFrame({"x": x}), columns="x", max_fraction=0.05, severity="warn")[0].status == "warn"


def test_streamed_many_batches_same_counts(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    x = data(10, n=30_000)
    pq.write_table(pa.table({"x": x}), tmp_path / "x.parquet", row_group_size=1000)
    mem = run(pd.DataFrame({"x": x}), columns="x")[0]
    rep = datacheck.run(
        tmp_path / "x.parquet", {"name": "t", "checks": [{"outliers": {"columns": "x"}}]}, batch_rows=777
    )
    st = rep.results[0]
    assert st.observed == mem.observed and st.details["fences"] == mem.details["fences"]
    assert st.evidence == mem.evidence


def test_histogram_edges_sit_on_the_fences_whatever_the_tail():
    """One extreme value must not stretch equal-width bins across the fences (issue 14)."""
    import math

    import numpy as np
    import pandas as pd

    import datacheck

    rng = np.random.default_rng(3)
    x = np.r_[rng.normal(40, 5, 5000), [1e6]]
    r = datacheck.run(pd.DataFrame({"x": x}), {"name": "s", "checks": [{"outliers": {"columns": "x"}}]}).results[0]
    lo, hi = r.details["fences"]
    edges, counts = r.details["hist_edges"], r.details["hist_counts"]
    assert lo in edges and math.nextafter(hi, math.inf) in edges
    beyond = sum(n for a, b, n in zip(edges[:-1], edges[1:], counts) if b <= lo or a > hi)
    assert beyond == r.observed["below"] + r.observed["above"]
    inside = [n for a, b, n in zip(edges[:-1], edges[1:], counts) if a >= lo and b <= math.nextafter(hi, math.inf)]
    assert sum(1 for n in inside if n > 0) >= 20  # the inside keeps its resolution


@pytest.mark.parametrize("by_column", [True, False])
def test_iqr_fence_counts_share_the_quartiles_pass(by_column, monkeypatch):
    """Counts beyond exact Tukey fences come from the quartiles' exact round (2 passes over the rows,
    not 3, when no column is held whole; one read a column at a time when the table is in memory),
    equal to numpy's, with the histogram's edges on the fences (issue 11)."""
    import math

    import numpy as np
    import pandas as pd

    import datacheck
    import datacheck.runner as runner

    if not by_column:
        monkeypatch.setattr(runner, "column_rounds", lambda *a, **k: False)

    rng = np.random.default_rng(11)
    n = 60_000
    frame = pd.DataFrame(
        {
            "normal": np.r_[rng.normal(size=n - 3), [40.0, -50.0, np.inf]],
            "skewed": rng.exponential(size=n),  # the low fence is below every value
            "ties": rng.integers(0, 9, size=n).astype(float),
            "counts": rng.poisson(3, size=n),
        }
    )
    rep = datacheck.run(frame, {"name": "s", "checks": [{"outliers": {"columns": "numeric"}}]}, batch_rows=7_000)
    assert rep.passes == (1 if by_column else 2)
    for r in rep.results:
        x = frame[r.column].to_numpy(dtype=float)
        finite = x[np.isfinite(x)]
        q1, q3 = np.quantile(finite, [0.25, 0.75])
        lo, hi = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
        assert r.details["fences"] == [lo, hi]
        assert r.observed["below"] == int(np.sum(x < lo)) and r.observed["above"] == int(np.sum(x > hi))
        edges, counts = r.details["hist_edges"], r.details["hist_counts"]
        assert sum(counts) == finite.size and len(counts) == len(edges) - 1
        assert not any(a < lo < b for a, b in zip(edges[:-1], edges[1:]))
        top = math.nextafter(hi, math.inf)
        assert not any(a < top < b for a, b in zip(edges[:-1], edges[1:]))
        beyond = sum(c for a, b, c in zip(edges[:-1], edges[1:], counts) if b <= lo or a > hi)
        assert beyond == int(np.sum((finite < lo) | (finite > hi)))
