"""Helpers for AppTest page tests: open a lesson, read its plotly figures (typed arrays decoded) and its live view."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from labdev.plotly_data import decode
from pages import LESSONS

APP = str(Path(__file__).resolve().parent.parent / "app.py")
LIVE_COMPONENT = "attention_lab.live_attention"  # the other v2 component: ui.share's tools (a JSON payload)


def blocks(node: Any) -> Iterator[Block]:
    """Every block (container, column, expander…) under ``node`` (e.g. ``at.main``), itself included."""
    if isinstance(node, Block):
        yield node
        for child in node.children.values():
            yield from blocks(child)


def elements(node: Any) -> Iterator[Any]:
    """Every node under ``node``, blocks and elements, itself included."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from elements(child)


def keyed(at: AppTest, key: str) -> Block | None:
    """The container with ``key`` (its proto id ends in ``-{key}``), or None."""
    return next((b for b in blocks(at.main) if str(getattr(b.proto, "id", "")).endswith(f"-{key}")), None)


def figure(at: AppTest, index: int = 0) -> dict[str, Any]:
    """The ``index``-th plotly chart of the run as a dict, with numeric arrays decoded."""
    return decode(json.loads(at.get("plotly_chart")[index].proto.spec))


def chart(at: AppTest, key: str) -> dict[str, Any]:
    """The plotly chart with widget key ``key``, decoded."""
    element = next(c for c in at.get("plotly_chart") if c.key == key)
    return decode(json.loads(element.proto.spec))


def figures(at: AppTest) -> list[dict[str, Any]]:
    """Every plotly chart of the run, decoded."""
    return [figure(at, i) for i in range(len(at.get("plotly_chart")))]


def open_page(page: str = "home", lang: str | None = "en", *, timeout: float = 60, run: bool = True) -> AppTest:
    """The app on lesson ``page`` (a name in ``pages.LESSONS``) in language ``lang`` (None: the
    browser's, i.e. English in AppTest), run once and checked for exceptions (``run=False``: not run
    yet, for tests that set session state first).

    AppTest runs ``app.py`` only on the first run; ``switch_page`` then runs the page file alone (see
    docs/testing.md): pages read shared settings (language, decimals) from session state.
    """
    at = AppTest.from_file(APP, default_timeout=timeout)
    if lang:
        at.session_state["lang"] = lang
    if page != "home":
        at.switch_page(LESSONS[page].path)
    if run:
        at.run()
        assert not at.exception, [e.message for e in at.exception]
    return at


# --------------------------------------------------------------------------- the live attention view
def live_views(at: AppTest) -> dict[str, tuple[dict[str, Any], dict[str, np.ndarray]]]:
    """Every live attention view of the run, by its key: (header, arrays) decoded from its payload."""
    from ui.live_attention import decode_payload

    return {
        el.key: decode_payload(el.proto.bytes)
        for el in at.get("bidi_component")
        if el.proto.component_name == LIVE_COMPONENT
    }


def live_view(at: AppTest) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The page's one live attention view: (header, arrays)."""
    views = live_views(at)
    assert len(views) == 1, list(views)
    return next(iter(views.values()))


def set_temperature(at: AppTest, key: str, value: float) -> AppTest:
    """What the live view does when a learner releases its slider: the page's temperature key
    changes (then ``.run()``, as after ``set_value``)."""
    at.session_state[key] = value
    return at


def temperature(at: AppTest, key: str) -> float:
    """The temperature a page computes with (its default until the learner moves the slider)."""
    from ui.live_attention import TEMPERATURE

    return at.session_state[key] if key in at.session_state else TEMPERATURE.default


def temperature_label(at: AppTest) -> str:
    """The live view's label for its slider, in the page's language."""
    return str(live_view(at)[0]["texts"]["temperature"])


def live_numbers(at: AppTest) -> tuple[np.ndarray, np.ndarray | None]:
    """The weights and output the live view will draw, computed here from its payload with plain
    numpy (what the browser computes; the browser tests check that it does)."""
    header, arrays = live_view(at)
    z = arrays["scores"] / (np.sqrt(header["d_k"]) if header["scale"] else 1.0) / header["temperature"]
    if header["mask"] is not None:
        keep = np.array([c == "1" for c in header["mask"]]).reshape(z.shape)
        z = np.where(keep, z, -np.inf)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    w = e / e.sum(axis=-1, keepdims=True)
    return w, (w @ arrays["values"] if "values" in arrays else None)
