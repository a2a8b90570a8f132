"""Hostile links, files and labels in a real browser (issue 19).

- Finding 3: a link's parameter names and ``?lang=`` value, and an imported file's keys, lesson and
  version, reach the app's own messages as text: the DOM holds no ``<a>``, ``<img>`` or heading made
  from them, and the browser fetches nothing they name.
- Finding 5: labels holding control characters (which no page can make any more) still give SVG files
  an XML parser reads: the live view's export and plotly's.
"""

from __future__ import annotations

import http.server
import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from labdev.browser import assert_no_exception, open_page, wait_for_rerun
from labdev.server import free_port, serve
from tests.browser.live_helpers import wait_for_live

pytestmark = pytest.mark.browser

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def trap() -> Iterator[tuple[str, list[str]]]:
    """A local web server that records every request: a hostile link's images and links point here."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}", hits
    finally:
        server.shutdown()
        server.server_close()


def made_from(page: Page, host: str) -> dict[str, int]:
    """Elements the app's own text could have been turned into, naming the trap or its words."""
    return {
        "img": page.locator(f"img[src*='{host}']").count(),
        "a": page.locator(f"a[href*='{host}']").count(),
        "heading": page.locator("h1, h2, h3, h4, h5, h6").filter(has_text="Session expired").count(),
        "heading-sign-in": page.locator("h1, h2, h3, h4, h5, h6").filter(has_text="Sign in").count(),
    }


def test_3_link_names_and_lang_make_no_markup(page: Page, base_url: str, trap: tuple[str, list[str]]) -> None:
    host, hits = trap
    image = f"\r\r![]({host}/image.png)"
    heading = f"\r\r## Session expired\r\r[Sign in again]({host}/login)"
    lang = f"\r\r![]({host}/lang.png)"
    query = "&".join(f"{quote(k, safe='')}=1" for k in (image, heading)) + "&lang=" + quote(lang, safe="")
    open_page(page, base_url, f"/library?{query}")
    wait_for_live(page)
    notice = page.locator("[data-testid='stAlertContentWarning']")
    expect(notice).to_have_count(1)
    page.wait_for_timeout(500)  # time for an image to load, had one been made
    assert made_from(page, host) == {"img": 0, "a": 0, "heading": 0, "heading-sign-in": 0}
    assert hits == []
    expect(notice).to_contain_text("Session expired")  # shown, as text
    expect(page.locator("[data-testid='stSidebar'] code")).to_contain_text("![](")  # the ?lang= value, as code
    assert_no_exception(page)


def test_3_an_imported_file_makes_no_markup(page: Page, base_url: str, trap: tuple[str, list[str]], tmp_path: Path) -> None:
    host, hits = trap
    open_page(page, base_url, "/library")
    wait_for_live(page)
    doc = {
        "app": "attention-lab",
        "version": 1,
        "lesson": "library",
        "lang": "en",
        "inputs": {f"\r\r## Session expired\r\r![]({host}/key.png)": 1, f"\r\r[Sign in again]({host}/login)": 2},
    }
    hostile = tmp_path / "experiment.json"
    hostile.write_text(json.dumps(doc), encoding="utf-8")
    for content in (doc, {**doc, "inputs": {}, "lesson": f"\r\r## Session expired\r\r![]({host}/lesson.png)"},
                    {**doc, "version": f"\r\r![]({host}/version.png)"}):
        hostile.write_text(json.dumps(content), encoding="utf-8")
        page.locator(".st-key-library_share [data-testid='stPopover'] button").first.click()
        uploader = page.locator("[data-testid='stFileUploaderDropzoneInput']")
        expect(uploader).to_have_count(1)
        since = page.evaluate("() => window.__stWire.lastRerun")
        uploader.set_input_files(str(hostile))
        wait_for_rerun(page, since=since)
        page.keyboard.press("Escape")  # close the menu
        error = page.locator("[data-testid='stAlertContentError']")
        expect(error).to_have_count(1)
        page.wait_for_timeout(300)
        assert made_from(page, host) == {"img": 0, "a": 0, "heading": 0, "heading-sign-in": 0}, content
    assert hits == []
    assert_no_exception(page)


def _download(page: Page, click: object, path: Path) -> ET.Element:
    with page.expect_download() as dl:
        click.click()  # type: ignore[attr-defined]
    dl.value.save_as(path)
    return ET.fromstring(path.read_bytes())  # an XML parser: raises on a character XML forbids


def test_5_svg_exports_parse_whatever_the_labels(browser, tmp_path: Path) -> None:  # noqa: ANN001
    with serve("tests/browser/apps/hostile_labels.py", tmp_path / "server.log") as url:
        ctx = browser.new_context(viewport={"width": 1200, "height": 1600}, accept_downloads=True)
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        expect(page.get_by_text("after the figures")).to_be_visible(timeout=60_000)
        view = page.locator("[data-testid='live-attention']")
        expect(view).to_have_attribute("data-state", "ready", timeout=30_000)
        root = _download(page, view.locator(".la-dl[data-format=svg]"), tmp_path / "live.svg")
        texts = [t.text or "" for t in root.iter(f"{SVG}text")]
        assert "a\ufffdb" in texts and "<g>&'\"" in texts  # replaced, and escaped (read back as typed)
        titles = [t.text or "" for t in root.iter(f"{SVG}title")]
        assert any(t.startswith("a\ufffdb · a\ufffdb") for t in titles)
        chart = page.locator(".st-key-hostile_map .js-plotly-plot")
        expect(chart).to_be_visible(timeout=30_000)
        tools = page.locator("[data-testid='share-tools'][data-mode='figure']")
        plotly_svg = _download(page, tools.locator(".sh-svg"), tmp_path / "plotly.svg")
        ticks = [t.text or "" for t in plotly_svg.iter(f"{SVG}text")]
        assert any("a\ufffdb" in t for t in ticks), ticks
        assert errors == []
        ctx.close()
