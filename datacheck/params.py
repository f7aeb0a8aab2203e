"""Declarative parameter validation for checks.

A check declares its parameters as :class:`Param` objects; the suite loader validates every
value against them before any data is read, in the manner of scikit-learn's parameter
validation (``must be a number in [0, 1]; got 1.5``).

Examples
--------
>>> p = Param("number", default=0.05, low=0, high=1)
>>> p.validate(0.1)
0.1
>>> p.validate(1.5)
Traceback (most recent call last):
...
ValueError: must be a number in [0, 1]; got 1.5
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Param", "REQUIRED", "COLUMN_KEYWORDS", "KEYWORD_TYPES", "keyword_columns", "MAX_REGEX_CHARS"]


class _Required:
    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        return "REQUIRED"


REQUIRED: Any = _Required()

#: longest regular expression a suite may give (the engine is RE2: linear time, but memory grows with size)
MAX_REGEX_CHARS = 2_000

#: Column selector keywords and the logical types each selects (None: every type).
KEYWORD_TYPES: dict[str, tuple[str, ...] | None] = {
    "*": None,
    "numeric": ("integer", "float"),
    "categorical": ("string", "categorical", "boolean"),
    "string": ("string", "categorical"),
    "boolean": ("boolean",),
    "datetime": ("datetime",),
}

#: Column selector keywords understood by every column check.
COLUMN_KEYWORDS = tuple(KEYWORD_TYPES)


def keyword_columns(sel: str, logical: Mapping[str, str], *, skip: Iterable[str] = ()) -> list[str]:
    """The columns a type keyword selects, in schema order: those whose logical type the keyword
    names (``logical``: column -> logical type), minus ``skip``. The one meaning of a selector
    keyword, for the planner (``columns`` of per-column checks) and for checks that select their
    own columns.

    >>> keyword_columns("numeric", {"a": "float", "b": "string", "c": "integer"}, skip=["c"])
    ['a']
    """
    kinds = KEYWORD_TYPES[sel]
    skipped = set(skip)
    return [c for c, t in logical.items() if c not in skipped and (kinds is None or t in kinds)]


def _has_nan(v: Any) -> bool:
    if isinstance(v, float):
        return math.isnan(v)
    if isinstance(v, (list, tuple)):
        return any(_has_nan(x) for x in v)
    if isinstance(v, dict):
        return any(_has_nan(x) for x in v.values())
    return False


def _unencodable(v: Any) -> str | None:
    """The first string inside ``v`` that is not valid Unicode text (a lone surrogate), if any."""
    if isinstance(v, str):
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:
            return v
        return None
    if isinstance(v, (list, tuple)):
        return next((s for s in map(_unencodable, v) if s is not None), None)
    if isinstance(v, dict):
        return next((s for s in map(_unencodable, [*v.keys(), *v.values()]) if s is not None), None)
    return None


def _fmt(v: Any) -> str:
    return repr(v) if isinstance(v, str) else str(v)


@dataclass(frozen=True)
class Param:
    """One parameter of a check.

    Parameters
    ----------
    kind : str
        ``number``, ``integer``, ``bool``, ``string``, ``choice``, ``strings`` (a string or a list
        of strings), ``list`` (a list of scalars), ``mapping``, ``regex``, ``columns`` (a column
        selector), ``column`` (one column name), ``any``.
    default : object
        The default, or :data:`REQUIRED`.
    low, high : float, optional
        Bounds for numbers; ``low_open``/``high_open`` make them exclusive.
    choices : sequence of str, optional
        Allowed values for ``choice``.
    nullable : bool
        Whether ``null`` is accepted.
    doc : str
        One line for the README and error messages.
    """

    kind: str
    default: Any = None
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: Sequence[str] = ()
    nullable: bool = False
    doc: str = ""
    item: Callable[[Any], Any] | None = field(default=None, compare=False)

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def _bounds_text(self) -> str:
        lo = "-inf" if self.low is None else _fmt(self.low)
        hi = "inf" if self.high is None else _fmt(self.high)
        return f"{'(' if self.low_open or self.low is None else '['}{lo}, {hi}{')' if self.high_open or self.high is None else ']'}"

    def _check_number(self, value: Any, integer: bool) -> Any:
        what = "an integer" if integer else "a number"
        ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok_type or (isinstance(value, float) and math.isnan(value)):
            raise ValueError(f"must be {what} in {self._bounds_text()}; got {_fmt(value)}")
        bad = (self.low is not None and (value < self.low or (self.low_open and value == self.low))) or (
            self.high is not None and (value > self.high or (self.high_open and value == self.high))
        )
        if bad:
            raise ValueError(f"must be {what} in {self._bounds_text()}; got {_fmt(value)}")
        if integer:
            return int(value)
        try:
            return float(value)
        except OverflowError:  # an integer beyond the float range (about 1.8e308)
            raise ValueError(
                f"must be {what} in {self._bounds_text()} within the float range (about ±1.8e308); "
                f"got an integer of {len(str(abs(value)))} digits"
            ) from None

    def validate(self, value: Any) -> Any:
        """Return the normalised value or raise ``ValueError`` with a message that follows a path."""
        bad_text = _unencodable(value)
        if bad_text is not None:
            shown = bad_text.encode("utf-8", "backslashreplace").decode("utf-8")
            raise ValueError(f"must be valid Unicode text; {shown[:60]!r} holds a lone surrogate")
        if self.kind in ("list", "any", "mapping") and _has_nan(value):
            # NaN is never a meaningful bound, sentinel or allowed value (and equals nothing)
            raise ValueError(f"must not contain NaN; got {_fmt(value)}")
        if value is None:
            if self.nullable or (self.default is None and not self.required):
                return None
            raise ValueError("must not be null")
        k = self.kind
        if k == "number":
            return self._check_number(value, integer=False)
        if k == "integer":
            return self._check_number(value, integer=True)
        if k == "bool":
            if not isinstance(value, bool):
                raise ValueError(f"must be true or false; got {_fmt(value)}")
            return value
        if k == "string" or k == "column":
            if not isinstance(value, str):
                raise ValueError(f"must be a string; got {_fmt(value)}")
            return value
        if k == "choice":
            if value not in self.choices:
                raise ValueError(f"must be one of {', '.join(map(repr, self.choices))}; got {_fmt(value)}")
            return value
        if k == "strings":
            if isinstance(value, str):
                return (value,)
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"must be a string or a list of strings; got {_fmt(value)}")
            return tuple(value)
        if k == "list":
            if not isinstance(value, (list, tuple)):
                raise ValueError(f"must be a list; got {_fmt(value)}")
            items = tuple(self.item(v) if self.item else v for v in value)
            return items
        if k == "mapping":
            if not isinstance(value, dict):
                raise ValueError(f"must be a mapping; got {_fmt(value)}")
            return dict(value)
        if k == "regex":
            if not isinstance(value, str):
                raise ValueError(f"must be a regular expression string; got {_fmt(value)}")
            if len(value) > MAX_REGEX_CHARS:
                raise ValueError(
                    f"is a regular expression of {len(value):,} characters; at most {MAX_REGEX_CHARS:,} are allowed"
                )
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"must be a valid regular expression; {exc}: {value!r}") from None
            return value
        if k == "columns":
            if isinstance(value, str):
                return value
            if (
                isinstance(value, (list, tuple))
                and value
                and all(
                    isinstance(v, str) or (isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v))
                    for v in value
                )
            ):
                return tuple(tuple(v) if isinstance(v, (list, tuple)) else v for v in value)
            raise ValueError(
                "must be a column name, a non-empty list of names, or one of "
                f"{', '.join(map(repr, COLUMN_KEYWORDS))}; got {_fmt(value)}"
            )
        if k == "any":
            return value
        raise AssertionError(f"unknown parameter kind {k}")  # pragma: no cover
