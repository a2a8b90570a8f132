"""Word2Vec lab: train embeddings on your own sentences (seed 002), watch them learn, then attend with them.

The sections live in ``lessons/word2vec/``: the corpus, training, watching it learn, the attention.

Not the kit's ``run_lesson`` shape: four sections of a lesson package, the training between the
controls and what they make.
"""

from __future__ import annotations

import streamlit as st

from lessons.word2vec.attention import attention_lab
from lessons.word2vec.corpus import corpus_section
from lessons.word2vec.space import space_section
from lessons.word2vec.spec import SPEC
from lessons.word2vec.state import init_state
from lessons.word2vec.training import train_section
from ui.i18n import t
from ui.lesson import finish, opening, start, workbench

if __name__ == "__main__":  # drawn when Streamlit runs the page; `pages` only reads SPEC
    start(SPEC)
    init_state()
    opening(SPEC, t("w2v.title"), t("w2v.intro"))
    controls, lesson = workbench()
    with controls:  # the sentences and the training beside what they make
        corpus = corpus_section()
        model = train_section(corpus)
        with st.expander(t("common.compare_notebook"), icon=":material/menu_book:"):
            st.caption(t("w2v.not_reproducible"))
    with lesson:
        if model is not None:
            space_section(model, corpus)
            attention_lab(model, corpus)
        else:
            st.info(t("w2v.no_model"), icon="ℹ️")
    finish(SPEC)
