"""The lesson lists of README.md and docs/lessons.md, written from the lessons' declarations.

A lesson is declared once, in its file (``pages.PAGES``); its title, summary and step titles are in
the English catalog. The two lists people read are generated from those, between marker comments,
so a new lesson needs no hand edit there::

    python -m labdev.lesson_index           # rewrite both lists
    python -m labdev.lesson_index --check   # exit 1 (naming the file) when a list is out of date

``tests/test_lesson_parts.py`` runs the check.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from labdev.env import ROOT

BEGIN = "<!-- lessons: written by `python -m labdev.lesson_index` from the declarations; do not edit -->"
END = "<!-- /lessons -->"


def _words() -> dict[str, str]:
    from ui.i18n import catalog

    return dict(catalog("en"))


def _step(text: str) -> str:
    """A step title as a list shows it: a value the page fills in is an ellipsis."""
    return re.sub(r"\{[^{}]*\}", "…", text)


def readme_list() -> str:
    """README's list: each lesson's title and summary, in teaching order."""
    from pages import PAGES

    w = _words()
    return "\n".join(f"{i}. **{w[p.title_key]}**: {w[p.summary_key]}" for i, p in enumerate(PAGES, 1))


def docs_table() -> str:
    """docs/lessons.md's table: each lesson's title, file, summary and steps."""
    from pages import PAGES

    w = _words()
    rows = ["| lesson | file | what it teaches | its steps |", "| --- | --- | --- | --- |"]
    for p in PAGES:
        steps = "; ".join(f"{n}. {_step(w[k])}" for n, k in enumerate(p.steps, 1)) or "(no numbered steps)"
        rows.append(f"| {p.icon} {w[p.title_key]} | `{p.path}` | {w[p.summary_key]} | {steps} |")
    return "\n".join(rows)


TARGETS = {"README.md": readme_list, "docs/lessons.md": docs_table}


def rewritten(path: Path, body: str) -> str:
    """``path``'s text with ``body`` between its markers."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + r"\n.*?\n" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{path.relative_to(ROOT)}: no lesson list markers ({BEGIN} … {END})")
    return pattern.sub(lambda _: f"{BEGIN}\n{body}\n{END}", text)


def stale() -> list[str]:
    """The files whose list is out of date."""
    return [name for name, make in TARGETS.items() if rewritten(ROOT / name, make()) != (ROOT / name).read_text(encoding="utf-8")]


def main(argv: list[str] | None = None) -> int:
    import logging

    import streamlit.runtime.caching.cache_data_api  # noqa: F401 - its logger, quiet below

    # the lessons' caches note that no Streamlit server runs: true, and no news here
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say which lists are out of date")
    args = parser.parse_args(argv)
    if args.check:
        out = stale()
        for name in out:
            print(f"{name}: the lesson list is out of date: run python -m labdev.lesson_index")
        return 1 if out else 0
    for name, make in TARGETS.items():
        (ROOT / name).write_text(rewritten(ROOT / name, make()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
