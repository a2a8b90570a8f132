"""The shape of ``ui/`` (issue 21, item 3): four floors, every arrow pointing down, no import circle.

Every import in ``ui/`` is read from the source (module-level *and* function-level), with what Python
does when it imports a submodule: ``from ui.share.state import x`` runs ``ui/share/__init__.py`` first,
so it is an arrow to ``ui.share`` too. A module may import its own floor or the floors below it:

1. foundations: text and number checks, formatting, words (i18n), editor session keys, caches
2. the experiment model: fields, link, pin (``ui.share``), files (``ui.export``), the Word2Vec presets
3. what a lesson is, and the registry the kit reads (``ui.nav``, filled by the ``pages`` package)
4. the kit and the browser components: the lesson shape, figures, editors, predict, compare,
   presentation, live view, share tools, accessibility, the live class

Lesson packages (``lessons/``, e.g. the Word2Vec lab's sections) and the pages sit above all of it,
and nothing in ``ui/`` imports them; the engine (``attention_core``) is below. A new module of ``ui/`` must be given
a floor here: the test names it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from labdev.env import ROOT

FLOORS: dict[str, int] = {
    "ui.escape": 1,
    "ui.values": 1,
    "ui.format": 1,
    "ui.i18n": 1,
    "ui.word_order": 1,
    "ui.editor_state": 1,
    "ui.word2vec_cache": 1,
    "ui.share": 2,
    "ui.export": 2,
    "ui.word2vec_presets": 2,
    "ui.nav": 3,
    "ui.present": 4,
    "ui.a11y": 4,
    "ui.figures": 4,
    "ui.live_attention": 4,
    "ui.share_tools": 4,
    "ui.editors": 4,
    "ui.predict": 4,
    "ui.classroom": 4,
    "ui.compare": 4,
    "ui.lesson": 4,
}
NAMES = {1: "foundations", 2: "experiment model", 3: "page registry", 4: "kit and components"}


def _modules() -> dict[str, tuple[Path, bool]]:
    """Every module of ui/ by dotted name: (file, is a package's __init__)."""
    out = {}
    for path in sorted((ROOT / "ui").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        package = parts[-1] == "__init__"
        out[".".join(parts[:-1] if package else parts)] = (path, package)
    return out


def _imported(module: str, package: bool, node: ast.Import | ast.ImportFrom, known: set[str]) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if node.level:
        base = module.split(".") if package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        name = ".".join(base + ([node.module] if node.module else []))
    else:
        name = node.module or ""
    return [name] + [f"{name}.{a.name}" for a in node.names if f"{name}.{a.name}" in known]


def _type_only(tree: ast.Module) -> set[int]:
    """The import nodes under ``if TYPE_CHECKING:``: read by type checkers, never run."""
    return {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) in {"TYPE_CHECKING", "typing.TYPE_CHECKING"}
        for n in ast.walk(node)
    }


def _arrows(*, own_submodules: bool = False) -> dict[str, set[str]]:
    """module -> the ui modules its imports run (each package __init__ on the way included).

    A package's arrows to its own submodules are left out (importing them from the ``__init__`` runs
    them while the package is already running: no circle), unless ``own_submodules``: what the
    package's import runs, for how deep a file stands."""
    mods = _modules()
    arrows: dict[str, set[str]] = defaultdict(set)
    for module, (path, package) in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        type_only = _type_only(tree)
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)) or id(node) in type_only:
                continue
            for name in _imported(module, package, node, set(mods)):
                parts = name.split(".")
                for i in range(2, len(parts) + 1):
                    target = ".".join(parts[:i])
                    if target not in mods or target == module or module.startswith(target + "."):
                        continue  # not ui's, itself, or its own package (already running)
                    if package and target.startswith(module + ".") and not own_submodules:
                        continue
                    arrows[module].add(target)
    return arrows


