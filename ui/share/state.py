"""An experiment in the session: read it, write it, put it in the URL, take it from a link or a file.

One mechanism for every lesson (its fields are declared in the page registry, ``PageSpec.experiment``):

- :func:`load_link` (from :func:`ui.lesson.start`, once per lesson and session): the link's parameters
  are checked field by field; valid ones are put in the session before any widget is drawn (matrices
  through their editor's own loading), invalid or unknown ones are dropped from the URL (one write of
  the cleaned query string, however many there are) and named in one notice (:func:`show_notice`).
  Widgets with ``bind="query-params"`` read the same values from the URL themselves; when one of
  *their* parameters was bad, the page reruns once on the cleaned URL so Streamlit never seeds the
  bad value.
- :func:`sync` (from the live view, which every lesson draws after its inputs): the fields no widget
  binds (matrices, the live view's temperature, pooling's w, the Word2Vec lab's controls) are written to
  the URL, values equal to their default left out, and the whole state is kept for the downloads.
- :func:`apply` writes a whole experiment (an imported file) the same way a link does.

Whatever a link or a file holds, parsing it never raises: a value whose check fails in any way
(including an error nobody foresaw) is a bad value, dropped and named; a default that cannot be
computed for the values before it is None (the field is then not part of the experiment).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np
import streamlit as st

from ui.editor_state import load_matrix, queue_matrix

from .fields import Experiment, Field, Matrix, Vector


class LessonSpec(Protocol):
    """What the experiment model needs of a lesson (the page registry's ``ui.nav.PageSpec`` is one;
    the registry sits above this module, so the model names only this much of it)."""

    @property
    def name(self) -> str: ...

    @property
    def experiment(self) -> Experiment: ...

    def key(self, name: str) -> str: ...

#: URL parameters that belong to the app, not to a lesson (the language, presentation mode, a pinned
#: experiment A (:mod:`ui.share.pin`); Streamlit's embedding).
RESERVED = frozenset(
    {"lang", "present", "contrast", "predict_first", "class", "teacher", "view", "embed", "embed_options", "compare"}
)
_LOADED = "_share_loaded"  # lessons whose link this session has read
_NOTICE = "_share_notice"  # lesson -> the parameters a link brought that were ignored
HOLDER = "_share_current"  # lesson -> the experiment's state at the last sync (read by the downloads)


def fields(spec: LessonSpec) -> tuple[Field, ...]:
    return tuple(spec.experiment) if spec.experiment is not None else ()


# --------------------------------------------------------------------------- reading and writing one field
def _editor_key(spec: LessonSpec, f: Matrix, state: Mapping[str, Any]) -> str:
    return f.editor(state) if f.editor is not None else spec.key(f.name)


def read(spec: LessonSpec, f: Field, state: Mapping[str, Any]) -> Any:
    """The field's value in the session, or its default when the session has none yet."""
    ss = st.session_state
    value: Any = None
    if isinstance(f, Vector):
        n = int(np.asarray(state.get("x")).shape[1]) if state.get("x") is not None else 0
        keys = [spec.key(f"{f.name}_{i}") for i in range(n)]
        if n and all(k in ss for k in keys):
            value = np.array([float(ss[k]) for k in keys])
    elif isinstance(f, Matrix):
        key = _editor_key(spec, f, state)
        value = ss.get(f"{key}__load")
        if value is None:
            value = ss.get(f"{key}__value")
    else:
        value = ss.get(spec.key(f.name))
    if value is None:
        return f.default_for(state)
    return value


def write(spec: LessonSpec, f: Field, value: Any, state: Mapping[str, Any]) -> None:
    """Put ``value`` where the lesson's widget or editor finds it (before the widgets are drawn)."""
    ss = st.session_state
    if isinstance(f, Vector):
        for i, x in enumerate(np.ravel(value)):
            ss[spec.key(f"{f.name}_{i}")] = float(x)
            ss[spec.key(f"{f.name}_{i}_num")] = float(x)
    elif isinstance(f, Matrix):
        key = _editor_key(spec, f, state)
        m = np.array(value, dtype=float)
        if f.sized:
            load_matrix(key, m)
            ss[f"{key}__value"] = m
        else:
            queue_matrix(key, m)
    else:
        ss[spec.key(f.name)] = list(value) if isinstance(value, list) else value


