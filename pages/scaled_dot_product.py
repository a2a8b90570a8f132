"""Scaled dot-product attention (Korean notebook, the ``attention(query, key, value)`` function).

The notebook's function next to its steps: d_k, raw scores Q·Kᵀ, scaled scores, softmax
weights (heatmap and bars) and the output, each with the line of code that computes it.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import attention, contributions
from attention_core.errors import AttentionLabError
from attention_core.presets import SCALED_DOT_PRODUCT
from ui.editors import qkv_editors
from ui.figures import contributions_chart
from ui.format import dim_labels, fmt, fmt_vec, md_code
from ui.i18n import show_error, t
from ui.lesson import show_matrix, step_card
from ui.live_attention import TEMPERATURE, AttentionView, current_temperature, live_attention
from ui.nav import require_app_navigation

require_app_navigation()

P = SCALED_DOT_PRODUCT
INPUTS_KEY = "scaled_dot_product_inputs"  # (q, k, v) as the page last read them; v may be None
SCALE_KEY = "scaled_dot_product_scale"
TEMPERATURE_KEY = "scaled_dot_product_temperature"

NOTEBOOK_FUNCTION = """\
import numpy as np

def attention(query, key, value):
    # Step 1: Calculate Scores (Scaled Dot-Product)
    d_k = key.shape[-1]  # dimension of key
    scores = np.dot(query, key.T) / np.sqrt(d_k)

    # Step 2: Apply Softmax to get Attention Distribution
    attention_weights = np.exp(scores) / np.sum(np.exp(scores), axis=-1, keepdims=True)

    # Step 3: Calculate Attention Value by weighted sum of Value vectors
    attention_value = np.dot(attention_weights, value)

    return attention_value, attention_weights

# Example inputs
query = np.array([[1, 0, 1]])
key = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0]])
value = np.array([[10, 0], [0, 10], [10, 10]])
"""
NOTEBOOK_PRINTOUT = """\
Attention Weights:
 [[0.53289684 0.16794345 0.29915971]]
Attention Value:
 [[8.3205655  4.67103162]]
"""


def labels(n_k: int) -> tuple[list[str], list[str], list[str]]:
    """Row labels in the session's language: the query, the keys, the values."""
    return (
        [t("scaled_dot_product.query_row")],
        [t("scaled_dot_product.key_row", i=i + 1) for i in range(n_k)],
        [t("scaled_dot_product.value_row", i=i + 1) for i in range(n_k)],
    )


def scores_line(scale: bool, temperature: float) -> str:
    """The notebook's scores line, as this page runs it with the current switches."""
    line = "scores = np.dot(query, key.T)" + (" / np.sqrt(d_k)" if scale else "")
    if not TEMPERATURE.is_default(temperature):
        line += f" / T  # T = {fmt(temperature, 2)}"
    elif not scale:
        line += "  # / np.sqrt(d_k): off"
    return line


def is_notebook_input(q: np.ndarray, k: np.ndarray, v: np.ndarray | None, scale: bool, temperature: float) -> bool:
    """True when every input is the notebook's."""
    return (
        v is not None
        and np.array_equal(q, np.array(P.query))
        and np.array_equal(k, np.array(P.keys))
        and np.array_equal(v, np.array(P.values))
        and scale == P.scale
        and TEMPERATURE.is_default(temperature)
    )


def reset_controls() -> None:
    """The reset button's extra: scaling and temperature back to the notebook's (runs before widgets)."""
    st.session_state[SCALE_KEY] = P.scale
    st.session_state[TEMPERATURE_KEY] = TEMPERATURE.default


# --------------------------------------------------------------------------- intro, code and inputs
st.title(t("scaled_dot_product.title"))
st.markdown(t("scaled_dot_product.intro"))

st.subheader(t("scaled_dot_product.code_title"))
st.code(NOTEBOOK_FUNCTION, language="python")
st.caption(t("scaled_dot_product.code_caption"))

st.header(t("scaled_dot_product.inputs_title"))
st.caption(t("scaled_dot_product.inputs_caption"))
query_rows, key_rows, value_rows = labels(len(P.keys))
q_in, k_in, v_in = qkv_editors(
    "scaled_dot_product",
    np.array(P.query),
    np.array(P.keys),
    np.array(P.values),
    query_rows=query_rows,
    key_rows=key_rows,
    value_rows=value_rows,
    titles=(
        t("scaled_dot_product.query_table"),
        t("scaled_dot_product.keys_table"),
        t("scaled_dot_product.values_table"),
    ),
    row_headers=(t("scaled_dot_product.row_header"),) * 3,
    help=t("scaled_dot_product.editor_help"),
    on_reset=reset_controls,
)
if q_in is not None and k_in is not None:
    try:  # numbers so large that Q·Kᵀ or the weighted sum overflow: say so next to the tables
        attention(q_in, k_in, v_in if v_in is not None else np.zeros((k_in.shape[0], 1)), scale=False)
    except AttentionLabError as exc:
        show_error(exc)
        q_in = None
st.session_state[INPUTS_KEY] = (q_in, k_in, v_in)


