"""Memory: resident size while 100,000 message events go through the app.

Events (95 % chat, 5 % reports, over 2,000 channels so per-channel caches fill up) are
dispatched into the real Bolt app in-process, signed as Slack sends them; the Slack Web API is
the stand-in. RSS is read from /proc every 10,000 events. Flat means: after warm-up it stops
growing (event claims live in SQLite and are forgotten after a day; the member and channel
caches are bounded).
Run: .venv/bin/python bench/bench_memory.py [--events 100000] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_bolt.request import BoltRequest  # noqa: E402

from bench.bench_events import LEADER, MEMBERS, SECRET, TEAM, build_events  # noqa: E402
from bot.app import build_deps, create_app, drain  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.detection import encoder  # noqa: E402
from bot.sandbox.simulator import signed_headers  # noqa: E402
from bot.sandbox.standin import BOT_USER_ID, SlackStandIn  # noqa: E402
from bot.slack.scanner import scanner_of  # noqa: E402
from bot.storage.database import Storage  # noqa: E402

CHANNELS = [f"C0MEM{n:05d}" for n in range(2000)]
STEP = 10_000


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    members = {c: [LEADER, BOT_USER_ID, *MEMBERS] for c in CHANNELS}
    with (
        SlackStandIn(team_id=TEAM, members=members) as standin,
        tempfile.TemporaryDirectory() as tmp,
    ):
        settings = Settings(
            bot_token="xoxb-bench",
            signing_secret=SECRET,
            api_url=standin.base_url,
            db_path=str(Path(tmp) / "mem.db"),
        )
        deps = build_deps(settings, Storage(settings.db_path))
        for channel in CHANNELS:
            deps.channels.set_leaders(TEAM, channel, [LEADER], by=LEADER)
        app = create_app(deps)
        scanner = scanner_of(app)
        samples = [(0, rss_mb())]
        started = time.monotonic()
        done = 0
        while done < args.events:
            batch = build_events(min(STEP, args.events - done), seed=done)
            for n, (_, body) in enumerate(batch):
                data = json.loads(body)
                data["event"]["channel"] = CHANNELS[(done + n) % len(CHANNELS)]
                data["event_id"] = f"Ev{done + n:010d}"
                text = json.dumps(data)
                headers = {**signed_headers(SECRET, text), "content-type": "application/json"}
                response = app.dispatch(BoltRequest(body=text, headers=headers))
                assert response.status == 200, response.status
            done += len(batch)
            if scanner:
                scanner.drain()
            if not encoder.loaded():
                encoder.warm_up().join()  # started by the batch's first report: count it whole
            samples.append((done, rss_mb()))
            standin.calls.clear()  # the stand-in's own record is not the app's memory
        seconds = time.monotonic() - started
        drain(app)
        claims = deps.storage.db["event_claims"].count
        deps.storage.close()
    warm = [mb for n, mb in samples if n >= 20_000]
    result = {
        "events": done,
        "seconds": seconds,
        "rss_mb": {str(n): round(mb, 1) for n, mb in samples},
        "growth_after_20k_mb": round(max(warm) - min(warm), 1) if warm else None,
        # from the app just built to the most it held: caches, claims, and (after the first
        # report) the blame encoder, which loads once per process
        "growth_total_mb": round(max(mb for _, mb in samples) - samples[0][1], 1),
        "encoder_loaded": encoder.loaded(),
        "event_claims_rows": claims,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            "RSS MB by events: "
            + ", ".join(f"{n // 1000}k {mb:.0f}" for n, mb in samples)
            + f"; growth from 20k to {done // 1000}k: {result['growth_after_20k_mb']} MB; "
            f"{seconds:.0f} s; event claims in SQLite: {claims}"
        )
    return result


if __name__ == "__main__":
    main()
