"""Golden tests: every deterministic number the seed notebooks print, reproduced by attention_core.

Where the printout stops (seed 000's weights and output), the core is compared with an
independent computation written here with plain numpy, exactly as the notebook writes it.
"""

from __future__ import annotations

import numpy as np
import pytest

import attention_core as ac
from attention_core import presets as P
from tests.golden import assert_matches_printout


# ----------------------------------------------------------------- seed 000 (Vietnamese)
def notebook_000() -> dict[str, np.ndarray]:
    """Seed 000's cells, verbatim in substance (global np.random.seed, rand in its order)."""
    state = np.random.get_state()
    try:
        np.random.seed(42)
        vocab = {"Tôi": 0, "thích": 1, "học": 2, "AI": 3}
        embedding_matrix = np.random.rand(len(vocab), 4)
        input_seq = np.array([embedding_matrix[vocab[w]] for w in ["Tôi", "thích", "học", "AI"]])
        W_q, W_k, W_v = np.random.rand(4, 4), np.random.rand(4, 4), np.random.rand(4, 4)
    finally:
        np.random.set_state(state)
    Q, K, V = np.dot(input_seq, W_q), np.dot(input_seq, W_k), np.dot(input_seq, W_v)
    scores = np.dot(Q, K.T) / np.sqrt(4)
    x_exp = np.exp(scores - np.max(scores, axis=-1, keepdims=True))
    weights = x_exp / np.sum(x_exp, axis=-1, keepdims=True)
    return {"X": input_seq, "Q": Q, "K": K, "V": V, "scores": scores, "weights": weights, "output": weights @ V}


def core_000() -> ac.SelfAttentionResult:
    p = P.STEP_BY_STEP
    tokens = ac.tokenize(p.sentence)
    vocab = ac.build_vocab(tokens)
    tables = ac.random_tables(len(vocab), p.dim, p.seed)
    x = ac.embed(tokens, vocab, tables.embeddings)
    return ac.self_attention(x, tables.w_q, tables.w_k, tables.w_v, scale=p.scale)


def test_seed000_vocabulary_in_first_occurrence_order() -> None:
    assert ac.build_vocab(ac.tokenize(P.STEP_BY_STEP.sentence)) == {"Tôi": 0, "thích": 1, "học": 2, "AI": 3}


@pytest.mark.parametrize("name", ["embeddings", "Q", "K", "V"])
def test_seed000_printed_matrices(name: str) -> None:
    r = core_000()
    actual = {"embeddings": r.x, "Q": r.attention.q, "K": r.attention.k, "V": r.attention.v}[name]
    assert_matches_printout(actual, P.STEP_BY_STEP.printed[name])


def test_seed000_printed_scaled_scores() -> None:
    scaled = core_000().attention.scaled
    assert_matches_printout(scaled[:3], P.STEP_BY_STEP.printed["scaled_scores_rows_0_2"])
    assert_matches_printout(scaled[3, 0], P.STEP_BY_STEP.printed["scaled_scores_row_3_first"])


def test_seed000_guide_reference_numbers() -> None:
    r = core_000().attention
    np.testing.assert_allclose(r.q[0], [1.3841427, 0.93171313, 0.94939871, 0.93588465], atol=5e-9)
    np.testing.assert_allclose(r.scaled[0], [2.32444626, 1.13470157, 2.22122649, 1.56792258], atol=5e-9)


def test_seed000_every_step_is_bit_identical_to_the_notebook() -> None:
    """Beyond the printout: weights and output equal the notebook's own code, bit for bit."""
    nb, r = notebook_000(), core_000()
    a = r.attention
    for ours, theirs in [
        (r.x, nb["X"]),
        (a.q, nb["Q"]),
        (a.k, nb["K"]),
        (a.v, nb["V"]),
        (a.scaled, nb["scores"]),
        (a.weights, nb["weights"]),
        (a.output, nb["output"]),
    ]:
        np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_allclose(a.weights.sum(axis=1), 1.0, rtol=0, atol=1e-15)


