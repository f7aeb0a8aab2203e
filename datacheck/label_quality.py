"""Label quality: out-of-fold model predictions scored by cleanlab, for the check and for notebooks.

This module (with :mod:`datacheck.label_model` and :mod:`datacheck.label_subgroups`) is the one
code path behind the ``label_errors`` check (and so behind :func:`datacheck.label_issues`, which
runs that check):

1. rows come from a bounded, seeded sample (:func:`sample_kernel`): every row when the data has
   at most ``max_rows`` rows, else a stratified sample by label (:class:`StratifiedSample`);
2. out-of-sample predictions come from stratified K-fold cross-validation of a scikit-learn
   ``HistGradientBoostingClassifier`` (categoricals handled natively), from an estimator the
   caller passes, or from probability columns already in the data;
3. cleanlab finds and scores the issues: :func:`cleanlab.filter.find_label_issues` and
   :func:`cleanlab.rank.get_label_quality_scores` (classification), or
   :class:`cleanlab.regression.learn.CleanLearning` (regression labels).

Examples
--------
>>> import datacheck                                                    # doctest: +SKIP
>>> from sklearn.datasets import load_breast_cancer                     # doctest: +SKIP
>>> df = load_breast_cancer(as_frame=True).frame                        # doctest: +SKIP
>>> ranked = datacheck.label_issues(df, label="target", progress=False) # doctest: +SKIP
>>> list(ranked.columns[:5])                                            # doctest: +SKIP
['row', 'given_label', 'suggested_label', 'quality', 'is_issue']
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacheck.context import MetricUnavailable
from datacheck.kernels.base import logical_type
from datacheck.kernels.sample import Sample
from datacheck.kernels.stratified import StratifiedSample
from datacheck.label_model import (
    HoldsEmptyColumns,
    _describe_estimator,
    _dropped_note,
    _numeric,
    _sort_classes,
    _threads,
    default_classifier,
    default_regressor,
    encode_features,
    out_of_fold_proba,
)
from datacheck.label_subgroups import weighted_share
from datacheck.roles import positive_label
from datacheck.stats import wilson_interval

__all__ = [
    "LabelQuality",
    "LabelQualityError",
    "assess",
    "sample_kernel",
    "sample_weights",
    "infer_task",
    "choose_positive",
    "weighted_share",
    "FILTER_METHODS",
    "SCORE_METHODS",
]

#: ``filter_by`` methods of :func:`cleanlab.filter.find_label_issues`
FILTER_METHODS = (
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
    "low_normalized_margin",
    "low_self_confidence",
)
#: ``method`` values of :func:`cleanlab.rank.get_label_quality_scores`
SCORE_METHODS = ("self_confidence", "normalized_margin", "confidence_weighted_entropy")


class LabelQualityError(ValueError):
    """The labels or inputs cannot be assessed (one class, no features, ...); the message says why."""


@dataclass
class LabelQuality:
    """What the assessment found, one entry per scored row (aligned arrays).

    Attributes
    ----------
    task : {'classification', 'regression'}
    rows : ndarray of int64
        Row positions in the data.
    given, suggested : ndarray
        The given label and the model's label (class with the highest out-of-sample probability,
        or the out-of-sample prediction for regression).
    quality : ndarray of float
        cleanlab's label quality score in [0, 1]; low means likely wrong.
    is_issue : ndarray of bool
        cleanlab's verdict per row.
    proba : ndarray or None
        Out-of-sample class probabilities (rows x classes), classification only.
    classes : list or None
        The class values, in the column order of ``proba``.
    table : pyarrow.Table
        The scored rows (features, label, protected and slice columns, ``__row__``).
    """

    task: str
    rows: np.ndarray
    given: np.ndarray
    suggested: np.ndarray
    quality: np.ndarray
    is_issue: np.ndarray
    proba: np.ndarray | None
    classes: list | None
    table: pa.Table
    features: list[str] = field(default_factory=list)
    dropped_features: dict[str, str] = field(default_factory=dict)
    excluded: dict[str, Any] = field(default_factory=dict)
    model: str = ""
    notes: list[str] = field(default_factory=list)
    cleanlab_estimate: int | None = None
    #: per-row weights (rows of the data each scored row stands for) when the rows are a
    #: stratified sample with unequal class sampling rates; None when every row counts once
    weights: np.ndarray | None = None
    #: the class a single probability column is for (:func:`datacheck.roles.positive_label`)
    positive_label: Any = None

    @property
    def n(self) -> int:
        return int(self.rows.size)

    @property
    def count(self) -> int:
        """Flagged rows among the scored rows (unweighted)."""
        return int(self.is_issue.sum())

    @property
    def fraction(self) -> float:
        """Estimated share of label issues in the data: the weighted share when ``weights`` are set
        (a stratified sample that over-represents small classes), else flagged / scored rows."""
        return weighted_share(self.is_issue, self.weights)[0]

    @property
    def n_effective(self) -> float:
        """Kish's effective sample size of the weighted share (``n`` when unweighted)."""
        return weighted_share(self.is_issue, self.weights)[1]

    def p_given(self) -> np.ndarray | None:
        """Out-of-sample probability of the given label (classification)."""
        if self.proba is None or self.classes is None:  # both set for classification, neither otherwise
            return None
        idx = {c: i for i, c in enumerate(self.classes)}
        codes = np.array([idx[v] for v in self.given])
        return self.proba[np.arange(self.n), codes]


