"""Self-attention page (AppTest): the notebook's 3×3 and 5×4 numbers, temperature, scaling, resizing, languages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from attention_core.presets import SELF_ATTENTION_3X3, SELF_ATTENTION_5X4
from tests.apptest_helpers import live_numbers, live_view, set_temperature, temperature, temperature_label
from tests.apptest_helpers import open_page as open_lesson
from tests.golden import assert_matches_printout
from tests.numpy_ref import self_attention
from tests.share_helpers import text_box


# ----------------------------------------------------------------------------- reading the page
def heatmap_z(at: AppTest) -> np.ndarray:
    """The weights the live view draws (computed from its payload with plain numpy)."""
    return live_numbers(at)[0]


def editor(at: AppTest) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if df.key and df.key.startswith("self_x__"))


def tables(at: AppTest) -> list[pd.DataFrame]:
    """The read-only tables in page order: scores, [scaled scores], output (the weights table in
    its expander, second to last, is left out: the weights are read from the live view)."""
    found = [df.value for df in at.dataframe if not df.key]
    del found[-2]
    return found


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def open_page(lang: str = "en") -> AppTest:
    return open_lesson("self_attention", lang)


@pytest.fixture
def app() -> AppTest:
    return open_page()


# ----------------------------------------------------------------------------- tests
def test_default_is_the_notebooks_3x3_example(app: AppTest) -> None:
    x = np.array(SELF_ATTENTION_3X3.x)
    ed = editor(app)
    assert list(ed["_row"]) == ["token 1", "token 2", "token 3"]
    np.testing.assert_array_equal(ed[["d1", "d2", "d3"]].to_numpy(dtype=float), x)

    ref = self_attention(x)
    scores, output = tables(app)
    np.testing.assert_array_equal(scores.to_numpy(), ref["scores"])
    assert list(scores.index) == list(scores.columns) == ["token 1", "token 2", "token 3"]
    w = heatmap_z(app)
    assert w.shape == (3, 3)
    np.testing.assert_allclose(w, ref["weights"], rtol=1e-12)
    np.testing.assert_allclose(output.to_numpy(), ref["output"], rtol=1e-12)
    # the notebook's printout (TensorFlow, float32, 7–8 digits)
    assert_matches_printout(w, SELF_ATTENTION_3X3.printed["weights"], float32=True)
    assert_matches_printout(output.to_numpy(), SELF_ATTENTION_3X3.printed["output"], float32=True)
    assert app.success[0].value == "Same numbers as the notebook ✓"


def test_weights_heatmap_is_tokens_by_tokens_on_a_0_to_1_scale(app: AppTest) -> None:
    header, arrays = live_view(app)
    assert header["rows"] == header["cols"] == ["token 1", "token 2", "token 3"]
    assert header["colour_mode"] == "fixed"  # 0 to 1 for a handful of keys
    x = np.array(SELF_ATTENTION_3X3.x)
    for name in ("q", "k", "values"):  # Q = K = V = X
        np.testing.assert_array_equal(arrays[name], x)
    np.testing.assert_array_equal(arrays["scores"], x @ x.T)


def test_explains_why_the_weights_are_n_by_n(app: AppTest) -> None:
    text = "\n".join(m.value for m in app.markdown)
    assert "Why is the weight matrix 3 × 3?" in text
    assert "(3, 3)·(3, 3) → (3, 3)" in text
    assert "the first row [0.4683, 0.0634, 0.4683]" in text


def test_temperature_slider_recomputes_the_weights(app: AppTest) -> None:
    set_temperature(app, "self_temperature", 0.5).run()
    assert not app.exception
    ref = self_attention(np.array(SELF_ATTENTION_3X3.x), temperature=0.5)
    np.testing.assert_allclose(heatmap_z(app), ref["weights"], rtol=1e-12)
    scores, logits, output = tables(app)
    np.testing.assert_allclose(logits.to_numpy(), ref["logits"], rtol=1e-15)
    np.testing.assert_allclose(output.to_numpy(), ref["output"], rtol=1e-12)
    assert not app.success  # no longer the notebook's numbers
    assert "You have changed the inputs: the numbers no longer match the notebook's." in [i.value for i in app.info]


def test_scaling_divides_the_scores_by_sqrt_dk(app: AppTest) -> None:
    assert app.toggle(key="self_scale").value is False  # the notebook does not scale
    (scores_before, _) = tables(app)
    app.toggle(key="self_scale").set_value(True).run()
    assert not app.exception
    scores, scaled, output = tables(app)
    np.testing.assert_array_equal(scores.to_numpy(), scores_before.to_numpy())  # raw scores unchanged
    np.testing.assert_array_equal(scaled.to_numpy(), scores.to_numpy() / np.sqrt(3))  # exactly S / √d_k
    np.testing.assert_allclose(scaled.to_numpy() * np.sqrt(3), scores.to_numpy(), rtol=1e-15)
    ref = self_attention(np.array(SELF_ATTENTION_3X3.x), scale=True)
    np.testing.assert_allclose(heatmap_z(app), ref["weights"], rtol=1e-12)
    np.testing.assert_allclose(output.to_numpy(), ref["output"], rtol=1e-12)
    assert any("divided by 1.7321 (√d_k = √3 = 1.7321" in c for c in captions(app))


def test_switching_to_the_5x4_example(app: AppTest) -> None:
    app.radio(key="self_preset").set_value("5x4").run()
    assert not app.exception
    x = np.array(SELF_ATTENTION_5X4.x)
    ed = editor(app)
    np.testing.assert_array_equal(ed[["d1", "d2", "d3", "d4"]].to_numpy(dtype=float), x)
    assert app.number_input(key="self_x_rows").value == 5
    assert app.number_input(key="self_x_cols").value == 4
    w = heatmap_z(app)
    assert w.shape == (5, 5)
    ref = self_attention(x)
    np.testing.assert_allclose(w, ref["weights"], rtol=1e-12)
    scores, output = tables(app)
    assert output.shape == (5, 4)
    assert_matches_printout(w, SELF_ATTENTION_5X4.printed["weights"], float32=True)
    assert_matches_printout(output.to_numpy(), SELF_ATTENTION_5X4.printed["output"], float32=True)
    assert app.success[0].value == "Same numbers as the notebook ✓"
    text = "\n".join(m.value for m in app.markdown)
    assert "Why is the weight matrix 5 × 5?" in text
    assert "(5, 4)·(4, 5) → (5, 5)" in text
    assert "because the input has 5 tokens, not because of the 4 features" in text


def test_resizing_keeps_the_cells_and_pads_with_zeros(app: AppTest) -> None:
    app.number_input(key="self_x_rows").set_value(4).run()
    assert not app.exception
    x = np.vstack([np.array(SELF_ATTENTION_3X3.x), np.zeros((1, 3))])
    np.testing.assert_array_equal(editor(app)[["d1", "d2", "d3"]].to_numpy(dtype=float), x)
    np.testing.assert_allclose(heatmap_z(app), self_attention(x)["weights"], rtol=1e-12)
    app.number_input(key="self_x_cols").set_value(2).run()
    assert not app.exception
    x2 = x[:, :2]
    np.testing.assert_array_equal(editor(app)[["d1", "d2"]].to_numpy(dtype=float), x2)
    np.testing.assert_allclose(heatmap_z(app), self_attention(x2)["weights"], rtol=1e-12)
    assert "(4, 2)·(2, 4) → (4, 4)" in "\n".join(m.value for m in app.markdown)


def test_reset_restores_the_notebook(app: AppTest) -> None:
    app.number_input(key="self_x_rows").set_value(2).run()
    set_temperature(app, "self_temperature", 2.0).run()
    app.toggle(key="self_scale").set_value(True).run()
    app.button(key="self_x_reset").click().run()
    assert not app.exception
    assert temperature(app, "self_temperature") == 1.0
    assert app.toggle(key="self_scale").value is False
    np.testing.assert_array_equal(editor(app)[["d1", "d2", "d3"]].to_numpy(dtype=float), SELF_ATTENTION_3X3.x)
    assert_matches_printout(heatmap_z(app), SELF_ATTENTION_3X3.printed["weights"], float32=True)
    assert app.success


@pytest.mark.parametrize(("lang", "title", "temperature"), [("vi", "Vì sao", "Nhiệt độ"), ("ko", "왜", "온도")])
def test_page_in_other_languages(lang: str, title: str, temperature: str) -> None:
    at = open_page(lang)
    assert temperature_label(at).startswith(temperature)
    assert any(title in m.value for m in at.markdown)
    assert_matches_printout(heatmap_z(at), SELF_ATTENTION_3X3.printed["weights"], float32=True)
    at.radio(key="self_preset").set_value("5x4").run()
    assert not at.exception
    assert heatmap_z(at).shape == (5, 5)


def test_language_switch_keeps_sizes_and_sliders() -> None:
    at = open_page("en")
    at.number_input(key="self_x_rows").set_value(4).run()
    set_temperature(at, "self_temperature", 0.5).run()
    at.session_state["lang"] = "ko"
    at.run()
    assert not at.exception
    assert at.number_input(key="self_x_rows").value == 4
    assert temperature(at, "self_temperature") == 0.5
    assert list(editor(at)["_row"]) == ["토큰 1", "토큰 2", "토큰 3", "토큰 4"]


def change_every_field(at: AppTest) -> None:
    """Change every field of the lesson through its widgets, each to a valid value (the link, export
    and comparison tests read it through ``tests.share_helpers.CHANGES``)."""
    at.radio(key="self_preset").set_value("5x4").run()
    at.toggle(key="self_scale").set_value(True).run()
    text_box(at, "self_x", "1 0 1 0 2\n0.5 1 0 1 0\n1 1 1 0.3333333333333333 0")
    set_temperature(at, "self_temperature", 3.0).run()
