"""Step by step: seed 000's numpy attention ("Tôi thích học AI"), every intermediate live and editable.

Page level (full reruns): sentence, seed and size, the vocabulary, the embedding table and
W_q, W_k, W_v (random from the seed, or edited), then Q, K, V. A fragment (instant reruns):
heads and scaling, then the scores.
A nested fragment holds the temperature and the mask with steps 4-5, so the Temperature slider
redraws only those. They share values through ``st.session_state`` (``sbs_live``, ``sbs_attn``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from attention_core import (
    AttentionResult,
    build_vocab,
    cap,
    causal_mask,
    embed,
    multi_head_attention,
    project,
    random_tables,
    tokenize,
)
from attention_core.embeddings import RandomTables
from attention_core.errors import AttentionLabError, LimitError
from attention_core.limits import MAX_HEADS, MAX_MATRIX_SIZE, MAX_MODEL_DIM, MAX_SEQUENCE_TOKENS, SEED_LIMIT
from attention_core.presets import STEP_BY_STEP
from ui.editors import matrix_editor, reset_editor
from ui.format import dim_labels, fmt, fmt_vec, md_code, unique_labels
from ui.i18n import show_error, t
from ui.lesson import show_matrix, step_card
from ui.live_attention import TEMPERATURE, AttentionView, current_temperature, live_attention
from ui.nav import require_app_navigation

require_app_navigation()

P = STEP_BY_STEP
LIVE_KEY = "sbs_live"
ATTN_KEY = "sbs_attn"
TABLES_KEY = "sbs_tables"
TEMPERATURE_KEY = "sbs_temperature"
#: Widget defaults, also what "reset" restores.
DEFAULTS: dict[str, object] = {
    "sbs_sentence": P.sentence,
    "sbs_seed": P.seed,
    "sbs_dim": P.dim,
    "sbs_heads": 1,
    "sbs_scale": P.scale,
    "sbs_causal": False,
    TEMPERATURE_KEY: TEMPERATURE.default,
}
EMB_EDITOR = "sbs_emb"
W_EDITORS = ("sbs_wq", "sbs_wk", "sbs_wv")
SMALL_DIM = 8  # up to this width, matrices sit side by side


@dataclass(frozen=True)
class Live:
    """What the fragment needs from the page: the encoded sentence and its projections."""

    tokens: list[str]
    labels: list[str]
    x: np.ndarray  # (n, d)
    w_q: np.ndarray  # (d, d)
    w_k: np.ndarray
    w_v: np.ndarray
    matches: bool  # sentence, seed, size and every cell as in the notebook


def boxed(key: str):
    """A keyed container around one result table (tests find the table by this key)."""
    return st.container(key=f"sbs_tbl_{key}")


def editor_keys(seed: int) -> list[str]:
    """Editors are per seed: a new seed shows fresh random numbers, not the old seed's edits."""
    return [f"{k}_s{seed}" for k in (EMB_EDITOR, *W_EDITORS)]


def tables_for(vocab: dict[str, int], dim: int, seed: int) -> RandomTables:
    """``random_tables`` once per (vocabulary, size, seed), kept in the session."""
    key = (tuple(vocab), dim, seed)
    cached = st.session_state.get(TABLES_KEY)
    if cached is None or cached[0] != key:
        cached = (key, random_tables(len(vocab), dim, seed))
        st.session_state[TABLES_KEY] = cached
    return cached[1]


def reset_all() -> None:
    """The reset button's callback: the notebook's inputs, and no edited cell."""
    for k, v in DEFAULTS.items():
        st.session_state[k] = v
    for k in editor_keys(P.seed):
        reset_editor(k)


def limit_error(exc: AttentionLabError, label: str) -> None:
    """Show a limit error with the control's translated name instead of the engine's short name."""
    st.error(t("error.limit", **{**exc.params, "name": label}), icon="⚠️")


def num(x: float) -> str:
    """A number for a formula: ``2`` when whole, else the current decimals."""
    return fmt(x, 0) if float(x).is_integer() else fmt(x)


def vec(v: np.ndarray, shown: int = 6) -> str:
    """A vector for a sentence: every number up to 8, else the first ``shown`` and an ellipsis."""
    v = np.ravel(v)
    return fmt_vec(v) if len(v) <= 8 else fmt_vec(v[:shown])[:-1] + ", …]"


def editor(key: str, default: np.ndarray, rows: list[str], cols: list[str], name: str) -> np.ndarray | None:
    """The shared matrix editor, named for its error message."""
    return matrix_editor(key, default, rows, cols, name=name)


# --------------------------------------------------------------------------- inputs
st.title(t("sbs.title"))
st.write(t("sbs.intro"))

for k, v in DEFAULTS.items():
    st.session_state.setdefault(k, v)  # widgets take their defaults from here (reset writes here too)

