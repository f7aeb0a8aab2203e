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
