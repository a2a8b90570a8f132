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
_HEATMAP_TEXT_MAX = 16  # above this many rows/columns, numbers move to hover only


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
) -> None:
    """Heatmap with queries as rows and keys as columns, numbers on the cells when it fits.

    Shapes: z (n_q, n_k) with n_q row labels and n_k column labels. Colour-blind-safe
    scale; hover names the pair and the value; a stable ``key`` updates it in place.
    Masked cells (``-inf``) are left blank.
    """
    za = np.atleast_2d(np.asarray(z, dtype=float))
    shown = np.where(np.isfinite(za), za, np.nan)
    ylab, xlab = [plot_label(r) for r in rows], [plot_label(c) for c in cols]
    small = max(za.shape) <= _HEATMAP_TEXT_MAX
    d = decimals()
    trace = {
        "type": "heatmap",
        "z": shown,
        "x": xlab,
        "y": ylab,
        "colorscale": COLORSCALE,
        "zmin": zmin,
        "zmax": zmax,
        "texttemplate": f"%{{z:.{min(d, 4)}f}}" if small else None,
        "hovertemplate": (
            f"{html.escape(row_title)}: %{{y}}<br>{html.escape(col_title)}: %{{x}}"
            f"<br>{html.escape(value_name)}: %{{z:.{d}f}}<extra></extra>"
        ),
        "colorbar": {"thickness": 12},
    }
    n = za.shape[0]
    # Key labels sit on top (rows read like the query, columns like the keys); the
    # title is pinned to the very top of the figure with room below it for them.
    top = 110 if title else 80
    layout = {
        "title": {"text": html.escape(title), "y": 1.0, "yref": "container", "yanchor": "top", "pad": {"t": 10}},
        "xaxis": {"title": {"text": html.escape(col_title)}, "side": "top", "type": "category"},
        "yaxis": {"title": {"text": html.escape(row_title)}, "autorange": "reversed", "type": "category"},
        "height": height or int(min(720, top + 50 + 48 * max(n, 2))),
        "margin": {"l": 10, "r": 10, "t": top, "b": 10},
    }
    show_figure([trace], layout, key=key)


def bar_chart(
    values: np.ndarray,
    labels: Sequence[str],
    *,
    key: str,
    title: str,
    value_name: str,
    label_name: str,
    range_01: bool = False,
) -> None:
    """Horizontal bars, one per label, the value written at the end of each bar.

    Shapes: values (n,) with n labels.
    """
    v = np.ravel(np.asarray(values, dtype=float))
    lab = [plot_label(x) for x in labels]
    d = decimals()
    trace = {
        "type": "bar",
        "x": v,
        "y": lab,
        "orientation": "h",
        "text": [fmt(x, d) for x in v],
        "textposition": "auto",
        "marker": {
            "color": v,
            "colorscale": COLORSCALE,
            "cmin": 0 if range_01 else None,
            "cmax": 1 if range_01 else None,
        },
        "hovertemplate": f"{html.escape(label_name)}: %{{y}}<br>{html.escape(value_name)}: %{{x:.{d}f}}<extra></extra>",
    }
    layout = {
        "title": {"text": html.escape(title)},
        "yaxis": {"autorange": "reversed", "type": "category"},
        "xaxis": {"range": [0, 1] if range_01 else None, "title": {"text": html.escape(value_name)}},
        "height": int(min(600, 110 + 36 * len(v))),
        "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
    }
    show_figure([trace], layout, key=key)


# --------------------------------------------------------------------------- weighted sums
#: Okabe–Ito colours (colour-blind safe), one per key in a contributions chart; cycled past 8.
_KEY_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442", "#000000")


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
    for i, (label, row) in enumerate(zip(unique_labels(list(rows)), p, strict=True)):
        name = plot_label(label)
        traces.append(
            {
                "type": "bar",
                "x": x,
                "y": row,
                "name": name,
                "marker": {"color": _KEY_COLOURS[i % len(_KEY_COLOURS)]},
                "customdata": [name] * len(row),
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
            "hovertemplate": (
                f"{html.escape(dim_name)}: %{{x}}<br>{html.escape(total_name)}: %{{y:.{d}f}}<extra></extra>"
            ),
        }
    )
    span = max(float(np.abs(p).sum(axis=0).max()), 1e-12)
    # room above the tallest stack for the total's label
    top = max(float(np.clip(p, 0, None).sum(axis=0).max()), float(total.max()), 0.0)
    bottom = min(float(np.clip(p, None, 0).sum(axis=0).min()), float(total.min()), 0.0)
    layout = {
        "title": {"text": html.escape(title)},
        "barmode": "relative",
        "xaxis": {"title": {"text": html.escape(dim_name)}, "type": "category"},
        "yaxis": {
            "title": {"text": html.escape(value_name)},
            "zeroline": True,
            "range": [bottom - 0.08 * span, top + 0.15 * span],
        },
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.2, "xanchor": "left", "x": 0},
        "height": 420,
        "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
    }
    show_figure(traces, layout, key=key)
