"""Helpers for AppTest page tests: read plotly figures (typed arrays decoded)."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np
from streamlit.testing.v1 import AppTest


def _decode(node: Any) -> Any:
    """Turn plotly's typed arrays ({"dtype": "f8", "bdata": base64}) back into numpy arrays."""
    if isinstance(node, dict):
        if set(node) >= {"dtype", "bdata"}:
            arr = np.frombuffer(base64.b64decode(node["bdata"]), dtype=np.dtype(node["dtype"]))
            return arr.reshape(node["shape"]) if "shape" in node and isinstance(node["shape"], list) else arr
        return {k: _decode(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decode(v) for v in node]
    return node


def figure(at: AppTest, index: int = 0) -> dict[str, Any]:
    """The ``index``-th plotly chart of the run as a dict, with numeric arrays decoded."""
    return _decode(json.loads(at.get("plotly_chart")[index].proto.spec))


def figures(at: AppTest) -> list[dict[str, Any]]:
    """Every plotly chart of the run, decoded."""
    return [figure(at, i) for i in range(len(at.get("plotly_chart")))]


# --------------------------------------------------------------------------- the live attention view
def live_views(at: AppTest) -> dict[str, tuple[dict[str, Any], dict[str, np.ndarray]]]:
    """Every live attention view of the run, by its key: (header, arrays) decoded from its payload."""
    from ui.live_attention import decode_payload

    return {el.key: decode_payload(el.proto.bytes) for el in at.get("bidi_component")}


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