# -- which rows --------------------------------------------------------------------------------


def infer_task(label_type: pa.DataType, freqs: dict | None, task: str | None, max_classes: int) -> tuple[str, str]:
    """Classification or regression, and why (for the report).

    ``freqs`` is the label's :class:`~datacheck.kernels.Frequencies` value (or None).
    """
    if task in ("classification", "regression"):
        return task, f"dataset.task is {task}"
    kind = logical_type(label_type)
    distinct = None if freqs is None or not freqs.get("exact") else len(freqs["counts"])
    if kind in ("integer", "float"):
        integral = freqs is not None and all(float(v).is_integer() for v in freqs["counts"]) if freqs else False
        if distinct is not None and distinct <= max_classes and (kind == "integer" or integral):
            return "classification", f"numeric label with {distinct} distinct value(s)"
        return "regression", (
            "numeric label with "
            + (f"{distinct:,}" if distinct is not None else "many")
            + f" distinct values (more than max_classes={max_classes}, or not whole numbers)"
        )
    return "classification", f"{kind} label"


def sample_kernel(
    columns: Sequence[str],
    label: str,
    n_rows: int,
    freqs: dict | None,
    *,
    max_rows: int,
    seed: int,
    folds: int,
    stratify: bool,
) -> tuple[Any, str]:
    """The kernel that brings the rows in, and a phrase saying how they were chosen.

    Every row when ``n_rows <= max_rows`` (a :class:`Sample` of ``max_rows``); else a stratified
    sample by label with proportional quotas (each class keeps at least ``min(count, 2 * folds)``
    rows), or a uniform sample for regression labels and labels whose counts are not exact.
    """
    columns = tuple(dict.fromkeys((*columns, label)))
    if n_rows <= max_rows:
        return Sample(columns, k=max_rows, seed=seed), f"all {n_rows:,} rows"
    if not stratify or freqs is None or not freqs.get("exact") or not freqs["counts"]:
        return (
            Sample(columns, k=max_rows, seed=seed),
            f"a seeded uniform sample of {max_rows:,} of {n_rows:,} rows (seed {seed})",
        )
    counts = freqs["counts"]
    total = sum(counts.values())
    quotas = []
    for value, c in counts.items():
        q = max(int(round(max_rows * c / total)), min(c, 2 * folds))
        quotas.append((value, min(c, q)))
    kept = sum(q for _, q in quotas)
    return (
        StratifiedSample(columns, by=label, quotas=tuple(quotas), seed=seed),
        f"a seeded sample of {kept:,} of {n_rows:,} rows stratified by {label!r} (seed {seed})",
    )


