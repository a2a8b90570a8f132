"""A stand-in for a lesson's live view: a v2 custom component whose JSON state holds the temperature,
copied into a plain session key by ``on_temperature_change`` (as the lessons will do). The load
client's ``component_state`` control is tested against it (tests/classroom/test_classroom_client.py)."""

import streamlit as st

live_view = st.components.v2.component(
    "classroom_live_demo",
    html="<input type='range' min='0.05' max='5' step='0.05'>",
    js="export default function({ parentElement }) { return () => {} }",
)


def _copy_temperature() -> None:
    st.session_state["demo_temperature"] = float(st.session_state["demo_live"]["temperature"])


@st.fragment
def live() -> None:
    st.session_state.setdefault("demo_temperature", 1.0)
    live_view(key="demo_live", data={"n": 3}, default={"temperature": 1.0}, on_temperature_change=_copy_temperature)
    st.markdown(f"T = {st.session_state['demo_temperature']:.2f}")


st.title("live view demo")
st.slider("Temperature", 0.05, 5.0, 1.0, 0.05, key="demo_slider")
live()
