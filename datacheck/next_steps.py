"""One line of "what to do next" for a result that failed or warned, where there is a usual next step.

The report shows it under a failing card and in the text summary. The line is built from what the
result already states (its check, the kind of finding, the worst slice or group it names); it never
recomputes anything, and returns ``None`` where no usual next step exists, rather than a platitude.

Examples
--------
>>> from datacheck.result import Result
>>> r = Result("duplicates", None, "error", "fail", observed={"duplicates": 24})
>>> next_step(r)
'Check the join or append that produced the duplicate rows (row ids in the evidence); drop them with df.drop_duplicates() if they are copies.'
"""

from __future__ import annotations

from typing import Any

__all__ = ["next_step"]


def _obs(r) -> dict[str, Any]:
    return r.observed if isinstance(r.observed, dict) else {}


def _missing(r) -> str | None:
    kind = _obs(r).get("kind")
    col = r.column_label
    if kind == "suspected_sentinel":
        vals = [e.get("value") for e in (r.evidence or []) if isinstance(e, dict) and "value" in e][:3]
        shown = ", ".join(repr(v) for v in vals) or "the value"
        return (
            f"If {shown} means 'unknown' in {col!r}, declare it: missing: {{columns: [{col}], "
            f"sentinels: [{', '.join(map(repr, vals))}]}}; if it is a real value (a top code), "
            "set detect_sentinels: false for this column."
        )
    if kind == "disguised":
        return (
            f"Decide what the placeholder means in {col!r}: convert it to a null at load time "
            "(e.g. na_values=[...]) or declare it as a category the model may see."
        )
    return f"Find where {col!r} loses its values (join keys, optional fields, upstream extract) before imputing."


def _bias(r) -> str | None:
    g = _obs(r).get("worst_group")
    metric = _obs(r).get("metric", "the rate")
    if metric in ("base_rate",):
        return (
            f"The labels themselves differ for {g}: check how the label was collected before blaming the model; "
            "compare selection rates at the same base rate."
        )
    if metric in ("representation", "representation_shift"):
        return f"Compare how {g or 'the group'} was sampled in this data and in the reference; reweight or resample if needed."
    return (
        f"Look at the model's {metric} for {g} in the bias panel; compare it against the reference group "
        "with the same threshold before changing the model."
    )


def _slices(r) -> str | None:
    s = _obs(r).get("worst_slice")
    if not s:
        return None
    q = " and ".join(part.strip() for part in str(s).split(" & "))
    return f"Look at the slice's rows ({q}): their features, labels and the model's errors, before retraining."


_DRIFT = (
    "Compare the column's reference and current distributions in the figure; find the upstream change "
    "(pipeline, source, population) before retraining."
)

_STEPS = {
    "missing": _missing,
    "duplicates": lambda r: (
        "Check the join or append that produced the duplicate rows (row ids in the evidence); "
        "drop them with df.drop_duplicates() if they are copies."
    ),
    "unique": lambda r: f"Find the repeated keys in {r.column_label!r} (evidence) and the step that duplicated them.",
    "outliers": lambda r: (
        f"Look at the most extreme rows of {r.column_label!r} (evidence): data-entry errors, "
        "unit mix-ups or a real heavy tail; clip, fix or widen the fences (k) accordingly."
    ),
    "range": lambda r: f"Look at the rows outside the bounds of {r.column_label!r}: fix the source or the bounds.",
    "allowed_values": lambda r: (
        f"Map the unexpected values of {r.column_label!r} (evidence) to known ones, "
        "or add them to 'values' if they are legitimate."
    ),
    "pattern": lambda r: f"Look at the values of {r.column_label!r} that do not match (evidence) and fix their source.",
    "schema": lambda r: "Compare the data's columns and types with the suite; fix the producer or update the schema.",
    "row_count": lambda r: (
        "Check the extract or filter that produced this many rows (a partial load, a wrong date range)."
    ),
    "skew": lambda r: (
        f"If {r.column_label!r} is a feature, consider a log or rank transform; if it is the label, "
        "use class weights or stratified sampling."
    ),
    "drift": lambda r: _DRIFT,
    "feature_skew": lambda r: _DRIFT,
    "schema_skew": lambda r: "Align the serving schema with training (types, columns) at the feature pipeline.",
    "label_drift": lambda r: (
        "Check whether the label's definition or the population changed; recalibrate the threshold if needed."
    ),
    "prediction_drift": lambda r: (
        "Check the inputs that moved most (shift section) before recalibrating or retraining."
    ),
    "multivariate_drift": lambda r: "Look at the features the domain classifier relies on most; they moved together.",
    "bias": _bias,
    "slices": _slices,
    "worst_slices": _slices,
    "label_errors": lambda r: (
        "Review the flagged rows (evidence, lowest quality first): relabel or drop the wrong ones, then retrain."
    ),
}


def next_step(result) -> str | None:
    """The usual next step for a failing or warning ``result``, or ``None`` (passing, or no usual step).

    Parameters
    ----------
    result : datacheck.result.Result

    Returns
    -------
    str or None
        One line, in the user's terms (columns, slices, groups the result names).

    Examples
    --------
    >>> from datacheck.result import Result
    >>> next_step(Result("missing", "age", "error", "pass")) is None
    True
    """
    if result.status not in ("fail", "warn"):
        return None
    fn = _STEPS.get(result.check)
    if fn is None:
        return None
    try:
        return fn(result)
    except Exception:  # noqa: BLE001 - a hint must never cost the reader the report
        return None