def sample_weights(kernel: Any, freqs: dict | None) -> dict | None:
    """Class weights ``{value: count in the data / rows kept}`` of a :class:`StratifiedSample`
    (None for every other kernel, or when every class is kept at the same rate).

    The quotas keep at least ``2 * folds`` rows of each class, so small classes are sampled at a
    higher rate than large ones; weighting each scored row by the rows of its class it stands for
    turns shares computed on the sample into estimates for the whole data.

    >>> from datacheck.kernels.stratified import StratifiedSample
    >>> k = StratifiedSample(("x",), by="y", quotas=(("a", 90), ("b", 10)))
    >>> sample_weights(k, {"counts": {"a": 990, "b": 10}})
    {'a': 11.0, 'b': 1.0}
    """
    if not isinstance(kernel, StratifiedSample) or not freqs:
        return None
    counts = freqs.get("counts") or {}
    w = {v: counts[v] / q for v, q in kernel.quotas if q > 0 and v in counts}
    if not w or max(w.values()) - min(w.values()) <= 1e-9 * max(w.values()):
        return None
    return w


def confident_disagreement(
    proba: np.ndarray,
    given: np.ndarray,
    classes: Sequence[Any],
    *,
    share: float = 0.1,
    min_rows: int = 20,
    judge_rows: int = 50,
    min_confidence: float = 0.8,
    per_class_evidence: bool = False,
    weights: np.ndarray | None = None,
) -> dict:
    """Label-noise estimate: how often the given label disagrees with the model where it is most sure.

    The ``share`` of the rows (at least ``min_rows``) with the highest out-of-fold top-class
    probability, among rows predicted with at least ``min_confidence``, form the *confident
    region*; its disagreement is also reported per predicted class. (Judging each predicted class's
    own top rows was tried: it catches flips confined to the minority class better, but on hard
    tasks the minority's "confident" rows are where the model is overconfident, and clean credit
    and arrest tables then failed in most splits.)
    If a share ``e`` of labels were flipped independently of the features, the disagreement in any
    region is ``e + (1 - 2e) * err`` >= ``e`` (binary; ``err`` = the clean error there), so the
    disagreement in the region where the clean error is smallest is an upper-bound estimate of ``e``
    that hard-but-clean rows elsewhere do not inflate -- unlike cleanlab's flagged share, which
    counts every hard example. When the model is not reliably right anywhere (a weak task) the
    estimate stays high on clean labels: noise and difficulty cannot then be told apart.

    Parameters
    ----------
    proba : ndarray (rows x classes)
        Out-of-fold probabilities.
    given : ndarray
        The given labels (values of ``classes``).
    classes : sequence
        Class values in the column order of ``proba``.
    share : float
        Share of the rows in the confident region.
    min_rows : int
        Smallest region (all confident rows when there are fewer).
    min_confidence : float
        Rows predicted with a lower top-class probability are never in the region.
    per_class_evidence : bool
        Also let the per-class rates decide ``lower`` (more power for one-sided flips, more false
        alarms on hard tasks).
    judge_rows : int
        A predicted class's region enters the per-class evidence only with at least this many rows.
    weights : ndarray, optional
        Row weights (a stratified sample); shares are then weighted, n is Kish's effective size.

    Returns
    -------
    dict
        ``rate``, ``n`` (effective), ``rows`` (in the region), ``disagree`` (rows), ``confidence``
        (the model's mean top probability there), ``interval`` (Wilson 95%), ``per_class`` (each with
        a Wilson interval at level ``1 - 0.05 / classes``), ``worst_class`` and ``lower``: the larger
        of the pooled lower bound and the largest per-class lower bound -- the verdict's evidence.

    Examples
    --------
    >>> import numpy as np
    >>> p = np.array([[0.99, 0.01]] * 50 + [[0.02, 0.98]] * 50)
    >>> y = np.array(["a"] * 45 + ["b"] * 5 + ["b"] * 50)
    >>> round(confident_disagreement(p, y, ["a", "b"], share=1.0)["rate"], 2)
    0.05
    """
    proba = np.asarray(proba, dtype=float)
    idx = {c: i for i, c in enumerate(classes)}
    codes = np.array([idx[v] for v in given], dtype=np.int64)
    pred = proba.argmax(axis=1)
    top = proba.max(axis=1)
    region = np.zeros(len(codes), dtype=bool)
    per_class = []
    members = np.flatnonzero(top >= min_confidence)
    take = min(members.size, max(min_rows, int(np.ceil(share * len(codes)))))
    region[members[np.argsort(-top[members], kind="stable")[:take]]] = True
    for k, c in enumerate(classes):
        chosen = np.flatnonzero(region & (pred == k))
        if not chosen.size:
            continue
        dis = codes[chosen] != k
        per_class.append(
            {
                "predicted": c,
                "rows": int(chosen.size),
                "disagree": int(dis.sum()),
                "rate": float(dis.mean()),
                "confidence": float(top[chosen].mean()),
                "min_confidence": float(top[chosen].min()),
            }
        )
    # per predicted class, for the report (Bonferroni-corrected intervals); with ``per_class_evidence``
    # the largest lower bound among classes with at least ``judge_rows`` rows in the region also counts
    level = 1 - 0.05 / max(len(per_class), 1)
    for cls_row in per_class:
        cls_row["interval"] = wilson_interval(cls_row["disagree"], cls_row["rows"], level)
        cls_row["judged"] = cls_row["rows"] >= judge_rows
    dis_all = (codes != pred) & region
    w = None if weights is None else np.asarray(weights, dtype=float)[region]
    rate, n_eff = weighted_share(dis_all[region], w)
    lo, hi = wilson_interval(rate * n_eff, n_eff) if n_eff else (float("nan"), float("nan"))
    conf = float(top[region].mean()) if region.any() else float("nan")
    judged = [pc for pc in per_class if pc["judged"]]
    worst = max(judged, key=lambda d: d["interval"][0]) if judged else None
    lower = max(lo, worst["interval"][0]) if (worst and per_class_evidence) else lo
    return {
        "rate": rate,
        "n": n_eff,
        "rows": int(region.sum()),
        "disagree": int(dis_all.sum()),
        "confidence": conf,
        "interval": (lo, hi),
        "lower": lower,
        "worst_class": worst,
        "share": share,
        "per_class": per_class,
    }


