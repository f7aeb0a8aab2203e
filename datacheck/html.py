"""The HTML report: one self-contained file, and the compact view Jupyter shows.

* Self-contained: figures are embedded as ``data:`` URIs (PNG, or SVG as an image so its ids cannot
  clash), CSS and the few lines of JavaScript (sorting and filtering the results table) are inline.
  A Content-Security-Policy meta tag forbids every network fetch and allows only that one script
  (by its hash), so even a string that escaped escaping could not run.
* Bounded: built from the results only (messages, observed values, bounded evidence, the figures'
  summaries), never from rows; its size does not grow with the data.
* Escaped: rendered with Jinja2 with autoescaping on; every string from the data or the suite
  (column names, category values, messages) goes through it.
* Generic over families: results are grouped by ``Result.family`` and each family section draws the
  figures registered for that family (:mod:`datacheck.figures`); the ``overview`` family's figures
  open the report.

Examples
--------
>>> import pandas as pd, datacheck
>>> report = datacheck.run(pd.DataFrame({"x": [1.0, None]}), {"name": "t", "checks": ["missing"]})
>>> text = report.to_html()
>>> text.startswith("<!DOCTYPE html>") and "http://" not in text and "https://" not in text
True
"""

from __future__ import annotations

import base64
import hashlib
import inspect
import io
import math
import re
import warnings
from dataclasses import dataclass
from typing import Any

from datacheck._version import __version__
from datacheck.progress import bar

__all__ = ["render", "render_compact", "draw_figures", "FigureImage", "FAMILY_ORDER", "FAMILY_TITLES", "HTML_DPI"]

#: report sections in this order; families not listed follow, alphabetically
FAMILY_ORDER = ("integrity", "shift", "bias", "label_errors", "slices")
FAMILY_TITLES = {
    "integrity": "Integrity",
    "shift": "Shift",
    "bias": "Bias",
    "label_errors": "Label errors",
    "slices": "Slices",
    "overview": "Overview",
}
_STATUS_ORDER = ("fail", "error", "warn", "pass", "skipped")
_RANK = {s: i for i, s in enumerate(_STATUS_ORDER)}

#: resolution of the report's embedded figures (``Report.save_figures(dpi=HTML_DPI["png"])`` reuses them)
HTML_DPI = {"png": 150, "svg": 72}

#: bounds on what one result contributes to the page
MAX_EVIDENCE_ITEMS = 20
MAX_TEXT = 240
MAX_FINDINGS = 60
MAX_ATTENTION = 12


@dataclass
class FigureImage:
    """One drawn figure: its registry entry's name, family and title, and the encoded image."""

    name: str
    family: str
    title: str
    caption: str
    format: str
    data: bytes | None
    width_px: int = 0
    error: str | None = None

    @property
    def data_uri(self) -> str:
        mime = "image/svg+xml" if self.format == "svg" else "image/png"
        return f"data:{mime};base64," + base64.b64encode(self.data or b"").decode("ascii")


def _caption(fn) -> str:
    """The figure function's docstring as one paragraph of plain text (reST literals unmarked)."""
    doc = inspect.getdoc(fn) or ""
    # numpydoc sections (Parameters, Returns, Examples, ...) are for programmers, not for readers
    doc = re.split(r"\n(?:Parameters|Returns|Examples|See Also|Notes|Raises)\n-{3,}", doc)[0]
    return " ".join(doc.replace("``", "").split())


def _css_width(data: bytes, fmt: str, dpi: int) -> int:
    """The width, in CSS pixels, at which an image drawn at ``dpi`` shows at its natural size."""
    if fmt == "png" and data[:8] == b"\x89PNG\r\n\x1a\n":
        return round(int.from_bytes(data[16:20], "big") * 96 / dpi)
    m = re.search(rb'<svg[^>]*\swidth="([0-9.]+)pt"', data[:2000])
    return round(float(m.group(1)) * 96 / 72) if m else 0


