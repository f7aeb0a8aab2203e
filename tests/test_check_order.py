"""Checks that hand results forward declare it (``Check.produces`` / ``Check.consumes``) and the
planner orders their evaluation, so the order of checks in a suite never changes a result."""

from __future__ import annotations

import numpy as np
import pandas as pd

import datacheck
from datacheck.checks import REGISTRY


def _data(n: int = 1200) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"a": rng.choice(list("xyz"), n), "b": rng.normal(size=n)})
    df["y"] = np.where(df.b + (df.a == "z") * 0.8 + rng.normal(0, 0.7, n) > 0.3, "hi", "lo")
    df.loc[df.index[:60], "y"] = np.where(df.y[:60] == "hi", "lo", "hi")  # some wrong labels
    return df


def _results(rep) -> dict[str, dict]:
    """Each check's result without its position in the suite (which the swap changes)."""
    out = {}
    for r in rep.results:
        d = r.to_dict()
        assert d.pop("suite_path").endswith(r.check) and isinstance(d.pop("check_index"), int)
        out[r.check] = d
    return out


def test_swapping_producer_and_consumer_gives_identical_results():
    le = {"label_errors": {"progress": False, "folds": 3}}
    ws = {"worst_slices": {"features": ["a", "b"], "max_depth": 2}}
    base = {"name": "s", "dataset": {"label": "y"}}
    first = datacheck.run(_data(), {**base, "checks": [le, ws]})
    swapped = datacheck.run(_data(), {**base, "checks": [ws, le]})
    a, b = _results(first), _results(swapped)
    assert a["worst_slices"]["status"] != "error", a["worst_slices"]["message"]
    assert a["worst_slices"]["details"]["source"] == "label_errors.oof"
    assert a == b
    # results stay in suite order
    assert [r.check for r in swapped.results] == ["worst_slices", "label_errors"]


def test_every_consumed_artifact_has_a_registered_producer():
    produced = {k for cls in REGISTRY.values() for k in cls.produces}
    consumed = {k for cls in REGISTRY.values() for k in cls.consumes}
    assert consumed and consumed <= produced