def choose_positive(counts: dict, given: Any = None) -> tuple[Any, str]:
    """The class a single binary score column is the probability of, and how it was chosen.

    The rule of every family, :func:`datacheck.roles.positive_label`: ``given``
    (``dataset.positive_label``) matched by value or by its text; else ``True``/``1``/"yes"-like;
    else the less frequent class. A ``given`` that is no class raises :class:`LabelQualityError` --
    never a silent fallback.

    >>> choose_positive({"<=50K": 80, ">50K": 20})
    ('>50K', "inferred: the less frequent label value '>50K'; set dataset.positive_label to choose")
    >>> choose_positive({0: 30, 1: 70})[0]
    1
    """
    try:
        pos, how = positive_label(counts, given)
    except MetricUnavailable:
        classes = _sort_classes(list(counts))
        close = [c for c in classes if str(c).strip().lower() == str(given).strip().lower()]
        raise LabelQualityError(
            f"positive_label {given!r} (dataset.positive_label) is not a class of the label; classes: "
            + ", ".join(map(repr, classes[:10]))
            + (f" (did you mean {close[0]!r}?)" if close else "")
            + "; a single probability column needs to know which class it is for"
        ) from None
    if pos is None:
        raise LabelQualityError(
            f"cannot tell which class a single probability column is for (classes: {list(counts)[:10]})"
        )
    return pos, how.replace("dataset.positive_label", f"positive_label {given!r}") if given is not None else how


