"""Memory of ``duplicates`` / ``unique`` (exact 64-bit row hashes) per row, on demand.

A seeded Parquet file of N rows (an id with about 1% repeats, a 50-value category, a float) is
run through ``datacheck.run`` streamed from the file and loaded in memory (an Arrow table), each
run in a fresh process: with ``row_count`` only (the baseline: reading, batches), with
``duplicates`` (all three columns) and with ``unique`` on the id. The peak RSS is taken from
Linux's ``VmHWM`` after resetting it once the data is loaded (``/proc/self/clear_refs``), so it is
the memory above the data; minus the baseline's and divided by N, it is what the row hashes cost
per row. Arrow is told to use the system allocator (its own keeps freed pages for a while and hands
them back mid-run, which would hide the peak).

``--kernel-only`` measures ``RowHashes`` alone in one process (an in-memory id column folded batch
by batch): the RSS held after reading and the peak while counting, per row.

Usage::

    PYTHONPATH=$PWD python benchmarks/bench_rowhash_memory.py 5000000 20000000 [--dir DIR]
    PYTHONPATH=$PWD python benchmarks/bench_rowhash_memory.py 20000000 --kernel-only

``PYTHONPATH`` (an absolute path) picks the datacheck measured: the children run in the data's
directory, so the working directory's checkout is not imported instead.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

CHILD = r"""
import gc, json, sys, time
import datacheck
import pyarrow.parquet as pq

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024

path, where, which = sys.argv[1], sys.argv[2], sys.argv[3]
data = pq.read_table(path) if where == "memory" else path
datacheck.run(pq.read_table(path).slice(0, 1000), {"name": "warm", "checks": ["duplicates"]})  # imports
gc.collect()
checks = [{"row_count": {"min": 0}}]
if which == "duplicates":
    checks.append("duplicates")
elif which == "unique":
    checks.append({"unique": {"columns": ["id"]}})
with open("/proc/self/clear_refs", "w") as fh:  # peak RSS from here on (Linux)
    fh.write("5")
before = status("VmRSS")
t0 = time.perf_counter()
r = datacheck.run(data, {"name": "mem", "checks": checks})
dt = time.perf_counter() - t0
print(json.dumps({"extra": status("VmHWM") - before, "seconds": dt, "rows": r.n_rows,
                  "observed": [x.observed for x in r.results[1:]]}))
"""

KERNEL_CHILD = r"""
import json, sys
import numpy as np, pyarrow as pa
from datacheck.engines.opener import open_source
from datacheck.kernels import RowHashes
from datacheck.kernels.base import BatchView

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024

n = int(sys.argv[1])
rng = np.random.default_rng(0)
ids = np.arange(n)
rep = rng.random(n) < 0.01
ids[rep] = rng.integers(0, n, int(rep.sum()))
src = open_source(pa.table({"id": ids}))
k = RowHashes(("id",))
with open("/proc/self/clear_refs", "w") as fh:
    fh.write("5")
before = status("VmRSS")
state, offset = k.init(), 0
for b in src.batches(["id"]):
    state = k.update(state, BatchView(b, offset))
    offset += b.num_rows
held = status("VmRSS") - before
value = k.finalize(state)
print(json.dumps({"held": held, "peak": status("VmHWM") - before, "duplicates": value["duplicate_rows"]}))
"""


def kernel_only(n: int) -> None:
    """The kernel alone, in one process: RowHashes folded over an in-memory id column."""
    out = subprocess.run(
        [sys.executable, "-c", KERNEL_CHILD, str(n)],
        check=True,
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        env={**os.environ, "ARROW_DEFAULT_MEMORY_POOL": "system"},
    )
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"{n:>11,} rows, RowHashes alone: {r['held'] / n:.1f} B/row held after reading, peak {r['peak'] / n:.1f} B/row "
        f"({r['duplicates']:,} duplicates)",
        flush=True,
    )


def write(path: str, n: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    with pq.ParquetWriter(path, pa.schema([("id", pa.int64()), ("cat", pa.string()), ("x", pa.float64())])) as w:
        cats = np.array([f"c{i}" for i in range(50)], dtype=object)
        for start in range(0, n, 1_000_000):
            m = min(1_000_000, n - start)
            ids = np.arange(start, start + m, dtype=np.int64)
            rep = rng.random(m) < 0.01
            ids[rep] = rng.integers(0, max(1, start + m), int(rep.sum()))
            w.write_table(
                pa.table({"id": ids, "cat": pa.array(cats[rng.integers(0, 50, m)]), "x": rng.random(m)}),
                row_group_size=256_000,
            )


def child(path: str, where: str, which: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, path, where, which],
        check=True,
        capture_output=True,
        text=True,
        cwd=os.path.dirname(path),  # `python -c` puts its working directory first on sys.path
        # Arrow's own allocator keeps freed pages and returns them later, in the middle of a run,
        # which hides the peak: with the system allocator RSS follows what is held
        env={**os.environ, "ARROW_DEFAULT_MEMORY_POOL": "system"},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rows", nargs="+", type=int)
    ap.add_argument("--dir", default=None, help="where to write the data (default: a temporary directory)")
    ap.add_argument("--kernel-only", action="store_true", help="measure the kernel alone (no file, no run)")
    args = ap.parse_args()
    if args.kernel_only:
        for n in args.rows:
            kernel_only(n)
        return
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for n in args.rows:
            path = os.path.join(tmp, f"rows_{n}.parquet")
            t0 = time.perf_counter()
            write(path, n)
            made = time.perf_counter() - t0
            print(f"{n:>11,} rows (Parquet written in {made:.0f} s)", flush=True)
            for where in ("stream", "memory"):
                base = child(path, where, "base")
                for which in ("duplicates", "unique"):
                    r = child(path, where, which)
                    extra = r["extra"] - base["extra"]
                    print(
                        f"    {where:<6} {which:<10} {r['seconds']:5.1f} s; peak RSS above the data "
                        f"{r['extra'] / 2**20:,.0f} MiB, above a row_count-only run {extra / 2**20:,.0f} MiB "
                        f"= {extra / n:.1f} B/row; {r['observed'][0]}",
                        flush=True,
                    )
            os.remove(path)


if __name__ == "__main__":
    main()
