"""Accessibility from the Python side (issue 24); the browser's side is tests/browser/test_accessibility.py.

- Numbers on heatmap cells: each in black or white, whichever contrasts more with its own cell, so
  every number is at least 4.5:1 (WCAG 1.4.3) whatever the colour. Checked on the whole colour scale,
  against plotly's own sampling of the scale (an independent computation of the cell colours), for
  the plotly heatmaps (their text trace) and for the live view's JavaScript rule (run in node).
- The live view's payload names its explanation panel (``explain_title_plain``) in every language.
- ``app.py`` mounts the language component with the session's language.
- Colour-vision deficiencies: the colour scale as a protanope and a deuteranope see it (Machado et al.
  2009, severity 1.0, on linearised sRGB) stays ordered in lightness, its steps 0.1 apart stay clearly
  different, and the cells' numbers still reach 4.5:1 on the simulated colours.
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
from streamlit.testing.v1 import AppTest

import ui.live_attention as live
from lessons.word2vec.charts import cosine_heatmap
from tests.apptest_helpers import open_page
from ui.figures import COLORSCALE, cell_numbers, contrast, ink, luminance, scale_rgb
from ui.i18n import LANGUAGES, catalog

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


# --------------------------------------------------------------------------- colour-vision deficiencies
#: Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model for Simulation of Color Vision
#: Deficiency", IEEE TVCG 15(6), table 1 at severity 1.0 (dichromacy). They act on *linear* RGB.
MACHADO = {
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
}
_SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
_WHITE = _SRGB_TO_XYZ @ np.ones(3)  # D65


def _linear(rgb: tuple[float, float, float] | np.ndarray) -> np.ndarray:
    c = np.asarray(rgb, dtype=float) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _encode(lin: np.ndarray) -> np.ndarray:
    c = np.clip(lin, 0.0, 1.0)
    return 255.0 * np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)


def simulate(rgb: tuple[float, float, float] | np.ndarray, deficiency: str) -> np.ndarray:
    """What a dichromat sees instead of ``rgb`` (0-255 sRGB): Machado's matrix on linearised sRGB,
    clipped to the gamut and encoded back to sRGB."""
    return _encode(MACHADO[deficiency] @ _linear(rgb))


def lab(rgb: tuple[float, float, float] | np.ndarray) -> np.ndarray:
    """CIE L*a*b* (D65) of an sRGB colour: L* is the lightness the eye sees."""
    t = (_SRGB_TO_XYZ @ _linear(rgb)) / _WHITE
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: np.ndarray, b: np.ndarray) -> float:
    """CIE76 colour difference (ΔE*ab); about 2.3 is just noticeable side by side."""
    return float(np.linalg.norm(lab(a) - lab(b)))


DEFICIENCIES = list(MACHADO)
#: Ten steps of 0.1: cells whose weights differ by 0.1 or more must look different.
STEPS = np.linspace(0.0, 1.0, 11)
#: Two just-noticeable differences: "clearly different" next to each other, not merely measurable.
DISTINCT = 5.0


def _lightness_rises(colours: list[np.ndarray]) -> bool:
    lightness = [lab(c)[0] for c in colours]
    return bool(np.all(np.diff(lightness) > 0))


def test_the_simulation_is_machados() -> None:
    """The model behaves as published: white and greys are unchanged (each row sums to 1), and the
    classic red/green confusion collapses while blue/orange stays apart."""
    for m in MACHADO.values():
        np.testing.assert_allclose(m.sum(axis=1), 1.0, atol=2e-6)
    for d in DEFICIENCIES:
        np.testing.assert_allclose(simulate((128, 128, 128), d), (128, 128, 128), atol=0.01)
        assert (
            delta_e((255, 0, 0), (0, 128, 0)) > 100 > 30 > delta_e(simulate((255, 0, 0), d), simulate((0, 128, 0), d))
        )
        assert delta_e(simulate((230, 159, 0), d), simulate((86, 180, 233), d)) > 90  # orange / sky blue
    # pure red as a protanope sees it: Machado's first column, encoded (a hand computation)
    np.testing.assert_allclose(simulate((255, 0, 0), "protanopia"), (108.9, 95.3, 0.0), atol=0.5)


def test_the_checks_catch_a_rainbow() -> None:
    """The lightness check has teeth: a rainbow scale (jet) fails it, with or without a deficiency."""
    jet = [_rgb(c) for c in pc.sample_colorscale(pc.get_colorscale("Jet"), list(np.linspace(0, 1, 256)))]
    assert not _lightness_rises([np.array(c) for c in jet])
    for d in DEFICIENCIES:
        assert not _lightness_rises([simulate(c, d) for c in jet])


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_colour_scale_stays_ordered_for_colour_blind_eyes(deficiency: str) -> None:
    """The heatmaps' scale (cividis), as a protanope or a deuteranope sees it: lightness still rises
    from the lowest weight to the highest (256 samples: the order of the colours is the order of the
    weights), and cells 0.1 apart on the scale are still clearly different (ΔE*ab ≥ 5)."""
    fs = np.linspace(0.0, 1.0, 256)
    assert _lightness_rises([np.array(scale_rgb(f)) for f in fs])  # true for normal vision too
    seen = [simulate(scale_rgb(f), deficiency) for f in fs]
    assert _lightness_rises(seen)
    assert lab(seen[-1])[0] - lab(seen[0])[0] > 70  # from near-black to near-white: the whole range
    steps = [simulate(scale_rgb(f), deficiency) for f in STEPS]
    gaps = [delta_e(a, b) for a, b in zip(steps, steps[1:], strict=False)]
    assert min(gaps) >= DISTINCT, gaps


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_cell_ink_reaches_4_5_on_the_colours_a_colour_blind_eye_sees(deficiency: str) -> None:
    """The ink is chosen for the cell's real colour (the app cannot know who looks); black and white
    look the same to everyone, so what matters is the ink against the *simulated* cell: at least 4.5:1
    on 1001 points of the scale."""
    worst = min(contrast(_ink_rgb(ink(scale_rgb(f))), simulate(scale_rgb(f), deficiency)) for f in SAMPLES)
    assert worst >= AA, worst


# --------------------------------------------------------------------------- the polite live region
def _said(at: AppTest) -> list[dict[str, str]]:
    """What the run sent to the page's live region (ui.a11y.announce's mounts)."""
    return [
        json.loads(el.proto.json)["say"]
        for el in at.get("bidi_component")
        if el.proto.component_name == "attention_lab.a11y" and "say" in json.loads(el.proto.json)
    ]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_reveal_is_announced_once_in_the_ui_language(lang: str) -> None:
    """Answering a prediction announces the verdict and the answer (plain text, no markdown), in the
    UI's language; the reruns that still show the reveal say nothing more; the next round's reveal is
    said again."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["predict_first"] = True
    at.session_state["lang"] = lang
    at.switch_page("pages/library.py").run()
    assert not at.exception and _said(at) == []  # a question is not a status change
    next(b for b in at.button if b.key and "_choice_" in b.key).click().run()
    said = _said(at)
    assert len(said) == 1, said
    right = any(m.value.startswith("✅") for m in at.markdown)
    words = said[0]["text"]
    prefix = catalog(lang)["a11y.reveal_right" if right else "a11y.reveal_wrong"].split("{answer}")[0]
    assert words.startswith(prefix), words
    assert "`" not in words and "**" not in words  # read aloud, not rendered
    book = "Book 1" if lang == "en" else None  # the answer names the book with the most weight
    if book:
        assert book in words, words
    at.run()  # a rerun that still shows the reveal
    assert _said(at) == []
    next(b for b in at.button if b.key and b.key.endswith("_next")).click().run()
    next(b for b in at.button if b.key and ("_choice_" in b.key or b.key.endswith("_check"))).click().run()
    assert not at.exception
    assert len(_said(at)) == 1  # the next round's reveal


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_finished_training_is_announced_once(lang: str) -> None:
    """The Word2Vec lab trains on load: the run says so once, with the numbers on screen, in the UI's
    language; a rerun (the cached model) says nothing."""
    at = open_page("word2vec", lang, timeout=120)
    said = _said(at)
    assert len(said) == 1, said
    ready = next(s.value for s in at.success)
    vocab = re.search(r"\d+", ready).group(0)
    assert said[0]["text"].startswith(catalog(lang)["a11y.trained"].split("{")[0])
    assert vocab in said[0]["text"]
    at.run()
    assert not at.exception and _said(at) == []


