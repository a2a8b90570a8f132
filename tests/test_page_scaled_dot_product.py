"""Scaled dot-product page: the notebook's function output by default, its code line and the keys' names in
vi/ko (what it shares with the library lesson is tested once, in tests/test_page_qkv.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from attention_core.presets import SCALED_DOT_PRODUCT
from tests.apptest_helpers import open_page, set_temperature, temperature
from tests.numpy_ref import notebook_attention
from tests.share_helpers import qkv_changes
from ui.i18n import catalog

Q = np.array(SCALED_DOT_PRODUCT.query)
K = np.array(SCALED_DOT_PRODUCT.keys)
V = np.array(SCALED_DOT_PRODUCT.values)


def run(lang: str | None = None) -> AppTest:
    return open_page("scaled_dot_product", lang)


def tables(at: AppTest) -> list:
    """The read-only result tables in page order: raw scores, scaled/softmax input, weights, contributions."""
    found = [d.value for d in at.dataframe if d.proto.editing_mode == 0]
    assert len(found) == 4, len(found)
    return found


def test_defaults_reproduce_the_notebook() -> None:
    at = run()
    scores, scaled, weights, parts = tables(at)
    ref_output, ref_weights = notebook_attention(Q, K, V)

    np.testing.assert_allclose(scores.to_numpy(), Q @ K.T, rtol=1e-12)
    np.testing.assert_allclose(scaled.to_numpy()[0], (Q @ K.T / math.sqrt(3))[0], rtol=1e-12)
    np.testing.assert_allclose(weights.to_numpy(), ref_weights, rtol=1e-12)
    np.testing.assert_allclose(weights.to_numpy(), SCALED_DOT_PRODUCT.printed["weights"], atol=5e-9)
    out = parts.to_numpy()
    np.testing.assert_allclose(out[:3], ref_weights[0][:, None] * V, rtol=1e-12)
    np.testing.assert_allclose(out[3], ref_output[0], rtol=1e-12)
    np.testing.assert_allclose(out[3:], SCALED_DOT_PRODUCT.printed["output"], atol=5e-8)

    en = catalog("en")
    assert at.toggle(key="scaled_dot_product_scale").value is True  # scaled, as in the notebook's function
    assert temperature(at, "scaled_dot_product_temperature") == 1.0
    assert [s.value for s in at.success] == [en["common.matches_notebook"]]
    assert list(scores.columns) == ["key 1", "key 2", "key 3"]
    captions = " ".join(c.value for c in at.caption)
    assert "d_k = 3" in captions and "√3 = 1.7321" in captions
    # the page's own 8-decimal line matches the notebook's printout digit for digit
    assert "[0.53289684, 0.16794345, 0.29915971]" in captions
    assert "[8.32056550, 4.67103162]" in captions
    # the notebook's function is on the page, as code
    assert any("def attention(query, key, value):" in c.value for c in at.code)


# The temperature, the √d_k switch, reset and the vi/ko runs: tests/test_page_qkv.py (both Q/K/V lessons).
def test_the_code_line_follows_the_temperature() -> None:
    at = run()
    set_temperature(at, "scaled_dot_product_temperature", 2.0).run()
    assert any("/ T  # T = 2.00" in c.value for c in at.code)


def test_unscaled_weights_are_sharper() -> None:
    at = run()
    at.toggle(key="scaled_dot_product_scale").set_value(False).run()
    assert tables(at)[2].to_numpy()[0, 0] > SCALED_DOT_PRODUCT.printed["weights"][0][0]  # the best key gains


@pytest.mark.parametrize("lang", ["vi", "ko"])
def test_the_keys_are_named_in_vietnamese_and_korean(lang: str) -> None:
    at = run(lang)
    cat = catalog(lang)
    scores, _, weights, _ = tables(at)
    assert list(scores.columns) == [cat["scaled_dot_product.key_row"].format(i=i) for i in (1, 2, 3)]
    np.testing.assert_allclose(weights.to_numpy(), SCALED_DOT_PRODUCT.printed["weights"], atol=5e-9)


#: Every field changed through the widgets (``tests.share_helpers.CHANGES``).
change_every_field = qkv_changes("scaled_dot_product", False, "10 0\n0.1234567890123456 -7\n2.5 1e-5")
