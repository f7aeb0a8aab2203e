"""Seeded synthetic data for benchmarks: 20 mixed columns (12 numeric, 6 text, 1 boolean, 1 date)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

CATS = {
    "c0": ["a", "b", "c", "d", "?"],
    "c1": [f"city_{i}" for i in range(50)],
    "c2": ["low", "mid", "high", "", " "],
    "c3": [f"code_{i:03d}" for i in range(300)],
    "c4": ["yes", "no", "N/A"],
    "c5": [f"user_{i}" for i in range(2000)],
}


def make_table(n: int, seed: int = 0) -> pa.Table:
    """n rows x 20 columns; numeric columns have ~1% nulls, a few outliers, and one a -999 sentinel."""
    rng = np.random.default_rng(seed)
    cols: dict[str, pa.Array] = {}
    for i in range(12):
        if i % 3 == 0:
            x = rng.normal(100 * i, 10 + i, n)
        elif i % 3 == 1:
            x = rng.lognormal(1.0, 0.8, n)
        else:
            x = rng.integers(0, 1000, n).astype(np.float64)
        x[rng.random(n) < 0.001] *= 50  # outliers
        if i == 2:
            x[rng.random(n) < 0.01] = -999.0  # a sentinel
        mask = rng.random(n) < 0.01
        if i % 4 == 3:
            cols[f"n{i}"] = pa.array(x.astype(np.int64), mask=mask)
        else:
            cols[f"n{i}"] = pa.array(x, mask=mask)
    for name, values in CATS.items():
        idx = rng.integers(0, len(values), n).astype(np.int32)
        dict_arr = pa.DictionaryArray.from_arrays(pa.array(idx), pa.array(values, pa.large_string()))
        cols[name] = dict_arr.cast(pa.large_string())
    cols["flag"] = pa.array(rng.random(n) < 0.3)
    cols["day"] = pa.array(
        (np.datetime64("2020-01-01") + rng.integers(0, 1500, n).astype("timedelta64[D]")).astype("datetime64[ms]")
    )
    return pa.table(cols)


def suite() -> dict:
    numeric = [f"n{i}" for i in range(12)]
    return {
        "name": "bench",
        "checks": [
            {"missing": {"columns": "*", "max_fraction": 0.02}},
            {"range": {"columns": numeric, "min": -1000, "max": 1e6}},
            {"outliers": {"columns": numeric, "method": "iqr"}},
            {"skew": {"columns": "*"}},
            {"allowed_values": {"columns": "c0", "values": ["a", "b", "c", "d"]}},
            {"pattern": {"columns": "c3", "regex": "code_[0-9]{3}"}},
        ],
    }
