"""The lessons: one file each in this folder, found here, not listed anywhere else.

Each page file declares its lesson once, as ``SPEC = PageSpec(...)`` (or imports it from its lesson
package in ``lessons/``), and draws it only when Streamlit runs it (``if __name__ == "__main__":``),
so importing this package reads every declaration without drawing anything. The declarations are
checked (one per file, the file's stem as name, names, key prefixes and places in the order each used
once), put in teaching order and registered for the kit (:func:`ui.nav.register`).

``PAGES`` (in order) and ``LESSONS`` (by name) are what ``app.py``, the tests and the benchmarks read.
A new lesson is a new file here: see docs/adding-a-lesson.md.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from collections.abc import Mapping
from types import MappingProxyType

from ui.nav import PageSpec, register


def _declared() -> list[PageSpec]:
    specs = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        spec = getattr(module, "SPEC", None)
        if not isinstance(spec, PageSpec):
            raise TypeError(f"pages/{info.name}.py declares no lesson: it needs SPEC = PageSpec(...)")
        if spec.name != info.name:
            raise ValueError(f"pages/{info.name}.py declares a lesson named {spec.name!r}: name it {info.name!r}")
        specs.append(spec)
    for what in ("prefix", "order"):
        twice = [v for v, n in Counter(getattr(s, what) for s in specs).items() if n > 1]
        if twice:
            raise ValueError(
                f"two lessons share a {what}: {twice} ({[s.name for s in specs if getattr(s, what) in twice]})"
            )
    return sorted(specs, key=lambda s: s.order)


#: Every lesson, in teaching order (the home page first).
PAGES: tuple[PageSpec, ...] = tuple(_declared())
#: The lessons by name: ``LESSONS["library"].temperature_key == "library_temperature"``.
LESSONS: Mapping[str, PageSpec] = MappingProxyType({p.name: p for p in PAGES})
register(PAGES)
