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
