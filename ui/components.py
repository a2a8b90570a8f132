"""Shared Streamlit pieces: safe labels, matrix tables and editors, heatmaps, bars, step cards.

Safety rule: user text (sentences, tokens, labels) never reaches markdown or HTML
unescaped. Tokens in prose go through :func:`md_code` (a code span: nothing inside is
interpreted); in figures through :func:`plot_label` (HTML-escaped, cut to a sane length).
"""

from __future__ import annotations

import html
import zlib
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from attention_core.errors import AttentionLabError
from attention_core.limits import MAX_MATRIX_SIZE
from attention_core.matrix_text import format_matrix, parse_matrix

from .i18n import t, term

DECIMALS_KEY = "decimals"
DEFAULT_DECIMALS = 4
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
_LABEL_CHARS = 24
_HEATMAP_TEXT_MAX = 16  # above this many rows/columns, numbers move to hover only


# --------------------------------------------------------------------------- text
def decimals() -> int:
    """Decimal places for numbers on screen (sidebar setting; 4 unless changed)."""
    d = st.session_state.get(DECIMALS_KEY, DEFAULT_DECIMALS)
    return int(d) if isinstance(d, int) and 0 <= d <= 10 else DEFAULT_DECIMALS


def fmt(x: float, d: int | None = None) -> str:
    """A number the same way in every language: ``1.2345`` (no locale separators)."""
    return f"{x:.{decimals() if d is None else d}f}"


def fmt_vec(v: Sequence[float] | np.ndarray, d: int | None = None) -> str:
    """``[0.5761, 0.2119]`` with the current decimals."""
    return "[" + ", ".join(fmt(float(x), d) for x in np.ravel(v)) + "]"


def shorten(text: str, n: int = _LABEL_CHARS) -> str:
    """Cut ``text`` to ``n`` characters with an ellipsis."""
    return text if len(text) <= n else text[: n - 1] + "…"


def md_code(text: str, n: int = 40) -> str:
    """User text as a markdown code span: shown literally (no HTML, links, $math$ or :colour[])."""
    s = shorten(text, n).replace("\n", " ")
    longest = 0
    run = 0
    for ch in s:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def plot_label(text: str, n: int = _LABEL_CHARS) -> str:
    """A label safe for plotly: HTML-escaped (plotly reads <b>, <a href>…) and cut to ``n`` characters.

    A label wrapped in ``$…$`` would be typeset as LaTeX: a zero-width space in front stops that.
    """
    s = html.escape(shorten(text, n), quote=False)
    return "\u200b" + s if s.startswith("$") else s


def unique_labels(tokens: Sequence[str], n: int = _LABEL_CHARS) -> list[str]:
    """Display labels, one per token, made distinct (charts merge equal category names).

    A token that occurs more than once gets its 1-based position: ``the #1`` … ``the #7``.
    """
    short = [shorten(tok, n) for tok in tokens]
    counts = Counter(short)
    return [f"{s} #{i + 1}" if counts[s] > 1 else s for i, s in enumerate(short)]


def dim_labels(d: int, prefix: str = "d") -> list[str]:
    """Column labels ``d1 … dn`` (language-neutral, as in the notebooks' matrices)."""
    return [f"{prefix}{j + 1}" for j in range(d)]


# --------------------------------------------------------------------------- messages
def error_text(exc: AttentionLabError) -> str:
    """The engine's error in the UI's language (its code and parameters pick the text)."""
    params = {k: (", ".join(map(str, v)) if isinstance(v, tuple) else v) for k, v in exc.params.items()}
    for user_text in ("word", "cell", "dot"):  # typed by the user: shown literally
        if user_text in params:
            params[user_text] = md_code(str(params[user_text]))
    if "name" in params:  # the engine's short English name ("tokens", "scores") in the UI's language
        params["name"] = term(str(params["name"]))
    text = t(f"error.{exc.code}", **params)
    return text if text != f"error.{exc.code}" else t("error.invalid_input")


def show_error(exc: AttentionLabError) -> None:
    """Show the engine's error as a message box (never a traceback)."""
    st.error(error_text(exc), icon="⚠️")


