"""The notebook of each lesson (issue 12): valid by nbformat, executed top to bottom with nbclient
in a folder of its own (attention_core found through ``ATTENTION_LAB``, as a learner's Downloads
folder would), its printed weights and output equal to the page's to 1e-12."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from pages import LESSONS
from tests.share_helpers import changed, numbers, opened, state
from ui.export.files import notebook_json
from ui.i18n import catalog
from ui.share.fields import Matrix
from ui.share.state import differs

ROOT = Path(__file__).resolve().parent.parent


def _printed(nb: nbformat.NotebookNode, source: str) -> np.ndarray:
    """The array a cell printed (numpy's printout: one bracketed list per row, wrapped or not)."""
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.strip().endswith(source))
    text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    rows = [[float(x) for x in row.split()] for row in re.findall(r"\[([^\[\]]*)\]", text)]
    return np.array(rows, dtype=float)


def _run(nb_bytes: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    nb = nbformat.reads(nb_bytes.decode("utf-8"), as_version=4)
    nbformat.validate(nb)
    monkeypatch.setenv("ATTENTION_LAB", str(ROOT))
    monkeypatch.setenv("PYTHONHASHSEED", "12345")  # Word2Vec must not depend on it
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    return nb


@pytest.mark.slow
@pytest.mark.parametrize("page", list(LESSONS))
def test_the_notebook_runs_and_prints_the_page_numbers(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = changed(page, lang="en" if page == "word2vec" else "vi")  # the lab's changes pick English words
    s = state(at, page)
    edited = [f.name for f in LESSONS[page].experiment if isinstance(f, Matrix) and differs(f, s)]
    nb = _run(notebook_json(LESSONS[page], s, "vi", edited), tmp_path, monkeypatch)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    # the markdown is in the UI's language, one cell per step
    vi = catalog("vi")
    texts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert vi["nb.inputs"] in texts and vi["nb.setup"] in texts
    page_numbers = numbers(at)
    recipe = LESSONS[page].recipe(s, "vi", edited)  # its cells say which print the weights and the output
    weights_src, output_src = recipe.prints_weights, recipe.prints_output
    w = _printed(nb, weights_src)
    np.testing.assert_allclose(w.reshape(page_numbers["weights"].shape), page_numbers["weights"], rtol=0, atol=1e-12)
    if output_src is None:
        assert page_numbers["output"] is None
        return
    o = _printed(nb, output_src)
    # the output: the live view's (one head's weights · V) or, with heads side by side, step 5's table
    page_output = page_numbers["tables"][-1].to_numpy() if page == "step_by_step" else page_numbers["output"]
    np.testing.assert_allclose(o.reshape(page_output.shape), page_output, rtol=0, atol=1e-12)


def test_every_notebook_is_valid_in_every_language() -> None:
    for page in LESSONS:
        at = opened(page)
        for lang in ("en", "vi", "ko"):
            nb = nbformat.reads(notebook_json(LESSONS[page], state(at, page), lang).decode("utf-8"), as_version=4)
            nbformat.validate(nb)
            assert nb.metadata["attention_lab"] == {"lesson": page, "lang": lang, "version": 1}
            assert json.dumps(nb.metadata["kernelspec"]) and nb.cells[0].source.startswith("# ")


def test_user_text_enters_the_code_only_as_a_literal() -> None:
    sentence = 'x"""; import os; os.system("echo pwned") #\\ \'\'\''
    s = {**state(opened("step_by_step"), "step_by_step"), "sentence": sentence}
    code = "\n".join(src for kind, src in LESSONS["step_by_step"].recipe(s, "en", ()).cells if kind == "code")
    assert f"sentence = {sentence!r}" in code
    compile(code, "<nb>", "exec")
