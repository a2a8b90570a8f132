"""A page that hands the live view and a plotly heatmap labels holding characters XML forbids (for
tests/browser/test_hostile.py, issue 19 finding 5): no page can make such labels any more (the entry
check refuses control characters), so this page does, to test the escaping where the SVG is made."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ui.figures import heatmap
from ui.live_attention import AttentionView, live_attention
from ui.share_tools import figure_downloads

#: C0 controls (XML forbids all but TAB, LF, CR), markup, quotes, U+FFFE (a noncharacter XML forbids)
LABELS = ["a\x01b", "c\x0bd\x1f", "<g>&'\"", "h\ufffei", "tab\there"]

st.set_page_config(layout="wide")
view = AttentionView(
    scores=np.arange(25.0).reshape(5, 5) / 10,
    values=np.eye(5),
    rows=LABELS,
    cols=LABELS,
    row_title="Q\x02",
    col_title="K\x03",
)
live_attention("hostile", view, temperature_key="hostile_t")
heatmap(np.eye(5), LABELS, LABELS, key="hostile_map", title="t", row_title="r", col_title="c", value_name="v")
figure_downloads("hostile_map", "hostile")
st.write("after the figures")
