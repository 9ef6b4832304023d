"""Event throughput and ack latency through the real HTTP server, against a bare Bolt app.

5,000 signed message events (95 % ordinary messages, 5 % mistake reports) go from a load process
over keep-alive HTTP to the app served by waitress (8 threads) in a child process; the Slack
Web API is the local stand-in. The same run serves a bare Bolt app with a no-op message
listener on the same server settings, so the ratio compares like with like on this machine.
Two mixes of ordinary messages: `labelled` (the default, and the harder one) draws them from
our labelled corpus's non-reports, half of them hard negatives full of mistake words that pass
the detector's gate; `chat` is nine in ten everyday team chat and one in ten of those, as a
channel mostly is.
Run: .venv/bin/python bench/bench_events.py [--events 5000] [--mix labelled|chat] [--json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.sandbox.simulator import signed_headers  # noqa: E402
from bot.sandbox.standin import BOT_USER_ID, SlackStandIn  # noqa: E402
from tests.detection import corpus  # noqa: E402

SECRET = "bench-secret"
TEAM = "T0LEERZONE"
CHANNELS = [f"C0BENCH{n:02d}" for n in range(20)]
LEADER, MEMBERS = "U0LEADER", [f"U0MEMBER{n:02d}" for n in range(30)]
CLIENT_THREADS = 4
ROUNDS = 5  # bare and ours alternate; each figure is the median over rounds
WARMUP = 200

CHAT = [
    "goedemorgen allemaal, wie heeft de sleutel van de vergaderzaal?",
    "de release staat gepland voor donderdag 14:00",
    "kan iemand even naar mijn PR kijken? thanks!",
    "lunch om 12:30 in de kantine?",
    "ik ben vandaag vanuit huis aan het werk",
    "heeft iemand de notulen van gisteren?",
    "nice, de demo ging goed 🎉",
    "morning all, standup is moved to 9:45 today",
    "can someone review the onboarding doc before Friday?",
    "the build is green again",
]
# Everyday team chat, written by us: what most of a channel is.
EVERYDAY = [
    *CHAT,
    "ik zit tot 11 uur in overleg, daarna bereikbaar",
    "zullen we de retro naar vrijdag verplaatsen?",
    "top, dank je!",
    "de nieuwe klant start maandag, ik stuur de planning rond",
    "I'll be out tomorrow afternoon for a dentist appointment",
    "great work on the launch everyone 🚀",
    "who's joining the team lunch on Thursday?",
    "here's the link to the roadmap for next quarter",
    "sounds good, let's go with option B",
    "I pushed the new designs to the shared folder",
    "reminder: timesheets are due today",
]
MIXES = ("labelled", "chat")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(kind: str, api_url: str, db_path: str, port: int) -> None:
    """Child process: our app, or a bare Bolt app, behind the same waitress settings."""
    import logging

    from slack_bolt import App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient
    from waitress.server import create_server

    logging.disable(logging.WARNING)
    if kind == "bare":
        app = App(
            client=WebClient(token="xoxb-bench", base_url=api_url),
            signing_secret=SECRET,
        )

        @app.event("message")
        def noop() -> None:
            pass

        wsgi = SlackRequestHandler(app, path="/slack/events")
    else:
        from bot.app import build_deps, create_app
        from bot.config import Settings
        from bot.slack.server import wsgi_app
        from bot.storage.database import Storage

        settings = Settings(
            bot_token="xoxb-bench", signing_secret=SECRET, api_url=api_url, db_path=db_path
        )
        from datetime import UTC, datetime

        # a working Tuesday morning, so tips go out as DMs whenever the benchmark runs
        workday = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
        deps = build_deps(settings, Storage(db_path), now=lambda: workday)
        for channel in CHANNELS:
            deps.channels.set_leaders(TEAM, channel, [LEADER], by=LEADER)
        wsgi = wsgi_app(create_app(deps))
    create_server(wsgi, host="127.0.0.1", port=port, threads=8).run()


def build_events(
    count: int, seed: int = 7, every: int = 20, mix: str = "labelled"
) -> list[tuple[bool, str]]:
    """(is_report, body) pairs: one in `every` a mistake report from the corpus (0: none);
    the others from the `mix` (see the module's docstring)."""
    rng = random.Random(seed)
    examples = corpus.load()
    reports = [e.text for e in examples if e.is_mistake]
    labelled = CHAT + [e.text for e in examples if not e.is_mistake]
    negatives = [e.text for e in examples if not e.is_mistake]
    events = []
    for n in range(count):
        is_report = bool(every) and n % every == every // 3
        if is_report:
            text = rng.choice(reports)
        elif mix == "chat":
            text = rng.choice(EVERYDAY if rng.random() < 0.9 else negatives)
        else:
            text = rng.choice(labelled)
        ts = f"{1764000000 + n}.{n % 1000000:06d}"
        event = {
            "type": "message",
            "user": rng.choice(MEMBERS),
            "text": text,
            "ts": ts,
            "channel": rng.choice(CHANNELS),
            "channel_type": "channel",
            "event_ts": ts,
        }
        body = {
            "token": "bench",
            "team_id": TEAM,
            "api_app_id": "A0LEERZONE",
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{n:010d}",
            "event_time": int(time.time()),
        }
        events.append((is_report, json.dumps(body)))
    return events


def wait_listening(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on {port}")


def load(port: int, events: list[tuple[bool, str]]) -> tuple[float, list[tuple[bool, float]]]:
    """Send every event once from CLIENT_THREADS keep-alive connections; (seconds, latencies)."""
    prepared = [(r, b, signed_headers(SECRET, b)) for r, b in events]
    results: list[tuple[bool, float]] = []
    lock = threading.Lock()
    next_index = iter(range(len(prepared)))

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for i in next_index:  # shared iterator: threads take the next event
            is_report, body, headers = prepared[i]
            started = time.perf_counter()
            conn.request(
                "POST",
                "/slack/events",
                body=body.encode(),
                headers={"Content-Type": "application/json", **headers},
            )
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                raise RuntimeError(f"status {response.status}")
            mine.append((is_report, elapsed))
        conn.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(CLIENT_THREADS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, results


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_quiet(pid: int, limit: float = 20.0) -> None:
    """Until the process uses under 2 % of a core over half a second (or `limit` passes)."""
    deadline = time.monotonic() + limit
    before = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu_seconds(pid)
        if now - before < 0.01:
            return
        before = now


def measure(kind: str, standin: SlackStandIn, events: list[tuple[bool, str]]) -> dict[str, Any]:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        context = multiprocessing.get_context("spawn")
        child = context.Process(
            target=serve, args=(kind, standin.base_url, str(Path(tmp) / "b.db"), port)
        )
        child.start()
        try:
            wait_listening(port)
            load(port, events[:WARMUP])  # imports, first auth.test, caches
            wait_quiet(child.pid)  # one-time loads (the blame encoder: 1-2 s) are not per event
            cpu_before = cpu_seconds(child.pid)
            seconds, results = load(port, events[WARMUP:])
            time.sleep(0.5)  # listeners finish after their ack: their CPU counts too
            cpu = cpu_seconds(child.pid) - cpu_before
        finally:
            child.terminate()
            child.join(10)
    ordinary = [s for r, s in results if not r]
    reports = [s for r, s in results if r]
    return {
        "events": len(results),
        "events_per_s": len(results) / seconds,
        "server_cpu_us_per_event": cpu / len(results) * 1e6,
        "ordinary_p50_ms": statistics.median(ordinary) * 1000,
        "ordinary_p99_ms": percentile(ordinary, 99) * 1000,
        "report_p50_ms": statistics.median(reports) * 1000 if reports else None,
        "report_p99_ms": percentile(reports, 99) * 1000 if reports else None,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--mix", choices=MIXES, default="labelled")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    events = build_events(args.events + WARMUP, mix=args.mix)
    members = {c: [LEADER, BOT_USER_ID, *MEMBERS] for c in CHANNELS}
    rounds: dict[str, list[dict[str, Any]]] = {"bare": [], "ours": []}
    with SlackStandIn(team_id=TEAM, members=members) as standin:
        for _ in range(args.rounds):
            for kind in ("bare", "ours"):
                standin.reset()
                rounds[kind].append(measure(kind, standin, events))
        tips = len(standin.seen_by())  # tips the leader was shown (DMs by default)
    bare, ours = (
        {k: statistics.median(r[k] for r in rounds[kind]) for k in rounds[kind][0]}
        for kind in ("bare", "ours")
    )
    result = {
        "bare": bare,
        "ours": ours,
        "tips_sent": tips,
        "ratio_ordinary_p50": ours["ordinary_p50_ms"] / bare["ordinary_p50_ms"],
        "ratio_ordinary_p99": ours["ordinary_p99_ms"] / bare["ordinary_p99_ms"],
        "ratio_throughput": bare["events_per_s"] / ours["events_per_s"],
        "ratio_cpu": ours["server_cpu_us_per_event"] / bare["server_cpu_us_per_event"],
        # each round's own ours/bare ratio: the spread this machine gives
        "round_ratios_ordinary_p50": sorted(
            round(o["ordinary_p50_ms"] / b["ordinary_p50_ms"], 2)
            for b, o in zip(rounds["bare"], rounds["ours"], strict=True)
        ),
        "round_ratios_cpu": sorted(
            round(o["server_cpu_us_per_event"] / b["server_cpu_us_per_event"], 2)
            for b, o in zip(rounds["bare"], rounds["ours"], strict=True)
        ),
        "mix": args.mix,
        "client_threads": CLIENT_THREADS,
        "rounds": args.rounds,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for name in ("bare", "ours"):
            r = result[name]
            print(
                f"{name:5} {r['events_per_s']:7.0f} events/s  "
                f"{r['server_cpu_us_per_event']:4.0f} us CPU/event  ordinary ack p50 "
                f"{r['ordinary_p50_ms']:.2f} ms p99 {r['ordinary_p99_ms']:.2f} ms"
                + (
                    f"  reports p50 {r['report_p50_ms']:.2f} ms p99 {r['report_p99_ms']:.2f} ms"
                    if r["report_p50_ms"]
                    else ""
                )
            )
        print(
            f"ours/bare: ordinary p50 x{result['ratio_ordinary_p50']:.2f}, "
            f"p99 x{result['ratio_ordinary_p99']:.2f}, time for all events "
            f"x{result['ratio_throughput']:.2f}, server CPU per event "
            f"x{result['ratio_cpu']:.2f}; tips sent {tips} (daily cap); p50 ratio per round "
            f"{result['round_ratios_ordinary_p50']}"
        )
    return result


if __name__ == "__main__":
    main()
