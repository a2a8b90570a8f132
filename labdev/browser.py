"""Helpers for real-browser tests (Playwright sync API, Debian's Chromium, Streamlit 1.67).

Import them with ``from labdev.browser import open_page, move_slider, ...`` (the browser tests and
``bench/live.py`` do). The fixtures (``base_url``, ``page``, ``page_factory``) live in
``tests/browser/conftest.py``.

DOM facts these helpers rely on (checked on Streamlit 1.67 + Chromium):

- ``[data-testid='stApp']`` carries ``data-test-script-state``: ``running`` while the
  script (or a fragment) runs, ``notRunning`` when it is done. Fragment reruns toggle it too.
- A widget or chart with ``key=k`` sits in a container with the class ``st-key-<k>``
  (characters outside ``[A-Za-z0-9_-]`` become ``-``): see :func:`key_class`.
- Sliders are react-aria: a visually hidden ``input[type=range]`` (implicit ARIA role
  ``slider``, ``aria-label`` = the label, ``aria-valuetext`` = the shown value). There is
  no element with an explicit ``role=slider`` attribute, so ``[role=slider]`` finds nothing.
- ``st.data_editor`` draws a glide-data-grid ``canvas[data-testid='data-grid-canvas']``;
  inside it an accessibility table mirrors the visible cells as
  ``td[data-testid='glide-cell-<col>-<row>']`` (col 0 is the index column when the index
  is shown) with ``aria-selected``. The cells have no layout box (they are canvas fallback
  content), so cells are reached with the keyboard, not by clicking coordinates. Enter
  opens the overlay editor ``.gdg-input`` (an ``input`` for numbers, a ``textarea`` for
  text); Enter commits it.
- Selectboxes are react-aria combo boxes: ``input[role=combobox]``, options ``[role=option]``.
- Lazy widgets show ``[data-testid='stSkeleton']`` for a moment after the run finished.
- An uncaught exception renders ``[data-testid='stException']`` even with
  ``client.showErrorDetails = "none"`` (the message is then redacted).
"""

from __future__ import annotations

import json
import re
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from .env import ROOT
from .plotly_data import decode

SCREENSHOT_DIR = ROOT / "artifacts" / "screenshots"

APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
EXCEPTION = "[data-testid='stException']"
ERROR_ALERT = "[data-testid='stAlertContentError']"
SKELETON = "[data-testid='stSkeleton']"
DEFAULT_TIMEOUT_MS = 30_000

T = TypeVar("T")

#: After the server said "not running", nothing more may arrive for this long: a rerun the
#: script itself asks for (``st.rerun()``) starts right after, within milliseconds.
WIRE_QUIET_MS = 100

#: Installed in every page by the ``page``/``page_factory`` fixtures (``add_init_script``).
#: It reads the top-level protobuf fields of the app's websocket messages (Streamlit 1.67):
#: the browser's ``BackMsg.rerun_script`` (field 11: a widget change, a click, the first
#: load) and the server's ``ForwardMsg.session_status_changed`` (field 9, whose field 2 is
#: ``script_is_running``). It also counts the runs the DOM shows (``data-test-script-state``),
#: but the wire decides: a run too fast for React to paint "running" is still on the wire.
SYNC_JS = """
(() => {
  if (window.__stWire) return;
  const w = window.__stWire = {
    reruns: 0, lastRerun: -1, serverStarts: 0, lastStart: -1, serverRunning: false,
    received: 0, lastReceived: -1, unparsed: 0, starts: 0, running: false,
  };
  const bytesOf = (d) => d instanceof ArrayBuffer ? new Uint8Array(d)
    : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : null;
  // Top-level fields of a protobuf message: [[field, varint value or sub-message bytes], ...].
  const fields = (b) => {
    const out = [];
    let i = 0;
    const varint = () => {
      let r = 0, s = 0, x;
      do { x = b[i++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80 && i < b.length);
      return r;
    };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), type = tag & 7;
      if (type === 0) out.push([field, varint()]);
      else if (type === 2) { const n = varint(); out.push([field, b.subarray(i, i + n)]); i += n; }
      else if (type === 1) i += 8;
      else if (type === 5) i += 4;
      else break;
    }
    return out;
  };
  const Native = window.WebSocket;
  const nativeSend = Native.prototype.send;
  Native.prototype.send = function (data) {
    const b = bytesOf(data);
    if (b === null) w.unparsed += 1;
    else if (fields(b).some(([f]) => f === 11)) { w.reruns += 1; w.lastRerun = performance.now(); }
    return nativeSend.call(this, data);
  };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const now = performance.now();
        w.received += 1;
        w.lastReceived = now;
        const b = bytesOf(e.data);
        if (b === null) { w.unparsed += 1; return; }
        for (const [f, v] of fields(b)) {
          if (f !== 9 || typeof v === 'number') continue;
          const running = fields(v).some(([g, x]) => g === 2 && x === 1);
          if (running && !w.serverRunning) { w.serverStarts += 1; w.lastStart = now; }
          w.serverRunning = running;
        }
      });
    }
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.target.getAttribute('data-testid') !== 'stApp') continue;
      const state = r.target.getAttribute('data-test-script-state');
      if (state === 'running' && !w.running) { w.running = true; w.starts += 1; }
      else if (state !== 'running') w.running = false;
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
})();
"""


