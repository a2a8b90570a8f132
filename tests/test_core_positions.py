"""Word order (attention_core.positions): sinusoidal encodings, rotary embeddings, and the
permutation property they break.

The tables are rebuilt here with plain loops and ``math`` (RoPE as complex multiplication,
an independent formulation of the rotation); attention outputs with plain numpy.
"""

from __future__ import annotations

import cmath
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import attention_core as ac
from attention_core.errors import LimitError, ShapeError
from tests.numpy_ref import attend

moderate = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
bases = st.one_of(st.just(10_000.0), st.floats(1.5, 1e6))


def loop_sinusoidal(n: int, d: int, base: float) -> np.ndarray:
    """The paper's formula, one entry at a time."""
    pe = np.zeros((n, d))
    for p in range(n):
        for j in range(d):
            i = j // 2
            angle = p / math.pow(base, 2 * i / d)
            pe[p, j] = math.sin(angle) if j % 2 == 0 else math.cos(angle)
    return pe


def complex_rotary(x: np.ndarray, positions: list[float], base: float) -> np.ndarray:
    """RoPE as complex numbers: pair (x[2i], x[2i+1]) is z = x[2i] + i·x[2i+1], turned by e^(i·p·θᵢ)."""
    n, d = x.shape
    out = np.zeros_like(x)
    for r in range(n):
        for i in range(d // 2):
            theta = math.pow(base, -2 * i / d)
            z = complex(x[r, 2 * i], x[r, 2 * i + 1]) * cmath.exp(1j * positions[r] * theta)
            out[r, 2 * i], out[r, 2 * i + 1] = z.real, z.imag
    return out


# --------------------------------------------------------------------------- sinusoidal
@given(st.integers(1, 40), st.integers(1, 33), bases)
def test_sinusoidal_positions_equal_the_papers_formula(n: int, d: int, base: float) -> None:
    pe = ac.sinusoidal_positions(n, d, base)
    assert pe.shape == (n, d)
    np.testing.assert_allclose(pe, loop_sinusoidal(n, d, base), rtol=0, atol=1e-12)
    assert (np.abs(pe) <= 1).all()
    np.testing.assert_array_equal(pe[0], [0.0 if j % 2 == 0 else 1.0 for j in range(d)])


def test_sinusoidal_positions_at_the_limits_and_odd_width() -> None:
    pe = ac.sinusoidal_positions(ac.limits.MAX_SEQUENCE_TOKENS, ac.limits.MAX_EXPERIMENT_DIM)
    np.testing.assert_allclose(pe, loop_sinusoidal(128, 512, 10_000.0), atol=1e-12)
    odd = ac.sinusoidal_positions(5, 7)
    np.testing.assert_allclose(odd[:, 6], np.sin(np.arange(5) / 10_000 ** (6 / 7)), atol=1e-15)  # last: a sine


@pytest.mark.parametrize(
    ("call", "error", "code"),
    [
        (lambda: ac.sinusoidal_positions(0, 4), LimitError, "limit"),
        (lambda: ac.sinusoidal_positions(129, 4), LimitError, "limit"),
        (lambda: ac.sinusoidal_positions(4, 513), LimitError, "limit"),
        (lambda: ac.sinusoidal_positions(4, 2.0), LimitError, "limit"),
        (lambda: ac.sinusoidal_positions(4, 4, base=1.0), LimitError, "limit"),
        (lambda: ac.sinusoidal_positions(4, 4, base=np.inf), LimitError, "limit"),
        (lambda: ac.rotary(np.ones((3, 5))), ShapeError, "shape_mismatch"),
        (lambda: ac.rotary(np.ones((3, 4)), [0, 1]), ShapeError, "shape_mismatch"),
        (lambda: ac.rotary(np.ones((3, 4)), [0, 1, np.nan]), ac.errors.NonFiniteError, "non_finite"),
        (lambda: ac.rotary_angles([0, 1], 3), ShapeError, "shape_mismatch"),
    ],
)
def test_bad_inputs_raise_specific_errors(call, error, code) -> None:  # noqa: ANN001
    with pytest.raises(error) as e:
        call()
    assert e.value.code == code


# --------------------------------------------------------------------------- rotary
@st.composite
def even_matrices(draw: st.DrawFn, max_rows: int = 6, max_pairs: int = 8) -> np.ndarray:
    shape = (draw(st.integers(1, max_rows)), 2 * draw(st.integers(1, max_pairs)))
    return draw(hnp.arrays(np.float64, shape, elements=moderate))


@given(even_matrices(), st.data(), bases)
def test_rotary_equals_complex_multiplication(x: np.ndarray, data: st.DataObject, base: float) -> None:
    positions = data.draw(st.lists(st.floats(-200, 200), min_size=x.shape[0], max_size=x.shape[0]))
    got = ac.rotary(x, positions, base)
    np.testing.assert_allclose(got, complex_rotary(x, positions, base), rtol=0, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), np.linalg.norm(x, axis=1), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ac.rotary_angles(positions, x.shape[1], base)[:, 0], positions, atol=0)  # θ₀ = 1


