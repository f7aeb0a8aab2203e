"""Figures of the integrity family: missingness, numeric distributions, skewness, value shares.

Each draws only what the checks put in their results:

=========================  ====================================================================
figure                     reads
=========================  ====================================================================
``missingness``            ``missing``: main result ``details`` {rows, missing, disguised,
                           suspected, max_disguised_fraction}, ``expected.max_fraction``; the
                           extra results (``observed.kind`` ``disguised`` / ``suspected_sentinel``)
                           for their status and ``evidence`` values
``numeric_distributions``  ``outliers``: ``details`` {hist_edges, hist_counts, fences, q1, median,
                           q3 (iqr) or median/mean, min, max}, ``observed`` {below, above},
                           ``evidence`` (most extreme rows); ``range`` results on the same column
                           for their bounds (``expected`` min/max)
``skewness``               ``skew`` on numeric columns: ``observed`` {skewness, kurtosis},
                           ``expected`` {max_abs_skewness, max_kurtosis}
``value_shares``           ``skew`` on every column: ``observed`` {dominant_value, dominant_share,
                           min_class, min_class_share}, ``details.shares`` (top categories),
                           ``details.role`` (``label``), ``expected`` {max_dominant_share,
                           min_class_share}
=========================  ====================================================================
"""

from __future__ import annotations

import math

from datacheck.figures import figure, new_ax
from datacheck.figures._common import (
    ACCENT,
    INK,
    STATUS_COLORS,
    STATUS_GLYPHS,
    STATUS_RANK,
    compact_ticks,
    finish,
    fmt_num,
    fmt_pct,
    panel_grid,
    results_of,
    status_sort_key,
    text_label,
    theme,
    worst_status,
)
from datacheck.figures._common import (
    finite as _finite,
)

__all__ = ["missingness", "numeric_distributions", "skewness", "value_shares", "MAX_PANELS", "MAX_ROWS"]

#: numeric distribution panels drawn at most (problem columns first)
MAX_PANELS = 12
#: bars drawn at most in the per-column bar charts (problem columns first)
MAX_ROWS = 30

#: missingness kinds, in stacking order, with their colours (Okabe-Ito blue, sky blue, yellow)
MISSING_KINDS = (
    ("missing", "null / NaN", "#0072B2"),
    ("disguised", "disguised missing ('?', '', placeholders, declared sentinels)", "#56B4E9"),
    ("suspected", "suspected sentinel (spike at the range edge)", "#F0E442"),
)


def _is_problem(status: str) -> bool:
    return STATUS_RANK.get(status, 0) >= STATUS_RANK["warn"]


def _status_tag(status: str) -> str:
    return f"{STATUS_GLYPHS.get(status, '')} {status}"


def _colour_ticklabels(labels, statuses) -> None:
    for lab, s in zip(labels, statuses):
        if _is_problem(s):
            lab.set_color(STATUS_COLORS[s])
            lab.set_fontweight("bold")


# -- missingness ---------------------------------------------------------------------------------


def _missing_rows(results):
    """One row per (missing check, column): shares by kind, thresholds, status, what the values were."""
    rs = results_of(results, "missing")
    extras: dict[tuple, list] = {}
    for r in rs:
        if isinstance(r.observed, dict) and r.observed.get("kind") in ("disguised", "suspected_sentinel"):
            extras.setdefault((r.check_index, r.column_label), []).append(r)
    mains = [r for r in rs if "rows" in (r.details or {})]
    names = [m.column_label for m in mains]
    rows = []
    for m in mains:
        n = m.details.get("rows") or 0
        ex = extras.get((m.check_index, m.column_label), [])
        shares = {k: (m.details.get(k) or 0) / n if n else 0.0 for k, _, _ in MISSING_KINDS}
        tokens = []
        for e in ex:
            for item in (e.evidence or [])[:3]:
                if isinstance(item, dict) and "value" in item:
                    tokens.append(f"{item['value']!r} ×{fmt_num(item.get('count'))}")
        label = m.column_label
        if names.count(label) > 1:
            label = f"{label} [checks[{m.check_index}]]"
        rows.append(
            {
                "label": label,
                "shares": shares,
                "total": sum(shares.values()),
                "status": worst_status([m.status] + [e.status for e in ex]),
                "max_fraction": (m.expected or {}).get("max_fraction") if isinstance(m.expected, dict) else None,
                "max_disguised": m.details.get("max_disguised_fraction"),
                "tokens": tokens,
            }
        )
    return rows


