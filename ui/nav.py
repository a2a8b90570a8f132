"""The pages, in teaching order: one entry per file in ``pages/``, with each lesson's session keys.

``app.py`` builds ``st.navigation`` from this list and the home page links to it, so a new page is
added in one place. Each lesson names its key prefix (every widget and session key of the lesson
starts with it), its widgets' defaults (what "reset" restores) and its *experiment*: the values a
link, a JSON file and a notebook carry (:mod:`ui.share`; the fields are declared below, next to the
defaults they share). Tests and benchmarks read them from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from attention_core import DK_SWEEP, build_vocab, cap, random_tables, tokenize, tokenize_lines
from attention_core.cross_presets import CROSS_ATTENTION, CROSS_DIM, CROSS_HEADS, cross_vectors
from attention_core.limits import (  # the lessons' own limits are also read from here (pages, tests)
    CROSS_MAX_TOKENS,
    DK_MAX_KEYS,
    KV_MAX_DIM,
    KV_MAX_TOKENS,
    WO_MAX_POSITION,
    WO_MAX_SHIFT,
    MAX_HEADS,
    MAX_MATRIX_SIZE,
    MAX_MODEL_DIM,
    MAX_SENTENCE_CHARS,
    MAX_SEQUENCE_TOKENS,
    MAX_SHORT_SENTENCE_CHARS,
    MAX_TEXT_CHARS,
    SEED_LIMIT,
)
from attention_core.presets import (
    LIBRARY,
    MASKS,
    POOLING,
    SCALED_DOT_PRODUCT,
    SELF_ATTENTION_3X3,
    SELF_ATTENTION_5X4,
    STEP_BY_STEP,
    WORD2VEC_PRESETS,
    LibraryPreset,
    ScaledDotProductPreset,
)
from attention_core.word2vec import REAL_BOUNDS, WHOLE_BOUNDS
from ui.export import recipes
from ui.export.recipes import RecipeFor
from ui.share.fields import (
    Choice,
    Experiment,
    Field,
    Flag,
    Int,
    Matrix,
    Positions,
    Real,
    State,
    Temperature,
    Text,
    Vector,
    Word,
    Words,
)
from ui.values import TEMPERATURE
from ui.word2vec_presets import preset_default
from ui.word_order import POSITIONS


@dataclass(frozen=True, kw_only=True)
class PageSpec:
    """One page: its file, title and summary (catalog keys), icon, key prefix and experiment (its
    fields, each with its default: what a link, a file, reset and the tests read)."""

    path: str
    title_key: str
    icon: str
    summary_key: str
    prefix: str
    experiment: Experiment
    #: its notebook, JSON and CSV exports, and the weights Compare A/B shows (``ui.export.recipes``)
    recipe: RecipeFor

    @cached_property
    def defaults(self) -> Mapping[str, object]:
        """``{prefix}_{name}: default`` of every field kept under its own session key whose default
        does not depend on other values: what :func:`ui.lesson.start` puts in place and "reset"
        restores. Written once, in the field (matrices keep theirs in their editor)."""
        return MappingProxyType(
            {
                self.key(f.name): f.default
                for f in self.experiment
                if f.store == "key" and f.default is not None and not callable(f.default)
            }
        )

    @property
    def name(self) -> str:
        """The file's stem (``"library"``), also the page's URL path."""
        return Path(self.path).stem

    def key(self, name: str) -> str:
        """A session key of this lesson: ``{prefix}_{name}``."""
        return f"{self.prefix}_{name}"

    @property
    def temperature_key(self) -> str:
        """Where the lesson keeps the temperature its live view reports."""
        return self.key("temperature")

    @property
    def live_key(self) -> str:
        """The lesson's live attention view."""
        return self.key("live")


# --------------------------------------------------------------------------- experiments (ui.share)
def _experiment(*fields: Field) -> Experiment:
    """A lesson's experiment: its fields, then the live view's temperature."""
    return Experiment((*fields, Temperature("temperature", TEMPERATURE.default)))


def _qkv(preset: LibraryPreset | ScaledDotProductPreset) -> Experiment:
    """The query/key/value lessons: the scaling switch and the three editable tables."""
    shapes = {name: np.shape(m) for name, m in zip("qkv", (preset.query, preset.keys, preset.values), strict=True)}
    tables = {"q": preset.query, "k": preset.keys, "v": preset.values}
    return _experiment(
        Flag("scale", preset.scale, bound=True),
        *(Matrix(n, np.array(tables[n], dtype=float), shape=lambda s, n=n: shapes[n]) for n in "qkv"),
    )


