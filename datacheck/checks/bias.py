"""``bias``: a subgroup audit -- representation, base rates, missingness by group and prediction
fairness -- with an interval for every rate and a corrected test for every comparison.

Groups are the values of the protected attributes (``dataset.protected`` unless ``attributes`` is
given), numeric attributes binned on edges or exact quantiles, and optionally their intersections.
Everything is read from mergeable :class:`~datacheck.kernels.groups.GroupCounts` cubes (counts of
label x prediction per group, missingness per group, a per-group score histogram for ROC AUC), so
the check runs on streamed Parquet as on a DataFrame.

Decision rule
-------------
For each group, each metric and (for ``missingness``) each column, the group's rate is compared
with the reference group's rate: ``ratio = min(g/r, r/g)`` and ``difference = g - r``. The group is
*beyond tolerance* when every tolerance that is set is exceeded (``ratio < max_disparity_ratio``,
``|difference| > max_disparity_difference``). The comparison is tested -- rates against the
reference by default for evidence that the gap is *beyond the tolerance* (``significance:
tolerance``: a one-sided z-test on the log risk ratio and/or the difference, so equal rates give
p near 1 and chance gaps do not fail), or for any gap (``significance: difference``: two-proportion
z-test, Fisher's exact test for small counts); a z-test on DeLong variances for AUC; an exact
binomial test for representation against expected shares -- and the p-values of all groups x
metrics x columns of the check are adjusted together with Benjamini-Hochberg. A group fails only when it is beyond
tolerance AND its q-value is below ``alpha`` (``require_significance: false`` drops the second
condition). A rate whose denominator is below ``min_group_size`` is ``skipped`` ("insufficient
data"), never judged.

Examples
--------
>>> import numpy as np, pandas as pd, datacheck
>>> rng = np.random.default_rng(0)
>>> g = rng.choice(["a", "b"], size=4000)
>>> pred = rng.random(4000) < np.where(g == "a", 0.5, 0.2)      # group b selected far less often
>>> df = pd.DataFrame({"g": g, "y": rng.random(4000) < 0.4, "pred": pred})
>>> suite = {"name": "s", "dataset": {"label": "y", "prediction": "pred", "protected": ["g"]},
...          "checks": [{"bias": {"metrics": ["selection_rate"], "reference": "best"}}]}
>>> r = datacheck.run(df, suite).results[0]
>>> r.status, r.observed["failing"]
('fail', ['g=b'])
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from datacheck import roles as _roles
from datacheck.checks import _bias_regression as _reg
from datacheck.checks._bias_audit import _NEEDS_LABEL, _NEEDS_PRED, METRICS, _Audit, _Config
from datacheck.checks.base import Check, OnReference, register
from datacheck.kernels import Bin, Col, GroupCounts, IsMissing, Moments
from datacheck.params import Param
from datacheck.roles import dimensions, group_key, key_needs, validate_bins

__all__ = ["BiasCheck", "METRICS"]

#: a numeric attribute with at most this many distinct values (and no ``bins``) is taken as categorical
#: (the rule of :mod:`datacheck.roles`)
DISCRETE_MAX = _roles.DISCRETE_MAX


def _metric_item(v: Any) -> str:
    if not isinstance(v, str) or v not in METRICS + _reg.REGRESSION_METRICS:
        raise ValueError(f"must be a list of metrics from {', '.join(METRICS + _reg.REGRESSION_METRICS)}; got {v!r}")
    return v


# ------------------------------------------------------------------------------------------------
# configuration resolved against the data and the roles
# ------------------------------------------------------------------------------------------------
@register("bias")
class BiasCheck(Check):
    """Subgroup bias audit (see the module docstring for the decision rule)."""

    family = "bias"
    per_column = False
    default_columns = None
    params = {
        "attributes": Param("strings", default=None, doc="protected attribute columns (default: dataset.protected)"),
        "intersections": Param(
            "any", default=False, doc="true: also every combination of all attributes; or a list of attribute lists"
        ),
        "reference": Param(
            "any", default="largest", doc="reference group: largest | best | overall | {attribute: value}"
        ),
        "min_group_size": Param(
            "integer", default=30, low=0, doc="a rate from fewer rows than this is skipped (insufficient data)"
        ),
        "min_auc_class_size": Param(
            "integer",
            default=10,
            low=2,
            doc="an AUC needs at least this many positives and this many negatives in the group (and the reference)",
        ),
        "metrics": Param(
            "list",
            default=None,
            item=_metric_item,
            doc="metrics to audit (default: every metric the roles allow; with dataset.task: "
            "regression, representation, missingness, target_mean, error_mean and mae)",
        ),
        "max_disparity_ratio": Param(
            "number",
            default=0.8,
            low=0,
            high=1,
            low_open=True,
            nullable=True,
            doc="tolerance on min(g/r, r/g); 0.8 is the four-fifths rule; null: unused",
        ),
        "max_disparity_difference": Param(
            "number", default=None, low=0, high=1, nullable=True, doc="tolerance on |g - r| (rates; null: unused)"
        ),
        "alpha": Param(
            "number",
            default=0.05,
            low=0,
            high=1,
            low_open=True,
            high_open=True,
            doc="false discovery rate for the Benjamini-Hochberg-adjusted tests",
        ),
        "require_significance": Param(
            "bool", default=True, doc="fail only when the disparity is also significant (q < alpha)"
        ),
        "significance": Param(
            "choice",
            default="tolerance",
            choices=("tolerance", "difference"),
            doc="what rate comparisons test: tolerance = evidence that the gap is beyond "
            "the tolerance (few false alarms); difference = evidence of any gap",
        ),
        "confidence": Param(
            "number",
            default=0.95,
            low=0,
            high=1,
            low_open=True,
            high_open=True,
            doc="confidence level of the intervals",
        ),
        "interval": Param(
            "choice", default="wilson", choices=("wilson", "clopper_pearson"), doc="interval for proportions"
        ),
        "expected_shares": Param("mapping", default=None, doc="{attribute: {group: share}} expected population shares"),
        "bins": Param(
            "mapping", default=None, doc="{attribute: [edges]} or {attribute: {quantiles: q}} for numeric attributes"
        ),
        "missingness_columns": Param(
            "strings",
            default=None,
            doc="columns whose missing rate is compared across groups (default: every column except the attributes)",
        ),
        "label": Param("column", default=None, doc="label column (default: dataset.label)"),
        "prediction": Param("column", default=None, doc="prediction column (default: dataset.prediction)"),
        "scores": Param("column", default=None, doc="score column for AUC (default: dataset.scores)"),
        "positive_label": Param(
            "any", default=None, doc="label value counted as positive (default: dataset.positive_label, else inferred)"
        ),
        "max_std_difference": Param(
            "number",
            default=0.2,
            low=0,
            low_open=True,
            doc="regression (dataset.task: regression): tolerated difference of a group's "
            "target mean, mean error or MAE from the reference's, in SDs of the target",
        ),
        "score_bins": Param(
            "integer",
            default=500,
            low=2,
            high=10000,
            doc="equal-width bins (exact min to max) of the per-group score histogram for AUC",
        ),
    }

    # -- validation ----------------------------------------------------------------------------
    @classmethod
    def validate_params(cls, p: Mapping[str, Any]) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        ref = p.get("reference")
        if isinstance(ref, Mapping):
            if not ref or not all(
                isinstance(k, str) and isinstance(v, (str, int, float, bool)) for k, v in ref.items()
            ):
                out.append(("reference", f"must map attribute names to a group value, e.g. {{sex: Male}}; got {ref!r}"))
        elif ref not in ("largest", "best", "overall"):
            out.append(
                ("reference", f"must be 'largest', 'best', 'overall' or a mapping {{attribute: value}}; got {ref!r}")
            )
        inter = p.get("intersections")
        if not isinstance(inter, bool):
            ok = isinstance(inter, (list, tuple)) and all(
                isinstance(x, (list, tuple)) and len(x) >= 2 and all(isinstance(c, str) for c in x) for x in inter
            )
            if not ok:
                out.append(
                    (
                        "intersections",
                        f"must be true, false or a list of attribute lists (e.g. [[sex, race]]); got {inter!r}",
                    )
                )
        if p.get("max_disparity_ratio") is None and p.get("max_disparity_difference") is None:
            out.append(
                ("max_disparity_ratio", "and max_disparity_difference are both null; set at least one tolerance")
            )
        shares = p.get("expected_shares")
        if shares is not None:
            for attr, m in shares.items():
                if not isinstance(m, Mapping) or not m:
                    out.append(("expected_shares", f"{attr}: must map group values to shares; got {m!r}"))
                    continue
                bad = [
                    v for v in m.values() if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1
                ]
                if bad:
                    out.append(("expected_shares", f"{attr}: shares must be numbers in [0, 1]; got {bad[0]!r}"))
                elif sum(m.values()) > 1 + 1e-6:
                    out.append(("expected_shares", f"{attr}: shares sum to {sum(m.values()):.4g} > 1"))
        msg = validate_bins(p.get("bins"))
        if msg:
            out.append(("bins", msg))
        return out

    # -- configuration -------------------------------------------------------------------------
    def _config(self, ctx) -> _Config:
        p, roles, cols = self.p, ctx.roles, ctx.columns
        attrs = list(p["attributes"] if p["attributes"] is not None else roles.protected)
        label = p["label"] or roles.label
        pred = p["prediction"] or roles.prediction
        score = p["scores"]
        score_problem = None
        if score is None and roles.scores:
            if len(roles.scores) == 1:
                score = roles.scores[0]
            else:
                score_problem = (
                    f"dataset.scores names {len(roles.scores)} columns; give bias.scores "
                    "(the positive class's score column)"
                )
        cfg = _Config(attributes=attrs, dims=[], label=None, prediction=None, score=None, metrics=[])
        if not attrs:
            cfg.problem = "no attributes to audit: set bias.attributes or dataset.protected"
            return cfg
        missing = [a for a in attrs if a not in cols]
        if missing:
            cfg.problem = (
                f"attribute column(s) {', '.join(map(repr, missing))} not in the data [{self.spec.path}.attributes]"
            )
            return cfg
        if len(set(attrs)) != len(attrs):
            cfg.problem = f"attributes list a column twice: {attrs!r}"
            return cfg
        for role, c in (("label", label), ("prediction", pred), ("scores", score)):
            if c is not None and c not in cols:
                if p[role] is not None:
                    cfg.problem = f"{role} column {c!r} is not in the data [{self.spec.path}.{role}]"
                    return cfg
                # named by the dataset block: plan.bind already reported it; the metrics needing it are unavailable
                if role == "label":
                    label = None
                elif role == "prediction":
                    pred = None
                else:
                    score = None
        cfg.label, cfg.prediction, cfg.score = label, pred, score
        # dimensions: each attribute, then intersections
        try:
            dims = dimensions(attrs, p["intersections"])
        except ValueError as e:
            cfg.problem = f"{e} [{self.spec.path}.intersections]"
            return cfg
        cfg.dims = dims
        for key in p["expected_shares"] or {}:
            if key not in attrs:
                cfg.problem = (
                    f"expected_shares names {key!r}, which is not an attribute [{self.spec.path}.expected_shares]"
                )
                return cfg
        for key in p["bins"] or {}:
            if key not in attrs:
                cfg.problem = f"bins names {key!r}, which is not an attribute [{self.spec.path}.bins]"
                return cfg
            if not cols[key].numeric:
                cfg.problem = (
                    f"bins given for {key!r}, which is {cols[key].logical}, not numeric [{self.spec.path}.bins]"
                )
                return cfg
        if isinstance(p["reference"], Mapping):
            unknown = [k for k in p["reference"] if k not in attrs]
            if unknown:
                cfg.problem = f"reference names {unknown[0]!r}, which is not an attribute [{self.spec.path}.reference]"
                return cfg
        # metrics
        explicit = p["metrics"] is not None
        regression = _reg.is_regression(ctx)
        wanted = (
            list(dict.fromkeys(p["metrics"]))
            if explicit
            else (["representation", "missingness", *_reg.REGRESSION_METRICS] if regression else list(METRICS))
        )
        cfg.regression, why = _reg.choose_metrics(wanted, explicit, label, pred, cols)
        cfg.unavailable.update(why)
        for m in wanted:
            reason = None
            if m in _reg.REGRESSION_METRICS:
                if not regression:
                    cfg.unavailable[m] = f"{m} is a regression metric; the suite's dataset.task is not regression"
                continue
            if regression and m in _reg.CLASSIFICATION_ONLY:
                reason = (
                    f"{m} is a classification metric; dataset.task is regression (use "
                    f"{', '.join(_reg.REGRESSION_METRICS)})"
                )
            elif m in _NEEDS_LABEL and label is None:
                reason = f"{m} needs a label column (dataset.label or bias.label)"
            elif m in _NEEDS_PRED and pred is None:
                reason = f"{m} needs a prediction column (dataset.prediction or bias.prediction)"
            elif m == "auc" and score is None:
                reason = score_problem or "auc needs a score column (dataset.scores or bias.scores)"
            elif m == "auc" and not cols[score].numeric:
                reason = f"auc needs a numeric score column; {score!r} is {cols[score].logical}"
            if reason is None:
                cfg.metrics.append(m)
            elif explicit:
                cfg.unavailable[m] = reason
        if "missingness" in cfg.metrics:
            chosen = p["missingness_columns"]
            if chosen is None:
                chosen = [c for c in cols if c not in attrs]
            else:
                absent = [c for c in chosen if c not in cols]
                if absent:
                    cfg.problem = (
                        f"missingness_columns names {absent[0]!r}, which is not in the data "
                        f"[{self.spec.path}.missingness_columns]"
                    )
                    return cfg
            cfg.miss_cols = list(chosen)
            if not cfg.miss_cols:
                cfg.metrics.remove("missingness")
        return cfg

    # -- attribute keys (numeric attributes need one or two passes first) ----------------------
    def _attr_key(self, attr: str, ctx) -> tuple[Any, list, str]:
        """(key or None, kernels still needed, how the groups were formed): the grouping rule of
        :mod:`datacheck.roles`, shared with ``slices``, ``worst_slices`` and ``label_errors``."""
        need = key_needs([attr], self.p["bins"], ctx)
        if need:
            return None, need, ""
        key, how = group_key(attr, self.p["bins"], ctx)
        return key, [], how

    def _score_edges(self, cfg: _Config, ctx) -> tuple[tuple[float, ...] | None, list]:
        """Equal-width score bins between the exact minimum and maximum (a first pass), so the
        histogram -- and the AUC -- do not depend on how the data was split into batches."""
        if "auc" not in cfg.metrics or cfg.score is None:  # auc is chosen only with a score column
            return None, []
        mk = Moments(cfg.score)
        if mk not in ctx.current:
            return None, [mk]
        m = ctx.current[mk]
        lo, hi = m["min"], m["max"]
        if not m["n"] or not (math.isfinite(lo) and math.isfinite(hi)):
            return (0.0, 1.0), []
        if hi <= lo:
            return (float(lo), float(lo) + 1.0), []
        return tuple(float(e) for e in np.linspace(lo, hi, self.p["score_bins"] + 1)), []

    def _keys(self, cfg: _Config, ctx) -> tuple[list | None, list, dict]:
        keys, need, how = [], [], {}
        for a in cfg.attributes:
            k, n, h = self._attr_key(a, ctx)
            keys.append(k)
            need += n
            how[a] = h
        return (None if need else keys), need, how

    def _kernels(self, cfg: _Config, keys: list, edges) -> dict[str, Any]:
        k = tuple(keys)
        out: dict[str, Any] = {}
        extra: list = []
        out["li"] = out["pi"] = None
        if cfg.label is not None and any(m in _NEEDS_LABEL for m in cfg.metrics):
            out["li"] = len(k) + len(extra)
            extra.append(Col(cfg.label))
        if cfg.prediction is not None and any(m in _NEEDS_PRED for m in cfg.metrics):
            out["pi"] = len(k) + len(extra)
            extra.append(Col(cfg.prediction))
        out["cube"] = GroupCounts(k + tuple(extra))
        out["missing"] = (
            {c: GroupCounts(k + (IsMissing(c),)) for c in cfg.miss_cols} if "missingness" in cfg.metrics else {}
        )
        if "auc" in cfg.metrics and cfg.label is not None and cfg.score is not None:  # auc is chosen only with both
            out["auc"] = GroupCounts(k + (Col(cfg.label), Bin(cfg.score, edges)))
        out["ref"] = GroupCounts(k) if "representation" in cfg.metrics else None
        # regression metrics are chosen only with a label column
        out["reg"] = (
            _reg.kernels(keys, cfg.label, cfg.prediction, cfg.regression)
            if cfg.regression and cfg.label is not None
            else {}
        )
        return out

    # -- planning ------------------------------------------------------------------------------
    def requires(self, column, ctx):
        cfg = self._config(ctx)
        if cfg.problem or not (cfg.metrics or cfg.regression):
            return []
        keys, need, _ = self._keys(cfg, ctx)
        edges, need2 = self._score_edges(cfg, ctx)
        if need or need2:
            return need + need2
        ks = self._kernels(cfg, keys, edges)
        req: list[Any] = [ks["cube"], *ks["missing"].values()]
        if ks["reg"]:
            req += list(ks["reg"].values())
        if "auc" in ks:
            req.append(ks["auc"])
        if ks["ref"] is not None and ctx.has_reference:
            req.append(OnReference(ks["ref"]))
        return req

    # -- judging -------------------------------------------------------------------------------
    def evaluate(self, column, ctx):
        cfg = self._config(ctx)
        if cfg.problem:
            return self.error(None, cfg.problem)
        out = [self._unavailable(m, why) for m, why in cfg.unavailable.items()]
        if not (cfg.metrics or cfg.regression):
            return out or [self.error(None, "no metric can be computed with the columns given")]
        keys, _, how = self._keys(cfg, ctx)
        edges, _ = self._score_edges(cfg, ctx)
        ks = self._kernels(cfg, keys, edges)
        cube = ctx.current[ks["cube"]]
        a = _Audit(self, cfg, keys, how, ctx)
        a.run(cube, ks, ctx)
        return out + a.results()

    def _unavailable(self, metric: str, why: str) -> Any:
        r = self.error(None, f"{metric}: {why}")
        r.observed = {"metric": metric}
        r.details = {"metric": metric}
        return r
