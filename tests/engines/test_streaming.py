"""Streamed Parquet (many small batches) gives what the same data in memory gives: every integrity
check's observed values, evidence and verdicts, and every kernel's value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import datacheck
from datacheck.engines.local import fold
from datacheck.engines.opener import open_source
from datacheck.kernels import (
    Bin,
    Col,
    ColumnCounts,
    CountEqual,
    CountOutside,
    DisguisedMissing,
    EdgeValues,
    Extremes,
    Frequencies,
    GroupCounts,
    Histogram,
    IsMissing,
    Moments,
    NotInSet,
    PatternMismatch,
    RowCount,
    RowHashes,
    Sample,
)


def data(seed: int, n: int = 12_000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    core = rng.uniform(-1, 1, n)
    far = rng.choice(n, 40, replace=False)
    core[far] = rng.choice([-1, 1], 40) * rng.uniform(30, 60, 40)
    core[rng.random(n) < 0.02] = np.nan
    cnt = rng.poisson(3, n).astype(float)
    cnt[rng.choice(n, 25, replace=False)] = 9999
    return pd.DataFrame(
        {
            "u": core,
            "c": cnt,
            "s": rng.choice(["a", "b", "?", "", "c1", None], n, p=[0.4, 0.3, 0.1, 0.05, 0.1, 0.05]),
            "g": rng.choice(["m", "f"], n),
            "d": pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 2000, n), unit="h"),
            "id": np.r_[np.arange(n - 30), np.arange(30)],
        }
    )


SUITE = {
    "name": "stream",
    "checks": [
        {"row_count": {"min": 1}},
        {"schema": {"columns": ["u", "c", "s", "g", "d", "id"], "allow_extra": False}},
        {"missing": {"max_fraction": 0.01}},
        {"range": {"columns": ["u", "c"], "min": -10, "max": 100}},
        {"range": {"columns": "d", "max": "2019-06-01"}},
        {"allowed_values": {"columns": ["s", "g"], "values": ["a", "b", "m", "f"]}},
        {"pattern": {"columns": "s", "regex": "[a-z]"}},
        {"unique": {"columns": ["id", ["id", "g"]]}},
        "duplicates",
        {"outliers": {"columns": ["u", "c"], "method": "iqr", "evidence_rows": 5}},
        {"outliers": {"columns": ["u"], "method": "robust_z"}},
        {"outliers": {"columns": ["u", "c"], "method": "zscore"}},
        {"skew": {"columns": ["u", "c", "s", "g"], "min_class_share": 0.01}},
    ],
}


def close(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (np.isnan(a) and np.isnan(b)) or a == pytest.approx(b, rel=1e-9, abs=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    return a == b


@pytest.mark.parametrize("seed,row_group,batch_rows", [(0, 500, 256), (1, 97, 1000), (2, 4096, 333)])
def test_streamed_equals_in_memory(tmp_path, seed, row_group, batch_rows):
    df = data(seed)
    path = tmp_path / "d.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, row_group_size=row_group)
    mem = datacheck.run(df, SUITE)
    st = datacheck.run(path, SUITE, batch_rows=batch_rows)
    assert st.n_rows == mem.n_rows == len(df)
    assert len(st.results) == len(mem.results)
    for a, b in zip(mem.results, st.results):
        assert (a.check, a.column, a.status) == (b.check, b.column, b.status)
        assert close(a.observed, b.observed), (a.check, a.column, a.observed, b.observed)
        assert close(a.evidence, b.evidence), (a.check, a.column)
        if a.check == "outliers" and a.expected["method"] != "robust_z":  # robust_z's MAD is a sketch estimate
            assert close(a.details["fences"], b.details["fences"])
    assert st.passes == mem.passes


KERNELS = [
    RowCount(),
    ColumnCounts("u"),
    ColumnCounts("s"),
    ColumnCounts("d"),
    CountOutside("u", -1.0, 1.0),
    CountEqual("c", 9999.0),
    Moments("u"),
    Moments("d"),
    Extremes("u", 7),
    Extremes("d", 3),
    EdgeValues("c"),
    Histogram("u", (-1.0, -0.5, 0.0, 0.5, 1.0)),
    Frequencies("s"),
    Frequencies("g", cap=1),
    DisguisedMissing("s", ("?",)),
    PatternMismatch("s", "[a-z]"),
    NotInSet("s", ("a",)),
    RowHashes(("id",)),
    RowHashes(("s", "g")),
    GroupCounts((Col("g"), IsMissing("u"), Bin("c", (0.0, 3.0, 10.0)))),
    Sample(("u", "s"), k=50, seed=4),
]


def test_kernel_values_streamed_equal_in_memory(tmp_path):
    df = data(3)
    path = tmp_path / "d.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, row_group_size=211)
    mem, mem_fail = fold(open_source(df), KERNELS)
    st, st_fail = fold(open_source(path, batch_rows=150), KERNELS)
    assert mem_fail == {} and st_fail == {}
    for k in KERNELS:
        a, b = mem[k], st[k]
        if isinstance(a, pa.Table):
            assert a.equals(b), k
        elif isinstance(k, Moments):
            assert close({x: a[x] for x in a if x != "state"}, {x: b[x] for x in b if x != "state"}), k
        else:
            assert close(a, b), k


def test_parquet_directory_streams_files_in_order(tmp_path):
    df = data(4, n=3000)
    d = tmp_path / "dir"
    d.mkdir()
    t = pa.Table.from_pandas(df, preserve_index=False)
    for j, start in enumerate(range(0, len(df), 400)):
        pq.write_table(t.slice(start, 400), d / f"part-{j:03d}.parquet", row_group_size=64)
    mem = datacheck.run(df, SUITE)
    st = datacheck.run(d, SUITE, batch_rows=100)
    for a, b in zip(mem.results, st.results):
        assert (a.status, a.column) == (b.status, b.column) and close(a.observed, b.observed)
        assert close(a.evidence, b.evidence)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_cells = st.tuples(
    st.one_of(st.none(), st.integers(-1000, 1000)),
    st.one_of(st.none(), st.sampled_from([np.nan, np.inf, -np.inf, -999.0, 0.0]), st.floats(-1e6, 1e6)),
    st.one_of(st.none(), st.sampled_from(["a", "b", "", " ", "?", "N/A", "é"]), st.text(max_size=3)),
)

HSUITE = {
    "name": "h",
    "checks": [
        {"missing": {"max_fraction": 0.1}},
        {"range": {"columns": ["i", "f"], "min": -100, "max": 100}},
        {"allowed_values": {"columns": ["s"], "values": ["a", "b"]}},
        {"pattern": {"columns": "s", "regex": "[a-z]*"}},
        {"unique": {"columns": ["i", ["i", "s"]]}},
        "duplicates",
        {"outliers": {"columns": ["i", "f"]}},
        {"outliers": {"columns": ["f"], "method": "zscore"}},
        {"skew": {"columns": ["i", "f", "s"], "min_class_share": 0.1}},
    ],
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_cells, min_size=1, max_size=60), batch_rows=st.integers(1, 17))
def test_any_batching_gives_the_in_memory_results(rows, batch_rows):
    i, f, s = (list(c) for c in zip(*rows))
    t = pa.table({"i": pa.array(i, pa.int64()), "f": pa.array(f, pa.float64()), "s": pa.array(s, pa.string())})
    one = datacheck.run(t, HSUITE)
    many = datacheck.run(t, HSUITE, batch_rows=batch_rows)
    for a, b in zip(one.results, many.results):
        assert (a.check, a.column, a.status) == (b.check, b.column, b.status), (a.message, b.message)
        assert close(a.observed, b.observed), (a.check, a.column, a.observed, b.observed)
        assert close(a.evidence, b.evidence), (a.check, a.column, a.evidence, b.evidence)
    assert len(one.results) == len(many.results)


def test_later_passes_read_decoded_row_groups_within_the_budget(tmp_path, monkeypatch):
    """A second pass over Parquet reads the row groups the first pass decoded (issue 11) when they fit
    the source's byte budget; otherwise they are decoded again. Either way the batches are equal."""
    rng = np.random.default_rng(5)
    t = pa.table({"x": rng.normal(size=4000), "s": [f"v{i % 37}" for i in range(4000)]})
    path = tmp_path / "d.parquet"
    pq.write_table(t, path, row_group_size=1000)
    decoded = []
    real = pq.ParquetFile.iter_batches

    def counting(self, *a, **k):
        decoded.append(k.get("row_groups"))
        return real(self, *a, **k)

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", counting)
    # past the budget nothing is kept (a part of a large file would cost memory for little)
    for budget, again in ((1 << 30, {0}), (0, {4}), (1000, {4})):
        src = open_source(str(path), batch_rows=300)
        src.cache_bytes = budget
        first = pa.Table.from_batches(list(src.batches(["x", "s"])))
        decoded.clear()
        second = pa.Table.from_batches(list(src.batches(["x"])))
        assert len(decoded) in again
        assert second.column("x").equals(first.column("x")) and second.schema.names == ["x"]
    rep = datacheck.run(str(path), {"name": "s", "checks": [{"outliers": {"columns": "x"}}, "missing"]})
    mem = datacheck.run(t, {"name": "s", "checks": [{"outliers": {"columns": "x"}}, "missing"]})
    assert [r.observed for r in rep.results] == [r.observed for r in mem.results]


def test_table_batches_follow_its_chunks_without_copying():
    """In-memory tables are cut on their own chunks (zero-copy); only runs of small chunks are combined."""
    big = pa.Table.from_batches([pa.record_batch({"x": np.arange(i * 100_000, (i + 1) * 100_000)}) for i in range(3)])
    got = list(open_source(big, batch_rows=150_000).batches(["x"]))
    assert [b.num_rows for b in got] == [100_000] * 3
    assert all(b.column(0).buffers()[1].address == c.buffers()[1].address for b, c in zip(got, big["x"].chunks))
    tiny = pa.Table.from_batches([pa.record_batch({"x": np.arange(i * 10, i * 10 + 10)}) for i in range(100)])
    got = list(open_source(tiny, batch_rows=256).batches(["x"]))
    assert len(got) < 10 and pa.Table.from_batches(got).column("x").to_pylist() == list(range(1000))
