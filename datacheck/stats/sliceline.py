"""SliceLine: the top-k worst slices of a model by a level-wise lattice search with exact pruning.

After Sagadeeva & Boehm, "SliceLine: Fast, Linear-Algebra-based Slice Finding for ML Model
Debugging", SIGMOD 2021. A slice is a conjunction of predicates ``feature == value`` over
distinct (binned) features. With ``n`` rows, per-row errors ``e >= 0`` of mean ``ē``, and a slice
of size ``|S|`` and error ``e(S)`` (the sum over its rows), the score is::

    sc(S) = α · ((e(S) / |S|) / ē − 1) − (1 − α) · (n / |S| − 1)

positive when the slice's average error is high enough to outweigh its smallness. Only slices
with ``|S| >= σ`` (minimum support) and ``sc > 0`` (above ``MIN_SCORE`` = 1e-9) qualify.

Level 1 evaluates every single predicate. Level ``l`` joins pairs of level ``l − 1`` slices that
share ``l − 2`` predicates, keeps a candidate only if all its ``l`` parents survived, and prunes it
when its *upper bound* cannot beat the current k-th best score. With ``ss``, ``se``, ``sm`` the
minima over the parents of size, error and maximum row error, the bound is the largest score any
slice with size in ``[σ, ss]``, error at most ``se`` and row errors at most ``sm`` can reach; the
score is monotone on each side of ``|S| = se / sm`` and uses the row count ``n``, so the bound is
the maximum at ``|S| ∈ {σ, se/sm, ss}`` with error ``min(|S|·sm, se)``. Children of pruned or
error-free slices can never qualify, so the search returns exactly the top-k of brute-force
enumeration (tested against it with Hypothesis). A search with a larger ``k`` evaluates every
slice a smaller one does: a slice the smaller search skipped has a score at most its threshold,
so the larger search's threshold never exceeds the smaller's, and it prunes no more (also tested).

The search is a small state machine (:class:`LatticeSearch`) that asks for the statistics of
*feature subsets* (for every combination of their values: count, error sum, sum of squares, max)
one level at a time. :func:`sliceline` answers in memory from numpy arrays; the ``worst_slices``
check answers from mergeable ``GroupSums`` kernels, one pass over the data per level.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = rng.integers(0, 3, size=(2000, 4))
>>> e = (rng.random(2000) < np.where((X[:, 0] == 2) & (X[:, 1] == 1), 0.6, 0.1)).astype(float)
>>> res = sliceline(X, e, k=3, max_depth=2, min_support=50)
>>> res.top[0].predicates
((0, 2), (1, 1))
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from datacheck.progress import bar
from datacheck.stats.inference import proportion_test
from datacheck.stats.slices import welch_from_sums

__all__ = [
    "Slice",
    "SliceLineResult",
    "LatticeSearch",
    "sliceline",
    "score",
    "upper_bound",
    "subset_stats",
    "complement_test",
]


def score(ss: float, se: float, n: float, mean_error: float, alpha: float) -> float:
    """SliceLine's score of a slice with ``ss`` rows and error sum ``se`` (``-inf`` for empty slices)."""
    if ss <= 0 or mean_error <= 0:
        return -math.inf
    return alpha * ((se / ss) / mean_error - 1) - (1 - alpha) * (n / ss - 1)


def upper_bound(
    ss: float, se: float, sm: float, min_support: float, n: float, mean_error: float, alpha: float
) -> float:
    """Largest score of any slice with size in ``[min_support, ss]``, error sum <= ``se`` and row
    errors <= ``sm`` (SystemDS ``computeUpperBoundScore``)."""
    if ss < min_support or se <= 0 or sm <= 0:
        return -math.inf
    best = -math.inf
    for s in (min_support, max(se / sm, min_support), ss):
        if s <= 0 or s > ss:
            continue
        ex = min(s * sm, se)
        best = max(best, alpha * ((ex / s) / mean_error - 1) - (1 - alpha) * (n / s - 1))
    return best


@dataclass(frozen=True)
class Slice:
    """One slice: ``predicates`` are ``(feature index, value)`` pairs sorted by feature."""

    predicates: tuple
    support: int
    errors: float
    sq_errors: float
    max_error: float
    score: float

    @property
    def error(self) -> float:
        """Average error in the slice."""
        return self.errors / self.support if self.support else math.nan

    @property
    def level(self) -> int:
        return len(self.predicates)


