"""The "Masks: padding and causal" page against an independent numpy computation.

The reference embeds and pads the batch here, the way seed 000 draws its tables
(``RandomState(seed).rand``), and computes attention with :func:`tests.numpy_ref.attend` (numpy only,
never ``attention_core``): the live view's scores and mask, the mask table, the weight the pads take
without the key-padding mask and the exact 0 with it, the check against the unpadded sentence (1e-12),
the causal mask combined with it, hidden keys, and a row with every key hidden.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Dataframe

from attention_core.presets import MASKS
from tests.apptest_helpers import live_numbers, live_view, open_page, set_temperature
from tests.numpy_ref import attend

PAD = "<pad>"
EXACT = {"rtol": 1e-12, "atol": 1e-12}


# --------------------------------------------------------------------------- the reference
def reference(
    sentences: list[str],
    *,
    seed: int = MASKS.seed,
    dim: int = MASKS.dim,
    pad: bool = False,
    causal: bool = False,
    hidden: tuple[int, ...] = (),
    temperature: float = 1.0,
) -> dict[str, Any]:
    """Everything the page shows, computed with numpy: per sentence, the padded tokens, the mask
    (n, n), scores, weights, outputs, the weight on the pads (without and with the padding mask),
    and the sentence computed alone (no pads)."""
    toks = [s.split()[: MASKS.max_tokens] for s in sentences]
    toks = [s for s in toks if s]
    n = max(len(s) for s in toks)
    vocab: dict[str, int] = {}
    for w in [*(w for s in toks for w in s), PAD]:
        vocab.setdefault(w, len(vocab))
    rng = np.random.RandomState(seed)
    emb = rng.rand(len(vocab), dim)
    w_q, w_k, w_v = rng.rand(dim, dim), rng.rand(dim, dim), rng.rand(dim, dim)
    out: dict[str, Any] = {"n": n, "sentences": []}
    for s in toks:
        length = len(s)
        padded = s + [PAD] * (n - length)
        x = emb[[vocab[w] for w in padded]]
        q, k, v = x @ w_q, x @ w_k, x @ w_v
        keep = np.ones((n, n), dtype=bool)
        if causal:
            keep &= np.tril(np.ones((n, n), dtype=bool))
        for j in hidden:
            keep[:, j] = False
        real = np.zeros((n, n), dtype=bool)
        real[:, :length] = True
        with_pad = keep & real
        scores, w_off, o_off = attend(q, k, v, scale=True, temperature=temperature, mask=keep)
        _, w_on, o_on = attend(q, k, v, scale=True, temperature=temperature, mask=with_pad)
        _, w_alone, o_alone = attend(
            q[:length], k[:length], v[:length], scale=True, temperature=temperature, mask=keep[:length, :length]
        )
        out["sentences"].append(
            {
                "tokens": padded,
                "length": length,
                "scores": scores,
                "mask": with_pad if pad else keep,
                "weights": w_on if pad else w_off,
                "pads_off": w_off[:, length:].sum(axis=1),
                "pads_on": w_on[:, length:].sum(axis=1),
                "out_on": o_on,
                "out_off": o_off,
                "alone": o_alone,
            }
        )
    return out


# --------------------------------------------------------------------------- the page
def _blocks(node: Any):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _blocks(child)


def table(at: AppTest, key: str) -> pd.DataFrame:
    """The first table inside the container (or the dataframe) keyed ``key``."""
    for node in _blocks(at.main):
        if isinstance(node, Block) and str(getattr(node.proto, "id", "")).endswith(f"-{key}"):
            frames = [c for c in _blocks(node) if isinstance(c, Dataframe)]
            assert frames, f"no table in {key}"
            return frames[0].value
    for d in at.dataframe:
        if d.key == key:
            return d.value
    raise AssertionError(f"no table {key} on the page")


def base(labels: list[str]) -> list[str]:
    """The tokens behind the view's labels (a repeated token is labelled ``token #position``)."""
    return [label.split(" #")[0] for label in labels]


