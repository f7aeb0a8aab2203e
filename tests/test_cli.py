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
    return {"data": data, "csv": csv, "ok": ok, "fail": failing, "warn": warn, "bad": bad, "corrupt": corrupt,
            "tmp": tmp_path}


def cli(*args):
    return subprocess.run([sys.executable, "-m", "datacheck.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def test_exit_codes_subprocess(files):
    p = cli("run", files["data"], "--suite", files["ok"])
    assert p.returncode == 0, p.stderr
    assert "PASSED" in p.stdout
    p = cli("run", files["data"], "--suite", files["fail"])
    assert p.returncode == 1 and "FAILED" in p.stdout and "range[x]" in p.stdout
    p = cli("run", files["csv"], "--suite", files["warn"])
    assert p.returncode == 0 and "WARN" in p.stdout


@pytest.mark.parametrize("case,needle", [
    ("bad_suite", "checks[0].missing.max_fraction must be a number in [0, 1]; got 1.5"),
    ("missing_data", "data path does not exist"),
    ("corrupt", "corrupt.parquet"),
    ("missing_suite", "suite file does not exist"),
])
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
    wrong.write_text("name: w\ndataset: {label: yy}\nchecks:\n  - range: {columns: xx, min: 0}\n  - outliers: {columns: [s]}\n")
    assert main(["validate-suite", str(wrong), "--data", str(files["csv"])]) == 2
    err = capsys.readouterr().err
    assert "dataset.label names column 'yy'" in err
    assert "column 'xx' is not in the data (did you mean 'x'?)" in err and "wrong.yaml:4" in err
    assert "column 's' is string" in err and "Traceback" not in err
