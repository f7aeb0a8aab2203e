"""Engines turn data into Arrow batches and fold kernels over them; they never import a check."""

from datacheck.engines.base import Source
from datacheck.engines.local import fold
from datacheck.engines.opener import open_source

__all__ = ["fold", "open_source", "Source"]
