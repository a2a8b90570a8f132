"""Source checks: every ``t()`` key exists, and no English text reaches Streamlit without ``t()``.

Complements tests/test_i18n_pages.py (which looks at what a run puts on screen) by reading
the code of app.py, pages/ and ui/: states a test run does not reach are covered too.
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
