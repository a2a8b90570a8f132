"""The engine's documented examples run as shown: every ``pycon`` block of docs/engine.md (in order,
sharing their names, as one notebook session would), and every docstring example of attention_core.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import attention_core

DOC = Path(__file__).resolve().parent.parent / "docs" / "engine.md"
BLOCK = re.compile(r"^```pycon\n(.*?)^```", re.S | re.M)
MODULES = sorted(m.name for m in pkgutil.iter_modules(attention_core.__path__, "attention_core."))


def test_every_example_of_docs_engine_md_runs_as_shown() -> None:
    text = DOC.read_text(encoding="utf-8")
    blocks = list(BLOCK.finditer(text))
    assert len(blocks) >= 15, "docs/engine.md shows an example for every module but limits"
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    globs: dict[str, object] = {}
    report: list[str] = []
    for block in blocks:
        line = text.count("\n", 0, block.start()) + 1
        test = parser.get_doctest(block.group(1), globs, f"docs/engine.md:{line}", str(DOC), line)
        runner.run(test, out=report.append, clear_globs=False)
        globs = test.globs  # the next block goes on from here
    assert runner.failures == 0, "".join(report)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run_as_shown(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE, report=False, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples fail: pytest --doctest-modules {name}"
