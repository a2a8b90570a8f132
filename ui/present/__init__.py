"""Presentation mode: a teacher projects a lesson and shows it one step at a time.

One switch (``?present=true`` in the URL, so a link opens straight into it) hides the sidebar,
enlarges the type, the inputs, the tables and the figures, and shows one *stage* of the lesson at a
time, built for a 1280 × 720 projector: stage 0 is the question (title and intro) beside the inputs,
stage n step n (with the switches that drive it), and the last stage the conclusion with the way to
the next lesson. The inputs stay on screen at every stage. Next and previous buttons sit at the
bottom right, and the page keeps their height free under every stage.

Keys (``present_keys.js``, a tiny v2 component: no library, no network; it turns a key press into a
"go" trigger for Python): Page Up / Page Down always step, even on a slider or in a field (a presenter
remote sends them); ← and → step too, except in a field where they move the caret (a focused slider
gives them up); Escape leaves any control, so the next arrow steps.

A lesson marks what belongs to stage n with :func:`stage` (the kit's ``step_card`` does it for every
step); ``stage(n, part)`` adds another piece to stage n elsewhere on the page (a switch above its card).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from ui.i18n import t

PRESENT_KEY = "present"
#: The stage bar's "High contrast" switch (and ``?contrast=true``): the projector palette.
CONTRAST_KEY = "contrast"
STAGE_KEY = "present_stage"
_STAGES_KEY = "_present_stages"  # the stages the page drew in its last run: [(page, highest stage)]
#: How much larger text and figures are on a projector.
SCALE = 1.35

_KEYS = st.components.v2.component(
    "attention_lab.present_keys",
    js=(Path(__file__).resolve().parent / "present_keys.js").read_text(encoding="utf-8"),
    isolate_styles=True,
)


_FOLLOW_KEY = "_present_follow"  # a class follower's presentation mode, taken from the teacher


def is_on() -> bool:
    """True while presentation mode is on: its switch (or ``?present=true``), or, for a student who
    follows a live class, the teacher's (:func:`follow`)."""
    followed = st.session_state.get(_FOLLOW_KEY)
    if followed is not None:
        return bool(followed)
    return bool(st.session_state.get(PRESENT_KEY, False))


def follow(on: bool | None, stage: int = 0) -> None:
    """A class follower takes the teacher's presentation mode and stage (``on`` None: their own
    switch again). A plain session key, not the switch's: safe to set in any run."""
    if on is None:
        st.session_state.pop(_FOLLOW_KEY, None)
        return
    st.session_state[_FOLLOW_KEY] = bool(on)
    st.session_state[STAGE_KEY] = int(stage)


def high_contrast() -> bool:
    """True while presentation mode shows the projector palette (its "High contrast" switch): every
    heatmap from white to deep blue (the widest lightness range a washed-out projector keeps), text at
    full contrast, step cards outlined in the text colour."""
    if not is_on():
        return False
    if CONTRAST_KEY in st.session_state:
        return bool(st.session_state[CONTRAST_KEY])
    try:  # before the stage bar draws its switch in the first run of a ``?contrast=true`` link
        return st.query_params.get(CONTRAST_KEY) == "true"
    except Exception:  # noqa: BLE001 - no script run context
        return False


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


def stage_key(n: int, part: str = "") -> str:
    """The container key of stage ``n`` (``stage_3``), or of another ``part`` of it (``stage_3_opts``)."""
    return f"stage_{n}_{part}" if part else f"stage_{n}"


@contextmanager
def stage(n: int, part: str = "") -> Iterator[None]:
    """Mark what is drawn inside as stage ``n`` of the lesson (hidden in presentation mode unless current);
    ``part`` names another piece of the same stage (each container key is used once)."""
    note_stage(n)
    with st.container(key=stage_key(n, part)):
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


#: The stage bar's height (its buttons at the larger type, its padding, the gap under it): the page
#: keeps this much free under every stage, so the bar never covers a table row or an axis.
BAR_REM = 5.5


