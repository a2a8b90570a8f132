"""The KV cache lesson's steps (``pages/kv_cache.py`` reads the controls and draws them in order).

Each step is a card (``ui.lesson.step_card``) drawn from the engine's ``CachedStep`` / ``CachedDecode``:
the new token's q, k and v, the cache (reused rows marked) with the new query's weights in the live
view, the output against the full causal recomputation (the ``kv-check`` container, present only
while they are equal), the work saved, and the conclusion.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from attention_core import cap, tokenize
from attention_core.kv_cache import CachedDecode, CachedStep
from attention_core.limits import KV_MAX_DIM, KV_MAX_TOKENS, MAX_SHORT_SENTENCE_CHARS, SEED_LIMIT
from attention_core.presets import STEP_BY_STEP
from ui import present
from ui.export import recipes
from ui.figures import axis, font, layout_base, show_figure, y_title
from ui.format import dim_labels, fmt, fmt_vec, md_code
from ui.i18n import t
from ui.lesson import (
    covered_card,
    explain_cell,
    live_view,
    show_matrix,
    show_numbers,
    step_card,
)
from ui.live_attention import AttentionView
from ui.nav import PageSpec, lesson_experiment
from ui.predict import Outcome
from ui.share.fields import Int, State, Text


def _tokens(state: State) -> int:
    """How many tokens the lesson generates from the state's sentence (at least 1: the step's limit)."""
    tokens, _ = cap(tokenize(str(state.get("sentence") or "")), KV_MAX_TOKENS)
    return max(1, len(tokens))


#: The sentence, seed and size (the seed-000 way), and the step shown (1-based).
SPEC = PageSpec(
    name="kv_cache",
    order=100,
    title_key="nav.kv_cache",
    icon="🗃️",
    summary_key="nav.kv_cache_summary",
    prefix="kv",
    recipe=recipes.kv_cache,
    experiment=lesson_experiment(
        Text("sentence", STEP_BY_STEP.sentence, bound=True, max_chars=MAX_SHORT_SENTENCE_CHARS),
        Int("seed", STEP_BY_STEP.seed, bound=True, low=0, high=SEED_LIMIT - 1),
        Int("dim", STEP_BY_STEP.dim, bound=True, low=1, high=KV_MAX_DIM),
        Int("step", 1, bound=True, low=1, high=_tokens),
    ),
    steps=("kv.new_title", "kv.cache_title", "kv.output_title", "kv.work_title"),
)
CONCLUSION = 5  # presentation mode's last stage: the sentence the numbers say
#: The largest difference between the cached output and the full recomputation the check accepts.
TOLERANCE = 1e-12
#: Colours of the two counts (Okabe-Ito orange and blue: told apart with any colour vision).
FULL_COLOUR, CACHED_COLOUR = "#D55E00", "#0072B2"


def new_token_step(s: CachedStep, label: str, dim: int) -> None:
    """Step 1: the only projections of this step, the new token's q, k and v."""
    explain = t("kv.new_explain", token=md_code(label), q=fmt_vec(s.q), before=s.step)
    formula = r"q_t = x_t W_q, \quad k_t = x_t W_k, \quad v_t = x_t W_v"
    with step_card(1, t("kv.new_title", token=label, t=s.step + 1), formula, explain):
        rows = [t("kv.row_q"), t("kv.row_k"), t("kv.row_v")]
        show_matrix(np.vstack([s.q, s.k_new, s.v_new]), rows, dim_labels(dim), key=SPEC.key("new"))


def cache_labels(s: CachedStep, labels: list[str]) -> list[str]:
    """Each row of the cache after step t: marked as reused (tokens before t) or new (token t)."""
    # marked in words, not emoji: the table's label column is sized from the text (an emoji's width is a guess)
    return [t("kv.row_cached_token" if i < s.step else "kv.row_new_token", token=labels[i]) for i in range(s.step + 1)]


