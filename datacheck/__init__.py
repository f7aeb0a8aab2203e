"""datacheck: data validation and bias audit for ML datasets.

One call, one pass over the data, sound verdicts::

    import datacheck
    report = datacheck.run(df, "expectations/adult.yaml")
    report.raise_for_status()
"""

__version__ = "0.1.0"

from datacheck.errors import DataError, DatacheckError, SuiteError, ValidationFailed  # noqa: E402
from datacheck.report import Report, Result  # noqa: E402
from datacheck.runner import run  # noqa: E402
from datacheck.spec import Suite, load_suite  # noqa: E402

# Names from modules that the check families own, imported on first use so that
# `import datacheck` stays light and each family keeps to its own module.
_LAZY = {
    "profile": ("datacheck.profiles", "profile"),
    "Profile": ("datacheck.profiles", "Profile"),
    "bias_table": ("datacheck.bias", "bias_table"),
    "label_issues": ("datacheck.label_quality", "label_issues"),
    "slice_metrics": ("datacheck.slicing", "slice_metrics"),
    "find_slices": ("datacheck.slicing", "find_slices"),
    "figures": ("datacheck.figures", None),
    "from_great_expectations": ("datacheck.gx", "from_great_expectations"),
    "suggest": ("datacheck.suggestions", "suggest"),
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        mod = importlib.import_module(module)
        return mod if attr is None else getattr(mod, attr)
    raise AttributeError(f"module 'datacheck' has no attribute {name!r}")


__all__ = [
    "__version__", "run", "load_suite", "Suite", "Report", "Result",
    "DatacheckError", "SuiteError", "DataError", "ValidationFailed",
    "profile", "Profile", "bias_table", "label_issues", "slice_metrics", "find_slices",
    "from_great_expectations", "suggest",
]