def test_the_page_script_gets_the_error_prefix_in_every_language() -> None:
    """Errors are said by the page's script as they appear, after this prefix, in the UI's language."""
    for lang in LANGUAGES:
        at = open_page("home", lang)
        mount = next(el for el in at.get("bidi_component") if el.proto.component_name == "attention_lab.a11y")
        assert json.loads(mount.proto.json)["texts"]["error_prefix"] == catalog(lang)["a11y.error_prefix"]


def test_one_announcement_per_run() -> None:
    """Two status changes in one run: the first is sent, the second is not (and is not remembered as
    said); the same event is never sent twice."""
    from ui import a11y

    def script() -> None:
        import streamlit as st

        from ui import a11y as a

        st.session_state["sent"] = [a.announce("one", event="e1"), a.announce("two", event="e2")]

    at = AppTest.from_function(script).run()
    assert not at.exception
    assert at.session_state["sent"] == [True, False]
    assert at.session_state[a11y._SAID_KEY] == ["e1"]
    at.run()
    assert at.session_state["sent"] == [False, True]  # e1 already said; e2 now


# --------------------------------------------------------------------------- single-key shortcuts
def test_the_apps_own_page_wide_keys_are_no_character_keys() -> None:
    """WCAG 2.1.4 concerns shortcuts of one character key (a letter, digit, punctuation, symbol). The
    app's own page-wide keys (presentation mode's, the live view's document listener) are all named
    keys (arrows, Page Up/Down, Escape); the live view's Enter and Space act only on the focused
    heatmap, which 2.1.4 allows. Streamlit's R and C are the only character-key shortcuts: the
    sidebar switch turns them off (the browser test). This test fails when a character key is added to
    a page-wide handler of the app's own."""
    present_js = (ROOT / "ui/present/present_keys.js").read_text(encoding="utf-8")
    steps = re.search(r"const STEPS = \{(.*?)\};", present_js, re.S)
    assert steps, "STEPS not found in present_keys.js"
    keys = re.findall(r"(\w+):", steps.group(1))
    assert keys == ["ArrowRight", "PageDown", "ArrowLeft", "PageUp"], keys
    assert re.findall(r'event\.key === "([^"]+)"', present_js) == ["Escape", "PageDown", "PageUp"]
    live_js = (ROOT / "ui/live_attention/view.js").read_text(encoding="utf-8")
    handler = re.search(r'on\(document, "keydown", \(event\) => \{(.*?)\}\);', live_js, re.S)
    assert handler and re.findall(r'event\.key === "([^"]+)"', handler.group(1)) == ["Escape"]
    page_wide = re.compile(r'(?:document|window|document\.body)\.addEventListener\("key(?:down|up|press)", (\w+)')
    for path in ROOT.glob("ui/**/*.js"):  # no other page-wide key handler
        text = path.read_text(encoding="utf-8")
        wide = page_wide.findall(text) + re.findall(r'on\((?:document|window), "key(?:down|up|press)"', text)
        expected = {
            "present_keys.js": ["onKey"],
            "view.js": ['on(document, "keydown"'],
            "a11y.js": ["bump", "stopShortcut"],
        }.get(path.name, [])
        if path.name == "view.js":
            wide = re.findall(r'on\(document, "keydown"', text)
        assert wide == expected, (path.name, wide)
    a11y_js = (ROOT / "ui/a11y/a11y.js").read_text(encoding="utf-8")
    bump = re.search(r"const bump = \(\) => \{(.*?)\};", a11y_js, re.S)
    assert bump and "key" not in bump.group(1)  # counts gestures, acts on no key


