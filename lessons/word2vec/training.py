"""Section 2 of the Word2Vec lab: the training parameters, training with a progress bar and a stop
button, and the verdict: did it learn? (with the numbers, and "train it so it learns")."""

from __future__ import annotations

import time
import uuid

import streamlit as st

from attention_core import Word2VecParams, downsampling
from attention_core.errors import AttentionLabError
from attention_core.limits import MAX_TRAINING_PASSES, SEED_LIMIT
from attention_core.presets import USER_DEFAULTS
from attention_core.word2vec import REAL_BOUNDS, WHOLE_BOUNDS
from attention_core.word2vec_training import LEARNED_MIN_CHANGE, STABLE_MIN_AGREEMENT
from ui import a11y
from ui.format import fmt, md_code
from ui.i18n import show_error, t
from ui.word2vec_cache import (
    Key,
    TrainedModel,
    cached_model,
    keep_stopped,
    stopped_model,
    train_cached,
    wait_for_training,
)

from .state import (
    FITTED_KEY,
    KEEP,
    OWNER_KEY,
    STOP_KEY,
    current_params,
    forget_stop,
    learning_epochs,
    make_it_learn,
    request_stop,
    reset_params,
)

#: The progress bar and the stop button appear once a training has run this long (a short one
#: never shows them), and the bar is redrawn at most this often.
SHOW_PROGRESS_AFTER_S = 0.3
PROGRESS_EVERY_S = 0.1


def pct(x: float) -> str:
    """A ratio as a percentage, as many decimals as a small one needs: 0.06, 2.5, 2714."""
    p = 100 * x
    return fmt(p, 2 if p < 1 else 1 if p < 10 else 0)


#: The parameters in reading (and tab) order, two to a row: they sit in the lab's controls column.
#: Each with its label's and its help's keys.
_PARAMS: dict[str, tuple[str, str]] = {
    "vector_size": ("w2v.param_vector_size", "w2v.param_vector_size_help"),
    "window": ("w2v.param_window", "w2v.param_window_help"),
    "min_count": ("w2v.param_min_count", "w2v.param_min_count_help"),
    "epochs": ("w2v.param_epochs", "w2v.param_epochs_help"),
    "negative": ("w2v.param_negative", "w2v.param_negative_help"),
    "sample": ("w2v.param_sample", "w2v.param_sample_help"),
    "alpha": ("w2v.param_alpha", "w2v.param_alpha_help"),
    "seed": ("w2v.param_seed", "w2v.param_seed_help"),
}
_ORDER = tuple(_PARAMS)
_REAL = {"sample": (0.0001, 4), "alpha": (0.005, 3)}  # step and digits of the two real parameters


def _controls() -> None:
    for i in range(0, len(_ORDER), 2):
        for name, col in zip(_ORDER[i : i + 2], st.columns(2), strict=True):
            label, help_key = _PARAMS[name]
            if name in _REAL:
                step, digits = _REAL[name]
                flo, fhi = REAL_BOUNDS[name]
                col.number_input(
                    t(label),
                    min_value=flo,
                    max_value=fhi,
                    step=step,
                    format=f"%.{digits}f",
                    key=f"w2v_{name}",
                    help=t(help_key, low=fmt(flo, digits), limit=fmt(fhi, digits)),
                    persist_state=KEEP,
                )
                continue
            lo, hi = WHOLE_BOUNDS[name]
            col.number_input(
                t(label),
                min_value=lo,
                max_value=hi,
                step=1,
                key=f"w2v_{name}",
                help=t(help_key, low=lo, limit=hi, passes=MAX_TRAINING_PASSES),
                persist_state=KEEP,
            )
    # one row that wraps where the button's whole label does not fit (columns would cut it off)
    row = st.container(horizontal=True, vertical_alignment="bottom")
    row.radio(
        t("w2v.param_sg"),
        options=[0, 1],
        format_func={0: t("w2v.sg_cbow"), 1: t("w2v.sg_skipgram")}.__getitem__,
        key="w2v_sg",
        horizontal=True,
        help=t("w2v.param_sg_help"),
        persist_state=KEEP,
    )
    row.button(t("w2v.reset_params"), key="w2v_reset_params", on_click=reset_params)
    st.caption(t("w2v.sample_line"))


def _owner() -> str:
    """This session's token: the stopped trainings it keeps are its own."""
    return str(st.session_state.setdefault(OWNER_KEY, uuid.uuid4().hex))


def _train_with_progress(key: Key) -> TrainedModel:
    """Train (cached), showing a progress bar and a stop button when it takes a while.

    A click anywhere (the stop button too) makes Streamlit start a new run of the page at once and
    stop this one at its next element call, here in ``on_epoch``: the training then stops between
    two epochs, what it learned is kept for this session (in the model store: a run being stopped
    can no longer write the session state; and before another run may train the same key, so the
    new run finds it), and the stop goes on as Streamlit meant it.
    """
    owner = _owner()
    box = st.empty()
    start = time.perf_counter()
    ui: dict[str, object] = {"bar": None, "last": 0.0, "interrupt": None}
    epochs, seed2 = key[1].epochs, (key[1].seed + 1) % SEED_LIMIT

    def on_epoch(done: int, total: int) -> bool | None:
        now = time.perf_counter()
        if ui["interrupt"] is not None:
            return False
        if now - start < SHOW_PROGRESS_AFTER_S or now - float(ui["last"]) < PROGRESS_EVERY_S:  # type: ignore[arg-type]
            return None
        try:
            text = (
                t("w2v.training_epoch", done=done, total=epochs)
                if done <= epochs
                else t("w2v.checking_epoch", seed=seed2, done=done - epochs, total=epochs)
            )
            if ui["bar"] is None:
                with box.container(horizontal=True, vertical_alignment="bottom"):
                    ui["bar"] = st.progress(0.0, text=text)
                    st.button(t("w2v.stop"), key="w2v_stop", on_click=request_stop, args=(key,), icon="⏹️")
            ui["bar"].progress(done / total, text=text)  # type: ignore[union-attr]
            ui["last"] = now
        except BaseException as exc:  # noqa: BLE001 - Streamlit stopping this run (a click): re-raised below
            ui["interrupt"] = exc
            return False
        return None

    def keep(partial: TrainedModel) -> None:
        keep_stopped(owner, *key, partial)

    trained = train_cached(*key, on_epoch=on_epoch, on_stopped=keep)
    if ui["interrupt"] is not None:
        raise ui["interrupt"]  # type: ignore[misc]
    box.empty()
    return trained


