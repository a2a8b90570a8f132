"""The KV-cache page (AppTest): at every step, every number it shows (the new q, k, v; the cached and
new K and V rows; the live view's scores, weights and output; the output against the full causal
recomputation; the multiply-adds and the cache's memory) against an independent numpy computation
(seed 000's tables drawn here in the notebook's order, attention written out row by row, never with
``attention_core``); the ``kv-check`` container, the step buttons, Play, and the languages."""

from __future__ import annotations

import math
import types

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import attention_core
from tests.apptest_helpers import chart, live_numbers, live_view, open_page, set_temperature
from ui.i18n import catalog

SEED_000 = "Tôi thích học AI"
#: The GUIDE's reference: seed 000's Q[0], the query of the first token generated.
Q0 = [1.3841427, 0.93171313, 0.94939871, 0.93588465]


# --------------------------------------------------------------------------- the reference, plain numpy
def reference(sentence: str, seed: int, dim: int, temperature: float = 1.0) -> dict[str, object]:
    """Seed 000's way: vocabulary in first-occurrence order, ``np.random.seed(seed)``, the embedding
    table rand(v, d), then W_q, W_k, W_v rand(d, d) each; then, per step t, the new token's query over
    the keys and values of tokens 0..t, and the full causal self-attention, each written out."""
    tokens = sentence.split()[:12]
    vocab: dict[str, int] = {}
    for w in tokens:
        vocab.setdefault(w, len(vocab))
    rng = np.random.RandomState(seed)
    emb = rng.rand(len(vocab), dim)
    w_q, w_k, w_v = rng.rand(dim, dim), rng.rand(dim, dim), rng.rand(dim, dim)
    x = emb[[vocab[w] for w in tokens]]
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    n = len(tokens)
    # the full causal recomputation: the whole n × n scores, the upper triangle masked
    z = q @ k.T / math.sqrt(dim) / temperature
    z = np.where(np.tril(np.ones((n, n))) == 1, z, -np.inf)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    full = (e / e.sum(axis=1, keepdims=True)) @ v
    steps = []
    projections = 3 * dim * dim  # one token's q, k and v: three (d) × (d × d) products
    for t in range(n):
        scores = np.array([q[t] @ k[j] for j in range(t + 1)])  # only the keys so far
        s = scores / math.sqrt(dim) / temperature
        w = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
        out = sum(w[j] * v[j] for j in range(t + 1))
        steps.append(
            {
                "q": q[t],
                "k_new": k[t],
                "v_new": v[t],
                "k": k[: t + 1],
                "v": v[: t + 1],
                "scores": scores,
                "weights": w,
                "output": out,
                # multiply-adds: the new token's projections, its t+1 scores and its weighted sum of
                # t+1 values (width d each); recomputing: every token's projections and the whole
                # (t+1) × (t+1) scores and weighted sums
                "cached": projections + (t + 1) * dim + (t + 1) * dim,
                "full": (t + 1) * projections + (t + 1) ** 2 * dim * 2,
                "memory": (t + 1) * 2 * dim,  # t+1 keys and t+1 values of width d
            }
        )
    # labels: a word that occurs twice is named with its 1-based position ("the #1", "the #5")
    labels = [f"{w} #{i + 1}" if tokens.count(w) > 1 else w for i, w in enumerate(tokens)]
    return {"tokens": labels, "steps": steps, "full": full}


# --------------------------------------------------------------------------- reading the page
def block(at: AppTest, key: str):  # noqa: ANN201 - an AppTest Block, or None
    from streamlit.testing.v1.element_tree import Block

    todo = [at._tree]
    while todo:
        node = todo.pop()
        if isinstance(node, Block) and str(getattr(getattr(node, "proto", None), "id", "") or "").endswith(f"-{key}"):
            return node
        todo.extend(getattr(node, "children", {}).values())
    return None


def table(at: AppTest, key: str) -> pd.DataFrame:
    """The table the page draws in container ``key`` (its parts, when split, side by side)."""
    found = block(at, key)
    assert found is not None, key
    parts, todo = [], [found]
    while todo:
        node = todo.pop(0)
        if type(node).__name__ == "Dataframe":
            parts.append(node.value)
        todo.extend(getattr(node, "children", {}).values())
    assert parts, key
    return pd.concat(parts, axis=1) if len(parts) > 1 else parts[0]


def step_of(at: AppTest) -> int:
    return int(at.session_state["kv_step"])


