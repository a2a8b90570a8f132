"""The lesson kit: what every lesson draws the same way.

Step cards, result tables, the notebook badge, the scaling switch, the weights table under the live
view, the contributions card of a weighted sum. A lesson page reads its controls, calls
:mod:`attention_core`, and draws each step with these.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from .format import decimals, matrix_frame, number_columns
from .i18n import t


def show_matrix(
    arr: np.ndarray,
    rows: Sequence[str],
    cols: Sequence[str],
    *,
    key: str | None = None,
    height: int | str = "auto",
) -> None:
    """A read-only table of numbers with row and column labels, at the current decimals.

    Shapes: (n, d) or (d,) -> table n × d (the full-precision values stay in the table's data).
    """
    d = decimals()
    st.dataframe(
        matrix_frame(arr, rows, cols),
        column_config=number_columns(cols, d),
        key=key,
        height=height,
    )


def step_card(number: int | str, title: str, formula: str | None, explanation: str | None = None):
    """A bordered card: "Step n · title", the formula (LaTeX), then whatever the caller draws
    inside the returned container, with the one-sentence ``explanation`` (markdown; pass user
    text through :func:`md_code`) under it.

    Usage::

        with step_card(3, t("step.scores"), r"S = QK^\\top", t("step.scores_explain", ...)):
            show_matrix(...)
    """
    box = st.container(border=True)
    box.markdown(f"**{t('common.step', n=number)} · {title}**")
    if formula:
        box.latex(formula)
    body = box.container()
    if explanation:
        box.caption(explanation)
    return body
