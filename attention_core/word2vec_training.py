"""Word2Vec epoch by epoch: each epoch's loss, snapshots of the vectors, and whether it learned.

:func:`train_epochs` trains exactly as :func:`attention_core.word2vec.train_word2vec` (one gensim
``train`` call, so the learning rate falls as in one go, and the final vectors are bit-identical),
watching every epoch through gensim's callbacks: the loss gensim computes (``compute_loss``), a
snapshot of the vectors, and a chance to stop.

Snapshot limits (:mod:`.limits`): the vectors of at most ``MAX_SNAPSHOT_WORDS`` words (the most
frequent), at most ``MAX_SNAPSHOTS`` snapshots and ``MAX_SNAPSHOT_VALUES`` numbers (float32) per
run; over that, snapshots are taken every few epochs (always epoch 0, the initial vectors, and the
last one). Training time is bounded by ``MAX_TRAINING_PASSES`` (tokens × epochs).

Did it learn? (:func:`check_learning`, thresholds below)

- **change**: how far each word's vector moved from its random start, relative to the start's
  length, ‖v_end − v_0‖ / ‖v_0‖ (median over the words). Below ``LEARNED_MIN_CHANGE`` the vectors
  are indistinguishable from their initial values: their neighbours are the random start's.
- **seed agreement**: the Pearson correlation between the pairwise cosine similarities of the
  same words trained with two seeds (1 = the same similarities, 0 = unrelated). Below
  ``STABLE_MIN_AGREEMENT`` the neighbours change with the seed: they are noise, not meaning.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from gensim.models import Word2Vec
from gensim.models.callbacks import CallbackAny2Vec
from numpy.typing import NDArray

from .limits import MAX_SNAPSHOT_VALUES, MAX_SNAPSHOT_WORDS, MAX_SNAPSHOTS, SEED_LIMIT
from .word2vec import Word2VecParams, checked_corpus, gensim_kwargs, kept_words

Array = NDArray[np.float64]

#: Median relative change from the initial vectors below which a run "learned nothing". Measured
#: (gensim 4.4): the notebook's corpora at the notebook's settings move 0.00-0.07 %; at the
#: user-corpus defaults (:data:`attention_core.word2vec_presets.USER_DEFAULTS`) they move 1,400-3,000 %.
LEARNED_MIN_CHANGE = 0.5
#: Seed agreement below which "the neighbours change with the seed". Measured: -0.2-0.06 at the
#: notebook's settings, 0.63-1.0 at the user-corpus defaults.
STABLE_MIN_AGREEMENT = 0.5

#: Called after every epoch with (epochs done, epochs in all); returning False stops the training.
OnEpoch = Callable[[int, int], "bool | None"]


class _Stopped(Exception):
    """Raised from the epoch callback to leave gensim's training loop (between two epochs)."""


@dataclass(frozen=True)
class TrainingRun:
    """One training, epoch by epoch (all arrays read-only).

    - ``model``: the gensim model (``model.wv[word]``), after ``epochs_done`` epochs
    - ``words`` (v,): the kept words, in first-occurrence order; ``vectors`` (v, d) their final vectors
    - ``change`` (v,): ‖v_end − v_0‖ / ‖v_0‖ for each word
    - ``losses`` (epochs_done,): gensim's training loss of each epoch (a sum over its training pairs)
    - ``snapshot_rows`` (w,): rows of ``words`` that have snapshots (w ≤ ``MAX_SNAPSHOT_WORDS``)
    - ``snapshot_epochs`` (s,): the epochs of the snapshots, 0 (before training) to ``epochs_done``
    - ``snapshots`` (s, w, d) float32: the vectors of those words after those epochs
    - ``epochs_done``: ``params.epochs`` unless stopped early; ``seconds``: the training time
    """

    model: Word2Vec
    params: Word2VecParams
    words: tuple[str, ...]
    vectors: Array
    change: Array
    losses: Array
    snapshot_rows: NDArray[np.intp]
    snapshot_epochs: NDArray[np.intp]
    snapshots: NDArray[np.float32]
    epochs_done: int
    seconds: float

    @property
    def stopped(self) -> bool:
        """True when training stopped before ``params.epochs``."""
        return self.epochs_done < self.params.epochs

    @property
    def snapshot_words(self) -> tuple[str, ...]:
        """The w words that have snapshots, in the order of ``snapshots``' second axis."""
        return tuple(self.words[i] for i in self.snapshot_rows)


