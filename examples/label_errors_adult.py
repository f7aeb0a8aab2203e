"""Label errors in Adult: the suite check, the ranked table for notebooks, and the figures.

Runs expectations/adult_label_errors.yaml on the Adult census data, prints the verdict, the worst
rows and the subgroups whose issue rate differs from the rest, and writes the three label-error
figures under --out. With --flip 0.1 it first flips 10% of the labels (seeded) and reports how
well the ranking finds them.

Run:  python examples/label_errors_adult.py --out out [--flip 0.1]
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

import datacheck
from datacheck.datasets import load_adult

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.join(HERE, "..", "expectations", "adult_label_errors.yaml")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="out")
    ap.add_argument("--flip", type=float, default=0.0, help="share of labels to flip first (seeded)")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)

    df = load_adult(raw_missing=False)
    flipped = np.zeros(len(df), dtype=bool)
    if args.flip:
        rng = np.random.default_rng(0)
        flipped = rng.random(len(df)) < args.flip
        df.loc[flipped, "income"] = np.where(df.loc[flipped, "income"] == ">50K", "<=50K", ">50K")

    report = datacheck.run(df, SUITE)
    r = report.select(check="label_errors")[0]
    print(report.summary())
    print(f"\n{r.method}")
    print("\nworst rows:")
    for e in r.evidence[:10]:
        print(
            f"  row {e['row']:>6}  given {e['given_label']:>6}  suggested {e['suggested_label']:>6}  "
            f"quality {e['quality']:.3f}" + ("  (flipped)" if flipped[e["row"]] else "")
        )
    print("\nsubgroups whose issue rate differs from the rest (BH q < 0.05):")
    for s in r.details["subgroups"]:
        if s["q_value"] is not None and s["q_value"] < 0.05:
            print(
                f"  {s['attribute']}={s['group']}: {s['rate']:.1%} [{s['ci_low']:.1%}, {s['ci_high']:.1%}] "
                f"vs {s['rest_rate']:.1%} elsewhere (n={s['n']:,}, q={s['q_value']:.2g})"
            )

    from datacheck.figures import label_errors as figs

    for name in ("label_quality_distribution", "label_issues_by_class", "label_issue_rates"):
        ax = getattr(figs, name)(report)
        path = os.path.join(args.out, f"{name}.png")
        ax.figure.savefig(path, dpi=110, bbox_inches="tight")
        print(f"figure: {path}")

    if args.flip:  # the notebook API: same code path, the full ranked table
        from sklearn.metrics import roc_auc_score

        ranked = datacheck.label_issues(df, label="income", protected=["sex", "race"])
        truth = flipped[ranked["row"].to_numpy()]
        k = int(flipped.sum())
        print(
            f"\nflipped {k:,} labels: ROC AUC {roc_auc_score(truth, -ranked['quality']):.3f}, "
            f"precision@k {truth[:k].mean():.3f}, recall {truth[ranked['is_issue']].sum() / k:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
