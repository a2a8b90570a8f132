"""Worst-case Word2Vec training time at the limits of attention_core.limits.

Run: ``python bench/word2vec_limits.py [repeats]`` (from the repo root). Prints one row per
setting: the parameters, the median training time and its spread over ``repeats`` runs, and
the ratio to the 2 s budget one student may take from a shared classroom server.
"""

from __future__ import annotations

import random
import statistics
import sys
import time

from attention_core import limits as L
from attention_core import train_word2vec

BUDGET_S = 2.0


def corpus(n_tokens: int, vocab: int = 800, seed: int = 0) -> list[list[str]]:
    """``n_tokens`` random words from a ``vocab``-word vocabulary, 10 words a sentence."""
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(vocab)]
    toks = [rng.choice(words) for _ in range(n_tokens)]
    return [toks[i : i + 10] for i in range(0, n_tokens, 10)]


def main(repeats: int = 3) -> None:
    vs, win, neg = L.MAX_VECTOR_SIZE, L.MAX_WINDOW, L.MAX_NEGATIVE
    settings = []
    for sg in (0, 1):
        for tokens in (L.MAX_CORPUS_TOKENS, L.MAX_TRAINING_PASSES // L.MAX_EPOCHS):
            settings.append((sg, tokens, min(L.MAX_EPOCHS, L.MAX_TRAINING_PASSES // tokens)))
    print(f"Word2Vec at the limits: vector_size={vs}, window={win}, negative={neg}, min_count=1, workers=1")
    print(f"{'sg':>3} {'tokens':>7} {'epochs':>7} {'median s':>9} {'min s':>7} {'max s':>7} {'÷ 2 s':>6}")
    for sg, tokens, epochs in settings:
        c = corpus(tokens)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            train_word2vec(c, vector_size=vs, window=win, min_count=1, sg=sg, epochs=epochs, negative=neg, seed=1)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        print(
            f"{sg:>3} {tokens:>7} {epochs:>7} {med:>9.2f} {min(times):>7.2f} {max(times):>7.2f} {med / BUDGET_S:>6.2f}"
        )
    print(f"command: python bench/word2vec_limits.py {repeats}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
