"""Every entry of the bad-input catalogue through the core: the specific error code, or finite output."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import attention_core as ac
from attention_core.errors import AttentionLabError, LimitError, NonFiniteError, ShapeError
from attention_core.limits import MAX_CORPUS_TOKENS, MAX_MATRIX_SIZE, MAX_SEQUENCE_TOKENS, MAX_TRAINING_PASSES
from attention_core.matrix_text import format_matrix, parse_matrix, parse_number
from attention_core.text import cap_sentences, require_tokens
from attention_core.word2vec import Word2VecParams, check_params
from tests.bad_inputs import (
    ARRAY,
    CELL,
    MATRIX,
    OK,
    POOLING,
    QUERY_WORD,
    TEXT,
    VI_NFC,
    VI_NFD,
    WARN,
    WORD2VEC,
    Bad,
    ids,
    matrix_text,
)

DEFAULT = np.array([[1.0, 0.0, 1.0], [0.5, 1.0, 0.5], [0.0, 0.5, 1.0]])


def _finite(*arrays: np.ndarray) -> None:
    for a in arrays:
        assert np.isfinite(a).all(), a


# --------------------------------------------------------------------------- text
def _sequence(text: str) -> tuple[list[str], bool]:
    """What a lesson does with a sentence: tokenize, refuse an empty one, cap a long one."""
    tokens = ac.tokenize(text)
    require_tokens(tokens)
    return ac.cap(tokens, MAX_SEQUENCE_TOKENS)


@pytest.mark.parametrize("entry", TEXT, ids=ids(TEXT))
def test_text_as_a_sentence(entry: Bad) -> None:
    if entry.expect not in (OK, WARN):
        with pytest.raises(AttentionLabError) as exc:
            _sequence(entry.value)
        assert exc.value.code == entry.expect
        return
    tokens, cut = _sequence(entry.value)
    assert cut == (entry.expect == WARN)
    assert 1 <= len(tokens) <= MAX_SEQUENCE_TOKENS
    assert all(tok and not tok.isspace() for tok in tokens)
    # the whole lesson runs on these tokens: random embeddings, self-attention, finite numbers
    vocab = ac.build_vocab(tokens)
    tables = ac.random_tables(len(vocab), 4, seed=42)
    x = ac.embed(tokens, vocab, tables.embeddings)
    r = ac.self_attention(x, tables.w_q, tables.w_k, tables.w_v).attention
    _finite(r.scores, r.weights, r.output)
    assert np.allclose(r.weights.sum(axis=-1), 1.0)
    if entry.literal:  # tokens are kept exactly as typed (the page shows them literally)
        assert "".join(tokens) == "".join(unicodedata.normalize("NFC", entry.value).split())


@pytest.mark.parametrize("entry", TEXT, ids=ids(TEXT))
def test_text_as_a_word2vec_corpus(entry: Bad) -> None:
    sentences, cut = cap_sentences(ac.tokenize_lines(entry.value), MAX_CORPUS_TOKENS)
    if entry.expect not in (OK, WARN):
        with pytest.raises(AttentionLabError) as exc:
            ac.train_word2vec(sentences, vector_size=4, window=3, min_count=1, epochs=2)
        assert exc.value.code == entry.expect
        return
    assert cut == (len(entry.value.split()) > MAX_CORPUS_TOKENS)
    model = ac.train_word2vec(sentences, vector_size=4, window=3, min_count=1, epochs=2)
    assert np.isfinite(model.wv.vectors).all()


def test_vietnamese_composed_and_decomposed_are_the_same_tokens() -> None:
    assert VI_NFC != VI_NFD  # really two encodings
    assert ac.tokenize(VI_NFD) == ac.tokenize(VI_NFC) == ["Tôi", "thích", "học", "AI"]
    assert ac.build_vocab(ac.tokenize(VI_NFD + " " + VI_NFC)) == {"Tôi": 0, "thích": 1, "học": 2, "AI": 3}


def test_zero_width_characters() -> None:
    assert ac.tokenize("Tôi\u200bthích") == ["Tôi", "thích"]  # a zero-width space separates words
    assert ac.tokenize("a\ufeffb\u2060c") == ["abc"]  # BOM and word joiner vanish
    assert ac.tokenize("👩\u200d💻") == ["👩\u200d💻"]  # ZWJ inside an emoji sequence stays
    assert ac.tokenize("\u200d \u200c \u200f") == []  # a "word" of invisible characters is none


def test_ten_thousand_tokens_are_capped_to_the_limit() -> None:
    tokens, cut = _sequence(" ".join(f"w{i}" for i in range(10_000)))
    assert cut and len(tokens) == MAX_SEQUENCE_TOKENS and tokens[-1] == f"w{MAX_SEQUENCE_TOKENS - 1}"


# --------------------------------------------------------------------------- matrices typed as text
@pytest.mark.parametrize("entry", CELL + MATRIX, ids=ids(CELL + MATRIX))
def test_matrix_text(entry: Bad) -> None:
    text = matrix_text(entry, DEFAULT)
    if entry.id == "matrix_too_big":  # a fixed-size matrix names the size it needs
        with pytest.raises(ShapeError) as exc:
            parse_matrix(text, "Q", shape=DEFAULT.shape)
        assert exc.value.code == "matrix_shape"
    fits = {"max_rows": MAX_MATRIX_SIZE, "max_cols": MAX_MATRIX_SIZE} if entry.id == "matrix_too_big" else {}
    if entry.expect != OK:
        with pytest.raises(AttentionLabError) as exc:
            parse_matrix(text, "Q", **fits) if fits else parse_matrix(text, "Q", shape=DEFAULT.shape)
        assert exc.value.code == entry.expect
        assert str(exc.value)  # a plain English message for notebook users
        if entry.kind == "cell" and entry.expect.startswith("cell_"):
            assert (exc.value.params["row"], exc.value.params["col"]) == (1, 2)
            assert exc.value.params["name"] == "Q"
        return
    m = parse_matrix(text, "Q", shape=DEFAULT.shape)
    assert m.shape == DEFAULT.shape and np.isfinite(m).all()
    if entry.then == OK:
        r = ac.attention(m, m, m)
        _finite(r.scores, r.weights, r.output)
    else:
        with pytest.raises(AttentionLabError) as exc:
            ac.attention(m, m, m)
        assert exc.value.code == entry.then


def test_parse_matrix_reads_every_separator_and_names_the_bad_cell() -> None:
    assert parse_matrix("1 0 1\n0.5,1e308,-2\n\n3\t4\t-1e308").tolist() == [
        [1.0, 0.0, 1.0],
        [0.5, 1e308, -2.0],
        [3.0, 4.0, -1e308],
    ]
    assert parse_matrix("[[0.53289684 0.16794345 0.29915971]]").tolist() == [[0.53289684, 0.16794345, 0.29915971]]
    assert parse_matrix("1; 2; 3;").tolist() == [[1.0, 2.0, 3.0]]
    assert parse_matrix("１．５ −2").tolist() == [[1.5, -2.0]]
    with pytest.raises(ShapeError) as exc:
        parse_matrix("1 2 3\n4 5 6\n7 8 x9", "K")
    assert exc.value.code == "cell_not_number" and exc.value.params == {
        "name": "K",
        "row": 3,
        "col": 3,
        "cell": "x9",
    }
    with pytest.raises(ShapeError) as exc:
        parse_matrix("1 2 3\n4 5", "K")
    assert exc.value.params == {"name": "K", "row": 2, "got": 2, "expected": 3}
    with pytest.raises(ShapeError) as exc:
        parse_matrix("1 2\n3 4", "K", shape=(2, 3))
    assert exc.value.code == "matrix_shape" and exc.value.params["got_cols"] == 2
    with pytest.raises(LimitError) as exc:
        parse_matrix("1 " * 20, "K", max_rows=MAX_MATRIX_SIZE, max_cols=MAX_MATRIX_SIZE)
    assert exc.value.code == "matrix_too_big" and exc.value.params["cols"] == 20
    with pytest.raises(NonFiniteError) as exc:
        parse_number("-Infinity", name="V", row=2, col=1)
    assert exc.value.code == "cell_non_finite" and exc.value.params["cell"] == "-Infinity"
    with pytest.raises(NonFiniteError) as exc:
        parse_number("-1e400")
    assert exc.value.code == "cell_out_of_range"
    with pytest.raises(ShapeError) as exc:
        parse_number("1" * 5_000 + "x")
    assert len(exc.value.params["cell"]) <= 30  # a message never quotes 5,000 characters


@settings(max_examples=200, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=6), elements=st.floats(width=64)))
def test_format_then_parse_gives_back_exactly_the_same_numbers(a: np.ndarray) -> None:
    if not np.isfinite(a).all():
        with pytest.raises(NonFiniteError):
            parse_matrix(format_matrix(a))
        return
    b = parse_matrix(format_matrix(a))
    assert b.shape == a.shape and np.array_equal(b, a)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_parse_matrix_never_fails_with_anything_but_a_documented_error(text: str) -> None:
    try:
        m = parse_matrix(text, max_rows=MAX_MATRIX_SIZE, max_cols=MAX_MATRIX_SIZE)
    except AttentionLabError as exc:
        assert exc.code in {
            "shape_empty",
            "matrix_too_big",
            "row_length",
            "cell_empty",
            "decimal_comma",
            "cell_not_number",
            "cell_non_finite",
            "cell_out_of_range",
        }
    else:
        assert m.ndim == 2 and np.isfinite(m).all()


# --------------------------------------------------------------------------- arrays, pooling
@pytest.mark.parametrize("entry", ARRAY, ids=ids(ARRAY))
def test_attention(entry: Bad) -> None:
    kwargs = dict(entry.value)
    q, k, v = kwargs.pop("q"), kwargs.pop("k"), kwargs.pop("v")
    if entry.expect != OK:
        with pytest.raises(AttentionLabError) as exc:
            ac.attention(q, k, v, **kwargs)
        assert exc.value.code == entry.expect
        return
    r = ac.attention(q, k, v, **kwargs)
    _finite(r.scores, r.scaled, r.weights, r.output)
    assert np.allclose(r.weights.sum(axis=-1), 1.0)


@pytest.mark.parametrize("entry", [e for e in ARRAY if "mask" not in e.value], ids=lambda e: e.id)
def test_softmax_of_the_same_scores(entry: Bad) -> None:
    """softmax alone, on Q·Kᵀ of the entry: a specific error for NaN/+inf/bad temperature, else finite."""
    kwargs = dict(entry.value)
    temperature = kwargs.get("temperature", 1.0)
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            scores = np.asarray(kwargs["q"], dtype=float) @ np.asarray(kwargs["k"], dtype=float).T
    except (TypeError, ValueError):
        return  # not numeric / not matching: attention's own checks cover it (above)
    if entry.expect == "score_overflow":
        return  # ±inf scores from finite inputs: attention says score_overflow before any softmax
    if scores.size == 0:
        with pytest.raises(ShapeError):
            ac.softmax(scores)
    elif entry.expect == "temperature":
        with pytest.raises(AttentionLabError) as exc:
            ac.softmax(scores, temperature=temperature)
        assert exc.value.code == "temperature"
    elif np.isnan(scores).any() or np.isposinf(scores).any():
        with pytest.raises(NonFiniteError):
            ac.softmax(scores, temperature=temperature)
    else:
        w = ac.softmax(scores, temperature=temperature)
        _finite(w)
        assert np.allclose(w.sum(axis=-1), 1.0)


@pytest.mark.parametrize("entry", POOLING, ids=ids(POOLING))
def test_attention_pooling(entry: Bad) -> None:
    if entry.expect != OK:
        with pytest.raises(AttentionLabError) as exc:
            ac.attention_pooling(**entry.value)
        assert exc.value.code == entry.expect
        return
    r = ac.attention_pooling(**entry.value)
    _finite(r.scores, r.weights, r.context)
    assert np.isclose(r.weights.sum(), 1.0)


def test_self_attention_and_heads_reject_bad_input_with_codes() -> None:
    x = np.array(DEFAULT)
    with pytest.raises(NonFiniteError):
        ac.self_attention(np.where(np.eye(3) > 0, np.nan, x))
    with pytest.raises(ShapeError) as exc:
        ac.self_attention(x, w_q=np.ones((2, 2)))
    assert exc.value.code == "shape_mismatch"
    w = np.ones((3, 4))
    for heads, code in ((0, "heads_invalid"), (3, "heads_not_divisor"), (2.5, "heads_invalid")):
        with pytest.raises(ShapeError) as exc:
            ac.multi_head_attention(x, w, w, w, heads)  # type: ignore[arg-type]
        assert exc.value.code == code


# --------------------------------------------------------------------------- finite for any finite input
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=300, deadline=None)
@given(
    hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 4)), elements=finite),
    st.floats(min_value=1e-300, max_value=1e300),
)
def test_self_attention_pipeline_is_finite_or_a_clear_overflow(x: np.ndarray, temperature: float) -> None:
    """For any finite input: finite weights and output, or ScoreOverflowError — never NaN."""
    try:
        r = ac.self_attention(x, temperature=temperature).attention
    except AttentionLabError as exc:
        assert exc.code == "score_overflow"
        return
    _finite(r.scores, r.weights, r.output)
    assert np.allclose(r.weights.sum(axis=-1), 1.0)


@settings(max_examples=300, deadline=None)
@given(
    hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.just(3)), elements=finite),
    hnp.arrays(np.float64, st.just(3), elements=finite),
)
def test_pooling_is_finite_or_a_clear_overflow(x: np.ndarray, w: np.ndarray) -> None:
    try:
        r = ac.attention_pooling(x, w)
    except AttentionLabError as exc:
        assert exc.code == "score_overflow"
        return
    _finite(r.weights, r.context)


@settings(max_examples=300, deadline=None)
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 6)), elements=finite))
def test_softmax_of_extreme_logits_is_finite(z: np.ndarray) -> None:
    w = ac.softmax(z)
    _finite(w)
    assert np.allclose(w.sum(axis=-1), 1.0)


# --------------------------------------------------------------------------- Word2Vec
def _w2v(value: dict) -> object:
    params = dict(value)
    sentences, _ = cap_sentences(ac.tokenize_lines(params.pop("text")), MAX_CORPUS_TOKENS)
    return ac.train_word2vec(sentences, **params)


@pytest.mark.parametrize("entry", WORD2VEC, ids=ids(WORD2VEC))
def test_word2vec(entry: Bad) -> None:
    if entry.expect != OK:
        with pytest.raises(AttentionLabError) as exc:
            _w2v(entry.value)
        assert exc.value.code == entry.expect
        if entry.expect == "limit":  # check_params says the same before any training
            params = {k: v for k, v in entry.value.items() if k != "text"}
            with pytest.raises(LimitError):
                check_params(Word2VecParams(**params))
        return
    model = _w2v(entry.value)
    assert np.isfinite(model.wv.vectors).all()  # type: ignore[attr-defined]


def test_training_budget_names_the_epochs_that_would_fit() -> None:
    with pytest.raises(LimitError) as exc:
        ac.train_word2vec([["w"] * 1000], vector_size=2, min_count=1, epochs=MAX_TRAINING_PASSES // 1000 + 1)
    assert exc.value.code == "training_budget"
    assert exc.value.params["max_epochs"] == MAX_TRAINING_PASSES // 1000
    ac.train_word2vec([["w"] * 1000], vector_size=2, min_count=1, epochs=MAX_TRAINING_PASSES // 1000)


@pytest.mark.parametrize("entry", QUERY_WORD, ids=ids(QUERY_WORD))
def test_query_word_not_in_vocabulary(entry: Bad) -> None:
    model = ac.train_word2vec([["the", "fox"], ["the", "hare"]], vector_size=3, min_count=1)
    words = list(model.wv.index_to_key)
    for call in (
        lambda: ac.vectors_for(model, [entry.value]),
        lambda: ac.nearest_neighbours(model.wv.vectors, words, entry.value),
    ):
        with pytest.raises(AttentionLabError) as exc:
            call()
        assert exc.value.code == entry.expect and exc.value.params["word"] == entry.value
