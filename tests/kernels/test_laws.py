"""The kernel laws, for every kernel in ``datacheck.kernels``.

For any split of the data into batches (Hypothesis chooses the data and the split points):

* folding the parts one after another (what the engine does) gives the whole's value;
* folding each part from ``init()`` and merging the states gives the whole's value;
* the empty batch is the identity (``update(init(), empty)`` is ``init()``, and merging it changes nothing);
* merging is commutative where the kernel promises it (every kernel but the KLL sketch, whose
  compactions are randomised: its merge is checked against the stated rank error instead).

The parts are re-encoded on their own (dictionary columns get a different dictionary per batch, as
Parquet row groups do) and carry their global row offset, so evidence row ids are checked too.
"""

from __future__ import annotations

import math
from functools import reduce

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datacheck.kernels import (
    BatchView,
    Bin,
    Col,
    ColumnCounts,
    CountEqual,
    CountOutside,
    DisguisedMissing,
    EdgeValues,
    ExactQuantiles,
    Extremes,
    Frequencies,
    GroupCounts,
    HashedCounts,
    Histogram,
    IsMissing,
    Moments,
    NotInSet,
    PatternMismatch,
    RowCount,
    RowHashes,
    Sample,
    Sketch,
    SketchValue,
)
from datacheck.kernels.frequencies import mg_add
from datacheck.kernels.histogram import SplitHistogram, split_count_below
from datacheck.kernels.quantiles import ExactAbsDeviation
from datacheck.kernels.shift import BinCounts, KeyedHashes, QuantileEdges
from datacheck.kernels.stratified import StratifiedSample

SETTINGS = settings(max_examples=35, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NAN, INF = math.nan, math.inf

# -- data -------------------------------------------------------------------------------------

ints = st.one_of(st.none(), st.integers(-3, 3), st.integers(-(2**40), 2**40))
floats = st.one_of(
    st.none(),
    st.sampled_from([NAN, INF, -INF, 0.0, -0.0, 1.0, -1.0, 0.5, -999.0]),
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
)
strings = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "\t", "\u00a0", "?", "N/A ", "na", "NULL", "a", "b", "ab", "é", "日本", " a", "a1"]),
    st.text(max_size=5),
)
bools = st.one_of(st.none(), st.booleans())

rows_st = st.lists(st.tuples(ints, floats, strings, bools), max_size=40)
string_types = st.sampled_from(["string", "large_string", "dictionary"])


def _string_array(values, kind):
    arr = pa.array(values, pa.large_string() if kind == "large_string" else pa.string())
    return pc.dictionary_encode(arr) if kind == "dictionary" else arr


def make_batch(rows, kind="string") -> pa.RecordBatch:
    cols = list(zip(*rows)) if rows else [(), (), (), ()]
    return pa.record_batch(
        {
            "i": pa.array(list(cols[0]), pa.int64()),
            "f": pa.array(list(cols[1]), pa.float64()),  # NaN stays NaN, None is null
            "s": _string_array(list(cols[2]), kind),
            "b": pa.array(list(cols[3]), pa.bool_()),
        }
    )


def cut_points(n: int, raw: list[int]) -> list[int]:
    """Sorted cut positions, 0 and n included; an empty input is one empty part."""
    pts = sorted({min(max(p, 0), n) for p in raw} | {0, n})
    return pts if len(pts) > 1 else [0, 0]


def parts_of(rows, kind, raw_splits):
    """(batch, offset) for every part; each part built on its own (its own dictionary)."""
    pts = cut_points(len(rows), raw_splits)
    return [(make_batch(rows[a:b], kind), a) for a, b in zip(pts[:-1], pts[1:])]


# -- comparing values -------------------------------------------------------------------------


def same(a, b, rel=0.0, abs_=0.0) -> bool:
    """Deep equality with NaN == NaN, optional float tolerance, numpy arrays and Arrow tables."""
    if isinstance(a, pa.Table) or isinstance(b, pa.Table):
        return same(a.to_pydict(), b.to_pydict(), rel, abs_) and a.schema.names == b.schema.names
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return same(list(np.asarray(a).tolist()), list(np.asarray(b).tolist()), rel, abs_)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], rel, abs_) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y, rel, abs_) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b or math.isclose(a, b, rel_tol=rel, abs_tol=abs_)
    return a == b


