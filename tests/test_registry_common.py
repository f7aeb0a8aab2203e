"""Common tests derived from the registries, in the manner of scikit-learn's common tests: every
registered check gives the same results from pandas, Arrow, polars, streamed Parquet and streamed
CSV (an odd batch size, so batches split the data unevenly), its report survives JSON, and every
registered figure draws from a reloaded JSON report, and an empty frame, all-null columns or
wrong-typed columns give results in words, never an exception. A new check or figure joins by
being registered; a check with required parameters adds one line to ``REQUIRED``.

(Kernels: ``tests/kernels/test_laws.py`` walks every kernel module. Generated and broken inputs:
``tests/test_fuzz.py`` walks the check registry.)
"""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import pytest  # noqa: E402

import datacheck  # noqa: E402
from datacheck.checks import REGISTRY  # noqa: E402
from datacheck.figures import FIGURES, _load_all  # noqa: E402

#: the parameters a check cannot run without (everything else is left at its default)
REQUIRED = {
    "allowed_values": {"columns": "grade", "values": ["a", "b", "c"]},
    "forbidden_values": {"columns": "grade", "values": ["z"]},
    "most_common_value": {"columns": "grade", "values": ["a"]},
    "pattern": {"columns": "grade", "regex": "^[a-c]$"},
    "quantiles": {"columns": "x", "quantiles": [0.1, 0.5], "ranges": [[-2, 0], [-0.5, 0.5]]},
    "distinct_values": {"columns": "grade", "max_count": 3},
    "unique": {"columns": "id"},
    "value_lengths": {"columns": "grade", "min": 1, "max": 1},
    "range": {"columns": "age", "min": 0, "max": 120},
    "row_count": {"min": 1},
    "schema": {"columns": ["id", "x", "grade"]},
    "statistic": {"columns": "x", "min": -1, "max": 1},
}
#: a faster configuration of checks that fit a model or search, and a crossed slicing (so that
#: every registered figure has something to draw)
OPTIONS = {
    "label_errors": {"folds": 3},
    "worst_slices": {"max_depth": 2},
    "slices": {"by": ["sex", "age", ["sex", "grade"]]},
}
ODD_BATCH = 97
SOURCES = ("pandas", "arrow", "polars", "parquet", "csv")


def _frame(seed: int, shift: float = 0.0, n: int = 600) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(shift, 1, n)
    x[rng.random(n) < 0.05] = np.nan
    # text columns hold no missing values: in CSV an empty field of a text column is the empty
    # string by design (engines/sources.py reads text with strings_can_be_null=False)
    grade = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    sex = rng.choice(["F", "M"], n)
    age = rng.integers(18, 80, n)
    y = (np.nan_to_num(x) + (sex == "F") * 0.5 + rng.normal(0, 1, n) > 0.3).astype(int)
    score = 1 / (1 + np.exp(-(np.nan_to_num(x) + rng.normal(0, 0.8, n))))
    return pd.DataFrame(
        {
            "id": np.arange(n) + seed * 10_000,
            "x": x,
            "age": age,
            "grade": pd.array(grade, dtype="string"),
            "flag": rng.random(n) < 0.3,
            "sex": sex,
            "y": y,
            "pred": (score > 0.5).astype(int),
            "score": score,
        }
    )


DATASET = {"label": "y", "prediction": "pred", "scores": ["score"], "protected": ["sex"], "id": "id"}


def _suite(name: str) -> dict:
    params = {**REQUIRED.get(name, {}), **OPTIONS.get(name, {})}
    return {"name": f"common {name}", "dataset": DATASET, "checks": [{name: params} if params else name]}


def _as(source: str, df: pd.DataFrame, path: str):
    if source == "pandas":
        return df
    table = pa.Table.from_pandas(df, preserve_index=False)
    if source == "arrow":
        return table
    if source == "polars":
        import polars as pl

        return pl.from_arrow(table)
    if source == "parquet":
        pq.write_table(table, path + ".parquet", row_group_size=250)
        return path + ".parquet"
    df.to_csv(path + ".csv", index=False)
    return path + ".csv"


def _comparable(report) -> list[dict]:
    """Each result as JSON data; text types named alike (CSV text is ``string``, pandas text
    ``large_string``: the same logical type, and the same verdicts)."""
    return _normalise(report.to_dict()["results"])


def _normalise_plain(report) -> list:
    """The other side of the comparison: the same normalisation, floats kept as they are."""
    return _strings(report.to_dict()["results"])


