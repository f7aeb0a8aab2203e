"""A file that loses read permission mid-run: exit code 2 and one line naming the file, no report.

The fault is real: the file is chmod-ed to 0 after the source was opened (its schema read) and
before the first pass, and the operating system refuses the next open. Root reads any file
whatever its mode, so under root (as CI runs) each case runs in a child process whose capability
bounding set lacks CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: still uid 0, but held to the mode
bits like any user. Nothing in pyarrow or datacheck is replaced; in the CLI cases the chmod is
done by a wrapper around ``Source.batches`` and ``whole_column`` (the moment between opening and
the first read), which then calls the real method.
"""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys

import pytest

CHILD = r"""
import json, os, sys
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
import datacheck
from datacheck.cli import main
from datacheck.engines import sources
from datacheck.engines.opener import open_source
from datacheck.errors import DataError

tmp, kind, how = sys.argv[1], sys.argv[2], sys.argv[3]
if kind == "parquet":
    target = path = os.path.join(tmp, "d.parquet")
    pq.write_table(pa.table({"x": np.arange(1000.0)}), path, row_group_size=100)
elif kind == "directory":
    path = os.path.join(tmp, "dir")
    os.mkdir(path)
    for i in range(3):
        pq.write_table(pa.table({"x": np.arange(10.0)}), os.path.join(path, f"p{i}.parquet"))
    target = os.path.join(path, "p1.parquet")
elif kind == "jsonl":
    target = path = os.path.join(tmp, "d.jsonl")
    with open(path, "w") as fh:
        fh.write("".join(json.dumps({"x": i}) + "\n" for i in range(1000)))
else:
    target = path = os.path.join(tmp, "d.csv")
    with open(path, "w") as fh:
        fh.write("x\n" + "".join(f"{i}\n" for i in range(1000)))

try:  # the process is held to mode bits (it may be root without DAC override)
    os.chmod(target, 0)
    open(target, "rb").close()
    print(json.dumps({"unenforced": True}))
    sys.exit(0)
except PermissionError:
    os.chmod(target, 0o644)

out = {}
if how == "api":
    src = open_source(path)
    os.chmod(target, 0)
    try:
        datacheck.run(src, {"name": "s", "checks": ["missing"]})
        out["raised"] = None
    except DataError as exc:
        out["raised"] = str(exc)
else:
    cls = type(open_source(path))
    real = cls.batches

    def batches(self, columns=None):
        os.chmod(target, 0)  # after the source was opened, before its first pass
        return real(self, columns)

    cls.batches = batches
    real_whole = getattr(cls, "whole_column", None)
    if real_whole is not None:  # a source that can hand a column whole reads it first
        def whole_column(self, name):
            os.chmod(target, 0)
            return real_whole(self, name)

        cls.whole_column = whole_column
    suite = os.path.join(tmp, "s.yaml")
    with open(suite, "w") as fh:
        fh.write("name: s\nchecks:\n  - missing\n")
    report = os.path.join(tmp, "out.json")
    import contextlib, io
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        out["code"] = main(["run", path, "--suite", suite, "--json", report])
    out["err"] = err.getvalue()
    out["report_written"] = os.path.exists(report)
os.chmod(target, 0o644)
print(json.dumps(out))
"""


def _drop_dac_override() -> None:  # pragma: no cover - runs in the child before exec
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, out of the bounding set
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _run(tmp_path, kind: str, how: str) -> dict:
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    try:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(tmp_path), kind, how],
            capture_output=True,
            text=True,
            preexec_fn=_drop_dac_override if root else None,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
            timeout=120,
        )
    except subprocess.SubprocessError as exc:  # prctl refused: no CAP_SETPCAP in this container
        pytest.fail(f"could not start a child held to file modes: {exc}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if out.get("unenforced"):
        pytest.fail("the child could still read a file of mode 0: the test would prove nothing")
    return out


NAMED = {"parquet": "d.parquet", "directory": "p1.parquet", "csv": "d.csv", "jsonl": "d.jsonl"}


@pytest.mark.parametrize("kind", list(NAMED))
def test_losing_read_permission_mid_run_is_one_data_error(tmp_path, kind):
    out = _run(tmp_path, kind, "api")
    msg = out["raised"]
    assert msg is not None, "the run went on without the file"
    assert len(msg.splitlines()) == 1
    assert NAMED[kind] in msg and "can no longer be read (permission denied); no report was made" in msg


@pytest.mark.parametrize("kind", ["parquet", "csv", "jsonl"])
def test_cli_exits_2_with_one_line_and_writes_no_report(tmp_path, kind):
    out = _run(tmp_path, kind, "cli")
    err = out["err"].strip()
    assert out["code"] == 2, err
    assert len(err.splitlines()) == 1 and NAMED[kind] in err and "permission denied" in err, err
    assert not out["report_written"]
