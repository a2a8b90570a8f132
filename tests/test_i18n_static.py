"""Source checks: every ``t()`` key exists, and no English text reaches Streamlit without ``t()``;
locale keys are written out in full (never built with f-strings, so grep finds them), every key the
code names is in all three catalogs, and every catalog key is named somewhere in the code.

Complements tests/test_i18n_pages.py (which looks at what a run puts on screen) by reading
the code of app.py, pages/, ui/ and lessons/ (when there is one): states a test run does not reach
are covered too.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from ui.i18n import catalog

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(
    [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").rglob("*.py"), *(ROOT / "lessons").rglob("*.py")]
)
EN = catalog("en")
#: Streamlit calls whose first argument or label/help/placeholder/title keyword is shown as text.
DISPLAY = {
    "title",
    "header",
    "subheader",
    "markdown",
    "write",
    "caption",
    "info",
    "warning",
    "error",
    "success",
    "toast",
    "spinner",
    "button",
    "download_button",
    "form_submit_button",
    "toggle",
    "checkbox",
    "slider",
    "select_slider",
    "number_input",
    "text_input",
    "text_area",
    "selectbox",
    "radio",
    "multiselect",
    "expander",
    "popover",
    "tabs",
    "page_link",
    "metric",
    "Page",
}
SHOWN_KEYWORDS = {"label", "help", "placeholder", "title", "body", "caption"}
#: Literal text allowed on purpose: the app's name (the browser tab, before a language is known).
ALLOWED = {"Attention Lab"}
_WORD = re.compile(r"[A-Za-z]{3,}")


def _calls(path: Path) -> Iterator[tuple[str, ast.Call]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
            yield name, node


def _literal_parts(node: ast.expr) -> list[str]:
    """The literal text of a string or f-string argument (the parts that are not ``{expressions}``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal_parts(node.left) + _literal_parts(node.right)
    return []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_t_key_exists(path: Path) -> None:
    missing = []
    for name, call in _calls(path):
        if name != "t" or not call.args:
            continue
        arg = call.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            if arg.value not in EN:
                missing.append(f"{path.name}:{call.lineno} {arg.value}")
        elif isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
            prefix = str(arg.values[0].value)  # t(f"books.{b}"): some key must start so
            if not any(k.startswith(prefix) for k in EN):
                missing.append(f"{path.name}:{call.lineno} {prefix}…")
    assert missing == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_english_literal_reaches_streamlit(path: Path) -> None:
    found = []
    for name, call in _calls(path):
        if name not in DISPLAY:
            continue
        shown = call.args[:1] + [k.value for k in call.keywords if k.arg in SHOWN_KEYWORDS]
        for arg in shown:
            for part in _literal_parts(arg):
                if part not in ALLOWED and _WORD.search(part):
                    found.append(f"{path.name}:{call.lineno} {name}({part!r})")
    assert found == []


def test_the_checks_see_a_literal() -> None:
    tree = ast.parse('st.caption("Scores of " + x)\nst.button(f"Reset {n}", help="Click it")\nt("nope.key")')
    calls = [c for c in ast.walk(tree) if isinstance(c, ast.Call)]
    assert _literal_parts(calls[0].args[0]) == ["Scores of "]
    assert _literal_parts(calls[1].args[0]) == ["Reset "]
    assert "nope.key" not in EN


# --------------------------------------------------------------------------- keys written out in full
#: Every catalog, by language.
CATALOGS = {lang: catalog(lang) for lang in ("en", "vi", "ko")}
#: A key's first part: a section of the catalogs (``library`` in ``library.output_title``).
SECTIONS = {k.split(".")[0] for k in EN}
_KEY_LIKE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")
#: Strings shaped like a key that no catalog has, whose last part is a file's suffix: file names
#: (``share.js``), not keys (``share.csv`` is one: the label of the CSV download).
FILE_SUFFIXES = {"js", "css", "html", "py", "toml", "json", "csv", "ipynb", "zip", "png", "md"}
#: Catalog keys that no string in the code names, and why. Empty: every key is written out where it is used.
UNUSED_ALLOWED: dict[str, str] = {}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _key_args(tree: ast.Module) -> Iterator[tuple[str, ast.expr]]:
    """``(call, key expression)`` of every ``t(key)``, ``text_in(lang, key)``, ``catalog(lang)[key]``
    and ``catalog(lang).get(key)``."""

    def is_catalog(node: ast.expr) -> bool:
        return isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "catalog"

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
            keyword = next((k.value for k in node.keywords if k.arg == "key"), None)
            if name == "t" and (node.args or keyword is not None):
                yield "t", node.args[0] if node.args else keyword
            elif name == "text_in" and (len(node.args) > 1 or keyword is not None):
                yield "text_in", node.args[1] if len(node.args) > 1 else keyword
            elif name == "get" and isinstance(fn, ast.Attribute) and is_catalog(fn.value) and node.args:
                yield "catalog().get", node.args[0]
        elif isinstance(node, ast.Subscript) and is_catalog(node.value):
            yield "catalog()[]", node.slice


def _built(expr: ast.expr) -> ast.expr | None:
    """The part of a key expression that builds text at run time (an f-string, ``+`` or ``%`` on
    text, ``.format``/``.join``/``.replace``), or None when the key is a literal or a name for one
    (a variable, an attribute, an entry of a table of literal keys)."""
    for node in ast.walk(expr):
        if isinstance(node, ast.JoinedStr):
            return node
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            return node
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in {"format", "join", "replace"}:
            return node
    return None


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_locale_keys_are_not_built(path: Path) -> None:
    """A key handed to t(), text_in() or a catalog is written out (so grep finds it): a literal, or a
    name for one from a table of literal keys, never an f-string, a concatenation or a format()."""
    built = []
    for call, expr in _key_args(_tree(path)):
        part = _built(expr)
        if part is not None:
            built.append(f"{path.relative_to(ROOT)}:{expr.lineno}: {call}({ast.unparse(expr)}) builds its key")
    assert built == [], "write these keys out in full (a literal, or a table of literal keys):\n" + "\n".join(built)


def _pattern(node: ast.expr) -> str | None:
    """A regular expression for the text an f-string or a ``+`` of strings makes (``.+`` for each
    expression in it), when its literal text has a dot and a word (``error.``, ``.output_title``:
    keys have them); else None."""
    if isinstance(node, ast.JoinedStr):
        parts = node.values
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = []
        stack: list[ast.expr] = [node]
        while stack:  # flatten a + b + c, left to right
            item = stack.pop()
            if isinstance(item, ast.BinOp) and isinstance(item.op, ast.Add):
                stack += [item.right, item.left]
            else:
                parts.append(item)
        if not any(isinstance(p, ast.Constant) and isinstance(p.value, str) for p in parts):
            return None
    else:
        return None
    literal = "".join(p.value for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str))
    if "." not in literal or not re.search(r"[a-z_]{2}", literal):  # a key's dot and a part of its name
        return None
    return "".join(
        re.escape(p.value) if isinstance(p, ast.Constant) and isinstance(p.value, str) else ".+" for p in parts
    )


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_text_built_in_code_is_a_locale_key(path: Path) -> None:
    """No f-string or concatenation anywhere makes a catalog key (``key = f"error.{code}"`` then
    ``t(key)`` would hide the key from grep as well as ``t(f"error.{code}")``)."""
    found = []
    for node in ast.walk(_tree(path)):
        pattern = _pattern(node) if isinstance(node, ast.expr) else None
        if pattern is None:
            continue
        hits = sorted(k for k in EN if re.fullmatch(pattern, k, re.S))
        if hits:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)} makes {', '.join(hits[:3])}…")
    assert found == [], "write these keys out in full (a table of literal keys):\n" + "\n".join(found)


