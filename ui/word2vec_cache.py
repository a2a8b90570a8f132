"""Cached Word2Vec training for the Word2Vec lab, with a counter tests can read.

``train_cached`` trains once per (sentences, parameters) and keeps the result in
``st.cache_resource`` (shared by every session, so it is never changed after
training). ``TRAINING_RUNS`` counts the models really trained in this process:
a cache hit does not change it.

Fairness on a shared server: at most ``TRAINING_SLOTS`` trainings run at once in this process
(a semaphore around the gensim call; the others wait their turn, each bounded by the
tokens × epochs budget of ``attention_core.limits``). Training holds a core, so ten students
pressing "train" together would otherwise share one core ten ways and slow every other
student's slider reruns with them. ``ATTENTION_LAB_TRAINING_SLOTS`` sets the number
(default 1; 0 = unbounded, for benchmarks). ``PEAK_TRAINING`` is the most that ran at once.
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import streamlit as st
from gensim.models import Word2Vec
from numpy.typing import NDArray

from attention_core import kept_words, train_word2vec, vectors_for

#: Models kept in memory (each is a few KB for classroom corpora).
MAX_CACHED_MODELS = 32

TRAINING_RUNS = 0
_LOCK = threading.Lock()


def _slots() -> int:
    try:
        return max(0, int(os.environ.get("ATTENTION_LAB_TRAINING_SLOTS", "1")))
    except ValueError:
        return 1


#: Trainings that may run at once in this process (0 = no bound).
TRAINING_SLOTS = _slots()
_SLOTS = threading.BoundedSemaphore(TRAINING_SLOTS) if TRAINING_SLOTS else None
_ACTIVE = 0
PEAK_TRAINING = 0

Sentences = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class TrainedModel:
    """A trained model and what the page reads from it (all read-only).

    - ``model``: the gensim model (never change it: it is shared through the cache)
    - ``words``: the v kept words, in first-occurrence order in the corpus
    - ``vectors`` (v, vector_size): their vectors, float64, not writeable
    - ``seconds``: how long training took
    """

    model: Word2Vec
    words: tuple[str, ...]
    vectors: NDArray[np.float64]
    seconds: float

    @cached_property
    def index(self) -> dict[str, int]:
        """Row of each word in ``vectors`` (built once per model: pages test membership in loops)."""
        return {w: i for i, w in enumerate(self.words)}


@st.cache_resource(max_entries=MAX_CACHED_MODELS, show_spinner=False)
def train_cached(
    sentences: Sentences,
    vector_size: int,
    window: int,
    min_count: int,
    sg: int,
    epochs: int,
    negative: int,
    seed: int,
) -> TrainedModel:
    """Train (deterministically) or return the cached model for these sentences and parameters.

    Raises the core's :class:`~attention_core.errors.AttentionLabError` subclasses
    (errors are not cached).
    """
    global TRAINING_RUNS, _ACTIVE, PEAK_TRAINING
    with _SLOTS if _SLOTS is not None else nullcontext():
        with _LOCK:
            _ACTIVE += 1
            PEAK_TRAINING = max(PEAK_TRAINING, _ACTIVE)
        try:
            start = time.perf_counter()
            model = train_word2vec(
                [list(s) for s in sentences],
                vector_size=vector_size,
                window=window,
                min_count=min_count,
                sg=sg,
                epochs=epochs,
                negative=negative,
                seed=seed,
            )
            seconds = time.perf_counter() - start
        finally:
            with _LOCK:
                _ACTIVE -= 1
    words = tuple(kept_words(sentences, min_count))
    vectors = vectors_for(model, words)
    vectors.setflags(write=False)
    with _LOCK:
        TRAINING_RUNS += 1
    return TrainedModel(model, words, vectors, seconds)


def training_runs() -> int:
    """How many models ``train_cached`` has trained in this process (cache hits excluded)."""
    return TRAINING_RUNS
