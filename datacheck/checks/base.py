"""The contract every check follows, and the registry that finds checks by their YAML name.

A check is one small module in :mod:`datacheck.checks` holding one subclass of :class:`Check`
decorated with :func:`register`. It declares its parameters (validated when the suite loads),
says which kernels it needs (:meth:`Check.requires`, asked again after every pass until it needs
nothing new, so a check can ask for a second pass whose parameters come from the first), and
judges from metrics alone (:meth:`Check.evaluate`). Checks never see raw data.

Examples
--------
>>> from datacheck.checks import REGISTRY
>>> "missing" in REGISTRY
True
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from datacheck.params import Param
from datacheck.result import Result

if TYPE_CHECKING:  # pragma: no cover
    from datacheck.context import Context
    from datacheck.kernels.base import Kernel
    from datacheck.spec import CheckSpec

__all__ = ["Check", "REGISTRY", "register", "OnReference", "COMMON_PARAMS"]


class _Registry(MutableMapping):
    """Name used in YAML -> Check subclass. A check's module has the check's name, so the names
    are known from the package's modules without importing them; a module is imported when its
    name is first looked up (a suite of six checks imports six check modules, not all of them;
    iterating imports every one). Checks registered from elsewhere are held as given."""

    def __init__(self) -> None:
        self._classes: dict[str, type[Check]] = {}
        self._modules: tuple[str, ...] | None = None

    def _names(self) -> tuple[str, ...]:
        if self._modules is None:
            here = [os.path.dirname(os.path.abspath(__file__))]
            self._modules = tuple(
                sorted(m.name for m in pkgutil.iter_modules(here) if not m.name.startswith("_") and m.name != "base")
            )
        return self._modules

    def _load(self, name: str) -> None:
        if name not in self._classes and name in self._names():
            importlib.import_module(f"{__package__}.{name}")

    def __getitem__(self, name: str) -> type[Check]:
        if isinstance(name, str):
            self._load(name)
        return self._classes[name]

    def __setitem__(self, name: str, cls: type[Check]) -> None:
        self._classes[name] = cls

    def __delitem__(self, name: str) -> None:
        del self._classes[name]

    def __contains__(self, name: object) -> bool:
        return name in self._classes or (isinstance(name, str) and name in self._names())

    def _load_all(self) -> None:
        for name in self._names():
            self._load(name)

    def __iter__(self):
        self._load_all()
        return iter(dict(self._classes))

    def __len__(self) -> int:
        self._load_all()
        return len(self._classes)

    def __repr__(self) -> str:
        return f"REGISTRY({sorted(self)})"


#: name used in YAML -> Check subclass (check modules imported when first looked up)
_REGISTRY = _Registry()
REGISTRY: MutableMapping[str, type[Check]] = _REGISTRY

#: parameters every check accepts
COMMON_PARAMS: dict[str, Param] = {
    "severity": Param(
        "choice", default="error", choices=("error", "warn"), doc="error: a failure fails the run; warn: reported only"
    ),
    "description": Param("string", default=None, doc="free text shown in the report"),
}


FAMILY_ALPHA = 0.05  # the false-alarm budget that the default shift checks of one suite share


@dataclass(frozen=True)
class OnReference:
    """Wraps a kernel that must be folded over the reference data rather than the current data."""

    kernel: Kernel


def register(name: str):
    """Class decorator registering a check under its YAML name (which is also its module name)."""

    def deco(cls: type[Check]) -> type[Check]:
        prev = _REGISTRY._classes.get(name)  # what is registered so far (no module imported)
        if prev is not None and prev is not cls:
            raise RuntimeError(f"check {name!r} registered twice")
        cls.name = name
        REGISTRY[name] = cls
        return cls

    return deco


class Check:
    """Base class of all checks.

    Class attributes
    ----------------
    name : str
        The YAML key (set by :func:`register`).
    family : str
        Report section: ``integrity``, ``shift``, ``bias``, ``label_errors``, ``slices``.
    per_column : bool
        True when the check runs once per selected column; False for table-level checks.
    default_columns : str or None
        Selector used when the suite gives no ``columns``.
    column_types : tuple of str or None
        Logical types the check accepts (``integer``, ``float``, ``string``, ``categorical``,
        ``boolean``, ``datetime``); None accepts all.
    params : dict of str to Param
        The check's own parameters (``columns``, ``severity`` and ``description`` are common).
    needs_reference : bool
        True for shift checks; without a reference their result is ``skipped``.
    keyword_roles : tuple of str
        Roles whose columns type keywords still select (default none: label, prediction, score and
        id columns are selected by name only).
    produces, consumes : tuple of str
        Keys of ``ctx.artifacts`` the check writes in ``evaluate`` / reads there. The planner
        evaluates every producer of a key before its consumers (:func:`datacheck.plan.evaluation_order`),
        so the order of checks in a suite never changes a result.
    """

    name: ClassVar[str] = ""
    family: ClassVar[str] = "integrity"
    per_column: ClassVar[bool] = True
    default_columns: ClassVar[Any] = "*"
    column_types: ClassVar[tuple[str, ...] | None] = None
    params: ClassVar[dict[str, Param]] = {}
    needs_reference: ClassVar[bool] = False
    #: roles (``label``, ``prediction``, ``scores``, ``id``) whose columns a type keyword such as
    #: ``numeric`` or ``*`` still selects for this check; the others are selected only by name
    keyword_roles: ClassVar[tuple[str, ...]] = ()
    #: ``ctx.artifacts`` keys written in ``evaluate`` (for checks evaluated later)
    produces: ClassVar[tuple[str, ...]] = ()
    #: ``ctx.artifacts`` keys read in ``evaluate``: their producers are evaluated first
    consumes: ClassVar[tuple[str, ...]] = ()
    #: threshold parameters whose defaults describe the data rather than gate it: when the suite
    #: sets none of them and no ``severity``, a finding is a warning (see :attr:`advisory`)
    advisory_params: ClassVar[tuple[str, ...]] = ()

    def __init__(self, spec: CheckSpec) -> None:
        self.spec = spec
        self.p: Mapping[str, Any] = spec.params
        #: every column this check was bound to (set by the planner); per-column checks that
        #: correct for multiple testing across their columns read their siblings from here
        self.bound_columns: list[Any] = []
        #: how many of the suite's shift checks share the default false-alarm budget (set by the
        #: planner); see :attr:`alpha`
        self.alpha_share: int = 1

    @property
    def alpha(self) -> float:
        """The check's test level: its ``alpha`` parameter when the suite sets one, else its share
        of :data:`FAMILY_ALPHA` (0.05 split evenly over the suite's shift checks that leave ``alpha``
        unset), so that a whole default shift suite run on unchanged data fails about 5% of the time
        at most, not 5% per check."""
        a = self.p.get("alpha")
        return float(a) if a is not None else FAMILY_ALPHA / max(1, self.alpha_share)

    # -- validation ---------------------------------------------------------------------------
    @classmethod
    def validate_params(cls, params: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Cross-parameter validation. Return ``(key, message)`` pairs for every problem."""
        return []

    # -- planning and judging -----------------------------------------------------------------
    def requires(self, column: str | None, ctx: Context) -> Iterable[Kernel | OnReference]:
        """Kernels needed to judge ``column`` given the metrics computed so far (``ctx``)."""
        return ()

    def evaluate(self, column: str | None, ctx: Context) -> Result | list[Result]:
        """Judge from metrics. Raise :class:`datacheck.context.MetricUnavailable` to report ``error``."""
        raise NotImplementedError

    # -- helpers for subclasses ---------------------------------------------------------------
    @property
    def advisory(self) -> bool:
        """True when this check judges only by default thresholds that describe the data.

        Heavy tails, skewness, real missingness and class imbalance are facts of most real tables:
        on seven clean public tables the default ``outliers``, ``skew`` and ``missing`` thresholds
        failed every one (docs/integrity.md). A threshold nobody chose cannot tell a clean table
        from a broken one, so such a finding is a ``warn``; a threshold the suite sets (or
        ``severity: error``) gates the run. Findings that are defects whatever the table (an
        entirely missing column) are judged with :attr:`strict_severity`.
        """
        given: frozenset[str] = getattr(self.spec, "given", frozenset())
        return bool(self.advisory_params) and not (given & {"severity", *self.advisory_params})

    @property
    def strict_severity(self) -> str:
        """The suite's severity, ignoring the advisory default."""
        return self.spec.params.get("severity", "error")

    @property
    def severity(self) -> str:
        return "warn" if self.advisory else self.strict_severity

    def result(
        self,
        column: Any,
        ok: bool | None,
        *,
        observed: Any = None,
        expected: Any = None,
        message: str = "",
        evidence: Any = None,
        method: str | None = None,
        details: Mapping[str, Any] | None = None,
        effect_size: float | None = None,
        interval: tuple[float, float] | None = None,
        p_value: float | None = None,
        status: str | None = None,
        strict: bool = False,
    ) -> Result:
        """Build a :class:`~datacheck.report.Result`; ``ok=False`` becomes ``fail`` or ``warn`` by severity.

        ``strict=True`` judges by the suite's severity even where the thresholds are advisory
        defaults (a finding that is a defect on any table).
        """
        severity = self.strict_severity if strict else self.severity
        if status is None:
            status = "pass" if ok else ("fail" if severity == "error" else "warn")
        if not ok and not strict and self.advisory and status == "warn":
            shown = " or ".join(self.advisory_params[:2])
            details = {
                **dict(details or {}),
                "advisory": f"default threshold: reported, not gating (set {shown} or severity: error to gate)",
            }
        return Result(
            check=self.name,
            column=column,
            severity=severity,
            status=status,
            observed=observed,
            expected=expected,
            message=message,
            evidence=evidence,
            method=method,
            details=dict(details or {}),
            effect_size=effect_size,
            interval=interval,
            p_value=p_value,
            family=self.family,
            check_index=self.spec.index,
            suite_path=self.spec.path,
            description=self.spec.params.get("description"),
        )

    def error(self, column: Any, message: str) -> Result:
        return self.result(column, None, status="error", message=message)

    def skipped(self, column: Any, message: str) -> Result:
        return self.result(column, None, status="skipped", message=message)