with st.container(border=True):
    st.subheader(t("sbs.inputs_title"))
    c_sentence, c_seed, c_dim = st.columns([3, 1, 1])
    sentence = c_sentence.text_input(
        t("sbs.sentence"), key="sbs_sentence", help=t("sbs.sentence_help", limit=MAX_SEQUENCE_TOKENS)
    )
    seed_value = c_seed.number_input(
        t("sbs.seed"), step=1, key="sbs_seed", help=t("sbs.seed_help", limit=SEED_LIMIT - 1)
    )
    dim_value = c_dim.number_input(t("sbs.dim"), step=1, key="sbs_dim", help=t("sbs.dim_help", limit=MAX_MODEL_DIM))
    st.button(t("sbs.reset"), key="sbs_reset", on_click=reset_all, help=t("sbs.reset_help"))

    all_tokens = tokenize(sentence or "")
    tokens, was_cut = cap(all_tokens, MAX_SEQUENCE_TOKENS)
    seed, dim = int(seed_value), int(dim_value)
    tables: RandomTables | None = None
    vocab = build_vocab(tokens)
    if not tokens:
        with c_sentence:
            st.error(t("error.empty_text"), icon="⚠️")
    else:
        if was_cut:
            with c_sentence:
                st.warning(t("sbs.capped", n=len(all_tokens), limit=MAX_SEQUENCE_TOKENS), icon="✂️")
        try:
            tables = tables_for(vocab, dim, seed)
        except LimitError as exc:
            name = exc.params.get("name")
            where, label = {
                "dim": (c_dim, t("sbs.dim_label")),
                "seed": (c_seed, t("sbs.seed_label")),
            }.get(name, (c_sentence, t("sbs.sentence")))
            with where:
                limit_error(exc, label)

st.session_state[LIVE_KEY] = None

# --------------------------------------------------------------------------- step 1
if tables is not None:
    words = list(vocab)
    word_labels = unique_labels(words)
    labels = unique_labels(tokens)
    cols = dim_labels(dim)
    first_row = tables.embeddings[vocab[tokens[0]]]
    with step_card(
        1,
        t("sbs.step1_title"),
        r"x_i = E\left[\,\mathrm{vocab}(w_i)\,\right],\quad X \in \mathbb{R}^{" + f"{len(tokens)} \\times {dim}" + "}",
        t(
            "sbs.step1_explain",
            n=len(tokens),
            v=len(vocab),
            tok=md_code(tokens[0]),
            idx=vocab[tokens[0]],
            vec=vec(first_row),
        ),
    ):
        c_vocab, c_tokens = st.columns(2)
        with c_vocab:
            st.markdown(f"**{t('sbs.vocab_title')}**")
            with boxed("vocab"):
                st.dataframe(
                    pd.DataFrame({t("sbs.col_index"): list(vocab.values()), t("sbs.col_word"): words}),
                    hide_index=True,
                )
        with c_tokens:
            st.markdown(f"**{t('sbs.tokens_title')}**")
            with boxed("tokens"):
                st.dataframe(
                    pd.DataFrame(
                        {
                            t("sbs.col_position"): range(1, len(tokens) + 1),
                            t("sbs.col_token"): tokens,
                            t("sbs.col_vocab_index"): [vocab[w] for w in tokens],
                        }
                    ),
                    hide_index=True,
                )
        emb_key, wq_key, wk_key, wv_key = editor_keys(seed)
        big_emb = max(tables.embeddings.shape) > MAX_MATRIX_SIZE
        if big_emb:
            area = st.expander(t("sbs.embedding_edit_big", rows=len(vocab), cols=dim), expanded=False)
        else:
            area = st.container()
            area.markdown(f"**{t('sbs.embedding_table')}**")
        with area:
            emb = editor(emb_key, tables.embeddings, word_labels, cols, t("sbs.embedding_name"))
        st.button(
            t("sbs.regen_embeddings"),
            key="sbs_regen_emb",
            on_click=reset_editor,
            args=(emb_key,),
            help=t("sbs.regen_embeddings_help", seed=seed),
        )
        x = None
        if emb is not None:
            try:
                x = embed(tokens, vocab, emb)
            except AttentionLabError as exc:
                show_error(exc)
        if x is not None:
            st.markdown(f"**{t('sbs.input_seq')}**")
            with boxed("x"):
                show_matrix(x, labels, cols)

    # ----------------------------------------------------------------------- step 2
    ws: list[np.ndarray | None] = [None, None, None]
    names = ("W_q", "W_k", "W_v")
    defaults = (tables.w_q, tables.w_k, tables.w_v)
    qkv: list[np.ndarray] | None = None
    card2 = step_card(
        2,
        t("sbs.step2_title"),
        r"Q = X W_q,\quad K = X W_k,\quad V = X W_v",
        None,
    )
    with card2:
        small = dim <= SMALL_DIM
        if small:
            st.markdown(f"**{t('sbs.weights_edit')}**")
            wcols = st.columns(3)
            for i, (k, name, default) in enumerate(zip((wq_key, wk_key, wv_key), names, defaults, strict=True)):
                with wcols[i]:
                    st.markdown(f"`{name}`")
                    ws[i] = editor(k, default, cols, cols, name)
        else:
            with st.expander(t("sbs.weights_edit_big", d=dim), expanded=False):
                for i, (k, name, default) in enumerate(zip((wq_key, wk_key, wv_key), names, defaults, strict=True)):
                    st.markdown(f"`{name}`")
                    ws[i] = editor(k, default, cols, cols, name)
        st.button(
            t("sbs.regen_weights"),
            key="sbs_regen_w",
            on_click=lambda keys=(wq_key, wk_key, wv_key): [reset_editor(k) for k in keys],
            help=t("sbs.regen_weights_help", seed=seed),
        )
        if x is None or any(w is None for w in ws):
            st.info(t("sbs.fix_above"), icon="✏️")
        else:
            try:
                qkv = [project(x, w, name) for w, name in zip(ws, names, strict=True)]
            except AttentionLabError as exc:
                show_error(exc)
        if qkv is not None:
            st.markdown(f"**{t('sbs.qkv_title')}**")
            part_names = (t("common.query"), t("common.key"), t("common.value"))
            holders = (
                st.columns(3) if small else st.tabs([f"{n} ({p})" for n, p in zip("QKV", part_names, strict=True)])
            )
            for holder, letter, part, m in zip(holders, "QKV", part_names, qkv, strict=True):
                with holder:
                    if small:
                        st.markdown(f"`{letter}` · {part}")
                    with boxed(letter.lower()):
                        show_matrix(m, labels, cols)
            st.caption(t("sbs.step2_explain", tok=md_code(tokens[0]), vec=vec(qkv[0][0])))

    if qkv is not None and x is not None and all(w is not None for w in ws):
        matches = (
            tokens == tokenize(P.sentence)
            and seed == P.seed
            and dim == P.dim
            and emb is not None
            and np.array_equal(emb, tables.embeddings)
            and all(np.array_equal(w, d) for w, d in zip(ws, defaults, strict=True))
        )
        st.session_state[LIVE_KEY] = Live(tokens, labels, x, ws[0], ws[1], ws[2], bool(matches))  # type: ignore[arg-type]
