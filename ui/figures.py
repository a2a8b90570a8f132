"""Figures, built the one fast way: plotly trace and layout dicts, validated once (:func:`show_figure`).

Heatmaps (queries as rows, keys as columns, numbers on the cells when they fit), horizontal bars and
the contributions chart of a weighted sum. :data:`COLORSCALE` is the one colour scale of every
heatmap, the live attention view's included.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from . import present
from .format import decimals, fmt, plot_label, unique_labels

#: Colour-blind-safe sequential scale for every heatmap: plotly's "Cividis", written out so the
#: live attention view (ui/live_attention) draws with exactly the same stops as the plotly charts.
COLORSCALE: list[list[float | str]] = [
    [0.0, "rgb(0,32,76)"],
    [0.058824, "rgb(0,42,102)"],
    [0.117647, "rgb(0,52,110)"],
    [0.176471, "rgb(39,63,108)"],
    [0.235294, "rgb(60,74,107)"],
    [0.294118, "rgb(76,85,107)"],
    [0.352941, "rgb(91,95,109)"],
    [0.411765, "rgb(104,106,112)"],
    [0.470588, "rgb(117,117,117)"],
    [0.529412, "rgb(131,129,120)"],
    [0.588235, "rgb(146,140,120)"],
    [0.647059, "rgb(161,152,118)"],
    [0.705882, "rgb(176,165,114)"],
    [0.764706, "rgb(192,177,109)"],
    [0.823529, "rgb(209,191,102)"],
    [0.882353, "rgb(225,204,92)"],
    [0.941176, "rgb(243,219,79)"],
    [1.0, "rgb(255,233,69)"],
]
#: The projector palette (presentation mode's "High contrast"): ColorBrewer's Blues, from white to deep
#: blue. One hue, so lightness alone carries the weight: the widest range a washed-out projector keeps,
#: and the same for colour-blind viewers.
HIGH_CONTRAST: list[list[float | str]] = [
    [0.0, "rgb(255,255,255)"],
    [0.125, "rgb(222,235,247)"],
    [0.25, "rgb(198,219,239)"],
    [0.375, "rgb(158,202,225)"],
    [0.5, "rgb(107,174,214)"],
    [0.625, "rgb(66,146,198)"],
    [0.75, "rgb(33,113,181)"],
    [0.875, "rgb(8,81,156)"],
    [1.0, "rgb(8,29,88)"],
]


def active_scale() -> list[list[float | str]]:
    """The heatmaps' scale now: :data:`HIGH_CONTRAST` with presentation mode's "High contrast" on,
    else :data:`COLORSCALE` (the live view and every plotly heatmap take it from here)."""
    return HIGH_CONTRAST if present.high_contrast() else COLORSCALE


#: Diverging scale for a difference (B − A), centred at 0 (white): red where B has less, blue where B
#: has more. ColorBrewer's RdBu, made for colour-blind readers; every number is on its cell with its sign.
DIVERGING: list[list[float | str]] = [
    [0.0, "rgb(178,24,43)"],
    [0.25, "rgb(239,138,98)"],
    [0.5, "rgb(247,247,247)"],
    [0.75, "rgb(103,169,207)"],
    [1.0, "rgb(33,102,172)"],
]
_HEATMAP_TEXT_MAX = 16  # above this many rows/columns, numbers move to hover only
#: Text on every figure, in pixels: read from the back of a classroom (Streamlit's theme would use 12).
FONT_PX = 15


# --------------------------------------------------------------------------- numbers on cells
def scale_rgb(f: float, scale: Sequence[Sequence[float | str]] | None = None) -> tuple[float, float, float]:
    """The colour of ``scale`` (default :data:`COLORSCALE`) at ``f`` in [0, 1], linear in RGB between
    its stops (as plotly and the live view draw it)."""
    f = min(1.0, max(0.0, float(f)))
    stops = [(float(p), [float(v) for v in str(c)[4:-1].split(",")]) for p, c in (scale or COLORSCALE)]
    for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
        if f <= p1:
            k = (f - p0) / (p1 - p0) if p1 > p0 else 0.0
            return (c0[0] + k * (c1[0] - c0[0]), c0[1] + k * (c1[1] - c0[1]), c0[2] + k * (c1[2] - c0[2]))
    return tuple(stops[-1][1])  # type: ignore[return-value]


def luminance(rgb: Sequence[float]) -> float:
    """WCAG relative luminance of an sRGB colour given as 0-255 channels."""

    def lin(c: float) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Sequence[float], b: Sequence[float]) -> float:
    """WCAG contrast ratio of two colours (0-255 channels): 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


