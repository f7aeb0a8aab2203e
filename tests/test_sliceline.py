"""SliceLine returns exactly the top-k of brute-force enumeration; its bound bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datacheck.stats.sliceline import LatticeSearch, brute_force, score, sliceline, subset_stats, upper_bound


@st.composite
def problems(draw):
    n = draw(st.integers(10, 250))
    m = draw(st.integers(1, 5))
    card = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    X = rng.integers(0, card, size=(n, m))
    if draw(st.booleans()):
        # a planted weak slice makes deep levels survive pruning
        weak = (X[:, 0] == 0) & (X[:, -1] == card - 1)
        e = (rng.random(n) < np.where(weak, 0.7, draw(st.floats(0.0, 0.4)))).astype(float)
    else:
        e = rng.exponential(size=n) * (rng.random(n) < 0.5)
    return (
        X,
        e,
        dict(
            k=draw(st.integers(1, 6)),
            max_depth=draw(st.integers(1, 4)),
            min_support=draw(st.one_of(st.integers(1, 30), st.floats(0.01, 0.3))),
            alpha=draw(st.floats(0.3, 1.0)),
        ),
    )


@settings(max_examples=200, deadline=None)
@given(problems())
def test_sliceline_equals_brute_force(problem):
    X, e, kw = problem
    got = sliceline(X, e, **kw).top
    want = brute_force(X, e, **kw)
    assert [round(s.score, 9) for s in got] == [round(s.score, 9) for s in want]
    # the same slices, wherever the score is not tied with another
    ties = {round(s.score, 9) for s in want if sum(round(t.score, 9) == round(s.score, 9) for t in want) > 1}
    for s in want:
        if round(s.score, 9) in ties or (len(want) == kw["k"] and round(s.score, 9) == round(want[-1].score, 9)):
            continue
        assert any(g.predicates == s.predicates and g.support == s.support for g in got)


@settings(max_examples=100, deadline=None)
@given(problems())
def test_upper_bound_bounds_every_descendant(problem):
    X, e, kw = problem
    n = len(e)
    mean = e.sum() / n
    if mean == 0:
        return
    sigma = 1
    parent = subset_stats(X, e, (0,))
    for (v,), st_p in parent.items():
        ub = upper_bound(st_p[0], st_p[1], st_p[3], sigma, n, mean, kw["alpha"])
        for f in range(1, X.shape[1]):
            for (a, _b), st_c in subset_stats(X, e, (0, f)).items():
                if a == v and st_c[0] >= sigma:
                    # -inf marks an error-free parent: no descendant can qualify (score > 0)
                    sc = score(st_c[0], st_c[1], n, mean, kw["alpha"])
                    assert sc <= ub + 1e-9 or (ub == -math.inf and sc <= 0)


class _Recording(LatticeSearch):
    """A search that keeps every slice it evaluated with enough support (what ``evaluated`` counts)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen = set()

    def _offer(self, s):
        if s.support >= self.sigma:
            self.seen.add(s.predicates)
        super()._offer(s)


def _evaluated_by(X, e, k, kw):
    search = _Recording(X.shape[1], k=k, **{key: v for key, v in kw.items() if key != "k"})
    while not search.done:
        search.feed({F: subset_stats(X, e, F) for F in search.needed()})
    assert len(search.seen) == search.evaluated
    return search.seen


@settings(max_examples=150, deadline=None)
@given(problems(), st.integers(1, 20))
def test_a_wider_search_evaluates_every_slice_a_narrower_one_did(problem, more):
    # its pruning threshold (the k-th best score so far) is never higher, so the Bonferroni family
    # of the widest search covers every slice the worst_slices check looked at while widening
    X, e, kw = problem
    assert _evaluated_by(X, e, kw["k"], kw) <= _evaluated_by(X, e, kw["k"] + more, kw)


@settings(max_examples=50, deadline=None)
@given(problems())
def test_a_shared_cache_changes_nothing(problem):
    X, e, kw = problem
    cache: dict = {}
    for k in (kw["k"], 2 * kw["k"], kw["k"]):
        kw = {**kw, "k": k}
        a, b = sliceline(X, e, **kw, cache=cache), sliceline(X, e, **kw)
        assert [(s.predicates, s.support, s.score) for s in a.top] == [
            (s.predicates, s.support, s.score) for s in b.top
        ]
        assert a.evaluated == b.evaluated


def test_planted_slice_is_first_and_pruning_happens():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 5, size=(20_000, 6))
    weak = (X[:, 1] == 3) & (X[:, 4] == 0)
    e = (rng.random(20_000) < np.where(weak, 0.5, 0.1)).astype(float)
    res = sliceline(X, e, k=3, max_depth=3, min_support=100)
    assert res.top[0].predicates == ((1, 3), (4, 0))
    assert sum(lv["pruned"] for lv in res.levels) > 0
    assert res.evaluated > 0 and res.min_support == 100


def test_no_errors_no_slices_and_errors_validated():
    X = np.zeros((10, 2), dtype=int)
    assert sliceline(X, np.zeros(10)).top == []
    with pytest.raises(ValueError, match="non-negative"):
        sliceline(X, -np.ones(10))
    with pytest.raises(ValueError, match="codes"):
        sliceline(-X - 1, np.ones(10))
    with pytest.raises(ValueError, match="alpha"):
        LatticeSearch(2, alpha=0.0)


def test_score_formula():
    # a slice of a quarter of the rows with twice the mean error
    assert score(25, 10, 100, 0.2, 0.95) == pytest.approx(0.95 * (2 - 1) - 0.05 * (4 - 1))
    assert score(0, 0, 100, 0.2, 0.95) == -math.inf
