"""Attention pooling with one weight vector (seed 002): scores = X·w, a = softmax(scores), context = Σ aᵢ·xᵢ.

Not the kit's ``run_lesson`` shape: the inputs and the steps are one fragment, so a cell of X or a w
slider reruns only this part, not the page (the w sliders follow X's number of columns).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import PoolingResult, attention_pooling
from attention_core.errors import AttentionLabError
from attention_core.limits import SEED_LIMIT
from attention_core.presets import POOLING
from ui import present
from ui.editors import sized_shape
from ui.figures import contributions_chart
from ui.format import dim_labels, fmt, fmt_vec, fmt_weight, ties
from ui.i18n import show_error, t
from ui.lesson import (
    XKeys,
    covered_card,
    explain_cell,
    predict_panel,
    bound,
    finish,
    live_view,
    notebook_badge,
    opening,
    reset,
    show_matrix,
    start,
    step_card,
    tied_names,
    token_label,
    weighted_terms,
    workbench,
    x_editor,
)
from ui.live_attention import AttentionView, current_temperature
from ui.nav import LESSONS
from ui.predict import Outcome

SPEC = LESSONS["pooling"]
start(SPEC)
CONCLUSION = 4  # presentation mode's last stage: pooling versus self-attention, and the notebook badge
#: The words of the X editor and the token labels (the kit draws them).
X_KEYS = XKeys(
    token_n="pool.token_n",
    x_name="pool.x_name",
    n_tokens="pool.n_tokens",
    n_features="pool.n_features",
    n_tokens_help="pool.n_tokens_help",
    n_features_help="pool.n_features_help",
    x_help="pool.x_help",
    reset_help="pool.reset_help",
)

W_MIN, W_MAX = -3.0, 3.0
SLIDER_STEP = 0.01  # dragging; the number box next to each slider takes exact values
NUMBER_STEP = 0.0001
SLIDERS_PER_ROW = 1


def printed(v: object) -> str:
    """The notebook's numbers as it printed them (shortest round-trip digits)."""
    return "[" + ", ".join(repr(float(x)) for x in np.ravel(np.asarray(v, dtype=float))) + "]"


def w_key(i: int) -> str:
    return SPEC.key(f"w_{i}")


def w_number_key(i: int) -> str:
    return SPEC.key(f"w_{i}_num")


def n_features() -> int:
    """Width of X, i.e. the number of components of w (the X editor's matrix, whatever its size inputs hold)."""
    return sized_shape(SPEC.key("x"), np.shape(POOLING.x))[1]


def random_w(seed: int, d: int) -> np.ndarray:
    """``default_rng(seed).normal(size=d)``, clipped to the sliders' range."""
    return np.clip(np.random.default_rng(seed).normal(size=d), W_MIN, W_MAX)


# ----------------------------------------------------------------------------- callbacks (run before widgets)
def _set_w(values: np.ndarray) -> None:
    for i, v in enumerate(values):
        st.session_state[w_key(i)] = float(v)
        st.session_state[w_number_key(i)] = float(v)


def _notebook_weights() -> None:
    _set_w(POOLING.w_for(n_features()))


def _random_weights() -> None:
    _set_w(random_w(int(st.session_state[SPEC.key("seed")]), n_features()))


def _from_slider(i: int) -> None:
    st.session_state[w_number_key(i)] = float(st.session_state[w_key(i)])


def _from_number(i: int) -> None:
    st.session_state[w_key(i)] = float(st.session_state[w_number_key(i)])


def _reset_controls() -> None:
    _notebook_weights()
    reset(SPEC, "temperature")


# ----------------------------------------------------------------------------- controls
def weight_controls(d: int) -> np.ndarray:
    """One slider (dragging) plus one number box (exact value) per component of w; returns w."""
    st.header(t("pool.w_title"))
    st.caption(t("pool.w_caption"))
    for i, default in enumerate(POOLING.w_for(d)):
        st.session_state.setdefault(w_key(i), float(default))
        st.session_state.setdefault(w_number_key(i), float(st.session_state[w_key(i)]))
    cols = st.columns(min(d, SLIDERS_PER_ROW))
    for i in range(d):
        with cols[i % len(cols)]:
            s_col, n_col = st.columns([3, 2], vertical_alignment="bottom")
            s_col.slider(
                f"w{i + 1}",
                W_MIN,
                W_MAX,
                step=SLIDER_STEP,
                format="%.4f",
                key=w_key(i),
                on_change=_from_slider,
                args=(i,),
                help=t("pool.w_help", low=W_MIN, high=W_MAX),
                persist_state="session",
            )
            n_col.number_input(
                t("pool.w_exact", i=i + 1),
                W_MIN,
                W_MAX,
                step=NUMBER_STEP,
                format="%.8f",
                key=w_number_key(i),
                on_change=_from_number,
                args=(i,),
                label_visibility="collapsed",
                help=t("pool.w_exact_help"),
                persist_state="session",
            )
    limit = SEED_LIMIT - 1
    # one row that wraps where the buttons' whole labels do not fit (columns would cut them off)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.number_input(
            t("pool.seed"),
            0,
            limit,
            step=1,
            **bound(SPEC, "seed"),
            help=t("pool.seed_help", limit=limit),
            persist_state="session",
            width=150,
        )
        st.button(t("pool.random"), key=SPEC.key("random"), on_click=_random_weights, icon=":material/casino:")
        st.button(t("pool.notebook_w"), key=SPEC.key("notebook_w"), on_click=_notebook_weights, icon=":material/undo:")
    return np.array([float(st.session_state[w_key(i)]) for i in range(d)])


