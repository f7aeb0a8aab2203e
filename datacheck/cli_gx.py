"""The ``convert`` and ``suggest`` subcommands (Great Expectations interop and inferred suites).

Examples
--------
    datacheck convert gx_suite.json -o suite.yaml
    datacheck convert suite.yaml --to gx -o gx_suite.json
    datacheck suggest data.parquet -o suite.yaml [--gx] [--label y --protected sex race]
"""

from __future__ import annotations

import json
import os
import sys
import warnings

__all__ = ["add_commands", "run_command"]


def add_commands(sub) -> None:
    c = sub.add_parser("convert", help="convert a Great Expectations suite to datacheck YAML, or back (--to gx)")
    c.add_argument("suite", help="GX suite JSON (to datacheck) or datacheck suite YAML (with --to gx)")
    c.add_argument("-o", "--out", required=True, help="file to write")
    c.add_argument(
        "--to",
        choices=("datacheck", "gx"),
        default=None,
        help="target format (default: gx for .yaml/.yml input, datacheck for .json)",
    )
    c.add_argument(
        "--skip-unmapped",
        action="store_true",
        help="import the expectations that map and list the rest as a warning (default: fail)",
    )
    s = sub.add_parser("suggest", help="infer a commented suite from data")
    s.add_argument("data", help="Parquet file or directory, or CSV file")
    s.add_argument("-o", "--out", required=True, help="suite file to write (YAML; JSON with --gx)")
    s.add_argument("--gx", action="store_true", help="write a Great Expectations suite JSON instead")
    s.add_argument("--name", default="suggested", help="suite name")
    s.add_argument("--label", help="label column (adds label-error and bias checks)")
    s.add_argument("--prediction", help="prediction column (adds slice checks)")
    s.add_argument("--protected", nargs="+", help="protected attribute columns (adds bias checks)")


def _write(path: str, text: str) -> None:
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def _warn_to_stderr():
    def show(message, category, filename, lineno, file=None, line=None):
        print(f"datacheck: warning: {message}", file=sys.stderr)

    warnings.showwarning = show


def run_command(args) -> int:
    import yaml  # type: ignore[import-untyped]  # PyYAML ships no annotations; types-PyYAML is not a dependency

    _warn_to_stderr()
    if args.command == "convert":
        to = args.to or ("gx" if args.suite.endswith((".yaml", ".yml")) else "datacheck")
        if to == "gx":
            from datacheck.gx import suite_to_great_expectations

            d = suite_to_great_expectations(args.suite)
            _write(args.out, json.dumps(d, indent=2) + "\n")
            print(
                f"{len(d['expectations'])} expectation(s) written to {args.out}"
                + (
                    f"; {len(d['meta']['datacheck']['not_exported'])} check(s) not expressible in GX (see meta)"
                    if d["meta"]["datacheck"]["not_exported"]
                    else ""
                )
            )
        else:
            from datacheck.gx import to_datacheck_dict
            from datacheck.suite import load_suite

            d = to_datacheck_dict(args.suite, unmapped="warn" if args.skip_unmapped else "error")
            load_suite(d)
            _write(args.out, yaml.safe_dump(d, sort_keys=False, allow_unicode=True, width=100))
            print(f"{len(d['checks'])} check(s) written to {args.out}")
        return 0
    from datacheck.suggestions import infer, suggest_yaml

    roles = {
        k: v for k, v in (("label", args.label), ("prediction", args.prediction), ("protected", args.protected)) if v
    }
    if args.gx:
        from datacheck.gx import suite_to_great_expectations

        d = suite_to_great_expectations(infer(args.data, roles=roles, name=args.name)[0])
        _write(args.out, json.dumps(d, indent=2) + "\n")
        print(f"suggested GX suite ({len(d['expectations'])} expectations) written to {args.out}")
    else:
        text = suggest_yaml(args.data, roles=roles, name=args.name)
        _write(args.out, text)
        print(f"suggested suite written to {args.out}")
    return 0