# --------------------------------------------------------------------------- live steps
@st.fragment
def live_steps() -> None:
    """Scaling and every step it drives; the live view's temperature reruns this once per gesture."""
    q, k, v = st.session_state.get(INPUTS_KEY, (None, None, None))

    st.header(t("scaled_dot_product.controls_title"))
    st.session_state.setdefault(SCALE_KEY, P.scale)
    scale = st.toggle(t("common.scale"), key=SCALE_KEY, help=t("common.scale_help"))
    temperature = current_temperature(TEMPERATURE_KEY)
    if q is None or k is None:
        st.warning(t("scaled_dot_product.fix_inputs"), icon="✏️")
        return
    v_used = v if v is not None else np.zeros((k.shape[0], 1))
    try:
        r = attention(q, k, v_used, scale=scale, temperature=temperature)
        other = attention(q, k, v_used, scale=not scale, temperature=temperature)
    except AttentionLabError as exc:
        show_error(exc)
        return

    query_rows, key_rows, value_rows = labels(k.shape[0])
    if is_notebook_input(q, k, v, scale, temperature):
        st.success(t("common.matches_notebook"))
    else:
        st.info(t("common.differs_from_notebook"))

    sqrt_dk = fmt(float(np.sqrt(r.d_k)))
    with step_card(
        1,
        t("scaled_dot_product.dk_title"),
        rf"d_k = {r.d_k}, \qquad \sqrt{{d_k}} = {sqrt_dk}",
        t("scaled_dot_product.dk_explain_on", d_k=r.d_k, sqrt_dk=sqrt_dk)
        if scale
        else t("scaled_dot_product.dk_explain_off", d_k=r.d_k),
    ):
        st.code("d_k = key.shape[-1]  # dimension of key", language="python")

    s = r.scores[0]
    best = int(np.argmax(s))
    with step_card(
        2,
        t("scaled_dot_product.scores_title"),
        r"S = Q K^\top, \qquad s_i = q \cdot k_i",
        t(
            "scaled_dot_product.scores_explain",
            best=md_code(key_rows[best]),
            score=fmt(s[best]),
            scores=fmt_vec(s),
        ),
    ):
        st.code("np.dot(query, key.T)", language="python")
        show_matrix(r.scores, query_rows, key_rows)

    with step_card(
        3,
        t("scaled_dot_product.scaled_title"),
        r"Z = \frac{Q K^\top}{\sqrt{d_k}\; T}" if scale else r"Z = \frac{Q K^\top}{T}",
        t(
            "scaled_dot_product.scaled_explain_on",
            sqrt_dk=sqrt_dk,
            temperature=fmt(temperature, 2),
            scores=fmt_vec(s),
            logits=fmt_vec(r.logits),
        )
        if scale
        else t("scaled_dot_product.scaled_explain_off", temperature=fmt(temperature, 2), logits=fmt_vec(r.logits)),
    ):
        st.code(scores_line(scale, temperature), language="python")
        show_matrix(
            np.vstack([r.scaled[0], r.logits[0]]),
            [
                t("scaled_dot_product.scaled_row") if scale else t("scaled_dot_product.unscaled_row"),
                t("scaled_dot_product.logits_row"),
            ],
            key_rows,
        )

    w = r.weights[0]
    top_w = int(np.argmax(w))
    with step_card(
        4,
        t("scaled_dot_product.weights_title"),
        r"A = \mathrm{softmax}(Z), \qquad a_i = \frac{e^{z_i}}{\sum_j e^{z_j}}",
        t(
            "scaled_dot_product.weights_explain",
            best=md_code(key_rows[top_w]),
            weight=fmt(w[top_w]),
            total=fmt(float(w.sum())),
        ),
    ):
        st.code(
            "attention_weights = np.exp(scores) / np.sum(np.exp(scores), axis=-1, keepdims=True)",
            language="python",
        )
        live_attention(
            "scaled_dot_product_live",
            AttentionView(
                scores=r.scores,
                values=v,
                q=q,
                k=k,
                scale=scale,
                rows=query_rows,
                cols=key_rows,
                row_title=t("common.query"),
                col_title=t("common.key"),
            ),
            temperature_key=TEMPERATURE_KEY,
        )
        with st.expander(t("live.weights_table")):
            show_matrix(r.weights, query_rows, key_rows)
        st.caption(
            t(
                "scaled_dot_product.weights_compare_on" if scale else "scaled_dot_product.weights_compare_off",
                other=fmt_vec(other.weights),
            )
        )

    cols = dim_labels(v_used.shape[1])
    parts = contributions(w, v_used)
    size = np.abs(parts).sum(axis=1)
    top = int(np.argmax(size))
    percent = 100 * size[top] / size.sum() if size.sum() > 0 else 0.0
    with step_card(
        5,
        t("scaled_dot_product.output_title"),
        r"\mathrm{output} = A V = \sum_i a_i \, v_i",
        None
        if v is None
        else t(
            "scaled_dot_product.output_explain",
            output=fmt_vec(r.output),
            best=md_code(value_rows[top]),
            percent=fmt(percent, 1),
        ),
    ):
        st.code("attention_value = np.dot(attention_weights, value)", language="python")
        if v is None:
            st.warning(t("scaled_dot_product.fix_values"), icon="✏️")
        else:
            left, right = st.columns([3, 2])
            with left:
                contributions_chart(
                    parts,
                    value_rows,
                    cols,
                    key="scaled_dot_product_contributions",
                    title=t("scaled_dot_product.contrib_title"),
                    label_name=t("common.value"),
                    value_name=t("scaled_dot_product.share"),
                    total_name=t("common.output"),
                    dim_name=t("scaled_dot_product.dimension"),
                )
            with right:
                show_matrix(np.vstack([parts, r.output]), [*value_rows, t("scaled_dot_product.output_row")], cols)
                st.caption(t("scaled_dot_product.contrib_table_caption"))

    st.subheader(t("scaled_dot_product.printed_title"))
    st.code(NOTEBOOK_PRINTOUT, language="text")
    if v is not None:
        st.caption(t("scaled_dot_product.page_numbers", weights=fmt_vec(w, 8), output=fmt_vec(r.output, 8)))


live_steps()
