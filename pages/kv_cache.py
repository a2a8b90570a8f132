"""The KV cache: a sentence generated one token at a time (``attention_core.kv_cache``).

The sentence's tokens come in order, each attending causally to itself and the tokens before it
(embeddings and W_q, W_k, W_v drawn from the seed, the seed-000 way). At step t: the new token's q,
k and v (the only projections computed), the cached K and V rows (reused, marked) and the new one,
the new query's weights in the live view, the output against the full causal recomputation (the
``kv-check`` container, present only while they are equal), and the work saved: multiply-adds with
the cache against recomputing, per step and in total, and the cache's memory. Next, previous, play
(a fragment that reruns on a timer while playing) and a step slider. The page reads its controls,
calls the engine and draws: no math of its own.

Not the kit's ``run_lesson`` shape: playing is a second fragment that reruns on a timer
(``run_every``), drawn instead of the still one while it plays.
"""

from __future__ import annotations

import streamlit as st

from attention_core import build_vocab, cached_decode, cap, causal_mask, embed, random_tables, self_attention, tokenize
from attention_core.errors import AttentionLabError
from attention_core.limits import KV_MAX_DIM, KV_MAX_TOKENS, SEED_LIMIT
from lessons.kv_cache import (  # the lesson's steps
    SPEC,
    cache_step,
    conclusion,
    new_token_step,
    output_step,
    work_step,
)
from ui.format import unique_labels
from ui.i18n import error_text, show_error, t
from ui.lesson import (
    bound,
    finish,
    opening,
    predict_panel,
    reset,
    start,
    workbench,
)
from ui.live_attention import current_temperature
from ui.values import BadValue, check_text

KEEP = "session"  # widget values survive a visit to another page
PLAYING = "kv_playing"  # plain session key (no widget owns it): "Play" is on
PLAY_EVERY = 1.5  # seconds between two tokens while playing


# --------------------------------------------------------------------------- the step buttons
def _step() -> int:
    return int(st.session_state.get(SPEC.key("step"), 1))


def _move(by: int, n: int) -> None:
    st.session_state[SPEC.key("step")] = min(max(_step() + by, 1), n)
    st.session_state[PLAYING] = False


def _play(n: int) -> None:
    if _step() >= n:  # played to the end: start again
        st.session_state[SPEC.key("step")] = 1
    st.session_state[PLAYING] = True


def _pause() -> None:
    st.session_state[PLAYING] = False


def _reset() -> None:
    reset(SPEC)
    st.session_state[PLAYING] = False


# --------------------------------------------------------------------------- controls
def controls() -> tuple[list[str], int, int] | None:
    """Sentence, seed and size; the tokens to generate (None, with a message, while the sentence is bad)."""
    st.header(t("kv.inputs_title"))
    st.caption(t("kv.inputs_caption"))
    box = st.container()
    sentence = box.text_input(
        t("kv.sentence"), **bound(SPEC, "sentence"), help=t("kv.sentence_help", limit=KV_MAX_TOKENS), persist_state=KEEP
    )
    c_seed, c_dim = st.columns(2)
    limit = SEED_LIMIT - 1
    seed = c_seed.number_input(
        t("kv.seed"), 0, limit, step=1, **bound(SPEC, "seed"), help=t("kv.seed_help", limit=limit), persist_state=KEEP
    )
    dim = c_dim.number_input(
        t("kv.dim"),
        1,
        KV_MAX_DIM,
        step=1,
        **bound(SPEC, "dim"),
        help=t("kv.dim_help", limit=KV_MAX_DIM),
        persist_state=KEEP,
    )
    try:  # the check every typed text passes (no control characters, no bidi overrides)
        check_text(sentence or "")
    except BadValue as exc:
        box.error(error_text(exc), icon="⚠️")
        return None
    all_tokens = tokenize(sentence or "")
    tokens, was_cut = cap(all_tokens, KV_MAX_TOKENS)
    if not tokens:
        box.error(t("error.empty_text"), icon="⚠️")
        return None
    if was_cut:
        box.warning(t("kv.capped", n=len(all_tokens), limit=KV_MAX_TOKENS), icon="✂️")
    return tokens, int(seed), int(dim)