def _css(cur: int) -> str:
    """Presentation mode's styles for stage ``cur``: no sidebar; only the current stage (every part of it);
    text, captions, widget labels and values, buttons and tables at :data:`SCALE` (tables are drawn on a
    canvas: zoomed); room for the bar under the page and under the inputs' column."""
    k = f"{SCALE:.2f}"
    main = "[data-testid='stMain']"
    other = f"[class*='st-key-stage_']:not(.st-key-stage_{cur}):not([class*='st-key-stage_{cur}_'])"
    return (
        "<style>"
        "[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],"
        "[data-testid='stExpandSidebarButton']{display:none !important}"
        # another stage, and the empty wrapper Streamlit puts around it (its gap would stay)
        f"{other},[data-testid='stLayoutWrapper']:has(> {other}){{display:none !important}}"
        f"{main}{{font-size:{k}rem}}"
        f"{main} [data-testid='stMarkdownContainer'] p,{main} li,"
        f"{main} [data-testid='stCaptionContainer'],{main} [data-testid='stWidgetLabel'] p,"
        f"{main} button p,{main} input,{main} textarea,{main} [data-testid='stExpander'] summary p{{font-size:{k}rem}}"
        f"{main} [data-testid='stCaptionContainer'] p{{font-size:inherit}}"
        # tables are drawn on a canvas: zoomed, with the width they are given shrunk by as much, so that
        # they keep their column's width
        f"{main} [data-testid='stElementContainer']"
        ":has(> [data-testid='stFullScreenFrame'] > [data-testid='stDataFrame'])"
        f"{{zoom:{k};width:calc(100% / {k}) !important;max-width:calc(100% / {k}) !important}}"
        f"[data-testid='stMainBlockContainer']{{padding-top:1.25rem !important;padding-bottom:{BAR_REM}rem !important}}"
        "@media (min-width: 900px) {"
        "[data-testid='stColumn']:has(.st-key-lesson_controls){"
        f"top:1rem !important;max-height:calc(100vh - {BAR_REM + 1.25}rem) !important}}"
        "}"
        ".st-key-present_bar{position:fixed;bottom:1rem;right:1.5rem;z-index:1000;width:auto;"
        "background:var(--st-background-color, #fff);padding:.4rem .6rem;border-radius:.6rem;"
        "box-shadow:0 2px 10px rgba(0,0,0,.2)}"
        f".st-key-present_bar button p{{font-size:1rem}}"
        + (_CONTRAST_CSS if high_contrast() else "")
        + "</style>"
    )


#: The projector palette's styles: no faded text (captions, help, code at the text's own colour) and
#: step cards outlined in it (a projector washes out light greys). Styles only, no user text.
_CONTRAST_CSS = (
    "[data-testid='stMain'] [data-testid='stCaptionContainer'],"
    "[data-testid='stMain'] [data-testid='stCaptionContainer'] *{opacity:1 !important;color:var(--st-text-color, #000)}"
    # a step card: the bordered block right inside its stage's container (``ui.lesson.step_card``)
    "[class*='st-key-stage_'] > [data-testid='stLayoutWrapper'] > [data-testid='stVerticalBlock']{"
    "border:2px solid currentColor !important}"
)


def controls(next_page: tuple[str, str] | None = None) -> None:
    """In presentation mode: the page's styles, the stage bar (previous, "n / N", next, exit) and the
    keys. Call it once at the end of a lesson (the kit's ``finish`` does). ``next_page`` (path, label):
    the way to the next lesson, in the bar at the last stage (in place of "Next")."""
    last = last_stage()
    st.session_state[_STAGES_KEY] = 0  # counted afresh in the next run
    if not is_on():
        return
    st.session_state[_LAST_KEY] = last
    cur = current_stage()
    if cur > last:
        cur = st.session_state[STAGE_KEY] = last
    # Styles only (no user text): hide the sidebar and every stage but the current one, larger type.
    st.html(_css(cur))
    with st.container(key="present_bar", horizontal=True, vertical_alignment="center"):
        st.button(t("present.previous"), key="present_prev", on_click=_go, args=(-1,), disabled=cur == 0, icon="⬅️")
        st.markdown(f"**{t('present.stage', n=cur + 1, total=last + 1)}**")
        if next_page is not None and cur >= last:
            with st.container(key="present_next_lesson", width="content"):
                st.page_link(next_page[0], label=next_page[1], icon=":material/arrow_forward:")
        else:
            st.button(t("present.next"), key="present_next", on_click=_go, args=(1,), disabled=cur >= last, icon="➡️")
        st.toggle(t("present.contrast"), key=CONTRAST_KEY, help=t("present.contrast_help"), bind="query-params")
        st.button(
            t("present.exit"),
            key="present_exit",
            on_click=lambda: st.session_state.update({PRESENT_KEY: False, STAGE_KEY: 0}),
        )
    _KEYS(key="present_keys", data={"stage": cur}, on_go_change=_on_key)