# --------------------------------------------------------------------------- quotes in another language
def test_quote_sets_off_a_notebooks_words_only_in_another_language() -> None:
    """``ui.a11y.quote``: Korean words on an English or Vietnamese page are emphasised (the page's
    script then marks them lang="ko"); on a Korean page they are plain text; markup characters are
    escaped either way (shown as they are)."""

    def script() -> None:
        import streamlit as st

        from ui import a11y as a

        st.session_state["out"] = [a.quote("책 1: 고양이", "ko"), a.quote("a*b [x](y)", "ko")]

    for lang, want in (
        ("en", ["*책 1: 고양이*", "*a\\*b \\[x\\](y)*"]),
        ("vi", ["*책 1: 고양이*", "*a\\*b \\[x\\](y)*"]),
        ("ko", ["책 1: 고양이", "a\\*b \\[x\\](y)"]),
    ):
        at = AppTest.from_function(script)
        at.session_state["lang"] = lang
        at.run()
        assert not at.exception and at.session_state["out"] == want, (lang, at.session_state["out"])
    # every catalog sets off the notebooks' quotes that are not in its own language
    assert "“*Tôi thích học AI*”" in catalog("en")["sbs.reset_help"]
    assert "“*Tôi thích học AI*”" in catalog("ko")["sbs.reset_help"]
    assert "“Tôi thích học AI”" in catalog("vi")["sbs.reset_help"]  # its own language: not set off
