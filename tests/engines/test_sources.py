"""Every kind of input gives the same results: pandas, pyarrow, polars, Parquet file and directory, CSV."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import datacheck
from datacheck.engines.opener import open_source

N = 3000


def frame(seed=0, n=N, with_string_nulls=True):
    rng = np.random.default_rng(seed)
    x = rng.normal(50, 10, n)
    x[rng.random(n) < 0.03] = np.nan
    x[rng.choice(n, 20, replace=False)] = rng.uniform(200, 400, 20)
    i = rng.integers(-5, 100, n)
    i[rng.choice(n, 30, replace=False)] = -999
    s = rng.choice(
        ["alpha", "beta", "gamma", "?", "", " ", "Δelta", "n/a"], n, p=[0.3, 0.3, 0.2, 0.05, 0.05, 0.04, 0.04, 0.02]
    )
    s = s.astype(object)
    if with_string_nulls:
        s[rng.random(n) < 0.02] = None
    return pd.DataFrame(
        {
            "x": x,
            "i": i,
            "s": s,
            "b": rng.random(n) < 0.3,
            "d": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 800, n), unit="D"),
            "k": np.arange(n) % (n - 50),  # 50 duplicate keys
            "y": rng.choice(["yes", "no"], n, p=[0.08, 0.92]),
        }
    )


SUITE = {
    "name": "all",
    "dataset": {"label": "y"},
    "checks": [
        {
            "schema": {
                "columns": {
                    "x": "float",
                    "i": "integer",
                    "s": "string",
                    "b": "boolean",
                    "d": "datetime",
                    "k": "integer",
                    "y": "string",
                }
            }
        },
        {"row_count": {"min": 10}},
        {"missing": {"max_fraction": 0.01, "sentinels": [-999]}},
        {"range": {"columns": ["x", "i"], "min": 0, "max": 150}},
        {"range": {"columns": "d", "min": "2020-01-01", "max": "2021-12-31"}},
        {"allowed_values": {"columns": ["s", "y"], "values": ["alpha", "beta", "gamma", "yes", "no"]}},
        {"pattern": {"columns": "s", "regex": "[a-z]+"}},
        {"unique": {"columns": ["k", ["k", "y"]]}},
        {"duplicates": {"columns": ["k", "y"]}},
        {"outliers": {"columns": ["x", "i"], "method": "iqr"}},
        {"outliers": {"columns": ["x"], "method": "zscore"}},
        {"skew": {"columns": ["x", "i", "s", "y"], "min_class_share": 0.05}},
    ],
}


def normal(v):
    """Values made comparable across sources (floats to 12 significant digits)."""
    if isinstance(v, float):
        return None if math.isnan(v) else float(f"{v:.12g}")
    if isinstance(v, dict):
        return {k: normal(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [normal(x) for x in v]
    return v


def outcome(report):
    return [(r.check, r.column, r.status, normal(r.observed), normal(r.evidence)) for r in report.results]


def as_pandas(df, tmp_path):
    return df


def as_arrow(df, tmp_path):
    return pa.Table.from_pandas(df, preserve_index=False)


def as_polars(df, tmp_path):
    pl = pytest.importorskip("polars")
    return pl.from_pandas(df, nan_to_null=True)


def as_parquet_file(df, tmp_path):
    p = tmp_path / "data.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), p, row_group_size=257)
    return p


def as_parquet_dir(df, tmp_path):
    d = tmp_path / "parts"
    d.mkdir()
    t = pa.Table.from_pandas(df, preserve_index=False)
    for j, start in enumerate(range(0, t.num_rows, 700)):
        pq.write_table(t.slice(start, 700), d / f"part-{j:03d}.parquet", row_group_size=123)
    return d


def as_csv(df, tmp_path):
    p = tmp_path / "data.csv"
    df.to_csv(p, index=False)
    return p


SOURCES = [as_pandas, as_arrow, as_polars, as_parquet_file, as_parquet_dir]


@pytest.fixture(scope="module")
def reference():
    return outcome(datacheck.run(frame(), SUITE))


@pytest.mark.parametrize("make", SOURCES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("batch_rows", [100_000, 333])
def test_every_source_gives_the_same_results(make, batch_rows, tmp_path, reference):
    got = outcome(datacheck.run(make(frame(), tmp_path), SUITE, batch_rows=batch_rows))
    assert got == reference


def test_csv_gives_the_same_results(tmp_path):
    """CSV keeps strings as written (no string nulls), so compare with in-memory data without them."""
    df = frame(with_string_nulls=False)
    want = outcome(datacheck.run(df, SUITE))
    got = outcome(datacheck.run(as_csv(df, tmp_path), SUITE, batch_rows=500))
    assert got == want


def test_sources_know_schema_and_rows_before_reading(tmp_path):
    df = frame(n=100)
    for make in SOURCES + [as_csv]:
        where = tmp_path / make.__name__
        where.mkdir()
        src = open_source(make(df, where))
        assert src.schema.names == list(df.columns)
        total = sum(b.num_rows for b in src.batches(["x"]))
        assert total == 100


def test_record_batch_and_series_inputs():
    df = frame(n=200)
    rb = pa.RecordBatch.from_pandas(df, preserve_index=False)
    a = outcome(datacheck.run(rb, SUITE))
    assert a == outcome(datacheck.run(df, SUITE))
    r = datacheck.run(df["x"], {"name": "s", "checks": [{"missing": {"max_fraction": 0.1}}]})
    assert r.results[0].column == "x"


@pytest.mark.parametrize("n,batch_rows", [(5, 1 << 18), (1001, 100)])
def test_zero_column_batches_count_rows(n, batch_rows):
    src = open_source(pd.DataFrame({"x": range(n)}), batch_rows=batch_rows)
    assert sum(b.num_rows for b in src.batches(["x"])) == n
    r = datacheck.run(
        pd.DataFrame({"x": range(n)}), {"name": "s", "checks": [{"row_count": {"min": 1}}]}, batch_rows=batch_rows
    )
    assert r.n_rows == n and r.results[0].observed == n
