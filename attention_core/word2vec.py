"""Deterministic gensim Word2Vec on tiny corpora, and tools to look at its vectors.

Determinism: gensim draws its initial vectors and negative samples from
``seed``; we also train on one worker thread (thread scheduling would reorder
updates) and give it a hash function that does not depend on
``PYTHONHASHSEED``. The same sentences and parameters then give bit-identical
vectors in any process.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from gensim.models import Word2Vec
from numpy.typing import NDArray

from .embeddings import check_seed
from .errors import EmptyTextError, EmptyVocabularyError, LimitError, UnknownWordError
from .limits import (
    MAX_ALPHA,
    MAX_CORPUS_TOKENS,
    MAX_EPOCHS,
    MAX_NEGATIVE,
    MAX_SAMPLE,
    MAX_TRAINING_PASSES,
    MAX_VECTOR_SIZE,
    MAX_WINDOW,
    MIN_ALPHA,
    SEED_LIMIT,
)

Array = NDArray[np.float64]


def stable_hash(text: str) -> int:
    """CRC-32 of the UTF-8 bytes: the same in every process, unlike ``hash``."""
    return zlib.crc32(text.encode("utf-8"))


@dataclass(frozen=True)
class Word2VecParams:
    """Training parameters, with gensim's defaults (the seeds change some per example).

    ``sample``: downsampling threshold (0 = off): an occurrence of a word seen c times in a
    corpus of N tokens is kept with probability (√(c/t) + 1)·t/c, t = sample·N (at most 1),
    see :func:`attention_core.word2vec_training.keep_probabilities`. ``alpha``: the initial
    learning rate (it falls linearly to gensim's ``min_alpha`` = 0.0001 over the epochs).
    """

    vector_size: int = 100
    window: int = 5
    min_count: int = 5
    sg: int = 0
    epochs: int = 5
    negative: int = 5
    seed: int = 1
    sample: float = 1e-3
    alpha: float = 0.025

    def as_dict(self) -> dict[str, float]:
        """The parameters as keyword arguments of :func:`train_word2vec`."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


#: Every training parameter's range (inclusive): whole numbers here, real numbers in ``REAL_BOUNDS``.
#: The engine enforces them (:func:`check_params`); a page's controls read them from here.
WHOLE_BOUNDS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "vector_size": (1, MAX_VECTOR_SIZE),
        "window": (1, MAX_WINDOW),
        "min_count": (1, MAX_CORPUS_TOKENS),
        "sg": (0, 1),
        "epochs": (1, MAX_EPOCHS),
        "negative": (1, MAX_NEGATIVE),
        "seed": (0, SEED_LIMIT - 1),
    }
)
REAL_BOUNDS: Mapping[str, tuple[float, float]] = MappingProxyType(
    {"sample": (0.0, MAX_SAMPLE), "alpha": (MIN_ALPHA, MAX_ALPHA)}
)


def check_params(params: Word2VecParams) -> None:
    """Raise :class:`LimitError` for a parameter outside its documented range."""
    for name, (lo, hi) in WHOLE_BOUNDS.items():
        if name == "seed":
            continue  # checked below, with numpy's own message
        value = getattr(params, name)
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
            raise LimitError(
                f"{name} must be a whole number from {lo} to {hi} (got {value!r})", name=name, low=lo, limit=hi
            )
    for name, (flo, fhi) in REAL_BOUNDS.items():
        value = getattr(params, name)
        real = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
        if not real or not math.isfinite(float(value)) or not flo <= float(value) <= fhi:
            raise LimitError(
                f"{name} must be a number from {flo} to {fhi} (got {value!r})", name=name, low=flo, limit=fhi
            )
    check_seed(params.seed)


def kept_words(sentences: Sequence[Sequence[str]], min_count: int) -> list[str]:
    """Words that survive ``min_count``, in first-occurrence order.

    Shapes: m sentences -> list of v distinct words.
    """
    counts = Counter(w for s in sentences for w in s)
    return [w for w in dict.fromkeys(w for s in sentences for w in s) if counts[w] >= min_count]


def train_word2vec(
    sentences: Sequence[Sequence[str]],
    *,
    vector_size: int = 100,
    window: int = 5,
    min_count: int = 5,
    sg: int = 0,
    epochs: int = 5,
    negative: int = 5,
    seed: int = 1,
    sample: float = 1e-3,
    alpha: float = 0.025,
) -> Word2Vec:
    """Train gensim Word2Vec deterministically and return the model (``model.wv[word]`` works).

    Shapes: m sentences (lists of tokens) -> model with ``model.wv.vectors`` (v, vector_size).
    Defaults are gensim's, so ``train_word2vec(s, vector_size=4, window=3, min_count=1, sg=0)``
    is the seed's ``Word2Vec(sentences=s, vector_size=4, window=3, min_count=1, sg=0)``.
    ``sample`` (0 to ``MAX_SAMPLE``; 0 = keep every word) and ``alpha`` (``MIN_ALPHA`` to
    ``MAX_ALPHA``) are gensim's too: see :class:`Word2VecParams`.
    Raises :class:`EmptyTextError`, :class:`LimitError` (sizes above :mod:`.limits`: code ``limit``
    {name, low, limit} for a parameter, ``training_budget`` {tokens, epochs, work, limit, max_epochs}
    when tokens × epochs exceeds ``MAX_TRAINING_PASSES``) and :class:`EmptyVocabularyError`
    (``min_count`` removes every word).
    """
    params = Word2VecParams(vector_size, window, min_count, sg, epochs, negative, seed, sample, alpha)
    corpus = checked_corpus(sentences, params)
    return Word2Vec(sentences=corpus, **gensim_kwargs(params))


