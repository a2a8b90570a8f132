"""Step by step: seed 000's numpy attention ("Tôi thích học AI"), every intermediate live and editable.

Page level (full reruns): sentence, seed and size, the vocabulary, the embedding table and W_q, W_k,
W_v (random from the seed, or edited), then Q, K, V. A fragment: heads and scaling, then the scores.
A nested fragment: the causal mask and steps 4-5, which the live view's temperature reruns alone.
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
from attention_core.limits import MAX_HEADS, MAX_MODEL_DIM, MAX_SEQUENCE_TOKENS, SEED_LIMIT
from attention_core.presets import STEP_BY_STEP
from ui import present
from ui.editors import matrix_editor, reset_editor
from ui.format import dim_labels, fmt, fmt_vec, md_code, unique_labels
from ui.i18n import error_text, show_error, t
from ui.lesson import (
    bound,
    covered_card,
    predict_panel,
    finish,
    notebook_badge,
    opening,
    reset,
    scale_toggle,
    show_matrix,
    show_numbers,
    start,
    step_card,
    weights_view,
    workbench,
)
from ui.live_attention import TEMPERATURE, current_temperature
from ui.nav import LESSONS
from ui.predict import Outcome
from ui.values import BadValue, check_text

SPEC = LESSONS["step_by_step"]
start(SPEC)
P = STEP_BY_STEP
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


def editor_keys(seed: int) -> list[str]:
    """Editors are per seed: a new seed shows fresh random numbers, not the old seed's edits."""
    return [SPEC.key(f"{k}_s{seed}") for k in ("emb", "wq", "wk", "wv")]


def tables_for(vocab: dict[str, int], dim: int, seed: int) -> RandomTables:
    """``random_tables`` once per (vocabulary, size, seed), kept in the session."""
    key = (tuple(vocab), dim, seed)
    cached = st.session_state.get(SPEC.key("tables"))
    if cached is None or cached[0] != key:
        cached = (key, random_tables(len(vocab), dim, seed))
        st.session_state[SPEC.key("tables")] = cached
    return cached[1]


def reset_all() -> None:
    """The reset button's callback: the notebook's inputs, and no edited cell."""
    reset(SPEC)
    for k in editor_keys(P.seed):
        reset_editor(k)


def num(x: float) -> str:
    """A number for a formula: ``2`` when whole, else the current decimals."""
    return fmt(x, 0) if float(x).is_integer() else fmt(x)


def vec(v: np.ndarray, shown: int = 6) -> str:
    """A vector for a sentence: every number up to 8, else the first ``shown`` and an ellipsis."""
    v = np.ravel(v)
    return fmt_vec(v) if len(v) <= 8 else fmt_vec(v[:shown])[:-1] + ", …]"