# --------------------------------------------------------------------------- locating widgets
def key_class(key: str) -> str:
    """The CSS class Streamlit gives the container of the element with ``key``: ``st-key-<key>``."""
    return "st-key-" + re.sub(r"[^A-Za-z0-9_-]", "-", key.strip())


def widget(page: Page, key: str) -> Locator:
    """The container of the widget/chart whose ``key`` is exactly ``key``."""
    return page.locator(f".{key_class(key)}")


_TABS_OF_JS = """el => {
  // the tab panels the element sits in, outermost first: [marker of their st.tabs, panel index]
  const found = [];
  for (let p = el.closest("[data-testid=stTabPanel]"); p; p = p.parentElement.closest("[data-testid=stTabPanel]")) {
    const tabs = p.closest("[data-testid=stTabs]");
    const panels = Array.from(tabs.querySelectorAll("[data-testid=stTabPanel]"))
      .filter((q) => q.closest("[data-testid=stTabs]") === tabs);
    tabs.dataset.reveal = tabs.dataset.reveal || String(Math.random()).slice(2);
    found.unshift([tabs.dataset.reveal, panels.indexOf(p)]);
  }
  return found;
}"""


def reveal(page: Page, key: str) -> Locator:
    """The element with ``key``, made visible first: its folded expanders opened ("Show the numbers",
    "Edit the embedding table"), outermost first, and the tabs it sits in chosen ("Q", "Cosine
    similarity"). Both are browser-side clicks: no rerun. ``key`` may be an expander's own key
    (a folded expander does not draw its tables until it opens): it is opened too."""
    box = page.locator(f".{key_class(key)}, [class*='{key_class(key)}__']").first  # a widget or an editor
    box.wait_for(state="attached")
    folded = page.locator("[data-testid='stExpander'] details:not([open])").filter(has=box)
    for _ in range(folded.count()):  # outermost first: opening it leaves the inner ones in the list
        folded.first.locator("summary").first.click()
    for marker, index in box.evaluate(_TABS_OF_JS):
        page.locator(f"[data-reveal='{marker}'] [role=tablist]").first.locator("[role=tab]").nth(index).click()
    # a keyed expander: the key's class is on the expander or on a layout wrapper right around it
    own = box.locator(
        ":scope[data-testid='stExpander'], :scope[data-testid='stLayoutWrapper'] > [data-testid='stExpander']"
    )
    if own.count() and own.first.locator(":scope > details:not([open])").count():
        own.first.locator(":scope > details > summary").click()
    expect(box).to_be_visible()
    box.scroll_into_view_if_needed()  # also inside a lesson's controls column, which scrolls on its own
    return box


def _css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


def _by_key_or_label(page: Page, key_or_label: str, inner: str) -> Locator:
    """``inner`` (a CSS selector) inside the container of widget key ``key_or_label``, else the
    ``inner`` element whose ``aria-label`` is exactly ``key_or_label`` (the widget's label).

    (Playwright's ``get_by_role(name=...)`` does not fit sliders: their accessible name is
    the label twice, through ``aria-labelledby``.)
    """
    box = widget(page, key_or_label)
    if box.count():
        return box.locator(inner).first
    label = f"[aria-label={_css_string(key_or_label)}]"
    return page.locator(", ".join(part.strip() + label for part in inner.split(","))).first


def slider_input(page: Page, key_or_label: str) -> Locator:
    """The ``input[type=range]`` of the slider with this widget key (preferred) or exact label."""
    return _by_key_or_label(page, key_or_label, "input[type=range]")


