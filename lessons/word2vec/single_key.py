"""4 · The notebook's single-key example, under the attention: query 'fox', key 'hare', value 'squirrel'
(any three words of the model): softmax over one score is always 1, so the output is the value itself.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import attention, project, vectors_for
from attention_core.errors import AttentionLabError
from attention_core.presets import WORD2VEC_PRESETS
from ui.format import dim_labels, fmt, md_code, shorten
from ui.i18n import show_error, t
from ui.lesson import show_matrix
from ui.word2vec_cache import TrainedModel

from .state import KEEP, PRESETS
from .state import single_key_words as _single_key_words
from .state import valid_choice as _valid_choice


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
    keys = ("w2v_single_q", "w2v_single_k", "w2v_single_v")
    for i, (key, default) in enumerate(zip(keys, defaults, strict=True)):
        _valid_choice(key, words, default if default in trained.index else words[i % len(words)])
    title = t(
        "w2v.single_title", **{p: md_code(str(st.session_state[k]), 20) for p, k in zip("qkv", keys, strict=True)}
    )
    with st.expander(title, expanded=False, key="w2v_single_box"):  # the key keeps it open when the title changes
        st.write(t("w2v.single_intro"))
        cols = st.columns(3)
        chosen = []
        labels = ("w2v.single_query", "w2v.single_key", "w2v.single_value")
        for col, key, label in zip(cols, keys, labels, strict=True):
            chosen.append(col.selectbox(t(label), options=words, key=key, persist_state=KEEP))
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