def _stopped_model(key: Key) -> TrainedModel | None:
    """The training of ``key`` this session stopped, once the run that trained it has let go of it."""
    if st.session_state.get(STOP_KEY) != key:
        return None
    wait_for_training(*key)  # the stopped run may still be finishing its epoch
    return stopped_model(_owner(), *key)


def _status(trained: TrainedModel) -> None:
    run = trained.run
    total = run.params.epochs
    if run.stopped or trained.other_vectors is None:
        if run.stopped:
            st.warning(t("w2v.stopped", done=run.epochs_done, total=total), icon="⏹️")
        else:
            st.warning(t("w2v.check_stopped", seed=(run.params.seed + 1) % SEED_LIMIT), icon="⏹️")
        st.button(t("w2v.train_all", total=total), key="w2v_train_all", on_click=forget_stop)
        return
    st.success(
        t(
            "w2v.trained",
            vocab=len(run.words),
            epochs=total,
            ms=fmt(run.seconds * 1000, 0),
            check_ms=fmt(max(0.0, trained.seconds - run.seconds) * 1000, 0),
            seed=trained.check.other_seed,
        ),
        icon="✅",
    )


def _diagnosis(trained: TrainedModel, sentences: list[list[str]]) -> None:
    """Did it learn? The verdict with its numbers; when not, why, and the button that fixes it."""
    check, params = trained.check, trained.run.params
    tokens = sum(map(len, sentences))
    learning = Word2VecParams(**{**USER_DEFAULTS, "seed": params.seed, "epochs": learning_epochs(tokens)})
    already = params == learning  # "train it so it learns" would change nothing
    if check.meaningful:
        if check.seed_agreement is None:  # the seed check was stopped, or cannot be measured
            st.caption(t("w2v.learned_unchecked", change=pct(check.change)))
        else:
            agree = fmt(check.seed_agreement, 2)
            st.caption(t("w2v.learned", change=pct(check.change), seed=check.other_seed, agree=agree))
        return
    lines = []
    if not check.learned:
        lines.append(t("w2v.learned_nothing", change=pct(check.change), threshold=pct(LEARNED_MIN_CHANGE)))
        ds = downsampling(sentences, params)
        if params.sample > 0:
            lines.append(
                "- "
                + t(
                    "w2v.why_sample",
                    sample=f"{params.sample:g}",
                    tokens=ds.tokens,
                    once=pct(ds.once),
                    top=md_code(ds.most_frequent),
                    count=ds.most_frequent_count,
                    top_keep=pct(ds.most_frequent_keep),
                    used=fmt(ds.used, 1),
                )
            )
        lines.append(
            "- "
            + t("w2v.why_updates", epochs=params.epochs, used=fmt(ds.used, 1), updates=round(ds.used * params.epochs))
        )
    else:
        lines.append(
            t(
                "w2v.seed_noise",
                change=pct(check.change),
                seed=params.seed,
                seed2=check.other_seed,
                agree=fmt(check.seed_agreement or 0.0, 2),
                threshold=fmt(STABLE_MIN_AGREEMENT, 1),
            )
        )
    st.warning("\n".join(lines), icon="⚠️")
    if already:
        st.caption(t("w2v.more_contexts"))
        return
    # the button on its own line, its whole label (a quarter column cut it to "Train it s…")
    st.button(t("w2v.make_it_learn"), key="w2v_make_it_learn", on_click=make_it_learn, args=(tokens,), type="primary")
    st.caption(
        t(
            "w2v.make_it_learn_caption",
            epochs=learning.epochs,
            vector_size=learning.vector_size,
            window=learning.window,
            alpha=fmt(learning.alpha, 2),
        )
    )


def train_section(sentences: list[list[str]]) -> TrainedModel | None:
    """Training parameters (defaults: the preset's), the cached training and whether it learned."""
    st.header(t("w2v.train_title"))
    st.caption(t("w2v.train_caption"))
    _controls()
    fitted = st.session_state.pop(FITTED_KEY, None)
    if fitted is not None:
        before, now, tokens = fitted
        st.info(t("w2v.epochs_fitted", before=before, now=now, tokens=tokens, passes=MAX_TRAINING_PASSES), icon="📏")
    if not sentences:
        st.info(t("w2v.need_text"), icon="✍️")
        return None
    params = current_params()
    key: Key = (tuple(map(tuple, sentences)), params)
    trained = cached_model(*key) or _stopped_model(key)
    if trained is None:
        try:
            trained = _train_with_progress(key)
        except AttentionLabError as exc:
            show_error(exc)
            return None
        if not trained.run.stopped:  # a training finished (a stopped one says so in its warning box)
            words = t("a11y.trained", vocab=len(trained.run.words), epochs=trained.run.params.epochs)
            a11y.announce(words, event=f"trained:{uuid.uuid4().hex}")
    _status(trained)
    _diagnosis(trained, sentences)
    return trained
