"""Predict, then reveal: questions about attention, generated from the live numbers.

A demonstration teaches more when the learner predicts first. The engine decides *what* to ask,
from the numbers the learner is looking at, so a question is right for any sentence or edit; a
user interface only words it and draws the choices. A question without one clear answer is never
asked (:data:`MIN_GAP`).

Kinds of question (:attr:`Question.kind`):

- ``"top_key"``: which key will query row ``row`` attend to most? The answer is the row's largest
  weight; not asked when the two largest weights are within ``MIN_GAP``.
- ``"estimate"``: about how much weight will row ``row`` give key ``key``? The answer is that
  weight, in [0, 1]; a guess within :data:`TOLERANCE` counts as right.
- ``"direction"``: if a control changes (:class:`Change`: the temperature lowered, √d_k turned off,
  the causal mask turned on), will row ``row`` get sharper or flatter (its entropy falls or rises),
  and which weight will grow most? Not asked when the entropy moves by less than
  :data:`MIN_ENTROPY_CHANGE` or the two largest growths are within ``MIN_GAP``.
- ``"nearest"`` (Word2Vec): which of the candidate words will end up nearest (cosine) to word
  ``row``? Not asked when the two best cosines are within ``MIN_GAP``.

Every question carries the numbers its reveal explains itself with (the row's scores and weights,
and for a direction question the weights after the change), as plain floats: a question is a
small JSON document (:meth:`Question.to_dict`), which a class shares through its database.

    >>> import numpy as np
    >>> from attention_core import attention
    >>> r = attention([[1., 0., 1.]], [[1., .5, 1.], [.5, 1., .5], [0., .5, 1.]],
    ...               [[10., 0., 5.], [1., 2., 3.], [0., .5, 1.]], scale=False)
    >>> q = top_key_question(r.scores, r.weights, row=0)
    >>> q.kind, q.answer_key, round(q.weights[0], 4)
    ('top_key', 0, 0.5761)
    >>> grade(q, 0).correct
    True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .attention import as_matrix, softmax
from .dk_experiment import row_entropy

#: Two weights (or cosines, or growths) closer than this are too close to call: no question.
MIN_GAP = 0.01
#: An estimate within this of the true weight counts as right.
TOLERANCE = 0.1
#: A change of the row's entropy (nats) smaller than this is neither sharper nor flatter: no question.
MIN_ENTROPY_CHANGE = 1e-3
#: The kinds, in the order a lesson cycles through them (round 0 asks "top_key" when it can).
KINDS = ("top_key", "estimate", "direction")
#: Directions a row can take.
SHARPER, FLATTER = "sharper", "flatter"


@dataclass(frozen=True)
class Change:
    """A change of one control that a direction question asks about.

    ``control``: ``"temperature"`` (``to`` the new temperature), ``"scale"`` (``to`` False: √d_k
    off, True: on) or ``"causal"`` (``to`` True: the causal mask on, False: off).
    """

    control: str
    to: float | bool
    before: float | bool | None = None  # the control's value before (a question fills it in)

    def __post_init__(self) -> None:
        if self.control not in ("temperature", "scale", "causal"):
            raise ValueError(f"unknown control {self.control!r}")


@dataclass(frozen=True)
class Setting:
    """How one row's scores become weights: ``softmax(scores / divisor / temperature)`` over the
    keys where ``keep`` is True (None: every key). ``d_k`` is the key width (√d_k is the divisor
    when scaling is on); ``causal_row``: the row's position when a causal mask may apply.
    """

    d_k: int
    scale: bool = True
    temperature: float = 1.0
    causal: bool = False

    @property
    def divisor(self) -> float:
        return math.sqrt(self.d_k) if self.scale else 1.0

    def after(self, change: Change) -> Setting:
        """This setting with ``change`` applied."""
        if change.control == "temperature":
            return replace(self, temperature=float(change.to))
        if change.control == "scale":
            return replace(self, scale=bool(change.to))
        return replace(self, causal=bool(change.to))


@dataclass(frozen=True)
class Question:
    """One question about a row of attention (see the module's docstring for the kinds).

    - ``row``: the query (or, for ``"nearest"``, the word) asked about; ``key``: the key an
      estimate asks about; ``change``: what a direction question changes.
    - ``choices``: the keys (words) the learner may pick, in key order.
    - the answer: ``answer_key`` (top key, nearest word, and the weight that grows most in a
      direction question), ``answer_value`` (an estimate's weight) and ``answer_trend``
      (``"sharper"`` or ``"flatter"``).
    - the numbers a reveal explains with: ``scores`` and ``weights`` of the row (for
      ``"nearest"``: the cosines with the candidates, in ``scores``), ``after`` (the weights after a
      direction question's change) and ``entropy`` / ``entropy_after`` (nats).
    """

    kind: str
    row: int
    choices: tuple[int, ...]
    scores: tuple[float, ...]
    weights: tuple[float, ...]
    key: int | None = None
    change: Change | None = None
    answer_key: int | None = None
    answer_value: float | None = None
    answer_trend: str | None = None
    after: tuple[float, ...] = ()
    entropy: float | None = None
    entropy_after: float | None = None
    runner_up: int | None = None  # the second best key (top key, nearest): the reveal names the gap

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (floats stay floats, tuples become lists); :meth:`from_dict` reads it."""
        d = asdict(self)
        d["change"] = None if self.change is None else asdict(self.change)
        for name in ("choices", "scores", "weights", "after"):
            d[name] = list(d[name])
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Question:
        """The inverse of :meth:`to_dict` (``ValueError`` for anything that is not a question)."""
        try:
            change = d.get("change")
            kind = str(d["kind"])
            if kind not in (*KINDS, "nearest"):
                raise ValueError(f"unknown kind {kind!r}")
            return cls(
                kind=kind,
                row=int(d["row"]),
                choices=tuple(int(c) for c in d["choices"]),
                scores=tuple(float(x) for x in d["scores"]),
                weights=tuple(float(x) for x in d["weights"]),
                key=None if d.get("key") is None else int(d["key"]),
                change=None if change is None else Change(str(change["control"]), change["to"], change.get("before")),
                answer_key=None if d.get("answer_key") is None else int(d["answer_key"]),
                answer_value=None if d.get("answer_value") is None else float(d["answer_value"]),
                answer_trend=None if d.get("answer_trend") is None else str(d["answer_trend"]),
                after=tuple(float(x) for x in d.get("after") or ()),
                entropy=None if d.get("entropy") is None else float(d["entropy"]),
                entropy_after=None if d.get("entropy_after") is None else float(d["entropy_after"]),
                runner_up=None if d.get("runner_up") is None else int(d["runner_up"]),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a question: {exc}") from exc


@dataclass(frozen=True)
class Verdict:
    """How a guess fared: ``correct``; ``error`` = |guess − truth| for an estimate; for a direction
    question, whether the trend and the growing key were each right."""

    correct: bool
    error: float | None = None
    trend_correct: bool | None = None
    key_correct: bool | None = None


# --------------------------------------------------------------------------- helpers
def entropy(weights: ArrayLike) -> float:
    """Shannon entropy of one row of weights, in nats (0 for one-hot, ln n for uniform):
    :func:`attention_core.dk_experiment.row_entropy` of one row.

    Shapes: (n,) -> float.
    """
    return float(row_entropy(as_matrix(weights, "weights", ndim=(1,))))


def row_weights(scores: ArrayLike, setting: Setting, row: int = 0) -> np.ndarray:
    """One row's weights under ``setting``: the causal mask (if on) hides keys after ``row``.

    Shapes: scores (n_k,) -> (n_k,), summing to 1.
    """
    s = as_matrix(scores, "scores", ndim=(1,))
    z = s / setting.divisor
    if setting.causal:
        z = np.where(np.arange(s.shape[0]) <= row, z, -np.inf)
    return softmax(z, temperature=setting.temperature)


def _two_best(values: np.ndarray, among: Sequence[int]) -> tuple[int, int | None, float]:
    """The index of the largest value among ``among``, the runner-up and their gap (inf if alone)."""
    order = sorted(among, key=lambda i: (-values[i], i))
    if len(order) == 1:
        return order[0], None, math.inf
    return order[0], order[1], float(values[order[0]] - values[order[1]])


def _row(a: ArrayLike, row: int, name: str) -> np.ndarray:
    m = as_matrix(a, name, ndim=(1, 2))
    m = np.atleast_2d(m)
    if not 0 <= row < m.shape[0]:
        raise ValueError(f"row {row} is outside {name} with {m.shape[0]} rows")
    return m[row]


def _floats(v: np.ndarray) -> tuple[float, ...]:
    return tuple(float(x) for x in v)


# --------------------------------------------------------------------------- the kinds
def top_key_question(scores: ArrayLike, weights: ArrayLike, row: int = 0, *, min_gap: float = MIN_GAP) -> Question | None:
    """ "Which key will row ``row`` attend to most?", or None when the two largest weights are within
    ``min_gap`` (or there is one key only: nothing to choose).

    Shapes: scores, weights (n_q, n_k) or (n_k,) for one query.
    """
    s, w = _row(scores, row, "scores"), _row(weights, row, "weights")
    if s.shape != w.shape:
        raise ValueError("scores and weights must have the same shape")
    if w.shape[0] < 2:
        return None
    best, second, gap = _two_best(w, range(w.shape[0]))
    if gap < min_gap:
        return None
    return Question(
        kind="top_key",
        row=row,
        choices=tuple(range(w.shape[0])),
        scores=_floats(s),
        weights=_floats(w),
        answer_key=best,
        runner_up=second,
    )


def estimate_question(scores: ArrayLike, weights: ArrayLike, row: int = 0, key: int = 0) -> Question:
    """ "About how much weight will row ``row`` give key ``key``?" (always answerable: the weight).

    Shapes: scores, weights (n_q, n_k) or (n_k,).
    """
    s, w = _row(scores, row, "scores"), _row(weights, row, "weights")
    if not 0 <= key < w.shape[0]:
        raise ValueError(f"key {key} is outside the row's {w.shape[0]} keys")
    return Question(
        kind="estimate",
        row=row,
        key=key,
        choices=tuple(range(w.shape[0])),
        scores=_floats(s),
        weights=_floats(w),
        answer_value=float(w[key]),
    )


def direction_question(
    scores: ArrayLike,
    setting: Setting,
    change: Change,
    row: int = 0,
    *,
    min_gap: float = MIN_GAP,
) -> Question | None:
    """ "If ``change`` happens, will row ``row`` get sharper or flatter, and which weight grows most?"

    ``scores`` are the row's raw scores q·k (before scaling and temperature); ``setting`` is how
    they become weights now. None when the change leaves the row (almost) as it is, or when the
    two largest growths are within ``min_gap``.

    Shapes: scores (n_q, n_k) or (n_k,).
    """
    s = _row(scores, row, "scores")
    before = row_weights(s, setting, row)
    after = row_weights(s, setting.after(change), row)
    h0, h1 = entropy(before), entropy(after)
    if abs(h1 - h0) < MIN_ENTROPY_CHANGE:
        return None
    growth = after - before
    best, _, gap = _two_best(growth, range(s.shape[0]))
    if growth[best] <= 0 or gap < min_gap:
        return None
    before_value = {"temperature": setting.temperature, "scale": setting.scale, "causal": setting.causal}
    return Question(
        kind="direction",
        row=row,
        change=replace(change, before=before_value[change.control]),
        choices=tuple(range(s.shape[0])),
        scores=_floats(s),
        weights=_floats(before),
        after=_floats(after),
        answer_key=best,
        answer_trend=SHARPER if h1 < h0 else FLATTER,
        entropy=h0,
        entropy_after=h1,
    )


def nearest_question(
    vectors: ArrayLike, row: int, candidates: Sequence[int], *, min_gap: float = MIN_GAP
) -> Question | None:
    """ "Which of ``candidates`` will end up nearest to word ``row``?" by cosine similarity of the
    trained ``vectors``; None when there are fewer than two candidates or the two best cosines are
    within ``min_gap``. ``scores`` holds each candidate's cosine (in the order of ``candidates``,
    which are the choices); ``answer_key`` is a word index.

    Shapes: vectors (n_words, d).
    """
    v = as_matrix(vectors, "vectors", ndim=(2,))
    if not 0 <= row < v.shape[0]:
        raise ValueError(f"word {row} is outside the {v.shape[0]} words")
    cands = [int(c) for c in dict.fromkeys(candidates) if c != row]
    if any(not 0 <= c < v.shape[0] for c in cands):
        raise ValueError("a candidate is outside the words")
    if len(cands) < 2:
        return None
    norms = np.linalg.norm(v, axis=1)
    norms[norms == 0] = 1.0
    unit = v / norms[:, np.newaxis]
    cos = unit[cands] @ unit[row]
    pos_best, pos_second, gap = _two_best(cos, range(len(cands)))
    if gap < min_gap:
        return None
    return Question(
        kind="nearest",
        row=row,
        choices=tuple(cands),
        scores=_floats(cos),
        weights=(),
        answer_key=cands[pos_best],
        runner_up=None if pos_second is None else cands[pos_second],
    )


# --------------------------------------------------------------------------- choosing and grading
def ask(
    scores: ArrayLike,
    weights: ArrayLike,
    setting: Setting,
    *,
    round: int = 0,
    focus_row: int = 0,
    changes: Sequence[Change] = (),
    kinds: Sequence[str] = KINDS,
    mask: ArrayLike | None = None,
) -> Question | None:
    """The question of ``round`` (0, 1, 2, …) about these weights, or None when nothing fair can
    be asked.

    Round r asks ``kinds[r % len(kinds)]`` about row ``(focus_row + r // len(kinds)) % n_q``; where it
    would be ambiguous, the same kind about the next row, and only when no row has a clear answer,
    the next kind. So round 0 asks "top key" about ``focus_row`` whenever that is clear, and a top
    key question about another row before any other kind. An estimate asks about key
    ``(row + r) % n_k`` (a masked key is fair: its weight is exactly 0). A direction question
    tries each of ``changes`` in turn (none given: no direction question). ``mask`` (bool,
    broadcastable to the weights): keys a row may not see are never a top-key answer (their
    weight is 0) and are not offered as a top-key choice.

    Shapes: scores, weights (n_q, n_k) or (n_k,); ``scores`` are the raw q·k.
    """
    s = np.atleast_2d(as_matrix(scores, "scores", ndim=(1, 2)))
    w = np.atleast_2d(as_matrix(weights, "weights", ndim=(1, 2)))
    if s.shape != w.shape:
        raise ValueError("scores and weights must have the same shape")
    if round < 0:
        raise ValueError("round must be >= 0")
    n_q, n_k = w.shape
    keep = None if mask is None else np.broadcast_to(np.asarray(mask, dtype=bool), w.shape)
    n_kinds = len(kinds)
    start = (focus_row + round // n_kinds) % n_q
    for j in range(n_kinds):  # the round's kind on any row first, then the next kind
        kind = kinds[(round + j) % n_kinds]
        for shift in range(n_q):
            row = (start + shift) % n_q
            q = _one(kind, s, w, setting, row, round, changes)
            if q is not None and kind == "top_key" and keep is not None:
                allowed = tuple(int(i) for i in np.flatnonzero(keep[row]))
                q = replace(q, choices=allowed) if len(allowed) >= 2 else None
            if q is not None:
                return q
    return None


def _one(
    kind: str, s: np.ndarray, w: np.ndarray, setting: Setting, row: int, round: int, changes: Sequence[Change]
) -> Question | None:
    if kind == "top_key":
        return top_key_question(s, w, row)
    if kind == "estimate":
        return estimate_question(s, w, row, (row + round) % w.shape[1])
    if kind == "direction":
        for change in changes:
            q = direction_question(s, setting, change, row)
            if q is not None:
                return q
        return None
    raise ValueError(f"unknown kind {kind!r}")


def grade(question: Question, guess: Any) -> Verdict:
    """How ``guess`` fares: a key index (top key, nearest), a number in [0, 1] (estimate) or a pair
    ``(trend, key)`` (direction: both must be right)."""
    if question.kind in ("top_key", "nearest"):
        return Verdict(correct=int(guess) == question.answer_key)
    if question.kind == "estimate":
        g = float(guess)
        if not math.isfinite(g):
            raise ValueError("an estimate must be a finite number")
        err = abs(g - float(question.answer_value or 0.0))
        return Verdict(correct=err <= TOLERANCE + 1e-12, error=err)
    if question.kind == "direction":
        trend, key = guess
        trend_ok, key_ok = trend == question.answer_trend, int(key) == question.answer_key
        return Verdict(correct=trend_ok and key_ok, trend_correct=trend_ok, key_correct=key_ok)
    raise ValueError(f"unknown kind {question.kind!r}")


# --------------------------------------------------------------------------- a running score
@dataclass(frozen=True)
class Score:
    """A learner's running score: questions answered, answered right, the current and best streak."""

    answered: int = 0
    right: int = 0
    streak: int = 0
    best_streak: int = 0

    def record(self, correct: bool) -> Score:
        streak = self.streak + 1 if correct else 0
        return Score(self.answered + 1, self.right + int(correct), streak, max(self.best_streak, streak))

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


# --------------------------------------------------------------------------- a class's answers
@dataclass(frozen=True)
class Tally:
    """A class's answers to one question, counted.

    - ``total``: answers received.
    - ``keys``: answers per choice (top key, nearest; for a direction question the growing key),
      in the order of the question's choices.
    - ``trends``: ``{"sharper": n, "flatter": m}`` (direction questions).
    - ``bins``: an estimate's answers in ``ESTIMATE_BINS`` bins of width 0.1 over [0, 1].
    - ``right``: answers that were right.
    """

    total: int = 0
    keys: tuple[int, ...] = ()
    trends: Mapping[str, int] = field(default_factory=dict)
    bins: tuple[int, ...] = ()
    right: int = 0


ESTIMATE_BINS = 10


def tally(question: Question, answers: Sequence[Any]) -> Tally:
    """Count a class's ``answers`` (guesses as :func:`grade` takes them); malformed ones are skipped."""
    keys = dict.fromkeys(question.choices, 0)
    trends = {SHARPER: 0, FLATTER: 0}
    bins = [0] * ESTIMATE_BINS
    total = right = 0
    for a in answers:
        try:
            verdict = grade(question, a)
        except (TypeError, ValueError):
            continue
        if question.kind == "estimate":
            g = float(a)
            if not 0.0 <= g <= 1.0:
                continue
            bins[min(ESTIMATE_BINS - 1, int(g * ESTIMATE_BINS))] += 1
        elif question.kind == "direction":
            trend, key = a
            if trend not in trends or int(key) not in keys:
                continue
            trends[trend] += 1
            keys[int(key)] += 1
        else:
            if int(a) not in keys:
                continue
            keys[int(a)] += 1
        total += 1
        right += int(verdict.correct)
    return Tally(
        total=total,
        keys=tuple(keys.values()) if question.kind != "estimate" else (),
        trends=trends if question.kind == "direction" else {},
        bins=tuple(bins) if question.kind == "estimate" else (),
        right=right,
    )
