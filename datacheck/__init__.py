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

__all__ = [
    "__version__", "run", "load_suite", "Suite", "Report", "Result",
    "DatacheckError", "SuiteError", "DataError", "ValidationFailed",
]
