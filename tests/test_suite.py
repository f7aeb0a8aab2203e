"""Suite loading: safe YAML, every problem collected into one error naming file, line and path."""

import subprocess
import sys
import textwrap

import pytest

import datacheck
from datacheck.cli import main
from datacheck.suite import Suite, load_suite


def write(tmp_path, text, name="suite.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return p


def test_loads_yaml_and_fills_defaults(tmp_path):
    p = write(
        tmp_path,
        """
        name: demo
        description: a suite
        dataset:
          label: y
          protected: sex
        checks:
          - missing: {max_fraction: 0.1}
          - duplicates
          - range:
              columns: [a, b]
              min: 0
              severity: warn
        """,
    )
    s = load_suite(p)
    assert s.name == "demo" and s.source == str(p)
    assert s.dataset.label == "y" and s.dataset.protected == ("sex",)
    assert [c.name for c in s.checks] == ["missing", "duplicates", "range"]
    assert s.checks[0].params["max_fraction"] == 0.1
    assert s.checks[0].params["severity"] == "error"  # default filled in
    assert s.checks[2].params["columns"] == ("a", "b") and s.checks[2].params["severity"] == "warn"
    assert s.checks[2].line == 9
    assert load_suite(s) is s


def test_suite_as_dict_equals_suite_from_yaml(tmp_path):
    d = {"name": "demo", "checks": [{"missing": {"max_fraction": 0.1}}, "duplicates"]}
    p = write(
        tmp_path,
        """
        name: demo
        checks:
          - missing: {max_fraction: 0.1}
          - duplicates
        """,
    )
    a, b = load_suite(d), load_suite(p)
    assert [(c.name, dict(c.params)) for c in a.checks] == [(c.name, dict(c.params)) for c in b.checks]
    assert a.source == "<dict>"
    assert Suite.from_dict(d).checks[1].name == "duplicates"


def test_python_object_tag_is_rejected(tmp_path):
    marker = tmp_path / "pwned"
    p = write(
        tmp_path,
        f"""
        name: evil
        checks:
          - missing: !!python/object/apply:os.system ["touch {marker}"]
        """,
    )
    with pytest.raises(datacheck.SuiteError) as ei:
        load_suite(p)
    assert not marker.exists()
    msg = str(ei.value)
    assert str(p) in msg and ":3:" in msg and "python/object" in msg


def test_plain_python_object_tag_is_rejected(tmp_path):
    p = write(
        tmp_path,
        """
        name: evil
        checks: !!python/object:datacheck.suite.Suite {}
        """,
    )
    with pytest.raises(datacheck.SuiteError, match="not valid YAML"):
        load_suite(p)


def test_invalid_yaml_names_file_and_line(tmp_path):
    p = write(
        tmp_path,
        """
        name: x
        checks:
          - missing: {max_fraction: [1
        """,
    )
    with pytest.raises(datacheck.SuiteError) as ei:
        load_suite(p)
    assert ei.value.source == str(p) and ei.value.line is not None


BAD = """
name: demo
datset: {}
checks:
  - missing:
      max_fraction: 1.5
      colums: "*"
  - range:
      columns: x
      min: 5
      max: 1
  - misssing: {}
  - pattern:
      columns: s
  - row_count:
      min: "ten"
  - outliers:
      method: sigma
      k: -1
"""


def test_all_problems_collected_with_file_line_and_path(tmp_path):
    p = write(tmp_path, BAD)
    with pytest.raises(datacheck.SuiteError) as ei:
        load_suite(p)
    e = ei.value
    got = {(q.line, q.path) for q in e.problems}
    assert got == {
        (2, "datset"),
        (5, "checks[0].missing.max_fraction"),
        (6, "checks[0].missing.colums"),
        (9, "checks[1].range.min"),
        (11, "checks[2].misssing"),
        (12, "checks[3].pattern"),
        (15, "checks[4].row_count.min"),
        (17, "checks[5].outliers.method"),
        (18, "checks[5].outliers.k"),
    }
    msg = str(e)
    assert msg.startswith(f"9 problems in suite {p}")
    assert f"{p}:5: checks[0].missing.max_fraction must be a number in [0, 1]; got 1.5" in msg
    assert "(did you mean 'dataset'?)" in msg
    assert "(did you mean 'columns'?)" in msg
    assert "(did you mean 'missing'?)" in msg
    assert "needs parameter 'regex'" in msg
    assert "must be an integer" in msg and "got 'ten'" in msg
    assert "must be one of 'iqr', 'robust_z', 'zscore'; got 'sigma'" in msg
    assert "must not exceed max" in msg


@pytest.mark.parametrize(
    "check,message",
    [
        ({"missing": {"max_fraction": 1.5}}, "max_fraction must be a number in [0, 1]; got 1.5"),
        ({"missing": {"max_fraction": True}}, "max_fraction must be a number"),
        ({"missing": {"max_fraction": float("nan")}}, "max_fraction must be a number"),
        ({"missing": {"max_fraction": "0.1"}}, "max_fraction must be a number"),
        ({"missing": {"severity": "fatal"}}, "severity must be one of 'error', 'warn'; got 'fatal'"),
        ({"missing": {"columns": []}}, "columns must be a column name, a non-empty list"),
        ({"missing": {"columns": 5}}, "columns must be a column name"),
        ({"missing": {"placeholders": [1, 2]}}, "placeholders must be a string or a list of strings"),
        ({"missing": {"sentinels": [[1]]}}, "sentinels must be numbers, strings or dates"),
        ({"missing": [1]}, "checks[0].missing must be a mapping of parameters"),
        ({"range": {"columns": "x", "min": 5, "max": 1}}, "checks[0].range.min must not exceed max"),
        ({"range": {"columns": "x"}}, "needs 'min', 'max' or both"),
        ({"row_count": {"min": 10, "max": 1}}, "must not exceed max"),
        ({"row_count": {"min": -1}}, "must be an integer in [0, inf); got -1"),
        ({"outliers": {"k": 0}}, "k must be a number in (0, inf); got 0"),
        ({"outliers": {"evidence_rows": 2.5}}, "evidence_rows must be an integer"),
        ({"skew": {"max_dominant_share": 0.2}}, "max_dominant_share must be a number in [0.5, 1]"),
        ({"unique": {}}, "needs parameter 'columns'"),
        ({"allowed_values": {"columns": "x", "values": [{"a": 1}]}}, "must be scalars"),
        ({"pattern": {"columns": "s", "regex": "("}}, "must be a valid RE2 regular expression"),
        ({"nonsense": {}}, "checks[0].nonsense is not a known check"),
        ({"missing": {}, "range": {}}, "must be a mapping with exactly one check name"),
    ],
)
def test_wrong_values(check, message):
    with pytest.raises(datacheck.SuiteError) as ei:
        load_suite({"name": "s", "checks": [check]})
    assert message in str(ei.value)
    assert str(ei.value).startswith("<dict>")


@pytest.mark.parametrize(
    "suite,message",
    [
        ([1, 2], "a suite must be a path, a dict"),
        ({"name": "s", "checks": [], "dataset": ""}, "dataset must be a mapping of column roles"),
        ({"checks": []}, "name must be a non-empty string"),
        ({"name": "s"}, "checks must be a list of checks"),
        ({"name": "s", "checks": {"missing": {}}}, "checks must be a list of checks"),
        ({"name": "s", "checks": [], "dataset": {"lable": "y"}}, "(did you mean 'label'?)"),
        ({"name": "s", "checks": [], "dataset": {"label": 3}}, "dataset.label must be a column name"),
        (
            {"name": "s", "checks": [], "dataset": {"protected": [1]}},
            "dataset.protected must be a column name or a list",
        ),
        (
            {"name": "s", "checks": [], "dataset": {"task": "ranking"}},
            "dataset.task must be 'classification' or 'regression'",
        ),
        ({"name": "s", "checks": [], "dataset": []}, "dataset must be a mapping of column roles"),
    ],
)
def test_wrong_structure(suite, message):
    with pytest.raises(datacheck.SuiteError, match=None) as ei:
        load_suite(suite)
    assert message in str(ei.value)


def test_top_level_list_in_yaml(tmp_path):
    p = write(tmp_path, "- missing\n- duplicates\n")
    with pytest.raises(datacheck.SuiteError, match="a suite must be a mapping with 'name' and 'checks'; got list"):
        load_suite(p)


def test_empty_file_and_missing_file(tmp_path):
    p = write(tmp_path, "")
    with pytest.raises(datacheck.SuiteError) as ei:
        load_suite(p)
    assert len(ei.value.problems) == 2 and str(p) in str(ei.value)
    with pytest.raises(datacheck.SuiteError, match="suite file does not exist"):
        load_suite(tmp_path / "nope.yaml")
    with pytest.raises(datacheck.SuiteError, match="must be a path, a dict"):
        load_suite(42)


def test_suite_error_is_raised_before_any_data_is_read(tmp_path):
    # the data path does not exist either: the suite is judged first
    with pytest.raises(datacheck.SuiteError):
        datacheck.run(tmp_path / "missing.parquet", {"name": "s", "checks": [{"missing": {"max_fraction": 2}}]})


def test_unknown_column_in_suite_gives_error_result_naming_file_and_path(tmp_path):
    import pandas as pd

    p = write(
        tmp_path,
        """
        name: demo
        checks:
          - missing:
              columns: [agee, x]
        """,
    )
    r = datacheck.run(pd.DataFrame({"age": [1], "x": [2]}), p)
    bad = r.select(column="agee")[0]
    assert bad.status == "error"
    assert (
        "(did you mean 'age'?)" in bad.message
        and f"{p}:3" in bad.message
        and "checks[0].missing.columns" in bad.message
    )
    assert r.select(column="x")[0].status == "pass"


def test_validate_suite_command(tmp_path, capsys):
    good = write(tmp_path, "name: ok\nchecks:\n  - duplicates\n", "good.yaml")
    bad = write(tmp_path, BAD, "bad.yaml")
    assert main(["validate-suite", str(good)]) == 0
    assert "is valid: 1 check(s)" in capsys.readouterr().out
    assert main(["validate-suite", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "9 problems" in err and f"{bad}:5:" in err and "Traceback" not in err
    proc = subprocess.run(
        [sys.executable, "-m", "datacheck.cli", "validate-suite", str(bad)], capture_output=True, text=True
    )
    assert proc.returncode == 2 and "checks[0].missing.max_fraction" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_compound_keys_only_for_unique():
    with pytest.raises(datacheck.SuiteError, match=r"checks\[0\].missing.columns lists a compound key \['a', 'b'\]"):
        load_suite({"name": "s", "checks": [{"missing": {"columns": [["a", "b"]]}}]})
    s = load_suite({"name": "s", "checks": [{"unique": {"columns": ["x", ["a", "b"]]}}]})
    assert s.checks[0].params["columns"] == ("x", ("a", "b"))


def test_duplicate_keys_are_reported(tmp_path):
    p = write(
        tmp_path,
        """
        name: dup
        checks:
          - range:
              columns: x
              min: 0
              min: 5
        name: again
        """,
    )
    with pytest.raises(datacheck.SuiteError) as ei:
        load_suite(p)
    got = {(q.line, q.path) for q in ei.value.problems}
    assert got == {(6, "checks[0].range.min"), (7, "name")}
    assert "given more than once" in str(ei.value)


@pytest.mark.parametrize(
    "check",
    [
        {"missing": {"sentinels": [-999, float("nan")]}},
        {"range": {"columns": "x", "min": float("nan")}},
        {"allowed_values": {"columns": "x", "values": [1.0, float("nan")]}},
    ],
)
def test_nan_in_suite_values_is_rejected(check):
    with pytest.raises(datacheck.SuiteError, match="must not contain NaN"):
        load_suite({"name": "s", "checks": [check]})


def test_nan_in_yaml_is_rejected(tmp_path):
    p = write(tmp_path, "name: n\nchecks:\n  - range: {columns: x, max: .nan}\n")
    with pytest.raises(datacheck.SuiteError, match=r":3: checks\[0\].range.max must not contain NaN"):
        load_suite(p)
