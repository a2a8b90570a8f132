"""The Word2Vec lab's controls at a preset: every default the page registry (the lab's experiment
fields, :mod:`ui.nav`) and the lab itself (:mod:`lessons.word2vec.state`) read.

Plain data from :mod:`attention_core.presets`, keyed as the lab's session keys (``w2v_*``); no
widget. The one choice that is not data: with no preset chosen, the designed corpus in the UI's
language (:func:`default_preset`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType

from attention_core import tokenize_lines
from attention_core.presets import LEARNING_PRESETS, WORD2VEC_PRESETS, Word2VecPreset
from ui.i18n import current_language
from ui.values import TEMPERATURE

PRESETS: dict[str, Word2VecPreset] = {p.id: p for p in WORD2VEC_PRESETS}
#: Training parameters, in the order of :class:`attention_core.Word2VecParams`.
PARAMS = ("vector_size", "window", "min_count", "sg", "epochs", "negative", "seed", "sample", "alpha")
REAL_PARAMS = {"sample": 5, "alpha": 4}  # decimals kept (the boxes show as many)


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
