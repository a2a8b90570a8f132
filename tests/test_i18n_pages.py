"""Every page in Vietnamese and Korean: no exception, and no English left on screen.

For each page of ``pages.PAGES`` (and ``app.py`` itself, for the sidebar) and each of
vi/ko, the page runs in AppTest, then again after one interaction that reaches a
message or a second state (bad input, two heads, the trained Word2Vec model, ...).
Every text on screen is collected: markdown, captions, headings, alerts, widget
labels/help/options, expander and tab labels, table column names and index, data
editor column headers and help, plotly titles/axis titles/hover templates/legend
names. Code blocks and LaTeX are left out (code and math stay as they are).

Two checks run on that text:
- no literal fragment of an English catalog value (the text between its
  ``{placeholders}``, when it has at least two words or one long word) is on the
  Vietnamese/Korean screen, apart from the small explicit allow-lists below;
- no common English word ("the", "of", "and", ...) appears in prose outside code
  spans (text that bypasses ``t()``), and no raw catalog key (``section.key``,
  what ``t()`` shows for a missing entry) is on screen.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from labdev.plotly_data import decode
from pages import PAGES
from tests.apptest_helpers import LIVE_COMPONENT, set_temperature
from ui.i18n import catalog
from ui.live_attention import decode_payload

APP = str(Path(__file__).resolve().parent.parent / "app.py")
LANGS = ("vi", "ko")
EN = catalog("en")

#: Entries whose text is the same in English on purpose (only those with words the checks would
#: flag; symbols such as "q·k" or "Token" need no entry): the app's name, terms classes use
#: untranslated, the notebook's own printout label.
SAME_ON_PURPOSE: dict[str, set[str]] = {
    "vi": {
        "home.title",  # Attention Lab
        "nav.self_attention",  # Self-attention
        "nav.pooling",  # Attention pooling
        "self.title",  # Self-attention: Q = K = V = X
        "self.printout_weights",  # the notebook printed "Attention Weights:"
        "w2v.sg_skipgram",  # skip-gram
        "class.code_placeholder",  # an example class code, ACD7KT
        "dk.notebook_mark",  # "notebook: d_k = 4": Vietnamese says notebook too
    },
    "ko": {"home.title", "self.printout_weights", "w2v.sg_skipgram", "class.code_placeholder"},
}
#: English terms the glossary keeps visible beside their translation, e.g. "Nhiệt độ (Temperature)".
#: Also gensim's parameter names, shown beside their translation: "negative (số mẫu âm)".
GLOSSARY_TERMS = {
    "Temperature",
    "context vector",
    "Scaled dot-product",
    "Attention pooling",
    "Self-attention",
    "negative",
}
#: Short English words that never occur in Vietnamese or Korean prose.
ENGLISH_WORDS = re.compile(
    r"(?<![\w'])(the|of|and|is|are|with|your|from|this|that|you|each|every|which|into|than)(?![\w'])",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+(?:[-'][A-Za-z]+)*")
_CODE_SPAN = re.compile(r"(`+).*?\1")
_QUOTED = re.compile(r"“[^”]*”")  # an example in quotes (“The” and “the”) is not prose


def literal_fragments(text: str) -> list[str]:
    """The parts of ``text`` between ``{placeholders}`` that say something in English.

    A fragment counts when it has two English words or one word of 8+ letters; identifiers
    (``d_k``, ``min_count``) and formulas (``→ Q =``) do not.
    """
    out = []
    for literal, _, _, _ in string.Formatter().parse(text):
        frag = literal.strip()
        words = [w for w in _WORD.findall(re.sub(r"\w*_\w*", " ", frag)) if len(w) > 1]
        if len(words) >= 2 or any(len(w) >= 8 for w in words):
            out.append(frag)
    return out


def english_fragments(lang: str) -> dict[str, str]:
    """``{fragment: key}`` for every English fragment that must not be on the ``lang`` screen."""
    out: dict[str, str] = {}
    for key, text in EN.items():
        if key in SAME_ON_PURPOSE[lang]:
            continue
        for frag in literal_fragments(text):
            if frag not in GLOSSARY_TERMS:
                out.setdefault(frag, key)
    return out


FRAGMENTS = {lang: english_fragments(lang) for lang in LANGS}
_PATTERNS = {
    # a whole fragment, not part of an identifier (kv_sentence) or of code (sentence.lower())
    lang: [
        (re.compile(r"(?<![A-Za-z_.])" + re.escape(f) + r"(?![A-Za-z_(])(?!\.[A-Za-z])"), f, k)
        for f, k in frags.items()
    ]
    for lang, frags in FRAGMENTS.items()
}
_SECTIONS = sorted({k.split(".")[0] for k in EN} | {"editor", "error"})
RAW_KEY = re.compile(r"(?<![\w.])(?:" + "|".join(_SECTIONS) + r")\.[a-z][a-z0-9_]*(?![\w(])")


# --------------------------------------------------------------------------- screen text
#: Proto fields that are not text the user reads as UI (ids, user values, data, code).
_SKIP = {
    "id",
    "query_param_key",  # a bound widget's name in the URL (kv_sentence): an identifier, not text
    "form_id",
    "tag",
    "data",
    "arrow_data",
    "lazy_data",
    "spec",
    "code_text",
    "language",
    "format",
    "icon",
    "page_script_hash",
    "url_path",
    "page",
    "theme",
    "value",
    "default",
    "raw_value",
    "raw_values",
    "default_values",
    "columns",
    "type",
    "column_order",
    "selection_mode",
}


def _walk(node: Any) -> Iterator[Any]:
    yield node
    for child in (getattr(node, "children", None) or {}).values():
        yield from _walk(child)


def _proto_strings(msg: Message, path: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    for fd, val in msg.ListFields():
        if fd.name in _SKIP:
            continue
        for v in [val] if isinstance(val, (str, bytes, Message, int, float, bool)) else list(val):
            if isinstance(v, Message):
                yield from _proto_strings(v, (*path, fd.name))
            elif isinstance(v, str) and v.strip():
                yield ".".join((*path, fd.name)), v


def _plotly_strings(fig: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(kind, where, text) of a figure: titles and hover templates are UI, point labels are data."""

    def rec(node: Any, path: tuple[str, ...]) -> Iterator[tuple[str, str, str]]:
        if isinstance(node, dict):
            for k, v in node.items():
                yield from rec(v, (*path, str(k)))
        elif isinstance(node, list):
            for v in node:
                yield from rec(v, path)
        elif isinstance(node, str) and node.strip() and path:
            where = ".".join(path)
            if path[-1] == "hovertemplate" or (path[-1] == "text" and "title" in path):
                yield "prose", where, node
            elif path[-1] in {"text", "name", "customdata"} or path[-1].endswith("_title"):
                yield ("prose" if path[-1].endswith("_title") else "data"), where, node

    yield from rec({"data": fig.get("data", []), "layout": fig.get("layout", {})}, ())


