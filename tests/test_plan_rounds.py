"""``plan.fold_passes`` with a ``resolve`` hook (the column rounds): a check that asks for a new
statistic every time it is asked must still end, with an error, and never loop."""

from __future__ import annotations

from datacheck.context import Context
from datacheck.kernels.counts import CountEqual
from datacheck.plan import MAX_PASSES, Unit, fold_passes
from datacheck.spec import Roles


class _Greedy:
    """Asks for a count it has not seen yet, every time."""

    name = "greedy"

    def __init__(self) -> None:
        self.asked = 0

    def requires(self, column, ctx):
        self.asked += 1
        return [CountEqual(column, float(self.asked))]


def test_a_check_asking_for_ever_more_ends_with_an_error():
    ctx = Context(roles=Roles(), columns={})
    check = _Greedy()
    unit = Unit(check, "x")
    resolves, folds = [], []

    def resolve(cur, ref):
        resolves.append(len(cur))
        ctx.current.update({k: 0 for k in cur}, {})  # computed without a pass, every time
        return True

    def fold(cur, ref):
        folds.append(len(cur))
        ctx.current.update({k: 0 for k in cur}, {})

    passes = fold_passes([unit], ctx, fold, resolve=resolve)
    assert len(resolves) == MAX_PASSES  # the rounds are bounded like the passes
    assert passes == MAX_PASSES and len(folds) == MAX_PASSES
    assert unit.done and "still needed data" in unit.error


def test_resolve_gives_the_first_extras_too():
    """A row count the hook knows is not folded again (a pass for it alone would read the data)."""
    from datacheck.kernels.counts import RowCount

    ctx = Context(roles=Roles(), columns={})
    folds = []

    def resolve(cur, ref):
        if RowCount() in cur:
            ctx.current.update({RowCount(): 7}, {})
            return True
        return False

    passes = fold_passes([], ctx, lambda cur, ref: folds.append(cur), first=(RowCount(),), resolve=resolve)
    assert passes == 0 and folds == [] and ctx.current[RowCount()] == 7
