"""datacheck.suggest: passes on its own data, silent on a fresh split, catches corruption (small,
fast version of benchmarks/suggest_validity.py), and the CLI writes loadable YAML and GX JSON."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import datacheck
from datacheck.cli import main


@pytest.fixture(scope="module")
def halves(adult):
    perm = np.random.default_rng(0).permutation(len(adult))[:8000]
    a = adult.iloc[perm[:4000]].reset_index(drop=True)
    b = adult.iloc[perm[4000:]].reset_index(drop=True)
    return a, b


def test_suggest_passes_on_own_data_and_fresh_split(halves):
    a, b = halves
    before = a.copy()
    suite = datacheck.suggest(a)
    names = {c.name for c in suite.checks}
    assert {"schema", "row_count", "missing", "range", "allowed_values", "duplicates", "outliers"} <= names
    assert datacheck.run(a, suite).passed
    assert datacheck.run(b, suite).passed, [r.message for r in datacheck.run(b, suite).failures]
    pd.testing.assert_frame_equal(a, before)


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda d: d.assign(age=d["age"].where(np.arange(len(d)) % 5 != 0)),  # nulls to 20%
        lambda d: d.assign(**{"hours-per-week": d["hours-per-week"] * 1000}),  # unit change
        lambda d: d.assign(race=d["race"].where(np.arange(len(d)) % 20 != 0, "New")),  # new category 5%
        lambda d: d.assign(age=d["age"].astype(str)),  # type change
        lambda d: d.drop(columns=["education"]),  # dropped column
        lambda d: pd.concat([d, d.iloc[:200]], ignore_index=True),  # duplicated rows 5%
    ],
)
def test_suggest_catches_corruption(halves, corrupt):
    a, b = halves
    assert not datacheck.run(corrupt(b.copy()), datacheck.suggest(a)).passed


def test_ids_patterns_and_roles():
    rng = np.random.default_rng(1)
    df = pd.DataFrame(
        {
            "id": [f"ID{i:06d}" for i in range(500)],
            "day": pd.date_range("2024-01-01", periods=500).strftime("%Y-%m-%d"),
            "x": rng.normal(size=500),
            "y": rng.integers(0, 2, 500),
            "g": rng.choice(["a", "b"], 500),
        }
    )
    suite = datacheck.suggest(df, roles={"label": "y", "protected": ["g"]})
    by = [(c.name, c.params.get("columns")) for c in suite.checks]
    assert ("unique", "id") in by and ("pattern", "day") in by and ("pattern", "id") in by
    assert {"drift", "bias", "label_errors"} <= {n for n, _ in by} and suite.dataset.label == "y"


def test_cli_suggest_yaml_and_gx(tmp_path, halves, capsys):
    a, _ = halves
    path = tmp_path / "a.parquet"
    a.to_parquet(path)
    assert main(["suggest", str(path), "-o", str(tmp_path / "s.yaml")]) == 0
    text = (tmp_path / "s.yaml").read_text()
    assert text.count("  # ") >= 10  # one comment per check
    assert datacheck.run(str(path), str(tmp_path / "s.yaml")).passed
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["suggest", str(path), "--gx", "-o", str(tmp_path / "s.json")]) == 0
        d = json.loads((tmp_path / "s.json").read_text())
        assert d["expectations"] and datacheck.from_great_expectations(d).checks
        assert main(["convert", str(tmp_path / "s.json"), "-o", str(tmp_path / "back.yaml")]) == 0
        assert main(["convert", str(tmp_path / "back.yaml"), "--to", "gx", "-o", str(tmp_path / "again.json")]) == 0
    assert datacheck.run(str(path), str(tmp_path / "back.yaml")).passed
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"name": "s", "expectations": [{"type": "expect_column_pair_values_to_be_equal", "kwargs": {}}]})
    )
    assert main(["convert", str(bad), "-o", str(tmp_path / "x.yaml")]) == 2
    assert "has no datacheck equivalent" in capsys.readouterr().err


def test_past_the_row_budget_duplicates_and_ids_are_not_hashed(tmp_path, monkeypatch):
    """Bounded memory on any file: past MAX_HASHED_ROWS (known from the Parquet footer) no row hash
    is kept; the duplicates check keeps its default bound and says why, and no unique is suggested."""
    import datacheck.suggestions as sg

    df = pd.DataFrame({"id": np.arange(400), "x": np.random.default_rng(0).normal(size=400)})
    path = tmp_path / "d.parquet"
    df.to_parquet(path)
    suite, notes = sg.infer(str(path))
    assert any("unique" in c for c in suite["checks"])
    monkeypatch.setattr(sg, "MAX_HASHED_ROWS", 100)
    suite, notes = sg.infer(str(path))
    assert not any("unique" in c for c in suite["checks"])
    dup = next(c for c in suite["checks"] if "duplicates" in c)
    assert dup["duplicates"]["max_fraction"] == 0.001
    assert any("not profiled" in n for n in notes)
