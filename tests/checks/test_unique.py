"""``unique``: single-column and compound keys."""

import numpy as np
import pandas as pd

import datacheck


def run(df, **params):
    return datacheck.run(df, {"name": "t", "checks": [{"unique": params}]}).results


def test_single_key_pass_and_fail():
    assert run(pd.DataFrame({"id": range(100)}), columns="id")[0].status == "pass"
    r = run(pd.DataFrame({"id": [1, 2, 3, 2, 1, 1]}), columns="id")[0]
    assert r.status == "fail"
    assert r.observed == {"duplicates": 3, "fraction": 0.5, "groups": 2}
    assert r.evidence == [{"rows": [0, 4, 5]}, {"rows": [1, 3]}]


def test_agrees_with_pandas():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"a": rng.integers(0, 50, 2000), "b": rng.choice(["x", "y", "z"], 2000)})
    r = run(df, columns=["a", ["a", "b"]])
    assert r[0].observed["duplicates"] == df.duplicated(["a"]).sum()
    assert r[1].column == ("a", "b")
    assert r[1].observed["duplicates"] == df.duplicated(["a", "b"]).sum()


def test_compound_key():
    df = pd.DataFrame({"user": [1, 1, 2, 2], "day": ["mon", "tue", "mon", "mon"]})
    r = run(df, columns=[["user", "day"]])[0]
    assert r.status == "fail" and r.observed["duplicates"] == 1
    assert run(df.iloc[:3], columns=[["user", "day"]])[0].status == "pass"


def test_missing_keys_skipped_unless_asked():
    df = pd.DataFrame({"id": [1.0, np.nan, np.nan, 2.0], "s": ["a", None, None, "b"]})
    assert run(df, columns=["id", "s"])[0].status == "pass"
    res = run(df, columns=["id", "s"], ignore_missing=False)
    assert [r.observed["duplicates"] for r in res] == [1, 1]


def test_strings_unicode_and_float_zero():
    df = pd.DataFrame({"s": ["é", "e\u0301", "é"], "f": [0.0, -0.0, 1.0]})
    res = run(df, columns=["s", "f"])
    assert [r.observed["duplicates"] for r in res] == [1, 1]  # different code points are different keys


def test_compound_key_with_missing_column_is_an_error_result():
    res = run(pd.DataFrame({"a": [1]}), columns=[["a", "nope"]])
    assert res[0].status == "error" and "nope" in res[0].message
