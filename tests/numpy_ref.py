"""The numbers every test checks the app against, computed here with plain numpy (never with
``attention_core``): page tests (AppTest) and browser tests share these references.

Each is written the way the notebooks write it; scaling and temperature are the lessons' additions.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of a vector or matrix (the row's maximum subtracted first, as seed 000 does);
    ``-inf`` entries get weight 0."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def attend(
    q: np.ndarray,
    k: np.ndarray,
    v: np.ndarray,
    *,
    scale: bool = False,
    temperature: float = 1.0,
    mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores ``q·kᵀ``, weights ``softmax(scores / (√d_k if scale) / T)`` (``-inf`` where ``mask`` is
    False) and output ``weights·v``.

    Shapes: q (n_q, d_k) or (d_k,), k (n_k, d_k), v (n_k, d_v) -> (n_q, n_k), (n_q, n_k), (n_q, d_v).
    """
    q, k, v = (np.atleast_2d(np.asarray(a, dtype=float)) for a in (q, k, v))
    scores = q @ k.T
    z = scores / (np.sqrt(k.shape[1]) if scale else 1.0) / temperature
    if mask is not None:
        z = np.where(mask, z, -np.inf)
    weights = softmax(z)
    return scores, weights, weights @ v


def notebook_attention(
    query: np.ndarray, key: np.ndarray, value: np.ndarray, temperature: float = 1.0, scale: bool = True
):
    """Seed 002's own ``attention(query, key, value)`` function (no max subtraction), plus a temperature.

    Shapes: (n_q, d_k), (n_k, d_k), (n_k, d_v) -> output (n_q, d_v), weights (n_q, n_k).
    """
    d_k = key.shape[-1]
    scores = np.dot(query, key.T) / (np.sqrt(d_k) if scale else 1.0) / temperature
    weights = np.exp(scores) / np.sum(np.exp(scores), axis=-1, keepdims=True)
    return np.dot(weights, value), weights


def self_attention(x: np.ndarray, *, scale: bool = False, temperature: float = 1.0) -> dict[str, np.ndarray]:
    """Seed 002's TensorFlow cell: score = X·Xᵀ, softmax per row, output = weights·X."""
    scores = x @ x.T
    logits = (scores / np.sqrt(x.shape[1]) if scale else scores) / temperature
    weights = softmax(logits)
    return {"scores": scores, "logits": logits, "weights": weights, "output": weights @ x}


def pooling(x: np.ndarray, w: np.ndarray, temperature: float = 1.0) -> dict[str, np.ndarray]:
    """Seed 002's pooling cell: softmax(reduce_sum(X * w, axis=1)), then Σ aᵢ·xᵢ."""
    scores = (x * w).sum(axis=1)
    a = softmax(scores / temperature)
    return {"scores": scores, "weights": a, "context": (a[:, None] * x).sum(axis=0)}


def seed_000(
    sentence: str = "Tôi thích học AI",
    seed: int = 42,
    dim: int = 4,
    *,
    scale: bool = True,
    temperature: float = 1.0,
    heads: int = 1,
    causal: bool = False,
) -> dict[str, Any]:
    """Seed 000's computation (global ``np.random.seed`` + ``rand`` for E, W_q, W_k, W_v), generalised to
    heads, temperature and a causal mask."""
    words = sentence.split()
    vocab: dict[str, int] = {}
    for w in words:
        vocab.setdefault(w, len(vocab))
    np.random.seed(seed)
    emb = np.random.rand(len(vocab), dim)
    w_q = np.random.rand(dim, dim)
    w_k = np.random.rand(dim, dim)
    w_v = np.random.rand(dim, dim)
    x = np.array([emb[vocab[w]] for w in words])
    q, k, v = np.dot(x, w_q), np.dot(x, w_k), np.dot(x, w_v)
    n, dh = len(words), dim // heads
    out: dict[str, Any] = {"vocab": vocab, "emb": emb, "x": x, "Q": q, "K": k, "V": v, "heads": []}
    outputs = []
    for h in range(heads):
        s = slice(h * dh, (h + 1) * dh)
        scores = np.dot(q[:, s], k[:, s].T)
        scaled = scores / np.sqrt(dh) if scale else scores
        z = scaled / temperature
        if causal:
            z = np.where(np.tril(np.ones((n, n), dtype=bool)), z, -np.inf)
        weights = softmax(z)
        outputs.append(np.dot(weights, v[:, s]))
        out["heads"].append({"scores": scores, "scaled": scaled, "weights": weights})
    out["output"] = np.concatenate(outputs, axis=1)
    return out
