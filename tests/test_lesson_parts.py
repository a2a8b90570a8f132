"""Every lesson has all its parts (issue 21, item 4): a test per part, each failing with a message
that names the lesson, the missing part and where to add it (docs/adding-a-lesson.md). A lesson is
a file in ``pages/`` (the ``pages`` package finds it and checks its declaration: one ``SPEC`` per
file, named after the file, its prefix and place in the order its own); a new one without one of its
parts fails here first, before any page test tells the story the long way."""

from __future__ import annotations

import ast
import re

import numpy as np
import pytest

from labdev.env import ROOT
from pages import LESSONS, PAGES
from tests.apptest_helpers import open_page
from tests.share_helpers import CHANGES
from ui.export.files import lesson_tables
from ui.i18n import LANGUAGES, catalog
from ui.share.pin import full_state

NAMES = list(LESSONS)
GUIDE = "docs/adding-a-lesson.md"
MAIN = 'if __name__ == "__main__"'


def _is_main_guard(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) == "__name__ == '__main__'"


@pytest.mark.parametrize("name", NAMES)
def test_the_page_file_is_a_lesson_of_the_kit(name: str) -> None:
    spec = LESSONS[name]
    path = ROOT / spec.path
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    guards = [n for n in tree.body if _is_main_guard(n)]
    assert len(guards) == 1, f"lesson {name!r}: {spec.path} draws nothing under {MAIN}: ({GUIDE}, step 2)"
    drawn = [n for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef))]
    for node in drawn:  # what runs when `pages` imports the file: constants and the declaration only
        if node is guards[0] or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            continue
        assert isinstance(node, (ast.Assign, ast.AnnAssign)), (
            f"lesson {name!r}: {spec.path} line {node.lineno} runs when the file is imported: move it under {MAIN}: "
            f"({GUIDE}, step 2)"
        )
    first = guards[0].body[0]
    assert ast.unparse(first) == "start(SPEC)", (
        f"lesson {name!r}: the first line under {MAIN}: in {spec.path} must be start(SPEC) ({GUIDE}, step 2)"
    )
    calls = {
        node.func.id for node in ast.walk(guards[0]) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    doc = ast.get_docstring(tree) or ""
    if "run_lesson" in calls:  # the one lesson shape: its opening and finish are the kit's
        return
    assert "Not the kit's ``run_lesson`` shape" in doc, (
        f"lesson {name!r}: {spec.path} is not the kit's run_lesson shape and its docstring does not say why "
        f"({GUIDE}, step 2)"
    )
    assert "finish" in calls, f"lesson {name!r}: {spec.path} never calls finish(SPEC) from ui.lesson ({GUIDE}, step 2)"


def test_the_key_prefixes_follow_one_convention() -> None:
    """A prefix is the lesson's catalog section and starts each of its keys (``<prefix>_<field>``): a
    lower-case name, and no lesson's keys can be read as another's (``self`` and ``self_x`` would)."""
    prefixes = [p.prefix for p in PAGES]
    bad = [p for p in prefixes if not re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", p)]
    assert not bad, f"key prefixes must be lower-case names: {bad} ({GUIDE}, step 2)"
    clash = [(a, b) for a in prefixes for b in prefixes if a != b and b.startswith(a + "_")]
    assert not clash, f"one lesson's keys would read as another's: {clash} ({GUIDE}, step 2)"


def test_the_lessons_are_in_teaching_order_with_the_home_page_first() -> None:
    assert PAGES[0].name == "home" and PAGES[0].order == 0
    assert [p.order for p in PAGES] == sorted({p.order for p in PAGES}), "two lessons share a place in the order"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", NAMES)
def test_the_lesson_has_its_words_in_every_language(name: str, lang: str) -> None:
    spec, words = LESSONS[name], catalog(lang)
    for key in (spec.title_key, spec.summary_key, f"{spec.prefix}.title", f"{spec.prefix}.intro", *spec.steps):
        assert words.get(key, "").strip(), (
            f"lesson {name!r}: no {key!r} in ui/locales/{lang}/ ({GUIDE}, step 4: every visible string in "
            f"en, vi and ko; the lesson's section is named after its key prefix {spec.prefix!r})"
        )
    ours = [k for k in catalog("en") if k.startswith(f"{spec.prefix}.")]
    missing = [k for k in ours if k not in words]
    assert not missing, f"lesson {name!r}: {len(missing)} key(s) of ui/locales/en/ missing in {lang}: {missing[:8]}"


@pytest.mark.parametrize("name", NAMES)
def test_the_lesson_has_a_recipe_whose_weights_the_comparison_reads(name: str) -> None:
    assert callable(LESSONS[name].recipe), f"lesson {name!r}: its SPEC names no recipe ({GUIDE}, step 3)"
    if name == "word2vec":
        return  # trains a model: its recipe's tables are checked in tests/test_share_notebook.py
    spec = LESSONS[name]
    tables = {t[0]: t for t in lesson_tables(spec, full_state(spec, {}), "en")}
    assert "weights" in tables, (
        f"lesson {name!r}: its recipe has no 'weights' table at the defaults (exports and Compare A/B show it)"
    )
    _, w, rows, cols = tables["weights"]
    w = np.atleast_2d(w)
    assert w.shape == (len(rows), len(cols)), f"lesson {name!r}: the weights table's labels do not fit it"


@pytest.mark.parametrize("name", NAMES)
def test_the_lesson_has_its_test(name: str) -> None:
    path = f"tests/test_page_{name}.py"
    assert (ROOT / path).is_file(), f"lesson {name!r}: no {path} ({GUIDE}, step 5)"
    assert name in CHANGES, (
        f"lesson {name!r}: {path} has no change_every_field(at) (the link, export and comparison tests change "
        f"every field of every lesson through it; {GUIDE}, step 5)"
    )


def _title_pattern(template: str) -> re.Pattern[str]:
    """A catalog string with its ``{placeholders}`` as "anything"."""
    parts = re.split(r"\{[^{}]*\}", template)
    return re.compile(".+".join(re.escape(p) for p in parts), re.S)


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in NAMES if LESSONS[n].steps])
def test_the_declared_steps_are_the_steps_the_page_draws(name: str) -> None:
    """At the lesson's defaults, its numbered step cards ("Step n · title") carry the declared titles,
    numbered from 1 in the declared order (a title with a value in it matches any value; a step the
    defaults do not draw, such as RoPE's, is the last one declared)."""
    spec, words = LESSONS[name], catalog("en")
    at = open_page(name, "en", timeout=120)
    step = words["common.step"]
    drawn = []
    for md in at.markdown:
        m = re.fullmatch(r"\*\*" + re.escape(step).replace(r"\{n\}", r"(\d+)") + r" · (.+)\*\*", md.value, re.S)
        if m:
            drawn.append((int(m.group(1)), m.group(2)))
    assert drawn, f"lesson {name!r}: no step card drawn at the defaults"
    for n, title in drawn:
        assert 1 <= n <= len(spec.steps), f"lesson {name!r}: step {n} ({title!r}) is not declared in SPEC.steps"
        assert _title_pattern(words[spec.steps[n - 1]]).fullmatch(title), (
            f"lesson {name!r}: step {n} draws {title!r}, SPEC.steps[{n - 1}] is {spec.steps[n - 1]!r}: "
            f"{words[spec.steps[n - 1]]!r}"
        )
    numbers = sorted({n for n, _ in drawn})
    assert numbers == list(range(1, len(numbers) + 1)), f"lesson {name!r}: steps drawn {numbers}"