Screen = list[tuple[str, str, str]]


def screen_text(at: AppTest) -> Screen:
    """Everything on screen as (kind, where, text); kind is "prose" (UI text), "label"
    (table headers and index: UI or data), "option" (a widget's choices), "text" (``st.text``)
    or "data" (cells, plot point labels)."""
    out: Screen = []
    for node in _walk(at._tree):
        kind, proto = getattr(node, "type", ""), getattr(node, "proto", None)
        if proto is None or kind in {"code", "latex"}:
            continue
        if kind == "plotly_chart":
            out.extend(_plotly_strings(decode(json.loads(proto.spec))))
        elif kind == "dataframe":
            frame = node.value
            out.extend(("label", "table.column", str(c)) for c in frame.columns if str(c) != "_row")
            out.extend(("label", "table.index", str(i)) for i in frame.index)
            for col, conf in (json.loads(proto.columns) if proto.columns else {}).items():
                for field in ("label", "help"):
                    if isinstance(conf, dict) and conf.get(field):
                        out.append(("prose", f"table.{col}.{field}", conf[field]))
            for col in frame.columns:
                out.extend(("data", "table.cell", v) for v in frame[col] if isinstance(v, str))
        elif kind == "bidi_component" and proto.component_name != LIVE_COMPONENT:  # ui.share's tools: JSON
            data = json.loads(proto.json)
            out.extend(("prose", f"share.{k}", str(v)) for k, v in data.items() if isinstance(v, str) and k != "lang")
        elif kind == "bidi_component":  # the live attention view: its words travel in its payload
            header, _ = decode_payload(proto.bytes)
            out.extend(("prose", f"live.texts.{k}", str(v)) for k, v in header["texts"].items())
            out.extend(("label", "live.labels", str(v)) for v in [*header["rows"], *header["cols"]])
        elif kind == "text":
            out.append(("text", "text", proto.body))
        else:
            for where, s in _proto_strings(proto):
                out.append(("option" if where.startswith("options") else "prose", f"{kind}.{where}", s))
    return out


def english_left(screen: Screen, lang: str) -> list[str]:
    """English catalog fragments found on a ``lang`` screen (UI text, labels, options, st.text)."""
    found = []
    for kind, where, text in screen:
        if kind == "data":
            continue
        for pattern, frag, key in _PATTERNS[lang]:
            if pattern.search(text):
                found.append(f"{where}: {frag!r} (en {key}) in {text[:120]!r}")
    return found


