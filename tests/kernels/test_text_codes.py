"""Text columns hashed once a batch: ``BatchView.codes``, value counts read off them, and the
``GroupCounts`` count of combined codes.

* ``string_hashes`` keeps its values (profiles store hash buckets): fixed values, checked here;
* a view's value counts are the same (values, order, counts, dtype) whether Arrow's
  ``value_counts`` hashed the column or they were read off its codes;
* every row's code points at its own value, for plain and dictionary columns, with nulls;
* ``GroupCounts`` from codes counts exactly what Arrow's group-by counts (the same keys as Python
  values, the same counts), whichever kernel encoded a column first.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from datacheck.kernels import BatchView
from datacheck.kernels.frequencies import string_hashes
from datacheck.kernels.groups import Col, GroupCounts, _coded_counts


def test_string_hashes_keep_their_values():
    vals = ["", "a", "h12345", "12345678", "123456789", "a string longer than two words", "été"]
    want = [
        16294208416658607535,
        13646181737975555236,
        10781966254953767520,
        2275335734528537308,
        2336222535604803322,
        4451075684924196994,
        625921200353737159,
    ]
    for t in (pa.string(), pa.large_string()):
        assert string_hashes(pa.array(vals, t)).tolist() == want
        assert string_hashes(pa.array(["pad", *vals], t).slice(1)).tolist() == want
    short = [v for v, w in zip(vals, want) if len(v.encode()) <= 8]
    assert string_hashes(pa.array(short)).tolist() == [w for v, w in zip(vals, want) if len(v.encode()) <= 8]


_text = st.lists(st.one_of(st.none(), st.sampled_from(["x", "y", "", "zz", "é", "a long value here"])), max_size=60)


def _arrow_counts(arr: pa.Array):
    if len(arr) == arr.null_count:
        return pa.array([], arr.type), np.zeros(0, dtype=np.int64)
    r = pc.value_counts(arr.drop_null() if arr.null_count else arr)
    return r.field("values"), r.field("counts").to_numpy(zero_copy_only=False)


@settings(max_examples=200, deadline=None)
@given(_text, st.sampled_from([pa.string(), pa.large_string()]), st.integers(0, 5))
def test_value_counts_read_off_codes_equal_arrow(vals, t, skip):
    arr = pa.array(vals, t).slice(min(skip, len(vals)))
    v = BatchView(pa.record_batch({"c": arr}))
    values, codes = v.codes("c")
    assert [None if c < 0 else values[int(c)].as_py() for c in codes] == arr.to_pylist()
    got, want = v.value_counts("c"), _arrow_counts(arr)
    assert got[0].equals(want[0])
    assert got[1].tolist() == want[1].tolist() and got[1].dtype == np.int64
    d = BatchView(pa.record_batch({"c": arr.dictionary_encode()}))
    dvalues, dcodes = d.codes("c")
    assert [None if c < 0 else dvalues[int(c)].as_py() for c in dcodes] == arr.to_pylist()
    assert d.value_counts("c")[0].equals(dvalues)


def _arrow_group_by(keys, view):
    names = [f"k{i}" for i in range(len(keys))]
    t = pa.table({n: k.array(view) for n, k in zip(names, keys)})
    agg = t.group_by(names, use_threads=False).aggregate([([], "count_all")])
    cols = [agg.column(n).to_pylist() for n in names]
    return list(zip(zip(*cols), agg.column("count_all").to_pylist()))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_group_counts_from_codes_equal_arrow_group_by(data):
    n = data.draw(st.integers(1, 60))
    s = data.draw(st.lists(st.one_of(st.none(), st.sampled_from(["x", "y", "", "zz"])), min_size=n, max_size=n))
    r = data.draw(st.lists(st.sampled_from(["p", "q"]), min_size=n, max_size=n))
    y = data.draw(st.lists(st.one_of(st.none(), st.sampled_from([0, 1, -3, 7])), min_size=n, max_size=n))
    u = data.draw(st.lists(st.sampled_from([2**64 - 1, 2**64 - 3]), min_size=n, max_size=n))
    batch = pa.record_batch(
        {
            "s": pa.array(s, pa.string()),
            "sd": pa.array(s, pa.string()).dictionary_encode(),
            "r": pa.array(r, pa.large_string()).dictionary_encode(),
            "y": pa.array(y, pa.int8()),
            "u": pa.array(u, pa.uint64()),
            "none": pa.array([None] * n, pa.int32()),
            "wide": pa.array(data.draw(st.lists(st.sampled_from([-128, 127, 0]), min_size=n, max_size=n)), pa.int8()),
        }
    )
    for keys in [
        (Col("s"), Col("r"), Col("y"), Col("u")),
        (Col("sd"), Col("y")),
        (Col("none"), Col("s")),
        (Col("y"),),
        (Col("wide"), Col("sd")),
    ]:
        first = data.draw(st.sampled_from([None, "s", "sd", "r"]))
        v = BatchView(batch)
        if first is not None:
            v.value_counts(first)  # a column already hashed for its value counts
        want = _arrow_group_by(keys, BatchView(batch))
        got = _coded_counts(keys, v)
        if got is not None:
            assert dict(got) == dict(want) and len(got) == len(want)
            assert sorted(map(repr, got)) == sorted(map(repr, want))  # the same Python types
        k = GroupCounts(keys)
        assert k.update(k.init(), v) == dict(want)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.text(alphabet="aB é中\U0001f600\x00z", max_size=3)), max_size=40),
    st.sampled_from([pa.string(), pa.large_string()]),
    st.sampled_from([3, 10_000]),
)
def test_frequencies_order_text_as_python_sorts_it(vals, t, cap):
    from datacheck.kernels.frequencies import Frequencies

    k = Frequencies("c", cap=cap)
    state = k.update(k.init(), BatchView(pa.record_batch({"c": pa.array(vals, t)})))
    keys, cnt = state[0], state[1]
    raw = {} if keys is None else dict(zip(keys.to_pylist(), cnt.tolist()))
    want = sorted(raw.items(), key=lambda kv: (-kv[1], str(kv[0])))
    got = k.finalize(state)["counts"]
    assert list(got.items()) == want
    assert all(type(v) is int for v in got.values())
