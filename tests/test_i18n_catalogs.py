"""Translation catalogs: complete, non-empty, same placeholders in every language."""

from __future__ import annotations

import string

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
