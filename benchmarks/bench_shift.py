"""Benchmark of ``drift`` on 20 columns (14 numeric, 6 categorical) against a hand-written
numpy/scipy/pyarrow computation of the same statistics, in one run.

Both sides get the same in-memory Arrow tables (generated seeded in memory; nothing is written):

* datacheck: ``datacheck.run(current, {"checks": ["drift"]}, reference=reference)`` -- reference
  edges (seeded sample), then exact bin counts of both sides; every statistic below is computed
  for every column (the default verdict uses Wasserstein + KS and Jensen-Shannon + chi-square);
* hand-written: for each numeric column ``scipy.stats.ks_2samp`` (exact D, sorts both sides),
  ``scipy.stats.wasserstein_distance`` / reference SD, PSI and Jensen-Shannon on reference deciles
  (``np.quantile`` + ``np.histogram``), chi-square on those bins; for each categorical column
  ``pyarrow.compute.value_counts`` of both sides, ``scipy.stats.chi2_contingency``, JS, PSI, L-inf.

Run::

    python benchmarks/bench_shift.py                     # 1M and 10M rows
    python benchmarks/bench_shift.py --sizes 1000000

Prints one table; the figures we measured are in docs/shift.md.
"""

from __future__ import annotations

import argparse
import gc
import time

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

N_NUMERIC, N_CATEGORICAL = 14, 6


def make_table(n: int, seed: int, shift: bool = False) -> pa.Table:
    """n rows x 20 columns; with ``shift`` three numeric and one categorical column move."""
    rng = np.random.default_rng(seed)
    cols: dict[str, pa.Array] = {}
    for i in range(N_NUMERIC):
        if i % 3 == 0:
            x = rng.normal(100 * i + (5.0 if shift and i == 0 else 0.0), 10 + i, n)
        elif i % 3 == 1:
            x = rng.lognormal(1.0, 0.8 * (1.3 if shift and i == 1 else 1.0), n)
        else:
            x = rng.integers(0, 1000, n).astype(np.float64)
        if shift and i == 2:
            x = x / 10  # a unit change
        mask = rng.random(n) < 0.01
        cols[f"n{i}"] = pa.array(x, mask=mask)
    for j in range(N_CATEGORICAL):
        k = (5, 20, 50, 300, 3, 2000)[j]
        p = np.arange(1, k + 1, dtype=float) ** -0.8
        p /= p.sum()
        idx = rng.choice(k, n, p=p).astype(np.int32)
        if shift and j == 0:
            idx[rng.random(n) < 0.03] = k  # a new category in 3% of rows
        values = pa.array([f"v{j}_{v}" for v in range(k + 1)], pa.large_string())
        cols[f"c{j}"] = pa.DictionaryArray.from_arrays(pa.array(idx), values).cast(pa.large_string())
    return pa.table(cols)


def _js(p, q):
    m = (p + q) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(p > 0, p * np.log2(p / m), 0).sum()
        b = np.where(q > 0, q * np.log2(q / m), 0).sum()
    return float(np.sqrt(max(0.0, (a + b) / 2)))


def _psi(r, c):
    p = (r + 0.5) / (r + 0.5).sum()
    q = (c + 0.5) / (c + 0.5).sum()
    return float(np.sum((q - p) * np.log(q / p)))


def hand_written(ref: pa.Table, cur: pa.Table) -> dict:
    from scipy import stats

    out = {}
    for name in ref.column_names:
        a, b = ref.column(name), cur.column(name)
        if name.startswith("n"):
            x = a.drop_null().to_numpy()
            y = b.drop_null().to_numpy()
            ks = stats.ks_2samp(x, y)
            w = stats.wasserstein_distance(x, y) / x.std(ddof=1)
            e = np.unique(np.quantile(x, np.linspace(0, 1, 11)))
            r = np.histogram(np.clip(x, e[0], e[-1]), e)[0]
            c = np.histogram(np.clip(y, e[0], e[-1]), e)[0]
            chi = stats.chi2_contingency(np.array([r, c]), correction=False)
            out[name] = (ks.statistic, ks.pvalue, w, _psi(r, c), _js(r / r.sum(), c / c.sum()), chi.pvalue)
        else:
            va, vb = pc.value_counts(a.drop_null()), pc.value_counts(b.drop_null())
            ca = dict(zip(va.field("values").to_pylist(), va.field("counts").to_pylist()))
            cb = dict(zip(vb.field("values").to_pylist(), vb.field("counts").to_pylist()))
            keys = list(dict.fromkeys(list(ca) + list(cb)))
            r = np.array([ca.get(k, 0) for k in keys], float)
            c = np.array([cb.get(k, 0) for k in keys], float)
            chi = stats.chi2_contingency(np.array([r, c]), correction=False)
            p, q = r / r.sum(), c / c.sum()
            out[name] = (chi.statistic, chi.pvalue, _js(p, q), _psi(r, c), float(np.abs(p - q).max()))
    return out


def run_datacheck(ref: pa.Table, cur: pa.Table):
    import datacheck

    return datacheck.run(cur, {"name": "bench-shift", "checks": ["drift"]}, reference=ref)


def bench(n: int) -> dict:
    t = time.perf_counter()
    ref, cur = make_table(n, 0), make_table(n, 1, shift=True)
    gen = time.perf_counter() - t
    t = time.perf_counter()
    rep = run_datacheck(ref, cur)
    t_dc = time.perf_counter() - t
    gc.collect()
    t = time.perf_counter()
    hw = hand_written(ref, cur)
    t_hw = time.perf_counter() - t
    # agreement of the two computations
    ks_gap = max(abs(r.details["ks"] - hw[r.column][0]) for r in rep.results if r.column.startswith("n"))
    js_gap = max(abs(r.details["jensen_shannon"] - hw[r.column][2]) for r in rep.results if r.column.startswith("c"))
    failed = sorted(r.column for r in rep.failures)
    return {
        "rows": n,
        "datacheck_s": t_dc,
        "hand_s": t_hw,
        "ratio": t_dc / t_hw,
        "passes": rep.passes,
        "ks_gap": ks_gap,
        "js_gap": js_gap,
        "failed": failed,
        "gen_s": gen,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    args = ap.parse_args()
    rows = []
    for n in args.sizes:
        rows.append(bench(n))
        gc.collect()
    print(
        f"{'rows':>12} {'datacheck s':>12} {'hand-written s':>15} {'ratio':>6} {'passes':>6} "
        f"{'max |dKS|':>10} {'max |dJS|':>10}  columns failed"
    )
    for r in rows:
        print(
            f"{r['rows']:>12,} {r['datacheck_s']:>12.2f} {r['hand_s']:>15.2f} {r['ratio']:>6.2f} {r['passes']:>6} "
            f"{r['ks_gap']:>10.2g} {r['js_gap']:>10.2g}  {', '.join(r['failed'])}"
        )


if __name__ == "__main__":
    main()