# --------------------------------------------------------------------------- inputs, steps 1 and 2
def inputs() -> tuple[list[str], int, int, RandomTables | None]:
    """Sentence, seed and size (with their messages next to them); the tokens and the random tables."""
    with st.container():
        st.header(t("sbs.inputs_title"))
        c_sentence = st.container()
        c_seed, c_dim = st.columns(2)
        help_sentence = t("sbs.sentence_help", limit=MAX_SEQUENCE_TOKENS)
        sentence = c_sentence.text_input(
            t("sbs.sentence"), **bound(SPEC, "sentence"), help=help_sentence, persist_state=KEEP
        )
        help_seed = t("sbs.seed_help", limit=SEED_LIMIT - 1)
        seed = int(
            c_seed.number_input(t("sbs.seed"), step=1, **bound(SPEC, "seed"), help=help_seed, persist_state=KEEP)
        )
        help_dim = t("sbs.dim_help", limit=MAX_MODEL_DIM)
        dim = int(c_dim.number_input(t("sbs.dim"), step=1, **bound(SPEC, "dim"), help=help_dim, persist_state=KEEP))
        st.button(t("sbs.reset"), key="sbs_reset", on_click=reset_all, help=t("sbs.reset_help"))
        try:  # the check every typed text passes (no control characters, no bidi overrides)
            check_text(sentence or "", multiline=True)
        except BadValue as exc:
            c_sentence.error(error_text(exc), icon="⚠️")
            return [], seed, dim, None
        all_tokens = tokenize(sentence or "")
        tokens, was_cut = cap(all_tokens, MAX_SEQUENCE_TOKENS)
        if not tokens:
            c_sentence.error(t("error.empty_text"), icon="⚠️")
            return tokens, seed, dim, None
        if was_cut:
            c_sentence.warning(t("sbs.capped", n=len(all_tokens), limit=MAX_SEQUENCE_TOKENS), icon="✂️")
        try:
            return tokens, seed, dim, tables_for(build_vocab(tokens), dim, seed)
        except LimitError as exc:  # the control's translated name instead of the engine's short name
            where, label = {"dim": (c_dim, t("sbs.dim_label")), "seed": (c_seed, t("sbs.seed_label"))}.get(
                exc.params.get("name"), (c_sentence, t("sbs.sentence"))
            )
            where.error(t("error.limit", **{**exc.params, "name": label}), icon="⚠️")
            return tokens, seed, dim, None


def embedding_editor(tokens: list[str], seed: int, tables: RandomTables) -> np.ndarray | None:
    """The embedding table E (random from the seed, editable) one click away; None while a cell is bad."""
    vocab, dim = build_vocab(tokens), tables.embeddings.shape[1]
    emb_key = editor_keys(seed)[0]
    with st.expander(t("sbs.embedding_edit_big", rows=len(vocab), cols=dim), icon=":material/edit:"):
        words = unique_labels(list(vocab))
        emb = matrix_editor(emb_key, tables.embeddings, words, dim_labels(dim), name=t("sbs.embedding_name"))
        regen_help = t("sbs.regen_embeddings_help", seed=seed)
        st.button(
            t("sbs.regen_embeddings"), key="sbs_regen_emb", on_click=reset_editor, args=(emb_key,), help=regen_help
        )
    return emb


def weight_editors(seed: int, tables: RandomTables) -> list[np.ndarray | None]:
    """W_q, W_k, W_v (random from the seed, editable) one click away; each None while a cell is bad."""
    dim, names, keys = tables.w_q.shape[0], ("W_q", "W_k", "W_v"), editor_keys(seed)[1:]
    ws: list[np.ndarray | None] = []
    with st.expander(t("sbs.weights_edit_big", d=dim), icon=":material/edit:"):
        for key, name, default in zip(keys, names, (tables.w_q, tables.w_k, tables.w_v), strict=True):
            st.markdown(f"`{name}`")
            ws.append(matrix_editor(key, default, dim_labels(dim), dim_labels(dim), name=name))
        regen = t("sbs.regen_weights_help", seed=seed)
        st.button(
            t("sbs.regen_weights"), key="sbs_regen_w", on_click=lambda: [reset_editor(k) for k in keys], help=regen
        )
    return ws


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
def score_steps(live: Live | None) -> None:
    """Heads and scaling, then step 3; the softmax fragment below it reruns with it. In presentation
    mode the heads and the switch belong to step 3's stage (the scores they change)."""
    with present.stage(3, "opts"):
        c_heads, c_scale = st.columns(2, vertical_alignment="bottom")
        c_head = st.container()
    help_heads = t("sbs.heads_help", limit=MAX_HEADS)
    h = int(c_heads.number_input(t("sbs.heads"), step=1, **bound(SPEC, "heads"), help=help_heads, persist_state=KEEP))
    with c_scale:
        scale = scale_toggle(SPEC)
    attn, r = None, None
    if live is None:
        st.info(t("sbs.fix_above"), icon="✏️")
    elif h > MAX_HEADS:
        c_heads.error(t("sbs.heads_limit", limit=MAX_HEADS), icon="⚠️")
    else:
        try:  # the scores do not depend on temperature or mask: step 3 is drawn here, steps 4-5 below
            r = multi_head_attention(live.x, *live.w, h, scale=scale)
        except AttentionLabError as exc:
            with c_heads if exc.code.startswith("heads") else st.container():
                show_error(exc)
    if live is not None and r is not None:
        head = 0
        if h > 1:  # the options are the head numbers: language-neutral, a language switch keeps the choice
            options = list(range(1, h + 1))
            radio = c_head.radio(
                t("sbs.head_select"),
                options=options,
                horizontal=True,
                **bound(SPEC, "head", default_as=None),
                persist_state=KEEP,
            )
            head = int(radio) - 1
        attn = Attn(live, h, scale, head)
        step3(live, r.heads[head], h, head, scale)
    softmax_steps(attn)


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


