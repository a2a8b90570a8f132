"""Word2Vec lab: train embeddings on your own sentences (seed 002), look at them, then attend with them."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from attention_core import (
    attention,
    cosine_similarity,
    nearest_neighbours,
    pca,
    project,
    random_tables,
    tokenize_lines,
    vectors_for,
)
from attention_core.errors import AttentionLabError
from attention_core.limits import (
    MAX_CORPUS_TOKENS,
    MAX_EPOCHS,
    MAX_NEGATIVE,
    MAX_SEQUENCE_TOKENS,
    MAX_TEXT_CHARS,
    MAX_TRAINING_PASSES,
    MAX_VECTOR_SIZE,
    MAX_WINDOW,
    SEED_LIMIT,
)
from attention_core.presets import WORD2VEC_PRESETS, Word2VecPreset
from attention_core.text import cap_sentences, require_tokens
from ui.figures import heatmap
from ui.format import decimals, dim_labels, fmt, fmt_vec, md_code, plot_label, shorten, unique_labels
from ui.i18n import show_error, t
from ui.lesson import show_matrix, step_card
from ui.live_attention import TEMPERATURE, AttentionView, current_temperature, live_attention
from ui.nav import require_app_navigation
from ui.word2vec_cache import TrainedModel, train_cached

require_app_navigation()

PRESETS: dict[str, Word2VecPreset] = {p.id: p for p in WORD2VEC_PRESETS}
PARAMS = ("vector_size", "window", "min_count", "sg", "epochs", "negative", "seed")
#: Words drawn in the embedding-space plot (the most frequent first) and in the cosine heatmap.
MAX_PLOT_WORDS = 300
MAX_HEATMAP_WORDS = 30
MAX_NEIGHBOURS = 10
#: Below this spread (largest - smallest weight) the page suggests lowering the temperature.
FLAT_WEIGHTS = 0.05
KEEP = "session"  # widget values survive a visit to another page
TEMPERATURE_KEY = "w2v_temperature"
# Option labels are looked up in dicts built while the page runs (not lambdas calling t()):
# a format_func may be called outside the script run (AppTest does), where the language is unknown.


# --------------------------------------------------------------------------- state
def _sentence_for(preset: Word2VecPreset, sentences: Sequence[Sequence[str]]) -> int:
    """The sentence the notebook attends over, else the first one holding the query word."""
    for i, s in enumerate(sentences):
        if tuple(s) == preset.attend_tokens:
            return i
    for i, s in enumerate(sentences):
        if preset.query_word in s:
            return i
    return 0


def _single_key_words(preset: Word2VecPreset) -> tuple[str, str, str]:
    """Query, key and value words of the single-key example (the notebook's fox → hare → squirrel)."""
    toks = preset.attend_tokens
    if preset.value_word is not None:
        return preset.query_word, toks[0], preset.value_word
    return preset.query_word, toks[1 % len(toks)], toks[-1]


def _preset_state(p: Word2VecPreset) -> dict[str, object]:
    """Every control's value for preset ``p`` (text, switches, parameters, attention words)."""
    state: dict[str, object] = {"w2v_text": p.text, "w2v_lower": p.lowercase}
    state.update({f"w2v_{name}": int(p.params[name]) for name in PARAMS})
    q, k, v = _single_key_words(p)
    state.update(
        {
            "w2v_query": p.query_word,
            "w2v_keys_from": "sentence",
            "w2v_sentence": _sentence_for(p, tokenize_lines(p.text, lowercase=p.lowercase)),
            "w2v_words": list(p.attend_tokens),
            "w2v_nn_word": p.query_word,
            "w2v_single_q": q,
            "w2v_single_k": k,
            "w2v_single_v": v,
        }
    )
    return state


def _apply_preset() -> None:
    """Fill the text box and every control with the chosen preset (runs only when the preset changes)."""
    st.session_state.update(_preset_state(PRESETS[st.session_state["w2v_preset"]]))


def _reset_params() -> None:
    """Put the training parameters back to the preset's (the text is left alone)."""
    p = PRESETS[st.session_state["w2v_preset"]]
    for name in PARAMS:
        st.session_state[f"w2v_{name}"] = int(p.params[name])


def _init_state() -> None:
    """First visit: the first preset (English, as in the notebook); a value already set is kept."""
    if st.session_state.get("w2v_preset") not in PRESETS:
        st.session_state["w2v_preset"] = WORD2VEC_PRESETS[0].id
    defaults = _preset_state(PRESETS[st.session_state["w2v_preset"]])
    defaults.update(
        {
            "w2v_scale": False,
            "w2v_project": False,
            "w2v_proj_seed": 42,
            TEMPERATURE_KEY: TEMPERATURE.default,
            "w2v_3d": False,
            "w2v_nn_topn": 5,
        }
    )
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)


