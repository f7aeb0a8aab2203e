"""The demo (`make demo`) runs end to end on the real Adult data and finds what is there to find.

One test (the demo takes a while: it also draws the figures and the HTML report), so that pytest-xdist
runs it once rather than once per worker.
"""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _one(results, column, kind):
    hits = [
        r
        for r in results
        if r["check"] == "missing" and r["column"] == column and (r["observed"] or {}).get("kind") == kind
    ]
    assert len(hits) == 1, (column, kind, hits)
    return hits[0]


def test_demo_end_to_end(tmp_path, adult_raw):
    p = subprocess.run(
        [sys.executable, os.path.join(ROOT, "examples", "adult_demo.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=str(tmp_path),
    )
    assert p.returncode == 0, p.stderr[-2000:]
    assert "Traceback" not in p.stderr
    assert "FAILED" in p.stdout and "JSON report:" in p.stdout

    path = tmp_path / "adult_report.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    assert d["schema_version"] == "1.0"
    assert d["data"]["rows"] == 32561 and d["data"]["columns"] == 15
    assert d["suite"]["name"] == "adult-integrity"
    assert d["passed"] is False  # the raw file's placeholders fail the suite, as they should
    results = d["results"]

    # the '?' placeholders in workclass and occupation
    for column, count in (("workclass", 1836), ("occupation", 1843)):
        r = _one(results, column, "disguised")
        assert r["status"] == "fail" and r["observed"]["count"] == count
        assert r["evidence"] == [{"value": "?", "kind": "placeholder", "count": count}]

    # the 99999 top-code in capital-gain, as a suspected sentinel (a warning)
    r = _one(results, "capital-gain", "suspected_sentinel")
    assert r["status"] == "warn"
    assert (r["evidence"][0]["value"], r["evidence"][0]["count"]) == (99999, 159)

    # the same suite on the same data in this process gives the same verdicts
    import datacheck

    rep = datacheck.run(adult_raw.copy(), os.path.join(ROOT, "expectations", "adult.yaml"))
    got = [(r.check, list(r.column) if isinstance(r.column, tuple) else r.column, r.status) for r in rep.results]
    assert got == [(r["check"], r["column"], r["status"]) for r in results]


@pytest.mark.slow
def test_audit_demo_end_to_end(tmp_path):
    """The second half of `make demo`: shift passes on an untouched split; the model's known group
    gaps are found; every family is in one report."""
    p = subprocess.run(
        [sys.executable, os.path.join(ROOT, "examples", "adult_audit.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=str(tmp_path),
    )
    assert p.returncode == 0, p.stderr[-2000:]
    d = json.loads((tmp_path / "adult_audit.json").read_text(encoding="utf-8"))
    results = d["results"]
    families = {r["family"] for r in results}
    assert {"shift", "bias", "slices", "label_errors"} <= families
    shift = [r for r in results if r["family"] == "shift"]
    assert shift and all(r["status"] == "pass" for r in shift)  # a random split: no false alarm
    sel = [r for r in results if r["check"] == "bias" and r["column"] == "sex" and "selection_rate" in r["message"]]
    assert sel and sel[0]["status"] == "fail"  # women are selected at about a third of men's rate
    html = (tmp_path / "adult_audit.html").read_text(encoding="utf-8")
    assert "adult-model-audit" in html and "<script>alert" not in html
