"""Helpers for the share/export tests: a lesson opened from a link, its numbers, each lesson's
"several changes" made through its widgets, and the link that carries them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import numpy as np
from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import APP, live_numbers, set_temperature
from ui.nav import LESSONS
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
def _home(at: AppTest) -> None:
    set_temperature(at, "home_temperature", 0.35).run()


def _qkv(prefix: str, scale: bool, values: str) -> Any:
    def change(at: AppTest) -> None:
        at.toggle(key=f"{prefix}_scale").set_value(scale).run()
        text_box(at, f"{prefix}_q", "0.1 -1.25 0.30000000000000004")
        text_box(at, f"{prefix}_v", values)
        set_temperature(at, f"{prefix}_temperature", 2.45).run()

    return change


def _sbs(at: AppTest) -> None:
    at.text_input(key="sbs_sentence").set_value("the cat sat on the mat <b>!</b>").run()
    at.number_input(key="sbs_seed").set_value(7).run()
    at.number_input(key="sbs_dim").set_value(6).run()
    at.number_input(key="sbs_heads").set_value(2).run()
    at.radio(key="sbs_head").set_value(2).run()
    at.toggle(key="sbs_causal").set_value(True).run()
    text = at.text_area(key="sbs_wq_s7__text").value.splitlines()
    text[0] = "0.1234567890123457 " + " ".join(text[0].split()[1:])
    text_box(at, "sbs_wq_s7", "\n".join(text))
    set_temperature(at, "sbs_temperature", 0.5).run()


def _self(at: AppTest) -> None:
    at.radio(key="self_preset").set_value("5x4").run()
    at.toggle(key="self_scale").set_value(True).run()
    text_box(at, "self_x", "1 0 1 0 2\n0.5 1 0 1 0\n1 1 1 0.3333333333333333 0")
    set_temperature(at, "self_temperature", 3.0).run()


def _pool(at: AppTest) -> None:
    text_box(at, "pool_x", "1 0 1 0\n0 1 1 0.25\n1 1 0 -1\n0.2 0.4 0.6 0.8")
    at.number_input(key="pool_seed").set_value(5).run()
    at.button(key="pool_random").click().run()  # w from a normal draw: every digit matters
    set_temperature(at, "pool_temperature", 0.2).run()


def _dk(at: AppTest) -> None:
    at.select_slider(key="dk_d_k").set_value(256).run()
    at.slider(key="dk_n_keys").set_value(12).run()
    at.number_input(key="dk_seed").set_value(7).run()
    set_temperature(at, "dk_temperature", 0.35).run()


def _kv(at: AppTest) -> None:
    at.text_input(key="kv_sentence").set_value("the cat sat on the mat <b>!</b>").run()
    at.number_input(key="kv_seed").set_value(7).run()
    at.number_input(key="kv_dim").set_value(6).run()
    at.slider(key="kv_step").set_value(4).run()
    at.button(key="kv_next_token").click().run()  # token 5
    set_temperature(at, "kv_temperature", 0.6).run()


def _w2v(at: AppTest) -> None:
    at.number_input(key="w2v_epochs").set_value(60).run()
    at.number_input(key="w2v_vector_size").set_value(8).run()
    at.radio(key="w2v_keys_from").set_value("words").run()
    at.multiselect(key="w2v_words").set_value(["cat", "dog", "bus", "bread"]).run()
    at.selectbox(key="w2v_query").set_value("rabbit").run()
    at.toggle(key="w2v_project").set_value(True).run()
    at.number_input(key="w2v_proj_seed").set_value(3).run()
    at.toggle(key="w2v_scale").set_value(True).run()
    set_temperature(at, "w2v_temperature", 0.7).run()


def _wo(at: AppTest) -> None:
    at.text_input(key="wo_sentence").set_value("the dog bites the man <b>!</b>").run()
    at.number_input(key="wo_seed").set_value(7).run()
    at.button(key="wo_shuffle_button").click().run()
    at.radio(key="wo_positions").set_value("rope").run()
    at.slider(key="wo_m").set_value(10).run()
    at.slider(key="wo_s").set_value(20).run()
    set_temperature(at, "wo_temperature", 0.5).run()


def _masks(at: AppTest) -> None:
    at.text_input(key="masks_s3").set_value("the <pad> is a word too").run()
    at.number_input(key="masks_seed").set_value(7).run()
    at.toggle(key="masks_pad").set_value(True).run()
    at.toggle(key="masks_causal").set_value(True).run()
    at.radio(key="masks_show").set_value(3).run()
    at.multiselect(key="masks_hidden").set_value(["2", "4"]).run()
    set_temperature(at, "masks_temperature", 0.6).run()


def _cross(at: AppTest) -> None:  # issue 26: the cross-attention lesson
    at.text_input(key="cross_source").set_value("Tôi rất thích học AI").run()
    at.text_input(key="cross_target").set_value("I really like AI <b>!</b>").run()
    at.radio(key="cross_heads").set_value(2).run()
    at.radio(key="cross_head").set_value(2).run()
    at.toggle(key="cross_scale").set_value(False).run()
    text_box(at, "cross_xs", "2 0.3 0 0\n0.1234567890123457 -1 0.5 0.25\n0.3 2 0.3 0\n0 0.3 2 0.3\n0 0 0.3 2")
    text = at.text_area(key="cross_xt__text").value.splitlines()
    text[1] = "0.5 0.5 -0.3333333333333333 1e-05"
    text_box(at, "cross_xt", "\n".join(text))
    set_temperature(at, "cross_temperature", 0.45).run()


CHANGES = {
    "home": _home,
    "library": _qkv("library", True, "1 2 3\n0.1234567890123456 5e-3 -7\n2.5 0 1e-5"),
    "step_by_step": _sbs,
    "self_attention": _self,
    "pooling": _pool,
    "scaled_dot_product": _qkv("scaled_dot_product", False, "10 0\n0.1234567890123456 -7\n2.5 1e-5"),
    "sqrt_dk": _dk,
    "kv_cache": _kv,
    "word2vec": _w2v,
    "word_order": _wo,
    "masks": _masks,
    "cross_attention": _cross,
}


def changed(page: str, lang: str = "en") -> AppTest:
    """Lesson ``page`` after its several changes, made through its widgets."""
    at = opened(page, lang=lang)
    CHANGES[page](at)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]  # every change was a valid one
    return at
