"""Classroom load client: N simulated students on Streamlit's websocket protocol, no browser.

Usage (from the repository root)::

    python3 bench/classroom.py --serve plain --students 30 --duration 60       # its own `streamlit run app.py`
    python3 bench/classroom.py --serve replicas:2 --students 30 --duration 60  # deploy/classroom.sh --replicas 2
    python3 bench/classroom.py --url http://127.0.0.1:8501 --pids 1234 --students 10 --duration 30
    python3 bench/classroom.py --serve plain --profile --repeat 8              # server CPU-ms per change, per lesson
    python3 bench/classroom.py --help

**What a student does.** Each student is one websocket session (``/_stcore/stream``, subprotocol
``streamlit``), like one browser tab. It loads a page the way the browser does (``GET`` the lesson's
URL, which also gets the balancer's sticky cookie, ``/_stcore/health``, ``/_stcore/host-config``,
then the websocket and a first ``rerun_script``), and waits until that run has finished. Students
arrive spread over ``--ramp`` seconds (a class opening the link the teacher shared), on lessons in
turn (``--lessons``). Then, until ``--duration`` has passed, it thinks (``--think`` seconds ±
``--jitter``, uniform), makes one change and waits for its result (the server's ``script_finished``)
before thinking again. Changes, weighted by ``--mix`` among those the current lesson offers:

- ``slider``: moves one of the lesson's live controls (data-driven, see ``LESSONS`` and ``--live``):
  a ``slider`` (a new value inside its range, sent as the browser does) or a ``component_state``
  (a v2 custom component's JSON state, e.g. ``{"temperature": 1.35}``); a control inside a
  fragment reruns that fragment only (its fragment id is sent with the widget states);
- ``sentence``: types a new sentence into step by step (every student's differs);
- ``train``: pastes a corpus of its own into the Word2Vec lab and sets ``--train-epochs`` (one rerun,
  which trains a new model: every student's corpus differs, so no cache hit);
- ``language``: switches the sidebar language (English → Tiếng Việt → 한국어 → …);
- ``open``: opens another lesson from the navigation (a full run of that page).

Every rerun carries all widget states the client holds, like the browser's widget manager: a
widget's value is the one the server last set (``set_value``), else the one the client chose,
else the widget's default; widgets not drawn by the last run are dropped. Widgets are found by
their user key (element ids end with it), never by hash. A control the page does not draw is
reported (``missing widgets``) and the change is skipped: nothing crashes.

**What is measured.** Per kind of change: latency from sending the rerun to the run's
``script_finished`` (p50, p95, max); page loads (from the ``GET`` to the first run's end);
errors: ``exception`` elements, disconnects, timeouts (``--timeout``), failed runs (a
``script_finished`` that is not a success). After a disconnect a student reconnects (as the
browser does: same cookie, same session id; a balancer sends it to a live replica, which
starts a new session) and the page runs again from its defaults, as in Chromium: that is a
*reconnect*, reported with its time. The server's RSS and CPU time are read from ``/proc/<pid>`` of the
server processes (``--pids``, or those ``--serve`` started): RSS before, peak and after, and
server CPU-ms per change (all CPU the servers used during the run / changes and page loads).

``--profile`` instead runs one student alone through every lesson and change kind, ``--repeat``
times each, and reads the server's CPU time around each change: the server CPU-ms of one change,
per lesson and kind (one server process: ``--serve plain`` or ``--pids`` with one pid).

``--memory`` measures memory given back: RSS with one idle session, then ``--waves`` times
``--students`` students connect, make changes for ``--duration`` s and leave, and RSS is sampled
for ``--after`` seconds (a second wave shows whether memory is reused or leaks).

Only loopback addresses are targets. Every loop is bounded in count and time (``--duration`` ≤
3600 s, ``--students`` ≤ 500, ``--max-changes`` per student, ``--timeout`` per change).
The client itself needs CPU: on a 2-core machine it competes with the servers (the report
prints the load average).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

from labdev.loadtest import (
    DEFAULT_MIX,
    START_ORDER,
    Config,
    ServerStats,
    listening_pids,
    loadavg,
    parse_live,
    proc_name,
    profile_table,
    run_class,
    run_memory,
    run_profile,
    table,
    warm_up,
)
from labdev.server import classroom, streamlit_server

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAX_STUDENTS = 500
MAX_DURATION_S = 3600.0


# --------------------------------------------------------------------------- servers we start
@contextlib.contextmanager
def serve(
    kind: str, log_dir: Path, keep_logs: Path | None = None
) -> Iterator[tuple[str, list[int], list[tuple[str, int, int]]]]:
    """``plain``: ``streamlit run app.py`` (the project's config) on a free port;
    ``replicas:K``: ``deploy/classroom.sh --replicas K``. Yields (url, server pids, replicas)."""

    def fail(message: str) -> NoReturn:
        raise SystemExit(f"server did not start: {message}")

    if kind == "plain":
        log = (keep_logs or log_dir) / "server.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with streamlit_server("app.py", log, timeout_s=120, on_fail=fail) as (url, proc):
            yield url, [proc.pid], [("plain", proc.pid, int(url.rsplit(":", 1)[1]))]
        return
    if not kind.startswith("replicas:"):
        raise SystemExit(f"--serve {kind!r}: plain or replicas:K")
    with classroom(int(kind.split(":", 1)[1]), log_dir, timeout_s=120, logs=keep_logs, on_fail=fail) as c:
        yield c.url, [pid for _, pid, _ in c.replicas], c.replicas


# --------------------------------------------------------------------------- main
def check_loopback(url: str) -> str:
    u = urllib.parse.urlsplit(url)
    if u.scheme != "http" or (u.hostname or "") not in LOOPBACK:
        raise SystemExit(f"--url {url!r}: only http://127.0.0.1:PORT (loopback) is a target")
    return url.rstrip("/")


def parse_mix(text: str) -> dict[str, float]:
    mix = {}
    for item in text.split(","):
        k, _, v = item.partition("=")
        if k not in DEFAULT_MIX:
            raise SystemExit(f"--mix: unknown change {k!r} (one of {sorted(DEFAULT_MIX)})")
        mix[k] = float(v)
    return mix


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="bench/classroom.py",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    target = ap.add_mutually_exclusive_group()
    target.add_argument("--url", help="a running app (loopback only), e.g. http://127.0.0.1:8501")
    target.add_argument(
        "--serve",
        default=None,
        help="start the app first: 'plain' (streamlit run app.py) or 'replicas:K' (deploy/classroom.sh)",
    )
    ap.add_argument("--pids", default="", help="server pids to read /proc of (comma-separated; with --url)")
    ap.add_argument("--students", type=int, default=3, help="simulated students (default 3, at most 500)")
    ap.add_argument("--duration", type=float, default=10.0, help="seconds of changes (default 10, at most 3600)")
    ap.add_argument("--think", type=float, default=3.0, help="mean think time between changes, s (default 3)")
    ap.add_argument("--jitter", type=float, default=0.5, help="think time ± this fraction, uniform (default 0.5)")
    ap.add_argument("--ramp", type=float, default=10.0, help="students arrive spread over this many s (default 10)")
    ap.add_argument("--timeout", type=float, default=60.0, help="a change with no result after this is a timeout (s)")
    ap.add_argument(
        "--mix",
        type=parse_mix,
        default=dict(DEFAULT_MIX),
        help="change weights (default slider=6,sentence=3,train=2,language=0.5,open=1)",
    )
    ap.add_argument("--lessons", default=",".join(START_ORDER), help="lessons students start on, in turn, and open")
    ap.add_argument(
        "--live",
        action="append",
        default=[],
        help="retarget live controls: LESSON=KEY:KIND[,KEY:KIND] (KIND slider|component_state)",
    )
    ap.add_argument(
        "--trainers",
        type=int,
        default=0,
        help="fairness: the first N students only train, the others only move sliders",
    )
    ap.add_argument("--train-tokens", type=int, default=400, help="tokens in a student's corpus (default 400)")
    ap.add_argument(
        "--train-epochs",
        type=int,
        default=100,
        help="epochs set before training (default 100; tokens × epochs ≤ 50,000)",
    )
    ap.add_argument("--max-changes", type=int, default=1000, help="at most this many changes per student")
    ap.add_argument(
        "--locales", default="en-US", help="browser locales, given to students in turn (e.g. en-US,vi-VN,ko-KR)"
    )
    ap.add_argument("--seed", type=int, default=1, help="random seed (think times, choices)")
    ap.add_argument(
        "--profile", action="store_true", help="one student alone: server CPU-ms per change, per lesson and kind"
    )
    ap.add_argument("--repeat", type=int, default=8, help="--profile: repetitions per change (default 8)")
    ap.add_argument(
        "--memory", action="store_true", help="memory given back: RSS before, with, and --after s after the students"
    )
    ap.add_argument(
        "--after", type=float, default=150.0, help="--memory: seconds to watch RSS after they leave (default 150)"
    )
    ap.add_argument(
        "--waves", type=int, default=2, help="--memory: classes that come and go, one after the other (default 2)"
    )
    ap.add_argument(
        "--no-warmup", action="store_true", help="do not open every lesson once per server first (cold start)"
    )
    ap.add_argument("--keep-logs", type=Path, help="--serve: keep the servers' logs in this folder")
    ap.add_argument("--label", default="", help="the table's title")
    ap.add_argument("--json", type=Path, help="also write the raw results (JSON) here")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not 1 <= args.students <= MAX_STUDENTS:
        raise SystemExit(f"--students must be 1..{MAX_STUDENTS}")
    if not 0 < args.duration <= MAX_DURATION_S:
        raise SystemExit(f"--duration must be in (0, {MAX_DURATION_S:g}]")
    lesson_table = parse_live(args.live)
    lessons = tuple(x for x in args.lessons.split(",") if x)
    unknown = [x for x in lessons if x not in lesson_table]
    if unknown:
        raise SystemExit(f"--lessons: unknown {unknown} (known: {sorted(lesson_table)})")
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="classroom-")))
        if args.serve:
            url, pids, replicas = stack.enter_context(serve(args.serve, tmp, args.keep_logs))
            what = args.serve
        else:
            url = check_loopback(args.url or "http://127.0.0.1:8501")
            pids = [int(p) for p in args.pids.split(",") if p.strip()]
            if not pids:
                port = urllib.parse.urlsplit(url).port or 80
                pids = [p for p in listening_pids(port) if "haproxy" not in proc_name(p)]
                if not pids:
                    print("note: no server pid found (behind a balancer? pass --pids): no RSS/CPU", file=sys.stderr)
            replicas = []
            what = url
        cfg = Config(
            base=url,
            students=args.students,
            duration=args.duration,
            think=args.think,
            jitter=args.jitter,
            ramp=args.ramp,
            timeout=args.timeout,
            mix=args.mix,
            lessons=lessons,
            lesson_table=lesson_table,
            train_tokens=args.train_tokens,
            train_epochs=args.train_epochs,
            max_changes=args.max_changes,
            seed=args.seed,
            locales=tuple(args.locales.split(",")),
            trainers=args.trainers,
        )
        if not args.no_warmup:
            targets = [f"http://127.0.0.1:{port}" for _, _, port in replicas] if replicas else [url] * max(1, len(pids))
            asyncio.run(warm_up(targets, lesson_table, lessons))
        load0 = loadavg()
        if args.profile:
            if len(pids) != 1:
                raise SystemExit("--profile reads one server process: --serve plain, or --url with --pids PID")
            rows = asyncio.run(run_profile(cfg, pids[0], args.repeat))
            print(profile_table(rows, args.repeat, f"{load0} → {loadavg()}"))
            if args.json:
                args.json.write_text(json.dumps(rows, indent=1))
            return 0
        stats = ServerStats(pids)
        if args.memory:
            print(asyncio.run(run_memory(cfg, stats, args.after, args.waves)))
            return 0
        stats.start()
        t0 = time.monotonic()
        rep = asyncio.run(run_class(cfg, stats))
        wall = time.monotonic() - t0
        label = args.label or f"{what}: {args.students} students"
        print(table(rep, cfg, stats, label, wall, f"{load0} → {loadavg()}"))
        print(f"\ncommand: python3 bench/classroom.py {' '.join(argv if argv is not None else sys.argv[1:])}")
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "latencies": rep.latencies,
                        "errors": {f"{k}: {e}": n for (k, e), n in rep.errors.items()},
                        "missing": dict(rep.missing),
                        "exceptions": rep.exception_texts[:20],
                        "students": rep.students,
                        "changes": rep.changes,
                        "replicas": replicas,
                        "cpu_ms": stats.cpu_ms(),
                        "rss_before": stats.total(stats.rss_before),
                        "rss_peak": stats.total(stats.rss_peak),
                        "rss_after": stats.total(stats.rss_after),
                    },
                    indent=1,
                )
            )
        return 1 if rep.error_total() else 0


if __name__ == "__main__":
    sys.exit(main())