else:
    st.info(t("sbs.fix_above"), icon="✏️")


# --------------------------------------------------------------------------- steps 3-5
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


@st.fragment
def score_steps() -> None:
    """Heads and scaling, then step 3; the softmax fragment below it reruns with it."""
    st.subheader(t("sbs.live_title"))
    st.caption(t("sbs.live_caption"))
    c_heads, c_scale, c_head = st.columns([1, 1.2, 3])
    heads = c_heads.number_input(t("sbs.heads"), step=1, key="sbs_heads", help=t("sbs.heads_help", limit=MAX_HEADS))
    scale = c_scale.toggle(t("common.scale"), key="sbs_scale", help=t("common.scale_help"))
    st.session_state[ATTN_KEY] = None
    live: Live | None = st.session_state.get(LIVE_KEY)
    h = int(heads)
    r = None
    if live is None:
        st.info(t("sbs.fix_above"), icon="✏️")
    elif h > MAX_HEADS:
        with c_heads:
            st.error(t("sbs.heads_limit", limit=MAX_HEADS), icon="⚠️")
    else:
        try:
            # the scores do not depend on temperature or mask: step 3 is drawn here, steps 4-5 below
            r = multi_head_attention(live.x, live.w_q, live.w_k, live.w_v, h, scale=scale)
        except AttentionLabError as exc:
            with c_heads if exc.code.startswith("heads") else st.container():
                show_error(exc)
    if live is not None and r is not None:
        head = 0
        if h > 1:
            # the options are the head numbers themselves: language-neutral, a language switch keeps the choice
            head = int(
                c_head.radio(t("sbs.head_select"), options=list(range(1, h + 1)), horizontal=True, key="sbs_head")
            )
            head -= 1
        st.session_state[ATTN_KEY] = Attn(live, h, bool(scale), head)
        draw_step3(live, r.heads[head], h, head, bool(scale))
    softmax_steps()


