"""Slice a model's metrics on real data, then let SliceLine find the worst slices.

Trains a HistGradientBoostingClassifier on half of the UCI Adult census extract (shipped in
mglearn; no network), predicts the other half, and runs expectations/adult_slices.yaml on it:
accuracy, recall and ROC AUC by sex, race, sex x race and age quartiles against the rest of the
data, and the top-5 SliceLine slices of the error. With ``--plant`` it first flips half the
predictions of sex=Female & race=Black, to show that both halves find a planted weak slice.

Run:  python examples/slices_adult.py [--plant] [--out out]
"""

from __future__ import annotations

import argparse
import os

import numpy as np
import pandas as pd

import datacheck
from datacheck.datasets import load_adult

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.join(HERE, "..", "expectations", "adult_slices.yaml")
FEATURES = [
    "age",
    "workclass",
    "education-num",
    "marital-status",
    "occupation",
    "relationship",
    "race",
    "sex",
    "capital-gain",
    "capital-loss",
    "hours-per-week",
]


def scored_adult(seed: int = 0):
    """The held-out half of Adult with the model's `pred` and `score` columns."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    df = load_adult(raw_missing=False)
    X = df[FEATURES].copy()
    for c in X.columns:
        if not pd.api.types.is_numeric_dtype(X[c]):
            X[c] = X[c].astype("category")
    y = (df["income"] == ">50K").to_numpy()
    train = np.random.default_rng(seed).random(len(df)) < 0.5
    clf = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=seed).fit(X[train], y[train])
    test = df[~train].reset_index(drop=True)
    test["score"] = clf.predict_proba(X[~train])[:, 1]
    test["pred"] = np.where(test["score"] >= 0.5, ">50K", "<=50K")
    return test


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plant", action="store_true", help="flip half the predictions of Black women first")
    ap.add_argument("--out", default="out")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)

    df = scored_adult()
    if args.plant:
        rng = np.random.default_rng(1)
        weak = ((df["sex"] == "Female") & (df["race"] == "Black")).to_numpy() & (rng.random(len(df)) < 0.5)
        df.loc[weak, "pred"] = np.where(df.loc[weak, "pred"] == ">50K", "<=50K", ">50K")

    report = datacheck.run(df, SUITE)
    print(report.summary())

    # the same numbers as tidy frames, for a notebook
    t = datacheck.slice_metrics(df, by=[["sex", "race"]], metrics=["accuracy"], label="income", prediction="pred")
    print("\naccuracy by sex x race (worst first):")
    print(
        t[["slice", "support", "value", "ci_low", "ci_high", "complement", "gap", "q", "status"]]
        .head(6)
        .to_string(index=False)
    )
    top = datacheck.find_slices(df, label="income", prediction="pred", features=FEATURES, max_depth=3)
    print("\nSliceLine top slices:")
    print(top[["slice", "support", "error", "complement_error", "score", "p_adj"]].to_string(index=False))

    from datacheck.figures.slices import slice_forest, slice_heatmap, worst_slices_bars

    for fn in (slice_forest, slice_heatmap, worst_slices_bars):
        ax = fn(report)
        path = os.path.join(args.out, f"adult_{fn.__name__}.png")
        ax.figure.savefig(path, dpi=110, bbox_inches="tight")
        print(f"figure: {path}")
    report.to_json(os.path.join(args.out, "adult_slices_report.json"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
