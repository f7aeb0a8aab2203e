"""``label_drift``: has the label's distribution moved between the reference and the current data?

Reads the label column from the suite's ``dataset: {label: ...}`` block and judges it with the
same statistics and decision rule as :mod:`datacheck.checks.drift` (effect size above a threshold
*and* p < ``alpha``; one test, so no correction).

The label (and, in ``prediction_drift``, the prediction; never the scores) is compared as
**categories** when

* ``dataset.task`` is ``classification`` (whatever the column's type), or
* ``dataset.task`` is not given and the label is string, boolean or categorical, or integer on
  either side (an integer class label read as float on one side because of a missing value is
  still classes), or float on both sides with at most ``MAX_FLOAT_CLASSES`` (20) distinct values,
  all whole numbers, in the reference (decided from the reference's metrics: its quantile edges,
  then its exact category counts);

otherwise -- ``dataset.task: regression``, or a float label with more or non-whole values -- as
numbers.

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

from datacheck.checks.base import Check, OnReference, register
from datacheck.checks.drift import DRIFT_PARAMS, DriftMixin
from datacheck.context import Context, MetricUnavailable
from datacheck.kernels import Frequencies

__all__ = ["LabelDriftCheck", "RoleDriftMixin", "MAX_FLOAT_CLASSES"]

#: a float label (or class prediction) with at most this many whole values is compared as classes
MAX_FLOAT_CLASSES = 20


class RoleDriftMixin(DriftMixin):
    """Drift on the columns named by roles of the suite's ``dataset`` block."""

    role_name = ""

    def role_columns(self, ctx: Context) -> list[str]:  # pragma: no cover - interface
        raise NotImplementedError

    def class_valued(self, column: str, ctx: Context) -> bool:
        """Whether the label and prediction roles hold classes (scores never do)."""
        return column in (ctx.roles.label, ctx.roles.prediction)

    def _decide(self, column: str, ctx: Context) -> str | None:
        """``numeric`` / ``categorical``, or None while the reference's metrics needed to decide are missing.

        Raises ValueError like :meth:`DriftMixin.kind` (absent column, type change, unusable type).
        """
        k = super().kind(column, ctx)
        if k == "categorical" or not self.class_valued(column, ctx):
            return k
        task = ctx.roles.task
        if task == "classification":
            return "categorical"
        if task == "regression":
            return "numeric"
        # kind() above found the column on both sides
        logical = ((ctx.reference_columns or {})[column].logical, ctx.columns[column].logical)
        if "integer" in logical:
            return "categorical"
        if "datetime" in logical:
            return "numeric"
        # float on both sides: classes when the reference holds only a few whole values (0/1 labels
        # read as float because of a missing value, say); decided from the reference's counts
        qe = self.edges_kernel(column)
        ref = ctx.require_reference()
        if qe not in ref:
            return None
        edges = ref[qe]["edges"]
        if not edges or len(edges) > MAX_FLOAT_CLASSES or any(e != int(e) for e in edges):
            return "numeric"  # the edges hold every sampled value when there are few: a cheap screen
        fr = Frequencies(column)
        if fr not in ref:
            return None
        f = ref[fr]
        ok = (
            f["exact"] and 0 < len(f["counts"]) <= MAX_FLOAT_CLASSES and all(float(v).is_integer() for v in f["counts"])
        )
        return "categorical" if ok else "numeric"

    def kind(self, column, ctx):
        k = self._decide(column, ctx)
        if k is None:
            raise MetricUnavailable(f"the reference's metrics for {column!r} are not computed")
        return k

    def requires(self, column, ctx):
        out = []
        for c in self.role_columns(ctx):
            if c not in ctx.columns:
                continue
            try:
                k = self._decide(c, ctx)
            except ValueError:
                continue
            if k is None:  # first the reference's edges, then (few whole values) its counts; then decide
                qe = self.edges_kernel(c)
                out.append(OnReference(Frequencies(c)) if qe in ctx.reference else OnReference(qe))
            else:
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
