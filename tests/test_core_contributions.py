"""attention_core.contributions: each value's weighted share, summing to the attention output."""

from __future__ import annotations

import numpy as np
import pytest

from attention_core import attention, contributions
from attention_core.errors import NonFiniteError, ScoreOverflowError, ShapeError
from attention_core.presets import LIBRARY, SCALED_DOT_PRODUCT


@pytest.mark.parametrize("preset", [LIBRARY, SCALED_DOT_PRODUCT], ids=["library", "scaled_dot_product"])
def test_contributions_sum_to_output(preset) -> None:
    r = attention(preset.query, preset.keys, preset.values, scale=preset.scale)
    v = np.array(preset.values)
    parts = contributions(r.weights[0], v)
    assert parts.shape == v.shape
    np.testing.assert_allclose(parts, r.weights[0][:, None] * v, rtol=0, atol=0)
    np.testing.assert_allclose(parts.sum(axis=0), r.output[0], rtol=1e-15, atol=1e-15)


def test_contributions_many_queries() -> None:
    w = np.array([[0.2, 0.8], [1.0, 0.0], [0.5, 0.5]])
    v = np.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])
    parts = contributions(w, v)
    assert parts.shape == (3, 2, 3)
    np.testing.assert_allclose(parts.sum(axis=-2), w @ v)
    np.testing.assert_allclose(parts[1, 1], [0.0, 0.0, 0.0])


def test_contributions_bad_input() -> None:
    with pytest.raises(ShapeError):
        contributions([0.5, 0.5], [[1.0], [2.0], [3.0]])
    with pytest.raises(NonFiniteError):
        contributions([0.5, float("nan")], [[1.0], [2.0]])
    with pytest.raises(ScoreOverflowError):
        contributions([2.0, 1.0], [[1.5e308], [2.0]])
