"""Sources read what pandas/Arrow hold without crashing: unencodable text, null-typed and nested
columns, mixed object columns, zero-column frames."""

import pandas as pd
import pyarrow as pa
import pytest

import datacheck
from datacheck.engines.opener import open_source


def run(data, checks, **kw):
    return datacheck.run(data, {"name": "s", "checks": checks, **kw})


def test_lone_surrogates_are_read_escaped_and_reported():
    df = pd.DataFrame({"s": pd.Series(["ok", "a\udcffb", None, "\ud800"], dtype=object)})
    r = run(df, [{"allowed_values": {"columns": "s", "values": ["ok"]}}, "missing"])
    assert r.results[0].status == "fail" and r.results[0].observed["outside"] == 2
    assert any("not valid Unicode" in n and "'s'" in n for n in r.notes)


def test_invalid_utf8_binary_is_read_as_escaped_text():
    t = pa.table({"b": pa.array([b"ok", b"\xff\xfe", None], pa.binary())})
    src = open_source(t)
    assert pa.types.is_large_string(src.schema.field("b").type)
    assert any("not valid UTF-8" in n for n in src.notes)
    assert run(t, [{"pattern": {"columns": "b", "regex": "ok"}}]).results[0].observed["mismatched"] == 1


@pytest.mark.parametrize(
    "series",
    [
        pd.Series([None] * 4, dtype="category"),
        pd.Series(pa.nulls(4), dtype=pd.ArrowDtype(pa.null())),
        pd.Series([None] * 4, dtype=object),
    ],
)
def test_all_null_and_null_typed_columns_work_in_every_check(series):
    from datacheck.checks import REGISTRY

    df = pd.DataFrame({"n": series, "x": [1.0, 2.0, 3.0, 4.0]})
    for name, cls in sorted(REGISTRY.items()):
        if cls.needs_reference or not cls.per_column:
            continue
        params = {"columns": ["n"]}
        for key, prm in cls.params.items():
            if prm.required and key != "columns":
                params[key] = {"values": [1], "regex": "a"}.get(key, 1)
        try:
            suite = datacheck.load_suite({"name": "s", "checks": [{name: params}]})
        except datacheck.errors.SuiteError:
            continue
        for res in datacheck.run(df, suite).results:
            assert "internal_error" not in res.details, (name, res.details)


def test_mixed_object_column_judged_on_numbers_with_the_rest_named():
    df = pd.DataFrame({"v": pd.Series([1, 2.5, "x", 400, None, "y"], dtype=object)})
    r = run(df, [{"range": {"columns": "v", "min": 0, "max": 100}}])
    assert r.results[0].status == "fail" and r.results[0].observed["above"] == 1
    assert any("2 value(s) are not numbers (e.g. 'x')" in n for n in r.notes)


def test_zero_column_frames_keep_their_row_count():
    df = pd.DataFrame(index=range(8))
    r = run(df, [{"row_count": {"min": 1}}])
    assert r.n_rows == 8 and r.results[0].status == "pass" and r.results[0].observed == 8
    df2 = pd.DataFrame({"a": [1, 2, 3]})[[]]
    assert run(df2, [{"row_count": {"max": 2}}]).results[0].observed == 3


def test_periods_intervals_lists_structs_become_readable_group_labels():
    df = pd.DataFrame(
        {
            "p": pd.Series([pd.Period("2020-01", "M"), pd.Period("2021-06", "M")] * 40),
            "y": [0, 1] * 40,
            "yhat": [0, 0, 1, 1] * 20,
        }
    )
    r = run(df, ["bias"], dataset={"label": "y", "prediction": "yhat", "protected": ["p"]})
    assert not [x for x in r.results if "internal_error" in x.details]
    assert "p=2020-01" in r.results[0].message
    t = pa.table({"l": pa.array([[1, 2], [3], None] * 20), "y": [0, 1, 0] * 20, "yhat": [0, 1, 1] * 20})
    r = run(t, ["bias"], dataset={"label": "y", "prediction": "yhat", "protected": ["l"]})
    assert not [x for x in r.results if "internal_error" in x.details] and "l=[1, 2]" in r.results[0].message