def moments_same(a: dict, b: dict) -> bool:
    """Moments: counts, min and max exact; the moment sums within rounding of their own scale."""
    if a["n"] != b["n"] or not same(a["min"], b["min"]) or not same(a["max"], b["max"]):
        return False
    if a["n"] == 0:
        return True
    n = a["n"]
    spread = max(abs(a["max"] - a["mean"]), abs(a["min"] - a["mean"]), 1e-300)
    scale_mean = max(abs(a["max"]), abs(a["min"]))
    if not math.isclose(a["mean"], b["mean"], rel_tol=1e-9, abs_tol=1e-12 * scale_mean):
        return False
    for k in (2, 3, 4):
        tol = 1e-8 * n * spread**k + 1e-8 * n * (1e-12 * scale_mean) ** k
        if not math.isclose(a["state"][k], b["state"][k], rel_tol=1e-7, abs_tol=tol):
            return False
    return True


def equal_values(kernel, a, b) -> bool:
    if isinstance(kernel, Moments):
        return moments_same(a, b)
    return same(a, b)


# -- folding ----------------------------------------------------------------------------------


def fold_whole(kernel, batch):
    return kernel.finalize(kernel.update(kernel.init(), BatchView(batch, 0)))


def fold_sequential(kernel, parts):
    state = kernel.init()
    for batch, off in parts:
        state = kernel.update(state, BatchView(batch, off))
    return kernel.finalize(state)


def part_states(kernel, parts):
    return [kernel.update(kernel.init(), BatchView(batch, off)) for batch, off in parts]


# -- the kernels --------------------------------------------------------------------------------

KERNELS = [
    RowCount(),
    ColumnCounts("i"),
    ColumnCounts("f"),
    ColumnCounts("s"),
    ColumnCounts("b"),
    CountOutside("f", -1.0, 1.0),
    CountOutside("i", None, 0.0),
    CountOutside("f", -INF, None),
    CountOutside("b", 0.5, None),
    CountOutside("i", -1, 2),
    CountOutside("i", -(2**70), 2**63),
    CountEqual("f", 0.0),
    CountEqual("i", -1.0),
    CountEqual("f", -999.0),
    Moments("f"),
    Moments("i"),
    Moments("b"),
    Extremes("f", 3),
    Extremes("i", 2),
    Extremes("i", 1),
    EdgeValues("f"),
    EdgeValues("i"),
    Histogram("f", (-1.0, 0.0, 0.5, 1.0, 10.0)),
    Histogram("i", (-3.0, 0.0, 3.0)),
    SplitHistogram("f", (-1.0, 0.0, 0.5, 1.0, 10.0), keep=(0, 2)),
    SplitHistogram("i", (-3.0, 0.0, 3.0), keep=(1,)),
    Frequencies("s"),
    Frequencies("i"),
    Frequencies("b"),
    Frequencies("f"),
    HashedCounts("s", 16),
    HashedCounts("i", 4),
    HashedCounts("b"),
    HashedCounts("f", 7),
    DisguisedMissing("s", ("?", "n/a", "NA", "null")),
    DisguisedMissing("s"),
    PatternMismatch("s", "[a-z]+"),
    PatternMismatch("s", "a", search=True),
    PatternMismatch("s", "\\p{L}+"),
    NotInSet("s", ("a", "b", " ")),
    NotInSet("i", (0, 1, 2)),
    NotInSet("f", (0.0, 1.5, -999)),
    NotInSet("b", (True,)),
    RowHashes(("i", "s")),
    RowHashes(("f",), skip_missing=True),
    RowHashes(("i", "f", "s", "b")),
    RowHashes(("s", "b"), skip_missing=True),
    GroupCounts((Col("s"), Col("b"))),
    GroupCounts((Bin("f", (-1.0, 0.0, 1.0)), IsMissing("i"))),
    GroupCounts((Col("f"),)),
    GroupCounts((IsMissing("f"), IsMissing("s"), Col("i"))),
    Sample(("i", "s"), k=5, seed=3),
    Sample(("f", "b"), k=100, seed=0),
    # ids with repeats, nulls and (for "f") NaN; k small enough that ids are dropped
    QuantileEdges("f", bins=4, sample_size=50, seed=1),
    QuantileEdges("i", bins=10, sample_size=3, seed=0),
    BinCounts("f", (-1.0, 0.0, 0.5, 1.0)),
    BinCounts("i", (-2.0, 0.0, 2.0)),
    StratifiedSample(("f", "s"), "b", ((True, 3), (False, 2)), seed=2),
    StratifiedSample(("i",), "s", (("a", 1), ("b", 100)), seed=0),
    KeyedHashes("i", ("f", "s", "b"), k=3),
    KeyedHashes("i", ("s",), k=100),
    KeyedHashes("f", ("i", "b"), k=4),
    KeyedHashes("s", ("i", "f"), k=2),
    KeyedHashes("b", ("s",), k=1),
    ExactAbsDeviation("f", 0.0, 5, 0.0, 2.0),
    ExactAbsDeviation("i", 1.0, 3, 0.5, 1e9),
]
IDS = [repr(k) for k in KERNELS]


