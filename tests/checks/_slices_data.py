"""Adult with a real model's predictions, shared by the slices tests (trained once per process)."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

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


@functools.lru_cache(maxsize=1)
def adult_scored() -> pd.DataFrame:
    """The held-out half of Adult with ``pred`` (label text), ``score`` (P(>50K)) from a
    HistGradientBoostingClassifier trained on the other half. Copy before modifying."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from datacheck.datasets import load_adult

    df = load_adult(raw_missing=False)
    X = df[FEATURES].copy()
    for c in X.columns:
        if X[c].dtype == object or str(X[c].dtype).startswith("str"):
            X[c] = X[c].astype("category")
    y = (df["income"] == ">50K").to_numpy()
    rng = np.random.default_rng(0)
    train = rng.random(len(df)) < 0.5
    clf = HistGradientBoostingClassifier(max_iter=60, categorical_features="from_dtype", random_state=0)
    clf.fit(X[train], y[train])
    test = df[~train].reset_index(drop=True).copy()
    proba = clf.predict_proba(X[~train])[:, 1]
    test["score"] = proba
    test["pred"] = np.where(proba >= 0.5, ">50K", "<=50K")
    return test


def plant_weak_slice(df: pd.DataFrame, fraction: float = 0.4, seed: int = 1) -> pd.DataFrame:
    """Flip ``fraction`` of the predictions of sex=Female & race=Black (a copy)."""
    out = df.copy()
    rng = np.random.default_rng(seed)
    weak = ((out["sex"] == "Female") & (out["race"] == "Black")).to_numpy()
    flip = weak & (rng.random(len(out)) < fraction)
    out.loc[flip, "pred"] = np.where(out.loc[flip, "pred"] == ">50K", "<=50K", ">50K")
    return out
