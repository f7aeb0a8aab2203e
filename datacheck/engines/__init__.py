"""Engines turn data into Arrow batches and fold kernels over them; they never import a check."""

from datacheck.engines.local import fold
from datacheck.engines.sources import Source, open_source

__all__ = ["fold", "open_source", "Source"]
