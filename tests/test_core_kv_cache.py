"""The KV cache (attention_core.kv_cache): a cached decoding step equals full causal attention.

At every step the cached output is checked against the full causal self-attention (the engine's
and plain numpy's), the cache's rows against K = X·W_k and V = X·W_v, and the multiply-add
counts against an instrumented loop implementation that counts each multiply-add it does.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import attention_core as ac
from attention_core.errors import LimitError, ShapeError
from tests.numpy_ref import attend
from tests.numpy_ref import softmax as np_softmax

moderate = st.floats(-3, 3, allow_nan=False, allow_infinity=False)


@st.composite
def sequences(draw: st.DrawFn) -> dict:
    n, d_in = draw(st.integers(1, 8), label="n"), draw(st.integers(1, 5), label="d_in")
    d_k, d_v = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    use = draw(st.booleans())  # projections, or the vectors as they are (then d_k = d_v = d_in)
    w = [draw(hnp.arrays(np.float64, (d_in, d), elements=moderate)) if use else None for d in (d_k, d_k, d_v)]
    return {"x": draw(hnp.arrays(np.float64, (n, d_in), elements=moderate)), "w": w}


class Counter:
    """Plain-loop attention that counts every multiply-add it performs."""

    def __init__(self) -> None:
        self.madds = 0

    def matvec(self, x: np.ndarray, w: np.ndarray | None) -> np.ndarray:
        if w is None:
            return x.copy()
        out = np.zeros(w.shape[1])
        for j in range(w.shape[1]):
            for i in range(w.shape[0]):
                out[j] += x[i] * w[i, j]
                self.madds += 1
        return out

    def dot(self, a: np.ndarray, b: np.ndarray) -> float:
        total = 0.0
        for i in range(len(a)):
            total += a[i] * b[i]
            self.madds += 1
        return total

    def weighted_sum(self, p: np.ndarray, vs: list[np.ndarray]) -> np.ndarray:
        out = np.zeros(len(vs[0]))
        for j, v in enumerate(vs):
            for c in range(len(v)):
                out[c] += p[j] * v[c]
                self.madds += 1
        return out


def count_cached_step(x: np.ndarray, t: int, w: list, ks: list, vs: list, divisor: float) -> tuple[int, np.ndarray]:
    c = Counter()
    q, k, v = (c.matvec(x[t], wi) for wi in w)
    ks.append(k)
    vs.append(v)
    p = np_softmax(np.array([c.dot(q, kj) for kj in ks]) / divisor)
    out = c.weighted_sum(p, vs)
    return c.madds, out


def count_full_recompute(x: np.ndarray, t: int, w: list, divisor: float) -> tuple[int, np.ndarray]:
    """No cache: q, k, v of tokens 0..t again, the dense (t+1)×(t+1) scores (masked above the
    diagonal) and weighted sums, as causal attention computes them; the last row is step t's output."""
    c = Counter()
    q, k, v = ([c.matvec(x[i], wi) for i in range(t + 1)] for wi in w)
    out = None
    for i in range(t + 1):
        z = np.array([c.dot(q[i], k[j]) for j in range(t + 1)]) / divisor
        z[i + 1 :] = -np.inf
        out = c.weighted_sum(np_softmax(z), v)
    return c.madds, out


