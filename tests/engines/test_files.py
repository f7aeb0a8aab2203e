"""Files: the format is told from the content, every accepted format gives the same results, and a
broken CSV names the file, the line and the column."""

import gzip

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq
import pytest

import datacheck
from datacheck.engines.files import detect_format
from datacheck.engines.opener import open_source

SUITE = {
    "name": "f",
    "checks": [
        {"missing": {"max_fraction": 0}},
        {"range": {"columns": "x", "min": 0, "max": 50}},
        {"allowed_values": {"columns": "s", "values": ["a", "b"]}},
        {"row_count": {"min": 100}},
    ],
}


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {"x": rng.integers(0, 100, 120).astype(float), "n": np.arange(120), "s": rng.choice(["a", "b", "c"], 120)}
    )


def write(df, path, how):
    if how in ("csv", "txt"):
        df.to_csv(path, index=False)
    elif how == "tsv":
        df.to_csv(path, sep="\t", index=False)
    elif how == "semicolon":
        df.to_csv(path, sep=";", index=False)
    elif how == "csv.gz":
        with gzip.open(path, "wt") as fh:
            df.to_csv(fh, index=False)
    elif how == "tsv.gz":
        with gzip.open(path, "wt") as fh:
            df.to_csv(fh, sep="\t", index=False)
    elif how in ("jsonl", "ndjson"):
        df.to_json(path, orient="records", lines=True)
    elif how == "feather":
        feather.write_feather(pa.Table.from_pandas(df, preserve_index=False), path)
    elif how == "arrows":
        t = pa.Table.from_pandas(df, preserve_index=False)
        with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_stream(sink, t.schema) as w:
            w.write_table(t, max_chunksize=50)
    elif how == "parquet":
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, row_group_size=40)


CASES = [  # (how it is written, file name, what datacheck must say it read)
    ("csv", "d.csv", "comma-separated text (CSV)"),
    ("tsv", "d.tsv", "tab-separated text"),
    ("tsv", "d.txt", "tab-separated text"),  # a TSV named .txt is still a TSV
    ("semicolon", "d.csv", "semicolon-separated text"),
    ("csv.gz", "d.csv.gz", "comma-separated text (CSV), gzip-compressed"),
    ("tsv.gz", "d.tsv.gz", "tab-separated text, gzip-compressed"),
    ("jsonl", "d.jsonl", "JSON Lines"),
    ("ndjson", "d.ndjson", "JSON Lines"),
    ("feather", "d.feather", "Arrow IPC file (Feather v2)"),
    ("arrows", "d.arrows", "Arrow IPC stream"),
    ("parquet", "d.parquet", "Parquet"),
    ("parquet", "d.txt", "Parquet"),  # the content decides, not the name
]


@pytest.mark.parametrize("how,name,said", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_every_format_is_detected_said_and_gives_the_same_results(frame, tmp_path, how, name, said):
    path = tmp_path / name
    write(frame, path, how)
    src = open_source(str(path))
    assert src.format == said
    assert src.schema.names == ["x", "n", "s"]
    expected = datacheck.run(frame, SUITE)
    got = datacheck.run(path, SUITE, batch_rows=37)
    assert [(r.check, r.column, r.status, r.observed) for r in got.results] == [
        (r.check, r.column, r.status, r.observed) for r in expected.results
    ]
    assert got.n_rows == 120
    assert f"{name} was read as {said}" in got.summary()


def test_a_tsv_is_not_read_as_one_column(frame, tmp_path):
    path = tmp_path / "d.tsv"
    write(frame, path, "tsv")
    r = datacheck.run(
        path, {"name": "t", "checks": [{"schema": {"columns": {"x": "float", "n": "integer", "s": "string"}}}]}
    )
    assert r.passed, r.summary()


def test_binary_garbage_and_empty_files_are_clear_errors(tmp_path):
    junk = tmp_path / "model.bin"
    junk.write_bytes(b"\x00\x01\x02garbage" * 10)
    with pytest.raises(datacheck.DataError, match="binary but not Parquet"):
        datacheck.run(junk, SUITE)
    empty = tmp_path / "e.txt"
    empty.write_text("")
    with pytest.raises(datacheck.DataError, match="e.txt: the file is empty"):
        datacheck.run(empty, SUITE)
    fake = tmp_path / "f.parquet"
    fake.write_bytes(b"\x00" * 32)
    with pytest.raises(datacheck.DataError, match="must start with PAR1"):
        detect_format(str(fake))


def test_a_wrong_field_count_names_the_file_and_line(tmp_path):
    path = tmp_path / "bad.csv"
    rows = ["a,b,c"] + [f"{i},{i},x" for i in range(20)] + ["1,2,3,4,5"] + ["9,9,y"]
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(datacheck.DataError) as ei:
        datacheck.run(path, SUITE | {"checks": [{"missing": {}}]})
    msg = str(ei.value)
    assert f"{path}, line 22:" in msg and "Expected 3 columns, got 5" in msg


@pytest.mark.parametrize("gz", [False, True])
def test_a_value_breaking_the_inferred_type_names_file_line_and_column(tmp_path, gz):
    body = "a,b\n" + "".join(f"{i},some-longer-text-{i % 7}\n" for i in range(700_000)) + "oops,y\n"  # > 16 MB
    path = tmp_path / ("late.csv.gz" if gz else "late.csv")
    if gz:
        with gzip.open(path, "wt") as fh:
            fh.write(body)
    else:
        path.write_text(body)
    with pytest.raises(datacheck.DataError) as ei:
        datacheck.run(path, {"name": "c", "checks": [{"missing": {}}]})
    msg = str(ei.value)
    assert f"{path}, line 700,002, column 'a'" in msg and "invalid value 'oops'" in msg
    assert "CSV column #" not in msg


def test_a_saved_profile_is_recognised_by_its_content(frame, tmp_path):
    """A profile saved under any name works as a reference, and is refused (clearly) as data."""
    suite = {"name": "s", "checks": [{"drift": {"columns": ["x"]}}]}
    path = tmp_path / "train.json"  # not *.profile.json
    datacheck.profile(frame, suite).save(path)
    r = datacheck.run(frame, suite, reference=path)
    assert r.results[0].status == "pass"
    with pytest.raises(datacheck.DataError, match="is a saved datacheck profile, not data"):
        datacheck.run(path, suite)
