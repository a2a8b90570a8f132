"""Exports of an experiment, built only when a download is asked for: a Jupyter notebook, one JSON
file (read back by the import) and every table as CSV (:mod:`.files`). Each lesson's notebook is a
recipe (:mod:`.recipes`). Import the module you need: this package's ``__init__`` imports nothing."""
