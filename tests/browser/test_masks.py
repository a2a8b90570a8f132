"""The masks lesson in a real browser: the live view's ``data-weights`` (what the browser computed) is 0
on every masked key (pads under the key-padding mask, keys after the query under the causal mask, a key
the learner hid), and equals an independent numpy computation elsewhere; without the mask the pads take
weight. Opened by link (the switches and hidden keys are part of it), then a switch flipped on the page."""

from __future__ import annotations

import numpy as np
import pytest

from attention_core.presets import MASKS
from labdev.browser import assert_no_error, eventually, locale_text, open_page, screenshot, set_checkbox
from tests.browser.live_helpers import live_weights, wait_for_live
from tests.test_page_masks import reference

pytestmark = pytest.mark.browser

SENTENCES = list(MASKS.sentences)


def test_masked_keys_get_zero_weight_in_the_browser(page, base_url) -> None:  # noqa: ANN001 - playwright
    open_page(page, base_url, "/masks?masks_pad=true&masks_causal=true&masks_hidden=2&masks_show=1")
    assert_no_error(page)
    wait_for_live(page)
    ref = reference(SENTENCES, pad=True, causal=True, hidden=(1,))["sentences"][0]
    n = len(ref["tokens"])

    def check() -> None:
        w = live_weights(page)
        assert w.shape == (n, n)
        assert (w[~ref["mask"]] == 0).all()  # exactly 0 on every masked cell
        assert (w[:, 1] == 0).all()  # the hidden key
        assert (w[np.triu_indices(n, 1)] == 0).all()  # causal
        np.testing.assert_allclose(w, ref["weights"], rtol=1e-12, atol=1e-15)

    eventually(check)


def test_pads_take_weight_until_the_padding_mask_is_switched_on(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/masks")
    assert_no_error(page)
    wait_for_live(page)
    off = reference(SENTENCES)["sentences"][MASKS.shown - 1]
    on = reference(SENTENCES, pad=True)["sentences"][MASKS.shown - 1]
    length = off["length"]

    def unmasked() -> None:
        w = live_weights(page)
        np.testing.assert_allclose(w, off["weights"], rtol=1e-12, atol=1e-15)
        assert (w[:length, length:].sum(axis=1) > 0.05).all()  # the pads take a real share

    eventually(unmasked)
    set_checkbox(page, "masks_pad", True)

    def masked() -> None:
        w = live_weights(page)
        assert (w[:, length:] == 0).all()  # the pads: exactly 0 for every query
        np.testing.assert_allclose(w, on["weights"], rtol=1e-12, atol=1e-15)

    eventually(masked)
    screenshot(page, "masks_padding_mask_on")


def test_a_row_with_every_key_hidden_is_a_message_not_a_crash(page, base_url) -> None:  # noqa: ANN001
    open_page(page, base_url, "/masks?masks_causal=true&masks_hidden=1")
    wait_for_live(page)
    view = page.locator("[data-testid='live-attention']")
    eventually(lambda: view.get_attribute("data-weights") == "null")  # no weights for 0/0, a message instead
    assert page.get_by_text(locale_text("en", "error.fully_masked")).first.is_visible()
    screenshot(page, "masks_fully_masked_row")
