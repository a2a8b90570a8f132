"""Library analogy (Korean notebook, first example): one request, three books.

Scores q·kᵢ, an optional √d_k scaling and a temperature, softmax weights (the live view), and the
output as a weighted sum with each book's share drawn.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import AttentionResult, contributions
from attention_core.presets import LIBRARY
from ui import a11y, present
from ui.export import recipes
from ui.format import fmt, fmt_vec, fmt_weight, md_code, ties
from ui.i18n import BOOK_KEYS, t
from ui.lesson import (
    OutputKeys,
    QkvInputs,
    largest_share,
    name_list,
    output_card,
    predict_for,
    qkv_inputs,
    qkv_live,
    run_lesson,
    show_matrix,
    show_numbers,
    start,
    step_card,
    weights_view,
)
from ui.nav import PageSpec, qkv_experiment
from ui.predict import Outcome

SPEC = PageSpec(
    name="library",
    order=10,
    title_key="nav.library",
    icon="📚",
    summary_key="nav.library_summary",
    prefix="library",
    recipe=recipes.library,
    experiment=qkv_experiment(LIBRARY),
    steps=("library.scores_title", "library.scale_title", "library.weights_title", "library.output_title"),
)
CONCLUSION = 5  # presentation mode's last stage: "what the numbers say" and the notebook badge

#: The output card's words (the kit draws the card).
OUTPUT_KEYS = OutputKeys(
    title="library.output_title",
    explain="library.output_explain",
    fix_values="library.fix_values",
    contrib_title="library.contrib_title",
    share="library.share",
    dimension="library.dimension",
    output_row="library.output_row",
    table_caption="library.contrib_table_caption",
)

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
    return [t(BOOK_KEYS[b]) for b in LIBRARY.book_ids]


def dot_product_latex(q: np.ndarray, k: np.ndarray, index: int) -> str:
    """``q·k_i = q₁k₁ + … = s`` with the current decimals (numbers only, no user text)."""

    def num(x: float) -> str:
        return f"({fmt(x)})" if x < 0 else fmt(x)

    terms = r" + ".join(rf"{num(a)} \times {num(b)}" for a, b in zip(q, k, strict=True))
    return rf"q \cdot k_{{{index + 1}}} = {terms} = {fmt(float(q @ k))}"


# --------------------------------------------------------------------------- the steps
def scores_step(r: AttentionResult, books: list[str]) -> None:
    """Step 1: one score per book, the largest one's dot product written out."""
    s = r.scores[0]
    best = int(np.argmax(s))
    tied = ties(s, s[best])
    key = "library.scores_explain" if len(tied) == 1 else "library.scores_explain_tie"
    names = name_list([md_code(books[i]) for i in tied])
    with step_card(
        1,
        t("library.scores_title"),
        r"s_i = q \cdot k_i = \sum_{j=1}^{d_k} q_j \, k_{i,j}",
        t(key, best=names, score=fmt(s[best]), scores=fmt_vec(s)),
    ):
        show_matrix(r.scores, [request_label()], books, key=SPEC.key("scores_table"))
        with st.expander(t("library.dot_caption"), icon=":material/calculate:"):
            st.latex(dot_product_latex(r.q[0], r.k[best], best))


def scaling_step(r: AttentionResult, books: list[str], scale: bool) -> None:
    """Step 2: the scores after ÷√d_k (when on) and ÷T: what softmax receives."""
    t_shown = fmt(r.temperature, 2)
    if scale:
        explain = t(
            "library.scale_on_explain",
            d_k=r.d_k,
            sqrt_dk=fmt(r.scale_divisor),
            temperature=t_shown,
            logits=fmt_vec(r.logits),
        )
    else:
        explain = t("library.scale_off_explain", temperature=t_shown, logits=fmt_vec(r.logits))
    formula = r"z_i = \frac{s_i}{\sqrt{d_k}\; T}" if scale else r"z_i = \frac{s_i}{T}"
    with step_card(2, t("library.scale_title"), formula, explain), show_numbers():
        row = t("library.scaled_row") if scale else t("library.unscaled_row")
        rows = [row, t("library.logits_row")]
        show_matrix(np.vstack([r.scaled[0], r.logits[0]]), rows, books, key=SPEC.key("scaled_table"))


