"""Attention pooling with one weight vector (seed 002): scores = X·w, a = softmax(scores), context = Σ aᵢ·xᵢ.

Not the kit's ``run_lesson`` shape: the inputs and the steps are one fragment, so a cell of X or a w
slider reruns only this part, not the page (the w sliders follow X's number of columns).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import attention_pooling
from attention_core.errors import AttentionLabError
from attention_core.limits import SEED_LIMIT
from attention_core.presets import POOLING
from lessons.pooling import (  # the lesson's steps
    CONCLUSION,
    SPEC,
    context_step,
    printout,
    scores_step,
    versus_self_attention,
    weights_step,
)
from ui import present
from ui.editors import sized_shape
from ui.i18n import show_error, t
from ui.lesson import (
    XKeys,
    bound,
    covered_card,
    finish,
    notebook_badge,
    opening,
    predict_panel,
    reset,
    start,
    token_label,
    workbench,
    x_editor,
)
from ui.live_attention import current_temperature

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


if __name__ == "__main__":  # drawn when Streamlit runs the page; `pages` only reads SPEC
    start(SPEC)
    opening(SPEC, t("pool.title"), t("pool.intro"))
    live()
    finish(SPEC)
