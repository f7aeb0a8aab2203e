"""``import datacheck`` stays light: the heavy libraries load where they are used, not at import."""

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]  # this tree's datacheck, not an installed one

HEAVY = ("pandas", "scipy", "sklearn", "matplotlib", "seaborn", "cleanlab", "jinja2", "pyarrow")


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.split()
    return {m.split(".")[0] for m in out}


def test_import_datacheck_loads_no_heavy_library():
    loaded = _loaded_after("import datacheck")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_version_command_loads_no_heavy_library():
    loaded = _loaded_after("from datacheck.cli import main\nmain(['--version'])")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_public_names_resolve_on_first_use():
    import datacheck

    assert callable(datacheck.run) and callable(datacheck.load_suite)
    assert datacheck.Report.__name__ == "Report" and "run" in dir(datacheck)
    from datacheck import Result, Suite, bias_table  # noqa: F401  (lazy names import like eager ones)


def test_runner_needs_no_pandas_or_plotting():
    """A run on Arrow data or Parquet paths imports pandas only if a check handles datetimes."""
    loaded = _loaded_after("import datacheck.runner")
    assert not loaded & {"pandas", "sklearn", "matplotlib", "seaborn", "cleanlab", "jinja2"}
