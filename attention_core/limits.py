"""Size limits, chosen so one student on a shared classroom server cannot stall it.

Pages state these limits next to their controls; the engine enforces them with
:class:`attention_core.errors.LimitError` where a size is asked for, and pages cap
over-long text (saying so) rather than refusing it.
"""

from __future__ import annotations

#: Tokens in one attention sequence (queries and keys); the heatmap is at most 128×128.
MAX_SEQUENCE_TOKENS: int = 128
#: Embedding / model dimension d_model for the random-embedding lessons.
MAX_MODEL_DIM: int = 64
#: Attention heads.
MAX_HEADS: int = 8
#: Rows or columns of a hand-edited matrix.
MAX_MATRIX_SIZE: int = 16
#: Tokens in a Word2Vec training corpus (longer text is cut, and the page says so).
MAX_CORPUS_TOKENS: int = 5_000
#: Word2Vec vector_size (gensim's default, 100, is allowed).
MAX_VECTOR_SIZE: int = 100
#: Word2Vec epochs.
MAX_EPOCHS: int = 200
#: Word2Vec window.
MAX_WINDOW: int = 10
#: Word2Vec negative samples (20 made the worst case ~4x slower for no lesson gained).
MAX_NEGATIVE: int = 10
#: Word2Vec work: tokens × epochs (e.g. 5,000 tokens × 10 epochs, or 250 tokens × 200 epochs).
#: At the other limits (vector_size 100, window 10, negative 10, skip-gram) the worst case trains
#: in ~1.3 s on one core (``python bench/word2vec_limits.py``); without it, 5,000 tokens × 200
#: epochs took 20-30 s and would stall a shared classroom server.
MAX_TRAINING_PASSES: int = 50_000
#: Word2Vec ``sample`` (downsampling threshold): 0 (off) to this. gensim's default is 0.001.
MAX_SAMPLE: float = 0.01
#: Word2Vec ``alpha`` (initial learning rate): from/to these. gensim's default is 0.025.
MIN_ALPHA: float = 0.001
MAX_ALPHA: float = 0.5
#: Epoch-by-epoch training (``attention_core.word2vec_training``) keeps snapshots of the vectors
#: of at most this many words (the most frequent: the ones the embedding-space plot draws) ...
MAX_SNAPSHOT_WORDS: int = 300
#: ... at most this many snapshots (epoch 0, the initial vectors, is one of them) ...
MAX_SNAPSHOTS: int = MAX_EPOCHS + 1
#: ... and at most this many numbers in all (float32: 4 MB per trained model). Over it, snapshots
#: are taken every few epochs (always the first and the last). Copying them costs well under 1 ms
#: an epoch; the whole cache of trained models (``ui.word2vec_cache``) stays under
#: 32 × 4 MB of snapshots.
MAX_SNAPSHOT_VALUES: int = 1_000_000
#: Width of generated vectors: d_k in the √d_k experiment (the lesson's powers of two go 2 .. 512)
#: and d of a sinusoidal position table.
MAX_EXPERIMENT_DIM: int = 512
#: Random (q, k) pairs in the √d_k experiment. At the limits, two 10,000 × 512 float64 draws:
#: 82 MB for about 0.1 s, freed when the function returns.
MAX_EXPERIMENT_PAIRS: int = 10_000
#: Softmax rows averaged at each d_k of the √d_k sweep (each row is n_keys × d_k numbers).
MAX_SWEEP_ROWS: int = 256
#: Characters of text accepted in one text box before it is cut.
MAX_TEXT_CHARS: int = 50_000
#: Characters of one sentence a link or a file may bring: a sentence of up to MAX_SEQUENCE_TOKENS
#: words (step by step, word order) ...
MAX_SENTENCE_CHARS: int = 4_000
#: ... and a short sentence, whose lesson keeps at most a dozen words (masks, cross-attention, the KV cache).
MAX_SHORT_SENTENCE_CHARS: int = 400
#: Largest random seed numpy's legacy generator accepts, plus one.
SEED_LIMIT: int = 2**32

# --------------------------------------------------------------------------- the lessons' own sizes
#: Why √d_k: at most this many keys in its softmax row.
DK_MAX_KEYS: int = 32
#: The KV-cache lesson's sentence is generated one token at a time: at most this many tokens, and this
#: embedding size (every step's K and V rows stay readable as tables).
KV_MAX_TOKENS: int = 12
KV_MAX_DIM: int = 8
#: Cross-attention: words per sentence (each sentence's vectors are a table the learner edits).
CROSS_MAX_TOKENS: int = 12
#: The word-order lesson's RoPE sliders: positions m, n up to this, a shift s up to WO_MAX_SHIFT.
WO_MAX_POSITION: int = 63
WO_MAX_SHIFT: int = 64
