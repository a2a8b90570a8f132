"""Cached Word2Vec training for the Word2Vec lab, epoch by epoch, with a counter tests can read.

One training per (sentences, parameters), shared by every session: the trained models live in a
store that is itself an ``st.cache_resource`` (so the app's "Clear cache" empties it), keyed by the
token tuple and the parameters, least recently used first out beyond ``MAX_CACHED_MODELS``. A
model is never changed after training. Training is not a ``st.cache_resource`` function of its
own because the page draws a progress bar and a stop button *while* it trains: elements drawn
inside a cached function are replayed on every cache hit, and replaying them into a container
made outside the function fails (``CacheReplayClosureError``).

``train_cached`` trains the model, then the same corpus and parameters with the next seed (the
honesty check: do the neighbours depend on the seed?); ``on_epoch`` sees both as one run of
2 × epochs. A training stopped early (``on_epoch`` returned False) is returned, never cached.
``TRAINING_RUNS`` counts the models really trained in this process: a cache hit does not change it.

Fairness on a shared server: at most ``TRAINING_SLOTS`` trainings run at once in this process
(a semaphore around the gensim calls; the others wait their turn, each bounded by the
tokens × epochs budget of ``attention_core.limits``). Training holds a core, so ten students
pressing "train" together would otherwise share one core ten ways and slow every other
student's slider reruns with them. ``ATTENTION_LAB_TRAINING_SLOTS`` sets the number
(default 1; 0 = unbounded, for benchmarks). ``PEAK_TRAINING`` is the most that ran at once.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import streamlit as st
from gensim.models import Word2Vec
from numpy.typing import NDArray

from attention_core import (
    LearningCheck,
    TrainingRun,
    Word2VecParams,
    check_learning,
    other_seed,
    snapshot_pca,
    train_epochs,
)

#: Stopped trainings kept for the session that stopped them (the run that trained one is being
#: stopped, so it cannot hand it over through ``st.session_state``: the next run finds it here).
MAX_STOPPED_MODELS = 16
#: Models kept in memory. Each holds at most 4 MB of snapshots (``attention_core.limits``) and
#: its gensim model (two v × d float32 tables: at most 4 MB at 5,000 words × 100 numbers).
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


@contextmanager
def _training_slot() -> Iterator[None]:
    """Wait for a free training slot (see the module's docstring), count it while it is held."""
    global _ACTIVE, PEAK_TRAINING
    with _SLOTS if _SLOTS is not None else nullcontext():
        with _LOCK:
            _ACTIVE += 1
            PEAK_TRAINING = max(PEAK_TRAINING, _ACTIVE)
        try:
            yield
        finally:
            with _LOCK:
                _ACTIVE -= 1


Sentences = tuple[tuple[str, ...], ...]
Key = tuple[Sentences, Word2VecParams]
#: (epochs done, epochs in all) over both trainings; returning False stops.
Progress = Callable[[int, int], "bool | None"]


@dataclass(frozen=True)
class TrainedModel:
    """A training and what the page reads from it (all read-only).

    - ``run``: the :class:`~attention_core.TrainingRun` (losses, snapshots, the model)
    - ``check``: did it learn (change from the start, agreement with the next seed)
    - ``other_vectors`` (w, d): the snapshot words' vectors trained with the next seed (None when
      not trained: stopped before)
    - ``seconds``: both trainings together
    """

    run: TrainingRun
    check: LearningCheck
    other_vectors: NDArray[np.float64] | None
    seconds: float

    @property
    def model(self) -> Word2Vec:
        """The gensim model (never change it: it is shared through the cache)."""
        return self.run.model

    @property
    def words(self) -> tuple[str, ...]:
        """The v kept words, in first-occurrence order in the corpus."""
        return self.run.words

    @property
    def vectors(self) -> NDArray[np.float64]:
        """(v, vector_size): the final vectors of ``words``, float64, not writeable."""
        return self.run.vectors

    @cached_property
    def index(self) -> dict[str, int]:
        """Row of each word in ``vectors`` (built once per model: pages test membership in loops)."""
        return {w: i for i, w in enumerate(self.words)}

    @cached_property
    def snapshot_index(self) -> dict[str, int]:
        """Column of each snapshot word in ``run.snapshots`` (the words the plots can show)."""
        return {w: i for i, w in enumerate(self.run.snapshot_words)}

    @cached_property
    def projection(self) -> NDArray[np.float64]:
        """(s, w, 3): every snapshot on three principal axes fitted once on the final (unit) vectors."""
        p = snapshot_pca(self.run.snapshots, 3)
        p.setflags(write=False)
        return p


class _Store:
    """Trained models by key, least recently used dropped first; one training per key at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[Key, TrainedModel] = OrderedDict()
        self._training: dict[Key, threading.Lock] = {}
        self._stopped: OrderedDict[tuple[str, Key], TrainedModel] = OrderedDict()

    def get(self, key: Key) -> TrainedModel | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def get_or_make(
        self, key: Key, make: Callable[[], TrainedModel], on_stopped: Callable[[TrainedModel], None] | None = None
    ) -> TrainedModel:
        """The cached model, or ``make()`` (cached unless stopped; a stopped one goes to ``on_stopped``
        before anyone else may train this key). Another session or run asking for the same key
        meanwhile waits for this training instead of training it twice."""
        with self._lock:
            lock = self._training.setdefault(key, threading.Lock())
        with lock:
            item = self.get(key)
            if item is not None:
                return item
            try:
                item = make()
                if item.run.stopped or item.other_vectors is None:
                    if on_stopped is not None:
                        on_stopped(item)
                    return item
            finally:
                with self._lock:
                    self._training.pop(key, None)
            with self._lock:
                self._items[key] = item
                while len(self._items) > MAX_CACHED_MODELS:
                    self._items.popitem(last=False)
            return item

    def wait(self, key: Key) -> None:
        """Return once no training of ``key`` is running (at once when none is)."""
        with self._lock:
            lock = self._training.get(key)
        if lock is not None:
            with lock:
                pass

    def keep_stopped(self, owner: str, key: Key, item: TrainedModel) -> None:
        with self._lock:
            self._stopped[(owner, key)] = item
            self._stopped.move_to_end((owner, key))
            while len(self._stopped) > MAX_STOPPED_MODELS:
                self._stopped.popitem(last=False)

    def stopped(self, owner: str, key: Key) -> TrainedModel | None:
        with self._lock:
            return self._stopped.get((owner, key))

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._stopped.clear()

    def __len__(self) -> int:
        return len(self._items)


@st.cache_resource(show_spinner=False)
def _store() -> _Store:
    return _Store()


def cached_model(sentences: Sentences, params: Word2VecParams) -> TrainedModel | None:
    """The model already trained for these sentences and parameters, if any (never trains)."""
    return _store().get((sentences, params))


def train_cached(
    sentences: Sentences,
    params: Word2VecParams,
    on_epoch: Progress | None = None,
    on_stopped: Callable[[TrainedModel], None] | None = None,
) -> TrainedModel:
    """Train (deterministically, and with the next seed for the honesty check) or return the cached model.

    A training ``on_epoch`` stopped is returned, not cached, and handed to ``on_stopped`` first
    (while no other run may train the same key: see :func:`wait_for_training`).
    Raises the core's :class:`~attention_core.errors.AttentionLabError` subclasses (errors are
    not cached), and whatever ``on_epoch`` raises.
    """
    return _store().get_or_make((sentences, params), lambda: _train(sentences, params, on_epoch), on_stopped)


def wait_for_training(sentences: Sentences, params: Word2VecParams) -> None:
    """Wait until no run is training these sentences and parameters (e.g. one being stopped)."""
    _store().wait((sentences, params))


def keep_stopped(owner: str, sentences: Sentences, params: Word2VecParams, item: TrainedModel) -> None:
    """Keep a stopped training for ``owner`` (a session's token), the last ``MAX_STOPPED_MODELS`` in all."""
    _store().keep_stopped(owner, (sentences, params), item)


def stopped_model(owner: str, sentences: Sentences, params: Word2VecParams) -> TrainedModel | None:
    """The training of these sentences and parameters that ``owner`` stopped, if kept."""
    return _store().stopped(owner, (sentences, params))


def _train(sentences: Sentences, params: Word2VecParams, on_epoch: Progress | None) -> TrainedModel:
    global TRAINING_RUNS
    start = time.perf_counter()
    epochs = params.epochs
    corpus = [list(s) for s in sentences]

    def first(done: int, total: int) -> bool | None:
        return None if on_epoch is None else on_epoch(done, 2 * total)

    def second(done: int, total: int) -> bool | None:
        return None if on_epoch is None else on_epoch(epochs + done, 2 * total)

    with _training_slot():
        run = train_epochs(corpus, **params.as_dict(), on_epoch=first)
    with _LOCK:
        TRAINING_RUNS += 1
    other_vectors = None
    check = check_learning(run)
    if not run.stopped:
        with _training_slot():
            other = train_epochs(corpus, **{**params.as_dict(), "seed": other_seed(params.seed)}, on_epoch=second)
        if not other.stopped:
            check = check_learning(run, other.model)
            other_vectors = np.array([other.model.wv[w] for w in run.snapshot_words], dtype=np.float64)
            other_vectors.setflags(write=False)
    return TrainedModel(run, check, other_vectors, time.perf_counter() - start)


def train_word2vec(sentences: Sequence[Sequence[str]], **params: Any) -> Word2Vec:
    """:func:`attention_core.train_word2vec` through this cache: the model the page trained for these
    sentences and parameters (bit-identical vectors: ``train_epochs`` trains the same model), or one
    trained now under the same slot semaphore and kept for the page. What the exports run (the
    Word2Vec recipe's ``ac.train_word2vec``), so a download never trains outside the cache and the
    slots. Raises what :func:`train_cached` raises."""
    key = tuple(tuple(s) for s in sentences)
    return train_cached(key, Word2VecParams(**params)).model


def clear_cache() -> None:
    """Forget every trained model (tests start from an empty cache)."""
    _store().clear()


def training_runs() -> int:
    """How many models ``train_cached`` has trained in this process (cache hits and seed checks excluded)."""
    return TRAINING_RUNS
