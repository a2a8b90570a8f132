"""Property tests of the attention math (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import attention_core as ac
from attention_core.errors import (
    FullyMaskedRowError,
    NonFiniteError,
    ScoreOverflowError,
    ShapeError,
    TemperatureError,
)

HUGE = 1e300
finite = st.floats(-HUGE, HUGE, allow_nan=False, allow_infinity=False)
any_finite = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
temperatures = st.floats(1e-3, 1e3)
dims = st.integers(1, 6)


def matrices(rows: st.SearchStrategy[int], cols: st.SearchStrategy[int], elements=moderate):
    return st.tuples(rows, cols).flatmap(lambda s: hnp.arrays(np.float64, s, elements=elements))


@given(matrices(dims, dims, any_finite), temperatures)
def test_softmax_rows_sum_to_one_and_stay_finite(x: np.ndarray, temperature: float) -> None:
    w = ac.softmax(x, temperature=temperature)
    assert np.isfinite(w).all()
    assert ((w >= 0) & (w <= 1)).all()
    np.testing.assert_allclose(w.sum(axis=-1), 1.0, rtol=0, atol=1e-12)


@given(matrices(dims, dims, finite), st.floats(1e-300, 1e300))
def test_softmax_finite_for_extreme_scores_and_temperatures(x: np.ndarray, temperature: float) -> None:
    w = ac.softmax(x, temperature=temperature)
    assert np.isfinite(w).all()
    np.testing.assert_allclose(w.sum(axis=-1), 1.0, rtol=0, atol=1e-12)


@given(matrices(dims, dims), st.floats(-1e6, 1e6))
def test_softmax_shift_invariance(x: np.ndarray, c: float) -> None:
    np.testing.assert_allclose(ac.softmax(x + c), ac.softmax(x), rtol=1e-6, atol=1e-9)


@given(matrices(dims, dims), st.data())
def test_shifting_one_score_row_changes_nothing(x: np.ndarray, data: st.DataObject) -> None:
    """Adding a constant to every score of one query (q·k + c for all k) leaves its weights unchanged."""
    row = data.draw(st.integers(0, x.shape[0] - 1))
    c = data.draw(st.floats(-1e3, 1e3))
    shifted = x.copy()
    shifted[row] += c
    np.testing.assert_allclose(ac.softmax(shifted), ac.softmax(x), rtol=1e-6, atol=1e-9)


@given(matrices(st.integers(2, 6), st.just(5)), st.data())
def test_temperature_towards_zero_approaches_one_hot_argmax(x: np.ndarray, data: st.DataObject) -> None:
    # a unique maximum per row, drawn rather than filtered (filtering starves hypothesis)
    winners = data.draw(hnp.arrays(np.int64, x.shape[0], elements=st.integers(0, 4)))
    rows = np.arange(x.shape[0])
    x[rows, winners] = x.max(axis=-1) + data.draw(st.floats(1e-3, 1e3))
    w = ac.softmax(x, temperature=1e-6)
    np.testing.assert_allclose(w, np.eye(5)[np.argmax(x, axis=-1)], atol=1e-12)


@given(matrices(dims, dims), st.data())
def test_masked_keys_get_weight_zero(scores: np.ndarray, data: st.DataObject) -> None:
    n_q, n_k = scores.shape
    mask = data.draw(hnp.arrays(np.bool_, (n_q, n_k)))
    mask[np.arange(n_q), data.draw(hnp.arrays(np.int64, n_q, elements=st.integers(0, n_k - 1)))] = True
    r = ac.attention(scores, np.eye(n_k), np.eye(n_k), scale=False, mask=mask)  # Q·Kᵀ = scores
    assert (r.weights[~mask] == 0).all()
    np.testing.assert_allclose(r.weights.sum(axis=-1), 1.0, atol=1e-12)
    assert np.isneginf(r.logits[~mask]).all()


def test_fully_masked_row_is_a_clear_error_not_nan() -> None:
    mask = np.array([[True, False], [False, False]])
    with pytest.raises(FullyMaskedRowError):
        ac.attention(np.ones((2, 2)), np.ones((2, 2)), np.ones((2, 2)), mask=mask)
    with pytest.raises(FullyMaskedRowError):
        ac.softmax(np.array([[-np.inf, -np.inf]]))


def test_causal_mask() -> None:
    m = ac.causal_mask(3)
    assert m.dtype == bool
    assert m.tolist() == [[True, False, False], [True, True, False], [True, True, True]]
    r = ac.attention(np.ones((3, 2)), np.ones((3, 2)), np.eye(3, 2), mask=m)
    np.testing.assert_allclose(r.weights[0], [1, 0, 0])
    np.testing.assert_allclose(r.weights[2], [1 / 3, 1 / 3, 1 / 3])


def test_key_mask_hides_padding_from_every_query() -> None:
    r = ac.attention(np.ones((2, 2)), np.ones((3, 2)), np.eye(3), mask=ac.key_mask([True, True, False]))
    assert (r.weights[:, 2] == 0).all()


@settings(max_examples=50)
@given(matrices(st.integers(1, 5), st.integers(1, 5), st.floats(-1e150, 1e150)), temperatures)
def test_pipeline_finite_for_large_finite_inputs(x: np.ndarray, temperature: float) -> None:
    """Scores of inputs up to 1e150 stay within float64, and every step is finite."""
    r = ac.self_attention(x, temperature=temperature).attention
    for arr in (r.scores, r.scaled, r.weights, r.output):
        assert np.isfinite(arr).all()


@given(matrices(st.integers(1, 4), st.integers(1, 4), any_finite))
def test_pipeline_never_returns_nan(x: np.ndarray) -> None:
    """Any finite input either gives finite results or the specific overflow error."""
    try:
        r = ac.self_attention(x).attention
    except ScoreOverflowError:
        return
    assert np.isfinite(r.weights).all() and np.isfinite(r.output).all()


def test_single_query_and_many_queries_agree() -> None:
    rng = np.random.default_rng(0)
    q, k, v = rng.normal(size=(3, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 2))
    many = ac.attention(q, k, v, temperature=0.7)
    for i in range(3):
        one = ac.attention(q[i], k, v, temperature=0.7)
        assert one.weights.shape == (5,) and one.output.shape == (2,)
        np.testing.assert_allclose(one.weights, many.weights[i])
        np.testing.assert_allclose(one.output, many.output[i])


def test_scaling_divides_scores_by_sqrt_dk_exactly() -> None:
    rng = np.random.default_rng(1)
    q, k = rng.normal(size=(3, 9)), rng.normal(size=(4, 9))
    on, off = ac.attention(q, k, k, scale=True), ac.attention(q, k, k, scale=False)
    np.testing.assert_array_equal(on.scaled, off.scores / 3.0)
    np.testing.assert_array_equal(on.scores, off.scores)


def test_multi_head_splits_and_concatenates() -> None:
    rng = np.random.default_rng(2)
    x, wq, wk, wv, wo = (rng.normal(size=s) for s in [(5, 8), (8, 8), (8, 8), (8, 8), (8, 3)])
    r = ac.multi_head_attention(x, wq, wk, wv, 4, w_o=wo)
    assert len(r.heads) == 4 and r.concat.shape == (5, 8) and r.output.shape == (5, 3)
    q, k, v = x @ wq, x @ wk, x @ wv
    for h, head in enumerate(r.heads):
        s = slice(2 * h, 2 * h + 2)
        np.testing.assert_allclose(head.weights, ac.softmax(q[:, s] @ k[:, s].T / np.sqrt(2)))
        np.testing.assert_allclose(head.output, head.weights @ v[:, s])
        np.testing.assert_allclose(r.concat[:, s], head.output)
    np.testing.assert_allclose(r.output, r.concat @ wo)
    one = ac.multi_head_attention(x, wq, wk, wv, 1)
    np.testing.assert_allclose(one.output, ac.self_attention(x, wq, wk, wv).attention.output)
    with pytest.raises(ShapeError) as e:
        ac.multi_head_attention(x, wq, wk, wv, 3)
    assert e.value.code == "heads_not_divisor"


@pytest.mark.parametrize(
    ("call", "error", "code"),
    [
        (lambda: ac.attention([[np.nan]], [[1.0]], [[1.0]]), NonFiniteError, "non_finite"),
        (lambda: ac.attention([[np.inf]], [[1.0]], [[1.0]]), NonFiniteError, "non_finite"),
        (lambda: ac.attention([[1.0, 2.0]], [[1.0]], [[1.0]]), ShapeError, "shape_mismatch"),
        (lambda: ac.attention([[1.0]], [[1.0], [2.0]], [[1.0]]), ShapeError, "shape_mismatch"),
        (lambda: ac.attention(np.zeros((1, 0)), np.zeros((1, 0)), [[1.0]]), ShapeError, "shape_empty"),
        (lambda: ac.attention([["a"]], [[1.0]], [[1.0]]), ShapeError, "shape_not_numeric"),
        (lambda: ac.attention([[1.0]], [[1.0]], [[1.0]], temperature=0), TemperatureError, "temperature"),
        (lambda: ac.attention([[1.0]], [[1.0]], [[1.0]], temperature=-1), TemperatureError, "temperature"),
        (lambda: ac.attention([[1.0]], [[1.0]], [[1.0]], temperature=np.nan), TemperatureError, "temperature"),
        (lambda: ac.attention([[1e308]], [[1e308]], [[1.0]]), ScoreOverflowError, "score_overflow"),
        (lambda: ac.attention([[1.0]], [[1.0]], [[1.0]], mask=[[1]]), ShapeError, "mask_not_bool"),
        (lambda: ac.attention([[1.0]], [[1.0]], [[1.0]], mask=np.ones((2, 2), bool)), ShapeError, "mask_shape"),
        (lambda: ac.attention_pooling([[1.0, 2.0]], [1.0]), ShapeError, "shape_mismatch"),
        (lambda: ac.random_tables(0, 4), ac.errors.LimitError, "limit"),
        (lambda: ac.random_tables(4, 4, seed=-1), ac.errors.LimitError, "limit"),
    ],
)
def test_bad_inputs_raise_specific_documented_errors(call, error, code) -> None:  # noqa: ANN001
    with pytest.raises(error) as e:
        call()
    assert e.value.code == code
    assert isinstance(e.value, ac.AttentionLabError) and isinstance(e.value, ValueError)


def test_extreme_but_representable_inputs() -> None:
    """±1e308 in inputs: scores overflow is reported; ±1e300 scores are fine."""
    w = ac.softmax(np.array([1e308, -1e308, 0.0]))
    assert w.tolist() == [1.0, 0.0, 0.0]
    w = ac.softmax(np.array([1e300, 1e300 * (1 - 1e-16)]), temperature=1e-300)
    assert np.isfinite(w).all()
