"""Library analogy (Korean notebook, first example): one request, three books.

Scores q·kᵢ, an optional √d_k scaling and a temperature, softmax weights (bars and a
1×3 heatmap), and the output as a weighted sum with each book's share drawn.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import attention, contributions
from attention_core.errors import AttentionLabError
from attention_core.presets import LIBRARY
from ui.editors import qkv_editors
from ui.figures import contributions_chart
from ui.format import dim_labels, fmt, fmt_vec, md_code
from ui.i18n import show_error, t
from ui.lesson import show_matrix, step_card
from ui.live_attention import TEMPERATURE, AttentionView, current_temperature, live_attention
from ui.nav import require_app_navigation

require_app_navigation()

INPUTS_KEY = "library_inputs"  # (q, k, v) as the page last read them; v may be None
SCALE_KEY = "library_scale"
TEMPERATURE_KEY = "library_temperature"

NOTEBOOK_CODE = """\
define_query = torch.tensor([[1.0, 0.0, 1.0]])  # 고양이에 대한 책을 찾고 싶어요
define_keys = torch.tensor([[1.0, 0.5, 1.0],    # 책 1: 고양이 관련 책
                            [0.5, 1.0, 0.5],    # 책 2: 동물 일반 관련 책
                            [0.0, 0.5, 1.0]])   # 책 3: 취미 관련 책
define_values = torch.tensor([[10.0, 0.0, 5.0],
                              [1.0, 2.0, 3.0],
                              [0.0, 0.5, 1.0]])
attention_scores = torch.matmul(define_query, define_keys.T)   # Step 1
attention_weights = F.softmax(attention_scores, dim=-1)        # Step 2
attention_output = torch.matmul(attention_weights, define_values)  # Step 3
"""
NOTEBOOK_PRINTOUT = """\
Step 1: Query와 Key 간의 유사도 계산
tensor([[2., 1., 1.]])
Step 2: Softmax를 사용한 유사도 확률로 변환
tensor([[0.5761, 0.2119, 0.2119]])
Step 3: 가중치를 사용한 Value 반환
tensor([[5.9731, 0.5299, 3.7284]])
"""


def request_label() -> str:
    """The query's row label: the request, in the session's language."""
    return t("library.request_row")


def book_labels() -> list[str]:
    """The three books' labels, in the session's language."""
    return [t(f"books.{b}") for b in LIBRARY.book_ids]


def dot_product_latex(q: np.ndarray, k: np.ndarray, index: int) -> str:
    """``q·k_i = q₁k₁ + … = s`` with the current decimals (numbers only, no user text)."""

    def num(x: float) -> str:
        return f"({fmt(x)})" if x < 0 else fmt(x)

    terms = r" + ".join(rf"{num(a)} \times {num(b)}" for a, b in zip(q, k, strict=True))
    return rf"q \cdot k_{{{index + 1}}} = {terms} = {fmt(float(q @ k))}"


def is_notebook_input(q: np.ndarray, k: np.ndarray, v: np.ndarray | None, scale: bool, temperature: float) -> bool:
    """True when every input is the notebook's."""
    return (
        v is not None
        and np.array_equal(q, np.array(LIBRARY.query))
        and np.array_equal(k, np.array(LIBRARY.keys))
        and np.array_equal(v, np.array(LIBRARY.values))
        and scale == LIBRARY.scale
        and TEMPERATURE.is_default(temperature)
    )


def reset_controls() -> None:
    """The reset button's extra: scaling and temperature back to the notebook's (runs before widgets)."""
    st.session_state[SCALE_KEY] = LIBRARY.scale
    st.session_state[TEMPERATURE_KEY] = TEMPERATURE.default


# --------------------------------------------------------------------------- intro and inputs
st.title(t("library.title"))
st.markdown(t("library.intro"))
st.caption(t("library.notebook_words", request=LIBRARY.query_label, books="; ".join(LIBRARY.book_labels)))

st.header(t("library.inputs_title"))
st.caption(t("library.inputs_caption"))
books = book_labels()
q_in, k_in, v_in = qkv_editors(
    "library",
    np.array(LIBRARY.query),
    np.array(LIBRARY.keys),
    np.array(LIBRARY.values),
    query_rows=[request_label()],
    key_rows=books,
    titles=(t("library.query_table"), t("library.keys_table"), t("library.values_table")),
    row_headers=(t("library.row_request"), t("library.row_book"), t("library.row_book")),
    help=t("library.editor_help"),
    on_reset=reset_controls,
)
if q_in is not None and k_in is not None:
    try:  # numbers so large that Q·Kᵀ or the weighted sum overflow: say so next to the tables
        attention(q_in, k_in, v_in if v_in is not None else np.zeros((k_in.shape[0], 1)), scale=False)
    except AttentionLabError as exc:
        show_error(exc)
        q_in = None
st.session_state[INPUTS_KEY] = (q_in, k_in, v_in)


