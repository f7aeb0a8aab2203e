"""The fold bookkeeping both engines share (engines/folding.py): a kernel covered by a wider one of
its family gets the same value as folded alone; missing columns and failures reach every kernel."""

import numpy as np
import pandas as pd

from datacheck.engines.folding import finish, plan_fold
from datacheck.engines.local import fold
from datacheck.engines.opener import open_source
from datacheck.kernels import Extremes, Moments


def test_covered_extremes_equal_their_own_fold():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 50, 3000).astype(float)  # many ties: positions break them
    x[rng.choice(3000, 300, replace=False)] = np.nan
    src = open_source(pd.DataFrame({"x": x}), batch_rows=700)
    together, failed = fold(src, [Extremes("x", 5), Extremes("x", 12), Extremes("x", 3)])
    assert not failed and set(together) == {Extremes("x", 5), Extremes("x", 12), Extremes("x", 3)}
    for k in (3, 5, 12):
        alone, _ = fold(src, [Extremes("x", k)])
        assert together[Extremes("x", k)] == alone[Extremes("x", k)]


def test_missing_columns_and_failed_wide_kernel_reach_the_covered_ones():
    plan = plan_fold([Extremes("x", 2), Extremes("x", 4), Extremes("gone", 3), Moments("x")], ["x"])
    assert plan.live == [Extremes("x", 4), Moments("x")]
    assert plan.covered == {Extremes("x", 2): Extremes("x", 4)}
    plan.failures[Extremes("x", 4)] = "boom"
    values, failures = finish(plan, [(Moments("x"), Moments("x").init())])
    assert failures[Extremes("x", 2)] == "boom" and "not in the data" in failures[Extremes("gone", 3)]
    assert Moments("x") in values
