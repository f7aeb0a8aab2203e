"""What a check reads of its suite: its own validated entry and the dataset's column roles.

:class:`CheckSpec` is one entry of a suite's ``checks`` list, validated, with defaults filled in;
:class:`Roles` is the suite's ``dataset`` block. Both are plain frozen values at the bottom of the
package, so checks, the run context and the planner can read them without knowing how a suite is
loaded; :mod:`datacheck.suite` loads and validates whole suites (against the check registry) and
builds them.

Examples
--------
>>> Roles(label="y", protected=("sex",)).columns()
['y', 'sex']
>>> spec = CheckSpec(name="missing", params={"max_fraction": 0.1}, index=0, path="checks[0].missing")
>>> spec.name, spec.params["max_fraction"]
('missing', 0.1)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Roles", "CheckSpec"]


@dataclass(frozen=True)
class Roles:
    """Column roles from the suite's ``dataset`` block.

    Attributes
    ----------
    label, prediction, id : str or None
    scores : tuple of str
        Score or probability columns (one for binary tasks, one per class otherwise).
    protected : tuple of str
        Protected attributes for bias audits.
    positive_label : object
        The label value counted as positive in binary metrics (default: inferred).
    task : {'classification', 'regression', None}
    """

    label: str | None = None
    prediction: str | None = None
    scores: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()
    id: str | None = None
    positive_label: Any = None
    task: str | None = None

    def columns(self) -> list[str]:
        """Every column named by a role."""
        out = [c for c in (self.label, self.prediction, self.id) if c]
        return out + list(self.scores) + list(self.protected)


@dataclass(frozen=True)
class CheckSpec:
    """One entry of the suite's ``checks`` list, validated with defaults filled in."""

    name: str
    params: Mapping[str, Any]
    index: int
    path: str
    line: int | None = None
    columns: Any = None
    #: the parameters the suite itself set (the rest hold their defaults)
    given: frozenset[str] = frozenset()

    def __hash__(self) -> int:
        return hash((self.name, self.index))
