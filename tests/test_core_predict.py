"""Predict, then reveal (attention_core.predict): questions generated from the live numbers.

Every expected answer is computed here again, independently, with plain numpy (argmax, entropy,
cosine), over hundreds of random sentences and matrices; no question is asked when its answer is
ambiguous (the two best within MIN_GAP), which the tests check both ways.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import attention_core as ac
from attention_core import predict as pr
from attention_core.presets import LIBRARY, STEP_BY_STEP

scores_values = st.floats(-6, 6, allow_nan=False, allow_infinity=False)


def matrices(max_rows: int = 6, max_cols: int = 6):
    shape = st.tuples(st.integers(1, max_rows), st.integers(1, max_cols))
    return shape.flatmap(lambda s: hnp.arrays(np.float64, s, elements=scores_values))


def np_softmax(z: np.ndarray) -> np.ndarray:
    """An independent softmax (per row, max subtracted)."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def np_entropy(w: np.ndarray) -> float:
    w = w[w > 0]
    return float(-(w * np.log(w)).sum())


# --------------------------------------------------------------------------- the seeds' numbers
def test_library_top_key_is_book_1_with_the_notebook_weights() -> None:
    r = ac.attention(LIBRARY.query, LIBRARY.keys, LIBRARY.values, scale=False)
    q = pr.top_key_question(r.scores, r.weights, row=0)
    assert q is not None and q.kind == "top_key"
    assert q.answer_key == 0 and q.runner_up in (1, 2)
    assert [round(w, 4) for w in q.weights] == [0.5761, 0.2119, 0.2119]
    assert q.scores == (2.0, 1.0, 1.0)
    assert pr.grade(q, 0).correct and not pr.grade(q, 1).correct


def test_step_by_step_first_question_is_top_key_of_the_first_word() -> None:
    """Seed 000: "Tôi" attends most to itself (score 2.3244 before softmax), a clear top key."""
    t = ac.random_tables(4, 4, STEP_BY_STEP.seed)
    x = t.embeddings
    r = ac.self_attention(x, t.w_q, t.w_k, t.w_v, scale=True).attention
    q = pr.ask(r.scores, r.weights, pr.Setting(d_k=4), round=0)
    assert q is not None and q.kind == "top_key" and q.row == 0
    assert q.answer_key == int(np.argmax(r.weights[0])) == 0
    np.testing.assert_allclose(q.scores[0], 2.32444626 * 2, rtol=1e-8)


def test_tied_library_books_are_never_the_answer_when_asked_for_the_least() -> None:
    """Books 2 and 3 tie at 0.2119: a top-key question on keys 2 and 3 alone is never asked."""
    r = ac.attention(LIBRARY.query, np.array(LIBRARY.keys)[1:], np.array(LIBRARY.values)[1:], scale=False)
    assert pr.top_key_question(r.scores, r.weights) is None


def test_one_key_softmax_is_one_and_never_a_top_key_question() -> None:
    """The seed's 'fox'/'hare' lesson: softmax over one score is 1.0; an estimate asks it, top key cannot."""
    assert pr.top_key_question([[-0.010478445]], [[1.0]]) is None
    q = pr.estimate_question([[-0.010478445]], [[1.0]], 0, 0)
    assert q.answer_value == 1.0 and pr.grade(q, 0.95).correct


# --------------------------------------------------------------------------- properties
@settings(max_examples=300, deadline=None)
@given(matrices(), st.floats(0.05, 5.0), st.booleans())
def test_top_key_answer_is_the_independent_argmax_or_no_question(s: np.ndarray, temp: float, scale: bool) -> None:
    d_k = 4
    z = s / (math.sqrt(d_k) if scale else 1.0) / temp
    w = np_softmax(z)
    for row in range(s.shape[0]):
        q = pr.top_key_question(s, w, row)
        ranked = np.sort(w[row])[::-1]
        if s.shape[1] < 2 or ranked[0] - ranked[1] < pr.MIN_GAP:
            assert q is None
        else:
            assert q is not None and q.answer_key == int(np.argmax(w[row]))
            assert q.choices == tuple(range(s.shape[1]))
            assert pr.grade(q, int(np.argmax(w[row]))).correct


