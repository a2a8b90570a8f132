"""Every example of the two seed notebooks, as data: the one source pages and tests read.

Each preset holds the notebook's inputs and, under ``printed``, the numbers the
notebook printed (to its printed precision), so a page can show "the same as
the notebook" and tests can assert it.

- Seed 000 (Vietnamese, "Ngày 22: Numpy - Attention score"): :data:`STEP_BY_STEP`.
- Seed 002 (Korean, "어텐션 메커니즘 쉽게 이해하기: 도서관에서 책 찾기 비유"):
  :data:`LIBRARY`, :data:`WORD2VEC_ENGLISH`, :data:`WORD2VEC_KOREAN_CAT`,
  :data:`WORD2VEC_KOREAN_FRUIT`, :data:`SELF_ATTENTION_3X3`, :data:`SELF_ATTENTION_5X4`,
  :data:`POOLING`, :data:`SCALED_DOT_PRODUCT`.

The Word2Vec corpora (the notebook's three, and three designed to show learning, with the
user-corpus defaults) live in :mod:`attention_core.word2vec_presets` and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .text import tokenize
from .word2vec_presets import (  # noqa: F401 - re-exported: one place to import every preset from
    LEARNING_PRESETS,
    NOTEBOOK_WORD2VEC_PRESETS,
    USER_DEFAULTS,
    WORD2VEC_ENGLISH,
    WORD2VEC_KOREAN_CAT,
    WORD2VEC_KOREAN_FRUIT,
    WORD2VEC_LEARN_EN,
    WORD2VEC_LEARN_KO,
    WORD2VEC_LEARN_VI,
    WORD2VEC_PRESETS,
    Word2VecPreset,
)

Matrix = tuple[tuple[float, ...], ...]
Vector = tuple[float, ...]


_V = TypeVar("_V")


def _ro(d: dict[str, _V]) -> Mapping[str, _V]:
    """A read-only view, so a page cannot change a preset by accident."""
    return MappingProxyType(d)


def same(a: ArrayLike | None, b: ArrayLike) -> bool:
    """True when ``a`` holds exactly ``b``'s numbers in ``b``'s shape (None never does)."""
    if a is None:
        return False
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return x.shape == y.shape and bool(np.array_equal(x, y))


#: The notebooks use no temperature: softmax of the scores themselves, i.e. T = 1.
NOTEBOOK_TEMPERATURE = 1.0


# --------------------------------------------------------------------------- seed 000
@dataclass(frozen=True)
class StepByStepPreset:
    """Seed 000: random embeddings for a sentence, then W_q, W_k, W_v, scaled attention."""

    sentence: str
    seed: int
    dim: int
    scale: bool
    printed: Mapping[str, object] = field(default_factory=dict)

    def is_input(self, tokens: Sequence[str], seed: int, dim: int) -> bool:
        """True for the notebook's sentence (as tokens), seed and embedding size."""
        return list(tokens) == tokenize(self.sentence) and seed == self.seed and dim == self.dim


STEP_BY_STEP = StepByStepPreset(
    sentence="Tôi thích học AI",
    seed=42,
    dim=4,
    scale=True,
    printed=_ro(
        {
            # "Chuỗi đầu vào (đã mã hóa)"
            "embeddings": (
                (0.37454012, 0.95071431, 0.73199394, 0.59865848),
                (0.15601864, 0.15599452, 0.05808361, 0.86617615),
                (0.60111501, 0.70807258, 0.02058449, 0.96990985),
                (0.83244264, 0.21233911, 0.18182497, 0.18340451),
            ),
            # "Ma trận Query Q"
            "Q": (
                (1.3841427, 0.93171313, 0.94939871, 0.93588465),
                (0.68253872, 0.18947216, 0.65080307, 0.28016014),
                (1.20009753, 0.47542591, 1.05988217, 0.61045127),
                (0.57476093, 0.61773344, 0.56933533, 0.44500006),
            ),
            # "Ma trận Key K"
            "K": (
                (0.55821718, 1.20734506, 1.22395873, 1.69819667),
                (0.28890481, 0.76590281, 0.52938731, 0.69807356),
                (0.50829749, 1.29232814, 1.36798207, 1.32073669),
                (0.18848415, 1.02217749, 1.01254462, 1.02712599),
            ),
            # "Ma trận Value V"
            "V": (
                (1.39542095, 1.22586424, 1.46081725, 1.6184706),
                (0.57365664, 0.41484836, 0.96500202, 0.59265008),
                (1.3726727, 1.0119398, 1.81092011, 1.47141317),
                (0.74197263, 0.42928879, 1.09429878, 0.96558692),
            ),
            # "Điểm số" (already divided by √d_k); the printout stops after row 3 and
            # two numbers of row 4 ("[1.2595997  0.62..."), so only those are given.
            "scaled_scores_rows_0_2": (
                (2.32444626, 1.13470157, 2.22122649, 1.56792258),
                (0.94104311, 0.44120262, 0.92604881, 0.63452441),
                (1.78891827, 0.84903602, 1.74027902, 1.20617869),
            ),
            "scaled_scores_row_3_first": 1.2595997,
        }
    ),
)


