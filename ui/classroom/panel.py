"""A live class on screen: start or join, the teacher's dashboard, the students' class bar, the
class question and its reveal. The lesson kit calls these (:func:`enter`, :func:`sidebar`,
:func:`bar`, :func:`class_step`, :func:`publish`); the state is in the database
(:mod:`ui.classroom.store`) through :mod:`ui.classroom.session`.

Hooks for tests (Streamlit keys, rendered as the CSS class ``st-key-<key>``): buttons
``class-start``, ``class-bring`` ("Bring everyone here"), ``class-ask`` (pose the lesson's current
question to the class) and ``class-reveal``; a container ``class-code`` holding the code as text,
``class-join-link`` holding the whole join link as text, ``class-answers`` on the teacher's
dashboard (its text begins with the number of answers to the open question), and
``class-revealed`` on every student's screen after a reveal. The class question's choices sit in
the container ``predict``, as buttons named by their words (like a lesson's own questions).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import segno
import streamlit as st

from attention_core import predict as pr

from .. import present, predict
from ..escape import csv_label
from ..figures import axis, font
from ..format import fmt, md_code, plot_label
from ..i18n import current_language, t
from ..nav import lessons
from ..share.state import apply, link_params, parse_link
from . import session as cls
from . import store as cs

_KEEPER = st.components.v2.component(
    "attention_lab.class_keeper",
    js=(Path(__file__).resolve().parent / "keeper.js").read_text(encoding="utf-8"),
    isolate_styles=True,
)
_NOTICE = "_class_notice"  # a message for the class section (kind, text), shown once
_SEEN = "_class_seen"  # the class's rev this session reacted to last
_APPLIED = "_class_applied"  # (rev of the teacher's position) this follower has put in place
_ENTERED = "_class_entered"  # the ?class=... value already taken
_BRING = "_class_bring_pending"  # the teacher pressed "Bring everyone here": publish with bring
_PEEK = "class_peek"


# --------------------------------------------------------------------------- small helpers
def _store() -> cs.ClassStore:
    return cls.get_store()


def _notice(kind: str, text: str) -> None:
    st.session_state[_NOTICE] = (kind, text)


def _error_text(exc: cs.ClassError) -> str:
    if isinstance(exc, cs.NoClass):
        return t(
            {"ended": "class.error_ended", "expired": "class.error_expired"}.get(exc.reason, "class.error_unknown")
        )
    if isinstance(exc, cs.ClassFull):
        return t("class.error_full", limit=cs.MAX_STUDENTS)
    if isinstance(exc, cs.NotTeacher):
        return t("class.error_not_teacher")
    if isinstance(exc, cs.NotOpen):
        return t("class.error_not_open")
    return t("class.error_bad_input")


def _drop_params(*names: str) -> None:
    try:
        for name in names:
            if name in st.query_params:
                del st.query_params[name]
    except Exception:  # noqa: BLE001 - no script run context
        pass


def _lessons() -> Mapping[str, Any]:
    return lessons()


# --------------------------------------------------------------------------- entering a class
def enter() -> None:
    """Take a class link's parameters (``?class=CODE``, ``&teacher=KEY``, ``&view=projector``) once
    per value; the teacher key leaves the address bar at once. Then restore this tab's place in a
    class after a reload (the keeper component)."""
    try:
        code_param = st.query_params.get("class")
        teacher_param = st.query_params.get("teacher")
        view = st.query_params.get("view")
    except Exception:  # noqa: BLE001 - no script run context
        return
    _drop_params("teacher")
    if code_param is not None:
        entry = (code_param, teacher_param or "", view or "")
        if st.session_state.get(_ENTERED) != entry:
            st.session_state[_ENTERED] = entry
            _enter_with(code_param, teacher_param, view)
    _keeper()


def _enter_with(code_param: str, teacher_param: str | None, view: str | None) -> None:
    code = cs.clean_code(code_param)
    if code is None:
        _notice("error", t("class.error_not_code", code=md_code(str(code_param), 20)))
        _drop_params("class", "view")
        return
    r = cls.role()
    store = _store()
    try:
        if teacher_param:
            if store.is_teacher(code, teacher_param):
                cls.set_role(cls.Role(code=code, kind="teacher", key=teacher_param))
                _notice("success", t("class.teacher_back", code=code))
            else:
                store.state(code)  # a gone class says so; a live one with a wrong key:
                raise cs.NotTeacher()
        elif view == "projector":
            cls.open_projector(store, code)
        elif r is not None and r.code == code:
            return  # already in this class
        else:
            cls.join_class(store, code)
            _notice("success", t("class.joined", code=code))
            st.session_state["_class_restore_pending"] = True
    except cs.ClassError as exc:
        _notice("error", _error_text(exc))
        _drop_params("class", "view")


def _keeper() -> None:
    """Save this tab's place in the class, or ask the tab what it remembers (right after a join
    from a link: a reload must be the same student, not a new one)."""
    r = cls.role()
    data: dict[str, Any] = {}
    if r is not None:
        data["save"] = {"code": r.code, "kind": r.kind, "sid": r.sid, "key": r.key}
    if r is None or st.session_state.get("_class_restore_pending"):
        data["ask"] = True  # a reload (or a reconnect to another replica) of a tab that was in a class
    _KEEPER(key="class_keeper", data=data, default={"restore": None}, on_restore_change=_on_restore)


def _on_restore() -> None:
    """The tab remembered a place in a class: take it back (and drop the student a join link just
    made, when it is the same class)."""
    st.session_state.pop("_class_restore_pending", None)
    got = getattr(st.session_state.get("class_keeper"), "restore", None)
    r = cls.role()
    if not isinstance(got, Mapping) or not isinstance(got.get("code"), str):
        return
    if r is not None and got.get("code") != r.code:
        return  # this tab joined another class since: the new one wins
    store = _store()
    kind = got.get("kind")
    if r is None:
        code = cs.clean_code(got["code"])
        if code is None:
            return
        r = cls.Role(code=code, kind="none")
    try:
        if kind == "teacher" and isinstance(got.get("key"), str) and store.is_teacher(r.code, got["key"]):
            if r.student:
                store.leave(r.code, r.sid)
            cls.set_role(cls.Role(code=r.code, kind="teacher", key=got["key"]))
        elif kind == "student" and isinstance(got.get("sid"), str) and got["sid"] and got["sid"] != r.sid:
            if r.student:
                store.leave(r.code, r.sid)
            cls.join_class(store, r.code, sid=str(got["sid"])[:40])
        elif kind == "projector" and r.kind == "none":
            cls.open_projector(store, r.code)
        st.session_state.pop(_NOTICE, None)
    except cs.ClassError:
        pass


# --------------------------------------------------------------------------- the sidebar
def _start(spec_name: str) -> None:
    try:
        r = cls.start_class(_store(), lesson=spec_name, lang=current_language())
    except cs.ClassError as exc:
        _notice("error", _error_text(exc))
        return
    _notice("success", t("class.started", code=r.code))


def _join_typed(where: str) -> None:
    """Join with the code typed in the box ``{where}_code`` (nickname in ``{where}_nickname``); a bad
    code leaves its message under the box (``_{where}_error``) and the text as typed."""
    typed = str(st.session_state.get(f"{where}_code") or "")
    code = cs.clean_code(typed)
    if code is None:
        st.session_state[f"_{where}_error"] = t("class.error_not_code", code=md_code(typed, 20))
        return
    try:
        cls.join_class(_store(), code, nickname=str(st.session_state.get(f"{where}_nickname") or ""))
    except cs.ClassError as exc:
        st.session_state[f"_{where}_error"] = _error_text(exc)
        return
    st.session_state.pop(f"_{where}_error", None)
    _notice("success", t("class.joined", code=code))


def join_box(where: str, *, button_key: str) -> None:
    """A code box, an optional nickname and a "Join" button (keys ``{where}_code``,
    ``{where}_nickname``, ``button_key``); the message for a bad code stands under the box."""
    st.text_input(t("class.code"), key=f"{where}_code", max_chars=12, help=t("class.code_help"),
                  placeholder=t("class.code_placeholder"))
    err = st.session_state.pop(f"_{where}_error", None)
    if err:
        st.error(err, icon="⚠️")
    st.text_input(t("class.nickname"), key=f"{where}_nickname", max_chars=cs.MAX_NICKNAME,
                  help=t("class.nickname_help"))
    st.button(t("class.join_button"), key=button_key, on_click=_join_typed, args=(where,), type="primary",
              icon=":material/login:")


def _leave() -> None:
    r = cls.role()
    if r is not None and r.student:
        try:
            _store().leave(r.code, r.sid)
        except cs.ClassError:
            pass
    cls.set_role(None)
    present.follow(None)
    st.session_state["_class_clear"] = True


def _teacher_call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    r = cls.role()
    if r is None or not r.teacher:
        _notice("error", t("class.error_not_teacher"))
        return None
    try:
        out = fn(r.code, r.key, *args, **kwargs)
    except cs.ClassError as exc:
        _notice("error", _error_text(exc))
        return None
    cls.forget_revision(r.code)
    return out


def _ask(lesson: str, again: bool = False) -> None:
    if again:
        _teacher_call(_store().ask, lesson=lesson, payload={}, again=True)
        return
    current = predict.current_question(lesson)
    if current is None:
        _notice("warning", t("class.no_question"))
        return
    q, labels = current
    _teacher_call(_store().ask, lesson=lesson, payload={"question": q.to_dict(), "labels": labels.to_dict()})


def _reveal(lesson: str) -> None:
    r = cls.role()
    if r is None or not r.teacher:
        _notice("error", t("class.error_not_teacher"))
        return
    state = _store().state(r.code)
    posed = _store().question(state.question_id) if state.question_id is not None else None
    _teacher_call(_store().reveal)
    if posed is not None and posed.lesson == lesson:
        q = pr.Question.from_dict(posed.payload.get("question", {}))
        _move_control(lesson, q)  # a direction question's reveal moves the control for everyone


def _move_control(lesson: str, q: pr.Question) -> None:
    if q.kind != "direction" or q.change is None:
        return
    spec = _lessons().get(lesson)
    if spec is None:
        return
    key = {"temperature": spec.temperature_key, "scale": spec.key("scale"), "causal": spec.key("causal")}[q.change.control]
    st.session_state[key] = q.change.to


def _end() -> None:
    _teacher_call(_store().end)
    cls.set_role(None)
    present.follow(None)
    st.session_state["_class_clear"] = True
    _notice("info", t("class.ended_by_you"))


def _csv(code: str, key: str) -> bytes:
    rows = _store().export_rows(code, key)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    cols = ["question", "round", "first_round", "lesson", "kind", "student", "nickname", "answer", "seconds_after_asked"]
    w.writerow(cols)
    for r in rows:
        w.writerow([csv_label(r[c]) if isinstance(r[c], str) else r[c] for c in cols])
    return out.getvalue().encode("utf-8")


def _show_notice() -> None:
    got = st.session_state.pop(_NOTICE, None)
    if got:
        kind, text = got
        {"success": st.success, "error": st.error, "warning": st.warning}.get(kind, st.info)(text)


def sidebar(spec: Any) -> None:
    """The sidebar's class section: start or join; the teacher's dashboard; a student's status."""
    r = cls.role()
    with st.sidebar:
        st.divider()
        st.subheader("👩‍🏫 " + t("class.title"))
        _show_notice()
        if r is None:
            # no help= on the hook buttons: Streamlit draws a button with a tooltip twice (one hidden)
            st.button(t("class.start"), key="class-start", on_click=_start, args=(spec.name,), icon=":material/groups:")
            st.caption(t("class.start_help"))
            with st.popover(t("class.join"), icon=":material/login:"):
                join_box("class_join", button_key="class-join")
            return
        if r.teacher:
            _dashboard(spec, r)
        elif r.student:
            st.markdown(t("class.you_are_in", code=r.code))
            st.button(t("class.leave"), key="class-leave", on_click=_leave)
        else:
            st.markdown(t("class.projector_of", code=r.code))
            st.button(t("class.leave"), key="class-leave", on_click=_leave)


