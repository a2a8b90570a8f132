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
#: Characters of text accepted in one text box before it is cut.
MAX_TEXT_CHARS: int = 50_000
#: Largest random seed numpy's legacy generator accepts, plus one.
SEED_LIMIT: int = 2**32