_INKS = {"#000000": (0.0, 0.0, 0.0), "#FFFFFF": (255.0, 255.0, 255.0)}


def ink(rgb: Sequence[float]) -> str:
    """Black or white, whichever contrasts more with ``rgb``: at least 4.58:1 on any colour (the live
    view's ``ink`` in ui/live_attention/draw.js is the same rule)."""
    return max(_INKS, key=lambda name: contrast(_INKS[name], rgb))


def cell_numbers(
    z: np.ndarray,
    x: Sequence[str],
    y: Sequence[str],
    template: str,
    zmin: float | None,
    zmax: float | None,
    scale: Sequence[Sequence[float | str]] | None = None,
) -> dict[str, object]:
    """The numbers on a heatmap's cells as a text-only trace over it, each in the ink of its own cell
    (:func:`ink`): a heatmap's ``textfont`` takes one colour for every cell, which on a scale from dark
    blue to yellow cannot reach 4.5:1 everywhere. ``template`` formats a value (``"{:.2f}"``); cells
    that are not finite stay blank; ``scale``: the heatmap's colour scale (default :data:`COLORSCALE`).
    The heatmap keeps the hover: this trace is skipped by it."""
    za = np.atleast_2d(np.asarray(z, dtype=float))
    finite = za[np.isfinite(za)]
    lo = float(zmin) if zmin is not None else (float(finite.min()) if finite.size else 0.0)
    hi = float(zmax) if zmax is not None else (float(finite.max()) if finite.size else 1.0)
    xs, ys, texts, colours = [], [], [], []
    for i, row in enumerate(za):
        for j, v in enumerate(row):
            if not np.isfinite(v):
                continue
            f = (v - lo) / (hi - lo) if hi > lo else 0.5
            xs.append(x[j])
            ys.append(y[i])
            texts.append(template.format(v))
            colours.append(ink(scale_rgb(f, scale)))
    return {
        "type": "scatter",
        "mode": "text",
        "x": xs,
        "y": ys,
        "text": texts,
        "textfont": {**font(), "color": colours},
        "hoverinfo": "skip",
        "showlegend": False,
    }


# --------------------------------------------------------------------------- readability, once
def text_color() -> str:
    """The theme's full-contrast text colour (Streamlit's plotly theme writes ticks in a faint grey)."""
    try:
        dark = st.context.theme.type == "dark"
    except Exception:  # noqa: BLE001 - no browser context (a bare script run)
        dark = False
    return "#FAFAFA" if dark else "#31333F"


def font(scale: float = 1.0) -> dict[str, object]:
    """The figures' font: :data:`FONT_PX` (times ``scale``, larger in presentation mode), full contrast."""
    return {"size": round(FONT_PX * scale * present.scale()), "color": text_color()}


def axis(title: str | None = None, **extra: object) -> dict[str, object]:
    """An axis with readable tick labels and, when given, its (horizontal) title."""
    out: dict[str, object] = {"tickfont": font(), **extra}
    if title is not None:
        out["title"] = {"text": html.escape(title), "font": font()}
    return out


def y_title(text: str, *, x: float = 0.0, xanchor: str = "left") -> dict[str, object]:
    """The vertical axis' title as an annotation written horizontally above the axis (a rotated title
    turns Hangul on its side)."""
    return {
        "text": html.escape(text),
        "xref": "paper",
        "yref": "paper",
        "x": x,
        "y": 1,
        "xanchor": xanchor,
        "yanchor": "bottom",
        "yshift": 6,
        "showarrow": False,
        "font": font(),
    }


