"""A pinned experiment, "A": what a lesson's current experiment (B) is compared with.

"Pin as A" keeps the lesson's experiment as it is (every field's value, what its link holds); the
learner then changes anything and the live state is B (:mod:`ui.compare` draws the two). A pin
travels with the experiment:

- in the link, as one parameter, ``compare``: A's own link parameters as a query string
  (``?library_scale=false&compare=library_q%3D1_0…``; an empty value is A at every default). It is
  read once per lesson and session, like the rest of the link, every one of A's values checked by
  its field: a bad one is dropped and named in the link's notice as ``compare:<parameter>``;
- in the JSON export, as ``"compare": {"a": {inputs}, "results": {…}}`` (:mod:`ui.share`).

Nothing here draws: the pins live in the session, one per lesson.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlencode

import streamlit as st

from .state import _NOTICE, LessonSpec, _default, fields, link_params, parse_link

#: The link's parameter for a pinned experiment (an app parameter: reserved in :mod:`ui.share.state`).
PARAM = "compare"
#: Longest ``compare`` value read (A's own link: a Word2Vec corpus fits; a link beyond 8 KB is refused anyway).
MAX_PIN_CHARS = 64_000
_PINS = "_compare_pins"  # lesson -> A's state (every field's value)
_LOADED = "_compare_loaded"  # lessons whose link's pin this session has read


def pins() -> dict[str, dict[str, Any]]:
    """The session's pins by lesson: the same dict every run (a download's builder reads it on a click)."""
    return st.session_state.setdefault(_PINS, {})


def full_state(spec: LessonSpec, values: Mapping[str, Any]) -> dict[str, Any]:
    """Every field's value: ``values``' own, the others at their default (None when it cannot be had)."""
    state: dict[str, Any] = {}
    for f in fields(spec):
        state[f.name] = values[f.name] if f.name in values else _default(f, state)
    return state


def pinned(spec: LessonSpec) -> dict[str, Any] | None:
    """A's state for this lesson, or None when nothing is pinned."""
    a = pins().get(spec.name)
    return dict(a) if a is not None else None


def pin(spec: LessonSpec, state: Mapping[str, Any]) -> None:
    """Keep ``state`` (every field's value, e.g. :func:`ui.share.state.held`) as A."""
    pins()[spec.name] = dict(state)


def unpin(spec: LessonSpec) -> None:
    pins().pop(spec.name, None)


def pin_text(spec: LessonSpec, state: Mapping[str, Any]) -> str:
    """``state`` as the ``compare`` parameter's value: its link parameters as a query string."""
    return urlencode(link_params(spec, state), doseq=True)


def parse_pin(spec: LessonSpec, text: str) -> tuple[dict[str, Any] | None, list[str]]:
    """A's state from a ``compare`` value, and the parameters to name as ignored (``compare:<name>``).

    Never raises: each of A's parameters is checked by its field (:func:`ui.share.state.parse_link`,
    absent ones at their default, never the session's); a value too long to be a link is no pin.
    """
    if not isinstance(text, str) or len(text) > MAX_PIN_CHARS:
        return None, [PARAM]
    try:
        raw = parse_qs(text, keep_blank_values=True, max_num_fields=500)
    except ValueError:  # more fields than any lesson has
        return None, [PARAM]
    values, bad = parse_link(spec, raw, from_session=False)
    return full_state(spec, values), [f"{PARAM}:{name}" for name in bad]


def load(spec: LessonSpec) -> None:
    """Take the pin a link brings (once per lesson and session, after :func:`~ui.share.state.load_link`)."""
    loaded = st.session_state.setdefault(_LOADED, set())
    if spec.name in loaded or not fields(spec):
        return
    loaded.add(spec.name)
    try:
        given = st.query_params.get_all(PARAM)
    except Exception:  # noqa: BLE001 - no script run context
        return
    if not given:
        return
    a, bad = parse_pin(spec, given[-1])
    if a is not None:
        pin(spec, a)
    if bad:
        st.session_state.setdefault(_NOTICE, {}).setdefault(spec.name, []).extend(bad)


def write_link(spec: LessonSpec) -> None:
    """The URL's ``compare`` parameter follows the pin (written only when it changes)."""
    a = pins().get(spec.name)
    want = None if a is None else pin_text(spec, a)
    try:
        have = st.query_params.get_all(PARAM)
        if want is None:
            if have:
                del st.query_params[PARAM]
        elif have != [want]:
            st.query_params[PARAM] = want
    except Exception:  # noqa: BLE001 - no script run context (a bare script run)
        pass
