"""Fairness: trainings are bounded per process (ui/word2vec_cache.py's semaphore).

Four threads (four students' sessions) train four different corpora at once: with the default
one slot, never more than one gensim training runs at a time, and every thread gets its model.
"""

from __future__ import annotations

import threading

from attention_core import Word2VecParams
from ui import word2vec_cache
from ui.word2vec_cache import train_cached


def test_concurrent_trainings_run_one_at_a_time() -> None:
    assert word2vec_cache.TRAINING_SLOTS == 1  # the default (ATTENTION_LAB_TRAINING_SLOTS unset)
    word2vec_cache.PEAK_TRAINING = 0
    results: dict[int, object] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def student(i: int) -> None:
        try:
            corpus = tuple(tuple(f"w{i}x{j} w{i}y{(j * 7) % 13} shared word".split()) for j in range(40))
            start.wait()
            params = Word2VecParams(vector_size=20, window=3, min_count=1, sg=1, epochs=60, negative=5, seed=1)
            results[i] = train_cached(corpus, params)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=student, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    assert sorted(results) == [0, 1, 2, 3]
    assert len({id(m) for m in results.values()}) == 4  # four models, no mix-up
    assert word2vec_cache.PEAK_TRAINING == 1
