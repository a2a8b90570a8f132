"""Plotly's figure data back to numbers: one decoder for the page tests (AppTest), the browser tests and the benchmarks.

Plotly ≥ 6 sends numpy arrays as typed-array specs ``{"dtype": "f8", "bdata": <base64>, "shape": "3, 3"}``.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np


def decode(node: Any, *, as_lists: bool = False) -> Any:
    """``node`` with every typed-array spec (recursively) turned into a numpy array (or nested lists
    with ``as_lists``); the browser's private ``_inputArray`` copies are dropped."""
    if isinstance(node, dict):
        if {"dtype", "bdata"} <= set(node):
            dtype = np.dtype(str(node["dtype"]).rstrip("c")).newbyteorder("<")
            arr = np.frombuffer(base64.b64decode(node["bdata"]), dtype=dtype)
            shape = node.get("shape")
            if shape:
                arr = arr.reshape(
                    [int(n) for n in str(shape).strip("[]").split(",")] if not isinstance(shape, list) else shape
                )
            return arr.tolist() if as_lists else arr
        return {k: decode(v, as_lists=as_lists) for k, v in node.items() if k != "_inputArray"}
    if isinstance(node, list):
        return [decode(v, as_lists=as_lists) for v in node]
    return node
