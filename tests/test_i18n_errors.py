"""Every error the engine can raise has a message in every language, with the placeholders it can fill.

The codes and their parameters are read from the engine's source (each ``raise XError(...,
code=..., name=...)`` in attention_core/), so a new code without a message fails here.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
import streamlit as st

from attention_core import errors
from attention_core.errors import AttentionLabError, LimitError, NonFiniteError, ShapeError
from ui import values
from ui.i18n import ERROR_KEYS, ERROR_NAME_KEYS, LANGUAGES, catalog, error_text, term

CORE = Path(errors.__file__).resolve().parent
#: Exception class name -> its default code.
CLASS_CODES = {
    name: cls.code for name, cls in vars(errors).items() if isinstance(cls, type) and issubclass(cls, AttentionLabError)
}


def raised_codes() -> dict[str, set[str] | None]:
    """``{code: parameter names}`` of every ``raise`` in the engine (None: some come from ``**kwargs``)."""
    found: dict[str, set[str] | None] = {}
    for path in sorted(CORE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            fn = node.exc.func
            cls = fn.id if isinstance(fn, ast.Name) else getattr(fn, "attr", "")
            if cls not in CLASS_CODES:
                continue
            code = CLASS_CODES[cls]
            params: set[str] | None = set()
            for kw in node.exc.keywords:
                if kw.arg == "code":
                    assert isinstance(kw.value, ast.Constant), f"{path.name}:{node.lineno}: code must be a literal"
                    code = kw.value.value
                elif kw.arg is None:
                    params = None  # **where: checked at run time below
                elif params is not None:
                    params.add(kw.arg)
            previous = found.get(code, set())
            found[code] = None if params is None or previous is None else previous | params
    return found


CODES = raised_codes()


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_the_engine_raises_the_codes_we_know() -> None:
    assert {"non_finite", "shape_mismatch", "limit", "temperature", "unknown_word", "heads_not_divisor"} <= set(CODES)


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("code", sorted(CODES))
def test_every_error_code_has_a_message(code: str, lang: str) -> None:
    text = catalog(lang).get(f"error.{code}")
    assert text and text.strip(), f"error.{code} missing in {lang}"
    params = CODES[code]
    if params is not None:
        # some raise sites pass fewer parameters than others: a placeholder must be filled by every one
        assert placeholders(text) <= params, f"error.{code} ({lang}) needs {placeholders(text) - params}"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_error_text_is_translated_and_complete(lang: str) -> None:
    """Real exceptions from the engine become full sentences in the UI's language, names included."""
    st.session_state["lang"] = lang
    try:
        cases: list[AttentionLabError] = []
        for make in (
            lambda: __import__("attention_core").attention([[1.0, float("nan")]], [[1.0, 0.0]], [[1.0]]),
            lambda: __import__("attention_core").softmax([[1.0, 2.0]], temperature=0.0),
            lambda: __import__("attention_core").random_tables(3, 0, 1),
            lambda: __import__("attention_core").random_tables(3, 4, -1),
            lambda: __import__("attention_core").multi_head_attention(
                [[1.0, 2.0, 3.0]], *([[[1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0]]] * 3), 2
            ),
            lambda: __import__("attention_core").tokenize("   ") or __import__("attention_core").embed([], {}, [[1.0]]),
        ):
            try:
                make()
            except AttentionLabError as exc:
                cases.append(exc)
        cases.append(NonFiniteError("x", name="scores"))
        cases.append(LimitError("x", name="tokens", low=1, limit=128))
        cases.append(ShapeError("x", code="shape_empty", name="mask"))
        assert len(cases) >= 8, [c.code for c in cases]
        fallback = catalog(lang)["error.invalid_input"]
        for exc in cases:
            text = error_text(exc)
            assert text != fallback, exc.code
            assert "{" not in text and "}" not in text, text
            name = exc.params.get("name")
            if name in {"scores", "tokens", "mask", "dim", "seed"} and lang != "en":
                assert term(str(name)) != name and term(str(name)) in text, f"untranslated name in {text!r}"
    finally:
        st.session_state.pop("lang", None)


def test_unknown_code_falls_back_to_the_generic_message() -> None:
    st.session_state["lang"] = "ko"
    try:
        assert error_text(AttentionLabError("x", code="no_such_code")) == catalog("ko")["error.invalid_input"]
    finally:
        st.session_state.pop("lang", None)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_error_names_are_translated(lang: str) -> None:
    names = {k for k in catalog("en") if k.startswith("error_name.")}
    assert names and names <= catalog(lang).keys()
    if lang != "en":
        same = [k for k in names if catalog(lang)[k] == catalog("en")[k]]
        assert same == [], same


def test_every_error_code_has_its_key_written_out() -> None:
    """error_text() finds a code's message through ERROR_KEYS (keys written out, so grep finds them):
    every code the engine or the UI's value checks raise has its entry, named after the code."""
    ui_codes = {
        kw.value.value
        for node in ast.walk(ast.parse(Path(values.__file__).read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if kw.arg == "code" and isinstance(kw.value, ast.Constant)
    }
    assert ui_codes, "no code found in ui/values.py"
    missing = sorted((set(CODES) | ui_codes) - set(ERROR_KEYS))
    assert missing == [], f"add these codes to ui.i18n.ERROR_KEYS: {missing}"
    assert all(key == f"error.{code}" for code, key in ERROR_KEYS.items())
    assert all(key == f"error_name.{name}" for name, key in ERROR_NAME_KEYS.items())
