"""Resource limits on suites we do not control: size, YAML nodes / aliases / depth, regex length."""

from __future__ import annotations

import time

import pytest

import datacheck
from datacheck.errors import SuiteError
from datacheck.suite_yaml import MAX_SUITE_BYTES, MAX_YAML_ALIASES


def _load(tmp_path, text):
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    with pytest.raises(SuiteError) as ei:
        datacheck.load_suite(p)
    return str(ei.value), time.perf_counter() - t0


def test_billion_laughs_refused_fast(tmp_path):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, cur in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    msg, took = _load(tmp_path, "\n".join(lines) + "\nname: x\nchecks: [duplicates]\n")
    assert len("\n".join(lines)) < 600
    assert "YAML nodes" in msg and took < 2.0


def test_self_referencing_alias_refused(tmp_path):
    msg, _ = _load(tmp_path, "name: x\nchecks: &c [duplicates, *c]\n")
    assert "refers to itself" in msg


def test_deep_nesting_refused(tmp_path):
    msg, _ = _load(tmp_path, "name: x\nchecks: " + "[" * 1000 + "]" * 1000 + "\n")
    assert "nest" in msg and "RecursionError" not in msg


def test_many_aliases_refused(tmp_path):
    body = "name: x\nx: &v 1\nchecks:\n" + "".join("  - row_count: {min: *v}\n" for _ in range(MAX_YAML_ALIASES + 1))
    msg, _ = _load(tmp_path, body)
    assert "aliases" in msg


def test_oversized_suite_refused_before_parsing(tmp_path):
    text = 'name: x\ndescription: "' + "x" * (MAX_SUITE_BYTES + 10) + '"\nchecks: [duplicates]\n'
    msg, took = _load(tmp_path, text)
    assert "at most" in msg and took < 1.0


def test_a_few_aliases_still_load(tmp_path):
    p = tmp_path / "ok.yaml"
    p.write_text("name: x\nb: &b {min: 1}\nchecks:\n  - row_count: *b\n", encoding="utf-8")
    with pytest.raises(SuiteError, match="'b' is not a suite key|is not a suite key"):
        datacheck.load_suite(p)  # the alias itself works; the unknown key is the only complaint
    p.write_text("name: x\nchecks:\n  - row_count: &b {min: 1}\n  - row_count: *b\n", encoding="utf-8")
    suite = datacheck.load_suite(p)
    assert [c.params["min"] for c in suite.checks] == [1, 1]


def test_regex_over_size_limit_refused():
    with pytest.raises(SuiteError, match="at most"):
        datacheck.load_suite({"name": "s", "checks": [{"pattern": {"columns": "a", "regex": "a" * 5000}}]})