def snapshot_plan(epochs: int, n_words: int, dim: int) -> NDArray[np.intp]:
    """The epochs after which to keep a snapshot: 0 and ``epochs`` always, evenly spread between.

    Shapes: -> (s,) increasing, s ≤ min(``MAX_SNAPSHOTS``, ``MAX_SNAPSHOT_VALUES`` // (n_words·dim)), s ≥ 2.
    """
    fit = MAX_SNAPSHOT_VALUES // max(1, n_words * dim)
    count = max(2, min(MAX_SNAPSHOTS, epochs + 1, fit))
    return np.unique(np.round(np.linspace(0, epochs, count)).astype(np.intp))


class _Recorder(CallbackAny2Vec):
    """Loss, snapshots and the stop check of every epoch (gensim calls it between epochs)."""

    def __init__(self, rows: NDArray[np.intp], plan: NDArray[np.intp], total: int, on_epoch: OnEpoch | None):
        self.rows, self.plan, self.total, self.on_epoch = rows, set(plan.tolist()), total, on_epoch
        self.done = 0
        self.cumulative = 0.0
        self.losses: list[float] = []
        self.epochs: list[int] = []
        self.snaps: list[NDArray[np.float32]] = []
        self.initial: NDArray[np.float32] | None = None

    def snap(self, model: Word2Vec) -> None:
        self.epochs.append(self.done)
        self.snaps.append(np.array(model.wv.vectors[self.rows], dtype=np.float32))

    def on_train_begin(self, model: Word2Vec) -> None:
        self.initial = model.wv.vectors.copy()
        self.snap(model)

    def on_epoch_end(self, model: Word2Vec) -> None:
        self.done += 1
        total = float(model.get_latest_training_loss())  # cumulative since train() began
        self.losses.append(total - self.cumulative)
        self.cumulative = total
        if self.done in self.plan:
            self.snap(model)
        if self.on_epoch is not None and self.on_epoch(self.done, self.total) is False and self.done < self.total:
            raise _Stopped


def train_epochs(
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
    on_epoch: OnEpoch | None = None,
) -> TrainingRun:
    """Train like :func:`~attention_core.word2vec.train_word2vec` (same defaults, checks, errors and
    final vectors), recording every epoch; ``on_epoch(done, total)`` returning False stops it early.

    Shapes: m sentences -> a :class:`TrainingRun` with v words, d = ``vector_size``.
    Exceptions raised by ``on_epoch`` (other than returning False) propagate, between two epochs.
    """
    params = Word2VecParams(vector_size, window, min_count, sg, epochs, negative, seed, sample, alpha)
    corpus = checked_corpus(sentences, params)
    start = time.perf_counter()
    model = Word2Vec(**gensim_kwargs(params))  # what Word2Vec(sentences=corpus, ...) does, in two steps
    model.build_vocab(corpus_iterable=corpus)
    words = tuple(kept_words(corpus, min_count))
    rows_in_model = np.array([model.wv.key_to_index[w] for w in words], dtype=np.intp)
    frequent = set(model.wv.index_to_key[:MAX_SNAPSHOT_WORDS])  # gensim sorts by frequency
    snapshot_rows = np.array([i for i, w in enumerate(words) if w in frequent], dtype=np.intp)
    plan = snapshot_plan(epochs, len(snapshot_rows), vector_size)
    rec = _Recorder(rows_in_model[snapshot_rows], plan, epochs, on_epoch)
    try:
        model.train(
            corpus_iterable=corpus,
            total_examples=model.corpus_count,
            total_words=model.corpus_total_words,
            epochs=model.epochs,
            start_alpha=model.alpha,
            end_alpha=model.min_alpha,
            compute_loss=True,
            callbacks=[rec],
        )
    except _Stopped:
        if rec.epochs[-1] != rec.done:
            rec.snap(model)
    seconds = time.perf_counter() - start
    vectors = np.array(model.wv.vectors[rows_in_model], dtype=np.float64)
    assert rec.initial is not None
    initial = rec.initial[rows_in_model].astype(np.float64)
    change = relative_change(initial, vectors)
    arrays = (
        vectors,
        change,
        np.array(rec.losses, dtype=np.float64),
        snapshot_rows,
        np.array(rec.epochs, dtype=np.intp),
        np.stack(rec.snaps),
    )
    for a in arrays:
        a.setflags(write=False)
    return TrainingRun(model, params, words, *arrays, epochs_done=rec.done, seconds=seconds)


