"""Every lesson the registry declares has all its parts (issue 21, item 4): a test per part, each
failing with a message that names the lesson, the missing part and where to add it
(docs/adding-a-lesson.md). A new lesson added to ``ui.nav.PAGES`` without one of them fails here
first, before any page test tells the story the long way."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from labdev.env import ROOT
from tests.share_helpers import CHANGES
from ui.export.files import lesson_tables
from ui.i18n import LANGUAGES, catalog
from ui.nav import LESSONS
from ui.share.pin import full_state

NAMES = list(LESSONS)
GUIDE = "docs/adding-a-lesson.md"


@pytest.mark.parametrize("name", NAMES)
def test_the_page_file_is_a_lesson_of_the_kit(name: str) -> None:
    spec = LESSONS[name]
    path = ROOT / spec.path
    assert path.is_file(), f"lesson {name!r}: no page file {spec.path} ({GUIDE}, step 2)"
    assert path.stem == name, f"lesson {name!r}: its page file is {spec.path}; the file's stem is the lesson's name"
    source = path.read_text(encoding="utf-8")
    calls = {
        node.func.id
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert "start" in calls, f"lesson {name!r}: {spec.path} never calls start(SPEC) from ui.lesson ({GUIDE}, step 2)"
    doc = ast.get_docstring(ast.parse(source)) or ""
    if "run_lesson" in calls:  # the one lesson shape: its opening and finish are the kit's
        return
    assert "Not the kit's ``run_lesson`` shape" in doc, (
        f"lesson {name!r}: {spec.path} is not the kit's run_lesson shape and its docstring does not say why "
        f"({GUIDE}, step 2)"
    )
    assert "finish" in calls, f"lesson {name!r}: {spec.path} never calls finish(SPEC) from ui.lesson ({GUIDE}, step 2)"
    assert f'LESSONS["{name}"]' in source, f"lesson {name!r}: {spec.path} does not read its SPEC as LESSONS[{name!r}]"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", NAMES)
def test_the_lesson_has_its_words_in_every_language(name: str, lang: str) -> None:
    spec, words = LESSONS[name], catalog(lang)
    for key in (spec.title_key, spec.summary_key, f"{spec.prefix}.title", f"{spec.prefix}.intro"):
        assert words.get(key, "").strip(), (
            f"lesson {name!r}: no {key!r} in ui/locales/{lang}/ ({GUIDE}, step 4: every visible string in "
            f"en, vi and ko; the lesson's section is named after its key prefix {spec.prefix!r})"
        )
    ours = [k for k in catalog("en") if k.startswith(f"{spec.prefix}.")]
    missing = [k for k in ours if k not in words]
    assert not missing, f"lesson {name!r}: {len(missing)} key(s) of ui/locales/en/ missing in {lang}: {missing[:8]}"


@pytest.mark.parametrize("name", NAMES)
def test_the_lesson_has_a_recipe_whose_weights_the_comparison_reads(name: str) -> None:
    assert callable(LESSONS[name].recipe), f"lesson {name!r}: no notebook recipe in ui/export/recipes.py ({GUIDE}, step 5)"
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
def test_the_lesson_has_its_tests(name: str) -> None:
    for path in (f"tests/test_page_{name}.py", f"tests/browser/test_{name}.py"):
        assert (ROOT / path).is_file(), f"lesson {name!r}: no {path} ({GUIDE}, step 6)"
    assert name in CHANGES, (
        f"lesson {name!r}: no entry in tests/share_helpers.py CHANGES (the link, export and comparison "
        f"tests change every field of every lesson through it; {GUIDE}, step 6)"
    )


@pytest.mark.parametrize("name", NAMES)
def test_the_lesson_is_listed_where_people_look(name: str) -> None:
    title = catalog("en")[LESSONS[name].title_key].split(":")[0].strip().lower()
    readme = (ROOT / "README.md").read_text(encoding="utf-8").lower()
    assert title in readme, f"lesson {name!r}: the README's lesson list does not name {title!r} ({GUIDE}, step 7)"
    lessons = (ROOT / "docs" / "lessons.md").read_text(encoding="utf-8").lower()
    assert title in lessons or name in lessons, f"lesson {name!r}: docs/lessons.md does not mention it ({GUIDE}, step 7)"


def test_every_page_file_is_declared() -> None:
    declared = {Path(spec.path).name for spec in LESSONS.values()}
    files = {p.name for p in (ROOT / "pages").glob("*.py")}
    assert files == declared, f"page files not in ui.nav.PAGES: {sorted(files - declared)}; declared without a file: {sorted(declared - files)}"


#: The longest a lesson's file may be (issue 21): a page, or a module of its lesson package.
MAX_LESSON_LINES = 300


def test_no_lesson_file_runs_over_300_lines() -> None:
    files = [*(ROOT / "pages").glob("*.py"), *(ROOT / "lessons").rglob("*.py")]
    long = {str(p.relative_to(ROOT)): n for p in files if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LESSON_LINES}
    assert not long, f"over {MAX_LESSON_LINES} lines (move steps or sections beside the page, into lessons/): {long}"
