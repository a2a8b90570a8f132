"""Property-based tests (hypothesis) of links and imported files, for every lesson's declared experiment
fields (``pages.PAGES[*].experiment``), issue 19.

For every lesson, generated links and files (tests/hostile_strategies.py: any text, the control, bidi
and surrogate ranges, numbers of any size, wrong types and shapes, hostile parameter names):

- the page never raises (``at.exception`` is empty);
- every bad value is dropped with a notice: a link's bad parameters are named in one notice and leave
  the URL, the rest of the link applies; a file with a bad value changes nothing and names it;
- what a link restores equals what was shared: the link the lesson then copies, opened in a fresh
  session, gives the same experiment (and a valid file gives the values it holds).

Parse-level tests check the same classification on many more examples without a page, and the
escaping functions on any text. Budgets: ``ATTENTION_LAB_EXAMPLES`` (tests/hostile_strategies.py,
docs/security.md ("How it is tested")).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from pages import LESSONS, PAGES
from tests.apptest_helpers import APP
from tests.hostile_strategies import (
    FORBIDDEN,
    PAGE_SETTINGS,
    PARSE_SETTINGS,
    Plan,
    hostile_text,
    plan,
    safe_text,
    same,
)
from ui.escape import CSV_FORMULA_START, csv_label, md_code, plot_label, xml_text
from ui.i18n import catalog
from ui.share.state import HOLDER, link_params, parse_inputs, parse_link
from ui.share_tools import export_file

LESSON_NAMES = [p.name for p in PAGES if p.experiment is not None]
EN = catalog("en")
BAD_LINK = EN["share.bad_link"].split("{")[0]
BAD_FILE = (EN["share.import_bad_value"].split("{")[0], EN["share.import_bad_values"].split("{")[0])


@pytest.fixture(autouse=True)
def _quiet_bare_mode() -> Any:
    """The parse-level tests read the session outside a script run: Streamlit logs a warning per read."""
    import logging

    names = ["streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit.runtime.state.session_state_proxy"]
    levels = [logging.getLogger(n).level for n in names]
    for n in names:
        logging.getLogger(n).setLevel(logging.ERROR)
    yield
    for n, level in zip(names, levels, strict=True):
        logging.getLogger(n).setLevel(level)


def _as_query(raw: dict[str, Any]) -> dict[str, list[str]]:
    return {k: list(v) if isinstance(v, list) else [v] for k, v in raw.items()}


# --------------------------------------------------------------------------- parse level
@PARSE_SETTINGS
@given(data=st.data())
@pytest.mark.parametrize("page", LESSON_NAMES)
def test_parse_link_never_raises_and_refuses_exactly_the_bad_values(page: str, data: st.DataObject) -> None:
    spec = LESSONS[page]
    p: Plan = plan(data.draw, spec, link=True)
    values, bad = parse_link(spec, _as_query(p.raw))
    assert sorted(bad) == sorted(p.bad)
    state: dict[str, Any] = {}
    for f in spec.experiment:
        if f.name in p.valid:
            assert f.name in values and same(f, values[f.name], f.parse(f.text(p.valid[f.name]), state)), f.name
        state[f.name] = values[f.name] if f.name in values else f.default_for(state)


@PARSE_SETTINGS
@given(data=st.data())
@pytest.mark.parametrize("page", LESSON_NAMES)
def test_parse_inputs_never_raises_and_refuses_exactly_the_bad_values(page: str, data: st.DataObject) -> None:
    spec = LESSONS[page]
    p = plan(data.draw, spec, link=False)
    doc = json.loads(json.dumps(p.raw))  # what the file holds after a JSON round trip (ints stay exact)
    values, bad = parse_inputs(spec, doc)
    assert sorted(bad) == sorted(p.bad)
    if not bad:
        for f in spec.experiment:
            if f.name in p.valid:
                assert same(f, values[f.name], f.check(f.plain(p.valid[f.name]), values)), f.name


@PARSE_SETTINGS
@given(text=st.one_of(safe_text(60, newlines=True), hostile_text(links=False), st.text(max_size=60)))
def test_every_escape_function_holds_for_any_text(text: str) -> None:
    code = md_code(text, 200)
    fence = re.match(r"`+", code).group()
    inner = code[len(fence) : -len(fence)]
    assert code.endswith(fence) and fence not in inner  # one code span, nothing breaks out of it
    assert not any(c in code for c in "\r\n\x0b\x0c\x85\u2028\u2029") and not set(code) & FORBIDDEN
    ET.fromstring(f"<t a='{xml_text(text)}'>{xml_text(text)}{plot_label(text, 200)}</t>")  # valid XML
    assert "<" not in plot_label(text, 200)
    assert csv_label(text)[:1] not in CSV_FORMULA_START and csv_label(text).removeprefix("'") in (text, text[1:])


# --------------------------------------------------------------------------- page level
def _values(v: Any) -> list[str] | None:
    return None if v is None else (list(v) if isinstance(v, list) else [v])


def _open(page: str, *, params: dict[str, Any] | None = None, imported: bytes | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["lang"] = "en"
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if imported is not None:
        at.session_state["_share_import"] = {page: imported}
    at.switch_page(LESSONS[page].path)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _state(at: AppTest, page: str) -> dict[str, Any]:
    return dict(at.session_state[HOLDER][page])


def _same_experiment(page: str, a: dict[str, Any], b: dict[str, Any]) -> None:
    for f in LESSONS[page].experiment:
        if f.active(a):
            assert same(f, a[f.name], b[f.name]), (f.name, a[f.name], b[f.name])


_DEFAULTS: dict[str, dict[str, Any]] = {}


def _defaults(page: str) -> dict[str, Any]:
    if page not in _DEFAULTS:
        _DEFAULTS[page] = _state(_open(page), page)
    return _DEFAULTS[page]


@PAGE_SETTINGS
@given(data=st.data())
@pytest.mark.parametrize("page", LESSON_NAMES)
def test_a_link_never_breaks_a_lesson_drops_its_bad_values_and_restores_what_was_shared(
    page: str, data: st.DataObject
) -> None:
    spec = LESSONS[page]
    p = plan(data.draw, spec, link=True)
    at = _open(page, params=p.raw)
    notices = [w.value for w in at.warning if w.value.startswith(BAD_LINK)]
    if p.bad:
        assert len(notices) == 1, notices
        assert re.match(re.escape(BAD_LINK) + rf"{len(p.bad)}\b", notices[0]), (notices[0], p.bad)
        assert not any(c in notices[0] for c in "\r\n\u2028\u2029")
    else:
        assert notices == []
    shared = _state(at, page)
    carried = link_params(spec, shared)
    for key in p.bad:  # gone from the URL, or replaced by the lesson's own value (a field it keeps there)
        got = at.query_params.get(key)
        assert got is None or _values(got) == _values(carried.get(key)), (key, got, p.raw[key])
    if page != "word2vec":  # the lab replaces words its corpus lacks: compare what it shares instead
        for f in spec.experiment:
            if f.name in p.valid and f.active(shared):
                assert same(f, shared[f.name], f.parse(f.text(p.valid[f.name]), shared)), f.name
    # what this lesson's link now carries, opened in a fresh session: the same experiment
    fresh = _open(page, params=link_params(spec, shared))
    assert not [w.value for w in fresh.warning if w.value.startswith(BAD_LINK)]
    _same_experiment(page, shared, _state(fresh, page))


@PAGE_SETTINGS
@given(data=st.data())
@pytest.mark.parametrize("page", LESSON_NAMES)
def test_a_file_never_breaks_a_lesson_and_is_taken_whole_or_not_at_all(page: str, data: st.DataObject) -> None:
    spec = LESSONS[page]
    p = plan(data.draw, spec, link=False)
    doc = {"app": "attention-lab", "version": 1, "lesson": page, "lang": "en", "inputs": p.raw, "results": {}}
    at = _open(page, imported=json.dumps(doc).encode())  # json escapes lone surrogates as \ud800
    errors = [e.value for e in at.error if e.value.startswith(BAD_FILE)]
    if p.bad:
        assert len(errors) == 1 and EN["share.import_done"] not in [s.value for s in at.success], errors
        assert not any(c in errors[0] for c in "\r\n\u2028\u2029")
        if len(p.bad) <= 6:
            for name in p.bad:
                assert md_code(name, 40) in errors[0], (name, errors[0])
        _same_experiment(page, _defaults(page), _state(at, page))  # nothing changed
        return
    assert EN["share.import_done"] in [s.value for s in at.success], [e.value for e in at.error]
    imported = _state(at, page)
    if page != "word2vec":
        for f in spec.experiment:
            if f.name in p.valid and f.active(imported):
                assert same(f, imported[f.name], f.check(f.plain(p.valid[f.name]), imported)), f.name
    # the lesson's own file of it, imported in a fresh session: the same experiment
    again = _open(page, imported=export_file(spec, "json", imported, "en"))
    assert EN["share.import_done"] in [s.value for s in again.success]
    _same_experiment(page, imported, _state(again, page))
