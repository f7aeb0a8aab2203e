"""The suite: loaded safely from YAML (or taken as a dict), validated whole against the check
registry, frozen.

Every problem is collected (not only the first) and reported in one :class:`SuiteError` that
names the suite file, the line and the path inside the suite, before any data is read.

Examples
--------
>>> suite = load_suite({"name": "demo", "checks": [{"missing": {"max_fraction": 0.1}}]})
>>> suite.checks[0].name, suite.checks[0].params["max_fraction"]
('missing', 0.1)
>>> load_suite({"name": "demo", "checks": [{"missing": {"max_fraction": 1.5}}]})
Traceback (most recent call last):
...
datacheck.errors.SuiteError: <dict>: checks[0].missing.max_fraction must be a number in [0, 1]; got 1.5
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from datacheck.checks import COMMON_PARAMS, REGISTRY
from datacheck.errors import SuiteError
from datacheck.params import Param
from datacheck.spec import CheckSpec, Roles

__all__ = ["Suite", "Roles", "CheckSpec", "load_suite"]

_TOP_KEYS = ("name", "description", "dataset", "checks")
_ROLE_KEYS = ("label", "prediction", "scores", "protected", "id", "positive_label", "task")


@dataclass(frozen=True)
class Suite:
    """A validated suite. Build it with :func:`load_suite` (from a path or a dict).

    Examples
    --------
    >>> s = Suite.from_dict({"name": "s", "dataset": {"label": "y"}, "checks": [{"row_count": {"min": 1}}]})
    >>> s.dataset.label
    'y'
    """

    name: str
    checks: tuple[CheckSpec, ...]
    dataset: Roles = field(default_factory=Roles)
    description: str | None = None
    source: str = "<dict>"
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    lines: Mapping[tuple, int] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, source: str = "<dict>", lines: Mapping[tuple, int] | None = None
    ) -> Suite:
        return _Parser(source, lines or {}).parse(data)

    @classmethod
    def from_yaml(cls, path: str | os.PathLike) -> Suite:
        return load_suite(path)

    def line_of(self, path: tuple) -> int | None:
        """The suite-file line of a path inside the suite, when known."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None

    def to_dict(self) -> dict[str, Any]:
        """The suite as plain data (what was loaded, defaults not filled in)."""
        return dict(self.raw)

    def to_great_expectations(self) -> dict[str, Any]:
        """This suite as a Great Expectations 1.x suite dict; see :func:`datacheck.gx.suite_to_great_expectations`."""
        from datacheck.gx_format import suite_dict  # the GX vocabulary, compiled only when asked for

        return suite_dict(self)