@lru_cache(maxsize=16)
def _tables(vocab: tuple[str, ...], dim: int, seed: int) -> Any:
    return random_tables(len(vocab), dim, seed)


def _sbs_tables(state: State) -> Any:
    """The step-by-step page's random tables for the state's sentence, size and seed (None when invalid)."""
    tokens, _ = cap(tokenize(str(state.get("sentence") or "")), MAX_SEQUENCE_TOKENS)
    dim, seed = state.get("dim"), state.get("seed")
    if not tokens or not isinstance(dim, int) or not 1 <= dim <= MAX_MODEL_DIM:
        return None
    if not isinstance(seed, int) or not 0 <= seed < SEED_LIMIT:
        return None
    return _tables(tuple(build_vocab(tokens)), dim, seed)


def _sbs_matrix(name: str, which: str) -> Matrix:
    """One of the step-by-step page's editable tables (its editor is per seed: ``sbs_{name}_s{seed}``).

    It is part of the experiment only while the sentence, size and seed make tables (``when``); with
    an empty sentence or a bad size it has no default and no shape (None), never an error: a link
    or a file may hold any of these."""

    def table(state: State) -> np.ndarray | None:
        tables = _sbs_tables(state)
        return None if tables is None else getattr(tables, which)

    def shape(state: State) -> tuple[int, int] | None:
        t = table(state)
        return None if t is None else (int(t.shape[0]), int(t.shape[1]))

    return Matrix(
        name,
        table,
        shape=shape,
        max_rows=MAX_SEQUENCE_TOKENS,
        max_cols=MAX_MODEL_DIM,
        editor=lambda s: f"sbs_{name}_s{s['seed']}",
        when=lambda s: _sbs_tables(s) is not None,
    )


#: Why √d_k: the key width it opens at (the row has collapsed there unscaled), and its number of keys.
DK_DEFAULT, DK_KEYS = 64, 8

# --- KV cache lesson (issue 26, part 3): its limits and experiment fields


def _kv_tokens(state: State) -> int:
    """How many tokens the KV-cache lesson generates from the state's sentence (at least 1: the step's limit)."""
    tokens, _ = cap(tokenize(str(state.get("sentence") or "")), KV_MAX_TOKENS)
    return max(1, len(tokens))


def _kv_experiment() -> Experiment:
    """The KV-cache lesson: the sentence, seed and size (the seed-000 way), and the step shown (1-based)."""
    return _experiment(
        Text("sentence", STEP_BY_STEP.sentence, bound=True, max_chars=MAX_SHORT_SENTENCE_CHARS),
        Int("seed", STEP_BY_STEP.seed, bound=True, low=0, high=SEED_LIMIT - 1),
        Int("dim", STEP_BY_STEP.dim, bound=True, low=1, high=KV_MAX_DIM),
        Int("step", 1, bound=True, low=1, high=_kv_tokens),
    )


_SELF_PRESETS = {"3x3": SELF_ATTENTION_3X3, "5x4": SELF_ATTENTION_5X4}


def _w2v(name: str) -> Any:
    """A Word2Vec control's default: the chosen preset's (:mod:`ui.word2vec_presets`)."""

    def default(state: State) -> Any:
        return preset_default(state.get("preset"), name)

    return default


