"""Step by step: seed 000's numpy attention ("Tôi thích học AI"), every intermediate live and editable.

Page level (full reruns): sentence, seed and size, the vocabulary, the embedding table and W_q, W_k,
W_v (random from the seed, or edited), then Q, K, V. A fragment: heads and scaling, then the scores.
A nested fragment: the causal mask and steps 4-5, which the live view's temperature reruns alone.

Not the kit's ``run_lesson`` shape: two nested fragments (the scores, then the softmax), so that a
head, the scaling or the temperature reruns only the steps after it.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import (
    build_vocab,
    cap,
    causal_mask,
    multi_head_attention,
    random_tables,
    tokenize,
)
from attention_core.embeddings import RandomTables
from attention_core.errors import AttentionLabError, LimitError
from attention_core.limits import MAX_HEADS, MAX_MODEL_DIM, MAX_SEQUENCE_TOKENS, SEED_LIMIT
from attention_core.presets import STEP_BY_STEP
from lessons.step_by_step import (  # the lesson's steps
    KEEP,
    SPEC,
    Attn,
    Live,
    first_pair,
    step1,
    step2,
    step3,
    step4,
    step5,
)
from ui import present
from ui.editors import matrix_editor, reset_editor
from ui.format import dim_labels, md_code, unique_labels
from ui.i18n import error_text, show_error, t
from ui.lesson import (
    bound,
    finish,
    notebook_badge,
    opening,
    predict_panel,
    reset,
    scale_toggle,
    start,
    workbench,
)
from ui.live_attention import TEMPERATURE, current_temperature
from ui.values import BadValue, check_text

P = STEP_BY_STEP


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


# --------------------------------------------------------------------------- steps 3-5


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


def intro() -> str:
    """The lesson's first sentence names the sentence the steps are about now (user text as a code span)."""
    sentence = str(st.session_state.get(SPEC.key("sentence")) or "")
    tokens = tokenize(sentence)
    if not tokens:
        return t("sbs.intro_empty")
    shown = md_code(" ".join(tokens), 60)
    return t("sbs.intro" if tokens == tokenize(P.sentence) else "sbs.intro_own", sentence=shown)


# --------------------------------------------------------------------------- the page


if __name__ == "__main__":  # drawn when Streamlit runs the page; `pages` only reads SPEC
    start(SPEC)
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
