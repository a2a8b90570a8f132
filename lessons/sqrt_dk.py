"""The "Why divide by √d_k?" lesson's steps (``pages/sqrt_dk.py`` reads the controls, draws them in order and
ends with the conclusion).

How q·k spreads as d_k grows (histograms), a softmax row unscaled and scaled, its gradient, and the
curves over every d_k; each a card drawn from the engine's ``DkExperiment`` / ``DkSweep``.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from attention_core import DK_SWEEP, DkExperiment, DkSweep, SoftmaxRow, softmax_row
from attention_core.limits import DK_MAX_KEYS, SEED_LIMIT
from ui.export import recipes
from ui.figures import axis, font, layout_base, show_figure, y_title
from ui.format import fmt
from ui.i18n import t
from ui.lesson import (
    covered_card,
    explain_cell,
    live_view,
    show_matrix,
    step_card,
)
from ui.live_attention import AttentionView
from ui.nav import PageSpec, lesson_experiment
from ui.predict import Outcome
from ui.share.fields import Choice, Int

#: The key width the lesson opens at (the row has collapsed there unscaled), and its number of keys.
DK_DEFAULT, DK_KEYS = 64, 8

SPEC = PageSpec(
    name="sqrt_dk",
    order=60,
    title_key="nav.sqrt_dk",
    icon="📏",
    summary_key="nav.sqrt_dk_summary",
    prefix="dk",
    recipe=recipes.sqrt_dk,
    experiment=lesson_experiment(
        Choice("d_k", DK_DEFAULT, bound=True, options=DK_SWEEP),
        Int("n_keys", DK_KEYS, bound=True, low=2, high=DK_MAX_KEYS),
        Int("seed", 0, bound=True, low=0, high=SEED_LIMIT - 1),
    ),
    steps=("dk.spread_title", "dk.row_title", "dk.gradient_title", "dk.curves_title"),
)
NOTEBOOK_DK = 4  # seed 000: 4 × 4 embeddings and weight matrices, so d_k = 4
#: Colours of the two curves (Okabe-Ito orange and blue: told apart with any colour vision).
UNSCALED, SCALED = "#D55E00", "#0072B2"


def gradient(x: float) -> str:
    """A Jacobian entry: at the page's decimals, or in scientific notation when that would read ≈0."""
    return fmt(x) if x == 0 or abs(x) >= 1e-3 else f"{x:.2e}"


def key_labels(n: int) -> list[str]:
    return [t("dk.key_n", n=i + 1) for i in range(n)]


def row_labels() -> list[str]:
    return [t("dk.row_unscaled"), t("dk.row_scaled")]


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