@figure(
    "missingness",
    family="integrity",
    title="missing values per column",
    applies=lambda rep: any("rows" in (r.details or {}) for r in results_of(rep, "missing")),
)
def missingness(report, ax=None):
    """Share of each column that is missing: real nulls, disguised missing values, suspected sentinels.

    Bars are stacked; the dark ticks are the allowed shares (nulls; disguised, counted after the
    nulls). Columns with nothing missing are counted in the title, not drawn.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import PercentFormatter

    rows = _missing_rows(report)
    shown = [r for r in rows if r["total"] > 0 or _is_problem(r["status"])]
    clean = len(rows) - len(shown)
    shown.sort(key=lambda r: (status_sort_key(r["status"]), -r["total"]))
    hidden = max(0, len(shown) - MAX_ROWS)
    shown = shown[:MAX_ROWS]
    shown.reverse()  # barh draws bottom-up: the worst column on top

    own = ax is None
    with theme():
        fig, ax = new_ax(ax, figsize=(9, max(2.4, 1.5 + 0.42 * max(len(shown), 1))))
        if not shown:
            ax.text(
                0.5,
                0.5,
                f"no missing values in any of the {len(rows)} column(s) checked",
                ha="center",
                va="center",
                transform=ax.transAxes,
                fontsize=12,
                color=STATUS_COLORS["pass"],
            )
            ax.set_axis_off()
            finish(fig, own)
            return ax
        y = list(range(len(shown)))
        left = [0.0] * len(shown)
        used = []
        for key, name, colour in MISSING_KINDS:
            widths = [r["shares"][key] for r in shown]
            if any(widths):
                used.append((name, colour))
                ax.barh(y, widths, left=left, height=0.62, color=colour, edgecolor="white", linewidth=0.8)
            left = [a + b for a, b in zip(left, widths)]
        xmax = max([r["total"] for r in shown] + [0.0])
        limits = {}
        row_marks = []
        for i, r in enumerate(shown):
            marks = []
            if _finite(r["max_fraction"]):
                marks.append(("nulls", r["max_fraction"], r["max_fraction"], "-"))
            if _finite(r["max_disguised"]) and r["shares"]["disguised"]:
                marks.append(
                    ("disguised", r["shares"]["missing"] + r["max_disguised"], r["max_disguised"], (0, (1.2, 0.8)))
                )
            for kind, x, limit, style in marks:
                ax.plot(
                    [x, x], [i - 0.42, i + 0.42], color="#222222", linewidth=2.2, linestyle=style, solid_capstyle="butt"
                )
                limits.setdefault(kind, (set(), style))[0].add(limit)
                xmax = max(xmax, x)
            row_marks.append([m[1] for m in marks])
        for i, r in enumerate(shown):
            note = fmt_pct(r["total"])
            end = max([r["total"]] + [x for x in row_marks[i]])
            if r["tokens"]:
                note += "  " + ", ".join(text_label(t, 22) for t in r["tokens"][:2])
            if _is_problem(r["status"]):
                note += f"  {_status_tag(r['status'])}"
            ax.text(
                end + xmax * 0.015,
                i,
                note,
                va="center",
                fontsize=9,
                color=STATUS_COLORS[r["status"]] if _is_problem(r["status"]) else "#333333",
                fontweight="bold" if _is_problem(r["status"]) else "normal",
            )
        ax.set_yticks(y, [text_label(r["label"]) for r in shown])
        _colour_ticklabels(ax.get_yticklabels(), [r["status"] for r in shown])
        ax.set_xlim(0, xmax * 1.6 if xmax > 0 else 1)
        ax.set_ylim(-0.6, len(shown) - 0.4)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=None))
        ax.set_xlabel("share of rows")
        ax.grid(axis="y", visible=False)
        handles = [Patch(facecolor=c, label=n) for n, c in used]
        for kind, (vals, style) in limits.items():
            handles.append(
                Line2D(
                    [],
                    [],
                    color="#222222",
                    linewidth=2.2,
                    linestyle=style,
                    label=f"allowed {kind} ({', '.join(fmt_pct(v) for v in sorted(vals))})"
                    + (", counted after nulls" if kind == "disguised" else ""),
                )
            )
        # below the x label by a fixed distance in points, whatever the number of rows (axes fractions
        # shrink with a short chart and the legend then sat on the label)
        from matplotlib.transforms import offset_copy

        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            bbox_transform=offset_copy(ax.transAxes, fig=ax.figure, y=-40, units="points"),
            ncol=2,
            frameon=False,
            fontsize=8.5,
        )
        title = "Missing values"
        extra = []
        if clean:
            extra.append(f"{clean} column(s) with nothing missing not drawn")
        if hidden:
            extra.append(f"{hidden} more not shown")
        ax.set_title(title + (f"  ({'; '.join(extra)})" if extra else ""), loc="left", fontsize=11, fontweight="bold")
        finish(fig, own)
    return ax


# -- numeric distributions ----------------------------------------------------------------------


def _range_bounds(results) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    for r in results_of(results, "range"):
        e = r.expected if isinstance(r.expected, dict) else {}
        lo, hi = e.get("min"), e.get("max")
        lo = lo if _finite(lo) else None
        hi = hi if _finite(hi) else None
        if lo is not None or hi is not None:
            out[r.column_label] = (lo, hi, r.status)
    return out


def _regions(edges, lo, hi):
    """Split the bins into (below, inside, above) index ranges: a bin is beyond a fence only if all of it is.

    Returns ``[(kind, first_bin, last_bin_exclusive, x_from, x_to)]`` for the non-empty regions,
    in order. Bins that straddle a fence (histograms not built on the fences) count as inside.
    """
    nb = len(edges) - 1
    i = 0
    while i < nb and lo is not None and edges[i + 1] <= lo:
        i += 1
    j = nb
    while j > i and hi is not None and edges[j - 1] > hi:
        j -= 1
    out = []
    for kind, a, b in (("below", 0, i), ("inside", i, j), ("above", j, nb)):
        if b > a:
            out.append((kind, a, b, edges[a], edges[b]))
    return out


def _short_num(v: float) -> str:
    """A tick label: 1.48M, 416k, 32.5."""
    a = abs(v)
    if a >= 1e6:
        return f"{v / 1e6:.3g}M"
    if a >= 1e4:
        return f"{v / 1e3:.3g}k"
    return fmt_num(round(v, 6) if not float(v).is_integer() else int(v))


class _BrokenAxis:
    """Maps data values to positions on an axis broken at the fences: each region gets its own scale.

    The inside of the fences gets most of the width; each region beyond a fence gets a narrow band of
    its own, set apart by a gap, so one extreme value cannot squeeze the inside into a few bins.
    """

    TAIL, GAP = 0.13, 0.035

    def __init__(self, regions):
        kinds = [k for k, *_ in regions]
        tails = sum(k != "inside" for k in kinds)
        inside_w = 1.0 - tails * (self.TAIL + self.GAP)
        self.segments = []  # (kind, data_from, data_to, pos_from, pos_to)
        x = 0.0
        for kind, _, _, a, b in regions:
            w = inside_w if kind == "inside" else self.TAIL
            if kind == "above":
                x += self.GAP
            self.segments.append((kind, a, b, x, x + w))
            x += w
            if kind == "below":
                x += self.GAP
        self.broken = len(self.segments) > 1

    def __call__(self, v: float, kind: str | None = None) -> float:
        segs = [sg for sg in self.segments if kind is None or sg[0] == kind] or self.segments
        for k, a, b, p, q in segs:
            if a <= v <= b or (k == segs[-1][0] and v > b) or (k == segs[0][0] and v < a):
                t = (v - a) / (b - a) if b > a else 0.5
                return p + min(max(t, 0.0), 1.0) * (q - p)
        return segs[-1][4]

    def gaps(self):
        """Centres of the gaps between regions (where the fences are drawn)."""
        return [(self.segments[i][4] + self.segments[i + 1][3]) / 2 for i in range(len(self.segments) - 1)]


def _draw_distribution(ax, r, bounds) -> None:
    from matplotlib.ticker import MaxNLocator
    from matplotlib.transforms import blended_transform_factory

    d = r.details
    edges, counts = [float(e) for e in d["hist_edges"]], list(d["hist_counts"])
    lo, hi = (list(d.get("fences") or [None, None]) + [None, None])[:2]
    lo = lo if _finite(lo) else None
    hi = hi if _finite(hi) else None
    regions = _regions(edges, lo, hi)
    X = _BrokenAxis(regions)
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    obs = r.observed if isinstance(r.observed, dict) else {}
    # bars, each region on its own scale; a bar is orange only when every row in it is beyond a fence
    for kind, i, j, a, b in regions:
        xs = [X(edges[k], kind) for k in range(i, j + 1)]
        ax.bar(
            xs[:-1],
            counts[i:j],
            width=[q - p for p, q in zip(xs[:-1], xs[1:])],
            align="edge",
            color=INK if kind == "inside" else ACCENT,
            alpha=0.85,
            edgecolor="white",
            linewidth=0.4,
        )
        if kind != "inside":
            ax.axvspan(X(a, kind), X(b, kind), color=ACCENT, alpha=0.07, linewidth=0)
    top = max(counts) if counts else 1
    ax.set_ylim(0, top * 1.32 if top else 1)
    ax.set_xlim(-0.02, 1.02)
    # ticks: a few inside, the outer end of each region beyond a fence (the fences are labelled apart)
    ticks, labels = [], []
    for kind, a, b, _, _ in X.segments:
        if kind == "inside":
            vals = [v for v in MaxNLocator(nbins=5).tick_values(a, b) if a < v < b]
            vals = [v for v in vals if abs(X(v, kind) - X(a, kind)) > 0.06 and abs(X(b, kind) - X(v, kind)) > 0.06]
            if not X.broken or "below" not in [sg[0] for sg in X.segments]:
                vals = ([a] if lo is None or a > lo else []) + vals
            if "above" not in [sg[0] for sg in X.segments] and (hi is None or b < hi):
                vals.append(b)
        else:
            vals = [a] if kind == "below" else [b]
        for v in vals:
            ticks.append(X(v, kind))
            labels.append(_short_num(v))
    ax.set_xticks(ticks, labels)
    # the fences, in the gaps of the broken axis (or on the axis when nothing lies beyond them)
    gap_at = iter(X.gaps())
    kinds = [sg[0] for sg in X.segments]
    for x, side, n_out in ((lo, "below", obs.get("below")), (hi, "above", obs.get("above"))):
        if x is None:
            continue
        pos = next(gap_at) if side in kinds else X(x, "inside")
        ax.axvline(pos, color=ACCENT, linestyle="--", linewidth=1.3)
        ax.text(pos, -0.13, _short_num(x), transform=trans, ha="center", va="top", fontsize=8, color=ACCENT)
        if n_out:  # two heights, so the labels cannot collide when both fences sit close together
            ax.text(
                pos,
                0.72 if side == "below" else 0.62,
                f" {fmt_num(n_out)} {side} ",
                transform=trans,
                ha="left" if side == "above" else "right",
                va="center",
                fontsize=8,
                color=ACCENT,
                fontweight="bold",
            )
    if X.broken:  # break marks on the axis line
        for g in X.gaps():
            for dx in (-0.006, 0.006):
                ax.plot(
                    [g + dx - 0.004, g + dx + 0.004],
                    [-0.025, 0.025],
                    color="#555555",
                    linewidth=1,
                    transform=trans,
                    clip_on=False,
                )
    # the box: quartiles and median (or the centre the fences were built around) on a strip on top
    q1, med, q3 = d.get("q1"), d.get("median", d.get("mean")), d.get("q3")
    y0, y1 = 0.84, 0.94
    if _finite(q1) and _finite(q3):
        ax.add_patch(_rect((X(q1, "inside"), y0), X(q3, "inside") - X(q1, "inside"), y1 - y0, trans))
    if _finite(med):
        ax.plot([X(med, "inside")] * 2, [y0 - 0.015, y1 + 0.015], color="#222222", linewidth=2, transform=trans)
    if _finite(med):
        left = X(q1, "inside") if _finite(q1) else X(med, "inside")
        right = X(q3, "inside") if _finite(q3) else X(med, "inside")
        ax.plot([X(edges[0]), left], [(y0 + y1) / 2] * 2, color="#555555", linewidth=1, transform=trans)
        ax.plot([right, X(edges[-1])], [(y0 + y1) / 2] * 2, color="#555555", linewidth=1, transform=trans)
    # flagged rows (the evidence: the most extreme values beyond the fences)
    ev = [e["value"] for e in (r.evidence or []) if isinstance(e, dict) and _finite(e.get("value"))]
    if ev:
        ax.plot(
            [X(v) for v in ev],
            [0.035] * len(ev),
            linestyle="none",
            marker="v",
            markersize=7,
            color=ACCENT,
            markeredgecolor="white",
            markeredgewidth=0.6,
            transform=trans,
            clip_on=False,
            zorder=5,
        )
    # bounds of a range check on the same column
    rb = bounds.get(r.column_label)
    if rb:
        for v in rb[:2]:
            if v is not None and edges[0] <= v <= edges[-1]:
                ax.axvline(X(v), color="#CC79A7", linestyle=":", linewidth=1.6)
    frac = obs.get("fraction")
    ax.set_title(
        f"{text_label(r.column_label, 30)}: {fmt_pct(frac)} beyond fences"
        + (f"  {_status_tag(r.status)}" if _is_problem(r.status) else ""),
        loc="left",
        fontsize=10,
        fontweight="bold",
        color=STATUS_COLORS[r.status] if _is_problem(r.status) else "#222222",
    )
    ax.set_ylabel("rows per bin")
    compact_ticks(ax.yaxis)
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", visible=False)


def _rect(xy, w, h, trans):
    from matplotlib.patches import Rectangle

    return Rectangle(xy, w, h, transform=trans, facecolor="#FFFFFF", edgecolor="#222222", linewidth=1.2, zorder=4)


@figure(
    "numeric_distributions",
    family="integrity",
    title="numeric distributions and outliers",
    applies=lambda rep: any("hist_counts" in (r.details or {}) for r in results_of(rep, "outliers")),
)
def numeric_distributions(report, ax=None):
    """Histogram of each numeric column the outliers check looked at, with its fences.

    Bin edges sit on the fences, so an orange bar holds only rows the check counts as outliers. The
    axis is broken at the fences: the regions beyond them (shaded) are drawn apart, each on its own
    scale, so one extreme value cannot squeeze the rest into a few bins. ▼ marks the most extreme
    rows reported as evidence; the box on top is Q1–Q3 with the median. Dotted purple lines are the
    bounds of a range check on the same column.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    rs = [r for r in results_of(report, "outliers") if "hist_counts" in (r.details or {})]
    order = {id(r): i for i, r in enumerate(rs)}
    rs.sort(key=lambda r: (status_sort_key(r.status), order[id(r)]))
    hidden = max(0, len(rs) - MAX_PANELS)
    rs = rs[:MAX_PANELS]
    bounds = _range_bounds(report)
    own = ax is None
    with theme():
        fig, axes = panel_grid(len(rs), ncols=2 if len(rs) > 1 else 1, panel_size=(6.0, 3.1), ax=ax)
        for a, r in zip(axes, rs):
            _draw_distribution(a, r, bounds)
        handles = [
            Patch(facecolor=INK, alpha=0.85, label="within the fences"),
            Patch(facecolor=ACCENT, alpha=0.85, label="beyond the fences"),
            Line2D([], [], color=ACCENT, linestyle="--", label="outlier fence"),
            Line2D([], [], marker="v", color=ACCENT, linestyle="none", label="most extreme rows (evidence)"),
            Patch(facecolor="white", edgecolor="#222222", label="Q1–Q3, median"),
        ]
        if any(r.column_label in bounds for r in rs):
            handles.append(Line2D([], [], color="#CC79A7", linestyle=":", linewidth=1.6, label="range check bounds"))
        if own:
            fig.legend(
                handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=8.5, bbox_to_anchor=(0.5, 0.0)
            )
            fig.suptitle(
                "Numeric distributions and outlier fences"
                + (f"  ({hidden} more column(s) not shown)" if hidden else ""),
                x=0.01,
                ha="left",
                fontsize=11,
                fontweight="bold",
            )
            nrows = math.ceil(len(rs) / (2 if len(rs) > 1 else 1))
            fig.tight_layout(rect=(0, 0.09 / nrows + 0.02, 1, 1))
        else:
            axes[0].legend(handles=handles, loc="upper right", frameon=False, fontsize=7)
    return fig


