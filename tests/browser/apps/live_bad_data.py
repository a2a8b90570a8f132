"""A page that hands the live view data it cannot draw (for tests/browser/test_live_attention.py).

1. a payload whose labels do not match its scores (what a bug would send): the view shows its
   "stopped" message with the reason, and nothing is thrown to the page;
2. a query row with every key masked (the engine would raise FullyMaskedRowError): the engine's
   message, in the UI's language;
3. a good view;
4. a payload with no scores at all (no query, no key): the "stopped" message says so, in the UI's
   language (``live.empty``); and text after all four: the page keeps working.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

from ui.live_attention import (
    AttentionView,
    decode_payload,
    encode_payload,
    live_attention,
    mount,
    payload,
)

VIEW = AttentionView(
    scores=np.array([[1.0, 2.0], [0.5, -1.0]]),
    values=np.eye(2),
    rows=["a", "b"],
    cols=["x", "y"],
    row_title="Q",
    col_title="K",
)

header, arrays = decode_payload(payload("bad_labels", VIEW, temperature=1.0, gesture=None))
header["rows"] = ["only one label"]
mount("bad_labels", encode_payload({k: v for k, v in header.items() if k != "arrays"}, arrays), "bad_t")

masked = replace(VIEW, mask=np.array([[True, False], [False, False]]))  # the second query sees no key
mount("masked", payload("masked", masked, temperature=1.0, gesture=None), "masked_t")

live_attention("fine", VIEW, temperature_key="fine_t")

no_scores = {**{k: v for k, v in header.items() if k != "arrays"}, "rows": [], "cols": []}
mount("no_scores", encode_payload(no_scores, {"scores": np.zeros((0, 0))}), "no_scores_t")
st.write("after the views")