# --------------------------------------------------------------------------- tables
def matrix_frame(arr: np.ndarray, rows: Sequence[str], cols: Sequence[str]) -> pd.DataFrame:
    """A labelled DataFrame of a 1-D or 2-D array (a vector becomes one row).

    Shapes: (n, d) with n row labels and d column labels -> DataFrame n × d.
    """
    a = np.atleast_2d(np.asarray(arr, dtype=float))
    return pd.DataFrame(a, index=list(rows), columns=list(cols))


def _number_columns(cols: Sequence[str], d: int, help: str | None = None) -> dict[str, st.column_config.NumberColumn]:
    return {c: st.column_config.NumberColumn(c, format=f"%.{d}f", help=help) for c in cols}


def show_matrix(
    arr: np.ndarray,
    rows: Sequence[str],
    cols: Sequence[str],
    *,
    key: str | None = None,
    height: int | str = "auto",
) -> None:
    """A read-only table of numbers with row and column labels, at the current decimals.

    Shapes: (n, d) or (d,) -> table n × d (the full-precision values stay in the table's data).
    """
    d = decimals()
    st.dataframe(
        matrix_frame(arr, rows, cols),
        column_config=_number_columns(cols, d),
        key=key,
        height=height,
    )


def editor_version(key: str) -> int:
    """Bumping this number gives the editor ``key`` a fresh start (for "reset"/"regenerate")."""
    return int(st.session_state.get(f"{key}__version", 0))


def _restart_grid(key: str) -> None:
    st.session_state[f"{key}__version"] = editor_version(key) + 1


def reset_editor(key: str) -> None:
    """Forget the user's edits in editor ``key`` (grid and text box): it shows its default data again.

    Safe in an ``on_click``/``on_change`` callback (the text box is refilled when next drawn).
    """
    for suffix in (TEXT_SUFFIX, "__text_base", "__synced"):
        st.session_state.pop(f"{key}{suffix}", None)
    _restart_grid(key)


def matrix_editor(
    key: str,
    default: np.ndarray,
    rows: Sequence[str],
    cols: Sequence[str],
    *,
    name: str,
    help: str | None = None,
) -> np.ndarray | None:
    """An editable numeric matrix that keeps the user's edits across reruns, with a text box.

    Shapes: default (n, d) -> the edited (n, d) float array, or None (with a message under
    the table or the text box) while a cell is empty or not a finite number.

    The editor's identity includes the shape and labels, so a new vocabulary or
    size starts from the new default; :func:`reset_editor` starts it over on purpose.
    Its return value is never fed back in as data (that would lose every second edit).
    Up to ``MAX_MATRIX_SIZE`` rows and columns the numbers can also be typed as text
    (see :func:`_matrix_input`).
    """
    a = np.atleast_2d(np.asarray(default, dtype=float))
    shape_sig = f"{a.shape[0]}x{a.shape[1]}-{zlib.crc32(chr(31).join(rows).encode())}"

    def grid(data: np.ndarray, widget_key: str) -> pd.DataFrame:
        return st.data_editor(
            matrix_frame(data, rows, cols),
            key=widget_key,
            num_rows="fixed",
            column_config=_number_columns(cols, max(decimals(), 2), help),  # st.data_editor has no help=
        )

    return _matrix_input(key, shape_sig, a, grid, rows, cols, name=name)


# --------------------------------------------------------------------------- matrix input (grid + text)
#: Suffix of an editor's text box key: ``{key}__text``.
TEXT_SUFFIX = "__text"
#: Characters the text box takes (16 × 16 numbers at full precision fit).
MAX_MATRIX_TEXT_CHARS = 10_000


def _grid_check(edited: pd.DataFrame, rows: Sequence[str], cols: Sequence[str], name: str) -> np.ndarray | None:
    """The grid's numbers, or None with a message naming the bad cells (empty, text, NaN, ±inf)."""
    values = edited[list(cols)].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.argwhere(~np.isfinite(values))
    if len(bad):
        where = ", ".join(f"({list(rows)[i]}, {list(cols)[j]})" for i, j in bad[:5])
        st.error(t("editor.bad_cells", name=name, cells=md_code(where, 200)), icon="⚠️")
        return None
    return values


def _text_args(shape: tuple[int, int], resize: Callable[[np.ndarray], None] | None) -> dict[str, object]:
    if resize is None:
        return {"shape": shape}
    return {"max_rows": MAX_MATRIX_SIZE, "max_cols": MAX_MATRIX_SIZE}


