"""Every state a learner reaches is true and whole (issue 20), page by page in AppTest: coming back to a
lesson, editing it, opening it from a link, presenting it and rounding its numbers. One test (or a few)
per finding of the issue; each failed before its fix. The browser's side of the same states (what
the live view draws, clipping, presentation at 1280×720) is ``tests/browser/test_state_walk.py``."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from attention_core.presets import POOLING, SELF_ATTENTION_5X4
from pages import LESSONS
from tests.apptest_helpers import live_numbers, live_view
from tests.apptest_helpers import open_page as open_lesson


def visit(at: AppTest, name: str) -> AppTest:
    """Go to lesson ``name`` the way the sidebar does (the page file runs alone) and check it ran."""
    at.switch_page(LESSONS[name].path).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def messages(at: AppTest) -> list[str]:
    """Every error and warning on the page."""
    return [e.value for e in at.error] + [w.value for w in at.warning]


# --------------------------------------------------------------------------- 1. coming back
def test_pooling_is_whole_after_a_visit_to_another_lesson() -> None:
    at = open_lesson("pooling")
    before = live_numbers(at)[0]
    visit(at, "library")
    visit(at, "pooling")
    assert at.number_input(key="pool_x_rows").value == 3
    assert at.number_input(key="pool_x_cols").value == 3
    assert [s.key for s in at.slider if s.key.startswith("pool_w_")] == ["pool_w_0", "pool_w_1", "pool_w_2"]
    assert messages(at) == []
    np.testing.assert_array_equal(live_numbers(at)[0], before)


def test_self_attention_sizes_follow_its_matrix_after_coming_back() -> None:
    at = open_lesson("self_attention")
    at.radio(key="self_preset").set_value("5x4").run()
    visit(at, "pooling")
    visit(at, "self_attention")
    assert (at.number_input(key="self_x_rows").value, at.number_input(key="self_x_cols").value) == (5, 4)
    header, arrays = live_view(at)
    np.testing.assert_array_equal(arrays["values"], np.array(SELF_ATTENTION_5X4.x))
    at.number_input(key="self_x_rows").set_value(6).run()  # "+" on Tokens
    header, arrays = live_view(at)
    assert arrays["values"].shape == (6, 4)
    np.testing.assert_array_equal(arrays["values"][:5], np.array(SELF_ATTENTION_5X4.x))
    assert messages(at) == []


def test_a_grid_edit_survives_a_visit_to_another_lesson() -> None:
    """A grid's edits are widget state, dropped while another lesson is open: the editor keeps them."""
    at = open_lesson("library")
    key = next(d.key for d in at.dataframe if d.key and d.key.startswith("library_q__"))
    at.session_state[key] = {"edited_rows": {0: {"d2": 3.0}}, "added_rows": [], "deleted_rows": []}
    at.run()
    edited = live_view(at)[1]["scores"].copy()
    assert edited[0, 0] != 2.0  # q = [1, 3, 1]: scores 3.5, 4.0, 2.5
    visit(at, "pooling")
    visit(at, "library")
    np.testing.assert_array_equal(live_view(at)[1]["scores"], edited)
    at.run()  # and the next run too (the grid started over from the edited numbers)
    np.testing.assert_array_equal(live_view(at)[1]["scores"], edited)


def test_pooling_after_a_language_switch_and_a_resize_keeps_w_whole() -> None:
    at = open_lesson("pooling")
    at.number_input(key="pool_x_cols").set_value(4).run()
    at.session_state["lang"] = "ko"
    visit(at, "home")
    visit(at, "pooling")
    assert at.number_input(key="pool_x_cols").value == 4
    assert len([s for s in at.slider if s.key.startswith("pool_w_")]) == 4
    np.testing.assert_array_equal(live_view(at)[1]["values"][:, :3], np.array(POOLING.x))
    assert messages(at) == []


# --------------------------------------------------------------------------- 4. ?present=true
@pytest.mark.parametrize("name", list(LESSONS))
def test_present_in_a_link_is_the_apps_not_a_bad_value(name: str) -> None:
    """``?present=true`` (the link docs/lessons.md gives, and what the sidebar switch writes) opens presentation mode
    without a notice that the link had a value the lesson cannot use."""
    at = open_lesson(name, run=False)
    at.query_params["present"] = "true"
    at.session_state["present"] = True
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert messages(at) == []
    assert "present" in at.query_params