@pytest.mark.parametrize("kernel", KERNELS, ids=IDS)
@SETTINGS
@given(rows=rows_st, kind=string_types, splits=st.lists(st.integers(0, 40), max_size=4))
def test_split_merge_equals_whole(kernel, rows, kind, splits):
    whole = fold_whole(kernel, make_batch(rows, kind))
    parts = parts_of(rows, kind, splits)
    assert equal_values(kernel, fold_sequential(kernel, parts), whole)
    states = part_states(kernel, parts)
    merged = kernel.finalize(reduce(kernel.merge, states))
    assert equal_values(kernel, merged, whole)
    # commutative: merge the parts in reverse order
    merged_rev = kernel.finalize(reduce(lambda a, b: kernel.merge(b, a), states[::-1]))
    assert equal_values(kernel, merged_rev, whole)


@pytest.mark.parametrize("kernel", KERNELS + [Sketch("f"), Sketch("i")], ids=IDS + ["Sketch(f)", "Sketch(i)"])
@SETTINGS
@given(rows=rows_st, kind=string_types)
def test_empty_batch_is_identity(kernel, rows, kind):
    empty = make_batch([], kind)
    batch = make_batch(rows, kind)
    ident = kernel.update(kernel.init(), BatchView(empty, 0))

    def value(state):
        v = kernel.finalize(state)
        if isinstance(v, SketchValue):
            return (v.n, v.quantiles([0, 0.25, 0.5, 0.75, 1]))
        return v

    assert equal_values(kernel, value(ident), value(kernel.init()))
    whole = value(kernel.update(kernel.init(), BatchView(batch, 0)))
    s = kernel.update(kernel.init(), BatchView(batch, 0))
    assert equal_values(kernel, value(kernel.merge(s, kernel.update(kernel.init(), BatchView(empty, 0)))), whole)
    s = kernel.update(kernel.init(), BatchView(batch, 0))
    assert equal_values(kernel, value(kernel.merge(kernel.init(), s)), whole)
    s = kernel.update(kernel.init(), BatchView(batch, 0))
    assert equal_values(kernel, value(kernel.update(s, BatchView(empty, len(rows)))), whole)


# -- kernel-specific truths (the laws alone would pass a kernel that is consistently wrong) -----


@SETTINGS
@given(rows=rows_st, kind=string_types)
def test_counts_match_python(rows, kind):
    b = make_batch(rows, kind)
    fl = [r[1] for r in rows]
    c = fold_whole(ColumnCounts("f"), b)
    assert c["rows"] == len(rows)
    assert c["nulls"] == sum(v is None for v in fl)
    assert c["nan"] == sum(v is not None and math.isnan(v) for v in fl)
    assert c["posinf"] == sum(v == INF for v in fl if v is not None)
    assert c["neginf"] == sum(v == -INF for v in fl if v is not None)
    assert c["missing"] == c["nulls"] + c["nan"]
    out = fold_whole(CountOutside("f", -1.0, 1.0), b)
    assert out["below"] == sum(v < -1 for v in fl if v is not None and not math.isnan(v))
    assert out["above"] == sum(v > 1 for v in fl if v is not None and not math.isnan(v))
    assert fold_whole(CountEqual("f", 0.0), b) == sum(v == 0.0 for v in fl if v is not None)
    s = [r[2] for r in rows]
    d = fold_whole(DisguisedMissing("s", ("?", "n/a")), b)
    assert d["empty"] == sum(v == "" for v in s)
    assert d["whitespace"] == sum(v is not None and v != "" and v.strip() == "" for v in s)
    assert sum(d["tokens"].values()) == sum(v is not None and v.strip().lower() in ("?", "n/a") for v in s)
    nis = fold_whole(NotInSet("s", ("a", "b")), b)
    assert nis["checked"] == sum(v is not None for v in s)
    assert nis["outside"] == sum(v is not None and v not in ("a", "b") for v in s)