# -- skewness ------------------------------------------------------------------------------------


@figure(
    "skewness",
    family="integrity",
    title="skewness and tails",
    applies=lambda rep: any(isinstance(r.observed, dict) and "skewness" in r.observed for r in results_of(rep, "skew")),
)
def skewness(report, ax=None):
    """Skewness and excess kurtosis of each numeric column, against the allowed bounds.

    Bars beyond the shaded band (skewness) or the dashed line (kurtosis) are what the skew check
    flags; a normal distribution has 0 for both.
    """
    rs = [r for r in results_of(report, "skew") if isinstance(r.observed, dict) and "skewness" in r.observed]
    rs = [r for r in rs if _finite(r.observed.get("skewness"))] or rs
    rs.sort(key=lambda r: -abs(r.observed.get("skewness") or 0.0) if _finite(r.observed.get("skewness")) else 0)
    hidden = max(0, len(rs) - MAX_ROWS)
    rs = rs[:MAX_ROWS][::-1]
    own = ax is None
    with theme():
        if own:
            import matplotlib.pyplot as plt

            from datacheck.figures import _use_headless_backend

            _use_headless_backend()
            fig, (a1, a2) = plt.subplots(
                1,
                2,
                figsize=(10.5, max(2.6, 1.5 + 0.36 * len(rs))),
                sharey=True,
                gridspec_kw={"width_ratios": [1.2, 1]},
            )
        else:
            fig, (a1, a2) = panel_grid(2, ncols=2, panel_size=(5, 3), ax=ax)
        y = list(range(len(rs)))
        labels = [text_label(r.column_label) for r in rs]
        for a, key, bound_key, title in (
            (a1, "skewness", "max_abs_skewness", "skewness"),
            (a2, "kurtosis", "max_kurtosis", "excess kurtosis"),
        ):
            vals = [r.observed.get(key) if _finite(r.observed.get(key)) else 0.0 for r in rs]
            bounds = [(r.expected or {}).get(bound_key) if isinstance(r.expected, dict) else None for r in rs]
            over = [(_finite(b) and (abs(v) > b if key == "skewness" else v > b)) for v, b in zip(vals, bounds)]
            colours = [STATUS_COLORS[r.status] if o and _is_problem(r.status) else INK for r, o in zip(rs, over)]
            a.barh(y, vals, height=0.6, color=colours)
            finite_bounds = sorted({b for b in bounds if _finite(b)})
            for b in finite_bounds:
                if key == "skewness":
                    a.axvspan(-b, b, color="#DDDDDD", alpha=0.5, linewidth=0, zorder=0)
                    a.axvline(b, color="#444444", linestyle="--", linewidth=1)
                    a.axvline(-b, color="#444444", linestyle="--", linewidth=1)
                else:
                    a.axvline(b, color="#444444", linestyle="--", linewidth=1)
            span = max([abs(v) for v in vals] + [abs(b) for b in finite_bounds] + [1.0])
            symlog = key == "kurtosis" and span > 30
            if symlog:
                a.set_xscale("symlog", linthresh=10)
            # values in a column right of the panel: never on a bar end, a bound or the zero line
            for i, (v, o) in enumerate(zip(vals, over)):
                a.text(
                    1.02,
                    i,
                    fmt_num(v),
                    va="center",
                    ha="left",
                    fontsize=8.5,
                    transform=a.get_yaxis_transform(),
                    color=colours[i] if o else "#333333",
                    fontweight="bold" if o else "normal",
                )
            lo = min([0.0] + vals + [-b for b in finite_bounds if key == "skewness"])
            hi = max([0.0] + vals + list(finite_bounds))
            if symlog:
                a.set_xlim(min(lo * 2, -1.0), hi * 3)
            else:
                pad = 0.08 * (hi - lo or 1.0)
                a.set_xlim(lo - (pad if lo < 0 else 0.05 * pad), hi + pad)
            a.axvline(0, color="#888888", linewidth=0.8)
            bound_txt = ", ".join(fmt_num(b) for b in finite_bounds)
            a.set_title(
                f"{title}" + (f" (allowed {'±' if key == 'skewness' else '≤ '}{bound_txt})" if bound_txt else ""),
                loc="left",
                fontsize=10,
            )
            a.grid(axis="y", visible=False)
        a1.set_yticks(y, labels)
        _colour_ticklabels(a1.get_yticklabels(), [r.status for r in rs])
        if own:
            fig.suptitle(
                "Skewness and heavy tails of numeric columns" + (f"  ({hidden} more not shown)" if hidden else ""),
                x=0.01,
                ha="left",
                fontsize=11,
                fontweight="bold",
            )
            fig.tight_layout(w_pad=3)
    return fig


