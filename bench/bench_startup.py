"""Start-up: seconds from `leerzone run` to a /healthz that answers, on a fresh database.

Each run starts the console script's module in a new process (migrations, auth.test against
the stand-in, scheduler, waitress) and polls /healthz every 10 ms.
Run: .venv/bin/python bench/bench_startup.py [--runs 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_events import free_port  # noqa: E402
from bot.sandbox.standin import SlackStandIn  # noqa: E402


def one_start(api_url: str, folder: str) -> float:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEERZONE_"))}
    env.update(
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET="s",
        SLACK_API_URL=api_url,
        PORT=str(port),
        LEERZONE_DB=str(Path(folder) / f"start-{port}.db"),
        LOG_LEVEL="WARNING",
    )
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    if r.status == 200:
                        return time.perf_counter() - started
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("leerzone run exited during start-up") from None
                time.sleep(0.01)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with SlackStandIn() as standin, tempfile.TemporaryDirectory() as tmp:
        times = [one_start(standin.base_url, tmp) for _ in range(args.runs)]
    result = {
        "runs": args.runs,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"leerzone run ready in {result['median_s']:.2f} s (median of {args.runs}; "
            f"{result['min_s']:.2f}–{result['max_s']:.2f} s)"
        )
    return result


if __name__ == "__main__":
    main()