def english_words(screen: Screen) -> list[str]:
    """Common English words in prose (code spans taken out): text that bypassed ``t()``."""
    found = []
    for kind, where, text in screen:
        if kind != "prose":
            continue
        hit = ENGLISH_WORDS.search(_QUOTED.sub(" ", _CODE_SPAN.sub(" ", text)))
        if hit:
            found.append(f"{where}: {hit.group(0)!r} in {text[:120]!r}")
    return found


def raw_keys(screen: Screen) -> list[str]:
    """Catalog keys shown as such: ``t()`` had no entry for them."""
    found = []
    for kind, where, text in screen:
        if kind == "data":
            continue
        for hit in RAW_KEY.findall(_CODE_SPAN.sub(" ", text)):
            found.append(f"{where}: {hit!r}")
    return found


# --------------------------------------------------------------------------- states
Action = Callable[[AppTest], Any]


def _editor_key(at: AppTest, prefix: str) -> str:
    keys = [d.key for d in at.dataframe if d.key and d.key.startswith(prefix)]
    assert keys, f"no editor {prefix!r}: {[d.key for d in at.dataframe]}"
    return keys[0]


def _empty_cell(prefix: str, column: str = "d1") -> Action:
    """Blank one cell of a data editor (the way the frontend reports an edit)."""

    def act(at: AppTest) -> None:
        key = _editor_key(at, prefix)
        at.session_state[key] = {"edited_rows": {0: {column: None}}, "added_rows": [], "deleted_rows": []}
        at.run()

    return act


def _matrix_text(prefix: str, text: str) -> Action:
    """Type ``text`` into the "numbers as text" box of the editor whose key starts with ``prefix``."""

    def act(at: AppTest) -> None:
        box = next(a for a in at.text_area if a.key and a.key.startswith(prefix) and a.key.endswith("__text"))
        box.set_value(text).run()

    return act


#: (page, state name, interaction); "default" is the page as it opens.
STATES: list[tuple[str, str, Action | None]] = [
    ("app.py", "default", None),
    *[(p.path, "default", None) for p in PAGES],
    ("pages/home.py", "cold", lambda at: set_temperature(at, "home_temperature", 0.05).run()),
    ("pages/library.py", "scaled", lambda at: at.toggle(key="library_scale").set_value(True).run()),
    ("pages/word_order.py", "sinusoidal", lambda at: at.radio(key="wo_positions").set_value("sinusoidal").run()),
    ("pages/word_order.py", "rope", lambda at: at.radio(key="wo_positions").set_value("rope").run()),
    ("pages/kv_cache.py", "token_3", lambda at: at.slider(key="kv_step").set_value(3).run()),
    ("pages/library.py", "bad_query_cell", _empty_cell("library_q")),
    ("pages/library.py", "bad_value_cell", _empty_cell("library_v")),
    (
        "pages/step_by_step.py",
        "two_heads_causal",
        lambda at: (
            at.number_input(key="sbs_heads").set_value(2),
            at.toggle(key="sbs_causal").set_value(True),
            at.toggle(key="sbs_weights_table").set_value(True),
            at.run(),
        ),
    ),
    ("pages/step_by_step.py", "three_heads", lambda at: at.number_input(key="sbs_heads").set_value(3).run()),
    ("pages/step_by_step.py", "empty_sentence", lambda at: at.text_input(key="sbs_sentence").set_value("  ").run()),
    (
        "pages/step_by_step.py",
        "big",
        lambda at: (
            at.number_input(key="sbs_dim").set_value(20),
            at.text_input(key="sbs_sentence").set_value(" ".join(["a"] * 300)),
            at.run(),
        ),
    ),
    ("pages/step_by_step.py", "dim_out_of_range", lambda at: at.number_input(key="sbs_dim").set_value(0).run()),
    (
        "pages/self_attention.py",
        "scaled_5x4",
        lambda at: (
            at.radio(key="self_preset").set_value("5x4"),
            at.toggle(key="self_scale").set_value(True),
            at.run(),
        ),
    ),
    ("pages/self_attention.py", "bad_cell", _empty_cell("self_x")),
    (
        "pages/pooling.py",
        "random_hot",
        lambda at: (set_temperature(at, "pool_temperature", 2.0), at.button(key="pool_random").click(), at.run()),
    ),
    ("pages/pooling.py", "bad_cell", _empty_cell("pool_x")),
    (
        "pages/scaled_dot_product.py",
        "unscaled_hot",
        lambda at: (
            at.toggle(key="scaled_dot_product_scale").set_value(False),
            set_temperature(at, "scaled_dot_product_temperature", 2.0),
            at.run(),
        ),
    ),
    ("pages/scaled_dot_product.py", "bad_value_cell", _empty_cell("scaled_dot_product_v")),
    (
        "pages/masks.py",
        "padded_causal_row_fully_masked",
        lambda at: (
            at.toggle(key="masks_pad").set_value(True),
            at.toggle(key="masks_causal").set_value(True),
            at.multiselect(key="masks_hidden").set_value(["1"]),
            at.run(),
        ),
    ),
    ("pages/masks.py", "empty_sentence", lambda at: at.text_input(key="masks_s2").set_value("  ").run()),
    ("pages/masks.py", "longest_shown", lambda at: at.radio(key="masks_show").set_value(1).run()),
    (
        "pages/word2vec.py",
        "words_projected",
        lambda at: (
            at.radio(key="w2v_keys_from").set_value("words"),
            at.toggle(key="w2v_project").set_value(True),
            at.toggle(key="w2v_scale").set_value(True),
            set_temperature(at, "w2v_temperature", 0.5),
            at.run(),
        ),
    ),
    (
        "pages/word2vec.py",
        "korean_preset",
        lambda at: (
            at.selectbox(key="w2v_preset").set_value([o for o in at.selectbox(key="w2v_preset").options][-1]).run()
        ),
    ),
    ("pages/word2vec.py", "empty_text", lambda at: at.text_area(key="w2v_text").set_value(" ").run()),
    ("pages/library.py", "text_not_a_number", _matrix_text("library_q", "1 x 1")),
    ("pages/pooling.py", "text_decimal_comma", _matrix_text("pool_x", "0,5 1 2")),
    ("pages/self_attention.py", "text_ragged_rows", _matrix_text("self_x", "1 2 3\n4 5")),
    ("pages/step_by_step.py", "unscaled", lambda at: at.toggle(key="sbs_scale").set_value(False).run()),
    ("pages/self_attention.py", "one_token", lambda at: at.number_input(key="self_x_rows").set_value(1).run()),
    (
        "pages/word2vec.py",
        "small_vectors_rare_words",
        lambda at: (
            at.text_area(key="w2v_text").set_value("cat\ndog cat sat\nfox dog cat"),
            at.number_input(key="w2v_vector_size").set_value(2),
            at.number_input(key="w2v_min_count").set_value(2),
            at.run(),
        ),
    ),
    (
        "pages/word2vec.py",
        "no_keys",
        lambda at: (
            at.radio(key="w2v_keys_from").set_value("words").run(),
            at.multiselect(key="w2v_words").set_value([]).run(),
        ),
    ),
    ("pages/word2vec.py", "min_count_too_high", lambda at: at.number_input(key="w2v_min_count").set_value(500).run()),
]


