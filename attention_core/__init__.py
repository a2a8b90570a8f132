"""attention_core: the Attention Lab engine (numpy, plus gensim for Word2Vec; no UI code).

Public API (stable; documented in the README):

- :func:`softmax`, :func:`attention`, :class:`AttentionResult`, :func:`causal_mask`, :func:`key_mask`,
  :func:`contributions`
- :func:`self_attention`, :func:`multi_head_attention`, :func:`project`
- :func:`attention_pooling`
- :func:`random_tables`, :func:`embed`
- :func:`tokenize`, :func:`tokenize_lines`, :func:`normalize`, :func:`build_vocab`
- :func:`parse_matrix`, :func:`format_matrix` (matrices typed as text)
- :func:`train_word2vec`, :func:`vectors_for`, :func:`cosine_similarity`, :func:`nearest_neighbours`, :func:`pca`
- :mod:`.presets` (every seed example as data), :mod:`.limits`, :mod:`.errors`
"""

from __future__ import annotations

from . import errors, limits, presets
from .attention import (
    AttentionResult,
    MultiHeadResult,
    SelfAttentionResult,
    attention,
    causal_mask,
    contributions,
    key_mask,
    multi_head_attention,
    project,
    self_attention,
    softmax,
)
from .embeddings import RandomTables, embed, random_tables
from .errors import AttentionLabError
from .matrix_text import format_matrix, parse_matrix
from .pooling import PoolingResult, attention_pooling
from .text import build_vocab, cap, normalize, tokenize, tokenize_lines
from .word2vec import (
    Word2VecParams,
    cosine_similarity,
    kept_words,
    nearest_neighbours,
    pca,
    train_word2vec,
    vectors_for,
)

__all__ = [
    "AttentionLabError",
    "AttentionResult",
    "MultiHeadResult",
    "PoolingResult",
    "RandomTables",
    "SelfAttentionResult",
    "Word2VecParams",
    "attention",
    "attention_pooling",
    "build_vocab",
    "cap",
    "causal_mask",
    "contributions",
    "cosine_similarity",
    "embed",
    "format_matrix",
    "errors",
    "kept_words",
    "key_mask",
    "limits",
    "multi_head_attention",
    "nearest_neighbours",
    "normalize",
    "parse_matrix",
    "pca",
    "presets",
    "project",
    "random_tables",
    "self_attention",
    "softmax",
    "tokenize",
    "tokenize_lines",
    "train_word2vec",
    "vectors_for",
]