def metrics(at: AppTest) -> dict[str, float]:
    return {m.label: float(m.value) for m in at.metric}


def page(**changes: Any) -> AppTest:
    at = open_page("masks", "en")
    for key, value in changes.items():
        widget = at.toggle(key=key) if key in ("masks_pad", "masks_causal") else None
        if key == "masks_hidden":
            at.multiselect(key=key).set_value(value)
        elif key == "masks_show":
            at.radio(key=key).set_value(value)
        elif key.startswith("masks_s"):
            at.text_input(key=key).set_value(value)
        elif widget is not None:
            widget.set_value(value)
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


DEFAULT_SENTENCES = list(MASKS.sentences)


# --------------------------------------------------------------------------- tests
def test_without_the_padding_mask_the_pads_take_weight() -> None:
    at = page()
    ref = reference(DEFAULT_SENTENCES)
    s = ref["sentences"][MASKS.shown - 1]
    header, arrays = live_view(at)
    # the pads are visible keys, each labelled with its position ("<pad> #3") since labels are distinct
    assert header["rows"] == header["cols"] and base(header["cols"]) == s["tokens"]
    np.testing.assert_allclose(arrays["scores"], s["scores"], **EXACT)
    assert header["mask"] is None  # no mask at the defaults: the pads are keys like any other
    weights, _ = live_numbers(at)
    np.testing.assert_allclose(weights, s["weights"], **EXACT)
    pads = table(at, "masks_pads_table").to_numpy()
    length = s["length"]
    np.testing.assert_allclose(pads[:, 0], s["pads_off"][:length], **EXACT)
    assert (pads[:, 0] > 0.05).all()  # every real token gives the pads a real share
    assert (pads[:, 1] == 0).all()  # with the mask: exactly 0
    # the batch table writes the pads out
    batch = table(at, "masks_batch_table")
    assert list(batch.iloc[MASKS.shown - 1]) == s["tokens"]


def test_with_the_padding_mask_pads_take_exactly_zero_and_outputs_equal_the_sentence_alone() -> None:
    at = page(masks_pad=True)
    ref = reference(DEFAULT_SENTENCES, pad=True)
    s = ref["sentences"][MASKS.shown - 1]
    length, n = s["length"], ref["n"]
    header, arrays = live_view(at)
    keep = np.array([c == "1" for c in header["mask"]]).reshape(n, n)
    np.testing.assert_array_equal(keep, s["mask"])
    weights, _ = live_numbers(at)
    assert (weights[:, length:] == 0).all()  # exactly 0, not small
    np.testing.assert_allclose(weights, s["weights"], **EXACT)
    mask_table = table(at, "masks_mask_table").to_numpy()
    np.testing.assert_array_equal(mask_table, s["mask"].astype(int))
    # the numpy reference: the padded batch with the mask equals the sentence alone, to 1e-12
    assert np.abs(s["out_on"][:length] - s["alone"]).max() <= 1e-12
    shown = metrics(at)
    assert shown["Largest difference, with the mask"] <= 1e-12
    expected_off = float(np.abs(s["out_off"][:length] - s["alone"]).max())
    assert expected_off > 1e-3  # without the mask the pads change the outputs
    assert shown["Largest difference, without the mask"] == pytest.approx(expected_off, rel=0.06)  # 2 digits shown


@pytest.mark.parametrize("shown", [1, 2, 3])
def test_every_sentence_of_the_batch_with_causal_and_padding_masks(shown: int) -> None:
    at = page(masks_pad=True, masks_causal=True, masks_show=shown)
    ref = reference(DEFAULT_SENTENCES, pad=True, causal=True)
    s = ref["sentences"][shown - 1]
    n = ref["n"]
    header, arrays = live_view(at)
    keep = np.array([c == "1" for c in header["mask"]]).reshape(n, n)
    np.testing.assert_array_equal(keep, s["mask"])
    assert not keep[np.triu_indices(n, 1)].any()  # causal: nothing above the diagonal
    weights, _ = live_numbers(at)
    np.testing.assert_allclose(weights, s["weights"], **EXACT)
    assert metrics(at)["Largest difference, with the mask"] <= 1e-12


