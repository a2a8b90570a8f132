"""Masks: padding and causal (issue 25, lesson 2).

A batch of two or three sentences of different lengths, padded to one length with ``<pad>``, embedded
as seed 000 does (random tables from a seed). Without a key-padding mask the pads take weight; with it
they take exactly 0 and the real tokens' outputs equal the unpadded sentence's. The causal mask
combines with it, the learner hides any key, and a row with every key hidden gets weights 0
(``fully_masked="zeros"``) where the engine's default raises. Every number comes from
:mod:`attention_core.masks`; this page reads widgets, calls it, and draws.

Page level (full reruns): the sentences, seed and size, the padded batch. A fragment: the masks, the
sentence shown and the steps, which the live view's temperature reruns alone.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import (
    PAD,
    batch_self_attention,
    build_vocab,
    cap,
    embed,
    pad_batch,
    random_tables,
    tokenize,
    weight_on_pads,
)
from attention_core.embeddings import RandomTables
from attention_core.errors import AttentionLabError
from attention_core.limits import MAX_MODEL_DIM, SEED_LIMIT
from attention_core.presets import MASKS
from lessons.masks import (  # the lesson's steps
    SPEC,
    Batch,
    Masks,
    batch_step,
    check_step,
    fully_masked_step,
    mask_step,
    narration,
    pads_step,
    visible,
)
from ui import present
from ui.format import unique_labels
from ui.i18n import error_text, show_error, t
from ui.lesson import (
    bound,
    covered_card,
    live_view,
    predict_panel,
    reset,
    run_lesson,
    show_matrix,
    start,
    step_card,
)
from ui.live_attention import AttentionView, current_temperature
from ui.values import BadValue, check_text

KEEP = "session"  # widget values survive a visit to another page


def tables_for(vocab: dict[str, int], dim: int, seed: int) -> RandomTables:
    """``random_tables`` once per (vocabulary, size, seed), kept in the session."""
    key = (tuple(vocab), dim, seed)
    cached = st.session_state.get(SPEC.key("tables"))
    if cached is None or cached[0] != key:
        cached = (key, random_tables(len(vocab), dim, seed))
        st.session_state[SPEC.key("tables")] = cached
    return cached[1]


# --------------------------------------------------------------------------- inputs
def sentence_input(i: int) -> list[str] | None:
    """Sentence ``i`` (1-based) as tokens, capped; None (with its message) when the text is refused.
    The third sentence may be empty (a batch of two)."""
    box = st.container()
    text = box.text_input(
        t("masks.sentence_n", n=i),
        **bound(SPEC, f"s{i}"),
        help=t("masks.sentence_help", limit=MASKS.max_tokens),
        persist_state=KEEP,
    )
    try:
        check_text(text or "")
    except BadValue as exc:
        box.error(error_text(exc), icon="⚠️")
        return None
    all_tokens = tokenize(text or "")
    tokens, was_cut = cap(all_tokens, MASKS.max_tokens)
    if was_cut:
        box.warning(t("masks.capped", n=len(all_tokens), limit=MASKS.max_tokens), icon="✂️")
    if not tokens and i < 3:
        box.error(t("error.empty_text"), icon="⚠️")
        return None
    return tokens


def inputs() -> Batch | None:
    """The sentences, seed and size; the padded batch and its embeddings (None while an input is bad)."""
    st.header(t("masks.inputs_title"))
    sentences = [sentence_input(i) for i in (1, 2, 3)]
    c_seed, c_dim = st.columns(2)
    seed = int(
        c_seed.number_input(
            t("masks.seed"),
            step=1,
            **bound(SPEC, "seed"),
            help=t("masks.seed_help", limit=SEED_LIMIT - 1),
            persist_state=KEEP,
        )
    )
    dim = int(
        c_dim.number_input(
            t("masks.dim"),
            step=1,
            **bound(SPEC, "dim"),
            help=t("masks.dim_help", limit=MAX_MODEL_DIM),
            persist_state=KEEP,
        )
    )
    st.button(t("masks.reset"), key=SPEC.key("reset"), on_click=lambda: reset(SPEC), help=t("masks.reset_help"))
    if any(s is None for s in sentences):
        return None
    real = [s for s in sentences if s]  # the empty third sentence is left out
    try:
        padded = pad_batch(real)
        vocab = build_vocab([*(tok for s in real for tok in s), PAD])  # the pad is a word with a vector too
        tables = tables_for(vocab, dim, seed)
        x = np.stack([embed(tokens, vocab, tables.embeddings) for tokens in padded.tokens])
    except AttentionLabError as exc:
        show_error(exc)
        return None
    return Batch(padded, x, (tables.w_q, tables.w_k, tables.w_v))


def mask_controls(batch: Batch) -> Masks:
    """The key-padding and causal switches, the sentence shown and the keys hidden."""
    pad = st.toggle(t("masks.pad"), **bound(SPEC, "pad"), help=t("masks.pad_help"), persist_state=KEEP)
    causal = st.toggle(t("masks.causal"), **bound(SPEC, "causal"), help=t("masks.causal_help"), persist_state=KEEP)
    m = len(batch.padded.tokens)
    show_key = SPEC.key("show")
    if st.session_state.get(show_key) not in range(1, m + 1):  # a sentence removed since (or a link's)
        st.session_state[show_key] = min(max(int(st.session_state.get(show_key) or 1), 1), m)
    shown = 1
    if m > 1:
        shown = int(
            st.radio(
                t("masks.show"),
                options=list(range(1, m + 1)),
                horizontal=True,
                **bound(SPEC, "show", default_as=None),
                persist_state=KEEP,
            )
        )
    n = batch.padded.n
    options = [str(j + 1) for j in range(n)]
    hidden_key = SPEC.key("hidden")
    kept = [v for v in st.session_state.get(hidden_key) or [] if v in options]
    if kept != list(st.session_state.get(hidden_key) or []):
        st.session_state[hidden_key] = kept
    tokens = batch.padded.tokens[shown - 1]
    hidden = st.multiselect(
        t("masks.hide"),
        options,
        format_func=lambda v: f"{v} · {tokens[int(v) - 1]}",
        key=hidden_key,
        help=t("masks.hide_help"),
        placeholder=t("masks.hide_none"),
        persist_state=KEEP,
    )
    return Masks(bool(pad), bool(causal), tuple(sorted(int(v) - 1 for v in hidden)), shown - 1)


# --------------------------------------------------------------------------- the steps


# --------------------------------------------------------------------------- the live part
@st.fragment
def live(batch: Batch | None) -> None:
    """The mask controls and the steps: the live view's temperature reruns only this."""
    if batch is None:
        st.info(t("masks.fix_above"), icon="✏️")
        return
    with present.stage(2, "controls"):
        m = mask_controls(batch)
    temperature = current_temperature(SPEC.temperature_key)
    p, b = batch.padded, m.shown
    length, n = p.lengths[b], p.n
    keep = visible(n, m.hidden)
    common = {"causal": m.causal, "mask": keep, "temperature": temperature, "fully_masked": "zeros"}
    try:
        r_off = batch_self_attention(batch.x, *batch.w, lengths=None, **common)  # pads are ordinary keys
        r_on = batch_self_attention(batch.x, *batch.w, lengths=p.lengths, **common)  # pads hidden
        alone = batch_self_attention(
            batch.x[b, :length],
            *batch.w,
            causal=m.causal,
            mask=None if keep is None else keep[:length],
            temperature=temperature,
            fully_masked="zeros",
        )
    except AttentionLabError as exc:
        show_error(exc)
        return
    r = r_on if m.pad else r_off
    labels = unique_labels(p.tokens[b])
    mask = None if r.mask is None else np.broadcast_to(r.mask, r.weights.shape)[b]
    fully = [] if mask is None else [i for i in range(n) if not mask[i].any()]
    batch_step(batch, b)
    mask_step(mask, labels, m, fully)
    outcome = None
    if not fully:
        outcome = predict_panel(
            SPEC,
            stage=3,
            scores=r.scores[b],
            weights=r.weights[b],
            rows=labels,
            cols=labels,
            d_k=r.d_k,
            scale=True,
            temperature=temperature,
            causal=m.causal,
            mask=mask,
            focus_row=0,
        )
    covered = bool(outcome and outcome.covered)
    off = weight_on_pads(r_off.weights, p.lengths)[b]
    on = weight_on_pads(r_on.weights, p.lengths)[b]
    with step_card(
        3, t("masks.weights_title"), r"A = \mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d_k}\,T} + \log M\right)"
    ):
        view = AttentionView(
            scores=r.scores[b],
            values=r.v[b],
            q=r.q[b],
            k=r.k[b],
            d_k=r.d_k,
            scale=True,
            mask=mask,
            rows=labels,
            cols=labels,
            row_title=t("common.queries"),
            col_title=t("common.keys"),
            covered=covered,
        )
        live_view(SPEC, view)
        if not covered:
            st.caption(narration(off, on, labels, length, n, m))
            if fully:
                with st.expander(t("masks.zeros_table")):
                    show_matrix(r.weights[b], labels, labels, key=SPEC.key("weights_table"), weights=True)
    if covered:
        covered_card(4, t("masks.pads_title"), None)
        covered_card(5, t("masks.check_title"), None)
    else:
        pads_step(off, on, labels, length, n, m.causal)
        diff_on = float(np.abs(r_on.output[b, :length] - alone.output).max())
        diff_off = float(np.abs(r_off.output[b, :length] - alone.output).max())
        check_step(diff_on, diff_off, length, n)
    fully_masked_step(batch, m, fully, labels, temperature)


# --------------------------------------------------------------------------- the page


if __name__ == "__main__":  # drawn when Streamlit runs the page; `pages` only reads SPEC
    start(SPEC)
    run_lesson(SPEC, title=t("masks.title"), intro=t("masks.intro"), controls=inputs, live=live)
