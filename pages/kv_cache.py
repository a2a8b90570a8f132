"""The KV cache: a sentence generated one token at a time (``attention_core.kv_cache``).

The sentence's tokens come in order, each attending causally to itself and the tokens before it
(embeddings and W_q, W_k, W_v drawn from the seed, the seed-000 way). At step t: the new token's q,
k and v (the only projections computed), the cached K and V rows (reused, marked) and the new one,
the new query's weights in the live view, the output against the full causal recomputation (the
``kv-check`` container, present only while they are equal), and the work saved: multiply-adds with
the cache against recomputing, per step and in total, and the cache's memory. Next, previous, play
(a fragment that reruns on a timer while playing) and a step slider. The page reads its controls,
calls the engine and draws: no math of its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from attention_core import build_vocab, cached_decode, cap, causal_mask, embed, random_tables, self_attention, tokenize
from attention_core.errors import AttentionLabError
from attention_core.kv_cache import CachedDecode, CachedStep
from attention_core.limits import SEED_LIMIT
from ui import present
from ui.figures import axis, font, layout_base, show_figure, y_title
from ui.format import dim_labels, fmt, fmt_vec, md_code, unique_labels
from ui.i18n import error_text, show_error, t
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
    show_numbers,
    start,
    step_card,
    workbench,
)
from ui.live_attention import AttentionView, current_temperature
from ui.nav import KV_MAX_DIM, KV_MAX_TOKENS, LESSONS
from ui.predict import Outcome
from ui.values import BadValue, check_text

SPEC = LESSONS["kv_cache"]
start(SPEC)
CONCLUSION = 5  # presentation mode's last stage: the sentence the numbers say
KEEP = "session"  # widget values survive a visit to another page
PLAYING = "kv_playing"  # plain session key (no widget owns it): "Play" is on
PLAY_EVERY = 1.5  # seconds between two tokens while playing
#: The largest difference between the cached output and the full recomputation the check accepts.
TOLERANCE = 1e-12
#: Colours of the two counts (Okabe-Ito orange and blue: told apart with any colour vision).
FULL_COLOUR, CACHED_COLOUR = "#D55E00", "#0072B2"


# --------------------------------------------------------------------------- the step buttons
def _step() -> int:
    return int(st.session_state.get(SPEC.key("step"), 1))


def _move(by: int, n: int) -> None:
    st.session_state[SPEC.key("step")] = min(max(_step() + by, 1), n)
    st.session_state[PLAYING] = False


def _play(n: int) -> None:
    if _step() >= n:  # played to the end: start again
        st.session_state[SPEC.key("step")] = 1
    st.session_state[PLAYING] = True


def _pause() -> None:
    st.session_state[PLAYING] = False


def _reset() -> None:
    reset(SPEC)
    st.session_state[PLAYING] = False


# --------------------------------------------------------------------------- controls
def controls() -> tuple[list[str], int, int] | None:
    """Sentence, seed and size; the tokens to generate (None, with a message, while the sentence is bad)."""
    st.header(t("kv.inputs_title"))
    st.caption(t("kv.inputs_caption"))
    box = st.container()
    sentence = box.text_input(
        t("kv.sentence"), **bound(SPEC, "sentence"), help=t("kv.sentence_help", limit=KV_MAX_TOKENS), persist_state=KEEP
    )
    c_seed, c_dim = st.columns(2)
    limit = SEED_LIMIT - 1
    seed = c_seed.number_input(
        t("kv.seed"), 0, limit, step=1, **bound(SPEC, "seed"), help=t("kv.seed_help", limit=limit), persist_state=KEEP
    )
    dim = c_dim.number_input(
        t("kv.dim"),
        1,
        KV_MAX_DIM,
        step=1,
        **bound(SPEC, "dim"),
        help=t("kv.dim_help", limit=KV_MAX_DIM),
        persist_state=KEEP,
    )
    try:  # the check every typed text passes (no control characters, no bidi overrides)
        check_text(sentence or "")
    except BadValue as exc:
        box.error(error_text(exc), icon="⚠️")
        return None
    all_tokens = tokenize(sentence or "")
    tokens, was_cut = cap(all_tokens, KV_MAX_TOKENS)
    if not tokens:
        box.error(t("error.empty_text"), icon="⚠️")
        return None
    if was_cut:
        box.warning(t("kv.capped", n=len(all_tokens), limit=KV_MAX_TOKENS), icon="✂️")
    return tokens, int(seed), int(dim)


def step_controls(n: int) -> int:
    """The step slider and the Previous / Next token / Play buttons; returns the step (1-based)."""
    key = SPEC.key("step")
    if _step() > n:  # a shorter sentence: its last token (before the slider is drawn)
        st.session_state[key] = n
    if n > 1:
        st.slider(t("kv.step"), 1, n, **bound(SPEC, "step"), help=t("kv.step_help"), persist_state=KEEP)
    else:
        st.session_state[key] = 1
        st.caption(t("kv.one_token"))
    step = _step()
    back, nxt = st.columns(2)
    play, again = st.columns(2)
    back.button(
        t("kv.previous"),
        key=SPEC.key("previous_token"),
        on_click=_move,
        args=(-1, n),
        disabled=step <= 1,
        icon=":material/skip_previous:",
        width="stretch",
    )
    nxt.button(
        t("kv.next"),
        key=SPEC.key("next_token"),
        on_click=_move,
        args=(1, n),
        disabled=step >= n,
        icon=":material/skip_next:",
        width="stretch",
        type="primary",
    )
    if st.session_state.get(PLAYING):
        play.button(t("kv.pause"), key=SPEC.key("pause"), on_click=_pause, icon=":material/pause:", width="stretch")
    else:
        play.button(
            t("kv.play"),
            key=SPEC.key("play"),
            on_click=_play,
            args=(n,),
            disabled=n <= 1,
            icon=":material/play_arrow:",
            width="stretch",
        )
    again.button(t("kv.reset"), key=SPEC.key("reset"), on_click=_reset, icon=":material/undo:", width="stretch")
    return step


# --------------------------------------------------------------------------- the steps
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


# --------------------------------------------------------------------------- the live part
def body(timer: bool) -> None:
    """The controls beside the steps. ``timer``: this run is the playing fragment's (it advances one token)."""
    playing = bool(st.session_state.get(PLAYING))
    if playing != timer:  # Play or Pause was pressed: the page draws the other fragment
        st.rerun()
    left, lesson = workbench()
    with left:
        got = controls()
    if got is None:
        st.session_state[PLAYING] = False
        return
    tokens, seed, dim = got
    n = len(tokens)
    if timer:  # one more token, or the end of the sentence
        if _step() < n:
            st.session_state[SPEC.key("step")] = _step() + 1
        else:
            st.session_state[PLAYING] = False
            st.rerun()
    with left:
        step = step_controls(n)
    temperature = current_temperature(SPEC.temperature_key)
    labels = unique_labels(tokens)
    with lesson:
        try:
            vocab = build_vocab(tokens)
            tables = random_tables(len(vocab), dim, seed)
            x = embed(tokens, vocab, tables.embeddings)
            ws = (tables.w_q, tables.w_k, tables.w_v)
            run = cached_decode(x, *ws, scale=True, temperature=temperature)
            full = self_attention(x, *ws, scale=True, temperature=temperature, mask=causal_mask(n)).attention.output
        except AttentionLabError as exc:
            show_error(exc)
            return
        s = run.steps[step - 1]
        new_token_step(s, labels[step - 1], dim)
        outcome = predict_panel(
            SPEC,
            stage=2,
            scores=s.attention.scores[None, :],
            weights=s.weights[None, :],
            rows=[labels[step - 1]],
            cols=labels[:step],
            d_k=dim,
            scale=True,
            temperature=temperature,
        )
        cache_step(s, labels, dim, outcome)
        output_step(s, full, labels, outcome)
        work_step(run, labels, step, dim)
        if not outcome.covered:
            conclusion(run, labels, step)


@st.fragment
def live() -> None:
    """One fragment: a control, a step button or the live view's temperature reruns only this."""
    body(False)


@st.fragment(run_every=PLAY_EVERY)
def playing() -> None:
    """The same, while playing: reruns every :data:`PLAY_EVERY` seconds, one token further each time."""
    body(True)


# --------------------------------------------------------------------------- the page
opening(SPEC, t("kv.title"), t("kv.intro"))
if st.session_state.get(PLAYING):
    playing()
else:
    live()
finish(SPEC)
