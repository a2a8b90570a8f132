"""Two students side by side on one server: nobody sees another's edits, language or model.

Each student is a real websocket session (``labdev.protocol.Session``, the protocol a browser
speaks). Student A types a sentence, switches to Vietnamese, moves the temperature, trains a
Word2Vec on a corpus of their own with other parameters; student B keeps the defaults, then makes
edits of their own. After every step both sessions rerun and read what the server drew for them.
Only immutable caches are shared: the same corpus and parameters give both students the same
cached model object, whose vectors are read-only.
"""

from __future__ import annotations

import pytest

from attention_core.presets import LEARNING_PRESETS
from labdev import protocol
from tests.classroom.classroom_helpers import run_async

pytestmark = pytest.mark.slow

A_SENTENCE = "zebrafish quokka lemur narwhal"
B_SENTENCE = "pangolin axolotl okapi"
A_CORPUS = "\n".join(["alphaword betaword gammaword deltaword"] * 6)
B_CORPUS = "\n".join(["kiwiword mangoword papayaword"] * 6)


def text(s: protocol.Session) -> str:
    return "\n".join(s.texts)


async def fresh(url: str, path: str) -> protocol.Session:
    s = protocol.Session(url, timeout=120)
    s.collect = True
    r = await s.load(path)
    assert r.ok and r.exceptions == 0, r
    return s


async def change(s: protocol.Session, key: str, value: tuple[str, object]) -> None:
    w = s.find(key)
    assert w is not None, f"no widget {key!r}: {sorted(x.user_key for x in s.widgets.values())}"
    w.value = value  # type: ignore[assignment]
    r = await s.rerun(fragment_id=w.fragment_id)
    assert r.ok and r.exceptions == 0, (key, r, s.exception_texts)


async def full_rerun(s: protocol.Session) -> None:
    r = await s.rerun()
    assert r.ok and r.exceptions == 0, r


async def scenario(url: str) -> None:
    a = await fresh(url, "step_by_step")
    b = await fresh(url, "step_by_step")
    try:
        # A edits the sentence: B still has the notebook's sentence
        await change(a, "sbs_sentence", ("string_value", A_SENTENCE))
        await full_rerun(b)
        assert "quokka" in text(a)
        assert "quokka" not in text(b) and "Tôi thích học AI" in text(b)
        assert b.find("sbs_sentence").value == ("string_value", "Tôi thích học AI")

        # A switches to Vietnamese: B stays in English (and A keeps the sentence)
        await change(a, "lang_select", ("string_value", "Tiếng Việt"))
        await full_rerun(b)
        assert "lang=vi" in a.query_string and "Từng bước" in text(a) and "quokka" in text(a)
        assert "lang=vi" not in b.query_string and "Từng bước" not in text(b) and "Step by step" in text(b)

        # A moves the temperature (the live view, a fragment rerun): B keeps their own
        await change(a, "sbs_live", ("json_value", '{"temperature": {"value": 3.5, "gesture": "a-1"}}'))
        await full_rerun(b)
        assert "T = 3.50" in text(a)
        assert "T = 1.00" in text(b) and "T = 3.50" not in text(b)

        # B edits their own sentence: A still sees theirs
        await change(b, "sbs_sentence", ("string_value", B_SENTENCE))
        await full_rerun(a)
        assert "axolotl" in text(b) and "quokka" not in text(b)
        assert "quokka" in text(a) and "axolotl" not in text(a)

        # Word2Vec: A trains their own corpus with vector_size 7; B keeps the preset's model
        for s in (a, b):
            h = s.pages["word2vec"]
            r = await s.rerun(page_hash=h, page_name="word2vec")
            assert r.ok and r.exceptions == 0
        await change(a, "w2v_vector_size", ("int_value", 7))
        await change(a, "w2v_text", ("string_value", A_CORPUS))
        await full_rerun(b)
        assert "alphaword" in text(a) and "alphaword" not in text(b)
        assert a.find("w2v_vector_size").value == ("int_value", 7)
        preset = next(p for p in LEARNING_PRESETS if p.language == "en")  # what B's lab opens on
        assert b.find("w2v_vector_size").value == ("int_value", preset.params["vector_size"])
        assert preset.query_word in text(b)  # the preset's corpus and query word

        # B trains a corpus of their own: A's page keeps A's words
        await change(b, "w2v_text", ("string_value", B_CORPUS))
        await full_rerun(a)
        assert "kiwiword" in text(b) and "alphaword" not in text(b)
        assert "alphaword" in text(a) and "kiwiword" not in text(a)
        # and A's language survived the page change, B's English too
        assert "Từ" in text(a) or "từ" in text(a)
        assert "Word2Vec lab" in text(b)
    finally:
        await a.close()
        await b.close()


def test_two_students_side_by_side(app_url: str) -> None:
    run_async(scenario(app_url))


def test_shared_models_are_immutable() -> None:
    """Two students with the same corpus and parameters share one cached model: read-only vectors."""
    from attention_core import Word2VecParams
    from ui.word2vec_cache import train_cached

    sentences = (("shared", "corpus", "words"), ("more", "shared", "words"))
    params = Word2VecParams(vector_size=5, window=2, min_count=1, sg=0, epochs=5, negative=5, seed=1)
    m1 = train_cached(sentences, params)
    m2 = train_cached(sentences, params)
    assert m1 is m2
    assert not m1.vectors.flags.writeable
    with pytest.raises(ValueError):
        m1.vectors[0, 0] = 1.0
    with pytest.raises(AttributeError):
        m1.words = ("x",)  # type: ignore[misc]  (frozen dataclass)
