"""Train/serve shift on real data: Adult split into a training and a serving part.

1. An untouched random split: nothing fires.
2. The same serving part after four documented, realistic changes:

   * a unit change: ``fnlwgt`` reported in thousands (a new upstream export divides by 1,000);
   * a sentinel bug: the serving pipeline fills missing ``occupation`` with ``"UNKNOWN"``;
   * a new category: ``workclass`` gains ``"Gig-economy"`` in 2% of rows (a new form option);
   * an over-represented group: serving traffic over-samples men (about 80% instead of 67%).

The training side is reduced to a saved profile first, so serving-time checks need no training data.

Run::

    python examples/shift_adult.py            # writes out/shift_adult/*.json, *.png
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

import datacheck
from datacheck.datasets import load_adult

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.join(HERE, "..", "expectations", "adult_shift.yaml")
OUT = os.path.join(HERE, "..", "out", "shift_adult")


def split(df: pd.DataFrame, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    idx = np.random.default_rng(seed).permutation(len(df))
    half = len(df) // 2
    return df.iloc[idx[:half]].reset_index(drop=True), df.iloc[idx[half:]].reset_index(drop=True)


def break_serving(serving: pd.DataFrame, seed: int = 1) -> pd.DataFrame:
    """The four changes described in the module docstring (the input is not modified)."""
    rng = np.random.default_rng(seed)
    s = serving.copy()
    s["fnlwgt"] = s["fnlwgt"] / 1000.0
    s.loc[s["occupation"].isna(), "occupation"] = "UNKNOWN"
    rows = rng.choice(len(s), int(0.02 * len(s)), replace=False)
    s.loc[rows, "workclass"] = "Gig-economy"
    men = s[s["sex"] == "Male"]
    extra = men.sample(n=int(0.9 * len(men)), random_state=seed, replace=False)
    return pd.concat([s, extra], ignore_index=True)


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    adult = load_adult(raw_missing=False)
    train, serving = split(adult)

    profile_path = os.path.join(OUT, "train.profile.json")
    datacheck.profile(train, SUITE).save(profile_path)
    print(f"profile of {len(train):,} training rows -> {profile_path} ({os.path.getsize(profile_path) / 1e3:.0f} kB)")

    clean = datacheck.run(serving, SUITE, reference=profile_path)
    print("\n== untouched serving split ==")
    print(clean.summary())

    broken = datacheck.run(break_serving(serving), SUITE, reference=profile_path)
    print("\n== serving split with a unit change, a sentinel bug, a new category, over-sampled men ==")
    print(broken.summary())
    broken.to_json(os.path.join(OUT, "broken.json"))
    from datacheck.figures.shift import shift_distributions, shift_effect_sizes

    for name, draw in (("shift_distributions", shift_distributions), ("shift_effect_sizes", shift_effect_sizes)):
        path = os.path.join(OUT, f"{name}.png")
        draw(broken).figure.savefig(path, dpi=110)
        print(f"figure {name}: {path}")


if __name__ == "__main__":
    main()
