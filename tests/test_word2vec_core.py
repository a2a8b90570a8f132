"""Core helpers added for the Word2Vec lab: capping a corpus at a token limit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from attention_core.limits import MAX_CORPUS_TOKENS
from attention_core.text import cap_sentences, tokenize_lines


def test_cap_sentences_cuts_the_sentence_that_crosses_the_limit() -> None:
    corpus = [["a", "b", "c"], ["d", "e"], ["f"]]
    assert cap_sentences(corpus, 4) == ([["a", "b", "c"], ["d"]], True)
    assert cap_sentences(corpus, 5) == ([["a", "b", "c"], ["d", "e"]], True)
    assert cap_sentences(corpus, 6) == ([["a", "b", "c"], ["d", "e"], ["f"]], False)
    assert cap_sentences(corpus, 100) == (corpus, False)
    assert cap_sentences([], 3) == ([], False)


def test_cap_sentences_does_not_change_its_input() -> None:
    corpus = [["x"] * 3, ["y"] * 3]
    cap_sentences(corpus, 2)
    assert corpus == [["x"] * 3, ["y"] * 3]


def test_cap_sentences_at_the_corpus_limit() -> None:
    text = "\n".join(["고양이 책 찾고 싶어요"] * 2000)  # 8000 tokens
    capped, cut = cap_sentences(tokenize_lines(text), MAX_CORPUS_TOKENS)
    assert cut
    assert sum(map(len, capped)) == MAX_CORPUS_TOKENS
    assert capped[0] == ["고양이", "책", "찾고", "싶어요"]


@given(
    st.lists(st.lists(st.sampled_from(["a", "b", "ô", "🙂"]), min_size=1, max_size=6), max_size=8),
    st.integers(min_value=0, max_value=40),
)
def test_cap_sentences_properties(corpus: list[list[str]], limit: int) -> None:
    capped, cut = cap_sentences(corpus, limit)
    total = sum(map(len, corpus))
    flat = [w for s in corpus for w in s]
    assert [w for s in capped for w in s] == flat[:limit]  # a prefix of the corpus, in order
    assert all(capped)  # no empty sentence
    assert cut == (total > limit)
