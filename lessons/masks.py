"""The masks lesson's steps (``pages/masks.py`` reads the batch and the masks, and draws them in order).

The batch as the model sees it (padded with ``<pad>``), the mask it attends with, what the pads take
with and without a key-padding mask, the check that real tokens' outputs do not depend on the pads,
and a row whose every key is masked; each a card drawn from the engine's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from attention_core import (
    PAD,
    PaddedBatch,
    batch_self_attention,
    tokenize,
)
from attention_core.errors import AttentionLabError
from attention_core.limits import MAX_MODEL_DIM, MAX_SHORT_SENTENCE_CHARS, SEED_LIMIT
from attention_core.presets import MASKS
from ui.export import recipes
from ui.format import fmt, md_code
from ui.i18n import error_text, t
from ui.lesson import (
    name_list,
    show_matrix,
    step_card,
)
from ui.nav import PageSpec, lesson_experiment
from ui.share.fields import Flag, Int, Positions, State, Text


def _sentences(state: State) -> int:
    """How many sentences the batch holds (the non-empty ones, at least 1)."""
    return max(1, sum(1 for i in (1, 2, 3) if tokenize(str(state.get(f"s{i}") or ""))))


def _length(state: State) -> int:
    """The batch's padded length: its longest sentence, capped as the page caps it."""
    lengths = [min(len(tokenize(str(state.get(f"s{i}") or ""))), MASKS.max_tokens) for i in (1, 2, 3)]
    return max(1, *lengths)


#: The batch's sentences, their random embeddings, the masks, and the keys a learner hides (their
#: 1-based positions, as words).
SPEC = PageSpec(
    name="masks",
    order=70,
    title_key="nav.masks",
    icon="🎭",
    summary_key="nav.masks_summary",
    prefix="masks",
    recipe=recipes.masks,
    experiment=lesson_experiment(
        *(Text(f"s{i + 1}", s, bound=True, max_chars=MAX_SHORT_SENTENCE_CHARS) for i, s in enumerate(MASKS.sentences)),
        Int("seed", MASKS.seed, bound=True, low=0, high=SEED_LIMIT - 1),
        Int("dim", MASKS.dim, bound=True, low=1, high=MAX_MODEL_DIM),
        Flag("pad", False, bound=True),
        Flag("causal", False, bound=True),
        Int("show", MASKS.shown, bound=True, low=1, high=_sentences),
        Positions("hidden", [], max_items=MASKS.max_tokens, high=_length),
    ),
    steps=(
        "masks.batch_title",
        "masks.mask_title",
        "masks.weights_title",
        "masks.pads_title",
        "masks.check_title",
        "masks.fully_title",
    ),
)
#: The check "equal to the unpadded sentence" passes below this (float64 rounding is ~1e-16).
TOLERANCE = 1e-12


@dataclass(frozen=True)
class Batch:
    """The padded batch and what the engine needs: X (batch, n, d) and W_q, W_k, W_v (d, d)."""

    padded: PaddedBatch
    x: np.ndarray
    w: tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Masks:
    """The mask controls: key-padding, causal, the keys hidden (0-based positions), the sentence shown."""

    pad: bool
    causal: bool
    hidden: tuple[int, ...]
    shown: int  # 0-based


def visible(n: int, hidden: tuple[int, ...]) -> np.ndarray | None:
    """The learner's mask, (n,) True where a key is not hidden (None when none is)."""
    if not hidden:
        return None
    keep = np.ones(n, dtype=bool)
    keep[list(hidden)] = False
    return keep


def batch_step(batch: Batch, shown: int) -> None:
    """Step 1: the padded batch, one row per sentence, the pads written out."""
    p = batch.padded
    lengths = ", ".join(str(x) for x in p.lengths)
    explain = t("masks.batch_explain", m=len(p.tokens), n=p.n, lengths=lengths, pad=md_code(PAD))
    with step_card(1, t("masks.batch_title"), None, explain):
        rows = [t("masks.sentence_short", n=i + 1) for i in range(len(p.tokens))]
        frame = pd.DataFrame(p.tokens, index=rows, columns=[str(j + 1) for j in range(p.n)])
        with st.container(key=SPEC.key("batch_table")):  # tests find the table by this key
            st.dataframe(frame)


