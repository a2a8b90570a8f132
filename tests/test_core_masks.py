"""Padding and causal masks (attention_core.masks, and attention's ``fully_masked`` option).

Every mask is rebuilt here with plain loops, every attention output with plain numpy
(tests/numpy_ref.py), and padded batches are checked against each sentence attended alone.
The masks are also checked against ``torch.nn.functional.scaled_dot_product_attention`` with
``attn_mask``: torch is a test-only dependency (requirements-dev.txt), skipped when missing,
except under ``CI=true``, where a missing torch is a failure (as tests/browser/conftest.py does).
"""

from __future__ import annotations

import math
from types import ModuleType

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import attention_core as ac
from attention_core.errors import EmptyTextError, FullyMaskedRowError, LimitError, ShapeError
from labdev.env import in_ci
from tests.numpy_ref import attend

moderate = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
anything = st.floats(-100, 100, allow_nan=False, allow_infinity=False)


@pytest.fixture(scope="module")
def torch() -> ModuleType:
    """torch, or a skip outside CI; under CI=true a missing torch fails the test."""
    if in_ci():
        import torch as t  # noqa: PLC0415  (ImportError here is the failure CI must show)

        return t
    return pytest.importorskip("torch")


def loop_padding_mask(lengths: list[int], n: int) -> np.ndarray:
    m = np.zeros((len(lengths), 1, n), dtype=bool)
    for b, length in enumerate(lengths):
        for j in range(n):
            m[b, 0, j] = j < length
    return m


def loop_causal(n: int) -> np.ndarray:
    return np.array([[j <= i for j in range(n)] for i in range(n)])


