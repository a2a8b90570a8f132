"""The live attention view: the Temperature slider beside the weights heatmap, recomputed in the browser.

A Streamlit v2 component (``st.components.v2.component``). Its HTML, CSS and JavaScript are
the files beside this one, read and registered once at import: vanilla JS, no build step,
nothing fetched from the network. Every lesson with a Temperature slider mounts it the same
way, with :func:`live_attention`.

Who computes what:

- Python (``attention_core``) computes the raw scores Q·Kᵀ and sends them, with V (and Q, K for
  the "how was this made" panel), the labels, d_k, the scaling switch, the mask, the
  temperature, the decimals and every visible word in the UI's language.
- The browser recomputes, on every ``input`` event of its slider (drag or arrow key), only
  scaling, temperature, mask, the stable softmax and weights·V, and redraws the heatmap, the
  narration and the output within one animation frame. ``attention_core`` stays the
  reference: the tests compare the browser's numbers with it.
- Python hears the temperature once per gesture (the slider's ``change``: release or key
  press). The callback stores it under the page's plain session key (``temperature_key``), so
  the steps Python draws rerun once with the same temperature, and tests set that key directly.

The payload is bytes, not JSON: a small JSON header (labels, settings, texts) and the matrices
as little-endian float64, so the browser gets the exact numbers (bit for bit) and a 128×128
lesson costs ~1 ms to send instead of ~45 ms of JSON (see :func:`encode_payload`).
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st

from ui import present
from ui.figures import active_scale
from ui.format import decimals
from ui.i18n import t
from ui.values import TEMPERATURE, TemperatureRange  # noqa: F401 - the slider's range, for the pages

__all__ = [
    "JS_PARTS",
    "TEMPERATURE",
    "AttentionView",
    "TemperatureRange",
    "current_temperature",
    "decode_payload",
    "encode_payload",
    "live_attention",
    "mount",
    "payload",
]


# --------------------------------------------------------------------------- payload
_HEADER_LEN = struct.Struct("<I")


def encode_payload(header: Mapping[str, Any], arrays: Mapping[str, np.ndarray | None]) -> bytes:
    """The component's data: ``uint32 LE length`` + JSON header + zero padding to 8 + float64 LE arrays.

    Shapes: each array (r, c) or (c,) (sent as one row); ``header["arrays"][name]`` becomes
    ``[offset, rows, cols]`` (offset counted in float64 values). ``None`` arrays are left out.
    """
    layout: dict[str, list[int]] = {}
    blobs: list[bytes] = []
    offset = 0
    for name, arr in arrays.items():
        if arr is None:
            continue
        a = np.atleast_2d(np.asarray(arr, dtype="<f8"))
        layout[name] = [offset, int(a.shape[0]), int(a.shape[1])]
        blobs.append(np.ascontiguousarray(a).tobytes())
        offset += a.size
    head = json.dumps({**header, "arrays": layout}, ensure_ascii=False, separators=(",", ":")).encode()
    start = 4 + len(head)
    pad = (-start) % 8
    return _HEADER_LEN.pack(len(head)) + head + b"\0" * pad + b"".join(blobs)


def decode_payload(data: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The inverse of :func:`encode_payload` (for tests and tools): the header and each array, (r, c)."""
    (n,) = _HEADER_LEN.unpack_from(data, 0)
    header = json.loads(data[4 : 4 + n].decode())
    start = 4 + n + (-(4 + n)) % 8
    values = np.frombuffer(data, dtype="<f8", offset=start)
    arrays = {name: values[o : o + r * c].reshape(r, c) for name, (o, r, c) in header["arrays"].items()}
    return header, arrays


# --------------------------------------------------------------------------- component
_HERE = Path(__file__).resolve().parent
#: The view's JavaScript, in parts, joined in this order into the one ES module the component runs.
#: Plain scripts sharing one scope, with no import or export between them: the parts before
#: ``view.js`` only define constants, functions and objects of methods (``drawMethods``, …);
#: ``view.js``, last, copies those methods onto ``LiveView`` and holds the module's only
#: ``export default``. No npm, no build step, nothing from the network.
#:
#: - ``compute.js``: the payload's decoding, the softmax with temperature and mask, the weights and
#:   the output (pure functions);
#: - ``format.js``: numbers at honest decimals, the catalogs' templates filled in (pure functions);
#: - ``layout.js``: sizes, label fitting, the cell under the pointer, the decimals a cell has room for;
#: - ``draw.js``: the canvas: the colour lookup table, the ink of a number, the heatmap, the legend;
#: - ``narrate.js``: the sentences under the map;
#: - ``explain.js``: the worked calculation of a cell ("how this weight is made");
#: - ``export.js``: PNG and SVG downloads (``xmlText``);
#: - ``table.js``: the weights as an accessible table for screen readers;
#: - ``view.js``: ``LiveView``: its state, the events, the slider, one frame; the component's entry.
JS_PARTS = (
    "compute.js",
    "format.js",
    "layout.js",
    "draw.js",
    "narrate.js",
    "explain.js",
    "export.js",
    "table.js",
    "view.js",
)


