"""``feature_skew``: for keyed data, the share of examples whose feature values differ between sides.

TFDV's *feature skew*: the same example (same ``dataset.id``) was logged at training time and at
serving time; a feature whose values differ between the two logs points at a pipeline bug (a
different transformation, a stale lookup). Both sides are reduced to a bounded state, never
joined as tables: :class:`~datacheck.kernels.shift.KeyedHashes` keeps, for the ``max_ids`` ids
with the smallest 64-bit id hashes, a 64-bit hash of every feature's value. Both sides use the
same hash, so they keep the same ids (coordinated bottom-k sampling); the ids kept on both sides
below the smaller of the two sides' cut-offs are a uniform sample of the common ids -- all of
them when each side has at most ``max_ids`` ids. Memory: ``max_ids x (features + 2) x 8`` bytes
per side.

Values compare equal when they are the same value (numbers compared as float64, so ``1`` equals
``1.0``; missing equals missing). Hash collisions (probability 2^-64 per pair) could hide a
difference, never invent one.

One result per feature: the share of joined examples whose value differs, with a Wilson interval;
fails when it exceeds ``max_fraction``. A table-level result reports the join: ids on each side,
ids matched, duplicates.

Examples
--------
>>> import pandas as pd, datacheck
>>> ref = pd.DataFrame({"id": range(100), "x": [1.0] * 100, "c": ["a"] * 100})
>>> cur = ref.copy(); cur.loc[:9, "x"] = 2.0
>>> suite = {"name": "s", "dataset": {"id": "id"}, "checks": ["feature_skew"]}
>>> [(r.column, r.status) for r in datacheck.run(cur, suite, reference=ref).results]
[(None, 'pass'), ('x', 'fail'), ('c', 'pass')]
"""

from __future__ import annotations

import numpy as np

from datacheck.checks._util import pct, shared_columns
from datacheck.checks.base import Check, OnReference, register
from datacheck.kernels.shift import KeyedHashes
from datacheck.params import Param
from datacheck.stats import wilson_interval

__all__ = ["FeatureSkewCheck"]


@register("feature_skew")
class FeatureSkewCheck(Check):
    family = "shift"
    per_column = False
    needs_reference = True
    params = {
        "columns": Param("columns", default="*", doc="features compared (default: every column but the id)"),
        "exclude": Param("strings", default=(), doc="columns left out"),
        "max_fraction": Param(
            "number",
            default=0.0,
            low=0,
            high=1,
            doc="share of joined examples with a differing value allowed per feature",
        ),
        "max_ids": Param(
            "integer",
            default=200_000,
            low=100,
            high=50_000_000,
            doc="ids kept per side (bounded memory; a uniform sample beyond it)",
        ),
        "min_matched": Param("integer", default=1, low=0, doc="fewest joined ids for a verdict"),
    }

    def features(self, ctx) -> list[str]:
        return shared_columns(self, ctx, never=(ctx.roles.id,))

    def _kernel(self, ctx) -> KeyedHashes:
        return KeyedHashes(ctx.roles.id, tuple(self.features(ctx)), self.p["max_ids"])

    def _usable(self, ctx) -> str | None:
        idc = ctx.roles.id
        if not idc:
            return "feature_skew joins on the suite's dataset.id column; none is named"
        if idc not in ctx.columns or idc not in (ctx.reference_columns or {}):
            return f"the id column {idc!r} is not on both sides"
        if not self.features(ctx):
            return "no feature column is present on both sides"
        return None

    def requires(self, column, ctx):
        if self._usable(ctx):
            return []
        k = self._kernel(ctx)
        return [OnReference(k), k]

    def evaluate(self, column, ctx):
        why = self._usable(ctx)
        if why:
            return self.skipped(None, why) if not ctx.roles.id else self.error(None, why)
        k = self._kernel(ctx)
        a, b = ctx.reference[k], ctx.current[k]
        ids_a, ids_b = a["ids"], b["ids"]
        # below the smaller cut-off both sides kept every id they have: a uniform sample of common ids
        cut = min(t for t in (a["threshold"], b["threshold"], np.iinfo(np.uint64).max) if t is not None)
        ma, mb = ids_a <= np.uint64(cut), ids_b <= np.uint64(cut)
        common, ia, ib = np.intersect1d(ids_a[ma], ids_b[mb], assume_unique=True, return_indices=True)
        ha, hb = a["hashes"][ma][ia], b["hashes"][mb][ib]
        n = int(common.size)
        sampled = not (a["complete"] and b["complete"])
        join = {
            "matched": n,
            "reference_ids": int(ma.sum()),
            "current_ids": int(mb.sum()),
            "only_reference": int(ma.sum()) - n,
            "only_current": int(mb.sum()) - n,
            "duplicate_ids_reference": a["duplicate_ids"],
            "duplicate_ids_current": b["duplicate_ids"],
            "missing_ids_reference": a["missing_ids"],
            "missing_ids_current": b["missing_ids"],
            "sampled": sampled,
        }
        enough = n >= max(1, self.p["min_matched"])
        how = k.method + (f"; a uniform sample of the common ids ({n:,} joined)" if sampled else "; exact")
        msg = (
            f"{n:,} examples joined on {ctx.roles.id!r} ({join['only_reference']:,} only in the reference, "
            f"{join['only_current']:,} only in the current data)"
        )
        out = [
            self.result(
                None,
                enough,
                observed=join,
                expected={"min_matched": self.p["min_matched"]},
                message=msg if enough else msg + "; too few to compare",
                method=how,
            )
        ]
        if not enough:
            return out
        diff = (ha != hb).sum(axis=0)
        for j, f in enumerate(a["features"]):
            d = int(diff[j])
            share = d / n
            lo, hi = wilson_interval(d, n)
            ok = share <= self.p["max_fraction"]
            out.append(
                self.result(
                    f,
                    ok,
                    observed={"fraction": share, "differing": d, "matched": n},
                    expected={"max_fraction": self.p["max_fraction"]},
                    interval=(lo, hi),
                    effect_size=share,
                    message=(
                        f"{pct(share)} of {n:,} joined examples differ (95% CI {pct(lo)}-{pct(hi)})"
                        + ("" if ok else f"; allowed {pct(self.p['max_fraction'])}")
                    ),
                    method=how,
                )
            )
        return out
