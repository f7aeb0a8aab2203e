"""What every engine's fold does around its loop: one implementation for the local and Spark engines.

Before the loop, :func:`plan_fold` drops duplicate kernels, fails the ones reading columns the data
lacks, and folds one kernel per cover family (:meth:`~datacheck.kernels.base.Kernel.cover_key`);
after it, :func:`finish` finalizes the states, isolating a kernel whose finalize raises, and reads
the covered kernels' values off the kernel folded for them.

Examples
--------
>>> from datacheck.kernels import Extremes, Moments
>>> plan = plan_fold([Extremes("x", 5), Extremes("x", 10), Moments("y"), Moments("x")], {"x"})
>>> plan.live, plan.failures[Moments("y")]
([Extremes(column='x', k=10), Moments(column='x')], "column(s) ['y'] not in the data")
>>> plan.covered
{Extremes(column='x', k=5): Extremes(column='x', k=10)}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from datacheck.kernels.base import Kernel, clear_shared_caches

__all__ = ["FoldPlan", "plan_fold", "finish", "describe"]


def describe(exc: BaseException) -> str:
    """A kernel's exception as an internal failure (kept out of messages; see ``context``)."""
    from datacheck.context import InternalFailure

    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return InternalFailure(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)


@dataclass
class FoldPlan:
    """``live``: the kernels to fold; ``failures``: kernel -> reason, for kernels that cannot run;
    ``covered``: kernel -> the live kernel its value is read from."""

    live: list[Kernel]
    failures: dict[Kernel, str] = field(default_factory=dict)
    covered: dict[Kernel, Kernel] = field(default_factory=dict)


@dataclass(frozen=True)
class _Family:
    key: Any


def plan_fold(kernels: Iterable[Kernel], names: Iterable[str]) -> FoldPlan:
    """The kernels one pass folds over data with columns ``names``."""
    names = set(names)
    plan = FoldPlan([])
    order: list[Any] = []  # kernels, or the cover key of a family at its first member's place
    widest: dict[Any, Kernel] = {}
    for k in dict.fromkeys(kernels):
        missing = [c for c in k.reads if c not in names]
        if missing:
            plan.failures[k] = f"column(s) {missing!r} not in the data"
            continue
        key = k.cover_key()
        if key is None:
            order.append(k)
            continue
        if key not in widest:
            order.append(_Family(key))
            widest[key] = k
        elif k.cover_rank() > widest[key].cover_rank():
            plan.covered[widest[key]] = k
            widest[key] = k
        else:
            plan.covered[k] = widest[key]
    plan.live = [widest[k.key] if isinstance(k, _Family) else k for k in order]
    plan.covered = {k: widest[k.cover_key()] for k in plan.covered}
    return plan


def finish(
    plan: FoldPlan, states: Iterable[tuple[Kernel, Any]], *, keep_caches: bool = False
) -> tuple[dict[Kernel, Any], dict[Kernel, str]]:
    """Finalize the folded ``(kernel, state)`` pairs (kernels in ``plan.failures`` are skipped);
    returns ``(values, failures)`` for every kernel asked, covered ones included. The kernels'
    shared caches are emptied, unless ``keep_caches`` (the caller then does)."""
    failures = plan.failures
    values: dict[Kernel, Any] = {}
    try:
        for k, s in states:
            if k in failures:
                continue
            try:
                values[k] = k.finalize(s)
            except Exception as exc:
                failures[k] = describe(exc)
    finally:
        if not keep_caches:
            clear_shared_caches()  # what the kernels' states computed alike (see kernels.base.shared_cache)
    for k, wide in plan.covered.items():
        if wide in values:
            try:
                values[k] = k.narrow(values[wide])
            except Exception as exc:
                failures[k] = describe(exc)
        else:
            failures[k] = failures.get(wide, "not computed")
    return values, failures
