"""mypy on a user's script finds datacheck's types (py.typed), including the names imported lazily."""

import os
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("mypy")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

USER_SCRIPT = """
    import pandas as pd
    import datacheck
    from datacheck.pipeline import DataValidator

    df = pd.DataFrame({"x": [1.0, 2.0]})
    report = datacheck.run(df, {"name": "s", "checks": ["duplicates"]})
    ok: bool = report.passed
    text: str = report.summary()
    prof = datacheck.profile(df, {"name": "s", "checks": ["drift"]})
    step = DataValidator({"name": "s", "checks": ["duplicates"]}, on_fail="warn")
    reveal_type(report)
    reveal_type(prof)
    reveal_type(datacheck.validate)
"""

WRONG_SCRIPT = """
    import datacheck

    report = datacheck.run("data.parquet", "suite.yaml")
    n: int = report.summary()
    datacheck.proflie("data.parquet", "suite.yaml")
"""


def mypy(tmp_path, source):
    script = tmp_path / "user_script.py"
    script.write_text(textwrap.dedent(source))
    cfg = tmp_path / "mypy.ini"  # the user's third-party libraries without stubs are not our concern
    cfg.write_text(
        "[mypy]\nfollow_imports = silent\nincremental = False\n"
        "[mypy-pandas.*,pyarrow.*,sklearn.*,scipy.*,seaborn.*,matplotlib.*,datasketches.*,cleanlab.*,"
        "yaml.*,jinja2.*,tqdm.*,pyspark.*,polars.*]\nignore_missing_imports = True\n"
    )
    env = dict(os.environ, MYPYPATH=ROOT)  # this tree's package, as an installed copy would be found
    p = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(cfg), str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    return p.returncode, p.stdout + p.stderr


def test_the_package_ships_its_type_marker():
    assert os.path.exists(os.path.join(ROOT, "datacheck", "py.typed"))
    with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as fh:
        assert '"py.typed"' in fh.read()


def test_mypy_finds_the_public_api_and_its_types(tmp_path):
    code, out = mypy(tmp_path, USER_SCRIPT)
    assert code == 0, out
    assert 'Revealed type is "datacheck.report.Report"' in out
    assert 'Revealed type is "datacheck.profiles.Profile"' in out  # a lazily imported name keeps its type
    assert "def (suite: Any" in out  # datacheck.validate's signature


def test_mypy_flags_misuse_of_the_api(tmp_path):
    code, out = mypy(tmp_path, WRONG_SCRIPT)
    assert code == 1, out
    assert 'Incompatible types in assignment (expression has type "str", variable has type "int")' in out
    assert 'Module has no attribute "proflie"' in out