def slider_value(page: Page, key_or_label: str) -> str:
    """The value the slider shows, as text (e.g. ``"1.15"``)."""
    return slider_input(page, key_or_label).get_attribute("aria-valuetext") or ""


def editor(page: Page, key: str) -> Locator:
    """The ``st.data_editor`` with widget key ``key``, or the ``ui.editors.matrix_editor``
    with logical key ``key`` (its widget key is ``<key>__<shape>__v<n>``)."""
    exact = widget(page, key)
    if exact.count():
        return exact
    return page.locator(f"[class*='{key_class(key)}__']").first


# --------------------------------------------------------------------------- runs
# Done: a rerun request went out after `since`, the server started a run after the last
# request (so, the app being idle before the action, a run for it), is no longer running and
# has been silent for `quiet`; the DOM agrees.
_SETTLED_JS = """([since, quiet]) => {
  const w = window.__stWire;
  const app = document.querySelector("[data-testid='stApp']");
  return w.lastRerun > since && w.lastStart > w.lastRerun && !w.serverRunning
    && performance.now() - w.lastReceived >= quiet
    && app !== null && app.getAttribute('data-test-script-state') === 'notRunning';
}"""


def _wire(page: Page) -> dict[str, Any]:
    return dict(page.evaluate("() => window.__stWire || null") or {})


def mark(page: Page) -> float:
    """The page's clock now (``performance.now()``): pass it as ``since`` to :func:`wait_for_rerun`."""
    now = page.evaluate("() => window.__stWire ? performance.now() : null")
    if now is None:
        raise RuntimeError("the sync script is not installed: use the `page`/`page_factory` fixture (or SYNC_JS)")
    return float(now)


def rerun_count(page: Page) -> int:
    """How many script runs (fragments included) the DOM has shown starting on this page."""
    return int(_wire(page).get("starts", -1))


def wait_until_idle(page: Page, timeout_ms: float = DEFAULT_TIMEOUT_MS) -> None:
    """Wait until no script runs and no lazily loaded widget still shows its skeleton."""
    page.wait_for_selector(APP_IDLE, timeout=timeout_ms)
    page.wait_for_function(
        f'() => document.querySelectorAll("{SKELETON}").length === 0', timeout=timeout_ms, polling=50
    )


def wait_for_rerun(page: Page, since: float | None = None, timeout_ms: float = DEFAULT_TIMEOUT_MS) -> None:
    """Wait until the rerun caused by an action has finished and the page has settled.

    ``since`` is a :func:`mark` taken *before* the action, with the app idle (every helper
    here returns with the app idle). Done means: the browser sent a rerun request after
    ``since``; the server reported a run starting after the last request and then "not
    running", and has been silent for ``WIRE_QUIET_MS``; the app says ``notRunning``; no
    widget shows a loading skeleton. With ``since=None`` it waits until every request sent
    so far has been run and the page is idle. Prefer the context manager :func:`expect_rerun`.

    One action, one request: an action that sends several requests in a burst (many key
    presses at once) can outrun this check, since the server merges queued requests and
    may start their run late. :func:`move_slider` therefore presses one key at a time.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    try:
        page.wait_for_function(
            _SETTLED_JS, arg=[-1.0 if since is None else since, WIRE_QUIET_MS], timeout=timeout_ms, polling=20
        )
    except PlaywrightError as exc:
        raise AssertionError(
            f"no finished rerun within {timeout_ms / 1000:.0f} s (since={since}, wire={_wire(page)})"
        ) from exc
    wait_until_idle(page, max(1.0, (deadline - time.monotonic()) * 1000))


@contextmanager
def expect_rerun(page: Page, timeout_ms: float = DEFAULT_TIMEOUT_MS) -> Iterator[None]:
    """``with expect_rerun(page): <click/press/fill>`` — returns once the rerun it caused has finished."""
    since = mark(page)
    yield
    wait_for_rerun(page, since, timeout_ms)


def eventually(check: Callable[[], T], timeout_ms: float = DEFAULT_TIMEOUT_MS, interval_ms: float = 100) -> T:
    """Call ``check`` until it stops raising ``AssertionError`` (or ``timeout_ms`` has passed,
    then its last error is raised) and return its result.

    For what the browser paints a moment after the rerun is over: a grid's accessibility
    table, a plotly figure's new data. Use it to *wait*, after a helper waited for the rerun:
    the check itself should be exact.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
        time.sleep(interval_ms / 1000)


