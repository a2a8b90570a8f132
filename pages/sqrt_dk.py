"""Why divide by √d_k? The experiment on random N(0, 1) queries and keys (``attention_core.dk_experiment``).

The spread of q·k for many random pairs (variance ≈ d_k) and the same divided by √d_k (≈ 1); one
softmax row of n keys, unscaled and scaled (the live view), with its largest weight, entropy and the
largest entry of the softmax's Jacobian; entropy and gradient against d_k, the seed-000 notebook's
d_k = 4 marked. The page reads its controls, calls the engine and draws: no math of its own.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from attention_core import DK_SWEEP, DkExperiment, DkSweep, SoftmaxRow, dk_experiment, dk_sweep, softmax_row
from attention_core.errors import AttentionLabError
from attention_core.limits import SEED_LIMIT
from ui import present
from ui.figures import axis, font, layout_base, show_figure, y_title
from ui.format import fmt
from ui.i18n import show_error, t
from ui.lesson import (
    bound,
    covered_card,
    explain_cell,
    finish,
    live_view,
    opening,
    predict_panel,
    reset,
    show_matrix,
    start,
    step_card,
    workbench,
)
from ui.live_attention import AttentionView, current_temperature
from ui.nav import DK_MAX_KEYS, LESSONS
from ui.predict import Outcome

SPEC = LESSONS["sqrt_dk"]
start(SPEC)
CONCLUSION = 5  # presentation mode's last stage: the sentence the numbers say, and the notebooks
N_PAIRS = 2_000  # random (q, k) pairs of the histograms
SWEEP_ROWS = 64  # random rows averaged at each d_k of the curves
NOTEBOOK_DK = 4  # seed 000: 4 × 4 embeddings and weight matrices, so d_k = 4
#: Colours of the two curves (Okabe-Ito orange and blue: told apart with any colour vision).
UNSCALED, SCALED = "#D55E00", "#0072B2"

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


def gradient(x: float) -> str:
    """A Jacobian entry: at the page's decimals, or in scientific notation when that would read ≈0."""
    return fmt(x) if x == 0 or abs(x) >= 1e-3 else f"{x:.2e}"


def key_labels(n: int) -> list[str]:
    return [t("dk.key_n", n=i + 1) for i in range(n)]


def row_labels() -> list[str]:
    return [t("dk.row_unscaled"), t("dk.row_scaled")]


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
def spread_step(e: DkExperiment) -> None:
    """Step 1: the histograms of q·k and of q·k/√d_k, each with its measured variance."""
    root = math.sqrt(e.d_k)
    explain = t(
        "dk.spread_explain",
        n=e.n_pairs,
        var=fmt(e.var_dots, 1),
        d_k=e.d_k,
        stderr=fmt(e.var_stderr, 1),
        var_scaled=fmt(e.var_scaled, 3),
    )
    formula = r"\mathrm{Var}(q \cdot k) = d_k, \qquad \mathrm{Var}\!\left(\frac{q \cdot k}{\sqrt{d_k}}\right) = 1"
    with step_card(1, t("dk.spread_title"), formula, explain):
        titles = (
            t("dk.hist_unscaled", var=fmt(e.var_dots, 1), d_k=e.d_k),
            t("dk.hist_scaled", var=fmt(e.var_scaled, 3), sqrt_dk=fmt(root, 2)),
        )
        traces = [
            {
                "type": "histogram",
                "x": e.dots.tolist(),
                "marker": {"color": UNSCALED},
                "nbinsx": 40,
                "name": titles[0],
                "xaxis": "x",
                "yaxis": "y",
                "showlegend": False,
            },
            {
                "type": "histogram",
                "x": e.dots_scaled.tolist(),
                "marker": {"color": SCALED},
                "nbinsx": 40,
                "name": titles[1],
                "xaxis": "x2",
                "yaxis": "y2",
                "showlegend": False,
            },
        ]
        layout = layout_base(
            t("dk.hist_title", n=e.n_pairs),
            xaxis={**axis(t("dk.axis_dot")), "domain": [0, 0.46]},
            xaxis2={**axis(t("dk.axis_dot_scaled")), "domain": [0.54, 1]},
            yaxis=axis(),
            yaxis2={**axis(), "anchor": "x2"},
            annotations=[
                {**y_title(titles[0]), "font": font(0.9)},
                {**y_title(titles[1], x=0.54), "font": font(0.9)},
            ],
            height=320,
            margin={"l": 10, "r": 10, "t": 70, "b": 10},
            bargap=0.05,
        )
        show_figure(traces, layout, key=SPEC.key("hist"))


def rows_at(e: DkExperiment, temperature: float) -> tuple[SoftmaxRow, SoftmaxRow]:
    """The row unscaled and scaled at the live view's temperature (the engine's rows at T = 1)."""
    return softmax_row(e.scores / temperature), softmax_row(e.scaled.logits / temperature)


def row_step(e: DkExperiment, rows: tuple[SoftmaxRow, SoftmaxRow], outcome: Outcome) -> None:
    """Step 2: one query against n keys, unscaled and scaled, in the live view (two rows)."""
    keys = key_labels(e.n_keys)
    explain = None
    if not outcome.covered:
        explain = t(
            "dk.row_explain",
            spread=fmt(float(np.std(e.scores)), 2),
            spread_scaled=fmt(float(np.std(e.scaled.logits)), 2),
        )
    formula = r"\mathrm{softmax}(q K^\top) \qquad \mathrm{softmax}\!\left(\frac{q K^\top}{\sqrt{d_k}}\right)"
    with step_card(2, t("dk.row_title", n=e.n_keys), formula, explain):
        view = AttentionView(
            scores=np.vstack([e.scores, e.scaled.logits]),
            rows=row_labels(),
            cols=keys,
            row_title=t("dk.row_axis"),
            col_title=t("common.key"),
            d_k=e.d_k,
            scale=False,  # the second row is already divided by √d_k
            covered=outcome.covered,
            explain_cell=explain_cell(SPEC, outcome),
        )
        live_view(SPEC, view)
        if not outcome.covered:
            with st.expander(t("live.weights_table")):
                show_matrix(
                    np.vstack([r.weights for r in rows]),
                    row_labels(),
                    keys,
                    key=SPEC.key("weights_table"),
                    weights=True,
                )


