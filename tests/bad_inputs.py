"""One catalogue of bad inputs (issue 6: "Bad input never breaks a lesson").

Each entry is data: an ``id``, a ``kind`` (where such an input is typed), the ``value``
and what must happen: an error ``code`` of :mod:`attention_core.errors` (the page shows
``error.<code>`` in the UI's language), ``"ok"`` (accepted, finite results) or
``"ok-with-warning"`` (accepted after capping, with a message saying so).

Kinds:

- ``text``: a sentence / corpus (tokenize → require_tokens → cap; Word2Vec's corpus box).
  ``literal`` entries hold markup that must be shown as typed, never rendered.
- ``cell``: one cell of a matrix typed as text (``value`` replaces row 1, column 2 of the
  default matrix); ``then`` is what attention with that matrix as Q and K gives.
- ``matrix``: a whole matrix typed as text; ``value`` names a transform of the default
  (see :func:`matrix_text`).
- ``array``: arrays given to the core directly (``value`` = keyword arguments of attention).
- ``pooling``: keyword arguments of ``attention_pooling``.
- ``word2vec``: a corpus and training parameters (``value`` = dict(text=..., **params)).
- ``query_word``: a word asked of a trained model.
- ``size``: a number typed in a size control (dimension, seed, heads): ``value`` =
  (control, number).
- ``query_params``: URL query parameters (no page reads one yet: they must be ignored).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from attention_core.limits import MAX_CORPUS_TOKENS, MAX_MATRIX_SIZE, MAX_SEQUENCE_TOKENS

OK = "ok"
WARN = "ok-with-warning"


@dataclass(frozen=True)
class Bad:
    """One bad input and what must happen to it."""

    id: str
    kind: str
    value: Any
    expect: str
    then: str = OK  # kind "cell"/"matrix": what attention gives with the parsed matrix as Q and K
    literal: bool = False  # markup that must be shown as typed
    note: str = ""
    params: dict[str, Any] = field(default_factory=dict)


VI_NFC = unicodedata.normalize("NFC", "Tôi thích học AI")
VI_NFD = unicodedata.normalize("NFD", "Tôi thích học AI")
LONG_WORD = "ㄱ" * 2_500 + "a" * 2_500  # one 5,000-character word
MANY_TOKENS = " ".join(f"w{i}" for i in range(10_000))

TEXT: list[Bad] = [
    Bad("empty", "text", "", "empty_text"),
    Bad("whitespace", "text", "  \t \n  \u3000 ", "empty_text", note="ASCII and ideographic spaces"),
    Bad("zero_width_only", "text", "\u200b\u200d\ufeff\u2060 \u200f\u200e", "empty_text", note="invisible only"),
    Bad("single_token", "text", "AI", OK),
    Bad("ten_thousand_tokens", "text", MANY_TOKENS, WARN, note="capped, and the page says so"),
    Bad("long_word", "text", LONG_WORD, OK, note="one 5,000-character word"),
    Bad("emoji", "text", "🐱 thích 📚 👩‍💻 ❤️", OK),
    Bad("korean", "text", "고양이 책 찾고 싶어요", OK),
    Bad("vietnamese_nfc", "text", VI_NFC, OK),
    Bad("vietnamese_nfd", "text", VI_NFD, OK, note="the same tokens as NFC"),
    Bad("rtl", "text", "مرحبا بالعالم שלום עולם", OK),
    Bad("zero_width_inside", "text", "Tôi\u200bthích học\u200dAI\ufeff", OK, note="U+200B splits words"),
    Bad("script", "text", "<script>alert(1)</script> xin chào", OK, literal=True),
    Bad("img_onerror", "text", "<img src=x onerror=alert(1)> cat", OK, literal=True),
    Bad("markdown_bold", "text", "**bold** _it_ # head", OK, literal=True),
    Bad("latex", "text", "$x$ $$y^2$$ \\(z\\)", OK, literal=True),
    Bad("colour", "text", ":red[x] :blue-background[y]", OK, literal=True),
    Bad("js_link", "text", "[link](javascript:alert(1)) <a href=x>a</a>", OK, literal=True),
]

#: Substrings that would show markup was interpreted if they reached markdown outside a code span.
MARKUP = ("<script", "<img", "**bold**", "$x$", "$$y", ":red[", "](javascript", "<a href", "\\(z\\)", ":blue-")

CELL: list[Bad] = [
    Bad("cell_empty", "cell", "", "cell_empty", note="two commas around nothing"),
    Bad("cell_text", "cell", "abc", "cell_not_number"),
    Bad("cell_comma_decimal", "cell", "0,5", "decimal_comma", note="a comma separates numbers: 0.5 needs a dot"),
    Bad("cell_nan", "cell", "nan", "cell_non_finite"),
    Bad("cell_inf", "cell", "inf", "cell_non_finite"),
    Bad("cell_minus_inf", "cell", "-inf", "cell_non_finite"),
    Bad("cell_1e309", "cell", "1e309", "cell_out_of_range"),
    Bad("cell_1e308", "cell", "1e308", OK, then="score_overflow", note="accepted; 1e308² overflows Q·Kᵀ"),
    Bad("cell_minus_1e308", "cell", "-1e308", OK, then="score_overflow"),
    Bad("cell_1e150", "cell", "1e150", OK, then=OK, note="large, and Q·Kᵀ still fits"),
    Bad("cell_script", "cell", "<script>alert(1)</script>", "cell_not_number", literal=True),
    Bad("cell_long", "cell", "9" * 5_000, "cell_out_of_range", note="a 5,000-digit number"),
    Bad("cell_fullwidth", "cell", "０．５", OK, note="full-width digits from a CJK input method"),
]

MATRIX: list[Bad] = [
    Bad("matrix_empty", "matrix", "empty", "shape_empty"),
    Bad("matrix_ragged", "matrix", "ragged", "row_length"),
    Bad("matrix_drop_column", "matrix", "drop_column", "matrix_shape", note="a fixed-size matrix"),
    Bad("matrix_add_row", "matrix", "add_row", "matrix_shape", note="a fixed-size matrix"),
    Bad("matrix_too_big", "matrix", "too_big", "matrix_too_big", note="a resizable matrix (fixed: matrix_shape)"),
    Bad("matrix_all_1e308", "matrix", "all_1e308", OK, then="score_overflow"),
    Bad("matrix_all_minus_1e308", "matrix", "all_-1e308", OK, then="score_overflow"),
    Bad("matrix_numpy_printout", "matrix", "numpy", OK, note="[[...]] brackets are ignored"),
]


def matrix_text(entry: Bad, default: np.ndarray) -> str:
    """The text a user would type for ``entry`` (kind ``cell`` or ``matrix``) given the editor's default.

    Shapes: default (n, d) with n >= 2 and d >= 2.
    """
    a = np.atleast_2d(np.asarray(default, dtype=float))
    cells = [[repr(float(x)) for x in row] for row in a]
    if entry.kind == "cell":
        cells[0][1] = entry.value
        sep = ", " if entry.value == "" else "  "
        return "\n".join(sep.join(row) for row in cells)
    op = entry.value
    if op == "empty":
        return "  \n \n"
    if op == "ragged":
        cells[1] = cells[1][:-1]
    elif op == "drop_column":
        cells = [row[:-1] for row in cells]
    elif op == "add_row":
        cells = [*cells, cells[0]]
    elif op == "too_big":
        cells = [["1"] * (MAX_MATRIX_SIZE + 1) for _ in range(MAX_MATRIX_SIZE + 1)]
    elif op in ("all_1e308", "all_-1e308"):
        v = op.removeprefix("all_")
        cells = [[v] * len(row) for row in cells]
    elif op == "numpy":
        return "[" + "\n ".join("[" + " ".join(row) + "]" for row in cells) + "]"
    else:
        raise ValueError(op)
    return "\n".join("  ".join(row) for row in cells)


Q3 = [[1.0, 0.0, 1.0]]
K3 = [[1.0, 0.5, 1.0], [0.5, 1.0, 0.5], [0.0, 0.5, 1.0]]
V3 = [[10.0, 0.0, 5.0], [1.0, 2.0, 3.0], [0.0, 0.5, 1.0]]

ARRAY: list[Bad] = [
    Bad("nan_in_q", "array", {"q": [[np.nan, 0, 1]], "k": K3, "v": V3}, "non_finite"),
    Bad("inf_in_k", "array", {"q": Q3, "k": [[np.inf, 0, 1], *K3[1:]], "v": V3}, "non_finite"),
    Bad("minus_inf_in_v", "array", {"q": Q3, "k": K3, "v": [[-np.inf, 0, 1], *V3[1:]]}, "non_finite"),
    Bad("empty_cell_none", "array", {"q": [[None, 0, 1]], "k": K3, "v": V3}, "non_finite"),
    Bad("text_cell", "array", {"q": [["abc", 0, 1]], "k": K3, "v": V3}, "shape_not_numeric"),
    Bad("ragged_rows", "array", {"q": Q3, "k": [[1, 2, 3], [1, 2]], "v": V3}, "shape_not_numeric"),
    Bad("q_k_widths_differ", "array", {"q": [[1.0, 0.0]], "k": K3, "v": V3}, "shape_mismatch"),
    Bad("values_rows_differ", "array", {"q": Q3, "k": K3, "v": V3[:2]}, "shape_mismatch"),
    Bad("keys_not_matrix", "array", {"q": Q3, "k": [1.0, 0.5, 1.0], "v": V3}, "shape_rank"),
    Bad("d_k_zero", "array", {"q": np.zeros((1, 0)), "k": np.zeros((3, 0)), "v": V3}, "shape_empty"),
    Bad("no_keys", "array", {"q": Q3, "k": np.zeros((0, 3)), "v": np.zeros((0, 3))}, "shape_empty"),
    Bad("temperature_zero", "array", {"q": Q3, "k": K3, "v": V3, "temperature": 0.0}, "temperature"),
    Bad("temperature_negative", "array", {"q": Q3, "k": K3, "v": V3, "temperature": -1.0}, "temperature"),
    Bad("temperature_nan", "array", {"q": Q3, "k": K3, "v": V3, "temperature": float("nan")}, "temperature"),
    Bad("temperature_inf", "array", {"q": Q3, "k": K3, "v": V3, "temperature": float("inf")}, "temperature"),
    Bad("temperature_text", "array", {"q": Q3, "k": K3, "v": V3, "temperature": "hot"}, "temperature"),
    Bad("temperature_tiny", "array", {"q": Q3, "k": K3, "v": V3, "temperature": 1e-300}, OK, note="argmax, finite"),
    Bad("q_1e308_k_1e308", "array", {"q": [[1e308, 0, 0]], "k": [[1e308, 0, 0]], "v": [[1.0]]}, "score_overflow"),
    Bad("q_minus_1e308", "array", {"q": [[-1e308, 0, 0]], "k": [[1e308, 0, 0]], "v": [[1.0]]}, "score_overflow"),
    Bad(
        "extreme_logits",
        "array",
        {"q": [[1e154]], "k": [[1e154], [-1e154], [0.0]], "v": [[1.0], [2.0], [3.0]]},
        OK,
        note="scores ±1e308: softmax stays finite",
    ),
    Bad(
        "values_1e308",
        "array",
        {"q": Q3, "k": K3, "v": [[1e308, -1e308, 1e308]] * 3},
        OK,
        note="a weighted mean of ±1e308 stays finite",
    ),
    Bad(
        "values_overflow",
        "array",
        {"q": [[0.0]], "k": [[0.0], [0.0]], "v": [[1.7e308], [1.7e308]], "scale": False},
        OK,
        note="0.5·1.7e308 + 0.5·1.7e308 is still finite",
    ),
    Bad("mask_all_false", "array", {"q": Q3, "k": K3, "v": V3, "mask": [[False, False, False]]}, "fully_masked"),
    Bad("mask_not_bool", "array", {"q": Q3, "k": K3, "v": V3, "mask": [[1, 0, 1]]}, "mask_not_bool"),
    Bad("mask_wrong_shape", "array", {"q": Q3, "k": K3, "v": V3, "mask": [[True, False]]}, "mask_shape"),
]

POOLING: list[Bad] = [
    Bad("pool_w_wrong_length", "pooling", {"x": K3, "w": [1.0, 2.0]}, "shape_mismatch"),
    Bad("pool_nan", "pooling", {"x": [[np.nan, 0, 1], *K3[1:]], "w": [1.0, 0.0, 0.0]}, "non_finite"),
    Bad("pool_overflow", "pooling", {"x": [[1e308, 1e308, 0]], "w": [1e308, 1e308, 0]}, "score_overflow"),
    Bad("pool_extreme", "pooling", {"x": [[1e154], [-1e154]], "w": [1e154]}, OK),
    Bad("pool_temperature_zero", "pooling", {"x": K3, "w": [1.0, 0.0, 0.0], "temperature": 0.0}, "temperature"),
    Bad("pool_empty", "pooling", {"x": np.zeros((0, 3)), "w": [1.0, 0.0, 0.0]}, "shape_empty"),
]

W2V_BASE = {"vector_size": 4, "window": 3, "min_count": 1, "sg": 0, "epochs": 5, "negative": 5, "seed": 1}
W2V_TEXT = "the quick brown fox\nthe lazy dog\nthe fox and the hare"

WORD2VEC: list[Bad] = [
    Bad("w2v_min_count_too_high", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "min_count": 999}, "empty_vocabulary"),
    Bad("w2v_one_word", "word2vec", {"text": "cat", **W2V_BASE}, OK),
    Bad("w2v_one_word_repeated", "word2vec", {"text": "cat cat cat", **W2V_BASE}, OK),
    Bad("w2v_empty", "word2vec", {"text": " \n\t\n", **W2V_BASE}, "empty_text"),
    Bad("w2v_vector_size_huge", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "vector_size": 10**6}, "limit"),
    Bad("w2v_vector_size_zero", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "vector_size": 0}, "limit"),
    Bad("w2v_epochs_huge", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "epochs": 10**6}, "limit"),
    Bad("w2v_epochs_zero", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "epochs": 0}, "limit"),
    Bad("w2v_window_huge", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "window": 10**6}, "limit"),
    Bad("w2v_negative_huge", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "negative": 10**6}, "limit"),
    Bad("w2v_seed_negative", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "seed": -1}, "limit"),
    Bad("w2v_epochs_float", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "epochs": 2.5}, "limit"),
    Bad("w2v_epochs_text", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "epochs": "many"}, "limit"),
    Bad("w2v_sample_negative", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "sample": -0.001}, "limit"),
    Bad("w2v_sample_huge", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "sample": 5.0}, "limit"),
    Bad("w2v_sample_nan", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "sample": float("nan")}, "limit"),
    Bad("w2v_sample_zero", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "sample": 0}, OK, note="0 = no downsampling"),
    Bad("w2v_alpha_zero", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "alpha": 0.0}, "limit"),
    Bad("w2v_alpha_inf", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "alpha": float("inf")}, "limit"),
    Bad("w2v_alpha_text", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "alpha": "fast"}, "limit"),
    Bad("w2v_alpha_bool", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "alpha": True}, "limit"),
    Bad("w2v_alpha_largest", "word2vec", {"text": W2V_TEXT, **W2V_BASE, "alpha": 0.5}, OK),
    Bad(
        "w2v_training_budget",
        "word2vec",
        {"text": MANY_TOKENS, **W2V_BASE, "epochs": 200},
        "training_budget",
        note="5,000 tokens (after the cap) × 200 epochs",
    ),
]

QUERY_WORD: list[Bad] = [
    Bad("query_unknown", "query_word", "zebra", "unknown_word"),
    Bad("query_markup", "query_word", "<script>x</script>", "unknown_word", literal=True),
    Bad("query_empty", "query_word", "", "unknown_word"),
]

SIZE: list[Bad] = [
    Bad("dim_zero", "size", ("dim", 0), "limit", note="d_k = 0"),
    Bad("dim_negative", "size", ("dim", -3), "limit"),
    Bad("dim_huge", "size", ("dim", 10**9), "limit"),
    Bad("seed_negative", "size", ("seed", -1), "limit"),
    Bad("seed_too_big", "size", ("seed", 2**32), "limit"),
    Bad("heads_zero", "size", ("heads", 0), "heads_invalid"),
    Bad("heads_not_divisor", "size", ("heads", 3), "heads_not_divisor", note="d_model 4, 3 heads"),
    Bad("heads_huge", "size", ("heads", 10**6), "limit", note="the page checks MAX_HEADS itself"),
]

QUERY_PARAMS: list[Bad] = [
    Bad("qp_unknown_keys", "query_params", {"foo": "bar", "page": "x"}, OK),
    Bad("qp_wrong_type", "query_params", {"lang": "12", "decimals": "abc", "temperature": "hot"}, OK),
    Bad("qp_out_of_range", "query_params", {"decimals": "99999", "temperature": "-5", "lang": "zz"}, OK),
    Bad("qp_markup", "query_params", {"q": "<script>alert(1)</script>", "lang": "**ko**"}, OK, literal=True),
    Bad("qp_very_long", "query_params", {"text": "a" * 8_000, "lang": "v" * 2_000}, OK),
]

CATALOGUE: list[Bad] = [*TEXT, *CELL, *MATRIX, *ARRAY, *POOLING, *WORD2VEC, *QUERY_WORD, *SIZE, *QUERY_PARAMS]


def by_kind(*kinds: str) -> list[Bad]:
    """The entries of the given kinds."""
    return [b for b in CATALOGUE if b.kind in kinds]


def ids(entries: list[Bad]) -> list[str]:
    """pytest ids."""
    return [b.id for b in entries]


assert len({b.id for b in CATALOGUE}) == len(CATALOGUE), "catalogue ids must be unique"
assert MAX_SEQUENCE_TOKENS < 10_000 and MAX_CORPUS_TOKENS < 10_000  # "ten_thousand_tokens" must be capped