def test_present_is_a_reserved_parameter() -> None:
    from ui import present
    from ui.share.state import RESERVED

    assert present.PRESENT_KEY in RESERVED


# --------------------------------------------------------------------------- 3. the step-by-step intro
@pytest.mark.parametrize("lang", ["en", "vi", "ko"])
def test_step_by_step_intro_names_the_current_sentence(lang: str) -> None:
    """The intro said "Attention for the sentence “Tôi thích học AI”" whatever the sentence was."""

    def intro(at: AppTest) -> str:
        return next(m.value for m in at.markdown if "W_q, W_k, W_v" in m.value)

    at = open_lesson("step_by_step", lang)
    assert "`Tôi thích học AI`" in intro(at)
    at.text_input(key="sbs_sentence").set_value("the cat sat *on* <b>me</b>").run()
    assert "`the cat sat *on* <b>me</b>`" in intro(at)  # a code span: shown as typed
    assert "`Tôi thích học AI`" not in intro(at)
    at.text_input(key="sbs_sentence").set_value("   ").run()
    assert "`" not in intro(at)


# --------------------------------------------------------------------------- 6. rounding never contradicts
@pytest.mark.parametrize(
    ("values", "d", "distinct", "shown"),
    [
        ([0.5761169, 0.2119416, 0.2119416], 0, True, ["0.6", "0.2", "0.2"]),  # not 1, 0, 0
        ([5.9731, 0.5299, 3.7284], 0, False, ["6.0", "0.5", "3.7"]),  # not [6, 1, 4]
        ([0.3057477, 0.0413785, 0.3057477], 0, True, ["0.31", "0.04", "0.31"]),
        ([0.30571, 0.30562], 2, True, ["0.3057", "0.3056"]),
        ([1.0, 2e-9, 3e-12], 4, True, ["1.0000", "≈0", "≈0"]),  # tiny weights: never a bare 0
        ([0.0, 1.0], 0, True, ["0", "1"]),  # a masked key's weight is exactly 0
        ([2.7e-17, 1.5], 4, False, ["≈0", "1.5000"]),  # float noise does not widen the numbers
        ([0.5761169, 0.2119416], 8, True, ["0.57611690", "0.21194160"]),
    ],
)
def test_honest_decimals(values: list[float], d: int, distinct: bool, shown: list[str]) -> None:
    from ui.format import fmt_honest, honest_decimals

    p = honest_decimals(values, d, distinct=distinct)
    assert [fmt_honest(x, p) for x in values] == shown


def test_honest_decimals_on_any_softmax_row() -> None:
    """Softmax rows at every temperature and Decimal places: no weight reads as 0 unless it is 0, and
    weights that differ read differently (down to 10⁻⁶); never fewer decimals than asked."""
    from attention_core import softmax
    from ui.format import HONEST_LIMIT, fmt_honest, weight_decimals

    rng = np.random.default_rng(20)
    for _ in range(300):
        n = int(rng.integers(1, 9))
        scores = rng.normal(scale=3, size=n).round(int(rng.integers(0, 3)))  # rounding makes ties
        w = softmax(scores, temperature=float(rng.choice([0.05, 0.3, 1.0, 5.0])))
        for d in range(9):
            p = weight_decimals(w, d)
            assert d <= p <= max(d, HONEST_LIMIT)
            text = [fmt_honest(x, p) for x in w]
            assert all(s != f"{0:.{p}f}" for x, s in zip(w, text) if x != 0)
            visible = [(x, s) for x, s in zip(w, text) if x >= 0.5 * 10.0**-max(d, HONEST_LIMIT)]
            for x, s in visible:
                for y, u in visible:
                    if abs(x - y) > 1e-12 * max(x, y) and p < max(d, HONEST_LIMIT):
                        assert s != u, (w, d, p)


def test_decimals_zero_never_shows_a_row_of_weights_as_one_and_zeros() -> None:
    at = open_lesson("library", run=False)
    at.session_state["decimals"] = 0
    at.run()
    text = "\n".join(m.value for m in at.markdown)
    # the weights 0.5761, 0.2119, 0.2119: not "(1)" and "0, 0"
    rest = "(`Book 2: animals in general` 0.2, `Book 3: hobbies` 0.2)"
    assert f"most weight (0.6); the other books share the rest {rest}" in text
    assert "[6.0, 0.5, 3.7]" in "\n".join(c.value for c in at.caption)  # the output, not [6, 1, 4]


