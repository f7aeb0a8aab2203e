"""Sorted runs kept between passes (``engines.local``, ``Kernel.order_free``).

A source's first pass keeps the sorted columns it made (within a budget); a later pass folds the
kernels that read only a column's sorted values over those runs instead of reading the data again.
The results must not depend on it: an order-free kernel folded over the runs equals the same kernel
folded over the batches, and a whole run equals a run with no runs kept.
"""

from __future__ import annotations

import inspect
import pkgutil
from functools import reduce

import numpy as np
import pyarrow as pa
import pytest

import datacheck
import datacheck.kernels as kernels_pkg
from datacheck.engines import local
from datacheck.engines.opener import open_source
from datacheck.kernels import BatchView, CountEqual, ExactQuantiles, Kernel, Sketch
from datacheck.kernels.histogram import SplitHistogram
from datacheck.kernels.shift import BinCounts


def _batches(seed: int = 0, n: int = 9_000, size: int = 2_000) -> list[tuple[pa.RecordBatch, int]]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n).round(2)
    x[rng.random(n) < 0.03] = np.nan
    x[rng.random(n) < 0.01] = np.inf
    x[rng.random(n) < 0.01] = -np.inf
    arr = pa.array(x, mask=rng.random(n) < 0.05)
    t = pa.table({"x": arr})
    return [(t.slice(o, size).to_batches()[0], o) for o in range(0, n, size)]


def _sketch_value(batches):
    sk = Sketch("x", 8)
    s = reduce(lambda st, b: sk.update(st, BatchView(*b)), batches, sk.init())
    return sk.finalize(s)


def _order_free_cases(batches) -> list[Kernel]:
    sk = _sketch_value(batches)
    return [
        Sketch("x", 8),
        ExactQuantiles.from_sketch("x", (0.1, 0.5, 0.75), sk),
        BinCounts("x", (-1.0, 0.0, 0.5, 1.0)),
        SplitHistogram("x", (-2.0, -1.0, 0.0, 1.0, 2.0), keep=(1, 2)),
        CountEqual("x", 0.5),
    ]


def _same(a, b) -> None:
    if hasattr(a, "quantiles"):
        assert a.n == b.n and a.err == b.err
        np.testing.assert_array_equal(a.values, b.values)
        np.testing.assert_array_equal(a.cum, b.cum)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b)
    else:
        assert a == b


def test_every_order_free_kernel_is_tested_here():
    found = set()
    for mod in pkgutil.iter_modules(kernels_pkg.__path__):
        m = __import__(f"datacheck.kernels.{mod.name}", fromlist=["x"])
        for _, cls in inspect.getmembers(m, inspect.isclass):
            if issubclass(cls, Kernel) and cls.__dict__.get("order_free"):
                found.add(cls)
    assert found == {type(k) for k in _order_free_cases(_batches())}


@pytest.mark.parametrize("seed", [0, 1])
def test_order_free_kernels_give_the_same_value_over_sorted_runs(seed):
    batches = _batches(seed)
    runs = []
    for b, o in batches:  # what a first pass keeps: each batch's sorted column and its counts
        view = BatchView(b, o)
        view.sorted("x")
        runs.append(view.take_sorted("x"))
    for k in _order_free_cases(batches):
        over_batches = k.finalize(reduce(lambda st, b: k.update(st, BatchView(*b)), batches, k.init()))
        over_runs = k.finalize(reduce(k.update, runs, k.init()))
        _same(over_batches, over_runs)


def _suite():
    return {
        "name": "runs",
        "checks": [
            {"outliers": {"columns": ["x", "y"], "method": "iqr"}},
            {"skew": {"columns": ["x", "y"]}},
            {"quantiles": {"columns": "x", "quantiles": [0.1, 0.5], "ranges": [[-10, 10], [-10, 10]]}},
            {"drift": {"columns": ["x", "y"]}},
        ],
    }


