"""Shared Streamlit pieces: safe labels, matrix tables and editors, heatmaps, bars, step cards.

Safety rule: user text (sentences, tokens, labels) never reaches markdown or HTML
unescaped. Tokens in prose go through :func:`md_code` (a code span: nothing inside is
interpreted); in figures through :func:`plot_label` (HTML-escaped, cut to a sane length).
"""

from __future__ import annotations

import html
import zlib
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from attention_core.errors import AttentionLabError

from .i18n import t

DECIMALS_KEY = "decimals"
DEFAULT_DECIMALS = 4
#: Colour-blind-safe sequential scale for every heatmap.
COLORSCALE = "Cividis"
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
    if "word" in params:
        params["word"] = md_code(str(params["word"]))
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


def _number_columns(cols: Sequence[str], d: int) -> dict[str, st.column_config.NumberColumn]:
    return {c: st.column_config.NumberColumn(c, format=f"%.{d}f") for c in cols}


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


def reset_editor(key: str) -> None:
    """Forget the user's edits in editor ``key``: it shows its default data again."""
    st.session_state[f"{key}__version"] = editor_version(key) + 1


def matrix_editor(
    key: str,
    default: np.ndarray,
    rows: Sequence[str],
    cols: Sequence[str],
    *,
    name: str,
    help: str | None = None,
) -> np.ndarray | None:
    """An editable numeric matrix that keeps the user's edits across reruns.

    Shapes: default (n, d) -> the edited (n, d) float array, or None (with a message
    under the table) while a cell is empty or not a finite number.

    The editor's identity includes the shape and labels, so a new vocabulary or
    size starts from the new default; :func:`reset_editor` starts it over on purpose.
    Its return value is never fed back in as data (that would lose every second edit).
    """
    a = np.atleast_2d(np.asarray(default, dtype=float))
    shape_sig = f"{a.shape[0]}x{a.shape[1]}-{zlib.crc32(chr(31).join(rows).encode())}"
    widget_key = f"{key}__{shape_sig}__v{editor_version(key)}"
    edited = st.data_editor(
        matrix_frame(a, rows, cols),
        key=widget_key,
        num_rows="fixed",
        column_config=_number_columns(cols, max(decimals(), 2)),
        help=help,
    )
    values = edited.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.argwhere(~np.isfinite(values))
    if len(bad):
        where = ", ".join(f"({list(rows)[i]}, {list(cols)[j]})" for i, j in bad[:5])
        st.error(t("editor.bad_cells", name=name, cells=md_code(where, 200)), icon="⚠️")
        return None
    return values


# --------------------------------------------------------------------------- figures
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
    fig = go.Figure(
        go.Heatmap(
            z=shown,
            x=xlab,
            y=ylab,
            colorscale=COLORSCALE,
            zmin=zmin,
            zmax=zmax,
            texttemplate=f"%{{z:.{min(d, 4)}f}}" if small else None,
            hovertemplate=(
                f"{html.escape(row_title)}: %{{y}}<br>{html.escape(col_title)}: %{{x}}"
                f"<br>{html.escape(value_name)}: %{{z:.{d}f}}<extra></extra>"
            ),
            colorbar={"thickness": 12},
        )
    )
    n = za.shape[0]
    fig.update_layout(
        title={"text": html.escape(title)},
        xaxis={"title": {"text": html.escape(col_title)}, "side": "top", "type": "category"},
        yaxis={"title": {"text": html.escape(row_title)}, "autorange": "reversed", "type": "category"},
        height=height or int(min(720, 140 + 48 * max(n, 2))),
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
    )
    st.plotly_chart(fig, key=key, config={"displayModeBar": False})


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
    fig = go.Figure(
        go.Bar(
            x=v,
            y=lab,
            orientation="h",
            text=[fmt(x, d) for x in v],
            textposition="auto",
            marker={
                "color": v,
                "colorscale": COLORSCALE,
                "cmin": 0 if range_01 else None,
                "cmax": 1 if range_01 else None,
            },
            hovertemplate=f"{html.escape(label_name)}: %{{y}}<br>{html.escape(value_name)}: %{{x:.{d}f}}<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": html.escape(title)},
        yaxis={"autorange": "reversed", "type": "category"},
        xaxis={"range": [0, 1] if range_01 else None, "title": {"text": html.escape(value_name)}},
        height=int(min(600, 110 + 36 * len(v))),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    st.plotly_chart(fig, key=key, config={"displayModeBar": False})


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
