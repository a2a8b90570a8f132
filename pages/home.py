"""Home: Query, Key and Value with the Korean notebook's library analogy, and one live example.

Not the kit's ``run_lesson`` shape: no inputs to put beside steps; the analogy, one live example and the
lessons, a stage each in presentation mode.
"""

from __future__ import annotations

import streamlit as st

from attention_core import attention
from attention_core.errors import AttentionLabError
from attention_core.presets import LIBRARY
from ui import present
from ui.classroom.panel import join_box
from ui.classroom.session import role
from ui.export import recipes
from ui.format import fmt_vec
from ui.i18n import BOOK_KEYS, show_error, t
from ui.lesson import finish, predict_for, share_bar, start, weights_view
from ui.live_attention import current_temperature
from ui.nav import PageSpec, lesson_experiment, pages

SPEC = PageSpec(
    name="home",
    order=0,
    title_key="nav.home",
    icon="🏠",
    summary_key="nav.home_summary",
    prefix="home",
    recipe=recipes.home,
    experiment=lesson_experiment(),
)


def analogy() -> None:
    """The title, the share bar, and the library analogy: query, key and value side by side."""
    st.title(t("home.title"))
    if not present.is_on():
        share_bar(SPEC)
    st.write(t("home.intro"))

    st.header(t("home.analogy_title"))
    cols = st.columns(3)
    parts = (
        ("home.query_title", "home.query_text"),
        ("home.key_title", "home.key_text"),
        ("home.value_title", "home.value_text"),
    )
    for col, (title, text) in zip(cols, parts, strict=True):
        with col.container(border=True):
            st.subheader(t(title))
            st.write(t(text))


@st.fragment
def live_example() -> None:
    st.header(t("home.live_title"))
    st.caption(t("home.live_caption"))
    temperature = current_temperature(SPEC.temperature_key)
    try:
        r = attention(LIBRARY.query, LIBRARY.keys, LIBRARY.values, scale=LIBRARY.scale, temperature=temperature)
    except AttentionLabError as exc:
        show_error(exc)
        return
    st.markdown(f"**{t('books.request')}**")
    st.write(t("home.scores_line", scores=fmt_vec(r.scores)))
    rows, books = [t("library.request_row")], [t(BOOK_KEYS[b]) for b in LIBRARY.book_ids]
    axes = (t("library.request"), t("library.book"))
    outcome = predict_for(SPEC, r, rows, books, stage=1, scale=LIBRARY.scale)
    weights_view(
        SPEC,
        r,
        rows,
        books,
        values=r.v,
        scale=LIBRARY.scale,
        row_title=axes[0],
        col_title=axes[1],
        table=False,
        outcome=outcome,
    )


def lesson_list() -> None:
    """A student's way into a class, and every lesson with its summary, in teaching order."""
    if not present.is_on() and role() is None:  # a student who has a code joins here
        with st.expander(t("home.join_class"), icon=":material/groups:"):
            join_box("class_home", button_key="class-home-join")
    st.header(t("home.lessons_title"))
    lessons = pages()[1:]
    half = (len(lessons) + 1) // 2  # two columns, in order down the first then the second (one on a phone)
    for column, part in zip(st.columns(2, gap="large"), (lessons[:half], lessons[half:]), strict=True):
        with column:
            for page in part:
                st.page_link(page.path, label=t(page.title_key), icon=page.icon)
                st.caption(t(page.summary_key))


if __name__ == "__main__":  # drawn when Streamlit runs the page; `pages` only reads SPEC
    start(SPEC)
    # presentation mode: the analogy, the live example, the lessons (with the next one): a stage each
    with present.stage(0):
        analogy()
    with present.stage(1):
        live_example()
    with present.stage(2):
        lesson_list()
    finish(SPEC)
