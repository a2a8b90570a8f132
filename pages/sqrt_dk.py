"""Why divide by √d_k? The experiment on random N(0, 1) queries and keys (``attention_core.dk_experiment``).

The spread of q·k for many random pairs (variance ≈ d_k) and the same divided by √d_k (≈ 1); one
softmax row of n keys, unscaled and scaled (the live view), with its largest weight, entropy and the
largest entry of the softmax's Jacobian; entropy and gradient against d_k, the seed-000 notebook's
d_k = 4 marked. The page reads its controls, calls the engine and draws: no math of its own.

Not the kit's ``run_lesson`` shape: its controls (d_k, keys, seed) and the steps are one fragment, so
moving a control reruns only this part, not the page.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from attention_core import DK_SWEEP, DkExperiment, DkSweep, SoftmaxRow, dk_experiment, dk_sweep
from attention_core.errors import AttentionLabError
from attention_core.limits import DK_MAX_KEYS, SEED_LIMIT
from lessons.sqrt_dk import (  # the lesson's steps
    SPEC,
    curves_step,
    gradient,
    gradient_step,
    key_labels,
    row_labels,
    row_step,
    rows_at,
    spread_step,
)
from ui import present
from ui.format import fmt
from ui.i18n import show_error, t
from ui.lesson import (
    bound,
    finish,
    opening,
    predict_panel,
    reset,
    start,
    workbench,
)
from ui.live_attention import current_temperature

CONCLUSION = 5  # presentation mode's last stage: the sentence the numbers say, and the notebooks
N_PAIRS = 2_000  # random (q, k) pairs of the histograms
SWEEP_ROWS = 64  # random rows averaged at each d_k of the curves

NOTEBOOK_000 = """\
d_k = K.shape[-1]                  # 4
scores = np.dot(Q, K.T) / np.sqrt(d_k)
"""
NOTEBOOK_002 = """\
def scaled_dot_product(query, key, value):
    d_k = query.shape[-1]
    scores = np.dot(query, key.T) / np.sqrt(d_k)
    ...
"""


# The draws cost ~60 ms at d_k = 512 and the sweep ~100 ms at 32 keys, on every rerun (the live view's
# temperature reruns the fragment): kept per (inputs), a few small arrays each. The sweep does not
# depend on d_k, so moving d_k recomputes only the experiment.
@st.cache_data(max_entries=64, show_spinner=False)
def experiment(d_k: int, n_keys: int, seed: int) -> DkExperiment:
    return dk_experiment(d_k, n_keys=n_keys, n_pairs=N_PAIRS, seed=seed)


@st.cache_data(max_entries=64, show_spinner=False)
def curves(n_keys: int, seed: int) -> DkSweep:
    return dk_sweep(DK_SWEEP, n_keys=n_keys, n_rows=SWEEP_ROWS, seed=seed)


# --------------------------------------------------------------------------- controls
def controls() -> tuple[int, int, int]:
    """d_k (powers of two), the number of keys and the seed; returns them."""
    st.header(t("dk.inputs_title"))
    st.caption(t("dk.inputs_caption"))
    d_k = st.select_slider(
        t("dk.d_k"), options=list(DK_SWEEP), **bound(SPEC, "d_k"), help=t("dk.d_k_help"), persist_state="session"
    )
    n_keys = st.slider(
        t("dk.n_keys"),
        2,
        DK_MAX_KEYS,
        **bound(SPEC, "n_keys"),
        help=t("dk.n_keys_help", limit=DK_MAX_KEYS),
        persist_state="session",
    )
    limit = SEED_LIMIT - 1
    st.number_input(
        t("dk.seed"),
        0,
        limit,
        step=1,
        **bound(SPEC, "seed"),
        help=t("dk.seed_help", limit=limit),
        persist_state="session",
    )
    st.button(t("dk.reset"), key=SPEC.key("reset"), on_click=reset, args=(SPEC,), icon=":material/undo:")
    return int(d_k), int(n_keys), int(st.session_state[SPEC.key("seed")])


# --------------------------------------------------------------------------- the steps


def conclusion(e: DkExperiment, rows: tuple[SoftmaxRow, SoftmaxRow]) -> None:
    """What the numbers say, in one sentence, and the notebooks' line that divides."""
    unscaled, scaled = rows
    common = {
        "d_k": e.d_k,
        "var": fmt(e.var_dots, 1),
        "w": fmt(unscaled.max_weight),
        "j": gradient(unscaled.jacobian_max),
        "sqrt_dk": fmt(math.sqrt(e.d_k), 2),
        "w_s": fmt(scaled.max_weight),
        "j_s": gradient(scaled.jacobian_max),
    }
    if unscaled.jacobian_max == 0:
        sentence = t("dk.narration_zero", **common)
    elif scaled.jacobian_max / unscaled.jacobian_max >= 2:
        sentence = t("dk.narration", ratio=fmt(scaled.jacobian_max / unscaled.jacobian_max, 0), **common)
    else:
        sentence = t("dk.narration_close", **common)
    with present.stage(CONCLUSION), st.container(border=True):
        st.markdown(f"**{t('dk.lesson_title')}**")
        st.markdown(sentence)
        with st.expander(t("common.compare_notebook"), icon=":material/menu_book:"):
            st.caption(t("dk.notebook_000"))
            st.code(NOTEBOOK_000, language="python", wrap_lines=True)
            st.caption(t("dk.notebook_002"))
            st.code(NOTEBOOK_002, language="python", wrap_lines=True)
            st.caption(t("dk.notebook_why"))


@st.fragment
def live() -> None:
    """The controls beside the steps, one fragment: a control or the live view's temperature reruns only this."""
    left, lesson = workbench()
    with left:
        d_k, n_keys, seed = controls()
    temperature = current_temperature(SPEC.temperature_key)
    with lesson:
        try:
            e = experiment(d_k, n_keys, seed)
            s = curves(n_keys, seed)
        except AttentionLabError as exc:
            show_error(exc)
            return
        rows = rows_at(e, temperature)
        spread_step(e)
        outcome = predict_panel(
            SPEC,
            stage=2,
            scores=np.vstack([e.scores, e.scaled.logits]),
            weights=np.vstack([r.weights for r in rows]),
            rows=row_labels(),
            cols=key_labels(n_keys),
            d_k=d_k,
            scale=False,
            temperature=temperature,
        )
        row_step(e, rows, outcome)
        gradient_step(rows, outcome)
        curves_step(s, d_k)
        if not outcome.covered:
            conclusion(e, rows)


# --------------------------------------------------------------------------- the page


if __name__ == "__main__":  # drawn when Streamlit runs the page; `pages` only reads SPEC
    start(SPEC)
    opening(SPEC, t("dk.title"), t("dk.intro"))
    live()
    finish(SPEC)
