"""Cross-attention (attention_core.cross): queries from the target, keys and values from the source.

Checked against plain loops over target and source words, and, with the source equal to the
target, against the engine's own self-attention and multi-head attention, number for number.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import attention_core as ac
from attention_core.errors import FullyMaskedRowError, ShapeError
from tests.numpy_ref import softmax as np_softmax

moderate = st.floats(-3, 3, allow_nan=False, allow_infinity=False)


def arrays(*shape: int) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, shape, elements=moderate)


def loop_cross(xt, xs, wq, wk, wv, n_heads, *, scale=True, temperature=1.0, mask=None):  # noqa: ANN001, ANN201
    """Every target word i, head h: scores with every source word j, softmax, weighted sum; by hand."""
    q = xt if wq is None else xt @ wq
    k = xs if wk is None else xs @ wk
    v = xs if wv is None else xs @ wv
    dq, dv = q.shape[1] // n_heads, v.shape[1] // n_heads
    weights = np.zeros((n_heads, len(xt), len(xs)))
    out = np.zeros((len(xt), v.shape[1]))
    for h in range(n_heads):
        for i in range(len(xt)):
            z = np.array(
                [sum(q[i, h * dq + c] * k[j, h * dq + c] for c in range(dq)) for j in range(len(xs))]
            ) / (math.sqrt(dq) if scale else 1.0) / temperature
            if mask is not None:
                z = np.where(np.broadcast_to(mask, (len(xt), len(xs)))[i], z, -np.inf)
            weights[h, i] = np_softmax(z)
            for c in range(dv):
                out[i, h * dv + c] = sum(weights[h, i, j] * v[j, h * dv + c] for j in range(len(xs)))
    return weights, out


@st.composite
def pairs_of_sentences(draw: st.DrawFn) -> dict:
    n_heads = draw(st.integers(1, 3))
    n_t, n_s = draw(st.integers(1, 5)), draw(st.integers(1, 6))
    d_t, d_s = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    d_model, d_vmodel = n_heads * draw(st.integers(1, 3)), n_heads * draw(st.integers(1, 3))
    return {
        "n_heads": n_heads,
        "xt": draw(arrays(n_t, d_t)),
        "xs": draw(arrays(n_s, d_s)),
        "wq": draw(arrays(d_t, d_model)),
        "wk": draw(arrays(d_s, d_model)),
        "wv": draw(arrays(d_s, d_vmodel)),
    }


@settings(max_examples=150, deadline=None)
@given(pairs_of_sentences(), st.booleans(), st.floats(0.2, 5.0))
def test_cross_attention_equals_plain_loops(case: dict, scale: bool, temperature: float) -> None:
    h = case["n_heads"]
    r = ac.cross_attention(
        case["xt"], case["xs"], case["wq"], case["wk"], case["wv"], n_heads=h, scale=scale, temperature=temperature
    )
    weights, out = loop_cross(
        case["xt"], case["xs"], case["wq"], case["wk"], case["wv"], h, scale=scale, temperature=temperature
    )
    assert r.weights.shape == (h, len(case["xt"]), len(case["xs"]))  # rows: target words; columns: source words
    np.testing.assert_allclose(r.weights, weights, rtol=0, atol=1e-12)
    np.testing.assert_allclose(r.output, out, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(r.concat, r.output)  # no W_o


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 3).flatmap(
        lambda h: st.tuples(
            st.just(h), st.integers(1, 6), st.integers(1, 5), st.integers(1, 3).map(lambda d: d * h), st.integers(1, 4)
        )
    ),
    st.booleans(),
    st.floats(0.2, 5.0),
    st.data(),
)
def test_with_source_equal_to_target_it_is_self_attention_exactly(
    dims: tuple[int, int, int, int, int], scale: bool, temperature: float, data: st.DataObject
) -> None:
    h, n, d_in, d_model, d_out = dims
    x = data.draw(arrays(n, d_in))
    wq, wk, wv = (data.draw(arrays(d_in, d_model)) for _ in range(3))
    wo = data.draw(arrays(d_model, d_out))
    mask = data.draw(hnp.arrays(np.bool_, (n, n)))
    mask[np.arange(n), np.arange(n)] = True  # every word may see itself: no row fully masked
    kw = {"scale": scale, "temperature": temperature, "mask": mask}
    mh = ac.multi_head_attention(x, wq, wk, wv, h, w_o=wo, **kw)
    cr = ac.cross_attention(x, x, wq, wk, wv, n_heads=h, w_o=wo, **kw)
    np.testing.assert_array_equal(cr.output, mh.output)
    np.testing.assert_array_equal(cr.concat, mh.concat)
    for a, b in zip(cr.heads, mh.heads, strict=True):
        np.testing.assert_array_equal(a.weights, b.weights)
        np.testing.assert_array_equal(a.scores, b.scores)
    if h == 1:
        sa = ac.self_attention(x, wq, wk, wv, **kw).attention
        one = ac.cross_attention(x, x, wq, wk, wv, **kw)
        np.testing.assert_array_equal(one.heads[0].weights, sa.weights)
        np.testing.assert_array_equal(one.output, sa.output)
    plain = ac.self_attention(x, **kw).attention  # no projections: Q = K = V = X
    np.testing.assert_array_equal(ac.cross_attention(x, x, **kw).output, plain.output)


def test_unprojected_sentences_and_a_padded_source() -> None:
    rng = np.random.default_rng(0)
    xt, xs = rng.normal(size=(3, 4)), rng.normal(size=(5, 4))
    r = ac.cross_attention(xt, xs)
    weights, out = loop_cross(xt, xs, None, None, None, 1)
    np.testing.assert_allclose(r.weights, weights, atol=1e-12)
    np.testing.assert_allclose(r.output, out, atol=1e-12)
    # a source padded from 3 to 5 words: with its key-padding mask, the target reads only the 3
    padded = ac.cross_attention(xt, xs, mask=ac.padding_mask([3], 5)[0])
    short = ac.cross_attention(xt, xs[:3])
    np.testing.assert_allclose(padded.output, short.output, rtol=1e-12, atol=1e-12)
    assert (padded.weights[..., 3:] == 0).all()
    with pytest.raises(FullyMaskedRowError):
        ac.cross_attention(xt, xs, mask=np.zeros(5, bool))
    zeros = ac.cross_attention(xt, xs, mask=np.zeros((3, 5), bool), fully_masked="zeros")
    assert (zeros.output == 0).all()


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: ac.cross_attention(np.ones((2, 3)), np.ones((4, 2))), "shape_mismatch"),  # Q width 3, K width 2
        (lambda: ac.cross_attention(np.ones((2, 3)), np.ones((4, 3)), np.ones((2, 3))), "shape_mismatch"),
        (lambda: ac.cross_attention(np.ones((2, 4)), np.ones((4, 4)), n_heads=3), "heads_not_divisor"),
        (lambda: ac.cross_attention(np.ones((2, 4)), np.ones((4, 4)), n_heads=0), "heads_invalid"),
        (lambda: ac.cross_attention(np.ones((2, 4)), np.ones((4, 4)), n_heads=True), "heads_invalid"),
        (
            lambda: ac.cross_attention(np.ones((2, 4)), np.ones((4, 4)), None, None, np.ones((4, 3)), n_heads=2),
            "heads_not_divisor",
        ),
        (lambda: ac.cross_attention(np.ones((2, 4)), np.ones((4, 4)), mask=np.ones((4, 2), bool)), "mask_shape"),
    ],
)
def test_bad_inputs_raise_specific_errors(call, code: str) -> None:  # noqa: ANN001
    with pytest.raises(ShapeError) as e:
        call()
    assert e.value.code == code