def current(spec: LessonSpec) -> dict[str, Any]:
    """Every field's value in the session (or its default), in declaration order."""
    state: dict[str, Any] = {}
    for f in fields(spec):
        state[f.name] = read(spec, f, state)
    return state


def _default(f: Field, state: Mapping[str, Any]) -> Any:
    """The field's default for ``state``, or None when it cannot be computed (values from a link or a
    file that make no sense together, e.g. an empty sentence for the step-by-step tables)."""
    try:
        return f.default_for(state)
    except Exception:  # noqa: BLE001 - any value of a link may reach a default's function
        return None


def _read_or_none(spec: LessonSpec, f: Field, state: Mapping[str, Any]) -> Any:
    """:func:`read`, or None when the session's value or default cannot be had for ``state``."""
    try:
        return read(spec, f, state)
    except Exception:  # noqa: BLE001 - as above
        return None


def differs(f: Field, state: Mapping[str, Any]) -> bool:
    """True when the field is part of the experiment and not at its default (it goes in the link)."""
    return f.active(state) and not f.same(state[f.name], f.default_for(state))


# --------------------------------------------------------------------------- parsing a link or a file
def _active(f: Field, state: Mapping[str, Any]) -> bool:
    try:
        return f.active(state)
    except Exception:  # noqa: BLE001 - a condition on values that make no sense together
        return False


def parse_link(
    spec: LessonSpec, raw: Mapping[str, Sequence[str]], *, from_session: bool = True
) -> tuple[dict[str, Any], list[str]]:
    """The values a link's parameters ask for (by field name) and the parameters to ignore.

    A parameter is checked against the values before it: those the link brings, the others the
    session's (``from_session``) or their defaults (a pinned experiment's link: :mod:`ui.share.pin`).
    Never raises: a parameter whose value fails its field's check in any way is one to ignore."""
    by_key = {spec.key(f.name): f for f in fields(spec)}
    bad = [k for k in raw if k not in by_key and k not in RESERVED]
    values: dict[str, Any] = {}
    state: dict[str, Any] = {}
    for f in fields(spec):
        key = spec.key(f.name)
        if key in raw:
            try:
                if not _active(f, state):
                    raise ValueError("not part of this experiment")
                values[f.name] = state[f.name] = f.parse(list(raw[key]), state)
                continue
            except Exception:  # noqa: BLE001 - ValueError from the checks, or anything a hostile value causes
                bad.append(key)
        state[f.name] = _read_or_none(spec, f, state) if from_session else _default(f, state)
    return values, bad