# --------------------------------------------------------------------------- measures
def relative_change(initial: Array, final: Array) -> Array:
    """‖final_i − initial_i‖ / ‖initial_i‖ for every row (0 where the start is the zero vector).

    Shapes: (n, d), (n, d) -> (n,).
    """
    a, b = np.asarray(initial, dtype=np.float64), np.asarray(final, dtype=np.float64)
    start = np.linalg.norm(a, axis=1)
    moved = np.linalg.norm(b - a, axis=1)
    return np.divide(moved, start, out=np.zeros_like(moved), where=start > 0)


def _unit(v: Array) -> Array:
    v = np.asarray(v, dtype=np.float64)
    norms = np.linalg.norm(v, axis=-1, keepdims=True)
    return np.divide(v, norms, out=np.zeros_like(v), where=norms > 0)


def similarity_agreement(a: Array, b: Array) -> float | None:
    """Pearson correlation of the pairwise cosine similarities of the same n words in two embeddings.

    Shapes: (n, d1), (n, d2) -> a number in [-1, 1]; None when n < 3 (fewer than 3 pairs) or when
    either side's similarities are all equal (a correlation is then undefined).
    """
    n = len(a)
    if n < 3 or len(b) != n:
        return None
    iu = np.triu_indices(n, 1)
    x, y = (_unit(a) @ _unit(a).T)[iu], (_unit(b) @ _unit(b).T)[iu]
    if np.ptp(x) < 1e-12 or np.ptp(y) < 1e-12:
        return None
    return float(np.clip(np.corrcoef(x, y)[0, 1], -1.0, 1.0))


def pair_cosines(snapshots: NDArray[np.floating], pairs: Sequence[tuple[int, int]]) -> Array:
    """Cosine similarity of word pairs in every snapshot.

    Shapes: snapshots (s, w, d), p pairs of row indices into w -> (s, p).
    """
    u = _unit(np.asarray(snapshots, dtype=np.float64))
    if not pairs:
        return np.zeros((u.shape[0], 0))
    i, j = np.array(pairs, dtype=np.intp).T
    return np.clip(np.einsum("swd,swd->sw", u[:, i], u[:, j]), -1.0, 1.0)


def snapshot_pca(snapshots: NDArray[np.floating], n_components: int = 2) -> Array:
    """Every snapshot on the same principal axes, fitted once on the last snapshot.

    The vectors are scaled to length 1 first (cosine similarity sees only directions), so the random
    start shows as noise around the centre and the words visibly move into groups. Signs follow
    :func:`attention_core.pca` (the last snapshot's projection is ``pca`` of its unit vectors).
    Shapes: (s, w, d) -> (s, w, n_components); missing components (d < n_components) are 0.
    """
    u = _unit(np.asarray(snapshots, dtype=np.float64))
    s, w, d = u.shape
    out = np.zeros((s, w, n_components))
    if w < 2:
        return out
    mean = u[-1].mean(axis=0)
    _, _, vt = np.linalg.svd(u[-1] - mean, full_matrices=False)
    k = min(n_components, vt.shape[0])
    comps = vt[:k]
    signs = np.sign(comps[np.arange(k), np.argmax(np.abs(comps), axis=1)])
    signs[signs == 0] = 1.0
    out[..., :k] = (u - mean) @ (comps * signs[:, None]).T
    return out