def gradient_step(rows: tuple[SoftmaxRow, SoftmaxRow], outcome: Outcome) -> None:
    """Step 3: each row's largest weight, entropy and the largest entry of the softmax's Jacobian."""
    title = t("dk.gradient_title")
    formula = (
        r"J = \frac{\partial a}{\partial z} = \mathrm{diag}(a) - a\,a^\top, \qquad J_{ij} = a_i(\delta_{ij} - a_j)"
    )
    if outcome.covered:
        covered_card(3, title, formula)
        return
    unscaled, scaled = rows
    explain = t(
        "dk.gradient_explain",
        w=fmt(unscaled.max_weight),
        h=fmt(unscaled.entropy, 3),
        j=gradient(unscaled.jacobian_max),
        w_s=fmt(scaled.max_weight),
        h_s=fmt(scaled.entropy, 3),
        j_s=gradient(scaled.jacobian_max),
        h_max=fmt(math.log(len(unscaled.weights)), 3),
    )
    with step_card(3, title, formula, explain):
        table = np.array([[r.max_weight, r.entropy, r.jacobian_max] for r in rows])
        cols = [t("dk.col_max_weight"), t("dk.col_entropy"), t("dk.col_jacobian")]
        show_matrix(table, row_labels(), cols, key=SPEC.key("summary"))


def curves_step(s: DkSweep, d_k: int) -> None:
    """Step 4: entropy and the Jacobian's largest entry against d_k, unscaled and scaled, with the
    seed-000 notebook's d_k = 4 and the current d_k marked."""
    x = [math.log2(d) for d in s.d_k]  # d_k doubles at each step: equally spaced, labelled 2, 4, …, 512
    explain = t(
        "dk.curves_explain",
        rows=s.n_rows,
        d_k=d_k,
        n=s.n_keys,
        h_max=fmt(s.max_entropy, 3),
        j_512=gradient(float(s.unscaled.jacobian_max[-1])),
        j_512_s=gradient(float(s.scaled.jacobian_max[-1])),
    )
    with step_card(4, t("dk.curves_title"), None, explain):
        names = (t("dk.row_unscaled"), t("dk.row_scaled"))
        traces = []
        for which, (curve, colour, name) in enumerate(((s.unscaled, UNSCALED, names[0]), (s.scaled, SCALED, names[1]))):
            dash = "solid" if which == 0 else "dash"
            for measure, (xa, ya) in ((curve.entropy, ("x", "y")), (curve.jacobian_max, ("x2", "y2"))):
                traces.append(
                    {
                        "type": "scatter",
                        "mode": "lines+markers",
                        "x": x,
                        "y": measure.tolist(),
                        "name": name,
                        "customdata": list(s.d_k),
                        "legendgroup": name,
                        "showlegend": xa == "x",
                        "line": {"color": colour, "dash": dash},
                        "xaxis": xa,
                        "yaxis": ya,
                        "hovertemplate": "d_k = %{customdata}<br>%{y:.4g}<extra>"
                        + name.replace("<", "&lt;")
                        + "</extra>",
                    }
                )
        log_x = {"tickvals": x, "ticktext": [str(v) for v in s.d_k]}
        mark = t("dk.notebook_mark", d_k=NOTEBOOK_DK)
        shapes, notes = [], []
        for xa in ("x", "x2"):
            shapes.append(
                {
                    "type": "line",
                    "xref": xa,
                    "yref": "paper",
                    "x0": math.log2(NOTEBOOK_DK),
                    "x1": math.log2(NOTEBOOK_DK),
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#555", "dash": "dot"},
                }
            )
            shapes.append(
                {
                    "type": "line",
                    "xref": xa,
                    "yref": "paper",
                    "x0": math.log2(d_k),
                    "x1": math.log2(d_k),
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#999", "width": 6},
                    "opacity": 0.25,
                }
            )
        notes.append(
            {
                "text": mark,
                "x": math.log2(NOTEBOOK_DK),
                "xref": "x",
                "y": 0.02,
                "yref": "paper",
                "xanchor": "left",
                "showarrow": False,
                "font": font(0.8),
            }
        )
        layout = layout_base(
            t("dk.curves_chart", rows=s.n_rows),
            xaxis={**axis("d_k"), **log_x, "domain": [0, 0.46]},
            xaxis2={**axis("d_k"), **log_x, "domain": [0.54, 1]},
            yaxis={**axis(), "rangemode": "tozero"},
            yaxis2={**axis(), "anchor": "x2", "rangemode": "tozero"},
            annotations=[y_title(t("dk.axis_entropy")), y_title(t("dk.axis_jacobian"), x=0.54), *notes],
            shapes=shapes,
            legend={"orientation": "h", "y": -0.25, "font": font()},
            height=360,
            margin={"l": 10, "r": 10, "t": 70, "b": 10},
        )
        show_figure(traces, layout, key=SPEC.key("curves"))


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
opening(SPEC, t("dk.title"), t("dk.intro"))
live()
finish(SPEC)
