"""Helpers for the share/export tests: a lesson opened from a link, its numbers, each lesson's
"several changes" made through its widgets, and the link that carries them."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import urlencode

import numpy as np
from streamlit.testing.v1 import AppTest

from pages import LESSONS
from tests.apptest_helpers import APP, live_numbers, set_temperature
from ui.share.state import HOLDER, link_params

TIMEOUT = 120


def opened(
    page: str, params: dict[str, Any] | None = None, *, lang: str = "en", imported: bytes | None = None
) -> AppTest:
    """Lesson ``page`` opened from a link with ``params`` (or with ``imported`` file bytes), run once."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if imported is not None:
        at.session_state["_share_import"] = {page: imported}
    at.switch_page(LESSONS[page].path)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def numbers(at: AppTest) -> dict[str, Any]:
    """Everything the page computed: the live view's weights and output, and every read-only table."""
    w, out = live_numbers(at)
    tables = [d.value for d in at.dataframe if d.proto.editing_mode == 0]
    return {"weights": w, "output": out, "tables": tables}


def same_numbers(a: dict[str, Any], b: dict[str, Any]) -> None:
    """Bit for bit: the same weights, output and tables (labels and values)."""
    assert np.array_equal(a["weights"], b["weights"])
    assert (a["output"] is None) == (b["output"] is None)
    if a["output"] is not None:
        assert np.array_equal(a["output"], b["output"])
    assert len(a["tables"]) == len(b["tables"])
    for x, y in zip(a["tables"], b["tables"], strict=True):
        assert x.shape == y.shape and list(x.columns) == list(y.columns) and list(x.index) == list(y.index)
        assert x.equals(y), (x, y)


def state(at: AppTest, page: str) -> dict[str, Any]:
    """The experiment as the page last synced it (what the downloads read)."""
    return dict(at.session_state[HOLDER][page])


def link_of(at: AppTest, page: str) -> dict[str, Any]:
    """The parameters a copied link carries (every field off its default; the browser adds ``lang``)."""
    return link_params(LESSONS[page], state(at, page))


def link_length(page: str, params: dict[str, Any], lang: str = "en") -> int:
    """The length of the copied link on a classroom server (``http://192.168.100.100:8501/…``)."""
    query = urlencode({**params, "lang": lang}, doseq=True)
    return len(f"http://192.168.100.100:8501/{page}?{query}")


def text_box(at: AppTest, key: str, text: str) -> AppTest:
    """Type ``text`` into editor ``key``'s text box (its own path from text to grid)."""
    at.text_area(key=f"{key}__text").set_value(text)
    return at.run()


# --------------------------------------------------------------------------- several changes per lesson


def qkv_changes(prefix: str, scale: bool, values: str) -> Callable[[AppTest], None]:
    """Every field of a query/key/value lesson changed: the scaling, the query, the values, the temperature."""

    def change(at: AppTest) -> None:
        at.toggle(key=f"{prefix}_scale").set_value(scale).run()
        text_box(at, f"{prefix}_q", "0.1 -1.25 0.30000000000000004")
        text_box(at, f"{prefix}_v", values)
        set_temperature(at, f"{prefix}_temperature", 2.45).run()

    return change


class _Changes(Mapping[str, Callable[[AppTest], None]]):
    """Each lesson's ``change_every_field(at)``, read from its test file (``tests/test_page_<name>.py``):
    ``CHANGES["masks"](at)`` changes every field of the masks lesson through its widgets."""

    def __getitem__(self, page: str) -> Callable[[AppTest], None]:
        if page not in LESSONS:
            raise KeyError(page)
        module = importlib.import_module(f"tests.test_page_{page}")
        change = getattr(module, "change_every_field", None)
        if change is None:
            raise KeyError(f"tests/test_page_{page}.py has no change_every_field(at)")
        return change

    def __iter__(self) -> Iterator[str]:
        return iter(LESSONS)

    def __len__(self) -> int:
        return len(LESSONS)


#: What the link, export and comparison tests do to each lesson: change every field.
CHANGES = _Changes()


def changed(page: str, lang: str = "en") -> AppTest:
    """Lesson ``page`` after its several changes, made through its widgets."""
    at = opened(page, lang=lang)
    CHANGES[page](at)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]  # every change was a valid one
    return at