# --------------------------------------------------------------------------- 7. ties are named as ties
def test_self_attention_names_every_tied_token() -> None:
    at = open_lesson("self_attention")
    at.radio(key="self_preset").set_value("5x4").run()
    caption = next(c.value for c in at.caption if "sums to 1" in c.value)
    assert "token 1, token 3 and token 5 (a tie)" in caption and "0.3057" in caption
    assert "token 2 and token 4 (a tie)" in caption and "0.0414" in caption
    scores = next(c.value for c in at.caption if "squared length" in c.value)
    assert "token 3 and token 5 (a tie)" in scores  # token 1·token 3 = token 1·token 5 = 2


@pytest.mark.parametrize("lang", ["vi", "ko"])
def test_ties_are_named_in_every_language(lang: str) -> None:
    from ui.i18n import text_in

    at = open_lesson("self_attention", lang)
    at.radio(key="self_preset").set_value("5x4").run()
    tie = text_in(lang, "common.tied", names="")
    assert any(tie.strip() in c.value for c in at.caption)


# --------------------------------------------------------------------------- 9. the smaller untruths
def test_pooling_live_view_calls_its_output_the_context_vector() -> None:
    header, _ = live_view(open_lesson("pooling"))
    assert header["output_line"] == "Context vector c, the weighted sum of the rows of X: {output}"


def test_one_head_of_several_says_which_head_its_output_is() -> None:
    at = open_lesson("step_by_step")
    assert live_view(at)[0]["output_line"] is None  # one head: the output is step 5's row
    at.number_input(key="sbs_heads").set_value(2).run()
    header, arrays = live_view(at)
    assert header["output_line"].startswith("Output of {row} in head 1,")
    assert "columns 1 to 2 of V" in header["output_line"] and arrays["values"].shape == (4, 2)
    at.radio(key="sbs_head").set_value(2).run()
    assert "in head 2," in live_view(at)[0]["output_line"]


def test_the_live_view_has_a_tap_hint_in_every_language() -> None:
    for lang in ("en", "vi", "ko"):
        texts = live_view(open_lesson("library", lang))[0]["texts"]
        assert texts["tap_hint"] and texts["tap_hint"] != texts["click_hint"]
        assert all(texts[k] for k in ("narration_most_tie", "narration_least_tie", "narration_even", "list_and"))


TYPED = """the lion roars loudly to the zebra
the zebra runs loudly to the lion
the owl sings loudly to the tree
the fish swims loudly to the river
the lion eats loudly to the bone"""  # no word of the designed groups (cat, bus, bread …)


def test_words_to_watch_are_content_words() -> None:
    from lessons.word2vec.space import watch_words

    lines = [s.split() for s in TYPED.split("\n")]
    by_frequency = ["the", "loudly", "to", "lion", "zebra", "owl", "sings", "tree"]
    assert watch_words(by_frequency, lines)[:3] == ["lion", "zebra", "owl"]
    groups = (("owl", "lion", "cat"), ("bus", "train", "tree"))
    assert watch_words(by_frequency, lines, groups) == ["owl", "lion", "tree"]  # group mates first
    assert watch_words(["the", "a"], [["the", "a"]] * 5) == ["the", "a"]  # nothing else to watch


def test_a_typed_corpus_watches_content_words() -> None:
    at = open_lesson("word2vec", run=False)
    at.session_state["w2v_look"] = []
    at.run()
    at.text_area(key="w2v_text").set_value(TYPED).run()
    assert not at.exception
    look = at.multiselect(key="w2v_look").value
    assert look and not {"the", "loudly", "to"} & set(look), look
    assert look[:2] == ["lion", "zebra"]


# --------------------------------------------------------------------------- 8. no clipped text
def _widths(df) -> dict[str, int]:  # noqa: ANN001 - an AppTest Dataframe
    import json

    return {name: int(c["width"]) for name, c in json.loads(df.proto.columns).items() if "width" in c}


