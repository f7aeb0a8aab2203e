"""Mergeable statistics over Arrow record batches (see :mod:`datacheck.kernels.base`)."""

from datacheck.kernels.base import BatchView, Kernel, logical_type
from datacheck.kernels.counts import ColumnCounts, CountEqual, CountOutside, RowCount
from datacheck.kernels.extremes import EdgeValues, Extremes
from datacheck.kernels.frequencies import Frequencies, HashedCounts
from datacheck.kernels.groups import Bin, Col, GroupCounts, IsMissing
from datacheck.kernels.hashing import RowHashes
from datacheck.kernels.histogram import Histogram
from datacheck.kernels.moments import Moments
from datacheck.kernels.quantiles import ExactQuantiles, Sketch, SketchValue
from datacheck.kernels.sample import Sample
from datacheck.kernels.stratified import StratifiedSample
from datacheck.kernels.strings import DisguisedMissing, NotInSet, PatternMismatch

__all__ = [
    "BatchView",
    "Kernel",
    "logical_type",
    "RowCount",
    "ColumnCounts",
    "CountOutside",
    "CountEqual",
    "Moments",
    "Sketch",
    "SketchValue",
    "ExactQuantiles",
    "Extremes",
    "EdgeValues",
    "Frequencies",
    "HashedCounts",
    "DisguisedMissing",
    "PatternMismatch",
    "NotInSet",
    "RowHashes",
    "GroupCounts",
    "Col",
    "Bin",
    "IsMissing",
    "Sample",
    "StratifiedSample",
    "Histogram",
]
