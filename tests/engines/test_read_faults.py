"""Faults while reading: exit code 2 and one line naming the file (and row group or line); no
partial report."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import datacheck
from datacheck.cli import main
from datacheck.engines.opener import open_source
from datacheck.errors import DataError

SUITE = {"name": "s", "checks": ["missing", {"range": {"columns": "x", "min": 0}}]}


@pytest.fixture
def parquet(tmp_path):
    df = pd.DataFrame({"x": np.arange(50_000.0), "s": ["a", "b"] * 25_000})
    path = tmp_path / "d.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, row_group_size=5_000)
    return path


def _cli(tmp_path, data, capsys):
    suite = tmp_path / "s.yaml"
    suite.write_text("name: s\nchecks:\n  - missing\n")
    code = main(["run", str(data), "--suite", str(suite), "--json", str(tmp_path / "out" / "r.json")])
    err = capsys.readouterr().err.strip()
    return code, err


def test_parquet_corrupted_mid_stream_names_file_and_row_group(parquet, tmp_path, capsys):
    raw = bytearray(parquet.read_bytes())
    mid = len(raw) // 2
    raw[mid : mid + 3000] = b"\xab" * 3000
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(bytes(raw))
    with pytest.raises(DataError, match=r"bad\.parquet \(row group \d+ of 10\)"):
        datacheck.run(bad, SUITE)
    code, err = _cli(tmp_path, bad, capsys)
    assert code == 2 and len(err.splitlines()) == 1 and "row group" in err
    assert not (tmp_path / "out" / "r.json").exists()  # no partial report


def test_parquet_cut_short_names_file(parquet, tmp_path, capsys):
    bad = tmp_path / "short.parquet"
    bad.write_bytes(parquet.read_bytes()[: parquet.stat().st_size // 2])
    code, err = _cli(tmp_path, bad, capsys)
    assert code == 2 and len(err.splitlines()) == 1 and "short.parquet" in err


def test_directory_whose_files_disagree_on_a_type(tmp_path, capsys):
    d = tmp_path / "dir"
    d.mkdir()
    pq.write_table(pa.table({"a": pa.array([1, 2, 3])}), d / "p1.parquet")
    pq.write_table(pa.table({"a": pa.array(["7", "x", "9"])}), d / "p2.parquet")
    with pytest.raises(DataError, match=r"disagree on column 'a': it is int64 in .*p1\.parquet but string in .*p2"):
        open_source(d)
    code, err = _cli(tmp_path, d, capsys)
    assert code == 2 and len(err.splitlines()) == 1


def test_directory_with_dictionary_and_plain_strings_is_fine(tmp_path):
    d = tmp_path / "dir"
    d.mkdir()
    pq.write_table(pa.table({"a": pa.array(["u", "v"]).dictionary_encode()}), d / "p1.parquet")
    pq.write_table(pa.table({"a": pa.array(["w"], pa.large_string())}), d / "p2.parquet")
    assert datacheck.run(d, {"name": "s", "checks": ["missing"]}).n_rows == 3


def test_file_vanishing_mid_run(tmp_path):
    d = tmp_path / "dir"
    d.mkdir()
    for i in range(3):
        pq.write_table(pa.table({"x": pa.array(np.arange(10.0))}), d / f"p{i}.parquet")
    src = open_source(d)
    os.remove(d / "p1.parquet")
    with pytest.raises(DataError, match=r"p1\.parquet disappeared while it was being read; no report was made"):
        datacheck.run(src, {"name": "s", "checks": ["missing"]})


def test_csv_vanishing_mid_run(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("x\n1\n2\n")
    src = open_source(p)
    p.unlink()
    with pytest.raises(DataError, match=r"d\.csv disappeared"):
        datacheck.run(src, {"name": "s", "checks": ["missing"]})


# losing read permission mid-run: tests/engines/test_permission_lost.py (runs under root too)


def test_csv_whose_type_breaks_late_names_the_line(tmp_path, capsys):
    p = tmp_path / "late.csv"
    with open(p, "w") as fh:
        fh.write("n,s\n")
        fh.write("".join(f"{i},a\n" for i in range(1_900_000)))  # past the first 16 MB block
        fh.write("oops,a\n")
    assert p.stat().st_size > 16 << 20
    with pytest.raises(DataError, match=r"line 1,900,002, column .n."):
        datacheck.run(p, {"name": "s", "checks": ["missing"]})
    code, err = _cli(tmp_path, p, capsys)
    assert code == 2 and len(err.splitlines()) == 1 and "line 1,900,002" in err


def test_csv_numbers_with_a_few_texts_inside_the_first_block_are_named(tmp_path):
    p = tmp_path / "early.csv"
    p.write_text("n\n" + "".join(f"{i}\n" for i in range(500)) + "oops\n")
    r = datacheck.run(p, {"name": "s", "checks": ["missing"]})
    assert any("'n'" in n and "'oops'" in n and "read as text" in n for n in r.notes)
    clean = tmp_path / "clean.csv"
    clean.write_text("s\n" + "".join(f"v{i}\n" for i in range(500)))
    assert not [n for n in datacheck.run(clean, {"name": "s", "checks": ["missing"]}).notes if "read as text" in n]


def test_csv_type_break_late_in_a_column_no_check_reads(tmp_path, capsys):
    """A suite that reads only `s` still stops at the value that breaks `n`'s inferred type past the
    first 16 MB block: the file does not hold the types it was read with, so no report is made."""
    p = tmp_path / "late_other.csv"
    pad = "v" * 40
    with open(p, "w") as fh:
        fh.write("n,s\n")
        fh.write("".join(f"{i},{pad}{i % 5}\n" for i in range(420_000)))
        fh.write(f"x,{pad}0\n")
        fh.write("".join(f"{i},{pad}1\n" for i in range(10)))
    assert p.stat().st_size > 16 << 20
    suite = {"name": "s", "checks": [{"allowed_values": {"columns": "s", "values": [f"{pad}{i}" for i in range(5)]}}]}
    with pytest.raises(DataError, match=r"late_other\.csv, line 420,002, column 'n' \(type int64 inferred"):
        datacheck.run(p, suite)
    y = tmp_path / "only_s.yaml"
    y.write_text("name: s\nchecks:\n  - missing: {columns: s}\n")
    code = main(["run", str(p), "--suite", str(y), "--json", str(tmp_path / "out" / "r.json")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "line 420,002, column 'n'" in err, err
    assert not (tmp_path / "out" / "r.json").exists()


def test_csv_columns_converted_whole_once_then_only_what_is_read(tmp_path):
    p = tmp_path / "ok.csv"
    p.write_text("n,s\n" + "".join(f"{i},t{i % 3}\n" for i in range(1000)))
    src = open_source(p)
    assert [b.schema.names for b in src.batches(["s"])] == [["s"]]  # the first pass checks n too
    assert src._types_checked
    r = datacheck.run(src, {"name": "s", "checks": [{"outliers": {"columns": "n"}}, "missing"]})
    assert r.n_rows == 1000 and {x.status for x in r.results} <= {"pass", "warn"}


def test_jsonl_type_break_past_the_first_block_names_the_file_line(tmp_path, capsys):
    """Arrow counts rows within a 16 MB block; the message gives the file's line and the field."""
    import json

    p = tmp_path / "late.jsonl"
    with open(p, "w") as fh:
        fh.write("".join(json.dumps({"n": i, "s": "v" * 40}) + "\n" for i in range(400_000)))
        fh.write(json.dumps({"n": "x", "s": "a"}) + "\n")
    assert p.stat().st_size > 16 << 20
    with pytest.raises(DataError, match=r"late\.jsonl, line 400,001, field 'n' \(type int64 inferred from the first"):
        datacheck.run(p, {"name": "s", "checks": [{"missing": {"columns": "s"}}]})
    code, err = _cli(tmp_path, p, capsys)
    assert code == 2 and len(err.splitlines()) == 1 and "line 400,001, field 'n'" in err, err


def test_jsonl_type_break_in_the_first_block_names_the_line(tmp_path):
    p = tmp_path / "early.jsonl"
    p.write_text('{"n": 1, "m": {"k": 1}}\n\n{"n": 2, "m": {"k": 2}}\n{"n": 3, "m": {"k": "x"}}\n')
    with pytest.raises(DataError, match=r"early\.jsonl, line 4, field 'm\.k': a string where the lines before hold"):
        open_source(p)


def test_jsonl_vanishing_mid_run(tmp_path):
    p = tmp_path / "d.jsonl"
    p.write_text('{"x": 1}\n{"x": 2}\n')
    src = open_source(p)
    p.unlink()
    with pytest.raises(DataError, match=r"JSON Lines file .*d\.jsonl disappeared while it was being read"):
        datacheck.run(src, {"name": "s", "checks": ["missing"]})