def _on_text(
    key: str, sig: str, shape: tuple[int, int], name: str, resize: Callable[[np.ndarray], None] | None
) -> None:
    """The text box's callback (runs before the page): a valid matrix becomes the grid's data."""
    text_key = f"{key}{TEXT_SUFFIX}"
    text = st.session_state.get(text_key) or ""
    try:
        values = parse_matrix(text, name, **_text_args(shape, resize))  # type: ignore[arg-type]
    except AttentionLabError:
        return  # the page run shows the message under the box; the grid keeps its numbers
    if values.shape != shape and resize is not None:
        resize(values)  # e.g. load_matrix: new size inputs, new grid (it clears the text box: put it back)
        st.session_state[text_key] = text
    else:
        st.session_state[f"{key}__text_base"] = (sig, values)
        _restart_grid(key)
    st.session_state[f"{key}__synced"] = values


def _matrix_input(
    key: str,
    sig: str,
    default: np.ndarray,
    grid: Callable[[np.ndarray, str], pd.DataFrame],
    rows: Sequence[str],
    cols: Sequence[str],
    *,
    name: str,
    resize: Callable[[np.ndarray], None] | None = None,
) -> np.ndarray | None:
    """The grid ``grid(data, widget_key)`` plus, up to ``MAX_MATRIX_SIZE``², a text box for the same numbers.

    Shapes: default (n, d) -> the (n, d) values, or None with a message right under the grid
    or the text box (naming the row and column) while a number is bad.

    The grid's widget key is ``{key}__{sig}__v{version}`` (``sig`` names its shape/labels); the
    text box's is ``{key}__text``. The data grid cannot take every number (it has no 1e308):
    the text box takes one row per line (:func:`attention_core.parse_matrix`). A valid text
    becomes the grid's data; an edit in the grid rewrites the text; a bad text stays in the
    box, with its message, and the grid keeps its last numbers. ``resize(values)`` (from a
    callback) takes a valid text of another shape; without it the text must keep the shape.
    """
    shape = (int(default.shape[0]), int(default.shape[1]))
    override = st.session_state.get(f"{key}__text_base")
    data = override[1] if override is not None and override[0] == sig and override[1].shape == shape else default
    edited = grid(data, f"{key}__{sig}__v{editor_version(key)}")
    values = _grid_check(edited, rows, cols, name)
    if max(shape) > MAX_MATRIX_SIZE:
        return values  # a large matrix: the grid only (its text would be too long to read)

    text_key, synced_key = f"{key}{TEXT_SUFFIX}", f"{key}__synced"
    synced = st.session_state.get(synced_key)
    if text_key not in st.session_state or (
        values is not None and (synced is None or synced.shape != values.shape or not np.array_equal(values, synced))
    ):
        # first draw, or the grid was edited: the text follows the grid (a bad text is never overwritten otherwise)
        st.session_state[text_key] = format_matrix(values if values is not None else data)
        st.session_state[synced_key] = values if values is not None else data
    problem: AttentionLabError | None = None
    try:
        parse_matrix(st.session_state[text_key] or "", name, **_text_args(shape, resize))  # type: ignore[arg-type]
    except AttentionLabError as exc:
        problem = exc
    limits = (
        t("editor.text_shape", rows=shape[0], cols=shape[1])
        if resize is None
        else t("editor.text_max", limit=MAX_MATRIX_SIZE)
    )
    with st.expander(t("editor.text_mode"), expanded=problem is not None, icon=":material/edit_note:"):
        st.text_area(
            t("editor.text_label", name=name),
            key=text_key,
            height=max(68, min(260, 26 * (shape[0] + 1))),
            max_chars=MAX_MATRIX_TEXT_CHARS,
            help=t("editor.text_help", chars=MAX_MATRIX_TEXT_CHARS) + " " + limits,
            on_change=_on_text,
            args=(key, sig, shape, name, resize),
        )
        if problem is not None:
            show_error(problem)
        else:
            st.caption(limits)
    return None if problem is not None else values


# --------------------------------------------------------------------------- figures
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