def gensim_kwargs(params: Word2VecParams) -> dict[str, object]:
    """The keyword arguments of gensim's ``Word2Vec`` for ``params``: one worker, the stable hash."""
    return {
        "vector_size": params.vector_size,
        "window": params.window,
        "min_count": params.min_count,
        "sg": params.sg,
        "epochs": params.epochs,
        "negative": params.negative,
        "seed": params.seed,
        "sample": float(params.sample),
        "alpha": float(params.alpha),
        "workers": 1,
        "hashfxn": stable_hash,
    }


def checked_corpus(sentences: Sequence[Sequence[str]], params: Word2VecParams) -> list[list[str]]:
    """The non-empty sentences as lists, after every check :func:`train_word2vec` documents.

    Shapes: m sentences -> m' ≤ m non-empty sentences.
    """
    check_params(params)
    epochs, min_count = params.epochs, params.min_count
    corpus = [list(s) for s in sentences if len(s) > 0]
    if not corpus:
        raise EmptyTextError("the corpus holds no word: type at least one sentence")
    n_tokens = sum(len(s) for s in corpus)
    if n_tokens > MAX_CORPUS_TOKENS:
        raise LimitError(
            f"the corpus has {n_tokens} tokens; the limit is {MAX_CORPUS_TOKENS}",
            name="tokens",
            low=1,
            limit=MAX_CORPUS_TOKENS,
        )
    if n_tokens * epochs > MAX_TRAINING_PASSES:
        raise LimitError(
            f"{n_tokens} tokens × {epochs} epochs = {n_tokens * epochs} word passes; the limit is {MAX_TRAINING_PASSES}",
            code="training_budget",
            tokens=n_tokens,
            epochs=epochs,
            work=n_tokens * epochs,
            limit=MAX_TRAINING_PASSES,
            max_epochs=max(1, MAX_TRAINING_PASSES // n_tokens),
        )
    if not kept_words(corpus, min_count):
        top = max(Counter(w for s in corpus for w in s).values())
        raise EmptyVocabularyError(
            f"min_count = {min_count} removes every word (the most frequent occurs {top} times)",
            min_count=min_count,
            top=top,
        )
    return corpus


def vectors_for(model: Word2Vec, words: Sequence[str]) -> Array:
    """Stack the vectors of ``words`` (float64 copies; the model is never changed).

    Shapes: n words -> (n, vector_size). Raises :class:`UnknownWordError`.
    """
    for w in words:
        if w not in model.wv.key_to_index:
            raise UnknownWordError(f"{w!r} is not in the trained vocabulary", word=w)
    return np.array([model.wv[w] for w in words], dtype=np.float64)


def cosine_similarity(vectors: Array) -> Array:
    """Pairwise cosine similarity; a zero vector has similarity 0 with everything.

    Shapes: (n, d) -> (n, n), values in [-1, 1].
    """
    v = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(v, axis=1)
    unit = np.divide(v, norms[:, None], out=np.zeros_like(v), where=norms[:, None] > 0)
    return np.clip(unit @ unit.T, -1.0, 1.0)


def nearest_neighbours(vectors: Array, words: Sequence[str], word: str, topn: int = 5) -> list[tuple[str, float]]:
    """The ``topn`` words most cosine-similar to ``word``, best first, ``word`` itself excluded.

    Shapes: vectors (n, d) aligned with n words -> up to ``topn`` (word, similarity) pairs.
    """
    if word not in words:
        raise UnknownWordError(f"{word!r} is not in the trained vocabulary", word=word)
    i = list(words).index(word)
    sims = cosine_similarity(vectors)[i]
    order = [j for j in np.argsort(-sims, kind="stable") if j != i]
    return [(words[j], float(sims[j])) for j in order[:topn]]


def pca(vectors: Array, n_components: int = 2) -> Array:
    """Project onto the top principal components (centred SVD); missing components are 0.

    Shapes: (n, d) -> (n, n_components). Signs are fixed so each component's
    largest-magnitude loading is positive (a stable picture across runs).
    """
    v = np.asarray(vectors, dtype=np.float64)
    centred = v - v.mean(axis=0, keepdims=True)
    out = np.zeros((v.shape[0], n_components))
    if v.shape[0] < 2:
        return out
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    k = min(n_components, vt.shape[0])
    comps = vt[:k]
    signs = np.sign(comps[np.arange(k), np.argmax(np.abs(comps), axis=1)])
    signs[signs == 0] = 1.0
    out[:, :k] = centred @ (comps * signs[:, None]).T
    return out
