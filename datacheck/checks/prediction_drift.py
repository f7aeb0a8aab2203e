"""``prediction_drift``: have the model's predictions or scores moved between reference and current?

Reads ``dataset.prediction`` and ``dataset.scores`` from the suite and judges each with the same
statistics and decision rule as :mod:`datacheck.checks.drift`; with several columns (a prediction
and per-class scores) the q-values are Benjamini–Hochberg corrected across them.

Examples
--------
>>> import numpy as np, pandas as pd, datacheck
>>> rng = np.random.default_rng(0)
>>> ref = pd.DataFrame({"p": rng.beta(2, 5, 3000)})
>>> cur = pd.DataFrame({"p": rng.beta(3, 4, 3000)})
>>> suite = {"name": "s", "dataset": {"scores": "p"}, "checks": ["prediction_drift"]}
>>> [r.status for r in datacheck.run(cur, suite, reference=ref).results]
['fail']
"""

from __future__ import annotations

from datacheck.checks.base import Check, register
from datacheck.checks.drift import DRIFT_PARAMS
from datacheck.checks.label_drift import RoleDriftMixin

__all__ = ["PredictionDriftCheck"]


@register("prediction_drift")
class PredictionDriftCheck(RoleDriftMixin, Check):
    family = "shift"
    per_column = False
    needs_reference = True
    params = dict(DRIFT_PARAMS)
    role_name = "prediction"

    def role_columns(self, ctx):
        r = ctx.roles
        return list(dict.fromkeys(([r.prediction] if r.prediction else []) + list(r.scores)))