def keep_probabilities(counts: Sequence[int], sample: float) -> Array:
    """gensim's downsampling: the probability that one occurrence of each word is used in an epoch.

    t = sample × (sum of ``counts``); a word seen c times is kept with probability
    min(1, (√(c/t) + 1) · t/c); ``sample`` = 0 keeps everything. Shapes: (v,) -> (v,).
    """
    c = np.asarray(counts, dtype=np.float64)
    if not sample or c.size == 0:
        return np.ones_like(c)
    t = float(sample) * c.sum()
    return np.minimum(1.0, (np.sqrt(c / t) + 1.0) * (t / c))


@dataclass(frozen=True)
class Downsampling:
    """What ``sample`` does to a corpus: ``tokens`` kept words, ``used`` of them expected per epoch."""

    tokens: int
    used: float
    once: float  # keep probability of a word seen once (1.0 when none is, or sample = 0)
    most_frequent: str
    most_frequent_count: int
    most_frequent_keep: float


def downsampling(sentences: Sequence[Sequence[str]], params: Word2VecParams) -> Downsampling:
    """How many of the corpus' tokens an epoch is expected to train on, at ``params.sample``.

    Shapes: m sentences -> counts (over the words ``min_count`` keeps).
    """
    counts = Counter(w for s in sentences for w in s)
    words = kept_words(sentences, params.min_count)
    c = [counts[w] for w in words]
    p = keep_probabilities(c, params.sample)
    top = int(np.argmax(c)) if c else 0
    once = next((float(pi) for ci, pi in zip(c, p, strict=True) if ci == 1), 1.0)
    return Downsampling(
        tokens=int(sum(c)),
        used=float(np.dot(c, p)) if c else 0.0,
        once=once,
        most_frequent=words[top] if words else "",
        most_frequent_count=int(c[top]) if c else 0,
        most_frequent_keep=float(p[top]) if c else 1.0,
    )


@dataclass(frozen=True)
class LearningCheck:
    """The verdict of :func:`check_learning` and the numbers behind it.

    ``change``: median relative change from the initial vectors; ``seed_agreement``: similarity
    agreement with ``other_seed`` (None when not measured or undefined).
    """

    change: float
    seed_agreement: float | None
    other_seed: int | None

    @property
    def learned(self) -> bool:
        """False when the vectors are indistinguishable from their random start."""
        return self.change >= LEARNED_MIN_CHANGE

    @property
    def stable(self) -> bool:
        """False when the similarities change with the seed (True when not measured)."""
        return self.seed_agreement is None or self.seed_agreement >= STABLE_MIN_AGREEMENT

    @property
    def meaningful(self) -> bool:
        """The neighbours say something about the corpus: it learned, and the seed does not decide."""
        return self.learned and self.stable


def other_seed(seed: int) -> int:
    """The seed the seed-agreement check compares with: the next one (0 after the largest)."""
    return (int(seed) + 1) % SEED_LIMIT


def check_learning(run: TrainingRun, other: Word2Vec | None = None) -> LearningCheck:
    """Measure ``run``: its median change and, given ``other`` (a model of the same corpus and
    parameters with another seed, e.g. ``train_word2vec(..., seed=other_seed(seed))``), the
    similarity agreement of the two over the words ``run`` has snapshots of."""
    agreement = None
    if other is not None:
        shared = [i for i, w in enumerate(run.snapshot_words) if w in other.wv.key_to_index]
        if shared:
            a = run.vectors[run.snapshot_rows[shared]]
            b = np.array([other.wv[run.snapshot_words[i]] for i in shared], dtype=np.float64)
            agreement = similarity_agreement(a, b)
    change = float(np.median(run.change)) if run.change.size else 0.0
    return LearningCheck(change, agreement, int(other.seed) if other is not None else None)