def assert_step_matches(at: AppTest, ref: dict[str, object], step: int, temperature: float = 1.0) -> None:
    """Every number of step ``step`` (1-based) against the reference."""
    assert not at.exception, [e.message for e in at.exception]
    assert step_of(at) == step
    r = ref["steps"][step - 1]
    tokens = ref["tokens"]
    tol = {"rtol": 1e-12, "atol": 1e-12}
    # step 1: the new token's q, k and v
    np.testing.assert_allclose(table(at, "kv_new").to_numpy(), np.vstack([r["q"], r["k_new"], r["v_new"]]), **tol)
    # step 2: the cache, marked row by row (reused before t, new at t)
    k_table, v_table = table(at, "kv_k"), table(at, "kv_v")
    np.testing.assert_allclose(k_table.to_numpy(), r["k"], **tol)
    np.testing.assert_allclose(v_table.to_numpy(), r["v"], **tol)
    marks = [f"{tok} · cached" for tok in tokens[: step - 1]] + [f"{tokens[step - 1]} · new"]
    assert list(k_table.index) == marks and list(v_table.index) == marks
    # the live view: the new query's raw scores over the cached keys, its weights and output
    header, arrays = live_view(at)
    assert header["rows"] == [tokens[step - 1]] and header["cols"] == tokens[:step]
    assert header["scale"] is True and header["d_k"] == len(r["q"])
    np.testing.assert_allclose(arrays["scores"], r["scores"][None, :], **tol)
    np.testing.assert_allclose(arrays["values"], r["v"], **tol)
    w, out = live_numbers(at)
    np.testing.assert_allclose(w, r["weights"][None, :], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(out, r["output"][None, :], rtol=1e-9, atol=1e-12)
    # step 3: the output with the cache, the full recomputation's row t, and the check
    outputs = table(at, "kv_output").to_numpy()
    np.testing.assert_allclose(outputs[0], r["output"], **tol)
    np.testing.assert_allclose(outputs[1], ref["full"][step - 1], **tol)
    np.testing.assert_allclose(outputs[0], outputs[1], rtol=0, atol=1e-12)
    assert block(at, "kv-check") is not None
    # step 4: multiply-adds and memory, per step and in total (table and chart)
    steps = ref["steps"]
    work = table(at, "kv_work_table").to_numpy()
    want = np.array([[s["cached"], s["full"], s["memory"]] for s in steps])
    np.testing.assert_array_equal(work[:-1], want)
    np.testing.assert_array_equal(work[-1, :2], want[:, :2].sum(axis=0))
    fig = chart(at, "kv_work")
    np.testing.assert_array_equal(fig["data"][0]["y"], want[:, 0])
    np.testing.assert_array_equal(fig["data"][1]["y"], want[:, 1])
    np.testing.assert_array_equal(fig["data"][2]["y"], want[:, 2])
    assert [s["x0"] for s in fig["layout"]["shapes"]] == [step, step]  # the step shown is marked
    # the memory grows linearly: the same number more at every token
    assert len(set(np.diff(want[:, 2]))) <= 1


# --------------------------------------------------------------------------- tests
def test_seed_000_every_step_matches_numpy_next_and_previous() -> None:
    at = open_page("kv_cache")
    ref = reference(SEED_000, 42, 4)
    np.testing.assert_allclose(ref["steps"][0]["q"], Q0, rtol=0, atol=1e-8)  # the GUIDE's printout
    n = len(ref["tokens"])
    assert at.button(key="kv_previous_token").disabled and at.button(key="kv_next_token").label == "Next token"
    for step in range(1, n + 1):
        assert_step_matches(at, ref, step)
        if step < n:
            at.button(key="kv_next_token").click().run()
    assert at.button(key="kv_next_token").disabled  # the last token
    for step in range(n - 1, 0, -1):
        at.button(key="kv_previous_token").click().run()
        assert_step_matches(at, ref, step)
    assert at.button(key="kv_previous_token").disabled


def test_moving_every_control_matches_numpy() -> None:
    at = open_page("kv_cache")
    sentence = "the cat sat on the mat"
    at.text_input(key="kv_sentence").set_value(sentence).run()
    at.number_input(key="kv_seed").set_value(7).run()
    at.number_input(key="kv_dim").set_value(3).run()
    at.slider(key="kv_step").set_value(5).run()
    ref = reference(sentence, 7, 3)
    assert_step_matches(at, ref, 5)
    set_temperature(at, "kv_temperature", 0.4).run()
    assert_step_matches(at, reference(sentence, 7, 3, 0.4), 5, 0.4)
    # a repeated word: the same vocabulary row, its own position (labels made distinct)
    at.slider(key="kv_step").set_value(6).run()
    assert not at.exception
    assert table(at, "kv_k").shape == (6, 3)


def test_a_shorter_sentence_keeps_the_step_inside_it() -> None:
    at = open_page("kv_cache")
    at.slider(key="kv_step").set_value(4).run()
    at.text_input(key="kv_sentence").set_value("hello world").run()
    assert not at.exception and step_of(at) == 2
    assert_step_matches(at, reference("hello world", 42, 4), 2)
    at.text_input(key="kv_sentence").set_value("alone").run()
    assert not at.exception and step_of(at) == 1
    assert_step_matches(at, reference("alone", 42, 4), 1)


def test_play_advances_one_token_and_stops_at_the_end() -> None:
    at = open_page("kv_cache")
    at.button(key="kv_play").click().run()
    assert not at.exception and step_of(at) == 2  # the playing fragment's run: one token further
    assert at.button(key="kv_pause") is not None and at.session_state["kv_playing"] is True
    at.button(key="kv_pause").click().run()
    assert step_of(at) == 2 and at.session_state["kv_playing"] is False
    # playing at the last token: it stops there, and Play is offered again
    at.session_state["kv_step"] = 4
    at.session_state["kv_playing"] = True
    at.run()
    assert not at.exception and step_of(at) == 4 and at.session_state["kv_playing"] is False
    assert at.button(key="kv_play").label == "Play"


def test_the_check_is_absent_when_the_outputs_differ(monkeypatch: pytest.MonkeyPatch) -> None:
    """``kv-check`` is drawn only while the cached output equals the full recomputation: with the
    recomputation off by 1e-9 (patched), it is gone and the page says they differ."""
    real = attention_core.self_attention

    def off(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        r = real(*args, **kwargs)
        return types.SimpleNamespace(attention=types.SimpleNamespace(output=r.attention.output + 1e-9))

    at = open_page("kv_cache")
    assert block(at, "kv-check") is not None
    monkeypatch.setattr(attention_core, "self_attention", off)
    at.run()
    assert not at.exception
    assert block(at, "kv-check") is None
    assert any("1.0e-09" in e.value for e in at.error)


def test_the_narration_says_the_numbers() -> None:
    at = open_page("kv_cache")
    ref = reference(SEED_000, 42, 4)
    first = ref["steps"][0]
    sentence = next(m.value for m in at.markdown if m.value.startswith("Token 1"))
    assert f"{first['cached']} multiply-adds" in sentence and f"{first['memory']} numbers" in sentence
    at.slider(key="kv_step").set_value(3).run()
    third = ref["steps"][2]
    best = ref["tokens"][int(np.argmax(third["weights"]))]
    sentence = next(m.value for m in at.markdown if m.value.startswith("Token 3"))
    assert f"`{best}`" in sentence and f"{third['weights'].max():.4f}" in sentence
    assert f"{third['cached']} multiply-adds with the cache instead of {third['full']}" in sentence
    totals = [sum(s[k] for s in ref["steps"]) for k in ("cached", "full")]
    assert f"{totals[0]} against {totals[1]}" in sentence
    assert f"{third['full'] / third['cached']:.1f} times fewer" in sentence


@pytest.mark.parametrize("lang", ["vi", "ko"])
def test_the_page_speaks_the_language(lang: str) -> None:
    at = open_page("kv_cache", lang)
    cat, en = catalog(lang), catalog("en")
    assert at.title[0].value == cat["kv.title"]
    assert at.button(key="kv_next_token").label == cat["kv.next"] != en["kv.next"]
    assert at.button(key="kv_previous_token").label == cat["kv.previous"]
    assert at.text_input(key="kv_sentence").label == cat["kv.sentence"]
    assert list(table(at, "kv_work_table").columns) == [cat["kv.col_cached"], cat["kv.col_full"], cat["kv.col_memory"]]
    assert list(table(at, "kv_output").index) == [cat["kv.row_cached"], cat["kv.row_full"]]
    fig = chart(at, "kv_work")
    assert fig["layout"]["title"]["text"] == cat["kv.work_chart"]
    assert f"**{cat['kv.lesson_title']}**" in [m.value for m in at.markdown]
    narration = [m.value for m in at.markdown if m.value.startswith(cat["kv.narration_first"].split("{")[0])]
    assert len(narration) == 1 and "has nothing before it" not in narration[0]


def change_every_field(at: AppTest) -> None:
    """Change every field of the lesson through its widgets, each to a valid value (the link, export
    and comparison tests read it through ``tests.share_helpers.CHANGES``)."""
    at.text_input(key="kv_sentence").set_value("the cat sat on the mat <b>!</b>").run()
    at.number_input(key="kv_seed").set_value(7).run()
    at.number_input(key="kv_dim").set_value(6).run()
    at.slider(key="kv_step").set_value(4).run()
    at.button(key="kv_next_token").click().run()  # token 5
    set_temperature(at, "kv_temperature", 0.6).run()