def _fmt_path(path: tuple) -> str:
    s = ""
    for p in path:
        s += f"[{p}]" if isinstance(p, int) else (f".{p}" if s else str(p))
    return s


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Parser:
    def __init__(self, source: str, lines: Mapping[tuple, int]):
        self.source = source
        self.lines = lines
        self.problems: list[SuiteError] = []

    def problem(self, path: tuple, message: str) -> None:
        line = None
        p = path
        while p and line is None:
            line = self.lines.get(p)
            p = p[:-1]
        self.problems.append(SuiteError(message, source=self.source, path=_fmt_path(path) or None, line=line))

    def parse(self, data: Any) -> Suite:
        if not isinstance(data, Mapping):
            raise SuiteError(
                f"a suite must be a mapping with 'name' and 'checks'; got {type(data).__name__}", source=self.source
            )
        for k in data:
            if k not in _TOP_KEYS:
                self.problem(
                    (k,), f"is not a suite key; expected one of {', '.join(_TOP_KEYS)}{_suggest(k, _TOP_KEYS)}"
                )
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            self.problem(("name",), f"must be a non-empty string; got {name!r}")
            name = ""  # unused: the recorded problem is raised before the Suite is built
        desc = data.get("description")
        if desc is not None and not isinstance(desc, str):
            self.problem(("description",), f"must be a string; got {desc!r}")
        roles = self.parse_roles({} if data.get("dataset") is None else data["dataset"])
        checks_raw = data.get("checks")
        specs: list[CheckSpec] = []
        if not isinstance(checks_raw, list):
            self.problem(("checks",), f"must be a list of checks; got {checks_raw!r}")
            checks_raw = []
        for i, item in enumerate(checks_raw):
            path = ("checks", i)
            if isinstance(item, str):
                item = {item: {}}
            if not isinstance(item, Mapping) or len(item) != 1:
                self.problem(
                    path,
                    "must be a mapping with exactly one check name, e.g. '- missing: {max_fraction: 0.05}'; "
                    f"got {item!r}",
                )
                continue
            ((cname, params),) = item.items()
            if cname not in REGISTRY:
                self.problem(
                    path + (cname,),
                    f"is not a known check{_suggest(cname, REGISTRY)}; known checks: {', '.join(sorted(REGISTRY))}",
                )
                continue
            cls = REGISTRY[cname]
            params = {} if params is None else params
            if not isinstance(params, Mapping):
                self.problem(path + (cname,), f"must be a mapping of parameters; got {params!r}")
                continue
            declared: dict[str, Param] = dict(COMMON_PARAMS)
            declared.update(cls.params)
            if cls.per_column or "columns" in cls.params:
                declared.setdefault("columns", Param("columns", default=cls.default_columns))
                declared.setdefault("exclude", Param("strings", default=(), doc="columns left out of the selection"))
            values: dict[str, Any] = {}
            ok = True
            for k, v in params.items():
                if k not in declared:
                    self.problem(
                        path + (cname, k),
                        f"is not a parameter of {cname}{_suggest(k, declared)}; "
                        f"parameters: {', '.join(sorted(declared))}",
                    )
                    ok = False
                    continue
                try:
                    values[k] = declared[k].validate(v)
                except ValueError as exc:
                    self.problem(path + (cname, k), str(exc))
                    ok = False
                    continue
                if (
                    k == "columns"
                    and isinstance(values[k], tuple)
                    and not getattr(cls, "compound_keys", False)
                    and any(isinstance(c, tuple) for c in values[k])
                ):
                    self.problem(
                        path + (cname, k),
                        f"lists a compound key {list(next(c for c in values[k] if isinstance(c, tuple)))!r}; "
                        f"{cname} takes column names (compound keys are for unique)",
                    )
                    ok = False
            for k, prm in declared.items():
                if k not in values and k not in params:
                    if prm.required:
                        self.problem(path + (cname,), f"needs parameter {k!r} ({prm.doc or prm.kind})")
                        ok = False
                    else:
                        values[k] = prm.default
            if ok:
                try:
                    cross = list(cls.validate_params(values))
                except OverflowError:  # a check's own validation met a number beyond the float range
                    cross = [("", "holds a number beyond the float range (about ±1.8e308); use a smaller bound")]
                for key, msg in cross:
                    self.problem(path + (cname,) + ((key,) if key else ()), msg)
                    ok = False
            specs.append(
                CheckSpec(
                    name=cname,
                    params=MappingProxyType(values),
                    index=i,
                    path=_fmt_path(path + (cname,)),
                    line=self.lines.get(path),
                    columns=values.get("columns"),
                    given=frozenset(k for k in params if k in values),
                )
            )
        if self.problems:
            if len(self.problems) == 1:
                raise self.problems[0]
            raise SuiteError("", source=self.source, problems=self.problems)
        return Suite(
            name=name,
            checks=tuple(specs),
            dataset=roles,
            description=desc,
            source=self.source,
            raw=dict(data),
            lines=dict(self.lines),
        )

    def parse_roles(self, block: Any) -> Roles:
        if not isinstance(block, Mapping):
            self.problem(("dataset",), f"must be a mapping of column roles ({', '.join(_ROLE_KEYS)}); got {block!r}")
            return Roles()
        kw: dict[str, Any] = {}
        for k, v in block.items():
            path = ("dataset", k)
            if k not in _ROLE_KEYS:
                self.problem(
                    path, f"is not a column role; expected one of {', '.join(_ROLE_KEYS)}{_suggest(k, _ROLE_KEYS)}"
                )
                continue
            if k in ("scores", "protected"):
                if isinstance(v, str):
                    v = [v]
                if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                    self.problem(path, f"must be a column name or a list of column names; got {v!r}")
                    continue
                kw[k] = tuple(v)
            elif k == "task":
                if v not in ("classification", "regression", None):
                    self.problem(path, f"must be 'classification' or 'regression'; got {v!r}")
                    continue
                kw[k] = v
            elif k == "positive_label":
                if not isinstance(v, (str, int, float, bool)):
                    self.problem(path, f"must be a scalar label value; got {v!r}")
                    continue
                kw[k] = v
            else:
                if v is not None and not isinstance(v, str):
                    self.problem(path, f"must be a column name; got {v!r}")
                    continue
                kw[k] = v
        return Roles(**kw)


def load_suite(suite: str | os.PathLike | Mapping[str, Any] | Suite) -> Suite:
    """Load and validate a suite from a YAML path, a dict, or return a :class:`Suite` unchanged.

    Parameters
    ----------
    suite : path, dict or Suite
        A YAML file (loaded with ``yaml.safe_load``: a suite is data, never code), the same
        structure as a dict, or an existing Suite.

    Returns
    -------
    Suite

    Raises
    ------
    SuiteError
        Naming the file, line and path of every problem found.

    Examples
    --------
    >>> load_suite({"name": "s", "checks": ["duplicates"]}).checks[0].name
    'duplicates'
    """
    if isinstance(suite, Suite):
        return suite
    if isinstance(suite, Mapping):
        return Suite.from_dict(suite)
    if not isinstance(suite, (str, os.PathLike)):
        raise SuiteError(f"a suite must be a path, a dict or a datacheck.Suite; got {type(suite).__name__}")
    from datacheck.suite_yaml import read_suite_file  # PyYAML only when a suite is read from a file

    path = os.fspath(suite)
    data, lines, duplicates = read_suite_file(path)
    parser = _Parser(path, lines)
    for dpath, line in duplicates:
        # YAML lets a later key silently replace an earlier one: a suite says it once
        parser.problems.append(
            SuiteError(
                "is given more than once (the later value would silently win)",
                source=path,
                path=_fmt_path(dpath),
                line=line,
            )
        )
    return parser.parse(data if data is not None else {})
