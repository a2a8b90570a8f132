"""The cross-attention lesson's designed vectors (attention_core.cross_presets): translations share
a vector, so with them each English word of the default target attends most to its Vietnamese
translation (checked with plain numpy, not the engine); unknown words are deterministic across
processes whatever PYTHONHASHSEED is."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from attention_core.cross_presets import CROSS_ATTENTION, CROSS_DIM, cross_vectors, word_vector
from attention_core.text import tokenize


def test_translations_share_a_vector() -> None:
    for a, b in (("Tôi", "I"), ("thích", "like"), ("học", "studying"), ("AI", "ai")):
        np.testing.assert_array_equal(word_vector(a), word_vector(b))


def test_each_target_word_attends_most_to_its_translation() -> None:
    src, tgt = tokenize(CROSS_ATTENTION.source), tokenize(CROSS_ATTENTION.target)
    xs, xt = cross_vectors(src), cross_vectors(tgt)
    assert xs.shape == (4, CROSS_DIM) and xt.shape == (4, CROSS_DIM)
    z = xt @ xs.T / np.sqrt(CROSS_DIM)
    w = np.exp(z - z.max(axis=1, keepdims=True))
    w /= w.sum(axis=1, keepdims=True)
    assert list(w.argmax(axis=1)) == [0, 1, 2, 3]
    assert (w.max(axis=1) < 0.99).all()  # something left to read: no one-hot row


def test_unknown_words_are_deterministic_across_processes() -> None:
    code = "from attention_core.cross_presets import word_vector; print(word_vector('xin').tolist())"
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert outs == {str(word_vector("xin").tolist()) + "\n"}
    assert word_vector("xin").shape == (CROSS_DIM,)
