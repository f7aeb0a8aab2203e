"""Shared fixtures: the real Adult data (from mglearn, no network) and small synthetic frames."""

from __future__ import annotations

import os

import matplotlib
import pytest
from hypothesis import settings

# Property tests hunt bad inputs with a fixed example stream, so a run is repeatable: CI cannot turn
# red on a draw nobody can reproduce. (Set HYPOTHESIS_PROFILE=explore locally to search afresh.)
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
