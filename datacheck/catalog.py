"""The catalogue of checks, generated from their ``Param`` declarations so it cannot go stale.

One source for ``datacheck checks`` (text) and the docs site's reference pages (Markdown): each
check's one-line meaning (the first paragraph of its module docstring), its family, whether it runs
per column, and every parameter with its kind, default and meaning.

Examples
--------
>>> entry = describe("row_count")
>>> entry.family, [p.name for p in entry.params][:2]
('integrity', ['min', 'max'])
>>> print(text_table().splitlines()[0].split()[:2])
['check', 'family']
"""

from __future__ import annotations

import difflib
import inspect
import sys
from dataclasses import dataclass

from datacheck.checks import COMMON_PARAMS, REGISTRY, Check
from datacheck.errors import DatacheckError
from datacheck.params import COLUMN_KEYWORDS, REQUIRED, Param

__all__ = ["CheckEntry", "ParamEntry", "describe", "entries", "text_table", "text_detail", "markdown_page"]


@dataclass(frozen=True)
class ParamEntry:
    """One parameter as a user reads it."""

    name: str
    kind: str
    default: str
    doc: str


@dataclass(frozen=True)
class CheckEntry:
    """One check: name, family, meaning, parameters."""

    name: str
    family: str
    summary: str
    per_column: bool
    needs_reference: bool
    params: tuple[ParamEntry, ...]
    module: str


def _kind_text(p: Param) -> str:
    if p.kind == "choice":
        return " | ".join(map(str, p.choices))
    if p.kind in ("number", "integer") and (p.low is not None or p.high is not None):
        return f"{p.kind} in {p._bounds_text()}"
    return {
        "strings": "string or list of strings",
        "columns": "column selector",
        "column": "column name",
        "bool": "true | false",
    }.get(p.kind, p.kind)


def _default_text(p: Param) -> str:
    if p.default is REQUIRED:
        return "required"
    if p.default is None:
        return "none"
    if isinstance(p.default, bool):
        return "true" if p.default else "false"
    if isinstance(p.default, (tuple, list)):
        return "[]" if not p.default else "[" + ", ".join(map(str, p.default)) + "]"
    return str(p.default)


def _summary(cls: type[Check]) -> str:
    doc = inspect.getdoc(sys.modules[cls.__module__]) or inspect.getdoc(cls) or ""
    para = " ".join(doc.split("\n\n")[0].split())
    prefix = f"``{cls.name}``:"
    if para.startswith(prefix):
        para = para[len(prefix) :].strip()
    return para.replace("``", "`")


def describe(name: str) -> CheckEntry:
    """The catalogue entry of one check.

    Raises
    ------
    DatacheckError
        When no check has this name (with the closest name).
    """
    if name not in REGISTRY:
        close = difflib.get_close_matches(name, list(REGISTRY), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; known checks: {', '.join(sorted(REGISTRY))}"
        raise DatacheckError(f"{name!r} is not a known check{hint}")
    cls = REGISTRY[name]
    params: list[ParamEntry] = []
    if cls.per_column:
        sel = cls.default_columns
        params.append(
            ParamEntry(
                "columns",
                "column selector",
                "required" if sel is REQUIRED else str(sel),
                f"a column, a list of columns, or one of {', '.join(COLUMN_KEYWORDS)}",
            )
        )
        params.append(ParamEntry("exclude", "string or list of strings", "[]", "columns left out of the selector"))
    for pname, p in list(cls.params.items()) + list(COMMON_PARAMS.items()):
        if pname in {e.name for e in params}:
            continue
        default, doc = _default_text(p), " ".join(p.doc.split())
        if pname == "severity" and cls.advisory_params:
            default = "warn while the thresholds are defaults"
            doc += (
                f"; this check's default thresholds describe the data (a finding warns): setting any of "
                f"{', '.join(cls.advisory_params)}, or severity, makes it gate"
            )
        params.append(ParamEntry(pname, _kind_text(p), default, doc))
    return CheckEntry(
        name=name,
        family=cls.family,
        summary=_summary(cls),
        per_column=cls.per_column,
        needs_reference=cls.needs_reference,
        params=tuple(params),
        module=cls.__module__,
    )


def entries() -> list[CheckEntry]:
    """Every registered check, by family then name."""
    order = {"integrity": 0, "shift": 1, "bias": 2, "label_errors": 3, "slices": 4}
    return sorted((describe(n) for n in REGISTRY), key=lambda e: (order.get(e.family, 9), e.name))


def _first_sentence(text: str, width: int) -> str:
    s = text.split(". ")[0].rstrip(".")
    return s if len(s) <= width else s[: width - 1] + "…"


def text_table(width: int = 100) -> str:
    """All checks, one line each: name, family, meaning (``datacheck checks``)."""
    es = entries()
    w = max(len(e.name) for e in es)
    lines = [f"{'check':<{w}}  {'family':<12}  meaning"]
    for e in es:
        lines.append(f"{e.name:<{w}}  {e.family:<12}  {_first_sentence(e.summary, max(20, width - w - 16))}")
    lines.append("")
    lines.append("`datacheck checks NAME` lists a check's parameters, defaults and meaning.")
    return "\n".join(lines)


def text_detail(name: str) -> str:
    """One check's parameters, defaults and meaning (``datacheck checks NAME``)."""
    e = describe(name)
    scope = "per column" if e.per_column else "on the whole table"
    ref = "; compares with a reference (reference= or a saved profile)" if e.needs_reference else ""
    lines = [f"{e.name} ({e.family}, {scope}{ref})", "", e.summary, "", "parameters:"]
    w = max(len(p.name) for p in e.params)
    for p in e.params:
        lines.append(f"  {p.name:<{w}}  {p.kind}; default {p.default}")
        if p.doc:
            lines.append(f"  {'':<{w}}  {p.doc}")
    lines += ["", "in a suite:", f"  checks:\n    - {e.name}: {{{_example_params(e)}}}"]
    return "\n".join(lines)


def _example_params(e: CheckEntry) -> str:
    req = [p for p in e.params if p.default == "required"]
    if not req:
        return "severity: error"
    return ", ".join(f"{p.name}: ..." for p in req)


def _md_escape(s: str) -> str:
    return s.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def markdown_page(name: str) -> str:
    """A reference page for one check in Markdown (the docs site builds these at build time)."""
    e = describe(name)
    scope = "per column" if e.per_column else "on the whole table"
    out = [
        f"# `{e.name}`",
        "",
        f"*Family:* {e.family} · *runs* {scope}"
        + (" · *needs a reference* (data or a saved profile)" if e.needs_reference else ""),
        "",
        _md_escape(e.summary),
        "",
        "| parameter | kind | default | meaning |",
        "|---|---|---|---|",
    ]
    for p in e.params:
        out.append(f"| `{p.name}` | {_md_escape(p.kind)} | `{_md_escape(p.default)}` | {_md_escape(p.doc)} |")
    out += [
        "",
        "```yaml",
        "checks:",
        f"  - {e.name}: {{{_example_params(e)}}}",
        "```",
        "",
        f"Generated from the `Param` declarations in `{e.module}`.",
        "",
    ]
    return "\n".join(out)
