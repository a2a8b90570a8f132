"""Section 1 of the Word2Vec lab: the corpus (a preset or the user's own sentences) and its tokens."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from attention_core import tokenize_lines
from attention_core.errors import AttentionLabError
from attention_core.limits import MAX_CORPUS_TOKENS, MAX_TEXT_CHARS
from attention_core.text import cap_sentences, require_tokens
from ui.format import md_code
from ui.i18n import show_error, t
from ui.values import BadValue, check_text

from .state import KEEP, PRESET_KEYS, PRESETS, apply_preset, chosen_preset, fit_epochs


def corpus_section() -> list[list[str]]:
    """Preset, text box, lower-case switch and the tokens; returns the (capped) sentences."""
    st.header(t("w2v.corpus_title"))
    # the preset's name is long ("Tiếng Việt, soạn để học: con vật, xe cộ, món ăn"): the whole width
    st.selectbox(
        t("w2v.preset"),
        options=list(PRESETS),
        format_func={pid: t(PRESET_KEYS[pid]) for pid in PRESETS}.__getitem__,
        key="w2v_preset",
        on_change=apply_preset,
        help=t("w2v.preset_help"),
        persist_state=KEEP,
    )
    st.toggle(t("w2v.lowercase"), key="w2v_lower", help=t("w2v.lowercase_help"), persist_state=KEEP)
    text = st.text_area(
        t("w2v.text"),
        key="w2v_text",
        height=170,
        max_chars=MAX_TEXT_CHARS,
        help=t("w2v.text_help", limit=MAX_CORPUS_TOKENS, chars=MAX_TEXT_CHARS),
        on_change=fit_epochs,
        persist_state=KEEP,
    )
    text = text or ""
    try:  # the check every typed text passes (no control characters but line feeds and TAB)
        check_text(text, multiline=True)
    except BadValue as exc:
        show_error(exc)
        return []
    chosen = chosen_preset()
    edited = chosen is not None and text.strip() != chosen.text.strip()
    if chosen is not None and text.strip() and edited:
        st.caption(t("w2v.preset_edited"))
        st.button(t("w2v.preset_restore"), key="w2v_restore_preset", on_click=apply_preset)
    elif chosen is not None and chosen.groups:
        groups = "; ".join(" · ".join(md_code(w) for w in g) for g in chosen.groups)
        st.info(t("w2v.expected_groups", groups=groups), icon="🎯")
    elif chosen is not None:
        st.caption(t("w2v.notebook_corpus"))
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
    st.caption(t("w2v.tokens_caption", sentences=len(sentences), tokens=n_tok, types=n_types))
    with st.expander(t("w2v.tokens_title"), icon=":material/table:", key="w2v_tokens_box"):
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