def parse_inputs(spec: LessonSpec, inputs: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A file's inputs checked field by field: (values, []) when every one is valid, else ({}, the
    names of every bad or unknown input). Never raises (see :func:`parse_link`)."""
    known = {f.name for f in fields(spec)}
    bad = [str(name) for name in inputs if name not in known]
    values: dict[str, Any] = {}
    for f in fields(spec):
        if f.name in inputs and _active(f, values):
            try:
                values[f.name] = f.check(inputs[f.name], values)
                continue
            except Exception:  # noqa: BLE001 - as in parse_link
                bad.append(f.name)
        values[f.name] = _default(f, values)
    return ({}, bad) if bad else (values, [])


def apply(spec: LessonSpec, values: Mapping[str, Any]) -> None:
    """Write ``values`` (by field name; the others keep theirs) into the session, in field order."""
    state: dict[str, Any] = {}
    for f in fields(spec):
        if f.name in values:
            state[f.name] = values[f.name]
            write(spec, f, values[f.name], state)
        else:
            state[f.name] = read(spec, f, state)


# --------------------------------------------------------------------------- the link
def _query() -> dict[str, list[str]]:
    try:
        return {k: st.query_params.get_all(k) for k in st.query_params}
    except Exception:  # noqa: BLE001 - no script run context
        return {}


def load_link(spec: LessonSpec) -> None:
    """Take the experiment a link brings (once per lesson and session; see the module's docstring)."""
    loaded = st.session_state.setdefault(_LOADED, set())
    if spec.name in loaded or not fields(spec):
        return
    loaded.add(spec.name)
    raw = _query()
    if not raw:
        return
    values, bad = parse_link(spec, raw)
    apply(spec, values)
    if not bad:
        return
    st.session_state.setdefault(_NOTICE, {})[spec.name] = bad
    _drop_params(raw, set(bad))
    bound = {spec.key(f.name) for f in fields(spec) if f.bound}
    if bound & set(bad):
        st.rerun()  # the bound widgets would seed themselves from the parameters of the old URL


def _drop_params(raw: Mapping[str, Sequence[str]], bad: set[str]) -> None:
    """Remove ``bad`` from the URL in *one* write of the cleaned query string: Streamlit sends the whole
    query string to the browser on every change, so removing n keys one by one sends n strings
    (quadratic in the link's length: 999 bad keys stalled the page for minutes)."""
    cleaned = {k: list(v) for k, v in raw.items() if k not in bad}
    try:
        st.query_params.from_dict(cleaned)
        return
    except Exception:  # noqa: BLE001 - a kept parameter is already bound to a widget of this session
        pass
    for key in bad:  # rare (see above): one by one, skipping those Streamlit keeps itself
        try:
            del st.query_params[key]
        except Exception:  # noqa: BLE001 - bound to a widget of this session: Streamlit keeps it right
            pass


def take_notice(spec: LessonSpec) -> list[str]:
    """The parameters of this lesson's link that were ignored (once: then forgotten)."""
    return list(st.session_state.get(_NOTICE, {}).pop(spec.name, []))


def link_params(spec: LessonSpec, state: Mapping[str, Any] | None = None) -> dict[str, str | list[str]]:
    """Every field not at its default, as URL parameters (what a copied link carries besides ``lang``)."""
    state = current(spec) if state is None else state
    return {spec.key(f.name): f.text(state[f.name]) for f in fields(spec) if differs(f, state)}


def sync(spec: LessonSpec) -> dict[str, Any]:
    """Write the fields no widget binds to the URL (a value equal to its default is left out) and keep
    the whole state for the downloads. Cheap: a few comparisons and, for an edited matrix, its text."""
    state = current(spec)
    st.session_state.setdefault(HOLDER, {})[spec.name] = state
    try:
        qp = st.query_params
        for f in fields(spec):
            if f.bound:
                continue
            key = spec.key(f.name)
            want = f.text(state[f.name]) if differs(f, state) else None
            have = qp.get_all(key)
            if want is None:
                if have:
                    del qp[key]
            elif have != ([want] if isinstance(want, str) else list(want)):
                qp[key] = want
    except Exception:  # noqa: BLE001 - no script run context (a bare script run)
        pass
    return state


def held(spec: LessonSpec) -> dict[str, Any]:
    """The state :func:`sync` kept last (or the session's now)."""
    return dict(st.session_state.get(HOLDER, {}).get(spec.name) or current(spec))


# --------------------------------------------------------------------------- widgets and files
def bound(spec: LessonSpec, name: str, *, default_as: str | None = "value") -> dict[str, Any]:
    """A bound widget's arguments: its key, ``bind="query-params"`` and (as ``default_as``) the
    registry's default, which Streamlit leaves out of the URL. Radios take their first option as
    default: pass ``default_as=None``."""
    f = spec.experiment.get(name)
    if f is None or not f.bound:
        raise KeyError(f"{spec.name} has no bound field {name!r}")
    out: dict[str, Any] = {"key": spec.key(name), "bind": "query-params"}
    if default_as:
        out[default_as] = f.default_for({})
    return out


def edited_tables(spec: LessonSpec, state: Mapping[str, Any]) -> list[str]:
    """The experiment's tables (matrix fields) the learner changed from their defaults."""
    return [f.name for f in fields(spec) if isinstance(f, Matrix) and differs(f, state)]
