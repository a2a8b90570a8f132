"""The attention pooling lesson's steps (``pages/pooling.py`` reads X and w and draws them in order).

The scores X·w, the weights (the live view), the context vector as a weighted sum of X's rows, how
pooling differs from self-attention, and the notebook's printout; each a card drawn from the
engine's ``PoolingResult``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import PoolingResult
from attention_core.limits import MAX_MATRIX_SIZE, SEED_LIMIT
from attention_core.presets import POOLING
from ui import present
from ui.export import recipes
from ui.figures import contributions_chart
from ui.format import dim_labels, fmt, fmt_vec, fmt_weight, ties
from ui.i18n import t
from ui.lesson import (
    explain_cell,
    live_view,
    show_matrix,
    step_card,
    tied_names,
    weighted_terms,
)
from ui.live_attention import AttentionView
from ui.nav import PageSpec, lesson_experiment
from ui.predict import Outcome
from ui.share.fields import Int, Matrix, Vector

SPEC = PageSpec(
    name="pooling",
    order=40,
    title_key="nav.pooling",
    icon="🎯",
    summary_key="nav.pooling_summary",
    prefix="pool",
    recipe=recipes.pooling,
    experiment=lesson_experiment(
        Matrix("x", np.array(POOLING.x), sized=True, max_rows=MAX_MATRIX_SIZE, max_cols=MAX_MATRIX_SIZE),
        Int("seed", 0, bound=True, low=0, high=SEED_LIMIT - 1),
        Vector(
            "w",
            lambda s: POOLING.w_for(np.shape(s["x"])[1]),
            shape=lambda s: (np.shape(s["x"])[1],),
            low=-3.0,
            high=3.0,
        ),
    ),
    steps=("pool.step_scores", "pool.step_weights", "pool.step_context"),
)
CONCLUSION = 4  # presentation mode's last stage: pooling versus self-attention, and the notebook badge


def printed(v: object) -> str:
    """The notebook's numbers as it printed them (shortest round-trip digits)."""
    return "[" + ", ".join(repr(float(x)) for x in np.ravel(np.asarray(v, dtype=float))) + "]"


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