@st.fragment
def softmax_steps(a: Attn | None) -> None:
    """Causal mask, then steps 4 and 5: the live view's temperature reruns only this, once per gesture.
    In presentation mode the mask belongs to step 4 (the weights it hides), the badge to step 5."""
    with present.stage(4, "mask"):
        causal = st.toggle(t("sbs.causal"), **bound(SPEC, "causal"), help=t("sbs.causal_help"), persist_state=KEEP)
    if a is None:
        return
    temperature = current_temperature(SPEC.temperature_key)
    live, h, head, n = a.live, a.heads, a.head, len(a.live.tokens)
    mask = causal_mask(n) if causal else None
    try:
        r = multi_head_attention(live.x, *live.w, h, scale=a.scale, temperature=temperature, mask=mask)
    except AttentionLabError as exc:
        show_error(exc)
        return
    notebook = live.matches and h == 1 and a.scale == P.scale and not causal and TEMPERATURE.is_default(temperature)
    with present.stage(5, "badge"):
        notebook_badge(notebook, details=lambda: st.caption(t("sbs.notebook_terms")))
    shown = r.heads[head]
    outcome = predict_panel(
        SPEC,
        stage=4,
        scores=shown.scores,
        weights=shown.weights,
        rows=live.labels,
        cols=live.labels,
        d_k=shown.d_k,
        scale=a.scale,
        temperature=temperature,
        causal=causal,
        mask=mask,
        focus_row=first_pair(n)[0],
    )
    step4(live, shown, a, causal, outcome)
    step5(live, r.output, h, outcome.covered)


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


def intro() -> str:
    """The lesson's first sentence names the sentence the steps are about now (user text as a code span)."""
    sentence = str(st.session_state.get(SPEC.key("sentence")) or "")
    tokens = tokenize(sentence)
    if not tokens:
        return t("sbs.intro_empty")
    shown = md_code(" ".join(tokens), 60)
    return t("sbs.intro" if tokens == tokenize(P.sentence) else "sbs.intro_own", sentence=shown)


# --------------------------------------------------------------------------- the page
opening(SPEC, t("sbs.title"), intro())
controls, lesson = workbench()
with controls:
    tokens, seed, dim, tables = inputs()
    if tables is not None:
        emb = embedding_editor(tokens, seed, tables)
        ws = weight_editors(seed, tables)
live: Live | None = None
with lesson:
    if tables is None:
        st.info(t("sbs.fix_above"), icon="✏️")
    else:
        x = step1(tokens, tables, emb)
        if step2(tokens, x, ws) and x is not None and emb is not None:
            defaults = (tables.embeddings, tables.w_q, tables.w_k, tables.w_v)
            same = all(np.array_equal(e, d) for e, d in zip((emb, *ws), defaults, strict=True))  # type: ignore[arg-type]
            matches = P.is_input(tokens, seed, dim) and same
            live = Live(tokens, unique_labels(tokens), x, (ws[0], ws[1], ws[2]), matches)  # type: ignore[arg-type]
    score_steps(live)
finish(SPEC)
