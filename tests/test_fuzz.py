"""The fuzzer: every registered check, on generated frames, from every source (issue 15).

The fast profile (the default; a few hundred examples) runs with the other tests. The long
profile runs on demand and writes its figures::

    DATACHECK_FUZZ=long DATACHECK_FUZZ_EXAMPLES=10000 python -m pytest -q -p no:cacheprovider tests/test_fuzz.py

In the long profile no example stops the run: every case is classified (report, refused,
uncaught, raw error text, wrong count, modified input, source disagreement, slow) and the counts
are written to ``$DATACHECK_FUZZ_OUT`` (default ``fuzz-figures.json``); the test then fails if
any bad class is non-zero.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from collections import Counter

import pandas as pd
import pyarrow as pa
import pytest
from fuzzing import frames, judge, suites, verdicts
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from datacheck.checks import REGISTRY
from datacheck.context import schema_info
from datacheck.engines.opener import open_source

LONG = os.environ.get("DATACHECK_FUZZ") == "long"
EXAMPLES = int(os.environ.get("DATACHECK_FUZZ_EXAMPLES", "10000" if LONG else "400"))
SLOW_S = 10.0  # a small frame that takes longer than this is a hang for the fuzzer's purposes
SOURCES = ("pandas", "arrow", "polars", "parquet", "csv")

CHECKS = sorted(REGISTRY)
_FIGURES: Counter = Counter()
_EXAMPLES: dict[str, str] = {}

_SETTINGS = settings(
    max_examples=max(5, -(-EXAMPLES // len(CHECKS))),  # EXAMPLES in all, split over the registry
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate] if LONG else [Phase.explicit, Phase.generate, Phase.shrink],
)


def _as_arrow(df: pd.DataFrame):
    try:
        return pa.Table.from_pandas(df, preserve_index=False)
    except Exception:
        return None  # not representable as one Arrow type per column: the pandas path covers it


def _materialise(df: pd.DataFrame, source: str, tmp: str):
    """The same data as ``source``; None when the source cannot carry it."""
    if source == "pandas":
        return df
    if df.columns.duplicated().any() or not len(df.columns):
        return None
    table = _as_arrow(df)
    if table is None:
        return None
    if source == "arrow":
        return table
    if source == "polars":
        import polars as pl

        try:
            return pl.from_arrow(table)
        except Exception:
            return None
    if source == "parquet":
        import pyarrow.parquet as pq

        path = os.path.join(tmp, "d.parquet")
        try:
            pq.write_table(table, path)
        except Exception:
            return None
        return path
    path = os.path.join(tmp, "d.csv")
    try:
        df.to_csv(path, index=False, encoding="utf-8")
    except Exception:
        return None
    return path


def _record(kind: str, detail: str) -> None:
    _FIGURES[kind] += 1
    _EXAMPLES.setdefault(kind, detail[:500])


def _case(df, suite, source, use_ref):
    with tempfile.TemporaryDirectory() as tmp:
        data = _materialise(df, source, tmp)
        if data is None:
            source, data = "pandas", df
        ref = (df if source == "pandas" else data) if use_ref else None
        t0 = time.perf_counter()
        outcome, problems, report = judge(data, suite, original=df if source == "pandas" else None, reference=ref)
        took = time.perf_counter() - t0
        if took > SLOW_S:
            problems.append(f"took {took:.1f} s on {len(df)} rows")
        # the same data from Arrow must give the same verdicts as from pandas
        if report is not None and source in ("arrow", "polars", "parquet"):
            o2, p2, r2 = judge(df, suite, original=df, reference=df if use_ref else None)
            problems += p2
            if r2 is not None:
                # Parquet and polars do not keep every pandas type (a categorical comes back as its values'
                # type): compare the columns whose logical type is the same from both sources
                a, b = schema_info(open_source(df).schema), schema_info(open_source(data).schema)
                same = {c for c in a if c in b and a[c].logical == b[c].logical}
                va = [v for v in verdicts(r2) if v[1] in same or v[1] == "None"]
                vb = [v for v in verdicts(report) if v[1] in same or v[1] == "None"]
                if va != vb:
                    diff = [(x, y) for x, y in zip(va, vb) if x != y][:3] or (va, vb)
                    problems.append(f"{source} and pandas disagree: {diff}")
    return outcome, problems, took


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("check", CHECKS)  # walk the registry: a new check is fuzzed by being registered
@_SETTINGS
@given(data=st.data())
def test_fuzz_every_check_every_source(check, data):
    df = data.draw(frames(), label="frame")
    suite = data.draw(suites([str(c) for c in df.columns], first=check), label="suite")
    source = data.draw(st.sampled_from(SOURCES), label="source")
    use_ref = data.draw(st.booleans(), label="reference")
    outcome, problems, took = _case(df, suite, source, use_ref)
    _FIGURES["cases"] += 1
    _FIGURES[f"outcome:{outcome}"] += 1
    for name in {next(iter(c)) for c in suite["checks"]}:
        _FIGURES[f"check:{name}"] += 1
    _FIGURES[f"source:{source}"] += 1
    _FIGURES["max_seconds_x100"] = max(_FIGURES["max_seconds_x100"], int(took * 100))
    for p in problems:
        kind = p.split(" ")[0] if not p.startswith("raw") else "raw"
        m = re.match(r"(?:internal error|raw error text) in (\w+)\(.*?\): (\w+)", p)
        if m:  # one class per check and exception type
            kind += f":{m.group(1)}:{m.group(2)}"
        elif kind == "uncaught":
            kind += ":" + p.split(" ")[1].rstrip(":")
        _record(f"bad:{kind}", f"{p} | suite={suite!r} | source={source} | dtypes={list(map(str, df.dtypes))}")
    if not LONG:
        assert not problems, problems


def test_fuzz_figures_and_coverage():
    """Runs after the fuzz test (same module, file order): every check was drawn; the long run's figures."""
    if not _FIGURES["cases"]:
        pytest.skip("the fuzz test did not run")
    drawn = {k.split(":", 1)[1] for k in _FIGURES if k.startswith("check:")}
    if _FIGURES["cases"] >= len(CHECKS) and not os.environ.get("PYTEST_XDIST_WORKER"):
        # (under pytest-xdist each worker sees only its share of the parametrized cases)
        assert set(REGISTRY) <= drawn, f"never fuzzed: {sorted(set(REGISTRY) - drawn)}"
    if LONG:
        out = os.environ.get("DATACHECK_FUZZ_OUT", "fuzz-figures.json")
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(
                {"figures": dict(sorted(_FIGURES.items())), "first_example": _EXAMPLES}, fh, indent=1, ensure_ascii=True
            )
        bad = {k: v for k, v in _FIGURES.items() if k.startswith("bad:")}
        assert not bad, (bad, _EXAMPLES)