def _qr_svg(link: str, scale: int = 5) -> str:
    return segno.make(link, error="m").svg_inline(scale=scale, border=2, dark="#000", light="#fff")


def _dashboard(spec: Any, r: cls.Role) -> None:
    store = _store()
    try:
        state = store.state(r.code)
    except cs.ClassError as exc:
        st.error(_error_text(exc))
        st.button(t("class.forget"), key="class-forget", on_click=lambda: cls.set_role(None))
        return
    base = cls.base_url([p.name for p in _lessons().values()])
    link = cls.join_link(base, r.code)
    st.caption(t("class.code_label"))
    with st.container(key="class-code"):
        st.markdown(f"## {r.code}")
    st.caption(t("class.join_link_label"))
    with st.container(key="class-join-link"):
        st.markdown(md_code(link, 200))  # plain text at once (a code block draws a moment later)
    with st.expander(t("class.qr_and_links"), icon=":material/qr_code_2:"):
        st.image(_qr_svg(link), caption=t("class.qr_caption", code=r.code), width=200)
        st.markdown(t("class.projector_link"))
        st.code(cls.projector_link(base, r.code), language=None, wrap_lines=True)
        st.markdown(t("class.teacher_link"))
        st.code(cls.teacher_link(base, r), language=None, wrap_lines=True)
        st.caption(t("class.teacher_link_help"))
    st.caption(t("class.students", n=state.students))
    st.button(t("class.bring"), key="class-bring", on_click=lambda: st.session_state.update({_BRING: True}),
              icon=":material/my_location:")
    st.caption(t("class.bring_help"))
    st.toggle(t("class.follow"), value=state.follow, key="class_follow_toggle",
              on_change=lambda: _teacher_call(store.set_follow, bool(st.session_state.get("class_follow_toggle"))),
              help=t("class.follow_help"))
    _question_controls(spec, state)
    with st.expander(t("class.more"), icon=":material/more_horiz:"):
        st.toggle(t("class.show_names"), value=state.show_names, key="class_names_toggle",
                  on_change=lambda: _teacher_call(store.set_show_names, bool(st.session_state.get("class_names_toggle"))),
                  help=t("class.show_names_help"))
        st.download_button(t("class.export"), data=lambda: _csv(r.code, r.key), file_name=f"class-{r.code}.csv",
                           mime="text/csv", on_click="ignore", key="class-export", icon=":material/download:")
        st.button(t("class.end"), key="class-end", on_click=_end, type="secondary", icon=":material/stop_circle:",
                  help=t("class.end_help"))


