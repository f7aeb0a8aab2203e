"""Benchmark: the label_errors check at scale (default 200,000 rows), 5 folds.

Adult's 32,561 rows drawn with replacement (seeded) up to ``--rows`` and 10% of the labels flipped,
so the model and the data are those of the Adult benchmark, only more of them. Prints the wall and
CPU seconds of ``datacheck.run`` with the check, the machine's load, and the flagged share.

Run:  python benchmarks/bench_label_errors_rows.py [--rows 200000]
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

import datacheck
from datacheck.datasets import load_adult

SUITE = {
    "name": "bench-label-errors-rows",
    "dataset": {"label": "income", "protected": ["sex", "race"]},
    "checks": [{"label_errors": {"folds": 5, "max_fraction": 0.05, "progress": False}}],
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    adult = load_adult(raw_missing=False)
    df = adult.iloc[rng.integers(0, len(adult), args.rows)].reset_index(drop=True)
    m = rng.random(len(df)) < 0.10
    df.loc[m, "income"] = np.where(df.loc[m, "income"] == ">50K", "<=50K", ">50K")
    load0 = os.getloadavg()[0]
    w, c = time.perf_counter(), time.process_time()
    rep = datacheck.run(df, SUITE)
    out = {
        "rows": len(df),
        "folds": 5,
        "cpu_count": os.cpu_count(),
        "load_avg_1m": round(load0, 1),
        "seconds": round(time.perf_counter() - w, 2),
        "cpu_seconds": round(time.process_time() - c, 2),
        "flagged_share": round(rep.results[0].observed.get("fraction", float("nan")), 4),
        "method": rep.results[0].method,
    }
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