# --------------------------------------------------------------------------- pages
def assert_no_exception(page: Page) -> None:
    """Fail if the page shows a Streamlit exception box (an uncaught error in the script)."""
    boxes = page.locator(EXCEPTION)
    if boxes.count():
        texts = " | ".join(t.strip()[:500] for t in boxes.all_inner_texts())
        raise AssertionError(f"{page.url} shows {boxes.count()} exception(s): {texts}")


def assert_no_error(page: Page) -> None:
    """Fail if the page shows an exception box or an error message (``st.error``, e.g. ``show_error``)."""
    assert_no_exception(page)
    boxes = page.locator(ERROR_ALERT)
    if boxes.count():
        texts = " | ".join(t.strip()[:300] for t in boxes.all_inner_texts())
        raise AssertionError(f"{page.url} shows {boxes.count()} error message(s): {texts}")


def watch_dialogs(page: Page) -> list[str]:
    """Record (and dismiss) every JavaScript dialog (alert/confirm/prompt) the page opens from now
    on; the returned list must stay empty in a safety test."""
    seen: list[str] = []

    def on_dialog(dialog: Any) -> None:
        seen.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return seen


def open_page(page: Page, base_url: str, url_path: str = "/", timeout_ms: float = 60_000) -> None:
    """Navigate to ``base_url + url_path`` (e.g. ``"/"``, ``"/library"``), wait for the first
    script run to finish and the widgets to render, then assert no exception is shown."""
    page.goto(base_url.rstrip("/") + "/" + url_path.lstrip("/"))
    wait_for_rerun(page, since=-1.0, timeout_ms=timeout_ms)  # the first run, requested at load
    assert_no_exception(page)


def click_nav(page: Page, title: str, timeout_ms: float = DEFAULT_TIMEOUT_MS) -> None:
    """Go to another page through the sidebar navigation (by its shown title), wait for its
    run, and assert no exception is shown. (Or use :func:`open_page` with the URL path.)"""
    link = page.locator("[data-testid='stSidebarNavLink']").filter(
        has=page.locator("[data-testid='stMarkdownContainer']", has_text=re.compile(rf"^\s*{re.escape(title)}\s*$"))
    )
    with expect_rerun(page, timeout_ms):
        link.click()
    assert_no_exception(page)


def main_text(page: Page) -> str:
    """The visible text of the main area (not the sidebar)."""
    return page.locator("[data-testid='stMain']").inner_text()


def wait_for_text(page: Page, text: str, timeout_ms: float = DEFAULT_TIMEOUT_MS) -> None:
    """Wait until ``text`` is part of the page's visible text."""
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text, timeout=timeout_ms, polling=50)


#: The main area scrolls inside ``stMain`` (the document itself is one viewport high), so a
#: "full page" screenshot grows the viewport to the main area's height first, up to this.
MAX_SCREENSHOT_HEIGHT = 16_000

#: Sizes of every plotly figure's SVG: stable between two polls = the figures have redrawn.
_PLOT_SIZES_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot .main-svg'))
  .map(e => `${e.getAttribute('width')}x${e.getAttribute('height')}`).join(',')"""


def _settle_layout(page: Page, timeout_ms: float = DEFAULT_TIMEOUT_MS) -> None:
    """After a viewport change: two animation frames, then wait until the figures' sizes stop changing."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    last = None

    def stable() -> bool:
        nonlocal last
        now = page.evaluate(_PLOT_SIZES_JS)
        same, last = now == last, now
        return same

    _wait_for(page, stable, timeout_ms)


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG as ``artifacts/screenshots/<name>.png`` and return its path.

    ``full_page``: the whole main area (the viewport is made as tall as the page for the shot,
    then put back), not only what the window shows.
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.png"
    size = page.viewport_size
    height = page.evaluate(
        "() => { const m = document.querySelector(\"[data-testid='stMain']\"); return m ? m.scrollHeight : 0; }"
    )
    if full_page and size and height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(int(height) + 20, MAX_SCREENSHOT_HEIGHT)})
        try:
            _settle_layout(page)
            page.screenshot(path=str(path))
        finally:
            page.set_viewport_size(size)  # what follows waits for what it needs
    else:
        page.screenshot(path=str(path), full_page=full_page)
    return path


