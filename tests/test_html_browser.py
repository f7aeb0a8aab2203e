"""The HTML report in a real browser: the system's headless Chromium, driven directly.

Skipped where no ``chromium`` is installed; ``.ci/run`` installs Debian's package, so CI runs it.
Chromium's own flags do the work: ``--dump-dom`` gives the DOM after the page's script ran,
``--screenshot`` a PNG, and ``--enable-logging=stderr`` prints every console message (errors,
uncaught exceptions, Content-Security-Policy violations) as a ``CONSOLE`` line we can scan.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

import datacheck

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
SUITE = os.path.join(os.path.dirname(__file__), "..", "expectations", "adult.yaml")
TIMEOUT_S = 120

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary (apt-get install chromium)"),
]


def chromium(tmp_path, url: str, *args: str) -> subprocess.CompletedProcess:
    """Run headless Chromium on ``url`` with networking side channels off; stderr carries the console."""
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        *args,
        url,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def console_lines(stderr: str) -> list[str]:
    """Console messages Chromium logged (uncaught errors, console.*, CSP violations)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.fixture(scope="module")
def adult_page(adult_raw, tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "adult_report.html"
    datacheck.run(adult_raw, SUITE).to_html(str(path))
    return path


def test_loads_with_sections_and_no_console_errors(adult_page, tmp_path):
    proc = chromium(tmp_path, adult_page.as_uri(), "--dump-dom")
    dom = proc.stdout
    assert console_lines(proc.stderr) == []
    # the report's script ran (the CSP allowed it by hash) and sorted the table worst-first
    assert re.search(r'<html[^>]*data-report-ready="1"', dom)
    for anchor in (
        'id="summary"',
        'id="overview"',
        'id="family-integrity"',
        'id="results-table"',
        'id="fig-status_overview"',
        'id="fig-missingness"',
        'id="fig-numeric_distributions"',
    ):
        assert anchor in dom, anchor
    statuses = re.findall(r'<tr data-status="([a-z]+)"', dom)
    assert len(statuses) == 62
    assert statuses[:2] == ["fail", "fail"] and statuses[-1] == "pass"
    # passing rows are folded while something needs attention: 2 fail + 5 warn shown
    assert "7 of 62 results" in dom
    assert len(re.findall(r'<tr data-status="pass"[^>]*hidden', dom)) == 55


def test_screenshot_is_not_blank(adult_page, tmp_path):
    import matplotlib.image as mpimg

    shot = tmp_path / "report.png"
    proc = chromium(
        tmp_path, adult_page.as_uri(), f"--screenshot={shot}", "--window-size=1280,2000", "--hide-scrollbars"
    )
    assert console_lines(proc.stderr) == []
    img = mpimg.imread(str(shot))[..., :3]
    assert img.shape[:2] == (2000, 1280)
    assert img.std() > 0.05
    non_white = (img < 0.95).any(axis=-1).mean()
    assert non_white > 0.05, f"only {non_white:.1%} of the page is drawn"
    # the FAILED verdict and the failing cells are vermillion (#D55E00): the page shows its story
    vermillion = np.abs(img - np.array([0xD5, 0x5E, 0x00]) / 255).max(axis=-1) < 0.06
    assert vermillion.sum() > 200


def test_strings_from_the_data_cannot_run_in_the_browser(tmp_path):
    pwn = "document.documentElement.setAttribute('data-pwned','{}')"
    col = f"<script>{pwn.format(1)}</script>"
    df = pd.DataFrame(
        {
            col: [f'<img src=x onerror="{pwn.format(2)}">', f"</script><script>{pwn.format(3)}</script>", "?", "ok"]
            * 50,
            f'"><svg onload="{pwn.format(4)}">': np.arange(200.0),
        }
    )
    suite = {
        "name": f"<script>{pwn.format(5)}</script>",
        "checks": [
            {"missing": {"description": f'<img src=x onerror="{pwn.format(6)}">'}},
            {"allowed_values": {"columns": col, "values": ["ok"]}},
            "skew",
            {"outliers": {}},
        ],
    }
    path = tmp_path / "evil.html"
    datacheck.run(df, suite).to_html(str(path))
    proc = chromium(tmp_path, path.as_uri(), "--dump-dom")
    assert re.search(r'<html[^>]*data-report-ready="1"', proc.stdout)
    assert not re.search(r"<html[^>]*data-pwned", proc.stdout)
    assert console_lines(proc.stderr) == []  # nothing even tried to run (a blocked attempt would log)


# -- layout, measured in the browser ------------------------------------------------------------
# A probe script is added to a copy of the report (its hash added to the page's policy, so the
# report's own Content-Security-Policy still applies); it measures the laid-out page and writes
# the findings into the DOM as JSON, which --dump-dom returns.

MIN_TEXT_PX = 11
MIN_FIGURE_SCALE = 0.85  # figures shown at >= 85% of their natural size: 8.5 pt text stays >= 9.5 px

PROBE = r"""
(function () {
  // measure every row of the results table, passing ones included (folded by default)
  document.querySelectorAll("input[data-status-filter]").forEach(function (b) {
    b.checked = true; b.dispatchEvent(new Event("change"));
  });
  var out = {overflow: [], brokenWords: [], small: [], overlaps: [], figureScale: [], sections: [],
             pageOverflow: document.documentElement.scrollWidth - window.innerWidth};
  function visible(el) { var r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; }
  function name(el) { return el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : "") +
                      ": " + (el.textContent || "").trim().slice(0, 50); }
  // text that spills out of its box
  document.querySelectorAll("td, th, .finding, .finding p, ul.attention li, dd, h1, h2, h3, .toc-inner a, figcaption").forEach(function (el) {
    if (visible(el) && el.scrollWidth > el.clientWidth + 1) { out.overflow.push(name(el)); }
  });
  // a word broken across two lines in the check and observed/expected cells (require_signi/ficance, schema_s/kew)
  var cells = document.createTreeWalker(document.getElementById("results-table") || document.body, NodeFilter.SHOW_TEXT);
  while (cells.nextNode()) {
    var node = cells.currentNode;
    if (!node.parentElement || !node.parentElement.closest("td.val, td.chk")) { continue; }
    var re = /[^\s\-\/,]+/g, m;  // hyphens, slashes and commas are ordinary break points
    while ((m = re.exec(node.data)) !== null) {
      var rg = document.createRange(); rg.setStart(node, m.index); rg.setEnd(node, m.index + m[0].length);
      var tops = {}; Array.prototype.forEach.call(rg.getClientRects(), function (r) { tops[Math.round(r.top)] = 1; });
      if (Object.keys(tops).length > 1) { out.brokenWords.push(m[0]); }
    }
  }
  // wide blocks must stay inside the page column (a table can outgrow it without overflowing the window)
  document.querySelectorAll("main table, main figure.fig, main .findings").forEach(function (el) {
    var col = el.closest("section").getBoundingClientRect(), r = el.getBoundingClientRect();
    if (visible(el) && (r.right > col.right + 1 || r.left < col.left - 1)) { out.overflow.push("outside its column: " + name(el)); }
  });
  // text smaller than MIN px (own text nodes only)
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  var seen = new Set();
  while (walker.nextNode()) {
    var t = walker.currentNode, el = t.parentElement;
    if (!t.data.trim() || !el || seen.has(el) || !visible(el) || el.closest("script,style")) { continue; }
    seen.add(el);
    var px = parseFloat(getComputedStyle(el).fontSize);
    if (px < MIN) { out.small.push(px + "px " + name(el)); }
  }
  // blocks that overlap each other
  var blocks = Array.prototype.slice.call(document.querySelectorAll("figure.fig, article.finding, section > h2, table"));
  var rects = blocks.filter(visible).map(function (el) { return [el, el.getBoundingClientRect()]; });
  for (var i = 0; i < rects.length; i++) {
    for (var j = i + 1; j < rects.length; j++) {
      var a = rects[i][1], b = rects[j][1];
      if (rects[i][0].contains(rects[j][0]) || rects[j][0].contains(rects[i][0])) { continue; }
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
        out.overlaps.push(name(rects[i][0]) + " / " + name(rects[j][0]));
      }
    }
  }
  // figures shown smaller than drawn (their text shrinks with them)
  document.querySelectorAll("figure.fig img[width]").forEach(function (img) {
    out.figureScale.push([img.alt, img.getBoundingClientRect().width / parseFloat(img.getAttribute("width"))]);
  });
  // the sticky contents bar must not cover what a link scrolls to, nor the table's sticky header
  out.covered = [];
  var toc = document.getElementById("toc");
  if (toc) {
    document.querySelectorAll("section[id]").forEach(function (s) {
      s.scrollIntoView();
      var h = s.querySelector("h2");
      if (h && toc.getBoundingClientRect().bottom > h.getBoundingClientRect().top + 1) { out.covered.push(s.id); }
    });
    var tb = document.getElementById("results-table");
    if (tb && tb.tBodies[0].rows.length > 20) {
      tb.tBodies[0].rows[20].scrollIntoView();
      var th = tb.tHead.rows[0].cells[0];
      if (toc.getBoundingClientRect().bottom > th.getBoundingClientRect().top + 1) { out.covered.push("results-table header"); }
    }
    window.scrollTo(0, 0);
  }
  // sections top to bottom, with the worst status of each
  document.querySelectorAll("section.family").forEach(function (s) {
    out.sections.push([s.getAttribute("data-family"), s.getAttribute("data-worst"), s.getBoundingClientRect().top]);
  });
  var pre = document.createElement("pre"); pre.id = "layout-probe"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
""".replace("MIN", str(MIN_TEXT_PX))


def probe_layout(tmp_path, html_path, width: int = 1400) -> dict:
    import base64
    import hashlib
    import html as htmlmod
    import json

    text = html_path.read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(PROBE.encode("utf-8")).digest()).decode("ascii")
    text = re.sub(r"script-src ('sha256-[^']+')", rf"script-src \1 'sha256-{digest}'", text, count=1)
    text = text.replace("</body>", f"<script>{PROBE}</script></body>", 1)
    probed = tmp_path / ("probed-" + html_path.name)
    probed.write_text(text, encoding="utf-8")
    proc = chromium(tmp_path, probed.as_uri(), "--dump-dom", f"--window-size={width},1000")
    assert console_lines(proc.stderr) == []
    m = re.search(r'<pre id="layout-probe">(.*?)</pre>', proc.stdout, re.S)
    assert m, "the probe did not run"
    return json.loads(htmlmod.unescape(m.group(1)))