# --------------------------------------------------------------------------- live steps
@st.fragment
def live_steps() -> None:
    """Scaling and every step it drives; the live view's temperature reruns this once per gesture."""
    q, k, v = st.session_state.get(INPUTS_KEY, (None, None, None))
    request, books = request_label(), book_labels()

    st.header(t("library.controls_title"))
    st.session_state.setdefault(SCALE_KEY, LIBRARY.scale)
    scale = st.toggle(t("common.scale"), key=SCALE_KEY, help=t("common.scale_help"))
    temperature = current_temperature(TEMPERATURE_KEY)
    if q is None or k is None:
        st.warning(t("library.fix_inputs"), icon="✏️")
        return
    v_used = v if v is not None else np.zeros((k.shape[0], 1))
    try:
        r = attention(q, k, v_used, scale=scale, temperature=temperature)
    except AttentionLabError as exc:
        show_error(exc)
        return

    if is_notebook_input(q, k, v, scale, temperature):
        st.success(t("common.matches_notebook"))
    else:
        st.info(t("common.differs_from_notebook"))

    s, w = r.scores[0], r.weights[0]
    best = int(np.argmax(s))
    with step_card(
        1,
        t("library.scores_title"),
        r"s_i = q \cdot k_i = \sum_{j=1}^{d_k} q_j \, k_{i,j}",
        t("library.scores_explain", best=md_code(books[best]), score=fmt(s[best]), scores=fmt_vec(s)),
    ):
        show_matrix(r.scores, [request], books)
        st.caption(t("library.dot_caption"))
        st.latex(dot_product_latex(q[0], k[best], best))

    with step_card(
        2,
        t("library.scale_title"),
        r"z_i = \frac{s_i}{\sqrt{d_k}\; T}" if scale else r"z_i = \frac{s_i}{T}",
        t(
            "library.scale_on_explain",
            d_k=r.d_k,
            sqrt_dk=fmt(r.scale_divisor),
            temperature=fmt(temperature, 2),
            logits=fmt_vec(r.logits),
        )
        if scale
        else t("library.scale_off_explain", temperature=fmt(temperature, 2), logits=fmt_vec(r.logits)),
    ):
        show_matrix(
            np.vstack([r.scaled[0], r.logits[0]]),
            [t("library.scaled_row") if scale else t("library.unscaled_row"), t("library.logits_row")],
            books,
        )

    top_w = int(np.argmax(w))
    with step_card(
        3,
        t("library.weights_title"),
        r"w_i = \mathrm{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}",
        t(
            "library.weights_explain",
            best=md_code(books[top_w]),
            weight=fmt(w[top_w]),
            percent=fmt(100 * w[top_w], 2),
            total=fmt(float(w.sum())),
        ),
    ):
        live_attention(
            "library_live",
            AttentionView(
                scores=r.scores,
                values=v,
                q=q,
                k=k,
                scale=scale,
                rows=[request],
                cols=books,
                row_title=t("library.request"),
                col_title=t("library.book"),
            ),
            temperature_key=TEMPERATURE_KEY,
        )
        with st.expander(t("live.weights_table")):
            show_matrix(r.weights, [request], books)

    cols = dim_labels(v_used.shape[1])
    parts = contributions(w, v_used)
    size = np.abs(parts).sum(axis=1)
    top = int(np.argmax(size))
    percent = 100 * size[top] / size.sum() if size.sum() > 0 else 0.0
    with step_card(
        4,
        t("library.output_title"),
        r"o = \sum_i w_i \, v_i",
        None
        if v is None
        else t(
            "library.output_explain",
            output=fmt_vec(r.output),
            best=md_code(books[top]),
            value=fmt_vec(v[top]),
            percent=fmt(percent, 1),
        ),
    ):
        if v is None:
            st.warning(t("library.fix_values"), icon="✏️")
        else:
            left, right = st.columns([3, 2])
            with left:
                contributions_chart(
                    parts,
                    books,
                    cols,
                    key="library_contributions",
                    title=t("library.contrib_title"),
                    label_name=t("library.book"),
                    value_name=t("library.share"),
                    total_name=t("common.output"),
                    dim_name=t("library.dimension"),
                )
            with right:
                show_matrix(np.vstack([parts, r.output]), [*books, t("library.output_row")], cols)
                st.caption(t("library.contrib_table_caption"))

    if v is not None:
        st.subheader(t("library.lesson_title"))
        others = ", ".join(f"{md_code(books[i])} {fmt(w[i])}" for i in range(len(w)) if i != top_w)
        st.markdown(t("library.lesson_weights", best=md_code(books[top_w]), weight=fmt(w[top_w]), others=others or "—"))
        st.markdown(
            t("library.lesson_output", output=fmt_vec(r.output), top=md_code(books[top]), value=fmt_vec(v[top]))
        )


live_steps()

with st.expander(t("library.notebook_code")):
    st.code(NOTEBOOK_CODE, language="python")
    st.code(NOTEBOOK_PRINTOUT, language="text")
