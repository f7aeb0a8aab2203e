"""The demo `make demo` runs: the Adult census data through expectations/adult.yaml.

It prints the summary and writes the JSON report (and, where the report module provides them,
the HTML report and figures) under --out. A failing verdict is expected: the raw file carries
"?" placeholders and top-coded values, which is what the suite is there to find.

Run:  python examples/adult_demo.py --out out
"""

from __future__ import annotations

import argparse
import os
import sys

import datacheck
from datacheck.datasets import load_adult

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.relpath(os.path.join(HERE, "..", "expectations", "adult.yaml"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="out")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)

    df = load_adult(raw_missing=True)
    report = datacheck.run(df, SUITE)
    print(report.summary())

    json_path = os.path.join(args.out, "adult_report.json")
    report.to_json(json_path)
    print(f"\nJSON report: {json_path}")
    if hasattr(report, "to_html"):
        html_path = os.path.join(args.out, "adult_report.html")
        report.to_html(html_path)
        print(f"HTML report: {html_path}")
    if hasattr(report, "save_figures"):
        fig_dir = os.path.join(args.out, "figures")
        # at the HTML report's resolution (datacheck.html.HTML_DPI), so its images are reused, not redrawn
        paths = report.save_figures(fig_dir, dpi=150)
        print(f"figures:     {len(paths)} written to {fig_dir}")
    print("\nverdict:", "passed" if report.passed else "failed (as expected for the raw Adult file; see above)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