def _room(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_every_module_has_a_floor() -> None:
    rooms = {_room(m) for m in _modules() if m != "ui"}
    assert not rooms - set(FLOORS), f"give these a floor in tests/test_layout.py FLOORS: {sorted(rooms - set(FLOORS))}"
    assert not set(FLOORS) - rooms, f"FLOORS names modules that do not exist: {sorted(set(FLOORS) - rooms)}"


def test_every_arrow_points_down_or_along_its_floor() -> None:
    up = [
        f"{a} (floor {FLOORS[_room(a)]}, {NAMES[FLOORS[_room(a)]]}) imports {b} "
        f"(floor {FLOORS[_room(b)]}, {NAMES[FLOORS[_room(b)]]})"
        for a, targets in _arrows().items()
        for b in sorted(targets)
        if a != "ui" and FLOORS[_room(b)] > FLOORS[_room(a)]
    ]
    assert not up, "arrows pointing up:\n" + "\n".join(up)


def test_no_import_circle() -> None:
    arrows = _arrows()
    seen: dict[str, int] = {}  # 1: on the current path, 2: done

    def walk(node: str, path: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(arrows.get(node, ())):
            if seen.get(nxt) == 1:
                circle = path[path.index(nxt) :] + [nxt]
                raise AssertionError("import circle: " + " -> ".join(circle))
            if nxt not in seen:
                walk(nxt, [*path, nxt])
        seen[node] = 2

    for module in sorted(_modules()):
        if module not in seen:
            walk(module, [module])


def test_package_inits_are_thin() -> None:
    """A package's __init__ imports nothing of ui/ outside its own package (its modules may import it)."""
    mods = _modules()
    heavy = {
        m: sorted(t for t in targets if not t.startswith(m + "."))
        for m, targets in _arrows().items()
        if mods[m][1] and any(not t.startswith(m + ".") for t in targets)
    }
    # a browser component's folder: its __init__ is the component's Python side (beside its .js)
    allowed = {"ui.a11y", "ui.live_attention", "ui.present", "ui.share_tools"}
    assert set(heavy) <= allowed, {m: heavy[m] for m in set(heavy) - allowed}


def test_ui_never_imports_a_lesson_or_a_page() -> None:
    found = []
    for module, (path, _) in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and not node.level
                and (node.module or "").split(".")[0]
                in {
                    "lessons",
                    "pages",
                }
            ):
                found.append(f"{module}: from {node.module} import …")
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] in {"lessons", "pages"} for a in node.names):
                found.append(f"{module}: import {', '.join(a.name for a in node.names)}")
    assert not found, found


#: How deep ``ui/`` may stand, drawn with each file above everything it imports (a package above the
#: modules its ``__init__`` imports). The kit (``ui.lesson``) is the one file at 6: it composes the
#: components (5), which read the experiment model's link and pin (values -> fields -> state -> pin)
#: or the words and their escaping (escape -> i18n -> present -> figures). Issue 21 aimed at 5;
#: reaching it would mean merging the pin into the link's state and the words into their escaping.
MAX_LEVELS = 6


def _levels() -> dict[str, list[str]]:
    """Each ui module's longest chain of imports down to a file that imports nothing of ui/."""
    arrows = _arrows(own_submodules=True)
    chains: dict[str, list[str]] = {}

    def chain(m: str) -> list[str]:
        if m not in chains:
            below = [chain(d) for d in sorted(arrows.get(m, ()))]
            chains[m] = [m, *max(below, key=len, default=[])]
        return chains[m]

    for m in _modules():
        chain(m)
    return chains


def test_ui_stands_at_most_six_levels_deep() -> None:
    deep = {m: c for m, c in _levels().items() if len(c) > MAX_LEVELS}
    assert not deep, "\n".join(f"{len(c)} levels: {' -> '.join(c)}" for c in deep.values())
    assert max(len(c) for c in _levels().values()) == MAX_LEVELS, "ui/ stands lower now: lower MAX_LEVELS"
