"""Where did word order go? Shuffle a sentence: without positions attention only shuffles its answer;
with sinusoidal positions the answer changes; with RoPE a score depends only on the offset (issue 25).

Page level: the sentence and seed (seed 000's by default: random embeddings and W_q, W_k, W_v), the
shuffle and where positions come from. A fragment: the steps, which the live view's temperature and
RoPE's sliders rerun alone. Every number comes from attention_core.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
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
from attention_core.presets import STEP_BY_STEP
from ui.figures import heatmap
from ui.format import dim_labels, fmt, md_code, unique_labels
from ui.i18n import error_text, show_error, t
from ui.lesson import (
    bound,
    covered_card,
    finish,
    opening,
    predict_for,
    show_matrix,
    show_numbers,
    start,
    step_card,
    weights_view,
    workbench,
)
from ui.live_attention import current_temperature
from ui.nav import LESSONS, WO_MAX_POSITION, WO_MAX_SHIFT
from ui.values import BadValue, check_text
from ui.word_order import POSITIONS, shuffle_order

#: Each kind of positions' name, its catalog key written out (grep finds it).
POSITION_NAMES = {"none": "wo.positions_none", "sinusoidal": "wo.positions_sinusoidal", "rope": "wo.positions_rope"}
SPEC = LESSONS["word_order"]
start(SPEC)
DIM = STEP_BY_STEP.dim  # seed 000's embedding size (even: RoPE turns pairs of columns)
KEEP = "session"  # widget values survive a visit to another page
#: "equal" means equal to this (float64 rounding leaves ~1e-16).
TOLERANCE = 1e-12


@dataclass(frozen=True)
class Sentence:
    """The sentence as vectors, and its shuffle."""

    tokens: list[str]
    labels: list[str]
    x: np.ndarray  # (n, DIM)
    tables: RandomTables
    order: list[int]  # shuffled token i is original token order[i]

    @property
    def shuffled_labels(self) -> list[str]:
        return [self.labels[i] for i in self.order]


def attend(x: np.ndarray, w: RandomTables, positions: str, temperature: float) -> AttentionResult:
    """Self-attention of ``x`` (n, d) with the chosen positions: sinusoidal ones added to x, rotary
    ones turning Q and K; scaled by √d_k."""
    if positions == "sinusoidal":
        x = x + sinusoidal_positions(x.shape[0], x.shape[1])
    q, k, v = project(x, w.w_q, "W_q"), project(x, w.w_k, "W_k"), project(x, w.w_v, "W_v")
    if positions == "rope":
        q, k = rotary(q), rotary(k)
    return attention(q, k, v, scale=True, temperature=temperature)


def sci(x: float) -> str:
    """A difference as the check reads it: ``2.2e-16``, ``0.31``."""
    return "0" if x == 0 else f"{x:.1e}" if x < 1e-3 else fmt(x)


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
def order_step(s: Sentence) -> None:
    """Step 1: the sentence, each word a random vector, and its shuffle."""
    explain = t("wo.order_explain", n=len(s.tokens), d=DIM, first=md_code(s.tokens[s.order[0]]))
    with step_card(1, t("wo.order_title"), r"X_{\text{shuffled}} = P\,X", explain):
        frame = pd.DataFrame(
            {
                t("wo.col_position"): range(len(s.tokens)),
                t("wo.col_original"): s.tokens,
                t("wo.col_shuffled"): [s.tokens[i] for i in s.order],
            }
        )
        with st.container(key="wo_tbl_order"):
            st.dataframe(frame, hide_index=True)
        with show_numbers():
            show_matrix(s.x, s.labels, dim_labels(DIM), key="wo_tbl_x")


def positions_step(s: Sentence, positions: str) -> None:
    """Step 2: where positions come from (the sinusoidal table as a heatmap)."""
    n = len(s.tokens)
    if positions == "none":
        with step_card(2, t("wo.pos_title_none"), r"Q = X W_q,\ K = X W_k,\ V = X W_v", t("wo.pos_explain_none")):
            pass
        return
    if positions == "sinusoidal":
        pe = sinusoidal_positions(n, DIM)
        formula = (
            r"\begin{aligned}PE_{p,2i} &= \sin(p\,\theta_i)\\ PE_{p,2i+1} &= \cos(p\,\theta_i)"
            r"\\ \theta_i &= 10000^{-2i/d},\quad X' = X + PE\end{aligned}"
        )
        explain = t("wo.pos_explain_sin", last=n - 1, row=fmt(pe[-1, 0]))
        with step_card(2, t("wo.pos_title_sin"), formula, explain):
            heatmap(
                pe,
                [str(p) for p in range(n)],
                dim_labels(DIM),
                key="wo_pe",
                title=t("wo.pe_title"),
                row_title="p",  # the caption names it; a word would not fit beside the labels on a phone
                col_title=t("wo.dimension"),
                value_name="PE",
                zmin=-1.0,
                zmax=1.0,
            )
        return
    formula = (
        r"\begin{aligned}a' &= a\cos p\theta_i - b\sin p\theta_i\\ b' &= a\sin p\theta_i + b\cos p\theta_i"
        r"\\ \theta_i &= 10000^{-2i/d}\end{aligned}"
    )
    with step_card(2, t("wo.pos_title_rope"), formula, t("wo.pos_explain_rope")):
        pass


def check_step(s: Sentence, r: AttentionResult, rs: AttentionResult, positions: str) -> None:
    """Step 4: the original sentence's weights reordered like the shuffle, beside the shuffled
    sentence's own; the largest differences of the weights and of the outputs."""
    o = s.order
    reordered = r.weights[np.ix_(o, o)]
    dw = float(np.max(np.abs(reordered - rs.weights)))
    do = float(np.max(np.abs(r.output[o] - rs.output)))
    same = dw <= TOLERANCE and do <= TOLERANCE
    if same:
        explain = t("wo.check_same", dw=sci(dw), do=sci(do))
    else:
        moved = int(np.argmax(np.max(np.abs(r.output[o] - rs.output), axis=1)))
        kind = t(POSITION_NAMES[positions])
        explain = t("wo.check_changed", kind=kind, dw=sci(dw), do=sci(do), word=md_code(s.tokens[o[moved]]))
    with step_card(
        4, t("wo.check_title"), r"\max\,\lvert A_{P} - P A P^\top \rvert,\quad \max\,\lvert O_{P} - P O \rvert", explain
    ):
        if same:
            st.success(t("wo.check_ok", dw=sci(dw), do=sci(do), tol="1e-12"), icon="✅")
        else:
            st.warning(t("wo.check_broken", dw=sci(dw), do=sci(do)), icon="🔀")
        # one above the other: side by side, a 4-word table already hides a column behind a scroll
        labels = s.shuffled_labels
        st.markdown(f"**{t('wo.reordered_title')}**")
        show_matrix(reordered, labels, labels, key="wo_tbl_reordered", weights=True)
        st.markdown(f"**{t('wo.shuffled_title')}**")
        show_matrix(rs.weights, labels, labels, key="wo_tbl_shuffled", weights=True)
        with show_numbers():
            st.markdown(f"**{t('wo.outputs_reordered')}**")
            show_matrix(r.output[o], labels, dim_labels(DIM), key="wo_tbl_out_reordered")
            st.markdown(f"**{t('wo.outputs_shuffled')}**")
            show_matrix(rs.output, labels, dim_labels(DIM), key="wo_tbl_out_shuffled")