def run_state(page: str, lang: str, action: Action | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    if page == "app.py":
        at.run()
    else:
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    if action is not None:
        action(at)
        assert not at.exception, [e.message for e in at.exception]
    return at


_CASES = [
    pytest.param(page, name, action, lang, id=f"{Path(page).stem}-{name}-{lang}")
    for page, name, action in STATES
    for lang in LANGS
]


@pytest.mark.parametrize(("page", "name", "action", "lang"), _CASES)
def test_page_fully_translated(page: str, name: str, action: Action | None, lang: str) -> None:
    at = run_state(page, lang, action)
    screen = screen_text(at)
    assert len(screen) > 5, screen
    problems = english_left(screen, lang) + english_words(screen) + raw_keys(screen)
    assert problems == [], "\n".join(problems)


# --------------------------------------------------------------------------- the checks themselves
def test_every_page_is_covered() -> None:
    covered = {page for page, _, _ in STATES}
    assert {p.path for p in PAGES} <= covered


def test_allow_lists_are_exactly_the_identical_entries() -> None:
    """An entry left in English by mistake cannot hide in the allow-list, and no stale entry stays in it."""
    for lang in LANGS:
        other = catalog(lang)
        same = {k for k in EN if other.get(k) == EN[k] and literal_fragments(EN[k])}
        assert same == SAME_ON_PURPOSE[lang], f"{lang}: {sorted(same ^ SAME_ON_PURPOSE[lang])}"


def test_fragments_and_word_checks_catch_english() -> None:
    fake: Screen = [
        ("prose", "caption", "Điểm số: " + EN["library.dot_caption"]),
        ("prose", "markdown", "Xem `the token` ở đây"),  # a code span is user text: fine
        ("prose", "caption", "Bấm vào nút the reset"),
        ("label", "table.index", "error.some_missing_key"),
        ("data", "table.cell", "the quick brown fox"),
    ]
    assert len(english_left(fake, "vi")) == 1
    assert len(english_words(fake)) == 2  # "The best match" and "the reset", not the code span
    assert len(raw_keys(fake)) == 1
    assert literal_fragments("{a} · {b} = {c}") == []
    assert literal_fragments("min_count = {n}") == []
    assert literal_fragments("Scores: {s}") == []  # one short word: too weak to tell
    assert literal_fragments("{best} matches best: {x}") == ["matches best:"]