@dataclass
class SliceLineResult:
    """What the search found, and how much work it did.

    Attributes
    ----------
    top : list of Slice
        Best first (score, then support, descending).
    n, total_error, total_sq_error, mean_error : float
        Rows with a defined error, their error sum and sum of squares, and ``ē``.
    min_support : int
    evaluated : int
        Slices whose statistics were computed with support >= ``min_support`` (the family size
        for a Bonferroni correction of the top slices' tests).
    levels : list of dict
        Per level: candidates generated, pruned, evaluated.
    """

    top: list
    n: int
    total_error: float
    total_sq_error: float
    mean_error: float
    min_support: int
    evaluated: int
    levels: list = field(default_factory=list)


_TOL = 1e-12
#: a slice qualifies only with a score above this (scores within rounding of 0 are "average")
MIN_SCORE = 1e-9


def _pred_key(p) -> tuple:
    f, v = p
    return (f, v is None, type(v).__name__, v if isinstance(v, (int, float, str, bool)) else str(v))


class LatticeSearch:
    """The level-wise search as a state machine fed with feature-subset statistics.

    Parameters
    ----------
    n_features : int
    k : int
        How many slices to return.
    max_depth : int
        Most predicates per slice.
    min_support : float
        Row count (>= 1) or fraction of rows (< 1).
    alpha : float
        Weight of the error term against the size term, in (0, 1].

    Use: ``while not s.done: s.feed({F: stats(F) for F in s.needed()})``, where ``stats(F)`` maps a
    tuple of values of the features ``F`` to ``(count, error sum, sum of squares, max error)``.
    """

    def __init__(
        self, n_features: int, *, k: int = 5, max_depth: int = 3, min_support: float = 0.01, alpha: float = 0.95
    ) -> None:
        if not 0 < alpha <= 1:
            raise ValueError(f"alpha must be in (0, 1]; got {alpha}")
        if k < 1 or max_depth < 1:
            raise ValueError("k and max_depth must be at least 1")
        self.m = n_features
        self.k = k
        self.max_depth = max_depth
        self.min_support_arg = min_support
        self.alpha = alpha
        self.level = 0
        self.top: list[Slice] = []
        self.kept: dict[tuple, Slice] = {}
        self.candidates: dict[tuple, tuple] = {}
        self.levels: list[dict] = []
        self.evaluated = 0
        self.n = 0
        self.total = self.total_sq = self.mean_error = 0.0
        self.sigma = 1
        self.done = n_features == 0
        self._needed: list[tuple] = [(f,) for f in range(n_features)]

    # -- protocol -----------------------------------------------------------------------------
    def needed(self) -> list[tuple]:
        """Feature subsets whose statistics the next :meth:`feed` needs."""
        return [] if self.done else list(self._needed)

    def threshold(self) -> float:
        return self.top[-1].score if len(self.top) >= self.k else MIN_SCORE

    def feed(self, stats: Mapping[tuple, Mapping[tuple, Sequence[float] | np.ndarray]]) -> None:
        if self.done:
            return
        if self.level == 0:
            self._first(stats)
        else:
            self._next(stats)
        self._generate()

    def result(self) -> SliceLineResult:
        return SliceLineResult(
            top=list(self.top),
            n=self.n,
            total_error=self.total,
            total_sq_error=self.total_sq,
            mean_error=self.mean_error,
            min_support=self.sigma,
            evaluated=self.evaluated,
            levels=list(self.levels),
        )

    # -- internals ----------------------------------------------------------------------------
    def _offer(self, s: Slice) -> None:
        if s.support >= self.sigma:
            self.evaluated += 1
        if s.support < self.sigma or not s.score > MIN_SCORE:
            return
        if len(self.top) >= self.k and s.score <= self.top[-1].score:
            return
        self.top.append(s)
        self.top.sort(key=lambda x: (-x.score, -x.support, [_pred_key(p) for p in x.predicates]))
        del self.top[self.k :]

    def _make(self, preds: tuple, st: Sequence[float] | None) -> Slice:
        if st is None:
            return Slice(preds, 0, 0.0, 0.0, 0.0, -math.inf)
        c, s, q, mx = (float(x) for x in st[:4])
        return Slice(preds, int(c), s, q, mx, score(c, s, self.n, self.mean_error, self.alpha))

    def _first(self, stats) -> None:
        first = stats[(0,)]
        self.n = int(sum(v[0] for v in first.values()))
        self.total = float(sum(v[1] for v in first.values()))
        self.total_sq = float(sum(v[2] for v in first.values()))
        self.mean_error = self.total / self.n if self.n else 0.0
        a = self.min_support_arg
        self.sigma = max(1, int(math.ceil(a * self.n)) if a < 1 else int(a))
        self.level = 1
        if self.mean_error <= 0:
            self.levels.append({"level": 1, "candidates": 0, "pruned": 0, "evaluated": 0})
            self.done = True
            return
        kept: dict[tuple, Slice] = {}
        count = 0
        for f in range(self.m):
            for v, st in stats[(f,)].items():
                s = self._make(((f, v[0]),), st)
                count += 1
                self._offer(s)
                if s.support >= self.sigma and s.errors > 0:
                    kept[s.predicates] = s
        self.kept = kept
        self.levels.append({"level": 1, "candidates": count, "pruned": 0, "evaluated": count})

    def _generate(self) -> None:
        """Candidates of the next level from the kept slices, pruned by their parents' bound."""
        if self.done:
            return
        nxt = self.level + 1
        if nxt > self.max_depth or not self.kept:
            self.done = True
            return
        by_prefix: dict[tuple, list[Slice]] = {}
        for preds, s in self.kept.items():
            by_prefix.setdefault(preds[:-1], []).append(s)
        cands: dict[tuple, tuple] = {}
        generated = pruned = 0
        thr = self.threshold()
        for prefix, group in by_prefix.items():
            group.sort(key=lambda s: _pred_key(s.predicates[-1]))
            for i, a in enumerate(group):
                fa = a.predicates[-1][0]
                for b in group[i + 1 :]:
                    if b.predicates[-1][0] == fa:
                        continue
                    preds = prefix + tuple(sorted((a.predicates[-1], b.predicates[-1]), key=_pred_key))
                    generated += 1
                    parents = []
                    for j in range(len(preds)):
                        p = self.kept.get(preds[:j] + preds[j + 1 :])
                        if p is None:
                            break
                        parents.append(p)
                    if len(parents) < len(preds):
                        pruned += 1
                        continue
                    ss = min(p.support for p in parents)
                    se = min(p.errors for p in parents)
                    sm = min(p.max_error for p in parents)
                    ub = upper_bound(ss, se, sm, self.sigma, self.n, self.mean_error, self.alpha)
                    if ss < self.sigma or ub <= thr - _TOL * (1 + abs(thr)):
                        pruned += 1
                        continue
                    cands[preds] = (ss, se, sm, ub)
        self.candidates = cands
        self.levels.append({"level": nxt, "candidates": generated, "pruned": pruned, "evaluated": len(cands)})
        if not cands:
            self.done = True
            return
        self._needed = sorted({tuple(f for f, _ in preds) for preds in cands})

    def _next(self, stats) -> None:
        kept: dict[tuple, Slice] = {}
        for preds in self.candidates:
            feats = tuple(f for f, _ in preds)
            st = stats[feats].get(tuple(v for _, v in preds))
            s = self._make(preds, st)
            self._offer(s)
            if s.support >= self.sigma and s.errors > 0:
                kept[preds] = s
        self.kept = kept
        self.level += 1