def draw_figures(
    report,
    *,
    format: str = "png",
    dpi: int = 110,
    families: set[str] | None = None,
    progress: bool | None = None,
) -> list[FigureImage]:
    """Draw every registered figure that applies to ``report``; failures become ``error`` entries.

    A figure that raises is reported (``FigureImage.error`` and a ``RuntimeWarning``) instead of
    stopping the report: one family's bug must not cost the reader every other section.

    Drawn images are kept on the report (per figure, format and dpi), so ``to_html`` followed by
    ``save_figures`` at the same resolution draws every figure once. The cache is dropped when the
    report's results change. ``progress`` shows a bar over the figures drawn (None: only on a
    terminal; see :mod:`datacheck.progress`).
    """
    from datacheck.figures import _use_headless_backend, figures_for

    _use_headless_backend()
    stamp = (id(report.results), len(report.results))
    cache = report.__dict__.get("_figure_cache")
    if cache is None or cache[0] != stamp:
        cache = (stamp, {})
        report.__dict__["_figure_cache"] = cache
    specs = [f for f in figures_for(report) if families is None or f.family in families]
    todo = sum((f.name, format, dpi) not in cache[1] for f in specs)
    with bar(total=todo, desc="report: figures", unit="figure", enabled=progress if todo else False) as shown:
        return [_draw_one(spec, report, format, dpi, cache[1], shown) for spec in specs]


def _draw_one(spec, report, format: str, dpi: int, cache: dict, shown: Any) -> FigureImage:
    """One figure drawn (or taken from the report's cache) as a :class:`FigureImage`."""
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    key = (spec.name, format, dpi)
    if key in cache:
        return cache[key]
    caption = _caption(spec.draw)
    fig = None
    before = set(plt.get_fignums())
    try:
        with matplotlib.rc_context({"svg.hashsalt": "datacheck", "svg.fonttype": "path"}):
            drawn = spec.draw(report)
            fig = drawn if isinstance(drawn, Figure) else drawn.figure
            buf = io.BytesIO()
            fig.savefig(
                buf,
                format=format,
                dpi=dpi,
                bbox_inches="tight",
                facecolor="white",
                metadata={"Date": None} if format == "svg" else {"Software": None},
            )
        width_px = _css_width(buf.getvalue(), format, dpi)
        image = FigureImage(spec.name, spec.family, spec.title, caption, format, buf.getvalue(), width_px)
        cache[key] = image
        return image
    except Exception as exc:  # noqa: BLE001 - reported, see draw_figures
        msg = f"figure {spec.name!r} could not be drawn: {type(exc).__name__}: {exc}"
        warnings.warn(msg, RuntimeWarning, stacklevel=3)
        return FigureImage(spec.name, spec.family, spec.title, caption, format, None, 0, msg)
    finally:
        if fig is not None:
            plt.close(fig)
        for num in set(plt.get_fignums()) - before:  # whatever a failing figure left open
            plt.close(num)
        shown.update(1)


# -- value formatting (bounded) ------------------------------------------------------------------