def test_seed000_random_tables_leave_numpy_global_state_alone() -> None:
    np.random.seed(7)
    expected = np.random.rand()
    np.random.seed(7)
    ac.random_tables(4, 4, 42)
    assert np.random.rand() == expected


# ----------------------------------------------------------------- seed 002 (Korean)
def test_library_example() -> None:
    p = P.LIBRARY
    r = ac.attention(p.query, p.keys, p.values, scale=p.scale)
    assert_matches_printout(r.scores, p.printed["scores"])
    assert_matches_printout(r.weights, p.printed["weights"], float32=True)
    assert_matches_printout(r.output, p.printed["output"], float32=True)
    assert p.book_labels[0] == "책 1: 고양이 관련 책"


@pytest.mark.parametrize("preset", [P.SELF_ATTENTION_3X3, P.SELF_ATTENTION_5X4], ids=["3x3", "5x4"])
def test_self_attention_examples(preset: P.SelfAttentionPreset) -> None:
    r = ac.self_attention(preset.x, scale=preset.scale).attention
    n = len(preset.x)
    assert r.weights.shape == (n, n)
    assert_matches_printout(r.weights, preset.printed["weights"], float32=True)
    assert_matches_printout(r.output, preset.printed["output"], float32=True)


def test_pooling_example() -> None:
    p = P.POOLING
    r = ac.attention_pooling(p.x, p.w)
    assert_matches_printout(r.weights, p.printed["weights"], float32=True)
    assert_matches_printout(r.context, p.printed["context"], float32=True)
    np.testing.assert_allclose(r.contributions.sum(axis=0), r.context)


def test_scaled_dot_product_function_example() -> None:
    p = P.SCALED_DOT_PRODUCT
    r = ac.attention(p.query, p.keys, p.values, scale=p.scale)
    assert r.scale_divisor == np.sqrt(3)
    assert_matches_printout(r.weights, p.printed["weights"])
    assert_matches_printout(r.output, p.printed["output"])


def test_scaled_dot_product_matches_the_notebook_function() -> None:
    """The seed's own function (no max subtraction) agrees with our stable softmax."""
    p = P.SCALED_DOT_PRODUCT
    query, key, value = (np.array(m, dtype=float) for m in (p.query, p.keys, p.values))
    scores = np.dot(query, key.T) / np.sqrt(key.shape[-1])
    weights = np.exp(scores) / np.sum(np.exp(scores), axis=-1, keepdims=True)
    r = ac.attention(query, key, value)
    np.testing.assert_allclose(r.weights, weights, rtol=1e-15)
    np.testing.assert_allclose(r.output, weights @ value, rtol=1e-15)


def test_single_key_softmax_is_one() -> None:
    """The seed's fox/hare example: softmax over one score is always exactly 1."""
    for score in (-0.010478445, 0.0, 1e300, -1e300):
        r = ac.attention(np.array([score]), np.array([[1.0]]), np.array([[-0.04335568, 0.16771552]]), scale=False)
        assert r.weights.tolist() == [1.0]
        np.testing.assert_array_equal(r.output, [-0.04335568, 0.16771552])


def test_word2vec_presets_use_the_notebook_calls() -> None:
    eng = P.WORD2VEC_ENGLISH
    assert ac.tokenize_lines(eng.text, lowercase=True)[0] == [
        "the",
        "quick",
        "brown",
        "fox",
        "jumps",
        "over",
        "the",
        "lazy",
        "dog",
    ]
    assert dict(eng.params) == {
        "vector_size": 4,
        "window": 3,
        "min_count": 1,
        "sg": 0,
        "epochs": 5,
        "negative": 5,
        "seed": 1,
        "sample": 0.001,  # gensim's defaults: the notebook passed neither
        "alpha": 0.025,
    }
    for preset in P.NOTEBOOK_WORD2VEC_PRESETS:
        assert (preset.params["sample"], preset.params["alpha"], preset.params["epochs"]) == (0.001, 0.025, 5)
    assert ac.tokenize_lines(P.WORD2VEC_KOREAN_CAT.text)[0] == ["고양이", "책", "찾고", "싶어요"]
    assert P.WORD2VEC_KOREAN_FRUIT.attend_tokens == ("나는", "사과를", "좋아해")
