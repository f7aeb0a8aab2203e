"""W1 validate-only CPU and wall time, tools and code trees interleaved in fresh processes.

``../shared/bench/run_all.py`` records wall time (and the whole process's CPU, imports and load
included); on a shared machine the wall time of one run moves by 2x with the neighbours' load.
This script times the same ``load``/``validate`` functions of the shared bench, but reads the CPU
time (user + sys, every thread) of ``validate`` alone, which moves far less, and runs each tool
once per round for every code tree given, so before and after see the same load.

    python benchmarks/w1_cpu.py --code /work/main --code . --size 1m --rounds 3 --out w1_cpu.jsonl

Each line of ``--out`` is one process: tool, code tree, validate wall and CPU seconds, peak RSS
(MiB, load included) and the 1-minute load average when it started. The summary printed at the
end gives medians and the ratio of CPU to the bound's in the same code tree's rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench")

ONE = r"""
import json, os, resource, sys, time
sys.path.insert(0, os.getcwd())
tool, d = sys.argv[1], sys.argv[2]
if tool == "hand":
    import bench_hand as M
else:
    os.environ["DC_MODE"] = "stream" if tool == "datacheck_stream" else "table"
    import bench_datacheck as M
loaded = M.load(d + "/reference.parquet", d + "/current.parquet")
r0 = resource.getrusage(resource.RUSAGE_SELF)
w = time.perf_counter()
M.validate(loaded)
w = time.perf_counter() - w
r1 = resource.getrusage(resource.RUSAGE_SELF)
cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
print(json.dumps({"wall": round(w, 3), "cpu": round(cpu, 3), "peak_mb": round(r1.ru_maxrss / 1024)}))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--code", action="append", required=True, help="a tree holding datacheck/ (PYTHONPATH)")
    ap.add_argument("--size", default="1m")
    ap.add_argument("--data-dir", default="/work/benchdata")
    ap.add_argument("--bench", default=BENCH, help="the shared bench directory")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tools", nargs="+", default=["hand", "datacheck", "datacheck_stream"])
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    data = os.path.join(args.data_dir, args.size)
    rows = []
    with open(args.out, "a") as out:
        for _ in range(args.rounds):
            for code in args.code:
                for tool in args.tools:
                    env = dict(os.environ, PYTHONPATH=os.path.abspath(code))
                    load1 = os.getloadavg()[0]
                    res = subprocess.run(
                        [sys.executable, "-c", ONE, tool, data],
                        cwd=args.bench,
                        env=env,
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                    rec = json.loads(res.stdout.strip().splitlines()[-1])
                    rec.update(tool=tool, code=os.path.abspath(code), size=args.size, load1=round(load1, 2))
                    print(json.dumps(rec), file=out, flush=True)
                    rows.append(rec)
    print("| code | tool | validate CPU s (median) | x bound CPU | validate wall s (median) | peak RSS MiB |")
    print("|---|---|---|---|---|---|")
    for code in args.code:
        mine = [r for r in rows if r["code"] == os.path.abspath(code)]
        hand = [r["cpu"] for r in mine if r["tool"] == "hand"]
        for tool in args.tools:
            rs = [r for r in mine if r["tool"] == tool]
            if not rs:
                continue
            cpu = statistics.median(r["cpu"] for r in rs)
            ratio = f"{cpu / statistics.median(hand):.2f}" if hand else "-"
            wall = statistics.median(r["wall"] for r in rs)
            peak = max(r["peak_mb"] for r in rs)
            print(f"| {code} | {tool} | {cpu:.2f} | {ratio} | {wall:.2f} | {peak} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
