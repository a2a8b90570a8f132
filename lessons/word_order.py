"""The "Where did word order go?" lesson's steps (``pages/word_order.py`` reads the sentence and draws them).

The sentence and its shuffle, where positions come from (none, sinusoidal, RoPE), the check that
without positions the shuffled outputs are the same rows moved, and RoPE's scores depending only on
the offset; each a card drawn from the engine's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from attention_core import (
    AttentionResult,
    project,
    rotary,
    sinusoidal_positions,
)
from attention_core.embeddings import RandomTables
from attention_core.limits import MAX_SENTENCE_CHARS, SEED_LIMIT, WO_MAX_POSITION, WO_MAX_SHIFT
from attention_core.presets import STEP_BY_STEP
from ui.export import recipes
from ui.figures import heatmap
from ui.format import dim_labels, fmt, md_code
from ui.i18n import t
from ui.lesson import (
    bound,
    show_matrix,
    show_numbers,
    step_card,
)
from ui.nav import PageSpec, lesson_experiment
from ui.share.fields import Choice, Int, State, Text
from ui.word_order import POSITIONS


def _rope(state: State) -> bool:
    return state.get("positions") == "rope"


#: A sentence (seed 000's by default) as random vectors, a seeded shuffle, where positions come from,
#: and RoPE's two positions and shift.
SPEC = PageSpec(
    name="word_order",
    order=80,
    title_key="nav.word_order",
    icon="🔀",
    summary_key="nav.word_order_summary",
    prefix="wo",
    recipe=recipes.word_order,
    experiment=lesson_experiment(
        Text("sentence", STEP_BY_STEP.sentence, bound=True, max_chars=MAX_SENTENCE_CHARS),
        Int("seed", STEP_BY_STEP.seed, bound=True, low=0, high=SEED_LIMIT - 1),
        Int("shuffle", 1, low=0, high=SEED_LIMIT - 1),
        Choice("positions", "none", bound=True, options=POSITIONS),
        Int("m", 3, bound=True, low=0, high=WO_MAX_POSITION, when=_rope),
        Int("n", 1, bound=True, low=0, high=WO_MAX_POSITION, when=_rope),
        Int("s", 4, bound=True, low=0, high=WO_MAX_SHIFT, when=_rope),
    ),
    steps=("wo.order_title", "wo.pos_title_none", "wo.weights_title", "wo.check_title", "wo.rope_title"),
)
#: Each kind of positions' name, its catalog key written out (grep finds it).
POSITION_NAMES = {"none": "wo.positions_none", "sinusoidal": "wo.positions_sinusoidal", "rope": "wo.positions_rope"}
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


def sci(x: float) -> str:
    """A difference as the check reads it: ``2.2e-16``, ``0.31``."""
    return "0" if x == 0 else f"{x:.1e}" if x < 1e-3 else fmt(x)


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
        # at s = 0 both columns are at (m, n): the second says it is shifted by 0 (a table's names are unique)
        shifted = t("wo.score_shifted", ms=m + sh, ns=n + sh) if sh else t("wo.score_unshifted", ms=m, ns=n)
        cols = [t("wo.score_mn", m=m, n=n), shifted, t("wo.difference")]
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
