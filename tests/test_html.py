"""The HTML report: self-contained, escaped, bounded in size, with a section per family."""

from __future__ import annotations

import os
import re
import warnings

import numpy as np
import pandas as pd
import pytest

import datacheck
from datacheck.figures import FIGURES, FigureSpec, figures_for

SUITE = os.path.join(os.path.dirname(__file__), "..", "expectations", "adult.yaml")
EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def adult_report(adult_raw):
    return datacheck.run(adult_raw, SUITE)


@pytest.fixture(scope="module")
def adult_html(adult_report):
    return adult_report.to_html()


def _evil_report():
    rng = np.random.default_rng(0)
    n = 600
    df = pd.DataFrame(
        {
            EVIL: rng.choice(["<img src=x onerror=alert(2)>", "</script><script>alert(3)</script>", "ok", "?", ""], n),
            '"><svg onload=alert(4)>': rng.normal(size=n),
            "a$b$c$ & 'q'": np.r_[rng.lognormal(size=n - 6), [-999.0] * 6],
        }
    )
    suite = {
        "name": "<script>alert('suite')</script>",
        "dataset": {"label": EVIL},
        "checks": [
            {"missing": {"description": "<script>alert('description')</script>"}},
            {"allowed_values": {"columns": EVIL, "values": ["ok", "<i>x</i>"]}},
            {"pattern": {"columns": EVIL, "regex": "[a-z]+"}},
            {"outliers": {"columns": ['"><svg onload=alert(4)>', "a$b$c$ & 'q'"]}},
            "skew",
            {"range": {"columns": "a$b$c$ & 'q'", "min": 0}},
            {"schema": {"columns": {"</td></tr></table><script>alert(5)</script>": "integer"}}},
        ],
    }
    return datacheck.run(df, suite)


def _tags(html: str, name: str) -> list[str]:
    return re.findall(rf"<{name}\b[^>]*>", html, flags=re.I)


# -- self-contained ------------------------------------------------------------------------------