def _short(s: str, n: int = MAX_TEXT) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def fmt_value(v: Any, depth: int = 0) -> str:
    """A compact, bounded rendering of an observed/expected value or an evidence item."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int):
        return f"{v:,}" if abs(v) >= 10000 else str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            return str(v)
        if v.is_integer() and abs(v) < 1e15:
            return f"{int(v):,}" if abs(v) >= 10000 else str(int(v))
        return f"{v:.4g}"
    if isinstance(v, str):
        if depth and (not v.strip() or v.strip() != v):
            return repr(_short(v, 80))  # make '', ' ' and padded values visible
        return _short(v, 80 if depth else MAX_TEXT)
    if isinstance(v, dict):
        if depth >= 2:
            return "{…}"
        items = list(v.items())
        parts = [f"{k}: {fmt_value(x, depth + 1)}" for k, x in items[:8]]
        if len(items) > 8:
            parts.append(f"… (+{len(items) - 8})")
        return _short(", ".join(parts))
    if isinstance(v, (list, tuple)):
        if depth >= 3:
            return "[…]"
        parts = [fmt_value(x, depth + 1) for x in v[:6]]
        if len(v) > 6:
            parts.append(f"… (+{len(v) - 6})")
        return _short("[" + ", ".join(parts) + "]")
    return _short(str(v))


def _evidence(ev: Any) -> dict[str, Any] | None:
    """Evidence as a one-line preview plus a bounded list of items (shown in a <details>)."""
    if ev is None or ev == [] or ev == {}:
        return None
    items = list(ev) if isinstance(ev, (list, tuple)) else [ev]
    lines = [fmt_value(x, 1) for x in items[:MAX_EVIDENCE_ITEMS]]
    preview = "; ".join(lines[:3])
    return {
        "preview": _short(preview, 160),
        "items": lines,
        "total": len(items),
        "more": max(0, len(items) - MAX_EVIDENCE_ITEMS),
    }


def _severity_note(r) -> str:
    """What the status means for the run, in words that cannot contradict the badge."""
    if r.status == "pass" or r.status == "skipped":
        return ""
    if r.status in ("fail", "error"):
        return "fails the run" if r.severity == "error" else "does not fail the run (warn-level check)"
    # a warning: either a warn-severity check that failed, or an advisory finding of an error-level check
    if r.details.get("advisory"):
        return str(r.details["advisory"])
    return "warn-level check: does not fail the run" if r.severity == "warn" else "advisory: does not fail the run"


def _pairs(v: Any) -> list[str]:
    """An observed/expected value as one short line per key (so table cells wrap between keys)."""
    if isinstance(v, dict) and v:
        items = list(v.items())
        out = [f"{k}: {fmt_value(x, 1)}" for k, x in items[:8]]
        if len(items) > 8:
            out.append(f"… (+{len(items) - 8})")
        return out
    return [fmt_value(v)]


def _stats_line(r) -> str:
    """Effect size, interval and p-value in one line: the evidence of a statistical result."""
    parts = []
    if r.effect_size is not None:
        parts.append(f"effect {fmt_value(r.effect_size)}")
    if r.interval is not None:
        parts.append(f"interval {fmt_value(list(r.interval))}")
    if isinstance(r.p_value, (int, float)) and r.p_value is not None:
        parts.append(f"p {r.p_value:.3g}")
    return " · ".join(parts)


def _result_view(r) -> dict[str, Any]:
    from datacheck.next_steps import next_step

    return {
        "check": r.check,
        "family": r.family,
        "column": _short(r.column_label, 120),
        "severity": r.severity,
        "status": r.status,
        "rank": _RANK.get(r.status, 9),
        "message": _short(r.message or "", 600),
        "observed": fmt_value(r.observed),
        "expected": fmt_value(r.expected),
        "observed_lines": _pairs(r.observed),
        "expected_lines": _pairs(r.expected),
        "severity_note": _severity_note(r),
        "next": _short(next_step(r) or "", 600),
        "stats": _stats_line(r),
        "method": r.method or "",
        "description": _short(r.description or "", 300),
        "evidence": _evidence(r.evidence),
        "where": r.suite_path or "",
        "effect": fmt_value(r.effect_size) if r.effect_size is not None else "",
        "interval": fmt_value(list(r.interval)) if r.interval is not None else "",
        "p_value": f"{r.p_value:.3g}" if isinstance(r.p_value, (int, float)) and r.p_value is not None else "",
    }


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", s.lower()).strip("-") or "family"


def _ordered_families(results) -> list[str]:
    """Families by what needs attention (worst status first), then in :data:`FAMILY_ORDER`."""
    present: dict[str, int] = {}
    for r in results:
        present[r.family] = min(present.get(r.family, 9), _RANK.get(r.status, 9))
    known = [f for f in FAMILY_ORDER if f in present]
    ordered = known + sorted(f for f in present if f not in FAMILY_ORDER)
    return sorted(ordered, key=lambda f: present[f])  # stable: FAMILY_ORDER within a status


def _counts(results) -> dict[str, int]:
    out = {s: 0 for s in _STATUS_ORDER}
    for r in results:
        out[r.status] = out.get(r.status, 0) + 1
    return out


def _context(
    report, figure_format: str = "png", with_figures: bool = True, progress: bool | None = None
) -> dict[str, Any]:
    results = list(report.results)
    dpi = HTML_DPI[figure_format]
    images = draw_figures(report, format=figure_format, dpi=dpi, progress=progress) if with_figures else []
    views = [_result_view(r) for r in results]
    families = []
    for fam in _ordered_families(results):
        fam_views = [v for v in views if v["family"] == fam]
        problems = sorted((v for v in fam_views if v["status"] in ("fail", "error", "warn")), key=lambda v: v["rank"])
        families.append(
            {
                "key": fam,
                "slug": _slug(fam),
                "title": FAMILY_TITLES.get(fam, fam.replace("_", " ").capitalize()),
                "counts": _counts([r for r in results if r.family == fam]),
                "figures": [im for im in images if im.family == fam],
                "findings": problems[:MAX_FINDINGS],
                "findings_more": max(0, len(problems) - MAX_FINDINGS),
                "skipped": [v for v in fam_views if v["status"] == "skipped"][:MAX_FINDINGS],
                "n": len(fam_views),
                "needs_attention": bool(problems),
                "worst": _STATUS_ORDER[min([v["rank"] for v in fam_views] + [len(_STATUS_ORDER) - 1])],
            }
        )
    attention = sorted((v for v in views if v["status"] in ("fail", "error", "warn")), key=lambda v: v["rank"])
    counts = report.counts() if hasattr(report, "counts") else _counts(results)
    return {
        "suite": report.suite_name,
        "suite_source": report.suite_source,
        "source": report.source,
        "rows": report.n_rows,
        "columns": report.n_columns,
        "reference": report.reference,
        "reference_rows": report.reference_rows,
        "duration": report.duration_s,
        "passes": report.passes,
        "started_at": report.started_at,
        "version": report.version or __version__,
        "tool_version": __version__,
        "passed": report.passed,
        "counts": counts,
        "statuses": _STATUS_ORDER,
        "notes": list(report.notes),
        "overview": [im for im in images if im.family == "overview"],
        "families": families,
        "attention": attention[:MAX_ATTENTION],
        "attention_more": max(0, len(attention) - MAX_ATTENTION),
        "results": views,
        # the table opens on what needs attention; passing rows are one click away
        "fold_passing": bool(attention) and counts.get("pass", 0) > 0,
    }


# -- rendering -----------------------------------------------------------------------------------

_ENV = None


def _env():
    global _ENV
    if _ENV is None:
        import jinja2

        _ENV = jinja2.Environment(
            loader=jinja2.PackageLoader("datacheck", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        _ENV.filters["num"] = lambda v: f"{v:,}" if isinstance(v, int) else fmt_value(v)
    return _ENV


def _raw(name: str) -> str:
    """A template file's text as is (CSS and JS are not templates; they are inlined verbatim)."""
    env = _env()
    source, _, _ = env.loader.get_source(env, name)
    return source.strip()


def render(report, *, figure_format: str = "png", progress: bool | None = None) -> str:
    """The full self-contained HTML report as a string (see :meth:`datacheck.Report.to_html`).

    ``progress`` shows a bar over the figures drawn (None: only on a terminal).
    """
    from markupsafe import Markup

    if figure_format not in ("png", "svg"):
        raise ValueError(f"figure_format must be 'png' or 'svg'; got {figure_format!r}")
    script = _raw("report.js.j2")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    ctx = _context(report, figure_format, progress=progress)
    ctx.update(css=Markup(_raw("report.css.j2")), script=Markup(script), script_hash=f"sha256-{digest}")
    return _env().get_template("report.html.j2").render(**ctx)


def render_compact(report) -> str:
    """The compact HTML Jupyter shows for a Report: verdict, counts, and what failed or warned."""
    ctx = _context(report, with_figures=False)
    return _env().get_template("compact.html.j2").render(**ctx)