def _key_literals() -> dict[str, list[str]]:
    """Every string in the code shaped like a key of a catalog section -> where (``file:line``)."""
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _KEY_LIKE.fullmatch(node.value):
                first, *_, last = node.value.split(".")
                if first in SECTIONS and (node.value in EN or last not in FILE_SUFFIXES):
                    found.setdefault(node.value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


KEY_LITERALS = _key_literals()


@pytest.mark.parametrize("lang", list(CATALOGS))
def test_every_key_written_in_code_is_in_every_catalog(lang: str) -> None:
    """Each key the code names (in a t() call or in a table of keys) has a text in every language."""
    missing = [f"{where[0]}: {key}" for key, where in sorted(KEY_LITERALS.items()) if key not in CATALOGS[lang]]
    assert missing == [], f"keys missing from ui/locales/{lang}/*.toml:\n" + "\n".join(missing)


def test_every_catalog_key_is_used_in_code() -> None:
    """Each catalog key is written out somewhere in the code (:data:`SOURCES`; so a key no code reads is
    removed, not translated forever)."""
    unused = sorted(set(EN) - set(KEY_LITERALS) - set(UNUSED_ALLOWED))
    assert unused == [], "catalog keys no code names (remove them, or list them in UNUSED_ALLOWED with why):\n" + (
        "\n".join(unused)
    )
    assert set(UNUSED_ALLOWED) <= set(EN), "UNUSED_ALLOWED names keys the catalogs no longer have"


def test_the_tables_of_keys_cover_their_ids() -> None:
    """The tables that stand for built keys name every id they are looked up with."""
    from attention_core.presets import LIBRARY, WORD2VEC_PRESETS
    from lessons.word2vec.state import PRESET_KEYS
    from ui.export.files import ImportProblem
    from ui.i18n import BOOK_KEYS
    from ui.share_tools import _IMPORT_KEYS

    assert set(LIBRARY.book_ids) <= set(BOOK_KEYS)
    assert {p.id for p in WORD2VEC_PRESETS} <= set(PRESET_KEYS)
    codes = {
        str(node.args[0].value)
        for path in SOURCES
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == ImportProblem.__name__
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    codes |= {"truncated", "not_json"}  # raised as one conditional expression
    assert codes and codes <= set(_IMPORT_KEYS), sorted(codes - set(_IMPORT_KEYS))


def test_the_key_checks_see_built_keys() -> None:
    tree = ast.parse(
        't(f"{p}.output_title")\ntext_in(lang, "books." + b)\ncatalog(lang)["error.{}".format(c)]\n'
        't("library.title")\nt(BOOK_KEYS[b])\nt("a" if x else "b")\nkey = f"error_name.{name}"'
    )
    exprs = [e for _, e in _key_args(tree)]
    assert [_built(e) is not None for e in exprs] == [True, True, True, False, False, False]
    assigned = next(n.value for n in tree.body if isinstance(n, ast.Assign))
    assert re.fullmatch(str(_pattern(assigned)), "error_name.scores")
    assert _pattern(ast.parse('f"{key}__value"', mode="eval").body) is None  # a session key: no dot
    assert _pattern(ast.parse('f"{param}.{name}"', mode="eval").body) is None  # a dot alone: no key's name
    assert "share.js" not in KEY_LITERALS and "library.title" in KEY_LITERALS
