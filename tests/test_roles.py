"""One rule for roles and groupings (datacheck.roles): bias, slices, worst_slices and label_errors
agree on the positive label and on the groups of the same attribute for the same suite."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import datacheck
from datacheck.context import MetricUnavailable
from datacheck.roles import positive_label


def _data(n: int = 3000) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], n),
            "age": rng.integers(18, 80, n).astype(float),
            "grade": rng.integers(1, 6, n),
            "x": rng.normal(size=n),
        }
    )
    # "approved" is the larger class and the later in text order: the old bias rule (the larger
    # of two values by text) and the slices rule (the less frequent) would disagree on "zapproved"
    df["y"] = np.where(rng.random(n) < 0.7, "zapproved", "denied")
    flip = rng.random(n) < 0.2
    df["p"] = np.where(flip, np.where(df.y == "zapproved", "denied", "zapproved"), df.y)
    df["s"] = np.clip(np.where(df.p == "denied", 0.7, 0.3) + rng.normal(0, 0.1, n), 0, 1)
    return df


SUITE = {
    "name": "agree",
    "dataset": {"label": "y", "prediction": "p", "scores": ["s"], "protected": ["sex", "age", "grade"]},
    "checks": [
        {"bias": {"metrics": ["tpr"], "min_group_size": 1}},
        {"slices": {"metrics": ["recall"], "min_support": 1}},
        {"worst_slices": {"metric": "log_loss", "features": ["sex", "age", "grade"], "max_depth": 1}},
        {"label_errors": {"model": "scores"}},
    ],
}


def _by_check(rep) -> dict[str, list]:
    out: dict[str, list] = {}
    for r in rep.results:
        out.setdefault(r.check, []).append(r)
    return out


def _age_groups(rep) -> dict[str, set[str]]:
    res = _by_check(rep)
    bias = {g["group"].removeprefix("age=") for r in res["bias"] for g in (r.details or {}).get("groups", [])}
    slices = {
        v
        for r in res["slices"]
        for s in (r.details or {}).get("slices", [])
        if s["columns"] == ["age"]
        for v in s["values"]
    }
    errors = {g["group"] for r in res["label_errors"] for g in r.details["subgroups"] if g["attribute"] == "age"}
    worst = {
        p["value"]
        for r in res["worst_slices"]
        for s in r.details["slices"]
        for p in s["predicates"]
        if p["column"] == "age"
    }
    return {
        "bias": {g for g in bias if g.startswith(("[", "(", "="))},
        "slices": slices,
        "label_errors": errors,
        "worst_slices": worst,
    }


def test_families_agree_on_positive_label_and_groups():
    rep = datacheck.run(_data(), SUITE)
    res = _by_check(rep)
    assert all(r.status != "error" for r in rep.results), [(r.check, r.message) for r in rep.results]
    positives = {
        "bias": {r.details["positive_label"] for r in res["bias"] if r.details and "positive_label" in r.details},
        "slices": {r.details["positive_label"] for r in res["slices"]},
        "worst_slices": {r.details["positive_label"] for r in res["worst_slices"]},
        "label_errors": {r.details["positive_label"] for r in res["label_errors"]},
    }
    assert all(v == {"denied"} for v in positives.values()), positives  # the less frequent label value
    groups = _age_groups(rep)
    four_bins = groups["bias"]
    assert len(four_bins) == 4 and groups["slices"] == four_bins and groups["label_errors"] == four_bins
    assert groups["worst_slices"] <= four_bins and groups["worst_slices"]
    # a numeric attribute with few values is grouped by its values in every family
    grade_bias = {
        g["group"] for r in res["bias"] for g in (r.details or {}).get("groups", []) if g["dimension"] == "grade"
    }
    assert grade_bias == {f"grade={i}" for i in range(1, 6)}
    grade_errors = {g["group"] for g in res["label_errors"][0].details["subgroups"] if g["attribute"] == "grade"}
    assert grade_errors == {str(i) for i in range(1, 6)}


def test_positive_label_given_overrides_everywhere():
    suite = {**SUITE, "dataset": {**SUITE["dataset"], "positive_label": "zapproved"}}
    res = _by_check(datacheck.run(_data(), suite))
    for check in ("slices", "worst_slices", "label_errors"):
        assert {r.details["positive_label"] for r in res[check]} == {"zapproved"}, check
    assert {r.details["positive_label"] for r in res["bias"] if r.details and "positive_label" in r.details} == {
        "zapproved"
    }


def test_a_check_parameter_overrides_for_that_check_only():
    suite = {**SUITE, "checks": [{"bias": {"metrics": ["tpr"], "positive_label": "zapproved"}}, *SUITE["checks"][1:2]]}
    res = _by_check(datacheck.run(_data(), suite))
    assert {r.details["positive_label"] for r in res["bias"] if r.details and "positive_label" in r.details} == {
        "zapproved"
    }
    assert {r.details["positive_label"] for r in res["slices"]} == {"denied"}


def test_positive_label_rule():
    assert positive_label({"denied": 30, "approved": 70})[0] == "denied"  # less frequent
    assert positive_label({"b": 5, "a": 5})[0] == "a"  # tie: first in text order
    assert positive_label({0: 80, 1: 20})[0] == 1 and positive_label({False: 1, True: 9})[0] is True
    assert positive_label({0: 10})[0] == 1  # only negatives: 1 is still the positive label
    assert positive_label({"No": 9, "Yes": 1})[0] == "Yes"
    assert positive_label({"only": 3}) == ("only", "inferred: the only label value")
    assert positive_label({"a": 1, "b": 1, "c": 1})[0] is None
    assert positive_label({0: 5, 1: 5}, "0")[0] == 0  # matched by its text
    assert positive_label({}, "x")[0] == "x"  # no labels: taken as given
    with pytest.raises(MetricUnavailable, match="not a value"):
        positive_label({"a": 1, "b": 2}, "c")
