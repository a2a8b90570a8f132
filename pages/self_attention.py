"""Self-attention without projections: Q = K = V = X (seed 002's TensorFlow examples, 3×3 and 5×4)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import AttentionResult, self_attention
from attention_core.errors import AttentionLabError
from attention_core.presets import SELF_ATTENTION_3X3, SELF_ATTENTION_5X4, SelfAttentionPreset
from ui import present
from ui.editors import load_matrix
from ui.export import recipes
from ui.format import dim_labels, fmt, fmt_vec, fmt_weight, fmt_weights, ties
from ui.i18n import show_error, t
from ui.lesson import (
    XKeys,
    bound,
    covered_card,
    notebook_badge,
    predict_for,
    reset,
    run_lesson,
    scale_toggle,
    show_matrix,
    start,
    step_card,
    tied_names,
    token_label,
    weighted_terms,
    weights_view,
    x_editor,
)
from ui.live_attention import TEMPERATURE, current_temperature
from ui.nav import PageSpec, lesson_experiment
from ui.predict import Outcome
from ui.share.fields import Choice, Flag, Matrix

#: The two matrices of the notebook's self-attention example, by the choice that picks one.
PRESETS: dict[str, SelfAttentionPreset] = {"3x3": SELF_ATTENTION_3X3, "5x4": SELF_ATTENTION_5X4}

SPEC = PageSpec(
    name="self_attention",
    order=30,
    title_key="nav.self_attention",
    icon="🔁",
    summary_key="nav.self_attention_summary",
    prefix="self",
    recipe=recipes.self_attention,
    experiment=lesson_experiment(
        Choice("preset", "3x3", bound=True, options=tuple(PRESETS)),
        Flag("scale", False, bound=True),
        Matrix("x", lambda s: np.array(PRESETS[s["preset"]].x), sized=True),
    ),
    steps=("self.step_scores", "self.step_scaled", "self.step_weights", "self.step_output"),
)
CONCLUSION = 5  # presentation mode's last stage: why the weights are n × n, and the notebook badge
#: The words of the X editor and the token labels (the kit draws them).
X_KEYS = XKeys(
    token_n="self.token_n",
    x_name="self.x_name",
    n_tokens="self.n_tokens",
    n_features="self.n_features",
    n_tokens_help="self.n_tokens_help",
    n_features_help="self.n_features_help",
    x_help="self.x_help",
    reset_help="self.reset_help",
)

#: Language-neutral labels (a format_func must not depend on the session).
PRESET_LABELS = {"3x3": "3×3", "5x4": "5×4"}


def _load_preset() -> None:
    load_matrix(SPEC.key("x"), np.array(PRESETS[st.session_state[SPEC.key("preset")]].x))


def _printout(m: object) -> str:
    """The notebook's printed numbers, one row per line."""
    rows = np.atleast_2d(np.asarray(m, dtype=float))
    return "\n".join("[" + "  ".join(repr(float(v)) for v in row) + "]" for row in rows)


def printout(preset: SelfAttentionPreset) -> None:
    """The notebook's printed weights and output, folded under the badge."""
    with st.expander(t("self.printout_title")):
        st.caption(t("self.printout_caption"))
        st.text(t("self.printout_weights"))
        st.code(_printout(preset.printed["weights"]), language=None, wrap_lines=True)
        st.text(t("self.printout_output"))
        st.code(_printout(preset.printed["output"]), language=None, wrap_lines=True)


# ----------------------------------------------------------------------------- the steps
def scores_step(r: AttentionResult, labels: list[str]) -> None:
    """Step 1: S = X·Xᵀ, and how the first token scores itself against its best other match."""
    s, n = r.scores, len(labels)
    if n > 1:
        others = s[0, 1:]
        best = float(others.max())
        b = tied_names(others, labels[1:], best)
        explain = t("self.scores_explain", a=labels[0], b=b, self_score=fmt(s[0, 0]), score=fmt(best))
    else:
        explain = t("self.scores_explain_one", a=labels[0], self_score=fmt(s[0, 0]))
    with step_card(1, t("self.step_scores"), r"S = Q K^\top = X X^\top", explain):
        show_matrix(s, labels, labels, key="self_scores")


def scaled_step(r: AttentionResult, labels: list[str], scale: bool) -> None:
    """Step 2: what softmax receives (the scores ÷√d_k when on, ÷T)."""
    d = r.d_k
    if not scale and TEMPERATURE.is_default(r.temperature):
        with step_card(2, t("self.step_scaled"), r"\tilde S = S", t("self.scaled_off", d=d)):
            return
    explain = t(
        "self.scaled_explain",
        divisor=fmt(r.scale_divisor * r.temperature),
        d=d,
        root=fmt(r.scale_divisor),
        temp=fmt(r.temperature, 2),
        before=fmt(r.scores[0, 0]),
        after=fmt(r.logits[0, 0]),
    )
    formula = r"\tilde S = \frac{S}{\sqrt{d_k}\; T}" if scale else r"\tilde S = \frac{S}{T}"
    with step_card(2, t("self.step_scaled"), formula, explain):
        show_matrix(r.logits, labels, labels, key="self_scaled")