# --------------------------------------------------------------------------- seed 002
@dataclass(frozen=True)
class LibraryPreset:
    """Seed 002's first example: one query (your request) and three books (key + value).

    ``query_label`` and ``book_labels`` are the notebook's own comments; ``book_ids``
    are stable identifiers a user interface can translate.
    """

    query: Matrix
    keys: Matrix
    values: Matrix
    query_label: str
    book_labels: tuple[str, ...]
    book_ids: tuple[str, ...]
    scale: bool
    printed: Mapping[str, object] = field(default_factory=dict)

    def is_input(
        self, q: ArrayLike | None, k: ArrayLike | None, v: ArrayLike | None, *, scale: bool, temperature: float
    ) -> bool:
        """True when every input is the notebook's: the numbers, the scaling and no temperature."""
        return (
            same(q, self.query)
            and same(k, self.keys)
            and same(v, self.values)
            and scale == self.scale
            and float(temperature) == NOTEBOOK_TEMPERATURE
        )


LIBRARY = LibraryPreset(
    query=((1.0, 0.0, 1.0),),
    keys=((1.0, 0.5, 1.0), (0.5, 1.0, 0.5), (0.0, 0.5, 1.0)),
    values=((10.0, 0.0, 5.0), (1.0, 2.0, 3.0), (0.0, 0.5, 1.0)),
    query_label="고양이에 대한 책을 찾고 싶어요",
    book_labels=("책 1: 고양이 관련 책", "책 2: 동물 일반 관련 책", "책 3: 취미 관련 책"),
    book_ids=("cats", "animals", "hobbies"),
    scale=False,
    printed=_ro(
        {
            "scores": ((2.0, 1.0, 1.0),),
            "weights": ((0.5761, 0.2119, 0.2119),),
            "output": ((5.9731, 0.5299, 3.7284),),
        }
    ),
)


@dataclass(frozen=True)
class SelfAttentionPreset:
    """Seed 002's TensorFlow example: Q = K = V = X, no scaling."""

    x: Matrix
    scale: bool
    printed: Mapping[str, object] = field(default_factory=dict)

    def is_input(self, x: ArrayLike | None, *, scale: bool, temperature: float) -> bool:
        """True when X, the scaling and the temperature are the notebook's."""
        return same(x, self.x) and scale == self.scale and float(temperature) == NOTEBOOK_TEMPERATURE


SELF_ATTENTION_3X3 = SelfAttentionPreset(
    x=((1.0, 0.0, 1.0), (0.0, 1.0, 0.0), (1.0, 1.0, 1.0)),
    scale=False,
    printed=_ro(
        {
            "weights": (
                (0.4683105, 0.06337894, 0.4683105),
                (0.15536241, 0.42231882, 0.42231882),
                (0.24472848, 0.09003057, 0.66524094),
            ),
            "output": (
                (0.936621, 0.53168947, 0.936621),
                (0.57768124, 0.84463763, 0.57768124),
                (0.90996945, 0.7552715, 0.90996945),
            ),
        }
    ),
)

