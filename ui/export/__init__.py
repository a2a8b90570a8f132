"""Exports of an experiment, built only when a download is asked for: a Jupyter notebook
(:func:`notebook_json`), one JSON file (:func:`experiment_json`, read back by :func:`read_experiment`)
and every table as CSV (:func:`tables_zip`). Each lesson's notebook is a recipe (:mod:`.recipes`)."""

from .files import (
    EXPERIMENT_VERSION,
    MAX_IMPORT_BYTES,
    ImportProblem,
    Lesson,
    experiment_json,
    lesson_tables,
    notebook_json,
    read_experiment,
    read_pinned,
    tables_zip,
)

__all__ = [
    "EXPERIMENT_VERSION",
    "MAX_IMPORT_BYTES",
    "ImportProblem",
    "Lesson",
    "experiment_json",
    "lesson_tables",
    "notebook_json",
    "read_experiment",
    "read_pinned",
    "tables_zip",
]
