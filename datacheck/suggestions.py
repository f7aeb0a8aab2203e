"""``datacheck.suggest``: infer a readable, commented suite from data.

The data is profiled by folding kernels over it (one pass for every statistic, plus a second pass
restricted to the columns that look like ids, to confirm their uniqueness exactly; a streamed
Parquet path keeps memory bounded: counts, moments, capped frequency tables and, for id-like
columns only, 16 bytes per row). Each bound carries slack sized from the sampling error of the
statistic, so that the suite passes on the data it came from, rarely fails on a fresh sample of
the same data, and still catches real breakage. ``benchmarks/suggest_validity.py`` measures both.

Rules
-----
* schema: every column with its logical type; no unexpected columns;
* row count: between half and twice the rows seen (edit it to your batch size);
* missing values: observed share + 5 standard errors of a difference of two samples (+ 3/n);
  placeholders found (``?``, ``n/a``, empty strings, ...) are allowed at their observed share
  plus the same slack, and sentinel detection stays on;
* numeric ranges: observed [min, max] widened by 25% of the span, a share max(0.5%, 6/n) of the values present allowed outside;
* low-cardinality columns (<= 50 values): the observed values, with a share allowed outside for
  rare values the sample missed: the Good–Turing unseen mass (values seen once / n) plus slack, at
  least 0.5% or 3/n;
* string columns whose values share one shape (digits, ISO dates, upper-case codes, uuids, ids):
  that pattern, and the observed length range;
* id-like columns (every value distinct, integer or string): uniqueness;
* outliers (IQR, k = 3) for continuous columns: observed share + slack;
* duplicate rows: observed share + slack;
* with ``roles``: the dataset block and the drift, bias, label-error and slice checks.

Duplicates and uniqueness hold a hash per row; on a source known to have more than
``MAX_HASHED_ROWS`` (5,000,000) rows they are not profiled (the duplicates check keeps its default
bound, and no ``unique`` is suggested), so memory stays bounded whatever the file's size.

Examples
--------
>>> import pandas as pd, datacheck
>>> df = pd.DataFrame({"id": range(200), "sex": ["F", "M"] * 100, "age": [20 + i % 50 for i in range(200)]})
>>> suite = datacheck.suggest(df)
>>> sorted({c.name for c in suite.checks})[:4]
['allowed_values', 'duplicates', 'missing', 'outliers']
>>> datacheck.run(df, suite).passed
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import yaml  # type: ignore[import-untyped]  # PyYAML ships no annotations; types-PyYAML is not a dependency

__all__ = ["suggest", "suggest_yaml", "infer"]

LOW_CARDINALITY = 50
#: shapes a string column may share, most specific first (RE2, matched whole)
SHAPES = [
    ("uuid", r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
    ("ISO date", r"\d{4}-\d{2}-\d{2}"),
    ("ISO timestamp", r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"),
    ("digits", r"\d+"),
    ("upper-case code", r"[A-Z][A-Z0-9_-]*"),
    ("identifier", r"[A-Za-z0-9][A-Za-z0-9_.:-]*"),
]


MAX_HASHED_ROWS = 5_000_000  # rows above which duplicates and id uniqueness are not profiled (memory)


def _slack(p: float, n: int, z: float = 5.0) -> float:
    """Room for a share ``p`` seen in ``n`` rows to vary in a fresh sample of the same size."""
    if n <= 0:
        return 1.0
    return z * math.sqrt(2 * max(p, 1.0 / n) * (1 - min(p, 1 - 1.0 / n)) / n) + 3.0 / n


def _unseen_allowance(counts: Mapping[Any, int], n: int) -> float:
    """Share of values outside the ones seen to allow in a fresh sample: the Good–Turing estimate of
    the unseen mass (values seen once / n) plus sampling slack, and at least 0.5% or 3/n. A count
    column with a long tail (prior offences 0..40) brings new values in every fresh sample; codes seen
    many times each do not."""
    singletons = sum(1 for v in counts.values() if v == 1)
    return round(max(0.005, 3 / n, _share(singletons / n, n) if n else 1.0), 4)


def _share(p: float, n: int) -> float:
    return round(min(1.0, p + _slack(p, n)), 4)


def _nice(x: float) -> float | int:
    if x == int(x) and abs(x) < 1e15:
        return int(x)
    return float(f"{x:.6g}")


def infer(
    data: Any, *, reference: Any = None, roles: Mapping[str, Any] | None = None, name: str = "suggested"
) -> tuple[dict, list[str]]:
    """The suggested suite as plain data, and one comment per check (what was seen, why this bound)."""
    from datacheck.checks.missing import DEFAULT_PLACEHOLDERS
    from datacheck.context import schema_info
    from datacheck.engines.local import fold
    from datacheck.engines.opener import open_source
    from datacheck.kernels import (
        ColumnCounts,
        CountOutside,
        DisguisedMissing,
        Frequencies,
        Moments,
        RowCount,
        RowHashes,
    )
    from datacheck.kernels.lengths import LengthStats
    from datacheck.kernels.quantiles import Sketch

    src = open_source(data)
    cols = schema_info(src.schema)
    roles = dict(roles or {})
    # exact duplicate and id checks hold a hash per row: past MAX_HASHED_ROWS (known before reading,
    # from the source's metadata) they are not profiled, so memory stays bounded on any file size
    hashed = src.num_rows is None or src.num_rows <= MAX_HASHED_ROWS
    kernels: list = [RowCount()] + ([RowHashes(tuple(cols))] if hashed else [])
    for c, info in cols.items():
        kernels.append(ColumnCounts(c))
        if info.logical in ("integer", "float"):
            kernels += [Moments(c), Sketch(c)]
        if info.logical in ("string", "categorical", "integer", "boolean"):
            kernels.append(Frequencies(c, cap=2_000))
        if info.logical in ("string", "categorical"):
            kernels += [LengthStats(c), DisguisedMissing(c, DEFAULT_PLACEHOLDERS)]
        if info.logical == "datetime":
            kernels.append(Moments(c))
    values, failures = fold(src, kernels)
    n = int(values[RowCount()])

    checks: list[dict] = []
    notes: list[str] = []

    def add(check: dict, note: str) -> None:
        checks.append(check)
        notes.append(note)

    add(
        {
            "schema": {
                "columns": {
                    c: (
                        "numeric"
                        if i.logical in ("integer", "float")
                        else "string"
                        if i.logical in ("string", "categorical")
                        else i.logical
                        if i.logical in ("boolean", "datetime")
                        else "any"
                    )
                    for c, i in cols.items()
                },
                "allow_extra": False,
            }
        },
        f"{len(cols)} columns seen, with these types; a dropped, renamed, added or retyped column fails",
    )
    add(
        {"row_count": {"min": max(1, n // 2), "max": n * 2}},
        f"{n:,} rows seen; edit these bounds to the batch size you expect",
    )
    dup = values.get(RowHashes(tuple(cols))) if hashed else None
    if not hashed:
        add(
            {"duplicates": {"max_fraction": 0.001}},
            f"duplicate rows not profiled: {n:,} rows is past {MAX_HASHED_ROWS:,} (exact duplicate detection "
            "holds a hash per row); the check's default bound, 0.1%",
        )
    if dup is not None:
        p = dup["duplicate_rows"] / n if n else 0.0
        add(
            {"duplicates": {"max_fraction": _share(p, n)}},
            f"{dup['duplicate_rows']:,} duplicate rows seen ({p:.2%}); bound = seen + sampling slack",
        )

    for c in cols:
        cc = values.get(ColumnCounts(c))
        if cc is None:
            continue
        p = cc["missing"] / n if n else 0.0
        params: dict[str, Any] = {"columns": c, "max_fraction": _share(p, n)}
        note = f"{c}: {p:.2%} missing"
        dm = values.get(DisguisedMissing(c, DEFAULT_PLACEHOLDERS))
        if dm is not None:
            dis = dm["empty"] + dm["whitespace"] + sum(dm["tokens"].values())
            # even when none was seen: a fresh sample may hold one (a film titled "Missing"), and the
            # check's own default (0) then failed half the fresh splits of a movie table
            params["max_disguised_fraction"] = _share(dis / n, n)
            if dis:
                found = ", ".join(repr(t) for t in list(dm["tokens"])[:5]) or "empty strings"
                note += f"; placeholders found ({found}: {dis / n:.2%}) are allowed at that share"
        add({"missing": params}, note)
    fences: list = []
    for c, info in cols.items():
        freq = values.get(Frequencies(c, cap=2_000))
        lt = info.logical
        if lt in ("integer", "float") and Moments(c) in values:
            m = values[Moments(c)]
            if not m["n"]:
                continue
            distinct = freq["distinct"] if freq is not None and freq["exact"] else None
            if freq is not None and distinct is not None and distinct <= min(LOW_CARDINALITY, 20) and lt == "integer":
                vals = sorted(freq["counts"])
                add(
                    {
                        "allowed_values": {
                            "columns": c,
                            "values": [int(v) for v in vals],
                            "max_fraction": _unseen_allowance(freq["counts"], n),
                        }
                    },
                    f"{c}: {distinct} integer codes seen",
                )
                continue
            span = (m["max"] - m["min"]) or abs(m["max"]) or 1.0
            lo, hi = m["min"] - 0.25 * span, m["max"] + 0.25 * span
            if m["min"] >= 0 and lo < 0:
                lo = 0  # a column never negative stays so
            add(
                {
                    "range": {
                        "columns": c,
                        "min": _nice(lo),
                        "max": _nice(hi),
                        "max_fraction": round(max(0.005, 6 / max(1, int(m["n"]))), 4),  # of the values present
                    }
                },
                f"{c}: values seen in [{m['min']:.6g}, {m['max']:.6g}]; bounds widened by 25% of the span",
            )
            if distinct is None or distinct > 20:
                sk = values[Sketch(c)]
                q1, q3 = sk.quantile(0.25), sk.quantile(0.75)
                iqr = q3 - q1
                if iqr > 0:
                    fences.append((c, CountOutside(c, q1 - 3 * iqr, q3 + 3 * iqr), m["n"]))
        elif lt in ("string", "categorical", "boolean") and freq is not None:
            if freq["exact"] and freq["distinct"] is not None and freq["distinct"] <= LOW_CARDINALITY:
                vals = [v for v in freq["counts"]]
                add(
                    {
                        "allowed_values": {
                            "columns": c,
                            "values": vals,
                            "max_fraction": _unseen_allowance(freq["counts"], n),
                        }
                    },
                    f"{c}: {len(vals)} values seen; a small share of unseen values is allowed for rare ones",
                )
                continue
            if lt == "boolean":
                continue
            sample = pa.array([str(v) for v in freq["counts"]], pa.large_string())
            for shape, rx in SHAPES:
                if len(sample) and pc.all(pc.match_substring_regex(sample, f"^(?:{rx})$")).as_py():
                    add(
                        {"pattern": {"columns": c, "regex": rx, "max_fraction": round(max(0.001, 3 / n), 4)}},
                        f"{c}: every value seen is a {shape}",
                    )
                    ls = values.get(LengthStats(c))
                    if ls and ls["min"] is not None:
                        add(
                            {
                                "value_lengths": {
                                    "columns": c,
                                    "min": ls["min"],
                                    "max": ls["max"],
                                    "max_fraction": round(max(0.001, 3 / n), 4),
                                }
                            },
                            f"{c}: lengths seen {ls['min']}..{ls['max']}",
                        )
                    break

    # id-like columns: exact uniqueness, confirmed in a second pass over those columns only
    # (the same pass counts values beyond the outlier fences)
    cand = [
        c
        for c, i in cols.items()
        if i.logical in ("integer", "string")
        and (f := values.get(Frequencies(c, cap=2_000))) is not None
        and (not f["exact"] or (f["distinct"] == f["total"]))
        and n >= 50
        and values[ColumnCounts(c)]["missing"] == 0
        and hashed
    ]
    ks = [RowHashes((c,)) for c in cand]
    got = fold(src, ks + [k for _, k, _ in fences])[0] if ks or fences else {}
    for c, k, m_n in fences:
        outs = got.get(k)
        po = (outs["below"] + outs["above"]) / m_n if outs else 0.0
        add(
            {"outliers": {"columns": c, "method": "iqr", "k": 3.0, "max_fraction": _share(po, m_n)}},
            f"{c}: {po:.2%} of values beyond 3 IQR of the quartiles",
        )
    if cand:
        for c, k in zip(cand, ks):
            d = got.get(k)
            if d is not None and d["duplicate_rows"] == 0:
                add({"unique": {"columns": c}}, f"{c}: all {n:,} values distinct (an id)")

    if roles:
        ds = {k: v for k, v in roles.items() if v}
        label, pred, prot = ds.get("label"), ds.get("prediction"), ds.get("protected")
        add(
            {"drift": {"columns": "*"}},
            "distribution shift against the reference (run with reference=...)"
            + ("" if reference is None else "; a reference was given to suggest"),
        )
        if label and prot:
            add({"bias": {}}, f"outcome and error rates across {prot} (label {label!r})")
        if label:
            add({"label_errors": {}}, f"likely mislabelled rows of {label!r} (cleanlab, out-of-fold)")
        if label and pred:
            add({"slices": {}}, "slices where the model does worst")
    suite: dict[str, Any] = {
        "name": name,
        "description": f"Suggested by datacheck from {src.description} ({n:,} rows). "
        "Review every bound before relying on it.",
        "checks": checks,
    }
    if roles:
        suite["dataset"] = {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in roles.items() if v}
    return suite, notes


def suggest(data: Any, *, reference: Any = None, roles: Mapping[str, Any] | None = None) -> Any:
    """Infer a suite from ``data``: schema, row count, missing values, ranges, allowed values,
    patterns, ids, outliers, duplicates; with ``roles`` also shift, bias, label and slice checks.

    Parameters
    ----------
    data : pandas.DataFrame, pyarrow.Table, polars.DataFrame, or path
        Paths are streamed (Parquet with bounded memory).
    reference : data, optional
        Training data, when the suite is meant to compare serving data with it.
    roles : dict, optional
        ``{"label": ..., "prediction": ..., "protected": [...]}``, as in a suite's ``dataset`` block.

    Returns
    -------
    Suite
        Validated; ``suggest_yaml`` gives the same suite as commented YAML.

    Examples
    --------
    >>> import pandas as pd, datacheck
    >>> s = datacheck.suggest(pd.DataFrame({"x": [1.0, 2.0, 3.0] * 20}))
    >>> s.checks[0].name
    'schema'
    """
    from datacheck.suite import load_suite

    return load_suite(infer(data, reference=reference, roles=roles)[0])


def suggest_yaml(
    data: Any, *, reference: Any = None, roles: Mapping[str, Any] | None = None, name: str = "suggested"
) -> str:
    """The suggested suite as YAML a person can read and keep: one comment above each check."""
    from datacheck.suite import load_suite

    suite, notes = infer(data, reference=reference, roles=roles, name=name)
    load_suite(suite)  # it must load
    head = {k: v for k, v in suite.items() if k != "checks"}
    out = [
        f"# {line}"
        for line in [
            "Suite suggested by `datacheck suggest`.",
            "Every bound below comes from the data; read and adjust before relying on it.",
        ]
    ]
    out.append(yaml.safe_dump(head, sort_keys=False, allow_unicode=True, width=100).rstrip())
    out.append("checks:")
    for check, note in zip(suite["checks"], notes):
        out.append(f"  # {note}")
        body = yaml.safe_dump([check], sort_keys=False, allow_unicode=True, width=100, default_flow_style=None)
        out.append(re.sub(r"(?m)^", "  ", body.rstrip()))
    return "\n".join(out) + "\n"
