"""Bad input: a clear datacheck error, or an ``error`` result for the check concerned and the run goes
on; and the input DataFrame is never modified."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import datacheck

EVERYTHING = {
    "name": "all",
    "checks": [
        {"schema": {"columns": ["x"]}},
        {"row_count": {"min": 1}},
        {"missing": {"max_fraction": 0.5}},
        {"range": {"min": 0}},
        {"outliers": {}},
        {"outliers": {"method": "robust_z"}},
        {"outliers": {"method": "zscore"}},
        {"skew": {}},
        "duplicates",
        {"unique": {"columns": "*"}},
        {"allowed_values": {"columns": "*", "values": ["a", 1]}},
        {"pattern": {"columns": "string", "regex": "a"}},
    ],
}


def unexpected_errors(report):
    """Error results other than those a check reports by design for a column of the wrong type."""
    return [r for r in report.results if r.status == "error" and "needs a column of type" not in r.message]


def assert_unchanged(df, before):
    pd.testing.assert_frame_equal(df, before, check_exact=True)
    assert list(df.dtypes) == list(before.dtypes)
    assert df.index.equals(before.index) and type(df.index) is type(before.index)
    assert list(df.columns) == list(before.columns)


def run_and_check_unchanged(df, suite=EVERYTHING, **kw):
    before = df.copy(deep=True)
    report = datacheck.run(df, suite, **kw)
    assert_unchanged(df, before)
    return report


def test_empty_frame_no_columns():
    r = run_and_check_unchanged(pd.DataFrame())
    assert r.n_rows == 0
    assert r.select(check="row_count")[0].status == "fail"
    assert r.select(check="schema")[0].status == "fail"


def test_empty_frame_with_columns():
    df = pd.DataFrame({"x": pd.Series([], dtype=float), "s": pd.Series([], dtype=object)})
    r = run_and_check_unchanged(df)
    assert unexpected_errors(r) == []
    assert r.select(check="row_count")[0].status == "fail"
    assert all(x.status == "pass" for x in r.select(check="outliers"))


def test_all_null_columns():
    df = pd.DataFrame(
        {"x": [np.nan] * 6, "s": [None] * 6, "i": pd.array([None] * 6, dtype="Int64"), "d": pd.to_datetime([None] * 6)}
    )
    r = run_and_check_unchanged(df)
    assert unexpected_errors(r) == []
    miss = {x.column: x for x in r.select(check="missing")}
    assert all(m.status == "fail" and "all 6 values are missing" in m.message for m in miss.values())
    assert all(x.observed["count"] == 0 for x in r.select(check="outliers"))


def test_inf_values():
    df = pd.DataFrame({"x": [1.0, 2.0, np.inf, -np.inf, 3.0, 2.0, 1.0, 2.5]})
    r = run_and_check_unchanged(df)
    assert unexpected_errors(r) == []
    rng = r.select(check="range")[0]
    assert rng.observed["below"] == 1  # -inf < 0
    assert r.select(check="missing", column="x")[0].observed["count"] == 0  # inf is a value, not missing
    iqr = r.select(check="outliers")[0]
    assert (iqr.observed["below"], iqr.observed["above"]) == (1, 1)


def test_only_inf_values():
    r = run_and_check_unchanged(pd.DataFrame({"x": [np.inf, -np.inf, np.inf]}))
    assert unexpected_errors(r) == []


def test_mixed_type_object_column():
    df = pd.DataFrame({"m": [1, "a", 2.5, None, b"x", True], "x": [1, 2, 3, 4, 5, 6]})
    r = run_and_check_unchanged(df)
    assert any("'m' mixes value types" in n for n in r.notes)
    assert "note: column 'm' mixes value types" in r.summary()
    assert unexpected_errors(r) == []
    assert r.select(check="missing", column="m")[0].observed["count"] == 1
    assert r.select(check="allowed_values", column="m")[0].observed["outside"] == 3  # "1" and "a" are in the set


def test_unicode_and_whitespace_column_names():
    df = pd.DataFrame({"é ü 日本": [1, 2, -3], "  ": ["a", "b", "a"], " x ": [1.0, None, 3.0]})
    suite = {
        "name": "u",
        "checks": [
            {"range": {"columns": "é ü 日本", "min": 0}},
            {"missing": {"columns": ["  ", " x "], "max_fraction": 0.01}},
            {"unique": {"columns": [["é ü 日本", "  "]]}},
        ],
    }
    r = run_and_check_unchanged(df, suite)
    assert [(x.check, x.column, x.status) for x in r.results] == [
        ("range", "é ü 日本", "fail"),
        ("missing", "  ", "pass"),
        ("missing", " x ", "fail"),
        ("unique", ("é ü 日本", "  "), "pass"),
    ]
    assert "é ü 日本" in r.to_json()


def test_non_string_column_names():
    df = pd.DataFrame({0: [1, 2], "b": ["a", None], 2: [1.5, 2.5]})
    r = run_and_check_unchanged(
        df, {"name": "n", "checks": [{"missing": {"columns": ["0", "b", "2"], "max_fraction": 0.01}}]}
    )
    assert [x.status for x in r.results] == ["pass", "fail", "pass"]


def test_duplicate_column_names():
    df = pd.DataFrame([[1, 2, 3]], columns=["a", "a", "b"])
    before = df.copy(deep=True)
    with pytest.raises(datacheck.DataError, match=r"duplicate column names \['a'\]"):
        datacheck.run(df, EVERYTHING)
    assert_unchanged(df, before)
    t = pa.Table.from_arrays([pa.array([1]), pa.array([2])], names=["a", "a"])
    with pytest.raises(datacheck.DataError, match="duplicate column names"):
        datacheck.run(t, EVERYTHING)


def test_column_missing_from_the_data_and_the_run_goes_on():
    df = pd.DataFrame({"age": [20, 30, 200]})
    suite = {
        "name": "m",
        "dataset": {"label": "income"},
        "checks": [
            {"range": {"columns": ["agee", "age"], "max": 120}},
            {"unique": {"columns": [["age", "zzz"]]}},
            {"duplicates": {"columns": ["nope"]}},
            {"row_count": {"min": 1}},
        ],
    }
    r = run_and_check_unchanged(df, suite)
    st = [(x.check, x.column, x.status) for x in r.results]
    assert ("dataset", "income", "error") in st
    assert ("range", "agee", "error") in st and ("range", "age", "fail") in st
    assert ("unique", ("age", "zzz"), "error") in st
    assert ("duplicates", None, "error") in st
    msg = r.select(check="range", column="agee")[0].message
    assert "'agee' is not in the data" in msg and "did you mean 'age'" in msg
    assert "'zzz'" in r.select(check="unique")[0].message and "'nope'" in r.select(check="duplicates")[0].message
    assert not r.passed


def test_path_that_does_not_exist(tmp_path):
    with pytest.raises(datacheck.DataError, match="data path does not exist: .*nope.parquet"):
        datacheck.run(tmp_path / "nope.parquet", EVERYTHING)


def test_corrupt_parquet(tmp_path):
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1" + b"garbage" * 50)
    with pytest.raises(datacheck.DataError, match="bad.parquet"):
        datacheck.run(bad, EVERYTHING)
    # a truncated real file
    good = tmp_path / "good.parquet"
    pq.write_table(pa.table({"x": np.arange(10_000.0)}), good)
    blob = good.read_bytes()
    trunc = tmp_path / "trunc.parquet"
    trunc.write_bytes(blob[: len(blob) // 2] + blob[-100:])
    with pytest.raises(datacheck.DataError, match="trunc.parquet"):
        datacheck.run(trunc, EVERYTHING)
    # a directory holding one good and one corrupt file
    d = tmp_path / "dir"
    d.mkdir()
    (d / "a.parquet").write_bytes(blob)
    (d / "b.parquet").write_bytes(b"PAR1" + b"x" * 100 + b"PAR1")
    with pytest.raises(datacheck.DataError, match="dir"):
        datacheck.run(d, EVERYTHING)


def test_not_data():
    with pytest.raises(datacheck.DataError, match="data must be a pandas DataFrame"):
        datacheck.run([1, 2, 3], EVERYTHING)


def test_empty_and_header_only_csv(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(datacheck.DataError, match="empty.csv"):
        datacheck.run(empty, EVERYTHING)
    hdr = tmp_path / "hdr.csv"
    hdr.write_text("x,s\n")
    r = datacheck.run(hdr, EVERYTHING)
    assert r.n_rows == 0 and unexpected_errors(r) == []


@pytest.fixture(scope="module")
def late_csv(tmp_path_factory):
    p = tmp_path_factory.mktemp("csv") / "late.csv"
    with open(p, "w") as fh:  # more than the 16 MB the types are inferred from
        fh.write("a,b\n")
        fh.write("".join(f"{i},x{i % 7}\n" for i in range(2_000_000)))
        fh.write("oops,y\n")
    return p


def test_csv_whose_later_rows_break_the_inferred_type(late_csv):
    with pytest.raises(datacheck.DataError) as ei:
        datacheck.run(late_csv, {"name": "c", "checks": [{"missing": {}}]})
    msg = str(ei.value)
    assert str(late_csv) in msg and "'oops'" in msg


def test_csv_type_break_names_the_column(late_csv):
    with pytest.raises(datacheck.DataError) as ei:
        datacheck.run(late_csv, {"name": "c", "checks": [{"missing": {}}]})
    assert "column 'a'" in str(ei.value)


def test_many_distinct_offenders_keep_a_readable_message():
    df = pd.DataFrame({"s": [f"v{i}" for i in range(5000)]})
    r = run_and_check_unchanged(
        df,
        {
            "name": "p",
            "checks": [
                {"pattern": {"columns": "s", "regex": "a"}},
                {"allowed_values": {"columns": "s", "values": ["a"]}},
            ],
        },
    )
    assert [x.status for x in r.results] == ["fail", "fail"]
    assert r.results[0].observed["mismatched"] == 5000
    assert "5,000 value(s)" in r.results[0].message


@pytest.mark.parametrize(
    "make",
    [
        lambda: pd.DataFrame({"x": [3.0, 1.0, np.nan, 1.0], "s": ["b", "a", None, "a"]}, index=[10, 5, 7, 5]),
        lambda: pd.DataFrame(
            {
                "x": pd.array([1, None, 3], dtype="Int64"),
                "c": pd.Categorical(["a", "b", "a"]),
                "d": pd.to_datetime(["2020-01-01", None, "1900-01-01"]),
                "b": pd.array([True, None, False], dtype="boolean"),
            }
        ),
        lambda: pd.DataFrame(
            {"x": np.arange(6.0), "s": list("abcabc")}, index=pd.MultiIndex.from_product([["u", "v"], [1, 2, 3]])
        ),
        lambda: pd.DataFrame({"x": [-0.0, 0.0, np.inf], "s": pd.array(["a", None, "c"], dtype="string")}).iloc[::-1],
    ],
    ids=["custom-index", "extension-dtypes", "multiindex", "reversed-view"],
)
def test_input_frame_is_never_modified(make):
    df = make()
    r = run_and_check_unchanged(df)
    assert r.results


def test_evidence_rows_use_custom_index_labels():
    df = pd.DataFrame({"x": [1.0, 500.0, 2.0]}, index=["r1", "r2", "r3"])
    r = run_and_check_unchanged(df, {"name": "i", "checks": [{"range": {"columns": "x", "max": 10}}]})
    assert r.results[0].evidence == [{"row": "r2", "value": 500.0}]


def test_nested_and_exotic_column_types():
    import datetime as dt

    df = pd.DataFrame(
        {
            "l": [[1, 2], [3], None, [1, 2]],
            "st": [{"a": 1}, {"a": 2}, None, {"a": 1}],
            "t": [dt.time(1, 2), dt.time(3, 4), None, dt.time(1, 2)],
            "td": pd.to_timedelta([1, 2, None, 1], unit="D"),
            "bin": [b"a", b"b", None, b"a"],
            "x": [1, 2, 3, 1],
        }
    )
    r = run_and_check_unchanged(df)
    assert unexpected_errors(r) == []
    assert r.select(check="duplicates")[0].observed["duplicates"] == 1  # rows 0 and 3
    uniq = {x.column: x.observed["duplicates"] for x in r.select(check="unique")}
    assert uniq["l"] == 1 and uniq["st"] == 1 and uniq["bin"] == 1


def test_extreme_magnitudes_do_not_break_the_checks():
    df = pd.DataFrame({"x": [-1e308, 0.0, 1.0, 2.0, 1e308], "c": [-7.7e300] * 5})
    with np.errstate(all="ignore"):
        r = run_and_check_unchanged(df, {"name": "e", "checks": ["outliers", {"outliers": {"method": "zscore"}}]})
    assert unexpected_errors(r) == []
    iqr = r.select(check="outliers", column="x")[0]
    assert (iqr.observed["below"], iqr.observed["above"]) == (1, 1)
    assert all(x.status == "skipped" or x.observed["count"] == 0 for x in r.select(column="c"))  # constant: no outliers
