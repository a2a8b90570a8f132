"""Predict, then reveal: a lesson asks before it shows (the widgets; the questions come from
:mod:`attention_core.predict`).

With the "Predict first" switch on (``?predict_first=true`` in a link), a lesson's live part covers the
weights, the output and their narration until the learner has answered a question generated from
the numbers on screen. The inputs stay visible and editable: changing them before answering asks
the question again about the new numbers. The reveal says whether the guess was right and why, in
one sentence computed from the numbers, and offers the clicked-cell worked calculation of that
cell. "Next question" covers the weights again with the next kind of question.

Session state, per lesson (``st.session_state[STATE_KEY][lesson]``): the round, the open question,
the signature of the numbers it was asked about, the learner's answer and the verdict. The running
score (:class:`attention_core.predict.Score`) is per session, never stored on the server beyond it;
it goes into the JSON export.

Hooks for tests: the question sits in a container with key ``predict``; top-key and nearest-word
choices are buttons named by their words, in key order; the reveal is a container with key
``reveal-correct`` or ``reveal-wrong``; the live view's root carries ``data-covered="true"`` while a
question is open.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import streamlit as st

from attention_core import predict as pr

from . import a11y
from .escape import plain_line, shorten
from .format import fmt, md_code
from .i18n import t

PREDICT_KEY = "predict_first"  # the switch (bound to ?predict_first=true; app-level, every lesson shares it)
STATE_KEY = "_predict"
SCORE_KEY = "_predict_score"
SCORE_BOX_KEY = "_predict_score_box"
CURRENT_KEY = "_predict_current"  # lesson -> (question dict, labels) on screen now (a teacher poses it)


@dataclass(frozen=True)
class Labels:
    """How the question names its query rows and key columns (the live view's labels)."""

    rows: Sequence[str]
    cols: Sequence[str]

    def row(self, i: int) -> str:
        return md_code(str(self.rows[i]))

    def col(self, j: int) -> str:
        return md_code(str(self.cols[j]))

    def to_dict(self) -> dict[str, list[str]]:
        return {"rows": [str(s) for s in self.rows], "cols": [str(s) for s in self.cols]}

    def plain(self) -> Labels:
        """The same labels as plain text (for a screen reader's announcement, not markdown)."""
        return PlainLabels(self.rows, self.cols)

    @classmethod
    def from_dict(cls, d: Any) -> Labels:
        return cls(rows=[str(s) for s in d.get("rows", [])], cols=[str(s) for s in d.get("cols", [])])


class PlainLabels(Labels):
    """Labels written as plain text on one line (an announcement is read, not rendered as markdown)."""

    def row(self, i: int) -> str:
        return plain_line(shorten(str(self.rows[i]), 40))

    def col(self, j: int) -> str:
        return plain_line(shorten(str(self.cols[j]), 40))


@dataclass(frozen=True)
class Source:
    """What a lesson's live part offers to ask about: the raw scores and the weights on screen
    (n_q, n_k), how one became the other (``setting``), the controls a direction question may move
    (``changes``: each with the session key it writes and the value), the query the lesson is about
    (``focus_row``) and the mask (bool, broadcastable to the weights) or None.
    """

    scores: np.ndarray
    weights: np.ndarray
    setting: pr.Setting
    labels: Labels
    focus_row: int = 0
    mask: np.ndarray | None = None
    changes: Sequence[tuple[pr.Change, str, Any]] = field(default_factory=tuple)

    def signature(self) -> str:
        h = hashlib.blake2b(digest_size=12)
        for a in (self.scores, self.weights):
            arr = np.ascontiguousarray(np.asarray(a, dtype="<f8"))
            h.update(str(arr.shape).encode())
            h.update(arr.tobytes())
        h.update("\x1f".join(map(str, [*self.labels.rows, "|", *self.labels.cols])).encode("utf-8", "replace"))
        return h.hexdigest()

    def ask(self, round_: int) -> pr.Question | None:
        return pr.ask(
            self.scores,
            self.weights,
            self.setting,
            round=round_,
            focus_row=self.focus_row,
            changes=[c for c, _, _ in self.changes],
            mask=self.mask,
        )


@dataclass(frozen=True)
class NearestSource:
    """The Word2Vec lab's question: which of ``candidates`` (word indices) ends up nearest to word
    ``row`` in the trained ``vectors`` (n_words, d). Labels name the words."""

    vectors: np.ndarray
    row: int
    candidates: Sequence[int]
    labels: Labels
    changes: Sequence[tuple[pr.Change, str, Any]] = ()

    def signature(self) -> str:
        h = hashlib.blake2b(digest_size=12)
        arr = np.ascontiguousarray(np.asarray(self.vectors, dtype="<f8"))
        h.update(str(arr.shape).encode())
        h.update(arr.tobytes())
        h.update(repr((self.row, list(self.candidates))).encode())
        h.update("\x1f".join(map(str, self.labels.cols)).encode("utf-8", "replace"))
        return h.hexdigest()

    def ask(self, round_: int) -> pr.Question | None:
        return pr.nearest_question(self.vectors, self.row, self.candidates)


# --------------------------------------------------------------------------- the switch and the score
def is_on() -> bool:
    return bool(st.session_state.get(PREDICT_KEY, False))


def switch() -> None:
    """The "Predict first" toggle in the sidebar (``app.py`` draws it on every page, beside the
    presentation switch), remembered in the URL: one setting for every lesson."""
    st.sidebar.toggle("🤔 " + t("predict.switch"), key=PREDICT_KEY, help=t("predict.switch_help"), bind="query-params")


def score() -> pr.Score:
    s = st.session_state.get(SCORE_KEY)
    return s if isinstance(s, pr.Score) else pr.Score()


def score_box() -> dict[str, Any]:
    """A dict in the session holding the score as plain numbers under ``"score"`` (None before the
    first answer): a download made on a click, outside the script, reads it there."""
    return st.session_state.setdefault(SCORE_BOX_KEY, {"score": None})


def _record(correct: bool) -> None:
    new = score().record(correct)
    st.session_state[SCORE_KEY] = new
    score_box()["score"] = new.to_dict()


def _state(lesson: str) -> dict[str, Any]:
    return st.session_state.setdefault(STATE_KEY, {}).setdefault(lesson, {"round": 0})


# --------------------------------------------------------------------------- texts
def question_text(q: pr.Question, labels: Labels) -> str:
    """The question in the UI's language (markdown; user labels in code spans)."""
    row = labels.row(q.row)
    if q.kind == "top_key":
        return t("predict.ask_top_key", row=row)
    if q.kind == "estimate":
        return t("predict.ask_estimate", row=row, col=labels.col(int(q.key or 0)))
    if q.kind == "nearest":
        return t("predict.ask_nearest", word=row)
    change = q.change
    assert change is not None
    if change.control == "temperature":
        which = "predict.if_cooler" if _lower(q) else "predict.if_warmer"
        cond = t(which, to=fmt(float(change.to), 2), frm=fmt(float(change.before or 0.0), 2))
    elif change.control == "scale":
        cond = t("predict.if_scale_off") if not change.to else t("predict.if_scale_on")
    else:
        cond = t("predict.if_causal_on") if change.to else t("predict.if_causal_off")
    return t("predict.ask_direction", condition=cond, row=row)


def _lower(q: pr.Question) -> bool:
    """Whether a temperature question lowers the temperature."""
    c = q.change
    return c is not None and c.before is not None and float(c.to) < float(c.before)


def answer_text(q: pr.Question, labels: Labels) -> str:
    """The true answer, in words."""
    if q.kind == "top_key":
        return t("predict.answer_top_key", row=labels.row(q.row), col=labels.col(int(q.answer_key or 0)),
                 weight=fmt(q.weights[int(q.answer_key or 0)]))
    if q.kind == "estimate":
        return t("predict.answer_estimate", row=labels.row(q.row), col=labels.col(int(q.key or 0)),
                 weight=fmt(float(q.answer_value or 0.0)))
    if q.kind == "nearest":
        return t("predict.answer_nearest", word=labels.row(q.row), answer=labels.col(int(q.answer_key or 0)))
    trend = t("predict.sharper") if q.answer_trend == pr.SHARPER else t("predict.flatter")
    return t("predict.answer_direction", trend=trend, col=labels.col(int(q.answer_key or 0)))


def reason_text(q: pr.Question, labels: Labels) -> str:
    """Why the answer is what it is: one sentence from the question's numbers."""
    if q.kind == "top_key":
        k = int(q.answer_key or 0)
        r = q.runner_up
        return t(
            "predict.reason_top_key",
            row=labels.row(q.row),
            col=labels.col(k),
            score=fmt(q.scores[k]),
            weight=fmt(q.weights[k]),
            runner=labels.col(int(r)) if r is not None else "—",
            runner_score=fmt(q.scores[int(r)]) if r is not None else "—",
            runner_weight=fmt(q.weights[int(r)]) if r is not None else "—",
        )
    if q.kind == "estimate":
        k = int(q.key or 0)
        n = len(q.weights)
        return t(
            "predict.reason_estimate",
            col=labels.col(k),
            score=fmt(q.scores[k]),
            weight=fmt(q.weights[k]),
            n=n,
            even=fmt(1.0 / n),
        )
    if q.kind == "nearest":
        k = int(q.answer_key or 0)
        pos = q.choices.index(k)
        r = q.runner_up
        return t(
            "predict.reason_nearest",
            word=labels.row(q.row),
            answer=labels.col(k),
            cos=fmt(q.scores[pos]),
            runner=labels.col(int(r)) if r is not None else "—",
            runner_cos=fmt(q.scores[q.choices.index(r)]) if r is not None else "—",
        )
    k = int(q.answer_key or 0)
    change = q.change
    assert change is not None
    why = {
        ("temperature", True): "predict.why_cooler",
        ("temperature", False): "predict.why_warmer",
        ("scale", False): "predict.why_scale_off",
        ("scale", True): "predict.why_scale_on",
        ("causal", True): "predict.why_causal_on",
        ("causal", False): "predict.why_causal_off",
    }[(change.control, _lower(q) if change.control == "temperature" else bool(change.to))]
    return t(
        why,
        row=labels.row(q.row),
        col=labels.col(k),
        before=fmt(q.weights[k]),
        after=fmt(q.after[k]),
        h0=fmt(float(q.entropy or 0.0), 3),
        h1=fmt(float(q.entropy_after or 0.0), 3),
    )


def choice_label(labels: Labels, j: int) -> str:
    """A choice button's label: the key's own word, as a code span (a button's label is markdown:
    user text must not become a link or an image)."""
    return md_code(str(labels.cols[j]))


# --------------------------------------------------------------------------- drawing
def draw_question(
    q: pr.Question,
    labels: Labels,
    *,
    on_answer: Callable[[Any], None],
    key: str,
    note: str | None = None,
    title: str | None = None,
) -> None:
    """The question in a container with key ``predict``: ``title`` ("Predict first" unless given), the
    question, the choices or the estimate slider, and ``note`` under it. ``on_answer(guess)`` runs
    as a callback (before the next run)."""
    with st.container(key="predict", border=True):
        st.markdown("🤔 **" + (title or t("predict.title")) + "** · " + question_text(q, labels))
        if q.kind in ("top_key", "nearest"):
            with st.container(horizontal=True, gap="small"):
                for j in q.choices:
                    st.button(choice_label(labels, j), key=f"{key}_choice_{j}", on_click=on_answer, args=(int(j),))
        elif q.kind == "estimate":
            st.slider(t("predict.your_estimate"), 0.0, 1.0, 0.5, 0.01, key=f"{key}_estimate", format="%.2f")
            st.button(
                t("predict.check"),
                key=f"{key}_check",
                type="primary",
                on_click=lambda: on_answer(float(st.session_state.get(f"{key}_estimate", 0.5))),
            )
        else:
            trend = st.segmented_control(
                t("predict.trend_label"),
                options=[pr.SHARPER, pr.FLATTER],
                format_func=lambda s: t("predict.sharper") if s == pr.SHARPER else t("predict.flatter"),
                key=f"{key}_trend",
            )
            grow = st.pills(
                t("predict.grow_label"),
                options=list(q.choices),
                format_func=lambda j: choice_label(labels, j),
                key=f"{key}_grow",
            )
            st.button(
                t("predict.check"),
                key=f"{key}_check",
                type="primary",
                disabled=trend is None or grow is None,
                on_click=lambda: on_answer(
                    (st.session_state.get(f"{key}_trend"), int(st.session_state.get(f"{key}_grow") or 0))
                ),
            )
        if note:
            st.caption(note)


def guess_text(q: pr.Question, labels: Labels, guess: Any) -> str:
    if q.kind in ("top_key", "nearest"):
        return labels.col(int(guess))
    if q.kind == "estimate":
        return fmt(float(guess), 2)
    trend, k = guess
    return (t("predict.sharper") if trend == pr.SHARPER else t("predict.flatter")) + ", " + labels.col(int(k))


def draw_reveal(
    q: pr.Question,
    labels: Labels,
    guess: Any,
    verdict: pr.Verdict | None,
    *,
    extra: Callable[[], None] | None = None,
    event: str | None = None,
) -> None:
    """The reveal, in a container with key ``reveal-correct`` or ``reveal-wrong`` (``reveal-answer``
    when there was no guess: a class member who did not answer): right or not, the answer, and the
    reason in one sentence; then ``extra`` (e.g. the "Next question" button).

    ``event`` names this reveal (the lesson and its round): the verdict and the answer are announced
    once through the page's polite live region (:func:`ui.a11y.announce`), so a screen reader user
    hears what the screen now shows."""
    correct = bool(verdict and verdict.correct)
    box = "reveal-answer" if verdict is None else ("reveal-correct" if correct else "reveal-wrong")
    if event is not None:
        said = {
            "reveal-answer": "a11y.reveal_answer",
            "reveal-correct": "a11y.reveal_right",
            "reveal-wrong": "a11y.reveal_wrong",
        }
        a11y.announce(t(said[box], answer=answer_text(q, labels.plain())), event=f"{event}:{box}")
    with st.container(key=box, border=True):
        # for checks and assistive tools: the verdict and the answer as data (numbers and ids only)
        answer = q.answer_key if q.answer_key is not None else q.answer_value
        st.html(
            f'<span class="predict-verdict" data-kind="{q.kind}" data-answer="{answer}" '
            f'data-correct="{"" if verdict is None else str(correct).lower()}"></span>'
        )
        if verdict is None:
            st.markdown("💡 " + answer_text(q, labels))
        elif correct:
            st.markdown("✅ **" + t("predict.right") + "** " + answer_text(q, labels))
        else:
            st.markdown(
                "❌ **" + t("predict.wrong") + "** "
                + t("predict.you_said", guess=guess_text(q, labels, guess)) + " " + answer_text(q, labels)
            )
        if verdict is not None and verdict.error is not None:
            st.markdown(t("predict.off_by", error=fmt(verdict.error, 2), tolerance=fmt(pr.TOLERANCE, 1)))
        st.markdown(reason_text(q, labels))
        if extra is not None:
            extra()


def draw_score() -> None:
    s = score()
    if s.answered:
        st.caption(t("predict.score", answered=s.answered, right=s.right, streak=s.streak))


# --------------------------------------------------------------------------- a lesson's round
@dataclass
class Outcome:
    """What the lesson draws after the predict panel: ``covered`` (hide the weights, the output and
    their narration), and the cell the reveal points at (query row, key) for the worked calculation."""

    covered: bool = False
    cell: tuple[int, int] | None = None


def step(
    lesson: str,
    source: Source | NearestSource | None,
    *,
    key: str,
    explain: Callable[[tuple[int, int]], None] | None = None,
) -> Outcome:
    """The lesson's predict panel (call it in the live part, before the live view): asks, takes the
    answer, reveals. Returns whether the weights are covered now. Does nothing while the switch is
    off (the question on screen is still kept for a teacher to pose: :data:`CURRENT_KEY`).
    ``explain(cell)``: the reveal's "how this weight is made" button (the live view's worked
    calculation of the cell the answer is about)."""
    state = _state(lesson)
    if source is None:
        return Outcome()
    sig = source.signature()
    answered = state.get("answer") is not None
    if not answered and (state.get("question") is None or state.get("sig") != sig):
        q = source.ask(int(state.get("round", 0)))
        state.update(question=None if q is None else q.to_dict(), labels=source.labels.to_dict(), sig=sig)
    q_dict = state.get("question")
    q = None if q_dict is None else pr.Question.from_dict(q_dict)
    if q is not None and not answered:
        st.session_state.setdefault(CURRENT_KEY, {})[lesson] = (q.to_dict(), source.labels.to_dict())
    if not is_on():
        return Outcome()
    labels = source.labels
    if not answered:
        if q is None:
            st.info(t("predict.nothing_fair"), icon="🤷")
            return Outcome()

        def on_answer(guess: Any) -> None:
            verdict = pr.grade(q, guess)
            _record(verdict.correct)
            state.update(answer={"guess": guess}, verdict=verdict, sig_after=None)
            if q.kind == "direction" and q.change is not None:
                for change, session_key, value in source.changes:
                    if change == q.change:
                        st.session_state[session_key] = value  # the reveal moves the control

        draw_question(q, labels, on_answer=on_answer, key=f"{key}_q{state.get('round', 0)}", note=t("predict.covered"))
        draw_score()
        return Outcome(covered=True)
    if state.get("sig_after") is None:
        state["sig_after"] = sig  # the numbers the reveal is about (after a direction question moved its control)
    saved = Labels.from_dict(state.get("labels") or {})

    def next_question() -> None:
        state.update(round=int(state.get("round", 0)) + 1, question=None, answer=None, verdict=None, sig_after=None)

    if q is None:
        next_question()
        return Outcome()
    if state.get("sig_after") != sig:
        with st.container(key="predict", border=True):
            st.caption(t("predict.changed_since"))
            st.button(t("predict.next"), key=f"{key}_next", on_click=next_question, icon=":material/help:")
        draw_score()
        return Outcome()
    guess = state["answer"]["guess"]
    if isinstance(guess, list):
        guess = tuple(guess)
    cell = None
    if q.kind in ("top_key", "direction") and q.answer_key is not None:
        cell = (q.row, int(q.answer_key))
    elif q.kind == "estimate" and q.key is not None:
        cell = (q.row, int(q.key))

    def buttons() -> None:
        with st.container(horizontal=True, gap="small"):
            st.button(t("predict.next"), key=f"{key}_next", on_click=next_question, icon=":material/help:")
            if explain is not None and cell is not None:
                label = t("predict.explain_cell", row=md_code(str(saved.rows[cell[0]])), col=md_code(str(saved.cols[cell[1]])))
                st.button(label, key=f"{key}_explain", on_click=explain, args=(cell,), icon=":material/calculate:")
        draw_score()

    draw_reveal(q, saved, guess, state.get("verdict"), extra=buttons, event=f"reveal:{lesson}:{state.get('round', 0)}")
    return Outcome(covered=False, cell=cell)


def current_question(lesson: str) -> tuple[pr.Question, Labels] | None:
    """The question the lesson would ask about the numbers on screen now (what a teacher poses)."""
    got = st.session_state.get(CURRENT_KEY, {}).get(lesson)
    if not got:
        return None
    return pr.Question.from_dict(got[0]), Labels.from_dict(got[1])


def covered_notice() -> None:
    """In place of a step that would show what the question asks about."""
    st.info(t("predict.covered_step"), icon="🙈")
