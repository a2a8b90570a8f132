"""The bare reference page for ``bench/live.py`` and ``bench/latency.py``: one Temperature slider, one 4×4 heatmap.

Built the way the lessons are (a fragment around the live area, the same
``ui.figures.heatmap``, the same slider range), with nothing else on the page, so
every key press is a server round trip and a redraw: the live view is compared with it.
Run alone with ``streamlit run bench/reference_app.py``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core import softmax
from ui.figures import heatmap

#: Fixed 4×4 scores (seed 000's shape): the slider only changes the temperature.
SCORES = np.random.default_rng(0).random((4, 4)) * 3
LABELS = ["a", "b", "c", "d"]


@st.fragment
def live() -> None:
    temperature = st.slider("Temperature", 0.05, 5.0, 1.0, 0.05, key="ref_temperature")
    heatmap(
        softmax(SCORES, temperature=temperature),
        LABELS,
        LABELS,
        key="ref_heatmap",
        title="weights",
        row_title="query",
        col_title="key",
        value_name="weight",
        zmin=0.0,
        zmax=1.0,
    )


live()