def _valid_choice(key: str, options: Sequence[str], fallback: str) -> None:
    """A selectbox's stored word that the new vocabulary lacks falls back to ``fallback``."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = fallback


# --------------------------------------------------------------------------- corpus
def corpus_section() -> list[list[str]]:
    """Preset, text box, lower-case switch and the tokens; returns the (capped) sentences."""
    st.header(t("w2v.corpus_title"))
    c1, c2 = st.columns([3, 1])
    c1.selectbox(
        t("w2v.preset"),
        options=list(PRESETS),
        format_func={pid: t(f"w2v.preset_{pid}") for pid in PRESETS}.__getitem__,
        key="w2v_preset",
        on_change=_apply_preset,
        help=t("w2v.preset_help"),
        persist_state=KEEP,
    )
    c2.toggle(t("w2v.lowercase"), key="w2v_lower", help=t("w2v.lowercase_help"), persist_state=KEEP)
    text = st.text_area(
        t("w2v.text"),
        key="w2v_text",
        height=170,
        max_chars=MAX_TEXT_CHARS,
        help=t("w2v.text_help", limit=MAX_CORPUS_TOKENS, chars=MAX_TEXT_CHARS),
        persist_state=KEEP,
    )
    text = text or ""
    chosen = PRESETS.get(st.session_state.get("w2v_preset", ""))
    if chosen is not None and text.strip() and text.strip() != chosen.text.strip():
        e1, e2 = st.columns([3, 1], vertical_alignment="center")
        e1.caption(t("w2v.preset_edited"))
        e2.button(t("w2v.preset_restore"), key="w2v_restore_preset", on_click=_apply_preset)
    if len(text) > MAX_TEXT_CHARS:
        st.warning(t("w2v.text_cut", chars=MAX_TEXT_CHARS), icon="✂️")
        text = text[:MAX_TEXT_CHARS]
    all_sentences = tokenize_lines(text, lowercase=bool(st.session_state["w2v_lower"]))
    sentences, cut = cap_sentences(all_sentences, MAX_CORPUS_TOKENS)
    try:
        require_tokens([w for s in sentences for w in s])
    except AttentionLabError as exc:
        show_error(exc)
        return []
    if cut:
        total = sum(map(len, all_sentences))
        st.warning(t("w2v.corpus_cut", total=total, limit=MAX_CORPUS_TOKENS), icon="✂️")

    n_tok = sum(map(len, sentences))
    n_types = len({w for s in sentences for w in s})
    st.markdown(f"**{t('w2v.tokens_title')}**")
    st.caption(t("w2v.tokens_caption", sentences=len(sentences), tokens=n_tok, types=n_types))
    width = max(map(len, sentences))
    frame = pd.DataFrame(
        [list(s) + [""] * (width - len(s)) for s in sentences],
        index=[str(i + 1) for i in range(len(sentences))],
        columns=[str(j + 1) for j in range(width)],
    )
    st.dataframe(frame, key="w2v_tokens_table", height="auto" if len(sentences) <= 10 else 360)
    short = [i + 1 for i, s in enumerate(sentences) if len(s) == 1]
    if short:
        st.info(t("w2v.one_word_sentences", lines=", ".join(map(str, short[:20]))), icon="ℹ️")
    return sentences


# --------------------------------------------------------------------------- training
def params_section(sentences: list[list[str]]) -> TrainedModel | None:
    """Training parameters (defaults: the preset's) and the cached training."""
    st.header(t("w2v.train_title"))
    st.caption(t("w2v.train_caption"))
    rows = [st.columns(4), st.columns(4)]  # two rows, so the tab order follows the reading order
    specs = [
        ("vector_size", 1, MAX_VECTOR_SIZE),
        ("window", 1, MAX_WINDOW),
        ("min_count", 1, MAX_CORPUS_TOKENS),
        ("epochs", 1, MAX_EPOCHS),
        ("negative", 1, MAX_NEGATIVE),
        ("seed", 0, SEED_LIMIT - 1),
    ]
    for i, (name, lo, hi) in enumerate(specs):
        rows[i // 4][i % 4].number_input(
            t(f"w2v.param_{name}"),
            min_value=lo,
            max_value=hi,
            step=1,
            key=f"w2v_{name}",
            help=t(f"w2v.param_{name}_help", low=lo, limit=hi, passes=MAX_TRAINING_PASSES),
            persist_state=KEEP,
        )
    rows[1][2].radio(
        t("w2v.param_sg"),
        options=[0, 1],
        format_func={0: t("w2v.sg_cbow"), 1: t("w2v.sg_skipgram")}.__getitem__,
        key="w2v_sg",
        horizontal=True,
        help=t("w2v.param_sg_help"),
        persist_state=KEEP,
    )
    rows[1][3].button(t("w2v.reset_params"), key="w2v_reset_params", on_click=_reset_params)

    if not sentences:
        st.info(t("w2v.need_text"), icon="✍️")
        return None
    params = {name: int(st.session_state[f"w2v_{name}"]) for name in PARAMS}
    try:
        with st.spinner(t("w2v.training")):
            trained = train_cached(tuple(map(tuple, sentences)), **params)
    except AttentionLabError as exc:
        show_error(exc)
        return None
    ms = fmt(trained.seconds * 1000, 1)
    st.success(t("w2v.trained", vocab=len(trained.words), ms=ms, epochs=params["epochs"]), icon="✅")
    return trained


# --------------------------------------------------------------------------- embedding space
def _scatter(coords: np.ndarray, words: Sequence[str], three_d: bool) -> go.Figure:
    labels = [plot_label(w) for w in words]
    axis = [html.escape(t("w2v.pc", n=i + 1)) for i in range(3)]
    hover = f"%{{text}}<br>{axis[0]}: %{{x:.4f}}<br>{axis[1]}: %{{y:.4f}}"
    if three_d:
        trace = go.Scatter3d(
            x=coords[:, 0],
            y=coords[:, 1],
            z=coords[:, 2],
            mode="markers+text",
            text=labels,
            marker={"size": 4, "color": "#4c78a8"},
            hovertemplate=hover + f"<br>{axis[2]}: %{{z:.4f}}<extra></extra>",
        )
        fig = go.Figure(trace)
        fig.update_layout(scene={"xaxis_title": axis[0], "yaxis_title": axis[1], "zaxis_title": axis[2]}, height=620)
    else:
        trace = go.Scatter(
            x=coords[:, 0],
            y=coords[:, 1],
            mode="markers+text",
            text=labels,
            textposition="top center",
            marker={"size": 9, "color": "#4c78a8"},
            hovertemplate=hover + "<extra></extra>",
        )
        trace.update(cliponaxis=False)  # labels near the edge are drawn whole, not cut by the axes
        fig = go.Figure(trace)
        pad = [0.08 * (float(np.ptp(coords[:, i])) or 1.0) for i in range(2)]
        fig.update_layout(
            xaxis={"title": {"text": axis[0]}, "range": [coords[:, 0].min() - pad[0], coords[:, 0].max() + pad[0]]},
            yaxis={"title": {"text": axis[1]}, "range": [coords[:, 1].min() - pad[1], coords[:, 1].max() + 2 * pad[1]]},
            height=520,
        )
    fig.update_layout(
        title={"text": html.escape(t("w2v.space_plot_title"))}, margin={"l": 10, "r": 10, "t": 50, "b": 10}
    )
    return fig


@st.fragment
def embedding_space(trained: TrainedModel) -> None:
    """PCA scatter (2D/3D), cosine-similarity heatmap, nearest neighbours."""
    st.header(t("w2v.space_title"))
    words, vectors = list(trained.words), trained.vectors
    d = vectors.shape[1]
    can_3d = d >= 3
    st.toggle(
        t("w2v.three_d"),
        key="w2v_3d",
        disabled=not can_3d,
        help=t("w2v.three_d_help") if can_3d else t("w2v.three_d_off", d=d),
        persist_state=KEEP,
    )
    three_d = bool(st.session_state["w2v_3d"]) and can_3d
    coords = pca(vectors, 3 if three_d else 2)
    # The plot shows the most frequent words (gensim's order) when the vocabulary is large.
    shown = [trained.index[w] for w in trained.model.wv.index_to_key[:MAX_PLOT_WORDS]]
    shown.sort()
    st.caption(t("w2v.space_caption", d=d, k=3 if three_d else 2))
    if len(words) > MAX_PLOT_WORDS:
        st.caption(t("w2v.space_capped", shown=MAX_PLOT_WORDS, total=len(words)))
    st.plotly_chart(
        _scatter(coords[shown], [words[i] for i in shown], three_d),
        key="w2v_space_plot",
        config={"displayModeBar": False},
    )

    st.subheader(t("w2v.cosine_title"))
    first = words[:MAX_HEATMAP_WORDS]
    st.caption(t("w2v.cosine_caption", n=len(first), total=len(words)))
    heatmap(
        cosine_similarity(vectors[: len(first)]),
        first,
        first,
        key="w2v_cosine",
        title="",
        row_title=t("w2v.word"),
        col_title=t("w2v.word"),
        value_name=t("w2v.cosine"),
        zmin=-1,
        zmax=1,
    )

    st.subheader(t("w2v.nn_title"))
    _valid_choice("w2v_nn_word", words, words[0])
    c1, c2 = st.columns([2, 1])
    word = c1.selectbox(t("w2v.word"), options=words, key="w2v_nn_word", persist_state=KEEP)
    topn = c2.slider(
        t("w2v.nn_topn"), 1, MAX_NEIGHBOURS, key="w2v_nn_topn", help=t("w2v.nn_topn_help"), persist_state=KEEP
    )
    pairs = nearest_neighbours(vectors, words, word, topn=topn)
    if not pairs:
        st.info(t("w2v.nn_none"), icon="ℹ️")
        return
    st.dataframe(
        pd.DataFrame(
            {t("w2v.word"): [w for w, _ in pairs], t("w2v.cosine"): [s for _, s in pairs]},
            index=[str(i + 1) for i in range(len(pairs))],
        ),
        column_config={t("w2v.cosine"): st.column_config.NumberColumn(format=f"%.{decimals()}f")},
        key="w2v_nn_table",
    )
    best, sim = pairs[0]
    st.caption(t("w2v.nn_line", word=md_code(word), best=md_code(best), sim=fmt(sim)))


# --------------------------------------------------------------------------- attention
def _key_tokens(trained: TrainedModel, sentences: list[list[str]]) -> list[str]:
    """The keys/values chosen by the user, limited to words the model knows."""
    words = list(trained.words)
    c1, c2 = st.columns([1, 2])
    source = c1.radio(
        t("w2v.keys_from"),
        options=["sentence", "words"],
        format_func={s: t(f"w2v.keys_from_{s}") for s in ("sentence", "words")}.__getitem__,
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
    tables = random_tables(1, d, seed=int(seed))
    return tables.w_q, tables.w_k, tables.w_v


@st.fragment
def attention_lab(trained: TrainedModel, sentences: list[list[str]]) -> None:
    """Query word, keys/values, temperature, scaling, projections → scores, weights, context vector."""
    st.header(t("w2v.attn_title"))
    st.caption(t("w2v.attn_caption"))
    words = list(trained.words)
    d = trained.vectors.shape[1]

    preset = PRESETS.get(st.session_state.get("w2v_preset", ""), WORD2VEC_PRESETS[0])
    stale_query = st.session_state.get("w2v_query")
    fallback = preset.query_word if preset.query_word in trained.index else words[0]
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
        except AttentionLabError as exc:
            show_error(exc)
            st.caption(t("w2v.query_fallback", word=md_code(query)))

    tokens = _key_tokens(trained, sentences)
    w = _projections(d)
    scale = st.toggle(t("common.scale") + f" (√{d})", key="w2v_scale", help=t("common.scale_help"), persist_state=KEEP)
    temperature = current_temperature(TEMPERATURE_KEY)

    if not tokens:
        st.info(t("w2v.no_keys"), icon="ℹ️")
    else:
        _attend(trained, query, tokens, w, scale=scale, temperature=temperature)

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
    with step_card(
        1,
        t("w2v.step_vectors"),
        r"q = \mathrm{wv}[\text{query}],\; K = V = \mathrm{wv}[\text{tokens}]"
        if w is None
        else r"q = \mathrm{wv}[\text{query}]\,W_q,\; K = X W_k,\; V = X W_v",
        t("w2v.step_vectors_explain", query=q_name, n=len(tokens), d=d),
    ):
        st.caption(t("w2v.query_vector"))
        show_matrix(qv, [shorten(query)], cols, key="w2v_q_table")
        if w is None:
            st.caption(t("w2v.kv_vectors"))
            show_matrix(k, labels, cols, key="w2v_kv_table")
        else:
            a, b = st.columns(2)
            with a:
                st.caption(t("common.keys") + " K")
                show_matrix(k, labels, cols, key="w2v_k_table")
            with b:
                st.caption(t("common.value") + " V")
                show_matrix(v, labels, cols, key="w2v_v_table")
            with st.expander(t("w2v.project_matrices")):
                for name, m in zip(("W_q", "W_k", "W_v"), w, strict=True):
                    st.caption(name)
                    show_matrix(m, cols, cols, key=f"w2v_{name}_table")

    best = int(np.argmax(r.scores))
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
        t("w2v.step_scores_explain", query=q_name, best=md_code(tokens[best]), score=fmt(float(r.scores[best]))),
    ):
        left, _ = st.columns([1, 1])
        with left:
            show_matrix(np.stack(score_vals, axis=1), labels, score_cols, key="w2v_scores_table")

    top = int(np.argmax(r.weights))
    with step_card(
        3,
        t("w2v.step_weights"),
        r"a_i = \mathrm{softmax}(s)_i = \frac{e^{s_i}}{\sum_j e^{s_j}}",
        t("w2v.step_weights_explain", query=q_name, best=md_code(tokens[top]), weight=fmt(float(r.weights[top]))),
    ):
        live_attention(
            "w2v_live",
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
            ),
            temperature_key=TEMPERATURE_KEY,
        )
        with st.expander(t("live.weights_table")):
            show_matrix(r.weights[:, None], labels, [t("common.weight")], key="w2v_weights_table")
        if len(tokens) == 1:
            st.info(t("w2v.one_key"), icon="ℹ️")
        elif float(r.weights.max() - r.weights.min()) < FLAT_WEIGHTS:
            st.info(t("w2v.flat_hint", spread=fmt(float(r.weights.max() - r.weights.min()))), icon="💡")

    with step_card(
        4,
        t("w2v.step_context"),
        r"c = \sum_i a_i\, v_i",
        t("w2v.step_context_explain", context=fmt_vec(r.output)),
    ):
        show_matrix(r.output, [t("w2v.context")], cols, key="w2v_context_table")


