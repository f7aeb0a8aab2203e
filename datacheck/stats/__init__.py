"""One home for the statistics behind verdicts; checks keep only the decision and the result.

=====================  ==========================================================================
module                 what it holds
=====================  ==========================================================================
``inference``          intervals for proportions (Wilson, Clopper-Pearson), two-proportion z /
                       Fisher tests, tests beyond a tolerance, Benjamini-Hochberg, the permutation
                       test of never-seen categories, duplicates expected by chance
``distances``          between two binned distributions: chi-square with pooling, PSI,
                       Jensen-Shannon, binned KS p-value, W1, minimum detectable effects (shift)
``auc``                ROC AUC from score histograms, DeLong / Hanley-McNeil variances, AUC tests
``slices``             per-slice metrics from confusion counts and sums, their intervals and tests
                       against the rest (``slices`` check; was ``datacheck/slice_math.py``)
``sliceline``          the SliceLine lattice search and its scores (``worst_slices``)
=====================  ==========================================================================

Moments and their merge formulas are in :mod:`datacheck.kernels.mathstats` (kernels fold them).
Every function here is tested
against scipy or scikit-learn where they have one (``tests/test_stats.py``).

Examples
--------
>>> lo, hi = wilson_interval(8, 10)
>>> round(lo, 3), round(hi, 3)
(0.49, 0.943)
"""

from datacheck.stats.auc import auc_estimate, auc_interval, auc_test, auc_variance_floor, binned_auc
from datacheck.stats.inference import (
    benjamini_hochberg,
    chance_duplicate_share,
    clopper_pearson_interval,
    proportion_test,
    remove_from_largest,
    tolerance_test,
    unseen_permutation_test,
    wilson_interval,
)

__all__ = [
    "wilson_interval",
    "clopper_pearson_interval",
    "proportion_test",
    "tolerance_test",
    "benjamini_hochberg",
    "unseen_permutation_test",
    "chance_duplicate_share",
    "remove_from_largest",
    "binned_auc",
    "auc_interval",
    "auc_variance_floor",
    "auc_estimate",
    "auc_test",
]
