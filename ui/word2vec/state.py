"""The Word2Vec lab's session state: presets, training parameters, defaults.

Every control has a key (``w2v_*``), so a language switch or a visit to another page keeps it.
Option labels are looked up in dicts built while the page runs (not lambdas calling ``t()``):
a ``format_func`` may be called outside the script run (AppTest does), where the language is unknown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType

import streamlit as st

from attention_core import Word2VecParams, tokenize_lines
from attention_core.limits import MAX_CORPUS_TOKENS, MAX_EPOCHS, MAX_TEXT_CHARS, MAX_TRAINING_PASSES
from attention_core.presets import LEARNING_PRESETS, USER_DEFAULTS, WORD2VEC_PRESETS, Word2VecPreset
from attention_core.text import cap_sentences
from ui.i18n import LANGUAGES, catalog, current_language
from ui.live_attention import TEMPERATURE

PRESETS: dict[str, Word2VecPreset] = {p.id: p for p in WORD2VEC_PRESETS}
#: Each preset's name in the preset selectbox: its key, written out.
PRESET_KEYS: dict[str, str] = {
    "learn_en": "w2v.preset_learn_en",
    "learn_vi": "w2v.preset_learn_vi",
    "learn_ko": "w2v.preset_learn_ko",
    "english": "w2v.preset_english",
    "korean_cat": "w2v.preset_korean_cat",
    "korean_fruit": "w2v.preset_korean_fruit",
}
#: Training parameters, in the order of :class:`attention_core.Word2VecParams`.
PARAMS = ("vector_size", "window", "min_count", "sg", "epochs", "negative", "seed", "sample", "alpha")
REAL_PARAMS = {"sample": 5, "alpha": 4}  # decimals kept (the boxes show as many)
KEEP = "session"  # widget values survive a visit to another page
#: Words the plots label and compare, and pairs followed epoch by epoch.
MAX_LOOK_WORDS = 12
MAX_PAIRS = 6


# --------------------------------------------------------------------------- presets
def sentence_for(preset: Word2VecPreset, sentences: Sequence[Sequence[str]]) -> int:
    """The sentence the notebook attends over, else the first one holding the query word."""
    for i, s in enumerate(sentences):
        if tuple(s) == preset.attend_tokens:
            return i
    for i, s in enumerate(sentences):
        if preset.query_word in s:
            return i
    return 0


def single_key_words(preset: Word2VecPreset) -> tuple[str, str, str]:
    """Query, key and value words of the single-key example (the notebook's fox → hare → squirrel)."""
    toks = preset.attend_tokens
    if preset.value_word is not None:
        return preset.query_word, toks[0], preset.value_word
    return preset.query_word, toks[1 % len(toks)], toks[-1]


def pair_value(a: str, b: str) -> str:
    """A pair as one option value: tokens never hold whitespace, so a space separates them."""
    return f"{a} {b}"


def param_value(name: str, value: float) -> float | int:
    """A parameter as its control holds it: an int, or a float rounded to the box's decimals."""
    return round(float(value), REAL_PARAMS[name]) if name in REAL_PARAMS else int(value)


def preset_params(p: Word2VecPreset) -> dict[str, object]:
    """The training controls' values for preset ``p``."""
    return {f"w2v_{name}": param_value(name, p.params[name]) for name in PARAMS}


def preset_state(p: Word2VecPreset) -> dict[str, object]:
    """Every control's value for preset ``p`` (text, switches, parameters, words to watch, attention words)."""
    state: dict[str, object] = {"w2v_text": p.text, "w2v_lower": p.lowercase}
    state.update(preset_params(p))
    q, k, v = single_key_words(p)
    state.update(
        {
            "w2v_look": list(p.watch_words),
            "w2v_pairs": [pair_value(a, b) for a, b in p.watch_pairs],
            "w2v_query": p.query_word,
            "w2v_keys_from": "sentence",
            "w2v_sentence": sentence_for(p, tokenize_lines(p.text, lowercase=p.lowercase)),
            "w2v_words": list(p.attend_tokens),
            "w2v_nn_word": p.query_word,
            "w2v_single_q": q,
            "w2v_single_k": k,
            "w2v_single_v": v,
        }
    )
    return state


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


def default_preset() -> str:
    """The designed corpus in the UI's language (English when there is none)."""
    lang = current_language()
    return next((p.id for p in LEARNING_PRESETS if p.language == lang), LEARNING_PRESETS[0].id)


#: The controls that do not come from the preset.
FIXED_DEFAULTS: dict[str, object] = {
    "w2v_scale": False,
    "w2v_project": False,
    "w2v_proj_seed": 42,
    "w2v_temperature": TEMPERATURE.default,
    "w2v_3d": False,
    "w2v_nn_topn": 5,
}


def all_defaults(pid: str) -> dict[str, object]:
    """Every control's default with preset ``pid`` (the values a link leaves out)."""
    return {**preset_state(PRESETS[pid]), **FIXED_DEFAULTS, "w2v_preset": pid}


@lru_cache(maxsize=len(PRESETS))
def _defaults_of(pid: str) -> Mapping[str, object]:
    return MappingProxyType(all_defaults(pid))


def preset_default(pid: object, name: str) -> object:
    """Control ``w2v_{name}``'s default with preset ``pid`` (the UI language's designed corpus when
    ``pid`` is no preset). Computed once per preset: links and exports ask on every rerun."""
    value = _defaults_of(pid if isinstance(pid, str) and pid in PRESETS else default_preset())[f"w2v_{name}"]
    return list(value) if isinstance(value, list) else value


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
