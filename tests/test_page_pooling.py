"""Attention pooling page (AppTest): the notebook's numbers, weight sliders, random weights, temperature, languages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from attention_core.presets import POOLING
from tests.apptest_helpers import chart, live_numbers, live_view, set_temperature, temperature, temperature_label
from tests.apptest_helpers import open_page as open_lesson
from tests.golden import assert_matches_printout
from tests.numpy_ref import pooling
from tests.share_helpers import text_box

X = np.array(POOLING.x)


# ----------------------------------------------------------------------------- reading the page
def bar_weights(at: AppTest) -> np.ndarray:
    """The weights the live view draws (from its payload: scores X·w, temperature; no scaling)."""
    header, arrays = live_view(at)
    assert header["scale"] is False and header["rows"] == ["w"]
    np.testing.assert_array_equal(arrays["values"], arrays["k"])  # keys and values are the rows of X
    return live_numbers(at)[0][0]


def tables(at: AppTest) -> list[pd.DataFrame]:
    """The read-only tables in page order: scores, (weights, in an expander), context vector."""
    return [df.value for df in at.dataframe if not df.key]


def scores_table(at: AppTest) -> np.ndarray:
    return tables(at)[0].to_numpy()[:, 0]


def context_table(at: AppTest) -> np.ndarray:
    return tables(at)[-1].to_numpy()[0]


def w_now(at: AppTest, d: int = 3) -> np.ndarray:
    return np.array([at.slider(key=f"pool_w_{i}").value for i in range(d)])


def assert_page_matches(at: AppTest, x: np.ndarray, w: np.ndarray, temperature: float = 1.0) -> None:
    ref = pooling(x, w, temperature)
    np.testing.assert_allclose(scores_table(at), ref["scores"], rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(bar_weights(at), ref["weights"], rtol=1e-12)
    np.testing.assert_allclose(context_table(at), ref["context"], rtol=1e-12, atol=1e-15)


def open_page(lang: str = "en") -> AppTest:
    return open_lesson("pooling", lang)


@pytest.fixture
def app() -> AppTest:
    return open_page()


# ----------------------------------------------------------------------------- tests
def test_defaults_reproduce_the_notebook(app: AppTest) -> None:
    # the sliders and the exact-value boxes start at the draw the notebook printed, exactly
    assert w_now(app).tolist() == [-1.2322834, -0.68503356, -1.9497645]
    assert [app.number_input(key=f"pool_w_{i}_num").value for i in range(3)] == list(POOLING.w)
    assert_page_matches(app, X, np.array(POOLING.w))
    assert_matches_printout(bar_weights(app), POOLING.printed["weights"], float32=True)
    assert_matches_printout(context_table(app), POOLING.printed["context"], float32=True)
    assert app.success[0].value == "Same numbers as the notebook ✓"
    captions = [c.value for c in app.caption]
    assert any(
        "[0.15947355, 0.27564886, 0.56487757]" in c and "[0.7243511, 0.84052646, 0.43512243]" in c for c in captions
    )


def test_contributions_add_up_to_the_context(app: AppTest) -> None:
    fig = chart(app, "pool_contributions")
    bars = [tr for tr in fig["data"] if tr["type"] == "bar"]
    assert [tr["name"] for tr in bars] == ["token 1", "token 2", "token 3"]
    ref = pooling(X, np.array(POOLING.w))
    parts = np.array([np.asarray(tr["y"], dtype=float) for tr in bars])
    np.testing.assert_allclose(parts, ref["weights"][:, None] * X, rtol=1e-12)
    np.testing.assert_allclose(parts.sum(axis=0), ref["context"], rtol=1e-12)


def test_weight_slider_recomputes(app: AppTest) -> None:
    app.slider(key="pool_w_1").set_value(0.5).run()
    assert not app.exception
    w = np.array([POOLING.w[0], 0.5, POOLING.w[2]])
    np.testing.assert_array_equal(w_now(app), w)
    assert app.number_input(key="pool_w_1_num").value == 0.5  # the exact-value box follows
    assert_page_matches(app, X, w)
    assert not app.success


def test_exact_value_box_moves_the_slider(app: AppTest) -> None:
    app.number_input(key="pool_w_2_num").set_value(1.23456789).run()
    assert not app.exception
    assert app.slider(key="pool_w_2").value == 1.23456789
    assert_page_matches(app, X, np.array([POOLING.w[0], POOLING.w[1], 1.23456789]))


def test_temperature_slider_recomputes(app: AppTest) -> None:
    set_temperature(app, "pool_temperature", 0.25).run()
    assert not app.exception
    ref = pooling(X, np.array(POOLING.w), 0.25)
    np.testing.assert_allclose(bar_weights(app), ref["weights"], rtol=1e-12)
    np.testing.assert_allclose(context_table(app), ref["context"], rtol=1e-12)
    assert bar_weights(app).max() > pooling(X, np.array(POOLING.w))["weights"].max()  # sharper


def test_random_weights_are_deterministic_per_seed(app: AppTest) -> None:
    app.number_input(key="pool_seed").set_value(7).run()
    app.button(key="pool_random").click().run()
    assert not app.exception
    expected = np.clip(np.random.default_rng(7).normal(size=3), -3, 3)
    np.testing.assert_array_equal(w_now(app), expected)
    assert [app.number_input(key=f"pool_w_{i}_num").value for i in range(3)] == expected.tolist()
    assert_page_matches(app, X, expected)

    app.button(key="pool_random").click().run()  # same seed, same draw
    np.testing.assert_array_equal(w_now(app), expected)

    other = open_page()  # another session, same seed: same draw
    other.number_input(key="pool_seed").set_value(7).run()
    other.button(key="pool_random").click().run()
    np.testing.assert_array_equal(w_now(other), expected)

    app.number_input(key="pool_seed").set_value(8).run()
    app.button(key="pool_random").click().run()
    assert not np.array_equal(w_now(app), expected)
    np.testing.assert_array_equal(w_now(app), np.clip(np.random.default_rng(8).normal(size=3), -3, 3))

    app.button(key="pool_notebook_w").click().run()  # back to the notebook's draw
    np.testing.assert_array_equal(w_now(app), POOLING.w)
    assert app.success


def test_more_features_add_weight_components(app: AppTest) -> None:
    app.number_input(key="pool_x_cols").set_value(4).run()
    assert not app.exception
    assert w_now(app, 4).tolist() == [*POOLING.w, 0.0]
    x4 = np.hstack([X, np.zeros((3, 1))])
    assert_page_matches(app, x4, np.array([*POOLING.w, 0.0]))
    app.number_input(key="pool_x_rows").set_value(5).run()
    assert not app.exception
    assert bar_weights(app).shape == (5,)
    assert_page_matches(app, np.vstack([x4, np.zeros((2, 4))]), np.array([*POOLING.w, 0.0]))


def test_reset_restores_the_notebook(app: AppTest) -> None:
    app.number_input(key="pool_x_rows").set_value(2).run()
    app.slider(key="pool_w_0").set_value(2.0).run()
    set_temperature(app, "pool_temperature", 3.0).run()
    app.button(key="pool_x_reset").click().run()
    assert not app.exception
    np.testing.assert_array_equal(w_now(app), POOLING.w)
    assert temperature(app, "pool_temperature") == 1.0
    assert_matches_printout(bar_weights(app), POOLING.printed["weights"], float32=True)
    assert app.success


def test_explains_the_difference_to_self_attention(app: AppTest) -> None:
    text = "\n".join(m.value for m in app.markdown)
    assert "Pooling versus self-attention" in text
    assert "3 × 3 weight matrix" in text
    assert "one context vector of length 3" in text


@pytest.mark.parametrize(
    ("lang", "temperature", "word"), [("vi", "Nhiệt độ", "vector ngữ cảnh"), ("ko", "온도", "컨텍스트 벡터")]
)
def test_page_in_other_languages(lang: str, temperature: str, word: str) -> None:
    at = open_page(lang)
    assert temperature_label(at).startswith(temperature)
    assert any(word in m.value for m in at.markdown)
    assert_matches_printout(bar_weights(at), POOLING.printed["weights"], float32=True)
    at.slider(key="pool_w_0").set_value(-0.5).run()
    assert not at.exception
    assert_page_matches(at, X, np.array([-0.5, *POOLING.w[1:]]))


def change_every_field(at: AppTest) -> None:
    """Change every field of the lesson through its widgets, each to a valid value (the link, export
    and comparison tests read it through ``tests.share_helpers.CHANGES``)."""
    text_box(at, "pool_x", "1 0 1 0\n0 1 1 0.25\n1 1 0 -1\n0.2 0.4 0.6 0.8")
    at.number_input(key="pool_seed").set_value(5).run()
    at.button(key="pool_random").click().run()  # w from a normal draw: every digit matters
    set_temperature(at, "pool_temperature", 0.2).run()
