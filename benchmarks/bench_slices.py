"""Benchmark: slice metrics and SliceLine.

1. ``slices`` with accuracy/recall/precision/F1 over 5 attributes (3 categorical, 2 numeric binned
   at exact quartiles) on N rows (default 10M), against a hand-written pandas groupby of the same
   per-slice confusion counts (``pd.cut`` on the same edges, ``groupby(...).size()`` per
   attribute) -- the metrics themselves are a few hundred numbers either way.
2. SliceLine on 100k rows x 10 features, depth 3: the in-memory search (``datacheck.stats.sliceline``)
   and the ``worst_slices`` check (one pass per level over the data).

Run: ``python benchmarks/bench_slices.py [rows]``
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd
import pyarrow as pa

import datacheck
from datacheck.stats.sliceline import sliceline


def make(n: int, seed: int = 0) -> pa.Table:
    rng = np.random.default_rng(seed)
    cats = {
        "region": [f"r{i}" for i in range(8)],
        "device": ["ios", "android", "web"],
        "plan": ["free", "basic", "pro", "team"],
    }
    cols = {}
    for name, values in cats.items():
        idx = rng.integers(0, len(values), n).astype(np.int32)
        cols[name] = pa.DictionaryArray.from_arrays(pa.array(idx), pa.array(values, pa.large_string())).cast(
            pa.large_string()
        )
    cols["age"] = pa.array(rng.integers(18, 90, n).astype(np.float64))
    cols["tenure"] = pa.array(rng.exponential(20, n))
    y = rng.integers(0, 2, n)
    cols["y"] = pa.array(y)
    cols["p"] = pa.array(np.where(rng.random(n) < 0.12, 1 - y, y))
    return pa.table(cols)


def bench_slices(n: int) -> dict:
    t = make(n)
    suite = {
        "name": "bench",
        "dataset": {"label": "y", "prediction": "p"},
        "checks": [
            {
                "slices": {
                    "by": ["region", "device", "plan", "age", "tenure"],
                    "metrics": ["accuracy", "recall", "precision", "f1"],
                    "bootstrap": 200,
                }
            }
        ],
    }
    t0 = time.perf_counter()
    rep = datacheck.run(t, suite)
    dc = time.perf_counter() - t0
    assert all(r.status in ("pass", "fail") for r in rep.results), [r.message for r in rep.results]

    df = t.to_pandas()  # not timed: both sides start from data in memory
    t0 = time.perf_counter()
    out = {}
    for c in ("region", "device", "plan"):
        out[c] = df.groupby([c, "y", "p"], observed=True).size()
    for c in ("age", "tenure"):
        e = np.unique(np.quantile(df[c].to_numpy(), [0, 0.25, 0.5, 0.75, 1]))
        b = pd.cut(df[c], e, right=False, include_lowest=True)
        out[c] = df.groupby([b, df["y"], df["p"]], observed=True).size()
    pdt = time.perf_counter() - t0
    return {"rows": n, "datacheck_s": dc, "pandas_groupby_s": pdt, "ratio": dc / pdt, "passes": rep.passes}


def bench_sliceline(n: int = 100_000, m: int = 10) -> dict:
    rng = np.random.default_rng(1)
    X = rng.integers(0, 6, size=(n, m))
    weak = (X[:, 2] == 1) & (X[:, 7] == 4)
    e = (rng.random(n) < np.where(weak, 0.4, 0.1)).astype(float)
    t0 = time.perf_counter()
    res = sliceline(X, e, k=5, max_depth=3, min_support=0.01)
    mem = time.perf_counter() - t0
    df = pd.DataFrame({f"f{j}": X[:, j].astype(str) for j in range(m)})
    df["y"] = rng.integers(0, 2, n)
    df["p"] = np.where(e > 0, 1 - df["y"], df["y"])
    t0 = time.perf_counter()
    rep = datacheck.run(
        df,
        {
            "name": "b",
            "dataset": {"label": "y", "prediction": "p"},
            "checks": [{"worst_slices": {"max_depth": 3, "top_k": 5}}],
        },
    )
    chk = time.perf_counter() - t0
    r = rep.results[0]
    return {
        "rows": n,
        "features": m,
        "in_memory_s": mem,
        "check_passes_s": chk,
        "passes": rep.passes,
        "top": [s.predicates for s in res.top[:1]],
        "check_top": r.details["slices"][0]["slice"],
        "levels": res.levels,
    }


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    print("slices:", bench_slices(n))
    print("sliceline:", bench_sliceline())
