"""Compare A/B on every lesson: pin a setting as A, change anything, see what the change did.

"Pin as A" sits in the share row under the lesson's title (no height added to a lesson; under the live
view in presentation mode). The comparison is drawn by the kit under every lesson's live view
(:func:`ui.lesson.live_view`, in the lesson's live fragment, so it follows the Temperature slider like
the heatmap does). Pinned: a container with key ``compare`` holding A's weights and B's (the live setting)
side by side (each query's A row right above its B row when they have the same keys), the difference B − A on a diverging scale centred at 0, one sentence naming the
largest change, and the buttons to swap A and B or to unpin.

A's and B's weights are computed the same way, by the lesson's export recipe
(:func:`ui.export.lesson_tables`: the numbers its notebook, JSON file and CSV tables carry), so the
two sides can never disagree on what "the weights" are; :func:`attention_core.compare_weights`
aligns them (position by position when a side has the same length, otherwise by the words both
have). While a prediction is open, nothing is drawn: the comparison would give the answer away.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import streamlit as st

from attention_core import WeightsComparison, compare_weights

from . import present
from .export.files import cached_trainer, lesson_tables
from .figures import DIVERGING, heatmap
from .format import fmt, md_code
from .i18n import current_language, t
from .nav import PageSpec
from .share import pin as pins
from .share.pin import pin_text
from .share.state import apply, edited_tables, held

#: Weights of a side: (values (n, m), row labels, column labels), or None when its inputs give none.
Weights = tuple[np.ndarray, list[str], list[str]] | None
_CACHE = "_compare_weights"  # (lesson, link, language) -> Weights: the last few computed (A's stays)
_CACHE_SIZE = 4
_RERUN = "_compare_rerun"  # a swap rewrote the inputs, or an unpin: the whole page reruns to draw them


def weights_of(spec: PageSpec, state: Mapping[str, Any], lang: str) -> Weights:
    """The weights the lesson shows for ``state``: its recipe's ``weights`` table (None while bad).
    Cached by the experiment's link, so a rerun that changed nothing computes nothing."""
    key = (spec.name, pin_text(spec, state), lang)
    cache: dict[tuple[str, str, str], Weights] = st.session_state.setdefault(_CACHE, {})
    if key not in cache:
        # the Word2Vec lab's model comes from the page's training cache: never trained twice
        tables = lesson_tables(spec, state, lang, edited_tables(spec, state), train_word2vec=cached_trainer)
        found = [(np.atleast_2d(v), list(r), list(c)) for name, v, r, c in tables if name == "weights"]
        cache[key] = found[0] if found else None
        while len(cache) > _CACHE_SIZE:
            cache.pop(next(iter(cache)))
    return cache[key]


def _pin(spec: PageSpec) -> None:
    pins.pin(spec, held(spec))


def _unpin(spec: PageSpec) -> None:
    pins.unpin(spec)
    st.session_state[_RERUN] = True  # "Pin as A" comes back in the share row, outside the live fragment


def pin_button(spec: PageSpec) -> None:
    """ "Pin as A" (key ``{prefix}_pin``), while nothing is pinned: in the share row under the title
    (:func:`ui.lesson.share_bar`), where it costs the lesson no height; in presentation mode, which
    has no share row, under the live view (:func:`panel`)."""
    if pins.pinned(spec) is not None:
        return
    st.button(
        t("compare.pin"),
        key=spec.key("pin"),
        icon=":material/push_pin:",
        on_click=_pin,
        args=(spec,),
        help=t("compare.pin_help"),
    )


def _swap(spec: PageSpec) -> None:
    """A becomes the live setting and the live setting becomes A (a callback: before any widget is drawn)."""
    a, b = pins.pinned(spec), held(spec)
    if a is None:
        return
    apply(spec, a)
    pins.pin(spec, b)
    st.session_state[_RERUN] = True


