"""Section 3 of the Word2Vec lab: watch it learn (loss and chosen pairs per epoch, the embedding space
scrubbed epoch by epoch), the cosine heatmap of the chosen words, and the nearest neighbours with an
honest note on whether they mean anything."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd
import streamlit as st

from attention_core import cosine_similarity, nearest_neighbours, pair_cosines
from lessons.word2vec.spec import SPEC
from ui import predict, present
from ui.figures import show_figure
from ui.format import decimals, fmt, md_code
from ui.i18n import t
from ui.share.state import sync
from ui.share_tools import figure_downloads
from ui.word2vec_cache import TrainedModel

from . import charts
from .state import KEEP, MAX_LOOK_WORDS, MAX_PAIRS, chosen_preset, pair_value, valid_choice
from .training import pct

MAX_NEIGHBOURS = 10
_VIEW_OF = "_w2v_view_of"  # the run the epoch slider was last set for


#: Words to watch when the learner has not chosen any.
DEFAULT_LOOK = 8
#: A word on this share of the lines (or more) is on nearly every line: not a word to watch.
EVERYWHERE = 0.8
#: Function words of the three languages: frequent everywhere, they tell little about their neighbours
#: (Korean particles are part of the word: 고양이가, so its list is short).
FUNCTION_WORDS = frozenset(
    "a an the and or but if of to in on at by for with from as is are was were be been am it its this that "
    "these those he she they we you i me my your his her their our them us not no so than then there here "
    "do does did has have had will would can could should very too also just".split()
    + "và là của có một các những thì mà cho với ở trong được này đó đã sẽ đang rất cũng không".split()
    + "그리고 그 이 저 것 수 등 또 더 및".split()
)


def watch_words(
    by_frequency: Sequence[str], sentences: Sequence[Sequence[str]], groups: Sequence[Sequence[str]] = ()
) -> list[str]:
    """The words to watch when the learner has chosen none (at most :data:`DEFAULT_LOOK`), from the
    corpus' words ``by_frequency`` (most frequent first, e.g. gensim's ``index_to_key``):

    1. the designed groups' words the corpus holds (animals, vehicles, foods), group mates side by
       side, so the first pairs followed are words that should grow close: when two or more are there;
    2. else its most frequent *content* words: not a function word (:data:`FUNCTION_WORDS`: "the",
       "to", "và") and, with four or more sentences, not on 80 % of the lines or more (a word on
       every line, like "loudly" in a typed "the dog barks loudly to …", has the same neighbours as
       everything else);
    3. else, when fewer than two words pass, the most frequent words.
    """
    present = set(by_frequency)
    grouped = [w for g in groups for w in g if w in present]
    if len(grouped) >= 2:
        return grouped[:MAX_LOOK_WORDS]
    lines = Counter(w for s in sentences for w in set(s))
    crowded = len(sentences) >= 4
    content = [
        w
        for w in by_frequency
        if w.lower() not in FUNCTION_WORDS and not (crowded and lines[w] >= EVERYWHERE * len(sentences))
    ]
    return (content if len(content) >= 2 else list(by_frequency))[:DEFAULT_LOOK]


def _default_look(trained: TrainedModel, sentences: Sequence[Sequence[str]]) -> list[str]:
    """:func:`watch_words` of this corpus (words with snapshots), the chosen preset's groups first."""
    preset = chosen_preset()
    words = [w for w in trained.model.wv.index_to_key if w in trained.snapshot_index]
    return watch_words(words, sentences, preset.groups if preset is not None else ())


def _choose(trained: TrainedModel, sentences: Sequence[Sequence[str]]) -> tuple[list[str], list[tuple[str, str]]]:
    """The words to look at and the pairs to follow (the learner's choice, kept valid)."""
    options = list(trained.run.snapshot_words)
    look = [w for w in st.session_state.get("w2v_look", []) if w in trained.snapshot_index][:MAX_LOOK_WORDS]
    st.session_state["w2v_look"] = look or _default_look(trained, sentences)
    look = st.multiselect(
        t("w2v.look_words"),
        options=options,
        key="w2v_look",
        max_selections=MAX_LOOK_WORDS,
        help=t("w2v.look_words_help", limit=MAX_LOOK_WORDS),
        persist_state=KEEP,
    )
    names = {pair_value(a, b): f"{a} · {b}" for a, b in combinations(look, 2)}
    pairs = [p for p in st.session_state.get("w2v_pairs", []) if p in names][:MAX_PAIRS]
    st.session_state["w2v_pairs"] = pairs or list(names)[:3]
    chosen = st.multiselect(
        t("w2v.pairs"),
        options=list(names),
        format_func=names.__getitem__,
        key="w2v_pairs",
        max_selections=MAX_PAIRS,
        help=t("w2v.pairs_help", limit=MAX_PAIRS),
        persist_state=KEEP,
    )
    return look, [(a, b) for a, b in (p.split(" ") for p in chosen)]


