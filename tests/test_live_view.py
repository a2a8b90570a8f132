"""The live attention view's Python side: its payload, its temperature, and what every lesson sends it.

The browser's numbers are checked against numpy in tests/browser/test_live_attention.py; here we
check that each lesson hands the view the right inputs (computed independently with numpy) and
that the temperature the view reports is cleaned before a page uses it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ui.live_attention as live
from attention_core.presets import LIBRARY, POOLING, SCALED_DOT_PRODUCT, SELF_ATTENTION_3X3
from pages import LESSONS
from tests.apptest_helpers import live_numbers, live_view, live_views, open_page, set_temperature
from ui.i18n import catalog
from ui.live_attention import TEMPERATURE, decode_payload, encode_payload

# --------------------------------------------------------------------------- payload


@given(
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=9), elements=st.floats(allow_nan=False)),
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=9), elements=st.floats(allow_nan=False)),
    st.text(max_size=30),
)
def test_payload_round_trips_bit_for_bit(a: np.ndarray, b: np.ndarray, label: str) -> None:
    header, arrays = decode_payload(encode_payload({"rows": [label], "x": 1}, {"a": a, "b": b, "none": None}))
    assert header["rows"] == [label] and header["x"] == 1
    assert set(arrays) == {"a", "b"}
    assert arrays["a"].tobytes() == a.tobytes() and arrays["a"].shape == a.shape
    assert arrays["b"].tobytes() == np.atleast_2d(b).tobytes()


def test_payload_arrays_start_on_an_8_byte_boundary() -> None:
    for n in range(12):  # every header length modulo 8
        data = encode_payload({"pad": "x" * n}, {"a": np.arange(3.0)})
        h = int.from_bytes(data[:4], "little")  # the JSON header's length
        start = len(data) - 3 * 8  # the one array, 3 float64 values, ends the payload
        assert start % 8 == 0 and 0 <= start - (4 + h) < 8  # aligned, after at most 7 bytes of padding
        assert data[4 + h : start] == b"\0" * (start - 4 - h)
        assert data[start:] == np.arange(3.0).astype("<f8").tobytes()
        np.testing.assert_array_equal(decode_payload(data)[1]["a"], [[0.0, 1.0, 2.0]])


# --------------------------------------------------------------------------- temperature


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, 1.0),
        (0.05, 0.05),
        (5.0, 5.0),
        (0.35, 0.35),
        (0.3500000001, 0.35),
        (0.37, 0.35),  # snapped to the slider's 0.05 grid
        (0.38, 0.4),
        (0.0, 0.05),  # clamped to the range
        (-3, 0.05),
        (99, 5.0),
        ("2.5", 2.5),
        (float("nan"), 1.0),  # not a number: the fallback
        (float("inf"), 1.0),
        ("hot", 1.0),
        (None, 1.0),
        (True, 1.0),
        ([1.0], 1.0),
    ],
)
def test_temperature_is_cleaned(value: Any, expected: float) -> None:
    assert TEMPERATURE.clean(value) == expected


def test_temperature_range_is_defined_once() -> None:
    assert (TEMPERATURE.low, TEMPERATURE.high, TEMPERATURE.step, TEMPERATURE.default) == (0.05, 5.0, 0.05, 1.0)
    assert TEMPERATURE.is_default(1.0) and not TEMPERATURE.is_default(1.05)
    grid = [TEMPERATURE.clean(TEMPERATURE.low + i * TEMPERATURE.step) for i in range(100)]
    assert grid[0] == 0.05 and grid[-1] == 5.0 and len(set(grid)) == 100


class _State(dict):
    """A stand-in for st.session_state (a mapping with item access)."""


@pytest.mark.parametrize(
    ("state", "expected", "gesture"),
    [
        ({"temperature": {"value": 0.5, "gesture": "g1"}}, 0.5, "g1"),
        ({"temperature": {"value": 0.52, "gesture": "g2"}}, 0.5, "g2"),
        ({"temperature": {"value": "nan", "gesture": "g3"}}, 2.0, "g3"),  # keeps the page's value
        ({"temperature": {"value": 1e9, "gesture": "x" * 500}}, 5.0, "x" * 64),
        ({"temperature": 0.5}, 2.0, None),  # not the view's shape: ignored
        ({}, 2.0, None),
        (None, 2.0, None),
    ],
)
def test_the_views_change_reaches_the_page_cleaned(
    monkeypatch: pytest.MonkeyPatch, state: Any, expected: float, gesture: str | None
) -> None:
    session = _State({"page_live": state, "page_temperature": 2.0})
    monkeypatch.setattr(live.st, "session_state", session)
    live._on_temperature("page_live", "page_temperature")
    assert session["page_temperature"] == expected
    assert session.get("page_temperature__gesture") == gesture


# --------------------------------------------------------------------------- every lesson
def _q_k_v(p: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.array(p.query, dtype=float), np.array(p.keys, dtype=float), np.array(p.values, dtype=float)


def _library() -> dict[str, np.ndarray]:
    q, k, v = _q_k_v(LIBRARY)
    return {"scores": q @ k.T, "values": v, "q": q, "k": k}


def _sdp() -> dict[str, np.ndarray]:
    q, k, v = _q_k_v(SCALED_DOT_PRODUCT)
    return {"scores": q @ k.T, "values": v, "q": q, "k": k}


def _self() -> dict[str, np.ndarray]:
    x = np.array(SELF_ATTENTION_3X3.x, dtype=float)
    return {"scores": x @ x.T, "values": x, "q": x, "k": x}


def _pool() -> dict[str, np.ndarray]:
    x, w = np.array(POOLING.x, dtype=float), np.array(POOLING.w, dtype=float)
    return {"scores": (x @ w)[None, :], "values": x, "q": w[None, :], "k": x}


def _sbs() -> dict[str, np.ndarray]:
    rng = np.random.RandomState(42)  # seed 000's recipe
    x, w_q, w_k, w_v = (rng.rand(4, 4) for _ in range(4))
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    return {"scores": q @ k.T, "values": v, "q": q, "k": k}


#: lesson -> (scale on at the defaults, inputs computed here with numpy); the other lessons' inputs are
#: checked by their own tests, and the view's shape here
INPUTS: dict[str, tuple[bool, Callable[[], dict[str, np.ndarray]] | None]] = {
    "home": (False, _library),
    "library": (False, _library),
    "step_by_step": (True, _sbs),
    "self_attention": (False, _self),
    "pooling": (False, _pool),
    "scaled_dot_product": (True, _sdp),
    "word2vec": (False, None),
}


@pytest.mark.parametrize("page", list(LESSONS))
def test_every_lesson_sends_the_view_its_inputs(page: str) -> None:
    scale, inputs = INPUTS.get(page, (None, None))
    key, temperature_key = LESSONS[page].live_key, LESSONS[page].temperature_key
    at = open_page(page)
    header, arrays = live_view(at)
    assert list(live_views(at)) == [key]
    assert header["temperature"] == 1.0 and (scale is None or header["scale"] is scale)
    assert (header["t_min"], header["t_max"], header["t_step"]) == (0.05, 5.0, 0.05)
    assert header["decimals"] == 4
    n_q, n_k = arrays["scores"].shape
    assert len(header["rows"]) == n_q and len(header["cols"]) == n_k
    if "values" in arrays:  # a view of weights alone (sqrt_dk's two rows) sends its scores only
        assert arrays["values"].shape[0] == n_k
    if "q" in arrays:
        assert arrays["q"].shape == (n_q, header["d_k"]) and arrays["k"].shape == (n_k, header["d_k"])
    if inputs is not None:
        for name, expected in inputs().items():
            np.testing.assert_allclose(arrays[name], expected, rtol=1e-15, atol=1e-15, err_msg=name)
    # a release of the slider at 0.25: one rerun later the view and the page both use it
    set_temperature(at, temperature_key, 0.25).run()
    assert not at.exception
    assert live_view(at)[0]["temperature"] == 0.25
    w, out = live_numbers(at)
    np.testing.assert_allclose(w.sum(axis=1), 1.0, rtol=1e-12)
    if "values" in arrays:
        assert out is not None and out.shape == (n_q, arrays["values"].shape[1])


@pytest.mark.parametrize("lang", ["en", "vi", "ko"])
def test_the_views_words_are_in_the_ui_language(lang: str) -> None:
    header, _ = live_view(open_page("step_by_step", lang))
    texts = header["texts"]
    cat = catalog(lang)
    assert texts["temperature"] == cat["common.temperature"]
    for name in live._TEXT_KEYS:
        assert texts[name] == cat[f"live.{name}"], name
    assert texts["row_title"] == cat["common.query"] and texts["col_title"] == cat["common.key"]
    assert texts["empty"] == cat["live.empty"]  # the view's "no scores" error
    assert header["rows"] == ["Tôi", "thích", "học", "AI"]  # the learner's words stay as typed


def test_masked_cells_are_sent_with_the_causal_switch() -> None:
    at = open_page("step_by_step")
    assert live_view(at)[0]["mask"] is None
    at.toggle(key="sbs_causal").set_value(True).run()
    header, _ = live_view(at)
    assert header["mask"] == "1000" + "1100" + "1110" + "1111"  # row by row: query i sees keys 0..i
    w, _ = live_numbers(at)
    assert np.all(np.triu(w, 1) == 0) and w[0, 0] == 1.0


def test_the_view_reads_the_decimals_setting() -> None:
    at = open_page("library")
    at.session_state["decimals"] = 8
    at.run()
    assert live_view(at)[0]["decimals"] == 8


# --------------------------------------------------------------------------- the JavaScript, in parts
_JS_DIR = Path(live.__file__).resolve().parent


def test_the_views_js_is_its_parts_in_the_documented_order() -> None:
    """Every .js file beside the view is one of JS_PARTS (none left out), ``view.js`` last and the only
    one with an ``export``; the module the component runs is the parts, in that order."""
    assert sorted(p.name for p in _JS_DIR.glob("*.js")) == sorted(live.JS_PARTS)
    assert live.JS_PARTS[-1] == "view.js"
    for name in live.JS_PARTS:
        source = (_JS_DIR / name).read_text(encoding="utf-8")
        has_export = re.search(r"^\s*(export|import)\b", source, re.M) is not None
        assert has_export == (name == "view.js"), name
    bundle = live._javascript()
    assert re.findall(r"^// ---- ui/live_attention/(\S+)$", bundle, re.M) == list(live.JS_PARTS)
    assert bundle.count("export default") == 1


def test_every_field_the_js_reads_is_sent() -> None:
    """The payload's header and texts hold every name the parts read (``header.x``, ``texts.x``):
    a field the view reads and Python never sends would stay undefined."""
    header, _ = live_view(open_page("library"))
    source = "\n".join((_JS_DIR / name).read_text(encoding="utf-8") for name in live.JS_PARTS)
    read = set(re.findall(r"\bheader\.(\w+)", source))
    assert read <= set(header), read - set(header)
    texts = set(re.findall(r"\btexts\.(\w+)", source))
    assert texts <= set(header["texts"]), texts - set(header["texts"])
    for prefix, names in {"colour_": ("fixed", "row", "auto"), "download_": ("png", "svg")}.items():
        assert all(prefix + name in header["texts"] for name in names), prefix  # texts[prefix + name]
    assert {"error_fully_masked", "error_score_overflow"} <= set(header["texts"])  # texts["error_" + fault]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_views_module_parses(tmp_path: Path) -> None:
    module = tmp_path / "live_attention.mjs"
    module.write_text(live._javascript(), encoding="utf-8")
    subprocess.run(["node", "--check", str(module)], check=True, capture_output=True, timeout=60)
