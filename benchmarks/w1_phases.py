"""Where W1's wall time goes, phase by phase: whole-column values, each fold, and their page faults.

Runs the shared benchmark's W1 suite (``../shared/bench/bench_datacheck.py``) once in a fresh
process on generated data, with datacheck's modules imported before the timer, and prints every
``column_rounds`` call (kernels of one column, computed a column at a time) and every fold (one side, one pass) with its wall, user and system seconds
and minor page faults. System time and page faults show what fresh memory costs (see
docs/architecture.md on temporaries and huge pages).

Usage (from the project root; the data from ``../shared/bench/gen_data.py``)::

    python benchmarks/w1_phases.py --data /path/to/1m              # Arrow tables
    python benchmarks/w1_phases.py --data /path/to/1m --stream     # the Parquet paths
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.join(HERE, "..", "..", "shared", "bench")


def _usage() -> tuple[float, float, float, int]:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter(), r.ru_utime, r.ru_stime, r.ru_minflt


def _line(label: str, start: tuple[float, float, float, int]) -> str:
    end = _usage()
    wall, user, system, faults = (b - a for a, b in zip(start, end))
    return f"{label:28s} wall {wall:6.3f}  user {user:6.3f}  sys {system:6.3f}  minflt {int(faults):7d}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="directory with reference.parquet and current.parquet")
    ap.add_argument("--stream", action="store_true", help="hand datacheck the Parquet paths (streamed)")
    args = ap.parse_args()

    os.environ["DC_MODE"] = "stream" if args.stream else "table"
    sys.path.insert(0, BENCH)
    import bench_datacheck  # the shared benchmark's W1 suite

    import datacheck.runner as runner

    for check in ("missing", "range", "outliers", "skew", "drift", "bias"):
        __import__(f"datacheck.checks.{check}")

    lines: list[str] = []

    def timed(name: str, fn: Callable) -> Callable:
        def wrapper(source: Any, *a: Any, **k: Any) -> Any:
            start = _usage()
            try:
                return fn(source, *a, **k)
            finally:
                what = os.path.basename(getattr(source, "description", "") or type(source).__name__)
                lines.append(_line(f"{name} {what}"[:28], start))

        return wrapper

    runner.fold = timed("fold", runner.fold)  # type: ignore[assignment]
    runner.column_rounds = timed("columns", runner.column_rounds)  # type: ignore[assignment]
    ref, cur = (os.path.join(args.data, f) for f in ("reference.parquet", "current.parquet"))
    loaded = bench_datacheck.load(ref, cur)
    start = _usage()
    bench_datacheck.validate(loaded)
    total = _line("validate (W1, one run)", start)
    print("\n".join(line for line in lines if float(line.split()[line.split().index("wall") + 1]) >= 0.005))
    print(total)


if __name__ == "__main__":
    main()
