"""Benchmark of the integrity checks (issue 2) against a hand-written numpy/pyarrow computation
of the same statistics, in the same run, plus peak memory and a streamed 40M-row Parquet file.

Run (each size in its own subprocess so peak-RSS figures do not mix):

    .venv/bin/python benchmarks/bench_core.py                 # 1M and 10M in memory, 40M streamed
    .venv/bin/python benchmarks/bench_core.py --sizes 1000000 --no-stream

Prints one table; the figures we measured are in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def _rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakRSS:
    """Samples this process's RSS every 5 ms while active; reports the peak above the start."""

    def __enter__(self):
        self.start = _rss()
        self.peak = self.start
        self._stop = False
        self._t = threading.Thread(target=self._poll, daemon=True)
        self._t.start()
        return self

    def _poll(self):
        while not self._stop:
            self.peak = max(self.peak, _rss())
            time.sleep(0.005)

    def __exit__(self, *exc):
        self._stop = True
        self._t.join()
        self.peak = max(self.peak, _rss())

    @property
    def extra(self) -> int:
        return self.peak - self.start


def hand_written(table):
    """The same statistics as the benchmark suite, written directly with numpy and pyarrow."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    from _data import suite

    out = {}
    numeric = [f"n{i}" for i in range(12)]
    tokens = pa.array(
        [
            "?",
            "na",
            "n/a",
            "nan",
            "null",
            "none",
            "nil",
            "-",
            "--",
            "unknown",
            "missing",
            "not available",
            "undefined",
            "#n/a",
        ]
    )
    for name in table.column_names:
        arr = table.column(name).combine_chunks()
        r = {"nulls": arr.null_count}
        t = arr.type
        if name in numeric:
            x = arr.to_numpy(zero_copy_only=False).astype(np.float64)
            x = x[np.isfinite(x)]
            s = np.sort(x)  # one sort: quantiles, extremes and edge values
            n = s.size
            q1, med, q3 = np.quantile(s, [0.25, 0.5, 0.75])  # on sorted data: cheap
            iqr = q3 - q1
            lo, hi = q1 - 1.5 * iqr, q3 + 1.5 * iqr
            mean = s.mean()
            d = s - mean
            m2 = (d * d).sum()
            r.update(
                min=s[0],
                max=s[-1],
                q1=q1,
                med=med,
                q3=q3,
                mean=mean,
                var=m2 / (n - 1),
                skew=np.sqrt(n) * (d**3).sum() / m2**1.5,
                kurt=n * (d**4).sum() / m2**2 - 3,
                outliers=int(np.searchsorted(s, lo) + n - np.searchsorted(s, hi, side="right")),
                hist=np.histogram(s, bins=30, range=(s[0], s[-1]))[0],
                range_out=int(np.count_nonzero((x < -1000) | (x > 1e6))),
                smallest=s[:10],
                largest=s[-10:],
                dominant=int(np.count_nonzero(x == med)),
            )
            xv = arr.to_numpy(zero_copy_only=False).astype(np.float64)
            r["extreme_rows"] = np.argpartition(xv[np.isfinite(xv)], [10, -10])[:10]
        elif pa.types.is_string(t) or pa.types.is_large_string(t):
            vc = pc.value_counts(arr)
            vals = vc.field("values")
            cnt = vc.field("counts").to_numpy()
            trimmed = pc.utf8_trim_whitespace(vals)
            r["empty"] = int(cnt[pc.equal(vals, "").to_numpy(zero_copy_only=False)].sum())
            r["blank"] = int(cnt[pc.equal(trimmed, "").to_numpy(zero_copy_only=False)].sum())
            r["tokens"] = int(
                cnt[pc.is_in(pc.utf8_lower(trimmed), value_set=tokens).to_numpy(zero_copy_only=False)].sum()
            )
            r["shares"] = cnt / cnt.sum()
            if name == "c0":
                r["not_allowed"] = int(
                    cnt[~pc.is_in(vals, value_set=pa.array(["a", "b", "c", "d"])).to_numpy(zero_copy_only=False)].sum()
                )
            if name == "c3":
                r["mismatch"] = int(
                    cnt[~pc.match_substring_regex(vals, "^(?:code_[0-9]{3})$").to_numpy(zero_copy_only=False)].sum()
                )
        else:
            vc = pc.value_counts(arr)
            r["shares"] = vc.field("counts").to_numpy()
        out[name] = r
    _ = suite()
    return out


def one_size(n: int) -> dict:
    from _data import make_table, suite

    import datacheck

    table = make_table(n)
    arrow_bytes = table.nbytes
    res = {"rows": n, "arrow_mb": arrow_bytes / 1e6}
    # warm up imports and caches on a small slice
    datacheck.run(table.slice(0, 10_000), suite())
    hand_written(table.slice(0, 10_000))
    with PeakRSS() as m:
        t = time.perf_counter()
        report = datacheck.run(table, suite())
        res["datacheck_s"] = time.perf_counter() - t
    res["datacheck_extra_mb"] = m.extra / 1e6
    res["passes"] = report.passes
    with PeakRSS() as m:
        t = time.perf_counter()
        hand_written(table)
        res["hand_s"] = time.perf_counter() - t
    res["hand_extra_mb"] = m.extra / 1e6
    res["ratio"] = res["datacheck_s"] / res["hand_s"]
    return res


def stream(n: int, path: str) -> dict:
    import pyarrow.parquet as pq
    from _data import make_table, suite

    import datacheck

    if not os.path.exists(path):
        chunk = 1_000_000
        first = make_table(chunk, seed=0)
        with pq.ParquetWriter(path, first.schema) as w:
            for i in range(0, n, chunk):
                w.write_table(first if i == 0 else make_table(chunk, seed=i // chunk))
    with PeakRSS() as m:
        t = time.perf_counter()
        report = datacheck.run(path, suite())
        secs = time.perf_counter() - t
    import resource

    return {
        "rows": report.n_rows,
        "stream_s": secs,
        "passes": report.passes,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "extra_mb": m.extra / 1e6,
        "file_mb": os.path.getsize(path) / 1e6,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--stream-rows", type=int, default=40_000_000)
    ap.add_argument("--no-stream", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--path", default=os.path.join(HERE, "data", "bench40m.parquet"))
    args = ap.parse_args()
    if args.child == "size":
        print(json.dumps(one_size(int(args.sizes))))
        return 0
    if args.child == "stream":
        print(json.dumps(stream(args.stream_rows, args.path)))
        return 0
    rows = []
    for n in [int(s) for s in args.sizes.split(",") if s]:
        outp = subprocess.run(
            [sys.executable, __file__, "--child", "size", "--sizes", str(n)], capture_output=True, text=True, check=True
        ).stdout
        r = json.loads(outp.strip().splitlines()[-1])
        rows.append(r)
        print(
            f"{n:>11,} rows | arrow {r['arrow_mb']:7.0f} MB | datacheck {r['datacheck_s']:6.2f} s "
            f"({r['passes']} passes, +{r['datacheck_extra_mb']:.0f} MB) | hand-written {r['hand_s']:6.2f} s "
            f"(+{r['hand_extra_mb']:.0f} MB) | ratio {r['ratio']:.2f} | extra/arrow "
            f"{r['datacheck_extra_mb'] / r['arrow_mb']:.2f}",
            flush=True,
        )
    if not args.no_stream:
        os.makedirs(os.path.dirname(args.path), exist_ok=True)
        outp = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "stream",
                "--stream-rows",
                str(args.stream_rows),
                "--path",
                args.path,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        r = json.loads(outp.strip().splitlines()[-1])
        print(
            f"streamed Parquet {r['rows']:,} rows ({r['file_mb']:.0f} MB on disk): {r['stream_s']:.1f} s, "
            f"{r['passes']} passes, peak RSS {r['peak_rss_mb']:.0f} MB",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