def _w2v_experiment() -> Experiment:
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

    return _experiment(
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


# --------------------------------------------------------------------------- "Where did word order go?" (issue 25)
def _word_order() -> PageSpec:
    """The word-order lesson: a sentence (seed 000's by default) as random vectors, a seeded shuffle,
    where positions come from, and RoPE's two positions and shift."""
    rope = lambda s: s.get("positions") == "rope"  # noqa: E731
    return PageSpec(
        path="pages/word_order.py",
        title_key="nav.word_order",
        icon="🔀",
        summary_key="nav.word_order_summary",
        prefix="wo",
        recipe=recipes.word_order,
        experiment=_experiment(
            Text("sentence", STEP_BY_STEP.sentence, bound=True, max_chars=MAX_SENTENCE_CHARS),
            Int("seed", STEP_BY_STEP.seed, bound=True, low=0, high=SEED_LIMIT - 1),
            Int("shuffle", 1, low=0, high=SEED_LIMIT - 1),
            Choice("positions", "none", bound=True, options=POSITIONS),
            Int("m", 3, bound=True, low=0, high=WO_MAX_POSITION, when=rope),
            Int("n", 1, bound=True, low=0, high=WO_MAX_POSITION, when=rope),
            Int("s", 4, bound=True, low=0, high=WO_MAX_SHIFT, when=rope),
        ),
    )


# --------------------------------------------------------------------------- cross-attention (issue 26)


def _cross_tokens(state: State, which: str) -> list[str]:
    """The source's or the target's tokens (at most CROSS_MAX_TOKENS)."""
    return cap(tokenize(str(state.get(which) or "")), CROSS_MAX_TOKENS)[0]


def _cross_matrix(name: str, which: str) -> Matrix:
    """A sentence's vectors (``xs`` the source's, ``xt`` the target's): the designed ones by default
    (``attention_core.cross_presets``), one row per token; part of the experiment while the sentence
    has a word."""
    return Matrix(
        name,
        lambda s: cross_vectors(_cross_tokens(s, which)),
        shape=lambda s: (len(_cross_tokens(s, which)), CROSS_DIM),
        max_rows=CROSS_MAX_TOKENS,
        max_cols=CROSS_DIM,
        when=lambda s: bool(_cross_tokens(s, which)),
    )


def _cross_spec() -> PageSpec:
    C = CROSS_ATTENTION
    return PageSpec(
        path="pages/cross_attention.py",
        title_key="nav.cross_attention",
        icon="🌐",
        summary_key="nav.cross_attention_summary",
        prefix="cross",
        recipe=recipes.cross_attention,
        experiment=_experiment(
            Text("source", C.source, bound=True, max_chars=MAX_SHORT_SENTENCE_CHARS),
            Text("target", C.target, bound=True, max_chars=MAX_SHORT_SENTENCE_CHARS),
            Choice("heads", 1, bound=True, options=CROSS_HEADS),
            Flag("scale", C.scale, bound=True),
            Int("head", 1, bound=True, low=1, high=lambda s: int(s["heads"]), when=lambda s: s["heads"] > 1),
            _cross_matrix("xs", "source"),
            _cross_matrix("xt", "target"),
        ),
    )


# --------------------------------------------------------------------------- masks (issue 25, lesson 2)
def _masks_sentences(state: State) -> int:
    """How many sentences the masks lesson's batch holds (the non-empty ones, at least 1)."""
    return max(1, sum(1 for i in (1, 2, 3) if tokenize(str(state.get(f"s{i}") or ""))))


def _masks_length(state: State) -> int:
    """The padded length of the masks lesson's batch: its longest sentence, capped as the page caps it."""
    lengths = [min(len(tokenize(str(state.get(f"s{i}") or ""))), MASKS.max_tokens) for i in (1, 2, 3)]
    return max(1, *lengths)


def _masks_page() -> PageSpec:
    """Masks: padding and causal. The batch's sentences, their random embeddings, the masks, and the
    keys a learner hides (their 1-based positions, as words)."""
    return PageSpec(
        path="pages/masks.py",
        title_key="nav.masks",
        icon="🎭",
        summary_key="nav.masks_summary",
        prefix="masks",
        recipe=recipes.masks,
        experiment=_experiment(
            *(
                Text(f"s{i + 1}", s, bound=True, max_chars=MAX_SHORT_SENTENCE_CHARS)
                for i, s in enumerate(MASKS.sentences)
            ),
            Int("seed", MASKS.seed, bound=True, low=0, high=SEED_LIMIT - 1),
            Int("dim", MASKS.dim, bound=True, low=1, high=MAX_MODEL_DIM),
            Flag("pad", False, bound=True),
            Flag("causal", False, bound=True),
            Int("show", MASKS.shown, bound=True, low=1, high=_masks_sentences),
            Positions("hidden", [], max_items=MASKS.max_tokens, high=_masks_length),
        ),
    )




PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        path="pages/home.py",
        title_key="nav.home",
        icon="🏠",
        summary_key="nav.home_summary",
        prefix="home",
        recipe=recipes.home,
        experiment=_experiment(),
    ),
    PageSpec(
        path="pages/library.py",
        title_key="nav.library",
        icon="📚",
        summary_key="nav.library_summary",
        prefix="library",
        recipe=recipes.library,
        experiment=_qkv(LIBRARY),
    ),
    PageSpec(
        path="pages/step_by_step.py",
        title_key="nav.step_by_step",
        icon="🔢",
        summary_key="nav.step_by_step_summary",
        prefix="sbs",
        recipe=recipes.step_by_step,
        experiment=_experiment(
            Text("sentence", STEP_BY_STEP.sentence, bound=True, max_chars=MAX_SENTENCE_CHARS, multiline=True),
            Int("seed", STEP_BY_STEP.seed, bound=True, low=0, high=SEED_LIMIT - 1),
            Int("dim", STEP_BY_STEP.dim, bound=True, low=1, high=MAX_MODEL_DIM),
            Int("heads", 1, bound=True, low=1, high=MAX_HEADS),
            Flag("scale", STEP_BY_STEP.scale, bound=True),
            Flag("causal", False, bound=True),
            Int("head", 1, bound=True, low=1, high=lambda s: int(s["heads"]), when=lambda s: s["heads"] > 1),
            _sbs_matrix("emb", "embeddings"),
            _sbs_matrix("wq", "w_q"),
            _sbs_matrix("wk", "w_k"),
            _sbs_matrix("wv", "w_v"),
        ),
    ),
    PageSpec(
        path="pages/self_attention.py",
        title_key="nav.self_attention",
        icon="🔁",
        summary_key="nav.self_attention_summary",
        prefix="self",
        recipe=recipes.self_attention,
        experiment=_experiment(
            Choice("preset", "3x3", bound=True, options=tuple(_SELF_PRESETS)),
            Flag("scale", False, bound=True),
            Matrix("x", lambda s: np.array(_SELF_PRESETS[s["preset"]].x), sized=True),
        ),
    ),
    PageSpec(
        path="pages/pooling.py",
        title_key="nav.pooling",
        icon="🎯",
        summary_key="nav.pooling_summary",
        prefix="pool",
        recipe=recipes.pooling,
        experiment=_experiment(
            Matrix("x", np.array(POOLING.x), sized=True, max_rows=MAX_MATRIX_SIZE, max_cols=MAX_MATRIX_SIZE),
            Int("seed", 0, bound=True, low=0, high=SEED_LIMIT - 1),
            Vector(
                "w",
                lambda s: POOLING.w_for(np.shape(s["x"])[1]),
                shape=lambda s: (np.shape(s["x"])[1],),
                low=-3.0,
                high=3.0,
            ),
        ),
    ),
    PageSpec(
        path="pages/scaled_dot_product.py",
        title_key="nav.scaled_dot_product",
        icon="📐",
        summary_key="nav.scaled_dot_product_summary",
        prefix="scaled_dot_product",
        recipe=recipes.scaled_dot_product,
        experiment=_qkv(SCALED_DOT_PRODUCT),
    ),
    PageSpec(
        path="pages/sqrt_dk.py",
        title_key="nav.sqrt_dk",
        icon="📏",
        summary_key="nav.sqrt_dk_summary",
        prefix="dk",
        recipe=recipes.sqrt_dk,
        experiment=_experiment(
            Choice("d_k", DK_DEFAULT, bound=True, options=DK_SWEEP),
            Int("n_keys", DK_KEYS, bound=True, low=2, high=DK_MAX_KEYS),
            Int("seed", 0, bound=True, low=0, high=SEED_LIMIT - 1),
        ),
    ),
    _masks_page(),
    _word_order(),
    _cross_spec(),
    PageSpec(
        path="pages/kv_cache.py",
        title_key="nav.kv_cache",
        icon="🗃️",
        summary_key="nav.kv_cache_summary",
        prefix="kv",
        recipe=recipes.kv_cache,
        experiment=_kv_experiment(),
    ),
    PageSpec(
        path="pages/word2vec.py",
        title_key="nav.word2vec",
        icon="🧪",
        summary_key="nav.word2vec_summary",
        prefix="w2v",
        recipe=recipes.word2vec,
        experiment=_w2v_experiment(),
    ),
)
#: The pages by name: ``LESSONS["library"].temperature_key == "library_temperature"``.
LESSONS: Mapping[str, PageSpec] = MappingProxyType({p.name: p for p in PAGES})


def require_app_navigation() -> None:
    """Make a page opened by direct link run inside ``app.py``'s navigation.

    Streamlit keeps a process-wide flag for apps with a ``pages/`` folder: until
    some session has called ``st.navigation``, a URL such as ``/step_by_step``
    runs the page file *alone* with auto-discovered navigation (no language
    selector, no wide layout, file names as titles). Each page calls this first:
    if it is running in that legacy mode, switch the flag off and rerun, so the
    same URL is served through ``app.py`` (page hashes depend only on the URL
    path, so the rerun lands on the same page). Once off, this is a no-op.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
