"""Cross-attention: one sentence reads another (``attention_core.cross_attention``).

The queries come from the target sentence (by default "I like studying AI"), the keys and values
from the source (seed 000's "Tôi thích học AI"); each word starts from a designed vector
(``attention_core.cross_presets``: a word and its translation share one), and every vector can be
edited. The weights are n_target × n_source, drawn with the live view; the narration names the source
word each target word reads most. Page level (full reruns): the two sentences and their vectors. A
fragment: heads, scaling and the steps, which the live view's temperature reruns alone. No math of
its own: the page reads its controls, calls the engine and draws.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import CrossAttentionResult, cap, cross_attention, tokenize
from attention_core.cross_presets import CROSS_ATTENTION, CROSS_DIM, CROSS_HEADS, cross_vectors
from attention_core.errors import AttentionLabError
from attention_core.limits import CROSS_MAX_TOKENS, MAX_SHORT_SENTENCE_CHARS
from ui import present
from ui.editors import matrix_editor, reset_editor
from ui.export import recipes
from ui.format import dim_labels, fmt_weight, md_code, unique_labels
from ui.i18n import error_text, show_error, t
from ui.lesson import (
    bound,
    covered_card,
    predict_panel,
    reset,
    run_lesson,
    scale_toggle,
    show_matrix,
    show_numbers,
    start,
    step_card,
    tied_names,
    weights_view,
)
from ui.live_attention import current_temperature
from ui.nav import PageSpec, lesson_experiment
from ui.predict import Outcome
from ui.share.fields import Choice, Flag, Int, Matrix, State, Text
from ui.values import BadValue, check_text


def _tokens(state: State, which: str) -> list[str]:
    """The source's or the target's tokens (at most CROSS_MAX_TOKENS)."""
    return cap(tokenize(str(state.get(which) or "")), CROSS_MAX_TOKENS)[0]


def _vectors(name: str, which: str) -> Matrix:
    """A sentence's vectors (``xs`` the source's, ``xt`` the target's): the designed ones by default
    (``attention_core.cross_presets``), one row per token; part of the experiment while the sentence
    has a word."""
    return Matrix(
        name,
        lambda s: cross_vectors(_tokens(s, which)),
        shape=lambda s: (len(_tokens(s, which)), CROSS_DIM),
        max_rows=CROSS_MAX_TOKENS,
        max_cols=CROSS_DIM,
        when=lambda s: bool(_tokens(s, which)),
    )


SPEC = PageSpec(
    name="cross_attention",
    order=90,
    title_key="nav.cross_attention",
    icon="🌐",
    summary_key="nav.cross_attention_summary",
    prefix="cross",
    recipe=recipes.cross_attention,
    experiment=lesson_experiment(
        Text("source", CROSS_ATTENTION.source, bound=True, max_chars=MAX_SHORT_SENTENCE_CHARS),
        Text("target", CROSS_ATTENTION.target, bound=True, max_chars=MAX_SHORT_SENTENCE_CHARS),
        Choice("heads", 1, bound=True, options=CROSS_HEADS),
        Flag("scale", CROSS_ATTENTION.scale, bound=True),
        Int("head", 1, bound=True, low=1, high=lambda s: int(s["heads"]), when=lambda s: s["heads"] > 1),
        _vectors("xs", "source"),
        _vectors("xt", "target"),
    ),
    steps=("cross.where_title", "cross.weights_title", "cross.narration_title", "cross.output_title"),
)
P = CROSS_ATTENTION
KEEP = "session"  # widget values survive a visit to another page
EDITORS = (SPEC.key("xs"), SPEC.key("xt"))  # the source's and the target's vectors


def reset_all() -> None:
    """The reset button's callback: the default sentences and switches, and no edited vector."""
    reset(SPEC)
    for key in EDITORS:
        reset_editor(key)