def test_hidden_keys_get_zero_weight_and_a_fully_masked_row_is_explained_not_a_crash() -> None:
    at = page(masks_causal=True, masks_hidden=["1"])  # the first token sees no key at all
    ref = reference(DEFAULT_SENTENCES, causal=True, hidden=(0,))
    s = ref["sentences"][MASKS.shown - 1]
    n = ref["n"]
    header, _ = live_view(at)
    keep = np.array([c == "1" for c in header["mask"]]).reshape(n, n)
    np.testing.assert_array_equal(keep, s["mask"])
    assert not keep[0].any()
    assert [w.value for w in at.warning if "Every key of these rows is masked" in w.value]
    errors = [e.value for e in at.error]
    assert any("every key masked" in e for e in errors), errors  # the engine's default, shown as a message
    zeros = table(at, "masks_weights_table").to_numpy()
    assert (zeros[0] == 0).all()  # fully_masked="zeros": weights 0
    np.testing.assert_allclose(zeros[1:], s["weights"][1:], **EXACT)


def test_hidden_key_with_padding_mask_still_matches_the_sentence_alone() -> None:
    at = page(masks_pad=True, masks_hidden=["2"], masks_show=1)
    ref = reference(DEFAULT_SENTENCES, pad=True, hidden=(1,))
    s = ref["sentences"][0]
    weights, _ = live_numbers(at)
    assert (weights[:, 1] == 0).all()
    np.testing.assert_allclose(weights, s["weights"], **EXACT)
    assert metrics(at)["Largest difference, with the mask"] <= 1e-12


def test_own_sentences_a_batch_of_two_and_a_temperature() -> None:
    at = open_page("masks", "en")
    at.text_input(key="masks_s1").set_value("the cat sat on the mat").run()
    at.text_input(key="masks_s2").set_value("a dog").run()
    at.text_input(key="masks_s3").set_value("").run()
    at.toggle(key="masks_pad").set_value(True).run()
    set_temperature(at, "masks_temperature", 0.5).run()
    assert not at.exception
    ref = reference(["the cat sat on the mat", "a dog"], pad=True, temperature=0.5)
    s = ref["sentences"][1]
    header, arrays = live_view(at)
    assert base(header["cols"]) == ["a", "dog", PAD, PAD, PAD, PAD]
    np.testing.assert_allclose(arrays["scores"], s["scores"], **EXACT)
    weights, _ = live_numbers(at)
    np.testing.assert_allclose(weights, s["weights"], **EXACT)
    assert at.radio(key="masks_show").options == ["1", "2"]


def test_an_empty_first_sentence_is_a_message() -> None:
    at = page(masks_s1="   ")
    assert [e.value for e in at.error]
    assert not at.metric


@pytest.mark.parametrize("lang", ["vi", "ko"])
def test_the_page_runs_in_every_language(lang: str) -> None:
    at = open_page("masks", lang)
    at.toggle(key="masks_causal").set_value(True).run()
    at.multiselect(key="masks_hidden").set_value(["1"]).run()
    assert not at.exception
    assert at.error  # the engine's message for the fully masked row, translated


def change_every_field(at: AppTest) -> None:
    """Change every field of the lesson through its widgets, each to a valid value (the link, export
    and comparison tests read it through ``tests.share_helpers.CHANGES``)."""
    at.text_input(key="masks_s3").set_value("the <pad> is a word too").run()
    at.number_input(key="masks_seed").set_value(7).run()
    at.toggle(key="masks_pad").set_value(True).run()
    at.toggle(key="masks_causal").set_value(True).run()
    at.radio(key="masks_show").set_value(3).run()
    at.multiselect(key="masks_hidden").set_value(["2", "4"]).run()
    set_temperature(at, "masks_temperature", 0.6).run()
