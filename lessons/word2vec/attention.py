"""4 · Attention with the learned vectors: a query word, keys and values (a sentence or chosen words),
optional random projections, the scores, the weights (the live view) and the context vector; and the
notebook's single-key example (:mod:`.single_key`).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import attention, project, random_tables, vectors_for
from attention_core.errors import AttentionLabError
from attention_core.limits import MAX_SEQUENCE_TOKENS, SEED_LIMIT
from attention_core.presets import WORD2VEC_PRESETS
from lessons.word2vec.spec import SPEC
from ui import present
from ui.format import dim_labels, fmt, fmt_vec, md_code, shorten, unique_labels
from ui.i18n import error_text, show_error, t
from ui.lesson import (
    covered_card,
    explain_cell,
    live_view,
    predict_panel,
    show_matrix,
    show_numbers,
    step_card,
    tied_names,
)
from ui.live_attention import TEMPERATURE, AttentionView, current_temperature
from ui.word2vec_cache import TrainedModel

from .single_key import single_key_example
from .space import NEAREST_OPEN, watch_words
from .state import KEEP, PRESETS
from .state import valid_choice as _valid_choice

#: Below this spread (largest - smallest weight) the page suggests lowering the temperature.
FLAT_WEIGHTS = 0.05


# --------------------------------------------------------------------------- attention
def _key_tokens(trained: TrainedModel, sentences: list[list[str]]) -> list[str]:
    """The keys/values chosen by the user, limited to words the model knows."""
    words = list(trained.words)
    c1, c2 = st.columns([1, 2])
    source = c1.radio(
        t("w2v.keys_from"),
        options=["sentence", "words"],
        format_func={"sentence": t("w2v.keys_from_sentence"), "words": t("w2v.keys_from_words")}.__getitem__,
        key="w2v_keys_from",
        help=t("w2v.keys_from_help", limit=MAX_SEQUENCE_TOKENS),
        persist_state=KEEP,
    )
    if source == "sentence":
        chosen = st.session_state.get("w2v_sentence")
        # Written on every run: when the text changes but the index stays, the browser would
        # otherwise keep showing the old sentence's label (the value, not its label, is compared).
        st.session_state["w2v_sentence"] = chosen if chosen in range(len(sentences)) else 0
        i = c2.selectbox(
            t("w2v.sentence"),
            options=list(range(len(sentences))),
            format_func=lambda j: f"{j + 1}. {shorten(' '.join(sentences[j]), 80)}",
            key="w2v_sentence",
            persist_state=KEEP,
        )
        tokens = sentences[i]
    else:
        st.session_state["w2v_words"] = [w for w in st.session_state.get("w2v_words", []) if w in trained.index]
        tokens = c2.multiselect(
            t("w2v.words"),
            options=words,
            key="w2v_words",
            max_selections=MAX_SEQUENCE_TOKENS,
            help=t("w2v.words_help", limit=MAX_SEQUENCE_TOKENS),
            persist_state=KEEP,
        )
    dropped = [w for w in dict.fromkeys(tokens) if w not in trained.index]
    kept = [w for w in tokens if w in trained.index]
    if dropped:
        st.caption(
            t(
                "w2v.dropped",
                words=", ".join(md_code(w) for w in dropped[:10]),
                min_count=st.session_state["w2v_min_count"],
            )
        )
    if len(kept) > MAX_SEQUENCE_TOKENS:
        st.warning(t("w2v.keys_cut", total=len(kept), limit=MAX_SEQUENCE_TOKENS), icon="✂️")
        kept = kept[:MAX_SEQUENCE_TOKENS]
    return kept


def _projections(d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """W_q, W_k, W_v (d × d, uniform in [0, 1), seeded) when the switch is on."""
    c1, c2 = st.columns([1, 1])
    on = c1.toggle(t("w2v.project"), key="w2v_project", help=t("w2v.project_help"), persist_state=KEEP)
    if not on:
        return None
    seed = c2.number_input(
        t("w2v.project_seed"),
        min_value=0,
        max_value=SEED_LIMIT - 1,
        step=1,
        key="w2v_proj_seed",
        help=t("w2v.project_seed_help", limit=SEED_LIMIT - 1),
        persist_state=KEEP,
    )
    try:  # random tables go up to MAX_MODEL_DIM, vectors up to MAX_VECTOR_SIZE: say so, attend without W
        tables = random_tables(1, d, seed=int(seed))
    except AttentionLabError as exc:
        show_error(exc)
        return None
    return tables.w_q, tables.w_k, tables.w_v


#: Presentation mode: watching the model learn takes stages 1 and 2 (lessons.word2vec.space); attention step n
#: is stage n + 2, and the single-key example the last.
STAGE_OFFSET = 2


@st.fragment
def attention_lab(trained: TrainedModel, sentences: list[list[str]]) -> None:
    """Query word, keys/values, temperature, scaling, projections → scores, weights, context vector."""
    # presentation mode: the choices with step 1 (stage 3: watching it learn took stages 1 and 2)
    with present.stage(STAGE_OFFSET + 1, "setup"):
        st.header(t("w2v.attn_title"))
        st.caption(t("w2v.attn_caption"))
        words = list(trained.words)
        d = trained.vectors.shape[1]

        preset = PRESETS.get(st.session_state.get("w2v_preset", ""), WORD2VEC_PRESETS[0])
        stale_query = st.session_state.get("w2v_query")
        # a corpus without the preset's query word: its first word to watch (a content word, not "the")
        first = watch_words(trained.model.wv.index_to_key, sentences)[:1] or words[:1]
        fallback = preset.query_word if preset.query_word in trained.index else first[0]
        _valid_choice("w2v_query", words, fallback)
        query = st.selectbox(
            t("w2v.query_word"),
            options=words,
            key="w2v_query",
            help=t("w2v.query_word_help"),
            persist_state=KEEP,
        )
        if stale_query is not None and stale_query != query:
            try:
                vectors_for(trained.model, [str(stale_query)])
            except AttentionLabError as exc:  # the corpus changed under the query: said, not an error
                st.info(error_text(exc) + " " + t("w2v.query_fallback", word=md_code(query)), icon="ℹ️")

        tokens = _key_tokens(trained, sentences)
        w = _projections(d)
        scale = st.toggle(
            t("common.scale") + f" (√{d})", key="w2v_scale", help=t("common.scale_help"), persist_state=KEEP
        )
    temperature = current_temperature(SPEC.temperature_key)

    if st.session_state.get(NEAREST_OPEN):  # one question at a time: the nearest word's comes first
        covered_card(3, t("w2v.step_weights"), None, stage=STAGE_OFFSET + 3)
    elif not tokens:
        st.info(t("w2v.no_keys"), icon="ℹ️")
    else:
        _attend(trained, query, tokens, w, scale=scale, temperature=temperature)

    with present.stage(STAGE_OFFSET + 5):  # the lesson's end: one key always gets all the weight
        single_key_example(trained, w, scale=scale, temperature=temperature)


def _attend(
    trained: TrainedModel,
    query: str,
    tokens: list[str],
    w: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
    *,
    scale: bool,
    temperature: float,
) -> None:
    d = trained.vectors.shape[1]
    labels = unique_labels(tokens)
    cols = dim_labels(d)
    try:
        q = vectors_for(trained.model, [query])[0]
        x = vectors_for(trained.model, tokens)
        if w is None:
            qv, k, v = q, x, x
        else:
            qv = project(q[None, :], w[0], "W_q")[0]
            k = project(x, w[1], "W_k")
            v = project(x, w[2], "W_v")
        r = attention(qv, k, v, scale=scale, temperature=temperature)
    except AttentionLabError as exc:
        show_error(exc)
        return

    q_name = md_code(query)
    with (
        step_card(
            1,
            t("w2v.step_vectors"),
            r"q = \mathrm{wv}[\text{query}],\; K = V = \mathrm{wv}[\text{tokens}]"
            if w is None
            else r"q = \mathrm{wv}[\text{query}]\,W_q,\; K = X W_k,\; V = X W_v",
            t("w2v.step_vectors_explain", query=q_name, n=len(tokens), d=d),
            stage=STAGE_OFFSET + 1,
        ),
        show_numbers(key="w2v_vectors_box"),
    ):
        st.caption(t("w2v.query_vector"))
        show_matrix(qv, [shorten(query)], cols, key="w2v_q_table")
        if w is None:
            st.caption(t("w2v.kv_vectors"))
            show_matrix(k, labels, cols, key="w2v_kv_table")
        else:
            st.caption(t("common.keys") + " K")
            show_matrix(k, labels, cols, key="w2v_k_table")
            st.caption(t("common.value") + " V")
            show_matrix(v, labels, cols, key="w2v_v_table")
            with st.expander(t("w2v.project_matrices")):
                for name, m in zip(("W_q", "W_k", "W_v"), w, strict=True):
                    st.caption(name)
                    show_matrix(m, cols, cols, key=f"w2v_{name}_table")

    best = tied_names(r.scores, [md_code(w) for w in labels], float(r.scores.max()))
    formula = r"s_i = q \cdot k_i"
    if scale:
        formula += r"\;/\sqrt{d_k}"
    if not TEMPERATURE.is_default(temperature):
        formula += r"\;/\,T"
    score_cols = [t("w2v.dot")]
    score_vals = [r.scores]
    if scale:
        score_cols.append(t("w2v.scaled", d=d))
        score_vals.append(r.scaled)
    if not TEMPERATURE.is_default(temperature):
        score_cols.append(t("w2v.logit", temp=fmt(temperature, 2)))
        score_vals.append(r.logits)
    with step_card(
        2,
        t("w2v.step_scores"),
        formula,
        t("w2v.step_scores_explain", query=q_name, best=best, score=fmt(float(r.scores.max()))),
        stage=STAGE_OFFSET + 2,
    ):
        left, _ = st.columns([1, 1])
        with left:
            show_matrix(np.stack(score_vals, axis=1), labels, score_cols, key="w2v_scores_table")

    # "Predict first": the question before the weights (the query's row; top key, estimate, direction)
    outcome = predict_panel(
        SPEC,
        stage=STAGE_OFFSET + 3,
        scores=r.scores,
        weights=r.weights,
        rows=[shorten(query)],
        cols=labels,
        d_k=int(np.shape(qv)[-1]),
        scale=scale,
        temperature=temperature,
    )
    # the live view says in words which token gets the most weight
    formula = r"a_i = \mathrm{softmax}(s)_i = \frac{e^{s_i}}{\sum_j e^{s_j}}"
    with step_card(3, t("w2v.step_weights"), formula, stage=STAGE_OFFSET + 3):
        live_view(
            SPEC,
            AttentionView(
                scores=r.scores,
                values=v,
                q=qv,
                k=k,
                scale=scale,
                rows=[shorten(query)],
                cols=labels,
                row_title=t("common.query"),
                col_title=t("common.key"),
                covered=outcome.covered,
                explain_cell=explain_cell(SPEC, outcome),
            ),
        )
        if outcome.covered:
            covered_card(4, t("w2v.step_context"), r"c = \sum_i a_i\, v_i", stage=STAGE_OFFSET + 4)
            return
        with st.expander(t("live.weights_table")):
            show_matrix(r.weights[:, None], labels, [t("common.weight")], key="w2v_weights_table", weights=True)
        if len(tokens) == 1:
            st.info(t("w2v.one_key"), icon="ℹ️")
        elif float(r.weights.max() - r.weights.min()) < FLAT_WEIGHTS:
            st.info(t("w2v.flat_hint", spread=fmt(float(r.weights.max() - r.weights.min()))), icon="💡")

    with step_card(
        4,
        t("w2v.step_context"),
        r"c = \sum_i a_i\, v_i",
        t("w2v.step_context_explain", context=fmt_vec(r.output)),
        stage=STAGE_OFFSET + 4,
    ):
        show_matrix(r.output, [t("w2v.context")], cols, key="w2v_context_table")
