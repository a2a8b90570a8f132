"""Real-browser test fixtures: one Streamlit server and one Chromium for the whole session,
a fresh browser context (cookies, session, language) for every test.

Fixtures: ``base_url`` (the running app, e.g. ``http://127.0.0.1:PORT``), ``fresh_base_url``
(a server of the test's own, not visited yet), ``browser``,
``page`` (en-US, 1400×1800, websocket sync script installed), ``page_factory(locale=...)`` for more
pages or other browser languages. Helpers are in :mod:`labdev.browser` (and ``live_helpers.py`` here).

Chromium is Debian's (``/usr/bin/chromium``), never a Playwright download. When it is
missing the tests are skipped, except under ``CI=true``, where that is a failure.
Every test in this folder gets the ``browser`` marker (``-m "not browser"`` leaves them out).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest

from labdev.env import in_ci
from labdev.server import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, serve

SERVER_START_TIMEOUT_S = 60.0
_HERE = Path(__file__).resolve().parent


def _unavailable(reason: str) -> None:
    """Skip the browser tests, or fail them under CI (there they must run)."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: browser tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


try:
    from labdev.browser import DEFAULT_TIMEOUT_MS, SCREENSHOT_DIR, SYNC_JS
except ImportError as exc:  # playwright is not installed
    if in_ci():
        raise
    _NO_PLAYWRIGHT = f"playwright is not installed ({exc}): pip install -r requirements-dev.txt"
    collect_ignore_glob = ["test_*.py"]
else:
    _NO_PLAYWRIGHT = ""


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _NO_PLAYWRIGHT:
        terminalreporter.write_line(f"browser tests NOT collected: {_NO_PLAYWRIGHT}", yellow=True)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser with ``browser`` (before ``-m`` selects)."""
    for item in items:
        if _HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the item so the ``page`` fixture can screenshot failures."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --------------------------------------------------------------------------- environment
@pytest.fixture(scope="session")
def _browser_ready() -> None:
    """Chromium and Playwright are present (checked before the server starts)."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium (bash scripts/test.sh does it)")


@contextmanager
def streamlit_server(log_path: Path) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free loopback port (log in ``log_path``); yield its URL
    once ``/_stcore/health`` answers ``ok``; stop the server's process group on exit."""
    with serve("app.py", log_path, timeout_s=SERVER_START_TIMEOUT_S, on_fail=_fail) as url:
        yield url


def _fail(message: str) -> NoReturn:
    pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def base_url(_browser_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app, served for the whole session: ``http://127.0.0.1:PORT``."""
    with streamlit_server(tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


@pytest.fixture
def fresh_base_url(_browser_ready: None, tmp_path: Path) -> Iterator[str]:
    """A server of its own for one test, that no browser has visited yet (e.g. to open a deep
    link first: some Streamlit state is per process, set by the first session)."""
    with streamlit_server(tmp_path / "server.log") as url:
        yield url


# --------------------------------------------------------------------------- browser
@pytest.fixture(scope="session")
def _playwright(_browser_ready: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        yield pw
    finally:
        pw.stop()


@pytest.fixture(scope="session")
def browser(_playwright: Any) -> Iterator[Any]:
    """One headless Debian Chromium for the session."""
    b = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        yield b
    finally:
        b.close()


@pytest.fixture
def page_factory(browser: Any, request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """``page_factory(locale="vi-VN")`` opens a page in a new browser context (own Streamlit
    session); every page it made is closed after the test (a screenshot is saved on failure)."""
    contexts: list[Any] = []
    pages: list[Any] = []

    def make(locale: str = "en-US", viewport: dict[str, int] | None = None) -> Any:
        ctx = browser.new_context(viewport=viewport or VIEWPORT, locale=locale)
        ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
        ctx.add_init_script(SYNC_JS)
        contexts.append(ctx)
        pg = ctx.new_page()
        pg.js_errors = []  # uncaught errors in the page's JavaScript, for failure reports
        pg.on("pageerror", lambda err, pg=pg: pg.js_errors.append(str(err)))
        pages.append(pg)
        return pg

    yield make

    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        for i, pg in enumerate(pages):
            try:
                pg.screenshot(path=str(SCREENSHOT_DIR / f"FAILED-{request.node.name}-{i}.png"), full_page=True)
            except Exception:  # noqa: BLE001 - best effort
                pass
            if pg.js_errors:
                print(f"JavaScript errors on page {i}: {pg.js_errors}")
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(page_factory: Callable[..., Any]) -> Any:
    """A fresh en-US page (1400×1800) in its own browser context."""
    return page_factory()
