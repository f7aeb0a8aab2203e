"""Bias audit of the Adult census data by sex, race and sex x race, before and after a model.

1. The data alone: each group's share (against expected population shares), the label base rate
   per group, and the missing rate of workclass / occupation / native-country per group.
2. A HistGradientBoostingClassifier (seeded) trained on a 70% split; on the held-out 30%: selection
   rate (demographic parity, four-fifths rule), TPR / FPR / FNR / PPV, equal opportunity and
   equalized odds, and ROC AUC per group -- every rate with a 95% interval, every comparison with
   the largest group tested and Benjamini-Hochberg corrected.

Run:  python examples/bias_adult.py --out out
Data: mglearn's copy of UCI Adult (no network). Takes under a minute on 2 cores (mostly the model).
"""

from __future__ import annotations

import argparse
import os

import numpy as np

import datacheck
from datacheck.bias import bias_table
from datacheck.datasets import load_adult

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.join(HERE, "..", "expectations", "adult_bias.yaml")
SEED = 0


def add_model_outputs(df, seed: int = SEED):
    """Train on 70% of the rows; return the other 30% with `pred` and `score` columns."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import train_test_split

    features = [c for c in df.columns if c not in ("income", "sex", "race")]  # protected attributes left out
    X = df[features].copy()
    for c in X.columns:
        if X[c].dtype == object or str(X[c].dtype) in ("string", "str"):
            X[c] = X[c].astype("category")
    y = (df["income"] == ">50K").astype(int)
    X_tr, X_te, y_tr, _ = train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)
    clf = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=seed)
    clf.fit(X_tr, y_tr)
    test = df.loc[X_te.index].copy()
    test["score"] = clf.predict_proba(X_te)[:, 1]
    test["pred"] = np.where(test["score"] >= 0.5, ">50K", "<=50K")
    return test


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="out")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)

    df = load_adult(raw_missing=False)
    print("== 1. the data alone (all 32,561 rows): shares, base rates, missingness by group")
    data_only = bias_table(
        df,
        ["sex", "race"],
        label="income",
        positive_label=">50K",
        intersections=True,
        metrics=["representation", "base_rate", "missingness"],
        expected_shares={"sex": {"Female": 0.51, "Male": 0.49}},
        missingness_columns=["workclass", "occupation", "native-country"],
    )
    cols = ["group", "metric", "column", "value", "ci_low", "ci_high", "n", "reference_value", "ratio", "q", "status"]
    with_pd_options(lambda: print(data_only[data_only.metric == "base_rate"][cols].round(4).to_string(index=False)))
    miss = data_only[(data_only.metric == "missingness") & (data_only.status == "fail")]
    print(f"\nmissing-value rates that differ by group beyond tolerance (q < 0.05): {len(miss)}")
    with_pd_options(lambda: print(miss[cols].round(4).head(12).to_string(index=False)))

    print("\n== 2. a model's held-out predictions (HistGradientBoostingClassifier, seed 0)")
    test = add_model_outputs(df)
    report = datacheck.run(test, SUITE)
    print(report.summary(max_lines=25))
    for r in report.results:
        if r.details.get("metric") == "fairness_summary":
            print(f"  {r.message}")
    report.to_json(os.path.join(args.out, "adult_bias_report.json"))
    try:
        from datacheck.figures.bias import bias_missingness, bias_rates, bias_representation

        bias_rates(report, dimension="race").savefig(os.path.join(args.out, "adult_bias_rates_race.png"), dpi=90)
        bias_representation(report).savefig(os.path.join(args.out, "adult_bias_representation.png"), dpi=90)
        bias_missingness(report).savefig(os.path.join(args.out, "adult_bias_missingness.png"), dpi=90)
        print(f"\nfigures and JSON report in {args.out}/")
    except ImportError:  # pragma: no cover - matplotlib/seaborn not installed
        pass
    return 0


def with_pd_options(fn):
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_columns", 20):
        fn()


if __name__ == "__main__":
    raise SystemExit(main())