# ----------------------------------------------------------------------------- the steps
def scores_step(r: PoolingResult, labels: list[str]) -> None:
    """Step 1: one score per token, x_i · w."""
    s = r.scores
    hi, lo = float(s.max()), float(s.min())
    if len(ties(s, lo)) == len(s):
        explain = t("pool.scores_explain_even", top_s=fmt(hi))
    else:
        top, low = tied_names(s, labels, hi), tied_names(s, labels, lo)
        explain = t("pool.scores_explain", top=top, top_s=fmt(hi), low=low, low_s=fmt(lo))
    with step_card(1, t("pool.step_scores"), r"s_i = x_i \cdot w \qquad s = X w", explain):
        show_matrix(s[:, np.newaxis], labels, [t("common.score")], key="pool_scores")


def weights_step(
    r: PoolingResult, x: np.ndarray, w: np.ndarray, labels: list[str], temperature: float, outcome: Outcome
) -> None:
    """Step 2: the softmax weights (the live view: w is its one query, the tokens its keys); its
    sentence and the table wait for a prediction's answer."""
    a = r.weights
    top = tied_names(a, labels, float(a.max()))
    explain = None
    if not outcome.covered:
        explain = t("pool.weights_explain", top=top, top_w=fmt_weight(a.max(), a), temp=fmt(temperature, 2))
    formula = r"a = \mathrm{softmax}\!\left(\frac{s}{T}\right), \qquad \sum_i a_i = 1"
    with step_card(2, t("pool.step_weights"), formula, explain):
        view = AttentionView(
            scores=r.scores,
            values=x,
            q=w,
            k=x,
            rows=["w"],
            cols=labels,
            row_title=t("pool.w_title"),
            col_title=t("common.token"),
            output_line=t("pool.live_output", output="{output}"),  # the context vector c, not "output of w"
            covered=outcome.covered,
            explain_cell=explain_cell(SPEC, outcome),
        )
        live_view(SPEC, view)
        if outcome.covered:
            return
        with st.expander(t("live.weights_table")):
            show_matrix(r.weights[:, np.newaxis], labels, [t("common.weight")], key="pool_weights_table", weights=True)


def context_step(r: PoolingResult, labels: list[str]) -> None:
    """Step 3: the context vector, each token's share drawn."""
    dims = dim_labels(r.context.shape[0])
    explain = t("pool.context_explain", terms=weighted_terms(r.weights, labels), context=fmt_vec(r.context))
    with step_card(3, t("pool.step_context"), r"c = \sum_i a_i\, x_i = a^\top X", explain):
        contributions_chart(
            r.contributions,
            labels,
            dims,
            key="pool_contributions",
            title=t("pool.contributions_title"),
            label_name=t("common.token"),
            value_name=t("pool.contribution"),
            total_name=t("pool.context"),
            dim_name=t("pool.dimension"),
        )
        show_matrix(r.context, [t("pool.context")], dims, key="pool_context")


def versus_self_attention(n: int, d: int) -> None:
    """Pooling makes one vector; self-attention one per token."""
    with present.stage(CONCLUSION), st.container(border=True):
        st.markdown(f"**{t('pool.vs_title')}**")
        lines = [t("pool.vs_self", n=n, d=d), t("pool.vs_pool", n=n, d=d), t("pool.vs_w")]
        st.markdown("\n".join("- " + line for line in lines))


def printout() -> None:
    """The notebook's printed weights and context vector."""
    weights, context = printed(POOLING.printed["weights"]), printed(POOLING.printed["context"])
    st.caption(t("pool.printout", weights=weights, context=context))
    st.caption(t("pool.random_note"))


@st.fragment
def live() -> None:
    """The inputs beside the three steps, one fragment: a cell of X, a w slider or the live view's
    temperature reruns only this part."""
    controls, lesson = workbench()
    with controls:
        st.header(t("pool.inputs_title"))
        st.caption(t("pool.x_caption"))
        x = x_editor(SPEC, np.array(POOLING.x), keys=X_KEYS, on_reset=_reset_controls)
        w = weight_controls(n_features())
    temperature = current_temperature(SPEC.temperature_key)
    with lesson:
        if x is None:
            st.info(t("pool.fix_above"))
            return
        try:
            r = attention_pooling(x, w, temperature=temperature)
        except AttentionLabError as exc:
            show_error(exc)
            return
        badge = st.container()  # filled after the steps: a prediction may cover what the printout shows
        labels = [token_label(X_KEYS, i) for i in range(x.shape[0])]
        scores_step(r, labels)
        outcome = predict_panel(
            SPEC,
            stage=2,
            scores=r.scores,
            weights=r.weights,
            rows=["w"],
            cols=labels,
            d_k=1,
            scale=False,
            temperature=temperature,
        )
        weights_step(r, x, w, labels, temperature, outcome)
        if outcome.covered:
            covered_card(3, t("pool.step_context"), r"c = \sum_i a_i\, x_i = a^\top X")
        else:
            context_step(r, labels)
            versus_self_attention(*x.shape)
        with badge, present.stage(CONCLUSION, "badge"):
            notebook_badge(
                POOLING.is_input(x, w, temperature=temperature), details=None if outcome.covered else printout
            )


# ----------------------------------------------------------------------------- the page
opening(SPEC, t("pool.title"), t("pool.intro"))
live()
finish(SPEC)