def step_controls(n: int) -> int:
    """The step slider and the Previous / Next token / Play buttons; returns the step (1-based)."""
    key = SPEC.key("step")
    if _step() > n:  # a shorter sentence: its last token (before the slider is drawn)
        st.session_state[key] = n
    if n > 1:
        st.slider(t("kv.step"), 1, n, **bound(SPEC, "step"), help=t("kv.step_help"), persist_state=KEEP)
    else:
        st.session_state[key] = 1
        st.caption(t("kv.one_token"))
    step = _step()
    back, nxt = st.columns(2)
    play, again = st.columns(2)
    back.button(
        t("kv.previous"),
        key=SPEC.key("previous_token"),
        on_click=_move,
        args=(-1, n),
        disabled=step <= 1,
        icon=":material/skip_previous:",
        width="stretch",
    )
    nxt.button(
        t("kv.next"),
        key=SPEC.key("next_token"),
        on_click=_move,
        args=(1, n),
        disabled=step >= n,
        icon=":material/skip_next:",
        width="stretch",
        type="primary",
    )
    if st.session_state.get(PLAYING):
        play.button(t("kv.pause"), key=SPEC.key("pause"), on_click=_pause, icon=":material/pause:", width="stretch")
    else:
        play.button(
            t("kv.play"),
            key=SPEC.key("play"),
            on_click=_play,
            args=(n,),
            disabled=n <= 1,
            icon=":material/play_arrow:",
            width="stretch",
        )
    again.button(t("kv.reset"), key=SPEC.key("reset"), on_click=_reset, icon=":material/undo:", width="stretch")
    return step


# --------------------------------------------------------------------------- the steps


# --------------------------------------------------------------------------- the live part
def body(timer: bool) -> None:
    """The controls beside the steps. ``timer``: this run is the playing fragment's (it advances one token)."""
    playing = bool(st.session_state.get(PLAYING))
    if playing != timer:  # Play or Pause was pressed: the page draws the other fragment
        st.rerun()
    left, lesson = workbench()
    with left:
        got = controls()
    if got is None:
        st.session_state[PLAYING] = False
        return
    tokens, seed, dim = got
    n = len(tokens)
    if timer:  # one more token, or the end of the sentence
        if _step() < n:
            st.session_state[SPEC.key("step")] = _step() + 1
        else:
            st.session_state[PLAYING] = False
            st.rerun()
    with left:
        step = step_controls(n)
    temperature = current_temperature(SPEC.temperature_key)
    labels = unique_labels(tokens)
    with lesson:
        try:
            vocab = build_vocab(tokens)
            tables = random_tables(len(vocab), dim, seed)
            x = embed(tokens, vocab, tables.embeddings)
            ws = (tables.w_q, tables.w_k, tables.w_v)
            run = cached_decode(x, *ws, scale=True, temperature=temperature)
            full = self_attention(x, *ws, scale=True, temperature=temperature, mask=causal_mask(n)).attention.output
        except AttentionLabError as exc:
            show_error(exc)
            return
        s = run.steps[step - 1]
        new_token_step(s, labels[step - 1], dim)
        outcome = predict_panel(
            SPEC,
            stage=2,
            scores=s.attention.scores[None, :],
            weights=s.weights[None, :],
            rows=[labels[step - 1]],
            cols=labels[:step],
            d_k=dim,
            scale=True,
            temperature=temperature,
        )
        cache_step(s, labels, dim, outcome)
        output_step(s, full, labels, outcome)
        work_step(run, labels, step, dim)
        if not outcome.covered:
            conclusion(run, labels, step)


@st.fragment
def live() -> None:
    """One fragment: a control, a step button or the live view's temperature reruns only this."""
    body(False)


@st.fragment(run_every=PLAY_EVERY)
def playing() -> None:
    """The same, while playing: reruns every :data:`PLAY_EVERY` seconds, one token further each time."""
    body(True)


# --------------------------------------------------------------------------- the page


if __name__ == "__main__":  # drawn when Streamlit runs the page; `pages` only reads SPEC
    start(SPEC)
    opening(SPEC, t("kv.title"), t("kv.intro"))
    if st.session_state.get(PLAYING):
        playing()
    else:
        live()
    finish(SPEC)