@pytest.fixture(scope="module")
def audit_page(adult, tmp_path_factory):
    """A report with every family and long group names: integrity, bias, slices on Adult with a rule 'model'."""
    df = adult.copy()
    df["pred"] = np.where((df["education-num"] >= 13) | (df["capital-gain"] > 5000), ">50K", "<=50K")
    suite = {
        "name": "layout",
        "dataset": {"label": "income", "positive_label": ">50K", "prediction": "pred", "protected": ["sex", "race"]},
        "checks": [
            "missing",
            "skew",
            {"outliers": {}},
            "duplicates",
            {"bias": {"intersections": True, "metrics": ["selection_rate", "tpr", "fpr"]}},
            {"slices": {"by": ["sex", ["sex", "race"], "native-country"], "min_support": 50}},
        ],
    }
    path = tmp_path_factory.mktemp("layout") / "audit.html"
    datacheck.run(df, suite).to_html(str(path))
    return path


@pytest.mark.parametrize("which", ["adult_page", "audit_page"])
def test_no_text_overflows_and_no_word_is_broken(which, request, tmp_path):
    out = probe_layout(tmp_path, request.getfixturevalue(which))
    assert out["pageOverflow"] <= 0
    assert out["overflow"] == []
    assert out["brokenWords"] == []


@pytest.mark.parametrize("which", ["adult_page", "audit_page"])
def test_minimum_font_size_and_figure_scale(which, request, tmp_path):
    out = probe_layout(tmp_path, request.getfixturevalue(which))
    assert out["small"] == [], out["small"][:10]
    assert out["figureScale"]
    assert [f for f in out["figureScale"] if f[1] < MIN_FIGURE_SCALE] == []


@pytest.mark.parametrize("which", ["adult_page", "audit_page"])
def test_blocks_do_not_overlap(which, request, tmp_path):
    out = probe_layout(tmp_path, request.getfixturevalue(which))
    assert out["overlaps"] == []
    assert out["covered"] == []  # the sticky contents bar hides no heading a link scrolls to


def test_sections_ordered_by_what_needs_attention(audit_page, tmp_path):
    rank = {"fail": 0, "error": 1, "warn": 2, "pass": 3, "skipped": 4}
    sections = probe_layout(tmp_path, audit_page)["sections"]
    assert len(sections) >= 3
    tops = [s[2] for s in sections]
    assert tops == sorted(tops)
    worst = [rank[s[1]] for s in sections]
    assert worst == sorted(worst) and worst[0] == 0
