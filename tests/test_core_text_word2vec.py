"""Text handling and Word2Vec: normalisation, tokenisation, determinism across processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest

import attention_core as ac
from attention_core import presets as P
from attention_core.errors import EmptyTextError, EmptyVocabularyError, LimitError, UnknownWordError

ROOT = Path(__file__).resolve().parent.parent


def test_composed_and_decomposed_vietnamese_are_one_token() -> None:
    composed = "Tôi thích học AI"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert ac.tokenize(decomposed) == ac.tokenize(composed) == ["Tôi", "thích", "học", "AI"]
    assert len(ac.build_vocab(ac.tokenize(composed + " " + decomposed))) == 4


def test_whitespace_tokenisation_keeps_korean_and_vietnamese_words_whole() -> None:
    assert ac.tokenize("고양이 책 찾고 싶어요") == ["고양이", "책", "찾고", "싶어요"]
    assert ac.tokenize("  Tôi\tthích\n\nhọc  ") == ["Tôi", "thích", "học"]
    assert ac.tokenize("The Quick", lowercase=True) == ["the", "quick"]


def test_zero_width_characters() -> None:
    assert ac.tokenize("a\u200bb") == ["a", "b"]  # zero-width space separates
    assert ac.tokenize("\ufeffab\u2060c") == ["abc"]  # BOM and word joiner vanish
    assert ac.tokenize("👩\u200d💻") == ["👩\u200d💻"]  # ZWJ emoji stays one token


def test_empty_text_and_lines() -> None:
    assert ac.tokenize("   \n\t ") == []
    assert ac.tokenize_lines("a b\n\n  \nc") == [["a", "b"], ["c"]]
    with pytest.raises(EmptyTextError):
        ac.text.require_tokens([])


def test_vocab_first_occurrence_and_cap() -> None:
    assert ac.build_vocab(["b", "a", "b", "c"]) == {"b": 0, "a": 1, "c": 2}
    assert ac.cap(list("abcdef"), 4) == (list("abcd"), True)
    assert ac.cap(list("ab"), 4) == (list("ab"), False)


def _train(preset: P.Word2VecPreset):
    return ac.train_word2vec(ac.tokenize_lines(preset.text, lowercase=preset.lowercase), **preset.params)


@pytest.mark.parametrize("preset", P.WORD2VEC_PRESETS, ids=lambda p: p.id)
def test_word2vec_trains_on_each_seed_corpus(preset: P.Word2VecPreset) -> None:
    model = _train(preset)
    assert model.wv.vector_size == preset.params["vector_size"]
    for w in (preset.query_word, *preset.attend_tokens):
        assert w in model.wv.key_to_index
    x = ac.vectors_for(model, list(preset.attend_tokens))
    r = ac.attention(ac.vectors_for(model, [preset.query_word])[0], x, x, scale=False)
    np.testing.assert_allclose(r.weights.sum(), 1.0)


def test_single_key_example_gives_weight_one() -> None:
    model = _train(P.WORD2VEC_ENGLISH)
    q, k, v = (ac.vectors_for(model, [w]) for w in ("fox", "hare", "squirrel"))
    r = ac.attention(q[0], k, v, scale=False)
    assert r.weights.tolist() == [1.0]
    np.testing.assert_array_equal(r.output, v[0])


_CHILD = """
import json, sys
import attention_core as ac
from attention_core import presets as P
out = {}
for p in P.WORD2VEC_PRESETS:
    m = ac.train_word2vec(ac.tokenize_lines(p.text, lowercase=p.lowercase), **p.params)
    out[p.id] = {"words": list(m.wv.index_to_key), "vectors": m.wv.vectors.tobytes().hex()}
m = ac.train_word2vec([["a", "b", "c"] * 5, ["c", "d"]], vector_size=8, window=2, min_count=1, sg=1, epochs=20, negative=3, seed=7)
out["sg"] = {"words": list(m.wv.index_to_key), "vectors": m.wv.vectors.tobytes().hex()}
# epoch by epoch, with the new parameters (sample, alpha): losses and every snapshot
for p in P.LEARNING_PRESETS:
    for extra in ({}, {"sg": 1, "sample": 0.004, "alpha": 0.2, "epochs": 40}):
        r = ac.train_epochs(ac.tokenize_lines(p.text, lowercase=p.lowercase), **{**p.params, **extra})
        out[p.id + str(extra)] = {
            "words": list(r.words), "losses": r.losses.tobytes().hex(), "snapshots": r.snapshots.tobytes().hex(),
            "epochs": r.snapshot_epochs.tolist(),
        }
json.dump(out, sys.stdout)
"""


def _run_child(hash_seed: str) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    res = subprocess.run(  # `python -c` from the checkout's root imports this checkout's attention_core
        [sys.executable, "-c", _CHILD], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(res.stdout)


def test_word2vec_is_bit_identical_across_processes_with_different_hash_seeds() -> None:
    a, b = _run_child("0"), _run_child("4242")
    assert a == b
    assert len(a) == len(P.WORD2VEC_PRESETS) + 1 + 2 * len(P.LEARNING_PRESETS)
    # and it matches this process too
    model = _train(P.WORD2VEC_ENGLISH)
    assert model.wv.vectors.tobytes().hex() == a["english"]["vectors"]
    run = ac.train_epochs(ac.tokenize_lines(P.WORD2VEC_LEARN_VI.text), **P.USER_DEFAULTS)
    assert run.snapshots.tobytes().hex() == a["learn_vi{}"]["snapshots"]
    assert run.losses.tobytes().hex() == a["learn_vi{}"]["losses"]


def test_word2vec_bad_inputs() -> None:
    with pytest.raises(EmptyTextError):
        ac.train_word2vec([], min_count=1)
    with pytest.raises(EmptyVocabularyError) as e:
        ac.train_word2vec([["a", "b"], ["a"]], min_count=3)
    assert e.value.params == {"min_count": 3, "top": 2}
    with pytest.raises(LimitError):
        ac.train_word2vec([["a"]], min_count=1, vector_size=10_000)
    with pytest.raises(LimitError):
        ac.train_word2vec([["a"]], min_count=1, epochs=0)
    with pytest.raises(LimitError):
        ac.train_word2vec([["a"] * (ac.limits.MAX_CORPUS_TOKENS + 1)], min_count=1)
    model = ac.train_word2vec([["only"]], min_count=1, vector_size=3)
    assert list(model.wv.index_to_key) == ["only"]
    with pytest.raises(UnknownWordError) as u:
        ac.vectors_for(model, ["missing"])
    assert u.value.params == {"word": "missing"}


def test_embedding_space_tools() -> None:
    v = np.array([[1.0, 0.0], [0.0, 2.0], [-1.0, 0.0], [0.0, 0.0]])
    sims = ac.cosine_similarity(v)
    np.testing.assert_allclose(np.diag(sims)[:3], 1.0)
    assert sims[0, 2] == -1.0 and sims[0, 1] == 0.0 and (sims[3] == 0).all()
    assert ac.nearest_neighbours(v, ["a", "b", "c", "z"], "a", topn=2)[0][0] in {"b", "z"}
    p = ac.pca(np.random.default_rng(0).normal(size=(6, 5)), 3)
    assert p.shape == (6, 3)
    np.testing.assert_allclose(p.mean(axis=0), 0, atol=1e-12)
    assert ac.pca(np.ones((1, 4)), 2).tolist() == [[0.0, 0.0]]
