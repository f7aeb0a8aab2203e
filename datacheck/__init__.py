"""datacheck: data validation and bias audit for ML datasets.

One call, one pass over the data, sound verdicts::

    import datacheck
    report = datacheck.run(df, "expectations/adult.yaml")
    report.raise_for_status()

``import datacheck`` stays light (no pandas, scipy, scikit-learn, matplotlib or Jinja2): every
public name below is imported from its module on first use.
"""

__version__ = "0.1.0"

from datacheck.errors import DataError, DatacheckError, SuiteError, ValidationFailed  # noqa: E402

# public name -> (module, attribute; None for the module itself), imported on first use so that
# `import datacheck` (and `datacheck --version`) does not pay for the libraries a run needs
_LAZY = {
    "run": ("datacheck.runner", "run"),
    "load_suite": ("datacheck.spec", "load_suite"),
    "Suite": ("datacheck.spec", "Suite"),
    "Report": ("datacheck.report", "Report"),
    "Result": ("datacheck.report", "Result"),
    "profile": ("datacheck.profiles", "profile"),
    "Profile": ("datacheck.profiles", "Profile"),
    "bias_table": ("datacheck.bias", "bias_table"),
    "label_issues": ("datacheck.label_quality", "label_issues"),
    "slice_metrics": ("datacheck.slicing", "slice_metrics"),
    "find_slices": ("datacheck.slicing", "find_slices"),
    "figures": ("datacheck.figures", None),
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        mod = importlib.import_module(module)
        value = mod if attr is None else getattr(mod, attr)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module 'datacheck' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "__version__", "run", "load_suite", "Suite", "Report", "Result",
    "DatacheckError", "SuiteError", "DataError", "ValidationFailed",
    "profile", "Profile", "bias_table", "label_issues", "slice_metrics", "find_slices",
]
