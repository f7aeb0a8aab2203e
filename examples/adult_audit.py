"""The second half of `make demo`: a pre-deployment audit of an income model on Adult.

The data is split 70/30 (seeded). A HistGradientBoostingClassifier is trained on the 70% (the
"training data"); its predictions and scores are added to the 30% (the "serving data"). One run of
expectations/adult_audit.yaml then asks, in one report:

* shift: is the serving data still the training distribution? (an untouched random split: it should pass)
* bias: is the model's selection rate, TPR, FPR, PPV, AUC the same for every sex x race group?
* slices / worst_slices: which slices of people is the model worse for?
* label_errors: which income labels look wrong (cleanlab on out-of-fold probabilities)?

Run:  python examples/adult_audit.py --out out
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import pandas as pd

import datacheck
from datacheck.datasets import load_adult

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.relpath(os.path.join(HERE, "..", "expectations", "adult_audit.yaml"))
SEED = 0


def train_and_score(df, seed: int = SEED):
    """(train, serving): the model is fit on train; serving gets `pred` and `score` columns."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import train_test_split

    train, serving = train_test_split(df, test_size=0.3, random_state=seed, stratify=df["income"])
    features = [c for c in df.columns if c not in ("income", "sex", "race")]  # protected attributes left out

    def X(part):
        x = part[features].copy()
        for c in x.columns:
            if not pd.api.types.is_numeric_dtype(x[c]):
                x[c] = x[c].astype("category")
        return x

    clf = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=seed)
    clf.fit(X(train), train["income"] == ">50K")
    serving = serving.copy()
    serving["score"] = clf.predict_proba(X(serving))[:, 1]
    serving["pred"] = np.where(serving["score"] >= 0.5, ">50K", "<=50K")
    return train.reset_index(drop=True), serving.reset_index(drop=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="out")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)

    train, serving = train_and_score(load_adult(raw_missing=False))
    report = datacheck.run(serving, SUITE, reference=train)
    print(report.summary(max_lines=30))
    report.to_json(os.path.join(args.out, "adult_audit.json"))
    report.to_html(os.path.join(args.out, "adult_audit.html"))
    paths = report.save_figures(os.path.join(args.out, "audit_figures"))
    print(
        f"\nJSON report: {args.out}/adult_audit.json\nHTML report: {args.out}/adult_audit.html\n"
        f"figures:     {len(paths)} written to {args.out}/audit_figures"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
