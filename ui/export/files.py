"""The files an experiment is exported to (built on demand, from plain values: no Streamlit here).

- the notebook: nbformat v4, valid by ``nbformat.validate``; a setup cell, then the lesson's recipe;
- the JSON file: ``{"app", "version", "lesson", "lang", "inputs", "results"}``; ``inputs`` holds every
  field of the lesson's experiment, ``results`` every table (rows, columns, values);
- the tables: one CSV per matrix (row labels in the first column, column labels in the first row,
  every number exact), zipped. Labels are user text (tokens, words): each goes through
  :func:`ui.escape.csv_label`, so a spreadsheet never runs one as a formula; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from attention_core.errors import AttentionLabError
from ui.escape import csv_label
from ui.i18n import text_in

from .recipes import RecipeFor, Table, Trainer, run

APP_ID = "attention-lab"
EXPERIMENT_VERSION = 1
#: What the import takes (Streamlit's ``server.maxUploadSize = 1`` MB stops larger files first).
MAX_IMPORT_BYTES = 1024 * 1024

SETUP = """\
import os
import sys
from pathlib import Path

try:
    import attention_core as ac  # the Attention Lab's engine
except ModuleNotFoundError:  # not opened from the Attention Lab folder: look for it
    here = Path.cwd()
    for folder in [os.environ.get("ATTENTION_LAB", ""), here, *here.parents]:
        if folder and (Path(folder) / "attention_core" / "__init__.py").is_file():
            sys.path.insert(0, str(folder))
            break
    import attention_core as ac
import numpy as np

np.set_printoptions(floatmode="unique", linewidth=120)  # every digit, as the page computed it"""


def cached_trainer(sentences: Any, **params: Any) -> Any:
    """The Word2Vec recipe's trainer on the server: the lab's training cache and slots, so an export
    never trains a model twice. Imported on first use, not with this module: it imports gensim (about
    a second), which only the Word2Vec lab and its exports need."""
    from ui.word2vec_cache import train_word2vec

    return train_word2vec(sentences, **params)


class Lesson(Protocol):
    """What an export needs of a lesson: its name and its recipe (the page registry's ``PageSpec`` is one)."""

    @property
    def name(self) -> str: ...

    @property
    def recipe(self) -> RecipeFor: ...


