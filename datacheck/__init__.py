"""datacheck: data validation and bias audit for ML datasets.

One call, one pass over the data, sound verdicts::

    import datacheck
    report = datacheck.run(df, "expectations/adult.yaml")
    report.raise_for_status()

``import datacheck`` stays light (no pandas, scipy, scikit-learn, matplotlib or Jinja2): every
public name below is imported from its module on first use.
"""

from typing import TYPE_CHECKING, Any  # noqa: E402

from datacheck._version import __version__  # noqa: E402
from datacheck.errors import DatacheckError, DataError, SuiteError, ValidationFailed  # noqa: E402

# public name -> (module, attribute; None for the module itself), imported on first use so that
# `import datacheck` (and `datacheck --version`) does not pay for the libraries a run needs, and
# each family keeps to its own module
_LAZY = {
    "run": ("datacheck.runner", "run"),
    "load_suite": ("datacheck.suite", "load_suite"),
    "Suite": ("datacheck.suite", "Suite"),
    "Report": ("datacheck.report", "Report"),
    "Result": ("datacheck.result", "Result"),
    "profile": ("datacheck.profiles", "profile"),
    "Profile": ("datacheck.profiles", "Profile"),
    "bias_table": ("datacheck.bias", "bias_table"),
    "label_issues": ("datacheck.labels", "label_issues"),
    "slice_metrics": ("datacheck.slicing", "slice_metrics"),
    "find_slices": ("datacheck.slicing", "find_slices"),
    "figures": ("datacheck.figures", None),
    "pipeline": ("datacheck.pipeline", None),
    "validate": ("datacheck.pipeline", "validate"),
    "DataValidator": ("datacheck.pipeline", "DataValidator"),
    "ValidationWarning": ("datacheck.pipeline", "ValidationWarning"),
    "from_great_expectations": ("datacheck.gx", "from_great_expectations"),
    "suggest": ("datacheck.suggestions", "suggest"),
}


if TYPE_CHECKING:  # type checkers see the lazy names with their real types (and flag misspelt ones)
    from datacheck import figures as figures
    from datacheck import pipeline as pipeline
    from datacheck.bias import bias_table
    from datacheck.gx import from_great_expectations
    from datacheck.labels import label_issues
    from datacheck.pipeline import DataValidator, ValidationWarning, validate
    from datacheck.profiles import Profile, profile
    from datacheck.report import Report
    from datacheck.result import Result
    from datacheck.runner import run
    from datacheck.slicing import find_slices, slice_metrics
    from datacheck.suggestions import suggest
    from datacheck.suite import Suite, load_suite


if not TYPE_CHECKING:  # at run time only: a type checker flags a misspelt name instead of calling this

    def __getattr__(name: str) -> Any:
        if name in _LAZY:
            import importlib

            module, attr = _LAZY[name]
            mod = importlib.import_module(module)
            value = mod if attr is None else getattr(mod, attr)
            globals()[name] = value  # later look-ups skip this function
            return value
        raise AttributeError(f"module 'datacheck' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "__version__",
    "run",
    "load_suite",
    "Suite",
    "Report",
    "Result",
    "DatacheckError",
    "SuiteError",
    "DataError",
    "ValidationFailed",
    "profile",
    "Profile",
    "bias_table",
    "label_issues",
    "slice_metrics",
    "find_slices",
    "validate",
    "DataValidator",
    "ValidationWarning",
    "from_great_expectations",
    "suggest",
]
