"""Fixtures for the classroom tests (helpers are in classroom_helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from labdev.server import serve


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run app.py`` (the project's config) on a free loopback port, for this module."""
    with serve("app.py", tmp_path_factory.mktemp("app") / "server.log", timeout_s=90) as url:
        yield url
