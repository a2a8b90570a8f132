"""Latency benchmark: keypress-to-repaint on every lesson's Temperature slider, and server-side run times.

Usage (from the repository root). A full run (11 rows × 20 presses, each paired with a reference
press, then the AppTest table) took 11–16 minutes on the shared 2-core machine under load; use
``--no-large``, ``--pages`` or ``--presses`` for a shorter one::

    python3 bench/latency.py                      # both tables, 20 presses per page
    python3 bench/latency.py --presses 30 --pages step_by_step word2vec
    python3 bench/latency.py --no-browser         # server-side table only (no Chromium needed)
    python3 bench/latency.py --no-server          # browser table only

**Table 1, in the browser.** Starts ``streamlit run app.py`` and the bare reference page
(``bench/reference_app.py``: one slider, one 4×4 heatmap drawn with the same
``ui.components.heatmap`` inside a fragment, like the lessons) on two free loopback ports, and
drives Debian's Chromium with Playwright. For each page it focuses the Temperature slider and
presses ArrowRight / ArrowLeft (alternately, so the value stays near the default) and measures,
in the page's own clock:

- *keypress → repaint*: from the ``keydown`` event to the first frame painted after the run
  finished. "Finished" is the server's ``script_is_running = false`` status on the app's
  websocket (the same wire sync the browser tests use, ``tests/browser/browser_helpers.py``)
  and the app showing ``notRunning``; then a ``requestAnimationFrame`` plus one task (which
  runs after that frame is painted).
- *server run*: from the server's "running" to its "not running" message (the fragment's run
  as the server did it, seen from the browser).

Presses are interleaved: every page press comes right after a reference press, so a burst of
load on the shared machine hits both; the ratio is the page's median over the median of the
reference presses paired with it. Median and 90th percentile over ``--presses`` presses each,
after ``--warmup`` unrecorded presses. Extra rows (unless ``--no-large``) press the same slider
with the page put in its large setting first, typed in like a user would (see table 2), where
the target is the server's run of the slider's rerun under 150 ms.

**Table 2, on the server (no browser).** Each page run with ``streamlit.testing.v1.AppTest``:
the median of ``--runs`` full script runs after two warm-up runs (``at.run()`` on an unchanged
page: every widget, table and figure rebuilt and serialised), at the defaults and at the large
setting (step by step: 128 distinct tokens, d_model 64, 8 heads; self-attention and pooling:
X at the 16 × 16 editor limit; Word2Vec: vector_size 64 and 128 keys; the library,
scaled dot-product and home pages have fixed sizes). Also a Temperature move
(``set_value(...).run()``; AppTest reruns the whole page for it, a browser only the fragment).
AppTest adds its own overhead, so the reference page is timed the same way as a floor.

The targets (issue 5): median keypress-to-repaint ≤ 1.25 × the reference on every page; the
server-side rerun at the large setting under 150 ms (checked on the slider's rerun in table 1,
the full page run is in table 2 for comparison).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1800}
TARGET_RATIO = 1.25
TARGET_LARGE_MS = 150.0


@dataclass(frozen=True)
class PageSpec:
    name: str
    url_path: str
    slider_key: str
    file: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "/", "home_temperature", "pages/home.py"),
    PageSpec("library", "/library", "library_temperature", "pages/library.py"),
    PageSpec("step_by_step", "/step_by_step", "sbs_temperature", "pages/step_by_step.py"),
    PageSpec("self_attention", "/self_attention", "self_temperature", "pages/self_attention.py"),
    PageSpec("pooling", "/pooling", "pool_temperature", "pages/pooling.py"),
    PageSpec(
        "scaled_dot_product", "/scaled_dot_product", "scaled_dot_product_temperature", "pages/scaled_dot_product.py"
    ),
    PageSpec("word2vec", "/word2vec", "w2v_temperature", "pages/word2vec.py"),
)
REFERENCE = PageSpec("reference", "/", "ref_temperature", "bench/reference_app.py")


# --------------------------------------------------------------------------- statistics
def pct(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100), linear between ranks."""
    s = sorted(values)
    if not s:
        return float("nan")
    pos = (len(s) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --------------------------------------------------------------------------- servers
@contextmanager
def streamlit_server(script: str, log_dir: Path) -> Iterator[str]:
    """``streamlit run <script>`` on a free loopback port (own process group); yields its URL."""
    from server import serve  # tests/browser/server.py, shared with the browser tests

    with serve(script, log_dir / f"{Path(script).stem}.log") as url:
        yield url


# --------------------------------------------------------------------------- browser measurement
#: Installed after the browser tests' SYNC_JS (which keeps ``window.__stWire`` up to date).
#: ``__bench.arm()`` before a key press; ``__bench.pending`` resolves with the timings of the
#: run that press caused (all in ``performance.now()`` milliseconds).
BENCH_JS = """
(() => {
  if (window.__bench) return;
  const b = window.__bench = {t0: -1, pending: null, serverEnd: -1, done: true};
  window.addEventListener('keydown', () => {
    if (!b.done && b.t0 < 0) b.t0 = performance.now();
  }, true);
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
        if (!b.done) setTimeout(() => b.check(false), 0);  // after Streamlit's own handler
      });
    }
  };
  const app = () => document.querySelector("[data-testid='stApp']");
  b.check = (inFrame) => {
    const w = window.__stWire;
    if (b.done || b.t0 < 0 || !w) return;
    const a = app();
    const finished = w.lastRerun >= b.t0 && w.lastStart > w.lastRerun && !w.serverRunning
      && b.serverEnd > w.lastStart && a !== null && a.getAttribute('data-test-script-state') === 'notRunning';
    if (!finished) return;
    b.done = true;
    const seen = performance.now();
    let painted = false;
    const afterPaint = (noFrame) => {
      if (painted) return;
      painted = true;
      // one task after the frame: a MessageChannel message (kept referenced: an unreferenced channel
      // may be collected before its message arrives), or a timer if that never comes
      let sent = false;
      const report = () => {
        if (sent) return;
        sent = true;
        b.resolve({
          t0: b.t0, sent: w.lastRerun, start: w.lastStart, serverEnd: b.serverEnd, seen, paint: performance.now(),
          noFrame,
        });
      };
      b.channel = new MessageChannel();
      b.channel.port1.onmessage = report;
      b.channel.port2.postMessage(0);
      setTimeout(report, 50);
    };
    if (inFrame) afterPaint(false);
    else {
      requestAnimationFrame(() => afterPaint(false));
      setTimeout(() => afterPaint(true), 2000);  // a page that paints no frame (hidden): reported
    }
  };
  new MutationObserver(() => { if (!b.done) b.check(false); }).observe(document, {
    subtree: true, attributes: true, attributeFilter: ['data-test-script-state'],
  });
  const poll = () => { if (!b.done) { b.check(true); requestAnimationFrame(poll); } };
  const slowPoll = () => { if (!b.done) { b.check(false); setTimeout(slowPoll, 250); } };  // if no frames come
  const quiet = (resolve, since) => {  // the wire silent for 100 ms, no run, no skeleton: ready for the next press
    const w = window.__stWire, a = app(), now = performance.now();
    const why = now - w.lastReceived < 100 ? 'wire' : w.serverRunning ? 'server running'
      : a === null || a.getAttribute('data-test-script-state') !== 'notRunning' ? 'app running'
      : document.querySelectorAll("[data-testid='stSkeleton']").length ? 'skeleton' : '';
    if (why === '') resolve('');
    else if (now - since > 10000) resolve(why);  // reported, not hidden: the row says how often
    else setTimeout(() => quiet(resolve, since), 20);
  };
  b.arm = (selector) => {
    const el = document.querySelector(selector);
    if (el === null) throw new Error('no element ' + selector);
    el.focus();
    b.t0 = -1;
    b.done = false;
    b.pending = new Promise((resolve, reject) => {
      b.resolve = (timings) => quiet((why) => resolve({...timings, unsettled: why}), performance.now());
      setTimeout(() => { if (!b.done) { b.done = true; reject(new Error('no finished run within 30 s')); } }, 30000);
    });
    requestAnimationFrame(poll);
    setTimeout(slowPoll, 250);
    return true;
  };
})();
"""


@dataclass
class Samples:
    total: list[float] = field(default_factory=list)  # keypress -> painted frame after the run
    server: list[float] = field(default_factory=list)  # server "running" -> "not running"
    ref_total: list[float] = field(default_factory=list)  # reference presses paired with this page's
    request: list[float] = field(default_factory=list)  # keypress -> rerun request on the websocket
    client: list[float] = field(default_factory=list)  # server "not running" -> painted frame


#: Await the press's timings, or after 40 s a snapshot of the sync state (never hang the benchmark).
_AWAIT_JS = """() => Promise.race([
  window.__bench.pending,
  new Promise((resolve) => setTimeout(() => {
    const b = window.__bench, w = window.__stWire, a = document.querySelector("[data-testid='stApp']");
    resolve({stuck: JSON.stringify({t0: b.t0, done: b.done, serverEnd: b.serverEnd, wire: w,
      app: a && a.getAttribute('data-test-script-state'), now: performance.now()})});
  }, 40000)),
])"""


def press_and_time(pg: Any, slider_key: str, key: str) -> dict[str, float]:
    """Focus the slider, press ``key``, return the timings of the run it caused once the page is at rest.

    Three round trips to the browser per press (arm, press, await): the waiting happens in the page.
    """
    from browser_helpers import key_class

    pg.evaluate("s => window.__bench.arm(s)", f".{key_class(slider_key)} input[type=range]")
    pg.keyboard.press(key)
    timings = dict(pg.evaluate(_AWAIT_JS))
    if "stuck" in timings:  # logged and left out: the table says how many presses it kept
        print(f"    {slider_key}: no result within 40 s: {timings['stuck']}", file=sys.stderr, flush=True)
        from browser_helpers import wait_until_idle

        wait_until_idle(pg, 60_000)
    if timings.get("noFrame"):
        print(f"    {slider_key}: no frame painted within 2 s of the run's end", file=sys.stderr)
    if timings.get("unsettled"):
        print(f"    {slider_key}: page not at rest 10 s after the run ({timings['unsettled']})", file=sys.stderr)
    return timings


def _browser_large_step_by_step(pg: Any) -> None:
    from browser_helpers import set_text

    set_text(pg, "sbs_sentence", " ".join(LARGE_TOKENS))
    set_text(pg, "sbs_dim", "64")
    set_text(pg, "sbs_heads", "8")


def _browser_large_matrix(prefix: str) -> Callable[[Any], None]:
    def setup(pg: Any) -> None:
        from browser_helpers import set_text

        set_text(pg, f"{prefix}_rows", "16")
        set_text(pg, f"{prefix}_cols", "16")

    return setup


def _browser_large_word2vec(pg: Any) -> None:
    from browser_helpers import set_text

    set_text(pg, "w2v_min_count", "1")
    set_text(pg, "w2v_vector_size", "64")
    set_text(pg, "w2v_text", "\n".join([" ".join(LARGE_TOKENS), " ".join(reversed(LARGE_TOKENS))]))


#: The large setting in the browser (what a user would type), per page that has one.
BROWSER_LARGE: dict[str, Callable[[Any], None]] = {
    "step_by_step": _browser_large_step_by_step,
    "self_attention": _browser_large_matrix("self_x"),
    "pooling": _browser_large_matrix("pool_x"),
    "word2vec": _browser_large_word2vec,
}


@dataclass(frozen=True)
class Target:
    label: str
    spec: PageSpec
    large: str = ""  # the large setting's description ("" at the defaults)


def browser_table(specs: list[PageSpec], presses: int, warmup: int, log_dir: Path, large: bool) -> list[dict[str, Any]]:
    from browser_helpers import SYNC_JS, open_page
    from playwright.sync_api import sync_playwright

    targets = [Target(s.name, s) for s in specs]
    if large:
        for s in specs:
            if s.name in BROWSER_LARGE:
                what = LARGE[s.name][0]  # type: ignore[index]
                targets.append(Target(f"{s.name} @ {what}", s, what))
    with (
        streamlit_server("app.py", log_dir) as app_url,
        streamlit_server("bench/reference_app.py", log_dir) as ref_url,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)

        def new_page(url: str, path: str) -> Any:
            ctx = browser.new_context(viewport=VIEWPORT, locale="en-US")
            ctx.set_default_timeout(60_000)
            ctx.add_init_script(SYNC_JS)
            ctx.add_init_script(BENCH_JS)
            pg = ctx.new_page()
            open_page(pg, url, path, timeout_ms=120_000)
            return pg

        ref = new_page(ref_url, "/")
        pages = {}
        for tg in targets:
            t0 = time.monotonic()
            pages[tg.label] = new_page(app_url, tg.spec.url_path)
            if tg.large:
                BROWSER_LARGE[tg.spec.name](pages[tg.label])
            print(f"  opened {tg.label} ({time.monotonic() - t0:.1f} s)", file=sys.stderr, flush=True)
        samples = {tg.label: Samples() for tg in targets}
        ref_samples = Samples()
        keys = ("ArrowRight", "ArrowLeft")
        for i in range(warmup + presses):
            key = keys[i % 2]
            for tg in targets:
                pg = pages[tg.label]
                r = press_and_time(ref, REFERENCE.slider_key, key)
                p = press_and_time(pg, tg.spec.slider_key, key)
                if i >= warmup and "stuck" not in r and "stuck" not in p:
                    sm = samples[tg.label]
                    sm.ref_total.append(r["paint"] - r["t0"])
                    sm.total.append(p["paint"] - p["t0"])
                    sm.server.append(p["serverEnd"] - p["start"])
                    sm.request.append(p["sent"] - p["t0"])
                    sm.client.append(p["paint"] - p["serverEnd"])
                    ref_samples.request.append(r["sent"] - r["t0"])
                    ref_samples.server.append(r["serverEnd"] - r["start"])
                    ref_samples.client.append(r["paint"] - r["serverEnd"])
            print(f"  round {i + 1}/{warmup + presses} done", file=sys.stderr, flush=True)
        browser.close()

    all_ref = [x for sm in samples.values() for x in sm.ref_total]
    rows = [
        {
            "page": "reference (bare)",
            "large": "",
            "n": len(all_ref),
            "median": med(all_ref),
            "p90": pct(all_ref, 90),
            "server": med(ref_samples.server),
            "server_p90": pct(ref_samples.server, 90),
            "request": med(ref_samples.request),
            "client": med(ref_samples.client),
            "ref": med(all_ref),
            "ratio": 1.0,
        }
    ]
    for tg in targets:
        sm = samples[tg.label]
        rows.append(
            {
                "page": tg.label,
                "large": tg.large,
                "n": len(sm.total),
                "median": med(sm.total),
                "p90": pct(sm.total, 90),
                "server": med(sm.server),
                "server_p90": pct(sm.server, 90),
                "request": med(sm.request),
                "client": med(sm.client),
                "ref": med(sm.ref_total),
                "ratio": med(sm.total) / med(sm.ref_total),
            }
        )
    return rows


# --------------------------------------------------------------------------- server-side (AppTest)
LARGE_TOKENS = [f"w{i:03d}" for i in range(128)]  # 128 distinct tokens: vocabulary and sequence both 128


def _large_step_by_step(at: Any) -> None:
    at.text_input(key="sbs_sentence").set_value(" ".join(LARGE_TOKENS)).run()
    at.number_input(key="sbs_dim").set_value(64).run()
    at.number_input(key="sbs_heads").set_value(8).run()


def _large_matrix(prefix: str) -> Callable[[Any], None]:
    def setup(at: Any) -> None:
        at.number_input(key=f"{prefix}_rows").set_value(16).run()
        at.number_input(key=f"{prefix}_cols").set_value(16).run()

    return setup


def _large_word2vec(at: Any) -> None:
    # one sentence of 128 distinct words (each kept: min_count 1), vectors of 64 numbers
    text = "\n".join([" ".join(LARGE_TOKENS), " ".join(reversed(LARGE_TOKENS))])
    at.number_input(key="w2v_min_count").set_value(1).run()
    at.number_input(key="w2v_vector_size").set_value(64).run()
    at.text_area(key="w2v_text").set_value(text).run()
    at.radio(key="w2v_keys_from").set_value("sentence").run()
    at.selectbox(key="w2v_sentence").set_value(0).run()
    at.selectbox(key="w2v_query").set_value(LARGE_TOKENS[0]).run()


#: How each page is put in its large setting (None: the page has fixed sizes).
LARGE: dict[str, tuple[str, Callable[[Any], None]] | None] = {
    "home": None,
    "library": None,
    "step_by_step": ("128 tokens, d_model 64, 8 heads", _large_step_by_step),
    "self_attention": ("X 16×16", _large_matrix("self_x")),
    "pooling": ("X 16×16", _large_matrix("pool_x")),
    "scaled_dot_product": None,
    "word2vec": ("128 keys, vector_size 64", _large_word2vec),
}


def _apptest(spec: PageSpec) -> Any:
    from streamlit.testing.v1 import AppTest

    if spec.name == "reference":
        at = AppTest.from_file(str(ROOT / spec.file), default_timeout=120)
        at.run()
    else:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.switch_page(spec.file).run()
    if at.exception:
        raise RuntimeError(f"{spec.name}: {at.exception[0].value}")
    return at


def _time_runs(at: Any, runs: int, step: Callable[[int], Any]) -> list[float]:
    """Milliseconds of ``runs`` calls of ``step(i)`` (each one script run) after two warm-ups."""
    for i in range(2):
        step(i)
    out = []
    for i in range(runs):
        t0 = time.perf_counter()
        step(i)
        out.append((time.perf_counter() - t0) * 1000)
    if at.exception:
        raise RuntimeError(f"exception during timing: {at.exception[0].value}")
    return out


def server_table(specs: list[PageSpec], runs: int) -> list[dict[str, Any]]:
    rows = []
    for spec in [REFERENCE, *specs]:
        at = _apptest(spec)
        full = _time_runs(at, runs, lambda _i, at=at: at.run())
        move = _time_runs(
            at, runs, lambda i, at=at, k=spec.slider_key: at.slider(key=k).set_value(1.05 if i % 2 else 1.1).run()
        )
        row: dict[str, Any] = {
            "page": "reference (bare)" if spec is REFERENCE else spec.name,
            "full": med(full),
            "full_p90": pct(full, 90),
            "move": med(move),
            "large_what": "",
            "large": float("nan"),
            "large_p90": float("nan"),
        }
        large = LARGE.get(spec.name)
        if large is not None:
            what, setup = large
            at = _apptest(spec)
            setup(at)
            if at.exception:
                raise RuntimeError(f"{spec.name} large setting: {at.exception[0].value}")
            big = _time_runs(at, runs, lambda _i, at=at: at.run())
            row.update(large_what=what, large=med(big), large_p90=pct(big, 90))
        rows.append(row)
        print(f"  {row['page']}: done", file=sys.stderr, flush=True)
    return rows


# --------------------------------------------------------------------------- output
def _ms(x: float) -> str:
    return "–" if x != x else f"{x:.0f}"


def browser_markdown(rows: list[dict[str, Any]], presses: int) -> str:
    lines = [
        f"Keypress → repaint on the Temperature slider, ms (median and p90 of {presses} presses per row; "
        "ratio = row median / median of the reference presses interleaved with it; target at the defaults: "
        f"ratio ≤ {TARGET_RATIO}; at a large setting: the server's run < {TARGET_LARGE_MS:.0f} ms). "
        "The last columns split a press: until the browser sends the rerun request, the server's run "
        "(its running → not running messages: the fragment's rerun), from the run's end to the painted frame.",
        "",
        "| page | n | median | p90 | paired reference median | ratio | target | key → request | server run (p90) "
        "| run end → paint |",
        "| --- | ---: | ---: | ---: | ---: | ---: | :---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        if r["page"].startswith("reference"):
            ok = ""
        elif r["large"]:
            ok = "✓" if r["server"] < TARGET_LARGE_MS else "✗"
        else:
            ok = "✓" if r["ratio"] <= TARGET_RATIO else "✗"
        lines.append(
            f"| {r['page']} | {r['n']} | {_ms(r['median'])} | {_ms(r['p90'])} | {_ms(r['ref'])} | {r['ratio']:.2f} | {ok} "
            f"| {_ms(r['request'])} | {_ms(r['server'])} ({_ms(r['server_p90'])}) | {_ms(r['client'])} |"
        )
    return "\n".join(lines)


def server_markdown(rows: list[dict[str, Any]], runs: int) -> str:
    lines = [
        f"Server-side script run (AppTest, ms, median of {runs} runs after 2 warm-ups; p90 in brackets; "
        f"target at the large setting < {TARGET_LARGE_MS:.0f} ms):",
        "",
        "| page | full run, defaults | Temperature move (whole page in AppTest) | large setting | full run, large | target |",
        "| --- | ---: | ---: | --- | ---: | :---: |",
    ]
    for r in rows:
        large = r["large"]
        ok = "" if large != large else ("✓" if large < TARGET_LARGE_MS else "✗")
        big = "–" if large != large else f"{_ms(large)} ({_ms(r['large_p90'])})"
        lines.append(
            f"| {r['page']} | {_ms(r['full'])} ({_ms(r['full_p90'])}) | {_ms(r['move'])} "
            f"| {r['large_what'] or '–'} | {big} | {ok} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--presses", type=int, default=20, help="recorded presses per page (default 20)")
    ap.add_argument("--warmup", type=int, default=3, help="unrecorded presses per page first (default 3)")
    ap.add_argument("--runs", type=int, default=10, help="AppTest runs per measurement (default 10)")
    ap.add_argument("--pages", nargs="*", choices=[p.name for p in PAGES], help="only these pages")
    ap.add_argument("--no-browser", action="store_true", help="skip the browser table")
    ap.add_argument("--no-server", action="store_true", help="skip the server-side table")
    ap.add_argument(
        "--no-large", action="store_true", help="browser: only the defaults (no rows at the large settings)"
    )
    ap.add_argument("--out", type=Path, help="also write the tables (markdown) to this file")
    args = ap.parse_args(argv)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a kill still stops the servers (finally blocks)
    os.chdir(ROOT)
    specs = [p for p in PAGES if not args.pages or p.name in args.pages]
    log_dir = Path(os.environ.get("TMPDIR", "/tmp")) / "attention-lab-bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    parts = [
        f"`python3 bench/latency.py {' '.join(argv if argv is not None else sys.argv[1:])}`".replace(" `", "`"),
        f"({os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')})",
    ]
    out = [" ".join(parts)]
    if not args.no_browser:
        print("browser: keypress → repaint …", file=sys.stderr, flush=True)
        out += [
            "",
            browser_markdown(browser_table(specs, args.presses, args.warmup, log_dir, not args.no_large), args.presses),
        ]
    if not args.no_server:
        print("server: AppTest runs …", file=sys.stderr, flush=True)
        out += ["", server_markdown(server_table(specs, args.runs), args.runs)]
    out += ["", f"(took {time.monotonic() - started:.0f} s)"]
    text = "\n".join(out)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
