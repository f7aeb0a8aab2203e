"""The command line: exit codes a pipeline can rely on, messages without tracebacks, the JSON report."""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from datacheck.cli import main


@pytest.fixture
def files(tmp_path):
    df = pd.DataFrame({"x": np.arange(100.0), "s": ["a", "b"] * 50})
    data = tmp_path / "data.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), data, row_group_size=30)
    csv = tmp_path / "data.csv"
    df.to_csv(csv, index=False)
    ok = tmp_path / "ok.yaml"
    ok.write_text("name: ok\nchecks:\n  - missing: {max_fraction: 0}\n  - range: {columns: x, min: 0, max: 1000}\n")
    failing = tmp_path / "fail.yaml"
    failing.write_text("name: fails\nchecks:\n  - range: {columns: x, max: 10}\n")
    warn = tmp_path / "warn.yaml"
    warn.write_text("name: warns\nchecks:\n  - range: {columns: x, max: 10, severity: warn}\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nchecks:\n  - missing: {max_fraction: 1.5}\n  - nosuch: {}\n")
    corrupt = tmp_path / "corrupt.parquet"
    corrupt.write_bytes(b"PAR1" + b"\x00" * 64)
    return {
        "data": data,
        "csv": csv,
        "ok": ok,
        "fail": failing,
        "warn": warn,
        "bad": bad,
        "corrupt": corrupt,
        "tmp": tmp_path,
    }


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "datacheck.cli", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def test_exit_codes_subprocess(files):
    p = cli("run", files["data"], "--suite", files["ok"])
    assert p.returncode == 0, p.stderr
    assert "PASSED" in p.stdout
    p = cli("run", files["data"], "--suite", files["fail"])
    assert p.returncode == 1 and "FAILED" in p.stdout and "range[x]" in p.stdout
    p = cli("run", files["csv"], "--suite", files["warn"])
    assert p.returncode == 0 and "WARN" in p.stdout


@pytest.mark.parametrize(
    "case,needle",
    [
        ("bad_suite", "checks[0].missing.max_fraction must be a number in [0, 1]; got 1.5"),
        ("missing_data", "data path does not exist"),
        ("corrupt", "corrupt.parquet"),
        ("missing_suite", "suite file does not exist"),
    ],
)
def test_usage_and_input_errors_exit_2_without_traceback(files, case, needle, capsys):
    args = {
        "bad_suite": ("run", files["data"], "--suite", files["bad"]),
        "missing_data": ("run", files["tmp"] / "nope.parquet", "--suite", files["ok"]),
        "corrupt": ("run", files["corrupt"], "--suite", files["ok"]),
        "missing_suite": ("run", files["data"], "--suite", files["tmp"] / "nope.yaml"),
    }[case]
    assert main([str(a) for a in args]) == 2
    cap = capsys.readouterr()
    assert needle in cap.err and cap.err.startswith("datacheck: error: ")
    assert "Traceback" not in cap.err and "Traceback" not in cap.out
    if case in ("bad_suite", "corrupt"):  # and through a real process
        p = cli(*args)
        assert p.returncode == 2
        assert needle in p.stderr
        assert p.stderr.startswith("datacheck: error: ")
        assert "Traceback" not in p.stderr and "Traceback" not in p.stdout
        if case == "bad_suite":  # every problem, with its line
            assert "2 problems" in p.stderr and f"{files['bad']}:3:" in p.stderr and f"{files['bad']}:4:" in p.stderr


def test_argparse_usage_errors_exit_2():
    p = cli("run")
    assert p.returncode == 2 and "usage" in p.stderr and "Traceback" not in p.stderr
    assert main([]) == 2


def test_json_output(files):
    out = files["tmp"] / "sub" / "report.json"
    p = cli("run", files["data"], "--suite", files["fail"], "--json", out)
    assert p.returncode == 1
    d = json.loads(out.read_text(encoding="utf-8"))
    assert d["schema_version"] == "1.0" and d["passed"] is False
    assert d["data"]["rows"] == 100 and d["data"]["source"] == str(files["data"])
    assert [r["status"] for r in d["results"]] == ["fail"]


def test_validate_suite(files):
    p = cli("validate-suite", files["bad"])
    assert p.returncode == 2 and "nosuch is not a known check" in p.stderr and "Traceback" not in p.stderr


