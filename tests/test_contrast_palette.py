"""Presentation mode's projector palette (issue 24): "High contrast" in the stage bar (``?contrast=true``)
turns every heatmap from white to deep blue and the live view's legend says so; off, or outside
presentation mode, nothing changes. The palette is checked with WCAG's own formulas: lightness falls
monotonically from white (L* 100) to deep blue (L* 13), and every cell's number keeps 4.5:1."""

from __future__ import annotations

import numpy as np

from tests.apptest_helpers import chart, live_view
from tests.share_helpers import opened
from ui.figures import COLORSCALE, HIGH_CONTRAST, contrast, ink, luminance, scale_rgb
from ui.i18n import catalog


def _lightness(rgb: tuple[float, float, float]) -> float:
    """CIE L* (0 black .. 100 white) from WCAG's relative luminance."""
    y = luminance(rgb)
    return 116 * (y ** (1 / 3) if y > (6 / 29) ** 3 else y / (3 * (6 / 29) ** 2) + 4 / 29) - 16


def test_the_palette_runs_from_white_to_deep_blue_ever_darker() -> None:
    points = [scale_rgb(f, HIGH_CONTRAST) for f in np.linspace(0, 1, 1001)]
    lightness = [_lightness(c) for c in points]
    assert all(b < a for a, b in zip(lightness, lightness[1:], strict=False))  # strictly darker
    assert lightness[0] > 99 and lightness[-1] < 20  # a range a washed-out projector keeps
    for c in points:
        text = (0.0, 0.0, 0.0) if ink(c) == "#000000" else (255.0, 255.0, 255.0)
        assert contrast(text, c) >= 4.5  # each number on its own cell
    # wider in lightness than the everyday scale, at both ends (which starts at dark navy, L* 13)
    everyday = [_lightness(scale_rgb(f, COLORSCALE)) for f in (0, 1)]
    assert lightness[0] - lightness[-1] > abs(everyday[1] - everyday[0])


def test_high_contrast_changes_the_live_view_and_every_heatmap_in_presentation_mode() -> None:
    at = opened("self_attention", {"present": "true", "contrast": "true"})
    header, _ = live_view(at)
    assert header["colorscale"] == HIGH_CONTRAST
    assert header["texts"]["legend_fixed"] == catalog("en")["live.legend_fixed_contrast"]
    at.button(key="self_pin").click().run()  # the comparison's maps take the palette too
    drawn = chart(at, "self_compare_ab")["data"][0]["colorscale"]
    assert [[float(p), str(c)] for p, c in drawn] == [[float(p), str(c)] for p, c in HIGH_CONTRAST]
    at.toggle(key="contrast").set_value(False).run()
    header, _ = live_view(at)
    assert header["colorscale"] == COLORSCALE
    assert header["texts"]["legend_fixed"] == catalog("en")["live.legend_fixed"]


def test_outside_presentation_mode_the_switch_changes_nothing() -> None:
    at = opened("library", {"contrast": "true"})
    header, _ = live_view(at)
    assert header["colorscale"] == COLORSCALE
    assert not any(w.key == "contrast" for w in at.toggle)  # the switch lives in the stage bar
    assert not at.warning  # an app parameter, not a bad link value


def test_the_switch_is_translated() -> None:
    for lang in ("vi", "ko"):
        at = opened("library", {"present": "true"}, lang=lang)
        assert at.toggle(key="contrast").label == catalog(lang)["present.contrast"]
