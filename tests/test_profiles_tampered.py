"""Tampered or foreign profile files, and output paths that cannot be written: exit 2 and one line."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import pytest

import datacheck
from datacheck.cli import main

SUITE = "name: shift\nchecks:\n  - drift: {columns: [x, s]}\n"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prof")
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=300), "s": rng.choice(["a", "b", "c"], 300)})
    data = tmp / "d.csv"
    df.to_csv(data, index=False)
    suite = tmp / "s.yaml"
    suite.write_text(SUITE)
    prof = tmp / "ref.profile.json"
    datacheck.profile(df, str(suite)).save(prof)
    return {"tmp": tmp, "data": data, "suite": suite, "prof": prof, "doc": json.loads(prof.read_text())}


def _kernel_value(doc, kind):
    for m in doc["metrics"]:
        if kind in json.dumps(m["value"])[:200]:
            return m
    raise LookupError(kind)


def _tamper(doc, how):
    d = json.loads(json.dumps(doc))
    if how == "values_edited":  # decodes cleanly, but the statistics were changed after saving
        for m in d["metrics"]:
            if "RowCount" in m["kernel"]["__kernel__"]:
                m["value"] = "many"
        return d
    d.pop("checksum", None)  # the structural cases below must be caught without the checksum
    if how == "no_format":
        del d["format"]
    elif how == "version":
        d["version"] = 99
    elif how == "schema_not_base64":
        d["schema"] = "%%%"
    elif how == "schema_not_arrow":
        d["schema"] = base64.b64encode(b"hello").decode()
    elif how == "metrics_not_list":
        d["metrics"] = 7
    elif how == "metric_without_kernel":
        del d["metrics"][0]["kernel"]
    elif how == "kernel_outside_package":
        d["metrics"][0]["kernel"]["__kernel__"] = "os:system"
    elif how == "kernel_unknown":
        d["metrics"][0]["kernel"]["__kernel__"] = "datacheck.kernels.counts:Nope"
    elif how == "kernel_bad_fields":
        d["metrics"][0]["kernel"]["fields"] = {"no_such_field": 1}
    elif how == "ndarray_bad_base64":
        _kernel_value(d, '"n"')["value"]["mean"] = {"__ndarray__": "!!", "dtype": "<f8", "shape": [3]}
    elif how == "ndarray_bad_shape":
        _kernel_value(d, '"n"')["value"]["mean"] = {
            "__ndarray__": base64.b64encode(b"\0" * 8).decode(),
            "dtype": "<f8",
            "shape": [5],
        }
    elif how == "ndarray_bad_dtype":
        _kernel_value(d, '"n"')["value"]["mean"] = {"__ndarray__": "", "dtype": "not a dtype", "shape": [0]}
    elif how == "kll_garbage":
        _kernel_value(d, '"n"')["value"]["mean"] = {"__kll__": base64.b64encode(b"xyz").decode(), "k": 200}
    elif how == "n_rows_text":
        d["n_rows"] = "many"
    elif how == "no_suite":
        del d["suite"]
    elif how == "failures_bad":
        d["failures"] = [{"kernel": 1}]
    elif how == "list_top":
        d = [d]
    return d


CASES = [
    "no_format",
    "version",
    "schema_not_base64",
    "schema_not_arrow",
    "metrics_not_list",
    "metric_without_kernel",
    "kernel_outside_package",
    "kernel_unknown",
    "kernel_bad_fields",
    "ndarray_bad_base64",
    "ndarray_bad_shape",
    "ndarray_bad_dtype",
    "kll_garbage",
    "n_rows_text",
    "values_edited",
    "no_suite",
    "failures_bad",
    "list_top",
]


@pytest.mark.parametrize("how", CASES + ["truncated", "binary", "deep"])
def test_tampered_profile_exits_2_with_one_line(made, how, capsys, tmp_path):
    bad = tmp_path / "bad.profile.json"
    if how == "truncated":
        bad.write_text(made["prof"].read_text()[:500])
    elif how == "binary":
        bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    elif how == "deep":
        bad.write_text("[" * 100_000 + "]" * 100_000)
    else:
        bad.write_text(json.dumps(_tamper(made["doc"], how)))
    code = main(["run", str(made["data"]), "--suite", str(made["suite"]), "--reference", str(bad)])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err and "bad.profile.json" in err, err


def test_untampered_profile_still_works(made, capsys):
    assert main(["run", str(made["data"]), "--suite", str(made["suite"]), "--reference", str(made["prof"])]) == 0


@pytest.mark.parametrize("target", ["directory", "full_device"])
def test_unwritable_json_path_exits_2(made, target, capsys):
    out = str(made["tmp"]) if target == "directory" else "/dev/full"
    if target == "full_device":
        import os

        if not os.path.exists("/dev/full"):
            pytest.skip("no /dev/full on this system")
    code = main(["run", str(made["data"]), "--suite", str(made["suite"]), "--json", out])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err


# -- forgeries: impossible statistics under a recomputed checksum -------------------------------


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    """A profile with every kind of statistic the shift checks keep (drift, schema_skew,
    multivariate_drift, feature_skew), from data with nulls, NaN and infinities."""
    tmp = tmp_path_factory.mktemp("forged")
    rng = np.random.default_rng(1)
    n = 2000
    x = rng.normal(size=n)
    x[:20], x[20:25] = np.nan, np.inf
    df = pd.DataFrame({"x": x, "s": rng.choice(["a", "b", "c"], n), "uid": np.arange(n)})
    suite = tmp / "s.yaml"
    suite.write_text(
        "name: forged\ndataset: {id: uid}\nchecks:\n  - drift: {columns: [x, s]}\n  - schema_skew\n"
        "  - multivariate_drift: {columns: [x, s]}\n  - feature_skew: {columns: [x, s]}\n"
    )
    data = tmp / "d.csv"
    df.to_csv(data, index=False)
    prof = tmp / "ref.profile.json"
    datacheck.profile(df, str(suite)).save(prof)
    return {"data": data, "suite": suite, "doc": json.loads(prof.read_text())}


def _metric(doc, kernel: str, column: str | None = None):
    for m in doc["metrics"]:
        fields = m["kernel"]["fields"]
        if m["kernel"]["__kernel__"].endswith(":" + kernel) and column in (None, fields.get("column")):
            return m
    raise LookupError(kernel)


def _arr(values, dtype="<i8"):
    a = np.asarray(values, dtype=np.dtype(dtype))
    return {"__ndarray__": base64.b64encode(a.tobytes()).decode(), "dtype": a.dtype.str, "shape": list(a.shape)}


def _forge(doc, how):
    from datacheck.profiles import _checksum

    d = json.loads(json.dumps(doc))
    if how == "row_count_not_the_rows":
        _metric(d, "RowCount")["value"] = d["n_rows"] + 5
    elif how == "negative_nulls":
        _metric(d, "ColumnCounts", "x")["value"]["nulls"] = -3
    elif how == "missing_not_nulls_plus_nan":
        _metric(d, "ColumnCounts", "x")["value"]["missing"] = 0
    elif how == "min_above_max":
        v = _metric(d, "Moments", "x")["value"]
        v["min"], v["max"] = v["max"], v["min"]
    elif how == "mean_outside_range":
        _metric(d, "Moments", "x")["value"]["mean"] = 1e9
    elif how == "frequencies_beyond_rows":
        v = _metric(d, "Frequencies", "s")["value"]
        v["counts"]["a"] = d["n_rows"] * 2
    elif how == "frequencies_exact_but_short":
        v = _metric(d, "Frequencies", "s")["value"]
        v["counts"]["a"] -= 1
    elif how == "edges_unordered":
        v = _metric(d, "QuantileEdges", "x")["value"]
        v["edges"] = {"__tuple__": list(reversed(v["edges"]["__tuple__"]))}
    elif how == "bins_not_adding_up":
        v = _metric(d, "BinCounts", "x")["value"]
        counts = np.frombuffer(base64.b64decode(v["counts"]["__ndarray__"]), "<i8").copy()
        counts[1] += 7
        v["counts"] = _arr(counts)
    elif how == "bin_count_negative":
        v = _metric(d, "BinCounts", "x")["value"]
        counts = np.frombuffer(base64.b64decode(v["counts"]["__ndarray__"]), "<i8").copy()
        counts[1], counts[2] = -1, counts[2] + counts[1] + 1
        v["counts"] = _arr(counts)
    elif how == "sample_rows_beyond_data":
        m = _metric(d, "Sample")
        import pyarrow as pa

        with pa.ipc.open_stream(pa.BufferReader(base64.b64decode(m["value"]["__arrow__"]))) as r:
            t = r.read_all()
        rows = t.column("__row__").to_numpy().copy()
        rows[0] = d["n_rows"] + 100
        t = t.set_column(t.column_names.index("__row__"), "__row__", pa.array(rows))
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, t.schema) as w:
            w.write_table(t)
        m["value"]["__arrow__"] = base64.b64encode(sink.getvalue().to_pybytes()).decode()
    elif how == "ids_not_adding_up":
        _metric(d, "KeyedHashes")["value"]["missing_ids"] = 40
    elif how == "foreign_column":
        _metric(d, "Moments", "x")["kernel"]["fields"]["column"] = "salary"
    elif how == "column_type_changed":
        d["columns"]["x"] = {"type": "string", "logical": "string"}
    elif how == "kernel_name_unknown":
        _metric(d, "Moments", "x")["kernel"]["__kernel__"] = "datacheck.kernels.moments:Forged"
    d["checksum"] = _checksum(d)
    return d


FORGERIES = {
    "row_count_not_the_rows": "RowCount statistics of the rows",
    "negative_nulls": "ColumnCounts statistics of column 'x'",
    "missing_not_nulls_plus_nan": "ColumnCounts statistics of column 'x'",
    "min_above_max": "Moments statistics of column 'x'",
    "mean_outside_range": "Moments statistics of column 'x'",
    "frequencies_beyond_rows": "Frequencies statistics of column 's'",
    "frequencies_exact_but_short": "Frequencies statistics of column 's'",
    "edges_unordered": "QuantileEdges statistics of column 'x'",
    "bins_not_adding_up": "BinCounts statistics of column 'x'",
    "bin_count_negative": "BinCounts statistics of column 'x'",
    "sample_rows_beyond_data": "Sample statistics of columns",
    "ids_not_adding_up": "KeyedHashes statistics of columns",
    "foreign_column": "Moments statistics name column(s) ['salary']",
    "column_type_changed": "its column list does not match its schema",
    "kernel_name_unknown": "datacheck.kernels.moments:Forged",
}


def test_the_unforged_rich_profile_loads_and_runs(rich, tmp_path, capsys):
    good = tmp_path / "good.profile.json"
    good.write_text(json.dumps(_forge(rich["doc"], "none")))
    code = main(["run", str(rich["data"]), "--suite", str(rich["suite"]), "--reference", str(good)])
    assert code in (0, 1), capsys.readouterr().err
    assert "impossible" not in capsys.readouterr().err


@pytest.mark.parametrize("how", list(FORGERIES))
def test_forged_profile_with_a_valid_checksum_exits_2_naming_kernel_and_column(rich, how, tmp_path, capsys):
    bad = tmp_path / "forged.profile.json"
    bad.write_text(json.dumps(_forge(rich["doc"], how)))
    code = main(["run", str(rich["data"]), "--suite", str(rich["suite"]), "--reference", str(bad)])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1 and "forged.profile.json" in err and FORGERIES[how] in err, err
