"""Does Word2Vec learn? The user-corpus defaults and the notebook's settings, measured.

Run: ``python bench/word2vec_learning.py [seeds]`` (from the repo root; default 10 seeds, about a
minute on a loaded 2-core machine). Prints three tables:

1. the designed corpora (and four cat/dog sentences, ``CAT_DOG``) at ``USER_DEFAULTS``, over seeds 1..N:
   how many group words have a group mate as nearest neighbour, the smallest margin (cosine to the
   least similar group mate minus the most similar other word), the median change from the random
   start, the similarity agreement with the next seed, and the training time;
2. the notebook's corpora at the notebook's settings and at ``USER_DEFAULTS`` (seed 1): the tokens
   an epoch trains on after downsampling, the change, the seed agreement;
3. the cost of watching training (per-epoch loss and snapshots) and of the seed check at the limits:
   ``train_word2vec`` against ``train_epochs`` against both seeds, median of 3, with the snapshot memory.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

import attention_core as ac
from attention_core import limits as L
from attention_core import presets as P
from attention_core.word2vec_training import LEARNED_MIN_CHANGE, STABLE_MIN_AGREEMENT

CAT_DOG = "the cat walks in the park\nthe dog walks in the park\nthe cat eats food at home\nthe dog eats food at home"


def groups_measure(run: ac.TrainingRun, groups: tuple[tuple[str, ...], ...]) -> tuple[int, int, float]:
    """(group words whose nearest neighbour is a group mate, group words, smallest margin)."""
    sims = ac.cosine_similarity(run.vectors)
    np.fill_diagonal(sims, -np.inf)
    idx = {w: i for i, w in enumerate(run.words)}
    ok, total, margins = 0, 0, []
    for g in groups:
        for w in g:
            i = idx[w]
            mates = [idx[u] for u in g if u != w]
            others = [j for j in range(len(run.words)) if j != i and j not in mates]
            total += 1
            ok += int(np.argmax(sims[i])) in mates
            margins.append(min(sims[i, mates]) - (max(sims[i, others]) if others else -1.0))
    return ok, total, min(margins)


def table_defaults(seeds: int) -> None:
    print(f"1. User-corpus defaults {dict(P.USER_DEFAULTS)}, seeds 1-{seeds}")
    print(
        f"{'corpus':<10} {'tokens':>6} {'words':>5} {'nn in group':>11} {'min margin':>10} "
        f"{'change %':>15} {'seed agreement':>15} {'train s':>8} {'+ seed check s':>14}"
    )
    corpora = [(p.id, p.text, p.lowercase, p.groups) for p in P.LEARNING_PRESETS]
    corpora.append(("cat/dog", CAT_DOG, False, (("cat", "dog"),)))
    for name, text, lower, groups in corpora:
        s = ac.tokenize_lines(text, lowercase=lower)
        ok = total = 0
        margin, changes, agreements, times, checks = 1.0, [], [], [], []
        for seed in range(1, seeds + 1):
            params = {**P.USER_DEFAULTS, "seed": seed}
            t0 = time.perf_counter()
            run = ac.train_epochs(s, **params)
            t1 = time.perf_counter()
            other = ac.train_epochs(s, **{**params, "seed": ac.other_seed(seed)})
            t2 = time.perf_counter()
            check = ac.check_learning(run, other.model)
            a, b, m = groups_measure(run, groups)
            ok, total, margin = ok + a, total + b, min(margin, m)
            changes.append(100 * check.change)
            agreements.append(check.seed_agreement)
            times.append(t1 - t0)
            checks.append(t2 - t1)
        print(
            f"{name:<10} {sum(map(len, s)):>6} {len(run.words):>5} {f'{ok}/{total}':>11} {margin:>10.3f} "
            f"{f'{min(changes):.0f}-{max(changes):.0f}':>15} {f'{min(agreements):.2f}-{max(agreements):.2f}':>15} "
            f"{statistics.median(times):>8.3f} {statistics.median(checks):>14.3f}"
        )
    print(
        f"   thresholds: learned when the change is at least {100 * LEARNED_MIN_CHANGE:.0f} %, "
        f"stable when the seed agreement is at least {STABLE_MIN_AGREEMENT}"
    )


def table_notebook() -> None:
    print("\n2. The notebook's corpora (seed 1): its own settings, then USER_DEFAULTS")
    print(f"{'corpus':<13} {'settings':<9} {'tokens':>6} {'used/epoch':>10} {'change %':>9} {'seed agreement':>14}")
    for p in P.NOTEBOOK_WORD2VEC_PRESETS:
        s = ac.tokenize_lines(p.text, lowercase=p.lowercase)
        for label, params in (("notebook", dict(p.params)), ("defaults", dict(P.USER_DEFAULTS))):
            run = ac.train_epochs(s, **params)
            other = ac.train_epochs(s, **{**params, "seed": ac.other_seed(params["seed"])})
            check = ac.check_learning(run, other.model)
            ds = ac.downsampling(s, run.params)
            print(
                f"{p.id:<13} {label:<9} {ds.tokens:>6} {ds.used:>10.1f} {100 * check.change:>9.3f} "
                f"{check.seed_agreement:>14.2f}"
            )


def table_limits(repeats: int = 3) -> None:
    print(
        "\n3. Watching training at the limits (vector_size 100, window 10, negative 10, 800 distinct words), median of 3"
    )
    print(
        f"{'sg':>2} {'tokens':>6} {'epochs':>6} {'train_word2vec s':>16} {'train_epochs s':>14} "
        f"{'both seeds s':>12} {'snapshots':>9} {'MB':>5}"
    )
    rng = np.random.default_rng(0)
    vocab = [f"w{i}" for i in range(800)]
    for sg in (0, 1):
        for tokens in (L.MAX_CORPUS_TOKENS, L.MAX_TRAINING_PASSES // L.MAX_EPOCHS):
            epochs = min(L.MAX_EPOCHS, L.MAX_TRAINING_PASSES // tokens)
            toks = [vocab[i] for i in rng.integers(0, 800, size=tokens)]
            s = [toks[i : i + 10] for i in range(0, tokens, 10)]
            params = dict(vector_size=100, window=10, negative=10, sg=sg, epochs=epochs, min_count=1, sample=0.0)
            plain, watched, both = [], [], []
            for _ in range(repeats):
                t0 = time.perf_counter()
                ac.train_word2vec(s, **params)
                t1 = time.perf_counter()
                run = ac.train_epochs(s, **params)
                t2 = time.perf_counter()
                ac.train_epochs(s, **{**params, "seed": 2})
                t3 = time.perf_counter()
                plain.append(t1 - t0)
                watched.append(t2 - t1)
                both.append(t3 - t1)
            print(
                f"{sg:>2} {tokens:>6} {epochs:>6} {statistics.median(plain):>16.2f} {statistics.median(watched):>14.2f} "
                f"{statistics.median(both):>12.2f} {len(run.snapshot_epochs):>9} {run.snapshots.nbytes / 1e6:>5.1f}"
            )


def main(seeds: int = 10) -> None:
    table_defaults(seeds)
    table_notebook()
    table_limits()
    print(f"\ncommand: python bench/word2vec_learning.py {seeds}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
