"""Text columns read dictionary-encoded (Parquet ``read_dictionary``): the kernels that read only
through BatchView give the same values as on decoded strings; the others get plain strings."""

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from datacheck.engines.local import fold
from datacheck.engines.opener import open_source
from datacheck.kernels import ColumnCounts, DisguisedMissing, Frequencies, HashedCounts
from datacheck.kernels.base import BatchView
from datacheck.kernels.sample import Sample


def _vc(arr):
    values, counts = BatchView(pa.record_batch({"c": arr})).value_counts("c")
    return dict(zip(values.to_pylist(), counts.tolist()))


def test_dictionary_counts_equal_decoded_counts():
    plain = pa.array(["a", None, "b", "a", " ", "", "a"])
    enc = plain.dictionary_encode()
    assert _vc(enc) == _vc(plain) == {"a": 3, "b": 1, " ": 1, "": 1}
    view = BatchView(pa.record_batch({"c": enc}))
    assert view.null_count("c") == 1 and view.column_type("c") == pa.string()


def test_dictionary_repeating_a_value_or_holding_null_is_counted_decoded():
    rep = pa.DictionaryArray.from_arrays(pa.array([0, 1, 2, 0]), pa.array(["x", "y", "x"]))
    assert _vc(rep) == {"x": 3, "y": 1}
    withnull = pa.DictionaryArray.from_arrays(pa.array([0, 1, 1]), pa.array(["x", None]))
    assert _vc(withnull) == {"x": 1}
    assert BatchView(pa.record_batch({"c": withnull})).null_count("c") == 2


def test_parquet_fold_reads_codes_and_agrees(tmp_path):
    rng = np.random.default_rng(0)
    words = np.array([f"w{i}" for i in range(3000)] + ["", "  ", "NA"])
    vals = words[rng.integers(0, words.size, 20_000)].astype(object)
    vals[rng.choice(vals.size, 500, replace=False)] = None
    table = pa.table({"c": pa.array(vals, pa.string()), "x": rng.normal(size=vals.size)})
    path = str(tmp_path / "d.parquet")
    pq.write_table(table, path, row_group_size=7000)
    kernels = [Frequencies("c"), HashedCounts("c", 64), DisguisedMissing("c", ("na",)), ColumnCounts("c")]
    src = open_source(path, batch_rows=3000)
    seen = []
    real = src.batches
    src.batches = lambda cols, **kw: (seen.append(kw), real(cols, **kw))[1]
    from_file, failed = fold(src, kernels)
    assert not failed and seen[-1] == {"dictionary": ["c"]}
    from_table, _ = fold(open_source(table, batch_rows=3000), kernels)
    for k in kernels:
        a, b = from_file[k], from_table[k]
        if isinstance(k, HashedCounts):
            assert a["counts"].tolist() == b["counts"].tolist() and a["nulls"] == b["nulls"]
        else:
            assert a == b
    # a kernel reading the batch itself keeps the column plain
    fold(src, [Frequencies("c"), Sample(("c",), 10)])
    assert seen[-1] == {}


def test_parquet_column_normalised_to_text_is_read_as_stored(tmp_path):
    # intervals are stored as a struct and read as text labels: not a column Parquet can hand as codes
    import pandas as pd

    import datacheck

    df = pd.DataFrame({"a": pd.arrays.IntervalArray.from_breaks([0, 1, 2]).repeat(2)})
    path = str(tmp_path / "i.parquet")
    df.to_parquet(path)
    r = datacheck.run(path, {"name": "s", "checks": [{"allowed_values": {"columns": "a", "values": ["(0, 1]"]}}]})
    assert r.results[0].status == "fail"
