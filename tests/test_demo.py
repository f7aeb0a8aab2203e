"""The demo (`make demo`) runs end to end on the real Adult data and finds what is there to find."""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    p = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "adult_demo.py"), "--out", str(out)],
                       capture_output=True, text=True, timeout=600, cwd=str(out))
    return p, out


def test_demo_runs_and_writes_the_json_report(demo):
    p, out = demo
    assert p.returncode == 0, p.stderr[-2000:]
    assert "Traceback" not in p.stderr
    path = out / "adult_report.json"
    assert path.exists()
    d = json.loads(path.read_text(encoding="utf-8"))
    assert d["schema_version"] == "1.0"
    assert d["data"]["rows"] == 32561 and d["data"]["columns"] == 15
    assert d["suite"]["name"] == "adult-integrity"
    assert d["passed"] is False  # the raw file's placeholders fail the suite, as they should
    assert "FAILED" in p.stdout and "JSON report:" in p.stdout


def _results(demo):
    _, out = demo
    return json.loads((out / "adult_report.json").read_text(encoding="utf-8"))["results"]


@pytest.mark.parametrize("column,count", [("workclass", 1836), ("occupation", 1843)])
def test_finds_question_mark_placeholders(demo, column, count):
    hits = [r for r in _results(demo) if r["check"] == "missing" and r["column"] == column
            and (r["observed"] or {}).get("kind") == "disguised"]
    assert len(hits) == 1
    r = hits[0]
    assert r["status"] == "fail"
    assert r["observed"]["count"] == count
    assert r["evidence"] == [{"value": "?", "kind": "placeholder", "count": count}]


def test_finds_the_99999_sentinel_in_capital_gain(demo):
    hits = [r for r in _results(demo) if r["check"] == "missing" and r["column"] == "capital-gain"
            and (r["observed"] or {}).get("kind") == "suspected_sentinel"]
    assert len(hits) == 1
    ev = hits[0]["evidence"][0]
    assert ev["value"] == 99999 and ev["count"] == 159
    assert hits[0]["status"] == "warn"


def test_in_memory_run_agrees(adult_raw, demo):
    """The same suite on the session fixture gives the same verdicts as the demo's process."""
    import datacheck

    df = adult_raw.copy()
    rep = datacheck.run(df, os.path.join(ROOT, "expectations", "adult.yaml"))
    got = [(r.check, r.column if not isinstance(r.column, tuple) else list(r.column), r.status) for r in rep.results]
    want = [(r["check"], r["column"], r["status"]) for r in _results(demo)]
    assert got == want
