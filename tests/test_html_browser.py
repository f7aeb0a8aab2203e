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

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary (apt-get install chromium)")]


def chromium(tmp_path, url: str, *args: str) -> subprocess.CompletedProcess:
    """Run headless Chromium on ``url`` with networking side channels off; stderr carries the console."""
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
           *args, url]
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
    for anchor in ('id="summary"', 'id="overview"', 'id="family-integrity"', 'id="results-table"',
                   'id="fig-status_overview"', 'id="fig-missingness"', 'id="fig-numeric_distributions"'):
        assert anchor in dom, anchor
    statuses = re.findall(r'<tr data-status="([a-z]+)"', dom)
    assert len(statuses) == 62
    assert statuses[:2] == ["fail", "fail"] and statuses[-1] == "pass"
    assert "62 of 62 results" in dom


def test_screenshot_is_not_blank(adult_page, tmp_path):
    import matplotlib.image as mpimg

    shot = tmp_path / "report.png"
    proc = chromium(tmp_path, adult_page.as_uri(), f"--screenshot={shot}", "--window-size=1280,2000",
                    "--hide-scrollbars")
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
    df = pd.DataFrame({
        col: [f"<img src=x onerror=\"{pwn.format(2)}\">", f"</script><script>{pwn.format(3)}</script>", "?", "ok"] * 50,
        f"\"><svg onload=\"{pwn.format(4)}\">": np.arange(200.0),
    })
    suite = {"name": f"<script>{pwn.format(5)}</script>",
             "checks": [{"missing": {"description": f"<img src=x onerror=\"{pwn.format(6)}\">"}},
                        {"allowed_values": {"columns": col, "values": ["ok"]}}, "skew", {"outliers": {}}]}
    path = tmp_path / "evil.html"
    datacheck.run(df, suite).to_html(str(path))
    proc = chromium(tmp_path, path.as_uri(), "--dump-dom")
    assert re.search(r'<html[^>]*data-report-ready="1"', proc.stdout)
    assert not re.search(r"<html[^>]*data-pwned", proc.stdout)
    assert console_lines(proc.stderr) == []  # nothing even tried to run (a blocked attempt would log)
