"""Column-at-a-time rounds (``engines.local.column_rounds``): kernels that read one column a source
can hand whole are computed a column at a time before any pass over the rows. They must give the
report the passes give, for every check family, on tables in memory and on Parquet files, and fall
back to the passes (which report faults) when a column cannot be handed whole."""

from __future__ import annotations

import glob
import os

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import datacheck
import datacheck.runner as runner
from datacheck.datasets import load_adult
from datacheck.engines import local
from datacheck.engines.opener import open_source
from datacheck.kernels.base import Kernel
from datacheck.kernels.moments import Moments
from datacheck.kernels.quantiles import Sketch

HERE = os.path.dirname(os.path.abspath(__file__))
SUITES = sorted(glob.glob(os.path.join(HERE, "..", "..", "expectations", "adult*.yaml")))


def _comparable(rep: datacheck.Report) -> dict:
    d = rep.to_dict()
    for key in ("duration_s", "started_at", "passes", "data", "notes", "reference"):
        d.pop(key, None)
    return d


def _close(a, b, path="") -> None:
    """Equal, floats to 1e-12 relative (moments merged over other batch boundaries round apart)."""
    if isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-300, nan_ok=True), path
    elif isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _close(x, y, f"{path}[{i}]")
    else:
        assert a == b, path


def _by_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "column_rounds", lambda *a, **k: False)


@pytest.fixture(scope="module")
def adult() -> pd.DataFrame:
    return load_adult(raw_missing=True)


@pytest.mark.parametrize("suite", SUITES, ids=[os.path.basename(s) for s in SUITES])
def test_every_shipped_suite_reports_as_the_passes_do(suite, adult, monkeypatch):
    rng = np.random.default_rng(3)
    rows = rng.permutation(len(adult))
    train, serve = adult.iloc[rows[:12_000]], adult.iloc[rows[12_000:20_000]].reset_index(drop=True)
    train = train.reset_index(drop=True)
    kw = {"reference": train} if "shift" in suite or "audit" in suite else {}
    by_column = datacheck.run(serve, suite, batch_rows=3_000, **kw)
    _by_passes(monkeypatch)
    by_rows = datacheck.run(serve, suite, batch_rows=3_000, **kw)
    assert _comparable(by_column) == _comparable(by_rows)
    assert by_column.passes <= by_rows.passes


def test_parquet_files_report_as_tables_do(tmp_path, monkeypatch):
    rng = np.random.default_rng(5)
    n = 20_000
    x = rng.lognormal(size=n)
    x[rng.random(n) < 0.05] = np.nan
    frame = pd.DataFrame(
        {
            "x": x,
            "i": rng.integers(-5, 40, n),
            "s": rng.choice(["a", "b", "c", None], n),
            "y": rng.random(n) < 0.3,
            "g": rng.choice(["u", "v"], n),
        }
    )
    ref = frame.sample(frac=1.0, random_state=1).reset_index(drop=True)
    cur = frame.assign(x=frame["x"] * 1.05)
    for name, df in (("ref", ref), ("cur", cur)):
        df.to_parquet(tmp_path / f"{name}.parquet", row_group_size=6_000)
    suite = {
        "name": "p",
        "dataset": {"label": "y", "protected": ["g"]},
        "checks": [
            {"missing": {"columns": "*"}},
            {"outliers": {"columns": "numeric"}},
            {"skew": {"columns": "numeric"}},
            {"range": {"columns": "i", "min": 0, "max": 30}},
            {"drift": {"columns": ["x", "i", "s"]}},
            {"bias": {"attributes": ["g"], "metrics": ["base_rate"]}},
        ],
    }
    files = datacheck.run(
        str(tmp_path / "cur.parquet"), suite, reference=str(tmp_path / "ref.parquet"), batch_rows=4_000
    )
    import pyarrow.parquet as pq

    # the same files as tables in memory (a chunk a row group: the batches the files give)
    tables = datacheck.run(
        pq.read_table(tmp_path / "cur.parquet"),
        suite,
        reference=pq.read_table(tmp_path / "ref.parquet"),
        batch_rows=4_000,
    )
    _by_passes(monkeypatch)
    streamed = datacheck.run(
        str(tmp_path / "cur.parquet"), suite, reference=str(tmp_path / "ref.parquet"), batch_rows=4_000
    )
    _close(_comparable(files), _comparable(streamed))
    _close(_comparable(files), _comparable(tables))
    assert files.passes <= streamed.passes


class _Source:
    """A one-column table source whose column read fails, or is refused."""

    def __init__(self, table: pa.Table, fault: str) -> None:
        self.inner = open_source(table)
        self.schema = self.inner.schema
        self.fault = fault

    def whole_column(self, name: str):
        if self.fault == "raise":
            raise OSError("disk gone")
        return None


@pytest.mark.parametrize("fault", ["raise", "refuse"])
def test_a_column_that_cannot_be_held_is_left_to_the_passes(fault):
    src = _Source(pa.table({"x": [1.0, 2.0, 3.0]}), fault)
    asked: list = []
    assert local.column_rounds(src, [Moments("x")], lambda *a: asked.append(a) or []) is False
    assert asked == []


def test_rounds_follow_what_the_checks_ask_next():
    """The summary first; once it is stored, the exact quartiles of the same column, from its kept
    sorted batches (no new read); a failing kernel is reported, not raised."""

    class Broken(Moments):
        def update(self, state, view):
            raise ValueError("bad")

    x = pa.chunked_array([np.arange(0, 5_000, dtype=float), np.arange(5_000, 9_000, dtype=float)])
    src = open_source(pa.table({"x": x}), batch_rows=1_000)
    seen: list[dict] = []
    asked: list[list[Kernel]] = []

    def again(name, values, failures):
        seen.append({"values": dict(values), "failures": dict(failures)})
        sk = next((v for k, v in values.items() if isinstance(k, Sketch)), None)
        if sk is None:
            return []
        from datacheck.kernels.quantiles import ExactQuantiles

        nxt = [ExactQuantiles.from_sketch("x", (0.25, 0.5), sk)]
        asked.append(nxt)
        return nxt

    broken = Broken("x")
    assert local.column_rounds(src, [Sketch("x"), broken], again) is True
    assert len(seen) == 2
    assert broken in seen[0]["failures"] and "bad" in seen[0]["failures"][broken]
    exact = seen[1]["values"][asked[0][0]]["values"]
    assert exact[0.25] == np.quantile(np.arange(9_000.0), 0.25) and exact[0.5] == np.quantile(np.arange(9_000.0), 0.5)


def test_a_profile_from_column_rounds_is_the_profile_from_passes(adult, tmp_path, monkeypatch):
    import json

    import datacheck.profiles as profiles

    suite = SUITES[[os.path.basename(s) for s in SUITES].index("adult_shift.yaml")]
    by_column = datacheck.profile(adult.iloc[:15_000], suite, batch_rows=4_000)
    monkeypatch.setattr(profiles, "column_rounds", lambda *a, **k: False)
    by_rows = datacheck.profile(adult.iloc[:15_000], suite, batch_rows=4_000)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    by_column.save(a)
    by_rows.save(b)
    da, db = json.loads(a.read_text()), json.loads(b.read_text())

    def by_kernel(d: dict) -> dict:  # (the rounds store the kernels in another order)
        return {json.dumps(m["kernel"], sort_keys=True): m["value"] for m in d["metrics"]}

    assert len(da["metrics"]) > 20 and by_kernel(da) == by_kernel(db)
    for key in ("created_at", "checksum", "metrics"):
        da.pop(key, None)
        db.pop(key, None)
    assert da == db and by_column.n_rows == 15_000