@SETTINGS
@given(rows=rows_st)
def test_not_in_set_treats_nan_as_missing(rows):
    """NaN is missing everywhere: it is neither checked nor reported as a value outside the set."""
    fl = [r[1] for r in rows]
    v = fold_whole(NotInSet("f", (0.0, 1.0)), make_batch(rows))
    assert v["checked"] == sum(x is not None and not math.isnan(x) for x in fl)
    assert v["outside"] == sum(x is not None and not math.isnan(x) and x not in (0.0, 1.0) for x in fl)


@SETTINGS
@given(rows=rows_st)
def test_frequencies_exact_below_cap(rows):
    b = make_batch(rows)
    f = fold_whole(Frequencies("i"), b)
    ints_ = [r[0] for r in rows if r[0] is not None]
    assert f["exact"] and f["max_error"] == 0
    assert f["counts"] == {k: ints_.count(k) for k in set(ints_)}
    assert f["distinct"] == len(set(ints_))
    assert f["nulls"] == len(rows) - len(ints_)
    # NaN is missing for floats too: counted with the nulls, never as a value
    ff = fold_whole(Frequencies("f"), b)
    fl = [r[1] for r in rows]
    assert ff["nulls"] == sum(x is None or math.isnan(x) for x in fl)
    assert not any(isinstance(k, float) and math.isnan(k) for k in ff["counts"])


@SETTINGS
@given(
    values=st.lists(st.integers(0, 30), max_size=300),
    cap=st.integers(1, 8),
    splits=st.lists(st.integers(0, 300), max_size=5),
)
def test_frequencies_misra_gries_bound_above_cap(values, cap, splits):
    """Beyond ``cap`` distinct values: counts are lower bounds within ``max_error``; heavy hitters kept."""
    k = Frequencies("x", cap=cap)
    pts = cut_points(len(values), splits)
    parts = [(pa.record_batch({"x": pa.array(values[a:b], pa.int64())}), a) for a, b in zip(pts[:-1], pts[1:])]
    for f in (fold_sequential(k, parts), k.finalize(reduce(k.merge, part_states(k, parts)))):
        err = f["max_error"]
        assert len(f["counts"]) <= cap
        assert f["total"] == len(values)
        for v, c in f["counts"].items():
            true = values.count(v)
            assert true - err <= c <= true
        for v in set(values):
            if values.count(v) > err:
                assert v in f["counts"]
        # Misra-Gries: every unit of error removed cap + 1 counted items
        assert err * (cap + 1) <= len(values) - sum(f["counts"].values())
        assert f["exact"] == (err == 0)


def test_mg_add_prunes_to_cap():
    counts, err = mg_add({"a": 5, "b": 3, "c": 1}, 0, {"d": 2}, cap=2)
    assert err == 2 and counts == {"a": 3, "b": 1}


@SETTINGS
@given(rows=rows_st, splits=st.lists(st.integers(0, 40), max_size=4))
def test_extremes_are_the_true_extremes(rows, splits):
    k = Extremes("f", 3)
    parts = parts_of(rows, "string", splits)
    e = k.finalize(reduce(k.merge, part_states(k, parts)))
    finite = [(p, r[1]) for p, r in enumerate(rows) if r[1] is not None and math.isfinite(r[1])]
    smallest = sorted(finite, key=lambda pv: (pv[1], pv[0]))[:3]
    largest = sorted(finite, key=lambda pv: (-pv[1], pv[0]))[:3]
    assert [(p, v) for p, v in e["smallest"]] == smallest
    assert [(p, v) for p, v in e["largest"]] == largest


