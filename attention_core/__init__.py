"""attention_core: the Attention Lab engine (numpy, plus gensim for Word2Vec; no UI code).

Public API (stable; documented with shapes and examples in docs/engine.md):

- :func:`softmax`, :func:`attention` (``fully_masked="raise"`` or ``"zeros"``), :class:`AttentionResult`,
  :func:`causal_mask`, :func:`key_mask`, :func:`contributions`
- :func:`self_attention`, :func:`multi_head_attention`, :func:`project`
- masks (:mod:`.masks`): :func:`pad_batch` (:class:`PaddedBatch`, :data:`PAD`), :func:`padding_mask`,
  :func:`combine_masks`, :func:`batch_self_attention`, :func:`weight_on_pads`
- word order (:mod:`.positions`): :func:`sinusoidal_positions`, :func:`rotary`, :func:`rotary_angles`,
  :func:`frequencies`
- why √d_k (:mod:`.dk_experiment`): :func:`dk_experiment` (:class:`DkExperiment`), :func:`dk_sweep`
  (:class:`DkSweep`, :class:`SweepCurve`, :data:`DK_SWEEP`), :func:`softmax_row` (:class:`SoftmaxRow`),
  :func:`softmax_jacobian`, :func:`row_entropy`
- :func:`cross_attention` (:class:`CrossAttentionResult`; :mod:`.cross`)
- comparing two settings (:mod:`.compare`): :func:`compare_weights` (:class:`WeightsComparison`),
  :func:`align_labels`
- the KV cache (:mod:`.kv_cache`): :class:`KVCache`, :func:`cached_step` (:class:`CachedStep`),
  :func:`cached_decode` (:class:`CachedDecode`)
- :func:`attention_pooling`
- :func:`random_tables`, :func:`embed`
- :func:`tokenize`, :func:`tokenize_lines`, :func:`normalize`, :func:`build_vocab`
- :func:`parse_matrix`, :func:`format_matrix` (matrices typed as text)
- :func:`train_word2vec`, :func:`vectors_for`, :func:`cosine_similarity`, :func:`nearest_neighbours`, :func:`pca`
- :func:`train_epochs` (:class:`TrainingRun`: per-epoch loss and snapshots), :func:`check_learning`
  (:class:`LearningCheck`), :func:`pair_cosines`, :func:`relative_change`, :func:`similarity_agreement`,
  :func:`snapshot_pca`, :func:`keep_probabilities`, :func:`downsampling`
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
from .compare import WeightsComparison, align_labels, compare_weights
from .cross import CrossAttentionResult, cross_attention
from .dk_experiment import (
    DK_SWEEP,
    DkExperiment,
    DkSweep,
    SoftmaxRow,
    SweepCurve,
    dk_experiment,
    dk_sweep,
    row_entropy,
    softmax_jacobian,
    softmax_row,
)
from .embeddings import RandomTables, embed, random_tables
from .errors import AttentionLabError
from .kv_cache import CachedDecode, CachedStep, KVCache, cached_decode, cached_step
from .masks import PAD, PaddedBatch, batch_self_attention, combine_masks, pad_batch, padding_mask, weight_on_pads
from .matrix_text import format_matrix, parse_matrix
from .pooling import PoolingResult, attention_pooling
from .positions import frequencies, rotary, rotary_angles, sinusoidal_positions
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
from .word2vec_training import (
    Downsampling,
    LearningCheck,
    TrainingRun,
    check_learning,
    downsampling,
    keep_probabilities,
    other_seed,
    pair_cosines,
    relative_change,
    similarity_agreement,
    snapshot_pca,
    train_epochs,
)

__all__ = [
    "DK_SWEEP",
    "AttentionLabError",
    "AttentionResult",
    "CachedDecode",
    "CachedStep",
    "CrossAttentionResult",
    "DkExperiment",
    "DkSweep",
    "Downsampling",
    "KVCache",
    "LearningCheck",
    "MultiHeadResult",
    "PAD",
    "PaddedBatch",
    "PoolingResult",
    "RandomTables",
    "SelfAttentionResult",
    "SoftmaxRow",
    "SweepCurve",
    "WeightsComparison",
    "TrainingRun",
    "Word2VecParams",
    "align_labels",
    "attention",
    "attention_pooling",
    "batch_self_attention",
    "build_vocab",
    "cached_decode",
    "cached_step",
    "cap",
    "causal_mask",
    "check_learning",
    "combine_masks",
    "compare_weights",
    "contributions",
    "cosine_similarity",
    "cross_attention",
    "dk_experiment",
    "dk_sweep",
    "downsampling",
    "embed",
    "format_matrix",
    "frequencies",
    "errors",
    "keep_probabilities",
    "kept_words",
    "key_mask",
    "limits",
    "multi_head_attention",
    "nearest_neighbours",
    "normalize",
    "other_seed",
    "pad_batch",
    "padding_mask",
    "pair_cosines",
    "parse_matrix",
    "pca",
    "presets",
    "project",
    "random_tables",
    "relative_change",
    "rotary",
    "rotary_angles",
    "row_entropy",
    "self_attention",
    "similarity_agreement",
    "sinusoidal_positions",
    "snapshot_pca",
    "softmax",
    "softmax_jacobian",
    "softmax_row",
    "tokenize",
    "tokenize_lines",
    "train_epochs",
    "train_word2vec",
    "vectors_for",
    "weight_on_pads",
]
