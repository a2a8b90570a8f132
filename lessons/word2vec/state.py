"""The Word2Vec lab's session state: presets, training parameters, defaults.

Every control has a key (``w2v_*``), so a language switch or a visit to another page keeps it.
Option labels are looked up in dicts built while the page runs (not lambdas calling ``t()``):
a ``format_func`` may be called outside the script run (AppTest does), where the language is unknown.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from attention_core import Word2VecParams, tokenize_lines
from attention_core.limits import MAX_CORPUS_TOKENS, MAX_EPOCHS, MAX_TEXT_CHARS, MAX_TRAINING_PASSES
from attention_core.presets import USER_DEFAULTS, Word2VecPreset
from attention_core.text import cap_sentences
from ui.i18n import LANGUAGES, catalog
from ui.word2vec_presets import (  # noqa: F401 - the lab's modules read them from here too
    PARAMS,
    PRESETS,
    REAL_PARAMS,
    all_defaults,
    default_preset,
    pair_value,
    param_value,
    preset_default,
    preset_params,
    preset_state,
    sentence_for,
    single_key_words,
)

#: Each preset's name in the preset selectbox: its key, written out.
PRESET_KEYS: dict[str, str] = {
    "learn_en": "w2v.preset_learn_en",
    "learn_vi": "w2v.preset_learn_vi",
    "learn_ko": "w2v.preset_learn_ko",
    "english": "w2v.preset_english",
    "korean_cat": "w2v.preset_korean_cat",
    "korean_fruit": "w2v.preset_korean_fruit",
}
KEEP = "session"  # widget values survive a visit to another page
#: Words the plots label and compare, and pairs followed epoch by epoch.
MAX_LOOK_WORDS = 12
MAX_PAIRS = 6


PRESET_ID_KEY = "_w2v_preset_id"  # the preset in use (the selectbox's own value may be a stale label)


def preset_id(value: object) -> str | None:
    """The preset the preset selectbox means: its value is an id, or, right after a language switch,
    the label the browser still shows, in the language it was shown in (Streamlit hands an option
    label it does not know back as the raw string); None for anything else."""
    if isinstance(value, str) and value in PRESETS:
        return value
    for lang in LANGUAGES:
        for pid in PRESETS:
            if catalog(lang).get(PRESET_KEYS[pid]) == value:
                return pid
    return None


def apply_preset() -> None:
    """The preset selectbox's change: fill the text box and every control with the chosen preset.

    A stale label of the preset in use (sent after a language switch) changes nothing; the
    selectbox is put back on the preset's id either way.
    """
    chosen, in_use = preset_id(st.session_state.get("w2v_preset")), st.session_state.get(PRESET_ID_KEY)
    st.session_state["w2v_preset"] = chosen or in_use or default_preset()
    if chosen is None or chosen == in_use:
        return
    st.session_state[PRESET_ID_KEY] = chosen
    st.session_state.update(preset_state(PRESETS[chosen]))
    forget_stop()


def reset_params() -> None:
    """Put the training parameters back to the preset's (the text is left alone)."""
    preset = PRESETS.get(preset_id(st.session_state.get("w2v_preset")) or default_preset())
    st.session_state.update(preset_params(preset))


FITTED_KEY = "_w2v_epochs_fitted"  # (epochs before, epochs now, tokens) after a text change


def fit_epochs() -> None:
    """The text box's callback: a longer text lowers the epochs so tokens × epochs stays within the
    training budget (the page says so next to the parameters), instead of refusing to train."""
    text = str(st.session_state.get("w2v_text") or "")[:MAX_TEXT_CHARS]
    sentences, _ = cap_sentences(
        tokenize_lines(text, lowercase=bool(st.session_state.get("w2v_lower"))), MAX_CORPUS_TOKENS
    )
    tokens = sum(map(len, sentences))
    epochs = st.session_state.get("w2v_epochs")
    if isinstance(epochs, int) and tokens and tokens * epochs > MAX_TRAINING_PASSES:
        fitted = max(1, MAX_TRAINING_PASSES // tokens)
        st.session_state["w2v_epochs"] = fitted
        st.session_state[FITTED_KEY] = (epochs, fitted, tokens)


def learning_epochs(tokens: int) -> int:
    """The user-corpus default epochs, or fewer when the text is too long for the training budget."""
    return max(1, min(int(USER_DEFAULTS["epochs"]), MAX_EPOCHS, MAX_TRAINING_PASSES // max(1, tokens)))


def make_it_learn(tokens: int) -> None:
    """ "Train it so it learns": the user-corpus defaults (the seed is kept), epochs within the budget."""
    for name in PARAMS:
        if name != "seed":
            st.session_state[f"w2v_{name}"] = param_value(name, USER_DEFAULTS[name])
    st.session_state["w2v_epochs"] = learning_epochs(tokens)


def init_state() -> None:
    """First visit: the corpus designed to learn, in the UI's language; a value already set is kept."""
    if st.session_state.get("w2v_preset") not in PRESETS:
        st.session_state["w2v_preset"] = preset_id(st.session_state.get("w2v_preset")) or default_preset()
    st.session_state[PRESET_ID_KEY] = st.session_state["w2v_preset"]
    for key, value in all_defaults(st.session_state["w2v_preset"]).items():
        st.session_state.setdefault(key, value)


def valid_choice(key: str, options: Sequence[str], fallback: str) -> None:
    """A selectbox's stored word that the new vocabulary lacks falls back to ``fallback``."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = fallback


def current_params() -> Word2VecParams:
    """The training parameters the controls hold."""
    return Word2VecParams(**{name: param_value(name, st.session_state[f"w2v_{name}"]) for name in PARAMS})


def chosen_preset() -> Word2VecPreset | None:
    """The preset chosen in the selector (its text may have been edited since)."""
    return PRESETS.get(st.session_state.get("w2v_preset", ""))


# --------------------------------------------------------------------------- stopping a training
STOP_KEY = "_w2v_stop"  # the training key the user stopped
OWNER_KEY = "_w2v_owner"  # this session's token in the store of stopped trainings


def request_stop(key: object) -> None:
    """The stop button's callback (it runs before the rerun the click causes)."""
    st.session_state[STOP_KEY] = key


def forget_stop() -> None:
    """Train in full again (the "train all epochs" button, a new preset)."""
    st.session_state.pop(STOP_KEY, None)
