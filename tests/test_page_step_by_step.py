"""The "Step by step" page (seed 000): the notebook's numbers at the defaults, live controls, bad input.

Reference numbers come from an independent numpy computation (``tests.numpy_ref.seed_000``), the way
the notebook does it (global ``np.random.seed`` + ``np.random.rand``), not from the core.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Dataframe

from attention_core.presets import STEP_BY_STEP
from tests.apptest_helpers import live_numbers, live_view, open_page, set_temperature, temperature
from tests.numpy_ref import seed_000
from tests.share_helpers import text_box

PRINTED = STEP_BY_STEP.printed
EXACT = {"rtol": 1e-12, "atol": 1e-12}
PRINT_PRECISION = {"rtol": 0, "atol": 5e-9 + 1e-12}  # the notebook prints 8 decimals


# --------------------------------------------------------------------------- helpers
def run_page(lang: str | None = None) -> AppTest:
    return open_page("step_by_step", lang)


def block_id(block: Block) -> str:
    return str(getattr(block.proto, "id", "") or "")


def _blocks(node: Any):
    if isinstance(node, Block):
        yield node
        for child in node.children.values():
            yield from _blocks(child)


def table(at: AppTest, name: str) -> pd.DataFrame:
    """The table the page wraps in the container keyed ``sbs_tbl_<name>``."""
    for block in _blocks(at.main):
        if block_id(block).endswith(f"-sbs_tbl_{name}"):
            frames = [c for c in _blocks_and_elements(block) if isinstance(c, Dataframe)]
            assert frames, f"no table in sbs_tbl_{name}"
            return frames[0].value
    raise AssertionError(f"no table sbs_tbl_{name} on the page")


def has_table(at: AppTest, name: str) -> bool:
    return any(block_id(b).endswith(f"-sbs_tbl_{name}") for b in _blocks(at.main))


def _blocks_and_elements(node: Any):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _blocks_and_elements(child)


def arr(at: AppTest, name: str) -> np.ndarray:
    return table(at, name).to_numpy(dtype=float)


def texts(at: AppTest, kind: str) -> list[str]:
    return [str(e.value) for e in at.get(kind)]


def errors(at: AppTest) -> list[str]:
    return texts(at, "error")


def heatmap_z(at: AppTest) -> np.ndarray:
    """The weights the live view draws (computed from its payload with plain numpy), queries as rows."""
    return live_numbers(at)[0]


# --------------------------------------------------------------------------- the notebook's numbers
def test_defaults_reproduce_the_printed_numbers() -> None:
    at = run_page()
    np.testing.assert_allclose(arr(at, "x"), PRINTED["embeddings"], **PRINT_PRECISION)
    for name in ("Q", "K", "V"):
        np.testing.assert_allclose(arr(at, name.lower()), PRINTED[name], **PRINT_PRECISION)
    scaled = arr(at, "scaled")
    np.testing.assert_allclose(scaled[:3], PRINTED["scaled_scores_rows_0_2"], **PRINT_PRECISION)
    assert abs(scaled[3, 0] - PRINTED["scaled_scores_row_3_first"]) <= 5e-9
    assert any("✓" in s for s in texts(at, "success"))
    assert not errors(at)


def test_defaults_vocabulary_and_tokens_are_shown_literally() -> None:
    at = run_page()
    vocab, tokens = table(at, "vocab"), table(at, "tokens")
    assert vocab.iloc[:, 0].tolist() == [0, 1, 2, 3]
    assert vocab.iloc[:, 1].tolist() == ["Tôi", "thích", "học", "AI"]
    assert tokens.iloc[:, 1].tolist() == ["Tôi", "thích", "học", "AI"]
    assert tokens.iloc[:, 2].tolist() == [0, 1, 2, 3]
    assert at.text_input(key="sbs_sentence").value == "Tôi thích học AI"


def test_defaults_weights_and_output_equal_numpy() -> None:
    at = run_page()
    ref = seed_000()
    h = ref["heads"][0]
    np.testing.assert_allclose(arr(at, "scores"), h["scores"], **EXACT)
    np.testing.assert_allclose(arr(at, "scaled"), h["scaled"], **EXACT)
    np.testing.assert_allclose(heatmap_z(at), h["weights"], **EXACT)
    np.testing.assert_allclose(arr(at, "output"), ref["output"], **EXACT)
    np.testing.assert_allclose(heatmap_z(at).sum(axis=1), 1.0, atol=1e-12)
    header, arrays = live_view(at)
    assert header["colour_mode"] == "fixed"  # 0 to 1 for a handful of keys
    assert header["rows"] == ["Tôi", "thích", "học", "AI"]  # queries are rows
    assert header["cols"] == ["Tôi", "thích", "học", "AI"]  # keys are columns
    assert header["scale"] is True and header["d_k"] == 4 and header["mask"] is None
    np.testing.assert_array_equal(arrays["values"], arr(at, "v"))


def test_weights_table_on_demand() -> None:
    at = run_page()
    assert not has_table(at, "weights")  # not sent on every slider move
    at.toggle(key="sbs_weights_table").set_value(True).run()
    assert not at.exception
    np.testing.assert_allclose(arr(at, "weights"), seed_000()["heads"][0]["weights"], **EXACT)
    set_temperature(at, "sbs_temperature", 0.25).run()
    np.testing.assert_allclose(arr(at, "weights"), seed_000(temperature=0.25)["heads"][0]["weights"], **EXACT)
    np.testing.assert_array_equal(arr(at, "weights"), heatmap_z(at))


# --------------------------------------------------------------------------- live controls
def test_temperature_changes_weights_to_numpys() -> None:
    at = run_page()
    before = heatmap_z(at)
    set_temperature(at, "sbs_temperature", 0.5).run()
    assert not at.exception
    ref = seed_000(temperature=0.5)
    after = heatmap_z(at)
    np.testing.assert_allclose(after, ref["heads"][0]["weights"], **EXACT)
    np.testing.assert_allclose(arr(at, "output"), ref["output"], **EXACT)
    assert not np.allclose(before, after)
    # sharper: each row's largest weight grows
    assert (after.max(axis=1) > before.max(axis=1)).all()
    np.testing.assert_allclose(arr(at, "scaled"), seed_000()["heads"][0]["scaled"], **EXACT)  # scores unchanged
    assert not any("✓" in s for s in texts(at, "success"))
    set_temperature(at, "sbs_temperature", 3.0).run()
    np.testing.assert_allclose(heatmap_z(at), seed_000(temperature=3.0)["heads"][0]["weights"], **EXACT)


def test_scaling_switch_changes_scores_by_sqrt_dk() -> None:
    at = run_page()
    on_raw, on_scaled = arr(at, "scores"), arr(at, "scaled")
    at.toggle(key="sbs_scale").set_value(False).run()
    assert not at.exception
    off_raw, off_scaled = arr(at, "scores"), arr(at, "scaled")
    np.testing.assert_array_equal(off_raw, on_raw)
    np.testing.assert_array_equal(off_scaled, off_raw)
    np.testing.assert_array_equal(off_scaled, on_scaled * 2.0)  # √d_k = √4 = 2, exact in floating point
    np.testing.assert_allclose(heatmap_z(at), seed_000(scale=False)["heads"][0]["weights"], **EXACT)
    at.toggle(key="sbs_scale").set_value(True).run()
    np.testing.assert_array_equal(arr(at, "scaled"), on_scaled)
    assert any("✓" in s for s in texts(at, "success"))


def test_causal_mask_hides_later_keys() -> None:
    at = run_page()
    at.toggle(key="sbs_causal").set_value(True).run()
    assert not at.exception
    w = heatmap_z(at)
    assert np.all(np.triu(w, 1) == 0)
    np.testing.assert_allclose(w, seed_000(causal=True)["heads"][0]["weights"], **EXACT)
    np.testing.assert_allclose(arr(at, "output"), seed_000(causal=True)["output"], **EXACT)
    assert w[0, 0] == 1.0  # the first token sees only itself


def test_changing_the_seed_regenerates() -> None:
    at = run_page()
    at.number_input(key="sbs_seed").set_value(7).run()
    assert not at.exception
    ref = seed_000(seed=7)
    np.testing.assert_allclose(arr(at, "x"), ref["x"], **EXACT)
    np.testing.assert_allclose(arr(at, "q"), ref["Q"], **EXACT)
    np.testing.assert_allclose(heatmap_z(at), ref["heads"][0]["weights"], **EXACT)
    np.testing.assert_allclose(arr(at, "output"), ref["output"], **EXACT)
    assert not any("✓" in s for s in texts(at, "success"))
    at.number_input(key="sbs_seed").set_value(42).run()
    np.testing.assert_allclose(arr(at, "x"), PRINTED["embeddings"], **PRINT_PRECISION)
    assert any("✓" in s for s in texts(at, "success"))


def test_changing_the_sentence_regenerates_and_repeated_words_share_a_row() -> None:
    at = run_page()
    sentence = "the cat sat on the mat"
    at.text_input(key="sbs_sentence").set_value(sentence).run()
    assert not at.exception
    ref = seed_000(sentence)
    assert table(at, "vocab").iloc[:, 1].tolist() == ["the", "cat", "sat", "on", "mat"]
    assert table(at, "tokens").iloc[:, 2].tolist() == [0, 1, 2, 3, 0, 4]
    x = arr(at, "x")
    assert x.shape == (6, 4)
    np.testing.assert_array_equal(x[0], x[4])  # "the" twice: one embedding row
    np.testing.assert_allclose(x, ref["x"], **EXACT)
    np.testing.assert_allclose(heatmap_z(at), ref["heads"][0]["weights"], **EXACT)
    np.testing.assert_allclose(arr(at, "output"), ref["output"], **EXACT)
    labels = live_view(at)[0]["rows"]
    assert len(set(labels)) == 6 and labels[0] == "the #1" and labels[4] == "the #5"


def test_dim_change_regenerates() -> None:
    at = run_page()
    at.number_input(key="sbs_dim").set_value(6).run()
    assert not at.exception
    ref = seed_000(dim=6)
    np.testing.assert_allclose(arr(at, "x"), ref["x"], **EXACT)
    np.testing.assert_allclose(arr(at, "scaled"), ref["heads"][0]["scaled"], **EXACT)
    np.testing.assert_allclose(arr(at, "output"), ref["output"], **EXACT)


def test_two_heads() -> None:
    at = run_page()
    at.number_input(key="sbs_heads").set_value(2).run()
    assert not at.exception
    ref = seed_000(heads=2)
    np.testing.assert_allclose(arr(at, "output"), ref["output"], **EXACT)
    for head in (0, 1):
        at.radio(key="sbs_head").set_value(head + 1).run()
        assert not at.exception
        np.testing.assert_allclose(arr(at, "scores"), ref["heads"][head]["scores"], **EXACT)
        np.testing.assert_allclose(arr(at, "scaled"), ref["heads"][head]["scaled"], **EXACT)
        np.testing.assert_allclose(heatmap_z(at), ref["heads"][head]["weights"], **EXACT)
    # per head, scaling divides by √d_head = √2
    np.testing.assert_allclose(arr(at, "scaled") * np.sqrt(2), arr(at, "scores"), **EXACT)
    # back to one head: exactly the notebook again
    at.number_input(key="sbs_heads").set_value(1).run()
    np.testing.assert_allclose(arr(at, "scaled")[:3], PRINTED["scaled_scores_rows_0_2"], **PRINT_PRECISION)


# --------------------------------------------------------------------------- bad input
def test_heads_not_dividing_d_model_shows_a_message() -> None:
    at = run_page()
    at.number_input(key="sbs_heads").set_value(3).run()
    assert not at.exception
    assert any("3" in e and "4" in e for e in errors(at))
    assert at.number_input(key="sbs_heads").value == 3
    assert has_table(at, "q")  # steps 1-2 still there
    assert not has_table(at, "output")
    at.number_input(key="sbs_heads").set_value(0).run()
    assert not at.exception and errors(at)
    at.number_input(key="sbs_heads").set_value(9).run()
    assert not at.exception and errors(at)


def test_empty_sentence_shows_a_message_and_keeps_the_text() -> None:
    at = run_page()
    at.text_input(key="sbs_sentence").set_value("   ").run()
    assert not at.exception
    assert errors(at)
    assert at.text_input(key="sbs_sentence").value == "   "
    assert not has_table(at, "x") and not has_table(at, "output")
    assert temperature(at, "sbs_temperature") == 1.0  # the live controls stay
    at.text_input(key="sbs_sentence").set_value("xin chào").run()
    assert not at.exception and not errors(at)
    np.testing.assert_allclose(arr(at, "output"), seed_000("xin chào")["output"], **EXACT)


@pytest.mark.parametrize("dim", [0, -3, 65])
def test_embedding_size_out_of_range_shows_a_message(dim: int) -> None:
    at = run_page()
    at.number_input(key="sbs_dim").set_value(dim).run()
    assert not at.exception
    assert any("64" in e for e in errors(at))
    assert at.number_input(key="sbs_dim").value == dim
    assert not has_table(at, "x")


@pytest.mark.parametrize("seed", [-1, 2**32])
def test_seed_out_of_range_shows_a_message(seed: int) -> None:
    at = run_page()
    at.number_input(key="sbs_seed").set_value(seed).run()
    assert not at.exception
    assert any(str(2**32 - 1) in e for e in errors(at))
    assert at.number_input(key="sbs_seed").value == seed


def test_reset_restores_the_notebook() -> None:
    at = run_page()
    at.text_input(key="sbs_sentence").set_value("a b c").run()
    set_temperature(at, "sbs_temperature", 2.0).run()
    at.toggle(key="sbs_scale").set_value(False).run()
    at.button(key="sbs_reset").click().run()
    assert not at.exception
    assert at.text_input(key="sbs_sentence").value == "Tôi thích học AI"
    assert temperature(at, "sbs_temperature") == 1.0
    assert at.toggle(key="sbs_scale").value is True
    np.testing.assert_allclose(arr(at, "scaled")[:3], PRINTED["scaled_scores_rows_0_2"], **PRINT_PRECISION)
    assert any("✓" in s for s in texts(at, "success"))


def test_large_setting_128_tokens_d64_8_heads() -> None:
    at = run_page()
    sentence = " ".join(f"w{i % 150}" for i in range(200))
    at.text_input(key="sbs_sentence").set_value(sentence).run()
    at.number_input(key="sbs_dim").set_value(64).run()
    at.number_input(key="sbs_heads").set_value(8).run()
    assert not at.exception
    assert any("200" in w and "128" in w for w in texts(at, "warning"))
    assert at.text_input(key="sbs_sentence").value == sentence  # the typed text stays whole
    kept = " ".join(sentence.split()[:128])
    ref = seed_000(kept, dim=64, heads=8)
    assert arr(at, "x").shape == (128, 64)
    np.testing.assert_allclose(arr(at, "output"), ref["output"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(heatmap_z(at), ref["heads"][0]["weights"], rtol=1e-10, atol=1e-15)
    assert heatmap_z(at).shape == (128, 128)
    assert live_view(at)[0]["colour_mode"] == "auto"  # a fixed 0-1 range would leave 128 keys dark
    # the big editors are folded away
    labels = [e.proto.label for e in at.get("expander")]
    assert any("128 × 64" in s for s in labels) and any("64 × 64" in s for s in labels)
    set_temperature(at, "sbs_temperature", 0.5).run()
    assert not at.exception
    np.testing.assert_allclose(
        heatmap_z(at),
        seed_000(kept, dim=64, heads=8, temperature=0.5)["heads"][0]["weights"],
        rtol=1e-10,
        atol=1e-15,
    )


# --------------------------------------------------------------------------- languages
@pytest.mark.parametrize(
    ("lang", "step1"),
    [("vi", "Tạo từ điển và mã hóa từ"), ("ko", "어휘(vocabulary)")],
)
def test_other_languages(lang: str, step1: str) -> None:
    at = run_page(lang)
    assert any(step1 in m for m in texts(at, "markdown"))
    np.testing.assert_allclose(arr(at, "q"), PRINTED["Q"], **PRINT_PRECISION)
    set_temperature(at, "sbs_temperature", 0.5).run()
    at.number_input(key="sbs_heads").set_value(2).run()
    assert not at.exception
    at.number_input(key="sbs_heads").set_value(3).run()
    assert not at.exception and errors(at)


def change_every_field(at: AppTest) -> None:
    """Change every field of the lesson through its widgets, each to a valid value (the link, export
    and comparison tests read it through ``tests.share_helpers.CHANGES``)."""
    at.text_input(key="sbs_sentence").set_value("the cat sat on the mat <b>!</b>").run()
    at.number_input(key="sbs_seed").set_value(7).run()
    at.number_input(key="sbs_dim").set_value(6).run()
    at.number_input(key="sbs_heads").set_value(2).run()
    at.radio(key="sbs_head").set_value(2).run()
    at.toggle(key="sbs_causal").set_value(True).run()
    text = at.text_area(key="sbs_wq_s7__text").value.splitlines()
    text[0] = "0.1234567890123457 " + " ".join(text[0].split()[1:])
    text_box(at, "sbs_wq_s7", "\n".join(text))
    set_temperature(at, "sbs_temperature", 0.5).run()