def weights_step(
    r: AttentionResult, v: np.ndarray | None, books: list[str], scale: bool, outcome: Outcome | None = None
) -> None:
    """Step 3: the softmax weights, drawn by the live view (its slider moves the temperature; the view
    says in words which book gets the most and the least)."""
    with step_card(3, t("library.weights_title"), r"w_i = \mathrm{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}"):
        rows = [request_label()]
        title = (t("library.request"), t("library.book"))
        weights_view(
            SPEC, r, rows, books, values=v, scale=scale, row_title=title[0], col_title=title[1], outcome=outcome
        )


def lesson_text(r: AttentionResult, v: np.ndarray, books: list[str]) -> None:
    """What the numbers say, from the live values: the book with the most weight, and the book that
    supplies most of the output, which differ when a book's contents are larger numbers."""
    w = r.weights[0]
    top_w = int(np.argmax(w))
    tied = ties(w, w[top_w])
    best, weight = name_list([md_code(books[i]) for i in tied]), fmt_weight(w[top_w], w)
    top, percent = largest_share(contributions(w, v))
    st.header(t("library.lesson_title"))
    others = ", ".join(f"{md_code(books[i])} {fmt_weight(w[i], w)}" for i in range(len(w)) if i not in tied)
    if len(tied) == len(w):
        st.markdown(t("library.lesson_weights_even", weight=weight))
    else:
        key = "library.lesson_weights" if len(tied) == 1 else "library.lesson_weights_tie"
        st.markdown(t(key, best=best, weight=weight, others=others))
    if top in tied:
        st.markdown(
            t("library.lesson_output", output=fmt_vec(r.output), top=md_code(books[top]), value=fmt_vec(v[top]))
        )
    else:
        differs = t(
            "library.lesson_output_differs" if len(tied) == 1 else "library.lesson_output_differs_tie",
            best=best,
            weight=weight,
            top=md_code(books[top]),
            percent=fmt(percent, 1),
            value=fmt_vec(v[top]),
        )
        st.markdown(differs)


def notebook(r: AttentionResult, v: np.ndarray | None) -> None:
    """The notebook's words, code and printout (in the "compare with the notebook" expander)."""
    request, books = a11y.quote(LIBRARY.query_label, "ko"), "; ".join(a11y.quote(b, "ko") for b in LIBRARY.book_labels)
    st.caption(t("library.notebook_words", request=request, books=books))  # Korean quotes: marked lang="ko"
    st.caption(t("library.notebook_code"))
    st.code(NOTEBOOK_CODE, language="python", wrap_lines=True)
    st.code(NOTEBOOK_PRINTOUT, language="text", wrap_lines=True)


def steps(r: AttentionResult, v: np.ndarray | None, scale: bool) -> Outcome:
    """Every step the scaling switch and the temperature drive (inside the lesson's fragment); the
    question of "Predict first" stands before the weights."""
    books = book_labels()
    scores_step(r, books)
    scaling_step(r, books, scale)
    outcome = predict_for(SPEC, r, [request_label()], books, stage=3, scale=scale)
    weights_step(r, v, books, scale, outcome)
    formula = r"o = \sum_i w_i \, v_i"
    output_card(
        4, SPEC, r, v, books, keys=OUTPUT_KEYS, formula=formula, label_name=t("library.book"), covered=outcome.covered
    )
    if v is not None and not outcome.covered:
        with present.stage(CONCLUSION):  # the conclusion: its own last stage of presentation mode
            lesson_text(r, v, books)
    return outcome


# --------------------------------------------------------------------------- the page
def controls() -> QkvInputs:
    """Query, keys and values, as edited (None for a table while a cell is bad)."""
    st.header(t("library.inputs_title"))
    st.caption(t("library.inputs_caption"))
    return qkv_inputs(
        SPEC,
        LIBRARY,
        rows=([request_label()], book_labels(), book_labels()),
        titles=(t("library.query_table"), t("library.keys_table"), t("library.values_table")),
        row_headers=(t("library.row_request"), t("library.row_book"), t("library.row_book")),
        help=t("library.editor_help"),
    )


def live(inputs: QkvInputs) -> None:
    """The steps, live (the kit's Q/K/V fragment: :func:`ui.lesson.qkv_live`)."""
    qkv_live(
        SPEC,
        LIBRARY,
        *inputs,
        fix_inputs="library.fix_inputs",
        steps=steps,
        details=notebook,
        scale_stage=2,
        badge_stage=CONCLUSION,
    )


if __name__ == "__main__":  # drawn when Streamlit runs the page; `pages` only reads SPEC
    start(SPEC)
    run_lesson(SPEC, title=t("library.title"), intro=t("library.intro"), controls=controls, live=live)
