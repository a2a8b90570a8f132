"""Expected numbers for the browser tests, computed here with plain numpy (never with
``attention_core``): the pages must agree with this independent computation."""

from __future__ import annotations

import numpy as np


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of a vector or matrix (max subtracted first)."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def attend(
    q: np.ndarray, k: np.ndarray, v: np.ndarray, *, scale: bool = False, temperature: float = 1.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores ``q·kᵀ``, weights ``softmax(scores / (√d_k if scale) / T)`` and output ``weights·v``.

    Shapes: q (n_q, d_k) or (d_k,), k (n_k, d_k), v (n_k, d_v) -> (n_q, n_k), (n_q, n_k), (n_q, d_v).
    """
    q, k, v = (np.atleast_2d(np.asarray(a, dtype=float)) for a in (q, k, v))
    scores = q @ k.T
    z = scores / (np.sqrt(k.shape[1]) if scale else 1.0) / temperature
    weights = softmax(z)
    return scores, weights, weights @ v
