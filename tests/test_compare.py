"""Compare A/B (issue 26, part 1): pin a setting as A on any lesson, change anything, see what changed.

The engine's alignment is checked against plain loops (hypothesis); every lesson is pinned, changed
through its widgets (``tests.share_helpers.CHANGES``) and compared with what its live view drew before
and after (weights recomputed here with numpy from the view's payload: independent of the recipe that
the panel computes with); the link and the JSON file carry A; swap and unpin do what they say.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from attention_core import align_labels, compare_weights
from pages import LESSONS
from tests.apptest_helpers import chart, keyed, live_numbers, set_temperature
from tests.share_helpers import CHANGES, link_of, opened, state
from ui.i18n import catalog
from ui.share_tools import export_file

# --------------------------------------------------------------------------- the engine
labels = st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=6)


@given(labels, labels)
def test_alignment_pairs_the_same_position_or_the_same_occurrence_of_a_label(a: list[str], b: list[str]) -> None:
    ia, ib, by_position = align_labels(a, b)
    assert len(ia) == len(ib)
    if len(a) == len(b):
        assert by_position and ia == ib == list(range(len(a)))
        return
    assert not by_position
    for i, j in zip(ia, ib, strict=True):
        assert a[i] == b[j] and a[:i].count(a[i]) == b[:j].count(b[j])  # the k-th "a" with the k-th "a"
    # every label occurrence both sides have is paired, in B's order
    expected = [j for j, x in enumerate(b) if b[:j].count(x) < a.count(x)]
    assert ib == expected


@settings(max_examples=60)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_same_shape_compares_every_cell_and_the_largest_change_is_the_largest(n: int, m: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = rng.random((n, m)), rng.random((n, m))
    rows, cols = [f"r{i}" for i in range(n)], [f"c{j}" for j in range(m)]
    c = compare_weights(a, rows, cols, b, ["x"] * n, cols)  # other row labels: still position by position
    assert c.same_shape and c.rows_by_position and np.array_equal(c.diff, b - a)
    i, j = c.largest()
    assert abs(b[i, j] - a[i, j]) == np.abs(b - a).max()
    same = compare_weights(a, rows, cols, a.copy(), rows, cols)
    assert not same.diff.any() and same.diff[same.largest()] == 0


def test_different_lengths_compare_the_words_both_have() -> None:
    a = np.array([[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]])
    b = np.array([[0.5, 0.1, 0.1, 0.3]])
    c = compare_weights(a, ["x", "y"], ["cat", "dog", "cat"], b, ["z"], ["dog", "cat", "bus", "cat"])
    assert c.rows == []  # 2 rows against 1: by label, and no row label in common
    assert c.empty and c.largest() is None and c.a_shape == (2, 3) and c.b_shape == (1, 4)
    c = compare_weights(a[:1], ["x"], ["cat", "dog", "cat"], b, ["z"], ["dog", "cat", "bus", "cat"])
    assert c.rows == ["z"] and c.cols == ["dog", "cat", "cat"] and not c.cols_by_position
    assert np.array_equal(c.a, [[0.2, 0.1, 0.7]]) and np.array_equal(c.b, [[0.5, 0.1, 0.3]])
    assert np.array_equal(c.diff, c.b - c.a)


def test_labels_must_fit() -> None:
    with pytest.raises(ValueError, match="labels"):
        compare_weights(np.ones((2, 2)), ["a"], ["a", "b"], np.ones((2, 2)), ["a", "b"], ["a", "b"])


# --------------------------------------------------------------------------- every lesson
def _panel(at: AppTest, prefix: str) -> dict[str, Any]:
    """What the comparison draws: A's and B's weights (from its maps) and B − A."""
    keys = {c.key for c in at.get("plotly_chart")}
    if f"{prefix}_compare_ab" in keys:
        ab = chart(at, f"{prefix}_compare_ab")["data"][0]
        z, rows = np.asarray(ab["z"], dtype=float), list(ab["y"])
        a = z[[i for i, r in enumerate(rows) if r.startswith("A · ")]]
        b = z[[i for i, r in enumerate(rows) if r.startswith("B · ")]]
    else:
        a = np.asarray(chart(at, f"{prefix}_compare_a")["data"][0]["z"], dtype=float)
        b = np.asarray(chart(at, f"{prefix}_compare_b")["data"][0]["z"], dtype=float)
    diff = chart(at, f"{prefix}_compare_diff")["data"][0]["z"] if f"{prefix}_compare_diff" in keys else None
    return {"a": a, "b": b, "diff": None if diff is None else np.asarray(diff, dtype=float)}


def _same_weights(drawn: np.ndarray, live: np.ndarray) -> bool:
    """The panel's map and the live view's weights (a pooling lesson draws its column as a row)."""
    drawn = np.where(np.isnan(drawn), 0.0, drawn)  # a masked weight: blank on the map, 0 in the view
    for w in (live, live.T):
        if drawn.shape == w.shape and np.allclose(drawn, w, rtol=0, atol=1e-12):
            return True
    return False


def _has_compare(at: AppTest) -> bool:
    """The container with key ``compare`` (the issue's hook) is on the page."""
    return keyed(at, "compare") is not None


LESSON_NAMES = [name for name in LESSONS]


@pytest.mark.parametrize("page", LESSON_NAMES)
def test_pin_change_and_compare_on_every_lesson(page: str) -> None:
    spec = LESSONS[page]
    at = opened(page)
    pin = at.button(key=spec.key("pin"))
    assert pin.label == "Pin as A" and not _has_compare(at)
    before, _ = live_numbers(at)
    pin.click().run()
    assert _has_compare(at)
    assert "compare" in at.query_params
    CHANGES[page](at)
    assert not at.exception, [e.message for e in at.exception]
    after, _ = live_numbers(at)
    shown = _panel(at, spec.prefix)
    assert _same_weights(shown["a"], before), (shown["a"], before)
    assert _same_weights(shown["b"], after), (shown["b"], after)
    if shown["diff"] is not None and shown["a"].shape == shown["b"].shape:
        a, b = (np.where(np.isnan(m), 0.0, m) for m in (shown["a"], shown["b"]))
        assert np.allclose(np.nan_to_num(shown["diff"]), b - a, rtol=0, atol=1e-12)

    # The link carries A (``compare``) and B: opened in a new session, both come back.
    link = {**link_of(at, page), "compare": at.query_params["compare"]}
    again = opened(page, link)
    assert _has_compare(again)
    restored = _panel(again, spec.prefix)
    assert _same_weights(restored["a"], before) and _same_weights(restored["b"], after)
    assert not again.warning or all("ignored" not in w.value for w in again.warning)


def test_the_largest_change_is_named_with_both_weights() -> None:
    at = opened("library")
    at.button(key="library_pin").click().run()
    set_temperature(at, "library_temperature", 3.0).run()
    a = _panel(at, "library")
    sentence = next(m.value for m in at.markdown if m.value.startswith("The largest change"))
    j = int(np.argmax(np.abs(a["b"] - a["a"])))
    assert f"{a['a'][0, j]:.4f} in A" in sentence and f"{a['b'][0, j]:.4f} in B" in sentence


def test_a_pinned_setting_equal_to_the_live_one_says_so() -> None:
    at = opened("self_attention")
    at.button(key="self_pin").click().run()
    assert any(m.value == catalog("en")["compare.same"] for m in at.markdown)
    shown = _panel(at, "self")
    assert not np.nan_to_num(shown["diff"]).any()


def test_swap_makes_a_live_and_keeps_b_as_a() -> None:
    at = opened("step_by_step")
    before, _ = live_numbers(at)
    at.button(key="sbs_pin").click().run()
    at.toggle(key="sbs_scale").set_value(False).run()
    after, _ = live_numbers(at)
    at.button(key="sbs_swap").click().run()
    assert not at.exception
    assert at.toggle(key="sbs_scale").value is True  # A's inputs are back in the controls
    now, _ = live_numbers(at)
    assert np.allclose(now, before, rtol=0, atol=1e-15)
    shown = _panel(at, "sbs")
    assert _same_weights(shown["a"], after) and _same_weights(shown["b"], before)


def test_unpin_forgets_a_and_the_link_drops_it() -> None:
    at = opened("library")
    at.button(key="library_pin").click().run()
    assert _has_compare(at)
    at.button(key="library_unpin").click().run()
    assert not _has_compare(at) and "compare" not in at.query_params
    assert at.button(key="library_pin").label == "Pin as A"


def test_different_lengths_say_what_is_compared() -> None:
    at = opened("step_by_step")
    at.button(key="sbs_pin").click().run()
    at.text_input(key="sbs_sentence").set_value("Tôi thích học AI nhanh").run()
    notes = [c.value for c in at.caption]
    assert any("4 × 4" in n and "5 × 5" in n for n in notes), notes


def test_the_comparison_waits_while_a_prediction_is_open() -> None:
    at = opened("library", {"predict_first": "true"})
    at.session_state["_compare_pins"] = {"library": state(at, "library")}
    at.run()
    assert not _has_compare(at)
    assert any(c.value == catalog("en")["compare.waits"] for c in at.caption)


# --------------------------------------------------------------------------- files and hostile links
def test_the_json_file_carries_a_and_importing_it_pins_a() -> None:
    at = opened("library")
    at.button(key="library_pin").click().run()
    set_temperature(at, "library_temperature", 2.0).run()
    spec = LESSONS["library"]
    data = export_file(spec, "json", state(at, "library"), "en", pinned=at.session_state["_compare_pins"]["library"])
    doc = json.loads(data)
    assert doc["compare"]["a"]["temperature"] == 1.0 and doc["inputs"]["temperature"] == 2.0
    assert np.allclose(doc["compare"]["results"]["weights"]["values"], _panel(at, "library")["a"], rtol=0, atol=1e-12)
    again = opened("library", imported=data)
    assert _has_compare(again)
    shown = _panel(again, "library")
    assert np.allclose(shown["a"], _panel(at, "library")["a"], rtol=0, atol=0)


def test_a_file_with_a_bad_a_changes_nothing_and_says_why() -> None:
    spec = LESSONS["library"]
    at = opened("library")
    doc = json.loads(export_file(spec, "json", state(at, "library"), "en"))
    doc["compare"] = {"a": {"temperature": "hot"}}
    again = opened("library", imported=json.dumps(doc).encode())
    assert not _has_compare(again)
    assert any("compare.temperature" in e.value for e in again.error), [e.value for e in again.error]


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("library_temperature=0&library_zz=1", ["compare:library_temperature", "compare:library_zz"]),
        ("x" * 70_000, ["compare"]),
        ("&".join(f"k{i}=1" for i in range(600)), ["compare"]),
        ("library_q=%0D%0D%23%23+Session+expired", ["compare:library_q"]),
    ],
)
def test_a_hostile_compare_parameter_is_named_never_a_crash(value: str, named: list[str]) -> None:
    at = opened("library", {"compare": value})
    notice = " ".join(w.value for w in at.warning)
    for name in named:
        assert name in notice, notice
    assert not at.exception