# -- value shares (dominance and class imbalance) -------------------------------------------------

_SHADES = ("#0072B2", "#3D8FC4", "#6FA9D3", "#9BC3E1", "#C3DBEE", "#DCE9F4")


def _share_breaches(r) -> tuple[bool, bool]:
    """(dominant value above its bound, smallest class below its bound) as the result states them."""
    obs = r.observed
    e = r.expected if isinstance(r.expected, dict) else {}
    dom, mn = e.get("max_dominant_share"), e.get("min_class_share")
    over = _finite(dom) and obs.get("dominant_share", 0) > dom
    under = _finite(mn) and _finite(obs.get("min_class_share")) and obs["min_class_share"] < mn
    return bool(over), bool(under)


def _value_text(v, width: int) -> str:
    return text_label(v, width) if isinstance(v, str) else text_label(fmt_num(v), width)


@figure(
    "value_shares",
    family="integrity",
    title="dominant values and class balance",
    applies=lambda rep: any(
        isinstance(r.observed, dict) and "dominant_share" in r.observed for r in results_of(rep, "skew")
    ),
)
def value_shares(report, ax=None):
    """How much of each column its most frequent values hold (100% bars, one segment per value).

    The dashed tick is the largest share one value may hold: a column whose first segment crosses
    it is near-constant. For the label, the note gives the smallest class against its minimum.
    """
    from matplotlib.ticker import PercentFormatter

    rs = [
        r
        for r in results_of(report, "skew")
        if isinstance(r.observed, dict) and _finite(r.observed.get("dominant_share"))
    ]
    order = {id(r): i for i, r in enumerate(rs)}
    rs.sort(
        key=lambda r: (
            (r.details or {}).get("role") != "label",
            not any(_share_breaches(r)),
            -r.observed["dominant_share"],
            order[id(r)],
        )
    )
    hidden = max(0, len(rs) - MAX_ROWS)
    rs = rs[:MAX_ROWS][::-1]
    own = ax is None
    with theme():
        fig, ax = new_ax(ax, figsize=(10, max(2.6, 1.3 + 0.4 * len(rs))))
        bounds = set()
        for i, r in enumerate(rs):
            obs = r.observed
            shares = (r.details or {}).get("shares")
            if isinstance(shares, dict) and shares:
                segs = [(k, v) for k, v in shares.items() if _finite(v)][: len(_SHADES) - 1]
            else:
                segs = [(obs.get("dominant_value"), obs["dominant_share"])]
            left = 0.0
            for j, (k, v) in enumerate(segs):
                ax.barh(i, v, left=left, height=0.64, color=_SHADES[j], edgecolor="white", linewidth=1)
                if v >= 0.07:
                    ax.text(
                        left + v / 2,
                        i,
                        _value_text(k, max(3, int(v * 56))),
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="white" if j < 3 else "#1A1A1A",
                    )
                left += v
            if left < 1:
                ax.barh(i, 1 - left, left=left, height=0.64, color="#EEEEEE", edgecolor="white", linewidth=1)
            e = r.expected if isinstance(r.expected, dict) else {}
            dom = e.get("max_dominant_share")
            if _finite(dom):
                bounds.add(dom)
                ax.plot([dom, dom], [i - 0.42, i + 0.42], color="#222222", linewidth=2, linestyle=(0, (2, 1)))
            over, under = _share_breaches(r)
            note = f"top value {fmt_pct(obs['dominant_share'])}"
            mn = e.get("min_class_share")
            if _finite(mn) and "min_class_share" in obs:
                note = (
                    f"smallest {'class' if (r.details or {}).get('role') == 'label' else 'category'} "
                    f"{_value_text(obs.get('min_class'), 14)}: {fmt_pct(obs['min_class_share'])} (min {fmt_pct(mn)})"
                )
            flagged = (over or under) and _is_problem(r.status)
            if flagged:
                note += f"  {_status_tag(r.status)}"
            ax.text(
                1.01,
                i,
                note,
                va="center",
                fontsize=8.5,
                transform=ax.get_yaxis_transform(),
                color=STATUS_COLORS[r.status] if flagged else "#333333",
                fontweight="bold" if flagged else "normal",
            )
        labels = [
            text_label(r.column_label) + (" (label)" if (r.details or {}).get("role") == "label" else "") for r in rs
        ]
        ax.set_yticks(range(len(rs)), labels)
        _colour_ticklabels(ax.get_yticklabels(), [r.status if any(_share_breaches(r)) else "pass" for r in rs])
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.6, len(rs) - 0.4)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel("share of rows: segments are the most frequent values, grey all other values")
        ax.grid(axis="y", visible=False)
        title = "Dominant values and class balance"
        if bounds:
            title += f"   ┆ dashed: largest share one value may hold ({', '.join(fmt_pct(b) for b in sorted(bounds))})"
        if hidden:
            title += f"  ({hidden} more not shown)"
        ax.set_title(title, loc="left", fontsize=11, fontweight="bold")
        finish(fig, own)
    return ax
