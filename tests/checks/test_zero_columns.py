"""A frame with rows but no columns: ``row_count`` counts its rows, ``duplicates`` cannot compare
rows that hold no values (skipped, saying so), ``unique`` names the key column it cannot find."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

import datacheck


def _frames():
    return {
        "pandas with an index": pd.DataFrame(index=range(5)),
        "pandas, labelled index": pd.DataFrame(index=pd.Index(list("abcde"))),
        "arrow": pa.table({"a": [1, 2, 3, 4, 5]}).select([]),
    }


@pytest.mark.parametrize("name", list(_frames()))
def test_zero_column_frame_verdicts_agree(name):
    data = _frames()[name]
    suite = {
        "name": "z",
        "checks": [
            "duplicates",
            {"duplicates": {"max_fraction": 0}},
            {"row_count": {"min": 5, "max": 5}},
            {"unique": {"columns": ["id"]}},
        ],
    }
    r = datacheck.run(data, suite)
    dup, dup0, rc, uniq = sorted(r.results, key=lambda x: x.check_index)
    assert r.n_rows == 5
    for d in (dup, dup0):
        assert d.status == "skipped"
        assert d.message == (
            "no columns to compare: the data has 5 row(s) but no columns, so duplicate rows cannot be judged"
        )
    assert (rc.status, rc.observed) == ("pass", 5)
    assert uniq.status == "error" and "'id'" in uniq.message


def test_pandas_calls_no_row_of_a_zero_column_frame_duplicated():
    """Why not 'fail': pandas says no row is duplicated, the empty tuples say all are; neither is a
    finding about the data, so the check does not pretend to one."""
    assert not pd.DataFrame(index=range(5)).duplicated().any()
    assert len(set([(), (), ()])) == 1


def test_duplicates_on_an_empty_zero_column_frame_is_skipped_too():
    r = datacheck.run(pd.DataFrame(), {"name": "z", "checks": ["duplicates", {"row_count": {"max": 0}}]})
    assert [x.status for x in r.results] == ["skipped", "pass"]


def test_columns_still_compared_when_there_are_some():
    r = datacheck.run(pd.DataFrame({"a": [1, 1, 2]}), {"name": "z", "checks": [{"duplicates": {"max_fraction": 0}}]})
    assert r.results[0].status == "fail" and r.results[0].observed["duplicates"] == 1