def _question_controls(spec: Any, state: cs.ClassState) -> None:
    posed = _store().question(state.question_id) if state.question_id is not None else None
    st.button(t("class.ask"), key="class-ask", on_click=_ask, args=(spec.name,), icon=":material/quiz:")
    st.caption(t("class.ask_help"))
    if posed is None:
        return
    st.button(t("class.reveal"), key="class-reveal", on_click=_reveal, args=(spec.name,), type="primary",
              icon=":material/visibility:", disabled=state.revealed)
    if state.revealed:
        st.button(t("class.again"), key="class-again", on_click=_ask, args=(posed.lesson, True),
                  icon=":material/replay:", help=t("class.again_help"))
    st.button(t("class.close_question"), key="class-close",
              on_click=lambda: _teacher_call(_store().close_question), icon=":material/close:")
    _answers_live(state.question_id, state.students)


@st.fragment(run_every=cls.TEACHER_POLL_S)
def _answers_live(question_id: int, n_students: int) -> None:
    """The open question's answer count (live) and, on demand, how the answers are spread."""
    store = _store()
    posed = store.question(question_id)
    if posed is None:
        return
    n = store.answer_count(question_id)
    with st.container(key="class-answers"):
        st.markdown(t("class.answers", n=n, students=n_students, round=posed.round))
    if st.toggle(t("class.peek"), key=_PEEK, help=t("class.peek_help")):
        for p in store.rounds(question_id):
            q, labels = _question_of(p)
            if q is None:
                continue
            tally = pr.tally(q, _guesses(store.answers(p.id)))
            st.caption(t("class.round_n", round=p.round, n=tally.total))
            _tally_chart(q, labels, tally, key=f"class_peek_{p.id}")


