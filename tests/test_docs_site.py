"""The docs site builds with warnings as errors, and its check reference is generated from the code."""

import os
import shutil
import subprocess
import sys

import pytest

pytest.importorskip("mkdocs")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build(config: str, site: str, cwd: str = ROOT):
    # no -q: with it, mkdocs 1.6 does not count warnings and --strict passes a broken site
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", site],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_site_builds_strict_with_a_generated_page_per_check(tmp_path):
    from datacheck.checks import REGISTRY

    site = tmp_path / "site"
    p = build(os.path.join(ROOT, "mkdocs.yml"), str(site))
    assert p.returncode == 0, p.stderr
    for name, cls in REGISTRY.items():
        if cls.__module__.startswith(("tests.", "test_")) or not cls.__module__.startswith("datacheck."):
            continue  # a check some other test registered in this process: not part of the package
        page = site / "reference" / "checks" / name / "index.html"
        assert page.exists(), name
        html = page.read_text(encoding="utf-8")
        for pname in cls.params:
            assert f"<code>{pname}</code>" in html, (name, pname)
    cli = (site / "cli" / "index.html").read_text(encoding="utf-8")
    assert "exit codes:" in cli and "datacheck checks" in cli and "{{ cli_help }}" not in cli
    for page in (
        "getting-started",
        "integrity",
        "shift",
        "bias",
        "label_errors",
        "slices",
        "regression",
        "report",
        "report-schema",
        "howto/pipeline-gate",
        "howto/notebook-audit",
        "howto/train-serve",
        "howto/spark",
    ):
        assert (site / page / "index.html").exists(), page
    assert not (site / "hooks").exists()


def test_a_broken_link_fails_the_build(tmp_path):
    """--strict is real: a page linking to a page that does not exist stops the build."""
    shutil.copytree(os.path.join(ROOT, "docs"), tmp_path / "docs")
    shutil.copy(os.path.join(ROOT, "mkdocs.yml"), tmp_path / "mkdocs.yml")
    with open(tmp_path / "docs" / "integrity.md", "a", encoding="utf-8") as fh:
        fh.write("\nSee [the missing page](no-such-page.md).\n")
    p = build(str(tmp_path / "mkdocs.yml"), str(tmp_path / "site"), cwd=str(tmp_path))
    assert p.returncode != 0
    assert "no-such-page.md" in p.stderr
