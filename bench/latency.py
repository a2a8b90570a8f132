"""Server-side benchmark: how long each lesson's script takes to run on the server (AppTest, no browser).

Usage (from the repository root)::

    python3 bench/latency.py                      # every lesson, 10 runs per measurement
    python3 bench/latency.py --runs 20 --pages step_by_step word2vec

Each page is run with ``streamlit.testing.v1.AppTest``: the median of ``--runs`` full script runs
after two warm-up runs (``at.run()`` on an unchanged page: every widget, table and figure rebuilt
and serialised), at the defaults and at the large setting (step by step: 128 distinct tokens,
d_model 64, 8 heads; self-attention and pooling: X at the 16 × 16 editor limit; Word2Vec:
vector_size 64 and 128 keys; the library, scaled dot-product and home pages have fixed sizes).
Also a temperature change, as the live view reports one when the learner releases its slider (the
page's temperature key set, then ``run()``; AppTest reruns the whole page for it, a browser only
the lesson's fragment), and the same with a setting pinned as A (Compare A/B: each move a new B,
computed by the lesson's recipe, and two more maps drawn). AppTest adds its own overhead, so the bare reference page
(``bench/reference_app.py``) is timed the same way as a floor.

What a learner feels in the browser (the live view's key press → frame, drags, reruns per
gesture) is measured by ``bench/live.py``. The target here (issue 5): a full run at the large
setting under 150 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labdev.env import ROOT
from labdev.stats import med, pct
from pages import LESSONS

TARGET_LARGE_MS = 150.0


@dataclass(frozen=True)
class PageSpec:
    name: str
    temperature_key: str
    file: str


#: Every lesson, from the lessons' declarations (pages.PAGES): its name, temperature key and file.
PAGES: tuple[PageSpec, ...] = tuple(PageSpec(p.name, p.temperature_key, p.path) for p in LESSONS.values())
REFERENCE = PageSpec("reference", "ref_temperature", "bench/reference_app.py")


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


def _large_dk(at: Any) -> None:
    at.select_slider(key="dk_d_k").set_value(512).run()
    at.slider(key="dk_n_keys").set_value(32).run()


def _large_kv(at: Any) -> None:  # the KV-cache lesson at its largest: 12 tokens of width 8, the last step
    at.text_input(key="kv_sentence").set_value(" ".join(LARGE_TOKENS[:12])).run()
    at.number_input(key="kv_dim").set_value(8).run()
    at.slider(key="kv_step").set_value(12).run()


def _large_cross(at: Any) -> None:  # issue 26: both sentences at their word limit, 4 heads
    words = " ".join(f"w{i}" for i in range(12))
    at.text_input(key="cross_source").set_value(words).run()
    at.text_input(key="cross_target").set_value(words).run()
    at.radio(key="cross_heads").set_value(4).run()


#: How each page is put in its large setting (None: the page has fixed sizes).
LARGE: dict[str, tuple[str, Callable[[Any], None]] | None] = {
    "home": None,
    "library": None,
    "step_by_step": ("128 tokens, d_model 64, 8 heads", _large_step_by_step),
    "self_attention": ("X 16×16", _large_matrix("self_x")),
    "pooling": ("X 16×16", _large_matrix("pool_x")),
    "scaled_dot_product": None,
    "sqrt_dk": ("d_k 512, 32 keys", _large_dk),
    "kv_cache": ("12 tokens, d 8, token 12", _large_kv),
    "word2vec": ("128 keys, vector_size 64", _large_word2vec),
}
LARGE["cross_attention"] = ("12 × 12 words, 4 heads", _large_cross)


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


def _move(at: Any, spec: PageSpec, value: float) -> None:
    """A temperature change: the reference page's slider, or a lesson's temperature key (what the
    live view writes when the learner releases its slider)."""
    if spec is REFERENCE:
        at.slider(key=spec.temperature_key).set_value(value).run()
    else:
        at.session_state[spec.temperature_key] = value
        at.run()


def server_table(specs: list[PageSpec], runs: int) -> list[dict[str, Any]]:
    rows = []
    for spec in [REFERENCE, *specs]:
        at = _apptest(spec)
        full = _time_runs(at, runs, lambda _i, at=at: at.run())
        move = _time_runs(at, runs, lambda i, at=at, spec=spec: _move(at, spec, 1.05 if i % 2 else 1.1))
        pinned = float("nan")
        if spec is not REFERENCE:  # Compare A/B: A pinned, every move a new B (none of them cached)
            at.button(key=LESSONS[spec.name].key("pin")).click().run()
            moves = _time_runs(at, runs, lambda i, at=at, spec=spec: _move(at, spec, 1.2 + 0.01 * i))
            pinned = med(moves)
        row: dict[str, Any] = {
            "page": "reference (bare)" if spec is REFERENCE else spec.name,
            "full": med(full),
            "full_p90": pct(full, 90),
            "move": med(move),
            "move_pinned": pinned,
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


def server_markdown(rows: list[dict[str, Any]], runs: int) -> str:
    lines = [
        f"Server-side script run (AppTest, ms, median of {runs} runs after 2 warm-ups; p90 in brackets; "
        f"target at the large setting < {TARGET_LARGE_MS:.0f} ms):",
        "",
        "| page | full run, defaults | temperature change (whole page in AppTest) | the same with A pinned "
        "| large setting | full run, large | target |",
        "| --- | ---: | ---: | ---: | --- | ---: | :---: |",
    ]
    for r in rows:
        large = r["large"]
        ok = "" if large != large else ("✓" if large < TARGET_LARGE_MS else "✗")
        big = "–" if large != large else f"{_ms(large)} ({_ms(r['large_p90'])})"
        lines.append(
            f"| {r['page']} | {_ms(r['full'])} ({_ms(r['full_p90'])}) | {_ms(r['move'])} "
            f"| {_ms(r['move_pinned'])} | {r['large_what'] or '–'} | {big} | {ok} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=10, help="AppTest runs per measurement (default 10)")
    ap.add_argument("--pages", nargs="*", choices=[p.name for p in PAGES], help="only these pages")
    ap.add_argument("--out", type=Path, help="also write the table (markdown) to this file")
    args = ap.parse_args(argv)
    os.chdir(ROOT)
    specs = [p for p in PAGES if not args.pages or p.name in args.pages]
    started = time.monotonic()
    cmd = " ".join(["python3 bench/latency.py", *(argv if argv is not None else sys.argv[1:])])
    load = os.getloadavg()[0]
    out = [f"`{cmd}` ({os.cpu_count()} CPUs, load average {load:.1f}, {time.strftime('%Y-%m-%d %H:%M')})", ""]
    out += [
        server_markdown(server_table(specs, args.runs), args.runs),
        "",
        f"(took {time.monotonic() - started:.0f} s)",
    ]
    text = "\n".join(out)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