def _question_of(p: cs.PosedQuestion) -> tuple[pr.Question | None, predict.Labels]:
    try:
        return pr.Question.from_dict(p.payload.get("question", {})), predict.Labels.from_dict(p.payload.get("labels", {}))
    except ValueError:
        return None, predict.Labels([], [])


def _guesses(answers: Sequence[cs.Answer]) -> list[Any]:
    return [tuple(a.answer) if isinstance(a.answer, list) else a.answer for a in answers]


def _tally_chart(q: pr.Question, labels: predict.Labels, tally: pr.Tally, *, key: str) -> None:
    """The class's answers as bars: per key (top key, nearest, the growing key), per bin (estimate)."""
    if q.kind == "estimate":
        names = [f"{i / 10:.1f}–{(i + 1) / 10:.1f}" for i in range(pr.ESTIMATE_BINS)]
        counts = list(tally.bins)
        truth = min(pr.ESTIMATE_BINS - 1, int(float(q.answer_value or 0) * pr.ESTIMATE_BINS))
    else:
        names = [str(labels.cols[j]) if j < len(labels.cols) else str(j) for j in q.choices]
        counts = list(tally.keys)
        truth = q.choices.index(q.answer_key) if q.answer_key in q.choices else -1
    colors = ["#1b7837" if i == truth else "#8c8c8c" for i in range(len(counts))]
    # horizontal bars: whole labels, read left to right at any width; the count on each bar
    fig = go.Figure(
        go.Bar(
            y=[plot_label(n, 40) for n in names],
            x=counts,
            orientation="h",
            marker_color=colors,
            text=[str(c) for c in counts],
            textposition="outside",  # the count just past its bar, upright, legible on any bar length
            textangle=0,
            textfont=font(1.1),
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_layout(
        height=60 + 34 * len(names),
        margin=dict(l=10, r=10, t=10, b=10),
        xaxis=axis(t("class.count"), range=[0, max(counts or [1]) * 1.15 + 0.5],
                   dtick=max(1, (max(counts or [1]) + 4) // 5)),
        yaxis=axis(autorange="reversed", automargin=True),
        font=font(),
        showlegend=False,
    )
    st.plotly_chart(fig, key=key, config={"displayModeBar": False})
    if truth >= 0:
        st.caption(t("class.green_is_right"))
    if q.kind == "direction":
        st.caption(t("class.trends", sharper=tally.trends.get(pr.SHARPER, 0), flatter=tally.trends.get(pr.FLATTER, 0)))


# --------------------------------------------------------------------------- students and projector
def bar(spec: Any) -> None:
    """The class bar at the top of a student's or the projector's page: where the class is, follow
    or explore, and the poll that brings the teacher's changes."""
    r = cls.role()
    if st.session_state.pop("_class_clear", False):
        _KEEPER(key="class_keeper_clear", data={"clear": True})
    if r is None or r.teacher:
        return
    _poll(spec.name)
    if r.projector:
        base = cls.base_url([p.name for p in _lessons().values()])
        link = cls.join_link(base, r.code)
        with st.container(border=True, horizontal=True, vertical_alignment="center"):
            st.image(_qr_svg(link, scale=6), width=180)
            with st.container():
                st.markdown(t("class.projector_join", code=r.code))
                with st.container(key="class-code"):
                    st.markdown(f"# {r.code}")
                with st.container(key="class-join-link"):
                    st.markdown(md_code(link, 200))
        _class_question(r)
        return
    with st.container(border=True, horizontal=True, vertical_alignment="center", key="class_bar"):
        if cls.following():
            st.markdown("👥 " + t("class.following", code=r.code))
            st.button(t("class.explore"), key="class-explore", on_click=_explore, args=(True,),
                      icon=":material/explore:", help=t("class.explore_help"))
        else:
            st.markdown("🧭 " + t("class.exploring", code=r.code))
            st.button(t("class.back"), key="class-back", on_click=_explore, args=(False,),
                      icon=":material/group:", type="primary")
    _class_question(r)


def _explore(on: bool) -> None:
    """Leave follow mode (explore on my own: my own presentation switch again), or come back."""
    cls.set_following(not on)
    if on:
        present.follow(None)
    else:
        st.session_state.pop(_APPLIED, None)
        st.session_state.pop(_SEEN, None)  # the next poll catches up with the teacher at once


@st.fragment(run_every=cls.POLL_S)
def _poll(lesson: str) -> None:
    """Every few seconds: did the class change (one cached number)? If so, catch up."""
    r = cls.role()
    if r is None or r.teacher:
        return
    store = _store()
    rev = cls.revision(store, r.code)
    if rev is None:  # ended or expired
        try:
            store.state(r.code)
        except cs.ClassError as exc:
            _notice("warning", _error_text(exc))
        cls.set_role(None)
        present.follow(None)
        st.session_state["_class_clear"] = True
        st.rerun(scope="app")
    if st.session_state.get(_SEEN) == rev:
        return
    try:
        state = cls.state_at(store, r.code, rev)
    except cs.ClassError:
        return
    full_run = _in_full_run()
    previous = st.session_state.get("_class_state")
    st.session_state[_SEEN] = rev
    st.session_state["_class_state"] = state
    if previous is not None and state.bring > previous.bring:
        cls.set_following(True)
    need_rerun = previous is None or (
        (previous.question_id, previous.revealed) != (state.question_id, state.revealed)
    )
    if cls.following():
        lessons = _lessons()
        position = (state.lesson, state.stage, state.present, tuple(sorted(state.experiment.items(), key=str)))
        if st.session_state.get(_APPLIED) != position and state.lesson in lessons:
            _apply_position(lessons[state.lesson], state)
            st.session_state[_APPLIED] = position
            if state.lesson != lesson:
                st.switch_page(lessons[state.lesson].path)
            need_rerun = True
    if need_rerun and not full_run:
        st.rerun(scope="app")


def _apply_position(spec: Any, state: cs.ClassState) -> None:
    """Put the teacher's experiment and presentation stage in this session (before the lesson's
    widgets are drawn: the poll runs at the top of the page, or in a fragment run)."""
    raw = {k: ([v] if isinstance(v, str) else [str(x) for x in v]) for k, v in state.experiment.items()}
    values, _bad = parse_link(spec, raw)
    apply(spec, values)
    present.follow(bool(state.present), int(state.stage))


def _in_full_run() -> bool:
    """True in a whole-page run (the poll then runs before the lesson's widgets: what it puts in
    place is drawn in this very run, no rerun needed); False in the poll's own timed rerun."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx is None or not ctx.fragment_ids_this_run


# --------------------------------------------------------------------------- the class question
def class_step(spec: Any, source: Any = None) -> predict.Outcome | None:
    """What a class question means for this lesson's predict slot: None when the class has none
    (the lesson's own "Predict first" runs), else an outcome: covered while the question on this
    lesson waits for the reveal. The question itself stands at the top of the page (:func:`bar`),
    where a student on a phone or on any stage of presentation mode sees it; the lesson's own
    question waits meanwhile (one question at a time). The teacher's screen is never covered."""
    r = cls.role()
    if r is None or r.teacher:
        return None
    state = st.session_state.get("_class_state")
    if state is None or state.question_id is None:
        return None
    posed = cls.question_at(_store(), state.question_id, state.rev)
    if posed is None:
        return None
    covered = not state.revealed and posed.lesson == spec.name
    if covered:
        st.caption("⬆️ " + t("class.question_above"))
    return predict.Outcome(covered=covered)


def _class_question(r: cls.Role) -> None:
    """The class's open or revealed question, at the top of a student's or the projector's page."""
    state = st.session_state.get("_class_state")
    if state is None or state.question_id is None:
        return
    posed = cls.question_at(_store(), state.question_id, state.rev)
    if posed is not None:
        draw_class_question(r, posed, state)


def draw_class_question(r: cls.Role, posed: cs.PosedQuestion, state: cs.ClassState) -> predict.Outcome:
    q, labels = _question_of(posed)
    if q is None:
        return predict.Outcome()
    store = _store()
    if not state.revealed:
        mine = store.my_answer(posed.id, r.sid) if r.student else None

        def on_answer(guess: Any) -> None:
            try:
                store.answer(r.code, r.sid, posed.id, list(guess) if isinstance(guess, tuple) else guess)
            except cs.ClassError as exc:
                _notice("error", _error_text(exc))

        if r.student:
            note = t("class.answer_sent", answer=predict.guess_text(q, labels, _as_guess(mine))) if mine is not None \
                else t("class.answer_prompt")
            predict.draw_question(
                q, labels, on_answer=on_answer, key=f"class_q{posed.id}", note=note,
                title=t("class.question_title", round=posed.round),
            )
        else:
            with st.container(key="predict", border=True):
                st.markdown("🤔 **" + t("class.question_title", round=posed.round) + "** · "
                            + predict.question_text(q, labels))
                st.markdown(t("class.answers_so_far", n=store.answer_count(posed.id), students=state.students))
        return predict.Outcome(covered=True)
    mine = store.my_answer(posed.id, r.sid) if r.student else None
    verdict = pr.grade(q, _as_guess(mine)) if mine is not None else None
    with st.container(key="class-revealed"):
        predict.draw_reveal(
            q, labels, _as_guess(mine), verdict, extra=lambda: _class_results(posed, q, labels, state.rev),
            event=f"class-reveal:{posed.id}",
        )
    cell = (q.row, int(q.answer_key)) if q.answer_key is not None else ((q.row, int(q.key)) if q.key is not None else None)
    return predict.Outcome(covered=False, cell=cell)


def _as_guess(a: Any) -> Any:
    return tuple(a) if isinstance(a, list) else a


def _class_results(posed: cs.PosedQuestion, q: pr.Question, labels: predict.Labels, rev: int) -> None:
    store = _store()
    for p in cls.rounds_at(store, posed.id, rev):
        tally = pr.tally(q, _guesses(cls.answers_at(store, p, rev)))
        st.markdown(t("class.results", round=p.round, n=tally.total, right=tally.right))
        _tally_chart(q, labels, tally, key=f"class_results_{p.id}")
    if q.weights:
        names = [str(labels.cols[j]) if j < len(labels.cols) else str(j) for j in range(len(q.weights))]
        weights = "; ".join(f"{n} {fmt(w)}" for n, w in zip(names, q.weights, strict=True))
        st.caption(t("class.true_weights", row=labels.row(q.row), weights=md_code(weights, 400)))


# --------------------------------------------------------------------------- the teacher's position
def publish(spec: Any) -> None:
    """A teacher's run: write where the teacher is (lesson, stage, experiment) when it changed;
    with "Bring everyone here" pressed, every student comes back to it."""
    r = cls.role()
    if r is None or not r.teacher:
        return
    bring = bool(st.session_state.pop(_BRING, False))
    try:
        changed = _store().set_position(
            r.code,
            r.key,
            lesson=spec.name,
            stage=present.current_stage(),
            present=present.is_on(),
            experiment=link_params(spec),
            lang=current_language(),
            bring=bring,
        )
    except cs.ClassError as exc:
        _notice("error", _error_text(exc))
        return
    if changed:
        cls.forget_revision(r.code)
    if bring:
        st.toast(t("class.brought"), icon="📍")
