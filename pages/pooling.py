"""Attention pooling with one weight vector (seed 002): scores = X·w, a = softmax(scores), context = Σ aᵢ·xᵢ."""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import attention_pooling
from attention_core.errors import AttentionLabError
from attention_core.limits import MAX_MATRIX_SIZE, SEED_LIMIT
from attention_core.presets import POOLING
from ui.editors import sized_matrix_editor
from ui.figures import contributions_chart
from ui.format import dim_labels, fmt, fmt_vec
from ui.i18n import show_error, t
from ui.lesson import show_matrix, step_card
from ui.live_attention import TEMPERATURE, AttentionView, current_temperature, live_attention
from ui.nav import require_app_navigation

require_app_navigation()

X_KEY = "pool_x"
X_VALUE = "pool_x_value"  # the current X (or None while a cell is bad), shared with the fragment
W_MIN, W_MAX = -3.0, 3.0
SLIDER_STEP = 0.01  # dragging; the number box next to each slider takes exact values
NUMBER_STEP = 0.0001
TEMPERATURE_KEY = "pool_temperature"
MAX_TERMS = 4  # terms written out in the context sentence
SLIDERS_PER_ROW = 3


def token_label(i: int) -> str:
    """``token 1`` … ``token n`` (0-based ``i``)."""
    return t("pool.token_n", n=i + 1)


def printed(v: object) -> str:
    """The notebook's numbers as it printed them (shortest round-trip digits)."""
    return "[" + ", ".join(repr(float(x)) for x in np.ravel(np.asarray(v, dtype=float))) + "]"


def w_key(i: int) -> str:
    return f"pool_w_{i}"


def w_number_key(i: int) -> str:
    return f"pool_w_{i}_num"


def n_features() -> int:
    """Width of X, i.e. the number of components of w (the size input of the X editor)."""
    return int(st.session_state.get(f"{X_KEY}_cols", len(POOLING.w)))


def notebook_w(d: int) -> np.ndarray:
    """The notebook's printed draw, cut or zero-padded to ``d`` components."""
    w = np.zeros(d)
    k = min(d, len(POOLING.w))
    w[:k] = POOLING.w[:k]
    return w


def random_w(seed: int, d: int) -> np.ndarray:
    """``default_rng(seed).normal(size=d)``, clipped to the sliders' range."""
    return np.clip(np.random.default_rng(seed).normal(size=d), W_MIN, W_MAX)


# ----------------------------------------------------------------------------- callbacks (run before widgets)
def _set_w(values: np.ndarray) -> None:
    for i, v in enumerate(values):
        st.session_state[w_key(i)] = float(v)
        st.session_state[w_number_key(i)] = float(v)


def _notebook_weights() -> None:
    _set_w(notebook_w(n_features()))


def _random_weights() -> None:
    _set_w(random_w(int(st.session_state["pool_seed"]), n_features()))


def _from_slider(i: int) -> None:
    st.session_state[w_number_key(i)] = float(st.session_state[w_key(i)])


def _from_number(i: int) -> None:
    st.session_state[w_key(i)] = float(st.session_state[w_number_key(i)])


def _reset_controls() -> None:
    _notebook_weights()
    st.session_state[TEMPERATURE_KEY] = TEMPERATURE.default


st.title(t("pool.title"))
st.write(t("pool.intro"))

# ----------------------------------------------------------------------------- input X
st.header(t("pool.inputs_title"))
st.caption(t("pool.x_caption"))
x_value = sized_matrix_editor(
    X_KEY,
    np.array(POOLING.x),
    row_label=token_label,
    name=t("pool.x_name"),
    rows_label=t("pool.n_tokens"),
    cols_label=t("pool.n_features"),
    max_rows=MAX_MATRIX_SIZE,
    max_cols=MAX_MATRIX_SIZE,
    rows_help=t("pool.n_tokens_help", limit=MAX_MATRIX_SIZE),
    cols_help=t("pool.n_features_help", limit=MAX_MATRIX_SIZE),
    row_header=t("common.token"),
    help=t("pool.x_help"),
    reset_help=t("pool.reset_help"),
    on_reset=_reset_controls,
)
st.session_state[X_VALUE] = x_value


