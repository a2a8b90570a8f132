"""Share an experiment (issue 12), in AppTest: a link, a JSON file, bad links and bad files.

Each lesson gets several changes through its own widgets (tests/share_helpers.py); the link it
would copy, opened in a fresh session, gives the same numbers bit for bit, and so does its JSON
file imported into a fresh session. Bad parameters are ignored with one notice, and bad files
change nothing.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from pages import LESSONS
from tests.share_helpers import changed, link_length, link_of, numbers, opened, same_numbers, state
from ui.export.files import experiment_json
from ui.i18n import catalog
from ui.share.state import fields
from ui.share_tools import LINK_LIMIT

PAGES = list(LESSONS)


def _file(page: str, at) -> bytes:  # noqa: ANN001 - an AppTest
    s = state(at, page)
    inputs = {f.name: f.plain(s[f.name]) for f in fields(LESSONS[page]) if f.active(s)}
    return experiment_json(LESSONS[page], inputs, s, "en")


@pytest.mark.parametrize("page", PAGES)
def test_a_link_restores_the_same_numbers(page: str) -> None:
    at = changed(page)
    params = link_of(at, page)
    assert params, "the changes must show in the link"
    assert link_length(page, params) < LINK_LIMIT
    # the kit mirrored every value no widget binds into the URL, as the browser would copy it
    spec = LESSONS[page]
    manual = {spec.key(f.name) for f in fields(spec) if not f.bound}
    for key in manual & params.keys():
        want = params[key] if isinstance(params[key], list) else [params[key]]
        got = at.query_params[key]
        assert (got if isinstance(got, list) else [got]) == want, key
    fresh = opened(page, params)
    assert not fresh.warning or all("link had" not in w.value for w in fresh.warning)
    same_numbers(numbers(at), numbers(fresh))


@pytest.mark.parametrize("lang", ["vi", "ko"])
def test_a_link_in_another_language_gives_the_same_numbers(lang: str) -> None:
    at = changed("step_by_step")
    fresh = opened("step_by_step", {**link_of(at, "step_by_step"), "lang": lang}, lang="en")
    assert fresh.session_state["lang"] == lang
    a, b = numbers(at), numbers(fresh)
    assert np.array_equal(a["weights"], b["weights"]) and np.array_equal(a["output"], b["output"])
    assert [t.to_numpy().tolist() for t in a["tables"]] == [t.to_numpy().tolist() for t in b["tables"]]


@pytest.mark.parametrize("page", PAGES)
def test_the_json_file_round_trip(page: str) -> None:
    at = changed(page)
    data = _file(page, at)
    doc = json.loads(data)
    assert doc["version"] == 1 and doc["lesson"] == page and doc["app"] == "attention-lab"
    page_numbers = numbers(at)
    weights = np.array(doc["results"]["weights"]["values"], dtype=float)
    np.testing.assert_allclose(
        weights.reshape(page_numbers["weights"].shape), page_numbers["weights"], rtol=0, atol=1e-12
    )
    fresh = opened(page, imported=data)
    assert catalog("en")["share.import_done"] in [s.value for s in fresh.success]
    same_numbers(page_numbers, numbers(fresh))


def test_defaults_make_an_empty_link() -> None:
    for page in PAGES:
        at = opened(page)
        assert link_of(at, page) == ({"w2v_preset": "learn_en"} if page == "word2vec" else {}), page


# --------------------------------------------------------------------------- bad links
BAD_LINKS = {
    "unknown key": {"zzz": "1"},
    "script text": {"library_scale": "<script>alert(1)</script>"},
    "NaN temperature": {"library_temperature": "nan"},
    "infinite temperature": {"library_temperature": "inf"},
    "temperature out of range": {"library_temperature": "99"},
    "10^5 digits": {"library_temperature": "1" * 100_000},
    "wrong shape": {"library_q": "1_2"},
    "ragged matrix": {"library_k": "1_2_3~4_5"},
    "NaN in a matrix": {"library_q": "nan_0_1"},
    "1e999 in a matrix": {"library_v": "1e999_0_1~0_0_0~1_1_1"},
    "bad base64": {"library_q": "b1x3.!!!!"},
    "packed, wrong size": {"library_q": "b1x3.AAAA"},
    "a key of another lesson": {"sbs_seed": "3"},
    "an HTML key": {"<img src=x onerror=alert(1)>": "1"},
}


def test_bad_links_are_ignored_with_one_notice_and_nothing_else_changes() -> None:
    baseline = numbers(opened("library"))
    for name, params in BAD_LINKS.items():
        at = opened("library", params)
        warnings = [w.value for w in at.warning]
        assert len(warnings) == 1, (name, warnings)
        assert "1" in warnings[0] and "ignored" in warnings[0], name
        same_numbers(baseline, numbers(at))
        for key in params:
            assert key not in at.query_params, (name, key)


def test_a_bad_value_beside_good_ones_leaves_the_good_ones() -> None:
    at = opened("library", {"library_temperature": "0.5", "library_q": "nan_0_1", "library_scale": "true"})
    assert len(at.warning) == 1 and "`library_q`" in at.warning[0].value
    assert at.toggle(key="library_scale").value is True
    assert at.session_state["library_temperature"] == 0.5


BAD_BOUND = {
    "size over the limit": {"sbs_dim": "1000"},
    "negative seed": {"sbs_seed": "-1"},
    "no head": {"sbs_heads": "0"},
    "head without heads": {"sbs_head": "2"},
    "a float for a whole number": {"sbs_seed": "4.5"},
    "a very long sentence": {"sbs_sentence": "a " * 5000},
    "a switch that is not one": {"sbs_causal": "yes"},
}


def test_bad_values_of_bound_widgets_never_reach_them() -> None:
    baseline = numbers(opened("step_by_step"))
    for name, params in BAD_BOUND.items():
        at = opened("step_by_step", params)
        assert len(at.warning) == 1, (name, [w.value for w in at.warning])
        same_numbers(baseline, numbers(at))


def test_a_query_string_over_streamlit_limit_opens_the_defaults() -> None:
    """10⁶ digits: Streamlit drops a query string over 512 KiB before the app sees it (the Copy-link
    view says so in the browser); the page opens with its defaults."""
    at = opened("library", {"library_temperature": "1" * 1_000_000})
    same_numbers(numbers(opened("library")), numbers(at))


def test_the_notice_is_in_the_ui_language() -> None:
    for lang in ("vi", "ko"):
        at = opened("library", {"zzz": "1", "lang": lang}, lang=lang)
        want = catalog(lang)["share.bad_link"].split("{")[0]
        assert [w.value for w in at.warning][0].startswith(want)


# --------------------------------------------------------------------------- bad files
def _good(page: str = "library") -> dict:
    return json.loads(_file(page, changed(page)))


def _bad_files() -> dict[str, tuple[bytes, str]]:
    good = _good()
    text = json.dumps(good)

    def with_inputs(**change: object) -> bytes:
        return json.dumps({**good, "inputs": {**good["inputs"], **change}}).encode()

    return {
        "an image": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "import_not_text"),
        "truncated": (text[: len(text) // 2].encode(), "import_truncated"),
        "oversized": (b" " * (1024 * 1024 + 1), "import_too_big"),
        "not JSON": (b"library_q=1,2,3", "import_not_json"),
        "deep nesting": (b"[" * 100_000 + b"]" * 100_000, "import_not_json"),
        "not ours": (json.dumps({"a": 1}).encode(), "import_not_ours"),
        "a newer version": (json.dumps({**good, "version": 2}).encode(), "import_version"),
        "another lesson": (json.dumps({**good, "lesson": "step_by_step"}).encode(), "import_other_lesson"),
        "a hostile lesson": (json.dumps({**good, "lesson": "<script>x</script>"}).encode(), "import_other_lesson"),
        "no inputs": (json.dumps({**good, "inputs": []}).encode(), "import_no_inputs"),
        "NaN": (text.replace('"temperature": 2.45', '"temperature": NaN').encode(), "import_not_json"),
        "a wrong shape": (with_inputs(q=[[1, 2]]), "import_bad_value"),
        "a string for a number": (with_inputs(temperature="hot"), "import_bad_value"),
        "a huge number": (with_inputs(v=[[1e308, 1e308, 1e308]] * 2 + [[1, 1, 1]]), None),  # valid input
        "an unknown input": (with_inputs(extra=1), "import_bad_value"),
        "a boolean for a matrix cell": (with_inputs(q=[[True, 0, 1]]), "import_bad_value"),
    }


def test_bad_files_change_nothing_and_say_why() -> None:
    baseline = numbers(opened("library"))
    en = catalog("en")
    for name, (data, code) in _bad_files().items():
        if code is None:
            continue
        at = opened("library", imported=data)
        errors = [e.value for e in at.error]
        want = en[f"share.{code}"].split("{")[0]
        assert any(e.startswith(want) for e in errors), (name, errors)
        assert en["share.import_done"] not in [s.value for s in at.success], name
        same_numbers(baseline, numbers(at))


def test_a_file_message_in_the_ui_language() -> None:
    at = opened("library", lang="ko", imported=b"{")
    assert [e.value for e in at.error] == [catalog("ko")["share.import_truncated"]]