def draw_step3(live: Live, res: AttentionResult, h: int, head: int, scale: bool) -> None:
    """Step 3: raw and scaled scores of the head shown."""
    qi, ki = first_pair(len(live.tokens))
    d_k = res.d_k
    q, k = md_code(live.tokens[qi]), md_code(live.tokens[ki])
    if scale:
        formula = r"S = \frac{Q K^\top}{\sqrt{d_k}} = \frac{Q K^\top}{\sqrt{" + str(d_k) + "}}"
        explain = t(
            "sbs.step3_explain_scaled",
            q=q,
            k=k,
            raw=fmt(res.scores[qi, ki]),
            div=num(res.scale_divisor),
            scaled=fmt(res.scaled[qi, ki]),
        )
    else:
        formula = r"S = Q K^\top"
        explain = t("sbs.step3_explain_unscaled", q=q, k=k, raw=fmt(res.scores[qi, ki]), scaled=fmt(res.scaled[qi, ki]))
    if h > 1:
        formula = formula.replace("S =", f"S_{{{head + 1}}} =").replace("Q K", f"Q_{{{head + 1}}} K_{{{head + 1}}}")
    with step_card(3, t("sbs.step3_title"), formula, explain):
        if h > 1:
            st.caption(t("sbs.step3_head", n=head + 1, start=head * d_k + 1, end=(head + 1) * d_k, d_k=d_k))
        c_raw, c_scaled = st.columns(2)
        with c_raw:
            st.markdown(f"**{t('sbs.raw_scores')}**")
            with boxed("scores"):
                show_matrix(res.scores, live.labels, live.labels)
        with c_scaled:
            st.markdown(f"**{t('sbs.scaled_scores') if scale else t('sbs.unscaled_scores')}**")
            with boxed("scaled"):
                show_matrix(res.scaled, live.labels, live.labels)


@st.fragment
def softmax_steps() -> None:
    """Causal mask, then steps 4 and 5: the live view's temperature reruns only this, once per gesture."""
    causal = st.toggle(t("sbs.causal"), key="sbs_causal", help=t("sbs.causal_help"))
    temperature = current_temperature(TEMPERATURE_KEY)
    a: Attn | None = st.session_state.get(ATTN_KEY)
    if a is None:
        return
    live, h, head = a.live, a.heads, a.head
    n = len(live.tokens)
    try:
        r = multi_head_attention(
            live.x,
            live.w_q,
            live.w_k,
            live.w_v,
            h,
            scale=a.scale,
            temperature=temperature,
            mask=causal_mask(n) if causal else None,
        )
    except AttentionLabError as exc:
        show_error(exc)
        return
    res = r.heads[head]
    labels = live.labels
    qi, _ = first_pair(n)

    notebook = live.matches and h == 1 and a.scale == P.scale and not causal and TEMPERATURE.is_default(temperature)
    if notebook:
        st.success(t("common.matches_notebook"))
    else:
        st.caption(t("common.differs_from_notebook"))

    # step 4
    best = int(np.argmax(res.weights[qi]))
    formula = (
        r"A = \mathrm{softmax}\!\left(\frac{S}{T}\right),\quad T = " + f"{temperature:.2f}"
    )  # as the slider shows it
    if causal:
        formula += r",\quad S_{ij} = -\infty \ \text{for}\ j > i"
    with step_card(
        4,
        t("sbs.step4_title"),
        formula,
        t("sbs.step4_explain", q=md_code(live.tokens[qi]), k=md_code(live.tokens[best]), w=fmt(res.weights[qi, best])),
    ):
        if h > 1:
            st.caption(t("sbs.weights_heatmap") + f" · {t('sbs.head_n', n=head + 1)}")
        live_attention(
            "sbs_live_view",
            AttentionView(
                scores=res.scores,
                values=res.v,
                q=res.q,
                k=res.k,
                scale=a.scale,
                mask=res.mask,
                rows=labels,
                cols=labels,
                row_title=t("common.query"),
                col_title=t("common.key"),
                focus_row=qi,
            ),
            temperature_key=TEMPERATURE_KEY,
        )
        if causal:
            st.caption(t("sbs.masked_note"))
        # on demand: a 128×128 table on every slider move would cost more than everything else here
        if st.toggle(t("sbs.weights_table"), key="sbs_weights_table"):
            with boxed("weights"):
                show_matrix(res.weights, labels, labels)

    # step 5
    if h == 1:
        formula = r"\text{output} = A\,V"
        explain = t("sbs.step5_explain", q=md_code(live.tokens[qi]), vec=vec(r.output[qi]))
    else:
        formula = r"\text{output} = \left[\,A_1 V_1 \mid \dots \mid A_{" + str(h) + "} V_{" + str(h) + r"}\,\right]"
        explain = t("sbs.step5_explain_heads", q=md_code(live.tokens[qi]), h=h, vec=vec(r.output[qi]))
    with step_card(5, t("sbs.step5_title"), formula, explain):
        st.markdown(f"**{t('sbs.output_title')}**")
        with boxed("output"):
            show_matrix(r.output, labels, dim_labels(r.output.shape[1]))


score_steps()