def _frames(seed: int):
    rng = np.random.default_rng(seed)
    n = 50_000

    def side(shift: float) -> pa.Table:
        x = rng.normal(shift, 1, n)
        x[rng.random(n) < 0.02] = np.nan
        y = rng.integers(0, 40, n).astype(float)
        return pa.table({"x": pa.array(x, mask=rng.random(n) < 0.02), "y": y})

    return side(0.0), side(0.1)


def _report(data, ref, monkeypatch, budget: int) -> dict:
    monkeypatch.setattr(local, "SORTED_RUNS_BYTES", budget)
    d = datacheck.run(data, _suite(), reference=ref, batch_rows=7_000).to_dict()
    for key in ("duration_s", "started_at"):
        d.pop(key, None)
    return d


@pytest.mark.parametrize("budget", [0, 60_000 * 8, 1 << 30])  # none kept; both columns over the budget, so none; all
def test_a_run_does_not_depend_on_the_runs_kept(monkeypatch, budget):
    ref, cur = _frames(3)
    base = _report(cur, ref, monkeypatch, 0)
    assert _report(cur, ref, monkeypatch, budget) == base


def test_replayed_pass_reads_no_data_and_runs_are_forgotten(monkeypatch):
    ref, cur = _frames(4)
    src = open_source(cur, batch_rows=7_000)
    sk = Sketch("x")
    values, _ = local.fold(src, [sk])
    eq = ExactQuantiles.from_sketch("x", (0.25, 0.75), values[sk])
    read = []
    orig = src.batches
    monkeypatch.setattr(src, "batches", lambda *a, **k: read.append(a) or orig(*a, **k))
    got, failures = local.fold(src, [eq, BinCounts("x", (0.0, 1.0))])
    assert not read and not failures and got[eq]["exact"]
    local.forget(src)
    got2, _ = local.fold(src, [eq])
    assert read and got2[eq] == got[eq]


# -- values computed from a whole in-memory column, before a pass (``Kernel.whole``) ----------------


def _whole(src, kernels) -> dict:
    """What the column rounds compute of ``kernels`` (one round each: nothing is asked next)."""
    got: dict = {}
    local.column_rounds(src, kernels, lambda name, values, failures: got.update(values) or [])
    return got


def _whole_cases() -> list[Kernel]:
    from datacheck.kernels.shift import QuantileEdges

    return [QuantileEdges("x"), QuantileEdges("x", bins=10, sample_size=500, seed=3)]


def test_every_kernel_with_a_whole_value_is_tested_here():
    found = set()
    for mod in pkgutil.iter_modules(kernels_pkg.__path__):
        m = __import__(f"datacheck.kernels.{mod.name}", fromlist=["x"])
        for _, cls in inspect.getmembers(m, inspect.isclass):
            if issubclass(cls, Kernel) and cls is not Kernel and "whole" in cls.__dict__:
                found.add(cls)
    assert found == {type(k) for k in _whole_cases()}