#: A line holding only a comment (no part has a multi-line string for one to sit in).
_COMMENT_LINE = re.compile(r"^[ \t]*//.*\n", re.M)


def _javascript() -> str:
    """The parts of :data:`JS_PARTS` as one module, each under a line naming its file.

    Lines holding only a comment are left out: the component sends its JS with every render, and
    the comments are for the reader of the files (about a sixth of their size)."""
    return "".join(
        f"// ---- ui/live_attention/{name}\n" + _COMMENT_LINE.sub("", (_HERE / name).read_text(encoding="utf-8"))
        for name in JS_PARTS
    )


_COMPONENT = st.components.v2.component(
    "attention_lab.live_attention",
    html=(_HERE / "live_attention.html").read_text(encoding="utf-8"),
    css=(_HERE / "live_attention.css").read_text(encoding="utf-8"),
    js=_javascript(),
    isolate_styles=True,
)
#: Texts the view shows (its name for each -> the key, written out), all from the ``live`` section of the catalogs.
_TEXT_KEYS: dict[str, str] = {
    "temperature_hint": "live.temperature_hint",
    "formula_scaled": "live.formula_scaled",
    "formula_unscaled": "live.formula_unscaled",
    "colour_title": "live.colour_title",
    "colour_fixed": "live.colour_fixed",
    "colour_row": "live.colour_row",
    "colour_auto": "live.colour_auto",
    "legend_fixed": "live.legend_fixed",
    "legend_row": "live.legend_row",
    "legend_row_lo": "live.legend_row_lo",
    "legend_row_hi": "live.legend_row_hi",
    "legend_auto": "live.legend_auto",
    "masked": "live.masked",
    "masked_short": "live.masked_short",
    "masked_legend": "live.masked_legend",
    "click_hint": "live.click_hint",
    "summary": "live.summary",
    "narration_most": "live.narration_most",
    "narration_most_tie": "live.narration_most_tie",
    "narration_least": "live.narration_least",
    "narration_least_tie": "live.narration_least_tie",
    "narration_even": "live.narration_even",
    "narration_one": "live.narration_one",
    "narration_only": "live.narration_only",
    "list_and": "live.list_and",
    "list_more": "live.list_more",
    "tap_hint": "live.tap_hint",
    "output_line": "live.output_line",
    "covered": "live.covered",
    "covered_cell": "live.covered_cell",
    "explain_title": "live.explain_title",
    "explain_score": "live.explain_score",
    "explain_scale": "live.explain_scale",
    "explain_no_scale": "live.explain_no_scale",
    "explain_temperature": "live.explain_temperature",
    "explain_mask": "live.explain_mask",
    "explain_exp": "live.explain_exp",
    "explain_norm": "live.explain_norm",
    "explain_bars": "live.explain_bars",
    "bars_top": "live.bars_top",
    "explain_output": "live.explain_output",
    "close": "live.close",
    "js_error": "live.js_error",
    "error_score_overflow": "live.error_score_overflow",
    "download_title": "live.download_title",
    "download_png": "live.download_png",
    "download_svg": "live.download_svg",
}
_LABEL_CHARS = 200
#: Up to this many keys the colours start on the fixed 0-1 range; above it, on "auto" (0 to the
#: largest weight): with 17 keys a fixed range leaves every cell dark.
_FIXED_RANGE_KEYS = 8


def current_temperature(temperature_key: str) -> float:
    """The temperature a page computes with: its plain session key (the view writes it on release,
    a reset writes it too), cleaned; the default when unset."""
    return TEMPERATURE.clean(st.session_state.get(temperature_key, TEMPERATURE.default))


def _gesture_key(temperature_key: str) -> str:
    return f"{temperature_key}__gesture"


def _on_temperature(key: str, temperature_key: str) -> None:
    """The view's ``change``: copy its temperature into the page's key (any other value is ignored)."""
    state = st.session_state.get(key)
    raw = state.get("temperature") if isinstance(state, Mapping) else None
    if not isinstance(raw, Mapping):
        return
    st.session_state[temperature_key] = TEMPERATURE.clean(
        raw.get("value"), fallback=current_temperature(temperature_key)
    )
    st.session_state[_gesture_key(temperature_key)] = str(raw.get("gesture", ""))[:64]