def _strings(x):
    if isinstance(x, dict):
        return {k: _strings(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_strings(v) for v in x]
    return x.replace("large_string", "string") if isinstance(x, str) else x


def _normalise(x):
    if isinstance(x, dict):
        return {k: _normalise(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_normalise(v) for v in x]
    if isinstance(x, str):
        return x.replace("large_string", "string")
    if isinstance(x, float):  # sums merged in another order differ in the last bits
        return pytest.approx(x, rel=1e-9, abs=1e-12, nan_ok=True)
    return x


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("common")
    cur, ref = _frame(1), _frame(2, shift=0.3)
    return {s: (_as(s, cur, str(tmp / f"cur_{s}")), _as(s, ref, str(tmp / f"ref_{s}"))) for s in SOURCES}


@pytest.fixture(scope="module")
def reports(data):
    """check name -> source -> report (every registered check on every source)."""
    out: dict[str, dict] = {}
    for name in sorted(REGISTRY):
        needs_ref = REGISTRY[name].needs_reference
        for s in SOURCES:
            cur, ref = data[s]
            out.setdefault(name, {})[s] = datacheck.run(
                cur, _suite(name), reference=ref if needs_ref else None, batch_rows=ODD_BATCH, progress=False
            )
    return out


def test_every_registered_check_has_a_valid_suite():
    for name in REGISTRY:
        try:
            datacheck.load_suite(_suite(name))
        except datacheck.SuiteError as exc:  # pragma: no cover - a new check with required parameters
            pytest.fail(f"{name}: {exc}; add its parameters to REQUIRED in this file")


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_same_results_from_every_source(reports, name):
    by_source = reports[name]
    base = by_source["pandas"].to_dict()["results"]
    assert base and all(r["status"] != "error" for r in base), [(r["check"], r["message"]) for r in base]
    expected = _comparable(by_source["pandas"])
    for s in SOURCES[1:]:
        assert _normalise_plain(by_source[s]) == expected, f"{name}: {s} differs from pandas"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_report_round_trips_through_json(reports, name):
    rep = reports[name]["parquet"]
    again = datacheck.Report.from_json(rep.to_json())
    assert again.to_dict() == rep.to_dict()
    assert datacheck.Report.from_json(again.to_json()).to_json() == rep.to_json()


def test_every_registered_figure_draws_from_a_reloaded_report(reports):
    _load_all()
    whole = datacheck.Report.from_dict(
        {
            **reports["missing"]["pandas"].to_dict(),
            "results": [r for n in sorted(reports) for r in reports[n]["csv"].to_dict()["results"]],
        }
    )
    reloaded = datacheck.Report.from_json(whole.to_json())
    drawn = []
    for name, spec in sorted(FIGURES.items()):
        if not spec.applies(reloaded):
            continue
        out = spec.draw(reloaded)
        fig = out if hasattr(out, "savefig") else out.figure
        assert fig.axes, name
        plt.close(fig)
        drawn.append(name)
    assert set(drawn) == set(FIGURES), f"never drawn: {sorted(set(FIGURES) - set(drawn))}"


def test_reports_name_no_temporary_path_in_results(reports, data):
    # results describe the data, not where it was read from (so the sources can be compared)
    path = os.path.dirname(str(data["csv"][0]))
    for name in reports:
        assert path not in reports[name]["csv"].to_json(indent=0).split('"results"', 1)[1], name


def _degenerate(kind: str) -> pd.DataFrame:
    base = _frame(1, n=60)
    if kind == "empty":
        return base.iloc[:0]
    if kind == "all_null":
        nulls = {c: pd.array([None] * 60, dtype="Int64") for c in ("age", "y", "pred")}
        text = {c: pd.array([None] * 60, dtype="string") for c in ("grade", "sex")}
        return base.assign(x=np.nan, score=np.nan, **nulls, **text)
    # wrong types: text where numbers are expected and the other way round
    return base.assign(x=["a"] * 60, age=["b"] * 60, grade=np.arange(60), score=["s"] * 60, y=["u", "v"] * 30)


@pytest.mark.parametrize("kind", ["empty", "all_null", "wrong_type"])
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_degenerate_columns_give_results_in_words(name, kind):
    df = _degenerate(kind)
    rep = datacheck.run(df, _suite(name), reference=df if REGISTRY[name].needs_reference else None, progress=False)
    assert rep.results
    for r in rep.results:
        assert r.status in ("pass", "warn", "fail", "error", "skipped") and r.message
        assert "internal_error" not in (r.details or {}), (name, kind, r.details["internal_error"])