@pytest.mark.parametrize(
    "kind",
    [
        "floats",
        "missing",
        "mostly_missing",
        "ints",
        "few",
        "empty",
        "all_missing",
        "null_floats",
        "null_ints",
        "mostly_null_ints",
        "sliced_nulls",
    ],
)
@pytest.mark.parametrize("chunk", [1_000, 6_000])
def test_whole_value_equals_the_folded_value(kind, chunk):
    rng = np.random.default_rng(7)
    n = 0 if kind == "empty" else 20_000
    if kind == "ints":
        arr = pa.array(rng.integers(-50, 50, n))
    elif kind in ("null_floats", "sliced_nulls"):  # nulls, and no NaN or infinity: read in place
        # a null slot holds a value far outside the others, which must not reach min, max or the sample
        x = rng.normal(size=n + 17)
        miss = rng.random(n + 17) < 0.1
        x[miss] = 1e300
        arr = pa.array(x, mask=miss)
        arr = arr.slice(17) if kind == "sliced_nulls" else arr.slice(0, n)
    elif kind in ("null_ints", "mostly_null_ints"):
        x = rng.integers(-(2**40), 2**40, n)
        miss = rng.random(n) < (0.1 if kind == "null_ints" else 0.7)
        x[miss] = 2**62
        arr = pa.array(x, mask=miss)
    elif kind == "few":
        arr = pa.array(rng.normal(size=min(n, 300)))
    elif kind == "all_missing":
        arr = pa.array([None] * n, pa.float64())
    else:
        x = rng.lognormal(size=n)
        if kind in ("missing", "mostly_missing"):
            x[rng.random(n) < 0.05] = np.nan
            x[rng.random(n) < 0.01] = np.inf
            arr = pa.array(x, mask=rng.random(n) < (0.05 if kind == "missing" else 0.7))
        else:
            arr = pa.array(x)
    table = pa.table({"x": arr})
    src = open_source(table, batch_rows=chunk)
    for k in _whole_cases():
        folded, failures = local.fold(src, [k])
        assert not failures
        got = _whole(src, [k])
        assert got[k] == folded[k]
        assert got[k] == k.whole(pa.chunked_array(table.column("x").chunks))


def test_reference_is_read_once_when_its_edges_come_from_memory(monkeypatch):
    ref, cur = _frames(5)
    calls = []
    orig = local.fold

    def counting(source, kernels, *a, **k):
        calls.append(source.description)
        return orig(source, kernels, *a, **k)

    import datacheck.runner as runner

    monkeypatch.setattr(runner, "fold", counting)
    suite = {"name": "d", "checks": [{"drift": {"columns": ["x", "y"]}}]}
    rep = datacheck.run(cur, suite, reference=ref)
    # in memory: each column's edges, then both sides' bin counts, a column at a time; no pass over rows
    assert rep.passes == 1 and calls == []
    monkeypatch.setattr(runner, "column_rounds", lambda *a, **k: False)  # the same by passes over the rows
    again = datacheck.run(cur, suite, reference=ref)
    # the reference's edges, then both sides' bin counts (the current side's row count is held: no pass for it)
    assert again.passes == 2 and len(calls) == 3
    a, b = rep.to_dict(), again.to_dict()
    for d in (a, b):
        for key in ("duration_s", "started_at", "passes"):
            d.pop(key, None)
    assert a == b


def test_parquet_whole_columns_give_the_folded_edges(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    from datacheck.engines.sources import ParquetSource
    from datacheck.kernels.shift import QuantileEdges

    rng = np.random.default_rng(8)
    n = 30_000
    x = rng.normal(size=n)
    x[rng.random(n) < 0.03] = np.nan
    t = pa.table({"x": pa.array(x, mask=rng.random(n) < 0.05), "i": rng.integers(0, 9, n), "s": ["a"] * n})
    path = tmp_path / "d.parquet"
    pq.write_table(t, path, row_group_size=7_000)
    ks = [QuantileEdges("x", sample_size=1_000), QuantileEdges("i", sample_size=1_000)]
    src = open_source(str(path), batch_rows=4_000)
    assert isinstance(src, ParquetSource)
    text = src.whole_column("s")  # text: as Parquet stores it, dictionary-encoded, a chunk a row group
    assert pa.types.is_dictionary(text.type) and text.num_chunks == 5
    assert text.to_pylist() == t.column("s").to_pylist()
    folded, _ = local.fold(src, ks)
    assert _whole(src, ks) == folded
    monkeypatch.setattr(ParquetSource, "WHOLE_COLUMN_BYTES", 8 * n - 1)  # over the bound: streamed only
    assert _whole(src, ks) == {}
    monkeypatch.setattr(ParquetSource, "WHOLE_COLUMN_BYTES", 4 * n)  # its codes alone fill it
    assert src.whole_column("s") is None