# --------------------------------------------------------------------------- widgets
def move_slider(
    page: Page,
    label_or_key: str,
    presses: int,
    key: str = "ArrowRight",
    *,
    wait_for: str | Callable[[], Any] | None = None,
    timeout_ms: float = DEFAULT_TIMEOUT_MS,
) -> str:
    """Focus the slider (widget key preferred, else exact label), press ``key`` ``presses``
    times (negative ``presses`` with the default key press ArrowLeft), wait for the rerun
    to finish, and return the value the slider now shows (``aria-valuetext``).

    ``key`` may be any keyboard key the slider understands: ArrowRight/Left, PageUp/Down,
    Home, End. ``wait_for`` (a text or a callable) is awaited at the end. Every press that
    changes the value sends it to the server at once (1.67): the helper waits for each
    rerun before the next press, so the page ends in the final value's state for sure
    (a burst of presses leaves queued requests the server may run late). Cost: one rerun
    per press (~0.1–0.3 s); for big jumps use Home/End or fewer steps.
    """
    if presses < 0 and key == "ArrowRight":
        key, presses = "ArrowLeft", -presses
    thumb = slider_input(page, label_or_key)
    value = thumb.get_attribute("aria-valuetext") or ""
    for _ in range(presses):
        since = mark(page)
        thumb.focus()  # again each time: a full-app rerun may remount the slider (focus lost)
        page.keyboard.press(key)
        new = thumb.get_attribute("aria-valuetext") or ""
        if new == value:  # at the end of the range: nothing sent
            break
        value = new
        wait_for_rerun(page, since, timeout_ms)
    _wait_for(page, wait_for, timeout_ms)
    return value


def _wait_for(page: Page, wait_for: str | Callable[[], Any] | None, timeout_ms: float) -> None:
    if isinstance(wait_for, str):
        wait_for_text(page, wait_for, timeout_ms)
    elif wait_for is not None:
        deadline = time.monotonic() + timeout_ms / 1000
        while not wait_for():
            if time.monotonic() > deadline:
                raise AssertionError(f"condition {wait_for!r} still false after {timeout_ms / 1000:.0f} s")
            page.wait_for_timeout(50)


def select_option(page: Page, label_or_key: str, option: str, timeout_ms: float = DEFAULT_TIMEOUT_MS) -> None:
    """Pick ``option`` (its exact visible text) in a selectbox (widget key preferred, else exact
    label) and wait for the rerun. Nothing happens if it is already selected."""
    box = _by_key_or_label(page, label_or_key, "input[role=combobox]")
    if box.input_value() == option:
        return
    choice = page.get_by_role("option", name=option, exact=True)
    with expect_rerun(page, timeout_ms):
        for attempt in range(3):  # on a busy machine a click may land before the menu can open
            if attempt == 0:
                box.click()
            else:
                box.focus()
                page.keyboard.press("ArrowDown")  # opens the menu of a focused combo box
            try:
                page.get_by_role("option").first.wait_for(state="visible", timeout=5_000)
            except PlaywrightError:
                if attempt == 2:
                    raise
                continue
            try:
                choice.wait_for(state="visible", timeout=1_000)
            except PlaywrightError:  # a long list draws only the options in view: type to filter it
                page.keyboard.type(option)
                choice.wait_for(state="visible", timeout=5_000)
            break
        choice.click()


def set_checkbox(page: Page, label_or_key: str, checked: bool, timeout_ms: float = DEFAULT_TIMEOUT_MS) -> None:
    """Tick or untick a checkbox or toggle (widget key preferred, else exact label); wait for the rerun."""
    inp = _by_key_or_label(page, label_or_key, "input[type=checkbox]")
    if inp.is_checked() == checked:
        return
    with expect_rerun(page, timeout_ms):
        inp.locator("xpath=ancestor::label[1]").click()


def set_text(page: Page, label_or_key: str, text: str, timeout_ms: float = DEFAULT_TIMEOUT_MS) -> None:
    """Replace the text of a text_input, text_area or number_input and submit it (Enter;
    Ctrl+Enter in a text area); wait for the rerun. Nothing happens if the text is unchanged."""
    field = _by_key_or_label(page, label_or_key, "textarea, input")
    if field.input_value() == text:
        return
    is_area = field.evaluate("e => e.tagName") == "TEXTAREA"
    with expect_rerun(page, timeout_ms):
        field.fill(text)
        field.press("Control+Enter" if is_area else "Enter")


