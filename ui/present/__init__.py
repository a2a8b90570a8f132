"""Presentation mode: a teacher projects a lesson and shows it one step at a time.

One switch (``?present=true`` in the URL, so a link opens straight into it) hides the sidebar,
enlarges the type and the figures, and shows one *stage* of the lesson at a time: stage 0 is the
lesson's opening (title, intro, inputs), stage n its step n. Next and previous buttons sit at the
bottom right; the arrow keys (and Page Up / Page Down) move too, unless the focus is in a field or
on a slider, which keeps its own arrow keys. A lesson marks its stages with :func:`stage` (the kit's
``step_card`` does it for every step).

The keys listen through a tiny v2 component (``present_keys.js`` beside this file): no library, no
network; it only turns a key press into a "go" trigger for Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from ui.i18n import t

PRESENT_KEY = "present"
STAGE_KEY = "present_stage"
_STAGES_KEY = "_present_stages"  # the stages the page drew in its last run: [(page, highest stage)]
#: How much larger text and figures are on a projector.
SCALE = 1.35

_KEYS = st.components.v2.component(
    "attention_lab.present_keys",
    js=(Path(__file__).resolve().parent / "present_keys.js").read_text(encoding="utf-8"),
    isolate_styles=True,
)


def is_on() -> bool:
    """True while presentation mode is on (its switch, or ``?present=true``)."""
    return bool(st.session_state.get(PRESENT_KEY, False))


def scale() -> float:
    """Text and figure size factor: :data:`SCALE` in presentation mode, else 1."""
    return SCALE if is_on() else 1.0


def current_stage() -> int:
    return int(st.session_state.get(STAGE_KEY, 0))


def switch() -> None:
    """The presentation switch (in the sidebar), remembered in the URL; it starts at stage 0."""
    st.sidebar.toggle(
        t("present.switch"),
        key=PRESENT_KEY,
        help=t("present.switch_help"),
        bind="query-params",
        on_change=lambda: st.session_state.update({STAGE_KEY: 0}),
    )


def note_stage(n: int) -> None:
    """A stage ``n`` was drawn in this run (the stage bar counts them)."""
    st.session_state[_STAGES_KEY] = max(int(st.session_state.get(_STAGES_KEY, 0)), n)


def last_stage() -> int:
    """The highest stage drawn so far in this run."""
    return int(st.session_state.get(_STAGES_KEY, 0))


@contextmanager
def stage(n: int) -> Iterator[None]:
    """Mark what is drawn inside as stage ``n`` of the lesson (hidden in presentation mode unless current)."""
    note_stage(n)
    with st.container(key=f"stage_{n}"):
        yield


_LAST_KEY = "_present_last"  # the highest stage of the page shown (from its last run)


def _go(step: int) -> None:
    last = int(st.session_state.get(_LAST_KEY, 0))
    st.session_state[STAGE_KEY] = min(max(current_stage() + step, 0), last)


def _on_key() -> None:
    state = st.session_state.get("present_keys")
    go = getattr(state, "go", None) if state is not None else None
    if go in (-1, 1):
        _go(int(go))


def controls() -> None:
    """In presentation mode: the page's styles, the stage bar (previous, "n / N", next, exit) and the
    keys. Call it once at the end of a lesson (the kit's ``finish`` does)."""
    last = last_stage()
    st.session_state[_STAGES_KEY] = 0  # counted afresh in the next run
    if not is_on():
        return
    st.session_state[_LAST_KEY] = last
    cur = current_stage()
    if cur > last:
        cur = st.session_state[STAGE_KEY] = last
    # Styles only (no user text): hide the sidebar and every stage but the current one, larger type.
    st.html(
        "<style>"
        "[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],"
        "[data-testid='stExpandSidebarButton']{display:none !important}"
        f"[class*='st-key-stage_']:not(.st-key-stage_{cur}){{display:none !important}}"
        f"[data-testid='stMain']{{font-size:{SCALE:.2f}rem}}"
        "[data-testid='stMain'] [data-testid='stMarkdownContainer'] p,"
        f"[data-testid='stMain'] li{{font-size:{SCALE:.2f}rem}}"
        ".st-key-present_bar{position:fixed;bottom:1rem;right:1.5rem;z-index:1000;width:auto;"
        "background:var(--st-background-color, #fff);padding:.4rem .6rem;border-radius:.6rem;"
        "box-shadow:0 2px 10px rgba(0,0,0,.2)}"
        "</style>"
    )
    with st.container(key="present_bar", horizontal=True, vertical_alignment="center"):
        st.button(t("present.previous"), key="present_prev", on_click=_go, args=(-1,), disabled=cur == 0, icon="⬅️")
        st.markdown(f"**{t('present.stage', n=cur + 1, total=last + 1)}**")
        st.button(t("present.next"), key="present_next", on_click=_go, args=(1,), disabled=cur >= last, icon="➡️")
        st.button(
            t("present.exit"),
            key="present_exit",
            on_click=lambda: st.session_state.update({PRESENT_KEY: False, STAGE_KEY: 0}),
        )
    _KEYS(key="present_keys", on_go_change=_on_key)
