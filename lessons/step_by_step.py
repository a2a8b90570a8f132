"""The step-by-step lesson's steps (``pages/step_by_step.py`` reads the sentence, the tables and the switches,
and draws them in order; its live parts are fragments there).

Step 1 the embeddings, 2 Q, K and V, 3 the scores, 4 the weights (the live view), 5 the output; each a
card drawn from the engine's numbers, as seed 000 computes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from attention_core import (
    AttentionResult,
    build_vocab,
    cap,
    embed,
    project,
    random_tables,
    tokenize,
)
from attention_core.embeddings import RandomTables
from attention_core.errors import AttentionLabError
from attention_core.limits import MAX_HEADS, MAX_MODEL_DIM, MAX_SENTENCE_CHARS, MAX_SEQUENCE_TOKENS, SEED_LIMIT
from attention_core.presets import STEP_BY_STEP
from ui.export import recipes
from ui.format import dim_labels, fmt, fmt_vec, md_code, unique_labels
from ui.i18n import show_error, t
from ui.lesson import (
    covered_card,
    show_matrix,
    show_numbers,
    step_card,
    weights_view,
)
from ui.nav import PageSpec, lesson_experiment
from ui.predict import Outcome
from ui.share.fields import Flag, Int, Matrix, State, Text


@lru_cache(maxsize=16)
def _tables(vocab: tuple[str, ...], dim: int, seed: int) -> Any:
    return random_tables(len(vocab), dim, seed)


def _state_tables(state: State) -> Any:
    """The random tables for the state's sentence, size and seed (None when invalid)."""
    tokens, _ = cap(tokenize(str(state.get("sentence") or "")), MAX_SEQUENCE_TOKENS)
    dim, seed = state.get("dim"), state.get("seed")
    if not tokens or not isinstance(dim, int) or not 1 <= dim <= MAX_MODEL_DIM:
        return None
    if not isinstance(seed, int) or not 0 <= seed < SEED_LIMIT:
        return None
    return _tables(tuple(build_vocab(tokens)), dim, seed)


def _table(name: str, which: str) -> Matrix:
    """One of the editable tables (its editor is per seed: ``sbs_{name}_s{seed}``).

    It is part of the experiment only while the sentence, size and seed make tables (``when``); with
    an empty sentence or a bad size it has no default and no shape (None), never an error: a link
    or a file may hold any of these."""

    def table(state: State) -> np.ndarray | None:
        tables = _state_tables(state)
        return None if tables is None else getattr(tables, which)

    def shape(state: State) -> tuple[int, int] | None:
        t = table(state)
        return None if t is None else (int(t.shape[0]), int(t.shape[1]))

    return Matrix(
        name,
        table,
        shape=shape,
        max_rows=MAX_SEQUENCE_TOKENS,
        max_cols=MAX_MODEL_DIM,
        editor=lambda s: f"sbs_{name}_s{s['seed']}",
        when=lambda s: _state_tables(s) is not None,
    )


SPEC = PageSpec(
    name="step_by_step",
    order=20,
    title_key="nav.step_by_step",
    icon="🔢",
    summary_key="nav.step_by_step_summary",
    prefix="sbs",
    recipe=recipes.step_by_step,
    experiment=lesson_experiment(
        Text("sentence", STEP_BY_STEP.sentence, bound=True, max_chars=MAX_SENTENCE_CHARS, multiline=True),
        Int("seed", STEP_BY_STEP.seed, bound=True, low=0, high=SEED_LIMIT - 1),
        Int("dim", STEP_BY_STEP.dim, bound=True, low=1, high=MAX_MODEL_DIM),
        Int("heads", 1, bound=True, low=1, high=MAX_HEADS),
        Flag("scale", STEP_BY_STEP.scale, bound=True),
        Flag("causal", False, bound=True),
        Int("head", 1, bound=True, low=1, high=lambda s: int(s["heads"]), when=lambda s: s["heads"] > 1),
        _table("emb", "embeddings"),
        _table("wq", "w_q"),
        _table("wk", "w_k"),
        _table("wv", "w_v"),
    ),
    steps=("sbs.step1_title", "sbs.step2_title", "sbs.step3_title", "sbs.step4_title", "sbs.step5_title"),
)
KEEP = "session"  # widget values survive a visit to another page


@dataclass(frozen=True)
class Live:
    """What the fragments need from the page: the encoded sentence and its projections."""

    tokens: list[str]
    labels: list[str]
    x: np.ndarray  # (n, d)
    w: tuple[np.ndarray, np.ndarray, np.ndarray]  # W_q, W_k, W_v, each (d, d)
    matches: bool  # sentence, seed, size and every cell as in the notebook


