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


def test_a_parquet_run_never_imports_pandas(tmp_path):
    """pyarrow readies its pandas bridge (importing pandas, ~0.17 s) the first time ``to_numpy``,
    ``pa.array`` or a Python scalar argument runs; a run over Parquet files needs no pandas, so the
    engine and the kernels of the common checks convert through ``kernels.arrays`` instead."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(0)
    n = 5_000
    for name, shift in (("ref", 0.0), ("cur", 0.3)):
        x = rng.normal(shift, 1, n)
        t = pa.table(
            {
                "x": pa.array(x, mask=rng.random(n) < 0.05),
                "i": rng.integers(0, 50, n),
                "c": pa.array(rng.choice(["a", "b", "", " "], n)).dictionary_encode().cast(pa.string()),
                "g": rng.choice(["u", "v"], n),
                "y": rng.integers(0, 2, n).astype(np.int8),
                "p": rng.integers(0, 2, n).astype(np.int8),
            }
        )
        pq.write_table(t, tmp_path / f"{name}.parquet", row_group_size=2_000)
    suite = (
        "{'name': 's', 'dataset': {'label': 'y', 'prediction': 'p', 'protected': ['g'], 'positive_label': 1},"
        " 'checks': [{'missing': {'columns': '*', 'detect_sentinels': False, 'placeholders': []}},"
        " {'range': {'columns': 'i', 'min': 0, 'max': 40}}, {'outliers': {'columns': ['x', 'i'], 'method': 'iqr'}},"
        " {'skew': {'columns': ['x', 'i']}}, {'drift': {'columns': ['x', 'i', 'c']}},"
        " {'bias': {'attributes': ['g'], 'reference': 'largest', 'metrics': ['base_rate', 'selection_rate', 'tpr']}}]}"
    )
    code = (
        "import datacheck\n"
        f"r = datacheck.run({str(tmp_path / 'cur.parquet')!r}, {suite}, reference={str(tmp_path / 'ref.parquet')!r}, batch_rows=1000)\n"
        "assert len(r.results) > 10, r\n"
    )
    loaded = _loaded_after(code)
    assert "pyarrow" in loaded and "pandas" not in loaded
