"""Accessibility from the Python side (issue 24); the browser's side is tests/browser/test_accessibility.py.

- Numbers on heatmap cells: each in black or white, whichever contrasts more with its own cell, so
  every number is at least 4.5:1 (WCAG 1.4.3) whatever the colour. Checked on the whole colour scale,
  against plotly's own sampling of the scale (an independent computation of the cell colours), for
  the plotly heatmaps (their text trace) and for the live view's JavaScript rule (run in node).
- The live view's payload names its explanation panel (``explain_title_plain``) in every language.
- ``app.py`` mounts the language component with the session's language.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import plotly.colors as pc
import pytest

import ui.live_attention as live
from tests.apptest_helpers import open_page
from ui.figures import COLORSCALE, cell_numbers, contrast, ink, luminance, scale_rgb
from ui.i18n import LANGUAGES, catalog
from lessons.word2vec.charts import cosine_heatmap

ROOT = Path(__file__).resolve().parent.parent
AA = 4.5


def _rgb(text: str) -> tuple[float, float, float]:
    r, g, b = (float(v) for v in re.findall(r"[\d.]+", text)[:3])
    return r, g, b


def _ink_rgb(name: str) -> tuple[float, float, float]:
    return {
        "#000000": (0.0, 0.0, 0.0),
        "#FFFFFF": (255.0, 255.0, 255.0),
        "#000": (0.0, 0.0, 0.0),
        "#fff": (255.0, 255.0, 255.0),
    }[name]


# --------------------------------------------------------------------------- the contrast maths
def test_contrast_matches_wcag_reference_values() -> None:
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)
    # the measurements: Streamlit's caption grey on white and on the light grey
    assert contrast(_rgb("rgb(130,129,128)"), (255, 255, 255)) == pytest.approx(3.88, abs=0.01)
    assert contrast(_rgb("rgb(128,132,149)"), (247, 247, 246)) == pytest.approx(3.46, abs=0.01)
    assert luminance((255, 255, 255)) == pytest.approx(1.0)


SAMPLES = np.linspace(0.0, 1.0, 1001)


def test_scale_colours_are_plotlys() -> None:
    """:func:`scale_rgb` is the colour plotly paints (its own sampling of the scale, to rounding)."""
    ref = [_rgb(c) for c in pc.sample_colorscale(COLORSCALE, list(SAMPLES))]
    ours = [scale_rgb(f) for f in SAMPLES]
    np.testing.assert_allclose(np.array(ours), np.array(ref), atol=0.51)


def test_every_cell_colour_gets_an_ink_of_at_least_4_5() -> None:
    worst = min(
        contrast(_ink_rgb(ink(scale_rgb(f))), _rgb(c))
        for f, c in zip(SAMPLES, pc.sample_colorscale(COLORSCALE, list(SAMPLES)), strict=True)
    )
    assert worst >= AA, worst
    # and the choice matters: the colour scale's middle fails with either ink alone
    mid = _rgb(pc.sample_colorscale(COLORSCALE, [0.62])[0])
    assert contrast((0, 0, 0), mid) >= AA > contrast((49, 51, 63), mid)  # Streamlit's text colour fails


def _cell_pairs(trace: dict, numbers: dict, z: np.ndarray, zmin: float, zmax: float) -> list[tuple[str, float]]:
    """(ink, contrast against the cell's colour as plotly samples it) for every number drawn."""
    xs, ys = list(trace["x"]), list(trace["y"])
    out = []
    for x, y, colour in zip(numbers["x"], numbers["y"], numbers["textfont"]["color"], strict=True):
        v = z[ys.index(y), xs.index(x)]
        cell = _rgb(pc.sample_colorscale(COLORSCALE, [(v - zmin) / (zmax - zmin)])[0])
        out.append((colour, contrast(_ink_rgb(colour), cell)))
    return out


def test_cosine_heatmap_numbers_each_reach_4_5_on_their_cell() -> None:
    rng = np.random.default_rng(0)
    v = rng.normal(size=(6, 5))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    sims = np.clip(v @ v.T, -1, 1)
    words = [f"w{i}" for i in range(6)]
    (trace, numbers), _ = cosine_heatmap(sims, words, word="word", value="cosine")
    assert trace["type"] == "heatmap" and "texttemplate" not in trace  # the numbers are the text trace's
    assert numbers["type"] == "scatter" and numbers["mode"] == "text" and numbers["hoverinfo"] == "skip"
    assert numbers["text"] == [f"{s:.2f}" for s in sims.ravel()]
    pairs = _cell_pairs(trace, numbers, sims, -1, 1)
    assert len(pairs) == 36 and min(c for _, c in pairs) >= AA
    assert {c for c, _ in pairs} == {"#000000", "#FFFFFF"}  # dark cells get white, light cells black


def test_cell_numbers_leave_masked_cells_blank_and_span_auto_range() -> None:
    z = np.array([[0.1, 0.5, -np.inf], [0.9, 0.3, 0.7]])
    numbers = cell_numbers(z, ["a", "b", "c"], ["q1", "q2"], "{:.1f}", None, None)
    assert numbers["text"] == ["0.1", "0.5", "0.9", "0.3", "0.7"]  # the masked cell has no number
    trace = {"x": ["a", "b", "c"], "y": ["q1", "q2"]}
    assert min(c for _, c in _cell_pairs(trace, numbers, z, 0.1, 0.9)) >= AA


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_live_views_ink_rule_is_the_same_in_javascript() -> None:
    """The live view's ``ink`` (ui/live_attention/draw.js), run in node on the scale's 256 colours as
    the view builds them, picks the same ink as Python, so its numbers reach 4.5:1 too."""
    js = (ROOT / "ui/live_attention/draw.js").read_text(encoding="utf-8")
    fn = re.search(r"^function ink\(r, g, b\) \{.*?^\}", js, re.S | re.M)
    lut = re.search(r"^function buildLut\(stops\) \{.*?^\}", js, re.S | re.M)
    rgb = re.search(r"^function parseRgb\(.*?^\}", js, re.S | re.M)
    assert fn and lut and rgb, "ink, buildLut or parseRgb not found in draw.js"
    script = (
        f"{rgb.group(0)}\n{lut.group(0)}\n{fn.group(0)}\n"
        f"const lut = buildLut({json.dumps(COLORSCALE)});\nconst out = [];\n"
        "for (let i = 0; i < 256; i++) out.push([lut[i*3], lut[i*3+1], lut[i*3+2], ink(lut[i*3], lut[i*3+1], lut[i*3+2])]);\n"
        "console.log(JSON.stringify(out));\n"
    )
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60, check=True)
    cells = json.loads(done.stdout)
    assert len(cells) == 256
    for r, g, b, colour in cells:
        assert contrast(_ink_rgb(colour), (r, g, b)) >= AA, (r, g, b, colour)
        assert _ink_rgb(colour) == _ink_rgb(ink((r, g, b))), (r, g, b)


# --------------------------------------------------------------------------- the live view's panel name
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_explanation_panel_has_a_name_in_every_language(lang: str) -> None:
    """The payload sends ``explain_title_plain`` (the JS names the panel with it; an open panel is
    named by its own title), translated."""
    at = open_page("library", lang)
    views = [el for el in at.get("bidi_component") if el.proto.component_name == "attention_lab.live_attention"]
    header, _ = live.decode_payload(views[0].proto.bytes)
    name = header["texts"]["explain_title_plain"]
    assert name and name == catalog(lang)["live.explain_region"]
    js = (ROOT / "ui/live_attention/view.js").read_text(encoding="utf-8")
    assert "texts.explain_title_plain" in js  # what the view reads


# --------------------------------------------------------------------------- <html lang>
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_app_sends_the_ui_language_to_the_page(lang: str) -> None:
    at = open_page("home", lang)
    mounts = [el for el in at.get("bidi_component") if el.proto.component_name == "attention_lab.a11y"]
    assert len(mounts) == 1
    data = json.loads(mounts[0].proto.json)
    assert data["lang"] == lang
    assert data["texts"]["formula_scroll"] == catalog(lang)["a11y.formula_scroll"]
