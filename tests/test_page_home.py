"""Home page (AppTest): loads in every language; its live example follows the Temperature slider."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from attention_core.presets import LIBRARY
from tests.apptest_helpers import live_numbers, live_view, open_page, set_temperature, temperature, temperature_label
from tests.numpy_ref import attend


def expected(temperature: float) -> tuple[np.ndarray, np.ndarray]:
    _, w, out = attend(LIBRARY.query, LIBRARY.keys, LIBRARY.values, temperature=temperature)
    return w[0], out[0]


def weights_in_chart(at: AppTest) -> np.ndarray:
    return live_numbers(at)[0][0]


def output_of(at: AppTest) -> np.ndarray:
    out = live_numbers(at)[1]
    assert out is not None
    return out[0]


@pytest.fixture
def app() -> AppTest:
    return open_page("home")


def test_home_loads_and_shows_the_notebook_numbers(app: AppTest) -> None:
    assert not app.exception
    w, out = expected(1.0)
    np.testing.assert_allclose(weights_in_chart(app), w)
    np.testing.assert_allclose(output_of(app).round(4), LIBRARY.printed["output"][0], atol=0)
    assert "Scores, query · key: [2.0000, 1.0000, 1.0000]" in [m.value for m in app.markdown]


def test_temperature_slider_recomputes(app: AppTest) -> None:
    set_temperature(app, "home_temperature", 0.5).run()
    assert not app.exception
    w, out = expected(0.5)
    np.testing.assert_allclose(weights_in_chart(app), w)
    np.testing.assert_allclose(output_of(app), out, rtol=1e-12)
    assert live_view(app)[0]["temperature"] == 0.5


@pytest.mark.parametrize("lang", ["vi", "ko"])
def test_home_in_other_languages(lang: str) -> None:
    at = open_page("home", lang)
    assert not at.exception
    assert at.title[0].value == "Attention Lab"
    assert temperature_label(at).startswith({"vi": "Nhiệt độ", "ko": "온도"}[lang])


def test_language_switch_keeps_the_slider_value() -> None:
    """The selector's on_change writes session_state["lang"]; widget values survive the relabel.

    (AppTest runs app.py only on the first run and the page alone afterwards, so the
    sidebar selector itself is exercised by the browser tests.)
    """
    at = open_page("home")
    set_temperature(at, "home_temperature", 2.0).run()
    at.session_state["lang"] = "ko"
    at.run()
    assert not at.exception
    assert temperature(at, "home_temperature") == 2.0
    assert temperature_label(at) == "온도(Temperature)"


def change_every_field(at: AppTest) -> None:
    """Change every field of the lesson through its widgets, each to a valid value (the link, export
    and comparison tests read it through ``tests.share_helpers.CHANGES``)."""
    set_temperature(at, "home_temperature", 0.35).run()