def _texts(row_title: str, col_title: str) -> dict[str, str]:
    texts = {name: t(key) for name, key in _TEXT_KEYS.items()}
    texts.update(
        temperature=t("common.temperature"),
        weight=t("common.weight"),
        row_title=row_title,
        col_title=col_title,
        error_fully_masked=t("error.fully_masked"),
        empty=t("live.empty"),
        # the explanation panel's name while no cell is open (an open one is named by its title)
        explain_title_plain=t("live.explain_region"),
    )
    if present.high_contrast():  # the projector palette runs from white (0) to deep blue (1)
        texts.update(
            legend_fixed=t("live.legend_fixed_contrast"),
            legend_row=t("live.legend_row_contrast"),
            legend_auto=t("live.legend_auto_contrast"),
        )
    return texts


def _labels(labels: Sequence[str], n: int, what: str) -> list[str]:
    out = [str(s)[:_LABEL_CHARS] for s in labels]
    if len(out) != n:
        raise ValueError(f"{n} {what} need {n} labels, got {len(out)}")
    return out


@dataclass(frozen=True)
class AttentionView:
    """What the live view draws: one attention computation up to its raw scores.

    Shapes: ``scores`` (n_q, n_k) raw Q·Kᵀ [or (n_k,) for one query]; ``values`` (n_k, d_v) or None
    (no output); ``q`` (n_q, d_k) and ``k`` (n_k, d_k), optional, let the "how was this made" panel
    write q·k as a sum of products; ``mask`` bool (n_q, n_k) or broadcastable, True where a key may
    be attended to. ``rows``/``cols`` label queries and keys (user text is safe: the view never
    parses it as HTML); ``row_title``/``col_title`` name the axes. ``d_k`` defaults to k's width;
    ``scale`` divides by √d_k; ``focus_row`` is the query the narration talks about until the
    learner clicks another. ``output_line`` (translated, with ``{row}`` and ``{output}``) says what the
    output is when "Output of {row}" would not (pooling's context vector c, one head of several).
    ``covered``: a prediction question is open (:mod:`ui.predict`): the view draws the grid and the
    labels but no weight, output or narration, and its root carries ``data-covered="true"``.
    ``explain_cell`` (row, key, n): open the worked calculation of that cell (a reveal's button; a new
    ``n`` opens it again).
    """

    scores: np.ndarray
    rows: Sequence[str]
    cols: Sequence[str]
    row_title: str
    col_title: str
    values: np.ndarray | None = None
    q: np.ndarray | None = None
    k: np.ndarray | None = None
    d_k: int | None = None
    scale: bool = False
    mask: np.ndarray | None = None
    focus_row: int = 0
    output_line: str | None = None
    covered: bool = False
    explain_cell: tuple[int, int, int] | None = None


def payload(key: str, view: AttentionView, *, temperature: float, gesture: str | None) -> bytes:
    """The view's data: a JSON header and the matrices as float64 (see :func:`encode_payload`)."""
    s = np.atleast_2d(np.asarray(view.scores, dtype=float))
    n_q, n_k = s.shape
    m = None if view.mask is None else np.broadcast_to(np.asarray(view.mask, dtype=bool), s.shape)
    d_k = view.d_k if view.d_k is not None else (np.shape(view.k)[-1] if view.k is not None else 1)
    header = {
        "v": 1,
        "id": key,
        "rows": _labels(view.rows, n_q, "queries"),
        "cols": _labels(view.cols, n_k, "keys"),
        "d_k": int(d_k),
        "scale": bool(view.scale),
        "mask": None if m is None else "".join("1" if b else "0" for b in m.ravel()),
        "temperature": temperature,
        "gesture": gesture,
        "t_min": TEMPERATURE.low,
        "t_max": TEMPERATURE.high,
        "t_step": TEMPERATURE.step,
        "decimals": decimals(),
        "colour_mode": "fixed" if n_k <= _FIXED_RANGE_KEYS else "auto",
        "colorscale": active_scale(),
        "focus_row": int(min(max(view.focus_row, 0), n_q - 1)),
        "texts": _texts(view.row_title, view.col_title),
        "font_scale": present.scale(),
        "output_line": view.output_line,
        "covered": bool(view.covered),
        "explain_cell": None if view.explain_cell is None else [int(v) for v in view.explain_cell],
    }
    return encode_payload(header, {"scores": s, "values": view.values, "q": view.q, "k": view.k})


def mount(key: str, data: bytes, temperature_key: str) -> None:
    """Put the view on the page with ``data`` (from :func:`payload`)."""
    _COMPONENT(
        key=key,
        data=data,
        default={"temperature": None},
        on_temperature_change=partial(_on_temperature, key, temperature_key),
    )


def live_attention(key: str, view: AttentionView, *, temperature_key: str) -> float:
    """Mount the live view of ``view``; return the temperature the page should compute with.

    The temperature lives under ``st.session_state[temperature_key]`` (the view writes it when the
    learner releases the slider); write :data:`TEMPERATURE`.default there to reset it.
    """
    temperature = current_temperature(temperature_key)
    gesture = st.session_state.get(_gesture_key(temperature_key))
    mount(key, payload(key, view, temperature=temperature, gesture=gesture), temperature_key)
    return temperature