def layout_base(title: str, **layout: object) -> dict[str, object]:
    """A figure's layout with its title and every text readable (``layout`` adds or overrides)."""
    base: dict[str, object] = {
        "title": {"text": html.escape(title), "font": font(1.1)},
        "font": font(),
        "hoverlabel": {"font": font()},
        "legend": {"font": font()},
    }
    base.update(layout)
    return base


def show_figure(traces: list[dict[str, object]], layout: dict[str, object], *, key: str) -> None:
    """Draw a plotly figure given as trace dicts (each with ``"type"``) and a layout dict.

    The figure is built (and validated) in one go: building it with ``go.Figure(trace)`` and then
    ``update_layout``/``update_yaxes`` gives the same figure but costs about three times as
    much, on every slider move (see bench/latency.py). A stable ``key`` updates it in place.
    """
    st.plotly_chart(go.Figure(data=traces, layout=layout), key=key, config={"displayModeBar": False})


def heatmap(
    z: np.ndarray,
    rows: Sequence[str],
    cols: Sequence[str],
    *,
    key: str,
    title: str,
    row_title: str,
    col_title: str,
    value_name: str,
    zmin: float | None = None,
    zmax: float | None = None,
    height: int | None = None,
    colorscale: Sequence[Sequence[float | str]] | None = None,
    signed: bool = False,
) -> None:
    """Heatmap with queries as rows and keys as columns, numbers on the cells when it fits.

    Shapes: z (n_q, n_k) with n_q row labels and n_k column labels. Colour-blind-safe
    scale; hover names the pair (in full) and the value; a stable ``key`` updates it in place.
    Masked cells (``-inf``) are left blank. Both axis titles are horizontal. ``colorscale``: another
    scale than the one in use (:func:`active_scale`) (e.g. :data:`DIVERGING`, with a range symmetric around 0);
    ``signed``: numbers written with their sign (``+0.12``, ``-0.05``).
    """
    za = np.atleast_2d(np.asarray(z, dtype=float))
    shown = np.where(np.isfinite(za), za, np.nan)
    scale_now = colorscale or active_scale()
    ylab, xlab = unique_labels(list(rows)), unique_labels(list(cols))
    full = [[[html.escape(r, quote=False), html.escape(c, quote=False)] for c in cols] for r in rows]
    small = max(za.shape) <= _HEATMAP_TEXT_MAX
    d = decimals()
    trace = {
        "type": "heatmap",
        "z": shown,
        "x": [plot_label(c) for c in xlab],
        "y": [plot_label(r) for r in ylab],
        "customdata": full,
        "colorscale": scale_now,
        "zmin": zmin,
        "zmax": zmax,
        "hovertemplate": (
            f"{html.escape(row_title)}: %{{customdata[0]}}<br>{html.escape(col_title)}: %{{customdata[1]}}"
            f"<br>{html.escape(value_name)}: %{{z:{'+' if signed else ''}.{d}f}}<extra></extra>"
        ),
        "colorbar": {"thickness": 12, "tickfont": font()},
    }
    n = za.shape[0]
    # Key labels sit on top (rows read like the query, columns like the keys); the title is pinned
    # to the very top of the figure; the rows' title stands above the row labels, horizontal.
    top = 120 if title else 90
    layout = layout_base(
        title,
        xaxis=axis(col_title, side="top", type="category"),
        yaxis=axis(None, autorange="reversed", type="category"),
        annotations=[y_title(row_title + " ↓", x=0, xanchor="right")],
        height=height or int(min(720, top + 50 + 48 * max(n, 2))),
        margin={"l": 10, "r": 10, "t": top, "b": 10},
    )
    layout["title"] = {**layout["title"], "y": 1.0, "yref": "container", "yanchor": "top", "pad": {"t": 10}}  # type: ignore[dict-item]
    template = f"{{:{'+' if signed else ''}.{min(d, 4)}f}}"
    numbers = [cell_numbers(za, trace["x"], trace["y"], template, zmin, zmax, scale_now)] if small else []  # type: ignore[arg-type]
    show_figure([trace, *numbers], layout, key=key)


