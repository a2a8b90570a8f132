"""Live-view benchmark: how fast the lessons' heatmaps follow the Temperature slider in the browser.

Usage (from the repository root; Debian's Chromium at /usr/bin/chromium)::

    python3 bench/live.py                          # every lesson, 20 presses each, the drags, the 128×128 rows
    python3 bench/live.py --presses 10 --pages home step_by_step
    python3 bench/live.py --out /tmp/live.md       # also write the tables to a file

It starts ``streamlit run app.py`` and the bare reference page (``bench/reference_app.py``: one
Streamlit slider and one 4×4 Plotly heatmap in a fragment, so every key press is a server round
trip and a redraw) on two free loopback ports and drives Chromium with Playwright.

**(a) Key press → painted frame**, interleaved: for each lesson, a key press on the reference
page's slider, then one on the lesson's live view slider (ArrowRight and ArrowLeft in turn), each
timed in the page's own clock from the ``keydown`` event to the first frame painted with the new
numbers, after ``--warmup`` unrecorded presses. For the live view that is the frame its
``requestAnimationFrame`` callback drew (its ``data-frames`` counter moved), then one task, which
runs after that frame is painted; for the reference page it is the first frame painted after the
server's rerun finished (the browser tests' websocket sync: the server's "not running" message,
the app's ``notRunning``). The next press waits until the lesson's own rerun (the one the view
sends per key press) is over and the page is quiet. Ratio = the lesson's median over the median
of the reference presses paired with it. Target: ≤ 0.25.

**(b) A 2-second mouse drag** across the live slider (Playwright's mouse: real pointer events,
one move every ~16 ms), at the defaults and on step by step with 128 tokens (128×128 weights):
the pointer moves the slider saw and their rate, the ``input`` events (moves that changed the
value), the frames the view drew, frames per value-changing move (target ≥ 0.95), frames per
second over the drag (bounded by how fast Playwright sends moves on a loaded machine), the
rendering capacity (frames per second with one ``input`` event per animation frame for 2 s,
dispatched inside the page; target ≥ 30), and the view's own work per frame (median and p90).

**(c) Server reruns** (rerun requests on the websocket): during the drag (target 0) and after the
release (target exactly 1).

It is a benchmark, never a test: the machines are shared and noisy, so quote medians and ratios.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labdev.browser import SYNC_JS, open_page, set_text
from labdev.env import ROOT
from labdev.server import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, serve
from labdev.stats import med, pct
from pages import PAGES

TARGET_RATIO = 0.25
TARGET_FRAMES_PER_MOVE = 0.95
TARGET_FPS = 30.0
LIVE = "[data-testid='live-attention']"


@dataclass(frozen=True)
class Lesson:
    name: str
    url_path: str


#: Every lesson with a live view, from the lessons' declarations (pages.PAGES).
LESSONS = tuple(Lesson(p.name, "/" if p.name == "home" else f"/{p.name}") for p in PAGES)
LARGE_TOKENS = [f"w{i:03d}" for i in range(128)]


@contextmanager
def streamlit_server(script: str, log_dir: Path) -> Iterator[str]:
    with serve(script, log_dir / f"{Path(script).stem}.log") as url:
        yield url


# --------------------------------------------------------------------------- in-page timing
#: Installed after the browser tests' SYNC_JS (``window.__stWire``: rerun requests, server status).
#: ``__live.arm(kind)`` before a key press; ``__live.pending`` resolves with its timings.
BENCH_JS = """
(() => {
  if (window.__live) return;
  const b = window.__live = {t0: -1, done: true, serverEnd: -1};
  const app = () => document.querySelector("[data-testid='stApp']");
  const root = () => {  // the live view's root, inside its shadow root
    for (const el of document.querySelectorAll('*')) {
      const r = el.shadowRoot && el.shadowRoot.querySelector("[data-testid='live-attention']");
      if (r) return r;
    }
    return null;
  };
  b.root = root;
  window.addEventListener('keydown', () => { if (!b.done && b.t0 < 0) b.t0 = performance.now(); }, true);
  const Prev = window.WebSocket;
  window.WebSocket = class extends Prev {
    constructor(...args) {
      super(...args);
      let wasRunning = false;
      this.addEventListener('message', () => {
        const w = window.__stWire;
        if (!w) return;
        if (wasRunning && !w.serverRunning) b.serverEnd = performance.now();
        wasRunning = w.serverRunning;
        if (!b.done && b.kind === 'server') setTimeout(() => b.checkServer(), 0);
      });
    }
  };
  const afterPaint = (report) => {  // one task after the frame being drawn now is painted
    b.channel = new MessageChannel();
    b.channel.port1.onmessage = () => report(performance.now());
    b.channel.port2.postMessage(0);
  };
  b.checkServer = () => {
    const w = window.__stWire, a = app();
    if (b.done || b.t0 < 0) return;
    const finished = w.lastRerun >= b.t0 && w.lastStart > w.lastRerun && !w.serverRunning
      && b.serverEnd > w.lastStart && a !== null && a.getAttribute('data-test-script-state') === 'notRunning';
    if (!finished) return;
    b.done = true;
    let sent = false;
    const report = (paint, noFrame) => { if (!sent) { sent = true; b.resolve({t0: b.t0, paint, noFrame}); } };
    requestAnimationFrame(() => afterPaint((paint) => report(paint, false)));
    setTimeout(() => report(performance.now(), true), 2000);  // a page that paints no frame: reported
  };
  b.arm = (kind) => {
    b.kind = kind;
    b.t0 = -1;
    b.done = false;
    b.pending = new Promise((resolve, reject) => {
      b.resolve = resolve;
      setTimeout(() => { b.done = true; reject(new Error('nothing painted within 30 s')); }, 30000);
    });
    if (kind === 'live') {
      const r = root();
      const frames = r.dataset.frames;
      r.querySelector('input[type=range]').focus();
      const obs = new MutationObserver(() => {
        if (b.done || b.t0 < 0 || r.dataset.frames === frames) return;
        b.done = true;
        obs.disconnect();
        const drawn = performance.now();  // in the frame's rAF callback (observers run as microtasks)
        afterPaint((paint) => b.resolve({t0: b.t0, drawn, paint, frameMs: Number(r.dataset.frameMs)}));
      });
      obs.observe(r, {attributes: true, attributeFilter: ['data-frames']});
    } else {
      document.querySelector("[data-testid='stSlider'] input[type=range]").focus();
      const poll = () => { if (!b.done) { b.checkServer(); requestAnimationFrame(poll); } };
      requestAnimationFrame(poll);
    }
    return true;
  };
  b.quiet = () => new Promise((resolve) => {  // no run, the wire silent for 150 ms, no skeleton
    const since = performance.now();
    const check = () => {
      const w = window.__stWire, a = app(), now = performance.now();
      const busy = now - w.lastReceived < 150 || w.serverRunning || w.lastRerun > w.lastStart
        || a === null || a.getAttribute('data-test-script-state') !== 'notRunning'
        || document.querySelectorAll("[data-testid='stSkeleton']").length > 0;
      if (!busy || now - since > 20000) resolve(!busy);
      else setTimeout(check, 20);
    };
    setTimeout(check, 50);
  });
  // drag counters: pointer moves the slider saw, input events, frames, rerun requests
  b.dragStart = () => {
    const r = root();
    const input = r.querySelector('input[type=range]');
    b.drag = {moves: 0, inputs: 0, frames0: Number(r.dataset.frames), reruns0: window.__stWire.reruns,
      first: -1, last: -1, frameMs: []};
    b.onMove = () => { b.drag.moves += 1; };
    b.onInput = () => { b.drag.inputs += 1; if (b.drag.first < 0) b.drag.first = performance.now(); };
    b.frameObs = new MutationObserver(() => {
      b.drag.last = performance.now();
      b.drag.frameMs.push(Number(r.dataset.frameMs));
    });
    b.frameObs.observe(r, {attributes: true, attributeFilter: ['data-frames']});
    input.addEventListener('pointermove', b.onMove, true);
    input.addEventListener('input', b.onInput, true);
    return true;
  };
  b.dragStop = () => {
    const r = root();
    const input = r.querySelector('input[type=range]');
    input.removeEventListener('pointermove', b.onMove, true);
    input.removeEventListener('input', b.onInput, true);
    b.frameObs.disconnect();
    const d = b.drag;
    return {moves: d.moves, inputs: d.inputs, frames: Number(r.dataset.frames) - d.frames0,
      reruns: window.__stWire.reruns - d.reruns0, seconds: (d.last - d.first) / 1000, frameMs: d.frameMs};
  };
  b.reruns = () => window.__stWire.reruns;
  // rendering capacity: one input event per animation frame for `seconds`, from inside the page
  // (no pointer round trips), the frames drawn per second
  b.capacity = (seconds) => new Promise((resolve) => {
    const r = root();
    const input = r.querySelector('input[type=range]');
    const f0 = Number(r.dataset.frames);
    const t0 = performance.now();
    let k = 0;
    const tick = () => {
      if (performance.now() - t0 >= seconds * 1000) {
        resolve((Number(r.dataset.frames) - f0) / ((performance.now() - t0) / 1000));
        return;
      }
      k += 1;
      input.value = String(0.05 + (k % 99) * 0.05);
      input.dispatchEvent(new Event('input', {bubbles: true}));
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
})();
"""


def press(pg: Any, kind: str, key: str) -> dict[str, float] | None:
    """Arm the timer, press ``key`` on the live view's (``kind="live"``) or the reference page's
    slider, return the timings; then wait until the page is quiet (its rerun done)."""
    pg.bring_to_front()  # a page in the background gets no animation frames: it would paint nothing
    pg.evaluate("k => window.__live.arm(k)", kind)
    pg.keyboard.press(key)
    try:
        timings = dict(pg.evaluate("() => window.__live.pending"))
    except Exception as exc:  # noqa: BLE001 - logged and left out (the table's n says how many were kept)
        print(f"    {kind}: press left out: {str(exc).splitlines()[0]}", file=sys.stderr, flush=True)
        pg.evaluate("() => window.__live.quiet()")
        return None
    if timings.get("noFrame"):
        print(f"    {kind}: no frame painted within 2 s of the run's end", file=sys.stderr, flush=True)
    if not pg.evaluate("() => window.__live.quiet()"):
        print("    page not quiet 20 s after a press", file=sys.stderr, flush=True)
    return timings


def open_lesson(browser: Any, url: str, path: str) -> Any:
    ctx = browser.new_context(viewport=VIEWPORT, locale="en-US")
    ctx.set_default_timeout(120_000)
    ctx.add_init_script(SYNC_JS)
    ctx.add_init_script(BENCH_JS)
    pg = ctx.new_page()
    open_page(pg, url, path, timeout_ms=120_000)
    return pg


def make_large(pg: Any) -> None:
    """Step by step with 128 distinct tokens: 128×128 weights."""
    from playwright.sync_api import expect

    set_text(pg, "sbs_sentence", " ".join(LARGE_TOKENS), timeout_ms=120_000)
    expect(pg.locator(LIVE)).to_have_attribute("data-rows", "128", timeout=60_000)


def wait_ready(pg: Any) -> None:
    from playwright.sync_api import expect

    view = pg.locator(LIVE)
    expect(view).to_have_attribute("data-state", "ready", timeout=120_000)
    view.scroll_into_view_if_needed()
    pg.evaluate("() => window.__live.quiet()")


# --------------------------------------------------------------------------- (a) key presses
def press_table(
    browser: Any, app_url: str, ref_url: str, lessons: list[Lesson], presses: int, warmup: int
) -> list[dict]:
    ref = open_lesson(browser, ref_url, "/")
    targets: list[tuple[str, Any]] = []
    for lesson in lessons:
        pg = open_lesson(browser, app_url, lesson.url_path)
        wait_ready(pg)
        targets.append((lesson.name, pg))
        print(f"  opened {lesson.name}", file=sys.stderr, flush=True)
    if any(lesson.name == "step_by_step" for lesson in lessons):
        pg = open_lesson(browser, app_url, "/step_by_step")
        make_large(pg)
        wait_ready(pg)
        targets.append(("step_by_step @ 128 tokens (128×128)", pg))
    samples: dict[str, dict[str, list[float]]] = {n: {"live": [], "ref": [], "frame": []} for n, _ in targets}
    keys = ("ArrowRight", "ArrowLeft")
    for i in range(warmup + presses):
        for name, pg in targets:
            r = press(ref, "server", keys[i % 2])
            p = press(pg, "live", keys[i % 2])
            if i >= warmup and r is not None and p is not None:
                samples[name]["ref"].append(r["paint"] - r["t0"])
                samples[name]["live"].append(p["paint"] - p["t0"])
                samples[name]["frame"].append(p["frameMs"])
        print(f"  round {i + 1}/{warmup + presses}", file=sys.stderr, flush=True)
    rows = []
    for name, _ in targets:
        s = samples[name]
        rows.append(
            {
                "page": name,
                "n": len(s["live"]),
                "median": med(s["live"]),
                "p90": pct(s["live"], 90),
                "ref": med(s["ref"]),
                "ratio": med(s["live"]) / med(s["ref"]),
                "frame": med(s["frame"]),
            }
        )
    for _, pg in targets:
        pg.context.close()
    ref.context.close()
    return rows


# --------------------------------------------------------------------------- (b, c) drags
def drag(pg: Any, seconds: float = 2.0, step_ms: float = 16.0) -> dict[str, Any]:
    """Drag the live slider's thumb from its left end to its right end over ``seconds``."""
    pg.bring_to_front()
    slider = pg.locator(LIVE).locator("input[type=range]")
    slider.scroll_into_view_if_needed()
    slider.focus()
    pg.keyboard.press("Home")  # start at the left end (one rerun), then wait for quiet
    pg.evaluate("() => window.__live.quiet()")
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    x0, x1 = box["x"] + 8, box["x"] + box["width"] - 8
    steps = int(seconds * 1000 / step_ms)
    pg.evaluate("() => window.__live.dragStart()")
    pg.mouse.move(x0, y)
    pg.mouse.down()
    t_start = time.monotonic()
    for k in range(1, steps + 1):
        pg.mouse.move(x0 + (x1 - x0) * k / steps, y)
        lag = t_start + k * step_ms / 1000 - time.monotonic()
        if lag > 0:
            time.sleep(lag)
    pg.wait_for_timeout(200)
    during = dict(pg.evaluate("() => window.__live.dragStop()"))
    before_release = pg.evaluate("() => window.__live.reruns()")
    pg.mouse.up()
    pg.wait_for_timeout(300)
    pg.evaluate("() => window.__live.quiet()")
    during["after_release"] = pg.evaluate("() => window.__live.reruns()") - before_release
    return during


def drag_table(browser: Any, app_url: str, lessons: list[Lesson], repeats: int) -> list[dict]:
    rows = []
    cases = [(lesson.name, lesson.url_path, False) for lesson in lessons]
    if any(lesson.name == "step_by_step" for lesson in lessons):
        cases.append(("step_by_step @ 128 tokens (128×128)", "/step_by_step", True))
    for name, path, large in cases:
        pg = open_lesson(browser, app_url, path)
        if large:
            make_large(pg)
        wait_ready(pg)
        runs = [drag(pg) for _ in range(repeats)]
        capacity = [pg.evaluate("() => window.__live.capacity(2)") for _ in range(repeats)]
        frame_ms = [x for r in runs for x in r["frameMs"]]
        rows.append(
            {
                "page": name,
                "moves": med([r["moves"] for r in runs]),
                "inputs": med([r["inputs"] for r in runs]),
                "frames": med([r["frames"] for r in runs]),
                "per_move": med([r["frames"] / max(r["inputs"], 1) for r in runs]),
                "moves_per_s": med([r["moves"] / r["seconds"] if r["seconds"] > 0 else float("nan") for r in runs]),
                "fps": med([r["frames"] / r["seconds"] if r["seconds"] > 0 else float("nan") for r in runs]),
                "capacity": med(capacity),
                "frame_ms": med(frame_ms),
                "frame_p90": pct(frame_ms, 90),
                "during": max(r["reruns"] for r in runs),
                "after": sorted({r["after_release"] for r in runs}),
            }
        )
        pg.context.close()
        print(f"  dragged {name}", file=sys.stderr, flush=True)
    return rows


# --------------------------------------------------------------------------- output
def _ms(x: float) -> str:
    return "–" if x != x else f"{x:.0f}"


def press_markdown(rows: list[dict], presses: int) -> str:
    lines = [
        f"(a) Key press → painted frame, ms (median and p90 of {presses} presses per row; ratio = the live view's "
        "median / the median of the reference presses interleaved with it, a Streamlit slider + Plotly heatmap; "
        f"target ratio ≤ {TARGET_RATIO}; *frame* = the view's own work in that frame, ms).",
        "",
        "| page | n | live view median | p90 | reference median | ratio | target | frame |",
        "| --- | ---: | ---: | ---: | ---: | ---: | :---: | ---: |",
    ]
    for r in rows:
        ok = "✓" if r["ratio"] <= TARGET_RATIO else "✗"
        lines.append(
            f"| {r['page']} | {r['n']} | {_ms(r['median'])} | {_ms(r['p90'])} | {_ms(r['ref'])} "
            f"| {r['ratio']:.2f} | {ok} | {r['frame']:.1f} |"
        )
    return "\n".join(lines)


def drag_markdown(rows: list[dict], repeats: int) -> str:
    lines = [
        f"(b) A 2-second mouse drag from T = 0.05 to 5 (median of {repeats} drags): the pointer moves the slider "
        "saw and their rate (Playwright sends them one by one, so a loaded machine sends fewer), the value changes "
        "(input events), the frames drawn, frames per value change (target ≥ "
        f"{TARGET_FRAMES_PER_MOVE}), frames per second during the drag (bounded by the rate of value changes), "
        "the rendering capacity (frames per second with one input event per animation frame for 2 s, sent inside "
        f"the page; target ≥ {TARGET_FPS:.0f}) and the view's work per frame (median, p90, ms). (c) Rerun "
        "requests to the server during the drag (target 0) and after the release (target 1).",
        "",
        "| page | pointer moves (per s) | value changes | frames | frames / change | drag fps | capacity fps "
        "| frame ms (p90) | reruns during | after release | targets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
    ]
    for r in rows:
        ok = (
            r["per_move"] >= TARGET_FRAMES_PER_MOVE
            and r["capacity"] >= TARGET_FPS
            and r["during"] == 0
            and r["after"] == [1]
        )
        after = ", ".join(str(int(a)) for a in r["after"])
        lines.append(
            f"| {r['page']} | {r['moves']:.0f} ({r['moves_per_s']:.0f}) | {r['inputs']:.0f} | {r['frames']:.0f} "
            f"| {r['per_move']:.2f} | {r['fps']:.0f} | {r['capacity']:.0f} | {r['frame_ms']:.1f} ({r['frame_p90']:.1f}) "
            f"| {r['during']:.0f} | {after} | {'✓' if ok else '✗'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--presses", type=int, default=20, help="recorded key presses per page (default 20)")
    ap.add_argument("--warmup", type=int, default=3, help="unrecorded presses per page first (default 3)")
    ap.add_argument("--drags", type=int, default=3, help="drags per page (default 3)")
    ap.add_argument("--pages", nargs="*", choices=[p.name for p in LESSONS], help="only these lessons")
    ap.add_argument("--no-presses", action="store_true", help="skip table (a)")
    ap.add_argument("--no-drags", action="store_true", help="skip tables (b) and (c)")
    ap.add_argument("--out", type=Path, help="also write the tables (markdown) to this file")
    args = ap.parse_args(argv)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a kill still stops the servers
    os.chdir(ROOT)
    lessons = [p for p in LESSONS if not args.pages or p.name in args.pages]
    log_dir = Path(os.environ.get("TMPDIR", "/tmp")) / "attention-lab-bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    load = os.getloadavg()
    cmd = " ".join(["python3 bench/live.py", *(argv if argv is not None else sys.argv[1:])])
    out = [f"`{cmd}` ({os.cpu_count()} CPUs, load average {load[0]:.1f}, {time.strftime('%Y-%m-%d %H:%M')})"]
    from playwright.sync_api import sync_playwright

    with (
        streamlit_server("app.py", log_dir) as app_url,
        streamlit_server("bench/reference_app.py", log_dir) as ref_url,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        if not args.no_presses:
            print("(a) key presses …", file=sys.stderr, flush=True)
            rows = press_table(browser, app_url, ref_url, lessons, args.presses, args.warmup)
            out += ["", press_markdown(rows, args.presses)]
        if not args.no_drags:
            print("(b, c) drags …", file=sys.stderr, flush=True)
            out += ["", drag_markdown(drag_table(browser, app_url, lessons, args.drags), args.drags)]
        browser.close()
    out += ["", f"(took {time.monotonic() - started:.0f} s)"]
    text = "\n".join(out)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
