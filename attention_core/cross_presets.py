"""The cross-attention lesson's example: two sentences and designed word vectors that make
translations align (vectors only: the attention is :func:`attention_core.cross_attention`'s).

Source (keys and values): seed 000's Vietnamese sentence "Tôi thích học AI"; target (queries):
its English translation "I like studying AI". Each word's vector lives in a 4-dimensional space with
one axis per meaning ("I", "like", "study", "AI"): a word and its translation share the same vector,
with a little weight on the neighbouring meaning, so no weight is exactly 0 or 1 and the lesson has
something to read. A word outside the lexicon gets a vector drawn from a generator seeded by its
CRC-32 (rounded to two decimals): the same in every process, independent of ``PYTHONHASHSEED``.

    >>> import numpy as np
    >>> cross_vectors(["Tôi", "AI"]).tolist()
    [[2.0, 0.3, 0.0, 0.0], [0.0, 0.0, 0.3, 2.0]]
    >>> np.array_equal(cross_vectors(["I"]), cross_vectors(["tôi"]))   # a word and its translation
    True
    >>> cross_vectors(["xyz"]).shape                                      # any word: (n, CROSS_DIM)
    (1, 4)
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from .text import normalize

#: Width of every designed vector (one axis per meaning); 1, 2 or 4 heads divide it.
CROSS_DIM = 4
#: Head counts that divide :data:`CROSS_DIM`.
CROSS_HEADS = (1, 2, 4)

_MEANINGS: dict[str, tuple[float, ...]] = {
    "I": (2.0, 0.3, 0.0, 0.0),
    "like": (0.3, 2.0, 0.3, 0.0),
    "study": (0.0, 0.3, 2.0, 0.3),
    "AI": (0.0, 0.0, 0.3, 2.0),
}
_WORDS = {
    "I": ("tôi", "i", "나는", "저는"),
    "like": ("thích", "like", "likes", "좋아한다", "좋아해요"),
    "study": ("học", "study", "studying", "learn", "learning", "공부", "공부를"),
    "AI": ("ai",),
}
#: Each known word (lower case, NFC) -> its designed vector; a word and its translations share one.
CROSS_LEXICON: Mapping[str, tuple[float, ...]] = MappingProxyType(
    {w: _MEANINGS[m] for m, words in _WORDS.items() for w in words}
)


@dataclass(frozen=True)
class CrossPreset:
    """The lesson's defaults: the source sentence (keys, values), the target (queries), scaling."""

    source: str
    target: str
    scale: bool


CROSS_ATTENTION = CrossPreset(source="Tôi thích học AI", target="I like studying AI", scale=True)


def word_vector(word: str) -> NDArray[np.float64]:
    """One word's designed vector (CROSS_DIM,): from the lexicon (case-insensitive), else from a
    generator seeded by the word's CRC-32, N(0, 1) rounded to two decimals."""
    w = normalize(word, lowercase=True)
    known = CROSS_LEXICON.get(w)
    if known is not None:
        return np.array(known, dtype=float)
    rng = np.random.default_rng(zlib.crc32(w.encode("utf-8")))
    return np.round(rng.standard_normal(CROSS_DIM), 2)


def cross_vectors(tokens: Sequence[str]) -> NDArray[np.float64]:
    """The designed vectors of a sentence's tokens: (n, CROSS_DIM), row i for token i."""
    if not tokens:
        return np.zeros((0, CROSS_DIM))
    return np.vstack([word_vector(w) for w in tokens])
