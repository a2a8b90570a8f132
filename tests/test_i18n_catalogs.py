"""Translation catalogs: complete, non-empty, same placeholders in every language."""

from __future__ import annotations

import re
import string
from collections import Counter

import pytest

from ui.i18n import LANGUAGES, catalog, language_from_locale


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


EN = catalog("en")


def test_english_catalog_loads() -> None:
    assert len(EN) > 50
    assert EN["common.temperature"] == "Temperature"


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_every_key_in_every_catalog(lang: str) -> None:
    other = catalog(lang)
    assert sorted(EN.keys() - other.keys()) == [], f"missing in {lang}"
    assert sorted(other.keys() - EN.keys()) == [], f"only in {lang}"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_empty_translation(lang: str) -> None:
    assert [k for k, v in catalog(lang).items() if not v.strip()] == []


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_same_placeholders(lang: str) -> None:
    other = catalog(lang)
    wrong = {
        k: (placeholders(EN[k]), placeholders(other[k]))
        for k in EN.keys() & other.keys()
        if placeholders(EN[k]) != placeholders(other[k])
    }
    assert wrong == {}


@pytest.mark.parametrize(
    ("locale", "lang"),
    [
        ("vi-VN", "vi"),
        ("vi", "vi"),
        ("ko-KR", "ko"),
        ("ko_KR", "ko"),
        ("en-US", "en"),
        ("fr-FR", "en"),
        (None, "en"),
        ("", "en"),
    ],
)
def test_language_follows_browser_locale(locale: str | None, lang: str) -> None:
    assert language_from_locale(locale) == lang


_NUMBER = re.compile(r"(?<![A-Za-z0-9_{.,])\d+(?:[.,]\d+)*(?:e[-+]?\d+)?(?![A-Za-z0-9_}])")


def numbers(text: str) -> Counter[str]:
    """The numbers written in a catalog text (placeholders left out), as written: ``5,000``, ``0.5``."""
    return Counter(_NUMBER.findall(re.sub(r"\{[^}]*\}", " ", text)))


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_numbers_written_as_in_english(lang: str) -> None:
    """Numbers are formatted the same in every language: each number of the English text is in the
    translation, written the same way (no ``5.000`` for 5,000, no ``0,5`` for 0.5)."""
    other = catalog(lang)
    wrong = {
        k: (sorted(numbers(EN[k]).elements()), sorted(numbers(other[k]).elements()))
        for k in EN.keys() & other.keys()
        if numbers(EN[k]) - numbers(other[k])
    }
    assert wrong == {}


def test_numbers_check_sees_a_decimal_comma() -> None:
    assert numbers("e.g. 5,000 tokens, 0.5 and {n} items") == Counter({"5,000": 1, "0.5": 1})
    assert numbers("ví dụ 5.000 token") - numbers("5,000") == Counter({"5.000": 1})
    assert numbers("8자리, 토큰 1개") == Counter({"8": 1, "1": 1})