def _learning_charts(trained: TrainedModel, pairs: list[tuple[str, str]]) -> None:
    run = trained.run
    left, right = st.columns(2)
    with left:
        epochs = np.arange(1, run.epochs_done + 1)
        st.markdown(f"**{t('w2v.loss_title')}**")  # page text: it wraps whole in a half-width column
        traces, layout = charts.lines(
            epochs,
            run.losses[:, None],
            [t("w2v.loss")],
            title="",
            x_title=t("w2v.epoch"),
            y_title=t("w2v.loss"),
        )
        show_figure(traces, layout, key="w2v_loss_plot")
    with right:
        if not pairs:
            st.info(t("w2v.no_pairs"), icon="ℹ️")
            return
        idx = [(trained.snapshot_index[a], trained.snapshot_index[b]) for a, b in pairs]
        st.markdown(f"**{t('w2v.pairs_title')}**")
        traces, layout = charts.lines(
            run.snapshot_epochs,
            pair_cosines(run.snapshots, idx),
            [f"{a} · {b}" for a, b in pairs],
            title="",
            x_title=t("w2v.epoch"),
            y_title=t("w2v.cosine"),
            y_range=(-1.05, 1.05),
        )
        show_figure(traces, layout, key="w2v_pairs_plot")


@st.fragment
def _epoch_view(trained: TrainedModel, look: list[str]) -> None:
    """The epoch slider and the embedding space at that epoch (a slider move reruns only this)."""
    run = trained.run
    options = [int(e) for e in run.snapshot_epochs]
    if st.session_state.get(_VIEW_OF) != id(run) or st.session_state.get("w2v_epoch_view") not in options:
        st.session_state["w2v_epoch_view"] = options[-1]  # a new model: show where training ended
        st.session_state[_VIEW_OF] = id(run)
    d = run.vectors.shape[1]
    c1, c2 = st.columns([5, 1], vertical_alignment="bottom")
    epoch = c1.select_slider(
        t("w2v.epoch"), options=options, key="w2v_epoch_view", help=t("w2v.epoch_help"), persist_state=KEEP
    )
    c2.toggle(
        t("w2v.three_d"),
        key="w2v_3d",
        disabled=d < 3,
        help=t("w2v.three_d_help") if d >= 3 else t("w2v.three_d_off", d=d),
        persist_state=KEEP,
    )
    k = 3 if st.session_state["w2v_3d"] and d >= 3 else 2
    proj = trained.projection[..., :k]
    lo, hi = proj.min(axis=(0, 1)), proj.max(axis=(0, 1))
    pad = 0.12 * np.maximum(hi - lo, 1e-6)
    ranges = [(float(lo[a] - pad[a]), float(hi[a] + pad[a])) for a in range(k)]
    words = run.snapshot_words
    chosen = set(look)
    traces, layout, hidden = charts.scatter(
        proj[options.index(epoch)],
        words,
        [w in chosen for w in words],
        ranges,
        title=t("w2v.space_plot_title", epoch=epoch, total=run.epochs_done),
        axes=[t("w2v.pc", n=i + 1) for i in range(k)],
    )
    show_figure(traces, layout, key="w2v_space_plot")
    notes = [t("w2v.space_caption", d=d, k=k)]
    if hidden:
        notes.append(t("w2v.labels_hidden", n=hidden))
    if len(run.words) > len(words):
        notes.append(t("w2v.space_capped", shown=len(words), total=len(run.words)))
    st.caption(" ".join(notes))


def _heatmap(trained: TrainedModel, look: list[str]) -> None:
    if len(look) < 2:
        st.info(t("w2v.cosine_need_two"), icon="ℹ️")
        return
    st.caption(t("w2v.cosine_caption", n=len(look), words=", ".join(md_code(w, 20) for w in look)))
    rows = [trained.index[w] for w in look]
    traces, layout = charts.cosine_heatmap(
        cosine_similarity(trained.vectors[rows]), look, word=t("w2v.word"), value=t("w2v.cosine")
    )
    show_figure(traces, layout, key="w2v_cosine")
    figure_downloads("w2v_cosine", "attention-lab-cosine")


def _honesty(trained: TrainedModel) -> None:
    """Whether these neighbours mean anything, said plainly next to them."""
    c = trained.check
    agree = "–" if c.seed_agreement is None else fmt(c.seed_agreement, 2)
    if not c.learned:
        st.warning(t("w2v.nn_noise_start", change=pct(c.change)), icon="🎲")
    elif not c.stable:
        st.warning(t("w2v.nn_noise_seed", seed2=c.other_seed, agree=agree), icon="🎲")
    elif c.seed_agreement is not None:
        st.caption(t("w2v.nn_stable", seed2=c.other_seed, agree=agree))