def test_self_contained_no_network(adult_html):
    assert adult_html.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href|action|poster|data)\s*=\s*["']?\s*(https?:)?//""", adult_html, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", adult_html, re.I)
    assert "@import" not in adult_html
    assert not _tags(adult_html, "link") and not _tags(adult_html, "iframe")
    imgs = _tags(adult_html, "img")
    assert imgs and all(re.search(r'src="data:image/(png|svg\+xml);base64,', t) for t in imgs)
    hrefs = re.findall(r'href="([^"]*)"', adult_html)
    assert hrefs and all(h.startswith("#") for h in hrefs)
    scripts = re.findall(r"<script\b([^>]*)>", adult_html, re.I)
    assert scripts == [""], "one inline script, no src"
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', adult_html).group(1)
    assert "default-src 'none'" in csp and "img-src data:" in csp and "'sha256-" in csp


def test_the_script_hash_in_the_policy_matches_the_script(adult_html):
    import base64
    import hashlib

    script = re.search(r"<script>(.*?)</script>", adult_html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in adult_html


def test_summary_header_and_sections(adult_report, adult_html):
    h = adult_html
    for anchor in ('id="summary"', 'id="overview"', 'id="family-integrity"', 'id="results"', 'id="results-table"'):
        assert anchor in h
    assert "adult-integrity" in h and "FAILED" in h
    assert "32,561 rows × 15 columns" in h
    assert f"datacheck {datacheck.__version__}" in h
    assert "pandas.DataFrame[32,561 x 15]" in h
    counts = adult_report.counts()
    assert f"<b>{counts['fail']}</b> fail" in h and f"<b>{counts['pass']}</b> pass" in h
    for spec in figures_for(adult_report):
        assert f'id="fig-{spec.name}"' in h
    # every result is a row of the table; the findings name the failures with their evidence
    assert len(re.findall(r'<tr data-status="', h)) == len(adult_report.results)
    assert "1,836 disguised missing value(s)" in h
    assert "evidence" in h and "placeholder" in h


def test_families_are_sections_generically():
    df = pd.DataFrame({"x": [1.0, 2.0, None]})
    rep = datacheck.run(df, {"name": "t", "checks": ["missing"]})
    extra = datacheck.Result(
        check="made_up",
        column="x",
        severity="warn",
        status="warn",
        family="some_new_family",
        message="a finding from a family the report has never heard of",
    )
    rep.results.append(extra)
    h = rep.to_html()
    assert 'id="family-some_new_family"' in h and "Some new family" in h
    assert h.index('id="family-integrity"') < h.index('id="family-some_new_family"')
    assert "a finding from a family the report has never heard of" in h


def test_reference_in_header_when_there_is_one():
    rep = datacheck.Report.from_dict(
        {
            "suite": {"name": "s"},
            "data": {"source": "cur.parquet", "rows": 10, "columns": 1},
            "reference": {"source": "train.profile.json", "rows": 1234},
            "results": [],
        }
    )
    h = rep.to_html()
    assert "train.profile.json" in h and "1,234 rows" in h and "Every check passed." in h


# -- escaping ------------------------------------------------------------------------------------


def test_everything_from_data_and_suite_is_escaped():
    rep = _evil_report()
    assert any(r.column == EVIL and r.status == "fail" for r in rep.results)
    h = rep.to_html()
    # the only script element is the report's own; nothing from the data became markup
    assert len(_tags(h, "script")) == 1
    assert "<script>alert" not in h and "</script><script>" not in h
    assert not _tags(h, "svg") and not re.search(r"<img src=x", h)
    assert not re.search(r"<[a-z]+[^>]*\son(error|load)\s*=", h, re.I)
    assert "<i>x</i>" not in h
    assert h.count("</table>") == 1
    # ... and it is all still there, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in h
    assert "&lt;img src=x onerror=alert(2)&gt;" in h
    assert "&lt;script&gt;alert(&#39;suite&#39;)&lt;/script&gt;" in h
    assert "&lt;script&gt;alert(&#39;description&#39;)&lt;/script&gt;" in h
    compact = rep._repr_html_()
    assert not _tags(compact, "script") and "&lt;script&gt;alert(1)&lt;/script&gt;" in compact


def test_empty_and_padded_evidence_values_stay_visible():
    rep = datacheck.run(pd.DataFrame({"s": ["a", "", " ", "b"] * 5}), {"name": "t", "checks": ["missing"]})
    h = rep.to_html()
    assert "value: &#39;&#39;" in h and "value: &#39; &#39;" in h


# -- bounded size --------------------------------------------------------------------------------


def _synthetic(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "amount": rng.lognormal(3, 1, n),
            "age": rng.integers(18, 90, n),
            "score": rng.normal(0, 1, n),
            "city": rng.choice(["Oslo", "Rome", "Lima", "?", "Pune"], n, p=[0.4, 0.3, 0.2, 0.05, 0.05]),
            "code": [f"C{i}" for i in rng.integers(0, n, n)],
            "label": rng.choice(["yes", "no"], n, p=[0.8, 0.2]),
        }
    )
    df.loc[rng.random(n) < 0.03, "score"] = np.nan
    df.loc[rng.random(n) < 0.01, "age"] = 999
    return df


SIZE_SUITE = {
    "name": "size",
    "dataset": {"label": "label"},
    "checks": [
        {"missing": {"max_fraction": 0.01}},
        {"outliers": {"evidence_rows": 50}},
        "skew",
        {"range": {"columns": "age", "min": 18, "max": 100}},
        {"allowed_values": {"columns": "city", "values": ["Oslo", "Rome", "Lima", "Pune"]}},
        {"pattern": {"columns": "code", "regex": "C[0-9]{1,2}"}},
        "duplicates",
        {"unique": {"columns": "code"}},
    ],
}


def test_size_does_not_grow_with_rows():
    small = datacheck.run(_synthetic(1_000), SIZE_SUITE)
    large = datacheck.run(_synthetic(200_000), SIZE_SUITE)
    a, b = len(small.to_html()), len(large.to_html())
    assert b < 1.5 * a and a < 1.5 * b, (a, b)
    assert b < 2_000_000


def test_evidence_is_bounded_in_the_page():
    from datacheck import html as dh

    many = [{"row": i, "value": "x" * 5000} for i in range(5000)]
    r = datacheck.Result(
        check="c",
        column="x",
        severity="error",
        status="fail",
        evidence=many,
        observed={f"k{i}": i for i in range(100)},
        message="m" * 10_000,
    )
    rep = datacheck.Report(suite_name="s", results=[r])
    h = rep.to_html()
    assert len(h) < 200_000
    assert f"{5000 - dh.MAX_EVIDENCE_ITEMS} more item(s)" in h


# -- files, notebook, robustness -----------------------------------------------------------------


def test_to_html_writes_the_file(tmp_path, adult_report):
    small = datacheck.run(_synthetic(300), SIZE_SUITE)
    path = tmp_path / "r.html"
    text = small.to_html(str(path))
    assert path.read_text(encoding="utf-8") == text
    with pytest.raises(ValueError):
        small.to_html(figure_format="gif")


def test_svg_figures_are_embedded_as_images():
    small = datacheck.run(_synthetic(300), SIZE_SUITE)
    h = small.to_html(figure_format="svg")
    imgs = _tags(h, "img")
    assert imgs and all('src="data:image/svg+xml;base64,' in t for t in imgs)
    assert not _tags(h, "svg")


def test_repr_html_is_compact(adult_report):
    c = adult_report._repr_html_()
    assert "FAILED" in c and "adult-integrity" in c and "workclass" in c
    assert not _tags(c, "img") and not _tags(c, "script") and not _tags(c, "style")
    assert len(c) < 20_000
    assert "next: Decide what the placeholder means in &#39;workclass&#39;" in c


def test_cli_writes_html_and_figures(tmp_path):
    from datacheck.cli import main

    data = tmp_path / "d.csv"
    _synthetic(500).to_csv(data, index=False)
    suite = tmp_path / "s.yaml"
    suite.write_text(
        "name: cli\nchecks:\n  - missing:\n      max_fraction: 0.5\n  - outliers:\n      max_fraction: 0.5\n"
    )
    html_out, figs = tmp_path / "out" / "r.html", tmp_path / "figs"
    code = main(["run", str(data), "--suite", str(suite), "--html", str(html_out), "--figures", str(figs), "--quiet"])
    assert code == 1  # '?' in city is disguised missing: the run fails, and still writes its reports
    assert html_out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert {"status_overview.png", "missingness.png", "numeric_distributions.png"} <= set(os.listdir(figs))


def test_a_broken_figure_does_not_break_the_report(monkeypatch):
    def broken(report, ax=None):
        raise RuntimeError("boom <b>")

    monkeypatch.setitem(FIGURES, "zz_broken", FigureSpec("zz_broken", "integrity", broken, lambda rep: True, "broken"))
    rep = datacheck.run(pd.DataFrame({"x": [1.0, None]}), {"name": "t", "checks": ["missing"]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        h = rep.to_html()
    assert any("zz_broken" in str(w.message) for w in caught)
    assert "could not be drawn: RuntimeError: boom &lt;b&gt;" in h
    assert 'id="fig-missingness"' in h


# -- what needs attention first -----------------------------------------------------------------


def _family_report(statuses: dict[str, str]):
    results = [
        datacheck.Result(
            check=f"c_{fam}", column="x", severity="error", status=st, family=fam, message=f"{fam} is {st}"
        )
        for fam, st in statuses.items()
    ]
    return datacheck.Report(suite_name="order", results=results, n_rows=3, n_columns=1)


def test_sections_are_ordered_by_what_needs_attention():
    rep = _family_report({"integrity": "pass", "shift": "pass", "bias": "fail", "slices": "warn"})
    h = rep.to_html()
    pos = {f: h.index(f'id="family-{f}"') for f in ("integrity", "shift", "bias", "slices")}
    assert pos["bias"] < pos["slices"] < pos["integrity"] < pos["shift"]  # ties keep the family order
    toc = h[h.index('<nav id="toc"') : h.index("</nav>")]
    assert toc.index("#family-bias") < toc.index("#family-slices") < toc.index("#family-integrity")


def test_passing_sections_are_folded_and_failing_ones_open():
    h = _family_report({"integrity": "pass", "bias": "fail"}).to_html()
    bias = h[h.index('id="family-bias"') : h.index('id="family-integrity"')]
    integ = h[h.index('id="family-integrity"') : h.index('id="results"')]
    assert '<details class="family-body" open>' in bias
    assert '<details class="family-body">' in integ and "All 1 integrity result(s) passed" in integ


def test_toc_counts_per_family():
    h = _family_report({"integrity": "pass", "bias": "fail"}).to_html()
    toc = h[h.index('<nav id="toc"') : h.index("</nav>")]
    assert re.search(r'#family-bias"[^>]*>Bias <span class="count s-fail">1 fail</span>', toc)
    assert re.search(r'#family-integrity"[^>]*>Integrity <span class="count s-pass">1 pass</span>', toc)


def test_card_wording_never_contradicts_the_badge(adult_html):
    # the suspected sentinel is a warning of an error-severity check: it does not fail the run
    assert "error severity" not in adult_html
    cards = re.findall(r'<article class="finding s-(\w+)">\s*<div class="finding-head">(.*?)</div>', adult_html, re.S)
    assert cards
    for status, head in cards:
        if status == "warn":
            assert "does not fail the run" in head
        if status == "fail":
            assert "fails the run" in head and "does not" not in head


def test_failing_results_say_what_to_do_next(adult_html):
    assert "declare it: missing: {columns: [capital-gain], sentinels: [99999]}" in adult_html
    assert "placeholder means in &#39;workclass&#39;" in adult_html


def test_results_table_values_one_key_per_line_and_nested_evidence(adult_html):
    table = adult_html[adult_html.index('id="results-table"') :]
    assert '<span class="kv">max_disguised_fraction: 0.02</span>' in table
    # duplicates evidence shows the row ids, not "rows: […]"
    assert "rows: […]" not in adult_html
    assert re.search(r"rows: \[\d+, \d+\]", adult_html)


def test_statistical_evidence_shown_in_the_table():
    r = datacheck.Result(
        check="made_up",
        column="g",
        severity="error",
        status="fail",
        family="bias",
        message="m",
        effect_size=0.35,
        interval=(0.1, 0.2),
        p_value=4.5e-51,
    )
    h = datacheck.Report(suite_name="s", results=[r]).to_html()
    row = h[h.index('id="results-table"') :]
    assert '<span class="stats">effect 0.35 · interval [0.1, 0.2] · p 4.5e-51</span>' in row


def test_captions_name_no_internal_keys():
    from datacheck.html import _caption

    for spec in FIGURES.values():
        cap = _caption(spec.draw)
        assert "details[" not in cap and "details." not in cap, (spec.name, cap)


def test_passing_rows_of_the_table_are_folded_only_when_something_needs_attention():
    h = _family_report({"integrity": "pass", "bias": "fail"}).to_html()
    assert re.search(r'value="pass">', h) and re.search(r'value="fail" checked>', h)
    assert "passing results folded" in h
    clean = _family_report({"integrity": "pass"}).to_html()
    assert re.search(r'value="pass" checked>', clean) and "passing results folded" not in clean
