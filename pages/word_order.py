"""Where did word order go? Shuffle a sentence: without positions attention only shuffles its answer;
with sinusoidal positions the answer changes; with RoPE a score depends only on the offset (issue 25).

Page level: the sentence and seed (seed 000's by default: random embeddings and W_q, W_k, W_v), the
shuffle and where positions come from. A fragment: the steps, which the live view's temperature and
RoPE's sliders rerun alone. Every number comes from attention_core.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import (
    AttentionResult,
    attention,
    build_vocab,
    cap,
    embed,
    project,
    random_tables,
    rotary,
    sinusoidal_positions,
    tokenize,
)
from attention_core.embeddings import RandomTables
from attention_core.errors import AttentionLabError, LimitError
from attention_core.limits import MAX_SEQUENCE_TOKENS, SEED_LIMIT
from lessons.word_order import (  # the lesson's steps
    DIM,
    KEEP,
    POSITION_NAMES,
    SPEC,
    Sentence,
    check_step,
    order_step,
    positions_step,
    rope_step,
)
from ui.format import md_code, unique_labels
from ui.i18n import error_text, show_error, t
from ui.lesson import (
    bound,
    covered_card,
    predict_for,
    run_lesson,
    start,
    step_card,
    weights_view,
)
from ui.live_attention import current_temperature
from ui.values import BadValue, check_text
from ui.word_order import POSITIONS, shuffle_order


def attend(x: np.ndarray, w: RandomTables, positions: str, temperature: float) -> AttentionResult:
    """Self-attention of ``x`` (n, d) with the chosen positions: sinusoidal ones added to x, rotary
    ones turning Q and K; scaled by √d_k."""
    if positions == "sinusoidal":
        x = x + sinusoidal_positions(x.shape[0], x.shape[1])
    q, k, v = project(x, w.w_q, "W_q"), project(x, w.w_k, "W_k"), project(x, w.w_v, "W_v")
    if positions == "rope":
        q, k = rotary(q), rotary(k)
    return attention(q, k, v, scale=True, temperature=temperature)


def _shuffle() -> None:
    key = SPEC.key("shuffle")
    st.session_state[key] = (int(st.session_state.get(key, 1)) + 1) % SEED_LIMIT


# --------------------------------------------------------------------------- inputs
def inputs() -> Sentence | None:
    """Sentence and seed (their messages beside them), the shuffle button and the positions' choice."""
    st.header(t("wo.inputs_title"))
    box = st.container()
    sentence = box.text_input(
        t("wo.sentence"),
        **bound(SPEC, "sentence"),
        help=t("wo.sentence_help", limit=MAX_SEQUENCE_TOKENS),
        persist_state=KEEP,
    )
    seed = int(
        st.number_input(t("wo.seed"), step=1, **bound(SPEC, "seed"), help=t("wo.seed_help", d=DIM), persist_state=KEEP)
    )
    st.radio(
        t("wo.positions"),
        list(POSITIONS),
        format_func={p: t(key) for p, key in POSITION_NAMES.items()}.__getitem__,  # labels in the page's language
        **bound(SPEC, "positions", default_as=None),
        help=t("wo.positions_help"),
        persist_state=KEEP,
    )
    try:
        check_text(sentence or "")
    except BadValue as exc:
        box.error(error_text(exc), icon="⚠️")
        return None
    all_tokens = tokenize(sentence or "")
    tokens, was_cut = cap(all_tokens, MAX_SEQUENCE_TOKENS)
    if not tokens:
        box.error(t("error.empty_text"), icon="⚠️")
        return None
    if was_cut:
        box.warning(t("wo.capped", n=len(all_tokens), limit=MAX_SEQUENCE_TOKENS), icon="✂️")
    vocab = build_vocab(tokens)
    try:
        tables = random_tables(len(vocab), DIM, seed)
    except LimitError as exc:
        st.error(t("error.limit", **{**exc.params, "name": t("wo.seed")}), icon="⚠️")
        return None
    order = shuffle_order(len(tokens), int(st.session_state.get(SPEC.key("shuffle"), 1)))
    st.button(
        t("wo.shuffle"),
        key="wo_shuffle_button",
        on_click=_shuffle,
        icon=":material/shuffle:",
        help=t("wo.shuffle_help"),
        disabled=len(tokens) < 2,
    )
    shuffled = " ".join(tokens[i] for i in order)
    st.caption(t("wo.shuffled_as", sentence=md_code(shuffled, 80)))
    return Sentence(tokens, unique_labels(tokens), embed(tokens, vocab, tables.embeddings), tables, order)


# --------------------------------------------------------------------------- the steps


@st.fragment
def live(s: Sentence | None, positions: str) -> None:
    """Steps 1-5: the live view's temperature and RoPE's sliders rerun only this."""
    if s is None:
        st.info(t("wo.fix_above"), icon="✏️")
        return
    order_step(s)
    positions_step(s, positions)
    temperature = current_temperature(SPEC.temperature_key)
    try:
        r = attend(s.x, s.tables, positions, temperature)
        rs = attend(s.x[s.order], s.tables, positions, temperature)
    except AttentionLabError as exc:
        show_error(exc)
        return
    labels = s.shuffled_labels
    outcome = predict_for(SPEC, rs, labels, labels, stage=3, scale=True)
    with step_card(
        3, t("wo.weights_title"), r"A_P = \mathrm{softmax}\!\left(\frac{Q_P K_P^\top}{\sqrt{d_k}\,T}\right)"
    ):
        st.caption(t("wo.weights_caption"))
        weights_view(
            SPEC,
            rs,
            labels,
            labels,
            values=rs.v,
            scale=True,
            row_title=t("common.queries"),
            col_title=t("common.keys"),
            table=False,
            outcome=outcome,
        )
    if outcome.covered:
        covered_card(4, t("wo.check_title"), None)
    else:
        check_step(s, r, rs, positions)
    if positions == "rope":
        rope_step(s)


# --------------------------------------------------------------------------- the page


if __name__ == "__main__":  # drawn when Streamlit runs the page; `pages` only reads SPEC
    start(SPEC)
    run_lesson(
        SPEC,
        title=t("wo.title"),
        intro=t("wo.intro"),
        controls=inputs,
        live=lambda sentence: live(sentence, str(st.session_state.get(SPEC.key("positions"), "none"))),
    )