# ----------------------------------------------------------------------------- live part
def weight_controls(d: int) -> np.ndarray:
    """One slider (dragging) plus one number box (exact value) per component of w; returns w."""
    st.subheader(t("pool.w_title"))
    st.caption(t("pool.w_caption"))
    for i in range(d):
        default = float(notebook_w(d)[i])
        st.session_state.setdefault(w_key(i), default)
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
            )
    st.session_state.setdefault("pool_seed", 0)
    c1, c2, c3 = st.columns([1, 1, 1], vertical_alignment="bottom")
    c1.number_input(
        t("pool.seed"), 0, SEED_LIMIT - 1, step=1, key="pool_seed", help=t("pool.seed_help", limit=SEED_LIMIT - 1)
    )
    c2.button(t("pool.random"), key="pool_random", on_click=_random_weights, icon=":material/casino:")
    c3.button(t("pool.notebook_w"), key="pool_notebook_w", on_click=_notebook_weights, icon=":material/undo:")
    st.caption(t("pool.random_note"))
    return np.array([float(st.session_state[w_key(i)]) for i in range(d)])


@st.fragment
def live() -> None:
    """Weight vector and the three steps; a w slider, or the live view's temperature, reruns only this part."""
    st.header(t("pool.live_title"))
    d = n_features()
    w = weight_controls(d)
    temperature = current_temperature(TEMPERATURE_KEY)

    x = st.session_state.get(X_VALUE)
    if x is None:
        st.info(t("pool.fix_above"))
        return
    try:
        r = attention_pooling(x, w, temperature=temperature)
    except AttentionLabError as exc:
        show_error(exc)
        return

    n = x.shape[0]
    labels = [token_label(i) for i in range(n)]
    dims = dim_labels(d)
    notebook_x = np.array(POOLING.x)
    same = x.shape == notebook_x.shape and np.array_equal(x, notebook_x) and np.array_equal(w, POOLING.w)
    # one container whatever it holds: the elements after it (the live view) keep their place
    with st.container():
        if same and TEMPERATURE.is_default(temperature):
            st.success(t("common.matches_notebook"))
            st.caption(
                t(
                    "pool.printout",
                    weights=printed(POOLING.printed["weights"]),
                    context=printed(POOLING.printed["context"]),
                )
            )
        else:
            st.caption(t("common.differs_from_notebook"))

    # Step 1: scores
    s = r.scores
    hi, lo = int(np.argmax(s)), int(np.argmin(s))
    with step_card(
        1,
        t("pool.step_scores"),
        r"s_i = x_i \cdot w \qquad s = X w",
        t("pool.scores_explain", top=labels[hi], top_s=fmt(s[hi]), low=labels[lo], low_s=fmt(s[lo])),
    ):
        show_matrix(s[:, np.newaxis], labels, [t("common.score")], key="pool_scores")

    # Step 2: softmax weights
    a = r.weights
    with step_card(
        2,
        t("pool.step_weights"),
        r"a = \mathrm{softmax}\!\left(\frac{s}{T}\right), \qquad \sum_i a_i = 1",
        t("pool.weights_explain", top=labels[hi], top_w=fmt(a[hi]), temp=fmt(temperature, 2)),
    ):
        live_attention(
            "pool_live",
            AttentionView(
                scores=s,
                values=x,
                q=w,
                k=x,
                rows=["w"],
                cols=labels,
                row_title=t("pool.w_title"),
                col_title=t("common.token"),
            ),
            temperature_key=TEMPERATURE_KEY,
        )
        with st.expander(t("live.weights_table")):
            show_matrix(a[:, np.newaxis], labels, [t("common.weight")], key="pool_weights_table")

    # Step 3: the context vector
    terms = " + ".join(f"{fmt(a[k])}·{labels[k]}" for k in range(min(n, MAX_TERMS)))
    if n > MAX_TERMS:
        terms += " + …"
    with step_card(
        3,
        t("pool.step_context"),
        r"c = \sum_i a_i\, x_i = a^\top X",
        t("pool.context_explain", terms=terms, context=fmt_vec(r.context)),
    ):
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

    # Pooling versus self-attention
    with st.container(border=True):
        st.markdown(f"**{t('pool.vs_title')}**")
        st.markdown(
            "\n".join(
                [
                    "- " + t("pool.vs_self", n=n, d=d),
                    "- " + t("pool.vs_pool", n=n, d=d),
                    "- " + t("pool.vs_w"),
                ]
            )
        )


live()