def mask_step(mask: np.ndarray | None, labels: list[str], m: Masks, fully: list[int]) -> None:
    """Step 2: the mask of the sentence shown (1 = may attend)."""
    n = len(labels)
    full = np.ones((n, n), dtype=bool) if mask is None else np.broadcast_to(mask, (n, n))
    parts = [t("masks.part_pad")] if m.pad else []
    parts += [t("masks.part_causal")] if m.causal else []
    parts += [t("masks.part_hidden", n=len(m.hidden))] if m.hidden else []
    explain = (
        t("masks.mask_explain", parts=name_list(parts), zeros=int((~full).sum()), cells=n * n)
        if parts
        else t("masks.mask_explain_none", cells=n * n)
    )
    with step_card(2, t("masks.mask_title"), r"\tilde S_{ij} = -\infty \ \text{where}\ M_{ij} = 0", explain):
        frame = pd.DataFrame(full.astype(int), index=labels, columns=labels)
        with st.container(key=SPEC.key("mask_table")):
            st.dataframe(frame)
        if fully:
            st.warning(t("masks.fully_rows", rows=name_list([md_code(labels[i]) for i in fully])), icon="🚫")


def pads_step(off: np.ndarray, on: np.ndarray, labels: list[str], length: int, n: int, causal: bool) -> None:
    """Step 4: how much weight each real query gives the pads, without and with the key-padding mask."""
    pads = n - length
    rows = labels[:length]
    if pads == 0:
        explain = t("masks.pads_none")
    else:
        top = int(np.argmax(off[:length]))
        if float(off[top]) == 0.0:
            explain = t("masks.pads_explain_causal", pads=pads)
        else:
            explain = t(
                "masks.pads_explain",
                q=md_code(rows[top]),
                off=fmt(float(off[top])),
                pads=pads,
                pad=md_code(PAD),
                on="0" if float(on[top]) == 0.0 else fmt(float(on[top])),
            )
    with step_card(4, t("masks.pads_title"), r"\sum_{j \geq L} A_{ij}", explain):
        if pads:
            table = np.column_stack([off[:length], on[:length]])
            cols = [t("masks.col_without"), t("masks.col_with")]
            show_matrix(table, rows, cols, key=SPEC.key("pads_table"))


def check_step(diff_on: float, diff_off: float, length: int, n: int) -> None:
    """Step 5: the real tokens' outputs against the unpadded sentence's, with and without the mask."""
    ok = diff_on <= TOLERANCE
    explain = t(
        "masks.check_explain_ok" if ok else "masks.check_explain_bad",
        on=f"{diff_on:.1e}",
        off=f"{diff_off:.1e}",
        tol=f"{TOLERANCE:.0e}",
        length=length,
        n=n,
    )
    with step_card(
        5, t("masks.check_title"), r"\max_{i<L} \lVert O^{\text{batch}}_i - O^{\text{alone}}_i \rVert_\infty", explain
    ):
        with st.container(key=SPEC.key("check")):
            c_on, c_off = st.columns(2)
            c_on.metric(t("masks.diff_with"), f"{diff_on:.1e}")
            c_off.metric(t("masks.diff_without"), f"{diff_off:.1e}")


def fully_masked_step(batch: Batch, m: Masks, fully: list[int], labels: list[str], temperature: float) -> None:
    """Step 6: a row with every key hidden: what softmax does (0/0), what the engine does by default
    (its error, shown) and with ``fully_masked="zeros"`` (what this page uses)."""
    with step_card(6, t("masks.fully_title"), r"\mathrm{softmax}(-\infty, \dots, -\infty) = \tfrac{0}{0}"):
        if not fully:  # folded while no row is: the page stays short
            st.caption(t("masks.fully_try"))
            with st.expander(t("masks.fully_why")):
                st.markdown(t("masks.fully_text"))
            return
        st.markdown(t("masks.fully_text"))
        b = m.shown
        try:
            batch_self_attention(
                batch.x[b],
                *batch.w,
                lengths=[batch.padded.lengths[b]] if m.pad else None,
                causal=m.causal,
                mask=visible(batch.padded.n, m.hidden),
                temperature=temperature,
            )
        except AttentionLabError as exc:
            st.markdown(t("masks.fully_default"))
            st.error(error_text(exc), icon="⚠️")
        st.markdown(t("masks.fully_zeros", rows=name_list([md_code(labels[i]) for i in fully])))


def narration(off: np.ndarray, on: np.ndarray, labels: list[str], length: int, n: int, m: Masks) -> str:
    """One sentence from the numbers: what the pads take in the view shown."""
    pads = n - length
    if pads == 0:
        return t("masks.say_no_pads", n=n)
    if m.pad:
        return t("masks.say_masked", pads=pads, pad=md_code(PAD), avg=fmt(float(off[:length].mean())))
    top = int(np.argmax(off[:length]))
    if float(off[top]) == 0.0:
        return t("masks.say_causal", pads=pads)
    return t("masks.say_unmasked", q=md_code(labels[top]), w=fmt(float(off[top])), pads=pads, pad=md_code(PAD))
