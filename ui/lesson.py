"""The lesson kit: what every lesson draws the same way.

A lesson page starts with :func:`start` (navigation, its widgets' defaults from the page registry in
:mod:`ui.nav`), reads its controls, calls :mod:`attention_core`, and draws each step with these:
step cards and result tables, the notebook badge, the scaling switch, the live view and the weights
table under it, the overflow check of hand-edited inputs, the contributions of a weighted sum.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from attention_core import AttentionResult, attention, contributions
from attention_core.errors import AttentionLabError
from attention_core.limits import MAX_MATRIX_SIZE
from attention_core.predict import Change, Setting
from attention_core.presets import LibraryPreset, ScaledDotProductPreset

from . import compare, predict, present, share_tools
from .classroom import panel as classroom
from .editors import qkv_editors, sized_matrix_editor
from .figures import contributions_chart
from .format import (
    column_widths,
    dim_labels,
    fmt,
    fmt_vec,
    fmt_weight,
    honest_decimals,
    label_width,
    matrix_frame,
    md_code,
    number_columns,
    ties,
    weight_decimals,
)
from .i18n import show_error, t
from .live_attention import TEMPERATURE, AttentionView, current_temperature, live_attention
from .nav import PageSpec, pages, require_app_navigation
from .share import pin as pins
from .share.state import bound, load_link, sync  # noqa: F401 - bound: for the pages
from .share_tools import import_pending, show_notice

V = TypeVar("V")  # what a lesson's controls read: the values its live part computes with
#: Query, keys and values as the Q/K/V lessons' editors hold them (None while a cell is bad).
QkvInputs = tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]

#: The widest a table of the steps may be: the steps column inside a step card at 1400 px with the
#: sidebar open (538 px measured). A wider table is turned or split so that no column hides behind a
#: sideways scroll (:func:`show_matrix`).
TABLE_PX = 530
#: The same at 1280 × 720 in presentation mode, in the table's own pixels (tables are zoomed 1.35 ×).
PRESENT_TABLE_PX = 500
#: Tables with more columns than this are not split (a 128 × 128 matrix scrolls, as its heatmap does).
SPLIT_MAX_COLS = 16


def table_parts(
    rows: Sequence[str], cols: Sequence[str], widths: Sequence[int], budget: int = TABLE_PX
) -> list[tuple[int, int]]:
    """The column ranges ``[(start, stop), …]`` of a table whose row labels and columns (``widths``,
    px) fit ``budget`` each: one range when it fits whole (or has more than :data:`SPLIT_MAX_COLS`
    columns), else as many columns per part as fit (at least one)."""
    room = budget - label_width(rows)
    if sum(widths) <= room or len(cols) > SPLIT_MAX_COLS:
        return [(0, len(cols))]
    parts, start, used = [], 0, 0
    for j, w in enumerate(widths):
        if j > start and used + w > room:
            parts.append((start, j))
            start, used = j, 0
        used += w
    parts.append((start, len(cols)))
    # as many parts, as even as they fit (9 columns: 3 + 3 + 3, not 4 + 4 + 1)
    per = -(-len(cols) // len(parts))
    even = [(s, min(s + per, len(cols))) for s in range(0, len(cols), per)]
    if len(even) == len(parts) and all(sum(widths[s:e]) <= room for s, e in even):
        return even
    return parts


def _table_height(parts: Sequence[tuple[int, int]], rows: int) -> int:
    """About how tall a table of ``rows`` rows is, in ``parts`` (a header row each, a caption when split)."""
    return len(parts) * (35 * (rows + 1) + (30 if len(parts) > 1 else 0))


def show_matrix(
    arr: np.ndarray,
    rows: Sequence[str],
    cols: Sequence[str],
    *,
    key: str | None = None,
    height: int | str = "auto",
    weights: bool = False,
) -> None:
    """A read-only table of numbers with row and column labels, at the current decimals made honest
    (:func:`ui.format.honest_decimals`: no nonzero number reads as 0; with ``weights``, a row's weights
    that differ never look the same).

    Every column is as wide as its numbers and its whole name. A table wider than the steps column
    (:data:`TABLE_PX`) is split into parts of whole columns, each headed "Columns a–b of n" (a 10-word
    sentence's 10 × 10 scores), or shown turned (rows as columns) when that is shorter on the page
    (one request against three long book names), so no number and no name is cut or hidden behind a
    sideways scroll.

    ``key`` is the container around the table and its parts (``st-key-<key>`` in the page).

    Shapes: (n, d) or (d,) -> table n × d (the full-precision values stay in the table's data).
    """
    a = np.atleast_2d(np.asarray(arr, dtype=float))
    rows, cols = list(rows), list(cols)
    # weights: one row of weights per query (a column vector is one query's weights too)
    d = max(weight_decimals(line) for line in (a if a.shape[1] > 1 else a.T)) if weights else honest_decimals(a)
    widths = [w for w, _ in column_widths(cols, d, a, weights=weights)]
    budget = PRESENT_TABLE_PX if present.is_on() else TABLE_PX
    parts = table_parts(rows, cols, widths, budget)
    if len(parts) > 1:  # turned, when that is shorter on the page (a few rows of long names, at best)
        turned = table_parts(cols, rows, [w for w, _ in column_widths(rows, d, a.T, weights=weights)], budget)
        if _table_height(turned, len(cols)) < _table_height(parts, len(rows)):
            a, rows, cols, parts = a.T, cols, rows, turned
    with st.container(key=key) if key else st.container():  # the key names the table, all its parts
        for start, stop in parts:
            if len(parts) > 1 and stop - start > 1:
                st.caption(t("common.columns_part", first=start + 1, last=stop, total=len(cols)))
            elif len(parts) > 1:
                st.caption(t("common.column_part", n=stop, total=len(cols)))
            part = cols[start:stop]
            st.dataframe(
                matrix_frame(a[:, start:stop], rows, part),
                column_config=number_columns(part, d, values=a[:, start:stop], weights=weights),
                height=height,
            )


def step_card(
    number: int | str, title: str, formula: str | None, explanation: str | None = None, *, stage: int | None = None
):
    """A bordered card: "Step n · title", the formula (LaTeX), then whatever the caller draws
    inside the returned container, with the one-sentence ``explanation`` (markdown; pass user
    text through :func:`md_code`) under it. A numbered card is stage n of presentation mode
    (``stage``: another stage, e.g. when the lesson shows something else first).

    Usage::

        with step_card(3, t("step.scores"), r"S = QK^\\top", t("step.scores_explain", ...)):
            show_matrix(...)
    """
    n = stage if stage is not None else number if isinstance(number, int) else None
    holder = st.container(key=present.stage_key(n)) if n is not None else st.container()
    if n is not None:
        present.note_stage(n)
    box = holder.container(border=True)
    box.markdown(f"**{t('common.step', n=number)} · {title}**")
    if formula:
        box.latex(formula)
    body = box.container()
    if explanation:
        box.caption(explanation)
    return body


#: Names written out in a list of tied keys; the rest are counted ("and 3 more").
LIST_NAMES = 6


def name_list(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C`` in the UI's language (at most :data:`LIST_NAMES`, then
    "and n more"). The names must already be safe for markdown (labels, or :func:`md_code` spans)."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    if len(names) > LIST_NAMES:
        return t("common.list_more", names=", ".join(names[:LIST_NAMES]), n=len(names) - LIST_NAMES)
    return t("common.list_and", names=", ".join(names[:-1]), last=names[-1])


def tied_names(values: Sequence[float] | np.ndarray, names: Sequence[str], best: float) -> str:
    """The names of every value equal to ``best``: one name, or the list of a tie, said to be one
    ("token 1, token 3 and token 5 (a tie)"). Ties: :func:`ui.format.ties`."""
    hit = [names[i] for i in ties(values, best)]
    return name_list(hit) if len(hit) == 1 else t("common.tied", names=name_list(hit))


# --------------------------------------------------------------------------- a lesson's frame
#: Every lesson's type: a token or a book's name in a code span reads at its sentence's size (Streamlit
#: draws inline code at 0.75 em: 10.5 px in a 14 px caption). Styles only, no user text.
_PAGE_CSS = (
    "<style>"
    "[data-testid='stCaptionContainer'] :not(pre) > code{font-size:1em}"
    "[data-testid='stMarkdownContainer'] :not(pre) > code{font-size:max(0.9em, 14px)}"
    # the class keeper (sessionStorage, no pixels) takes no place in the page's flow, so no gap
    ".st-key-class_keeper,.st-key-class_keeper_clear{display:none}"
    "</style>"
)


def start(spec: PageSpec) -> None:
    """A lesson's first line: run inside ``app.py``'s navigation, and put every widget's default
    (from the page registry) where the widgets, the reset buttons and the tests find it.

    Widgets are drawn with ``persist_state="session"``: their values survive a visit to another page.
    Then the experiment a link brings, or a file just imported, is put in place (:mod:`ui.share`),
    with one notice for what a link brought that was ignored.
    """
    require_app_navigation()
    st.html(_PAGE_CSS)
    classroom.enter()  # a class link (?class=...) or a tab's place in a class after a reload
    for key, value in spec.defaults.items():
        st.session_state.setdefault(key, value)
    load_link(spec)
    pins.load(spec)  # a pinned experiment A the link brings (Compare A/B)
    import_pending(spec)
    show_notice(spec)
    classroom.sidebar(spec)  # start or join a class; the teacher's dashboard
    classroom.bar(spec)  # a student's class bar, whose poll brings the teacher's changes (before any widget)


def share_bar(spec: PageSpec) -> None:
    """The row under a lesson's title: "Copy link", "Pin as A" (Compare A/B) and the export menu."""
    share_tools.share_bar(spec, extra=lambda: compare.pin_button(spec))


_OPENING = "_lesson_opening"  # presentation mode: (page, title, intro) that workbench() draws beside the inputs


def opening(spec: PageSpec, title: str, intro: str) -> None:
    """The lesson's opening, stage 0 of presentation mode: its title, the share bar (outside every
    fragment: an imported file is read at the start of a full run) and the intro (markdown).

    In presentation mode the question stands beside the inputs: :func:`workbench` draws the title
    and the intro at the top of the steps column (kept for a fragment's rerun), without the share bar.
    """
    if present.is_on():
        st.session_state[_OPENING] = (spec.name, title, intro)
        return
    with present.stage(0):
        st.title(title)
        share_bar(spec)
        st.markdown(intro)


#: The workbench's controls column stays in view while the steps beside it scroll (wide screens
#: only: on a phone the columns stack, controls first). Styles only, no user text.
_WORKBENCH_CSS = (
    "<style>@media (min-width: 900px) {"
    "[data-testid='stMainBlockContainer']{padding:2.5rem 2rem 2rem;max-width:none}"
    "[data-testid='stColumn']:has(> [data-testid='stVerticalBlock'] > .st-key-lesson_controls),"
    "[data-testid='stColumn']:has(.st-key-lesson_controls){"
    "position:sticky;top:3.75rem;align-self:flex-start;max-height:calc(100vh - 4.5rem);"
    "overflow-y:auto;overflow-x:hidden;padding-right:.25rem}"
    "[class*='st-key-stage_'] [data-testid='stVerticalBlock']{gap:.75rem}"
    "}</style>"
)


def workbench(ratio: tuple[float, float] = (2, 3)) -> tuple[DeltaGenerator, DeltaGenerator]:
    """The lesson's controls beside the steps they drive: returns ``(controls, steps)``.

    On a wide screen the controls column stays in view while the steps scroll past it, so whatever
    step a learner reads, the control they move is beside it; on a phone the columns stack, the
    controls first. In presentation mode the controls stay on screen at every stage.
    """
    st.html(_WORKBENCH_CSS)
    left, right = st.columns(list(ratio), gap="medium")
    opened = st.session_state.get(_OPENING)
    if present.is_on() and opened is not None:  # stage 0: the question beside the inputs
        with right, present.stage(0):
            st.title(opened[1])
            st.markdown(opened[2])
    return left.container(key="lesson_controls"), right


def run_lesson(spec: PageSpec, *, title: str, intro: str, controls: Callable[[], V], live: Callable[[V], None]) -> None:
    """The one shape of a lesson, after :func:`start`: its opening (title, share bar, intro), its
    ``controls`` drawn in the workbench's left column and read into values, its ``live`` part drawn
    beside them with those values (the page's ``@st.fragment``: a change of the live view's temperature
    reruns it alone), then the way to the next lesson (:func:`finish`).

    A page::

        SPEC = PageSpec(name="masks", order=70, ..., experiment=lesson_experiment(...))

        def inputs() -> Batch | None: ...          # read the widgets (values, or None while bad)

        @st.fragment
        def live(batch: Batch | None) -> None: ... # call the engine, draw the steps

        if __name__ == "__main__":  # Streamlit runs the page; `import pages` only reads SPEC
            start(SPEC)
            run_lesson(SPEC, title=t("masks.title"), intro=t("masks.intro"), controls=inputs, live=live)

    The lessons that are not this shape say why in their docstring (a live part that draws its own
    controls, a timer, nested fragments, the Word2Vec lab's sections, the home page).
    """
    opening(spec, title, intro)
    left, right = workbench()
    with left:
        values = controls()
    with right:
        live(values)
    finish(spec)


def finish(spec: PageSpec) -> None:
    """A lesson's last line: the way to the next lesson (the last one leads back to the start), and
    presentation mode's stage bar."""
    order = pages()
    i = next(k for k, p in enumerate(order) if p.name == spec.name)
    nxt = order[(i + 1) % len(order)]
    key = "lesson.next" if i + 1 < len(order) else "lesson.back_to_start"
    label = t(key, title=t(nxt.title_key))
    classroom.publish(spec)  # a teacher's position (lesson, stage, experiment) for the class
    if present.is_on():  # in the stage bar at the last stage: never a slide of its own
        present.controls(next_page=(nxt.path, label))
        return
    st.divider()
    st.page_link(nxt.path, label=label, icon=":material/arrow_forward:")
    present.controls()


def reset(spec: PageSpec, *names: str) -> None:
    """Put the lesson's widgets ``names`` (all of them when none is given) back to their defaults.

    Safe in an ``on_click``/``on_change`` callback (it runs before the widgets are drawn).
    """
    keys = [spec.key(n) for n in names] if names else list(spec.defaults)
    for key in keys:
        st.session_state[key] = spec.defaults[key]


def scale_toggle(spec: PageSpec, *, note: str = "") -> bool:
    """The "divide by √d_k" switch (key ``{prefix}_scale``); ``note`` is added to its help."""
    help_text = t("common.scale_help") + (f" {note}" if note else "")
    return bool(st.toggle(t("common.scale"), **bound(spec, "scale"), help=help_text, persist_state="session"))


def notebook_badge(matches: bool, *, details: Callable[[], None] | None = None) -> None:
    """ "Same numbers as the notebook ✓" or "you have changed the inputs", the same look on every
    lesson, then, when given, the notebook's printout and words folded in one "Compare with the
    notebook" expander (``details`` draws them). One container whatever it holds, so what follows
    keeps its place on the page (the live view keeps an open explanation across reruns)."""
    with st.container():
        if matches:
            st.success(t("common.matches_notebook"), icon="✅")
        else:
            st.info(t("common.differs_from_notebook"), icon="✏️")
        if details is not None:
            with st.expander(t("common.compare_notebook"), icon=":material/menu_book:"):
                details()


def live_view(spec: PageSpec, view: AttentionView) -> float:
    """The lesson's live attention view (key ``{prefix}_live``); returns the temperature to compute with.

    Every lesson draws it after its inputs, in its live fragment: here the URL catches up with the
    experiment (:func:`ui.share.sync`), after a full run or a fragment's, and "Pin as A" or the
    comparison of the pinned A with this live setting follows the view (:mod:`ui.compare`).
    """
    temperature = live_attention(spec.live_key, view, temperature_key=spec.temperature_key)
    state = sync(spec)
    classroom.publish(spec)  # a teacher's change reaches the class from here too (a fragment's rerun)
    compare.panel(spec, state, covered=view.covered)
    return temperature


def show_numbers(key: str | None = None) -> AbstractContextManager[object]:
    """An intermediate table one click away: "Show the numbers" (the step's sentence already gives
    them). A folded expander draws its tables only when opened; ``key`` lets a test open it."""
    return st.expander(t("common.show_numbers"), icon=":material/table:", key=key)


def weights_table(weights: np.ndarray, rows: Sequence[str], cols: Sequence[str], *, key: str | None = None) -> None:
    """The weights the live view draws, as a table one click away (for copying the exact numbers).

    Shapes: weights (n_q, n_k) with n_q row labels and n_k column labels.
    """
    with st.expander(t("live.weights_table")):
        show_matrix(weights, rows, cols, key=key, weights=True)


def inputs_fit(q: np.ndarray | None, k: np.ndarray | None, v: np.ndarray | None) -> bool:
    """False, with the engine's message next to the editors, when Q·Kᵀ or the weighted sum of the
    values would overflow (numbers near 1e308); True otherwise, or while a cell is still bad.

    Shapes: q (n_q, d_k), k (n_k, d_k), v (n_k, d_v) or None.
    """
    if q is None or k is None:
        return True
    try:
        attention(q, k, v if v is not None else np.zeros((k.shape[0], 1)), scale=False)
    except AttentionLabError as exc:
        show_error(exc)
        return False
    return True


@dataclass(frozen=True)
class OutputKeys:
    """The output card's words (:func:`output_card`): keys of the lesson's own catalog section,
    written out in the lesson's page, so that grep finds each key where it is used."""

    title: str  #: the card's title
    explain: str  #: its sentence, with {output}, {best} (a value's label), {value} and {percent}
    fix_values: str  #: instead of the card while a value cell is bad
    contrib_title: str  #: the chart's title
    share: str  #: the chart's value axis (a value's share wᵢ·vᵢ)
    dimension: str  #: the chart's dimension axis
    output_row: str  #: the table's last row (the output)
    table_caption: str  #: under the table


def output_card(
    number: int,
    spec: PageSpec,
    r: AttentionResult,
    values: np.ndarray | None,
    rows: Sequence[str],
    *,
    keys: OutputKeys,
    formula: str,
    label_name: str,
    code: str | None = None,
    covered: bool = False,
) -> None:
    """The output as the weighted sum of the values: a step card with each value's share wᵢ·vᵢ stacked
    per dimension (chart), and the same numbers with the output as the last row one click away (table).

    Words: ``keys`` (the lesson's, written out in its page); ``code`` is the notebook's line for this step.
    Shapes: r.weights (1, n_k) for one query; values (n_k, d_v) or None while a cell is bad.
    ``covered``: a prediction question is open: the card shows its formula and a notice only.
    """
    if covered:
        covered_card(number, t(keys.title), formula)
        return
    if values is None:
        with step_card(number, t(keys.title), formula):
            if code:
                st.code(code, language="python", wrap_lines=True)
            st.warning(t(keys.fix_values), icon="✏️")
        return
    parts = contributions(r.weights[0], values)
    top, percent = largest_share(parts)
    explain = t(
        keys.explain,
        output=fmt_vec(r.output),
        best=md_code(rows[top]),
        value=fmt_vec(values[top]),
        percent=fmt(percent, 1),
    )
    with step_card(number, t(keys.title), formula, explain):
        if code:
            st.code(code, language="python", wrap_lines=True)
        cols = dim_labels(parts.shape[1])
        contributions_chart(
            parts,
            rows,
            cols,
            key=spec.key("contributions"),
            title=t(keys.contrib_title),
            label_name=label_name,
            value_name=t(keys.share),
            total_name=t("common.output"),
            dim_name=t(keys.dimension),
        )
        with show_numbers():
            table = np.vstack([parts, r.output])
            show_matrix(table, [*rows, t(keys.output_row)], cols, key=spec.key("parts_table"))
            st.caption(t(keys.table_caption))


def weights_view(
    spec: PageSpec,
    r: AttentionResult,
    rows: Sequence[str],
    cols: Sequence[str],
    *,
    values: np.ndarray | None,
    scale: bool,
    row_title: str,
    col_title: str,
    focus_row: int = 0,
    table: bool = True,
    output_line: str | None = None,
    outcome: predict.Outcome | None = None,
) -> float:
    """The live view of ``r`` (its raw scores, Q and K; ``values`` may be None while a cell is bad),
    then the weights as a table one click away (``table``). Returns the temperature to compute with.
    ``output_line``: what the output is, when not "Output of {row}" (see :class:`AttentionView`).
    ``outcome``: the predict panel's (:func:`predict_panel`): covered weights draw no numbers, and a
    reveal opens the worked calculation of the cell it is about.
    """
    covered = bool(outcome and outcome.covered)
    view = AttentionView(
        scores=r.scores,
        values=values,
        q=r.q,
        k=r.k,
        d_k=r.d_k,
        scale=scale,
        mask=r.mask,
        rows=rows,
        cols=cols,
        row_title=row_title,
        col_title=col_title,
        focus_row=focus_row,
        output_line=output_line,
        covered=covered,
        explain_cell=explain_cell(spec, outcome),
    )
    temperature = live_view(spec, view)
    if table and not covered:
        weights_table(r.weights, rows, cols, key=spec.key("weights_table"))
    return temperature


# --------------------------------------------------------------------------- predict, then reveal
_EXPLAIN = "_predict_explain"  # lesson -> (row, key, n): the reveal asked for that cell's worked calculation


def predict_panel(
    spec: PageSpec,
    *,
    stage: int,
    scores: np.ndarray,
    weights: np.ndarray,
    rows: Sequence[str],
    cols: Sequence[str],
    d_k: int,
    scale: bool,
    temperature: float,
    causal: bool = False,
    mask: np.ndarray | None = None,
    focus_row: int = 0,
) -> predict.Outcome:
    """The question before the weights (stage ``stage`` of presentation mode): the class's, when a
    teacher posed one for this lesson, else the lesson's own with "Predict first" on. Returns whether
    the weights are covered, and the cell a reveal is about.

    Direction questions may move the controls this lesson has: the temperature (halved, or doubled
    at its lowest), the √d_k switch (``{prefix}_scale``) and the causal mask (``{prefix}_causal``).
    Shapes: scores, weights (n_q, n_k) or (n_k,) for one query; mask broadcastable to them.
    """
    fields = {f.name for f in (spec.experiment or ())}
    lower = TEMPERATURE.clean(temperature / 2)
    new_t = lower if lower < temperature else TEMPERATURE.clean(temperature * 2)
    changes: list[tuple[Change, str, object]] = []
    if new_t != temperature:
        changes.append((Change("temperature", new_t), spec.temperature_key, new_t))
    if "scale" in fields:
        changes.append((Change("scale", not scale), spec.key("scale"), not scale))
    if "causal" in fields and not causal:
        changes.append((Change("causal", True), spec.key("causal"), True))
    source = predict.Source(
        scores=np.atleast_2d(np.asarray(scores, dtype=float)),
        weights=np.atleast_2d(np.asarray(weights, dtype=float)),
        setting=Setting(d_k=int(d_k), scale=bool(scale), temperature=float(temperature), causal=bool(causal)),
        labels=predict.Labels(list(rows), list(cols)),
        focus_row=int(focus_row),
        mask=mask,
        changes=tuple(changes),
    )

    def explain(cell: tuple[int, int]) -> None:
        n = int(st.session_state.get(_EXPLAIN, {}).get(spec.name, (0, 0, 0))[2]) + 1
        st.session_state.setdefault(_EXPLAIN, {})[spec.name] = (cell[0], cell[1], n)

    with present.stage(stage, "predict"):
        outcome = classroom.class_step(spec, source)
        if outcome is None:
            outcome = predict.step(spec.name, source, key=spec.key("predict"), explain=explain)
    return outcome


def predict_for(
    spec: PageSpec,
    r: AttentionResult,
    rows: Sequence[str],
    cols: Sequence[str],
    *,
    stage: int,
    scale: bool,
    causal: bool = False,
    focus_row: int = 0,
) -> predict.Outcome:
    """:func:`predict_panel` for an attention result ``r`` (its raw scores, weights, d_k, temperature
    and mask)."""
    return predict_panel(
        spec,
        stage=stage,
        scores=r.scores,
        weights=r.weights,
        rows=rows,
        cols=cols,
        d_k=r.d_k,
        scale=scale,
        temperature=r.temperature,
        causal=causal,
        mask=r.mask,
        focus_row=focus_row,
    )


def explain_cell(spec: PageSpec, outcome: predict.Outcome | None) -> tuple[int, int, int] | None:
    """The cell whose worked calculation the reveal's button asked for (row, key, a counter that
    makes each click open it again), or None."""
    if outcome is None or outcome.covered:
        return None
    got = st.session_state.get(_EXPLAIN, {}).get(spec.name)
    return None if got is None else (int(got[0]), int(got[1]), int(got[2]))


def covered_card(number: int, title: str, formula: str | None, *, stage: int | None = None) -> None:
    """A step that would show what the open question asks about: its title and formula, and a
    notice instead of its numbers (no weight, output or narration reaches the page)."""
    with step_card(number, title, formula, **({} if stage is None else {"stage": stage})):
        predict.covered_notice()


# --------------------------------------------------------------------------- query / key / value lessons
def qkv_inputs(
    spec: PageSpec,
    preset: LibraryPreset | ScaledDotProductPreset,
    *,
    rows: tuple[list[str], list[str], list[str]],
    titles: tuple[str, str, str],
    row_headers: tuple[str, str, str],
    help: str,
) -> QkvInputs:
    """The query, keys and values as editable tables starting from ``preset``, with one reset button
    (it also puts the lesson's switches back); Q is None when the numbers would overflow (the
    message stands next to the tables). ``rows``: the labels of the query, the keys and the values.

    Shapes: -> q (n_q, d_k), k (n_k, d_k), v (n_k, d_v), each None while a cell is bad.
    """
    query_rows, key_rows, value_rows = rows
    q, k, v = qkv_editors(
        spec.prefix,
        np.array(preset.query),
        np.array(preset.keys),
        np.array(preset.values),
        query_rows=query_rows,
        key_rows=key_rows,
        value_rows=value_rows,
        titles=titles,
        row_headers=row_headers,
        help=help,
        on_reset=lambda: reset(spec),
        stacked=True,
    )
    return (q if inputs_fit(q, k, v) else None), k, v


@st.fragment
def qkv_live(
    spec: PageSpec,
    preset: LibraryPreset | ScaledDotProductPreset,
    q: np.ndarray | None,
    k: np.ndarray | None,
    v: np.ndarray | None,
    *,
    fix_inputs: str,
    steps: Callable[[AttentionResult, np.ndarray | None, bool], predict.Outcome | None],
    details: Callable[[AttentionResult, np.ndarray | None], None] | None = None,
    scale_stage: int = 1,
    badge_stage: int = 1,
) -> None:
    """A query/key/value lesson's live part, a fragment (a switch or the live view's temperature
    reruns only this): its scaling switch, the attention at the live view's temperature,
    the notebook badge, then ``steps(result, values, scale)`` draws the lesson's steps and returns its
    predict panel's outcome: while a question covers the weights, the badge's notebook details (which
    print them) wait too. While an input is bad it says so instead (V may be None: the weights are
    still drawn): ``fix_inputs``, the key of the lesson's sentence for it, written out in its page.

    In presentation mode the switch belongs to the stage it drives (``scale_stage``) and the badge to
    the conclusion (``badge_stage``).
    """
    with present.stage(scale_stage, "scale"):
        scale = scale_toggle(spec)
    if q is None or k is None:
        st.warning(t(fix_inputs), icon="✏️")
        return
    temperature = current_temperature(spec.temperature_key)
    try:
        r = attention(q, k, v if v is not None else np.zeros((k.shape[0], 1)), scale=scale, temperature=temperature)
    except AttentionLabError as exc:
        show_error(exc)
        return
    badge = st.container()  # filled after the steps: their question may cover what the details print
    outcome = steps(r, v, scale)
    covered = bool(outcome and outcome.covered)
    badge_details = None if details is None or covered else (lambda: details(r, v))
    with badge, present.stage(badge_stage, "badge"):
        notebook_badge(preset.is_input(q, k, v, scale=scale, temperature=temperature), details=badge_details)


def largest_share(parts: np.ndarray) -> tuple[int, float]:
    """The key whose share moves the output most (sum of |wᵢ·vᵢ| over the dimensions) and its percent.

    Shapes: parts (n_k, d_v) -> (index, percent of the total).
    """
    size = np.abs(parts).sum(axis=1)
    top = int(np.argmax(size))
    total = float(size.sum())
    return top, (100 * float(size[top]) / total if total > 0 else 0.0)


# --------------------------------------------------------------------------- lessons on one matrix X
@dataclass(frozen=True)
class XKeys:
    """The words of a lesson on one matrix X (:func:`x_editor`, :func:`token_label`): keys of the
    lesson's own catalog section, written out in the lesson's page, so that grep finds each key
    where it is used."""

    token_n: str  #: a row's label, with {n} (1-based)
    x_name: str  #: the matrix's name
    n_tokens: str  #: the rows' size input
    n_features: str  #: the columns' size input
    n_tokens_help: str  #: its help, with {limit}
    n_features_help: str  #: its help, with {limit}
    x_help: str  #: the table's help
    reset_help: str  #: the reset button's help


def token_label(keys: XKeys, i: int) -> str:
    """``token 1`` … ``token n`` (0-based ``i``) in the lesson's words (``keys.token_n``)."""
    return t(keys.token_n, n=i + 1)


def x_editor(spec: PageSpec, default: np.ndarray, *, keys: XKeys, on_reset: Callable[[], None]) -> np.ndarray | None:
    """The lesson's input X as an editable table with "tokens" and "features" size inputs (up to the
    hand-edited limit) and a reset button (which then calls ``on_reset``). Widget keys ``{prefix}_x…``;
    words: ``keys`` (the lesson's, written out in its page).

    Shapes: default (n, d) -> the edited (n', d') array, or None while a cell is bad.
    """
    return sized_matrix_editor(
        spec.key("x"),
        default,
        row_label=lambda i: token_label(keys, i),
        name=t(keys.x_name),
        rows_label=t(keys.n_tokens),
        cols_label=t(keys.n_features),
        max_rows=MAX_MATRIX_SIZE,
        max_cols=MAX_MATRIX_SIZE,
        rows_help=t(keys.n_tokens_help, limit=MAX_MATRIX_SIZE),
        cols_help=t(keys.n_features_help, limit=MAX_MATRIX_SIZE),
        row_header=t("common.token"),
        help=t(keys.x_help),
        reset_help=t(keys.reset_help),
        on_reset=on_reset,
    )


def weighted_terms(weights: np.ndarray, labels: Sequence[str], shown: int = 4) -> str:
    """``0.1595·token 1 + 0.2756·token 2 + …``: the first ``shown`` terms of a weighted sum.

    Shapes: weights (n,) with n labels.
    """
    terms = " + ".join(
        f"{fmt_weight(w, weights)}·{label}" for w, label in zip(weights[:shown], labels[:shown], strict=True)
    )
    return terms + (" + …" if len(weights) > shown else "")