def notebook_json(lesson: Lesson, state: Mapping[str, Any], lang: str, edited: Sequence[str] = ()) -> bytes:
    """The experiment as a Jupyter notebook (UTF-8 JSON), validated by nbformat."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    r = lesson.recipe(state, lang, edited)
    cells = [
        new_markdown_cell(f"# {r.title}\n\n" + text_in(lang, "nb.intro", lesson=r.title)),
        new_markdown_cell(text_in(lang, "nb.setup")),
        new_code_cell(SETUP),
    ]
    cells += [new_markdown_cell(src) if kind == "markdown" else new_code_cell(src) for kind, src in r.cells]
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
            "attention_lab": {"lesson": lesson.name, "lang": lang, "version": EXPERIMENT_VERSION},
        },
    )
    nbformat.validate(nb)
    return nbformat.writes(nb).encode("utf-8")


def lesson_tables(
    lesson: Lesson,
    state: Mapping[str, Any],
    lang: str,
    edited: Sequence[str] = (),
    *,
    train_word2vec: Trainer | None = None,
) -> list[Table]:
    """Every table of the lesson, computed by running its recipe (empty while the inputs are bad).
    ``train_word2vec``: the trainer the Word2Vec recipe uses (see :func:`recipes.run`)."""
    r = lesson.recipe(state, lang, edited)
    try:
        return r.tables(run(r, train_word2vec=train_word2vec))
    except AttentionLabError:
        return []


def experiment_json(
    lesson: Lesson,
    inputs: Mapping[str, Any],
    state: Mapping[str, Any],
    lang: str,
    edited: Sequence[str] = (),
    *,
    train_word2vec: Trainer | None = None,
    score: Mapping[str, int] | None = None,
    pinned: tuple[Mapping[str, Any], Mapping[str, Any], Sequence[str]] | None = None,
) -> bytes:
    """The whole experiment: ``inputs`` (JSON values of every field) and the resulting tables; with
    ``score``, the learner's "Predict first" score (it stays in the file: never stored on a server);
    with ``pinned`` (A's inputs, state and edited tables: :mod:`ui.share.pin`), the comparison's A as
    ``"compare": {"a": inputs, "results": tables}``."""

    def results(state: Mapping[str, Any], edited: Sequence[str]) -> dict[str, Any]:
        return {
            name: {"rows": list(rows), "cols": list(cols), "values": values.tolist()}
            for name, values, rows, cols in lesson_tables(lesson, state, lang, edited, train_word2vec=train_word2vec)
        }

    doc: dict[str, Any] = {
        "app": APP_ID,
        "version": EXPERIMENT_VERSION,
        "lesson": lesson.name,
        "lang": lang,
        "inputs": dict(inputs),
        "results": results(state, edited),
    }
    if pinned is not None:
        a_inputs, a_state, a_edited = pinned
        doc["compare"] = {"a": dict(a_inputs), "results": results(a_state, a_edited)}
    if score:
        doc["predict_score"] = {k: int(v) for k, v in score.items()}
    return json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")


def tables_zip(
    lesson: Lesson,
    state: Mapping[str, Any],
    lang: str,
    edited: Sequence[str] = (),
    *,
    train_word2vec: Trainer | None = None,
) -> bytes:
    """Every table as a CSV file with its labels, in one zip."""
    out = io.BytesIO()
    tables = lesson_tables(lesson, state, lang, edited, train_word2vec=train_word2vec)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (name, values, rows, cols) in enumerate(tables, start=1):
            text = io.StringIO()
            w = csv.writer(text, lineterminator="\n")
            w.writerow(["", *map(csv_label, cols)])
            for label, row in zip(rows, values, strict=True):
                w.writerow([csv_label(label), *(repr(float(x)) for x in row)])
            info = zipfile.ZipInfo(f"{i:02d}_{name}.csv", date_time=(2026, 1, 1, 0, 0, 0))
            z.writestr(info, text.getvalue().encode("utf-8"), zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --------------------------------------------------------------------------- import
class ImportProblem(ValueError):
    """Why a file cannot be imported: ``code`` picks the message (``ui.share._IMPORT_KEYS``:
    ``"too_big"`` -> ``share.import_too_big``; a new code needs its entry there)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def read_experiment(data: bytes, lesson: str) -> dict[str, Any]:
    """A file's inputs, if it is an experiment of ``lesson`` this version can read; else ImportProblem."""
    return _document(data, lesson)["inputs"]


def read_pinned(data: bytes, lesson: str) -> dict[str, Any] | None:
    """The inputs of the file's pinned experiment A (``"compare": {"a": …}``), or None when it has none;
    ImportProblem when the file is not one to read (:func:`read_experiment`) or its A is not inputs."""
    compare = _document(data, lesson).get("compare")
    if compare is None:
        return None
    if not isinstance(compare, dict) or not isinstance(compare.get("a"), dict):
        raise ImportProblem("bad_value", names=["compare"])
    return compare["a"]


def _document(data: bytes, lesson: str) -> dict[str, Any]:
    """The file as JSON, if it is an experiment of ``lesson`` with inputs; else ImportProblem."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportProblem("too_big", limit="1 MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblem("not_text") from exc
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ImportProblem("truncated" if exc.pos >= len(text.rstrip()) else "not_json") from exc
    except (ValueError, RecursionError) as exc:
        raise ImportProblem("not_json") from exc
    if not isinstance(doc, dict) or doc.get("app") != APP_ID:
        raise ImportProblem("not_ours")
    if doc.get("version") != EXPERIMENT_VERSION:
        raise ImportProblem("version", version=str(doc.get("version"))[:20])
    if doc.get("lesson") != lesson:
        other = doc.get("lesson")
        raise ImportProblem("other_lesson", lesson=str(other)[:40] if isinstance(other, str) else "?")
    if not isinstance(doc.get("inputs"), dict):
        raise ImportProblem("no_inputs")
    return doc