@SETTINGS
@given(rows=rows_st, splits=st.lists(st.integers(0, 40), max_size=4))
def test_edge_values_are_exact(rows, splits):
    k = EdgeValues("f")
    parts = parts_of(rows, "string", splits)
    e = k.finalize(reduce(k.merge, part_states(k, parts)))
    finite = [r[1] for r in rows if r[1] is not None and math.isfinite(r[1])]
    distinct = sorted(set(finite))
    assert e["low"] == [(v, finite.count(v)) for v in distinct[:2]]
    assert e["high"] == [(v, finite.count(v)) for v in distinct[::-1][:2]]


@SETTINGS
@given(rows=rows_st)
def test_histogram_matches_numpy(rows):
    edges = (-1.0, 0.0, 0.5, 1.0, 10.0)
    h = fold_whole(Histogram("f", edges), make_batch(rows))
    x = np.array([r[1] for r in rows if r[1] is not None and math.isfinite(r[1])], dtype=float)
    assert h["counts"] == np.histogram(x, bins=edges)[0].tolist()
    assert h["under"] == int((x < -1).sum()) and h["over"] == int((x > 10).sum())


@SETTINGS
@given(rows=rows_st, kind=string_types)
def test_group_counts_match_python(rows, kind):
    b = make_batch(rows, kind)
    g = fold_whole(GroupCounts((Col("s"), IsMissing("f"))), b)
    expect: dict = {}
    for _, f, s, _ in rows:
        key = (s, f is None or math.isnan(f))
        expect[key] = expect.get(key, 0) + 1
    assert g == expect
    gb = fold_whole(GroupCounts((Bin("f", (-1.0, 0.0, 1.0)),)), b)
    expect = {}
    for _, f, _, _ in rows:
        if f is None or not math.isfinite(f):
            key = None
        elif f < -1:
            key = -1
        elif f > 1:
            key = 2
        else:
            key = 0 if f < 0 else 1
        expect[(key,)] = expect.get((key,), 0) + 1
    assert gb == expect


@SETTINGS
@given(rows=rows_st, kind=string_types)
def test_row_hashes_match_pandas_duplicated(rows, kind):
    import pandas as pd

    b = make_batch(rows, kind)
    h = fold_whole(RowHashes(("i", "f", "s", "b")), b)

    def norm(v):
        if isinstance(v, float) and math.isnan(v):
            return None  # NaN is missing, like null
        if isinstance(v, float) and v == 0:
            return 0.0
        return v

    keys = [tuple(norm(v) for v in r) for r in rows]
    dup = pd.Series(keys, dtype=object).duplicated().sum() if rows else 0
    assert h["duplicate_rows"] == dup
    assert h["rows"] == len(rows)


@SETTINGS
@given(rows=rows_st, splits=st.lists(st.integers(0, 40), max_size=4))
def test_sample_is_a_sample_of_the_rows(rows, splits):
    k = Sample(("i", "s"), k=7, seed=1)
    t = k.finalize(reduce(k.merge, part_states(k, parts_of(rows, "string", splits))))
    assert t.num_rows == min(7, len(rows))
    for r, i, s in zip(t.column("__row__").to_pylist(), t.column("i").to_pylist(), t.column("s").to_pylist()):
        assert (rows[r][0], rows[r][2]) == (i, s)


# -- sketch and exact quantiles -------------------------------------------------------------------


def _true_rank_interval(sorted_x: np.ndarray, v: float) -> tuple[float, float]:
    n = sorted_x.size
    return np.searchsorted(sorted_x, v, "left") / n, np.searchsorted(sorted_x, v, "right") / n


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    splits=st.lists(st.integers(0, 6000), max_size=5),
    dist=st.sampled_from(["normal", "lognormal", "ints"]),
)
def test_sketch_merge_within_rank_error(seed, splits, dist):
    rng = np.random.default_rng(seed)
    n = 6000
    x = {
        "normal": lambda: rng.normal(size=n),
        "lognormal": lambda: rng.lognormal(sigma=2, size=n),
        "ints": lambda: rng.integers(0, 50, size=n).astype(float),
    }[dist]()
    k = Sketch("x")
    pts = cut_points(n, splits)
    parts = [(pa.record_batch({"x": x[a:b]}), a) for a, b in zip(pts[:-1], pts[1:])]
    sk = k.finalize(reduce(k.merge, part_states(k, parts)))
    assert sk.n == n
    eps = sk.rank_error
    xs = np.sort(x)
    assert sk.quantile(0.0) == xs[0] and sk.quantile(1.0) == xs[-1]
    for q in (0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99):
        lo, hi = _true_rank_interval(xs, sk.quantile(q))
        assert lo - eps <= q <= hi + eps, (q, lo, hi, eps)


