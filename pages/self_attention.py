"""Self-attention without projections: Q = K = V = X (seed 002's TensorFlow examples, 3×3 and 5×4)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from attention_core import self_attention
from attention_core.errors import AttentionLabError
from attention_core.limits import MAX_MATRIX_SIZE
from attention_core.presets import SELF_ATTENTION_3X3, SELF_ATTENTION_5X4, SelfAttentionPreset
from ui.editors import load_matrix, sized_matrix_editor
from ui.format import dim_labels, fmt, fmt_vec
from ui.i18n import show_error, t
from ui.lesson import show_matrix, step_card
from ui.live_attention import TEMPERATURE, AttentionView, current_temperature, live_attention
from ui.nav import require_app_navigation

require_app_navigation()

PRESETS: dict[str, SelfAttentionPreset] = {"3x3": SELF_ATTENTION_3X3, "5x4": SELF_ATTENTION_5X4}
#: Language-neutral labels (a format_func must not depend on the session).
PRESET_LABELS = {"3x3": "3×3", "5x4": "5×4"}
X_KEY = "self_x"
X_VALUE = "self_x_value"  # the current X (or None while a cell is bad), shared with the fragment
TEMPERATURE_KEY = "self_temperature"
MAX_TERMS = 4  # terms written out in the output sentence


def token_label(i: int) -> str:
    """``token 1`` … ``token n`` (0-based ``i``)."""
    return t("self.token_n", n=i + 1)


def ties(row: np.ndarray, labels: list[str], pick: Callable[[np.ndarray], float]) -> str:
    """The labels whose value equals ``pick(row)`` (e.g. every token tied for the largest weight)."""
    best = pick(row)
    return ", ".join(lab for v, lab in zip(row, labels, strict=True) if np.isclose(v, best, rtol=1e-12, atol=0.0))


def _load_preset() -> None:
    load_matrix(X_KEY, np.array(PRESETS[st.session_state["self_preset"]].x))


def _reset_controls() -> None:
    st.session_state[TEMPERATURE_KEY] = TEMPERATURE.default
    st.session_state["self_scale"] = False


def _printout(m: object) -> str:
    """The notebook's printed numbers, one row per line."""
    rows = np.atleast_2d(np.asarray(m, dtype=float))
    return "\n".join("[" + "  ".join(repr(float(v)) for v in row) + "]" for row in rows)


st.title(t("self.title"))
st.write(t("self.intro"))

# ----------------------------------------------------------------------------- input X
st.header(t("self.inputs_title"))
st.session_state.setdefault("self_preset", "3x3")
st.radio(
    t("self.preset"),
    list(PRESETS),
    format_func=PRESET_LABELS.__getitem__,
    key="self_preset",
    horizontal=True,
    on_change=_load_preset,
    help=t("self.preset_help"),
)
preset = PRESETS[st.session_state["self_preset"]]
st.caption(t("self.x_caption"))
x_value = sized_matrix_editor(
    X_KEY,
    np.array(preset.x),
    row_label=token_label,
    name=t("self.x_name"),
    rows_label=t("self.n_tokens"),
    cols_label=t("self.n_features"),
    max_rows=MAX_MATRIX_SIZE,
    max_cols=MAX_MATRIX_SIZE,
    rows_help=t("self.n_tokens_help", limit=MAX_MATRIX_SIZE),
    cols_help=t("self.n_features_help", limit=MAX_MATRIX_SIZE),
    row_header=t("common.token"),
    help=t("self.x_help"),
    reset_help=t("self.reset_help"),
    on_reset=_reset_controls,
)
st.session_state[X_VALUE] = x_value