@settings(max_examples=300, deadline=None)
@given(matrices(), st.data())
def test_estimate_answer_is_the_weight_and_grading_uses_the_tolerance(s: np.ndarray, data: st.DataObject) -> None:
    w = np_softmax(s)
    row = data.draw(st.integers(0, s.shape[0] - 1))
    key = data.draw(st.integers(0, s.shape[1] - 1))
    guess = data.draw(st.floats(0, 1))
    q = pr.estimate_question(s, w, row, key)
    assert q.answer_value == pytest.approx(w[row, key], abs=1e-15)
    v = pr.grade(q, guess)
    assert v.error == pytest.approx(abs(guess - w[row, key]), abs=1e-12)
    assert v.correct == (abs(guess - w[row, key]) <= pr.TOLERANCE + 1e-12)


changes = st.sampled_from(
    [pr.Change("temperature", 0.5), pr.Change("temperature", 2.0), pr.Change("scale", False), pr.Change("causal", True)]
)


@settings(max_examples=400, deadline=None)
@given(matrices(), st.floats(0.2, 3.0), st.booleans(), changes, st.data())
def test_direction_answer_matches_an_independent_recomputation(
    s: np.ndarray, temp: float, scale: bool, change: pr.Change, data: st.DataObject
) -> None:
    d_k = 4
    row = data.draw(st.integers(0, s.shape[0] - 1))
    setting = pr.Setting(d_k=d_k, scale=scale, temperature=temp)

    def weights(scale_on: bool, t: float, causal: bool) -> np.ndarray:
        z = s[row] / (math.sqrt(d_k) if scale_on else 1.0) / t
        if causal:
            z = np.where(np.arange(len(z)) <= row, z, -np.inf)
        return np_softmax(z[np.newaxis])[0]

    before = weights(scale, temp, False)
    after = weights(
        change.to if change.control == "scale" else scale,
        change.to if change.control == "temperature" else temp,
        bool(change.to) if change.control == "causal" else False,
    )
    growth = after - before
    order = np.argsort(-growth, kind="stable")
    h0, h1 = np_entropy(before), np_entropy(after)
    q = pr.direction_question(s, setting, change, row)
    ambiguous = (
        abs(h1 - h0) < pr.MIN_ENTROPY_CHANGE
        or growth[order[0]] <= 0
        or (len(growth) > 1 and growth[order[0]] - growth[order[1]] < pr.MIN_GAP)
    )
    if ambiguous:
        assert q is None
        return
    assert q is not None
    assert q.answer_trend == ("sharper" if h1 < h0 else "flatter")
    assert q.answer_key == int(order[0])
    np.testing.assert_allclose(q.after, after, atol=1e-12)
    assert pr.grade(q, (q.answer_trend, q.answer_key)).correct
    wrong = "flatter" if q.answer_trend == "sharper" else "sharper"
    assert not pr.grade(q, (wrong, q.answer_key)).correct


def test_lowering_the_temperature_sharpens_and_grows_the_top_weight() -> None:
    q = pr.direction_question([[2.0, 1.0, 1.0]], pr.Setting(d_k=3, scale=False), pr.Change("temperature", 0.5))
    assert q is not None and q.answer_trend == "sharper" and q.answer_key == 0
    assert q.after[0] > q.weights[0]


def test_a_change_that_changes_nothing_is_not_asked() -> None:
    # d_k = 1: √d_k = 1, so turning scaling off changes nothing
    assert pr.direction_question([[2.0, 1.0]], pr.Setting(d_k=1), pr.Change("scale", False)) is None
    # the last row of a causal mask already sees every key
    assert pr.direction_question([[2.0, 1.0], [0.5, 3.0]], pr.Setting(d_k=2), pr.Change("causal", True), row=1) is None


@settings(max_examples=200, deadline=None)
@given(hnp.arrays(np.float64, st.tuples(st.integers(2, 8), st.integers(1, 5)), elements=scores_values), st.data())
def test_nearest_word_is_the_independent_best_cosine(v: np.ndarray, data: st.DataObject) -> None:
    assume((np.linalg.norm(v, axis=1) > 1e-6).all())
    row = data.draw(st.integers(0, v.shape[0] - 1))
    cands = [i for i in range(v.shape[0]) if i != row]
    unit = v / np.linalg.norm(v, axis=1, keepdims=True)
    cos = unit[cands] @ unit[row]
    q = pr.nearest_question(v, row, cands)
    ranked = np.sort(cos)[::-1]
    if len(cands) < 2 or ranked[0] - ranked[1] < pr.MIN_GAP:
        assert q is None
    else:
        assert q is not None and q.answer_key == cands[int(np.argmax(cos))]
        assert row not in q.choices


