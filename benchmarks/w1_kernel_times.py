"""Where W1's CPU goes, kernel by kernel: exclusive thread-CPU timers around every kernel's
``update`` / ``merge`` / ``finalize`` and the batch view's shared conversions, one engine thread.

Runs the shared benchmark's W1 suite (``../shared/bench/bench_datacheck.py``) once on generated
data, then lists every timed item above 2 ms (optionally those whose label contains a pattern).
Timers are exclusive: a kernel's time leaves out the shared ``BatchView`` work it triggered, which
is listed on its own (``vc(...)``: value counts, ``col(...)``: column decoding).

Usage (from the project root; the data from ``../shared/bench/gen_data.py``)::

    python benchmarks/w1_kernel_times.py --data /path/to/1m              # Arrow tables
    python benchmarks/w1_kernel_times.py --data /path/to/1m --stream     # the Parquet paths
    python benchmarks/w1_kernel_times.py --data /path/to/1m --match c_high
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
from collections.abc import Callable
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.join(HERE, "..", "..", "shared", "bench")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="directory with reference.parquet and current.parquet")
    ap.add_argument("--stream", action="store_true", help="hand datacheck the Parquet paths (streamed)")
    ap.add_argument("--match", default="", help="list only items whose label contains this")
    ap.add_argument("--threads", type=int, default=1, help="engine threads (1: timers do not overlap)")
    args = ap.parse_args()

    sys.path.insert(0, BENCH)
    import bench_datacheck  # the shared benchmark's W1 suite
    import pyarrow.parquet as pq

    import datacheck
    import datacheck.kernels as kernels_pkg
    from datacheck.engines import local
    from datacheck.kernels import groups, shift, strings
    from datacheck.kernels.base import BatchView, Kernel

    local.THREADS = args.threads
    spent: collections.Counter[str] = collections.Counter()
    calls: collections.Counter[str] = collections.Counter()
    inner = [0.0]

    def timed(fn: Callable, label: Callable[[tuple], str]) -> Callable:
        def wrapper(*a: Any, **k: Any) -> Any:
            start = time.thread_time()
            inner.append(0.0)
            try:
                return fn(*a, **k)
            finally:
                dt = time.thread_time() - start
                nested = inner.pop()
                inner[-1] += dt
                spent[label(a)] += dt - nested
                calls[label(a)] += 1

        return wrapper

    classes = {
        c
        for mod in (kernels_pkg, shift, strings, groups)
        for c in vars(mod).values()
        if isinstance(c, type) and issubclass(c, Kernel)
    }
    for cls in classes:
        name = cls.__name__
        if "update" in cls.__dict__:
            cls.update = timed(cls.__dict__["update"], lambda a, n=name: f"{n}({getattr(a[0], 'column', '') or ''})")
        for method in ("merge", "finalize"):
            if method in cls.__dict__:
                setattr(cls, method, timed(cls.__dict__[method], lambda a, n=name, m=method: f"{n}.{m}"))
    BatchView.value_counts = timed(BatchView.value_counts, lambda a: f"  vc({a[1]})")  # type: ignore[method-assign]
    BatchView.column = timed(BatchView.column, lambda a: f"  col({a[1]})")  # type: ignore[method-assign]

    ref_path, cur_path = (os.path.join(args.data, f) for f in ("reference.parquet", "current.parquet"))
    ref, cur = (ref_path, cur_path) if args.stream else (pq.read_table(ref_path), pq.read_table(cur_path))
    start, cpu = time.perf_counter(), time.process_time()
    report = datacheck.run(cur, bench_datacheck.suite(), reference=ref)
    print(
        f"W1 {'streamed' if args.stream else 'tables'}: wall {time.perf_counter() - start:.2f} s, "
        f"CPU {time.process_time() - cpu:.2f} s, {report.passes} passes"
    )
    for label, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        if seconds > 0.002 and args.match in label:
            print(f"{seconds:7.3f} s {calls[label]:6d} calls  {label}")


if __name__ == "__main__":
    main()