@st.composite
def padded_batches(draw: st.DrawFn, max_batch: int = 4, max_len: int = 6) -> dict:
    """Sentences of different lengths as a padded batch of vectors, with random projections."""
    lengths = draw(st.lists(st.integers(1, max_len), min_size=1, max_size=max_batch))
    n = max(lengths) + draw(st.integers(0, 2))  # sometimes padded beyond the longest
    d_in, d_k, d_v = draw(st.integers(1, 5)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    x = draw(hnp.arrays(np.float64, (len(lengths), n, d_in), elements=moderate))
    pads = draw(hnp.arrays(np.float64, (len(lengths), n, d_in), elements=anything))
    for b, length in enumerate(lengths):
        x[b, length:] = pads[b, length:]  # whatever the pads hold must not matter
    w = [draw(hnp.arrays(np.float64, (d_in, d), elements=moderate)) for d in (d_k, d_k, d_v)]
    return {"lengths": lengths, "n": n, "x": x, "w": w}


# --------------------------------------------------------------------------- pad_batch, masks
def test_pad_batch_pads_to_the_longest_and_counts_real_tokens() -> None:
    tokens, lengths = ac.pad_batch([["Tôi", "thích", "học", "AI"], ["고양이"], ["a", "<pad>"]])
    assert tokens == [
        ["Tôi", "thích", "học", "AI"],
        ["고양이", "<pad>", "<pad>", "<pad>"],
        ["a", "<pad>", "<pad>", "<pad>"],
    ]
    assert lengths == (4, 1, 2)  # a typed "<pad>" word is a real token: lengths say what is padding
    batch = ac.pad_batch([["x"]], length=3)
    assert batch.n == 3 and batch.mask.tolist() == [[[True, False, False]]]


@pytest.mark.parametrize(
    ("call", "error", "code"),
    [
        (lambda: ac.pad_batch([]), ShapeError, "shape_empty"),
        (lambda: ac.pad_batch([["a"], []]), EmptyTextError, "empty_text"),
        (lambda: ac.pad_batch([["a", "b"]], length=1), LimitError, "limit"),
        (lambda: ac.padding_mask([]), ShapeError, "shape_empty"),
        (lambda: ac.padding_mask([3], 2), LimitError, "limit"),
        (lambda: ac.padding_mask([-1], 2), LimitError, "limit"),
        (lambda: ac.padding_mask([1.5], 2), LimitError, "limit"),
        (lambda: ac.padding_mask([0, 0]), LimitError, "limit"),
        (lambda: ac.combine_masks(np.ones((2, 2), bool), np.ones((3, 3), bool)), ShapeError, "mask_shape"),
        (lambda: ac.combine_masks(np.ones((2, 2)), None), ShapeError, "mask_not_bool"),
        (lambda: ac.batch_self_attention(np.ones((2, 3, 1)), lengths=[1]), ShapeError, "shape_mismatch"),
        (lambda: ac.weight_on_pads(np.ones((2, 3, 3)), [1]), ShapeError, "shape_mismatch"),
        (lambda: ac.attention([[1.0]], [[1.0]], [[1.0]], fully_masked="nan"), ac.AttentionLabError, "invalid_input"),
    ],
)
def test_bad_inputs_raise_specific_errors(call, error, code) -> None:  # noqa: ANN001
    with pytest.raises(error) as e:
        call()
    assert e.value.code == code


@given(st.lists(st.integers(0, 7), min_size=1, max_size=5), st.integers(0, 3))
def test_padding_mask_equals_a_loop(lengths: list[int], extra: int) -> None:
    if max(lengths) == 0:
        return
    n = max(lengths) + extra
    np.testing.assert_array_equal(ac.padding_mask(lengths, n), loop_padding_mask(lengths, n))
    both = ac.padding_mask(lengths, n, queries=True)
    for b, length in enumerate(lengths):
        for i in range(n):
            for j in range(n):
                assert both[b, i, j] == (i < length and j < length)
    if extra == 0:
        np.testing.assert_array_equal(ac.padding_mask(lengths), loop_padding_mask(lengths, n))


@given(st.lists(st.integers(1, 6), min_size=1, max_size=4), st.data())
def test_combine_masks_is_the_and_of_every_mask(lengths: list[int], data: st.DataObject) -> None:
    n = max(lengths)
    extra = data.draw(hnp.arrays(np.bool_, (n, n)))
    got = ac.combine_masks(ac.causal_mask(n), None, ac.padding_mask(lengths, n), extra)
    causal, pad = loop_causal(n), loop_padding_mask(lengths, n)
    assert got.shape == (len(lengths), n, n)
    for b in range(len(lengths)):
        for i in range(n):
            for j in range(n):
                assert got[b, i, j] == (causal[i, j] and pad[b, 0, j] and extra[i, j])
    assert ac.combine_masks() is None and ac.combine_masks(None, None) is None


# --------------------------------------------------------------------------- a padded batch
@settings(max_examples=150, deadline=None)
@given(padded_batches(), st.booleans(), st.floats(0.2, 5.0), st.booleans())
def test_padded_batch_with_key_mask_equals_each_unpadded_sentence(
    case: dict, causal: bool, temperature: float, scale: bool
) -> None:
    """Real tokens' weights and outputs equal those of the sentence alone (plain numpy), to 1e-12."""
    x, lengths, (wq, wk, wv) = case["x"], case["lengths"], case["w"]
    r = ac.batch_self_attention(
        x, wq, wk, wv, lengths=lengths, causal=causal, scale=scale, temperature=temperature
    )
    for b, length in enumerate(lengths):
        xs = x[b, :length]
        mask = loop_causal(length) if causal else None
        _, w_ref, out_ref = attend(xs @ wq, xs @ wk, xs @ wv, scale=scale, temperature=temperature, mask=mask)
        np.testing.assert_allclose(r.weights[b, :length, :length], w_ref, rtol=0, atol=1e-12)
        np.testing.assert_allclose(r.output[b, :length], out_ref, rtol=1e-12, atol=1e-12)
        assert (r.weights[b, :, length:] == 0).all()  # no query gives a pad any weight, pads' rows included
    np.testing.assert_array_equal(ac.weight_on_pads(r.weights, lengths), 0.0)


@settings(max_examples=60, deadline=None)
@given(padded_batches())
def test_without_the_key_mask_pads_take_weight_and_weight_on_pads_measures_it(case: dict) -> None:
    x, lengths, (wq, wk, wv) = case["x"], case["lengths"], case["w"]
    r = ac.batch_self_attention(x, wq, wk, wv)  # no lengths: the pads are ordinary keys
    n = case["n"]
    for b, length in enumerate(lengths):
        _, w_ref, out_ref = attend(x[b] @ wq, x[b] @ wk, x[b] @ wv, scale=True)
        np.testing.assert_allclose(r.weights[b], w_ref, rtol=0, atol=1e-12)
        np.testing.assert_allclose(r.output[b], out_ref, rtol=1e-12, atol=1e-12)
    on_pads = ac.weight_on_pads(r.weights, lengths)
    for b, length in enumerate(lengths):
        for i in range(n):
            assert on_pads[b, i] == pytest.approx(sum(r.weights[b, i, j] for j in range(length, n)), abs=1e-15)


def test_unmasked_pads_take_a_visible_share() -> None:
    """The lesson's point: zero-vector pads (a common choice) take weight from the real tokens."""
    rng = np.random.default_rng(8)
    x = rng.normal(size=(3, 5, 4))
    lengths = [5, 3, 1]
    for b, length in enumerate(lengths):
        x[b, length:] = 0.0
    w = [rng.normal(size=(4, 4)) for _ in range(3)]
    share = ac.weight_on_pads(ac.batch_self_attention(x, *w).weights, lengths)
    assert (share[0] == 0).all() and (share[1:] > 0.01).all()
    masked = ac.weight_on_pads(ac.batch_self_attention(x, *w, lengths=lengths).weights, lengths)
    assert (masked == 0).all()


def test_one_sentence_without_a_batch_axis() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4, 3))
    r = ac.batch_self_attention(x, lengths=[2], causal=True)
    assert r.weights.shape == (4, 4)
    _, w_ref, out_ref = attend(x[:2], x[:2], x[:2], scale=True, mask=loop_causal(2))
    np.testing.assert_allclose(r.weights[:2, :2], w_ref, atol=1e-12)
    np.testing.assert_allclose(r.output[:2], out_ref, atol=1e-12)