# --------------------------------------------------------------------------- inputs (page level)
def sentence(name: str, label: str, help_text: str) -> list[str]:
    """One sentence's text input (key ``cross_{name}``) and its tokens; [] with a message when unusable."""
    where = st.container()
    text = where.text_input(label, **bound(SPEC, name), help=help_text, persist_state=KEEP)
    try:  # the check every typed text passes (no control characters, no bidi overrides)
        check_text(text or "")
    except BadValue as exc:
        where.error(error_text(exc), icon="⚠️")
        return []
    all_tokens = tokenize(text or "")
    tokens, was_cut = cap(all_tokens, CROSS_MAX_TOKENS)
    if not tokens:
        where.error(t("error.empty_text"), icon="⚠️")
    elif was_cut:
        where.warning(t("cross.capped", n=len(all_tokens), limit=CROSS_MAX_TOKENS), icon="✂️")
    return tokens


def inputs() -> tuple[list[str], list[str], np.ndarray | None, np.ndarray | None]:
    """Both sentences, then their vectors as editable tables: (source tokens, target tokens, X_source,
    X_target); a table is None while a sentence is empty or a cell is bad."""
    st.header(t("cross.inputs_title"))
    source = sentence("source", t("cross.source"), t("cross.source_help", limit=CROSS_MAX_TOKENS))
    target = sentence("target", t("cross.target"), t("cross.target_help", limit=CROSS_MAX_TOKENS))
    st.button(t("cross.reset"), key=SPEC.key("reset"), on_click=reset_all, icon=":material/undo:")
    xs = xt = None
    with st.expander(t("cross.vectors_edit"), icon=":material/edit:"):
        st.caption(t("cross.vectors_help", d=CROSS_DIM))
        cols = dim_labels(CROSS_DIM)
        if source:
            st.markdown(f"**{t('cross.xs_name')}**")
            xs = matrix_editor(EDITORS[0], cross_vectors(source), unique_labels(source), cols, name="X_source")
        if target:
            st.markdown(f"**{t('cross.xt_name')}**")
            xt = matrix_editor(EDITORS[1], cross_vectors(target), unique_labels(target), cols, name="X_target")
    return source, target, xs, xt


