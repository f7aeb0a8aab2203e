r"""Reading a suite file: size limits, safe YAML, line numbers and repeated keys.

PyYAML is imported here only, so a suite given as a dict (the Python API) never imports it.
The composed node graph is checked for size, aliases and depth before anything is built from it
(a "billion laughs" file costs time in proportion to the file, not to its expansion).

Examples
--------
>>> import tempfile, os
>>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
...     _ = fh.write("name: s\nchecks:\n  - duplicates\n  - duplicates: {}\nname: t\n")
>>> data, lines, repeated = read_suite_file(fh.name)
>>> data["checks"], lines[("checks",)], repeated
(['duplicates', {'duplicates': {}}], 2, [(('name',), 5)])
>>> os.unlink(fh.name)
"""

from __future__ import annotations

import os
from typing import Any

import yaml  # type: ignore[import-untyped]  # PyYAML ships no annotations; types-PyYAML is not a dependency

from datacheck.errors import SuiteError

__all__ = ["read_suite_file", "MAX_SUITE_BYTES", "MAX_YAML_NODES", "MAX_YAML_ALIASES", "MAX_YAML_DEPTH"]


def read_suite_file(path: str) -> tuple[Any, dict[tuple, int], list[tuple[tuple, int]]]:
    """The file's data, the line of every path inside it, and the (path, line) of every key given
    twice in one mapping. Raises :class:`SuiteError` for a missing, unreadable, oversized, invalid
    or too deeply nested file."""
    if not os.path.exists(path):
        raise SuiteError(f"suite file does not exist: {path}", source=path)
    try:
        size = os.path.getsize(path)
        if size > MAX_SUITE_BYTES:
            raise SuiteError(
                f"is {size:,} bytes; a suite file may hold at most {MAX_SUITE_BYTES:,} bytes "
                "(a suite lists checks; data belongs in the data)",
                source=path,
            )
        with open(path, encoding="utf-8") as fh:
            text = fh.read(MAX_SUITE_BYTES + 1)
    except (OSError, UnicodeDecodeError) as exc:
        raise SuiteError(f"cannot read suite file: {exc}", source=path) from None
    if len(text) > MAX_SUITE_BYTES:  # a file that grew, or a pipe
        raise SuiteError(
            f"holds more than {MAX_SUITE_BYTES:,} characters; a suite file may hold at most that", source=path
        )
    try:
        node = yaml.compose(text, Loader=_LOADER)  # parsed once; the C parser when libyaml is installed
        _check_size(node, path)
        data = _LOADER("").construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise SuiteError(f"is not valid YAML: {reason}", source=path, line=line) from None
    except RecursionError:
        raise SuiteError(f"is nested more than {MAX_YAML_DEPTH} levels deep", source=path) from None
    lines = _line_map(node) if node is not None else {}
    lines = _line_map(node) if node is not None else {}
    return data, lines, _duplicate_keys(node)


def _line_map(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    out = {} if out is None else out
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) else str(k)
            out[path + (key,)] = k.start_mark.line + 1
            _line_map(v, path + (key,), out)
            out[path + (key,)] = k.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _line_map(v, path + (i,), out)
    return out


#: a suite file larger than this is refused before it is parsed
MAX_SUITE_BYTES = 1 << 20
#: YAML nodes after expanding aliases, alias uses, and nesting depth a suite may have
MAX_YAML_NODES = 100_000
MAX_YAML_ALIASES = 100
MAX_YAML_DEPTH = 64


#: the C parser when libyaml is installed; safe either way (a suite is data, never code)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _check_size(root: yaml.Node | None, source: str) -> None:
    """Refuse a document with more nodes, aliases or depth than a person writes.

    Runs on the composed graph (an alias is the same node object reached twice) without expanding
    it: expanded sizes are summed per distinct node, iteratively, so "billion laughs", a
    self-referencing alias or deep nesting cost time proportional to the file, not to its expansion.
    """
    if root is None:
        return
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    seen_refs = 0
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    visited: set[int] = set()
    while stack:
        node, done = stack.pop()
        nid = id(node)
        kids = _children(node)
        if done:
            on_path.discard(nid)
            size[nid] = 1 + sum(size[id(k)] for k in kids)
            depth[nid] = 1 + max((depth[id(k)] for k in kids), default=0)
            if size[nid] > MAX_YAML_NODES:
                raise SuiteError(
                    f"expands to more than {MAX_YAML_NODES:,} YAML nodes (through aliases or sheer size); "
                    "a suite is refused beyond that",
                    source=source,
                    line=node.start_mark.line + 1,
                )
            if depth[nid] > MAX_YAML_DEPTH:
                raise SuiteError(
                    f"is nested more than {MAX_YAML_DEPTH} levels deep", source=source, line=node.start_mark.line + 1
                )
            continue
        if nid in visited:
            seen_refs += 1
            if seen_refs > MAX_YAML_ALIASES:
                raise SuiteError(
                    f"uses more than {MAX_YAML_ALIASES} YAML aliases; write the checks out instead",
                    source=source,
                    line=node.start_mark.line + 1,
                )
            continue
        if len(on_path) >= MAX_YAML_DEPTH:
            raise SuiteError(
                f"is nested more than {MAX_YAML_DEPTH} levels deep", source=source, line=node.start_mark.line + 1
            )
        visited.add(nid)
        on_path.add(nid)
        stack.append((node, True))
        for k in kids:
            if id(k) in on_path:
                raise SuiteError(
                    "refers to itself through a YAML alias (an endless structure)",
                    source=source,
                    line=k.start_mark.line + 1,
                )
            stack.append((k, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [x for kv in node.value for x in kv]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _duplicate_keys(node: yaml.Node | None, path: tuple = ()) -> list[tuple[tuple, int]]:
    """(path, line) of every mapping key that repeats an earlier key of the same mapping."""
    out: list[tuple[tuple, int]] = []
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) else str(k)
            if key in seen:
                out.append((path + (key,), k.start_mark.line + 1))
            seen.add(key)
            out += _duplicate_keys(v, path + (key,))
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            out += _duplicate_keys(v, path + (i,))
    return out