# --------------------------------------------------------------------------- step cards
def step_card(number: int | str, title: str, formula: str | None, explanation: str | None = None):
    """A bordered card: "Step n · title", the formula (LaTeX), then whatever the caller draws
    inside the returned container, with the one-sentence ``explanation`` (markdown; pass user
    text through :func:`md_code`) under it.

    Usage::

        with step_card(3, t("step.scores"), r"S = QK^\\top", t("step.scores_explain", ...)):
            show_matrix(...)
    """
    box = st.container(border=True)
    box.markdown(f"**{t('common.step', n=number)} · {title}**")
    if formula:
        box.latex(formula)
    body = box.container()
    if explanation:
        box.caption(explanation)
    return body


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


def labelled_matrix_editor(
    key: str,
    default: np.ndarray,
    rows: Sequence[str],
    cols: Sequence[str],
    *,
    name: str,
    row_header: str = "",
    help: str | None = None,
    resize: Callable[[np.ndarray], None] | None = None,
) -> np.ndarray | None:
    """Like :func:`matrix_editor`, but the user's edits survive a change of row labels (a language switch).

    Shapes: default (n, d) -> the edited (n, d) float array, or None (with a message under
    the table) while a cell is empty or not a finite number.

    The row labels live in a read-only first column instead of the index: Streamlit keys a
    fixed-size editor on its columns and index, not on its cell values, so translated labels
    do not restart it. Its identity is ``key`` and the shape; :func:`reset_editor` starts it over.
    The numbers can also be typed as text (key ``{key}__text``; see :func:`_matrix_input`), which
    may change the shape when ``resize`` is given.
    """
    a = np.atleast_2d(np.asarray(default, dtype=float))
    if len(rows) != a.shape[0] or len(cols) != a.shape[1]:
        raise ValueError(f"{a.shape} needs {a.shape[0]} row and {a.shape[1]} column labels")
    config: dict[str, object] = {"_row": st.column_config.TextColumn(row_header or " ", disabled=True)}
    config.update(_number_columns(cols, max(decimals(), 2), help))

    def grid(data: np.ndarray, widget_key: str) -> pd.DataFrame:
        frame = pd.DataFrame(data, columns=list(cols))
        frame.insert(0, "_row", [shorten(r, 40) for r in rows])
        return st.data_editor(frame, key=widget_key, num_rows="fixed", hide_index=True, column_config=config)

    return _matrix_input(key, f"{a.shape[0]}x{a.shape[1]}", a, grid, rows, cols, name=name, resize=resize)


def qkv_editors(
    key: str,
    query: np.ndarray,
    keys: np.ndarray,
    values: np.ndarray,
    *,
    query_rows: Sequence[str],
    key_rows: Sequence[str],
    value_rows: Sequence[str] | None = None,
    titles: tuple[str, str, str],
    row_headers: tuple[str, str, str] = ("", "", ""),
    help: str | None = None,
    on_reset: Callable[[], None] | None = None,
) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """Query, Key and Value as three editable tables (the query above, keys and values side by side)
    with one reset button.

    Shapes: query (n_q, d_k), keys (n_k, d_k), values (n_k, d_v) -> the edited arrays, each
    None (with a message under its table) while one of its cells is not a finite number.
    Columns are ``d1 … dn``; the editors' keys are ``{key}_q``, ``{key}_k`` and ``{key}_v``
    (see :func:`labelled_matrix_editor`: edits survive a language switch). ``on_reset`` runs
    too when the button is pressed (e.g. to put the page's switches back to the notebook's).
    """
    q0, k0, v0 = (np.atleast_2d(np.asarray(a, dtype=float)) for a in (query, keys, values))
    names = (f"{key}_q", f"{key}_k", f"{key}_v")

    def _reset() -> None:
        for name in names:
            reset_editor(name)
        if on_reset is not None:
            on_reset()

    tables = (
        (q0, query_rows, titles[0], row_headers[0]),
        (k0, key_rows, titles[1], row_headers[1]),
        (v0, key_rows if value_rows is None else value_rows, titles[2], row_headers[2]),
    )
    top, bottom = st.columns(2, vertical_alignment="bottom"), st.columns(2)
    out: list[np.ndarray | None] = []
    for col, name, (default, rows, title, header) in zip((top[0], *bottom), names, tables, strict=True):
        with col:
            st.markdown(f"**{title}**")
            out.append(
                labelled_matrix_editor(
                    name, default, rows, dim_labels(default.shape[1]), name=title, row_header=header, help=help
                )
            )
    top[1].button(t("common.reset"), key=f"{key}_reset", on_click=_reset, icon=":material/restart_alt:")
    return out[0], out[1], out[2]