def assess(
    table: pa.Table,
    label: str,
    *,
    features: Sequence[str] = (),
    task: str = "classification",
    estimator: Any = None,
    score_columns: Sequence[str] = (),
    positive_label: Any = None,
    folds: int = 5,
    seed: int = 0,
    filter_by: str = "prune_by_noise_rate",
    score_method: str = "self_confidence",
    max_classes: int = 50,
    progress: bool | None = None,
    threads: int | None = 1,
    class_weights: dict | None = None,
) -> LabelQuality:
    """Score every label in ``table`` with cleanlab on out-of-sample predictions.

    Parameters
    ----------
    table : pyarrow.Table
        The rows to assess: the label, the feature (or score) columns, and ``__row__`` (row
        positions; ``0..n-1`` is assumed when absent).
    label : str
    features : sequence of str
        Feature columns for the model (ignored when ``score_columns`` are given).
    task : {'classification', 'regression'}
    estimator : scikit-learn estimator, optional
        Replaces the default HistGradientBoosting model; it is cloned and fitted per fold on a
        pandas DataFrame of the feature columns (classification; it needs ``predict_proba``) or on
        the encoded float matrix (regression).
    score_columns : sequence of str
        Out-of-sample probabilities already in the data: one column (binary: the probability of
        ``positive_label``; without it the class ``True``/``1``/"yes"-like, else the less frequent
        class -- the rule of the ``slices`` and ``bias`` checks, see :func:`choose_positive`) or
        one per class in sorted class order.
    positive_label : optional
        The class whose probability a single score column holds (matched by value or by its text);
        a value that is not a class raises :class:`LabelQualityError`.
    folds, seed : int
    filter_by, score_method : str
        Passed to cleanlab (see :data:`FILTER_METHODS`, :data:`SCORE_METHODS`).
    max_classes : int
        Labels with more distinct values are refused (high-cardinality labels).
    progress : bool or None
        Progress bar over folds; None shows it only on a terminal.
    threads : int or None
        OpenMP/BLAS threads for the fits (default 1; None leaves the libraries' defaults).
    class_weights : dict, optional
        ``{class: weight}`` (see :func:`sample_weights`) when ``table`` is a stratified sample; the
        estimated share (``LabelQuality.fraction``) is then weighted by class.

    Returns
    -------
    LabelQuality

    Raises
    ------
    LabelQualityError
        One class, no usable rows or features, too many classes, bad score columns.
    """
    if "__row__" not in table.column_names:
        table = table.append_column("__row__", pa.array(np.arange(table.num_rows, dtype=np.int64)))
    excluded: dict[str, Any] = {}
    notes: list[str] = []
    lab = table.column(label)
    if pa.types.is_dictionary(lab.type):
        lab = lab.cast(lab.type.value_type)
    valid = ~np.asarray(lab.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    if logical_type(lab.type) in ("float", "integer"):
        lv = np.asarray(pc.cast(lab, pa.float64(), safe=False).to_numpy(zero_copy_only=False), dtype=float)
        valid &= ~np.isnan(lv)  # NaN is missing, as everywhere in datacheck
        if task == "regression":
            valid &= np.isfinite(lv)
    if (~valid).sum():
        excluded["missing_label"] = int((~valid).sum())
        notes.append(f"{int((~valid).sum()):,} row(s) with a missing label were not scored")
    if score_columns:
        for c in score_columns:
            v = _numeric(table.column(c))
            valid &= np.isfinite(v)
        n_bad = int((~valid).sum()) - excluded.get("missing_label", 0)
        if n_bad:
            excluded["missing_scores"] = n_bad
            notes.append(f"{n_bad:,} row(s) with missing probability values were not scored")
    table = table.filter(pa.array(valid))
    if table.num_rows == 0:
        raise LabelQualityError(f"no rows with a label in column {label!r} to assess")
    lab = table.column(label)
    if pa.types.is_dictionary(lab.type):
        lab = lab.cast(lab.type.value_type)

    if task == "regression":
        return _assess_regression(table, label, lab, features, estimator, folds, seed, excluded, notes, threads)

    given_all = np.asarray(lab.to_pylist(), dtype=object)
    vc = pc.value_counts(lab)
    counts = dict(zip(vc.field("values").to_pylist(), vc.field("counts").to_pylist()))
    if len(counts) > max_classes:
        raise LabelQualityError(
            f"label {label!r} has {len(counts):,} distinct values, more than max_classes={max_classes}: "
            "a label with this many classes is not assessed (raise max_classes, or set dataset.task: "
            "regression for a numeric target)"
        )
    if len(counts) < 2:
        only = next(iter(counts)) if counts else None
        raise LabelQualityError(
            f"label {label!r} has a single class ({only!r}); label errors need at least two classes"
        )
    min_rows = folds if not score_columns else 1
    rare = {k: int(v) for k, v in counts.items() if v < min_rows}
    if rare:
        excluded["rare_classes"] = {str(k): v for k, v in rare.items()}
        notes.append(
            f"class(es) with fewer rows than folds ({folds}) were not scored: "
            + ", ".join(f"{k!r} ({v})" for k, v in rare.items())
        )
        keep = np.array([v not in rare for v in given_all])
        table = table.filter(pa.array(keep))
        given_all = given_all[keep]
        if len(counts) - len(rare) < 2:
            raise LabelQualityError(
                f"label {label!r}: fewer than two classes have at least {folds} rows (the number of folds); "
                f"class counts: {dict(list(counts.items())[:10])}"
            )
    classes = _sort_classes([k for k in counts if k not in rare])
    code_of = {c: i for i, c in enumerate(classes)}
    y = np.fromiter((code_of[v] for v in given_all), dtype=np.int64, count=len(given_all))
    K = len(classes)
    used: list[str] = []
    dropped: dict[str, str] = {}

    pos = None
    if score_columns:
        P = np.column_stack([_numeric(table.column(c)) for c in score_columns])
        if P.min() < 0 or P.max() > 1:
            raise LabelQualityError(f"probability columns {list(score_columns)} must hold values in [0, 1]")
        if P.shape[1] == 1 and K == 2:
            # class counts of the data (a stratified sample keeps small classes at higher rates)
            w = class_weights or {}
            pos, pos_how = choose_positive({c: counts[c] * w.get(c, 1.0) for c in classes}, positive_label)
            p = P[:, 0]
            proba = np.column_stack([1 - p, p]) if code_of[pos] == 1 else np.column_stack([p, 1 - p])
            model = f"probabilities of {pos!r} from column {score_columns[0]!r} ({pos_how})"
        elif P.shape[1] == K:
            s = P.sum(axis=1, keepdims=True)
            if np.any(np.abs(s - 1) > 1e-3):
                notes.append("probability rows did not sum to 1 and were normalised")
            proba = P / np.where(s > 0, s, 1)
            model = f"probabilities from columns {list(score_columns)} (classes in sorted order {classes})"
        else:
            raise LabelQualityError(
                f"{len(score_columns)} probability column(s) {list(score_columns)} do not match the {K} classes "
                f"{classes[:10]}: give one column (binary) or one per class in sorted class order"
            )
    else:
        X, mask, used, dropped = encode_features(table, features)
        if not used:
            raise LabelQualityError(
                "no usable feature columns for the model"
                + (f" (dropped: {dropped})" if dropped else "")
                + "; name them with `features`, or give probability columns"
            )
        if dropped:
            notes.append(_dropped_note(dropped))
        if estimator is None:
            est, Xin = default_classifier(mask, seed), X
            model = f"{folds}-fold out-of-fold HistGradientBoostingClassifier on {len(used)} feature(s)"
        else:
            est, Xin = estimator, table.select(used).to_pandas()
            model = f"{folds}-fold out-of-fold {_describe_estimator(estimator)} (given) on {len(used)} feature(s)"
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The least populated class")
            proba = out_of_fold_proba(Xin, y, K, est, folds, seed, progress, threads)
        s = proba.sum(axis=1, keepdims=True)
        proba = proba / np.where(s > 0, s, 1)

    import cleanlab.count
    import cleanlab.filter
    import cleanlab.rank

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cleanlab's advice about small classes is in our notes
        is_issue = np.asarray(
            cleanlab.filter.find_label_issues(labels=y, pred_probs=proba, filter_by=filter_by, n_jobs=1), dtype=bool
        )
        quality = np.asarray(cleanlab.rank.get_label_quality_scores(y, proba, method=score_method), dtype=float)
        try:
            estimate = int(cleanlab.count.num_label_issues(labels=y, pred_probs=proba))
        except Exception:  # pragma: no cover - the estimate is an extra, never a reason to fail
            estimate = None
    suggested = np.asarray([classes[i] for i in proba.argmax(axis=1)], dtype=object)
    weights = None
    if class_weights:
        weights = np.array([float(class_weights.get(v, 1.0)) for v in given_all])
        notes.append(
            "rates are weighted estimates for the whole data from a stratified sample "
            "(each class weighted by its rows in the data / rows sampled)"
        )
    return LabelQuality(
        task="classification",
        rows=table.column("__row__").to_numpy().astype(np.int64),
        given=given_all,
        suggested=suggested,
        quality=quality,
        is_issue=is_issue,
        proba=proba,
        classes=list(classes),
        table=table,
        features=list(used),
        dropped_features=dropped,
        excluded=excluded,
        model=model,
        notes=notes,
        cleanlab_estimate=estimate,
        weights=weights,
        positive_label=pos,
    )


def _assess_regression(table, label, lab, features, estimator, folds, seed, excluded, notes, threads) -> LabelQuality:
    from cleanlab.regression.learn import CleanLearning

    y = np.asarray(pc.cast(lab, pa.float64(), safe=False).to_numpy(zero_copy_only=False), dtype=float)
    if np.unique(y).size < 2:
        raise LabelQualityError(f"label {label!r} has a single value ({y[0]!r}); nothing to assess")
    if len(y) < 2 * folds:
        raise LabelQualityError(f"label {label!r}: {len(y)} rows are too few for {folds}-fold cross-validation")
    X, mask, used, dropped = encode_features(table, features)
    if not used:
        raise LabelQualityError(
            "no usable feature columns for the model"
            + (f" (dropped: {dropped})" if dropped else "")
            + "; name them with `features`"
        )
    if dropped:
        notes.append(_dropped_note(dropped))
    est = default_regressor(mask, seed) if estimator is None else estimator
    state = np.random.get_state()  # CleanLearning seeds numpy's global generator; leave it as we found it
    try:
        cl = CleanLearning(model=HoldsEmptyColumns(est), cv_n_folds=folds, n_boot=0, seed=seed)
        with warnings.catch_warnings(), _threads(threads):
            warnings.simplefilter("ignore")
            df = cl.find_label_issues(X, y, fine_search_size=0)
    finally:
        np.random.set_state(state)
    return LabelQuality(
        task="regression",
        rows=table.column("__row__").to_numpy().astype(np.int64),
        given=y,
        suggested=df["predicted_label"].to_numpy(dtype=float),
        quality=df["label_quality"].to_numpy(dtype=float),
        is_issue=df["is_label_issue"].to_numpy(dtype=bool),
        proba=None,
        classes=None,
        table=table,
        features=used,
        dropped_features=dropped,
        excluded=excluded,
        model=f"cleanlab CleanLearning (regression, {folds}-fold, {type(est).__name__}, issue share chosen by R²)",
        notes=notes,
        cleanlab_estimate=None,
    )