@settings(max_examples=150, deadline=None)
@given(sequences(), st.booleans(), st.floats(0.2, 5.0))
def test_cached_output_equals_full_causal_attention_at_every_step(case: dict, scale: bool, temperature: float) -> None:
    x, w = case["x"], case["w"]
    n = len(x)
    run = ac.cached_decode(x, *w, scale=scale, temperature=temperature)
    full = ac.self_attention(x, *w, scale=scale, temperature=temperature, mask=ac.causal_mask(n)).attention
    q, k, v = (x if wi is None else x @ wi for wi in w)
    _, w_ref, out_ref = attend(q, k, v, scale=scale, temperature=temperature, mask=np.tril(np.ones((n, n), bool)))
    assert len(run.steps) == n
    for t, s in enumerate(run.steps):
        assert s.step == t and s.cache.length == t + 1
        np.testing.assert_allclose(s.output, full.output[t], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(s.output, out_ref[t], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(s.weights, w_ref[t, : t + 1], rtol=0, atol=1e-12)
        np.testing.assert_allclose(s.q, q[t], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(s.k_new, k[t], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(s.v_new, v[t], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(s.k_reused, k[:t], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(s.v_reused, v[:t], rtol=1e-12, atol=1e-12)
        if t:  # reused means reused: the very rows the previous step computed
            np.testing.assert_array_equal(s.k_reused, run.steps[t - 1].cache.k)
    np.testing.assert_allclose(run.outputs, full.output, rtol=1e-12, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(sequences(), st.booleans())
def test_multiply_adds_and_memory_equal_an_instrumented_count(case: dict, scale: bool) -> None:
    x, w = case["x"], case["w"]
    run = ac.cached_decode(x, *w, scale=scale)
    d_k = x.shape[1] if w[1] is None else w[1].shape[1]
    d_v = x.shape[1] if w[2] is None else w[2].shape[1]
    divisor = math.sqrt(d_k) if scale else 1.0
    ks: list[np.ndarray] = []
    vs: list[np.ndarray] = []
    for t, s in enumerate(run.steps):
        cached, out_cached = count_cached_step(x, t, w, ks, vs, divisor)
        full, out_full = count_full_recompute(x, t, w, divisor)
        assert (s.madds_cached, s.madds_full) == (cached, full)
        np.testing.assert_allclose(s.output, out_cached, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(s.output, out_full, rtol=1e-12, atol=1e-12)
        assert s.cache_floats == sum(len(r) for r in ks) + sum(len(r) for r in vs) == (t + 1) * (d_k + d_v)
    assert run.madds_cached_total == sum(s.madds_cached for s in run.steps)
    assert run.madds_full_total == sum(s.madds_full for s in run.steps)
    if len(x) >= 2:
        assert run.madds_cached_total < run.madds_full_total


def test_the_savings_grow_with_the_sentence() -> None:
    """At the lesson's sizes: 16 tokens, d = 4 with projections."""
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(16, 4)), [rng.normal(size=(4, 4)) for _ in range(3)]
    run = ac.cached_decode(x, *w)
    assert [s.madds_cached for s in run.steps][:3] == [48 + 8, 48 + 16, 48 + 24]
    assert [s.madds_full for s in run.steps][:3] == [48 + 8, 2 * 48 + 4 * 8, 3 * 48 + 9 * 8]
    assert [s.cache_floats for s in run.steps] == [8 * (t + 1) for t in range(16)]
    assert run.madds_full_total > 5 * run.madds_cached_total


def test_a_cache_is_never_changed_in_place() -> None:
    s0 = ac.cached_step(None, [1.0, 2.0])
    s1 = ac.cached_step(s0.cache, [3.0, 4.0])
    assert s0.cache.length == 1 and s1.cache.length == 2
    assert s0.cache.k.tolist() == [[1.0, 2.0]] and s1.cache.k.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    empty = ac.KVCache.empty(2, 3)
    assert empty.length == 0 and empty.floats == 0 and empty.k.shape == (0, 2)
    typed = ac.KVCache([[1, 2]], [[3]])  # lists become float64 matrices
    assert typed.k.dtype == np.float64 and typed.floats == 3
    s2 = ac.cached_step(typed, [0.0, 1.0], None, None, [[1.0], [1.0]])
    assert s2.k_reused.tolist() == [[1.0, 2.0]] and s2.v_reused.tolist() == [[3.0]]


@pytest.mark.parametrize(
    ("call", "error", "code"),
    [
        (lambda: ac.cached_step(ac.KVCache.empty(3, 2), [1.0, 2.0]), ShapeError, "shape_mismatch"),
        (lambda: ac.cached_step(None, [1.0, 2.0], np.ones((3, 2))), ShapeError, "shape_mismatch"),
        (
            lambda: ac.cached_step(ac.KVCache(np.ones((2, 2)), np.ones((1, 2))), [1.0, 2.0]),
            ShapeError,
            "shape_mismatch",
        ),
        (lambda: ac.cached_step(None, [1.0, np.nan]), ac.errors.NonFiniteError, "non_finite"),
        (lambda: ac.cached_step(None, [1.0], temperature=0), ac.errors.TemperatureError, "temperature"),
        (lambda: ac.KVCache.empty(0, 2), LimitError, "limit"),
        (lambda: ac.KVCache(np.ones(2), np.ones((1, 2))), ShapeError, "shape_rank"),
        (lambda: ac.KVCache(np.ones((1, 2)), np.full((1, 2), np.inf)), ac.errors.NonFiniteError, "non_finite"),
        (lambda: ac.cached_decode(np.ones(3)), ShapeError, "shape_rank"),
    ],
)
def test_bad_inputs_raise_specific_errors(call, error, code) -> None:  # noqa: ANN001
    with pytest.raises(error) as e:
        call()
    assert e.value.code == code
