"""Every matrix editor of the lessons: a data grid plus a "type or paste as text" box for the same numbers.

Their session keys and the functions that set them before an editor is drawn (a link, a file, a
reset) are in :mod:`ui.editor_state`, which the experiment model (:mod:`ui.share.state`) uses too.
An editor's return value is never fed back in as its data (that would lose every second edit).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import streamlit as st

from attention_core.errors import AttentionLabError
from attention_core.limits import MAX_MATRIX_SIZE
from attention_core.matrix_text import format_matrix, parse_matrix

from . import present
from .editor_state import (  # noqa: F401 - load_matrix, queue_matrix: also for the pages
    TEXT_SUFFIX,
    editor_version,
    load_matrix,
    queue_matrix,
    reset_editor,
    restart_grid,
    sized_shape,
)
from .format import column_widths, decimals, dim_labels, label_width, matrix_frame, md_code, number_columns, shorten
from .i18n import show_error, t
from .values import check_text


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
            # st.data_editor has no help=: it is on the columns
            column_config=number_columns(cols, editor_decimals(data, rows, cols), help, values=data),
        )

    return _matrix_input(key, shape_sig, a, grid, rows, cols, name=name)


# --------------------------------------------------------------------------- matrix input (grid + text)
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


def _parse_text(text: str, name: str, **args: object) -> np.ndarray:
    """A matrix typed as text: first the check every typed text passes (:func:`ui.values.check_text`:
    no control characters but TAB and line feeds), then :func:`attention_core.parse_matrix`."""
    check_text(text, multiline=True)
    return parse_matrix(text, name, **args)  # type: ignore[arg-type]


def _on_text(
    key: str, sig: str, shape: tuple[int, int], name: str, resize: Callable[[np.ndarray], None] | None
) -> None:
    """The text box's callback (runs before the page): a valid matrix becomes the grid's data."""
    text_key = f"{key}{TEXT_SUFFIX}"
    text = st.session_state.get(text_key) or ""
    try:
        values = _parse_text(text, name, **_text_args(shape, resize))
    except AttentionLabError:
        return  # the page run shows the message under the box; the grid keeps its numbers
    if values.shape != shape and resize is not None:
        resize(values)  # e.g. load_matrix: new size inputs, new grid (it clears the text box: put it back)
        st.session_state[text_key] = text
    else:
        st.session_state[f"{key}__text_base"] = (sig, values)
        restart_grid(key)
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
    pending = st.session_state.pop(f"{key}__load", None)
    if pending is not None and pending.shape == shape:
        reset_editor(key)
        st.session_state[f"{key}__text_base"] = (sig, pending)
    override = st.session_state.get(f"{key}__text_base")
    data = override[1] if override is not None and override[0] == sig and override[1].shape == shape else default
    widget_key = f"{key}__{sig}__v{editor_version(key)}"
    last = st.session_state.get(f"{key}__grid")
    if (
        last is not None
        and last[0] == widget_key
        and widget_key not in st.session_state
        and np.array_equal(last[1], data)
        and not np.array_equal(last[2], data)
    ):
        # the same grid, from the same numbers, was not drawn in the last run (another lesson was
        # open): Streamlit dropped its edits; it starts over, under a new key, from what it held
        restart_grid(key)
        data = last[2]
        st.session_state[f"{key}__text_base"] = (sig, data)
        widget_key = f"{key}__{sig}__v{editor_version(key)}"
    edited = grid(data, widget_key)
    values = _grid_check(edited, rows, cols, name)
    if values is not None:
        st.session_state[f"{key}__value"] = values
        st.session_state[f"{key}__grid"] = (widget_key, data, values)
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
        _parse_text(st.session_state[text_key] or "", name, **_text_args(shape, resize))
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


#: The widest an editor in a lesson's controls column may be: that column at 1400 px with the sidebar
#: open (392 px measured; on a phone the grid scrolls).
EDITOR_PX = 385
#: The same at 1280 × 720 in presentation mode, in the grid's own pixels (grids are zoomed 1.35 ×).
PRESENT_EDITOR_PX = 340
#: The row labels' column is at least this wide; longer labels wrap onto two lines in it.
_LABEL_MIN_PX = 110
#: A grid row tall enough for two lines of text (the grid wraps text only in rows over 64 px).
_TWO_LINES_PX = 66


def editor_budget() -> int:
    """How wide an editor in the controls column may be (:data:`EDITOR_PX`, or on a projector
    :data:`PRESENT_EDITOR_PX`)."""
    return PRESENT_EDITOR_PX if present.is_on() else EDITOR_PX


def editor_decimals(data: np.ndarray, rows: Sequence[str], cols: Sequence[str]) -> int:
    """The decimals an editor shows: the page's Decimal places (at least 2), fewer (never below 2)
    when its columns would not fit the controls column with them (Decimal places 8 would push a
    3 × 3 table's last column out of view). Every digit stays in the cell, shown when it is edited,
    and in the "type or paste the numbers as text" box."""
    d = max(decimals(), 2)
    label = min(label_width(rows), _LABEL_MIN_PX)
    if data.shape[1] > MAX_MATRIX_SIZE:
        return d
    while d > 2 and label + sum(w for w, _ in column_widths(cols, d, data)) > editor_budget():
        d -= 1
    return d


def _label_column(labels: Sequence[str], numbers: Sequence[int], header: str) -> tuple[int, int | None]:
    """The row labels' column width and the rows' height: the labels' own width when the grid fits
    :data:`EDITOR_PX` with it, else what is left (at least :data:`_LABEL_MIN_PX`), the labels wrapping
    onto two lines ("Sách 2: về động vật nói chung" was cut, and pushed the last numbers out of view)."""
    whole = label_width([*labels, header])
    room = editor_budget() - sum(numbers)
    if whole <= room:
        return whole, None
    return max(_LABEL_MIN_PX, room, label_width([header])), _TWO_LINES_PX


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

    def grid(data: np.ndarray, widget_key: str) -> pd.DataFrame:
        labels = [shorten(r, 40) for r in rows]
        numbers = number_columns(cols, editor_decimals(data, labels, cols), help, values=data)
        width, row_height = _label_column(labels, [int(c["width"]) for c in numbers.values()], row_header)
        config: dict[str, object] = {"_row": st.column_config.TextColumn(row_header or " ", disabled=True, width=width)}
        config.update(numbers)
        frame = pd.DataFrame(data, columns=list(cols))
        frame.insert(0, "_row", labels)
        return st.data_editor(
            frame, key=widget_key, num_rows="fixed", hide_index=True, column_config=config, row_height=row_height
        )

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
    stacked: bool = False,
) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """Query, Key and Value as three editable tables side by side (stacked on a phone, or always
    with ``stacked``, e.g. in a lesson's controls column), with one reset button under them.

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
    out: list[np.ndarray | None] = []
    places = [st.container() for _ in tables] if stacked else st.columns(3)
    for col, name, (default, rows, title, header) in zip(places, names, tables, strict=True):
        with col:
            st.markdown(f"**{title}**")
            out.append(
                labelled_matrix_editor(
                    name, default, rows, dim_labels(default.shape[1]), name=title, row_header=header, help=help
                )
            )
    st.button(t("common.reset"), key=f"{key}_reset", on_click=_reset, icon=":material/restart_alt:")
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
    # the size inputs say the matrix's size, whatever path led here (a return from another lesson,
    # a link, a reset): their callbacks resize the matrix before the run, so this changes nothing else
    n, d = st.session_state[base_key].shape
    if st.session_state.get(rows_key) != n:
        st.session_state[rows_key] = int(n)
    if st.session_state.get(cols_key) != d:
        st.session_state[cols_key] = int(d)

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

    # one row that wraps where the button's whole label does not fit (columns would cut it off)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.number_input(
            rows_label,
            min_value=1,
            max_value=max_rows,
            step=1,
            key=rows_key,
            on_change=_resize,
            help=rows_help,
            width=140,
            persist_state="session",
        )
        st.number_input(
            cols_label,
            min_value=1,
            max_value=max_cols,
            step=1,
            key=cols_key,
            on_change=_resize,
            help=cols_help,
            width=140,
            persist_state="session",
        )
        st.button(
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