# ----------------------------------------------------------------------------- live steps
@st.fragment
def live() -> None:
    """Scaling switch and the four steps; the live view's temperature reruns this once per gesture."""
    st.header(t("self.live_title"))
    st.caption(t("self.live_caption"))
    st.session_state.setdefault("self_scale", False)
    st.toggle(t("common.scale"), key="self_scale", help=t("common.scale_help") + " " + t("self.scale_note"))
    scale = bool(st.session_state["self_scale"])
    temperature = current_temperature(TEMPERATURE_KEY)

    x = st.session_state.get(X_VALUE)
    if x is None:
        st.info(t("self.fix_above"))
        return
    try:
        r = self_attention(x, scale=scale, temperature=temperature).attention
    except AttentionLabError as exc:
        show_error(exc)
        return

    n, d = x.shape
    labels = [token_label(i) for i in range(n)]
    dims = dim_labels(d)
    same = x.shape == np.shape(preset.x) and np.array_equal(x, np.array(preset.x))
    with st.container():  # one element whatever it holds: the live view below keeps its place
        if same and not scale and TEMPERATURE.is_default(temperature):
            st.success(t("common.matches_notebook"))
            with st.expander(t("self.printout_title")):
                st.caption(t("self.printout_caption"))
                st.text(t("self.printout_weights"))
                st.code(_printout(preset.printed["weights"]), language=None)
                st.text(t("self.printout_output"))
                st.code(_printout(preset.printed["output"]), language=None)
        else:
            st.caption(t("common.differs_from_notebook"))

    # Step 1: scores
    s = r.scores
    if n > 1:
        others = np.where(np.arange(n) == 0, -np.inf, s[0])
        j = int(np.argmax(others))
        scores_explain = t(
            "self.scores_explain",
            a=labels[0],
            b=labels[j],
            self_score=fmt(s[0, 0]),
            score=fmt(s[0, j]),
        )
    else:
        scores_explain = t("self.scores_explain_one", a=labels[0], self_score=fmt(s[0, 0]))
    with step_card(1, t("self.step_scores"), r"S = Q K^\top = X X^\top", scores_explain):
        show_matrix(s, labels, labels, key="self_scores")

    # Step 2: scaled scores (what softmax receives)
    if scale or not TEMPERATURE.is_default(temperature):
        formula = r"\tilde S = \frac{S}{\sqrt{d_k}\; T}" if scale else r"\tilde S = \frac{S}{T}"
        scaled_explain = t(
            "self.scaled_explain",
            divisor=fmt(r.scale_divisor * temperature),
            d=d,
            root=fmt(r.scale_divisor),
            temp=fmt(temperature, 2),
            before=fmt(s[0, 0]),
            after=fmt(r.logits[0, 0]),
        )
        with step_card(2, t("self.step_scaled"), formula, scaled_explain):
            show_matrix(r.logits, labels, labels, key="self_scaled")
    else:
        with step_card(2, t("self.step_scaled"), r"\tilde S = S", t("self.scaled_off", d=d)):
            pass

    # Step 3: weights
    w = r.weights
    weights_explain = t(
        "self.weights_explain",
        a=labels[0],
        top=ties(w[0], labels, np.max),
        top_w=fmt(w[0].max()),
        low=ties(w[0], labels, np.min),
        low_w=fmt(w[0].min()),
    )
    with step_card(3, t("self.step_weights"), r"A = \mathrm{softmax}_{\text{row}}(\tilde S)", weights_explain):
        live_attention(
            "self_live",
            AttentionView(
                scores=r.scores,
                values=r.v,
                q=r.q,
                k=r.k,
                scale=scale,
                rows=labels,
                cols=labels,
                row_title=t("common.queries"),
                col_title=t("common.keys"),
            ),
            temperature_key=TEMPERATURE_KEY,
        )
        with st.expander(t("live.weights_table")):
            show_matrix(w, labels, labels, key="self_weights_table")

    # Why n × n
    with st.container(border=True):
        st.markdown(f"**{t('self.why_title', n=n)}**")
        st.markdown(
            "\n".join(
                [
                    "- " + t("self.why_shape", n=n, d=d),
                    "- " + t("self.why_qkv", n=n, d=d),
                    "- " + t("self.why_scores", n=n, d=d),
                    "- " + t("self.why_weights", n=n, d=d),
                    "- " + t("self.why_row", a=labels[0], row=fmt_vec(w[0]), n=n),
                    "- " + t("self.why_output", n=n, d=d),
                ]
            )
        )

    # Step 4: output
    terms = " + ".join(f"{fmt(w[0, k])}·{labels[k]}" for k in range(min(n, MAX_TERMS)))
    if n > MAX_TERMS:
        terms += " + …"
    output_explain = t("self.output_explain", a=labels[0], terms=terms, out=fmt_vec(r.output[0]))
    with step_card(4, t("self.step_output"), r"O = A V = A X", output_explain):
        show_matrix(r.output, labels, dims, key="self_output")


live()
