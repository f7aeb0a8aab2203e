"""The package's import graph: no cycles, and the layering rules of docs/architecture.md.

Every import counts, including those inside functions and under ``TYPE_CHECKING``: a
function-level import that runs back up the layers is still a cycle in the design, only hidden
from the interpreter.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "datacheck"


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(module: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(imported module of this package, line) for every import statement in the file."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            names = [stem] + [f"{stem}.{a.name}" for a in node.names]
        for name in names:
            if name in known and name != module:
                yield name, node.lineno


@pytest.fixture(scope="module")
def graph() -> dict[str, dict[str, int]]:
    known = _modules()
    return {m: dict(_imports(m, p, known)) for m, p in known.items()}


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    comp.append(m)
                    if m == node:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def test_the_cycle_finder_finds_a_planted_cycle():
    g = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert _cycles(g) == [["a", "b", "c"]]
    assert _cycles({"a": {"b": 1}, "b": {}}) == []


def test_no_import_cycles(graph):
    cycles = _cycles(graph)
    described = [
        " <-> ".join(c) + ": " + "; ".join(f"{a} -> {b} (line {graph[a][b]})" for a in c for b in graph[a] if b in c)
        for c in cycles
    ]
    assert not cycles, "import cycles:\n" + "\n".join(described)


@pytest.mark.parametrize(
    "lower, upper",
    [
        ("datacheck.engines", "datacheck.checks"),  # engines fold kernels; they never import checks
        ("datacheck.kernels", "datacheck.checks"),
        ("datacheck.figures", "datacheck.stats"),  # figures draw computed results, never compute
        ("datacheck.figures", "datacheck.kernels"),
        ("datacheck.checks", "datacheck.suite"),  # checks read their CheckSpec, not the loader
        ("datacheck.checks", "datacheck.report"),  # checks build Results; the report sits above
        ("datacheck.spec", "datacheck.checks"),
        ("datacheck.result", "datacheck.checks"),
    ],
)
def test_layers_do_not_import_upward(graph, lower, upper):
    bad = [
        f"{m} -> {t} (line {line})"
        for m, targets in graph.items()
        if m == lower or m.startswith(lower + ".")
        for t, line in targets.items()
        if t == upper or t.startswith(upper + ".")
    ]
    assert not bad, f"{lower} must not import {upper}: " + "; ".join(bad)