@settings(max_examples=300, deadline=None)
@given(matrices(), st.integers(0, 20), st.integers(0, 5))
def test_ask_returns_a_fair_question_or_none_and_round_zero_prefers_top_key(
    s: np.ndarray, round_: int, focus: int
) -> None:
    w = np_softmax(s / 2.0)
    focus = focus % s.shape[0]
    setting = pr.Setting(d_k=4)
    q = pr.ask(s, w, setting, round=round_, focus_row=focus, changes=[pr.Change("temperature", 0.5)])
    if q is None:
        # nothing fair anywhere: every row's top key is ambiguous (estimates are always fair, so
        # None means there is no key at all to ask about -- impossible here)
        pytest.fail("an estimate is always fair, so ask() must find a question")
    if q.kind == "top_key":
        ranked = np.sort(w[q.row])[::-1]
        assert ranked[0] - ranked[1] >= pr.MIN_GAP and q.answer_key == int(np.argmax(w[q.row]))
    if round_ == 0:
        ranked = np.sort(w[focus])[::-1]
        if s.shape[1] > 1 and ranked[0] - ranked[1] >= pr.MIN_GAP:
            assert q.kind == "top_key" and q.row == focus
        clear = [i for i in range(s.shape[0]) if s.shape[1] > 1 and np.diff(np.sort(w[i]))[-1] >= pr.MIN_GAP]
        assert (q.kind == "top_key") == bool(clear), "a clear top key on any row comes before any other kind"


def test_ask_skips_masked_keys_as_top_key_choices() -> None:
    s = np.array([[1.0, 5.0, 0.0], [2.0, 0.0, 1.0], [0.0, 1.0, 3.0]])
    mask = ac.causal_mask(3)
    r = ac.attention(s, np.eye(3), np.eye(3), scale=False, mask=mask)  # scores = s @ I = s
    q = pr.ask(r.scores, r.weights, pr.Setting(d_k=3, scale=False, causal=True), round=0, focus_row=0, mask=mask)
    # row 0 sees one key only: no top-key question there; row 1's comes instead
    assert q is not None and q.kind == "top_key" and q.row == 1
    q2 = pr.ask(r.scores, r.weights, pr.Setting(d_k=3, scale=False, causal=True), round=0, focus_row=1, mask=mask)
    assert q2 is not None and q2.kind == "top_key" and q2.choices == (0, 1) and q2.answer_key == 0


def test_questions_travel_as_json() -> None:
    q = pr.direction_question([[2.0, 1.0, 1.0]], pr.Setting(d_k=3, scale=False), pr.Change("temperature", 0.5))
    assert q is not None
    back = pr.Question.from_dict(json.loads(json.dumps(q.to_dict())))
    assert back == q
    with pytest.raises(ValueError):
        pr.Question.from_dict({"kind": "nope"})


def test_score_and_tally() -> None:
    s = pr.Score()
    for ok in (True, True, False, True):
        s = s.record(ok)
    assert s == pr.Score(answered=4, right=3, streak=1, best_streak=2)
    q = pr.top_key_question([[2.0, 1.0, 1.0]], np_softmax(np.array([[2.0, 1.0, 1.0]])))
    assert q is not None
    t = pr.tally(q, [0, 0, 1, 2, 2, "x", 7])
    assert t.total == 5 and t.keys == (2, 1, 2) and t.right == 2
    e = pr.estimate_question([[2.0, 1.0, 1.0]], np_softmax(np.array([[2.0, 1.0, 1.0]])), 0, 0)
    te = pr.tally(e, [0.55, 0.6, 0.05, 1.0, 1.5, float("nan")])
    assert te.total == 4 and te.bins[5] == 1 and te.bins[6] == 1 and te.bins[0] == 1 and te.bins[9] == 1
