"""The cross-attention page (AppTest): the live view's weights and output, the output table and the
narration against an independent numpy computation (loops over target and source words, never
``attention_core.cross_attention``); editing either sentence changes the shape to n_target × n_source;
heads, a vector typed in the editor's text box, and the languages."""

from __future__ import annotations

import math

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from attention_core.cross_presets import CROSS_ATTENTION, cross_vectors
from tests.apptest_helpers import live_numbers, live_view, open_page, set_temperature
from tests.share_helpers import text_box
from ui.i18n import catalog

PAGE = "cross_attention"


def reference(xt: np.ndarray, xs: np.ndarray, heads: int = 1, scale: bool = True, temperature: float = 1.0):  # noqa: ANN201
    """Every head's weights (h, n_t, n_s) and its output (h, n_t, d_head), word by word, in plain numpy."""
    d = xt.shape[1] // heads
    weights = np.zeros((heads, len(xt), len(xs)))
    outputs = np.zeros((heads, len(xt), d))
    for h in range(heads):
        cols = slice(h * d, (h + 1) * d)
        for i in range(len(xt)):
            z = np.array([float(np.dot(xt[i, cols], xs[j, cols])) for j in range(len(xs))])
            z = z / (math.sqrt(d) if scale else 1.0) / temperature
            e = np.exp(z - z.max())
            weights[h, i] = e / e.sum()
            outputs[h, i] = sum(weights[h, i, j] * xs[j, cols] for j in range(len(xs)))
    return weights, outputs


def tables(at) -> list:  # noqa: ANN001
    return [d.value for d in at.dataframe if d.proto.editing_mode == 0]


def narration(at) -> str:  # noqa: ANN001
    return next(m.value for m in at.markdown if m.value.startswith("- "))


def check(at, source: list[str], target: list[str], *, heads: int = 1, head: int = 0, **kw) -> np.ndarray:  # noqa: ANN001
    """The page's live view and output table equal the reference; returns the shown head's weights."""
    xs, xt = cross_vectors(source), cross_vectors(target)
    w, out = reference(xt, xs, heads, **kw)
    header, _ = live_view(at)
    assert header["rows"] == target and header["cols"] == source  # rows: target words, columns: source words
    page_w, page_out = live_numbers(at)
    assert page_w.shape == (len(target), len(source))
    np.testing.assert_allclose(page_w, w[head], rtol=0, atol=1e-12)
    np.testing.assert_allclose(page_out, out[head], rtol=0, atol=1e-12)
    output = tables(at)[-1]  # step 4: every head side by side
    np.testing.assert_allclose(output.to_numpy(), np.concatenate(list(out), axis=1), rtol=0, atol=1e-12)
    assert list(output.index) == target
    return w[head]


def test_defaults_every_target_word_reads_its_translation() -> None:
    at = open_page(PAGE)
    source, target = CROSS_ATTENTION.source.split(), CROSS_ATTENTION.target.split()
    w = check(at, source, target)
    text = narration(at)
    for i, word in enumerate(target):  # the argmax of each row, computed here
        assert f"`{word}` reads `{source[int(np.argmax(w[i]))]}` most" in text
    assert "`I` reads `Tôi` most" in text and "`studying` reads `học` most" in text


def test_editing_a_sentence_changes_the_shape() -> None:
    at = open_page(PAGE)
    at.text_input(key="cross_target").set_value("I like AI").run()
    assert not at.exception
    check(at, "Tôi thích học AI".split(), ["I", "like", "AI"])
    at.text_input(key="cross_source").set_value("Tôi rất thích học AI lắm").run()
    assert not at.exception
    w = check(at, "Tôi rất thích học AI lắm".split(), ["I", "like", "AI"])
    assert w.shape == (3, 6)
    assert "`AI` reads `AI` most" in narration(at)


def test_heads_scaling_and_temperature() -> None:
    at = open_page(PAGE)
    source, target = CROSS_ATTENTION.source.split(), CROSS_ATTENTION.target.split()
    at.radio(key="cross_heads").set_value(2).run()
    at.radio(key="cross_head").set_value(2).run()
    assert not at.exception
    check(at, source, target, heads=2, head=1)
    at.toggle(key="cross_scale").set_value(False).run()
    set_temperature(at, "cross_temperature", 0.5).run()
    assert not at.exception
    check(at, source, target, heads=2, head=1, scale=False, temperature=0.5)


def test_a_vector_typed_in_the_editor_changes_who_reads_whom() -> None:
    at = open_page(PAGE)
    # "I" now points along "AI": it reads the source's "AI" most
    rows = ["0 0 0.3 2", "0.3 2 0.3 0", "0 0.3 2 0.3", "0 0 0.3 2"]
    at.text_area(key="cross_xt__text").set_value("\n".join(rows)).run()
    assert not at.exception
    xt = np.array([[float(x) for x in r.split()] for r in rows])
    xs = cross_vectors(CROSS_ATTENTION.source.split())
    w, _ = reference(xt, xs)
    np.testing.assert_allclose(live_numbers(at)[0], w[0], rtol=0, atol=1e-12)
    assert "`I` reads `AI` most" in narration(at)


def test_a_tie_is_named_as_a_tie() -> None:
    at = open_page(PAGE)
    at.text_input(key="cross_source").set_value("học học").run()  # two equal keys for every query
    assert not at.exception
    assert "(a tie)" in narration(at)


def test_empty_sentence_says_so() -> None:
    at = open_page(PAGE)
    at.text_input(key="cross_target").set_value("   ").run()
    assert not at.exception
    assert any(catalog("en")["error.empty_text"] in e.value for e in at.error)
    assert not at.get("bidi_component") or all(el.key != "cross_live" for el in at.get("bidi_component"))


@pytest.mark.parametrize("lang", ["vi", "ko"])
def test_languages(lang: str) -> None:
    at = open_page(PAGE, lang)
    words = catalog(lang)
    assert any(words["cross.title"] in m.value for m in at.title)
    header, _ = live_view(at)
    assert header["texts"]["row_title"] == words["cross.target_axis"]


def test_presentation_mode_has_a_stage_per_step() -> None:
    at = open_page(PAGE, run=False)
    at.session_state["present"] = True
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["_present_last"] >= 4  # the opening, then steps 1-4 (heads and switch in step 2's)


def test_predict_first_covers_the_narration_and_the_output() -> None:
    at = open_page(PAGE, run=False)
    at.session_state["predict_first"] = True
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not any(m.value.startswith("- ") and "reads" in m.value for m in at.markdown)
    assert live_view(at)[0]["covered"] is True


def change_every_field(at: AppTest) -> None:
    """Change every field of the lesson through its widgets, each to a valid value (the link, export
    and comparison tests read it through ``tests.share_helpers.CHANGES``)."""
    at.text_input(key="cross_source").set_value("Tôi rất thích học AI").run()
    at.text_input(key="cross_target").set_value("I really like AI <b>!</b>").run()
    at.radio(key="cross_heads").set_value(2).run()
    at.radio(key="cross_head").set_value(2).run()
    at.toggle(key="cross_scale").set_value(False).run()
    text_box(at, "cross_xs", "2 0.3 0 0\n0.1234567890123457 -1 0.5 0.25\n0.3 2 0.3 0\n0 0.3 2 0.3\n0 0 0.3 2")
    text = at.text_area(key="cross_xt__text").value.splitlines()
    text[1] = "0.5 0.5 -0.3333333333333333 1e-05"
    text_box(at, "cross_xt", "\n".join(text))
    set_temperature(at, "cross_temperature", 0.45).run()
