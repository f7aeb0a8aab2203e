"""``pattern``: strings match a regular expression (whole value unless search)."""

import pandas as pd
import pytest

import datacheck


def run(df, **params):
    return datacheck.run(df, {"name": "t", "checks": [{"pattern": params}]}).results[0]


def test_full_match_pass_and_fail():
    assert run(pd.DataFrame({"z": ["12345", "00000", None]}), columns="z", regex="[0-9]{5}").status == "pass"
    r = run(pd.DataFrame({"z": ["12345", "1234a", "123456", "1234a"]}), columns="z", regex="[0-9]{5}")
    assert r.status == "fail"
    assert r.observed == {"mismatched": 3, "fraction": 0.75}
    assert r.evidence == [{"value": "1234a", "count": 2}, {"value": "123456", "count": 1}]


def test_search_and_unicode():
    df = pd.DataFrame({"s": ["abc@x.org", "no at", "é@ü"]})
    assert run(df, columns="s", regex="@", search=True).observed["mismatched"] == 1
    assert run(pd.DataFrame({"s": ["Zoë", "日本"]}), columns="s", regex="\\p{L}+").status == "pass"


def test_alternation_is_anchored_as_a_whole():
    r = run(pd.DataFrame({"s": ["ab", "cd", "abx", "xcd"]}), columns="s", regex="ab|cd")
    assert r.observed["mismatched"] == 2


def test_max_fraction_and_suite_errors():
    df = pd.DataFrame({"s": ["a"] * 9 + ["1"]})
    assert run(df, columns="s", regex="[a-z]", max_fraction=0.1).status == "pass"
    with pytest.raises(datacheck.SuiteError, match="regex"):
        datacheck.load_suite({"name": "t", "checks": [{"pattern": {"columns": "s", "regex": "(unclosed"}}]})
    with pytest.raises(datacheck.SuiteError, match="needs parameter 'regex'"):
        datacheck.load_suite({"name": "t", "checks": [{"pattern": {"columns": "s"}}]})


def test_numeric_column_is_an_error_result():
    r = run(pd.DataFrame({"x": [1, 2]}), columns="x", regex="1")
    assert r.status == "error" and "x" in r.message