# --------------------------------------------------------------------------- data editor
_CELL_ID = re.compile(r"glide-cell-(\d+)-(\d+)")


def cell_text(editor_locator: Locator, row: int, col: int, *, index_columns: int = 1) -> str:
    """The raw value of data cell (row, col) (0-based, index columns not counted), from the
    grid's accessibility table (the canvas itself has no text)."""
    td = editor_locator.locator(f"td[data-testid='glide-cell-{col + index_columns}-{row}']")
    return td.inner_text()


def edit_cell(
    page: Page,
    editor_locator: Locator | str,
    row: int,
    col: int,
    value: str | float,
    *,
    index_columns: int = 1,
    expect_change: bool = True,
    timeout_ms: float = DEFAULT_TIMEOUT_MS,
) -> None:
    """Type ``value`` into cell (row, col) of an ``st.data_editor`` and commit it.

    ``editor_locator``: a Locator around the editor, or a key (see :func:`editor`).
    ``row``/``col`` are 0-based positions among the data cells; ``index_columns`` is how
    many index columns the grid shows on the left (1 for ``ui.editors.matrix_editor``,
    0 with ``hide_index=True``). The cell is reached with the keyboard from the grid's
    current selection, checked through the accessibility table, opened with Enter, filled
    and committed with Enter; then the helper waits for the rerun. Pass
    ``expect_change=False`` when the edit may not change the data (same value, or text a
    number cell refuses): it then only waits until the app is idle.
    """
    ed = editor(page, editor_locator) if isinstance(editor_locator, str) else editor_locator
    target_col = col + index_columns
    canvas = ed.locator("canvas[data-testid='data-grid-canvas']")
    target = ed.locator(f"td[data-testid='glide-cell-{target_col}-{row}']")
    try:  # the grid writes its accessible cells a frame after it is drawn (e.g. just revealed)
        target.wait_for(state="attached", timeout=5_000)
    except PlaywrightError:
        raise AssertionError(f"the grid has no cell (row {row}, col {col}) (is it scrolled out of view?)") from None
    canvas.scroll_into_view_if_needed()
    # the pointer goes over the grid first, as a person's would: a grid just revealed (an expander
    # opened) selects nothing on focus until it has seen the pointer
    b = canvas.bounding_box()
    if b:
        page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
    canvas.focus()  # selects the top-left cell when nothing is selected yet
    selected = ed.locator("td[aria-selected='true']").first
    selected.wait_for(state="attached", timeout=5_000)
    m = _CELL_ID.fullmatch(selected.get_attribute("id") or "")
    if not m:
        raise AssertionError("could not find the grid's selected cell")
    dc, dr = target_col - int(m[1]), row - int(m[2])
    # Keys go to whatever the grid focused (it moves focus to the selected cell's <td>).
    for _ in range(abs(dc)):
        page.keyboard.press("ArrowRight" if dc > 0 else "ArrowLeft")
    for _ in range(abs(dr)):
        page.keyboard.press("ArrowDown" if dr > 0 else "ArrowUp")
    expect(target).to_have_attribute("aria-selected", "true", timeout=5_000)
    since = mark(page)
    page.keyboard.press("Enter")
    box = page.locator(".gdg-input")
    box.wait_for(state="visible", timeout=5_000)
    box.fill(str(value))
    box.press("Enter")
    box.wait_for(state="detached", timeout=5_000)
    if expect_change:
        wait_for_rerun(page, since, timeout_ms)
    else:
        page.wait_for_timeout(300)
        wait_for_rerun(page, None, timeout_ms)


# --------------------------------------------------------------------------- figures
def plotly_data(page: Page, key: str) -> list[dict[str, Any]]:
    """The traces (``data``) of the plotly chart with ``key`` as the browser received them,
    typed arrays decoded to lists: full-precision ``x``, ``y``, ``z``, ``text``, ``customdata``…"""
    plot = widget(page, key).locator(".js-plotly-plot").first
    plot.wait_for(state="attached")
    return decode(json.loads(plot.evaluate("e => JSON.stringify(e.data)")), as_lists=True)


def plotly_layout(page: Page, key: str) -> dict[str, Any]:
    """The layout of the plotly chart with ``key`` (titles, axis ranges, height…)."""
    plot = widget(page, key).locator(".js-plotly-plot").first
    plot.wait_for(state="attached")
    return decode(json.loads(plot.evaluate("e => JSON.stringify(e.layout)")), as_lists=True)


