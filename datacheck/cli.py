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
    datacheck checks [NAME]
    datacheck convert gx_suite.json -o suite.yaml          (and --to gx: YAML -> GX JSON)
    datacheck suggest data.parquet -o suite.yaml [--gx]
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


EXIT_CODES = """exit codes:
  0  every error-severity check passed (warnings allowed)
  1  an error-severity check failed, or could not be evaluated
  2  bad usage or bad input (suite or data): one message, no traceback
  3  an internal error in datacheck (--debug prints the traceback)"""

_EXAMPLES = {
    "run": "example:\n  datacheck run data.parquet --suite expectations/adult.yaml --json out/report.json "
    "--html out/report.html\n  datacheck run serving.csv --suite shift.yaml --reference train.profile.json",
    "validate-suite": "example:\n  datacheck validate-suite expectations/adult.yaml --data data.parquet",
    "profile": "example:\n  datacheck profile train.parquet --suite expectations/adult_shift.yaml "
    "--out train.profile.json",
    "checks": "example:\n  datacheck checks            # every check, one line each\n"
    "  datacheck checks outliers   # its parameters, defaults and meaning",
    "convert": "example:\n  datacheck convert gx_suite.json -o suite.yaml\n"
    "  datacheck convert suite.yaml --to gx -o gx_suite.json",
    "suggest": "example:\n  datacheck suggest data.parquet -o suite.yaml --label income --protected sex race",
}

_DATA_HELP = (
    "data file or directory: Parquet (file or directory), CSV/TSV (also .gz), JSON Lines "
    "(.jsonl/.ndjson), Arrow IPC/Feather; the format is detected from the content"
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits with 2 already; keep its message short
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"datacheck: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    p = _Parser(
        prog="datacheck",
        description="Data validation and bias audit for ML datasets.",
        epilog="examples:\n"
        + "\n".join("  " + line.strip() for ex in _EXAMPLES.values() for line in ex.splitlines()[1:2])
        + "\n\n"
        + EXIT_CODES,
        formatter_class=fmt,
    )
    p.add_argument("--version", action="store_true", help="print the version and exit")
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    # --debug is also accepted after the subcommand; SUPPRESS keeps a later default from undoing the first
    common = _Parser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks of internal errors"
    )
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    def add(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=help,
            description=help,
            parents=[common],
            formatter_class=fmt,
            epilog=_EXAMPLES[name] + "\n\n" + EXIT_CODES,
        )

    r = add("run", "validate data against a suite")
    r.add_argument("data", help=_DATA_HELP)
    r.add_argument("--suite", required=True, help="suite YAML file")
    r.add_argument("--reference", help="reference data or a saved .profile.json, for shift checks")
    r.add_argument("--json", dest="json_out", metavar="OUT", help="write the JSON report here")
    r.add_argument("--html", dest="html_out", metavar="OUT", help="write the self-contained HTML report here")
    r.add_argument("--figures", dest="figures_out", metavar="DIR", help="write the summary figures here")
    r.add_argument("--quiet", action="store_true", help="print only the verdict line")

    v = add("validate-suite", "check a suite file (with --data: against the data's schema, no rows read)")
    v.add_argument("suite")
    v.add_argument("--data", help="also bind the suite to this data's columns and types (reads the schema only)")

    pr = add("profile", "save the reference statistics a suite's shift checks need")
    pr.add_argument("data", help=_DATA_HELP)
    pr.add_argument("--suite", required=True, help="suite YAML file with at least one shift check")
    pr.add_argument("--out", required=True, help="profile file to write (name it *.profile.json)")

    c = add("checks", "list the checks, or one check's parameters, defaults and meaning")
    c.add_argument("name", nargs="?", help="a check's name")

    from datacheck.cli_gx import add_commands  # Great Expectations convert and suggest

    add_commands(sub)
    for name, sp in sub.choices.items():  # every command: --debug after it, an example and the exit codes
        if "--debug" not in sp._option_string_actions:
            sp.add_argument(
                "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks of internal errors"
            )
        if not sp.epilog:
            sp.formatter_class = fmt
            sp.epilog = _EXAMPLES.get(name, "") + "\n\n" + EXIT_CODES
    return p


def _ensure_parent(path: str) -> None:
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)


def _say(text: str) -> None:
    """Print to stdout; a reader that went away (``| head``) is not an error."""
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader closed the pipe: send the rest nowhere so the interpreter's final flush is quiet
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _require_checks(suite, what: str) -> None:
    from datacheck.errors import SuiteError

    if not suite.checks:
        raise SuiteError(
            f"the suite has no checks, so {what} would judge nothing; add at least one check "
            "(`datacheck checks` lists them)",
            source=suite.source,
            line=suite.line_of(("checks",)),
        )


def _run(args) -> int:
    import datacheck

    _require_checks(datacheck.load_suite(args.suite), "a run")
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
        _say(report.summary().splitlines()[2])
    else:
        _say(report.summary())
    return EXIT_OK if report.passed else EXIT_FAILED


def _validate_suite(args) -> int:
    import datacheck

    suite = datacheck.load_suite(args.suite)
    _require_checks(suite, "a run")
    if args.data:
        from datacheck.context import schema_info
        from datacheck.engines.opener import open_source
        from datacheck.plan import bind
        from datacheck.suite_columns import missing_columns

        src = open_source(args.data)
        _, problems = bind(suite, schema_info(src.schema))
        lines = [f"{r.check}: {r.message}" for r in problems]
        # columns named inside parameters (schema's required columns, bias attributes, slices' by, bins keys)
        lines += missing_columns(suite, src.schema.names, beyond_binding=True)
        if lines:
            print(f"suite {suite.name!r} does not fit {args.data}:", file=sys.stderr)
            for ln in lines:
                print(f"  - {ln}", file=sys.stderr)
            return EXIT_USAGE
    _say(
        f"suite {suite.name!r} is valid: {len(suite.checks)} check(s) ({args.suite})"
        + (f"; every column it names is in {args.data}" if args.data else "")
    )
    return EXIT_OK


def _profile(args) -> int:
    import datacheck

    prof = datacheck.profile(args.data, args.suite)
    _ensure_parent(args.out)
    prof.save(args.out)
    _say(f"profile of {args.data} ({prof.n_rows:,} rows) written to {args.out}")
    return EXIT_OK


def _checks(args) -> int:
    from datacheck import catalog

    _say(catalog.text_detail(args.name) if args.name else catalog.text_table())
    return EXIT_OK


def _gx(args) -> int:
    from datacheck.cli_gx import run_command

    return run_command(args)


_COMMANDS = {
    "run": _run,
    "validate-suite": _validate_suite,
    "profile": _profile,
    "checks": _checks,
    "convert": _gx,
    "suggest": _gx,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``datacheck`` command; returns the exit code.

    Examples
    --------
    >>> main(["checks"]) == EXIT_OK  # doctest: +ELLIPSIS
    check ...
    True
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.version:
        import datacheck

        _say(f"datacheck {datacheck.__version__}")
        return EXIT_OK
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from datacheck.errors import DatacheckError

    try:
        return _COMMANDS[args.command](args)
    except DatacheckError as exc:
        print(f"datacheck: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # the reader went away before we wrote anything
        _say("")
        return EXIT_OK
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except OSError as exc:  # an output path that cannot be written (a directory, a full disk, no permission)
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"datacheck: error: cannot write or read{where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a bug in datacheck: say so briefly
        if args.debug:
            traceback.print_exc()
        print(
            f"datacheck: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
