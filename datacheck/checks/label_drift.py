"""``label_drift``: has the label's distribution moved between the reference and the current data?

Reads the label column from the suite's ``dataset: {label: ...}`` block and judges it with the
same statistics and decision rule as :mod:`datacheck.checks.drift` (effect size above a threshold
*and* p < ``alpha``; one test, so no correction). A string, boolean or categorical label -- or any
label when ``dataset.task`` is ``classification`` with an integer label -- is compared as
categories; otherwise as numbers.

Examples
--------
>>> import pandas as pd, datacheck
>>> ref = pd.DataFrame({"y": ["no"] * 750 + ["yes"] * 250})
>>> cur = pd.DataFrame({"y": ["no"] * 500 + ["yes"] * 500})
>>> suite = {"name": "s", "dataset": {"label": "y"}, "checks": ["label_drift"]}
>>> r = datacheck.run(cur, suite, reference=ref).results[0]
>>> r.status, round(r.effect_size, 3)
('fail', 0.221)
"""

from __future__ import annotations

from datacheck.checks.base import Check, register
from datacheck.checks.drift import DRIFT_PARAMS, DriftMixin
from datacheck.context import Context

__all__ = ["LabelDriftCheck", "RoleDriftMixin"]


class RoleDriftMixin(DriftMixin):
    """Drift on the columns named by roles of the suite's ``dataset`` block."""

    role_name = ""

    def role_columns(self, ctx: Context) -> list[str]:  # pragma: no cover - interface
        raise NotImplementedError

    def kind(self, column, ctx):
        k = super().kind(column, ctx)
        if k == "numeric" and ctx.roles.task == "classification" and ctx.columns[column].logical == "integer":
            return "categorical"
        return k

    def requires(self, column, ctx):
        out = []
        for c in self.role_columns(ctx):
            if c in ctx.columns:
                out += self.drift_requires(c, ctx)
        return out

    def evaluate(self, column, ctx):
        from datacheck.stats import benjamini_hochberg

        cols = self.role_columns(ctx)
        if not cols:
            return self.skipped(None, f"the suite's dataset block names no {self.role_name} column")
        stats, results = {}, []
        for c in cols:
            try:
                stats[c] = self.column_stats(c, ctx)
            except Exception as exc:  # a missing column or metric: this column's result is an error
                results.append(self.error(c, f"{self.name}: {exc}"))
        qs = benjamini_hochberg([s["p_value"] for s in stats.values()])
        for (c, s), q in zip(stats.items(), qs):
            results.append(self.drift_result(c, s, float(q), label=f"{self.role_name} {c!r}"))
        return results


@register("label_drift")
class LabelDriftCheck(RoleDriftMixin, Check):
    family = "shift"
    per_column = False
    needs_reference = True
    params = dict(DRIFT_PARAMS)
    role_name = "label"

    def role_columns(self, ctx):
        return [ctx.roles.label] if ctx.roles.label else []
