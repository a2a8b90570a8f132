"""Scaled dot-product attention (Korean notebook, the ``attention(query, key, value)`` function).

The notebook's function next to its steps: d_k, raw scores Q·Kᵀ, scaled scores, softmax weights (the
live view) and the output, each with the line of code that computes it.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import AttentionResult, attention
from attention_core.presets import SCALED_DOT_PRODUCT
from ui.export import recipes
from ui.format import fmt, fmt_vec, fmt_weights, md_code
from ui.i18n import t
from ui.lesson import (
    OutputKeys,
    QkvInputs,
    output_card,
    predict_for,
    qkv_inputs,
    qkv_live,
    run_lesson,
    show_matrix,
    show_numbers,
    start,
    step_card,
    tied_names,
    weights_view,
)
from ui.live_attention import TEMPERATURE
from ui.nav import PageSpec, qkv_experiment
from ui.predict import Outcome

SPEC = PageSpec(
    name="scaled_dot_product",
    order=50,
    title_key="nav.scaled_dot_product",
    icon="📐",
    summary_key="nav.scaled_dot_product_summary",
    prefix="scaled_dot_product",
    recipe=recipes.scaled_dot_product,
    experiment=qkv_experiment(SCALED_DOT_PRODUCT),
    steps=(
        "scaled_dot_product.dk_title",
        "scaled_dot_product.scores_title",
        "scaled_dot_product.scaled_title",
        "scaled_dot_product.weights_title",
        "scaled_dot_product.output_title",
    ),
)
P = SCALED_DOT_PRODUCT
#: The output card's words (the kit draws the card).
OUTPUT_KEYS = OutputKeys(
    title="scaled_dot_product.output_title",
    explain="scaled_dot_product.output_explain",
    fix_values="scaled_dot_product.fix_values",
    contrib_title="scaled_dot_product.contrib_title",
    share="scaled_dot_product.share",
    dimension="scaled_dot_product.dimension",
    output_row="scaled_dot_product.output_row",
    table_caption="scaled_dot_product.contrib_table_caption",
)

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


# --------------------------------------------------------------------------- the steps
def dk_step(r: AttentionResult, scale: bool) -> None:
    """Step 1: d_k, the width of the keys, and √d_k."""
    sqrt_dk = fmt(float(np.sqrt(r.d_k)))
    explain = (
        t("scaled_dot_product.dk_explain_on", d_k=r.d_k, sqrt_dk=sqrt_dk)
        if scale
        else t("scaled_dot_product.dk_explain_off", d_k=r.d_k)
    )
    with step_card(1, t("scaled_dot_product.dk_title"), rf"d_k = {r.d_k}, \qquad \sqrt{{d_k}} = {sqrt_dk}", explain):
        st.code("d_k = key.shape[-1]  # dimension of key", language="python", wrap_lines=True)


def scores_step(r: AttentionResult, query_rows: list[str], key_rows: list[str]) -> None:
    """Step 2: the raw scores Q·Kᵀ."""
    s = r.scores[0]
    best = tied_names(s, [md_code(k) for k in key_rows], float(s.max()))
    explain = t("scaled_dot_product.scores_explain", best=best, score=fmt(s.max()), scores=fmt_vec(s))
    with step_card(2, t("scaled_dot_product.scores_title"), r"S = Q K^\top, \qquad s_i = q \cdot k_i", explain):
        st.code("np.dot(query, key.T)", language="python", wrap_lines=True)
        show_matrix(r.scores, query_rows, key_rows)


def scaled_step(r: AttentionResult, key_rows: list[str], scale: bool) -> None:
    """Step 3: the scores ÷√d_k (when on) and ÷T: what softmax receives."""
    t_shown = fmt(r.temperature, 2)
    if scale:
        explain = t(
            "scaled_dot_product.scaled_explain_on",
            sqrt_dk=fmt(float(np.sqrt(r.d_k))),
            temperature=t_shown,
            scores=fmt_vec(r.scores[0]),
            logits=fmt_vec(r.logits),
        )
    else:
        explain = t("scaled_dot_product.scaled_explain_off", temperature=t_shown, logits=fmt_vec(r.logits))
    formula = r"Z = \frac{Q K^\top}{\sqrt{d_k}\; T}" if scale else r"Z = \frac{Q K^\top}{T}"
    with step_card(3, t("scaled_dot_product.scaled_title"), formula, explain):
        st.code(scores_line(scale, r.temperature), language="python", wrap_lines=True)
        row = t("scaled_dot_product.scaled_row") if scale else t("scaled_dot_product.unscaled_row")
        with show_numbers():
            show_matrix(np.vstack([r.scaled[0], r.logits[0]]), [row, t("scaled_dot_product.logits_row")], key_rows)


def weights_step(
    r: AttentionResult,
    v: np.ndarray | None,
    rows: tuple[list[str], list[str]],
    scale: bool,
    outcome: Outcome | None = None,
) -> None:
    """Step 4: the softmax weights (the live view), and the same weights with the other scaling."""
    query_rows, key_rows = rows
    formula = r"A = \mathrm{softmax}(Z), \qquad a_i = \frac{e^{z_i}}{\sum_j e^{z_j}}"
    with step_card(4, t("scaled_dot_product.weights_title"), formula):  # the view says which key gets most
        st.code(
            "attention_weights = np.exp(scores) / np.sum(np.exp(scores), axis=-1, keepdims=True)",
            language="python",
            wrap_lines=True,  # whole, "axis=-1" included, at any width
        )
        axes = (t("common.query"), t("common.key"))
        weights_view(
            SPEC, r, query_rows, key_rows, values=v, scale=scale, row_title=axes[0], col_title=axes[1], outcome=outcome
        )
        if outcome is not None and outcome.covered:
            return  # the other scaling's weights would give the answer away
        other = attention(r.q, r.k, r.v, scale=not scale, temperature=r.temperature)
        compare = "scaled_dot_product.weights_compare_on" if scale else "scaled_dot_product.weights_compare_off"
        st.caption(t(compare, other=fmt_weights(other.weights)))


def steps(r: AttentionResult, v: np.ndarray | None, scale: bool) -> Outcome:
    """Every step the scaling switch and the temperature drive (inside the lesson's fragment); the
    question of "Predict first" stands before the weights."""
    query_rows, key_rows, value_rows = labels(r.k.shape[0])
    dk_step(r, scale)
    scores_step(r, query_rows, key_rows)
    scaled_step(r, key_rows, scale)
    outcome = predict_for(SPEC, r, query_rows, key_rows, stage=4, scale=scale)
    weights_step(r, v, (query_rows, key_rows), scale, outcome)
    output_card(
        5,
        SPEC,
        r,
        v,
        value_rows,
        keys=OUTPUT_KEYS,
        formula=r"\mathrm{output} = A V = \sum_i a_i \, v_i",
        label_name=t("common.value"),
        code="attention_value = np.dot(attention_weights, value)",
        covered=outcome.covered,
    )
    return outcome


def notebook(r: AttentionResult, v: np.ndarray | None) -> None:
    """The notebook's function and printout beside this page's numbers (the "compare" expander)."""
    st.caption(t("scaled_dot_product.code_caption"))
    st.code(NOTEBOOK_FUNCTION, language="python", wrap_lines=True)
    st.caption(t("scaled_dot_product.printed_title"))
    st.code(NOTEBOOK_PRINTOUT, language="text", wrap_lines=True)
    if v is not None:
        weights = fmt_vec(r.weights[0], 8)
        st.caption(t("scaled_dot_product.page_numbers", weights=weights, output=fmt_vec(r.output, 8)))


# --------------------------------------------------------------------------- the page
def controls() -> QkvInputs:
    """Query, keys and values, as edited (None for a table while a cell is bad)."""
    st.header(t("scaled_dot_product.inputs_title"))
    st.caption(t("scaled_dot_product.inputs_caption"))
    return qkv_inputs(
        SPEC,
        P,
        rows=labels(len(P.keys)),
        titles=(
            t("scaled_dot_product.query_table"),
            t("scaled_dot_product.keys_table"),
            t("scaled_dot_product.values_table"),
        ),
        row_headers=(t("scaled_dot_product.row_header"),) * 3,
        help=t("scaled_dot_product.editor_help"),
    )


def live(inputs: QkvInputs) -> None:
    """The steps, live (the kit's Q/K/V fragment: :func:`ui.lesson.qkv_live`)."""
    qkv_live(
        SPEC,
        P,
        *inputs,
        fix_inputs="scaled_dot_product.fix_inputs",
        steps=steps,
        details=notebook,
        scale_stage=3,
        badge_stage=5,
    )


if __name__ == "__main__":  # drawn when Streamlit runs the page; `pages` only reads SPEC
    start(SPEC)
    run_lesson(
        SPEC, title=t("scaled_dot_product.title"), intro=t("scaled_dot_product.intro"), controls=controls, live=live
    )