@SETTINGS
@given(rows=rows_st, splits=st.lists(st.integers(0, 40), max_size=4))
def test_sketch_small_inputs_are_exact(rows, splits):
    """Below k values a KLL sketch keeps every value: merged quantiles are order statistics."""
    k = Sketch("f")
    parts = parts_of(rows, "string", splits)
    sk = k.finalize(reduce(k.merge, part_states(k, parts)))
    finite = np.sort([r[1] for r in rows if r[1] is not None and math.isfinite(r[1])])
    assert sk.n == finite.size
    if finite.size:
        for q in (0.0, 0.3, 0.5, 1.0):
            assert sk.quantile(q) in finite


QS = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0)


def _check_exact(values: np.ndarray, parts, column="x"):
    sk_k = Sketch(column)
    sk = sk_k.finalize(reduce(sk_k.merge, part_states(sk_k, parts)))
    eq = ExactQuantiles.from_sketch(column, QS, sk)
    got_seq = fold_sequential(eq, parts)
    got = eq.finalize(reduce(eq.merge, part_states(eq, parts)))
    rev = eq.finalize(reduce(lambda a, b: eq.merge(b, a), part_states(eq, parts)[::-1]))
    finite = values[np.isfinite(values)]
    for g in (got, got_seq, rev):
        if finite.size == 0:
            assert all(math.isnan(v) for v in g["values"].values())
            continue
        assert g["exact"]
        want = np.quantile(finite, QS)
        np.testing.assert_allclose([g["values"][q] for q in QS], want, rtol=1e-12, atol=0)


@SETTINGS
@given(rows=rows_st, splits=st.lists(st.integers(0, 40), max_size=4))
def test_exact_quantiles_small(rows, splits):
    x = np.array([np.nan if r[1] is None else r[1] for r in rows], dtype=float)
    _check_exact(x, parts_of(rows, "string", splits), column="f")


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    splits=st.lists(st.integers(0, 20000), max_size=5),
    dist=st.sampled_from(["normal", "ties", "heavy"]),
)
def test_exact_quantiles_large_vs_numpy(seed, splits, dist):
    rng = np.random.default_rng(seed)
    n = 20000
    x = {
        "normal": lambda: rng.normal(size=n),
        "ties": lambda: rng.integers(0, 7, size=n).astype(float),
        "heavy": lambda: rng.standard_cauchy(size=n),
    }[dist]()
    pts = cut_points(n, splits)
    parts = [(pa.record_batch({"x": x[a:b]}), a) for a, b in zip(pts[:-1], pts[1:])]
    _check_exact(x, parts)


@pytest.mark.parametrize("kernel", KERNELS + [Sketch("f")], ids=IDS + ["Sketch(f)"])
@settings(max_examples=10, deadline=None)
@given(rows=rows_st, kind=string_types, splits=st.lists(st.integers(0, 40), max_size=3))
def test_states_survive_serialisation(kernel, rows, kind, splits):
    """States travel between processes (Spark executors to the driver): dumps/loads keeps the law."""
    parts = parts_of(rows, kind, splits)
    states = [kernel.loads(kernel.dumps(s)) for s in part_states(kernel, parts)]
    merged = kernel.finalize(reduce(kernel.merge, states))
    whole = fold_whole(kernel, make_batch(rows, kind))
    if isinstance(kernel, Sketch):
        assert merged.n == whole.n and merged.quantiles([0, 1]) == whole.quantiles([0, 1])
    else:
        assert equal_values(kernel, merged, whole)


