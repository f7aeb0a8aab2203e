"""A regression audit on scikit-learn's diabetes data (bundled with scikit-learn, no download).

A ridge regression predicts disease progression one year after baseline; its predictions are
out-of-fold (5-fold ``cross_val_predict``), so every patient is scored by a model that did not see
them. One run of expectations/diabetes_regression.yaml then reports, with tolerances in the
target's units and relative to its spread:

* skew of the target and the features (a continuous target is not judged for "class imbalance");
* bias by sex and age: the target's mean per group, the model's mean error (does it over- or
  under-predict for a group?) and its mean absolute error, each against the largest group;
* slices: MAE and RMSE per slice against the rest (``max_gap`` = 0.1 x the target's SD).

Run:  python examples/diabetes_regression.py --out out
"""

from __future__ import annotations

import argparse
import os
import sys

import datacheck

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.relpath(os.path.join(HERE, "..", "expectations", "diabetes_regression.yaml"))


def scored_frame(seed: int = 0):
    """The diabetes frame (unscaled features) with a ridge model's out-of-fold predictions in ``pred``."""
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold, cross_val_predict

    df = load_diabetes(as_frame=True, scaled=False).frame
    X = df.drop(columns="target")
    df["pred"] = cross_val_predict(Ridge(alpha=1.0), X, df["target"], cv=KFold(5, shuffle=True, random_state=seed))
    return df


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="out", help="directory for the reports")
    args = ap.parse_args(argv)
    df = scored_frame()
    report = datacheck.run(df, SUITE)
    os.makedirs(args.out, exist_ok=True)
    report.to_json(os.path.join(args.out, "diabetes_regression.json"))
    report.to_html(os.path.join(args.out, "diabetes_regression.html"))
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