def rope_step(s: Sentence) -> None:
    """Step 5 (RoPE): the score of query word 1 at position m with key word 2 at position n, and the
    same pair moved by s (the sliders sit in the card; its sentence follows them)."""
    a, b = 0, 1 if len(s.tokens) > 1 else 0
    formula = r"R_{m+s}\,q\cdot R_{n+s}\,k = R_{m}\,q\cdot R_{n}\,k"
    with step_card(5, t("wo.rope_title"), formula):
        c_m, c_n, c_s = st.columns(3)
        m = int(c_m.slider(t("wo.m"), 0, WO_MAX_POSITION, **bound(SPEC, "m"), help=t("wo.m_help"), persist_state=KEEP))
        n = int(c_n.slider(t("wo.n"), 0, WO_MAX_POSITION, **bound(SPEC, "n"), help=t("wo.n_help"), persist_state=KEEP))
        sh = int(c_s.slider(t("wo.s"), 0, WO_MAX_SHIFT, **bound(SPEC, "s"), help=t("wo.s_help"), persist_state=KEEP))
        q = project(s.x, s.tables.w_q, "W_q")[a : a + 1]
        k = project(s.x, s.tables.w_k, "W_k")[b : b + 1]
        before = float(rotary(q, [m])[0] @ rotary(k, [n])[0])
        after = float(rotary(q, [m + sh])[0] @ rotary(k, [n + sh])[0])
        diff = abs(after - before)
        cols = [t("wo.score_mn", m=m, n=n), t("wo.score_shifted", ms=m + sh, ns=n + sh), t("wo.difference")]
        show_matrix(np.array([[before, after, diff]]), [t("wo.score_row")], cols, key="wo_tbl_rope")
        if diff <= TOLERANCE:
            st.success(t("wo.rope_ok", tol="1e-12"), icon="✅")
        else:
            st.warning(t("wo.rope_broken", diff=sci(diff)), icon="⚠️")
        explain = t(
            "wo.rope_explain",
            a=md_code(s.tokens[a]),
            b=md_code(s.tokens[b]),
            m=m,
            n=n,
            ms=m + sh,
            ns=n + sh,
            before=fmt(before),
            after=fmt(after),
            diff=sci(diff),
            off=m - n,
        )
        st.caption(explain)


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
opening(SPEC, t("wo.title"), t("wo.intro"))
controls, lesson = workbench()
with controls:
    sentence = inputs()
with lesson:
    live(sentence, str(st.session_state.get(SPEC.key("positions"), "none")))
finish(SPEC)