# --------------------------------------------------------------------------- weighted sums
#: Okabe–Ito colours (colour-blind safe), one per key in a contributions chart; cycled past 8.
_KEY_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442", "#000000")


_LEGEND_ROW_PX = 24  # one legend line (15 px text)
#: A legend entry's longest name (longer ones end in "…"; hovering the bars shows the whole name).
_LEGEND_CHARS = 60


def contributions_chart(
    parts: np.ndarray,
    rows: Sequence[str],
    cols: Sequence[str],
    *,
    key: str,
    title: str,
    label_name: str,
    value_name: str,
    total_name: str,
    dim_name: str,
) -> None:
    """The output as a weighted sum, drawn: for each output dimension a stack of the keys'
    shares ``wᵢ·vᵢ`` (one colour per key; negative shares stack below zero) and a diamond at
    their sum, the output value.

    Shapes: parts (n_k, d_v) with n_k row labels (the keys) and d_v column labels (dimensions),
    e.g. from :func:`attention_core.contributions`.
    """
    p = np.atleast_2d(np.asarray(parts, dtype=float))
    x = [plot_label(c) for c in cols]
    d = decimals()
    traces: list[dict[str, object]] = []
    # legend entries keep whole names (a horizontal legend wraps its entries onto more lines)
    for i, (label, row) in enumerate(zip(unique_labels(list(rows), _LEGEND_CHARS), p, strict=True)):
        full = html.escape(str(list(rows)[i]), quote=False)
        traces.append(
            {
                "type": "bar",
                "x": x,
                "y": row,
                "name": plot_label(label, _LEGEND_CHARS),
                "marker": {"color": _KEY_COLOURS[i % len(_KEY_COLOURS)]},
                "customdata": [full] * len(row),
                "hovertemplate": (
                    f"{html.escape(label_name)}: %{{customdata}}<br>{html.escape(dim_name)}: %{{x}}"
                    f"<br>{html.escape(value_name)}: %{{y:.{d}f}}<extra></extra>"
                ),
            }
        )
    total = p.sum(axis=0)
    traces.append(
        {
            "type": "scatter",
            "x": x,
            "y": total,
            "name": html.escape(total_name),
            "mode": "markers+text",
            "marker": {"symbol": "diamond", "size": 13, "color": "#333333", "line": {"color": "white", "width": 1}},
            "text": [fmt(v, min(d, 4)) for v in total],
            "textposition": "top center",
            "textfont": font(),
            "hovertemplate": (
                f"{html.escape(dim_name)}: %{{x}}<br>{html.escape(total_name)}: %{{y:.{d}f}}<extra></extra>"
            ),
        }
    )
    span = max(float(np.abs(p).sum(axis=0).max()), 1e-12)
    # room above the tallest stack for the total's label
    top = max(float(np.clip(p, 0, None).sum(axis=0).max()), float(total.max()), 0.0)
    bottom = min(float(np.clip(p, None, 0).sum(axis=0).min()), float(total.min()), 0.0)
    # the title is page text above the figure: it wraps at any width (a plotly title is cut off)
    st.markdown(f"**{title}**")
    layout = layout_base(
        "",
        barmode="relative",
        xaxis=axis(dim_name, type="category"),
        yaxis=axis(None, zeroline=True, range=[bottom - 0.08 * span, top + 0.22 * span]),
        annotations=[y_title(value_name)],
        # the legend under the axis title, one entry a line (at any width: a phone's wrapped rows
        # would otherwise run into the axis title), with its own room at the bottom of the figure
        legend={"orientation": "v", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0, "font": font()},
        height=304 + _LEGEND_ROW_PX * len(traces),
        margin={"l": 10, "r": 10, "t": 44, "b": 56 + _LEGEND_ROW_PX * len(traces)},
    )
    show_figure(traces, layout, key=key)
