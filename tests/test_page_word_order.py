"""The word-order lesson (issue 25, lesson 3) in AppTest: its numbers against an independent numpy
computation (seed 000's draws with numpy's RandomState, attention, sinusoidal positions and rotations
written out here, not the engine's code): permutation equivariance to 1e-12 without positions, its
breaking with sinusoidal positions, and RoPE's offset property."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import live_numbers, live_view, open_page, set_temperature

SENTENCE = "Tôi thích học AI"  # the lesson's default (seed 000)


# --------------------------------------------------------------------------- independent numpy
def draws(tokens: list[str], seed: int = 42, d: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """X (one row per token, vocabulary in first-occurrence order) and W_q, W_k, W_v as seed 000 draws them."""
    vocab: dict[str, int] = {}
    for w in tokens:
        vocab.setdefault(w, len(vocab))
    rs = np.random.RandomState(seed)
    emb = rs.rand(len(vocab), d)
    w_q, w_k, w_v = rs.rand(d, d), rs.rand(d, d), rs.rand(d, d)
    return emb[[vocab[w] for w in tokens]], w_q, w_k, w_v


def pe(n: int, d: int) -> np.ndarray:
    out = np.zeros((n, d))
    for p in range(n):
        for j in range(d):
            i = j // 2
            angle = p / 10000 ** (2 * i / d)
            out[p, j] = np.sin(angle) if j % 2 == 0 else np.cos(angle)
    return out


def rotate(x: np.ndarray, positions: list[float]) -> np.ndarray:
    out = x.astype(float).copy()
    d = x.shape[1]
    for r, p in enumerate(positions):
        for i in range(d // 2):
            a, b = x[r, 2 * i], x[r, 2 * i + 1]
            th = p * 10000 ** (-2 * i / d)
            out[r, 2 * i], out[r, 2 * i + 1] = a * np.cos(th) - b * np.sin(th), a * np.sin(th) + b * np.cos(th)
    return out


def self_attention(x: np.ndarray, w_q: np.ndarray, w_k: np.ndarray, w_v: np.ndarray, positions: str):
    if positions == "sinusoidal":
        x = x + pe(*x.shape)
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    if positions == "rope":
        q, k = rotate(q, list(range(len(q)))), rotate(k, list(range(len(k))))
    z = q @ k.T / np.sqrt(q.shape[1])
    e = np.exp(z - z.max(axis=1, keepdims=True))
    w = e / e.sum(axis=1, keepdims=True)
    return w, w @ v


# --------------------------------------------------------------------------- the page's numbers
def _block(at: AppTest, key: str) -> Any:
    from streamlit.testing.v1.element_tree import Block

    todo = [at.main]
    while todo:
        node = todo.pop()
        if isinstance(node, Block):
            if str(getattr(node.proto, "id", "") or "").endswith(f"-{key}"):
                return node
            todo.extend(node.children.values())
    raise AssertionError(f"no block {key}")


def table(at: AppTest, key: str) -> np.ndarray:
    """The read-only table in container ``key`` (show_matrix keeps full precision)."""
    frames = []
    todo = [_block(at, key)]
    while todo:
        node = todo.pop()
        if type(node).__name__ == "Dataframe":
            frames.append(node.value)
        todo.extend(getattr(node, "children", {}).values())
    assert len(frames) == 1, key
    return frames[0].to_numpy(dtype=float)


def order(at: AppTest) -> list[int]:
    """The shuffle the page shows, read from its order table (tokens distinct in these tests)."""
    frame = next(d.value for d in at.dataframe if d.proto.editing_mode == 0 and d.value.shape[1] == 3)
    original, shuffled = list(frame.iloc[:, 1]), list(frame.iloc[:, 2])
    assert sorted(original) == sorted(shuffled) and original != shuffled
    return [original.index(w) for w in shuffled]


def with_positions(positions: str, **state: Any) -> AppTest:
    at = open_page("word_order", run=False)
    at.session_state["wo_positions"] = positions
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


# --------------------------------------------------------------------------- the tests
def test_without_positions_a_shuffle_only_reorders_the_weights_and_outputs() -> None:
    at = open_page("word_order")
    tokens = SENTENCE.split()
    o = order(at)
    x, w_q, w_k, w_v = draws(tokens)
    w, out = self_attention(x, w_q, w_k, w_v, "none")
    ws, outs = self_attention(x[o], w_q, w_k, w_v, "none")
    # independent: the shuffle only reorders (the property itself)
    assert np.abs(w[np.ix_(o, o)] - ws).max() <= 1e-12 and np.abs(out[o] - outs).max() <= 1e-12
    # the page: its two tables side by side, and the live view, equal numpy's
    np.testing.assert_allclose(table(at, "wo_tbl_reordered"), w[np.ix_(o, o)], rtol=0, atol=1e-12)
    np.testing.assert_allclose(table(at, "wo_tbl_shuffled"), ws, rtol=0, atol=1e-12)
    page_w, page_out = live_numbers(at)
    np.testing.assert_allclose(page_w, ws, rtol=0, atol=1e-12)
    np.testing.assert_allclose(page_out, outs, rtol=0, atol=1e-12)
    assert live_view(at)[0]["rows"] == [tokens[i] for i in o]
    assert any(s.value.startswith("Equal to 1e-12") for s in at.success)
    assert any("attention cannot tell the two orders apart" in c.value for c in at.caption)


def test_sinusoidal_positions_break_the_equivariance() -> None:
    at = with_positions("sinusoidal")
    tokens = SENTENCE.split()
    o = order(at)
    x, w_q, w_k, w_v = draws(tokens)
    w, out = self_attention(x, w_q, w_k, w_v, "sinusoidal")
    ws, outs = self_attention(x[o], w_q, w_k, w_v, "sinusoidal")
    assert np.abs(out[o] - outs).max() > 1e-2  # the property breaks
    np.testing.assert_allclose(table(at, "wo_tbl_reordered"), w[np.ix_(o, o)], rtol=0, atol=1e-12)
    np.testing.assert_allclose(table(at, "wo_tbl_shuffled"), ws, rtol=0, atol=1e-12)
    np.testing.assert_allclose(live_numbers(at)[0], ws, rtol=0, atol=1e-12)
    # the PE heatmap is the table of "Attention Is All You Need"
    from tests.apptest_helpers import chart

    np.testing.assert_allclose(np.array(chart(at, "wo_pe")["data"][0]["z"], dtype=float), pe(4, 4), rtol=0, atol=1e-12)
    assert not at.success and any("the shuffle changes the answer" in c.value for c in at.caption)


@pytest.mark.parametrize(
    ("m", "n", "s"), [(3, 1, 4), (0, 7, 50), (63, 0, 64), (3, 1, 0)]
)  # s = 0: two columns, one position
def test_rope_scores_depend_only_on_the_offset(m: int, n: int, s: int) -> None:
    at = with_positions("rope")
    at.slider(key="wo_m").set_value(m).run()
    at.slider(key="wo_n").set_value(n).run()
    at.slider(key="wo_s").set_value(s).run()
    assert not at.exception
    x, w_q, w_k, _ = draws(SENTENCE.split())
    q, k = (x @ w_q)[:1], (x @ w_k)[1:2]
    before = float(rotate(q, [m])[0] @ rotate(k, [n])[0])
    after = float(rotate(q, [m + s])[0] @ rotate(k, [n + s])[0])
    assert abs(before - after) <= 1e-12
    frame = next(d.value for d in at.dataframe if f"Score at ({m}, {n})" in d.value.columns)
    shifted = f"Score at ({m + s}, {n + s})" if s else f"Shifted by 0: ({m}, {n})"
    assert list(frame.columns) == [f"Score at ({m}, {n})", shifted, "Difference"]
    page_before, page_after, page_diff = frame.to_numpy(dtype=float)[0]
    assert abs(page_before - before) <= 1e-12 and abs(page_after - after) <= 1e-12 and page_diff <= 1e-12
    assert any(s_.value.startswith("The same score to 1e-12") for s_ in at.success)
    # and the weights with rotary positions: the shuffle changes them
    o = order(at)
    _, out = self_attention(x, w_q, w_k, draws(SENTENCE.split())[3], "rope")
    ws, outs = self_attention(x[o], w_q, w_k, draws(SENTENCE.split())[3], "rope")
    np.testing.assert_allclose(live_numbers(at)[0], ws, rtol=0, atol=1e-12)
    assert np.abs(out[o] - outs).max() > 1e-3


def test_the_shuffle_button_draws_another_order_kept_in_the_link() -> None:
    at = open_page("word_order", run=False)
    at.session_state["wo_sentence"] = "a b c d e f"
    at.run()
    first = order(at)
    at.button(key="wo_shuffle_button").click().run()
    second = order(at)
    assert first != second and sorted(second) == list(range(6))
    assert at.query_params["wo_shuffle"] == ["2"] or at.query_params["wo_shuffle"] == "2"
    x, w_q, w_k, w_v = draws(list("abcdef"))
    ws, _ = self_attention(x[second], w_q, w_k, w_v, "none")
    np.testing.assert_allclose(live_numbers(at)[0], ws, rtol=0, atol=1e-12)


def test_one_word_cannot_be_shuffled_and_nothing_breaks() -> None:
    at = open_page("word_order", run=False)
    at.session_state["wo_sentence"] = "alone"
    at.run()
    assert not at.exception and not at.error
    assert at.button(key="wo_shuffle_button").disabled


@pytest.mark.parametrize(
    ("sentence", "message"),
    [("   ", "error"), ("a\u202eb c", "error"), (" ".join(f"w{i}" for i in range(200)), "warning")],
    ids=["empty", "bidi override", "200 words"],
)
def test_a_bad_or_long_sentence_says_so_and_never_breaks(sentence: str, message: str) -> None:
    at = open_page("word_order", run=False)
    at.session_state["wo_sentence"] = sentence
    at.session_state["wo_positions"] = "sinusoidal"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(getattr(at, message)) >= 1
    if message == "warning":  # capped at 128 words: the lesson still runs on them
        assert live_view(at)[1]["scores"].shape == (128, 128)


def change_every_field(at: AppTest) -> None:
    """Change every field of the lesson through its widgets, each to a valid value (the link, export
    and comparison tests read it through ``tests.share_helpers.CHANGES``)."""
    at.text_input(key="wo_sentence").set_value("the dog bites the man <b>!</b>").run()
    at.number_input(key="wo_seed").set_value(7).run()
    at.button(key="wo_shuffle_button").click().run()
    at.radio(key="wo_positions").set_value("rope").run()
    at.slider(key="wo_m").set_value(10).run()
    at.slider(key="wo_s").set_value(20).run()
    set_temperature(at, "wo_temperature", 0.5).run()