def cache_step(s: CachedStep, labels: list[str], dim: int, outcome: Outcome) -> None:
    """Step 2: the cached K and V rows (reused) and the new one; the new query's weights (live view)."""
    explain = None
    if not outcome.covered:
        explain = t("kv.cache_explain", reused=s.step, token=md_code(labels[s.step]), rows=s.step + 1)
    formula = r"K = \begin{bmatrix} K_{\text{cache}} \\ k_t \end{bmatrix}, \quad V = \begin{bmatrix} V_{\text{cache}} \\ v_t \end{bmatrix}, \quad a_t = \mathrm{softmax}\!\left(\frac{q_t K^\top}{\sqrt{d_k}}\right)"
    with step_card(2, t("kv.cache_title"), formula, explain):
        st.caption(t("kv.cache_legend"))
        rows, dims = cache_labels(s, labels), dim_labels(dim)
        # stacked: each table keeps its whole width. A container of its own per step: the grid keeps its
        # label column's width from its first draw, so the tables are drawn anew when a row is added
        # (or a label like "thích · cached" would be cut to the width of step 1's "Tôi · new")
        with st.container(key=SPEC.key(f"cache_{s.step}")):
            st.markdown(f"**{t('kv.k_title')}**")
            show_matrix(s.cache.k, rows, dims, key=SPEC.key("k"))
            st.markdown(f"**{t('kv.v_title')}**")
            show_matrix(s.cache.v, rows, dims, key=SPEC.key("v"))
        view = AttentionView(
            scores=s.attention.scores[None, :],
            values=s.cache.v,
            q=s.q[None, :],
            k=s.cache.k,
            d_k=dim,
            scale=True,
            rows=[labels[s.step]],
            cols=labels[: s.step + 1],
            row_title=t("kv.row_axis"),
            col_title=t("common.key"),
            covered=outcome.covered,
            explain_cell=explain_cell(SPEC, outcome),
        )
        live_view(SPEC, view)


def output_step(s: CachedStep, full: np.ndarray, labels: list[str], outcome: Outcome) -> bool:
    """Step 3: the output with the cache against row t of the full causal recomputation, and the check
    (container ``kv-check``, drawn only while they are equal). Returns whether they are."""
    title = t("kv.output_title")
    formula = r"o_t = a_t V \;=\; \left[\mathrm{softmax}\!\left(\frac{Q K^\top}{\sqrt{d_k}} + M_{\text{causal}}\right) V\right]_t"
    if outcome.covered:
        covered_card(3, title, formula)
        return False
    row = full[s.step]
    gap = float(np.max(np.abs(s.output - row)))  # a comparison of two engine results, not attention math
    equal = gap <= TOLERANCE
    explain = t("kv.output_explain", token=md_code(labels[s.step]), output=fmt_vec(s.output), n=len(full))
    with step_card(3, title, formula, explain):
        rows = [t("kv.row_cached"), t("kv.row_full")]
        show_matrix(np.vstack([s.output, row]), rows, dim_labels(len(row)), key=SPEC.key("output"))
        if equal:
            with st.container(key="kv-check"):
                st.success(t("kv.check_equal", gap=f"{gap:.1e}", tolerance="1e-12"), icon="✅")
        else:
            st.error(t("kv.check_differs", gap=f"{gap:.1e}", tolerance="1e-12"), icon="❌")
    return equal