def test_every_registered_kernel_is_under_the_laws():
    """Walks every module of datacheck.kernels: a new kernel joins the laws by being written (or
    names the test file that holds its own split-equals-whole law)."""
    import importlib
    import inspect
    import pkgutil

    import datacheck.kernels as kernels_pkg
    from datacheck.kernels.base import Kernel

    found = set()
    for info in pkgutil.iter_modules(kernels_pkg.__path__):
        mod = importlib.import_module(f"datacheck.kernels.{info.name}")
        found |= {
            cls
            for name, cls in inspect.getmembers(mod, inspect.isclass)
            if issubclass(cls, Kernel)
            and cls is not Kernel
            and cls.__module__ == mod.__name__
            and not name.startswith("_")
        }
    from datacheck.kernels.lengths import LengthOutside, LengthStats
    from datacheck.kernels.patterns import PatternHit
    from datacheck.kernels.slice_sums import GroupSums, LevelSums

    elsewhere = {  # their own split == whole tests
        LengthOutside: "tests/kernels/test_lengths_patterns.py",
        LengthStats: "tests/kernels/test_lengths_patterns.py",
        PatternHit: "tests/kernels/test_lengths_patterns.py",
        GroupSums: "tests/kernels/test_slice_sums.py",
        LevelSums: "tests/kernels/test_slice_sums.py",
    }
    tested = {type(k) for k in KERNELS} | {Sketch, ExactQuantiles} | set(elsewhere)
    assert found - tested == set()


@SETTINGS
@given(rows=rows_st, k=st.integers(1, 8))
def test_keyed_hashes_duplicates_and_complete(rows, k):
    """Duplicates are the repeats of the kept ids; complete means no id was dropped (exactly k is complete)."""
    b = make_batch(rows)
    v = fold_whole(KeyedHashes("i", ("s",), k=k), b)
    ids = [r[0] for r in rows if r[0] is not None]
    distinct = len(set(ids))
    assert v["complete"] == (distinct <= k) and v["ids"].size == min(distinct, k)
    assert (v["threshold"] is None) == v["complete"]
    assert v["missing_ids"] == len(rows) - len(ids) and v["rows_with_id"] == len(ids)
    full = fold_whole(KeyedHashes("i", ("s",), k=10_000), b)
    kept = set(v["ids"].tolist())
    per_id = {h: n for h, n in zip(full["ids"].tolist(), _rows_per_id(full, b))}
    assert v["duplicate_ids"] == sum(per_id[h] - 1 for h in kept)
    if v["complete"]:
        assert v["duplicate_ids"] == len(ids) - distinct


def _rows_per_id(full, batch):
    """Rows per kept id of a complete KeyedHashes value, recounted from the id column's hashes."""
    from datacheck.kernels.shift import _id_hash

    h = _id_hash(batch.column("i"))[~np.asarray(batch.column("i").is_null().to_numpy(zero_copy_only=False))]
    return [int((h == x).sum()) for x in full["ids"]]


def test_keyed_hashes_whole_float_ids_join_integers_in_any_batch():
    """3.0 hashes like 3 even when its batch also holds 2.5 (decided per value, not per batch)."""
    from datacheck.kernels.shift import _id_hash

    h3 = _id_hash(pa.array([3], pa.int64()))[0]
    assert _id_hash(pa.array([3.0, 2.5]))[0] == h3 == _id_hash(pa.array([3.0, 4.0]))[0]
    assert _id_hash(pa.array([2.5]))[0] != _id_hash(pa.array([2], pa.int64()))[0]
    k = KeyedHashes("x", ("y",), k=10)
    ints = fold_whole(k, pa.record_batch({"x": pa.array([1, 3], pa.int64()), "y": pa.array([0.0, 1.0])}))
    mixed = fold_whole(k, pa.record_batch({"x": pa.array([3.0, 2.5]), "y": pa.array([1, 2], pa.int64())}))
    assert set(ints["ids"].tolist()) & set(mixed["ids"].tolist()) == {int(h3)}


@SETTINGS
@given(rows=rows_st, cut=st.floats(-12, 12, allow_nan=False), splits=st.lists(st.integers(0, 40), max_size=4))
def test_split_histogram_counts_below_any_cut_in_a_kept_bin(rows, cut, splits):
    """The count below a cut falling in a kept bin (or on an edge) equals the plain count."""
    k = SplitHistogram("f", (-1.0, 0.0, 0.5, 1.0, 10.0), keep=(0, 2))
    h = k.finalize(reduce(k.merge, part_states(k, parts_of(rows, "string", splits))))
    fl = [r[1] for r in rows if r[1] is not None and math.isfinite(r[1])]
    got = split_count_below(h, cut)
    if got is not None:
        assert got == sum(v < cut for v in fl)
    if -1.0 <= cut < 0.0 or 0.5 <= cut < 1.0 or cut in (-1.0, 0.0, 0.5, 1.0):
        assert got is not None