def test_main_in_process(files, capsys):
    assert main(["run", str(files["data"]), "--suite", str(files["ok"])]) == 0
    assert "PASSED" in capsys.readouterr().out
    assert main(["run", str(files["data"]), "--suite", str(files["fail"]), "--quiet"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAILED") and len(out.strip().splitlines()) == 1
    assert main(["run", str(files["tmp"] / "nope.csv"), "--suite", str(files["ok"])]) == 2
    err = capsys.readouterr().err
    assert "data path does not exist" in err and "Traceback" not in err
    out_json = files["tmp"] / "r.json"
    assert main(["run", str(files["csv"]), "--suite", str(files["ok"]), "--json", str(out_json)]) == 0
    assert json.loads(out_json.read_text())["passed"] is True
    assert main(["validate-suite", str(files["ok"])]) == 0
    assert main(["validate-suite", str(files["bad"])]) == 2
    assert main(["--version"]) == 0


def test_internal_error_exits_3_without_traceback_unless_debug(files, capsys, monkeypatch):
    import datacheck

    def boom(*a, **k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(datacheck, "run", boom)
    assert main(["run", str(files["data"]), "--suite", str(files["ok"])]) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: kaboom" in err and "Traceback" not in err
    assert main(["--debug", "run", str(files["data"]), "--suite", str(files["ok"])]) == 3
    assert "Traceback" in capsys.readouterr().err


def test_validate_suite_against_the_data_schema(files, capsys):
    assert main(["validate-suite", str(files["ok"]), "--data", str(files["data"])]) == 0
    assert "every column it names is in" in capsys.readouterr().out
    wrong = files["tmp"] / "wrong.yaml"
    wrong.write_text(
        "name: w\ndataset: {label: yy}\nchecks:\n  - range: {columns: xx, min: 0}\n  - outliers: {columns: [s]}\n"
    )
    assert main(["validate-suite", str(wrong), "--data", str(files["csv"])]) == 2
    err = capsys.readouterr().err
    assert "dataset.label names column 'yy'" in err
    assert "column 'xx' is not in the data (did you mean 'x'?)" in err and "wrong.yaml:4" in err
    assert "column 's' is string" in err and "Traceback" not in err
    assert err.count("'xx'") == 1 and err.count("'yy'") == 1  # each problem once


def test_validate_suite_sees_columns_named_inside_parameters(files, capsys):
    """The schema check's required columns, bias attributes, slices' by and bins keys are bound too."""
    suite = files["tmp"] / "params.yaml"
    suite.write_text(
        "name: p\n"
        "dataset: {label: s, prediction: s}\n"
        "checks:\n"
        "  - schema: {columns: {x: float, label: string}}\n"
        "  - duplicates: {columns: [x, id]}\n"
        "  - unique: {columns: [[s, day]]}\n"
        "  - bias: {attributes: [sex], label: s}\n"
        "  - slices: {by: [s, [s, region]], bins: {age: 3}}\n"
    )
    assert main(["validate-suite", str(suite), "--data", str(files["data"])]) == 2
    err = capsys.readouterr().err
    for path, col, line in [
        ("checks[0].schema.columns", "label", 4),
        ("checks[1].duplicates.columns", "id", 5),
        ("checks[2].unique.columns", "day", 6),
        ("checks[3].bias.attributes", "sex", 7),
        ("checks[4].slices.by", "region", 8),
        ("checks[4].slices.bins", "age", 8),
    ]:
        assert f"{suite}:{line}: {path} names column {col!r}, which is not in the data" in err, (col, err)
    assert "'x' " not in err.replace("'x'?", "")  # present columns are not reported
    # the same suite with the columns present binds cleanly
    good = files["tmp"] / "good.yaml"
    good.write_text("name: g\nchecks:\n  - schema: {columns: {x: float, s: string}}\n  - duplicates: {columns: [x]}\n")
    assert main(["validate-suite", str(good), "--data", str(files["data"])]) == 0


def test_debug_is_accepted_after_the_subcommand(files, capsys, monkeypatch):
    import datacheck

    def boom(*a, **k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(datacheck, "run", boom)
    assert main(["run", str(files["data"]), "--suite", str(files["ok"]), "--debug"]) == 3
    assert "Traceback" in capsys.readouterr().err
    assert main(["run", str(files["data"]), "--suite", str(files["ok"])]) == 3
    assert "Traceback" not in capsys.readouterr().err


def test_a_reader_that_goes_away_is_not_an_error(files):
    """`datacheck run ... | head`: the closed pipe ends the output quietly; the exit code is still the verdict."""
    for args, code in [(("run", files["data"], "--suite", files["fail"]), 1), (("checks",), 0)]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "datacheck.cli", *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        proc.stdout.close()  # the reader is gone before datacheck has written anything
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == code, err
        assert "BrokenPipe" not in err and "internal error" not in err and "Traceback" not in err


def test_help_shows_exit_codes_and_an_example_per_command(capsys):
    for cmd in ([], ["run"], ["validate-suite"], ["profile"], ["checks"], ["convert"], ["suggest"]):
        with pytest.raises(SystemExit) as exc:
            main(cmd + ["--help"])
        assert exc.value.code == 0
        out = capsys.readouterr().out
        assert "exit codes:" in out and "3  an internal error" in out
        assert "example" in out and "  datacheck " + (cmd[0] if cmd else "run") in out


def test_checks_command_is_generated_from_the_param_declarations(capsys):
    from datacheck.checks import REGISTRY

    assert main(["checks"]) == 0
    listed = [ln.split()[0] for ln in capsys.readouterr().out.splitlines()[1:] if ln.strip() and ln[0] != "`"]
    assert sorted(listed) == sorted(REGISTRY)
    for name, cls in REGISTRY.items():
        assert main(["checks", name]) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"{name} ({cls.family}")
        for pname, prm in cls.params.items():
            assert f"\n  {pname} " in out, (name, pname)
            if prm.doc:
                assert " ".join(prm.doc.split()) in out
    assert main(["checks", "outlier"]) == 2
    assert "did you mean 'outliers'" in capsys.readouterr().err


def test_empty_suite_and_a_profile_without_shift_checks_say_what_is_wrong(files, capsys):
    empty = files["tmp"] / "empty.yaml"
    empty.write_text("name: empty\nchecks: []\n")
    assert main(["run", str(files["data"]), "--suite", str(empty)]) == 2
    err = capsys.readouterr().err
    assert f"{empty}:2: the suite has no checks" in err
    assert main(["validate-suite", str(empty)]) == 2
    assert "has no checks" in capsys.readouterr().err
    out = files["tmp"] / "p.profile.json"
    assert main(["profile", str(files["data"]), "--suite", str(files["ok"]), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "has no shift check" in err and "drift" in err and not out.exists()
    shift = files["tmp"] / "shift.yaml"
    shift.write_text("name: shift\nchecks:\n  - drift: {columns: [x]}\n")
    assert main(["profile", str(files["data"]), "--suite", str(shift), "--out", str(out)]) == 0
    assert out.exists() and "(100 rows)" in capsys.readouterr().out