def work_step(run: CachedDecode, labels: list[str], step: int, dim: int) -> None:
    """Step 4: multiply-adds per step with the cache and recomputing, and the cache's memory; the totals."""
    steps = run.steps
    cached = [s.madds_cached for s in steps]
    full = [s.madds_full for s in steps]
    memory = [s.cache_floats for s in steps]
    explain = t(
        "kv.work_explain",
        t=step,
        cached=cached[step - 1],
        full=full[step - 1],
        n=len(steps),
        total_c=run.madds_cached_total,
        total_f=run.madds_full_total,
        floats=memory[step - 1],
        rows=step,
    )
    formula = r"\underbrace{P + (t{+}1)(d_k{+}d_v)}_{\text{cache}} \quad\text{vs}\quad \underbrace{(t{+}1)P + (t{+}1)^2(d_k{+}d_v)}_{\text{recompute}}"
    with step_card(4, t("kv.work_title"), formula, explain):
        x = list(range(1, len(steps) + 1))
        names = (t("kv.col_cached"), t("kv.col_full"), t("kv.col_memory"))
        traces = [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": x,
                "y": series,
                "name": name,
                "line": {"color": colour, "dash": dash},
                "xaxis": "x",
                "yaxis": "y",
                "hovertemplate": "%{x}: %{y}<extra>" + name.replace("<", "&lt;") + "</extra>",
            }
            for series, name, colour, dash in (
                (cached, names[0], CACHED_COLOUR, "solid"),
                (full, names[1], FULL_COLOUR, "dash"),
            )
        ]
        traces.append(
            {
                "type": "bar",
                "x": x,
                "y": memory,
                "name": names[2],
                "marker": {"color": CACHED_COLOUR},
                "xaxis": "x2",
                "yaxis": "y2",
                "showlegend": False,
                "hovertemplate": "%{x}: %{y}<extra>" + names[2].replace("<", "&lt;") + "</extra>",
            }
        )
        shapes = [
            {
                "type": "line",
                "xref": xa,
                "yref": "paper",
                "x0": step,
                "x1": step,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#999", "width": 6},
                "opacity": 0.3,
            }
            for xa in ("x", "x2")
        ]
        layout = layout_base(
            t("kv.work_chart"),
            xaxis={**axis(t("kv.axis_step")), "domain": [0, 0.46], "dtick": 1},
            xaxis2={**axis(t("kv.axis_step")), "domain": [0.54, 1], "dtick": 1},
            yaxis={**axis(), "rangemode": "tozero"},
            yaxis2={**axis(), "anchor": "x2", "rangemode": "tozero"},
            annotations=[y_title(t("kv.axis_madds")), y_title(t("kv.axis_memory"), x=0.54)],
            shapes=shapes,
            legend={"orientation": "h", "y": -0.3, "font": font()},
            height=340,
            margin={"l": 10, "r": 10, "t": 70, "b": 10},
        )
        show_figure(traces, layout, key=SPEC.key("work"))
        with show_numbers(key=SPEC.key("work_numbers")):
            index = [t("kv.step_n", t=i, token=labels[i - 1]) for i in x] + [t("kv.total")]
            frame = pd.DataFrame(
                {
                    names[0]: [*cached, run.madds_cached_total],
                    names[1]: [*full, run.madds_full_total],
                    names[2]: [*memory, memory[-1]],
                },
                index=index,
            )
            with st.container(key=SPEC.key("work_table")):
                st.dataframe(frame)


def conclusion(run: CachedDecode, labels: list[str], step: int) -> None:
    """What the numbers say, in one sentence."""
    s = run.steps[step - 1]
    best = int(np.argmax(s.weights))
    common = {
        "t": step,
        "token": md_code(labels[step - 1]),
        "best": md_code(labels[best]),
        "weight": fmt(float(s.weights[best])),
        "cached": s.madds_cached,
        "full": s.madds_full,
        "floats": s.cache_floats,
        "n": len(run.steps),
        "total_c": run.madds_cached_total,
        "total_f": run.madds_full_total,
    }
    if step == 1:
        sentence = t("kv.narration_first", **common)
    else:
        sentence = t("kv.narration", reused=step - 1, ratio=fmt(s.madds_full / s.madds_cached, 1), **common)
    with present.stage(CONCLUSION), st.container(border=True):
        st.markdown(f"**{t('kv.lesson_title')}**")
        st.markdown(sentence)