def _sentence(c: WeightsComparison) -> str:
    """What changed most, in one sentence (or that nothing did)."""
    cell = c.largest()
    if cell is None:
        return t("compare.nothing_shared")
    i, j = cell
    change = float(c.diff[i, j])
    if change == 0:
        return t("compare.same")
    return t(
        "compare.largest",
        row=md_code(c.rows[i]),
        col=md_code(c.cols[j]),
        a=fmt(c.a[i, j]),
        b=fmt(c.b[i, j]),
        change=("+" if change > 0 else "−") + fmt(abs(change)),
    )


def _shape_note(c: WeightsComparison) -> str | None:
    """When A and B differ in shape (or only in labels): what the difference covers."""
    size = "{} × {}".format
    if not c.same_shape:
        if c.empty:
            return t("compare.shapes_nothing", a=size(*c.a_shape), b=size(*c.b_shape))
        return t("compare.shapes", a=size(*c.a_shape), b=size(*c.b_shape), n=size(*c.diff.shape))
    return None


def _draw(spec: PageSpec, a: Weights, b: Weights) -> None:
    """A and B side by side, B − A under them, the largest change named."""
    axes = {"row_title": t("common.queries"), "col_title": t("common.keys"), "value_name": t("common.weight")}
    if a is None or b is None:
        st.info(t("compare.cannot"), icon="✏️")
        return
    c = compare_weights(a[0], a[1], a[2], b[0], b[1], b[2])
    st.markdown(_sentence(c))
    note = _shape_note(c)
    if note:
        st.caption(note)
    if a[2] == b[2]:  # the same keys: each query's A row right above its B row, in one map
        z = np.empty((a[0].shape[0] + b[0].shape[0], a[0].shape[1]))
        rows = []
        for i in range(max(a[0].shape[0], b[0].shape[0])):
            for side, (m, labels, _) in (("A", a), ("B", b)):
                if i < m.shape[0]:
                    z[len(rows)] = m[i]
                    rows.append(f"{side} · {labels[i]}")
        heatmap(z, rows, b[2], key=spec.key("compare_ab"), title=t("compare.ab_title"), zmin=0, zmax=1, **axes)
    else:  # different keys: one map each, one above the other (each as wide as the step)
        heatmap(a[0], a[1], a[2], key=spec.key("compare_a"), title=t("compare.a_title"), zmin=0, zmax=1, **axes)
        heatmap(b[0], b[1], b[2], key=spec.key("compare_b"), title=t("compare.b_title"), zmin=0, zmax=1, **axes)
    if c.empty:
        return
    finite = np.abs(c.diff[np.isfinite(c.diff)])
    reach = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    heatmap(
        c.diff,
        c.rows,
        c.cols,
        key=spec.key("compare_diff"),
        title=t("compare.diff_title"),
        row_title=axes["row_title"],
        col_title=axes["col_title"],
        value_name=t("compare.change"),
        zmin=-reach,
        zmax=reach,
        colorscale=DIVERGING,
        signed=True,
    )
    st.caption(t("compare.diff_caption"))


def panel(spec: PageSpec, state: Mapping[str, Any], *, covered: bool) -> None:
    """Under the live view: the comparison of the pinned A with ``state`` (B, the live setting), or,
    in presentation mode, "Pin as A".

    ``covered``: a prediction is open (nothing is drawn but a line saying the comparison waits).
    """
    if st.session_state.pop(_RERUN, False):
        st.rerun()  # the swap rewrote inputs, or the pin button returns, outside this fragment
    pins.write_link(spec)
    a = pins.pinned(spec)
    if a is None:
        if present.is_on():
            pin_button(spec)
        return
    if covered:
        st.caption(t("compare.waits"))
        return
    lang = current_language()
    with st.container(border=True, key="compare"):
        st.markdown(f"**{t('compare.title')}**")
        _draw(spec, weights_of(spec, a, lang), weights_of(spec, state, lang))
        with st.container(horizontal=True, gap="small"):
            st.button(
                t("compare.swap"),
                key=spec.key("swap"),
                icon=":material/swap_horiz:",
                on_click=_swap,
                args=(spec,),
                help=t("compare.swap_help"),
            )
            st.button(
                t("compare.unpin"),
                key=spec.key("unpin"),
                icon=":material/close:",
                on_click=_unpin,
                args=(spec,),
                help=t("compare.unpin_help"),
            )
