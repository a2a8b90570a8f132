"""Figures of the Word2Vec lab, as plotly trace and layout dicts (``ui.figures.show_figure`` draws them).

Readability rules: text at 14 px or more; every axis title horizontal (the vertical axis' title is
written above the axis, not turned on its side); labels cut to a sane length with an ellipsis and
the full word in the hover; labels of the embedding plot placed so that they never overlap (a label
that fits nowhere is left to the hover).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np

from ui.figures import FONT_PX, active_scale, axis, cell_numbers, font
from ui.figures import y_title as vertical_title
from ui.format import plot_label

#: Okabe-Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
MARK, OTHER = "#0072B2", "#9a9a9a"
#: Plot-area widths the label placement must work at (a phone's to a wide screen: points move apart
#: as the plot widens, labels keep their size), and the plot area's height.
PLOT_WIDTHS = (300.0, 420.0, 600.0, 850.0, 1200.0)
PLOT_H = 380.0
_LABEL_H, _GAP, _SLACK = 15.0, 9.0, 2.0  # a label's height, its gap to the point, overlap tolerated
_POSITIONS = (
    "top center",
    "bottom center",
    "middle right",
    "middle left",
    "top right",
    "top left",
    "bottom right",
    "bottom left",
)


def _esc(text: str) -> str:
    """Any text for a figure, whole: HTML-escaped, and never typeset as LaTeX (``plot_label``'s rules)."""
    return plot_label(text, 10_000)


def text_width(label: str, size: float = FONT_PX) -> float:
    """A label's width in pixels, estimated: wide (CJK) characters 1 em, others 0.6 em."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in label)


def _box(x: float, y: float, w: float, pos: str) -> tuple[float, float, float, float]:
    """The label's box (x0, x1, y0, y1) in pixels for a point at (x, y) and a plotly textposition."""
    v, h = pos.split()
    y0 = y + _GAP if v == "top" else y - _GAP - _LABEL_H if v == "bottom" else y - _LABEL_H / 2
    x0 = x - w / 2 if h == "center" else x + _GAP if h == "right" else x - _GAP - w
    return x0, x0 + w, y0, y0 + _LABEL_H


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Two boxes (x0, x1, y0, y1) overlap by more than ``_SLACK`` pixels both ways."""
    return a[0] < b[1] - _SLACK and b[0] < a[1] - _SLACK and a[2] < b[3] - _SLACK and b[2] < a[3] - _SLACK


def place_labels(
    xy: np.ndarray, labels: Sequence[str], x_range: Sequence[float], y_range: Sequence[float]
) -> list[str | None]:
    """A plotly textposition for each labelled point such that no two labels overlap each other or
    another labelled point, nor leave the plot, at every width of ``PLOT_WIDTHS``; None where no
    position fits (the hover still names the point).

    Shapes: xy (n, 2) data coordinates, n labels -> n positions. Greedy, in the given order.
    """
    xy = np.asarray(xy, dtype=float)
    sy = PLOT_H / max(1e-12, y_range[1] - y_range[0])
    views = []  # per width: the points in pixels, and what is taken (markers, then placed labels)
    for width in PLOT_WIDTHS:
        sx = width / max(1e-12, x_range[1] - x_range[0])
        px = [((x - x_range[0]) * sx, (y - y_range[0]) * sy) for x, y in xy]
        views.append((width, px, [(x - 6, x + 6, y - 6, y + 6) for x, y in px]))
    out: list[str | None] = []
    for i, label in enumerate(labels):
        w = text_width(label)
        found = None
        for pos in _POSITIONS:
            boxes = [_box(*px[i], w, pos) for _, px, _ in views]
            if all(
                b[0] >= -40
                and b[1] <= width + 40
                and b[2] >= -10
                and b[3] <= PLOT_H + 10
                and not any(_overlap(b, o) for j, o in enumerate(taken) if j != i)
                for b, (width, _, taken) in zip(boxes, views, strict=True)
            ):
                found = pos
                for b, (_, _, taken) in zip(boxes, views, strict=True):
                    taken.append(b)
                break
        out.append(found)
    return out


def scatter(
    coords: np.ndarray,
    words: Sequence[str],
    labelled: Sequence[bool],
    ranges: Sequence[Sequence[float]],
    *,
    title: str,
    axes: Sequence[str],
) -> tuple[list[dict[str, object]], dict[str, object], int]:
    """The embedding space: every word a point (hover: the word), the chosen ones labelled.

    Shapes: coords (n, 2) or (n, 3), n words, n flags, one (min, max) range per axis.
    Returns traces, layout and how many chosen labels had no room (left to the hover).
    """
    k = coords.shape[1]
    hover_axes = "".join(f"<br>{_esc(axes[i])}: %{{{'xyz'[i]}:.3f}}" for i in range(k))
    hover = "%{customdata}" + hover_axes + "<extra></extra>"
    names = [_esc(w) for w in words]
    chosen = [i for i, f in enumerate(labelled) if f]
    rest = [i for i, f in enumerate(labelled) if not f]
    kind = "scatter3d" if k == 3 else "scatter"
    size = 4 if k == 3 else 8

    def points(idx: list[int], color: str, mode: str, **extra: object) -> dict[str, object]:
        trace: dict[str, object] = {
            "type": kind,
            "mode": mode,
            "customdata": [names[i] for i in idx],
            "hovertemplate": hover,
            "marker": {"size": size + (3 if color == MARK else 0), "color": color},
            "showlegend": False,
            **{"xyz"[a]: coords[idx, a] for a in range(k)},
            **extra,
        }
        return trace

    labels = [plot_label(words[i]) for i in chosen]
    hidden = 0
    if k == 2:
        positions = place_labels(coords[chosen], labels, ranges[0], ranges[1])
        hidden = sum(p is None for p in positions)
        text = [lab if p else "" for lab, p in zip(labels, positions, strict=True)]
        extra = {"text": text, "textposition": [p or "top center" for p in positions], "cliponaxis": False}
    else:
        extra = {"text": labels, "textposition": "top center"}
    traces = [points(rest, OTHER, "markers"), points(chosen, MARK, "markers+text", textfont=font(), **extra)]
    layout: dict[str, object] = {
        "title": {"text": _esc(title), "font": font()},
        "font": font(),
        "margin": {"l": 10, "r": 10, "t": 70, "b": 10},
        "hoverlabel": {"font": font()},
    }
    if k == 3:
        layout["scene"] = {
            f"{'xyz'[a]}axis": {"title": {"text": _esc(axes[a])}, "range": list(ranges[a])} for a in range(3)
        }
        layout["height"] = 600
    else:
        layout["xaxis"] = axis(axes[0], range=list(ranges[0]), zeroline=False)
        layout["yaxis"] = axis(range=list(ranges[1]), zeroline=False)
        layout["annotations"] = [vertical_title(axes[1])]
        layout["height"] = 460
    return traces, layout, hidden


def lines(
    x: np.ndarray,
    ys: np.ndarray,
    names: Sequence[str],
    *,
    title: str,
    x_title: str,
    y_title: str,
    y_range: Sequence[float] | None = None,
) -> tuple[list[dict[str, object]], dict[str, object]]:
    """One line per column of ``ys`` against ``x`` (a legend when there are several).

    Shapes: x (s,), ys (s, p) with p names.
    """
    mode = "lines+markers" if len(x) <= 40 else "lines"
    traces = [
        {
            "type": "scatter",
            "mode": mode,
            "x": x,
            "y": ys[:, j],
            "name": _esc(name),
            "line": {"color": PALETTE[j % len(PALETTE)], "width": 3 if j < 4 else 2},
            "hovertemplate": f"{_esc(name)}<br>{_esc(x_title)}: %{{x}}<br>{_esc(y_title)}: %{{y:.4f}}<extra></extra>",
        }
        for j, name in enumerate(names)
    ]
    rows = legend_rows(names) if len(names) > 1 else 0
    layout: dict[str, object] = {
        "title": {"text": _esc(title), "font": font()},
        "font": font(),
        "xaxis": axis(x_title),
        "yaxis": axis(range=list(y_range) if y_range is not None else None),
        "annotations": [vertical_title(y_title)],
        "showlegend": rows > 0,
        # the legend at the bottom of the figure, below the horizontal axis' title, with room for
        # as many rows as a phone needs
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "font": font()},
        "height": (290 if title else 254) + 24 * rows,
        # without a title (page text above the figure) only the vertical axis' title needs room
        "margin": {"l": 10, "r": 10, "t": 80 if title else 44, "b": 10 + (40 + 24 * rows if rows else 0)},
        "hoverlabel": {"font": font()},
    }
    return traces, layout


def legend_rows(names: Sequence[str], width: float = PLOT_WIDTHS[0]) -> int:
    """How many rows a horizontal legend of ``names`` takes in ``width`` pixels (a phone's)."""
    rows, used = 1, 0.0
    for name in names:
        item = text_width(name) + 45  # the line sample and the gap
        if used and used + item > width:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def cosine_heatmap(sims: np.ndarray, words: Sequence[str], *, word: str, value: str) -> tuple[list, dict]:
    """Cosine similarity of the chosen words: both axes the words, numbers on the cells.

    Shapes: sims (n, n) with n words.
    """
    labels = [plot_label(w, 14) for w in words]
    full = [[f"{_esc(a)} · {_esc(b)}" for b in words] for a in words]
    trace = {
        "type": "heatmap",
        "z": sims,
        "x": labels,
        "y": labels,
        "customdata": full,
        "colorscale": active_scale(),
        "zmin": -1,
        "zmax": 1,
        "hovertemplate": f"{_esc(word)}: %{{customdata}}<br>{_esc(value)}: %{{z:.4f}}<extra></extra>",
        "showscale": False,  # the numbers are on the cells; the caption gives the scale
    }
    layout = {
        "font": font(),
        "xaxis": axis(side="top", type="category"),
        "yaxis": axis(autorange="reversed", type="category"),
        "height": int(min(760, 140 + 44 * max(len(words), 2))),
        "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
        "hoverlabel": {"font": font()},
    }
    # 14 px numbers must fit a phone's cells: two decimals up to 6 words, one above (hover: four);
    # each in black or white, whichever reads better on its own cell
    numbers = cell_numbers(sims, labels, labels, "{:.2f}" if len(words) <= 6 else "{:.1f}", -1, 1, trace["colorscale"])
    return [trace, numbers], layout