def single_key_example(
    trained: TrainedModel,
    w: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
    *,
    scale: bool,
    temperature: float,
) -> None:
    """The notebook's query 'fox', key 'hare', value 'squirrel': softmax over one score is 1."""
    words = list(trained.words)
    preset = PRESETS.get(st.session_state.get("w2v_preset", ""), WORD2VEC_PRESETS[0])
    defaults = _single_key_words(preset)
    with st.expander(t("w2v.single_title"), expanded=False):
        st.write(t("w2v.single_intro"))
        cols = st.columns(3)
        chosen = []
        for col, key, part, default in zip(
            cols,
            ("w2v_single_q", "w2v_single_k", "w2v_single_v"),
            ("query", "key", "value"),
            defaults,
            strict=True,
        ):
            _valid_choice(key, words, default if default in trained.index else words[len(chosen) % len(words)])
            chosen.append(col.selectbox(t(f"w2v.single_{part}"), options=words, key=key, persist_state=KEEP))
        qw, kw, vw = chosen
        try:
            q, k, v = vectors_for(trained.model, [qw, kw, vw])
            if w is not None:
                q = project(q[None, :], w[0], "W_q")[0]
                k = project(k[None, :], w[1], "W_k")[0]
                v = project(v[None, :], w[2], "W_v")[0]
            r = attention(q, k[None, :], v[None, :], scale=scale, temperature=temperature)
        except AttentionLabError as exc:
            show_error(exc)
            return
        d = trained.vectors.shape[1]
        show_matrix(
            np.stack([q, k, v, r.output]),
            [
                f"{t('common.query')}: {shorten(qw)}",
                f"{t('common.key')}: {shorten(kw)}",
                f"{t('common.value')}: {shorten(vw)}",
                t("w2v.context"),
            ],
            dim_labels(d),
            key="w2v_single_table",
        )
        same = bool(np.array_equal(r.output, v))
        st.write(
            t(
                "w2v.single_result",
                score=fmt(float(r.scores[0])),
                weight=fmt(float(r.weights[0])),
                value=md_code(vw),
            )
            + (" ✓" if same else "")
        )
        st.caption(t("w2v.single_lesson"))


# --------------------------------------------------------------------------- page
_init_state()
st.title(t("w2v.title"))
st.write(t("w2v.intro"))
st.info(t("w2v.not_reproducible"), icon="ℹ️")

corpus = corpus_section()
model = params_section(corpus)
if model is not None:
    embedding_space(model)
    attention_lab(model, corpus)
else:
    st.info(t("w2v.no_model"), icon="ℹ️")