# --------------------------------------------------------------------------- the steps
def where_step(r: CrossAttentionResult, src: list[str], tgt: list[str], heads: int) -> None:
    """Step 1: Q from the target, K and V from the source (the designed vectors as they are)."""
    explain = t(
        "cross.where_explain",
        target=md_code(" ".join(tgt), 60),
        source=md_code(" ".join(src), 60),
        n_t=len(tgt),
        n_s=len(src),
        d=CROSS_DIM,
    )
    formula = (
        r"Q = X_{\text{target}} \in \mathbb{R}^{" + f"{len(tgt)} \\times {CROSS_DIM}" + r"},\quad "
        r"K = V = X_{\text{source}} \in \mathbb{R}^{" + f"{len(src)} \\times {CROSS_DIM}" + "}"
    )
    with step_card(1, t("cross.where_title"), formula, explain):
        if heads > 1:
            st.caption(t("cross.heads_split", h=heads, d_head=CROSS_DIM // heads))
        cols = dim_labels(CROSS_DIM)
        with show_numbers(key=SPEC.key("numbers")):
            st.markdown(f"**{t('cross.q_title')}**")
            show_matrix(r.x_target, unique_labels(tgt), cols, key=SPEC.key("q"))
            st.markdown(f"**{t('cross.kv_title')}**")
            show_matrix(r.x_source, unique_labels(src), cols, key=SPEC.key("kv"))


def weights_step(r: CrossAttentionResult, src: list[str], tgt: list[str], head: int, scale: bool, outcome: Outcome):
    """Step 2: the shown head's n_target × n_source weights, in the live view."""
    shown, h = r.heads[head], len(r.heads)
    formula = r"A = \mathrm{softmax}\!\left(\frac{Q K^\top}{" + (r"\sqrt{d_k}\," if scale else "") + r"T}\right)"
    formula += r" \in \mathbb{R}^{" + f"{len(tgt)} \\times {len(src)}" + "}"
    explain = t("cross.weights_explain", n_t=len(tgt), n_s=len(src))
    with step_card(2, t("cross.weights_title"), formula, explain):
        if h > 1:
            st.caption(t("cross.head_n", n=head + 1))
        line = None
        if h > 1:
            d_k = shown.d_k
            span = {"n": head + 1, "start": head * d_k + 1, "end": (head + 1) * d_k}
            line = t("cross.live_output_head", **span, row="{row}", output="{output}")
        weights_view(
            SPEC,
            shown,
            unique_labels(tgt),
            unique_labels(src),
            values=shown.v,
            scale=scale,
            row_title=t("cross.target_axis"),
            col_title=t("cross.source_axis"),
            output_line=line,
            outcome=outcome,
        )


def narration_step(r: CrossAttentionResult, src: list[str], tgt: list[str], head: int) -> None:
    """Step 3: each target word's most-attended source word (every one of a tie), in words."""
    weights = r.heads[head].weights
    names = [md_code(s) for s in unique_labels(src)]
    lines = []
    for i, word in enumerate(unique_labels(tgt)):
        row = weights[i]
        best = float(row.max())
        lines.append(
            "- "
            + t("cross.reads", target=md_code(word), source=tied_names(row, names, best), weight=fmt_weight(best, row))
        )
    explain = t("cross.narration_explain")
    with step_card(3, t("cross.narration_title"), None, explain):
        with st.container(key=SPEC.key("narration")):
            st.markdown("\n".join(lines))


def output_step(r: CrossAttentionResult, tgt: list[str]) -> None:
    """Step 4: one output per target word, made of source values (the heads side by side)."""
    h = len(r.heads)
    formula = r"\text{output} = A\,V \in \mathbb{R}^{" + f"{len(tgt)} \\times {r.output.shape[1]}" + "}"
    if h > 1:
        formula = r"\text{output} = \left[\, A_1 V_1 \mid \dots \mid A_{" + str(h) + r"} V_{" + str(h) + r"} \,\right]"
    with step_card(4, t("cross.output_title"), formula, t("cross.output_explain", n_t=len(tgt))):
        show_matrix(r.output, unique_labels(tgt), dim_labels(r.output.shape[1]), key=SPEC.key("output"))


@st.fragment
def live(src: list[str], tgt: list[str], xs: np.ndarray | None, xt: np.ndarray | None) -> None:
    """Heads, scaling and the steps, one fragment: a switch or the live view's temperature reruns only this.
    In presentation mode the heads and the switch belong to step 2's stage (the weights they change)."""
    with present.stage(2, "opts"):
        c_heads, c_scale = st.columns(2, vertical_alignment="bottom")
        c_head = st.container()
    heads = int(
        c_heads.radio(
            t("cross.heads"),
            options=list(CROSS_HEADS),
            horizontal=True,
            **bound(SPEC, "heads", default_as=None),
            help=t("cross.heads_help", d=CROSS_DIM),
            persist_state=KEEP,
        )
    )
    with c_scale:
        scale = scale_toggle(SPEC)
    head = 0
    if heads > 1:
        options = list(range(1, heads + 1))
        chosen = c_head.radio(
            t("cross.head_select"),
            options=options,
            horizontal=True,
            **bound(SPEC, "head", default_as=None),
            persist_state=KEEP,
        )
        head = min(int(chosen), heads) - 1
    if xs is None or xt is None:
        st.info(t("cross.fix_inputs"), icon="✏️")
        return
    temperature = current_temperature(SPEC.temperature_key)
    try:
        r = cross_attention(xt, xs, n_heads=heads, scale=scale, temperature=temperature)
    except AttentionLabError as exc:
        show_error(exc)
        return
    where_step(r, src, tgt, heads)
    shown = r.heads[head]
    outcome = predict_panel(
        SPEC,
        stage=2,
        scores=shown.scores,
        weights=shown.weights,
        rows=unique_labels(tgt),
        cols=unique_labels(src),
        d_k=shown.d_k,
        scale=scale,
        temperature=temperature,
    )
    weights_step(r, src, tgt, head, scale, outcome)
    if outcome.covered:
        covered_card(3, t("cross.narration_title"), None)
        covered_card(4, t("cross.output_title"), r"\text{output} = A\,V")
        return
    narration_step(r, src, tgt, head)
    output_step(r, tgt)


# --------------------------------------------------------------------------- the page


if __name__ == "__main__":  # drawn when Streamlit runs the page; `pages` only reads SPEC
    start(SPEC)
    run_lesson(SPEC, title=t("cross.title"), intro=t("cross.intro"), controls=inputs, live=lambda values: live(*values))