def boxed(key: str):
    """A keyed container around one result table (tests find the table by this key)."""
    return st.container(key=SPEC.key(f"tbl_{key}"))


def num(x: float) -> str:
    """A number for a formula: ``2`` when whole, else the current decimals."""
    return fmt(x, 0) if float(x).is_integer() else fmt(x)


def vec(v: np.ndarray, shown: int = 6) -> str:
    """A vector for a sentence: every number up to 8, else the first ``shown`` and an ellipsis."""
    v = np.ravel(v)
    return fmt_vec(v) if len(v) <= 8 else fmt_vec(v[:shown])[:-1] + ", …]"


def step1(tokens: list[str], tables: RandomTables, emb: np.ndarray | None) -> np.ndarray | None:
    """Step 1: vocabulary, tokens and X (the rows of E, edited or not); returns X, None when bad."""
    vocab, dim = build_vocab(tokens), tables.embeddings.shape[1]
    words, cols = list(vocab), dim_labels(dim)
    first = (tables.embeddings if emb is None else emb)[vocab[tokens[0]]]
    formula = (
        r"x_i = E\left[\,\mathrm{vocab}(w_i)\,\right],\quad X \in \mathbb{R}^{" + f"{len(tokens)} \\times {dim}" + "}"
    )
    explain = t(
        "sbs.step1_explain", n=len(tokens), v=len(vocab), tok=md_code(tokens[0]), idx=vocab[tokens[0]], vec=vec(first)
    )
    with step_card(1, t("sbs.step1_title"), formula, explain):
        c_vocab, c_tokens = st.columns([2, 3])
        c_vocab.markdown(f"**{t('sbs.vocab_title')}**")
        with c_vocab, boxed("vocab"):
            st.dataframe(
                pd.DataFrame({t("sbs.col_index"): list(vocab.values()), t("sbs.col_word"): words}), hide_index=True
            )
        c_tokens.markdown(f"**{t('sbs.tokens_title')}**")
        positions = {t("sbs.col_position"): range(len(tokens)), t("sbs.col_token"): tokens}
        positions[t("sbs.col_vocab_index")] = [vocab[w] for w in tokens]
        with c_tokens, boxed("tokens"):
            st.dataframe(pd.DataFrame(positions), hide_index=True)
        if emb is None:
            st.info(t("sbs.fix_above"), icon="✏️")
            return None
        try:
            x = embed(tokens, vocab, emb)
        except AttentionLabError as exc:
            show_error(exc)
            return None
        with show_numbers():
            st.markdown(f"**{t('sbs.input_seq')}**")
            with boxed("x"):
                show_matrix(x, unique_labels(tokens), cols)
        return x


def step2(tokens: list[str], x: np.ndarray | None, ws: list[np.ndarray | None]) -> bool:
    """Step 2: Q, K, V from X and the three W; False while an input is bad."""
    names = ("W_q", "W_k", "W_v")
    with step_card(2, t("sbs.step2_title"), r"Q = X W_q,\quad K = X W_k,\quad V = X W_v"):
        if x is None or any(w is None for w in ws):
            st.info(t("sbs.fix_above"), icon="✏️")
            return False
        try:
            qkv = [project(x, w, name) for w, name in zip(ws, names, strict=True)]
        except AttentionLabError as exc:
            show_error(exc)
            return False
        st.caption(t("sbs.step2_explain", tok=md_code(tokens[0]), vec=vec(qkv[0][0])))
        cols = dim_labels(x.shape[1])
        with show_numbers():
            parts = (t("common.query"), t("common.key"), t("common.value"))
            tabs = st.tabs([f"{n} ({p})" for n, p in zip("QKV", parts, strict=True)])
            for holder, letter, m in zip(tabs, "QKV", qkv, strict=True):
                with holder, boxed(letter.lower()):
                    show_matrix(m, unique_labels(tokens), cols)
    return True


@dataclass(frozen=True)
class Attn:
    """What the softmax fragment needs from the scores fragment."""

    live: Live
    heads: int
    scale: bool
    head: int  # the head shown, 0-based


def first_pair(n: int) -> tuple[int, int]:
    """The query and key the explanations talk about: token 1 with token 2 (or itself)."""
    return 0, 1 if n > 1 else 0


