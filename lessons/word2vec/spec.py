"""The Word2Vec lab's declaration: the corpus and every training parameter, what is watched, and the
attention on the trained vectors (each default the chosen preset's, :mod:`ui.word2vec_presets`)."""

from __future__ import annotations

from typing import Any

from attention_core import tokenize_lines
from attention_core.limits import MAX_SEQUENCE_TOKENS, MAX_TEXT_CHARS, SEED_LIMIT
from attention_core.presets import WORD2VEC_PRESETS
from attention_core.word2vec import REAL_BOUNDS, WHOLE_BOUNDS
from ui.export import recipes
from ui.nav import PageSpec, lesson_experiment
from ui.share.fields import Choice, Experiment, Flag, Int, Real, State, Text, Word, Words
from ui.word2vec_presets import preset_default


def _w2v(name: str) -> Any:
    """A Word2Vec control's default: the chosen preset's (:mod:`ui.word2vec_presets`)."""

    def default(state: State) -> Any:
        return preset_default(state.get("preset"), name)

    return default


def _experiment() -> Experiment:
    """The Word2Vec lab: the corpus and every training parameter, what is watched, the attention."""
    whole = [
        Int(n, _w2v(n), low=WHOLE_BOUNDS[n][0], high=WHOLE_BOUNDS[n][1])
        for n in ("vector_size", "window", "min_count", "epochs", "negative", "seed")
    ]
    digits = {"sample": 5, "alpha": 4}
    real = [Real(n, _w2v(n), low=REAL_BOUNDS[n][0], high=REAL_BOUNDS[n][1], digits=digits[n]) for n in digits]

    def lines(state: State) -> int:
        text = str(state.get("text") or "")[:MAX_TEXT_CHARS]
        return max(0, len(tokenize_lines(text, lowercase=bool(state.get("lower")))) - 1)

    return lesson_experiment(
        # no default: the preset is always in the link (without one, the page picks the corpus
        # designed for the UI's language, so a link opened in another language would change)
        Choice("preset", None, options=tuple(p.id for p in WORD2VEC_PRESETS)),
        Flag("lower", _w2v("lower")),
        Text("text", _w2v("text"), max_chars=MAX_TEXT_CHARS, multiline=True),
        *whole,
        *real,
        Choice("sg", _w2v("sg"), options=(0, 1)),
        Words("look", _w2v("look"), max_items=12),
        Words("pairs", _w2v("pairs"), max_items=6, pairs=True),
        Word("nn_word", _w2v("nn_word")),
        Int("nn_topn", _w2v("nn_topn"), low=1, high=10),
        Flag("3d", _w2v("3d")),
        Word("query", _w2v("query")),
        Choice("keys_from", _w2v("keys_from"), options=("sentence", "words")),
        Int("sentence", _w2v("sentence"), low=0, high=lines, when=lambda s: s.get("keys_from") == "sentence"),
        Words("words", _w2v("words"), max_items=MAX_SEQUENCE_TOKENS, when=lambda s: s.get("keys_from") == "words"),
        Flag("project", _w2v("project")),
        Int("proj_seed", _w2v("proj_seed"), low=0, high=SEED_LIMIT - 1, when=lambda s: bool(s.get("project"))),
        Flag("scale", _w2v("scale")),
        *(Word(f"single_{p}", _w2v(f"single_{p}")) for p in "qkv"),
    )


SPEC = PageSpec(
    name="word2vec",
    order=110,
    title_key="nav.word2vec",
    icon="🧪",
    summary_key="nav.word2vec_summary",
    prefix="w2v",
    recipe=recipes.word2vec,
    experiment=_experiment(),
    steps=("w2v.step_vectors", "w2v.step_scores", "w2v.step_weights", "w2v.step_context"),
)