def test_a_ten_word_sentence_splits_its_scores_into_parts_that_fit() -> None:
    """The 10 × 10 scores hid three columns behind a sideways scroll: now parts of whole columns."""
    from ui.format import label_width
    from ui.lesson import TABLE_PX

    at = open_lesson("step_by_step", run=False)
    at.session_state["sbs_sentence"] = "the teacher gives every student a short book about cats"
    at.run()
    parts = [df for df in at.dataframe if df.proto.editing_mode == 0 and len(df.value) == 10]
    assert len(parts) >= 4  # raw and scaled scores, two parts each at least
    for df in parts:
        assert label_width(list(df.value.index)) + sum(_widths(df).values()) <= TABLE_PX
    assert any(c.value == "Columns 1–6 of 10" or c.value.startswith("Columns 1–") for c in at.caption)


@pytest.mark.parametrize("lang", ["en", "vi", "ko"])
def test_library_tables_fit_their_columns_in_every_language(lang: str) -> None:
    from ui.editors import EDITOR_PX
    from ui.format import label_width, text_px
    from ui.lesson import TABLE_PX

    at = open_lesson("library", lang)
    for df in at.dataframe:
        widths = _widths(df)
        for name, width in widths.items():  # every column holds its whole name
            assert width >= text_px(name) or name == "_row"
        if df.proto.editing_mode == 0:
            assert label_width(list(df.value.index)) + sum(widths.values()) <= TABLE_PX
        else:  # an editor in the controls column: long book names wrap on two lines
            assert sum(widths.values()) <= EDITOR_PX


# --------------------------------------------------------------------------- 5. presentation mode
def _block(at: AppTest, key: str):  # noqa: ANN202 - an AppTest Block
    from streamlit.testing.v1.element_tree import Block

    def walk(node):  # noqa: ANN001, ANN202
        if isinstance(node, Block):
            if str(getattr(node.proto, "id", "") or "").endswith(f"-{key}"):
                return node
            for child in node.children.values():
                found = walk(child)
                if found is not None:
                    return found
        return None

    return walk(at.main)


def _inside(block) -> list[Any]:  # noqa: ANN001
    out, todo = [], [block]
    while todo:
        node = todo.pop()
        out.append(node)
        todo.extend(getattr(node, "children", {}).values())
    return out


def presenting(name: str, stage: int = 0) -> AppTest:
    at = open_lesson(name, run=False)
    at.session_state["present"] = True
    at.session_state["present_stage"] = stage
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_presentation_puts_switches_with_their_stage_and_the_conclusion_last() -> None:
    at = presenting("step_by_step")
    keys = lambda key: {getattr(e, "key", None) for e in _inside(_block(at, key))}  # noqa: E731
    assert {"sbs_heads", "sbs_scale"} <= keys("stage_3_opts")  # with the scores they change
    assert "sbs_causal" in keys("stage_4_mask")  # with the weights it hides
    badge = [getattr(e, "value", "") for e in _inside(_block(at, "stage_5_badge"))]
    assert "Same numbers as the notebook ✓" in badge  # with the output it vouches for
    at = presenting("library")
    assert "library_scale" in {getattr(e, "key", None) for e in _inside(_block(at, "stage_2_scale"))}
    conclusion = [getattr(e, "value", "") for e in _inside(_block(at, "stage_5"))]
    assert "What the numbers say" in conclusion  # its own last stage, not on slides 1 and 2
    assert _block(at, "stage_0") is not None and _block(at, "stage_6") is None


@pytest.mark.parametrize("name", list(LESSONS))
def test_presentation_has_no_slide_with_only_the_next_lesson(name: str) -> None:
    """The way on is in the stage bar at the last stage: never a stage of its own."""
    at = presenting(name, stage=99)  # clamped to the last stage
    last = at.session_state["present_stage"]
    links = [e for e in _inside(_block(at, "present_bar")) if type(e).__name__ == "PageLink"]
    assert links, "no way on in the bar"
    assert _block(at, f"stage_{last}") is not None or _block(at, f"stage_{last}_badge") is not None
    assert _block(at, f"stage_{last + 1}") is None and _block(at, f"stage_{last}_next") is None


def test_presentation_styles_scale_inputs_tables_and_leave_room_for_the_bar() -> None:
    at = presenting("library", stage=1)
    css = "\n".join(e.proto.body for e in at.get("html") if "present_bar" in e.proto.body)
    assert "stWidgetLabel" in css and "stCaptionContainer" in css and "input" in css  # inputs and captions
    assert "zoom:1.35" in css and "stDataFrame" in css  # the tables' numbers
    assert "padding-bottom:5.5rem" in css  # the bar's room under every stage
    assert "st-key-stage_1_" in css  # every part of the stage shown