def test_rotary_defaults_to_positions_0_to_n_minus_1_and_keeps_leading_axes() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 5, 4))  # (batch, heads, n, d)
    got = ac.rotary(x)
    for b in range(2):
        for h in range(3):
            np.testing.assert_allclose(got[b, h], complex_rotary(x[b, h], [0, 1, 2, 3, 4], 10_000.0), atol=1e-12)
    np.testing.assert_array_equal(got[..., 0, :], x[..., 0, :])  # position 0 does not turn


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 16).flatmap(lambda p: hnp.arrays(np.float64, (2, 2 * p), elements=moderate)),
    st.integers(0, 127),
    st.integers(0, 127),
    st.integers(-300, 300),
    bases,
)
def test_rope_score_depends_only_on_the_offset(qk: np.ndarray, m: int, n: int, shift: int, base: float) -> None:
    """Move both tokens by the same amount: q·k stays the same, to 1e-12 of |q|·|k|."""
    q, k = qk[:1], qk[1:]
    before = float(ac.rotary(q, [m], base)[0] @ ac.rotary(k, [n], base)[0])
    after = float(ac.rotary(q, [m + shift], base)[0] @ ac.rotary(k, [n + shift], base)[0])
    scale = math.hypot(*q[0]) * math.hypot(*k[0])  # |q|·|k| (hypot: no underflow for tiny entries)
    assert abs(after - before) <= 1e-12 * scale
    # and it is the offset's formula: Σᵢ Re(z_q · conj(z_k) · e^(i(m-n)θᵢ))
    d = qk.shape[1]
    by_offset = sum(
        (complex(q[0, 2 * i], q[0, 2 * i + 1]) * complex(k[0, 2 * i], k[0, 2 * i + 1]).conjugate()
         * cmath.exp(1j * (m - n) * math.pow(base, -2 * i / d))).real
        for i in range(d // 2)
    )
    assert abs(before - by_offset) <= 1e-12 * scale


# --------------------------------------------------------------------------- word order
@st.composite
def sentences(draw: st.DrawFn) -> tuple[np.ndarray, list[np.ndarray], list[int]]:
    n, d = draw(st.integers(1, 7)), draw(st.integers(1, 6))
    x = draw(hnp.arrays(np.float64, (n, d), elements=moderate))
    w = [draw(hnp.arrays(np.float64, (d, d), elements=moderate)) for _ in range(3)]
    return x, w, draw(st.permutations(range(n)))


@settings(max_examples=200, deadline=None)
@given(sentences(), st.booleans(), st.floats(0.2, 5.0))
def test_without_positions_self_attention_is_permutation_equivariant(
    case: tuple[np.ndarray, list[np.ndarray], list[int]], use_w: bool, temperature: float
) -> None:
    """Shuffle the tokens: the weights' rows and columns are shuffled, the outputs' rows too, to 1e-12."""
    x, w, perm = case
    ws = w if use_w else [None, None, None]
    r = ac.self_attention(x, *ws, temperature=temperature).attention
    s = ac.self_attention(x[perm], *ws, temperature=temperature).attention
    np.testing.assert_allclose(s.weights, r.weights[np.ix_(perm, perm)], rtol=0, atol=1e-12)
    np.testing.assert_allclose(s.output, r.output[perm], rtol=1e-12, atol=1e-12)
    # the engine's numbers themselves are plain numpy's
    q, k, v = (x if wi is None else x @ wi for wi in ws)
    _, w_ref, out_ref = attend(q, k, v, scale=True, temperature=temperature)
    np.testing.assert_allclose(r.weights, w_ref, atol=1e-12)
    np.testing.assert_allclose(r.output, out_ref, rtol=1e-12, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 8), st.integers(1, 8), st.data())
def test_sinusoidal_positions_break_it_for_a_generic_input(seed: int, n: int, d: int, data: st.DataObject) -> None:
    """With PE added by slot, a shuffled sentence gets other outputs, not the old ones shuffled."""
    perm = data.draw(st.permutations(range(n)))
    assume(list(perm) != list(range(n)))
    rng = np.random.default_rng(seed)
    x, w = rng.normal(size=(n, d)), [rng.normal(size=(d, d)) for _ in range(3)]
    pe = ac.sinusoidal_positions(n, d)
    plain = ac.self_attention(x, *w).attention.output
    np.testing.assert_allclose(ac.self_attention(x[perm], *w).attention.output, plain[perm], atol=1e-12)
    with_pe = ac.self_attention(x + pe, *w).attention.output
    shuffled = ac.self_attention(x[perm] + pe, *w).attention.output
    assert np.abs(shuffled - with_pe[perm]).max() > 1e-6
