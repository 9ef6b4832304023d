"""Prompt fan-out: 500 channels due at the same slot, posted inside Slack's limits.

The stand-in plays Slack's posting limits (one message per second per channel, a workspace
cap per rolling minute) and answers a post over them with 429 + Retry-After; a few extra 429s
are injected mid-run. Measured: total time, posts, 429s met, the busiest minute and the
shortest gap between two posts in one channel.
Run: .venv/bin/python bench/bench_fanout.py [--channels 500] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import build_deps  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.sandbox.standin import SlackStandIn  # noqa: E402
from bot.slack.clients import make_client  # noqa: E402
from bot.slack.pacing import WORKSPACE_BURST, WORKSPACE_RATE  # noqa: E402
from bot.storage.database import Storage  # noqa: E402
from bot.team_prompts.posting import post_due_prompts  # noqa: E402
from bot.team_prompts.rotation import Schedule  # noqa: E402

TEAM = "T0LEERZONE"
SLOT = datetime(2026, 11, 30, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
STANDIN_PER_MINUTE = 150  # Slack publishes no figure; a cap above our own pace of 120/min
INJECTED_429 = 3


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    channels = [f"C{n:07d}" for n in range(args.channels)]
    with SlackStandIn(team_id=TEAM) as standin, tempfile.TemporaryDirectory() as tmp:
        standin.post_limits = (1.0, STANDIN_PER_MINUTE)
        settings = Settings(
            bot_token="xoxb-bench",
            signing_secret="s",
            api_url=standin.base_url,
            db_path=str(Path(tmp) / "fanout.db"),
        )
        deps = build_deps(settings, Storage(settings.db_path))
        for channel in channels:
            deps.prompts.ensure_schedule(TEAM, channel, Schedule())
        deps.storage.db.execute("UPDATE schedules SET updated_at = '2026-11-23T11:00:00+00:00'")
        deps.storage.db.conn.commit()

        def inject() -> None:  # Slack says "slow down" a few times while we are busy
            for _ in range(INJECTED_429):
                time.sleep(20)
                standin.fail(
                    "chat.postMessage", "ratelimited", status=429, headers={"Retry-After": "2"}
                )

        threading.Thread(target=inject, daemon=True).start()
        started = time.monotonic()
        outcomes = post_due_prompts(deps, make_client(settings), SLOT)
        seconds = time.monotonic() - started
        calls = standin.calls_to("chat.postMessage")
        posted = [m for c in channels for m in standin.history.get(c, [])]
    moments = sorted(c.at for c in calls)
    busiest = max(sum(1 for m in moments[i:] if m - start < 60) for i, start in enumerate(moments))
    gaps = {}
    for call in calls:
        gaps.setdefault(call.args["channel"], []).append(call.at)
    shortest = min(
        (b - a for times in gaps.values() for a, b in zip(times, times[1:], strict=False)),
        default=None,
    )
    result = {
        "channels": args.channels,
        "seconds": seconds,
        "posted": sum(o.status == "posted" for o in outcomes),
        "messages_in_channels": len(posted),
        "calls": len(calls),
        "answered_429": len(calls) - len(posted),
        "busiest_minute_calls": busiest,
        "shortest_gap_in_one_channel_s": shortest,
        "pace": f"{WORKSPACE_RATE:g}/s after a burst of {WORKSPACE_BURST}",
        "standin_limits": f"1/s per channel, {STANDIN_PER_MINUTE}/min per workspace",
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{result['posted']}/{args.channels} channels posted once in {seconds:.0f} s "
            f"({result['pace']}); {result['answered_429']} posts met a 429 and were retried; "
            f"busiest minute {busiest} calls; shortest gap in one channel "
            f"{shortest if shortest is None else round(shortest, 2)} s"
        )
    return result


if __name__ == "__main__":
    main()