def _neighbours(trained: TrainedModel, sentences: Sequence[Sequence[str]]) -> None:
    words = list(trained.words)
    valid_choice("w2v_nn_word", words, (_default_look(trained, sentences) or words)[0])
    c1, c2 = st.columns([2, 1])
    word = c1.selectbox(t("w2v.word"), options=words, key="w2v_nn_word", persist_state=KEEP)
    topn = c2.slider(
        t("w2v.nn_topn"), 1, MAX_NEIGHBOURS, key="w2v_nn_topn", help=t("w2v.nn_topn_help"), persist_state=KEEP
    )
    _honesty(trained)
    pairs = nearest_neighbours(trained.vectors, words, word, topn=topn)
    if not pairs:
        st.info(t("w2v.nn_none"), icon="ℹ️")
        return
    table = {t("w2v.word"): [w for w, _ in pairs], t("w2v.cosine"): [s for _, s in pairs]}
    other, snap = trained.other_vectors, list(trained.run.snapshot_words)
    if other is not None and word in trained.snapshot_index:
        alt = [w for w, _ in nearest_neighbours(other, snap, word, topn=len(pairs))]
        table[t("w2v.with_seed", seed=trained.check.other_seed)] = alt + [""] * (len(pairs) - len(alt))
    st.dataframe(
        pd.DataFrame(table, index=[str(i + 1) for i in range(len(pairs))]),
        column_config={t("w2v.cosine"): st.column_config.NumberColumn(format=f"%.{decimals()}f")},
        key="w2v_nn_table",
    )
    best, sim = pairs[0]
    st.caption(t("w2v.nn_line", word=md_code(word), best=md_code(best), sim=fmt(sim)))
    preset = chosen_preset()
    group = next((g for g in preset.groups if word in g), None) if preset is not None else None
    if group is not None and set(group) <= trained.index.keys():
        expected = [w for w in group if w != word]
        found = {w for w, _ in pairs[: len(expected)]} == set(expected)
        key = "w2v.nn_expected_yes" if found else "w2v.nn_expected_no"
        st.caption(t(key, word=md_code(word), expected=", ".join(md_code(w) for w in expected)))


#: True while the nearest-word question is open: the attention below waits too (one question at a time).
NEAREST_OPEN = "_w2v_nearest_open"


def _nearest_question(trained: TrainedModel, look: Sequence[str]) -> predict.Outcome:
    """ "Which of the words to watch will end up nearest to this one?" (the word of the neighbours
    table, else the first word to watch), asked before the trained result is shown."""
    words = list(trained.words)
    index = {w: i for i, w in enumerate(words)}
    target = st.session_state.get("w2v_nn_word")
    if target not in index:
        target = next((w for w in look if w in index), words[0] if words else None)
    if target is None:
        return predict.Outcome()
    candidates = [index[w] for w in look if w in index and w != target]
    source = predict.NearestSource(
        vectors=np.asarray(trained.vectors, dtype=float),
        row=index[target],
        candidates=candidates,
        labels=predict.Labels(words, words),
    )
    return predict.step("word2vec_nearest", source, key="w2v_predict_nn")


@st.fragment
def space_section(trained: TrainedModel, sentences: Sequence[Sequence[str]] = ()) -> None:
    """Watch it learn, then look at the result: chosen words, per-epoch charts, the epoch slider
    and the space, the cosine heatmap, the nearest neighbours. ``sentences``: the corpus it learned
    from (the default words to watch avoid words found on most lines)."""
    with present.stage(1):  # presentation mode: watching it learn, then its result, one stage each
        st.header(t("w2v.space_title"))
        st.caption(t("w2v.space_intro"))
        look, pairs = _choose(trained, sentences)
        covered = _nearest_question(trained, look).covered
        st.session_state[NEAREST_OPEN] = covered
        if covered:
            sync(SPEC)
            return  # "Predict first": which word ends up nearest? The charts and the result wait
        _learning_charts(trained, pairs)
    # three looks at the result, one click apart (the tabs switch in the browser, no rerun)
    with present.stage(2):
        space, cosine, neighbours = st.tabs([t("w2v.tab_space"), t("w2v.cosine_title"), t("w2v.nn_title")])
        with space:
            _epoch_view(trained, look)
        with cosine:
            _heatmap(trained, look)
        with neighbours:
            _neighbours(trained, sentences)
    sync(SPEC)  # the controls above rerun only this fragment: the URL follows them here
