"""The ``datacheck`` command: a thin layer over the Python API with exit codes a pipeline can use.

Exit codes
----------
0  every error-severity check passed
1  an error-severity check failed (or could not be evaluated)
2  bad usage or bad input (suite or data): the message, no traceback
3  an internal error (a bug in datacheck; ``--debug`` shows the traceback)

Examples
--------
    datacheck run data.parquet --suite expectations/adult.yaml --json out/report.json
    datacheck validate-suite expectations/adult.yaml [--data data.parquet]
    datacheck profile train.parquet --suite expectations/shift.yaml --out train.profile.json
    datacheck convert gx_suite.json -o suite.yaml          (and --to gx: YAML -> GX JSON)
    datacheck suggest data.parquet -o suite.yaml [--gx]
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import Sequence

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits with 2 already; keep its message short
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"datacheck: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="datacheck", description="Data validation and bias audit for ML datasets.")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    r = sub.add_parser("run", help="validate data against a suite")
    r.add_argument("data", help="Parquet file or directory, or CSV file")
    r.add_argument("--suite", required=True, help="suite YAML file")
    r.add_argument("--reference", help="reference data (Parquet/CSV) or a saved .profile.json, for shift checks")
    r.add_argument("--json", dest="json_out", metavar="OUT", help="write the JSON report here")
    r.add_argument("--html", dest="html_out", metavar="OUT", help="write the self-contained HTML report here")
    r.add_argument("--figures", dest="figures_out", metavar="DIR", help="write the summary figures here")
    r.add_argument("--quiet", action="store_true", help="print only the verdict line")

    v = sub.add_parser("validate-suite", help="check a suite file (with --data: against the data's schema, no rows read)")
    v.add_argument("suite")
    v.add_argument("--data", help="also bind the suite to this data's columns and types (reads the schema only)")

    pr = sub.add_parser("profile", help="save the reference statistics a suite's shift checks need")
    pr.add_argument("data")
    pr.add_argument("--suite", required=True)
    pr.add_argument("--out", required=True, help="profile file to write (name it *.profile.json)")

    from datacheck.cli_gx import add_commands  # Great Expectations convert and suggest

    add_commands(sub)
    return p


def _ensure_parent(path: str) -> None:
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)


def _run(args) -> int:
    import datacheck

    report = datacheck.run(args.data, args.suite, reference=args.reference)
    if args.json_out:
        _ensure_parent(args.json_out)
        report.to_json(args.json_out)
    if args.html_out:
        _ensure_parent(args.html_out)
        report.to_html(args.html_out)
    if args.figures_out:
        report.save_figures(args.figures_out)
    if args.quiet:
        print(report.summary().splitlines()[2])
    else:
        print(report.summary())
    return EXIT_OK if report.passed else EXIT_FAILED


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``datacheck`` command; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.version:
        import datacheck

        print(f"datacheck {datacheck.__version__}")
        return EXIT_OK
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from datacheck.errors import DatacheckError

    try:
        if args.command == "run":
            return _run(args)
        if args.command == "validate-suite":
            import datacheck

            suite = datacheck.load_suite(args.suite)
            if args.data:
                from datacheck.context import schema_info
                from datacheck.engines.sources import open_source
                from datacheck.plan import bind

                _, problems = bind(suite, schema_info(open_source(args.data).schema))
                if problems:
                    print(f"suite {suite.name!r} does not fit {args.data}:", file=sys.stderr)
                    for r in problems:
                        print(f"  - {r.check}: {r.message}", file=sys.stderr)
                    return EXIT_USAGE
            print(f"suite {suite.name!r} is valid: {len(suite.checks)} check(s) ({args.suite})"
                  + (f"; every column it names is in {args.data}" if args.data else ""))
            return EXIT_OK
        if args.command in ("convert", "suggest"):
            from datacheck.cli_gx import run_command

            return run_command(args)
        if args.command == "profile":
            import datacheck

            prof = datacheck.profile(args.data, args.suite)
            _ensure_parent(args.out)
            prof.save(args.out)
            print(f"profile of {args.data} written to {args.out}")
            return EXIT_OK
    except DatacheckError as exc:
        print(f"datacheck: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except OSError as exc:  # an output path that cannot be written (a directory, a full disk, no permission)
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"datacheck: error: cannot write or read{where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a bug in datacheck: say so briefly
        if args.debug:
            traceback.print_exc()
        print(f"datacheck: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
              file=sys.stderr)
        return EXIT_INTERNAL
    return EXIT_USAGE  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