def subset_stats(X: np.ndarray, errors: np.ndarray, features: Sequence[int]) -> dict[tuple, np.ndarray]:
    """For every combination of values of ``X[:, features]`` (non-negative integer codes) present in
    the data: ``[count, error sum, sum of squares, max error]``."""
    X = np.asarray(X)
    cols = [X[:, f].astype(np.int64) for f in features]
    dims = [int(c.max()) + 1 if c.size else 1 for c in cols]
    if math.prod(dims) <= 4 * max(len(errors), 1) + 1024:
        code = np.ravel_multi_index(cols, dims) if cols else np.zeros(len(errors), dtype=np.int64)
        size = math.prod(dims)
        inv = code
    else:
        stacked = np.stack(cols, axis=1)
        uniq, inv = np.unique(stacked, axis=0, return_inverse=True)
        inv = inv.ravel()
        size = len(uniq)
    cnt = np.bincount(inv, minlength=size)
    se = np.bincount(inv, weights=errors, minlength=size)
    sq = np.bincount(inv, weights=errors * errors, minlength=size)
    if np.all((errors == 0) | (errors == 1)):
        mx = np.where(se > 0, 1.0, 0.0)  # 0/1 errors: the max is whether there is any error
    else:
        mx = np.full(size, -np.inf)
        np.maximum.at(mx, inv, errors)
    present = np.flatnonzero(cnt)
    if math.prod(dims) <= 4 * max(len(errors), 1) + 1024:
        keys = np.stack(np.unravel_index(present, dims), axis=1) if cols else np.zeros((len(present), 0), dtype=int)
    else:
        keys = uniq[present]
    return {tuple(int(x) for x in key): np.array([cnt[i], se[i], sq[i], mx[i]]) for key, i in zip(keys, present)}


