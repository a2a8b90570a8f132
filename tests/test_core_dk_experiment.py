"""Why divide by √d_k? (attention_core.dk_experiment)

The random numbers are drawn again here in the documented order, and every number is recomputed
with plain numpy and loops; the Jacobian is checked against finite differences. The statistics
are checked against theory: the measured variance of q·k lies within 5 standard errors of d_k,
with the standard error of a sample variance computed from the fourth moment of q·k.
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
from tests.numpy_ref import softmax as np_softmax

logits_rows = st.integers(1, 8).flatmap(
    lambda n: hnp.arrays(np.float64, n, elements=st.floats(-20, 20, allow_nan=False, allow_infinity=False))
)


def np_entropy(p: np.ndarray) -> float:
    return float(-sum(x * math.log(x) for x in p if x > 0))


def loop_jacobian(p: np.ndarray) -> np.ndarray:
    n = len(p)
    return np.array([[p[i] * ((1.0 if i == j else 0.0) - p[j]) for j in range(n)] for i in range(n)])


def variance_stderr(d: int, n: int) -> float:
    """Standard error of the sample variance (ddof=1) of n values of X = q·k, q, k ~ N(0, I_d).

    Var(s²) = (μ₄ - σ⁴·(n-3)/(n-1)) / n with σ² = d and
    μ₄ = E[X⁴] = d·E[(qk)⁴] + 3·d·(d-1)·E[(qk)²]² = 9d + 3d(d-1) = 3d² + 6d.
    """
    mu4 = 9 * d + 3 * d * (d - 1)
    return math.sqrt((mu4 - d * d * (n - 3) / (n - 1)) / n)


# --------------------------------------------------------------------------- the Jacobian
@given(logits_rows)
def test_softmax_jacobian_equals_closed_form_and_finite_differences(z: np.ndarray) -> None:
    p = np_softmax(z)
    j = ac.softmax_jacobian(p)
    np.testing.assert_allclose(j, loop_jacobian(p), rtol=0, atol=1e-15)
    h = 1e-6
    fd = np.zeros((len(z), len(z)))
    for col in range(len(z)):
        e = np.zeros(len(z))
        e[col] = h
        fd[:, col] = (np_softmax(z + e) - np_softmax(z - e)) / (2 * h)  # ∂p/∂z_col
    np.testing.assert_allclose(j, fd, rtol=0, atol=1e-8)
    np.testing.assert_allclose(j.sum(axis=1), 0.0, atol=1e-15)


@given(logits_rows)
def test_softmax_row_reports_its_max_weight_entropy_and_gradient(z: np.ndarray) -> None:
    r = ac.softmax_row(z)
    p = np_softmax(z)
    np.testing.assert_allclose(r.weights, p, rtol=0, atol=1e-15)
    assert r.max_weight == pytest.approx(max(p), abs=1e-15)
    assert r.entropy == pytest.approx(np_entropy(p), abs=1e-12)
    j = loop_jacobian(p)
    assert r.jacobian_max == pytest.approx(max(abs(x) for x in j.ravel()), abs=1e-15)
    assert r.jacobian_norm == pytest.approx(math.sqrt(sum(x * x for x in j.ravel())), abs=1e-14)
    assert 0 <= r.jacobian_max <= 0.25 + 1e-15 and 0 <= r.entropy <= math.log(len(z)) + 1e-12


def test_a_saturated_row_lets_no_gradient_through() -> None:
    r = ac.softmax_row([800.0, 0.0, -3.0])
    assert r.max_weight == 1.0 and r.entropy == 0.0 and r.jacobian_max == 0.0 and r.jacobian_norm == 0.0
    flat = ac.softmax_row(np.zeros(4))
    assert flat.entropy == pytest.approx(math.log(4)) and flat.jacobian_max == pytest.approx(3 / 16)


# --------------------------------------------------------------------------- one experiment
@pytest.mark.parametrize(("d_k", "n_keys", "seed"), [(1, 1, 0), (4, 3, 1), (64, 8, 2**32 - 1), (512, 128, 7)])
def test_experiment_draws_in_the_documented_order_and_computes_plainly(d_k: int, n_keys: int, seed: int) -> None:
    n_pairs = 300
    e = ac.dk_experiment(d_k, n_keys, n_pairs, seed)
    rng = np.random.default_rng(seed)
    q, keys = rng.standard_normal(d_k), rng.standard_normal((n_keys, d_k))
    pq, pk = rng.standard_normal((n_pairs, d_k)), rng.standard_normal((n_pairs, d_k))
    np.testing.assert_array_equal(e.q, q)
    np.testing.assert_array_equal(e.keys, keys)
    dots = np.array([sum(a * b for a, b in zip(pq[i], pk[i], strict=True)) for i in range(n_pairs)])
    np.testing.assert_allclose(e.dots, dots, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(e.dots_scaled, dots / math.sqrt(d_k), rtol=1e-12, atol=1e-12)
    mean = dots.mean()
    assert e.var_dots == pytest.approx(((dots - mean) ** 2).sum() / (n_pairs - 1), rel=1e-12)
    assert e.var_scaled == pytest.approx(e.var_dots / d_k, rel=1e-12)
    scores = np.array([sum(a * b for a, b in zip(key, q, strict=True)) for key in keys])
    np.testing.assert_allclose(e.scores, scores, rtol=1e-12, atol=1e-12)
    for row, z in ((e.unscaled, scores), (e.scaled, scores / math.sqrt(d_k))):
        p = np_softmax(z)
        np.testing.assert_allclose(row.weights, p, rtol=0, atol=1e-12)
        assert row.entropy == pytest.approx(np_entropy(p), abs=1e-12)
        np.testing.assert_allclose(row.jacobian, loop_jacobian(p), rtol=0, atol=1e-12)
    assert e.var_stderr == pytest.approx(variance_stderr(d_k, n_pairs), rel=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(ac.DK_SWEEP), st.integers(0, 2**32 - 1))
def test_variance_of_q_dot_k_is_d_k_within_its_confidence_interval(d_k: int, seed: int) -> None:
    """Measured Var(q·k) within 5 standard errors of d_k (10,000 pairs: ±1.4-2.2 % per error), and
    the scaled one within 5 of 1."""
    n = ac.limits.MAX_EXPERIMENT_PAIRS
    e = ac.dk_experiment(d_k, n_keys=2, n_pairs=n, seed=seed)
    se = variance_stderr(d_k, n)
    assert abs(e.var_dots - d_k) <= 5 * se, (e.var_dots, d_k, se)
    assert abs(e.var_scaled - 1.0) <= 5 * se / d_k
    assert abs(e.dots.mean()) <= 5 * math.sqrt(d_k / n)  # E[q·k] = 0, standard error √(d_k/n)


# --------------------------------------------------------------------------- the sweep
def test_unscaled_rows_collapse_as_d_k_grows_and_scaled_rows_do_not() -> None:
    s = ac.dk_sweep(ac.DK_SWEEP, n_keys=8, n_rows=128, seed=0)
    assert s.d_k == (2, 4, 8, 16, 32, 64, 128, 256, 512)
    u, c = s.unscaled, s.scaled
    # unscaled: towards one-hot, no gradient
    assert (np.diff(u.entropy[::2]) < 0).all() and (np.diff(u.max_weight[::2]) > 0).all()
    assert u.entropy[-1] < 0.05 * s.max_entropy and u.max_weight[-1] > 0.97
    assert u.jacobian_max[-1] < 0.2 * u.jacobian_max[0] and u.jacobian_norm[-1] < 0.2 * u.jacobian_norm[0]
    # scaled: the same spread at every d_k
    assert c.entropy.min() > 0.75 * s.max_entropy and np.ptp(c.entropy) < 0.15
    assert c.max_weight.max() < 0.6 and c.jacobian_max.min() > 0.15


def test_sweep_equals_an_independent_recomputation_and_contains_the_experiments_row() -> None:
    d_ks, n_keys, n_rows, seed = (2, 8, 64), 5, 6, 11
    s = ac.dk_sweep(d_ks, n_keys, n_rows, seed)
    for col, d in enumerate(d_ks):
        rng = np.random.default_rng(seed)
        acc = {"u": np.zeros(4), "s": np.zeros(4)}
        for _ in range(n_rows):
            q = rng.standard_normal(d)
            keys = rng.standard_normal((n_keys, d))
            scores = keys @ q
            for name, z in (("u", scores), ("s", scores / math.sqrt(d))):
                p = np_softmax(z)
                j = loop_jacobian(p)
                acc[name] += (p.max(), np_entropy(p), np.abs(j).max(), math.sqrt((j**2).sum()))
        for name, curve in (("u", s.unscaled), ("s", s.scaled)):
            got = (curve.max_weight[col], curve.entropy[col], curve.jacobian_max[col], curve.jacobian_norm[col])
            np.testing.assert_allclose(got, acc[name] / n_rows, rtol=1e-12, atol=1e-14)
        one = ac.dk_sweep((d,), n_keys, 1, seed)
        e = ac.dk_experiment(d, n_keys, 2, seed)
        assert one.unscaled.entropy[0] == pytest.approx(e.unscaled.entropy, abs=1e-15)
        assert one.scaled.jacobian_max[0] == pytest.approx(e.scaled.jacobian_max, abs=1e-15)


@pytest.mark.parametrize(
    ("call", "error", "code"),
    [
        (lambda: ac.dk_experiment(0), LimitError, "limit"),
        (lambda: ac.dk_experiment(513), LimitError, "limit"),
        (lambda: ac.dk_experiment(4, n_keys=0), LimitError, "limit"),
        (lambda: ac.dk_experiment(4, n_keys=129), LimitError, "limit"),
        (lambda: ac.dk_experiment(4, n_pairs=1), LimitError, "limit"),
        (lambda: ac.dk_experiment(4, n_pairs=10_001), LimitError, "limit"),
        (lambda: ac.dk_experiment(4, seed=-1), LimitError, "limit"),
        (lambda: ac.dk_experiment(4.0), LimitError, "limit"),
        (lambda: ac.dk_sweep(()), ShapeError, "shape_empty"),
        (lambda: ac.dk_sweep((2, 1024)), LimitError, "limit"),
        (lambda: ac.dk_sweep(n_rows=257), LimitError, "limit"),
        (lambda: ac.softmax_jacobian([np.nan, 1.0]), ac.errors.NonFiniteError, "non_finite"),
    ],
)
def test_bad_inputs_raise_specific_errors(call, error, code) -> None:  # noqa: ANN001
    with pytest.raises(error) as e:
        call()
    assert e.value.code == code