def labels_match(shown: list[str], full: list[str]) -> bool:
    """Figure labels ``shown`` are the names ``full``, each either whole or cut with an ellipsis
    (figures shorten long labels: ``Book 2: animals in gene…``)."""
    return len(shown) == len(full) and all(
        s == f or (s.endswith("…") and len(s) > 1 and f.startswith(s[:-1])) for s, f in zip(shown, full, strict=True)
    )


def sidebar_nav_titles(page: Page) -> list[str]:
    """The page titles in the sidebar navigation, in order (empty when Streamlit hides it)."""
    links = page.locator("[data-testid='stSidebarNavLink'] [data-testid='stMarkdownContainer']")
    return [t.strip() for t in links.all_inner_texts()]


# --------------------------------------------------------------------------- tables
#: Every ``st.dataframe``/``st.data_editor`` under a root, as rows of cell texts (header row first),
#: read from the grids' accessibility tables (the canvas itself has no text). Number cells hold
#: the full-precision value (``0.5761168847658291``), not the rounded one the canvas draws.
_TABLES_JS = """root => Array.from(root.querySelectorAll("[data-testid='stDataFrame']")).map(
  df => Array.from(df.querySelectorAll('table tr')).map(
    tr => Array.from(tr.querySelectorAll('th, td')).map(c => c.innerText.trim())))"""


@dataclass(frozen=True)
class Table:
    """A displayed table: column headers (the index column's header first, often empty), the
    first column's labels (the index, or the row-label column of a labelled editor) and the
    remaining cells, as text."""

    header: list[str]
    index: list[str]
    cells: list[list[str]]

    @property
    def columns(self) -> list[str]:
        """The headers of the data columns (without the index column's)."""
        return self.header[1:]

    def numbers(self) -> np.ndarray:
        """The cells as a float array (shape: rows × data columns; an empty cell is NaN)."""
        return np.array([[float(c) if c else np.nan for c in row] for row in self.cells], dtype=float)


def _table(rows: list[list[str]]) -> Table:
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    return Table(header=header, index=[r[0] for r in body], cells=[r[1:] for r in body])


def tables(scope: Page | Locator) -> list[Table]:
    """Every table (``st.dataframe``/``st.data_editor``) in the page or in a locator, in page order.
    Only the rows and columns the grid has drawn are there: fine for the small tables of a lesson."""
    root = scope.locator("body") if isinstance(scope, Page) else scope.first
    return [_table(rows) for rows in root.evaluate(_TABLES_JS)]


def find_table(
    scope: Page | Locator,
    *,
    index: list[str] | None = None,
    columns: list[str] | None = None,
    nth: int = 0,
    timeout_ms: float = DEFAULT_TIMEOUT_MS,
) -> Table:
    """The ``nth`` table (``-1``: the last) in ``scope`` whose row labels and/or data-column headers
    are exactly these.

    A grid fills its accessibility table a moment after the run has finished (and a grid
    mounted further down the page a little later still): this waits up to ``timeout_ms``.
    """

    def find() -> Table:
        shown = tables(scope)
        found = [
            tb for tb in shown if (index is None or tb.index == index) and (columns is None or tb.columns == columns)
        ]
        if not -len(found) <= nth < len(found):
            raise AssertionError(
                f"no table #{nth} with rows {index} and columns {columns}; "
                f"tables shown: {[(tb.index, tb.columns) for tb in shown]}"
            )
        return found[nth]

    return eventually(find, timeout_ms)


# --------------------------------------------------------------------------- catalogs
_LOCALES = ROOT / "ui" / "locales"


def _flat(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in tree.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = str(v)
    return out


def locale_text(lang: str, key: str, **params: Any) -> str:
    """The text of ``section.key`` in ``ui/locales/<lang>/*.toml``, read here with ``tomllib``
    (independently of the app's ``ui.i18n``), ``{placeholders}`` filled from ``params``.
    Falls back to English when the language lacks the key, as the app does."""
    for code in (lang, "en"):
        merged: dict[str, str] = {}
        for path in sorted((_LOCALES / code).glob("*.toml")):
            merged.update(_flat(tomllib.loads(path.read_text(encoding="utf-8"))))
        if key in merged:
            return merged[key].format(**params) if params else merged[key]
    raise KeyError(f"{key} is in no catalog")
