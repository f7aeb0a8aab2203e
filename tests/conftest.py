"""Shared fixtures: the real Adult data (from mglearn, no network) and small synthetic frames."""

from __future__ import annotations

import os

import matplotlib
import pytest

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