def weights_step(r: AttentionResult, labels: list[str], scale: bool, outcome: Outcome) -> None:
    """Step 3: the weights, row by row (the live view); its sentence waits for a prediction's answer."""
    w = r.weights[0]
    top, low = float(w.max()), float(w.min())
    if outcome.covered:
        explain = None
    elif len(ties(w, low)) == len(w):  # every token the same weight
        explain = t("self.weights_explain_even", a=labels[0], top_w=fmt_weight(top, w))
    else:
        explain = t(
            "self.weights_explain",
            a=labels[0],
            top=tied_names(w, labels, top),
            top_w=fmt_weight(top, w),
            low=tied_names(w, labels, low),
            low_w=fmt_weight(low, w),
        )
    with step_card(3, t("self.step_weights"), r"A = \mathrm{softmax}_{\text{row}}(\tilde S)", explain):
        axes = (t("common.queries"), t("common.keys"))
        weights_view(
            SPEC, r, labels, labels, values=r.v, scale=scale, row_title=axes[0], col_title=axes[1], outcome=outcome
        )


def why_n_by_n(r: AttentionResult, labels: list[str]) -> None:
    """Why the weights are n × n, whatever the number of features."""
    n, d = len(labels), r.d_k
    lines = [
        t("self.why_shape", n=n, d=d),
        t("self.why_qkv", n=n, d=d),
        t("self.why_scores", n=n, d=d),
        t("self.why_weights", n=n, d=d),
        t("self.why_row", a=labels[0], row=fmt_weights(r.weights[0]), n=n),
        t("self.why_output", n=n, d=d),
    ]
    with present.stage(CONCLUSION), st.container(border=True):
        st.markdown(f"**{t('self.why_title', n=n)}**")
        st.markdown("\n".join("- " + line for line in lines))


def output_step(r: AttentionResult, labels: list[str]) -> None:
    """Step 4: O = A·X, the first row as a weighted sum written out."""
    terms = weighted_terms(r.weights[0], labels)
    explain = t("self.output_explain", a=labels[0], terms=terms, out=fmt_vec(r.output[0]))
    with step_card(4, t("self.step_output"), r"O = A V = A X", explain):
        show_matrix(r.output, labels, dim_labels(r.output.shape[1]), key="self_output")


@st.fragment
def live(x: np.ndarray | None, preset: SelfAttentionPreset) -> None:
    """Scaling switch and the four steps; the live view's temperature reruns this once per gesture.
    In presentation mode the switch goes with step 2 (what it scales), and why the weights are n × n
    closes the lesson with the notebook badge."""
    with present.stage(2, "scale"):
        scale = scale_toggle(SPEC, note=t("self.scale_note"))
    if x is None:
        st.info(t("self.fix_above"))
        return
    temperature = current_temperature(SPEC.temperature_key)
    try:
        r = self_attention(x, scale=scale, temperature=temperature).attention
    except AttentionLabError as exc:
        show_error(exc)
        return
    badge = st.container()  # filled after the steps: a prediction may cover what the printout shows
    labels = [token_label(X_KEYS, i) for i in range(x.shape[0])]
    scores_step(r, labels)
    scaled_step(r, labels, scale)
    outcome = predict_for(SPEC, r, labels, labels, stage=3, scale=scale)
    weights_step(r, labels, scale, outcome)
    if outcome.covered:
        covered_card(4, t("self.step_output"), r"O = A V = A X")
    else:
        why_n_by_n(r, labels)
        output_step(r, labels)
    details = None if outcome.covered else (lambda: printout(preset))
    with badge, present.stage(CONCLUSION, "badge"):
        notebook_badge(preset.is_input(x, scale=scale, temperature=temperature), details=details)


# ----------------------------------------------------------------------------- the page
def inputs() -> tuple[np.ndarray | None, SelfAttentionPreset]:
    """The example (3×3 or 5×4) and X, as edited (None while a cell is bad)."""
    st.header(t("self.inputs_title"))
    st.radio(
        t("self.preset"),
        list(PRESETS),
        format_func=PRESET_LABELS.__getitem__,
        **bound(SPEC, "preset", default_as=None),
        horizontal=True,
        on_change=_load_preset,
        help=t("self.preset_help"),
        persist_state="session",
    )
    chosen = PRESETS[st.session_state[SPEC.key("preset")]]
    st.caption(t("self.x_caption"))
    x_value = x_editor(SPEC, np.array(chosen.x), keys=X_KEYS, on_reset=lambda: reset(SPEC, "temperature", "scale"))
    return x_value, chosen


if __name__ == "__main__":  # drawn when Streamlit runs the page; `pages` only reads SPEC
    start(SPEC)
    run_lesson(SPEC, title=t("self.title"), intro=t("self.intro"), controls=inputs, live=lambda values: live(*values))
