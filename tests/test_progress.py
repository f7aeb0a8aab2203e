"""Progress bars: over the passes of a run when asked or on a terminal; never in captured output."""

import numpy as np
import pandas as pd
import pytest

import datacheck
from datacheck.progress import bar, is_enabled

SUITE = {"name": "p", "checks": [{"outliers": {"columns": "x"}}, {"drift": {"columns": ["x"]}}]}


def _frames():
    rng = np.random.default_rng(0)
    return pd.DataFrame({"x": rng.normal(size=3000)}), pd.DataFrame({"x": rng.normal(size=2000)})


def test_run_shows_a_bar_over_columns_and_passes_when_asked(capsys, tmp_path):
    cur, ref = _frames()
    rep = datacheck.run(cur, SUITE, reference=ref, batch_rows=1000, progress=True)
    err = capsys.readouterr().err
    # tables in memory: each column's statistics a column at a time, before any pass over the rows
    assert rep.passes == 1
    assert "datacheck columns (reference)" in err and "datacheck columns (current)" in err and "column" in err
    # a file whose rows a check reads together (duplicates hashes whole rows): passes over the rows
    path = tmp_path / "c.parquet"
    cur.assign(s=np.where(cur["x"] > 0, "a", "b")).to_parquet(path)
    suite = {"name": "p", "checks": [{"outliers": {"columns": "x"}}, "duplicates"]}
    rep = datacheck.run(str(path), suite, batch_rows=1000, progress=True)
    err = capsys.readouterr().err
    assert rep.passes >= 2
    assert "datacheck pass 1" in err and "row" in err


def test_no_bar_when_off_or_not_a_terminal(capsys, monkeypatch):
    cur, ref = _frames()
    monkeypatch.delenv("DATACHECK_PROGRESS", raising=False)
    datacheck.run(cur, SUITE, reference=ref, progress=False)
    datacheck.run(cur, SUITE, reference=ref)  # pytest's captured stderr is not a TTY
    assert capsys.readouterr().err == ""


def test_environment_switch(monkeypatch):
    monkeypatch.setenv("DATACHECK_PROGRESS", "0")
    assert not is_enabled() and is_enabled(True)
    monkeypatch.setenv("DATACHECK_PROGRESS", "1")
    assert is_enabled() and not is_enabled(False)


@pytest.mark.parametrize("enabled", [False, True])
def test_bar_counts_updates(enabled, capsys):
    with bar(total=4, desc="work", enabled=enabled) as b:
        for _ in range(4):
            b.update(1)
    assert ("work" in capsys.readouterr().err) == enabled


def test_report_rendering_shows_a_bar_over_figures_when_asked(capsys, tmp_path):
    cur, ref = _frames()
    rep = datacheck.run(cur, SUITE, reference=ref, progress=False)
    capsys.readouterr()
    rep.to_html(str(tmp_path / "r.html"), progress=True)
    err = capsys.readouterr().err
    assert "report: figures" in err and "figure" in err
    rep.save_figures(str(tmp_path / "figs"), dpi=72, progress=False)
    rep.to_html(str(tmp_path / "r2.html"))  # captured stderr is not a terminal; figures cached anyway
    assert capsys.readouterr().err == ""


def test_label_errors_folds_use_the_same_switch(capsys, monkeypatch):
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400)})
    df["y"] = (df["a"] + rng.normal(scale=0.5, size=400) > 0).astype(int)
    suite = {"name": "l", "dataset": {"label": "y"}, "checks": [{"label_errors": {"folds": 3}}]}
    monkeypatch.setenv("DATACHECK_PROGRESS", "1")  # the environment turns bars on everywhere
    datacheck.run(df, suite)
    err = capsys.readouterr().err
    assert "label_errors: cross-validation" in err
    monkeypatch.setenv("DATACHECK_PROGRESS", "0")
    datacheck.run(df, suite)
    assert "cross-validation" not in capsys.readouterr().err


def test_run_progress_reaches_long_checks(capsys, monkeypatch):
    """run(progress=True) shows the bars of checks with long work: SliceLine's levels, label_errors' folds."""
    monkeypatch.delenv("DATACHECK_PROGRESS", raising=False)
    rng = np.random.default_rng(2)
    n = 600
    df = pd.DataFrame({"a": rng.choice(["p", "q", "r"], n), "b": rng.choice(["s", "t"], n)})
    df["y"] = rng.integers(0, 2, n)
    df["pred"] = np.where(rng.random(n) < 0.8, df["y"], 1 - df["y"])
    suite = {
        "name": "w",
        "dataset": {"label": "y", "prediction": "pred"},
        "checks": [{"worst_slices": {"method": "sample", "features": ["a", "b"], "max_depth": 2}}],
    }
    datacheck.run(df, suite, progress=True)
    assert "SliceLine" in capsys.readouterr().err
    datacheck.run(df, suite, progress=False)
    assert capsys.readouterr().err == ""


def test_no_column_bar_for_a_source_that_holds_no_column(capsys, tmp_path):
    cur, _ = _frames()
    path = tmp_path / "c.csv"
    cur.to_csv(path, index=False)
    rep = datacheck.run(str(path), {"name": "p", "checks": [{"outliers": {"columns": "x"}}]}, progress=True)
    err = capsys.readouterr().err
    assert rep.passes >= 1 and "datacheck pass 1" in err and "datacheck columns" not in err
