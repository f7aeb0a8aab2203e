"""``label_errors``: the share of labels that look wrong, the worst rows, and where they cluster.

The one check that fits a model, so the one that reads rows. A first pass counts the rows and the
label's classes (``RowCount``, ``Frequencies``); the second reads only the sample it will use: a
bounded, seeded :class:`~datacheck.kernels.Sample` of the feature, label, protected and slice
columns (every row up to ``max_rows``), or above it a seeded :class:`~datacheck.kernels.StratifiedSample`
by label, and the result says so. Small classes are kept at a higher rate in that sample, so the
shares reported (overall, per class, per subgroup) are then weighted by class to estimate the
shares in the whole data. Out-of-
sample class probabilities come from stratified K-fold cross-validation of a
HistGradientBoostingClassifier (or an estimator passed as ``options={"label_errors": {"estimator":
clf}}``), or from probability columns in the data (``model: scores`` uses the dataset block's
``scores``; a list names columns). cleanlab finds and scores the issues
(``cleanlab.filter.find_label_issues``, ``cleanlab.rank.get_label_quality_scores``; regression
labels: ``cleanlab.regression.learn.CleanLearning``). See ``docs/label_errors.md``.

The verdict (``verdict: noise``, default) judges a label-noise estimate, not cleanlab's flagged
share: the disagreement between given label and out-of-fold prediction among the 10% most
confident rows (each at least 80% sure), an upper bound of the share of labels flipped
independently of the features that hard-but-clean rows elsewhere do not inflate; it fails when the
estimate's Wilson lower bound exceeds ``max_fraction``. The flagged share (which counts every hard
example, 7-27% of clean labels on real tables) is reported beside it; ``verdict: flagged`` judges
it instead.

The out-of-fold predictions are left for later checks in ``ctx.artifacts["label_errors.oof"]``.

Examples
--------
>>> import numpy as np, pandas as pd, datacheck
>>> rng = np.random.default_rng(0)
>>> x = rng.normal(size=600)
>>> y = np.where(x + rng.normal(scale=0.3, size=600) > 0, "a", "b")
>>> y[:60] = np.where(y[:60] == "a", "b", "a")                     # 10% flipped
>>> suite = {"name": "s", "dataset": {"label": "y"},
...          "checks": [{"label_errors": {"max_fraction": 0.02, "progress": False}}]}
>>> r = datacheck.run(pd.DataFrame({"x": x, "y": y}), suite).results[0]
>>> r.status, round(r.observed["noise_rate"], 2), r.observed["fraction"] > r.observed["noise_rate"]
('fail', 0.1, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from datacheck.checks._util import pct, plain
from datacheck.checks.base import Check, register
from datacheck.kernels import Frequencies, RowCount
from datacheck.label_quality import (
    FILTER_METHODS,
    SCORE_METHODS,
    LabelQualityError,
    assess,
    confident_disagreement,
    infer_task,
    sample_kernel,
    sample_weights,
)
from datacheck.label_subgroups import subgroup_rates
from datacheck.params import Param
from datacheck.roles import key_needs, make_key
from datacheck.stats import wilson_interval

_HIST_BINS = 20
_MAX_CLASSES_SHOWN = 30
_MAX_FEATURES_LISTED = 100
#: filter methods that flag the rows with the lowest score of one score method -- the only ones
#: for which "flagged" is a threshold on the quality score drawn in the figure
_THRESHOLD_FILTERS = {"low_self_confidence": "self_confidence", "low_normalized_margin": "normalized_margin"}


#: the ``ctx.artifacts`` key of the out-of-fold predictions this check leaves (``worst_slices`` reads it)
OOF_KEY = "label_errors.oof"


@register("label_errors")
class LabelErrorsCheck(Check):
    family = "label_errors"
    per_column = False
    default_columns = None
    produces = (OOF_KEY,)
    params = {
        "max_fraction": Param(
            "number",
            default=0.05,
            low=0,
            high=1,
            doc="fail when the share of wrong labels is above this with 95% confidence "
            "(verdict: noise) or when the share of rows cleanlab flags exceeds it "
            "(verdict: flagged)",
        ),
        "min_model_auc": Param(
            "number",
            default=0.7,
            low=0.5,
            high=1,
            doc="with verdict: noise, a noise estimate above max_fraction fails only when the "
            "model's out-of-fold AUC on the given labels is at least this; below it the "
            "result is warn (inconclusive: noise and difficulty look alike)",
        ),
        "verdict": Param(
            "choice",
            default="noise",
            choices=("noise", "flagged"),
            doc="noise: judge the label-noise estimate (disagreement among the model's most "
            "confident rows), which hard but clean tasks do not inflate; flagged: judge "
            "cleanlab's flagged share (hard examples count as issues)",
        ),
        "confident_share": Param(
            "number",
            default=0.1,
            low=0.01,
            high=1,
            doc="share of rows the noise estimate is measured on (the most confident "
            "out-of-fold predictions, each at least 80% sure)",
        ),
        "model": Param(
            "any",
            default="auto",
            doc="auto (cross-validated model), scores (the dataset block's score columns), "
            "or a list of probability columns",
        ),
        "folds": Param("integer", default=5, low=2, high=50, doc="cross-validation folds"),
        "features": Param(
            "columns",
            default="*",
            doc="feature columns; '*' = every column without a role (label, prediction, id, scores, protected)",
        ),
        "exclude": Param("strings", default=(), doc="columns left out of the features"),
        "slices": Param("strings", default=(), doc="more columns to report issue rates for"),
        "max_rows": Param(
            "integer",
            default=100_000,
            low=100,
            doc="above this many rows, a seeded stratified sample of this size is scored",
        ),
        "seed": Param("integer", default=0, low=0, doc="seed of the sample, the folds and the model"),
        "filter_by": Param(
            "choice",
            default="prune_by_noise_rate",
            choices=FILTER_METHODS,
            doc="cleanlab.filter.find_label_issues(filter_by=...)",
        ),
        "score_method": Param(
            "choice",
            default="self_confidence",
            choices=SCORE_METHODS,
            doc="cleanlab.rank.get_label_quality_scores(method=...)",
        ),
        "max_classes": Param("integer", default=50, low=2, doc="labels with more classes are not assessed"),
        "evidence_rows": Param("integer", default=20, low=0, high=1000, doc="worst rows reported"),
        "max_groups": Param("integer", default=20, low=2, high=200, doc="groups per attribute in the subgroup rates"),
        "threads": Param(
            "integer",
            default=1,
            low=1,
            high=256,
            doc="OpenMP/BLAS threads for the model fits (1 is fastest when cores are shared)",
        ),
        "progress": Param(
            "bool",
            default=None,
            nullable=True,
            doc="progress bar over folds (default: as run(progress=...), else only on a terminal)",
        ),
    }

    @classmethod
    def validate_params(cls, params):
        out = []
        m = params.get("model")
        if not (m in ("auto", "scores") or (isinstance(m, (list, tuple)) and m and all(isinstance(c, str) for c in m))):
            out.append(("model", f"must be 'auto', 'scores' or a list of probability column names; got {m!r}"))
        return out

    # -- which columns ------------------------------------------------------------------------
    def _score_columns(self, ctx) -> list[str]:
        m = self.p["model"]
        if m == "auto":
            return []
        return list(ctx.roles.scores) if m == "scores" else list(m)

    def _features(self, ctx) -> tuple[list[str], list[str]]:
        """(features, problems) for the model."""
        roles = ctx.roles
        sel = self.p["features"]
        exclude = set(self.p["exclude"])
        if isinstance(sel, str) and sel == "*":
            skip = {c for c in roles.columns() if c} | exclude
            return [c for c in ctx.columns if c not in skip], []
        names = [sel] if isinstance(sel, str) else [c for c in sel if isinstance(c, str)]
        problems = [f"feature column {c!r} is not in the data" for c in names if c not in ctx.columns]
        if roles.label in names:
            problems.append(f"the label {roles.label!r} cannot be a feature")
        return [c for c in names if c in ctx.columns and c not in exclude and c != roles.label], problems

    def _problems(self, ctx) -> list[str]:
        roles = ctx.roles
        if not roles.label:
            return ["label_errors needs the label column: set dataset.label in the suite"]
        if roles.label not in ctx.columns:
            return [f"the label column {roles.label!r} is not in the data"]
        out = []
        if self.p["model"] == "scores" and not roles.scores:
            out.append("model: scores needs score columns in the dataset block (dataset.scores)")
        out += [
            f"probability column {c!r} is not in the data" for c in self._score_columns(ctx) if c not in ctx.columns
        ]
        out += [f"slice column {c!r} is not in the data" for c in self.p["slices"] if c not in ctx.columns]
        if not self._score_columns(ctx):
            out += self._features(ctx)[1]
        return out

    def _columns(self, ctx) -> list[str]:
        cols = self._score_columns(ctx) or self._features(ctx)[0]
        extra = [c for c in (*ctx.roles.protected, *self.p["slices"]) if c in ctx.columns]
        return list(dict.fromkeys([*cols, *extra]))

    def _group_columns(self, ctx) -> list[str]:
        """Columns whose groups get issue rates: the protected attributes, then ``slices``."""
        return list(dict.fromkeys(c for c in (*ctx.roles.protected, *self.p["slices"]) if c in ctx.columns))

    def _task(self, ctx):
        freqs = ctx.current[Frequencies(ctx.roles.label)]
        return infer_task(ctx.columns[ctx.roles.label].type, freqs, ctx.roles.task, self.p["max_classes"])

    def _kernel(self, ctx):
        label = ctx.roles.label
        freqs = ctx.current[Frequencies(label)]
        task, _ = self._task(ctx)
        return sample_kernel(
            self._columns(ctx),
            label,
            ctx.current[RowCount()],
            freqs,
            max_rows=self.p["max_rows"],
            seed=self.p["seed"],
            folds=self.p["folds"],
            stratify=task == "classification",
        )

    # -- planning -----------------------------------------------------------------------------
    def requires(self, column, ctx):
        if self._problems(ctx):
            return []
        # first the row count and the label's classes, then only the sample that will be used
        # (every row, or a stratified sample above max_rows): no row is read before that is known
        need = [k for k in (RowCount(), Frequencies(ctx.roles.label)) if k not in ctx.current]
        need += key_needs(self._group_columns(ctx), None, ctx)  # subgroups keyed as bias and slices key them
        if need:
            return need
        kernel, _ = self._kernel(ctx)
        return [] if kernel in ctx.current else [kernel]

    # -- judging ------------------------------------------------------------------------------
    def evaluate(self, column, ctx):
        problems = self._problems(ctx)
        if problems:
            return self.error(None, "; ".join(problems))
        roles = ctx.roles
        label = roles.label
        kernel, how = self._kernel(ctx)
        table = ctx.current[kernel]
        task, why = self._task(ctx)
        # options (Python objects, run(options={"label_errors": {...}})): estimator, threads,
        # progress, and keep (a list the whole assessment is appended to)
        opts = dict(ctx.options.get("label_errors") or {})
        progress = opts.get("progress", ctx.progress if self.p["progress"] is None else self.p["progress"])
        freqs = ctx.current[Frequencies(label)]
        try:
            lq = assess(
                table,
                label,
                features=self._features(ctx)[0],
                task=task,
                estimator=opts.get("estimator"),
                score_columns=self._score_columns(ctx),
                positive_label=roles.positive_label,
                folds=self.p["folds"],
                seed=self.p["seed"],
                filter_by=self.p["filter_by"],
                score_method=self.p["score_method"],
                max_classes=self.p["max_classes"],
                progress=progress,
                threads=opts.get("threads", self.p["threads"]),
                class_weights=sample_weights(kernel, freqs),
            )
        except LabelQualityError as exc:
            return self.error(None, str(exc))
        n_rows = ctx.current[RowCount()]
        sampled = n_rows > self.p["max_rows"]
        keep = opts.get("keep")
        if keep is not None:  # the notebook API (label_issues) takes the whole assessment
            keep.append({"quality": lq, "rows": ctx.label_rows(lq.rows), "sample": how})

        ctx.artifacts[OOF_KEY] = {
            "rows": lq.rows,
            "label": lq.given,
            "pred": lq.suggested,
            "proba": lq.proba,
            "classes": lq.classes,
            "features": lq.table,
            "quality": lq.quality,
            "is_issue": lq.is_issue,
            "task": lq.task,
            "label_column": label,
            "feature_columns": list(lq.features),
        }

        frac, count, n = lq.fraction, lq.count, lq.n
        weighted = lq.weights is not None
        lo, hi = wilson_interval(frac * lq.n_effective, lq.n_effective) if weighted else wilson_interval(count, n)
        noise = None
        if lq.task == "classification" and lq.proba is not None and n:
            noise = confident_disagreement(
                lq.proba, lq.given, lq.classes, share=self.p["confident_share"], weights=lq.weights
            )
        by_noise = self.p["verdict"] == "noise" and noise is not None
        model_auc = _model_auc(lq.proba, lq.given, lq.classes) if lq.task == "classification" and n else None
        inconclusive = False
        if by_noise:
            ok = not (noise["lower"] > self.p["max_fraction"])
            # a weak model is wrong even where it is most sure: flipped labels and a hard task then look
            # alike (clean recidivism labels failed every split), so the estimate is reported, not judged
            inconclusive = not ok and model_auc is not None and model_auc < self.p["min_model_auc"]
        else:
            ok = frac <= self.p["max_fraction"]
        evidence = self._evidence(lq, ctx)
        groups = [c for c in self._group_columns(ctx) if c in lq.table.column_names]
        subgroups = subgroup_rates(
            lq.table,
            groups,
            lq.is_issue,
            max_groups=self.p["max_groups"],
            weights=lq.weights,
            keys={c: make_key(c, None, ctx) for c in groups},
        )
        edges = np.linspace(0.0, 1.0, _HIST_BINS + 1)
        details = {
            "task": lq.task,
            "task_reason": why,
            "positive_label": lq.positive_label,
            "model": lq.model,
            "folds": self.p["folds"],
            "seed": self.p["seed"],
            "filter_by": self.p["filter_by"] if lq.task == "classification" else None,
            "score_method": self.p["score_method"] if lq.task == "classification" else "cleanlab regression",
            "rows_in_data": n_rows,
            "rows_scored": n,
            "sampled": sampled,
            "sample": how,
            "features": lq.features[:_MAX_FEATURES_LISTED],
            "n_features": len(lq.features),
            "dropped_features": lq.dropped_features,
            "excluded": lq.excluded,
            "notes": lq.notes,
            "overall_rate": frac,
            "cleanlab_estimate": lq.cleanlab_estimate,
            "verdict": "noise" if by_noise else "flagged",
            "noise_estimate": noise,
            # the model's own error rate: what its probabilities expect, and what it is on the given labels
            "expected_error": (float((1 - lq.proba.max(axis=1)).mean()) if lq.proba is not None and n else None),
            "disagreement": (float((lq.suggested != lq.given).mean()) if lq.task == "classification" and n else None),
            "weighted": weighted,
            "n_effective": lq.n_effective if weighted else None,
            "class_weights": ({str(c): float(w) for c, w in zip(lq.given, lq.weights)} if weighted else None),
            # rows scored, by quality score in fixed bins, flagged and not (bounded: 20 bins)
            "score_hist": {
                "edges": edges.tolist(),
                "flagged": np.histogram(lq.quality[lq.is_issue], edges)[0].tolist(),
                "not_flagged": np.histogram(lq.quality[~lq.is_issue], edges)[0].tolist(),
            },
            "flag_threshold": self._flag_threshold(lq),
            "per_class": self._per_class(lq, ctx.current[Frequencies(label)] if weighted else None),
            "subgroups": subgroups,
        }
        where = "" if not sampled else f" (on {how})"
        if weighted:
            head = (
                f"an estimated {pct(frac)} of labels look wrong ({count:,} of {n:,} sampled labels flagged; "
                f"weighted by class, {how})"
            )
        else:
            head = f"{count:,} of {n:,} labels ({pct(frac)}) look wrong{where}"
        if inconclusive:
            nlo, nhi = noise["interval"]
            msg = (
                f"inconclusive: the model ranks the given labels with AUC {model_auc:.2f} (below "
                f"{self.p['min_model_auc']:.2f}), so even its {noise['rows']:,} most confident predictions "
                f"disagree with {pct(noise['rate'])} of labels (95% CI {pct(nlo)}-{pct(nhi)}): label noise cannot "
                f"be told from a hard task here. Review the flagged rows, or judge with a stronger model or "
                f"verdict: flagged. cleanlab: {head}; {lq.model}"
            )
        elif by_noise and not noise["rows"]:
            msg = (
                f"no label-noise estimate: the model is never at least 80% sure of a prediction, so label "
                f"noise cannot be told from difficulty. cleanlab: {head}; {lq.model}"
            )
        elif by_noise:
            nlo, nhi = noise["interval"]
            msg = (
                f"label noise estimated at {pct(noise['rate'])} (95% CI {pct(nlo)}-{pct(nhi)}): the model's "
                f"{noise['rows']:,} most confident predictions (top {pct(self.p['confident_share'])}, "
                f"mean confidence {pct(noise['confidence'])}) disagree with {noise['disagree']:,} given labels"
                + (self._worst_class_note(noise) if not ok else "")
                + (f"; allowed {pct(self.p['max_fraction'])}" if not ok else "")
                + f". cleanlab: {head}, hard examples included (the model's own expected error is "
                f"{pct(details['expected_error'])}); {lq.model}"
            )
        else:
            msg = head + f"; {lq.model}" + ("" if ok else f"; allowed {pct(self.p['max_fraction'])}")
        flagged_groups = [s for s in subgroups if s["q_value"] is not None and s["q_value"] < 0.05 and s["rate"] > frac]
        if flagged_groups:
            worst = max(flagged_groups, key=lambda s: s["rate"])
            msg += (
                f"; issue rate highest in {worst['attribute']}={worst['group']} "
                f"({pct(worst['rate'])} vs {pct(worst['rest_rate'])} elsewhere)"
            )
        if lq.notes:
            msg += "; " + "; ".join(lq.notes)
        method = (
            f"cleanlab {'find_label_issues(filter_by=' + self.p['filter_by'] + ')' if lq.task == 'classification' else 'CleanLearning.find_label_issues'}"
            f" on {lq.model}; {how}; "
            + (
                "shares weighted by class (rows in the data / rows sampled), Wilson 95% interval with "
                "Kish's effective sample size"
                if weighted
                else "Wilson 95% interval"
            )
        )
        if by_noise:
            method = (
                f"label noise = disagreement between the given label and the out-of-fold prediction among "
                f"the top {pct(self.p['confident_share'])} most confident rows (each at least 80% sure) "
                f"(an upper-bound estimate of labels flipped independently of the features), Wilson 95% "
                f"interval; fail when its lower bound exceeds max_fraction. Flagged rows: " + method
            )
        observed = {
            "fraction": frac,
            "count": count,
            "rows_scored": n,
            "cleanlab_estimate": lq.cleanlab_estimate,
            "missing_labels": lq.excluded.get("missing_label", 0),
            "sampled": sampled,
            "weighted": weighted,
            "fraction_interval": [lo, hi],
            "noise_rate": noise["rate"] if noise else None,
            "noise_interval": list(noise["interval"]) if noise else None,
            "noise_lower": noise["lower"] if noise else None,
        }
        observed["model_auc"] = model_auc
        details["model_auc"] = model_auc
        expected = {
            "max_fraction": self.p["max_fraction"],
            "verdict": "noise" if by_noise else "flagged",
            "min_model_auc": self.p["min_model_auc"],
        }
        return self.result(
            None,
            ok,
            observed=observed,
            expected=expected,
            status="warn" if inconclusive else None,
            message=msg,
            evidence=evidence,
            method=method,
            details=details,
            effect_size=noise["rate"] if by_noise else frac,
            interval=tuple(noise["interval"]) if by_noise else (lo, hi),
        )

    @staticmethod
    def _worst_class_note(noise: dict) -> str:
        w = noise.get("worst_class")
        if not w or w["interval"][0] <= noise["interval"][0]:
            return ""
        return (
            f"; where the model confidently predicts {plain(w['predicted'])!r}, {w['disagree']:,} of "
            f"{w['rows']:,} labels ({pct(w['rate'])}) say otherwise"
        )

    def _evidence(self, lq, ctx) -> list[dict] | None:
        k = self.p["evidence_rows"]
        if not k or not lq.n:
            return None
        order = np.lexsort((lq.rows, lq.quality))[:k]
        rows = ctx.label_rows(lq.rows[order])
        pg = lq.p_given()
        out = []
        for r, i in zip(rows, order):
            e = {
                "row": r,
                "given_label": plain(lq.given[i]),
                "suggested_label": plain(lq.suggested[i]),
                "quality": float(lq.quality[i]),
                "is_issue": bool(lq.is_issue[i]),
            }
            if pg is not None:
                e["p_given"] = float(pg[i])
            out.append(e)
        return out

    def _flag_threshold(self, lq) -> float | None:
        """The highest flagged quality score, only when the filter flags exactly the rows at or below
        a score of the same method (``low_self_confidence`` / ``low_normalized_margin``); None for
        the other filters, whose flagged rows are not a region of the score."""
        if lq.task != "classification" or _THRESHOLD_FILTERS.get(self.p["filter_by"]) != self.p["score_method"]:
            return None
        flagged = lq.quality[lq.is_issue]
        if not flagged.size:
            return None
        thr = float(flagged.max())
        return thr if not (lq.quality[~lq.is_issue] <= thr).any() else None

    def _per_class(self, lq, freqs=None) -> list[dict] | None:
        """Per given class: scored rows, flagged rows, rate; with ``freqs`` (a weighted sample) also
        the class's rows in the data and the flagged rows scaled to them (``issues_estimated``)."""
        if lq.task != "classification":
            return None
        counts = (freqs or {}).get("counts") or {}
        out = []
        for c in lq.classes:
            m = lq.given == c
            iss = m & lq.is_issue
            sugg: dict[str, int] = {}
            for s in lq.suggested[iss]:
                sugg[str(s)] = sugg.get(str(s), 0) + 1
            n, k = int(m.sum()), int(iss.sum())
            row = {
                "class": plain(c),
                "n": n,
                "issues": k,
                "rate": k / n if n else 0.0,
                "suggested": dict(sorted(sugg.items(), key=lambda kv: -kv[1])[:_MAX_CLASSES_SHOWN]),
            }
            if freqs is not None:
                n_data = int(counts.get(c, n))
                row.update({"n_data": n_data, "issues_estimated": (k / n if n else 0.0) * n_data})
            out.append(row)
        out.sort(key=lambda d: -d["n"])
        return out[:_MAX_CLASSES_SHOWN]


def _model_auc(proba: np.ndarray | None, given: np.ndarray, classes: Any) -> float | None:
    """Out-of-fold ROC AUC of the model against the given labels (one-vs-rest macro for several
    classes); None when it is undefined (one class, no probabilities)."""
    if proba is None or len(given) == 0:
        return None
    from sklearn.metrics import roc_auc_score

    cls = list(classes)
    try:
        if len(cls) == 2:
            return float(roc_auc_score(np.asarray(given) == cls[1], proba[:, 1]))
        return float(roc_auc_score(np.asarray(given), proba, multi_class="ovr", labels=cls))
    except ValueError:
        return None