def step3(live: Live, res: AttentionResult, h: int, head: int, scale: bool) -> None:
    """Step 3: raw and scaled scores of the head shown."""
    qi, ki = first_pair(len(live.tokens))
    d_k = res.d_k
    q, k, raw, scaled = (
        md_code(live.tokens[qi]),
        md_code(live.tokens[ki]),
        fmt(res.scores[qi, ki]),
        fmt(res.scaled[qi, ki]),
    )
    if scale:
        formula = r"S = \frac{Q K^\top}{\sqrt{d_k}} = \frac{Q K^\top}{\sqrt{" + str(d_k) + "}}"
        explain = t("sbs.step3_explain_scaled", q=q, k=k, raw=raw, div=num(res.scale_divisor), scaled=scaled)
    else:
        formula = r"S = Q K^\top"
        explain = t("sbs.step3_explain_unscaled", q=q, k=k, raw=raw, scaled=scaled)
    if h > 1:
        formula = formula.replace("S =", f"S_{{{head + 1}}} =").replace("Q K", f"Q_{{{head + 1}}} K_{{{head + 1}}}")
    with step_card(3, t("sbs.step3_title"), formula, explain):
        if h > 1:
            st.caption(t("sbs.step3_head", n=head + 1, start=head * d_k + 1, end=(head + 1) * d_k, d_k=d_k))
        st.markdown(f"**{t('sbs.scaled_scores') if scale else t('sbs.unscaled_scores')}**")
        with boxed("scaled"):  # what softmax receives: the table this step is about
            show_matrix(res.scaled, live.labels, live.labels)
        with show_numbers():
            st.markdown(f"**{t('sbs.raw_scores')}**")
            with boxed("scores"):
                show_matrix(res.scores, live.labels, live.labels)


def step4(live: Live, res: AttentionResult, a: Attn, causal: bool, outcome: Outcome) -> None:
    """Step 4: the softmax weights of the head shown (the live view)."""
    qi, _ = first_pair(len(live.tokens))
    formula = r"A = \mathrm{softmax}\!\left(\frac{S}{T}\right),\quad T = " + f"{res.temperature:.2f}"  # as the slider
    if causal:
        formula += r",\quad S_{ij} = -\infty \ \text{for}\ j > i"
    with step_card(4, t("sbs.step4_title"), formula):  # the view says which token gets the most weight
        if a.heads > 1:
            st.caption(t("sbs.weights_heatmap") + f" · {t('sbs.head_n', n=a.head + 1)}")
        axes = (t("common.query"), t("common.key"))
        labels = live.labels
        d_k = res.d_k
        span = {"n": a.head + 1, "start": a.head * d_k + 1, "end": (a.head + 1) * d_k}
        # with heads, the view's output is the shown head's (d_k numbers), not step 5's whole row
        line = t("sbs.live_output_head", **span, row="{row}", output="{output}") if a.heads > 1 else None
        weights_view(
            SPEC,
            res,
            labels,
            labels,
            values=res.v,
            scale=a.scale,
            row_title=axes[0],
            col_title=axes[1],
            focus_row=qi,
            table=False,
            output_line=line,
            outcome=outcome,
        )
        if causal:
            st.caption(t("sbs.masked_note"))
        # on demand: a 128×128 table on every slider move would cost more than everything else here
        if not outcome.covered and st.toggle(t("sbs.weights_table"), key="sbs_weights_table", persist_state=KEEP):
            with boxed("weights"):
                show_matrix(res.weights, labels, labels, weights=True)


def step5(live: Live, output: np.ndarray, h: int, covered: bool = False) -> None:
    """Step 5: the output (the heads' outputs side by side); while a prediction is open, covered."""
    q = md_code(live.tokens[first_pair(len(live.tokens))[0]])
    if covered:
        covered_card(5, t("sbs.step5_title"), r"\text{output} = A\,V")
        return
    if h == 1:
        formula, explain = r"\text{output} = A\,V", t("sbs.step5_explain", q=q, vec=vec(output[0]))
    else:
        heads = [f"A_{{{i}}} V_{{{i}}}" for i in range(1, h + 1)]
        shown = heads if h <= 3 else [*heads[:2], r"\dots", heads[-1]]  # every head when there are few
        formula = r"\text{output} = \left[\," + r" \mid ".join(shown) + r"\,\right]"
        explain = t("sbs.step5_explain_heads", q=q, h=h, vec=vec(output[0]))
    with step_card(5, t("sbs.step5_title"), formula, explain):
        with boxed("output"):
            show_matrix(output, live.labels, dim_labels(output.shape[1]))
