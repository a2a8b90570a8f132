"""A page with one live attention view (the lessons' own component, ``ui.live_attention``) in a
fragment, and a plain slider: the load client's ``component_state`` and ``slider`` controls are
tested against it (tests/classroom/test_classroom_client.py)."""

import numpy as np
import streamlit as st

from ui.live_attention import AttentionView, current_temperature, live_attention

VIEW = AttentionView(scores=np.array([[2.0, 1.0, 1.0]]), rows=["q"], cols=["a", "b", "c"], row_title="Q", col_title="K")


@st.fragment
def live() -> None:
    live_attention("demo_live", VIEW, temperature_key="demo_temperature")
    st.markdown(f"T = {current_temperature('demo_temperature'):.2f}")


st.title("live view demo")
st.slider("Temperature", 0.05, 5.0, 1.0, 0.05, key="demo_slider")
live()
