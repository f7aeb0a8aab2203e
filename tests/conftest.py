"""Shared fixtures: the real Adult data (from mglearn, no network) and small synthetic frames."""

from __future__ import annotations

import os
import sys

import matplotlib
import pytest
from hypothesis import settings

# Property tests hunt bad inputs with a fixed example stream, so a run is repeatable: CI cannot turn
# red on a draw nobody can reproduce. (Set HYPOTHESIS_PROFILE=explore locally to search afresh.)
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# pytest-xdist workers run with a bare ``__main__`` (no __spec__, no __file__), which pyspark's
# connect module reads as "running pyspark's own doctests" and answers with sys.exit(0) when grpc is
# absent; great_expectations imports it, so test_gx.py killed the worker at collection.
_main = sys.modules.get("__main__")
if _main is not None and getattr(_main, "__spec__", None) is None and not hasattr(_main, "__file__"):
    _main.__file__ = "<pytest worker>"

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def adult_raw():
    """Adult as shipped: '?' placeholders kept as strings. Do not modify (copy first)."""
    from datacheck.datasets import load_adult

    return load_adult(raw_missing=True)


@pytest.fixture(scope="session")
def adult():
    """Adult with '?' read as missing. Do not modify (copy first)."""
    from datacheck.datasets import load_adult

    return load_adult(raw_missing=False)