SELF_ATTENTION_5X4 = SelfAttentionPreset(
    x=(
        (1.0, 0.0, 1.0, 0.0),
        (0.0, 1.0, 0.0, 1.0),
        (1.0, 1.0, 1.0, 1.0),
        (0.0, 0.0, 0.0, 1.0),
        (1.0, 1.0, 1.0, 0.0),
    ),
    scale=False,
    printed=_ro(
        {
            "weights": (
                (0.3057477, 0.04137845, 0.3057477, 0.04137845, 0.3057477),
                (0.04713718, 0.34829926, 0.34829926, 0.12813213, 0.12813213),
                (0.08015893, 0.08015893, 0.5922988, 0.02948882, 0.21789455),
                (0.09847517, 0.26768324, 0.26768324, 0.26768324, 0.09847517),
                (0.14409682, 0.05301026, 0.39169577, 0.01950138, 0.39169577),
            ),
            "output": (
                (0.91724306, 0.6528738, 0.91724306, 0.38850456),
                (0.5235686, 0.82473063, 0.5235686, 0.82473063),
                (0.8903523, 0.8903523, 0.8903523, 0.70194656),
                (0.46463355, 0.63384163, 0.46463355, 0.8030497),
                (0.9274883, 0.8364018, 0.9274883, 0.4642074),
            ),
        }
    ),
)


@dataclass(frozen=True)
class PoolingPreset:
    """Seed 002's attention pooling: scores = softmax(X·w), context = Σ aᵢ·xᵢ.

    The notebook drew ``w`` with ``tf.random.normal`` (unseeded); the draw it
    printed is kept here, so its scores and context vector are reproducible.
    """

    x: Matrix
    w: Vector
    printed: Mapping[str, object] = field(default_factory=dict)

    def is_input(self, x: ArrayLike | None, w: ArrayLike | None, *, temperature: float) -> bool:
        """True when X, w and the temperature are the notebook's."""
        return same(x, self.x) and same(w, self.w) and float(temperature) == NOTEBOOK_TEMPERATURE

    def w_for(self, d: int) -> NDArray[np.float64]:
        """The notebook's printed draw of w, cut or zero-padded to ``d`` components.

        Shapes: -> (d,).
        """
        w = np.zeros(d)
        n = min(d, len(self.w))
        w[:n] = self.w[:n]
        return w


POOLING = PoolingPreset(
    x=((1.0, 0.0, 1.0), (0.0, 1.0, 1.0), (1.0, 1.0, 0.0)),
    w=(-1.2322834, -0.68503356, -1.9497645),
    printed=_ro(
        {
            "weights": (0.15947355, 0.27564886, 0.56487757),
            "context": (0.7243511, 0.84052646, 0.43512243),
        }
    ),
)


@dataclass(frozen=True)
class ScaledDotProductPreset:
    """Seed 002's ``attention(query, key, value)`` function example (scaled by √d_k)."""

    query: Matrix
    keys: Matrix
    values: Matrix
    scale: bool
    printed: Mapping[str, object] = field(default_factory=dict)

    is_input = LibraryPreset.is_input


SCALED_DOT_PRODUCT = ScaledDotProductPreset(
    query=((1.0, 0.0, 1.0),),
    keys=((1.0, 0.0, 1.0), (0.0, 1.0, 0.0), (1.0, 1.0, 0.0)),
    values=((10.0, 0.0), (0.0, 10.0), (10.0, 10.0)),
    scale=True,
    printed=_ro(
        {
            "weights": ((0.53289684, 0.16794345, 0.29915971),),
            "output": ((8.3205655, 4.67103162),),
        }
    ),
)


# --------------------------------------------------------------------------- masks (issue 25, lesson 2)
@dataclass(frozen=True)
class MasksPreset:
    """The masks lesson's batch: sentences of different lengths (the third may be left empty),
    embedded as seed 000 does (random tables from ``seed``, size ``dim``), the sentence shown first,
    and how many tokens a sentence may have (each query row and key column must stay readable)."""

    sentences: tuple[str, str, str]
    seed: int
    dim: int
    shown: int  # 1-based: the sentence the live view shows first (one with pads)
    max_tokens: int


MASKS = MasksPreset(sentences=("Tôi thích học AI", "I learn", "AI"), seed=42, dim=4, shown=2, max_tokens=10)