def test_a_learner_can_hide_more_keys_with_mask() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, 4, 3))
    hide = np.ones((4, 4), bool)
    hide[:, 1] = False  # key 1 hidden from every query
    r = ac.batch_self_attention(x, lengths=[4, 3], causal=True, mask=hide)
    assert (r.weights[:, :, 1] == 0).all() and (r.weights[1, :, 3] == 0).all()
    expected = loop_causal(4) & hide & loop_padding_mask([4, 3], 4)
    np.testing.assert_array_equal(r.mask, expected)
    with pytest.raises(FullyMaskedRowError):  # query 1 sees keys 0..1 (causal), key 0 is hidden too
        hide[:, 0] = False
        ac.batch_self_attention(x, lengths=[4, 3], causal=True, mask=hide)


# --------------------------------------------------------------------------- a row with no key
def test_fully_masked_row_raises_by_default_and_is_zero_on_request() -> None:
    rng = np.random.default_rng(5)
    q, k, v = rng.normal(size=(3, 2)), rng.normal(size=(4, 2)), rng.normal(size=(4, 3))
    mask = np.array([[1, 1, 0, 0], [0, 0, 0, 0], [1, 0, 1, 1]], dtype=bool)
    with pytest.raises(FullyMaskedRowError) as e:
        ac.attention(q, k, v, mask=mask)
    assert e.value.code == "fully_masked"
    r = ac.attention(q, k, v, mask=mask, fully_masked="zeros", temperature=0.5)
    assert (r.weights[1] == 0).all() and (r.output[1] == 0).all() and np.isneginf(r.logits[1]).all()
    for i in (0, 2):
        _, w_ref, out_ref = attend(q[i], k[mask[i]], v[mask[i]], scale=True, temperature=0.5)
        np.testing.assert_allclose(r.weights[i][mask[i]], w_ref[0], atol=1e-12)
        np.testing.assert_allclose(r.output[i], out_ref[0], atol=1e-12)
    one = ac.attention(q[1], k, v, mask=mask[1], fully_masked="zeros")  # a single query, shape (d_k,)
    assert one.weights.tolist() == [0.0] * 4 and one.output.tolist() == [0.0] * 3
    mh = ac.multi_head_attention(rng.normal(size=(3, 4)), *(rng.normal(size=(4, 4)) for _ in range(3)), 2,
                                 mask=mask[:, :3], fully_masked="zeros")
    assert all((h.weights[1] == 0).all() for h in mh.heads) and (mh.output[1] == 0).all()


def test_padding_queries_too_needs_the_zeros_option() -> None:
    rng = np.random.default_rng(6)
    x = rng.normal(size=(2, 3, 2))
    mask = ac.padding_mask([3, 1], queries=True)
    with pytest.raises(FullyMaskedRowError):
        ac.batch_self_attention(x, mask=mask)
    r = ac.batch_self_attention(x, mask=mask, fully_masked="zeros")
    assert (r.output[1, 1:] == 0).all()
    np.testing.assert_allclose(r.output[1, 0], x[1, 0], atol=1e-15)  # one real token attends to itself


# --------------------------------------------------------------------------- against torch
@settings(max_examples=80, deadline=None)
@given(padded_batches(), st.booleans(), st.floats(0.2, 5.0), st.booleans())
def test_padding_and_causal_masks_match_torch_sdpa(
    torch: ModuleType, case: dict, causal: bool, temperature: float, scale: bool
) -> None:
    import torch.nn.functional as F  # noqa: N812, PLC0415

    x, lengths, (wq, wk, wv) = case["x"], case["lengths"], case["w"]
    r = ac.batch_self_attention(x, wq, wk, wv, lengths=lengths, causal=causal, scale=scale, temperature=temperature)
    n = case["n"]
    attn_mask = torch.from_numpy(loop_padding_mask(lengths, n))  # (batch, 1, n), True = take part
    if causal:
        attn_mask = attn_mask & torch.ones(n, n, dtype=torch.bool).tril()
    q, k, v = (torch.from_numpy(x @ w) for w in (wq, wk, wv))
    divisor = (math.sqrt(wq.shape[1]) if scale else 1.0) * temperature
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, scale=1.0 / divisor)
    np.testing.assert_allclose(r.output, out.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(r.mask, attn_mask.expand(len(lengths), n, n).numpy())


def test_fully_masked_rows_give_zeros_like_torch(torch: ModuleType) -> None:
    import torch.nn.functional as F  # noqa: N812, PLC0415

    rng = np.random.default_rng(7)
    x = rng.normal(size=(3, 4, 2))
    mask = ac.combine_masks(ac.causal_mask(4), ac.padding_mask([4, 2, 1], queries=True))
    r = ac.batch_self_attention(x, mask=mask, fully_masked="zeros")
    t = torch.from_numpy(x)
    out = F.scaled_dot_product_attention(t, t, t, attn_mask=torch.from_numpy(mask))
    np.testing.assert_allclose(r.output, out.numpy(), rtol=1e-12, atol=1e-12)
    assert (r.output[2, 1:] == 0).all()