# --------------------------------------------------------------------------- resizable matrix input
def resize_matrix(a: np.ndarray, n: int, d: int) -> np.ndarray:
    """``a`` cut or zero-padded to ``n`` rows and ``d`` columns (kept cells keep their values).

    Shapes: (n0, d0) -> (n, d).
    """
    src = np.atleast_2d(np.asarray(a, dtype=float))
    out = np.zeros((n, d))
    rows, cols = min(n, src.shape[0]), min(d, src.shape[1])
    out[:rows, :cols] = src[:rows, :cols]
    return out


def load_matrix(key: str, x: np.ndarray) -> None:
    """Make :func:`sized_matrix_editor` ``key`` start over from ``x``; its size controls follow.

    Safe in an ``on_click``/``on_change`` callback (it sets the size inputs' state before they are drawn).
    """
    a = np.atleast_2d(np.asarray(x, dtype=float))
    st.session_state[f"{key}__base"] = a
    st.session_state[f"{key}_rows"] = int(a.shape[0])
    st.session_state[f"{key}_cols"] = int(a.shape[1])
    st.session_state.pop(f"{key}__last", None)
    reset_editor(key)


def sized_matrix_editor(
    key: str,
    default: np.ndarray,
    *,
    row_label: Callable[[int], str],
    name: str,
    rows_label: str,
    cols_label: str,
    max_rows: int,
    max_cols: int,
    rows_help: str | None = None,
    cols_help: str | None = None,
    row_header: str = "",
    help: str | None = None,
    reset_label: str | None = None,
    reset_help: str | None = None,
    on_reset: Callable[[], None] | None = None,
) -> np.ndarray | None:
    """An editable matrix with "rows" and "columns" number inputs and a reset button.

    Shapes: default (n, d) -> the edited (n', d') float array (n' ≤ ``max_rows``, d' ≤ ``max_cols``),
    or None (with a message under the table) while a cell is not a finite number.

    Changing a size keeps the cells that still fit and fills new ones with 0. The reset button
    loads ``default`` again, then calls ``on_reset`` (e.g. to reset the page's sliders).
    ``row_label(i)`` names row i (0-based); column labels are ``d1 … dn``. Widget keys:
    ``{key}_rows``, ``{key}_cols``, ``{key}_reset``; the edits survive a language switch
    (see :func:`labelled_matrix_editor`). Use :func:`load_matrix` to load another matrix.
    """
    base_key, last_key = f"{key}__base", f"{key}__last"
    if base_key not in st.session_state:
        load_matrix(key, default)
    rows_key, cols_key = f"{key}_rows", f"{key}_cols"

    def _resize() -> None:
        src = st.session_state.get(last_key)
        if src is None:
            src = st.session_state[base_key]
        st.session_state[base_key] = resize_matrix(
            src, int(st.session_state[rows_key]), int(st.session_state[cols_key])
        )
        reset_editor(key)

    def _reset() -> None:
        load_matrix(key, default)
        if on_reset is not None:
            on_reset()

    c1, c2, c3 = st.columns([1, 1, 2], vertical_alignment="bottom")
    c1.number_input(
        rows_label, min_value=1, max_value=max_rows, step=1, key=rows_key, on_change=_resize, help=rows_help
    )
    c2.number_input(
        cols_label, min_value=1, max_value=max_cols, step=1, key=cols_key, on_change=_resize, help=cols_help
    )
    c3.button(
        reset_label or t("common.reset"),
        key=f"{key}_reset",
        on_click=_reset,
        help=reset_help,
        icon=":material/restart_alt:",
    )
    base = st.session_state[base_key]
    values = labelled_matrix_editor(
        key,
        base,
        [row_label(i) for i in range(base.shape[0])],
        dim_labels(base.shape[1]),
        name=name,
        row_header=row_header,
        help=help,
        resize=lambda a: load_matrix(key, a),  # a typed matrix of another size (up to max_rows × max_cols)
    )
    if values is not None:
        st.session_state[last_key] = values
    return values