def sliceline(
    X: np.ndarray,
    errors: np.ndarray,
    *,
    k: int = 5,
    max_depth: int = 3,
    min_support: float = 0.01,
    alpha: float = 0.95,
    cache: dict | None = None,
    progress: bool | None = None,
) -> SliceLineResult:
    """The top-``k`` slices of integer-coded features ``X`` (n x m, codes >= 0) by per-row ``errors``.

    Parameters
    ----------
    X : ndarray of int, shape (n, m)
        Feature codes (bin numeric features first; give missing values a code of their own).
    errors : ndarray of float, shape (n,)
        Non-negative per-row errors (0/1 for misclassification).
    k, max_depth, min_support, alpha
        See :class:`LatticeSearch`.
    cache : dict, optional
        Feature subset -> :func:`subset_stats` already computed for these ``X`` and ``errors``;
        filled in as the search goes, so a second search of the same data (a larger ``k``)
        computes only the subsets the first did not need.
    progress : bool or None
        A bar over the lattice levels (None: only on a terminal; see :mod:`datacheck.progress`).

    Returns
    -------
    SliceLineResult
    """
    X = np.asarray(X)
    e = np.asarray(errors, dtype=float)
    if X.ndim != 2 or X.shape[0] != e.shape[0]:
        raise ValueError(f"X must be (n, m) and errors (n,); got {X.shape} and {e.shape}")
    if e.size and (np.isnan(e).any() or (e < 0).any()):
        raise ValueError("errors must be non-negative and not NaN")
    if X.size and X.min() < 0:
        raise ValueError("feature codes must be non-negative integers")
    search = LatticeSearch(X.shape[1], k=k, max_depth=max_depth, min_support=min_support, alpha=alpha)
    if X.shape[0] == 0:
        search.done = True
    stats = {} if cache is None else cache
    with bar(total=max_depth, desc=f"SliceLine (k={k})", unit="level", enabled=progress) as levels:
        while not search.done:
            for F in search.needed():
                if F not in stats:
                    stats[F] = subset_stats(X, e, F)
            search.feed({F: stats[F] for F in search.needed()})
            levels.update(1)
    return search.result()


def complement_test(s: Slice, res: SliceLineResult, binary: bool) -> tuple[float, str]:
    """Two-sided p-value of the slice's mean error vs the rest's, and the test's name: the
    two-proportion test for 0/1 errors, Welch's t test (from sums) otherwise."""
    n2 = res.n - s.support
    if binary:
        p, how = proportion_test(int(round(s.errors)), s.support, int(round(res.total_error - s.errors)), n2)
        return p, ("two-proportion z test" if how == "z" else "Fisher exact test")
    return welch_from_sums(
        s.support, s.errors, s.sq_errors, n2, res.total_error - s.errors, res.total_sq_error - s.sq_errors
    ), "Welch t test"


def _all_subsets(m: int, depth: int):  # pragma: no cover - helper for brute force in tests
    for level in range(1, depth + 1):
        yield from combinations(range(m), level)


def brute_force(
    X: np.ndarray, errors: np.ndarray, *, k: int = 5, max_depth: int = 3, min_support: float = 0.01, alpha: float = 0.95
) -> list[Slice]:
    """Every slice up to ``max_depth`` predicates, scored; the top ``k`` (the reference for tests)."""
    X = np.asarray(X)
    e = np.asarray(errors, dtype=float)
    n = len(e)
    mean = e.sum() / n if n else 0.0
    sigma = max(1, int(math.ceil(min_support * n)) if min_support < 1 else int(min_support))
    out: list[Slice] = []
    for F in _all_subsets(X.shape[1], max_depth):
        for vals, st in subset_stats(X, e, F).items():
            sc = score(st[0], st[1], n, mean, alpha)
            if st[0] >= sigma and sc > MIN_SCORE:
                out.append(Slice(tuple(zip(F, vals)), int(st[0]), st[1], st[2], st[3], sc))
    out.sort(key=lambda x: (-x.score, -x.support))
    return out[:k]