#: The longest a lesson's file may be (issue 21): a page, or a module of its lesson package.
MAX_LESSON_LINES = 300


def test_no_lesson_file_runs_over_300_lines() -> None:
    files = [*(ROOT / "pages").glob("*.py"), *(ROOT / "lessons").rglob("*.py")]
    long = {
        str(p.relative_to(ROOT)): n
        for p in files
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LESSON_LINES
    }
    assert not long, f"over {MAX_LESSON_LINES} lines (move steps or sections beside the page, into lessons/): {long}"


def test_the_lesson_lists_people_read_are_written_from_the_declarations() -> None:
    from labdev import lesson_index

    out = lesson_index.stale()
    assert not out, f"{out}: the lesson list is out of date: run python -m labdev.lesson_index ({GUIDE}, step 6)"


def test_the_guides_example_is_a_lesson_the_pages_package_takes() -> None:
    """docs/adding-a-lesson.md's example, run as `import pages` runs a page (not as __main__): it
    declares a lesson with its field, steps and a recipe whose code compiles."""
    from ui.nav import PageSpec
    from ui.share.pin import full_state

    doc = (ROOT / GUIDE).read_text(encoding="utf-8")
    code = re.search(r"## 2\. The lesson.*?```python\n(.*?)```", doc, re.S)
    assert code, f"{GUIDE}: no python example under step 2"
    namespace: dict[str, object] = {"__name__": "pages.guide_example"}
    exec(compile(code.group(1), GUIDE, "exec"), namespace)  # noqa: S102 - the repository's own document
    spec = namespace["SPEC"]
    assert isinstance(spec, PageSpec) and spec.name == "softmax_temperature" and spec.prefix not in {
        p.prefix for p in PAGES
    }
    assert [f.name for f in spec.experiment] == ["scale", "temperature"] and len(spec.steps) == 2
    state = full_state(spec, {})
    assert state == {"scale": False, "temperature": 1.0}
    recipe = spec.recipe(state, "en", ())
    for kind, source in recipe.cells:
        if kind == "code":
            compile(source, "<cell>", "exec")
    assert recipe.prints_weights == "print(weights)" and recipe.prints_output is None
